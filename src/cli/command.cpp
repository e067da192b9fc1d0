#include "cli/command.hpp"

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace actlab::cli {

std::string flag_message(const Status& s, FlagNames flags) {
  const std::string& field = s.field();
  std::string m = s.message();
  if (field.empty()) return m;
  // The field where it starts a word ("--storage: storage: ..." after a caller's with_context("--storage")).
  auto at = m.find(field + ": ");
  while (at != std::string::npos && at > 0 && m[at - 1] != ' ') at = m.find(field + ": ", at + 1);
  if (at == std::string::npos) return m;
  std::string flag = "--" + field;
  // snake_case field → kebab-case flag; an entry of a map field ("param my_p") keeps its own name.
  for (std::size_t i = 0; i < flag.size() && flag[i] != ' '; ++i)
    if (flag[i] == '_') flag[i] = '-';
  for (const auto& [name, renamed] : flags)
    if (field == name) flag = renamed;
  return m.replace(at, field.size(), flag);
}

namespace {

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

}  // namespace

CLI::Option* bounded(CLI::Option* option, double lo, double hi) {
  return option->check(CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        const std::string range = "a number from " + number_text(lo) + " to " + number_text(hi);
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0') return "must be " + range + ", got '" + text + "'";
        if (!(v >= lo && v <= hi)) return "must be " + range + " (docs/limits.md), got " + text;
        return {};
      },
      "[" + number_text(lo) + ", " + number_text(hi) + "]"));
}

void check_seeds(CLI::App& app) {
  for (CLI::Option* o : app.get_options()) {
    if (!o->check_lname("seed")) continue;
    o->check(CLI::Validator(
        [](std::string& text) -> std::string {
          std::uint64_t v = 0;
          const char* end = text.data() + text.size();
          const auto [at, ec] = std::from_chars(text.data(), end, v);
          if (text.empty() || ec != std::errc() || at != end)
            return "must be a whole number from 0 to 18446744073709551615, got '" + text + "'";
          return {};
        },
        "SEED"));
  }
  for (CLI::App* sub : app.get_subcommands({})) check_seeds(*sub);
}

int finish(const Status& s, FlagNames flags) {
  if (s.is_ok()) return kExitOk;
  // Control characters from user data (an ANSI escape in a study name) are shown, not obeyed.
  std::string m;
  for (const unsigned char c : flag_message(s, flags)) {
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      m += buf;
    } else {
      m += static_cast<char>(c);
    }
  }
  std::fprintf(stderr, "actlab: error: %s\n", m.c_str());
  return s.is_bad_input() ? kExitBadInput : kExitFailure;
}

}  // namespace actlab::cli
