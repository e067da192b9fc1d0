#include "data/io.hpp"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/file_io.hpp"

namespace actlab::data {

struct Reader::Gz {
  gzFile file = nullptr;
  ~Gz() {
    if (file) gzclose(file);
  }
};

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Result<Reader> Reader::open(const std::string& path) {
  // fopen first: it tells a missing file from an unreadable one; zlib's gzopen only says "failed".
  errno = 0;
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (!probe) {
    if (errno == ENOENT) return Status::not_found(path + ": no such file");
    return Status::io_error(path + ": cannot open (" + std::strerror(errno) + ")");
  }
  std::fclose(probe);
  Reader r;
  r.name_ = path;
  r.gz_ = std::make_unique<Gz>();
  r.gz_->file = gzopen(path.c_str(), "rb");  // reads non-gzip files transparently
  if (!r.gz_->file) return Status::io_error(path + ": cannot open");
  gzbuffer(r.gz_->file, 1u << 18);
  return r;
}

Reader Reader::from_memory(std::string_view bytes, std::string name) {
  Reader r;
  r.memory_ = bytes;
  r.name_ = std::move(name);
  return r;
}

Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Result<std::size_t> Reader::read(char* out, std::size_t n) {
  if (!gz_) {
    const std::size_t got = std::min(n, memory_.size() - offset_);
    std::memcpy(out, memory_.data() + offset_, got);
    offset_ += got;
    return got;
  }
  std::size_t total = 0;
  while (total < n) {
    const auto want = static_cast<unsigned>(std::min<std::size_t>(n - total, INT_MAX / 2));
    const int got = gzread(gz_->file, out + total, want);
    int code = Z_OK;
    const char* why = got < 0 || static_cast<unsigned>(got) < want ? gzerror(gz_->file, &code) : "";
    if (got > 0) total += static_cast<std::size_t>(got);
    if (code == Z_BUF_ERROR) {
      return Status::invalid(name_ + ": truncated gzip data (the stream stops after " +
                             std::to_string(offset_ + total) + " uncompressed bytes)");
    }
    if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {
      return Status::invalid(name_ + ": corrupt gzip data after " + std::to_string(offset_ + total) +
                             " uncompressed bytes (" + why + ")");
    }
    if (static_cast<unsigned>(got) < want) break;  // end of data
  }
  offset_ += total;
  return total;
}

namespace {

// kMaxTextFileBytes, or ACTLAB_MAX_INPUT_BYTES where set to a positive whole number (docs/limits.md).
std::size_t max_input_bytes() {
  if (const char* v = std::getenv("ACTLAB_MAX_INPUT_BYTES")) {
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v, &end, 10);
    if (end != v && *end == '\0' && n > 0) return static_cast<std::size_t>(n);
  }
  return kMaxTextFileBytes;
}

}  // namespace

Result<std::string> read_file(const std::string& path) {
  const std::size_t limit = max_input_bytes();
  auto r = Reader::open(path);
  if (!r) return r.status();
  std::string out;
  std::size_t used = 0;
  for (;;) {
    out.resize(std::min(std::max<std::size_t>(1u << 16, out.size() * 2), limit + 1));
    auto got = r->read(out.data() + used, out.size() - used);
    if (!got) return got.status();
    used += *got;
    // /dev/zero, an endless pipe or a gzip bomb: stop at the limit instead of filling the memory.
    if (used > limit) {
      return Status::invalid(path + ": larger than the limit of " + std::to_string(limit) +
                             " bytes (after decompression)");
    }
    if (used < out.size()) break;
  }
  out.resize(used);
  return out;
}

Status write_file(const std::string& path, std::string_view bytes, const WriteOptions& options) {
  std::string packed;
  if (options.gzip) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return Status::internal("zlib deflateInit2 failed");
    }
    packed.resize(deflateBound(&zs, static_cast<uLong>(bytes.size())));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zs.avail_in = static_cast<uInt>(bytes.size());
    zs.next_out = reinterpret_cast<Bytef*>(packed.data());
    zs.avail_out = static_cast<uInt>(packed.size());
    const int rc = deflate(&zs, Z_FINISH);
    packed.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) return Status::internal("zlib deflate failed");
    bytes = packed;
  }
  return write_file_atomic(path, bytes);
}

}  // namespace actlab::data
