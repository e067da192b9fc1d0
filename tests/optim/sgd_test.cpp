// Sgd against the closed form of momentum on a constant gradient: after t steps with b₁ = g,
// b_t = μ·b_{t−1} + (1−τ)·g, so with τ = 0: w_t = w₀ − lr·g·Σ_{k=1..t} (1 − μᵏ)/(1 − μ).
#include "optim/sgd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace actlab::optim {
namespace {

TEST(Sgd, HeavyBallOnConstantGradient) {
  const double lr = 0.1, mu = 0.9, g0 = 0.5;
  Sgd opt({.kind = OptimizerKind::kSgd, .lr = lr, .momentum = mu});
  std::vector<float> w = {1.0f}, g = {static_cast<float>(g0)};
  std::vector<ParamBlock> blocks = {{w, g}};
  double expected = 1.0;
  for (int t = 1; t <= 20; ++t) {
    opt.step(blocks);
    expected -= lr * g0 * (1 - std::pow(mu, t)) / (1 - mu);
    EXPECT_NEAR(w[0], expected, 1e-5) << "step " << t;
  }
}

TEST(Sgd, PlainStepIsLrTimesGradientPlusDecay) {
  Sgd opt({.kind = OptimizerKind::kSgd, .lr = 0.5, .weight_decay = 0.1});
  std::vector<float> w = {2.0f, -4.0f}, g = {1.0f, 0.0f};
  std::vector<ParamBlock> blocks = {{w, g}};
  opt.step(blocks);
  EXPECT_FLOAT_EQ(w[0], 2.0f - 0.5f * (1.0f + 0.2f));
  EXPECT_FLOAT_EQ(w[1], -4.0f - 0.5f * (-0.4f));
}

}  // namespace
}  // namespace actlab::optim
