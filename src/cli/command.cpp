#include "cli/command.hpp"

#include <cstdio>

namespace actlab::cli {

std::string flag_message(const Status& s, FlagNames flags) {
  const std::string& field = s.field();
  std::string m = s.message();
  if (field.empty()) return m;
  const auto at = m.find(field + ": ");
  if (at == std::string::npos) return m;
  std::string flag = "--" + field;
  for (char& c : flag)
    if (c == '_') c = '-';
  for (const auto& [name, renamed] : flags)
    if (field == name) flag = renamed;
  return m.replace(at, field.size(), flag);
}

int finish(const Status& s, FlagNames flags) {
  if (s.is_ok()) return kExitOk;
  std::fprintf(stderr, "actlab: error: %s\n", flag_message(s, flags).c_str());
  return s.is_bad_input() ? kExitBadInput : kExitFailure;
}

}  // namespace actlab::cli
