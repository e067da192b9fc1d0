#include "data/idx.hpp"

#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "data/io.hpp"

namespace actlab::data {
namespace {

// A parsed header: where the elements start and what they are.
struct IdxHeader {
  std::uint8_t type = 0;
  std::vector<std::uint32_t> dims;
  std::size_t offset = 0;  // first element byte
  std::size_t count = 0;   // number of elements
};

int element_size(std::uint8_t type) {
  switch (type) {
    case 0x08:
    case 0x09: return 1;
    case 0x0B: return 2;
    case 0x0C:
    case 0x0D: return 4;
    case 0x0E: return 8;
    default: return 0;
  }
}

std::uint32_t be32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
}

std::string hex(unsigned v, int digits) {
  static const char* kDigits = "0123456789abcdef";
  std::string s = "0x";
  for (int i = digits - 1; i >= 0; --i) s += kDigits[(v >> (4 * i)) & 0xF];
  return s;
}

std::string shape_text(const std::vector<std::uint32_t>& dims) {
  std::string s;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (i) s += 'x';
    s += std::to_string(dims[i]);
  }
  return s;
}

Result<IdxHeader> read_header(Reader& in) {
  const std::string& file = in.name();
  unsigned char u[4 * 256];
  auto got = in.read(reinterpret_cast<char*>(u), 4);
  if (!got) return got.status();
  if (*got < 4) {
    return Status::invalid(file + ": truncated IDX header: the file has " + std::to_string(*got) +
                           " bytes, the magic number alone needs 4");
  }
  if (u[0] != 0 || u[1] != 0) {
    return Status::invalid(file + ": not an IDX file: magic " + hex(be32(u), 8) +
                           " at byte 0 (expected 00 00 <type> <dimensions>)");
  }
  IdxHeader h;
  h.type = u[2];
  if (element_size(h.type) == 0) {
    return Status::invalid(file + ": unknown IDX element type " + hex(h.type, 2) +
                           " at byte 2 (expected 08, 09, 0b, 0c, 0d or 0e)");
  }
  const int d = u[3];
  if (d == 0) return Status::invalid(file + ": IDX array with 0 dimensions (byte 3)");
  h.offset = 4 + 4 * static_cast<std::size_t>(d);
  got = in.read(reinterpret_cast<char*>(u), 4 * static_cast<std::size_t>(d));
  if (!got) return got.status();
  if (*got < 4 * static_cast<std::size_t>(d)) {
    return Status::invalid(file + ": truncated IDX header: " + std::to_string(d) + " dimensions need " +
                           std::to_string(h.offset) + " header bytes, the file has " +
                           std::to_string(4 + *got));
  }
  std::uint64_t count = 1;
  for (int i = 0; i < d; ++i) {
    h.dims.push_back(be32(u + 4 * i));
    count *= h.dims.back();
    if (count > (std::uint64_t{1} << 40)) {
      return Status::invalid(file + ": IDX dimensions " + shape_text(h.dims) + " are implausibly large");
    }
  }
  h.count = static_cast<std::size_t>(count);
  return h;
}

// Decodes n elements of `type` from raw bytes into out[0..n), multiplied by `scale`.
void decode(const unsigned char* u, std::size_t n, std::uint8_t type, float scale, float* out) {
  switch (type) {
    case 0x08:
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(u[i]) * scale;
      break;
    case 0x09:
      for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<float>(static_cast<std::int8_t>(u[i])) * scale;
      break;
    case 0x0B:
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<float>(static_cast<std::int16_t>(u[2 * i] << 8 | u[2 * i + 1])) * scale;
      }
      break;
    case 0x0C:
      for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<float>(static_cast<std::int32_t>(be32(u + 4 * i))) * scale;
      }
      break;
    case 0x0D:
      for (std::size_t i = 0; i < n; ++i) out[i] = std::bit_cast<float>(be32(u + 4 * i)) * scale;
      break;
    case 0x0E:
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t v = static_cast<std::uint64_t>(be32(u + 8 * i)) << 32 | be32(u + 8 * i + 4);
        out[i] = static_cast<float>(std::bit_cast<double>(v)) * scale;
      }
      break;
    default: break;
  }
}

