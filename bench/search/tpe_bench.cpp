// TPE sampler time per trial over a 1000-trial study on 10 categorical parameters × 48 choices (the
// à-la-carte space at 10 layers), with no storage: only Sampler::sample() is timed (process CPU time). The
// side-by-side with Optuna 3.1 is bench/compare/run_search_compare.sh (docs/benchmarks.md, "Search").
//
// Objective (the same formula as bench/compare/tpe_optuna.py): value = Σ_i ((17 k_i + 5 i) mod 48) / 48,
// minimised, 0 at one choice per parameter. Before timing, the 1000-trial TPE run must reach a lower best
// than 1000 uniform draws (the sampler works); otherwise the benchmark stops with an error.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <limits>

#include "search/sampler.hpp"
#include "search/tpe.hpp"

namespace actlab::search {
namespace {

constexpr int kParams = 10, kChoices = 48, kTrials = 1000;

Space make_space() {
  std::vector<std::string> choices;
  for (int c = 0; c < kChoices; ++c) choices.push_back(std::string(1, 'f').append(std::to_string(c)));
  Space s;
  for (int i = 0; i < kParams; ++i)
    (void)s.add_categorical(std::string(1, 'c').append(std::to_string(i)), choices);
  return s;
}

double objective(const Params& p) {
  double v = 0;
  for (int i = 0; i < kParams; ++i)
    v += ((17 * static_cast<int>(p[static_cast<std::size_t>(i)]) + 5 * i) % kChoices) / 48.0;
  return v;
}

// Process CPU time (one thread here), so a busy machine does not inflate the numbers.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Runs a study of kTrials with `sampler`; returns the best value and adds the time spent in sample().
double run_study(const Sampler& sampler, std::uint64_t seed, double* sample_seconds) {
  const Space space = make_space();
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
    t.value = objective(p);
    best = std::min(best, t.value);
    t.params = std::move(p);
    history.push_back(std::move(t));
  }
  return best;
}

void BM_TpeSamplePerTrial(benchmark::State& state) {
  const TpeSampler tpe;
  const RandomSampler random;
  const double tpe_best = run_study(tpe, 1, nullptr), random_best = run_study(random, 1, nullptr);
  if (!(tpe_best < random_best)) {
    state.SkipWithError("check failed: TPE's best after 1000 trials is not below random search's");
    return;
  }
  double seconds = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    double spent = 0;
    benchmark::DoNotOptimize(run_study(tpe, seed++, &spent));
    seconds += spent;
  }
  state.counters["per_trial_ms"] = 1e3 * seconds / (static_cast<double>(state.iterations()) * kTrials);
  state.counters["tpe_best"] = tpe_best;
  state.counters["random_best"] = random_best;
}
BENCHMARK(BM_TpeSamplePerTrial)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace actlab::search
