// TPE sampler time per trial over a 1000-trial study, with no storage: only Sampler::sample() is timed
// (process CPU time). The side-by-side with Optuna (3.1 and 5) is bench/compare/run_search_compare.sh
// (docs/benchmarks.md, "Search"). Arguments: space (0: categorical, 1: floats), multivariate (0/1).
//
// Spaces and objectives (the same formulas as bench/compare/tpe_optuna.py), minimised:
//   categorical  10 parameters × 48 choices (the à-la-carte space at 10 layers):
//                value = Σ_i ((17 k_i + 5 i) mod 48) / 48, 0 at one choice per parameter
//   floats       10 floats: even j linear on [−5, 5], term ((x − t_j)/5)², t_j = −4 + 0.8 j; odd j log on
//                [1e-3, 10], term (log10(x/t_j)/2)², t_j = 10^(−2.5 + 0.3 j)
// Before timing, the 1000-trial TPE run must reach a lower best than 1000 uniform draws (the sampler works);
// otherwise the benchmark stops with an error.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <limits>

#include "search/sampler.hpp"
#include "search/tpe.hpp"

namespace actlab::search {
namespace {

constexpr int kParams = 10, kChoices = 48, kTrials = 1000;

double target(int j) { return j % 2 == 0 ? -4 + 0.8 * j : std::pow(10.0, -2.5 + 0.3 * j); }

Space make_space(bool floats) {
  std::vector<std::string> choices;
  for (int c = 0; c < kChoices; ++c) choices.push_back(std::string(1, 'f').append(std::to_string(c)));
  Space s;
  for (int i = 0; i < kParams; ++i) {
    if (!floats) {
      (void)s.add_categorical(std::string(1, 'c').append(std::to_string(i)), choices);
    } else if (i % 2 == 0) {
      (void)s.add_float(std::string(1, 'x').append(std::to_string(i)), -5, 5);
    } else {
      (void)s.add_float(std::string(1, 'x').append(std::to_string(i)), 1e-3, 10, /*log=*/true);
    }
  }
  return s;
}

double objective(const Params& p, bool floats) {
  double v = 0;
  for (int i = 0; i < kParams; ++i) {
    const double x = p[static_cast<std::size_t>(i)];
    if (!floats) {
      v += ((17 * static_cast<int>(x) + 5 * i) % kChoices) / 48.0;
    } else {
      v += i % 2 == 0 ? std::pow((x - target(i)) / 5, 2) : std::pow(std::log10(x / target(i)) / 2, 2);
    }
  }
  return v;
}

// Process CPU time (one thread here), so a busy machine does not inflate the numbers.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Runs a study of kTrials with `sampler`; returns the best value and adds the time spent in sample().
double run_study(const Sampler& sampler, bool floats, std::uint64_t seed, double* sample_seconds) {
  const Space space = make_space(floats);
  std::vector<FrozenTrial> history;
  history.reserve(kTrials);
  double best = std::numeric_limits<double>::infinity();
  for (int n = 0; n < kTrials; ++n) {
    const double t0 = cpu_seconds();
    Params p = sampler.sample(space, Direction::kMinimize, history, n, seed);
    if (sample_seconds) *sample_seconds += cpu_seconds() - t0;
    FrozenTrial t;
    t.number = n;
    t.state = TrialState::kComplete;
    t.value = objective(p, floats);
    best = std::min(best, t.value);
    t.params = std::move(p);
    history.push_back(std::move(t));
  }
  return best;
}

void BM_TpeSamplePerTrial(benchmark::State& state) {
  const bool floats = state.range(0) != 0;
  TpeOptions o;
  o.multivariate = state.range(1) != 0;
  const TpeSampler tpe(o);
  const RandomSampler random;
  const double tpe_best = run_study(tpe, floats, 1, nullptr),
               random_best = run_study(random, floats, 1, nullptr);
  if (!(tpe_best < random_best)) {
    state.SkipWithError("check failed: TPE's best after 1000 trials is not below random search's");
    return;
  }
  double seconds = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    double spent = 0;
    benchmark::DoNotOptimize(run_study(tpe, floats, seed++, &spent));
    seconds += spent;
  }
  state.counters["per_trial_ms"] = 1e3 * seconds / (static_cast<double>(state.iterations()) * kTrials);
  state.counters["tpe_best"] = tpe_best;
  state.counters["random_best"] = random_best;
}
// (space, multivariate): categorical, floats, categorical multivariate, floats multivariate.
BENCHMARK(BM_TpeSamplePerTrial)
    ->ArgNames({"floats", "multivariate"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace actlab::search
