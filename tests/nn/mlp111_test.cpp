// The 1-1-1 network: loss_grad's analytic gradient against central differences, loss_batch against loss.
#include "nn/mlp111.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

namespace actlab::nn {
namespace {

using activations::Activation;

TEST(Mlp111, GradientMatchesFiniteDifferences) {
  for (const char* name : {"tanh", "sigmoid", "snake", "acon_c", "dik_tanh", "gelu"}) {
    auto net = Mlp111::make(Activation::make(name).value(), 0.5, 0.3).value();
    const std::array<double, 4> w = {0.2, -0.7, 0.4, 1.3};
    std::array<double, 4> g{};
    const double e = net.loss_grad(w, g);
    EXPECT_DOUBLE_EQ(e, net.loss(w)) << name;
    for (int k = 0; k < 4; ++k) {
      std::array<double, 4> p = w, m = w;
      const double h = 1e-6;
      p[k] += h;
      m[k] -= h;
      EXPECT_NEAR(g[k], (net.loss(p) - net.loss(m)) / (2 * h), 1e-7) << name << " k=" << k;
    }
  }
}

TEST(Mlp111, ForwardIsDiksLayerCalc) {
  auto net = Mlp111::make(Activation::make("tanh").value(), 0.5, 0.3).value();
  const std::array<double, 4> w = {0.1, 2.0, -0.2, 0.5};  // z₁ = 1.1, z₂ = −0.2 + 0.5·tanh(1.1)
  const double y = std::tanh(-0.2 + 0.5 * std::tanh(1.1));
  EXPECT_NEAR(net.loss(w), (y - 0.3) * (y - 0.3), 1e-15);
}

TEST(Mlp111, BatchEqualsSinglePoints) {
  auto net = Mlp111::make(Activation::make("softsign").value(), -1.5, 0.2).value();
  std::vector<double> w = {0.1, 0.2, 0.3, 0.4, -1, 2, -3, 4, 0, 0, 0, 0};
  std::vector<double> e(3);
  net.loss_batch(w, e);
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(e[i], net.loss(std::span<const double>(w).subspan(4 * i, 4)), 1e-14);
  EXPECT_FALSE(Mlp111::make(Activation::make("softmax").value(), 0.5, 0.3));
}

}  // namespace
}  // namespace actlab::nn
