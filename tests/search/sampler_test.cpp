// Random and grid samplers: determinism per (seed, trial number), legal values, grid coverage.
#include "search/sampler.hpp"

#include <gtest/gtest.h>

#include <set>

namespace actlab::search {
namespace {

Space mixed() {
  Space s;
  EXPECT_TRUE(s.add_categorical("c", {"a", "b", "c"}));
  EXPECT_TRUE(s.add_float("x", -1, 1));
  EXPECT_TRUE(s.add_float("lr", 1e-4, 1, true));
  EXPECT_TRUE(s.add_int("n", 1, 1000, true));
  EXPECT_TRUE(s.add_int("w", 0, 10, false, 5));
  return s;
}

TEST(Sampler, StatesAndDirectionsParse) {
  for (auto s : {TrialState::kWaiting, TrialState::kRunning, TrialState::kComplete, TrialState::kPruned,
                 TrialState::kFail}) {
    EXPECT_EQ(*parse_trial_state(to_string(s)), s);
  }
  EXPECT_FALSE(parse_trial_state("DONE"));
  EXPECT_EQ(*parse_direction("maximize"), Direction::kMaximize);
  EXPECT_FALSE(parse_direction("max"));
  EXPECT_FALSE(make_sampler("cmaes"));
}

TEST(RandomSampler, DeterministicPerSeedAndNumberAndLegal) {
  const Space s = mixed();
  RandomSampler r;
  std::set<double> seen_w;
  for (int k = 0; k < 200; ++k) {
    const Params a = r.sample(s, Direction::kMinimize, {}, k, 11);
    EXPECT_EQ(a, r.sample(s, Direction::kMinimize, {}, k, 11));
    EXPECT_NE(a, r.sample(s, Direction::kMinimize, {}, k, 12));
    for (std::size_t i = 0; i < s.size(); ++i) EXPECT_TRUE(s.contains(i, a[i])) << s[i].name << " " << a[i];
    seen_w.insert(a[4]);
  }
  EXPECT_EQ(seen_w, (std::set<double>{0, 5, 10}));
}

TEST(GridSampler, FirstGTrialsCoverTheGrid) {
  Space s;
  ASSERT_TRUE(s.add_categorical("c", {"a", "b", "c"}));
  ASSERT_TRUE(s.add_float("x", 0, 1));
  GridSampler g(4);
  ASSERT_EQ(g.grid_size(s), 12u);
  EXPECT_EQ(g.axis(s[1].dist), (std::vector<double>{0, 1.0 / 3, 2.0 / 3, 1}));
  std::set<Params> points;
  for (int k = 0; k < 12; ++k) points.insert(g.sample(s, Direction::kMinimize, {}, k, 3));
  EXPECT_EQ(points.size(), 12u);
  EXPECT_EQ(g.sample(s, Direction::kMinimize, {}, 12, 3), g.sample(s, Direction::kMinimize, {}, 0, 3));
}

}  // namespace
}  // namespace actlab::search
