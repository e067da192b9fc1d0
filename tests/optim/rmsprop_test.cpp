// RMSprop by hand: the first step is lr·g/(√((1−α)g²) + ε); centered, it divides by √(s − a²) instead, which
// after one step is √((1−α)g² − (1−α)²g²) = √(α(1−α))·|g|.
#include "optim/rmsprop.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace actlab::optim {
namespace {

TEST(Rmsprop, FirstStep) {
  Rmsprop opt({.kind = OptimizerKind::kRmsprop, .lr = 0.01, .alpha = 0.99});
  std::vector<float> w = {1.0f}, g = {2.0f};
  std::vector<ParamBlock> blocks = {{w, g}};
  opt.step(blocks);
  EXPECT_NEAR(w[0], 1.0 - 0.01 * 2.0 / (std::sqrt(0.01 * 4.0) + 1e-8), 1e-6);
}

TEST(Rmsprop, CenteredFirstStepUsesVariance) {
  Rmsprop opt({.kind = OptimizerKind::kRmsprop, .lr = 0.01, .alpha = 0.9, .centered = true});
  std::vector<float> w = {0.0f}, g = {1.0f};
  std::vector<ParamBlock> blocks = {{w, g}};
  opt.step(blocks);
  // s = 0.1, a = 0.1: d = √(0.1 − 0.01) = 0.3
  EXPECT_NEAR(w[0], -0.01 / 0.3, 1e-6);
}

}  // namespace
}  // namespace actlab::optim
