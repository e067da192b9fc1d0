#include "optim/test_functions.hpp"

#include <cmath>
#include <numbers>

namespace actlab::optim {
namespace {

// Dik's Scale(v, inMin, inMax, 0, 1), clipped to [0, 1].
double scale01(double v, double lo, double hi) {
  if (v <= lo) return 0.0;
  if (v >= hi) return 1.0;
  return (v - lo) / (hi - lo);
}

double sq(double v) { return v * v; }

// a + b, shared by Forest and Megacity.
double forest_ab(double x, double y) {
  const double a = std::sin(std::sqrt(std::fabs(x - 1.13) + std::fabs(y - 2.0)));
  const double b = std::cos(std::sqrt(std::fabs(std::sin(x))) + std::sqrt(std::fabs(std::sin(y - 2.0))));
  return a + b;
}

}  // namespace

double hilly(double x, double y) {
  constexpr double pi = std::numbers::pi;
  const double raw = 20.0 + x * x + y * y - 10.0 * std::cos(2.0 * pi * x) - 10.0 * std::cos(2.0 * pi * y) -
                     30.0 * std::exp(-(sq(x - 1.0) + y * y) / 0.1) +
                     200.0 * std::exp(-(sq(x + pi * 0.47) + sq(y - pi * 0.2)) / 0.1) +
                     100.0 * std::exp(-(sq(x - 0.5) + sq(y + 0.5)) / 0.01) -
                     60.0 * std::exp(-(sq(x - 1.33) + sq(y - 2.0)) / 0.02) -
                     40.0 * std::exp(-(sq(x + 1.3) + sq(y + 0.2)) / 0.5) +
                     60.0 * std::exp(-(sq(x - 1.5) + sq(y + 1.5)) / 0.1);
  return scale01(raw, -39.701816104859866, 229.91931214214105);
}

double forest(double x, double y) {
  const double f = forest_ab(x, y) + 1.01 * std::exp(-(sq(x + 42.0) + sq(y + 43.5)) / 0.9) +
                   std::exp(-(sq(x + 40.2) + sq(y + 46.0)) / 0.3);
  const double raw = std::pow(f, 4.0) - 0.3 * std::exp(-(sq(x + 42.3) + sq(y + 46.0)) / 0.02);
  return scale01(raw, -0.26489289358875895, 1.8779867959790217);
}

double megacity(double x, double y) {
  const double f = forest_ab(x, y);
  const double raw =
      std::floor(std::pow(f, 4.0)) - std::floor(2.0 * std::exp(-(sq(x + 9.5) + sq(y + 7.5)) / 0.4));
  return scale01(raw, -1.0, 12.0);
}

double TestFunction::evaluate(std::span<const double> x) const {
  const std::size_t n = x.size() / 2;
  if (n == 0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = x[2 * i], b = x[2 * i + 1];
    if (!(a >= x_lo && a <= x_hi && b >= y_lo && b <= y_hi)) return 0.0;  // NaN fails every comparison
    sum += core(a, b);
  }
  return sum / static_cast<double>(n);
}

const TestFunction& test_function(TestFunctionKind kind) {
  static const TestFunction kHilly{TestFunctionKind::kHilly, "hilly", -3, 3, -3, 3, &hilly};
  static const TestFunction kForest{TestFunctionKind::kForest, "forest", -43.5, -39, -47.35, -40, &forest};
  static const TestFunction kMegacity{TestFunctionKind::kMegacity, "megacity", -10, -2, -10.5, 10, &megacity};
  switch (kind) {
    case TestFunctionKind::kHilly: return kHilly;
    case TestFunctionKind::kForest: return kForest;
    case TestFunctionKind::kMegacity: return kMegacity;
  }
  return kHilly;
}

Result<TestFunctionKind> parse_test_function(std::string_view name) {
  if (name == "hilly") return TestFunctionKind::kHilly;
  if (name == "forest") return TestFunctionKind::kForest;
  if (name == "megacity") return TestFunctionKind::kMegacity;
  return Status::not_found("unknown test function '" + std::string(name) + "' (hilly, forest, megacity)");
}

}  // namespace actlab::optim