// Streams the elements after the header into out[0..h.count), in chunks that stay in cache, then checks
// that the file ends exactly there.
Status read_elements(Reader& in, const IdxHeader& h, float scale, float* out) {
  const std::size_t esize = static_cast<std::size_t>(element_size(h.type));
  constexpr std::size_t kChunk = 1u << 16;  // elements per chunk
  std::vector<unsigned char> buf(kChunk * esize);
  const std::size_t need = h.offset + h.count * esize;
  for (std::size_t done = 0; done < h.count;) {
    const std::size_t n = std::min(kChunk, h.count - done);
    auto got = in.read(reinterpret_cast<char*>(buf.data()), n * esize);
    if (!got) return got.status();
    if (*got < n * esize) {
      return Status::invalid(in.name() + ": truncated IDX data: dimensions " + shape_text(h.dims) + " need " +
                             std::to_string(need) + " bytes, the file ends at byte " +
                             std::to_string(in.offset()));
    }
    decode(buf.data(), n, h.type, scale, out + done);
    done += n;
  }
  std::size_t extra = 0;
  for (;;) {
    auto got = in.read(reinterpret_cast<char*>(buf.data()), buf.size());
    if (!got) return got.status();
    extra += *got;
    if (*got < buf.size()) break;
  }
  if (extra > 0) {
    return Status::invalid(in.name() + ": mis-sized IDX file: dimensions " + shape_text(h.dims) +
                           " end the data at byte " + std::to_string(need) + ", the file has " +
                           std::to_string(extra) + " more bytes");
  }
  return Status::ok();
}

struct Loaded {
  Reader in;
  IdxHeader header;
  std::string file;
};

// The sizes a header declares, checked against the bytes that can follow it before anything is allocated
// (docs/limits.md): a plain file must hold them; deflate expands at most 1032:1, so a gzip file of B bytes
// holds at most 1032·B. A 9-byte header claiming 2^40 elements is an error, not a 1.4 GB zero-fill.
Status check_declared(const IdxHeader& h, std::uint64_t file_bytes, bool gzip, const std::string& file) {
  const double need = static_cast<double>(h.offset) +
                      static_cast<double>(h.count) * static_cast<double>(element_size(h.type));
  const double can = gzip ? 1032.0 * static_cast<double>(file_bytes) : static_cast<double>(file_bytes);
  if (need > can) {
    const std::string bytes = std::to_string(static_cast<std::uint64_t>(need));
    if (!gzip) {  // the words read_elements uses when it meets the end
      return Status::invalid(file + ": truncated IDX data: dimensions " + shape_text(h.dims) + " need " +
                             bytes + " bytes, the file ends at byte " + std::to_string(file_bytes));
    }
    return Status::invalid(file + ": truncated IDX data: dimensions " + shape_text(h.dims) + " need " +
                           bytes + " bytes, more than a gzip file of " + std::to_string(file_bytes) +
                           " bytes can hold (1032 per byte)");
  }
  return Status::ok();
}

Result<Loaded> open_idx(const std::string& path) {
  auto in = Reader::open(path);
  if (!in) return in.status();
  auto h = read_header(*in);
  if (!h) return h.status();
  std::error_code ec;
  const auto file_bytes = std::filesystem::file_size(path, ec);
  if (!ec) {
    unsigned char magic[2] = {0, 0};
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      if (std::fread(magic, 1, 2, f) != 2) magic[0] = 0;
      std::fclose(f);
    }
    const bool gzip = magic[0] == 0x1f && magic[1] == 0x8b;
    if (Status s = check_declared(*h, file_bytes, gzip, path); !s) return s;
  }
  return Loaded{std::move(*in), std::move(*h), path};
}

