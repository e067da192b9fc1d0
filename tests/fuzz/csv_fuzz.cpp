// libFuzzer: CSV text → Dataset (docs/data.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "data/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static_cast<void>(actlab::data::parse_csv(text, "fuzz.csv"));
  return 0;
}
