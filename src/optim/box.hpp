// Box bounds for population optimisers and the two ways of bringing a coordinate back inside: Dik's clamp
// (SeInDiSp) and reflection (docs/optimizers.md, "Effective domain and weight boxes").
//
//   Box box = Box::uniform(4, -2.0, 2.0);                       // [-2, 2]^4, continuous
//   double a = clamp_into(2.7, -2, 2);                          // 2     (stuck on the bound)
//   double b = reflect_into(2.7, -2, 2);                        // 1.3   (the overshoot turned inward)
//   double c = bring_inside(2.7, box, 0, Boundary::kReflect);   // 1.3
//
// Reflection, closed form for w in [L, U], W = U − L (equal to Dik's "mirror up to 10 times" idiom of
// AO_ECOi for every w, and never needing its random fallback):
//   d = fmod(w − L, 2W), d += 2W if d < 0;   w' = L + (d ≤ W ? d : 2W − d)
// so w' = 2U − w for U < w ≤ U + W and w' = 2L − w for L − W ≤ w < L; farther overshoots fold again.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace actlab::optim {

enum class Boundary { kClamp, kReflect };

// "clamp" | "reflect".
Result<Boundary> parse_boundary(std::string_view name);
std::string boundary_name(Boundary b);

// Per-coordinate search box: lo[k] < hi[k], and a grid step (0: continuous), Dik's rangeMin/Max/Step.
struct Box {
  std::vector<double> lo, hi, step;

  static Box uniform(std::size_t dims, double lo, double hi, double step = 0.0);
  std::size_t dims() const { return lo.size(); }
  // Same sizes, finite lo < hi, finite step ≥ 0.
  Status validate() const;
  bool contains(std::size_t k, double v) const { return v >= lo[k] && v <= hi[k]; }
};

// SeInDiSp: x ≤ lo → lo; x ≥ hi → hi; otherwise x, snapped to lo + step·round((x − lo)/step) when step > 0
// (and kept ≤ hi). A NaN comes back as the midpoint.
double clamp_into(double x, double lo, double hi, double step = 0.0);

// The closed-form reflection above, for any finite x; the result is always in [lo, hi] (the last rounding
// is clamped). A NaN or infinite x comes back as the midpoint.
double reflect_into(double x, double lo, double hi);

// Coordinate k of `box`: clamp_into, or reflect_into followed by the grid snap.
double bring_inside(double x, const Box& box, std::size_t k, Boundary how);

}  // namespace actlab::optim
