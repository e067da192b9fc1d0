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

TEST(Synthetic, NumericalSpaceOfTenFloats) {
  // `study create --objective synthetic --categorical 0 --floats 10`: x0, x2, ... linear on [−5, 5], x1, x3,
  // ... log on [1e-3, 10]; the first two keep the targets of the two-float space (1.25, 0.05).
  const SyntheticProblem p{.categorical = 0, .choices = 48, .floats = 10};
  ASSERT_TRUE(p.validate());
  const Space s = p.space();
  ASSERT_EQ(s.size(), 10u);
  for (std::size_t j = 0; j < s.size(); ++j) {
    EXPECT_EQ(s[j].name, std::string(1, 'x').append(std::to_string(j)));  // (GCC 12 -Wrestrict on "x" + ...)
    EXPECT_EQ(s[j].dist.kind, ParamKind::kFloat);
    EXPECT_EQ(s[j].dist.log, j % 2 == 1);
  }
  const Params best = p.optimum();
  ASSERT_EQ(best.size(), 10u);
  EXPECT_EQ(best[0], 1.25);
  EXPECT_EQ(best[1], 0.05);
  for (std::size_t j = 0; j < s.size(); ++j) EXPECT_TRUE(s.contains(j, best[j])) << j;
  EXPECT_EQ(p.evaluate(best), 0.0);
  RandomSampler r;
  for (int k = 0; k < 100; ++k) EXPECT_GT(p.evaluate(r.sample(s, Direction::kMinimize, {}, k, 1)), 0.0);
  // Each coordinate matters: moving x_j alone off its target costs exactly its own term.
  for (std::size_t j = 0; j < s.size(); ++j) {
    Params q = best;
    q[j] = j % 2 == 1 ? best[j] * 10 : best[j] + 0.5;
    EXPECT_NEAR(p.evaluate(q), j % 2 == 1 ? 0.25 : 0.01, 1e-12) << j;
  }
  // The two-float space is the first two coordinates of this one.
  const SyntheticProblem two{.categorical = 0, .choices = 48, .floats = 2};
  EXPECT_EQ(two.optimum(), Params(best.begin(), best.begin() + 2));
  auto q = SyntheticProblem::from_json(p.to_json());
  ASSERT_TRUE(q);
  EXPECT_EQ(q->floats, 10);
  EXPECT_TRUE((SyntheticProblem{.categorical = 0, .choices = 48, .floats = 100}).validate());
  const Status too_many = (SyntheticProblem{.categorical = 0, .choices = 48, .floats = 101}).validate();
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.field(), "floats");
}

}  // namespace
}  // namespace actlab::search
