// Result values → report::Figure for `act plot` and `theory eoc | propagate | kernel | phase` (figures.hpp).
#include "lab/figures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "report/contour.hpp"
#include "report/format.hpp"

namespace actlab::lab {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmt(double v) { return report::fmt(v, "%.6g"); }

// EOC points as (x, y) drawn by stability: `line` gets the stable ones (NaN elsewhere, so the line breaks
// where q* is not stable); `unstable` and `marginal` get theirs as separate points.
struct StabilitySeries {
  report::Series line, unstable, marginal;
};

void add_eoc_point(StabilitySeries& s, double x, double y, bool stable, bool marginal) {
  s.line.x.push_back(x);
  s.line.y.push_back(stable && !marginal ? y : kNaN);
  if (marginal) {
    s.marginal.x.push_back(x);
    s.marginal.y.push_back(y);
  } else if (!stable) {
    s.unstable.x.push_back(x);
    s.unstable.y.push_back(y);
  }
}

StabilitySeries stability_series(std::string line_label) {
  return {.line = {.label = std::move(line_label), .style = "linespoints"},
          .unstable = {.label = kUnstableLabel, .style = "open_points", .color = kUnstableColor},
          .marginal = {.label = kMarginalLabel, .style = "points", .color = kMarginalColor}};
}

bool has_finite(const report::Series& s) {
  for (std::size_t i = 0; i < s.x.size(); ++i)
    if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) return true;
  return false;
}

void push_if_any(report::Figure& fig, report::Series s) {
  if (has_finite(s)) fig.series.push_back(std::move(s));
}

// Cell edges of sorted grid values: midpoints between neighbours, the outer values themselves at the ends.
std::vector<double> cell_edges(const std::vector<double>& v) {
  std::vector<double> e(v.size() + 1);
  e.front() = v.front();
  e.back() = v.back();
  for (std::size_t i = 1; i < v.size(); ++i) e[i] = 0.5 * (v[i - 1] + v[i]);
  return e;
}

void add_rectangle(report::Series& s, double x0, double x1, double y0, double y1) {
  s.x.insert(s.x.end(), {x0, x1, x1, x0, kNaN});
  s.y.insert(s.y.end(), {y0, y0, y1, y1, kNaN});
}

}  // namespace

report::Figure eoc_figure(const std::string& spec, const theory::EocCurve& curve) {
  report::Figure fig{.title = "edge of chaos of " + spec + " (χ₁ = 1)",
                     .xlabel = "bias scale σ_b",
                     .ylabel = "weight scale σ_w on the EOC"};
  std::size_t roots = 0;
  for (const auto& row : curve.rows) roots = std::max(roots, row.points.size());
  report::Series unstable, marginal;
  for (std::size_t r = 0; r < roots; ++r) {
    StabilitySeries s =
        stability_series(roots == 1 ? "EOC, stable q*" : "EOC root " + std::to_string(r + 1) + ", stable q*");
    for (const auto& row : curve.rows) {
      if (r < row.points.size()) {
        const auto& p = row.points[r];
        add_eoc_point(s, p.sigma_b, p.sigma_w, p.stable, p.marginal);
      } else {
        s.line.x.push_back(row.sigma_b);
        s.line.y.push_back(kNaN);
      }
    }
    push_if_any(fig, std::move(s.line));
    if (r == 0) {
      unstable = std::move(s.unstable);
      marginal = std::move(s.marginal);
    } else {
      unstable.x.insert(unstable.x.end(), s.unstable.x.begin(), s.unstable.x.end());
      unstable.y.insert(unstable.y.end(), s.unstable.y.begin(), s.unstable.y.end());
      marginal.x.insert(marginal.x.end(), s.marginal.x.begin(), s.marginal.x.end());
      marginal.y.insert(marginal.y.end(), s.marginal.y.begin(), s.marginal.y.end());
    }
  }
  push_if_any(fig, std::move(unstable));
  push_if_any(fig, std::move(marginal));
  return fig;
}

