// libFuzzer: IDX bytes, plain or gzip, read as a file (the gzip-aware reader and its size bounds), then
// parsed.
#include <cstddef>
#include <cstdint>

#include "data/idx.hpp"
#include "data/io.hpp"
#include "fuzz/memfile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  actlab::fuzz::MemFile f(data, size);
  if (!f.ok()) return 0;
  auto bytes = actlab::data::read_file(f.path());
  if (!bytes) return 0;
  static_cast<void>(actlab::data::parse_idx(*bytes, "fuzz.idx"));
  return 0;
}
