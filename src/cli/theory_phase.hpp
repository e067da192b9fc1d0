// actlab theory phase — the mean-field phase diagram of an activation (specs/theory-edge-of-chaos.md §1
// "Phases", §4.5 "phase diagram", §6 "Phase diagrams"): χ₁ and c* over a (σ_w², σ_b²) grid, drawn as
// contour lines with the EOC curve (χ₁ = 1) overlaid.
//
//   actlab theory phase tanh --out phase.png --sigma-w 0.5:3:26 --sigma-b 0:1:11 --json
//
// Each grid point: q* by variance_fixed_point from q⁰ = 1 (null where q^l diverges: ReLU above √2),
// χ₁ there, c* by correlation_fixed_point (1 in the ordered phase). The EOC curve comes from eoc_curve over a
// 4× finer σ_b grid. Contours are traced by marching squares on the grid, with the grid's own points in
// (σ_w², σ_b²) as the cell corners.
#pragma once

#include <string>
#include <vector>

#include "report/figure.hpp"

namespace actlab::cli {

// Marching squares on a rectilinear grid: x (nx), y (ny), v row-major v[j·nx + i] at (x[i], y[j]). Returns
// the segments where v = level (linear interpolation along cell edges) as one Series: every segment is two
// points followed by a NaN point, so gnuplot draws the pieces unconnected. Cells with a NaN corner are
// skipped. A saddle cell (4 crossings) is resolved by the cell-centre average.
report::Series contour_lines(const std::vector<double>& x, const std::vector<double>& y,
                             const std::vector<double>& v, double level, const std::string& label);

// The `theory phase` subcommand; returns the exit code.
int run_phase(const std::string& spec, const std::vector<std::string>& params, const std::string& out,
              const std::string& sigma_w_text, const std::string& sigma_b_text, bool json);

}  // namespace actlab::cli