Result<report::Figure> phase_figure(const std::string& name, const theory::PhaseGrid& grid) {
  const std::size_t nx = grid.sigma_w.size(), ny = grid.sigma_b.size();
  // Axes σ_w², σ_b²: the grid's own points are the cell corners of the contours.
  std::vector<double> gx, gy;
  for (double w : grid.sigma_w) gx.push_back(w * w);
  for (double b : grid.sigma_b) gy.push_back(b * b);
  const auto [xlo, xhi] = std::minmax_element(gx.begin(), gx.end());
  const auto [ylo, yhi] = std::minmax_element(gy.begin(), gy.end());
  report::Figure fig{.title = "phase diagram of " + name,
                     .xlabel = "weight variance σ_w²",
                     .ylabel = "bias variance σ_b²",
                     .xrange = std::make_pair(*xlo, *xhi),
                     .yrange = std::make_pair(*ylo, *yhi),
                     .height = 600};

  // Regions: the grid in sorted order (a list may come unsorted), each point owning its cell.
  std::vector<std::size_t> ix(nx), iy(ny);
  std::iota(ix.begin(), ix.end(), 0);
  std::iota(iy.begin(), iy.end(), 0);
  std::sort(ix.begin(), ix.end(), [&](std::size_t a, std::size_t b) { return gx[a] < gx[b]; });
  std::sort(iy.begin(), iy.end(), [&](std::size_t a, std::size_t b) { return gy[a] < gy[b]; });
  std::vector<double> sx, sy;
  for (std::size_t i : ix) sx.push_back(gx[i]);
  for (std::size_t j : iy) sy.push_back(gy[j]);
  const std::vector<double> ex = cell_edges(sx), ey = cell_edges(sy);
  // 0 ordered, 1 chaotic, 2 divergent, −1 edge (not shaded).
  auto kind = [&](std::size_t i, std::size_t j) {
    const auto& p = grid.points[iy[j] * nx + ix[i]];
    if (!p.phase) return 2;
    if (*p.phase == theory::Phase::kOrdered) return 0;
    if (*p.phase == theory::Phase::kChaotic) return 1;
    return -1;
  };
  report::Series regions[3] = {{.label = kOrderedLabel, .style = "region", .color = kOrderedColor},
                               {.label = kChaoticLabel, .style = "region", .color = kChaoticColor},
                               {.label = kDivergentLabel, .style = "region", .color = kDivergentColor}};
  std::size_t divergent = 0;
  for (std::size_t j = 0; j < ny; ++j) {
    for (std::size_t i = 0; i < nx;) {
      const int k = kind(i, j);
      std::size_t end = i + 1;
      while (end < nx && kind(end, j) == k) ++end;
      if (k == 2) divergent += end - i;
      if (k >= 0) add_rectangle(regions[k], ex[i], ex[end], ey[j], ey[j + 1]);
      i = end;
    }
  }
  if (divergent == nx * ny) {
    return Status::invalid("phase: the variance map diverges at every grid point; lower --sigma-w");
  }
  for (auto& r : regions) push_if_any(fig, std::move(r));

  const std::vector<double> chi1 = grid.chi1_values(), cstar = grid.c_star_values();
  auto add_contours = [&](const std::vector<double>& v, std::initializer_list<double> levels,
                          const char* what, const char* style) {
    for (double level : levels) {
      report::Series s =
          report::contour_series(report::contour(gx, gy, v, level), std::string(what) + " = " + fmt(level));
      s.style = style;
      push_if_any(fig, std::move(s));
    }
  };
  add_contours(chi1, {0.5, 0.8, 1.25, 2.0}, "χ₁", "dashed");
  add_contours(cstar, {0.25, 0.5, 0.75}, "c*", "lines");

  // The EOC from the grid's own curve, drawn by the stability of q*, inside the plotted σ_w² range.
  StabilitySeries eoc = stability_series("EOC (χ₁ = 1), stable q*");
  eoc.line.color = "#000000";
  for (const auto& p : grid.eoc) {
    const double x = p.sigma_w * p.sigma_w;
    if (x <= *xhi) add_eoc_point(eoc, x, p.sigma_b * p.sigma_b, p.stable, p.marginal);
  }
  push_if_any(fig, std::move(eoc.line));
  push_if_any(fig, std::move(eoc.unstable));
  push_if_any(fig, std::move(eoc.marginal));
  return fig;
}

report::Figure propagate_figure(const std::string& spec, const theory::PropagatePlan& plan,
                                const theory::Propagation& r) {
  const auto& cf = r.correlation;
  const char* phase = cf ? theory::phase_name(cf->phase) : "no fixed point";
  report::Figure fig{.title = spec + ": σ_w = " + fmt(plan.init.sigma_w) +
                              ", σ_b = " + fmt(plan.init.sigma_b) + " (" + phase + ")",
                     .xlabel = "layer l",
                     .ylabel = "q^l / q⁰ and c^l"};
  report::Series sq{.label = "variance ratio q^l / q⁰", .style = "linespoints"},
      sc{.label = "correlation c^l of two inputs", .style = "linespoints"};
  for (const auto& L : r.layers) {
    sq.x.push_back(L.l);
    sq.y.push_back(L.q / plan.q0);
    sc.x.push_back(L.l);
    sc.y.push_back(L.c);
  }
  push_if_any(fig, std::move(sq));
  push_if_any(fig, std::move(sc));
  if (cf) {
    report::Series ss{.label = "fixed point c* = " + fmt(cf->c_star), .style = "dashed"};
    ss.x = {0.0, static_cast<double>(plan.depth)};
    ss.y = {cf->c_star, cf->c_star};
    fig.series.push_back(std::move(ss));
  }
  return fig;
}

