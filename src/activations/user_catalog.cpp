// Reading, checking, registering and saving user catalog files (format in user_catalog.hpp).
#include "activations/user_catalog.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "activations/properties.hpp"
#include "core/file_io.hpp"
#include "core/json.hpp"

namespace actlab::activations {
namespace {

constexpr char kFormat[] = "actlab-catalog";
constexpr int kVersion = 1;
// Names of the formula language that are not functions: the input and the constants.
const std::vector<std::string> kReservedNames = {"x", "pi", "e", "inf", "nan"};

// 1-based line:column of the byte at `offset`.
std::string line_col(const std::string& text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

Result<std::string> read_text(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::not_found(path + ": no such catalog file");
  constexpr std::size_t kMaxCatalogBytes = std::size_t{64} << 20;  // docs/limits.md
  auto text = read_file_bounded(path, kMaxCatalogBytes);
  if (!text && text.status().code() != StatusCode::kInvalidArgument) {
    return Status::io_error(path + ": cannot read the catalog file");
  }
  return text;
}

Result<Json> parse_json(const std::string& path, const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann reports the byte (1-based) where it gave up, and says what it expected after the position.
    const std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    const std::size_t at = what.find("parse error");
    const std::size_t colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
    what = colon == std::string::npos ? "malformed JSON" : "malformed JSON: " + what.substr(colon + 2);
    return Status::invalid(path + ":" + line_col(text, byte) + ": " + what);
  }
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

Status only_keys(const Json& j, const std::vector<std::string>& allowed, const std::string& where) {
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return Status::invalid(where + ": unknown key \"" + key + "\" (known: " + join(allowed) + ")");
    }
  }
  return {};
}

Result<std::string> optional_string(const Json& j, const char* key, const std::string& where) {
  if (!j.contains(key)) return std::string();
  if (!j[key].is_string()) return Status::invalid(where + ": \"" + key + "\" must be a string");
  return j[key].get<std::string>();
}

// A range end: a formula in the params (string), a number, or null for unbounded.
Result<std::string> range_end(const Json& j, const char* unbounded, const std::string& where) {
  if (j.is_null()) return std::string(unbounded);
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number()) return json_dump(j, false);
  return Status::invalid(where + ": \"range\" ends must be formulas (strings), numbers or null");
}

