// libFuzzer: R data files (.rda / .RData, through librdata; docs/data.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "data/rdata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static_cast<void>(actlab::data::parse_rdata(bytes, "fuzz.rda"));
  return 0;
}
