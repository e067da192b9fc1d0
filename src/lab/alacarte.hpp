// À la carte: one activation per layer from a 48-function menu (Sipper, "Neural networks with à-la-carte
// selection of activation functions", arXiv 2206.12166; docs/search.md, "À la carte").
//
// The objective: one categorical parameter per layer over the menu, a network mlp:64xL whose L dense layers
// each end in the chosen activation (the last one is the output activation), full-batch Adam lr 1e-3 for at
// most 300 epochs with the paper's early stop on training accuracy. Two departures from the original code:
// the trial value is the accuracy on a validation split carved from the training part (not training
// accuracy), and a trial whose loss, gradient or validation outputs are not finite is FAIL with the reason.
//
//   AlacarteSetup s;  s.data = "iris";  s.layers = 5;  s.split_seed = 1;
//   auto d = prepare_alacarte(s);                          // data::prepare: 70/30, val of the 70,
//   standardised s.fingerprint = d->fingerprint;                        // stored with the study (objective
//   JSON) auto r = train_architecture(s, *d, {"relu", "relu", "relu", "relu", "softmax"}, /*seed=*/7, true);
//   r->test_acc;                                           // or r.status(): diverged, NaN on validation, ...
//   search::Objective f = alacarte_objective(s, *d, /*study seed=*/1);
//
// Every process that joins a study rebuilds the data from the stored setup and checks the fingerprint (a hash
// of the rows, the labels and the split), so all workers, on any machine, train and validate on the same
// rows.
//
// The protocol (the paper's §3, with every arm selecting on validation):
//
//   AlacartePlan p;  p.data = {"iris", "wine"};  p.layers = {5, 10};  p.trials = 200;
//   auto r = run_alacarte(p, [](const AlacarteProgress& e) { /* e.done of e.total, e.note */ });
//   r->table().markdown();  r->to_json();
//
// For each data set, layer count L and replicate r: a fresh stratified 70/30 split (seeded by (seed, r),
// shared by every arm and both L), a validation part carved out of the 70, and
//   standard  relu × (L−1) + softmax, trained once;
//   random    N architectures drawn uniformly from the menu, the best by validation accuracy;
//   tpe       N trials of TPE (Optuna 3.1 defaults) on the same objective, the best by validation accuracy;
//             FAIL trials (NaN networks) count as the worst values (failed = "worst", sampler
//             "tpe:fail-worst") unless failed = "ignore" (Optuna's way: the sampler never learns which
//             functions fail).
// The chosen network is retrained (same weight seed, so the same network) and scored on the test part.
// Reported per (data set, L): the median test accuracy over replicates per arm, a permutation test on medians
// of each arm against standard, and the winner with its p-value against the runner-up.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "data/dataset.hpp"
#include "nn/trainer.hpp"
#include "report/significance.hpp"
#include "report/table.hpp"
#include "search/objective_registry.hpp"
#include "search/space.hpp"
#include "search/study.hpp"

namespace actlab::lab {

// The 48 menu names (catalog entries with in_menu, in the order of Sipper's ALAYERS list).
const std::vector<std::string>& alacarte_menu();

// Everything that defines a trial's data and training; stored as the study's objective JSON.
struct AlacarteSetup {
  std::string data;    // built-in name or CSV file
  std::string target;  // CSV target column ("" = last)
  int layers = 5;      // dense layers = searched activations (the last is the output activation)
  int width = 64;
  std::uint64_t split_seed = 0;
  double test = 0.3;  // fraction of all rows held out for test
  double val = 0.25;  // fraction of the training part carved out for validation (selection)
  std::string init = "torch";
  int epochs = 300;
  double lr = 1e-3;
  int patience = 10;        // early stop: epochs with train_acc[e] − train_acc[e−1] < 0.001
  std::string fingerprint;  // of the prepared data; "" until prepared

