// lab/figures.hpp: what each figure holds — which points land in which series — checked on the data, and
// that every figure draws through gnuplot without a warning (render skipped without gnuplot).
#include "lab/figures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "theory/gaussian.hpp"

namespace actlab::lab {
namespace {

using report::Figure;
using report::Series;

theory::GaussianIntegrator integrator(const std::string& spec) {
  auto act = activations::Activation::make(spec);
  EXPECT_TRUE(act.has_value()) << act.status().message();
  auto g = theory::GaussianIntegrator::make(*act);
  EXPECT_TRUE(g.has_value()) << g.status().message();
  return std::move(*g);
}

const Series* find_series(const Figure& fig, const std::string& label) {
  for (const Series& s : fig.series)
    if (s.label == label) return &s;
  return nullptr;
}

std::size_t finite_points(const Series& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.x.size(); ++i) n += std::isfinite(s.x[i]) && std::isfinite(s.y[i]);
  return n;
}

// Renders fig to SVG and PNG; gnuplot must not warn.
void expect_clean_render(const Figure& fig, const std::string& name) {
  if (!report::gnuplot_available()) return;
  for (const char* ext : {".svg", ".png"}) {
    const auto path = std::filesystem::temp_directory_path() / ("actlab_figures_test_" + name + ext);
    std::string warnings = "not set";
    const Status st = report::render(fig, path.string(), &warnings);
    EXPECT_TRUE(st.is_ok()) << name << ext << ": " << st.message();
    EXPECT_EQ(warnings, "") << name << ext;
    std::error_code ec;
    EXPECT_GT(std::filesystem::file_size(path, ec), 1000u) << name << ext;
    std::filesystem::remove(path, ec);
  }
}

// Swish's EOC: q* is unstable at small σ_b (F'(q*) > 1; Hayou et al.) and stable further up. Each point lies
// in exactly one series: the line where stable, the open circles where not.
TEST(EocFigure, UnstablePointsAreTheirOwnSeries) {
  const auto g = integrator("x*sigmoid(x)");
  std::vector<double> sb;
  for (int i = 1; i <= 30; ++i) sb.push_back(0.05 * i);
  auto curve = theory::edge_of_chaos(g, sb);
  ASSERT_TRUE(curve.has_value()) << curve.status().message();
  const Figure fig = eoc_figure("swish", *curve);
  const Series* line = find_series(fig, "EOC, stable q*");
  const Series* unstable = find_series(fig, kUnstableLabel);
  ASSERT_NE(line, nullptr);
  ASSERT_NE(unstable, nullptr);
  EXPECT_EQ(unstable->style, "open_points");
  EXPECT_EQ(line->style, "linespoints");
  EXPECT_EQ(find_series(fig, kMarginalLabel), nullptr);  // none at σ_b > 0
  std::size_t n_stable = 0, n_unstable = 0;
  for (const auto& row : curve->rows) {
    ASSERT_EQ(row.points.size(), 1u) << row.sigma_b;
    const auto& p = row.points[0];
    const auto at = std::find(line->x.begin(), line->x.end(), p.sigma_b) - line->x.begin();
    const bool on_line = std::isfinite(line->y[at]);
    const bool in_open = std::find(unstable->x.begin(), unstable->x.end(), p.sigma_b) != unstable->x.end();
    EXPECT_EQ(on_line, p.stable) << p.sigma_b;
    EXPECT_EQ(in_open, !p.stable) << p.sigma_b;
    if (on_line) {
      EXPECT_EQ(line->y[at], p.sigma_w);
    }
    (p.stable ? n_stable : n_unstable)++;
  }
  EXPECT_GT(n_stable, 5u);
  EXPECT_GT(n_unstable, 5u);
  EXPECT_EQ(finite_points(*unstable), n_unstable);
  EXPECT_EQ(fig.xlabel, "bias scale σ_b");
  expect_clean_render(fig, "eoc_swish");
}

// tanh at σ_b = 0: q* = 0 with F'(0) = χ₁ = 1, marginal; the rest of the curve is stable.
TEST(EocFigure, MarginalPointIsMarked) {
  const auto g = integrator("tanh");
  const std::vector<double> sb = {0, 0.25, 0.5, 0.75, 1};
  auto curve = theory::edge_of_chaos(g, sb);
  ASSERT_TRUE(curve.has_value());
  const Figure fig = eoc_figure("tanh", *curve);
  const Series* marginal = find_series(fig, kMarginalLabel);
  ASSERT_NE(marginal, nullptr);
  EXPECT_EQ(marginal->x, std::vector<double>{0.0});
  EXPECT_EQ(find_series(fig, kUnstableLabel), nullptr);
  const Series* line = find_series(fig, "EOC, stable q*");
  ASSERT_NE(line, nullptr);
  EXPECT_TRUE(std::isnan(line->y[0]));
  EXPECT_EQ(finite_points(*line), 4u);
  expect_clean_render(fig, "eoc_tanh");
}

// ReLU and mish: q^l diverges on the chaotic side, so the picture is mostly the divergent region; every grid
// point is inside exactly one shaded rectangle of its own phase.
TEST(PhaseFigure, DivergentRegionIsShadedAndLabelled) {
  for (const char* spec : {"relu", "mish"}) {
    const auto g = integrator(spec);
    const std::vector<double> sw = {0.5, 1, 1.5, 2, 2.5, 3}, sb = {0, 0.5, 1};
    auto grid = theory::phase_grid(g, sw, sb);
    ASSERT_TRUE(grid.has_value()) << grid.status().message();
    auto fig = phase_figure(spec, *grid);
    ASSERT_TRUE(fig.has_value()) << fig.status().message();
    const Series* divergent = find_series(*fig, kDivergentLabel);
    const Series* ordered = find_series(*fig, kOrderedLabel);
    ASSERT_NE(divergent, nullptr) << spec;
    ASSERT_NE(ordered, nullptr) << spec;
    EXPECT_EQ(divergent->style, "region");
    EXPECT_EQ(divergent->color, kDivergentColor);
    EXPECT_EQ(fig->series.front().style, "region");
    auto inside = [](const Series& s, double x, double y) {
      // Rectangles are 4 corners and a NaN point.
      for (std::size_t k = 0; k + 4 < s.x.size(); k += 5) {
        const double x0 = std::min(s.x[k], s.x[k + 1]), x1 = std::max(s.x[k], s.x[k + 1]);
        const double y0 = std::min(s.y[k], s.y[k + 2]), y1 = std::max(s.y[k], s.y[k + 2]);
        if (x0 <= x && x <= x1 && y0 <= y && y <= y1) return true;
      }
      return false;
    };
    for (const auto& p : grid->points) {
      const double x = p.sigma_w * p.sigma_w, y = p.sigma_b * p.sigma_b;
      EXPECT_EQ(inside(*divergent, x, y), !p.phase.has_value())
          << spec << " " << p.sigma_w << " " << p.sigma_b;
      if (p.phase == theory::Phase::kOrdered) {
        EXPECT_TRUE(inside(*ordered, x, y)) << spec;
      }
    }
    expect_clean_render(*fig, std::string("phase_") + spec);
  }
}

TEST(PhaseFigure, TanhHasOrderedAndChaoticRegionsAndContours) {
  const auto g = integrator("tanh");
  const std::vector<double> sw = {0.5, 1, 1.5, 2, 2.5}, sb = {0, 0.3, 0.6};
  auto grid = theory::phase_grid(g, sw, sb);
  ASSERT_TRUE(grid.has_value());
  auto fig = phase_figure("tanh", *grid);
  ASSERT_TRUE(fig.has_value());
  EXPECT_NE(find_series(*fig, kOrderedLabel), nullptr);
  EXPECT_NE(find_series(*fig, kChaoticLabel), nullptr);
  EXPECT_EQ(find_series(*fig, kDivergentLabel), nullptr);  // tanh is bounded: q* always exists
  std::size_t chi_contours = 0;
  for (const Series& s : fig->series) {
    if (s.label.rfind("χ₁ = ", 0) == 0) {
      ++chi_contours;
      EXPECT_EQ(s.style, "dashed") << s.label;
    }
  }
  EXPECT_GE(chi_contours, 1u);
  EXPECT_NE(find_series(*fig, "EOC (χ₁ = 1), stable q*"), nullptr);
  expect_clean_render(*fig, "phase_tanh");
}

TEST(PhaseFigure, EverythingDivergentIsAnError) {
  const auto g = integrator("relu");
  const std::vector<double> sw = {3, 4}, sb = {0.5, 1};
  auto grid = theory::phase_grid(g, sw, sb);
  ASSERT_TRUE(grid.has_value());
  EXPECT_EQ(phase_figure("relu", *grid).status().code(), StatusCode::kInvalidArgument);
}

// The Monte Carlo overlay: points with error bars of one standard error, 3 columns in the data.
TEST(KernelFigure, MonteCarloHasErrorBars) {
  const auto g = integrator("relu");
  auto p =
      theory::kernel_profile(g, {.cw = 2, .cb = 0, .k0 = 1, .depth = 4, .width = 16, .mc = 50, .seed = 3});
  ASSERT_TRUE(p.has_value()) << p.status().message();
  const Figure fig = kernel_figure("relu", *p);
  ASSERT_EQ(fig.panels.size(), 1u);
  const Figure& vertex = fig.panels[0];
  ASSERT_EQ(fig.series.size(), 2u);
  ASSERT_EQ(vertex.series.size(), 2u);
  const Series& Km = fig.series[1];
  const Series& Vm = vertex.series[1];
  EXPECT_EQ(Km.style, "yerrorbars");
  EXPECT_EQ(Vm.style, "yerrorbars");
  ASSERT_EQ(Km.yerr.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(Km.y[i], p->monte_carlo[i].K);
    EXPECT_EQ(Km.yerr[i], p->monte_carlo[i].K_se);
    EXPECT_EQ(Vm.yerr[i], p->monte_carlo[i].V_over_K2_se);
  }
  EXPECT_EQ(Km.label, "K (Monte Carlo, width 16, 50 networks) ± SE");
  EXPECT_EQ(fig.series[0].style, "lines");
  // Block 1 (K, Monte Carlo) has three columns: x, y, standard error.
  const std::string data = report::gnuplot_data(fig);
  std::size_t block = 0, start = 0;
  for (std::size_t at = 0; block < 1; ++block) start = at = data.find("\n\n\n", at) + 3;
  const std::string first_line = data.substr(start, data.find('\n', start) - start);
  EXPECT_EQ(std::count(first_line.begin(), first_line.end(), ' '), 2) << first_line;
  expect_clean_render(fig, "kernel_relu");
}

TEST(KernelFigure, WithoutMonteCarloTheoryOnly) {
  const auto g = integrator("tanh");
  auto p = theory::kernel_profile(g, {.cw = 1, .cb = 0, .k0 = 1, .depth = 5});
  ASSERT_TRUE(p.has_value());
  const Figure fig = kernel_figure("tanh", *p);
  EXPECT_EQ(fig.series.size(), 1u);
  EXPECT_EQ(fig.panels.at(0).series.size(), 1u);
  expect_clean_render(fig, "kernel_tanh");
}

// f and f′ in two panels, the same activations in the same order.
TEST(ActivationFigure, TwoPanelsFAndDerivative) {
  ActivationCurve c{.name = "tanh"};
  for (int i = -20; i <= 20; ++i) {
    const double x = i / 5.0;
    c.x.push_back(x);
    c.f.push_back(std::tanh(x));
    c.df.push_back(1 - std::tanh(x) * std::tanh(x));
  }
  const Figure fig = activation_figure({c}, {-4, 4}, true);
  ASSERT_EQ(fig.panels.size(), 1u);
  EXPECT_EQ(fig.series.at(0).label, "tanh");
  EXPECT_EQ(fig.series.at(0).y, c.f);
  EXPECT_EQ(fig.panels[0].series.at(0).label, "tanh′");
  EXPECT_EQ(fig.panels[0].series.at(0).y, c.df);
  EXPECT_EQ(fig.ylabel, "f(x)");
  EXPECT_EQ(fig.panels[0].ylabel, "f′(x)");
  EXPECT_EQ(fig.xlabel, "input x");
  expect_clean_render(fig, "act_tanh");
  EXPECT_TRUE(activation_figure({c}, {-4, 4}, false).panels.empty());
}

TEST(PropagateFigure, LabelsAndFixedPointLine) {
  const auto g = integrator("tanh");
  theory::PropagatePlan plan;
  plan.init = {2.5, 0.3};
  plan.depth = 4;
  auto r = theory::propagate(g, plan);
  ASSERT_TRUE(r.has_value());
  const Figure fig = propagate_figure("tanh", plan, *r);
  ASSERT_EQ(fig.series.size(), 3u);
  EXPECT_EQ(fig.series[2].style, "dashed");
  EXPECT_EQ(fig.series[2].y[0], r->correlation->c_star);
  expect_clean_render(fig, "propagate_tanh");
}

}  // namespace
}  // namespace actlab::lab