// Checks an images/labels pair and returns the per-sample shape.
Result<std::vector<int>> check_pair(const Loaded& im, const Loaded& lb) {
  if (lb.header.dims.size() != 1) {
    return Status::invalid(lb.file + ": labels must be one-dimensional, the file has dimensions " +
                           shape_text(lb.header.dims));
  }
  if (lb.header.type == 0x0D || lb.header.type == 0x0E) {
    return Status::invalid(lb.file + ": labels must be integers, the file holds floats (type " +
                           hex(lb.header.type, 2) + ")");
  }
  if (lb.header.dims[0] != im.header.dims[0]) {
    return Status::invalid(lb.file + ": " + std::to_string(lb.header.dims[0]) +
                           " labels (dimension 0), but " + im.file + " has " +
                           std::to_string(im.header.dims[0]) + " images (dimension 0)");
  }
  const auto& d = im.header.dims;
  switch (d.size()) {
    case 1: return std::vector<int>{1};
    case 2: return std::vector<int>{static_cast<int>(d[1])};
    case 3: return std::vector<int>{1, static_cast<int>(d[1]), static_cast<int>(d[2])};
    case 4: return std::vector<int>{static_cast<int>(d[1]), static_cast<int>(d[2]), static_cast<int>(d[3])};
    default:
      return Status::invalid(im.file + ": images with " + std::to_string(d.size()) +
                             " dimensions; expected 2 to 4 (n, [C,] H, W)");
  }
}

// Appends the labels of `lb` to `labels`, checking each is a class index.
Status take_labels(Loaded& lb, std::vector<int>& labels) {
  std::vector<float> v(lb.header.count);
  if (auto s = read_elements(lb.in, lb.header, 1.0f, v.data()); !s) return s;
  const std::size_t esize = static_cast<std::size_t>(element_size(lb.header.type));
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!(v[i] >= 0) || v[i] > 1e6f) {
      return Status::invalid(lb.file + ": label " + std::to_string(static_cast<long long>(v[i])) +
                             " at byte " + std::to_string(lb.header.offset + i * esize) +
                             " is not a class index");
    }
    labels.push_back(static_cast<int>(v[i]));
  }
  return Status::ok();
}

// Fashion-MNIST's matrix is 220 MB: faulting it in 4 KiB pages costs a third of the load time on VMs where
// page faults are slow. Where transparent huge pages are on "madvise", ask for them (a hint; failures are
// harmless).
void prefer_huge_pages(void* data, std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

float image_scale(const IdxHeader& h) { return h.type == 0x08 ? 1.0f / 255.0f : 1.0f; }

// Builds the data set from (images, labels) pairs, rows in order. The headers are read first, so the matrix
// is allocated once and every file is converted straight into it.
Result<Dataset> assemble(std::vector<std::pair<Loaded, Loaded>>& parts, const std::string& name) {
  std::vector<int> shape;
  std::size_t rows = 0;
  for (const auto& [im, lb] : parts) {
    auto s = check_pair(im, lb);
    if (!s) return s.status();
    if (!shape.empty() && *s != shape) {
      return Status::invalid(im.file + ": image shape " + shape_text(im.header.dims) + " differs from " +
                             parts.front().first.file + "'s " + shape_text(parts.front().first.header.dims));
    }
    shape = *s;
    rows += im.header.dims[0];
  }
  Dataset ds;
  ds.name = name;
  ds.source = name;
  ds.input_shape = shape;
  std::size_t d = 1;
  for (int s : shape) d *= static_cast<std::size_t>(s);
  ds.x.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(d));
  prefer_huge_pages(ds.x.data(), static_cast<std::size_t>(ds.x.size()) * sizeof(float));
  ds.labels.reserve(rows);
  std::size_t row = 0;
  for (auto& [im, lb] : parts) {
    if (auto s = read_elements(im.in, im.header, image_scale(im.header), ds.x.data() + row * d); !s) return s;
    if (auto s = take_labels(lb, ds.labels); !s) return s;
    row += im.header.dims[0];
  }
  int classes = 0;
  for (int l : ds.labels) classes = std::max(classes, l + 1);
  for (int c = 0; c < classes; ++c) ds.class_names.push_back(std::to_string(c));
  ds.feature_names.reserve(d);
  for (std::size_t j = 0; j < d; ++j) ds.feature_names.emplace_back(1, 'x').append(std::to_string(j));
  if (parts.size() == 2) ds.test_start = parts.front().first.header.dims[0];
  return ds;
}

