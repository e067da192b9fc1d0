#include "cli/command.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "cli/args.hpp"

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
  if (field == "workers") flag = "--threads";  // one vocabulary (docs/cli.md); --workers is its alias
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

std::string nearest_name(const std::string& got, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = 3;
  for (const std::string& n : names) {
    // Optimal string alignment distance, rows of the dynamic programme kept three at a time.
    const std::size_t a = got.size(), b = n.size();
    std::vector<std::size_t> prev2(b + 1), prev(b + 1), cur(b + 1);
    for (std::size_t j = 0; j <= b; ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a; ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= b; ++j) {
        const std::size_t cost = got[i - 1] == n[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        if (i > 1 && j > 1 && got[i - 1] == n[j - 2] && got[i - 2] == n[j - 1])
          cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
      prev2.swap(prev);
      prev.swap(cur);
    }
    const std::size_t d = prev[b];
    if (d < best_d && d < got.size()) {
      best_d = d;
      best = n;
    }
  }
  return best;
}

const std::vector<std::string> kInitSchemes = {"torch",      "he",       "glorot",  "lecun",
                                               "orthogonal", "gaussian", "critical"};

CLI::Option* one_of(CLI::Option* option, std::vector<std::string> names, bool params) {
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  return option->check(CLI::Validator(
      [names, list, params](std::string& text) -> std::string {
        const std::string head = params ? text.substr(0, text.find(':')) : text;
        if (std::find(names.begin(), names.end(), head) != names.end()) return {};
        std::string m = "'" + head + "' is not one of " + list;
        if (const std::string near = nearest_name(head, names); !near.empty())
          m += " (did you mean '" + near + "'?)";
        return m;
      },
      "{" + list + "}"));
}

std::string parse_error_text(CLI::App& app, const CLI::ParseError& e) {
  std::string m = e.what();
  const bool extras = dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr;
  const bool no_command =
      dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && m.find("subcommand") != std::string::npos;
  if (!extras && !no_command) return m;
  // The command being parsed: the deepest subcommand given.
  CLI::App* at = &app;
  for (bool deeper = true; deeper;) {
    deeper = false;
    for (CLI::App* sub : at->get_subcommands()) {
      at = sub;
      deeper = true;
      break;
    }
  }
  std::vector<std::string> flags, commands;
  for (const CLI::Option* o : at->get_options())
    for (const std::string& n : o->get_lnames()) flags.push_back("--" + n);
  for (const CLI::App* sub : at->get_subcommands({})) commands.push_back(sub->get_name());
  // The words to place: those the message lists (unexpected arguments), or for a missing subcommand the
  // command line's words after the command.
  std::vector<std::string> words;
  if (extras) {
    std::istringstream in(m.substr(m.find(':') == std::string::npos ? m.size() : m.find(':') + 1));
    for (std::string w; in >> w;) words.push_back(w);
  } else {
    const std::vector<std::string> args = own_arguments();
    auto it = args.empty() ? args.end() : args.begin() + 1;
    if (at != &app) it = std::find(it, args.end(), at->get_name());
    if (it != args.end() && at != &app) ++it;
    words.assign(it, args.end());
  }
  for (const std::string& w : words) {
    const bool flag = w.rfind("--", 0) == 0;
    if (!flag && w.rfind('-', 0) == 0) continue;
    const std::string near = nearest_name(flag ? w.substr(0, w.find('=')) : w, flag ? flags : commands);
    if (!near.empty())
      return m + (extras ? "" : ", and '" + w + "' is not one") + " (did you mean '" + near + "'?)";
  }
  return m;
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
