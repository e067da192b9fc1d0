// Contour lines of a function sampled on a rectilinear grid (marching squares): pure geometry, grid →
// polylines. Used by `actlab theory phase` for the χ₁ and c* level sets (docs/theory.md, "Phase diagram and
// plots").
//
//   std::vector<double> x = {0, 0.5, 1}, y = {0, 0.5, 1}, v;      // v[j·nx + i] at (x[i], y[j])
//   for (double yy : y) for (double xx : x) v.push_back(xx + yy);
//   auto lines = report::contour(x, y, v, 1.0);                   // pieces of the line x + y = 1
//   Series s = report::contour_series(lines, "v = 1");            // for a Figure: pieces split by NaN points
//
// Method: each grid cell is visited once (rows of y outer, x inner); where the sign of v − level differs
// between two corners of an edge, the crossing is placed by linear interpolation along that edge; a corner
// exactly on the level counts as "≥ 0". A cell with 2 crossings gives one segment; a saddle cell (4
// crossings) gives two, paired by the sign of the cell-centre average. Cells with a NaN corner are skipped.
// Segments are not joined: every polyline returned has exactly two points.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "report/figure.hpp"

namespace actlab::report {

struct Polyline {
  std::vector<double> x, y;
};

// The level set v = level of v on the grid x (nx values) × y (ny values), v row-major: v[j·nx + i] at
// (x[i], y[j]). Empty when nx < 2, ny < 2 or v.size() ≠ nx·ny.
std::vector<Polyline> contour(std::span<const double> x, std::span<const double> y, std::span<const double> v,
                              double level);

// The polylines as one Series (style "lines"): each polyline's points followed by a NaN point, so gnuplot
// draws the pieces unconnected.
Series contour_series(const std::vector<Polyline>& lines, const std::string& label);

}  // namespace actlab::report
