// Weight bounds from the effective domain (spec §1c, §4.1): the windows of sigmoid, tanh, Dik's tanh, the
// hard sigmoids and softsign against the closed forms and the spec's table; the 1-1-1 boxes; the
// target-cover rule for ReLU; clear errors for activations the rule cannot use.
#include "nn/weight_bounds.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::nn {
namespace {

using activations::Activation;

Activation act(const char* name) { return Activation::make(name).value(); }

// |z| where sech²(z/2)·¼ = κ·¼ (sigmoid, Dik's tanh): 2·acosh(1/√κ); tanh: acosh(1/√κ).
double sigmoid_z(double kappa) { return 2 * std::acosh(1 / std::sqrt(kappa)); }

TEST(WeightBounds, SaturatingWindowsMatchTheSpecTable) {
  // Spec §1c: κ = 0.10 → 3.64 / 1.82 / 3.64; κ = 0.05 → 4.36 / 2.18 / 4.36; κ = 0.01 → 5.99 / 2.99 / 5.99.
  const double table[3][4] = {{0.10, 3.64, 1.82, 3.64}, {0.05, 4.36, 2.18, 4.36}, {0.01, 5.99, 2.99, 5.99}};
  for (const auto& row : table) {
    const double k = row[0];
    auto s = effective_domain(act("sigmoid"), k).value();
    auto t = effective_domain(act("tanh"), k).value();
    auto d = effective_domain(act("dik_tanh"), k).value();
    EXPECT_NEAR(s.z_hi, row[1], 0.005) << k;
    EXPECT_NEAR(t.z_hi, row[2], 0.005) << k;
    EXPECT_NEAR(d.z_hi, row[3], 0.005) << k;
    EXPECT_NEAR(s.z_hi, sigmoid_z(k), 1e-6);
    EXPECT_NEAR(s.z_lo, -sigmoid_z(k), 1e-6);
    EXPECT_NEAR(t.z_hi, std::acosh(1 / std::sqrt(k)), 1e-6);
    EXPECT_NEAR(d.z_hi, sigmoid_z(k), 1e-6);
    EXPECT_NEAR(s.max_df, 0.25, 1e-12);
    EXPECT_NEAR(d.max_df, 0.5, 1e-12);
  }
}

TEST(WeightBounds, HardSigmoidAndSoftsign) {
  // MQL5/Keras hard sigmoid: exactly [−2.5, 2.5]; PyTorch's Hardsigmoid: [−3, 3].
  auto k = effective_domain(act("hard_sigmoid_keras"), 0.01).value();
  EXPECT_NEAR(k.z_lo, -2.5, 1e-9);
  EXPECT_NEAR(k.z_hi, 2.5, 1e-9);
  auto h = effective_domain(act("hard_sigmoid"), 0.01).value();
  EXPECT_NEAR(h.z_hi, 3.0, 1e-9);
  // Softsign: (1 + |z|)^-2 ≥ κ ⇔ |z| ≤ 1/√κ − 1: 2.16 at κ = 0.1 (spec), 9 at κ = 0.01.
  EXPECT_NEAR(effective_domain(act("softsign"), 0.1)->z_hi, std::sqrt(10.0) - 1, 1e-6);
  EXPECT_NEAR(effective_domain(act("softsign"), 0.01)->z_hi, 9.0, 1e-6);
}

TEST(WeightBounds, BoxesOfTheOneOneOneNetwork) {
  auto b = bounds_111(act("sigmoid"), 0.5, 0.3).value();
  const double z = sigmoid_z(0.01);
  EXPECT_FALSE(b.widened);
  EXPECT_NEAR(b.z, z, 1e-6);
  EXPECT_NEAR(b.b_hidden, z / 1.5, 1e-6);
  EXPECT_NEAR(b.hmax, 1 / (1 + std::exp(-z)), 1e-6);
  EXPECT_NEAR(b.b_output, z / (1 + b.hmax), 1e-6);
  const optim::Box box = b.box();
  ASSERT_TRUE(box.validate());
  EXPECT_EQ(box.hi[0], b.b_hidden);
  EXPECT_EQ(box.lo[3], -b.b_output);
  // The per-neuron rule B = Z/(1 + ΣXᵢ).
  const double xs[] = {0.5, -2.0};
  EXPECT_DOUBLE_EQ(neuron_bound(7.0, xs), 2.0);
}

TEST(WeightBounds, ReluLikeWindowsCoverTheTarget) {
  // ReLU: the window is [0, ∞): Z from the target-cover rule, max(1.5·Z_t, 1) with Z_t = t.
  auto d = effective_domain(act("relu"), 0.01).value();
  EXPECT_EQ(d.z_lo, 0.0);
  EXPECT_TRUE(std::isinf(d.z_hi));
  auto b = bounds_111(act("relu"), 0.5, 0.3).value();
  EXPECT_TRUE(b.widened);
  EXPECT_NEAR(b.z, 1.0, 1e-12);
  b = bounds_111(act("relu"), 0.5, 3.0).value();
  EXPECT_NEAR(b.z, 4.5, 2e-3);
  // A target beyond the κ window of a sigmoid widens Z past 5.99.
  b = bounds_111(act("sigmoid"), 0.5, 0.999).value();
  EXPECT_TRUE(b.widened);
  EXPECT_GT(b.z, 6.9 * 1.5 - 0.01);
}

TEST(WeightBounds, ErrorsNameTheActivation) {
  for (const char* name : {"exp", "cosh", "step", "sign", "gaussian", "log", "acos"}) {
    auto r = effective_domain(act(name), 0.01);
    ASSERT_FALSE(r) << name;
    EXPECT_TRUE(r.status().is_bad_input());
    EXPECT_EQ(r.status().message().rfind(std::string(name) + ":", 0), 0u) << r.status().message();
  }
  auto r = bounds_111(act("sigmoid"), 0.5, 2.0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("sigmoid: the target 2 is outside"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(effective_domain(act("tanh"), 0.0));
}

}  // namespace
}  // namespace actlab::nn
