// q^l, c^l and χ₁ through depth (moved from the `theory propagate` command). Oracles: the tanh EOC point
// σ_b = 0.2 → σ_w = 1.30414584, q* = 0.51207850, and the tanh σ_b² = 0.05, σ_w² = 2.5 chaotic fixed point
// c* = 0.44680, χ_c = 0.91872, ξ_c = 11.80 (docs/theory.md; Schoenholz et al. 2017).
#include "theory/propagate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "activations/activation.hpp"
#include "support/integrator.hpp"

namespace actlab::theory {
namespace {

using actlab::testing::integrator;

TEST(Propagate, LayersOnTheEdgeOfChaos) {
  const auto g = integrator("tanh");
  auto r = propagate(g, {.init = {1.30414584, 0.2}, .depth = 4, .c0 = 0.5});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  ASSERT_EQ(r->layers.size(), 5u);
  EXPECT_EQ(r->correlation.phase, Phase::kEdge);
  EXPECT_NEAR(r->fixed_point.q, 0.51207850, 1e-7);
  EXPECT_EQ(r->layers[0].c, 0.5);
  EXPECT_EQ(r->layers[0].q, 1.0);
  for (int l = 1; l <= 4; ++l) {
    EXPECT_EQ(r->layers[l].l, l);
    EXPECT_GT(r->layers[l].c, r->layers[l - 1].c);
    EXPECT_LT(r->layers[l].q, r->layers[l - 1].q);
    // q^l is the variance map of q^{l−1}; χ₁ is σ_w² E φ'² at q^l.
    EXPECT_DOUBLE_EQ(r->layers[l].q, variance_map(g, r->plan.init, r->layers[l - 1].q));
    EXPECT_DOUBLE_EQ(r->layers[l].chi1, 1.30414584 * 1.30414584 * g.expect(r->layers[l].q).dphi2);
  }
  const Json j = r->to_json();
  EXPECT_EQ(j["phase"], "edge");
  EXPECT_EQ(j["layers"].size(), 5u);
  EXPECT_EQ(j.begin().key(), "sigma_w");
}

TEST(Propagate, ChaoticCorrelationFixedPoint) {
  const auto g = integrator("tanh");
  auto r = propagate(g, {.init = {1.5811388300841898, 0.22360679774997896}, .depth = 2});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  EXPECT_EQ(r->correlation.phase, Phase::kChaotic);
  EXPECT_NEAR(r->correlation.c_star, 0.44680, 1e-5);
  EXPECT_NEAR(r->correlation.chi_c, 0.91872, 1e-5);
  ASSERT_TRUE(r->correlation.xi_c.has_value());
  EXPECT_NEAR(*r->correlation.xi_c, 11.80, 6e-3);
  auto o = propagate(g, {.init = {0.8, 0.1}, .depth = 2});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->correlation.phase, Phase::kOrdered);
  EXPECT_EQ(o->correlation.c_star, 1.0);
}

TEST(Propagate, BadPlanNamesTheField) {
  const auto g = integrator("tanh");
  auto field = [&](const PropagatePlan& p) {
    auto r = propagate(g, p);
    EXPECT_FALSE(r.has_value());
    return r.status().field();
  };
  EXPECT_EQ(field({.init = {0.0, 0.0}, .depth = 3}), "sigma_w");
  EXPECT_EQ(field({.init = {1.0, -0.1}, .depth = 3}), "sigma_b");
  EXPECT_EQ(field({.init = {1.0, 0.0}, .depth = 0}), "depth");
  EXPECT_EQ(field({.init = {1.0, 0.0}, .depth = 3, .q0 = 0.0}), "q0");
  EXPECT_EQ(field({.init = {1.0, 0.0}, .depth = 3, .c0 = 2.0}), "c0");
}

}  // namespace
}  // namespace actlab::theory