// The shape of one entry; names and formulas are checked later, in context (check_entries).
Result<UserEntry> entry_from_json(const Json& j, const std::string& where) {
  if (!j.is_object()) return Status::invalid(where + ": an entry must be a JSON object");
  if (!j.contains("name") || !j["name"].is_string()) {
    return Status::invalid(where + ": \"name\" is required, a string");
  }
  UserEntry e;
  e.name = j["name"].get<std::string>();
  const std::string at = where + " \"" + e.name + "\"";
  if (Status s = only_keys(
          j, {"name", "formula", "description", "reference", "params", "range", "kinks", "monotone"}, at);
      !s) {
    return s;
  }
  if (!j.contains("formula") || !j["formula"].is_string()) {
    return Status::invalid(at + ": \"formula\" is required, a string");
  }
  e.formula = j["formula"].get<std::string>();
  auto description = optional_string(j, "description", at);
  if (!description) return description.status();
  e.description = *description;
  auto reference = optional_string(j, "reference", at);
  if (!reference) return reference.status();
  e.reference = *reference;
  if (j.contains("params")) {
    if (!j["params"].is_array()) return Status::invalid(at + ": \"params\" must be an array of objects");
    for (std::size_t k = 0; k < j["params"].size(); ++k) {
      const Json& p = j["params"][k];
      const std::string pw = at + ": params[" + std::to_string(k) + "]";
      if (!p.is_object() || !p.contains("name") || !p["name"].is_string()) {
        return Status::invalid(pw + ": a parameter is an object with a string \"name\"");
      }
      if (Status s = only_keys(p, {"name", "default", "learnable"}, pw); !s) return s;
      ParamSpec spec;
      spec.name = p["name"].get<std::string>();
      if (p.contains("default")) {
        if (!p["default"].is_number() || !std::isfinite(p["default"].get<double>())) {
          return Status::invalid(pw + ": \"default\" must be a finite number");
        }
        spec.default_value = p["default"].get<double>();
      }
      if (p.contains("learnable")) {
        if (!p["learnable"].is_boolean())
          return Status::invalid(pw + ": \"learnable\" must be true or false");
        spec.learnable = p["learnable"].get<bool>();
      }
      e.params.push_back(std::move(spec));
    }
  }
  const int declared = static_cast<int>(j.contains("range")) + static_cast<int>(j.contains("kinks")) +
                       static_cast<int>(j.contains("monotone"));
  if (declared > 0 && declared < 3) {
    return Status::invalid(at +
                           ": \"range\", \"kinks\" and \"monotone\" are declared together, or not at all");
  }
  if (declared == 3) {
    DeclaredProperties d;
    if (!j["range"].is_array() || j["range"].size() != 2) {
      return Status::invalid(at + ": \"range\" must be [lo, hi]");
    }
    auto lo = range_end(j["range"][0], "-inf", at);
    if (!lo) return lo.status();
    auto hi = range_end(j["range"][1], "inf", at);
    if (!hi) return hi.status();
    d.range_lo = *lo;
    d.range_hi = *hi;
    if (!j["kinks"].is_string()) {
      return Status::invalid(at + ": \"kinks\" must be a string: formulas separated by ',', or a pattern");
    }
    d.kinks = j["kinks"].get<std::string>();
    if (!j["monotone"].is_boolean()) return Status::invalid(at + ": \"monotone\" must be true or false");
    d.monotone = j["monotone"].get<bool>();
    e.properties = d;
  }
  return e;
}

// The file as JSON, its format checked, and its entries' shapes.
Result<std::vector<UserEntry>> entries_from_json(const Json& j, const std::string& path) {
  if (!j.is_object()) return Status::invalid(path + ": a catalog file is a JSON object");
  if (Status s = only_keys(j, {"format", "version", "entries"}, path); !s) return s;
  if (!j.contains("format") || j["format"] != kFormat) {
    return Status::invalid(path + ": not an actlab catalog (\"format\" must be \"" + kFormat + "\")");
  }
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<int>() != kVersion) {
    return Status::invalid(path + ": unsupported catalog \"version\" (this actlab reads version " +
                           std::to_string(kVersion) + ")");
  }
  if (!j.contains("entries") || !j["entries"].is_array()) {
    return Status::invalid(path + ": \"entries\" must be an array");
  }
  std::vector<UserEntry> out;
  for (std::size_t i = 0; i < j["entries"].size(); ++i) {
    auto e = entry_from_json(j["entries"][i], path + ": entries[" + std::to_string(i) + "]");
    if (!e) return e.status();
    out.push_back(std::move(*e));
  }
  return out;
}

struct CatalogFile {
  std::string text;
  std::vector<UserEntry> entries;  // their shapes checked, not yet their names and formulas
};

Result<CatalogFile> read_file(const std::string& path) {
  auto text = read_text(path);
  if (!text) return text.status();
  auto j = parse_json(path, *text);
  if (!j) return j.status();
  auto entries = entries_from_json(*j, path);
  if (!entries) return entries.status();
  return CatalogFile{std::move(*text), std::move(*entries)};
}

