// Studies end to end on SQLite: ask/tell, determinism per (seed, number), 4 worker threads sharing a budget,
// NaN values failing, pruning through the objective's channel, and the retry of a dead worker's trial with
// the same parameters.
#include "search/study.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <thread>

#include "search/synthetic.hpp"
#include "search/tpe.hpp"

namespace actlab::search {
namespace {

class StudyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/actlab_study_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    url_ = "sqlite://" + dir_ + "/s.db";
  }
  void TearDown() override { (void)std::system(("rm -rf '" + dir_ + "'").c_str()); }
  Study make(const std::string& name, const std::string& sampler, std::uint64_t seed = 3) {
    StudyRecord r;
    r.name = name;
    r.sampler = sampler;
    r.seed = seed;
    r.space = problem_.space().to_json();
    r.objective = problem_.to_json();
    auto c = Study::create(url_, r);
    EXPECT_TRUE(c) << c.status().message();
    auto s = Study::open(url_, name);
    EXPECT_TRUE(s) << s.status().message();
    return std::move(*s);
  }
  Objective synthetic() {
    return [this](TrialContext& t) { return TrialOutcome::complete(problem_.evaluate(t.params())); };
  }

  SyntheticProblem problem_{.categorical = 4, .choices = 6, .floats = 2};
  std::string dir_, url_;
};

TEST_F(StudyTest, AskTellAndValidation) {
  Study s = make("a", "tpe");
  auto t = s.ask("me:1:0", 5);
  ASSERT_TRUE(t && *t);
  EXPECT_EQ((*t)->record.number, 0);
  EXPECT_EQ((*t)->params.size(), 6u);
  EXPECT_TRUE(s.space().from_external((*t)->record.params));
  ASSERT_TRUE(*s.tell(**t, TrialOutcome::complete(NAN)));
  auto all = *s.storage().trials(s.record().id, false);
  EXPECT_EQ(all[0].state, TrialState::kFail);
  EXPECT_EQ(all[0].reason, "objective value is nan");
  EXPECT_FALSE((*s.frozen_trials())[0].worker_lost);  // the objective's failure: fail-worst TPE learns it
  StudyRecord bad = s.record();
  bad.name = "b";
  bad.sampler = "cmaes";
  EXPECT_FALSE(Study::create(url_, bad));
  EXPECT_FALSE(Study::open(url_, "zzz"));
  EXPECT_FALSE(s.enqueue(Json{{"c0", "nope"}}));
}

TEST_F(StudyTest, SameSeedSameTrialsSequentially) {
  Study a = make("a", "tpe", 42), b = make("b", "tpe", 42), c = make("c", "tpe", 43);
  OptimizeOptions o;
  o.n_trials = 25;
  ASSERT_TRUE(a.optimize(synthetic(), o));
  ASSERT_TRUE(b.optimize(synthetic(), o));
  ASSERT_TRUE(c.optimize(synthetic(), o));
  auto ta = *a.storage().trials(a.record().id, false), tb = *b.storage().trials(b.record().id, false),
       tc = *c.storage().trials(c.record().id, false);
  ASSERT_EQ(ta.size(), 25u);
  int differ = 0;
  for (std::size_t i = 0; i < ta.size(); ++i) {
    EXPECT_EQ(ta[i].params, tb[i].params) << i;
    differ += ta[i].params != tc[i].params;
  }
  EXPECT_GT(differ, 20);
}

TEST_F(StudyTest, AskSamplesFromTheWholeHistoryWhileReadingOnlyNewTrials) {
  // Two readers of one study (two connections, as two processes) take turns; some trials stay RUNNING
  // across asks and finish later, some are PRUNED or FAIL, one is enqueued. Every TPE sample must equal the
  // sampler run on a full read of the study at that moment.
  Study a = make("h", "tpe");
  auto opened = Study::open(url_, "h");
  ASSERT_TRUE(opened);
  Study& b = *opened;
  const TpeSampler tpe;
  std::vector<std::pair<Study*, ActiveTrial>> open_trials;
  for (int k = 0; k < 60; ++k) {
    Study& s = k % 3 == 2 ? b : a;
    if (k == 30) {
      ASSERT_TRUE(s.enqueue(s.space().to_external(problem_.optimum())));
    }
    auto t = s.ask("me:1:0");
    ASSERT_TRUE(t && *t) << k;
    const ActiveTrial& at = **t;
    auto full = a.frozen_trials();
    ASSERT_TRUE(full);
    if (k != 30) {
      (*full)[static_cast<std::size_t>(at.record.number)].params.clear();  // as the sampler saw it
      EXPECT_EQ(at.params, tpe.sample(s.space(), Direction::kMinimize, *full, at.record.number, 3)) << k;
    }
    open_trials.emplace_back(&s, at);
    if (k % 4 == 1) continue;  // finished on a later turn
    for (auto& [owner, o] : open_trials) {
      const double v = problem_.evaluate(o.params);
      const TrialOutcome out = o.record.number % 7 == 3    ? TrialOutcome::pruned()
                               : o.record.number % 11 == 5 ? TrialOutcome::fail("test")
                                                           : TrialOutcome::complete(v);
      ASSERT_TRUE(owner->tell(o, out));
    }
    open_trials.clear();
  }
}