// The first of `dir`/<stem><suffix> that exists, for the usual spellings and suffixes.
std::optional<std::string> find_file(const std::filesystem::path& dir, const std::string& prefix,
                                     const std::string& kind) {
  for (const char* sep : {"-", "."}) {
    for (const char* suffix : {"", ".gz"}) {
      const auto p = dir / (prefix + sep + kind + suffix);
      std::error_code ec;
      if (std::filesystem::is_regular_file(p, ec)) return p.string();
    }
  }
  return std::nullopt;
}

}  // namespace

Result<IdxArray> parse_idx(std::string_view bytes, const std::string& file) {
  Reader in = Reader::from_memory(bytes, file);
  auto h = read_header(in);
  if (!h) return h.status();
  if (Status s = check_declared(*h, bytes.size(), false, file); !s) return s;
  IdxArray a;
  a.type = h->type;
  a.dims = h->dims;
  a.values.resize(h->count);
  if (auto s = read_elements(in, *h, 1.0f, a.values.data()); !s) return s;
  return a;
}

std::string encode_idx(const IdxArray& a) {
  std::string out;
  out += '\0';
  out += '\0';
  out += static_cast<char>(a.type);
  out += static_cast<char>(a.dims.size());
  auto put32 = [&out](std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out += static_cast<char>((v >> s) & 0xFF);
  };
  for (std::uint32_t d : a.dims) put32(d);
  for (float v : a.values) {
    switch (a.type) {
      case 0x08:
      case 0x09: out += static_cast<char>(static_cast<int>(v)); break;
      case 0x0B: {
        const auto s = static_cast<std::uint16_t>(static_cast<std::int16_t>(v));
        out += static_cast<char>(s >> 8);
        out += static_cast<char>(s & 0xFF);
        break;
      }
      case 0x0C: put32(static_cast<std::uint32_t>(static_cast<std::int32_t>(v))); break;
      case 0x0D: put32(std::bit_cast<std::uint32_t>(v)); break;
      case 0x0E: {
        const auto u = std::bit_cast<std::uint64_t>(static_cast<double>(v));
        put32(static_cast<std::uint32_t>(u >> 32));
        put32(static_cast<std::uint32_t>(u));
        break;
      }
      default: break;
    }
  }
  return out;
}

Result<Dataset> read_idx(const std::string& images_path, const std::string& labels_path) {
  auto im = open_idx(images_path);
  if (!im) return im.status();
  auto lb = open_idx(labels_path);
  if (!lb) return lb.status();
  std::vector<std::pair<Loaded, Loaded>> parts;
  parts.emplace_back(std::move(*im), std::move(*lb));
  return assemble(parts, images_path);
}

Result<Dataset> read_idx_dir(const std::string& dir) {
  const std::filesystem::path d(dir);
  const auto train_im = find_file(d, "train-images", "idx3-ubyte");
  const auto train_lb = find_file(d, "train-labels", "idx1-ubyte");
  if (!train_im || !train_lb) {
    return Status::not_found(dir + ": no IDX training files (expected train-images-idx3-ubyte[.gz] and " +
                             "train-labels-idx1-ubyte[.gz])");
  }
  const auto test_im = find_file(d, "t10k-images", "idx3-ubyte");
  const auto test_lb = find_file(d, "t10k-labels", "idx1-ubyte");
  if (test_im.has_value() != test_lb.has_value()) {
    return Status::not_found(dir + ": " + (test_im ? *test_im : *test_lb) + " has no matching t10k " +
                             (test_im ? "labels" : "images") + " file");
  }
  std::vector<std::pair<Loaded, Loaded>> parts;
  std::vector<std::pair<std::string, std::string>> paths{{*train_im, *train_lb}};
  if (test_im) paths.emplace_back(*test_im, *test_lb);
  for (const auto& [ip, lp] : paths) {
    auto im = open_idx(ip);
    if (!im) return im.status();
    auto lb = open_idx(lp);
    if (!lb) return lb.status();
    parts.emplace_back(std::move(*im), std::move(*lb));
  }
  return assemble(parts, dir);
}

}  // namespace actlab::data
