// libFuzzer: ONNX model bytes → DeepReluNet (docs/shallow.md).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "shallow/onnx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::uint8_t> bytes(data, data + size);
  static_cast<void>(actlab::shallow::parse_onnx(bytes, "fuzz.onnx"));
  return 0;
}
