// The figures of `actlab act plot` and `actlab theory eoc | propagate | kernel | phase`: result value →
// report::Figure (plain data; report::render draws it). Kept apart from the commands so that tests can check
// what a figure holds — which points are in which series — without reading pixels (docs/theory.md, "Phase
// diagram and plots"; docs/catalog.md).
//
//   auto curve = theory::edge_of_chaos(g, sigma_bs).value();
//   report::Figure fig = eoc_figure("tanh", curve);   // stable q* as a line, unstable/marginal as markers
//   report::render(fig, "eoc.svg");
//
// Every figure labels its axes with the quantity and its symbol (σ_w, σ_b, K^(l), f′(x)), and keeps its key
// below the plot (report's house style).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.hpp"
#include "report/figure.hpp"
#include "theory/kernel_profile.hpp"
#include "theory/phase.hpp"
#include "theory/propagate.hpp"

namespace actlab::lab {

// Colours shared by the figures (#rrggbb).
inline constexpr const char* kUnstableColor = "#d62728";   // unstable q*: open red circles
inline constexpr const char* kMarginalColor = "#ff7f0e";   // marginal q* (|F′(q*)| = 1): orange markers
inline constexpr const char* kOrderedColor = "#dbe8f5";    // phase region: ordered (χ₁ < 1)
inline constexpr const char* kChaoticColor = "#fbe0c8";    // phase region: chaotic (χ₁ > 1)
inline constexpr const char* kDivergentColor = "#c8c8c8";  // phase region: q^l diverges (no q*)

// Key entries that tests (and readers) look for.
inline constexpr const char* kUnstableLabel = "unstable q* (|F′(q*)| > 1)";
inline constexpr const char* kMarginalLabel = "marginal q* (|F′(q*)| = 1)";
inline constexpr const char* kDivergentLabel = "q* diverges (no variance fixed point)";
inline constexpr const char* kOrderedLabel = "ordered (χ₁ < 1)";
inline constexpr const char* kChaoticLabel = "chaotic (χ₁ > 1)";

// σ_w on the EOC against σ_b. Per root (several EOC points at one σ_b are roots 1, 2, … in order of q*): the
// points whose q* is stable as a line with markers ("EOC, stable q*", or "EOC root r, stable q*"), broken
// where q* is not stable; every unstable point (any root) in one series of open circles (kUnstableLabel) and
// every marginal one in one series of markers (kMarginalLabel). Series without points are left out.
report::Figure eoc_figure(const std::string& spec, const theory::EocCurve& curve);

// The phase diagram over (σ_w², σ_b²): shaded regions (each grid point owns the rectangle between the
// midpoints to its neighbours; runs of one phase along σ_w are merged) for the ordered, chaotic and divergent
// points (kOrderedLabel, kChaoticLabel, kDivergentLabel; a phase without points has no series), the χ₁
// contours (0.5, 0.8, 1.25, 2, dashed) and c* contours (0.25, 0.5, 0.75) that cross the grid, and the EOC
// curve from the grid (stable q* as a line, unstable / marginal q* as markers, as eoc_figure). Errors: every
// grid point divergent (kInvalidArgument: lower σ_w).
Result<report::Figure> phase_figure(const std::string& name, const theory::PhaseGrid& grid);

// q^l/q⁰ and c^l against the layer l, with the line c = c* when the correlation fixed point is known.
report::Figure propagate_figure(const std::string& spec, const theory::PropagatePlan& plan,
                                const theory::Propagation& r);

// Two panels: K^(l) (left; log y when K spans more than a factor 100) and V/K² (right) against l; theory as
// lines and, when the profile has a Monte Carlo, its estimates as points with error bars of ± one standard
// error ("K (Monte Carlo, width n, M networks) ± SE").
report::Figure kernel_figure(const std::string& spec, const theory::KernelProfile& p);

// One activation's curve on a grid of x: f and its exact (symbolic) derivative f′.
struct ActivationCurve {
  std::string name{};
  std::vector<double> x{}, f{}, df{};
};

// f(x) in the left panel and, with_derivative, f′(x) in the right one (series "NAME" and "NAME′" in the
// same order, hence the same colours), both over xrange.
report::Figure activation_figure(const std::vector<ActivationCurve>& curves, std::pair<double, double> xrange,
                                 bool with_derivative);

}  // namespace actlab::lab
