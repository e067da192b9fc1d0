// TPE: determinism per (seed, trial number), Optuna's below/above split, and the quality claim of the issue:
// on the synthetic 10 × 48 categorical objective TPE beats random search on the median best value over 10
// seeds at 200 trials (a test that can fail: the seeds are fixed, the margin is measured).
#include "search/tpe.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "search/synthetic.hpp"

namespace actlab::search {
namespace {

// Runs `trials` sequential trials and returns the best (lowest) value.
double run(const Sampler& sampler, const SyntheticProblem& p, int trials, std::uint64_t seed) {
  const Space s = p.space();
  std::vector<FrozenTrial> history;
  double best = 1e300;
  for (int k = 0; k < trials; ++k) {
    FrozenTrial t;
    t.number = k;
    t.params = sampler.sample(s, Direction::kMinimize, history, k, seed);
    t.value = p.evaluate(t.params);
    t.state = TrialState::kComplete;
    best = std::min(best, t.value);
    history.push_back(std::move(t));
  }
  return best;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

TEST(Tpe, SplitFollowsOptuna) {
  // COMPLETE by value, ahead of PRUNED (which rank by −last step, then value); FAIL and RUNNING ignored.
  std::vector<FrozenTrial> t(6);
  for (int i = 0; i < 6; ++i) {
    t[i].number = i;
    t[i].params = {0.0};
    t[i].state = TrialState::kComplete;
  }
  t[0].value = 5;
  t[1].value = 1;
  t[2].state = TrialState::kPruned;
  t[2].intermediate = {{0, 0.1}, {3, -100}};
  t[3].state = TrialState::kFail;
  t[4].value = 3;
  t[5].state = TrialState::kRunning;
  std::vector<std::size_t> below, above;
  TpeSampler::split(t, Direction::kMinimize, 2, below, above);
  EXPECT_EQ(below, (std::vector<std::size_t>{1, 4}));
  EXPECT_EQ(above, (std::vector<std::size_t>{0, 2}));
  TpeSampler::split(t, Direction::kMaximize, 1, below, above);
  EXPECT_EQ(below, (std::vector<std::size_t>{0}));
}

TEST(Tpe, FailAsWorstRanksObjectiveFailuresLast) {
  // With fail_as_worst, FAIL trials follow every COMPLETE and PRUNED trial (in trial order); a FAIL whose
  // worker was lost stays out, as do trials without parameters.
  std::vector<FrozenTrial> t(7);
  for (int i = 0; i < 7; ++i) {
    t[i].number = i;
    t[i].params = {0.0};
    t[i].state = TrialState::kFail;
  }
  t[1].state = TrialState::kComplete;
  t[1].value = 2;
  t[3].state = TrialState::kPruned;  // no intermediate values: the last of the PRUNED
  t[4].worker_lost = true;
  t[5].params.clear();
  t[6].state = TrialState::kComplete;
  t[6].value = 1;
  std::vector<std::size_t> below, above;
  TpeSampler::split(t, Direction::kMinimize, 3, below, above, /*fail_as_worst=*/true);
  EXPECT_EQ(below, (std::vector<std::size_t>{1, 3, 6}));
  EXPECT_EQ(above, (std::vector<std::size_t>{0, 2}));
  TpeSampler::split(t, Direction::kMaximize, 4, below, above, true);
  EXPECT_EQ(below, (std::vector<std::size_t>{0, 1, 3, 6}));
  EXPECT_EQ(above, (std::vector<std::size_t>{2}));
  TpeSampler::split(t, Direction::kMinimize, 3, below, above);  // Optuna: FAIL ignored
  EXPECT_EQ(below, (std::vector<std::size_t>{1, 3, 6}));
  EXPECT_TRUE(above.empty());
}

TEST(Tpe, SamplerNamesParse) {
  for (const std::string name :
       {"tpe", "tpe:multivariate", "tpe:fail-worst", "tpe:multivariate,fail-worst"}) {
    auto s = make_sampler(name);
    ASSERT_TRUE(s) << name;
    EXPECT_EQ((*s)->name(), name);
  }
  ASSERT_TRUE(make_sampler("tpe-multivariate"));
  EXPECT_EQ((*make_sampler("tpe-multivariate"))->name(), "tpe:multivariate");
  auto bad = make_sampler("tpe:fail-best");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("unknown TPE option 'fail-best'"), std::string::npos);
}

// An objective that fails (NaN → FAIL, as Study::tell records it) whenever any of the first four parameters
// takes one of the top 12 of 48 choices, as à-la-carte networks do with log, acos, ...: 1 − (36/48)^4 ≈ 68%
// of random draws fail. Returns the number of FAIL trials in `trials`.
int failures(const TpeSampler& sampler, int trials, std::uint64_t seed) {
  const SyntheticProblem p{.categorical = 10, .choices = 48, .floats = 0};
  const Space s = p.space();
  std::vector<FrozenTrial> history;
  int failed = 0;
  for (int k = 0; k < trials; ++k) {
    FrozenTrial t;
    t.number = k;
    t.params = sampler.sample(s, Direction::kMinimize, history, k, seed);
    const bool fails = std::any_of(t.params.begin(), t.params.begin() + 4, [](double c) { return c >= 36; });
    t.state = fails ? TrialState::kFail : TrialState::kComplete;
    t.value = fails ? std::nan("") : p.evaluate(t.params);
    failed += fails;
    history.push_back(std::move(t));
  }
  return failed;
}

TEST(Tpe, FailAsWorstLearnsToAvoidFailingChoices) {
  // Optuna's TPE never sees the failures, so a failing choice is in neither l nor g while the choices of
  // poor COMPLETE trials fill g: it drifts *towards* failures (measured 809 of 1000, random ≈ 680). Fed as
  // the worst values, failures fill g and are avoided (measured 479). 5 seeds × 200 trials; can fail.
  TpeOptions o;
  o.fail_as_worst = true;
  const TpeSampler ignore, worst(o);
  int f_ignore = 0, f_worst = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    f_ignore += failures(ignore, 200, seed);
    f_worst += failures(worst, 200, seed);
  }
  std::printf("FAIL trials of 1000: ignored %d, as worst %d\n", f_ignore, f_worst);
  EXPECT_LT(f_worst, 0.7 * f_ignore);
  EXPECT_LT(f_worst, 600);  // random search: 1000 · (1 − (36/48)^4) ≈ 684
}

TEST(Tpe, DeterministicPerSeedAndNumber) {
  const SyntheticProblem p;
  const Space s = p.space();
  TpeSampler tpe;
  std::vector<FrozenTrial> history;
  RandomSampler r;
  for (int k = 0; k < 30; ++k) {
    FrozenTrial t;
    t.number = k;
    t.params = r.sample(s, Direction::kMinimize, {}, k, 1);
    t.value = p.evaluate(t.params);
    t.state = TrialState::kComplete;
    history.push_back(t);
  }
  const Params a = tpe.sample(s, Direction::kMinimize, history, 30, 9);
  EXPECT_EQ(a, tpe.sample(s, Direction::kMinimize, history, 30, 9));
  EXPECT_NE(a, tpe.sample(s, Direction::kMinimize, history, 31, 9));
  for (std::size_t i = 0; i < s.size(); ++i) EXPECT_TRUE(s.contains(i, a[i]));
  TpeOptions o;
  o.multivariate = true;
  TpeSampler mv(o);
  const Params b = mv.sample(s, Direction::kMinimize, history, 30, 9);
  EXPECT_EQ(b, mv.sample(s, Direction::kMinimize, history, 30, 9));
}

// Independent TPE as the general path computes it (two ParzenEstimators per parameter, log_pdf per
// candidate, the first best): the reference for the categorical shortcut in tpe.cpp.
Params reference_tpe(const Space& space, const std::vector<FrozenTrial>& trials, std::int64_t number,
                     std::uint64_t seed) {
  const TpeOptions o;
  Rng rng = Rng::derive(seed, "tpe", static_cast<std::uint64_t>(number));
  const auto n = static_cast<int>(std::count_if(trials.begin(), trials.end(), [](const FrozenTrial& t) {
    return t.state == TrialState::kComplete || t.state == TrialState::kPruned;
  }));
  Params out(space.size());
  std::vector<std::size_t> below, above;
  TpeSampler::split(trials, Direction::kMinimize, default_gamma(n), below, above);
  for (std::size_t i = 0; i < space.size(); ++i) {
    Rng r = rng.split(i);
    if (n < o.n_startup_trials) {
      out[i] = sample_uniform(space[i].dist, r);
      continue;
    }
    std::vector<double> b, a;
    for (std::size_t k : below) b.push_back(trials[k].params[i]);
    for (std::size_t k : above) a.push_back(trials[k].params[i]);
    const ParzenEstimator l(space, {i}, {b}, o.parzen), g(space, {i}, {a}, o.parzen);
    double best = -1e300;
    for (const auto& x : l.sample(r, o.n_ei_candidates)) {
      const double score = l.log_pdf(x) - g.log_pdf(x);
      if (score > best) {
        best = score;
        out[i] = x[0];
      }
    }
  }
  return out;
}

TEST(Tpe, CategoricalShortcutPicksWhatTheFullMixturePicks) {
  // Bit-for-bit the same parameters over whole studies, with many near ties (2 choices; unobserved choices
  // early on) and the 48-choice menu, mixed with a float parameter (which takes the general path).
  for (const SyntheticProblem p : {SyntheticProblem{.categorical = 6, .choices = 2, .floats = 0},
                                   SyntheticProblem{.categorical = 4, .choices = 48, .floats = 1}}) {
    const Space s = p.space();
    const TpeSampler tpe;
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      std::vector<FrozenTrial> history;
      for (int k = 0; k < 150; ++k) {
        FrozenTrial t;
        t.number = k;
        t.params = tpe.sample(s, Direction::kMinimize, history, k, seed);
        const Params ref = reference_tpe(s, history, k, seed);
        for (std::size_t i = 0; i < s.size(); ++i) {
          if (s[i].dist.kind == ParamKind::kCategorical) {
            ASSERT_EQ(t.params[i], ref[i]) << "choices " << p.choices << " seed " << seed << " trial " << k;
          }
        }
        t.value = p.evaluate(t.params);
        t.state = k % 9 == 4 ? TrialState::kPruned : TrialState::kComplete;
        history.push_back(std::move(t));
      }
    }
  }
}