report::Figure kernel_figure(const std::string& spec, const theory::KernelProfile& p) {
  const auto& layers = p.recursion.layers;
  const auto& mc = p.monte_carlo;
  const std::string title = spec + ": C_W = " + fmt(p.plan.cw) + ", C_b = " + fmt(p.plan.cb);
  report::Figure fig{
      .title = title + ": kernel", .xlabel = "layer l", .ylabel = "kernel K^(l)", .width = 1200};
  report::Figure vertex{
      .title = title + ": four-point vertex", .xlabel = "layer l", .ylabel = "V^(l) / K^(l)²"};
  double kmin = std::numeric_limits<double>::infinity(), kmax = 0.0;
  for (const auto& L : layers)
    if (L.K > 0) kmin = std::min(kmin, L.K), kmax = std::max(kmax, L.K);
  fig.logy = kmax > 100 * kmin;  // double-exponential kernels (RePU) need a log axis
  double vmin = std::numeric_limits<double>::infinity(), vmax = 0.0;
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (const double v = p.V_over_K2(i); v > 0 && std::isfinite(v))
      vmin = std::min(vmin, v), vmax = std::max(vmax, v);
  vertex.logy = vmax > 100 * vmin;  // RePU: V/K² grows like p^(2l)
  // On a log axis a value ≤ 0 (V/K² = 0 at l = 1) is left out.
  auto k_value = [&](double v) { return fig.logy && !(v > 0) ? kNaN : v; };
  auto v_value = [&](double v) { return vertex.logy && !(v > 0) ? kNaN : v; };
  report::Series K{.label = "K (infinite width)", .style = "lines"},
      V{.label = "V/K² (leading 1/n theory)", .style = "lines"};
  for (std::size_t i = 0; i < layers.size(); ++i) {
    K.x.push_back(layers[i].l);
    K.y.push_back(k_value(layers[i].K));
    V.x.push_back(layers[i].l);
    V.y.push_back(v_value(p.V_over_K2(i)));
  }
  push_if_any(fig, std::move(K));
  push_if_any(vertex, std::move(V));
  if (!mc.empty()) {
    const std::string how = " (Monte Carlo, width " + std::to_string(p.plan.width.value_or(0)) + ", " +
                            std::to_string(p.plan.mc.value_or(0)) + " networks) ± SE";
    report::Series Km{.label = "K" + how, .style = "yerrorbars"},
        Vm{.label = "V/K²" + how, .style = "yerrorbars"};
    for (const auto& m : mc) {
      Km.x.push_back(m.l);
      Km.y.push_back(k_value(m.K));
      Km.yerr.push_back(m.K_se);
      Vm.x.push_back(m.l);
      Vm.y.push_back(v_value(m.V_over_K2));
      Vm.yerr.push_back(m.V_over_K2_se);
    }
    push_if_any(fig, std::move(Km));
    push_if_any(vertex, std::move(Vm));
  }
  if (fig.series.empty()) fig.series.push_back({.label = "K (not finite)"});
  if (vertex.series.empty()) vertex.series.push_back({.label = "V/K² (not finite)"});
  // Half a layer of room at each end, so that the first and last markers and bars are not cut by the border.
  fig.xrange = vertex.xrange = std::make_pair(0.5, std::max<double>(2, layers.size()) + 0.5);
  fig.panels.push_back(std::move(vertex));
  return fig;
}

report::Figure activation_figure(const std::vector<ActivationCurve>& curves, std::pair<double, double> xrange,
                                 bool with_derivative) {
  report::Figure fig{.title = "activation f(x)", .xlabel = "input x", .ylabel = "f(x)", .xrange = xrange};
  report::Figure deriv{
      .title = "derivative f′(x) (exact)", .xlabel = "input x", .ylabel = "f′(x)", .xrange = xrange};
  for (const auto& c : curves) {
    fig.series.push_back({.label = c.name, .x = c.x, .y = c.f});
    deriv.series.push_back({.label = c.name + "′", .x = c.x, .y = c.df});
  }
  if (with_derivative) {
    fig.width = 1200;
    fig.panels.push_back(std::move(deriv));
  }
  return fig;
}

}  // namespace actlab::lab
