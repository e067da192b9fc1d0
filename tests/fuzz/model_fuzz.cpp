// libFuzzer: model files (JSON) → nn::Model (docs/training.md).
#include <cstddef>
#include <cstdint>

#include "core/json.hpp"
#include "nn/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const actlab::Json j = actlab::Json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    static_cast<void>(actlab::nn::model_from_json<float>(j, "fuzz.json"));
  } catch (const actlab::Json::exception&) {
    // A value of the wrong JSON type: main() turns it into exit 2 (docs/limits.md); not a crash.
  }
  return 0;
}
