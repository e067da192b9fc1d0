#include "theory/root_find.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace actlab::theory {
namespace {

TEST(Brent, FindsRootsToTheRequestedTolerance) {
  auto f = [](double x) { return x * x - 2; };
  EXPECT_NEAR(brent(f, 1.0, 2.0, f(1.0), f(2.0), 1e-15), std::sqrt(2.0), 4e-16);
  auto g = [](double x) { return std::cos(x) - x; };  // Dottie number 0.7390851332151607
  EXPECT_NEAR(brent(g, 0.0, 1.0, g(0.0), g(1.0), 1e-15), 0.7390851332151607, 1e-15);
  auto h = [](double x) { return std::sin(x); };  // a bracket around π, either orientation
  EXPECT_NEAR(brent(h, 4.0, 3.0, h(4.0), h(3.0), 1e-15), std::numbers::pi, 1e-15);
  // Endpoint roots are returned as they are.
  EXPECT_EQ(brent(f, std::sqrt(2.0), 2.0, 0.0, f(2.0), 1e-15), std::sqrt(2.0));
  // A function with a flat stretch and a steep root still converges (bisection safeguard).
  auto k = [](double x) { return std::pow(x - 0.3, 9.0); };
  EXPECT_NEAR(brent(k, -1.0, 2.0, k(-1.0), k(2.0), 1e-12), 0.3, 1e-3);
}

}  // namespace
}  // namespace actlab::theory
