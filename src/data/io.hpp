// File input and output for the data readers, gzip-aware, whole or streamed.
//
//   auto bytes = data::read_file("digits.csv.gz");        // Result<std::string>, inflated
//   auto in = data::Reader::open("train-images-idx3-ubyte.gz");
//   char buf[4096];
//   auto got = in->read(buf, sizeof buf);                 // Result<std::size_t>; short only at the end
//   data::write_file("/tmp/a.idx.gz", bytes, {.gzip = true});
//
// A file that starts with the gzip magic 1f 8b is inflated (zlib), whatever its name; any other file is
// read as is. Streaming lets the IDX reader convert bytes to floats in cache-sized chunks instead of holding
// the whole inflated file (47 MB for Fashion-MNIST's training images) in memory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace actlab::data {

// True when `bytes` starts with the gzip magic 1f 8b.
bool is_gzip(std::string_view bytes);

// A sequential reader over a file (plain or gzip) or over bytes in memory.
class Reader {
 public:
  // Errors: missing file (not_found), unreadable file (io_error).
  static Result<Reader> open(const std::string& path);
  // Reads `bytes` (not copied: they must outlive the reader); `name` is used in messages.
  static Reader from_memory(std::string_view bytes, std::string name);

  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;
  ~Reader();

  // Up to n bytes into out; fewer only at the end of the data. Errors: corrupt or truncated gzip data
  // (invalid, naming the file and the uncompressed offset).
  Result<std::size_t> read(char* out, std::size_t n);
  // Uncompressed bytes delivered so far.
  std::size_t offset() const { return offset_; }
  const std::string& name() const { return name_; }

 private:
  Reader() = default;
  struct Gz;
  std::unique_ptr<Gz> gz_;
  std::string_view memory_;
  std::string name_;
  std::size_t offset_ = 0;
};

// The whole file, inflated when it is gzip.
Result<std::string> read_file(const std::string& path);

struct WriteOptions {
  bool gzip = false;  // deflate the bytes (gzip format, default level)
};
Status write_file(const std::string& path, std::string_view bytes, const WriteOptions& options = {});

}  // namespace actlab::data
