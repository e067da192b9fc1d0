// User catalogs: activations kept in a JSON file (evolved ones, or your own), registered after the built-in
// entries so that every command takes them by name (docs/catalog.md, "User catalog").
//
//   if (Status s = load_user_catalog("my.json"); !s) return s;   // at any time, from any thread
//   auto a = Activation::make("evo_fmnist_1");                   // now a catalog name like any other
//   auto b = Activation::make("evo_fmnist_1(x) + 0.1*x");        // and callable from formulas
//
//   UserEntry e{.name = "evo_2", .formula = "max(relu(x), tanh(x))",
//               .reference = "actlab evolve ... seed 2"};
//   Status saved = save_user_entry("my.json", e);   // adds it, or replaces the entry of that name
//
// The file (version 1):
//
//   {"format": "actlab-catalog", "version": 1,
//    "entries": [{"name": "evo_fmnist_1",                       required
//                 "formula": "max(relu(x), tanh(x))",           required; x and the params
//                 "description": "...", "reference": "...",      optional text
//                 "params": [{"name": "beta", "default": 1.0, "learnable": false}],   optional
//                 "range": ["0", "inf"], "kinks": "0", "monotone": true}]}   optional: all three or none
//
// Rules: a name is an identifier in lower case (a-z, 0-9, '_', starting with a letter) and clashes with no
// built-in entry, alias, built-in function or constant of the formula language, and no other user entry. A
// formula may call the built-in entries and the entries before it in the file (so there are no cycles). range
// and kinks are formulas in the params, as in catalog.hpp; when they are left out, tools estimate them.
// Unknown keys are errors (a typo must not pass silently).
//
// Errors name the file, and for an entry its index and name: "my.json:4:30: entries[1] \"evo_2\": formula:
// unknown function 'rleu'; did you mean 'relu'?". JSON syntax errors and formula errors carry the line:column
// in the file (a formula written with JSON escapes gets its column within the formula instead).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "activations/catalog.hpp"
#include "core/status.hpp"

namespace actlab::activations {

// Declared properties of a user entry, with the meaning of the CatalogEntry fields of the same names.
// ("= {}" everywhere: designated initializers may leave any member out without a warning.)
struct DeclaredProperties {
  std::string range_lo = "-inf";
  std::string range_hi = "inf";
  std::string kinks = {};
  bool monotone = false;
};

struct UserEntry {
  std::string name = {};
  std::string formula = {};
  std::string description = {};
  std::string reference = {};
  std::vector<ParamSpec> params = {};
  std::optional<DeclaredProperties> properties = {};  // none: estimated where needed (properties.hpp)
};

// Reads and checks a catalog file: its JSON, the format, and every entry (name, params, formula, properties)
// against the built-in entries and the entries before it in the file. Registers nothing. A missing file is
// kNotFound; anything wrong inside it is kInvalidArgument.
Result<std::vector<UserEntry>> read_user_catalog(const std::string& path);

// Checks the entries in order, as read_user_catalog() does and also against the user entries registered
// already, then appends them to the catalog: all of them, or none when one fails. `source` is where they came
// from (a file path; CatalogEntry::source), named in messages and by `actlab act list`. Safe from any thread
// and at any time: registrations are serialised, lookups go on meanwhile, and entries registered earlier (and
// the Activations made from them) are left where they are (catalog.hpp).
Status register_user_entries(const std::vector<UserEntry>& entries, const std::string& source);

// read_user_catalog(path), then register_user_entries(entries, path), in one pass: the file's formulas may
// also call user entries registered before it.
Status load_user_catalog(const std::string& path);

// Adds `e` to the catalog file at `path`, or replaces the entry of the same name where it stands. Creates the
// file (and its folder) when missing; refuses to touch a file that does not read as a catalog. The whole new
// file is checked first (e calls only built-in entries and entries before its place), then written to a
// temporary file beside it and renamed over it, so readers see the old file or the new one, never half of
// one. Registers nothing.
Status save_user_entry(const std::string& path, const UserEntry& e);

// The catalog entry a user entry becomes (source: where it came from). No checks.
CatalogEntry to_catalog_entry(const UserEntry& e, const std::string& source);

}  // namespace actlab::activations