bool is_name(const std::string& s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// Why `name` cannot be used (empty: it can). scope: the entries visible so far.
std::string name_problem(const std::string& name, const CatalogView& scope) {
  if (!is_name(name)) return "not a valid name (lower case letters, digits and '_', starting with a letter)";
  const auto& b = builtin_names();
  if (std::find(b.begin(), b.end(), name) != b.end()) {
    return "clashes with the built-in function " + name + "() of the formula language";
  }
  if (std::find(kReservedNames.begin(), kReservedNames.end(), name) != kReservedNames.end()) {
    return "clashes with the formula language's '" + name + "'";
  }
  if (const CatalogEntry* e = find_entry_in(scope, name)) {
    const std::string what = e->name == name ? "the" : "an alias of the";
    if (e->is_user()) return "clashes with " + what + " user entry " + e->name + " (from " + e->source + ")";
    return "clashes with " + what + " built-in entry " + e->name;
  }
  return "";
}

// Line and column in `text` of the first character of the `nth` (0-based) "formula" value spelled exactly as
// `formula` (without JSON escapes), or nullopt.
std::optional<std::pair<int, int>> locate_formula(const std::string& text, const std::string& formula,
                                                  int nth) {
  const std::string key = "\"formula\"";
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    std::size_t i = at + key.size();
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || text[i] != ':') continue;
    ++i;
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= text.size() || text[i] != '"') continue;
    ++i;
    if (text.compare(i, formula.size(), formula) != 0 || i + formula.size() >= text.size() ||
        text[i + formula.size()] != '"') {
      continue;
    }
    if (nth-- > 0) continue;
    const std::string lc = line_col(text, i);
    const std::size_t colon = lc.find(':');
    return std::make_pair(std::stoi(lc.substr(0, colon)), std::stoi(lc.substr(colon + 1)));
  }
  return std::nullopt;
}

// Checks `entries` in order against `scope` (the entries visible before them) and each other. `text`: the
// file they were read from, for line:column of formula errors (empty: columns within the formula).
Result<std::vector<CatalogEntry>> check_entries(const std::vector<UserEntry>& entries,
                                                const CatalogView& before, const std::string& source,
                                                const std::string& text) {
  std::deque<CatalogEntry> checked;  // appending never moves an element: `scope` points into it
  CatalogView::List scope = before.pointers();
  const EntryFunctions functions([&scope] { return CatalogView(scope); });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const UserEntry& u = entries[i];
    const std::string where = "entries[" + std::to_string(i) + "] \"" + u.name + "\"";
    auto fail = [&](const std::string& msg) { return Status::invalid(source + ": " + where + ": " + msg); };
    if (std::string why = name_problem(u.name, CatalogView(scope)); !why.empty())
      return fail("the name " + why);
    std::set<std::string> seen;
    for (const ParamSpec& p : u.params) {
      const auto& b = builtin_names();
      if (!is_name(p.name) || std::find(b.begin(), b.end(), p.name) != b.end() ||
          std::find(kReservedNames.begin(), kReservedNames.end(), p.name) != kReservedNames.end()) {
        return fail("parameter '" + p.name +
                    "' needs a name of its own (lower case identifier, not x, a constant or a built-in "
                    "function)");
      }
      if (!seen.insert(p.name).second) return fail("parameter '" + p.name + "' appears twice");
    }
    CatalogEntry e = to_catalog_entry(u, source);
    // Where the formula sits in the file, so the parser's line:column is the file's.
    int nth = 0;
    for (std::size_t k = 0; k < i; ++k) nth += entries[k].formula == u.formula ? 1 : 0;
    const auto pos = text.empty() ? std::nullopt : locate_formula(text, u.formula, nth);
    std::vector<std::string> names;
    for (const ParamSpec& p : u.params) names.push_back(p.name);
    auto body = parse_formula(u.formula, {.functions = &functions,
                                          .parameters = names,
                                          .line = pos ? pos->first : 1,
                                          .first_column = pos ? pos->second : 1});
    if (!body) {
      const std::string& m = body.status().message();
      if (!pos) return fail("formula " + m);
      // The parser's message starts "line:col: ": move the position next to the file name.
      const std::size_t sep = m.find(": ");
      return Status::invalid(source + ":" + m.substr(0, sep) + ": " + where +
                             ": formula: " + (sep == std::string::npos ? m : m.substr(sep + 2)));
    }
    if (e.properties_declared) {
      std::vector<std::pair<std::string, double>> defaults;
      for (const ParamSpec& p : e.params) defaults.emplace_back(p.name, p.default_value);
      if (auto r = declared_range(e, defaults); !r) return fail("range: " + r.status().message());
      if (auto k = declared_kinks(e, defaults); !k) return fail("kinks: " + k.status().message());
    }
    checked.push_back(std::move(e));
    scope.push_back(&checked.back());
  }
  return std::vector<CatalogEntry>(std::make_move_iterator(checked.begin()),
                                   std::make_move_iterator(checked.end()));
}

