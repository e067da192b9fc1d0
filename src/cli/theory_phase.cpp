// actlab theory phase: χ₁ and c* over a (σ_w², σ_b²) grid (see theory_phase.hpp).
#include "cli/theory_phase.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::cli {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

report::Series contour_lines(const std::vector<double>& x, const std::vector<double>& y,
                             const std::vector<double>& v, double level, const std::string& label) {
  report::Series s;
  s.label = label;
  s.style = "lines";
  const std::size_t nx = x.size(), ny = y.size();
  if (nx < 2 || ny < 2 || v.size() != nx * ny) return s;
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
        s.x.insert(s.x.end(), {pts[k].first, pts[k + 1].first, kNaN});
        s.y.insert(s.y.end(), {pts[k].second, pts[k + 1].second, kNaN});
      }
    }
  }
  return s;
}

int run_phase(const std::string& spec, const std::vector<std::string>& param_items, const std::string& out,
              const std::string& sigma_w_text, const std::string& sigma_b_text, bool json) {
  auto sws = parse_grid("--sigma-w", sigma_w_text);
  if (!sws) return finish(sws.status());
  auto sbs = parse_grid("--sigma-b", sigma_b_text);
  if (!sbs) return finish(sbs.status());
  for (double w : *sws)
    if (!(w > 0) || !std::isfinite(w))
      return finish(Status::invalid("--sigma-w: values must be > 0, got " + fmt(w)));
  for (double b : *sbs)
    if (!(b >= 0) || !std::isfinite(b))
      return finish(Status::invalid("--sigma-b: values must be >= 0, got " + fmt(b)));
  if (sws->size() < 2 || sbs->size() < 2)
    return finish(Status::invalid("--sigma-w, --sigma-b: a phase diagram needs at least 2 values of each"));
  if (sws->size() * sbs->size() > 10000)
    return finish(Status::invalid("--sigma-w, --sigma-b: at most 10000 grid points"));
  auto params = parse_params(param_items);
  if (!params) return finish(params.status());
  auto act = activations::Activation::make(spec, *params);
  if (!act) return finish(act.status());
  if (act->row_wise())
    return finish(
        Status::invalid(act->name() + " is row-wise: mean-field theory needs an element-wise activation"));
  auto g = theory::GaussianIntegrator::make(*act);
  if (!g) return finish(g.status());

  const std::size_t nx = sws->size(), ny = sbs->size();
  std::vector<double> gx(nx), gy(ny), chi1(nx * ny, kNaN), cstar(nx * ny, kNaN);
  for (std::size_t i = 0; i < nx; ++i) gx[i] = (*sws)[i] * (*sws)[i];
  for (std::size_t j = 0; j < ny; ++j) gy[j] = (*sbs)[j] * (*sbs)[j];
  Json grid = Json::array();
  for (std::size_t j = 0; j < ny; ++j) {
    for (std::size_t i = 0; i < nx; ++i) {
      const theory::Init init{(*sws)[i], (*sbs)[j]};
      Json row{{"sigma_w", init.sigma_w}, {"sigma_b", init.sigma_b}};
      auto fp = theory::variance_fixed_point(*g, init);
      if (!fp) {
        row["q_star"] = row["chi1"] = row["c_star"] = nullptr;
        row["phase"] = "divergent";
      } else {
        auto cf = theory::correlation_fixed_point(*g, init, *fp, false);
        chi1[j * nx + i] = fp->chi1;
        row["q_star"] = json_number(fp->q);
        row["chi1"] = json_number(fp->chi1);
        if (cf) {
          cstar[j * nx + i] = cf->c_star;
          row["c_star"] = json_number(cf->c_star);
          row["phase"] = theory::phase_name(cf->phase);
        } else {
          row["c_star"] = nullptr;
          row["phase"] = theory::phase_name(theory::phase_of(fp->chi1));
        }
      }
      grid.push_back(std::move(row));
    }
  }
  // The EOC curve on a finer σ_b grid over the same range.
  const double b0 = sbs->front(), b1 = sbs->back();
  std::vector<double> fine(4 * (ny - 1) + 1);
  for (std::size_t k = 0; k < fine.size(); ++k) fine[k] = b0 + (b1 - b0) * k / (fine.size() - 1);
  auto curve = theory::eoc_curve(*g, fine);
  if (!curve) return finish(curve.status());
  report::Series eoc{.label = "EOC (chi1 = 1)", .style = "linespoints"};
  Json eoc_json = Json::array();
  const double xmax = gx.back() > gx.front() ? gx.back() : gx.front();
  for (const auto& row : *curve) {
    for (const auto& p : row.points) {
      eoc_json.push_back({{"sigma_b", json_number(p.sigma_b)},
                          {"sigma_w", json_number(p.sigma_w)},
                          {"q_star", json_number(p.q)},
                          {"stable", p.stable}});
      if (p.sigma_w * p.sigma_w <= 1.05 * xmax) {
        eoc.x.push_back(p.sigma_w * p.sigma_w);
        eoc.y.push_back(p.sigma_b * p.sigma_b);
      }
    }
  }
  report::Figure fig;
  fig.title = "phase diagram of " + act->name() + ": chi1 and c* contours";
  fig.xlabel = "sigma_w^2";
  fig.ylabel = "sigma_b^2";
  fig.xrange = std::make_pair(gx.front(), gx.back());
  fig.yrange = std::make_pair(gy.front(), gy.back());
  for (double level : {0.5, 0.8, 1.25, 2.0}) {
    report::Series s = contour_lines(gx, gy, chi1, level, "chi1 = " + fmt(level));
    if (!s.x.empty()) fig.series.push_back(std::move(s));
  }
  for (double level : {0.25, 0.5, 0.75}) {
    report::Series s = contour_lines(gx, gy, cstar, level, "c* = " + fmt(level));
    if (!s.x.empty()) fig.series.push_back(std::move(s));
  }
  if (!eoc.x.empty()) fig.series.push_back(eoc);
  if (fig.series.empty()) {
    // No contour crosses the grid (e.g. ReLU: one phase, the rest divergent): mark the finite grid points.
    report::Series pts{.label = "grid points with a finite q* (no contour crosses the grid)",
                       .style = "points"};
    for (std::size_t j = 0; j < ny; ++j)
      for (std::size_t i = 0; i < nx; ++i)
        if (std::isfinite(chi1[j * nx + i])) {
          pts.x.push_back(gx[i]);
          pts.y.push_back(gy[j]);
        }
    if (pts.x.empty())
      return finish(Status::invalid("phase: the variance map diverges at every grid point; lower --sigma-w"));
    fig.series.push_back(std::move(pts));
  }
  if (Status s = report::render(fig, out); !s) return finish(s);
  if (json) {
    Json j;
    j["activation"] = spec;
    j["out"] = out;
    j["sigma_w"] = *sws;
    j["sigma_b"] = *sbs;
    j["grid"] = std::move(grid);
    j["eoc"] = std::move(eoc_json);
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const Json& r : grid) {
    const std::string ph = r["phase"].get<std::string>();
    counts[ph == "ordered" ? 0 : ph == "edge" ? 1 : ph == "chaotic" ? 2 : 3]++;
  }
  std::printf(
      "wrote %s: %zu x %zu grid (sigma_w^2 x sigma_b^2), %zu ordered, %zu edge, %zu chaotic, %zu "
      "divergent; EOC curve with %zu points\n",
      out.c_str(), nx, ny, counts[0], counts[1], counts[2], counts[3], eoc_json.size());
  return kExitOk;
}

}  // namespace actlab::cli
