// The EOC curve and the phase diagram as values (moved from tests/cli/theory_phase_test.cpp with the code):
// the grid agrees with direct propagate() calls at the same (σ_w, σ_b), divergent points are absent values,
// and bad input names the field. Oracle for tanh at σ_b = 0.2: σ_w = 1.30414584 (docs/theory.md,
// "Reference values"; Poole et al. 2016).
#include "theory/phase.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "activations/activation.hpp"
#include "support/integrator.hpp"
#include "theory/propagate.hpp"

namespace actlab::theory {
namespace {

using actlab::testing::integrator;

TEST(EdgeOfChaos, TanhAndReluRows) {
  const auto tanh = integrator("tanh");
  const std::vector<double> sb = {0.2};
  auto c = edge_of_chaos(tanh, sb);
  ASSERT_TRUE(c.has_value()) << c.status().message();
  ASSERT_EQ(c->rows.size(), 1u);
  ASSERT_EQ(c->rows[0].points.size(), 1u);
  EXPECT_NEAR(c->rows[0].points[0].sigma_w, 1.30414584, 5e-8);
  const Json j = c->to_json();
  ASSERT_EQ(j["points"].size(), 1u);
  for (const char* key :
       {"sigma_b", "sigma_w", "q_star", "chi1", "dF_dq", "stable", "beta_q", "xi_q", "q_free"})
    EXPECT_TRUE(j["points"][0].contains(key)) << key;
  EXPECT_TRUE(j["sigma_b_without_eoc"].empty());

  const auto relu = integrator("relu");
  const std::vector<double> zero_and_half = {0.0, 0.5};
  auto r = edge_of_chaos(relu, zero_and_half);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->rows[0].points.at(0).sigma_w, std::sqrt(2.0), 1e-12);
  EXPECT_EQ(r->to_json()["sigma_b_without_eoc"], Json::array({0.5}));
  const std::vector<double> half = {0.5};
  auto none = edge_of_chaos(relu, half);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  const std::vector<double> negative = {-1.0};
  auto bad = edge_of_chaos(tanh, negative);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.status().field(), "sigma_b");
}

TEST(PhaseGrid, MatchesDirectPropagation) {
  const auto g = integrator("tanh");
  const std::vector<double> sw = {0.5, 1.0, 1.5, 2.0, 2.5}, sb = {0.0, 0.2, 0.4, 0.6};
  auto grid = phase_grid(g, sw, sb);
  ASSERT_TRUE(grid.has_value()) << grid.status().message();
  ASSERT_EQ(grid->points.size(), 20u);
  EXPECT_FALSE(grid->eoc.empty());
  for (int k : {3, 9, 14, 19}) {
    const PhasePoint& p = grid->points[k];
    EXPECT_EQ(p.sigma_w, sw[k % 5]);
    EXPECT_EQ(p.sigma_b, sb[k / 5]);
    auto d = propagate(g, {.init = {p.sigma_w, p.sigma_b}, .depth = 1});
    ASSERT_TRUE(d.has_value()) << d.status().message();
    ASSERT_TRUE(p.chi1 && p.c_star && p.phase) << k;
    EXPECT_NEAR(*p.chi1, d->fixed_point->chi1, 1e-10) << k;
    EXPECT_NEAR(*p.c_star, d->correlation->c_star, 1e-10) << k;
    EXPECT_EQ(*p.phase, d->correlation->phase) << k;
  }
  const PhaseCounts n = grid->counts();
  EXPECT_EQ(n.ordered + n.edge + n.chaotic + n.divergent, 20u);
  EXPECT_GT(n.ordered, 0u);
  EXPECT_GT(n.chaotic, 0u);
  const Json j = grid->to_json();
  EXPECT_EQ(j["grid"].size(), 20u);
  EXPECT_EQ(j["sigma_w"].size(), 5u);
  EXPECT_EQ(grid->chi1_values().size(), 20u);
}

// ReLU diverges above σ_w = √2 at σ_b > 0: absent values (null in JSON, NaN to contour), not NaN fields.
TEST(PhaseGrid, DivergentPointsAreAbsent) {
  const auto g = integrator("relu");
  const std::vector<double> sw = {1.0, 1.5, 2.0}, sb = {0.1, 0.2};
  auto grid = phase_grid(g, sw, sb);
  ASSERT_TRUE(grid.has_value()) << grid.status().message();
  const PhasePoint& p = grid->points[2];
  EXPECT_FALSE(p.phase.has_value());
  EXPECT_FALSE(p.chi1.has_value());
  EXPECT_TRUE(std::isnan(grid->chi1_values()[2]));
  const Json j = grid->to_json();
  EXPECT_EQ(j["grid"][2]["phase"], "divergent");
  EXPECT_TRUE(j["grid"][2]["c_star"].is_null());
  EXPECT_GE(grid->counts().divergent, 1u);
}

TEST(PhaseGrid, BadInputNamesTheField) {
  const auto g = integrator("tanh");
  auto field = [&](std::vector<double> sw, std::vector<double> sb) {
    auto r = phase_grid(g, sw, sb);
    EXPECT_FALSE(r.has_value());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return r.status().field();
  };
  EXPECT_EQ(field({0.0, 0.5, 1.0}, {0.0, 1.0}), "sigma_w");
  EXPECT_EQ(field({0.5, 1.0}, {-1.0, 1.0}), "sigma_b");
  EXPECT_EQ(field({1.0}, {0.0, 1.0}), "sigma_w");
  EXPECT_EQ(field({0.5, 1.0}, {0.0}), "sigma_b");
  EXPECT_EQ(field(std::vector<double>(200, 1.0), std::vector<double>(51, 0.1)), "sigma_w");
}

}  // namespace
}  // namespace actlab::theory
