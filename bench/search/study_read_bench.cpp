// Reading a 100,000-trial study (docs/benchmarks.md, "Search"): what `study show` reads (Storage::summary:
// counts and the best trial from the indexes) and what `study trials --csv` reads and writes (every trial,
// trials_csv), in SQLite or PostgreSQL. The study is built first with Storage::append_finished (bulk
// inserts, not timed): the 10 × 48 categorical synthetic space, random parameters and values.
//
//   bench_search --benchmark_filter=BM_Study100k                     # SQLite in a temporary folder
//   STUDY_URL=postgresql://... STUDY_NAME=big bench_search --benchmark_filter=BM_Study100k
// With STUDY_URL / STUDY_NAME the study is left in place, so that bench/compare/run_search_compare.sh can
// time the CLI (`actlab study show`, `study trials --csv`) on it. Checks before timing: the summary's counts
// and best trial equal a count over every trial and Study::best; the CSV has a header and one line per trial.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

#include "search/export.hpp"
#include "search/study.hpp"
#include "search/synthetic.hpp"

namespace actlab::search {
namespace {

constexpr int kTrials = 100000;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

void BM_Study100k(benchmark::State& state) {
  const char* env_url = std::getenv("STUDY_URL");
  const char* env_name = std::getenv("STUDY_NAME");
  std::string dir;
  std::string url = env_url ? env_url : "";
  if (url.empty()) {
    char tmpl[] = "/tmp/actlab_study100k_XXXXXX";
    if (!mkdtemp(tmpl)) {
      state.SkipWithError("mkdtemp failed");
      return;
    }
    dir = tmpl;
    url = "sqlite://" + dir + "/s.db";
  }
  const SyntheticProblem problem{.categorical = 10, .choices = 48, .floats = 0};
  const Space space = problem.space();
  StudyRecord rec{.name = env_name ? env_name : "bench100k_" + std::to_string(getpid()),
                  .direction = Direction::kMinimize,
                  .sampler = "random",
                  .seed = 1,
                  .space = space.to_json(),
                  .objective = problem.to_json()};
  auto made = Study::create(url, rec);
  if (!made) {
    state.SkipWithError(("create: " + made.status().message()).c_str());
    return;
  }
  auto st = open_storage(url, OpenMode::kReadWrite);
  if (!st) {
    state.SkipWithError(st.status().message().c_str());
    return;
  }
  const double t_build = cpu_seconds();
  const auto wall0 = std::chrono::steady_clock::now();
  std::vector<TrialRecord> batch;
  RandomSampler random;
  for (int i = 0; i < kTrials; ++i) {
    TrialRecord t;
    const Params p = random.sample(space, Direction::kMinimize, {}, i, 1);
    t.state = i % 50 == 7 ? TrialState::kFail : TrialState::kComplete;
    t.params = space.to_external(p);
    if (t.state == TrialState::kComplete) t.value = problem.evaluate(p);
    t.worker = "bench";
    t.started = 1.7e9 + i;
    t.finished = 1.7e9 + i + 0.5;
    batch.push_back(std::move(t));
    if (batch.size() == 10000) {
      if (Status s = (*st)->append_finished(made->id, batch); !s) {
        state.SkipWithError(s.message().c_str());
        return;
      }
      batch.clear();
    }
  }
  const double build_wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double build_cpu = cpu_seconds() - t_build;
  // Checks.
  auto all = (*st)->trials(made->id, false);
  auto sum = (*st)->summary(made->id, Direction::kMinimize);
  if (!all || !sum || static_cast<int>(all->size()) != kTrials || sum->n_trials != kTrials) {
    state.SkipWithError("check failed: the study does not hold 100000 trials");
    return;
  }
  const auto best = Study::best(*all, Direction::kMinimize);
  const auto complete = std::count_if(all->begin(), all->end(),
                                      [](const TrialRecord& t) { return t.state == TrialState::kComplete; });
  if (!best || !sum->best || sum->best->number != best->number || sum->complete != complete) {
    state.SkipWithError("check failed: the summary disagrees with a count over every trial");
    return;
  }
  auto csv = trials_csv(*made, *all);
  if (!csv || std::count(csv->begin(), csv->end(), '\n') != kTrials + 1) {
    state.SkipWithError("check failed: the CSV does not have one line per trial");
    return;
  }
  double show_s = 0, csv_s = 0;
  for (auto _ : state) {
    // `study show`: open read-only, read the summary.
    auto t0 = std::chrono::steady_clock::now();
    auto ro = open_storage(url, OpenMode::kReadOnly);
    auto s = (*ro)->summary(made->id, Direction::kMinimize);
    benchmark::DoNotOptimize(s);
    show_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // `study trials --csv`: every trial (with intermediate values, as the export reads them), as CSV.
    t0 = std::chrono::steady_clock::now();
    auto trials = (*ro)->trials(made->id, true);
    auto text = trials_csv(*made, *trials);
    benchmark::DoNotOptimize(text);
    csv_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["show_s"] = show_s / n;
  state.counters["trials_csv_s"] = csv_s / n;
  state.counters["build_wall_s"] = build_wall;
  state.counters["build_cpu_s"] = build_cpu;
  st->reset();
  if (!dir.empty()) (void)std::system(("rm -rf '" + dir + "'").c_str());
}
BENCHMARK(BM_Study100k)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace actlab::search