  Status validate() const;      // errors name the field (layers, val, ...)
  search::Space space() const;  // activation0 .. activation{L-1}, each over the menu
  Json to_json() const;         // {"name":"alacarte", ...}
  static Result<AlacarteSetup> from_json(const Json& j);
};

struct AlacarteData {
  std::string name;
  std::size_t rows = 0, features = 0;
  int classes = 0;
  data::Dataset train, val, test;  // standardised with the training rows' mean and scale
  std::string fingerprint;         // 16 hex digits
};

// data::prepare with the setup's split: stratified, test = `test` of all rows, validation = `val` of the
// rest, per-feature standardisation fitted on the training rows. Errors name the field "data".
Result<AlacarteData> prepare_alacarte(const AlacarteSetup& s);

// One trained architecture's scores.
struct ArchScores {
  double train_acc = 0, val_acc = 0, test_acc = 0;
  int epochs = 0;
  nn::StopReason stop = nn::StopReason::kCompleted;
};

// Trains mlp:{width}x{layers} with these activations (menu names or any activation spec) on d.train with
// weight seed `seed`, then measures validation (and, when asked, test) accuracy. Failures: bad activations
// or init (invalid, field "act" / "init"), divergence or non-finite validation outputs (numerical).
Result<ArchScores> train_architecture(const AlacarteSetup& s, const AlacarteData& d,
                                      const std::vector<std::string>& acts, std::uint64_t seed,
                                      bool with_test);

// The weight seed of trial `number` of a study with seed `study_seed` (retraining the best trial reuses it).
std::uint64_t alacarte_trial_seed(std::uint64_t study_seed, std::int64_t number);

// The study objective: value = validation accuracy; FAIL with the reason when training or validation is not
// finite. `d` must outlive the objective.
search::Objective alacarte_objective(const AlacarteSetup& s, const AlacarteData& d, std::uint64_t study_seed);

// Activation names of a trial, in layer order, from its external parameters {"activation0": "relu", ...}.
std::vector<std::string> alacarte_acts(const Json& params, int layers);

// Registers the objective as "alacarte" (maximised; prepare() loads the data and checks the fingerprint).
void add_alacarte_objective(search::ObjectiveRegistry& registry);

// ---- The protocol -------------------------------------------------------------------------------------

struct AlacartePlan {
  std::vector<std::string>
      data;  // data sets: built-in names, CSV or R files, suites (suite:tabular, data/suite.hpp)
  std::vector<int> layers = {5, 10};                              // dense layer counts, each 2..64
  std::vector<std::string> arms = {"standard", "random", "tpe"};  // any of these, each once
  int replicates = 5;
  std::int64_t trials = 1000;    // per search arm and replicate
  std::string failed = "worst";  // tpe arm: FAIL trials count as the worst values ("worst") or "ignore"
  std::string storage;           // studies kept here (resumable); "" = a temporary SQLite file
  std::uint64_t seed = 0;        // splits, weights, sampling and the permutation test
  std::string init = "torch";
  int workers = 1;     // trial worker threads
  int rounds = 10000;  // permutation-test rounds
  // Nonzero (a signal number) once the run should stop (the CLI passes InterruptGuard::signal): the running
  // trials go back to WAITING (search::OptimizeOptions::interrupted), no new arm starts, and run_alacarte
  // returns a result with `interrupted` set. With `storage`, rerunning the same plan resumes every study
  // where it stopped and ends with the result of an uninterrupted run (workers = 1; with more, trials are
  // sampled in another order anyway); without, the temporary studies are gone.
  std::function<int()> interrupted = {};

  // Errors name the field (data, layers, arms, failed, replicates, trials, workers, rounds).
  Status validate() const;
  // Progress steps of a run: one per standard training and per search trial.
  std::int64_t steps() const;
  // The "settings" of the result JSON (the storage URL with its password masked).
  Json to_json() const;
};

struct AlacarteRun {  // one arm in one replicate
  double test_acc = std::nan(""), val_acc = std::nan("");
  std::vector<std::string> acts;
  std::string study;  // the search arm's study name
  std::string note;   // why there is no test accuracy
};

struct AlacarteRow {  // one data set at one layer count
  std::string dataset;
  std::size_t n = 0, features = 0;
  int classes = 0, layers = 0;
  std::map<std::string, std::vector<AlacarteRun>> runs;  // arm → one per replicate
  std::map<std::string, double> median;                  // arm → median test accuracy
  std::map<std::string, double> p_vs_standard;           // arm (not standard) → p
  std::string winner;                                    // highest median (ties: the plan's arm order)
  double p = std::nan("");                               // winner vs runner-up
};

// One search arm against standard at one layer count, over every data set: Sipper's "beats the standard
// network on k of n problems", from the medians, with the per-set permutation p-values.
struct AlacarteSummary {
  std::string arm;
  int layers = 0;
  int sets = 0;
  report::WinsTiesLosses tally;  // wins: median test accuracy above standard's; significant: p < 0.05
};

struct AlacarteResult {
  AlacartePlan plan;
  std::vector<AlacarteRow> rows;  // when interrupted: the (data set, L) rows finished before
  int interrupted = 0;            // the signal that stopped the run (AlacartePlan::interrupted), 0 when none
  int released = 0;               // trials running when interrupted, back to WAITING

  // One entry per search arm and layer count (empty without a standard arm).
  std::vector<AlacarteSummary> summary() const;

  // {"settings": plan.to_json(), "table": [{"dataset", "n", ..., "medians", "p_vs_standard", "winner", "p",
  //  "replicates": [{arm: {"test_acc", "val_acc", "activations", "study"?, "note"?}}, ...]}, ...],
  //  "summary": [{"arm", "layers", "sets", "wins", "ties", "losses", "significant_wins",
  //  "significant_losses", "no_result"}, ...]}
  Json to_json() const;
  // The paper's table: dataset, n, features, classes, layers, one median per arm (marked ! / !! against
  // standard), winner (marked against the runner-up), p; CSV and JSON add p_<arm>_vs_standard.
  report::Table table() const;
};

struct AlacarteProgress {
  std::int64_t done = 0, total = 0;  // steps (AlacartePlan::steps)
  std::string note;                  // "iris L5 rep 2 tpe"
};
using AlacarteProgressFn = std::function<void(const AlacarteProgress&)>;

// Runs the protocol. Suites in plan.data are expanded first (data::expand_sources); every data set and the
// init are checked before any training. Errors name the field
// (plan fields; "storage" for a study of the same name with another space or settings).
Result<AlacarteResult> run_alacarte(const AlacartePlan& plan, const AlacarteProgressFn& on_progress = {});

}  // namespace actlab::lab
