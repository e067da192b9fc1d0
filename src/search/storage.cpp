#include "search/storage.hpp"

#include <cstdlib>

#include "search/postgres_storage.hpp"
#include "search/sql_storage.hpp"
#include "search/sqlite_storage.hpp"

namespace actlab::search {

namespace {

// user:secret@ → user:***@
std::string mask_userinfo(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const auto at = url.find('@', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

std::string mask_password(const std::string& url) {
  std::string out = mask_userinfo(url);
  // ?password=secret, &password=secret (libpq reads connection parameters from the query string too)
  const auto q = out.find('?');
  if (q == std::string::npos) return out;
  for (auto p = out.find("password=", q); p != std::string::npos; p = out.find("password=", p + 9)) {
    if (out[p - 1] != '?' && out[p - 1] != '&') continue;
    const auto end = out.find('&', p + 9);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - (p + 9), "***");
  }
  return out;
}

Result<std::unique_ptr<Storage>> open_storage(const std::string& url, OpenMode mode) {
  const std::string masked = mask_password(url);
  const auto starts = [&](const char* p) { return url.rfind(p, 0) == 0; };
  if (starts("postgresql://") || starts("postgres://")) {
    auto conn = open_postgres(url, mode);
    if (!conn) return conn.status();
    return SqlStorage::open(std::move(*conn), mode);
  }
  if (starts("sqlite:")) {
    std::string rest = url.substr(7);
    if (rest.rfind("//", 0) == 0) {
      rest = rest.substr(2);
      if (rest.empty() || rest[0] != '/') {
        return Status::invalid_field(
            "storage",
            "'" + masked + "': write sqlite:///absolute/path.db (three slashes) or sqlite:relative/path.db");
      }
    }
    int busy_ms = 60000;
    if (const auto q = rest.find('?'); q != std::string::npos) {
      const std::string query = rest.substr(q + 1);
      rest = rest.substr(0, q);
      const std::string key = "busy_timeout_ms=";
      char* end = nullptr;
      const long v = query.rfind(key, 0) == 0 ? std::strtol(query.c_str() + key.size(), &end, 10) : -1;
      if (v < 0 || !end || *end != '\0') {
        return Status::invalid_field("storage", "'" + masked + "': the only option is ?busy_timeout_ms=N");
      }
      busy_ms = static_cast<int>(v);
    }
    auto conn = open_sqlite(rest, busy_ms, mode, masked);
    if (!conn) return conn.status();
    return SqlStorage::open(std::move(*conn), mode);
  }
  return Status::invalid_field("storage", "'" + masked +
                                              "' is not a storage URL; expected sqlite:///path/study.db or "
                                              "postgresql://user@host:port/dbname");
}

}  // namespace actlab::search