// The general path with log_pdf per candidate (the reference for pick_candidate's batch scores): one
// estimator pair over `dims`, the first best candidate.
std::vector<double> reference_propose(const Space& space, const std::vector<FrozenTrial>& trials,
                                      const std::vector<std::size_t>& dims, bool multivariate, Rng& r) {
  TpeOptions o;
  o.multivariate = multivariate;
  o.parzen.multivariate = multivariate;
  const auto n = static_cast<int>(std::count_if(trials.begin(), trials.end(), [](const FrozenTrial& t) {
    return t.state == TrialState::kComplete || t.state == TrialState::kPruned;
  }));
  std::vector<std::size_t> below, above;
  TpeSampler::split(trials, Direction::kMinimize, default_gamma(n), below, above);
  auto gather = [&](const std::vector<std::size_t>& idx) {
    std::vector<std::vector<double>> obs(dims.size());
    for (std::size_t k = 0; k < dims.size(); ++k)
      for (std::size_t i : idx) obs[k].push_back(trials[i].params[dims[k]]);
    return obs;
  };
  const ParzenEstimator l(space, dims, gather(below), o.parzen), g(space, dims, gather(above), o.parzen);
  double best = -std::numeric_limits<double>::infinity();
  std::vector<double> out;
  for (const auto& x : l.sample(r, o.n_ei_candidates)) {
    const double score = l.log_pdf(x) - g.log_pdf(x);
    if (score > best) {
      best = score;
      out = x;
    }
  }
  return out;
}

