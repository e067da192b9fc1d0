// Oracles (Roberts, Yaida & Hanin 2022, ch. 4; docs/theory.md, "Four-point vertex and Monte Carlo"): ReLU
// V/K² = 5(l − 1); scale-invariant (3A₄/A₂² − 1)(l − 1); MRePU p = 2 at K^(1) = 1e−3; tanh V/(K² l) → 2/3;
// RePU u_l = s_p (p^(2(l−1)) − 1)/(p² − 1); and an independent finite-width Monte Carlo
// (theory/monte_carlo.hpp) at large width.
#include "theory/vertex.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "activations/activation.hpp"
#include "theory/monte_carlo.hpp"

namespace actlab::theory {
namespace {

using activations::Activation;

struct Prepared {
  Activation act;
  GaussianIntegrator g;
};

Prepared setup(const char* spec, std::map<std::string, double> params = {}) {
  auto act = Activation::make(spec, params);
  EXPECT_TRUE(act.has_value()) << spec;
  auto g = GaussianIntegrator::make(*act);
  EXPECT_TRUE(g.has_value()) << spec;
  return {*act, std::move(g).value()};
}

std::vector<VertexLayer> vertex(const Prepared& s, double C_b, double C_W, double K0, int depth) {
  auto rec = kernel_recursion(s.g, C_b, C_W, K0, depth);
  EXPECT_TRUE(rec.has_value());
  auto v = vertex_recursion(s.g, C_W, *rec);
  EXPECT_TRUE(v.has_value()) << v.status().message();
  return std::move(v).value();
}

double double_factorial(int n) { return n <= 0 ? 1.0 : n * double_factorial(n - 2); }

TEST(Vertex, ReluIsFiveTimesDepthMinusOne) {  // spec §3: V/K² = 5(l − 1) at C_W = 2, any K
  const Prepared s = setup("relu");
  for (double K0 : {0.3, 1.0, 7.0}) {
    const auto v = vertex(s, 0.0, 2.0, K0, 30);
    ASSERT_EQ(v.size(), 30u);
    for (const VertexLayer& L : v) EXPECT_NEAR(L.V_over_K2, 5.0 * (L.l - 1), 1e-11 * L.l) << "l = " << L.l;
  }
}

TEST(Vertex, ScaleInvariantGeneralForm) {  // spec §3: (3A₄/A₂² − 1)(l − 1), A_k = (a₊^k + a₋^k)/2
  for (double a : {0.1, 0.5, -1.0}) {
    const Prepared s = setup("where(x > 0, x, a*x)", {{"a", a}});
    const double A2 = (1 + a * a) / 2, A4 = (1 + a * a * a * a) / 2;
    const auto v = vertex(s, 0.0, 1.0 / A2, 1.0, 10);
    for (const VertexLayer& L : v)
      EXPECT_NEAR(L.V_over_K2, (3 * A4 / (A2 * A2) - 1) * (L.l - 1), 1e-11 * L.l) << "a = " << a;
  }
}

TEST(Vertex, RepuGrowsLikePToTheTwoL) {  // spec §2.3: C_b = 0, any C_W, any K^(1)
  for (int p = 2; p <= 3; ++p) {
    const Prepared s = setup("repu", {{"p", p}});
    const double dfp = double_factorial(2 * p - 1);
    const double sp = 2 * double_factorial(4 * p - 1) / (dfp * dfp) - 1;
    const double C_W = 2.0 / dfp;  // K* = 1: K stays finite for 6 layers from K^(1) = 0.9
    const auto v = vertex(s, 0.0, C_W, 0.9, 6);
    ASSERT_EQ(v.size(), 6u);
    for (const VertexLayer& L : v) {
      const double expected = sp * (std::pow(p, 2.0 * (L.l - 1)) - 1) / (p * p - 1);
      EXPECT_NEAR(L.V_over_K2, expected, 1e-11 * std::max(1.0, expected)) << "p = " << p << ", l = " << L.l;
    }
  }
}

TEST(Vertex, MrepuTable) {  // spec §3: p = 2, C_W = 1, C_b = 0, K^(1) = 1e−3
  const Prepared s = setup("mrepu", {{"p", 2}});
  const auto v = vertex(s, 0.0, 1.0, 1e-3, 40);
  ASSERT_EQ(v.size(), 40u);
  const std::vector<std::pair<int, double>> table = {{2, 2.31}, {5, 9.79}, {10, 24.6}, {20, 69.0}, {40, 407}};
  const std::vector<std::pair<int, double>> kernels = {
      {2, 1.02e-3}, {5, 1.08e-3}, {10, 1.19e-3}, {20, 1.50e-3}, {40, 3.15e-3}};
  for (const auto& [l, u] : table) EXPECT_NEAR(v[l - 1].V_over_K2, u, 0.005 * u) << "l = " << l;
  for (const auto& [l, K] : kernels) EXPECT_NEAR(v[l - 1].K, K, 0.005 * K) << "l = " << l;
}

TEST(Vertex, TanhApproachesTwoThirdsPerLayer) {  // spec §3: K* = 0 class, V/K² → (2/3) l
  const Prepared s = setup("tanh");
  const auto v = vertex(s, 0.0, 1.0, 1.0, 400);
  ASSERT_EQ(v.size(), 400u);
  // The spec's sequence 0.552 (l = 10), 0.634 (50), 0.648 (100), 0.656 (200), 0.661 (400) at K^(1) = 1.
  const std::vector<std::pair<int, double>> table = {
      {10, 0.552}, {50, 0.634}, {100, 0.648}, {200, 0.656}, {400, 0.661}};
  for (const auto& [l, r] : table) EXPECT_NEAR(v[l - 1].V_over_K2 / l, r, 0.0015) << "l = " << l;
}

TEST(Vertex, Errors) {
  const Prepared s = setup("tanh");
  EXPECT_FALSE(vertex_recursion(s.g, -1.0, KernelRecursion{{{1, 1.0, 1.0, 1.0, 1.0}}, true}).has_value());
  EXPECT_FALSE(vertex_recursion(s.g, 1.0, KernelRecursion{}).has_value());
}

// The independent check: random networks of width 100, 2000 of them. The Monte Carlo estimate of
// n Var Ĝ/(E Ĝ)² differs from the infinite-width V/K² by O(l²/n) (ReLU: 10 (l − 1)(l − 2)/n, exact below) and
// by noise; the tolerance is 4 standard errors plus that bias.
TEST(Vertex, AgreesWithFiniteWidthMonteCarlo) {
  struct Case {
    const char* spec;
    double C_b, C_W, K0;
  };
  for (const Case& c :
       {Case{"relu", 0.0, 2.0, 1.0}, Case{"tanh", 0.0, 1.0, 1.0}, Case{"x*sigmoid(x)", 0.1, 2.0, 1.0}}) {
    const Prepared s = setup(c.spec);
    const int depth = 4, n = 100;
    const auto v = vertex(s, c.C_b, c.C_W, c.K0, depth);
    auto mc = monte_carlo_kernel(s.act, c.C_b, c.C_W, c.K0, depth, {.width = n, .samples = 2000, .seed = 11});
    ASSERT_TRUE(mc.has_value()) << mc.status().message();
    ASSERT_EQ(mc->size(), static_cast<std::size_t>(depth));
    for (int l = 2; l <= depth; ++l) {
      const MonteCarloLayer& m = (*mc)[l - 1];
      const double bias = 10.0 * (l - 1) * (l - 2) / n + 1e-9;
      EXPECT_NEAR(m.V_over_K2, v[l - 1].V_over_K2, 4 * m.V_over_K2_se + bias)
          << c.spec << " l = " << l << ": MC " << m.V_over_K2 << " ± " << m.V_over_K2_se;
      EXPECT_GT(m.V_over_K2_se, 0.0);
    }
  }
}

}  // namespace
}  // namespace actlab::theory
