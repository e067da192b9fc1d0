// Oracles: the kernel recursion (theory/effective.hpp) for E z², and the exact finite-width ReLU result
// (docs/theory.md, "Four-point vertex and Monte Carlo"): E z⁴/(3 K²) = (1 + 5/n)^(l−1), i.e. n Var Ĝ/K² =
// n((1 + 5/n)^(l−1) − 1) at every width. Statistical tolerance: 4 standard errors (a false failure once in
// ~16000 checks).
#include "theory/monte_carlo.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "theory/effective.hpp"
#include "theory/gaussian.hpp"

namespace actlab::theory {
namespace {

using activations::Activation;

TEST(MonteCarlo, ReluIsExactAtAnyWidth) {
  const Activation act = Activation::make("relu").value();
  const int n = 16, depth = 4;
  auto mc = monte_carlo_kernel(act, 0.0, 2.0, 1.0, depth, {.width = n, .samples = 20000, .seed = 3});
  ASSERT_TRUE(mc.has_value()) << mc.status().message();
  ASSERT_EQ(mc->size(), static_cast<std::size_t>(depth));
  EXPECT_EQ((*mc)[0].V_over_K2, 0.0);
  for (const MonteCarloLayer& m : *mc) {
    EXPECT_NEAR(m.K, 1.0, 4 * m.K_se) << "l = " << m.l;  // E z² = K exactly for ReLU at C_W = 2
    const double exact = n * (std::pow(1.0 + 5.0 / n, m.l - 1) - 1.0);
    EXPECT_NEAR(m.V_over_K2, exact, 4 * m.V_over_K2_se + 1e-12) << "l = " << m.l;
  }
}

TEST(MonteCarlo, KernelMatchesTheRecursionAtLargeWidth) {
  // tanh with a bias: E z² = K^(l) + O(1/n); at n = 128 that is inside 4 standard errors of 1000 nets plus
  // 2e-3.
  const Activation act = Activation::make("tanh").value();
  const auto g = GaussianIntegrator::make(act).value();
  const auto rec = kernel_recursion(g, 0.2, 1.5, 0.8, 5).value();
  auto mc = monte_carlo_kernel(act, 0.2, 1.5, 0.8, 5, {.width = 128, .samples = 1000, .seed = 5});
  ASSERT_TRUE(mc.has_value());
  for (int l = 0; l < 5; ++l)
    EXPECT_NEAR((*mc)[l].K, rec.layers[l].K, 4 * (*mc)[l].K_se + 2e-3) << "l = " << l + 1;
}

TEST(MonteCarlo, SameSeedSameNumbers) {
  const Activation act = Activation::make("gelu").value();
  const MonteCarloOptions o{.width = 8, .samples = 50, .seed = 42};
  const auto a = monte_carlo_kernel(act, 0.1, 1.7, 1.0, 3, o).value();
  const auto b = monte_carlo_kernel(act, 0.1, 1.7, 1.0, 3, o).value();
  const auto c = monte_carlo_kernel(act, 0.1, 1.7, 1.0, 3, {.width = 8, .samples = 50, .seed = 43}).value();
  for (int l = 0; l < 3; ++l) {
    EXPECT_EQ(a[l].K, b[l].K);
    EXPECT_EQ(a[l].V_over_K2, b[l].V_over_K2);
  }
  EXPECT_NE(a[2].K, c[2].K);
}

TEST(MonteCarlo, OverflowStopsTheLayers) {
  // RePU p = 3 with a large C_W: K^(l) explodes double-exponentially and overflows within a few layers.
  const Activation act = Activation::make("repu", {{"p", 3}}).value();
  auto mc = monte_carlo_kernel(act, 0.0, 50.0, 10.0, 12, {.width = 8, .samples = 20, .seed = 1});
  ASSERT_TRUE(mc.has_value());
  EXPECT_LT(mc->size(), 12u);
  EXPECT_GE(mc->size(), 1u);
  for (const auto& m : *mc) EXPECT_TRUE(std::isfinite(m.K));
}

TEST(MonteCarlo, BadInput) {
  const Activation act = Activation::make("tanh").value();
  EXPECT_FALSE(monte_carlo_kernel(act, -1, 1, 1, 2, {}).has_value());
  EXPECT_FALSE(monte_carlo_kernel(act, 0, 1, 1, 0, {}).has_value());
  EXPECT_FALSE(monte_carlo_kernel(act, 0, 1, 1, 2, {.width = 0}).has_value());
  EXPECT_FALSE(monte_carlo_kernel(act, 0, 1, 1, 2, {.width = 4, .samples = 1}).has_value());
  EXPECT_FALSE(monte_carlo_kernel(Activation::make("softmax").value(), 0, 1, 1, 2, {}).has_value());
}

// Two inputs through shared random ReLU networks: at σ_b = 0 the correlation follows the arc-cosine map
// c' = (√(1 − c²) + (π − arccos c) c)/π (Cho & Saul 2009) up to noise and an O(1/n) bias.
TEST(MonteCarlo, CorrelationFollowsTheArcCosineMap) {
  auto act = activations::Activation::make("relu").value();
  auto mc = monte_carlo_correlation(act, 0.0, 2.0, 1.0, 0.3, 4, {.width = 256, .samples = 200, .seed = 3});
  ASSERT_TRUE(mc.has_value()) << mc.status().message();
  ASSERT_EQ(mc->size(), 4u);
  double c = 0.3;
  for (const auto& row : *mc) {
    EXPECT_LT(std::abs(row.c - c), 5 * row.c_se + 0.01) << "layer " << row.l;
    c = (std::sqrt(1 - c * c) + (M_PI - std::acos(c)) * c) / M_PI;
  }
  EXPECT_FALSE(monte_carlo_correlation(act, 0.0, 2.0, 1.0, 1.5, 4, {}).has_value());
}

}  // namespace
}  // namespace actlab::theory