CatalogView builtin_scope() {
  CatalogView::List s;
  for (const CatalogEntry& e : catalog()) {
    if (!e.is_user()) s.push_back(&e);
  }
  return CatalogView(std::move(s));
}

Json to_json(const UserEntry& e) {
  Json j;
  j["name"] = e.name;
  j["formula"] = e.formula;
  if (!e.description.empty()) j["description"] = e.description;
  if (!e.reference.empty()) j["reference"] = e.reference;
  if (!e.params.empty()) {
    j["params"] = Json::array();
    for (const ParamSpec& p : e.params) {
      j["params"].push_back({{"name", p.name}, {"default", p.default_value}, {"learnable", p.learnable}});
    }
  }
  if (e.properties) {
    j["range"] = {e.properties->range_lo, e.properties->range_hi};
    j["kinks"] = e.properties->kinks;
    j["monotone"] = e.properties->monotone;
  }
  return j;
}

// Write `text` to a temporary file in path's folder, then rename it over `path`.
Status write_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(folder, ec);
  if (ec)
    return Status::io_error(path + ": cannot create the folder " + folder.string() + ": " + ec.message());
  if (Status s = write_file_atomic(path, text); !s) {
    return Status::io_error(s.message() + ": cannot write the catalog file");
  }
  return {};
}

}  // namespace

CatalogEntry to_catalog_entry(const UserEntry& u, const std::string& source) {
  CatalogEntry e;
  e.name = u.name;
  e.formula = u.formula;
  e.params = u.params;
  e.reference = u.reference;
  e.description = u.description;
  e.source = source;
  e.properties_declared = u.properties.has_value();
  if (u.properties) {
    e.range_lo = u.properties->range_lo;
    e.range_hi = u.properties->range_hi;
    e.kinks = u.properties->kinks;
    e.monotone = u.properties->monotone;
  }
  return e;
}

Result<std::vector<UserEntry>> read_user_catalog(const std::string& path) {
  auto file = read_file(path);
  if (!file) return file.status();
  if (auto checked = check_entries(file->entries, builtin_scope(), path, file->text); !checked) {
    return checked.status();
  }
  return std::move(file->entries);
}

Status register_user_entries(const std::vector<UserEntry>& entries, const std::string& source) {
  return append_catalog_entries([&](const CatalogView& registered) {
    return check_entries(entries, registered, source.empty() ? "(user entries)" : source, "");
  });
}

Status load_user_catalog(const std::string& path) {
  auto file = read_file(path);
  if (!file) return file.status();
  // Checked once, against everything registered so far, with the file's text for line:column.
  return append_catalog_entries([&](const CatalogView& registered) {
    return check_entries(file->entries, registered, path, file->text);
  });
}

Status save_user_entry(const std::string& path, const UserEntry& e) {
  std::vector<UserEntry> entries;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto file = read_file(path);
    if (!file) return file.status();
    entries = std::move(file->entries);
  }
  auto same =
      std::find_if(entries.begin(), entries.end(), [&](const UserEntry& u) { return u.name == e.name; });
  if (same != entries.end()) {
    *same = e;
  } else {
    entries.push_back(e);
  }
  if (auto checked = check_entries(entries, builtin_scope(), path, ""); !checked) return checked.status();
  Json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["entries"] = Json::array();
  for (const UserEntry& u : entries) j["entries"].push_back(to_json(u));
  return write_atomically(path, json_dump(j, /*pretty=*/true) + "\n");
}

}  // namespace actlab::activations
