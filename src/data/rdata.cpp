// R data files through librdata (see rdata.hpp). The file is read whole, inflated here when compressed, and
// handed to librdata through memory I/O hooks; librdata's callbacks build the columns.
#include "data/rdata.hpp"

#include <bzlib.h>
#include <fcntl.h>
#include <lzma.h>
#include <rdata.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

namespace actlab::data {
namespace {

constexpr double kNa = std::numeric_limits<double>::quiet_NaN();
// An inflated file larger than this is refused (a damaged header must not ask for all memory). The largest
// packaged set, mlbench's Shuttle, is 5 MB inflated.
constexpr std::size_t kMaxInflated = std::size_t{1} << 30;

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

Status too_large(const std::string& name) {
  return Status::invalid(name + ": inflates to more than " + std::to_string(kMaxInflated >> 20) +
                         " MiB; not a data file this reader takes");
}

Result<std::string> inflate_gzip(std::string_view in, const std::string& name) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return Status::internal(name + ": zlib failed to start");
  std::string out;
  char buf[1 << 16];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxInflated) rc = Z_MEM_ERROR;
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) break;  // input used up before the end
  }
  inflateEnd(&z);
  if (out.size() > kMaxInflated) return too_large(name);
  if (rc != Z_STREAM_END)
    return Status::invalid(name + ": corrupt or truncated gzip data (after " + std::to_string(out.size()) +
                           " inflated bytes)");
  return out;
}

Result<std::string> inflate_bzip2(std::string_view in, const std::string& name) {
  bz_stream z{};
  if (BZ2_bzDecompressInit(&z, 0, 0) != BZ_OK) return Status::internal(name + ": libbz2 failed to start");
  std::string out;
  char buf[1 << 16];
  z.next_in = const_cast<char*>(in.data());
  z.avail_in = static_cast<unsigned>(in.size());
  int rc = BZ_OK;
  while (rc == BZ_OK) {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = BZ2_bzDecompress(&z);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > kMaxInflated) break;
    if (rc == BZ_OK && z.avail_in == 0 && z.avail_out != 0) break;
  }
  BZ2_bzDecompressEnd(&z);
  if (out.size() > kMaxInflated) return too_large(name);
  if (rc != BZ_STREAM_END)
    return Status::invalid(name + ": corrupt or truncated bzip2 data (after " + std::to_string(out.size()) +
                           " inflated bytes)");
  return out;
}

