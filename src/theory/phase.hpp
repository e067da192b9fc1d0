// Where an activation's phases lie: the edge-of-chaos curve σ_b → σ_w and the phase diagram, χ₁ and c* over a
// (σ_w, σ_b) grid (Poole et al., NeurIPS 2016, arXiv 1606.05340; Schoenholz et al., ICLR 2017,
// arXiv 1611.01232; docs/theory.md, "Phase diagram and plots"). The values behind `actlab theory eoc` and
// `actlab theory phase`.
//
//   auto act = activations::Activation::make("tanh").value();
//   auto g = GaussianIntegrator::make(act).value();
//   std::vector<double> sb = {0.2};
//   auto curve = edge_of_chaos(g, sb).value();      // curve.rows[0].points[0].sigma_w = 1.30414584
//   std::vector<double> sw = {0.5, 1, 1.5, 2, 2.5}, sbs = {0, 0.2, 0.4, 0.6};
//   auto grid = phase_grid(g, sw, sbs).value();      // 20 points, row-major in σ_b; grid.eoc on a finer σ_b
//   grid grid.points[3].chi1;  grid.counts().chaotic;  grid.to_json();
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::theory {

// The EOC points at each asked σ_b (eoc_curve), for `theory eoc`.
struct EocCurve {
  std::vector<EocRow> rows;  // one per σ_b, in the order asked; a row without points: no EOC at that σ_b

  // {"points": [{sigma_b, sigma_w, q_star, chi1, dF_dq, stable, beta_q, xi_q, q_free}, ...] (every root),
  //  "sigma_b_without_eoc": [σ_b, ...]}; xi_q = depth_scale(F'(q*)) or null.
  Json to_json() const;
};

// eoc_curve over sigma_bs, with at least one EOC point somewhere. Errors: an empty list or a σ_b < 0 (field
// "sigma_b"); no EOC point at any σ_b: eoc_points' own message for the first σ_b (kNotFound; ReLU-like φ say
// that their only EOC point is σ_b = 0).
Result<EocCurve> edge_of_chaos(const GaussianIntegrator& g, std::span<const double> sigma_bs);

// One grid point of the phase diagram: the fixed point reached from q⁰ = 1 and its phase.
struct PhasePoint {
  double sigma_w = 0.0;
  double sigma_b = 0.0;
  std::optional<double> q_star;  // absent where q^l diverges (ReLU-like φ above σ_w = √2)
  std::optional<double> chi1;    // χ₁ at q*; absent where q^l diverges
  std::optional<double>
      c_star;  // c* (correlation_fixed_point without χ_c); absent where divergent or not found
  std::optional<Phase> phase;  // absent: "divergent"
};

struct PhaseCounts {
  std::size_t ordered = 0, edge = 0, chaotic = 0, divergent = 0;
};

struct PhaseGrid {
  std::vector<double> sigma_w;     // nx weight scales, as asked
  std::vector<double> sigma_b;     // ny bias scales, as asked
  std::vector<PhasePoint> points;  // row-major: points[j·nx + i] at (sigma_w[i], sigma_b[j])
  // The EOC curve: every root of eoc_curve on 4(ny − 1) + 1 evenly spaced σ_b from sigma_b.front() to
  // sigma_b.back(), in order.
  std::vector<EocPoint> eoc;

  // χ₁ and c* per point in the order of points, NaN where absent: the values to contour.
  std::vector<double> chi1_values() const;
  std::vector<double> c_star_values() const;
  PhaseCounts counts() const;
  // {"sigma_w": [...], "sigma_b": [...], "grid": [{sigma_w, sigma_b, q_star, chi1, c_star, phase}, ...]
  //  (null values and phase "divergent" where q^l diverges), "eoc": [{sigma_b, sigma_w, q_star, stable},
  //  ...]}.
  Json to_json() const;
};

// Largest number of grid points phase_grid accepts.
constexpr std::size_t kMaxPhaseGridPoints = 10000;

// The phase diagram over sigma_ws × sigma_bs: at each point q* = variance_fixed_point(g, {σ_w, σ_b}) from
// q⁰ = 1, χ₁ there, c* = correlation_fixed_point(…, with_chi_c = false) and the phase (from c*'s phase, or
// from χ₁ when c* is not found). Cost: one fixed point and one Hermite series per point, plus the EOC curve.
// Errors (bad input, naming the field): a σ_w ≤ 0 or non-finite ("sigma_w"), a σ_b < 0 or non-finite
// ("sigma_b"), fewer than 2 values of either, more than kMaxPhaseGridPoints points ("sigma_w"); the EOC
// curve's errors.
Result<PhaseGrid> phase_grid(const GaussianIntegrator& g, std::span<const double> sigma_ws,
                             std::span<const double> sigma_bs);

}  // namespace actlab::theory