TEST(Tpe, BatchScoringPicksWhatLogPdfPicks) {
  // Whole studies on numerical spaces (the 10-float synthetic space; ints, log ints and stepped floats, where
  // equal candidates and near ties are common), independent and multivariate: every trial's parameters are
  // bit for bit what scoring each candidate with log_pdf gives.
  Space mixed;
  ASSERT_TRUE(mixed.add_int("w", 1, 8));
  ASSERT_TRUE(mixed.add_int("lw", 1, 512, /*log=*/true));
  ASSERT_TRUE(mixed.add_float("q", 0, 1, false, 0.25));
  ASSERT_TRUE(mixed.add_float("x", -5, 5));
  ASSERT_TRUE(mixed.add_categorical("c", {"a", "b", "c"}));
  const SyntheticProblem floats{.categorical = 0, .choices = 48, .floats = 10};
  for (const Space& s : {floats.space(), mixed}) {
    for (bool multivariate : {false, true}) {
      TpeOptions o;
      o.multivariate = multivariate;
      const TpeSampler tpe(o);
      std::vector<FrozenTrial> history;
      for (int k = 0; k < 120; ++k) {
        FrozenTrial t;
        t.number = k;
        t.params = tpe.sample(s, Direction::kMinimize, history, k, 3);
        if (k >= o.n_startup_trials) {
          Rng rng = Rng::derive(3, "tpe", static_cast<std::uint64_t>(k));
          Params ref(s.size());
          if (multivariate) {
            std::vector<std::size_t> dims(s.size());
            std::iota(dims.begin(), dims.end(), 0);
            ref = reference_propose(s, history, dims, true, rng);
          } else {
            for (std::size_t i = 0; i < s.size(); ++i) {
              Rng r = rng.split(i);
              if (s[i].dist.kind != ParamKind::kCategorical)
                ref[i] = reference_propose(s, history, {i}, false, r)[0];
            }
          }
          for (std::size_t i = 0; i < s.size(); ++i) {
            if (multivariate || s[i].dist.kind != ParamKind::kCategorical) {
              ASSERT_EQ(t.params[i], ref[i])
                  << "multivariate " << multivariate << " trial " << k << " param " << i;
            }
          }
        }
        // A rugged objective with many equal values: near ties in the split and in the scores.
        double v = 0;
        for (std::size_t i = 0; i < s.size(); ++i) v += std::round(4 * std::sin(3 * t.params[i]));
        t.value = v;
        t.state = TrialState::kComplete;
        history.push_back(std::move(t));
      }
    }
  }
}

TEST(Tpe, BeatsRandomOnTheCategoricalObjective) {
  const SyntheticProblem p{.categorical = 10, .choices = 48, .floats = 0};
  TpeSampler tpe;
  RandomSampler random;
  std::vector<double> tpe_best, random_best;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    tpe_best.push_back(run(tpe, p, 200, seed));
    random_best.push_back(run(random, p, 200, seed));
  }
  const double mt = median(tpe_best), mr = median(random_best);
  RecordProperty("tpe_median_best", std::to_string(mt));
  RecordProperty("random_median_best", std::to_string(mr));
  std::printf("median best over 10 seeds, 200 trials: tpe %.4f, random %.4f\n", mt, mr);
  EXPECT_LT(mt, mr);
}

}  // namespace
}  // namespace actlab::search