Result<std::string> inflate_xz(std::string_view in, const std::string& name) {
  lzma_stream z = LZMA_STREAM_INIT;
  if (lzma_stream_decoder(&z, UINT64_MAX, 0) != LZMA_OK)
    return Status::internal(name + ": liblzma failed to start");
  std::string out;
  std::uint8_t buf[1 << 16];
  z.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
  z.avail_in = in.size();
  lzma_ret rc = LZMA_OK;
  while (rc == LZMA_OK) {
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = lzma_code(&z, z.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
    out.append(reinterpret_cast<const char*>(buf), sizeof buf - z.avail_out);
    if (out.size() > kMaxInflated) break;
  }
  lzma_end(&z);
  if (out.size() > kMaxInflated) return too_large(name);
  if (rc != LZMA_STREAM_END)
    return Status::invalid(name + ": corrupt or truncated xz data (after " + std::to_string(out.size()) +
                           " inflated bytes)");
  return out;
}

// The bytes as librdata wants them: xz (FD '7zXZ' 00), bzip2 ('BZh') and gzip (1f 8b) are inflated.
Result<std::string> inflate(std::string_view bytes, const std::string& name) {
  if (starts_with(bytes, std::string_view("\xFD"
                                          "7zXZ\0",
                                          6)))
    return inflate_xz(bytes, name);
  if (starts_with(bytes, "BZh")) return inflate_bzip2(bytes, name);
  if (starts_with(bytes, "\x1f\x8b")) return inflate_gzip(bytes, name);
  return std::string(bytes);
}

// librdata's I/O hooks over bytes in memory.
struct MemoryIo {
  std::string_view bytes;
  std::size_t pos = 0;
};

int io_open(const char*, void* ctx) {
  static_cast<MemoryIo*>(ctx)->pos = 0;
  return 0;
}
int io_close(void*) { return 0; }
rdata_off_t io_seek(rdata_off_t offset, rdata_io_flags_t whence, void* ctx) {
  auto* io = static_cast<MemoryIo*>(ctx);
  const auto size = static_cast<rdata_off_t>(io->bytes.size());
  rdata_off_t base = 0;
  if (whence == RDATA_SEEK_CUR) base = static_cast<rdata_off_t>(io->pos);
  if (whence == RDATA_SEEK_END) base = size;
  const rdata_off_t to = base + offset;
  if (to < 0 || to > size) return -1;
  io->pos = static_cast<std::size_t>(to);
  return to;
}
ssize_t io_read(void* buf, size_t n, void* ctx) {
  auto* io = static_cast<MemoryIo*>(ctx);
  const std::size_t got = std::min(n, io->bytes.size() - io->pos);
  if (got) std::memcpy(buf, io->bytes.data() + io->pos, got);
  io->pos += got;
  return static_cast<ssize_t>(got);
}
rdata_error_t io_update(long, rdata_progress_handler, void*, void*) { return RDATA_OK; }

// What librdata's callbacks build. Callbacks return nonzero to stop the parse (librdata then reports a user
// abort, and `failure` says why).
struct Builder {
  std::string default_name;  // an .rds file has no object names
  std::vector<RFrame> frames;
  std::vector<std::string> levels;       // a factor's levels arrive before its codes
  std::vector<int> dims;                 // a matrix's dim attribute arrives before its values
  std::vector<std::string> dim_names;    // its dimnames: the row names, then the column names
  std::size_t string_column = SIZE_MAX;  // the text column that text values fill
  std::size_t max_values = 0;            // no column can hold more values than the file has 4-byte words
  std::string failure;
  std::string librdata_message;

  RFrame& frame() {
    if (frames.empty()) frames.push_back({default_name, {}});
    return frames.back();
  }
};

int on_table(const char* name, void* ctx) {
  auto* b = static_cast<Builder*>(ctx);
  b->frames.push_back({name ? name : b->default_name, {}});
  b->levels.clear();
  b->dims.clear();
  b->dim_names.clear();
  b->string_column = SIZE_MAX;
  return 0;
}

int on_value_label(const char* value, int, void* ctx) {
  auto* b = static_cast<Builder*>(ctx);
  if (b->levels.size() >= b->max_values) return 1;
  b->levels.emplace_back(value ? value : "NA");
  return 0;
}

int on_dim(const char*, rdata_type_t, void* data, long count, void* ctx) {
  auto* b = static_cast<Builder*>(ctx);
  b->dims.assign(static_cast<const std::int32_t*>(data), static_cast<const std::int32_t*>(data) + count);
  b->dim_names.clear();
  // librdata then calls on_dim_name once per row and column, without checking our return value: a damaged
  // dimension must stop the parse here, or it asks for up to 2^31 calls.
  std::size_t cells = 1;
  for (int d : b->dims) {
    if (d < 0 || static_cast<std::size_t>(d) > b->max_values) cells = b->max_values + 1;
    cells = std::min(cells * static_cast<std::size_t>(std::max(d, 0)), b->max_values + 1);
  }
  if (cells > b->max_values) {
    b->failure = "array dimensions larger than the file";
    return 1;
  }
  return 0;
}

int on_dim_name(const char* value, int, void* ctx) {
  auto* b = static_cast<Builder*>(ctx);
  if (b->dim_names.size() >= b->max_values) return 1;
  b->dim_names.emplace_back(value ? value : "");
  return 0;
}

// R's default column name V<i> (appended, not "V" + ...: g++ 12 warns falsely on that, -Wrestrict).
std::string v_name(std::size_t i) {
  std::string s = "V";
  s += std::to_string(i);
  return s;
}

double int_value(std::int32_t v) { return v == INT_MIN ? kNa : static_cast<double>(v); }

int add_column(const char* name, rdata_type_t type, void* data, long count, Builder* b) {
  // librdata announces a text column's length before reading its strings: a damaged length must not
  // allocate (each value takes at least 4 bytes of the file).
  if (count < 0 || static_cast<std::size_t>(count) > b->max_values) {
    b->failure =
        "a column of " + std::to_string(count) + " values in " + std::to_string(b->max_values * 4) + " bytes";
    return 1;
  }
  RFrame& f = b->frame();
  RColumn c;
  c.name = name ? name : "";
  const auto n = static_cast<std::size_t>(count);
  switch (type) {
    case RDATA_TYPE_STRING:
      c.kind = RKind::kString;
      c.strings.assign(n, std::nullopt);
      break;
    case RDATA_TYPE_INT32:
    case RDATA_TYPE_LOGICAL: {
      c.kind = type == RDATA_TYPE_LOGICAL ? RKind::kLogical : RKind::kInteger;
      const auto* v = static_cast<const std::int32_t*>(data);
      c.values.resize(n);
      for (std::size_t i = 0; i < n; ++i) c.values[i] = int_value(v[i]);
      if (type == RDATA_TYPE_INT32 && !b->levels.empty()) {
        c.kind = RKind::kFactor;
        c.levels = std::move(b->levels);
        const auto k = static_cast<double>(c.levels.size());
        for (double& x : c.values) {
          if (!std::isnan(x) && (x < 1 || x > k)) {
            b->failure = "factor code " + std::to_string(static_cast<long long>(x)) + " outside its " +
                         std::to_string(c.levels.size()) + " levels";
            return 1;
          }
        }
      }
      break;
    }
    default: {  // RDATA_TYPE_REAL, TIMESTAMP (seconds), DATE (days)
      c.kind = RKind::kNumeric;
      const auto* v = static_cast<const double*>(data);
      c.values.assign(v, v + n);
      break;
    }
  }
  b->levels.clear();
  // A numeric matrix (dim = rows × cols) becomes one column per matrix column.
  if (b->dims.size() == 2 && c.kind != RKind::kString && c.kind != RKind::kFactor && b->dims[0] >= 0 &&
      b->dims[1] > 0 && static_cast<std::size_t>(b->dims[0]) * static_cast<std::size_t>(b->dims[1]) == n) {
    const auto rows = static_cast<std::size_t>(b->dims[0]), cols = static_cast<std::size_t>(b->dims[1]);
    const bool named = b->dim_names.size() == rows + cols;
    for (std::size_t j = 0; j < cols; ++j) {
      RColumn m;
      m.kind = c.kind;
      m.name = named && !b->dim_names[rows + j].empty() ? b->dim_names[rows + j] : v_name(j + 1);
      m.values.assign(c.values.begin() + static_cast<long>(j * rows),
                      c.values.begin() + static_cast<long>((j + 1) * rows));
      f.columns.push_back(std::move(m));
    }
    b->dims.clear();
    b->dim_names.clear();
    return 0;
  }
  b->dims.clear();
  b->dim_names.clear();
  f.columns.push_back(std::move(c));
  b->string_column = type == RDATA_TYPE_STRING ? f.columns.size() - 1 : SIZE_MAX;
  return 0;
}

int on_column(const char* name, rdata_type_t type, void* data, long count, void* ctx) {
  auto* b = static_cast<Builder*>(ctx);
  try {  // no exception may cross librdata's C frames
    return add_column(name, type, data, count, b);
  } catch (const std::exception& e) {
    b->failure = std::string("out of memory (") + e.what() + ")";
    return 1;
  }
}

int on_text_value(const char* value, int index, void* ctx) {
  auto* b = static_cast<Builder*>(ctx);
  if (b->frames.empty() || b->string_column >= b->frames.back().columns.size()) return 0;
  RColumn& c = b->frames.back().columns[b->string_column];
  if (index < 0 || static_cast<std::size_t>(index) >= c.strings.size()) {
    b->failure = "a text value outside its column";
    return 1;
  }
  try {
    if (value) c.strings[static_cast<std::size_t>(index)] = value;
  } catch (const std::exception& e) {
    b->failure = std::string("out of memory (") + e.what() + ")";
    return 1;
  }
  return 0;
}

int on_column_name(const char* value, int index, void* ctx) {
  auto* b = static_cast<Builder*>(ctx);
  if (b->frames.empty()) return 0;
  auto& cols = b->frames.back().columns;
  if (index >= 0 && static_cast<std::size_t>(index) < cols.size() && value) {
    cols[static_cast<std::size_t>(index)].name = value;
  }
  return 0;
}

void on_error(const char* message, void* ctx) {
  if (message) static_cast<Builder*>(ctx)->librdata_message = message;
}

// A frame is usable when it has columns of one length; columns without a name get R's V1, V2, ...
bool tidy_frame(RFrame& f) {
  if (f.columns.empty()) return false;
  for (std::size_t j = 0; j < f.columns.size(); ++j) {
    if (f.columns[j].size() != f.columns.front().size()) return false;
    if (f.columns[j].name.empty()) f.columns[j].name = v_name(j + 1);
  }
  return true;
}

std::string object_list(const std::vector<RFrame>& frames) {
  std::string s;
  for (const auto& f : frames) s += (s.empty() ? "" : ", ") + f.name;
  return s;
}

// librdata on inflated bytes, in this process. The result, or librdata's reason for failing.
Result<std::vector<RFrame>> parse_here(std::string_view raw, const std::string& name) {
  MemoryIo io{raw, 0};
  Builder b;
  b.default_name = std::filesystem::path(name).stem().string();
  b.max_values = raw.size() / 4;
  std::unique_ptr<rdata_parser_t, void (*)(rdata_parser_t*)> p(rdata_parser_init(), rdata_parser_free);
  if (!p) return Status::internal(name + ": librdata failed to start");
  rdata_set_open_handler(p.get(), io_open);
  rdata_set_close_handler(p.get(), io_close);
  rdata_set_seek_handler(p.get(), io_seek);
  rdata_set_read_handler(p.get(), io_read);
  rdata_set_update_handler(p.get(), io_update);
  rdata_set_io_ctx(p.get(), &io);
  rdata_set_table_handler(p.get(), on_table);
  rdata_set_column_handler(p.get(), on_column);
  rdata_set_column_name_handler(p.get(), on_column_name);
  rdata_set_text_value_handler(p.get(), on_text_value);
  rdata_set_value_label_handler(p.get(), on_value_label);
  rdata_set_dim_handler(p.get(), on_dim);
  rdata_set_dim_name_handler(p.get(), on_dim_name);
  rdata_set_error_handler(p.get(), on_error);
  const rdata_error_t rc = rdata_parse(p.get(), name.c_str(), &b);
  if (rc != RDATA_OK) {
    std::string why = b.failure.empty() ? rdata_error_message(rc) : b.failure;
    if (!b.librdata_message.empty()) why += "; " + b.librdata_message;
    while (!why.empty() && std::isspace(static_cast<unsigned char>(why.back()))) why.pop_back();
    return Status::invalid(name + ": not a readable R data file (" + why + ")");
  }
  return std::move(b.frames);
}

// ---- Isolation ----------------------------------------------------------------------------------------
// librdata trusts lengths in the file: a damaged ALTREP sequence length in a format-3 file makes it write
// through a failed malloc (read_compact_intseq, librdata 0~20210223 and upstream as of 2024), which no
// callback can prevent. So the parse runs in a forked child that sends the frames back through a pipe; a
// child that dies makes the file an error, never a crash of this process.

void put(std::string& out, const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }
void put_u64(std::string& out, std::uint64_t v) { put(out, &v, sizeof v); }
void put_str(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

std::string encode(const Result<std::vector<RFrame>>& r) {
  std::string out;
  if (!r) {
    out += 'E';
    put_str(out, r.status().message());
    return out;
  }
  out += 'F';
  put_u64(out, r->size());
  for (const RFrame& f : *r) {
    put_str(out, f.name);
    put_u64(out, f.columns.size());
    for (const RColumn& c : f.columns) {
      put_str(out, c.name);
      put_u64(out, static_cast<std::uint64_t>(c.kind));
      put_u64(out, c.values.size());
      put(out, c.values.data(), c.values.size() * sizeof(double));
      put_u64(out, c.levels.size());
      for (const auto& l : c.levels) put_str(out, l);
      put_u64(out, c.strings.size());
      for (const auto& v : c.strings) {
        out += v ? '1' : '0';
        if (v) put_str(out, *v);
      }
    }
  }
  return out;
}

struct Decoder {
  std::string_view in;
  bool ok = true;
  bool take(void* p, std::size_t n) {
    if (!ok || in.size() < n) return ok = false;
    if (n == 0) return true;  // memcpy from an empty view's null data() is undefined, even for 0 bytes
    std::memcpy(p, in.data(), n);
    in.remove_prefix(n);
    return true;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  std::size_t count(std::size_t item_bytes) {  // a length that the remaining bytes can hold
    const std::uint64_t n = u64();
    if (n > in.size() / std::max<std::size_t>(item_bytes, 1)) ok = false;
    return ok ? static_cast<std::size_t>(n) : 0;
  }
  std::string str() {
    const std::size_t n = count(1);
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
};

Result<std::vector<RFrame>> decode(std::string_view bytes, const std::string& name) {
  Decoder d{bytes.substr(std::min<std::size_t>(1, bytes.size()))};
  if (!bytes.empty() && bytes[0] == 'E') return Status::invalid(d.str());
  std::vector<RFrame> frames(bytes.empty() || bytes[0] != 'F' ? 0 : d.count(16));
  for (RFrame& f : frames) {
    f.name = d.str();
    f.columns.resize(d.count(40));
    for (RColumn& c : f.columns) {
      c.name = d.str();
      c.kind = static_cast<RKind>(std::min<std::uint64_t>(d.u64(), 4));
      c.values.resize(d.count(sizeof(double)));
      d.take(c.values.data(), c.values.size() * sizeof(double));
      c.levels.resize(d.count(8));
      for (auto& l : c.levels) l = d.str();
      c.strings.resize(d.count(1));
      for (auto& v : c.strings) {
        char flag = 0;
        d.take(&flag, 1);
        if (flag == '1') v = d.str();
      }
    }
  }
  if (!d.ok || !d.in.empty() || bytes.empty() || bytes[0] != 'F')
    return Status::internal(name + ": the R data reader's child process sent a malformed answer");
  return frames;
}

Result<std::vector<RFrame>> parse_isolated(std::string_view raw, const std::string& name) {
  int fds[2];
  // Close-on-exec: a process that another thread starts meanwhile must not hold the pipe open.
  if (::pipe2(fds, O_CLOEXEC) != 0) return parse_here(raw, name);  // no pipe: parse here rather than fail
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return parse_here(raw, name);
  }
  if (pid == 0) {  // the child: parse, answer, exit without running the parent's exit handlers
    ::close(fds[0]);
    const std::string answer = encode(parse_here(raw, name));
    std::size_t sent = 0;
    while (sent < answer.size()) {
      const ssize_t w = ::write(fds[1], answer.data() + sent, answer.size() - sent);
      if (w <= 0) ::_exit(3);
      sent += static_cast<std::size_t>(w);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string answer;
  char buf[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fds[0], buf, sizeof buf);
    if (got > 0) {
      answer.append(buf, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    return Status::invalid(name + ": not a readable R data file (librdata died on it with signal " +
                           std::to_string(WTERMSIG(status)) + "; the file is damaged)");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::internal(name + ": the R data reader's child process failed");
  return decode(answer, name);
}

}  // namespace

const char* rkind_name(RKind k) {
  switch (k) {
    case RKind::kNumeric: return "numeric";
    case RKind::kInteger: return "integer";
    case RKind::kLogical: return "logical";
    case RKind::kFactor: return "factor";
    case RKind::kString: return "character";
  }
  return "?";
}

bool RColumn::missing(std::size_t row) const {
  return kind == RKind::kString ? !strings[row].has_value() : std::isnan(values[row]);
}

std::size_t RColumn::missing_count() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < size(); ++i) n += missing(i);
  return n;
}

const RColumn* RFrame::column(const std::string& wanted) const {
  for (const auto& c : columns)
    if (c.name == wanted) return &c;
  return nullptr;
}

bool is_rdata_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".rda" || ext == ".rdata" || ext == ".rds";
}

Result<std::vector<RFrame>> parse_rdata(std::string_view bytes, const std::string& name) {
  auto raw = inflate(bytes, name);
  if (!raw) return raw.status();
  if (!starts_with(*raw, "RDX") && !starts_with(*raw, "X\n")) {
    return Status::invalid(name +
                           ": not an R data file (expected an .rda workspace, 'RDX2'/'RDX3', or an .rds "
                           "object in R's XDR format, 'X\\n', after decompression)");
  }
  auto frames = parse_isolated(*raw, name);
  if (!frames) return frames.status();
  std::vector<RFrame> out;
  for (RFrame& f : *frames)
    if (tidy_frame(f)) out.push_back(std::move(f));
  if (out.empty()) return Status::invalid(name + ": holds no data frame or numeric matrix");
  return out;
}

Result<std::vector<RFrame>> read_rdata(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::not_found(path + ": no such file");
  if (std::filesystem::is_directory(path, ec))
    return Status::invalid(path + ": is a directory, not an R file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(path + ": cannot open");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::io_error(path + ": read error");
  return parse_rdata(bytes, path);
}

Result<RFrame> read_rdata_object(const std::string& path, const std::string& object) {
  auto frames = read_rdata(path);
  if (!frames) return frames.status();
  if (object.empty()) return std::move(frames->front());
  for (RFrame& f : *frames)
    if (f.name == object) return std::move(f);
  return Status::not_found(path + ": no data frame named '" + object + "' (the file holds " +
                           object_list(*frames) + ")");
}

}  // namespace actlab::data
