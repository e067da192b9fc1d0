// libFuzzer: study storage URLs as the CLI meets them (docs/search.md): masking the password for messages,
// and opening read-only, which parses the URL and refuses what it cannot open (no file is created).
#include <cstddef>
#include <cstdint>
#include <string>

#include "search/storage.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string url(reinterpret_cast<const char*>(data), size);
  static_cast<void>(actlab::search::mask_password(url));
  // Only sqlite URLs are opened: a postgresql:// URL would try the network.
  if (url.rfind("sqlite:", 0) == 0 && url.find('\0') == std::string::npos)
    static_cast<void>(actlab::search::open_storage(url, actlab::search::OpenMode::kReadOnly));
  return 0;
}
