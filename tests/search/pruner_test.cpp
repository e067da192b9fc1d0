// Median and successive-halving pruners on hand-made studies (expected decisions worked out in the comments).
#include "search/pruner.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::search {
namespace {

FrozenTrial trial(std::int64_t number, TrialState state, std::vector<std::pair<std::int64_t, double>> iv) {
  FrozenTrial t;
  t.number = number;
  t.state = state;
  t.intermediate = std::move(iv);
  if (!t.intermediate.empty()) t.value = t.intermediate.back().second;
  return t;
}

TEST(Pruner, NanPercentileInterpolatesLikeNumpy) {
  EXPECT_DOUBLE_EQ(nan_percentile({1, 2, 3, 4}, 50), 2.5);
  EXPECT_DOUBLE_EQ(nan_percentile({4, NAN, 1, 2}, 50), 2.0);
  EXPECT_DOUBLE_EQ(nan_percentile({1, 2, 3, 4, 5}, 25), 2.0);
  EXPECT_TRUE(std::isnan(nan_percentile({NAN}, 50)));
}

TEST(MedianPruner, PrunesWorseThanTheMedianAtTheSameStep) {
  std::vector<FrozenTrial> study;
  for (int i = 0; i < 5; ++i) study.push_back(trial(i, TrialState::kComplete, {{0, 1.0 + i}, {1, 0.5 + i}}));
  MedianPruner p;  // median at step 1 of {0.5, 1.5, 2.5, 3.5, 4.5} = 2.5
  EXPECT_TRUE(p.prune(study, trial(9, TrialState::kRunning, {{0, 9}, {1, 3.0}}), Direction::kMinimize));
  EXPECT_FALSE(p.prune(study, trial(9, TrialState::kRunning, {{0, 9}, {1, 2.0}}), Direction::kMinimize));
  // The best value so far counts: 2.0 at step 0 beats the median 2.5 of step 1 even though step 1 is worse.
  EXPECT_FALSE(p.prune(study, trial(9, TrialState::kRunning, {{0, 2.0}, {1, 3.0}}), Direction::kMinimize));
  EXPECT_TRUE(p.prune(study, trial(9, TrialState::kRunning, {{1, NAN}}), Direction::kMinimize));
  EXPECT_TRUE(p.prune(study, trial(9, TrialState::kRunning, {{1, 2.0}}), Direction::kMaximize));
  // Fewer than 5 complete trials: no pruning yet; warm-up steps are never pruned.
  study.pop_back();
  EXPECT_FALSE(p.prune(study, trial(9, TrialState::kRunning, {{1, 100}}), Direction::kMinimize));
  study.push_back(trial(4, TrialState::kComplete, {{0, 5}, {1, 4.5}}));
  MedianPruner warm(MedianPrunerOptions{.n_startup_trials = 5, .n_warmup_steps = 2});
  EXPECT_FALSE(warm.prune(study, trial(9, TrialState::kRunning, {{1, 100}}), Direction::kMinimize));
}

TEST(SuccessiveHalvingPruner, KeepsTheTopQuarterAtEachRung) {
  // min_resource 1, η = 4: rungs at steps 1, 4, 16. Eight trials recorded rung 0 with values 1..8.
  std::vector<FrozenTrial> study;
  for (int i = 0; i < 8; ++i) study.push_back(trial(i, TrialState::kPruned, {{1, 1.0 + i}}));
  SuccessiveHalvingPruner p(SuccessiveHalvingOptions{.min_resource = 1, .reduction_factor = 4});
  // Competing at rung 0 = the 8 values + mine (9): top ⌊9/4⌋ = 2, cut = 2nd best.
  EXPECT_FALSE(p.prune(study, trial(9, TrialState::kRunning, {{1, 1.5}}), Direction::kMinimize));
  EXPECT_TRUE(p.prune(study, trial(9, TrialState::kRunning, {{1, 2.5}}), Direction::kMinimize));
  EXPECT_FALSE(
      p.prune(study, trial(9, TrialState::kRunning, {{0, 100}}), Direction::kMinimize));  // before rung 0
  // Alone at rung 1 (step 4) a trial continues only if it is the best there: nobody else reached it.
  EXPECT_FALSE(p.prune(study, trial(9, TrialState::kRunning, {{1, 0.5}, {4, 7}}), Direction::kMinimize));
  study.push_back(trial(10, TrialState::kComplete, {{1, 0.1}, {4, 0.2}}));
  EXPECT_TRUE(p.prune(study, trial(9, TrialState::kRunning, {{1, 0.5}, {4, 7}}), Direction::kMinimize));
}

}  // namespace
}  // namespace actlab::search
