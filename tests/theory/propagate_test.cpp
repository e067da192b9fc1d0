// q^l, c^l and χ₁ through depth (moved from the `theory propagate` command). Oracles: the tanh EOC point
// σ_b = 0.2 → σ_w = 1.30414584, q* = 0.51207850, and the tanh σ_b² = 0.05, σ_w² = 2.5 chaotic fixed point
// c* = 0.44680, χ_c = 0.91872, ξ_c = 11.80 (docs/theory.md; Schoenholz et al. 2017).
#include "theory/propagate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
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
  EXPECT_EQ(r->correlation->phase, Phase::kEdge);
  EXPECT_NEAR(r->fixed_point->q, 0.51207850, 1e-7);
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
  EXPECT_EQ(r->correlation->phase, Phase::kChaotic);
  EXPECT_NEAR(r->correlation->c_star, 0.44680, 1e-5);
  EXPECT_NEAR(r->correlation->chi_c, 0.91872, 1e-5);
  ASSERT_TRUE(r->correlation->xi_c.has_value());
  EXPECT_NEAR(*r->correlation->xi_c, 11.80, 6e-3);
  auto o = propagate(g, {.init = {0.8, 0.1}, .depth = 2});
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->correlation->phase, Phase::kOrdered);
  EXPECT_EQ(o->correlation->c_star, 1.0);
}

// ReLU's normalised map at σ_b = 0 is the arc-cosine kernel (Cho & Saul 2009), whatever σ_w:
// c' = (√(1 − c²) + (π − arccos c) c)/π. At σ_w = 1.2 the variance fixed point is q* = 0 (q^l = 0.72^l); the
// old code divided the map by a tiny positive q* and printed c⁸ = 0.38456.
TEST(Propagate, ReluOrderedAtZeroBiasFollowsTheArcCosineMap) {
  const auto g = integrator("relu");
  auto r = propagate(g, {.init = {1.2, 0.0}, .depth = 8, .c0 = 0.1});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  ASSERT_EQ(r->layers.size(), 9u);
  EXPECT_TRUE(r->verdict.empty()) << r->verdict;
  ASSERT_TRUE(r->fixed_point.has_value());
  EXPECT_EQ(r->fixed_point->q, 0.0);
  EXPECT_TRUE(r->fixed_point->zero_limit);
  EXPECT_NEAR(r->fixed_point->chi1, 0.72, 1e-12);
  double c = 0.1;
  for (int l = 1; l <= 8; ++l) {
    c = (std::sqrt(1 - c * c) + (M_PI - std::acos(c)) * c) / M_PI;
    EXPECT_NEAR(r->layers[l].c, c, 1e-12) << "layer " << l;
    EXPECT_NEAR(r->layers[l].q, std::pow(0.72, l), 1e-13);
  }
  EXPECT_NEAR(r->layers[1].c, 0.369903, 1e-6);
  EXPECT_NEAR(r->layers[8].c, 0.839799, 1e-6);
  EXPECT_FALSE(r->note.empty());
}

// tanh at σ_w = 0.8, σ_b = 0: q^l → 0, where tanh is linear, so c barely moves (c⁵ = 0.090962 by two-input
// quadrature); the old map at q* printed c^l = 0.1·0.64^l.
TEST(Propagate, TanhOrderedAtZeroBiasKeepsTheCorrelation) {
  const auto g = integrator("tanh");
  auto r = propagate(g, {.init = {0.8, 0.0}, .depth = 5, .c0 = 0.1});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  ASSERT_EQ(r->layers.size(), 6u);
  EXPECT_NEAR(r->layers[5].c, 0.090962, 1e-6);
  EXPECT_EQ(r->fixed_point->q, 0.0);
}

// σ_w just below √2 at σ_b = 0 is a legal ReLU network (it was rejected with "q* must be finite and > 0").
TEST(Propagate, ReluJustBelowTheEdgeIsAccepted) {
  const auto g = integrator("relu");
  auto r = propagate(g, {.init = {1.41421356, 0.0}, .depth = 5});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  EXPECT_EQ(r->layers.size(), 6u);
  // c¹ from c⁰ = 0 is 1/π for any σ_w at σ_b = 0.
  EXPECT_NEAR(r->layers[1].c, 1 / M_PI, 1e-13);
}

// A diverging variance is a verdict with the layers up to it, never an error or an inf in a layer.
TEST(Propagate, ExplodingVarianceIsAVerdict) {
  const auto g = integrator("repu");
  auto r = propagate(g, {.init = {2.0, 0.0}, .depth = 50, .q0 = 2.0});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  EXPECT_FALSE(r->fixed_point.has_value());
  EXPECT_NE(r->verdict.find("explodes"), std::string::npos) << r->verdict;
  EXPECT_LT(r->layers.size(), 51u);
  for (const auto& L : r->layers) {
    EXPECT_TRUE(std::isfinite(L.q) && std::isfinite(L.c) && std::isfinite(L.chi1)) << "layer " << L.l;
  }
  const std::string dumped = json_dump(r->to_json(), false);
  EXPECT_EQ(dumped.find("nan"), std::string::npos);
  EXPECT_EQ(dumped.find("inf"), std::string::npos);
}

// Inputs of different variance: with ReLU at σ_b = 0 the normalised map ignores the scales, so c follows
// the same arc-cosine map.
TEST(Propagate, TwoInputsOfDifferentVariance) {
  const auto g = integrator("relu");
  auto r = propagate(g, {.init = {1.0, 0.0}, .depth = 3, .q0 = 1.0, .q0_second = 4.0, .c0 = 0.3});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  double c = 0.3;
  for (int l = 1; l <= 3; ++l) {
    c = (std::sqrt(1 - c * c) + (M_PI - std::acos(c)) * c) / M_PI;
    EXPECT_NEAR(r->layers[l].c, c, 1e-12);
    EXPECT_NEAR(r->layers[l].q_second, 4.0 * std::pow(0.5, l), 1e-13);
  }
  EXPECT_TRUE(r->to_json()["layers"][1].contains("q_second"));
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
  EXPECT_EQ(field({.init = {1.0, 0.0}, .depth = 3, .q0_second = -1.0}), "q0_second");
  EXPECT_EQ(field({.init = {1.0, 0.0}, .depth = kMaxPropagateDepth + 1}), "depth");
}

}  // namespace
}  // namespace actlab::theory
