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
// User entries (user_catalog.hpp) are registered after the built-in ones, at any time and from any thread:
// from then on catalog(), find_entry(), catalog_names() and catalog_functions() see them like any other
// entry. An entry never moves once registered, so a `const CatalogEntry*` (as an Activation keeps) stays
// valid for the life of the process.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
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

// A snapshot of the catalog, or of any list of entries: the entries in order, as `const CatalogEntry&`. Cheap
// to copy (a shared, immutable list of pointers); later registrations do not change a snapshot taken before.
class CatalogView {
 public:
  using List = std::vector<const CatalogEntry*>;

  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CatalogEntry;
    using difference_type = std::ptrdiff_t;
    using pointer = const CatalogEntry*;
    using reference = const CatalogEntry&;
    Iterator() = default;
    explicit Iterator(List::const_iterator it) : it_(it) {}
    reference operator*() const { return **it_; }
    pointer operator->() const { return *it_; }
    Iterator& operator++() {
      ++it_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++it_;
      return old;
    }
    bool operator==(const Iterator&) const = default;

   private:
    List::const_iterator it_{};
  };

  CatalogView() : list_(std::make_shared<const List>()) {}
  explicit CatalogView(List entries) : list_(std::make_shared<const List>(std::move(entries))) {}
  explicit CatalogView(std::shared_ptr<const List> entries) : list_(std::move(entries)) {}

  std::size_t size() const { return list_->size(); }
  bool empty() const { return list_->empty(); }
  const CatalogEntry& operator[](std::size_t i) const { return *(*list_)[i]; }
  const CatalogEntry& front() const { return *list_->front(); }
  const CatalogEntry& back() const { return *list_->back(); }
  Iterator begin() const { return Iterator(list_->begin()); }
  Iterator end() const { return Iterator(list_->end()); }
  const List& pointers() const { return *list_; }

 private:
  std::shared_ptr<const List> list_;
};

// The built-in entries, then the registered user entries, as they stand now. Safe alongside registrations
// on other threads; the entries it shows never move or die.
CatalogView catalog();
// By canonical name or alias (case-insensitive; '-' reads as '_'). nullptr when there is none.
const CatalogEntry* find_entry(std::string_view name);
// find_entry() over any list of entries.
const CatalogEntry* find_entry_in(const CatalogView& entries, std::string_view name);
// Every canonical name and alias, for suggestions.
std::vector<std::string> catalog_names();

// Lets formulas call catalog entries: relu(x), repu(x, p=3), leaky_relu(x, 0.2) (positional params in order).
const FunctionResolver& catalog_functions();

// The same over any list of entries, looked up anew on every call (user_catalog.cpp checks a file's entries
// against the built-in ones and the entries before them, before anything is registered).
class EntryFunctions final : public FunctionResolver {
 public:
  using Entries = std::function<CatalogView()>;
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

// Registration, for user_catalog.cpp. `check` gets the catalog as it stands and returns the entries to append
// after it (or why not); it runs under the registration lock, so concurrent registrations see each other's
// entries and a name is never taken twice. Lookups go on meanwhile: they see the catalog without the new
// entries until all of them are appended at once.
using CheckNewEntries = std::function<Result<std::vector<CatalogEntry>>(const CatalogView& registered)>;
Status append_catalog_entries(const CheckNewEntries& check);
// Drops every user entry from the catalog (tests start over from the built-in entries). The entries stay in
// memory, so Activations made from them stay valid.
void remove_user_entries();

}  // namespace actlab::activations
