// Dik's test functions (Dec-2024 versions, spec §6.1): each reaches 1 at its global maximum, the values the
// spec's normalisation constants imply, 0 outside the box or on NaN, and the n-copy mean.
#include "optim/test_functions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace actlab::optim {
namespace {

constexpr double kPi = std::numbers::pi;

TEST(TestFunctions, MaximaAreOne) {
  // Hilly: the spec's maximum (−1.48091, 0.62541), raw 229.9193121 ≈ the scale's top 229.91931214214105.
  EXPECT_NEAR(hilly(-1.48091, 0.62541), 1.0, 1e-9);
  // Forest: the peak at x = −13π, y = 2 − 14π (sin x = sin(y − 2) = 0), raw = 1.8779867959790217.
  EXPECT_NEAR(forest(-13 * kPi, 2 - 14 * kPi), 1.0, 1e-12);
  // Megacity: ⌊F⁴⌋ = 12 at x = −π, y = 2, the top of its scale [−1, 12].
  EXPECT_DOUBLE_EQ(megacity(-kPi, 2.0), 1.0);
}

TEST(TestFunctions, NothingExceedsTheMaximumOnAGrid) {
  for (auto kind : {TestFunctionKind::kHilly, TestFunctionKind::kForest, TestFunctionKind::kMegacity}) {
    const TestFunction& tf = test_function(kind);
    double hi = 0, lo = 1;
    for (int i = 0; i <= 400; ++i)
      for (int j = 0; j <= 400; ++j) {
        const double v =
            tf.core(tf.x_lo + (tf.x_hi - tf.x_lo) * i / 400, tf.y_lo + (tf.y_hi - tf.y_lo) * j / 400);
        hi = std::max(hi, v);
        lo = std::min(lo, v);
      }
    EXPECT_LE(hi, 1.0) << tf.name;
    EXPECT_GT(hi, 0.95) << tf.name;
    EXPECT_GE(lo, 0.0) << tf.name;
    EXPECT_LT(lo, 0.2) << tf.name;
  }
}

TEST(TestFunctions, ValuesAtKnownPoints) {
  // Hilly at the origin: raw = 20 − 10 − 10 − 30e^(−10) + 200e^(−(0.47π)² − (0.2π)²)/0.1) + ... (direct sum).
  const double raw0 = 20 - 20 - 30 * std::exp(-10.0) +
                      200 * std::exp(-((0.47 * kPi) * (0.47 * kPi) + (0.2 * kPi) * (0.2 * kPi)) / 0.1) +
                      100 * std::exp(-0.5 / 0.01) - 60 * std::exp(-(1.33 * 1.33 + 4) / 0.02) -
                      40 * std::exp(-(1.69 + 0.04) / 0.5) + 60 * std::exp(-(2.25 + 2.25) / 0.1);
  EXPECT_NEAR(hilly(0, 0), (raw0 + 39.701816104859866) / (229.91931214214105 + 39.701816104859866), 1e-14);
  // Megacity's plateaus are multiples of 1/13.
  const double m = megacity(-6.0, 3.0) * 13.0;
  EXPECT_NEAR(m, std::round(m), 1e-12);
}

TEST(TestFunctions, CopiesAverageAndOutOfRangeIsZero) {
  const TestFunction& h = test_function(TestFunctionKind::kHilly);
  std::vector<double> x = {-1.48091, 0.62541, 0.0, 0.0};
  EXPECT_NEAR(h.evaluate(x), (hilly(-1.48091, 0.62541) + hilly(0, 0)) / 2, 1e-15);
  x[3] = 3.5;
  EXPECT_EQ(h.evaluate(x), 0.0);
  x[3] = std::nan("");
  EXPECT_EQ(h.evaluate(x), 0.0);
  EXPECT_EQ(h.evaluate(std::vector<double>{}), 0.0);
  EXPECT_EQ(*parse_test_function("megacity"), TestFunctionKind::kMegacity);
  EXPECT_FALSE(parse_test_function("rastrigin"));
  EXPECT_EQ(test_function(TestFunctionKind::kForest).x_lo, -43.5);
}

}  // namespace
}  // namespace actlab::optim
