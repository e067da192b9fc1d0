// The synthetic objective: zero exactly at its optimum, positive elsewhere, a fixed function of its shape.
#include "search/synthetic.hpp"

#include <gtest/gtest.h>

#include "search/sampler.hpp"

namespace actlab::search {
namespace {

TEST(Synthetic, OptimumIsZeroAndEverythingElseIsPositive) {
  const SyntheticProblem p;
  ASSERT_TRUE(p.validate());
  const Space s = p.space();
  ASSERT_EQ(s.size(), 12u);
  const Params best = p.optimum();
  ASSERT_EQ(best.size(), 12u);
  EXPECT_EQ(p.evaluate(best), 0.0);
  RandomSampler r;
  for (int k = 0; k < 100; ++k) EXPECT_GT(p.evaluate(r.sample(s, Direction::kMinimize, {}, k, 1)), 0.0);
  Params one_off = best;
  one_off[3] = best[3] == 0 ? 1 : 0;
  EXPECT_GE(p.evaluate(one_off), 0.05);
}

TEST(Synthetic, JsonRoundTripAndValidation) {
  SyntheticProblem p{.categorical = 3, .choices = 5, .floats = 1};
  auto q = SyntheticProblem::from_json(p.to_json());
  ASSERT_TRUE(q);
  EXPECT_EQ(q->choices, 5);
  EXPECT_EQ(q->space().size(), 4u);
  EXPECT_FALSE((SyntheticProblem{.categorical = 0, .choices = 5, .floats = 0}).validate());
  EXPECT_FALSE((SyntheticProblem{.categorical = 1, .choices = 1, .floats = 0}).validate());
}

}  // namespace
}  // namespace actlab::search
