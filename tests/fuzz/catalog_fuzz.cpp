// libFuzzer: user catalog files (JSON entries whose formulas may call earlier entries; docs/catalog.md).
#include <cstddef>
#include <cstdint>

#include "activations/user_catalog.hpp"
#include "core/json.hpp"
#include "fuzz/memfile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  actlab::fuzz::MemFile f(data, size);
  if (!f.ok()) return 0;
  try {
    static_cast<void>(actlab::activations::read_user_catalog(f.path()));
  } catch (const actlab::Json::exception&) {
    // main() turns it into exit 2 (docs/limits.md); not a crash.
  }
  return 0;
}
