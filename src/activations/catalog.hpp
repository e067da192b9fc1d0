// The activation catalog: one entry per activation, everything about it in one place (docs/catalog.md).
//
//   const CatalogEntry* e = find_entry("silu");          // aliases resolve: e->name == "swish"
//   for (const CatalogEntry& e : catalog()) if (e.in_menu) ...   // the 48-function à-la-carte menu
//
// An entry's formula is text in the formula language over x and its parameters; value, f' and f'' come from
// it (parse, then symbolic differentiation — see activation.hpp). Output range and kinks are declared as
// formulas in the parameters ("-alpha", "min_val, max_val"), so they stay exact for any parameter value;
// tests check every declaration against numerical estimates (properties.hpp), and every value against PyTorch
// (tests/golden/).
//
// Sources: PyTorch's definitions and defaults for the torch.nn modules and torch functions, the four "novel"
// functions of Sipper's à-la-carte menu (arXiv 2206.12166; docs/catalog.md), ACON (Ma et al., arXiv
// 2009.04759), Snake (Liu Ziyin et al., arXiv 2006.08195), Dik's tanh (MQL5 article 16515), RePU/MRePU (Kim &
// Kang, arXiv 2408.02697; docs/theory.md, "Effective theory").
//
// User entries (user_catalog.hpp) are registered after the built-in ones, at program start: from then on
// catalog(), find_entry(), catalog_names() and catalog_functions() see them like any other entry.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "activations/parser.hpp"

namespace actlab::activations {

struct ParamSpec {
  std::string name;
  double default_value = 0.0;
  bool learnable = false;  // trained with the network's weights (PReLU's a, ACON's p1/p2/beta, Snake's a)
};

// Activations that are not element-wise: they act on a whole row of features (dim=1 in PyTorch).
enum class RowOp { kNone, kSoftmax, kSoftmin, kLogSoftmax, kGumbelSoftmax };
// Activations whose training-mode output is random.
enum class Stochastic { kNone, kRrelu, kGumbel };

struct CatalogEntry {
  std::string name;  // canonical: lower case, words joined by '_'
  std::vector<std::string> aliases;
  std::string formula;  // element-wise formula over x and params (eval mode for stochastic ones)
  std::vector<ParamSpec> params;
  std::string range_lo = "-inf";  // formulas in the params; "-inf"/"inf" for unbounded
  std::string range_hi = "inf";
  // Points where f or a derivative is not continuous: formulas in the params separated by ',', or one of
  // "integers", "nonzero_integers", "half_integers" (for floor, trunc, round...). Empty: none.
  std::string kinks;
  bool monotone = false;  // non-decreasing or non-increasing on its domain, at the default params
  bool in_menu = false;   // one of the 48 functions of the à-la-carte menu
  RowOp row_op = RowOp::kNone;
  Stochastic stochastic = Stochastic::kNone;
  std::string reference;
  // User entries only (user_catalog.hpp): the catalog file the entry came from, and its free-text
  // description. Built-in entries leave both empty.
  std::string source;
  std::string description;
  // False when range, kinks and monotone were not declared (a user entry may leave them out): the declared
  // values above are then placeholders, and tools estimate the properties instead (properties.hpp).
  bool properties_declared = true;

  bool row_wise() const { return row_op != RowOp::kNone; }
  bool is_user() const { return !source.empty(); }
  bool has_learnable_params() const;
  const ParamSpec* find_param(std::string_view name) const;
};

// The built-in entries, then the registered user entries. Registering user entries (user_catalog.hpp) may
// move the vector: pointers and references into it taken before then are invalid afterwards.
const std::vector<CatalogEntry>& catalog();
// By canonical name or alias (case-insensitive; '-' reads as '_'). nullptr when there is none.
const CatalogEntry* find_entry(std::string_view name);
// find_entry() over any list of entries.
const CatalogEntry* find_entry_in(std::span<const CatalogEntry> entries, std::string_view name);
// Every canonical name and alias, for suggestions.
std::vector<std::string> catalog_names();

// Lets formulas call catalog entries: relu(x), repu(x, p=3), leaky_relu(x, 0.2) (positional params in order).
const FunctionResolver& catalog_functions();

// The same over any list of entries, looked up anew on every call (user_catalog.cpp checks a file's entries
// against the built-in ones and the entries before them, before anything is registered).
class EntryFunctions final : public FunctionResolver {
 public:
  using Entries = std::function<std::span<const CatalogEntry>()>;
  explicit EntryFunctions(Entries entries) : entries_(std::move(entries)) {}
  std::optional<Result<Expr>> call(std::string_view name, const std::vector<Expr>& positional,
                                   const NamedArgs& named) const override;
  std::vector<std::string> names() const override;

 private:
  Entries entries_;
};

// An entry's formula as a tree, its parameters left free. A user entry's formula may call other entries,
// which `functions` resolves (and inlines); built-in formulas call none.
Result<Expr> parse_entry_formula(const CatalogEntry& e,
                                 const FunctionResolver& functions = catalog_functions());

// Registration, for user_catalog.cpp: append entries (already checked) after the built-in ones; drop them
// all.
void append_catalog_entries(std::vector<CatalogEntry> entries);
void remove_user_entries();

}  // namespace actlab::activations
