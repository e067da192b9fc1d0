#include "cli/args.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "search/storage.hpp"

namespace actlab::cli {

Result<double> parse_number(const std::string& flag, const std::string& text) {
  double v = 0.0;
  const char* b = text.data();
  const char* e = b + text.size();
  while (b < e && *b == ' ') ++b;
  if (b < e && *b == '+') ++b;
  auto [ptr, ec] = std::from_chars(b, e, v);
  if (b == e || ec != std::errc() || ptr != e) {
    return Status::invalid(flag + ": '" + text + "' is not a number");
  }
  return v;
}

Result<std::map<std::string, double>> parse_params(const std::vector<std::string>& items) {
  std::map<std::string, double> out;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::invalid("--param '" + item + "': expected NAME=VALUE, e.g. --param p=3");
    }
    const std::string name = item.substr(0, eq);
    auto v = parse_number("--param " + name, item.substr(eq + 1));
    if (!v) return v.status();
    if (!std::isfinite(*v)) return Status::invalid("--param " + name + ": the value must be finite");
    if (out.count(name)) return Status::invalid("--param " + name + ": given twice");
    out[name] = *v;
  }
  return out;
}

Result<std::vector<double>> parse_number_list(const std::string& flag, const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto v = parse_number(flag, item);
    if (!v) return v.status();
    out.push_back(*v);
  }
  if (out.empty()) return Status::invalid(flag + ": expected a comma-separated list of numbers");
  return out;
}

Result<std::pair<double, double>> parse_interval(const std::string& flag, const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos) return Status::invalid(flag + ": expected LO:HI, e.g. -5:5");
  auto lo = parse_number(flag, text.substr(0, colon));
  if (!lo) return lo.status();
  auto hi = parse_number(flag, text.substr(colon + 1));
  if (!hi) return hi.status();
  if (!(*lo < *hi) || !std::isfinite(*lo) || !std::isfinite(*hi)) {
    return Status::invalid(flag + ": '" + text + "' needs finite LO < HI");
  }
  return std::make_pair(*lo, *hi);
}

Result<std::vector<double>> parse_grid(const std::string& flag, const std::string& text) {
  if (text.find(':') == std::string::npos) return parse_number_list(flag, text);
  std::vector<std::string> parts;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ':')) parts.push_back(item);
  if (parts.size() != 3) return Status::invalid(flag + ": expected a list x1,x2,... or a grid a:b:n");
  auto a = parse_number(flag, parts[0]);
  if (!a) return a.status();
  auto b = parse_number(flag, parts[1]);
  if (!b) return b.status();
  auto n = parse_number(flag, parts[2]);
  if (!n) return n.status();
  // 10^4 points: each is a root find or a propagation to depth, and 10^6 ran for hours (docs/limits.md).
  if (*n < 1 || *n != std::trunc(*n) || *n > 1e4) {
    return Status::invalid(flag + ": the point count n in a:b:n must be a whole number from 1 to 10000");
  }
  const int count = static_cast<int>(*n);
  std::vector<double> out(count);
  for (int i = 0; i < count; ++i) out[i] = count == 1 ? *a : *a + (*b - *a) * i / (count - 1);
  return out;
}

std::vector<std::string> own_arguments() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string a; std::getline(in, a, '\0');) args.push_back(a);
  return args;
}

std::string shell_join(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./:=,@%+") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string own_command_line() {
  std::vector<std::string> args = own_arguments();
  for (std::string& a : args) a = search::mask_password(a);
  if (!args.empty()) args[0] = "actlab";
  return shell_join(args);
}

Json recorded(Json j) {
  if (!j.is_object()) return j;
  j["actlab_version"] = ACTLAB_VERSION;
  j["command"] = own_command_line();
  return j;
}

void print_recorded(const Json& j) { std::printf("%s\n", json_dump(recorded(j), true).c_str()); }

}  // namespace actlab::cli
