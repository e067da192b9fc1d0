// Dik's standard test functions and harness (MQL5 article 16443; docs/optimizers.md), as library code so
// tests, `actlab optbench` and benchmarks share them. Versions: TestFunctions.mqh at commit 606057e
// (Dec 2024), the ones ADAMm's published scores were measured on — not the 2026 Forest/Megacity.
//
//   double h = hilly(-1.48091, 0.62541);                     // ≈ 1, the global maximum
//   const TestFunction& tf = test_function(TestFunctionKind::kForest);
//   std::vector<double> x(2 * 25);                           // 25 copies: D = 50
//   double v = tf.evaluate(x);                               // mean of the 25 cores, 0 when out of range
//
// Each core is a 2-D function normalised to [0, 1] and MAXIMISED (global max 1). The n-copy problem has
// D = 2n parameters: F(x) = (1/n)·Σᵢ core(x_{2i}, x_{2i+1}); any NaN or out-of-range argument gives 0.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/status.hpp"

namespace actlab::optim {

// Hilly, smooth, x, y ∈ [−3, 3]:
//   raw = 20 + x² + y² − 10cos2πx − 10cos2πy − 30e^(−((x−1)²+y²)/0.1) + 200e^(−((x+0.47π)²+(y−0.2π)²)/0.1)
//         + 100e^(−((x−0.5)²+(y+0.5)²)/0.01) − 60e^(−((x−1.33)²+(y−2)²)/0.02) −
//         40e^(−((x+1.3)²+(y+0.2)²)/0.5)
//         + 60e^(−((x−1.5)²+(y+1.5)²)/0.1),  scaled from [−39.701816104859866, 229.91931214214105] to [0, 1].
double hilly(double x, double y);
// Forest, sharp, x ∈ [−43.5, −39], y ∈ [−47.35, −40]:
//   a = sin√(|x−1.13| + |y−2|), b = cos(√|sin x| + √|sin(y−2)|),
//   F = a + b + 1.01e^(−((x+42)²+(y+43.5)²)/0.9) + e^(−((x+40.2)²+(y+46)²)/0.3),
//   raw = F⁴ − 0.3e^(−((x+42.3)²+(y+46)²)/0.02), scaled from [−0.26489289358875895, 1.8779867959790217].
double forest(double x, double y);
// Megacity, discrete, x ∈ [−10, −2], y ∈ [−10.5, 10]: F = a + b (as Forest),
//   raw = ⌊F⁴⌋ − ⌊2e^(−((x+9.5)²+(y+7.5)²)/0.4)⌋, scaled from [−1, 12].
double megacity(double x, double y);

enum class TestFunctionKind { kHilly, kForest, kMegacity };

struct TestFunction {
  TestFunctionKind kind;
  std::string name;
  double x_lo, x_hi, y_lo, y_hi;
  double (*core)(double, double);

  // The n-copy function of x (size 2n), in [0, 1].
  double evaluate(std::span<const double> x) const;
};

const TestFunction& test_function(TestFunctionKind kind);
// "hilly" | "forest" | "megacity".
Result<TestFunctionKind> parse_test_function(std::string_view name);

}  // namespace actlab::optim
