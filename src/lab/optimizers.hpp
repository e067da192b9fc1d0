// Dik's two protocols as plans in and result values out (docs/optimizers.md):
//   - the 1-1-1 convergence study of A. Dik, "Neuron activation functions during training: the key to fast
//     convergence?" (MQL5 article 16845, mql5.com/en/articles/16845): in-network Adam against ADAMm on a
//     1-1-1 network with one training example, with and without weights bounded by the activation's
//     effective domain and reflected back into that box;
//   - the optimiser test harness of A. Dik, "Population ADAM (Adaptive Moment Estimation)" (MQL5 article
//     16443, mql5.com/en/articles/16443; code: github.com/JQSakaJoo/Population-optimization-algorithms-MQL5):
//     Hilly, Forest and Megacity × 5/25/500 copies, scored as % of the maximum.
//
//   lab::ConvergePlan p;
//   p.acts = "tanh,sigmoid";  p.seeds = 3;  p.budget = 3000;  p.threshold = 1e-4;
//   auto c = lab::converge(p);           // c->rows: one per (activation, optimizer, reflect), sorted by name
//   c->rows[0].success_rate;  c->rows[0].median_evals;  c->skipped;  c->subjects[0].bounds;
//   report::render(lab::convergence_figure(*c), "c.svg");
//
//   lab::OptbenchPlan b;
//   b.functions = "5";  b.tests = "hilly,megacity";  b.evals = 2000;  b.repeats = 2;
//   auto h = lab::optbench(b);    // h->scores.cells, h->scores.total; h->published: Dik's full run only
//
// Errors name the plan's field ("budget: must be >= 1 ...", "opt: expected adam and/or adamm, ..."); the
// CLI turns the field into its flag.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "nn/converge.hpp"
#include "nn/weight_bounds.hpp"
#include "optim/harness.hpp"
#include "optim/population_adam.hpp"
#include "report/figure.hpp"

namespace actlab::lab {

// Progress of a long entry (e.g. for a progress bar): start(total) once, on the calling thread, before the
// first run; done() once per finished run, from any thread. Either may be empty.
struct RunProgress {
  std::function<void(std::int64_t total)> start{};
  std::function<void()> done{};
};

// ---- the 1-1-1 convergence study (article 16845) ----

struct ConvergePlan {
  std::string acts = "all";        // every element-wise catalog entry, or a comma list of names/formulas
  std::string opt = "adam,adamm";  // adam (in-network, analytic gradient) and/or adamm, in row order
  std::string reflect = "both";    // off | on | both: weights in the activation's box, with reflection
  double x = 0.5, target = 0.3;    // the single training example
  double threshold = 1e-6;         // success: (y − t)² < threshold
  double kappa = 0.01;             // effective domain: |f'| ≥ kappa·max|f'|
  double lr = 1e-3;                // in-network Adam's learning rate
  double alpha = 1e-3;             // ADAMm's Adam step
  int seeds = 10;                  // runs per row
  int pop = 100;                   // ADAMm's population
  int threads = 0;                 // 0: default_thread_count()
  std::int64_t budget = 10000;     // loss evaluations per run
  std::uint64_t seed = 1;          // seed k of every row draws from Rng::derive(seed, "converge", k)
  bool keep_moment = false;        // Adam: do not negate the first moment of a reflected weight
};

// One activation of the study, with its weight box (unset when it has no usable effective domain).
struct ConvergeSubject {
  std::string name;
  std::optional<nn::Bounds111> bounds;
  std::string bounds_error;  // why bounds is unset
};

// One (activation, optimizer, reflect) row with its runs and their summary.
struct ConvergeRow {
  std::string activation{}, optimizer{};  // optimizer: "adam" or "adamm"
  bool reflect = false;
  std::vector<nn::ConvergeOutcome> runs{};  // seed k at index k
  double success_rate = 0;                  // fraction of runs below the threshold within the budget
  double median_evals = 0;                  // over the successful runs; NaN when none
  double median_error = 0;                  // median best (y − t)² over all runs
};

// A reflect-on row left out because its activation has no usable effective domain (plan.acts = "all").
struct ConvergeSkip {
  std::string activation, optimizer, reason;
};

struct ConvergeResult {
  ConvergePlan plan;
  std::vector<ConvergeSubject> subjects;  // sorted by name
  std::vector<ConvergeRow> rows;          // subjects × opt × reflect, in that order
  std::vector<ConvergeSkip> skipped;      // in the same order
  std::vector<std::int64_t> checkpoints;  // where each run's curve is sampled
};

// Runs every row over plan.seeds seeds on plan.threads workers, reporting each run to `progress`. The
// result does not depend on the thread count.
// Errors name the field: budget, threshold, seeds, x, target, kappa, lr, alpha, pop, threads, opt, reflect,
// acts (an unknown activation, or a listed one without a box when reflection is asked for).
Result<ConvergeResult> converge(const ConvergePlan& plan, const RunProgress& progress = {});

// Convergence curves: up to 12 rows, the median best-so-far loss of each; more rows, the fraction of runs
// below the threshold per (optimizer, reflect).
report::Figure convergence_figure(const ConvergeResult& r);

// ---- the optimiser test harness (article 16443) ----

struct OptbenchPlan {
  std::string opt = "adamm";                    // adamm | adam (Dik's population Adam)
  std::string functions = "5,25,500";           // copy counts of each function (D = 2·copies)
  std::string tests = "hilly,forest,megacity";  // the functions
  std::string boundary = "clamp";               // clamp (Dik) | reflect
  std::int64_t evals = 10000;                   // evaluations per run
  int repeats = 10, threads = 0;                // threads 0: default_thread_count()
  std::uint64_t seed = 1;                       // run k of test c draws from derive(seed, "optbench", ...)
  // Overrides of the variant's defaults (unset: keep them).
  std::optional<int> pop;
  std::optional<double> alpha, hybrids, resistance, eps;
  bool no_quirks = false;  // fix Dik's quirks (secant, slot moments, in-place parents)
};

// Dik's published scores of a variant on his full protocol (article 16443), cells in harness order.
struct PublishedScores {
  std::vector<double> cells;
  double total = 0;
  double percent() const { return total * 100 / 9; }
};

// Dik's published scores of "adamm" or "adam" (article 16443): Hilly, Forest, Megacity × 5/25/500 copies.
const PublishedScores& published_scores(const std::string& opt);

struct OptbenchResult {
  OptbenchPlan plan;
  optim::PopulationAdamOptions options;  // what ran
  optim::HarnessOptions harness;
  optim::HarnessResult scores;
  double seconds = 0;                        // wall time of the harness
  std::optional<PublishedScores> published;  // only for Dik's full protocol with the variant's defaults
};

// Runs the harness on plan.threads workers, reporting each run to `progress`.
// Errors name the field: opt, pop, hybrids, resistance, alpha, eps, boundary, evals, tests, functions,
// repeats, threads.
Result<OptbenchResult> optbench(const OptbenchPlan& plan, const RunProgress& progress = {});

}  // namespace actlab::lab
