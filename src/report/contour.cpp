// Marching squares on a rectilinear grid (see contour.hpp).
#include "report/contour.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace actlab::report {

std::vector<Polyline> contour(std::span<const double> x, std::span<const double> y, std::span<const double> v,
                              double level) {
  std::vector<Polyline> lines;
  const std::size_t nx = x.size(), ny = y.size();
  if (nx < 2 || ny < 2 || v.size() != nx * ny) return lines;
  auto at = [&](std::size_t i, std::size_t j) { return v[j * nx + i] - level; };
  for (std::size_t j = 0; j + 1 < ny; ++j) {
    for (std::size_t i = 0; i + 1 < nx; ++i) {
      // Corners counter-clockwise: (i,j), (i+1,j), (i+1,j+1), (i,j+1).
      const double cx[4] = {x[i], x[i + 1], x[i + 1], x[i]}, cy[4] = {y[j], y[j], y[j + 1], y[j + 1]};
      const double cv[4] = {at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)};
      if (std::isnan(cv[0]) || std::isnan(cv[1]) || std::isnan(cv[2]) || std::isnan(cv[3])) continue;
      std::vector<std::pair<double, double>> pts;  // crossings in edge order
      for (int e = 0; e < 4; ++e) {
        const int a = e, b = (e + 1) % 4;
        // A crossing where the signs differ; a corner exactly on the level counts as "≥ 0".
        if ((cv[a] >= 0) == (cv[b] >= 0)) continue;
        const double t = cv[a] / (cv[a] - cv[b]);
        pts.emplace_back(cx[a] + t * (cx[b] - cx[a]), cy[a] + t * (cy[b] - cy[a]));
      }
      if (pts.size() == 4) {
        // Saddle: the centre's sign says which pairs of crossings connect.
        const double centre = 0.25 * (cv[0] + cv[1] + cv[2] + cv[3]);
        if ((centre >= 0) != (cv[0] >= 0)) std::swap(pts[1], pts[3]);
      }
      for (std::size_t k = 0; k + 1 < pts.size(); k += 2) {
        lines.push_back({{pts[k].first, pts[k + 1].first}, {pts[k].second, pts[k + 1].second}});
      }
    }
  }
  return lines;
}

Series contour_series(const std::vector<Polyline>& lines, const std::string& label) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Series s{.label = label, .style = "lines"};
  for (const Polyline& p : lines) {
    s.x.insert(s.x.end(), p.x.begin(), p.x.end());
    s.y.insert(s.y.end(), p.y.begin(), p.y.end());
    s.x.push_back(kNaN);
    s.y.push_back(kNaN);
  }
  return s;
}

}  // namespace actlab::report
