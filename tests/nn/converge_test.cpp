// Convergence runs on the 1-1-1 network: both optimisers reach the threshold where they should, count
// evaluations the same way, stay inside the reflection box, and reject a zero budget or threshold.
#include "nn/converge.hpp"

#include <gtest/gtest.h>

#include "nn/weight_bounds.hpp"

namespace actlab::nn {
namespace {

using activations::Activation;

Mlp111 net(const char* name, double x = 0.5, double t = 0.3) {
  return Mlp111::make(Activation::make(name).value(), x, t).value();
}

TEST(Converge, AdamReachesTheThresholdOnTanh) {
  ConvergeRun run;
  run.lr = 0.01;
  run.checkpoints = log_checkpoints(run.budget, 20);
  auto r = converge_adam(net("tanh"), run, Rng(3)).value();
  ASSERT_GE(r.evals_to_threshold, 1);
  EXPECT_EQ(r.evaluations, r.evals_to_threshold);  // stops at the first success
  EXPECT_LT(r.best_error, 1e-6);
  ASSERT_EQ(r.curve.size(), run.checkpoints.size());
  for (std::size_t k = 1; k < r.curve.size(); ++k) EXPECT_LE(r.curve[k], r.curve[k - 1]);
  EXPECT_DOUBLE_EQ(net("tanh").loss(r.best_weights), r.best_error);
}

TEST(Converge, AdammReachesTheThresholdAndCountsEveryAgent) {
  auto b = bounds_111(Activation::make("tanh").value(), 0.5, 0.3).value();
  ConvergeRun run;
  run.reflect_box = b.box();
  run.budget = 20000;
  run.threshold = 1e-4;
  auto r = converge_adamm(net("tanh"), run, Rng(1)).value();
  ASSERT_GE(r.evals_to_threshold, 1);
  EXPECT_LE(r.evals_to_threshold, run.budget);
  EXPECT_LT(r.best_error, 1e-4);
  // Same stream, same run.
  auto again = converge_adamm(net("tanh"), run, Rng(1)).value();
  EXPECT_EQ(again.evals_to_threshold, r.evals_to_threshold);
  // An unreachable target spends the whole budget.
  run.budget = 450;
  auto miss = converge_adamm(net("tanh", 0.5, 3.0), run, Rng(1)).value();
  EXPECT_EQ(miss.evals_to_threshold, -1);
  EXPECT_EQ(miss.evaluations, 450);
}

TEST(Converge, ReflectionKeepsAdamInsideTheBox) {
  auto b = bounds_111(Activation::make("sigmoid").value(), 0.5, 0.9).value();
  ConvergeRun run;
  run.reflect_box = b.box();
  run.lr = 3.0;  // every step overshoots
  run.budget = 500;
  run.threshold = 1e-300;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    auto r = converge_adam(net("sigmoid", 0.5, 0.9), run, Rng(seed)).value();
    ASSERT_EQ(r.best_weights.size(), 4u);
    for (std::size_t k = 0; k < 4; ++k) EXPECT_TRUE(run.reflect_box->contains(k, r.best_weights[k]));
  }
}

TEST(Converge, AdamStallsInADeadZone) {
  // ReLU with both neurons dead (w = 0 there... z < 0 everywhere in a negative box): f' = 0, no progress.
  optim::Box dead{{-2, -0.1, -2, -0.1}, {-1, 0.1, -1, 0.1}, {}};
  ConvergeRun run;
  run.reflect_box = dead;
  run.budget = 1000;
  auto r = converge_adam(net("relu"), run, Rng(2)).value();
  EXPECT_EQ(r.evals_to_threshold, -1);
  EXPECT_NEAR(r.best_error, 0.09, 1e-12);  // y = 0, (0 − 0.3)²
}

TEST(Converge, RejectsBadRuns) {
  ConvergeRun run;
  run.budget = 0;
  auto r = converge_adam(net("tanh"), run, Rng(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "budget");  // the CLI shows it as --budget
  run.budget = 10;
  run.threshold = 0;
  auto q = converge_adamm(net("tanh"), run, Rng(1));
  ASSERT_FALSE(q);
  EXPECT_EQ(q.status().field(), "threshold");
}

TEST(Converge, LogCheckpoints) {
  auto c = log_checkpoints(10000, 60);
  EXPECT_EQ(c.front(), 1);
  EXPECT_EQ(c.back(), 10000);
  for (std::size_t i = 1; i < c.size(); ++i) EXPECT_GT(c[i], c[i - 1]);
  EXPECT_EQ(log_checkpoints(1, 10), std::vector<std::int64_t>{1});
}

}  // namespace
}  // namespace actlab::nn
