// Properties of an element-wise activation, found from its expression: output range, monotonicity, kinks and
// smoothness class. The catalog declares these for its entries; the estimates here serve formulas, and the
// tests check the two against each other for the whole catalog.
//
//   Expr f = parse_formula("max(0, x)^3").value();
//   auto kinks = find_kinks(f);            // {0}
//   int c = smoothness(f, kinks);          // 2: C² (the third derivative jumps at 0)
//   Range r = estimate_range(f);           // [0, inf]
//
// Method (docs/formula-language.md, "Properties"):
//   - kinks: every selector node (comparison, max, min, abs, sign, floor, ...) is evaluated on a grid of
//     step 1e-3 over the window; where it changes value, bisection locates the switch point to ~1e-15; the
//     point is a kink if f or one of its first kMaxOrder derivatives jumps there (left/right values at
//     ±1e-7 differ). Kinks of order above kMaxOrder (repu with p ≥ 7) and switch points closer than the
//     grid step are missed.
//   - range: f on a grid of step 1e-3 over [-20, 20], then geometric out to ±1e8; an interior extreme that
//     grows under 1000× refinement is a pole (unbounded); an extreme at the outermost point that still
//     grows between ±1e7 and ±1e8 is unbounded. NaN points (outside the domain) are ignored.
//   - monotone: the values on the same grid never decrease, or never increase.
#pragma once

#include <span>
#include <vector>

#include "activations/catalog.hpp"
#include "activations/expr.hpp"

namespace actlab::activations {

constexpr int kMaxOrder = 6;
constexpr int kSmoothInfinite = 1000;  // smoothness() of a function with no kinks
constexpr int kDiscontinuous = -1;     // smoothness() when f itself jumps

struct Range {
  double lo, hi;  // ±inf when unbounded
};

std::vector<double> find_kinks(const Expr& f, double lo = -20.0, double hi = 20.0);
// The k in C^k: the largest k such that f and its first k derivatives are continuous at every kink.
int smoothness(const Expr& f, std::span<const double> kinks);
// First derivative order (0 = the value) that jumps at t, or -1 when none up to kMaxOrder does.
int jump_order(const Expr& f, double t);
Range estimate_range(const Expr& f);
bool estimate_monotone(const Expr& f);
// The sample points used by estimate_range and estimate_monotone, sorted.
const std::vector<double>& property_grid();

// Declared metadata of a catalog entry at the given parameter values (formulas in the params, see
// catalog.hpp).
Result<Range> declared_range(const CatalogEntry& e, std::span<const std::pair<std::string, double>> params);
// Declared kinks inside [lo, hi]; a pattern ("integers", ...) expands to its points in the window.
Result<std::vector<double>> declared_kinks(const CatalogEntry& e,
                                           std::span<const std::pair<std::string, double>> params,
                                           double lo = -20.0, double hi = 20.0);

// "discontinuous", "C0", "C1", ..., "C-inf" (no kinks: smooth wherever defined).
std::string smoothness_name(int k);

}  // namespace actlab::activations
