// Dik's test harness and score (MQL5 article 16443; docs/optimizers.md): Hilly, Forest and Megacity
// with 5, 25 and 500 copies (10, 50 and 1000 parameters), 10,000 evaluations a run, 10 runs a test; a
// test's score is the mean over runs of the best value found (in [0, 1]); the total is the sum over tests and
// "% of MAX" = total·100 / tests (9 tests → max 9).
//
//   HarnessOptions h;  h.repeats = 3;
//   ThreadPool pool(2);
//   auto r = run_harness(Adamm(), h, pool);
//   r->total; r->percent;  r->cells[0].score;             // Hilly 5 first, then 25, 500; Forest; Megacity
//
// Run (cell c, repeat k) draws from Rng::derive(seed, "optbench", c·1,000,000 + k), so results do not
// depend on the thread count. The optimiser maximises the function through its objective −F.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/rng.hpp"
#include "core/status.hpp"
#include "core/thread_pool.hpp"
#include "optim/box.hpp"
#include "optim/test_functions.hpp"

namespace actlab::optim {

struct HarnessOptions {
  std::vector<TestFunctionKind> functions = {TestFunctionKind::kHilly, TestFunctionKind::kForest,
                                             TestFunctionKind::kMegacity};
  std::vector<int> copies = {5, 25, 500};
  std::int64_t evaluations = 10000;
  int repeats = 10;
  std::uint64_t seed = 1;
};

struct HarnessCell {
  TestFunctionKind function;
  int copies = 0;
  std::vector<double> runs;  // best value of each repeat
  double score = 0.0;        // their mean
};

struct HarnessResult {
  std::vector<HarnessCell> cells;  // function-major, copies in the given order
  double total = 0.0;              // sum of the cell scores
  double percent = 0.0;            // total·100 / number of cells
};

// The box of an n-copy problem: (x, y) ranges repeated n times, continuous (ArgumentStep = 0).
Box harness_box(const TestFunction& tf, int copies);

// optimize_once(objective, box, rng) → best objective value, for one run (objective = −F, minimised).
using HarnessRun = std::function<Result<double>(
    const std::function<double(std::span<const double>)>& objective, const Box& box, Rng rng)>;

// Runs every (function, copies, repeat) on the pool; after_run() is called once per finished run (any
// thread).
Result<HarnessResult> run_harness(const HarnessRun& optimize_once, const HarnessOptions& options,
                                  ThreadPool& pool, const std::function<void()>& after_run = {});

// An optimiser with optimize(f, box, rng) (population_adam.hpp) as a HarnessRun, budget set to
// options.evaluations by the caller.
template <class Optimizer>
HarnessRun harness_run(Optimizer opt) {
  return [opt](const std::function<double(std::span<const double>)>& objective, const Box& box,
               Rng rng) -> Result<double> {
    auto f = objective;
    auto r = opt.optimize(f, box, rng);
    if (!r) return r.status();
    return r->best_value;
  };
}

}  // namespace actlab::optim
