// Adam: the first step moves every weight by lr·g/(|g| + ε) ≈ lr·sign(g) whatever the gradient's scale (the
// bias corrections cancel exactly at t = 1), and Adam minimises a badly scaled quadratic.
#include "optim/adam.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace actlab::optim {
namespace {

TEST(Adam, FirstStepIsScaleFree) {
  Adam opt({.kind = OptimizerKind::kAdam, .lr = 0.01}, false);
  std::vector<float> w = {0, 0, 0}, g = {1e-3f, -50.0f, 7.0f};
  std::vector<ParamBlock> blocks = {{w, g}};
  opt.step(blocks);
  EXPECT_NEAR(w[0], -0.01, 1e-6);
  EXPECT_NEAR(w[1], 0.01, 1e-6);
  EXPECT_NEAR(w[2], -0.01, 1e-6);
  EXPECT_EQ(opt.steps(), 1);
}

TEST(Adam, MinimisesBadlyScaledQuadratic) {
  Adam opt({.kind = OptimizerKind::kAdam, .lr = 0.05}, false);
  std::vector<float> w = {3.0f, -2.0f}, g(2);
  std::vector<ParamBlock> blocks = {{w, g}};
  for (int t = 0; t < 2000; ++t) {
    g[0] = 100.0f * (w[0] - 1.0f);  // curvature 100
    g[1] = 0.01f * (w[1] + 1.0f);   // curvature 0.01
    opt.step(blocks);
  }
  EXPECT_NEAR(w[0], 1.0, 1e-2);
  EXPECT_NEAR(w[1], -1.0, 5e-2);
}

TEST(Adam, AdamWDecaysWeightsWithoutGradient) {
  Adam opt({.kind = OptimizerKind::kAdamW, .lr = 0.1, .weight_decay = 0.5}, true);
  std::vector<float> w = {2.0f}, g = {0.0f};
  std::vector<ParamBlock> blocks = {{w, g}};
  opt.step(blocks);
  EXPECT_FLOAT_EQ(w[0], 2.0f * (1.0f - 0.05f));  // m = 0: only the decoupled decay moves w
}

}  // namespace
}  // namespace actlab::optim