TEST_F(StudyTest, FourWorkersShareTheBudgetAndResumeDoesNotAddTrials) {
  Study s = make("w", "tpe");
  OptimizeOptions o;
  o.n_trials = 60;
  o.workers = 4;
  std::set<std::string> workers;
  std::mutex mu;
  auto summary = s.optimize(
      [&](TrialContext& t) {
        std::lock_guard lock(mu);
        workers.insert(t.record().worker);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return TrialOutcome::complete(problem_.evaluate(t.params()));
      },
      o);
  ASSERT_TRUE(summary) << summary.status().message();
  EXPECT_EQ(summary->complete, 60);
  EXPECT_GE(workers.size(), 2u);
  auto again = s.optimize(synthetic(), o);  // the budget is the study's: nothing left to do
  ASSERT_TRUE(again);
  EXPECT_EQ(again->complete, 0);
  auto all = *s.storage().trials(s.record().id, false);
  ASSERT_EQ(all.size(), 60u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].number, static_cast<std::int64_t>(i));
  auto best = Study::best(all, Direction::kMinimize);
  ASSERT_TRUE(best);
  EXPECT_LT(*best->value, 1.5);
}

TEST_F(StudyTest, PrunerStopsBadTrials) {
  Study s = make("p", "random");
  OptimizeOptions o;
  o.n_trials = 30;
  o.pruner = std::make_shared<MedianPruner>();
  auto summary = s.optimize(
      [&](TrialContext& t) {
        const double v = problem_.evaluate(t.params());
        for (int step = 0; step < 5; ++step) {
          EXPECT_TRUE(t.report(step, v + 1.0 / (step + 1)));
          if (t.should_prune()) return TrialOutcome::pruned();
        }
        return TrialOutcome::complete(v);
      },
      o);
  ASSERT_TRUE(summary);
  EXPECT_GT(summary->pruned, 3);
  EXPECT_EQ(summary->complete + summary->pruned, 30);
  auto all = *s.storage().trials(s.record().id, true);
  for (const auto& t : all) {
    if (t.state == TrialState::kPruned) {
      ASSERT_TRUE(t.value);
      EXPECT_EQ(*t.value, t.intermediate.back().second);
    }
  }
}

TEST_F(StudyTest, DeadWorkersTrialIsRetriedWithTheSameParameters) {
  Study s = make("r", "random");
  // A trial left RUNNING by a process of this host that no longer exists (a child that has exited).
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  auto t = s.ask(std::string(host) + ":" + std::to_string(child) + ":0", 10);
  ASSERT_TRUE(t && *t);
  const Json params = (*t)->record.params;
  OptimizeOptions o;
  o.n_trials = 10;
  auto summary = s.optimize(synthetic(), o);
  ASSERT_TRUE(summary) << summary.status().message();
  EXPECT_EQ(summary->reaped, 1);
  EXPECT_EQ(summary->retried, 1);
  auto all = *s.storage().trials(s.record().id, false);
  ASSERT_EQ(all.size(), 11u);  // 10 originals + 1 retry
  EXPECT_EQ(all[0].state, TrialState::kFail);
  EXPECT_NE(all[0].reason.find("exited"), std::string::npos) << all[0].reason;
  EXPECT_TRUE((*s.frozen_trials())[0].worker_lost);  // not the objective's: no sampler learns from it
  int retries = 0;
  for (const auto& r : all) {
    if (r.retry_of == 0) {
      ++retries;
      EXPECT_EQ(r.params, params);
      EXPECT_EQ(r.state, TrialState::kComplete);
    }
  }
  EXPECT_EQ(retries, 1);
  EXPECT_TRUE(s.storage().check_integrity()->empty());
}

// A retry stands in for its original: a TPE study whose worker died in the middle of trial 12 (its trial
// retried on resume) samples and ends exactly as the uninterrupted study with the same seed.
TEST_F(StudyTest, KilledTrialRetriedGivesTheUninterruptedSequence) {
  OptimizeOptions o;
  o.n_trials = 30;
  Study a = make("a", "tpe:fail-worst");
  ASSERT_TRUE(a.optimize(synthetic(), o));

  Study b = make("b", "tpe:fail-worst");
  OptimizeOptions first = o;
  first.n_trials = 12;
  ASSERT_TRUE(b.optimize(synthetic(), first));
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  auto lost = b.ask(std::string(host) + ":" + std::to_string(child) + ":0", 30);  // trial 12, worker gone
  ASSERT_TRUE(lost && *lost);
  auto summary = b.optimize(synthetic(), o);
  ASSERT_TRUE(summary) << summary.status().message();
  EXPECT_EQ(summary->retried, 1);

  auto ta = *a.storage().trials(a.record().id, false);
  auto tb = *b.storage().trials(b.record().id, false);
  ASSERT_EQ(ta.size(), 30u);
  ASSERT_EQ(tb.size(), 31u);
  // b without the lost trial, each retry in its original's place.
  std::vector<TrialRecord> kept;
  for (const auto& r : tb)
    if (r.number != 12) kept.push_back(r);
  std::stable_sort(kept.begin(), kept.end(), [](const TrialRecord& x, const TrialRecord& y) {
    return x.retry_of.value_or(x.number) < y.retry_of.value_or(y.number);
  });
  for (std::size_t i = 0; i < ta.size(); ++i) {
    EXPECT_EQ(kept[i].params, ta[i].params) << "trial " << i;
    EXPECT_EQ(kept[i].value, ta[i].value) << "trial " << i;
  }
}

}  // namespace
}  // namespace actlab::search
