// The kernel recursion, vertex and Monte Carlo along depth (moved from the `theory kernel` command).
// Oracles (Roberts, Yaida & Hanin 2022, ch. 4-5; docs/theory.md): RePU p = 2 at C_W = 1/3, C_b = 0 from
// K = 2.1 grows 2.1, 2.205, 2.431, 2.955, 4.37, 9.53, 45.4, 1031 and overflows; ReLU V/K² = 5(l − 1), and its
// finite-width law n((1 + 5/n)^(l−1) − 1) within 4 standard errors.
#include "theory/kernel_profile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "activations/activation.hpp"
#include "support/integrator.hpp"

namespace actlab::theory {
namespace {

using actlab::testing::integrator;

TEST(KernelProfile, RepuBlowsUp) {
  const auto g = integrator("repu");
  auto p = kernel_profile(g, {.cw = 1.0 / 3, .cb = 0, .k0 = 2.1, .depth = 40});
  ASSERT_TRUE(p.has_value()) << p.status().message();
  const std::vector<double> spec = {2.1, 2.205, 2.431, 2.955, 4.37, 9.53, 45.4, 1031};
  for (std::size_t i = 0; i < spec.size(); ++i) {
    EXPECT_NEAR(p->recursion.layers[i].K, spec[i], 0.006 * spec[i]) << i;
    EXPECT_NEAR(p->recursion.layers[i].r, 1.5, 1e-12);
  }
  EXPECT_FALSE(p->recursion.finite);
  EXPECT_TRUE(p->monte_carlo.empty());
  const Json j = p->to_json();
  EXPECT_EQ(j["finite"], false);
  EXPECT_FALSE(j["layers"][0].contains("mc"));
}

TEST(KernelProfile, ReluVertexAndMonteCarlo) {
  const auto g = integrator("relu");
  const KernelPlan plan{.cw = 2, .cb = 0, .k0 = 1, .depth = 4, .width = 32, .mc = 400, .seed = 9};
  auto p = kernel_profile(g, plan);
  ASSERT_TRUE(p.has_value()) << p.status().message();
  ASSERT_EQ(p->recursion.layers.size(), 4u);
  ASSERT_EQ(p->monte_carlo.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const int l = static_cast<int>(i) + 1;
    EXPECT_NEAR(p->V_over_K2(i), 5.0 * (l - 1), 1e-11);
    const auto& m = p->monte_carlo[i];
    EXPECT_NEAR(m.K, 1.0, 4 * m.K_se + 1e-12);
    EXPECT_NEAR(m.V_over_K2, 32 * (std::pow(1 + 5.0 / 32, l - 1) - 1), 4 * m.V_over_K2_se + 1e-12) << l;
  }
  EXPECT_TRUE(std::isnan(p->V_over_K2(4)));
  const Json j = p->to_json();
  EXPECT_EQ(j["seed"], 9);
  EXPECT_TRUE(j["layers"][3]["mc"].contains("V_over_K2_se"));
  auto again = kernel_profile(g, plan);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->monte_carlo[3].V_over_K2, p->monte_carlo[3].V_over_K2);  // same seed, same numbers
}

TEST(KernelProfile, BadPlanNamesTheField) {
  const auto g = integrator("tanh");
  auto field = [&](const KernelPlan& p) {
    auto r = kernel_profile(g, p);
    EXPECT_FALSE(r.has_value());
    return r.status().field();
  };
  EXPECT_EQ(field({.cw = 0, .depth = 3}), "cw");
  EXPECT_EQ(field({.cb = -1, .depth = 3}), "cb");
  EXPECT_EQ(field({.k0 = 0, .depth = 3}), "k0");
  EXPECT_EQ(field({.depth = 0}), "depth");
  EXPECT_EQ(field({.depth = 3, .width = 0, .mc = 10}), "width");
  EXPECT_EQ(field({.depth = 3, .width = 8, .mc = 1}), "mc");
  EXPECT_EQ(field({.depth = 3, .width = 8}), "mc");
  EXPECT_EQ(field({.depth = 3, .mc = 8}), "width");
  EXPECT_EQ(field({.depth = 3, .width = 100000, .mc = 1000}), "mc");
}

}  // namespace
}  // namespace actlab::theory
