// The objective and observer concepts accept plain callables and reject the wrong signatures.
#include "optim/objective.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace actlab::optim {
namespace {

TEST(Objective, ConceptAcceptsCallablesOverSpans) {
  auto sphere = [](std::span<const double> x) {
    double s = 0;
    for (double v : x) s += v * v;
    return s;
  };
  static_assert(Objective<decltype(sphere)>);
  static_assert(!Objective<int>);
  auto wants_vector = [](std::vector<int>&) { return 0.0; };
  static_assert(!Objective<decltype(wants_vector)>);
  static_assert(EvaluationObserver<NoObserver>);
  auto stop_early = [](std::int64_t n, double) { return n < 10; };
  static_assert(EvaluationObserver<decltype(stop_early)>);
  EXPECT_TRUE(NoObserver{}(1, 0.0));
}

}  // namespace
}  // namespace actlab::optim
