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
// functions of Sipper's à-la-carte menu (../shared/specs/search-alacarte-evolution.md §1.1), ACON (Ma et al.,
// arXiv 2009.04759), Snake (Liu Ziyin et al., arXiv 2006.08195), Dik's tanh (MQL5 article 16515), RePU/MRePU
// (Kim & Kang, arXiv 2408.02697; ../shared/specs/theory-effective-repu-mrepu.md §1).
#pragma once

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

  bool row_wise() const { return row_op != RowOp::kNone; }
  bool has_learnable_params() const;
  const ParamSpec* find_param(std::string_view name) const;
};

const std::vector<CatalogEntry>& catalog();
// By canonical name or alias (case-insensitive; '-' reads as '_'). nullptr when there is none.
const CatalogEntry* find_entry(std::string_view name);
// Every canonical name and alias, for suggestions.
std::vector<std::string> catalog_names();

// Lets formulas call catalog entries: relu(x), repu(x, p=3), leaky_relu(x, 0.2) (positional params in order).
const FunctionResolver& catalog_functions();

}  // namespace actlab::activations
