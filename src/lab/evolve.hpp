// Evolving activation functions: the fitness of an activation triple, the GP run with its fitness evaluated
// locally or through a stored study, and the final comparison with the baseline (Lapid & Sipper, "Evolution
// of activation functions for deep learning-based image classification", GECCO 2022; docs/evolution.md).
//
//   lab::EvolvePlan p;
//   p.config = {.data = "iris", .epochs = 4};
//   p.generations = 3;  p.population = 6;  p.final_epochs = 10;
//   auto r = lab::run_evolution(p, {.on_generation = [](const evolve::GenerationRecord& g) { ... }});
//   r->run.best;  r->run.fitness;  r->final->evolved.test;  r->final->permutation_p;  r->theory[1].kind;
//
//   auto d = lab::prepare_evolve_data(cfg);                            // splits, standardisation
//   evolve::FitnessResult f = lab::evolve_fitness(cfg, *d, {"relu(x)", "tanh(x)", "elu(x)"});
//   auto fin = lab::final_training(cfg, *d, triple, /*epochs=*/10, /*replicate=*/0);
//
// Fitness: train the network with the triple in its three slots (input, hidden, output) for `epochs` epochs
// and take the best validation accuracy. Final comparison: the chosen triple and the baseline trained from
// scratch on train ∪ validation and scored on the test set, replicate k of both arms with the same seed.
// Data (data::prepare, Sampling::kShuffledPool): the official test set when the source has one
// (Fashion-MNIST's t10k), else a stratified 30% of the rows; `train_fraction` of the remaining rows is drawn
// (seeded), and `val_fraction` of those is the validation set. Images are standardised by one mean and
// standard deviation of the training pixels (the paper's per-data-set constants), tables per feature.
// Training: Adam (lr 0.01 in the paper), batch = |train ∪ val| / 10 unless given (the paper's ten minibatches
// per epoch), PyTorch's default initialisation; one seed for every candidate (common random numbers:
// candidates differ only by their activations), another per final replicate.
//
// Stored runs (`storage` and `name`): every fitness evaluation is a trial of a study, WAITING until a worker
// claims it (this process's threads, or `evolve_work` in any process that reaches the storage), with
// heartbeats and retries of a lost worker's trials (search::WorkQueue). The GP is deterministic for a seed,
// so an interrupted run resumes by running the same plan again: every evaluation already in the study is read
// back instead of trained.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "data/dataset.hpp"
#include "evolve/evolution.hpp"
#include "theory/effective.hpp"

namespace actlab::lab {

// What the fitness depends on; a stored study keeps it to rebuild the same fitness on another machine.
struct EvolveConfig {
  std::string data, target, net = "fcn:lapid", init = "torch";
  double train_fraction = 1.0, val_fraction = 0.2, lr = 0.01;
  int epochs = 3, batch = 0;  // batch 0: (train + val rows) / 10
  std::uint64_t seed = 1;

  Json to_json() const;
  static Result<EvolveConfig> from_json(const Json& j);
};

struct EvolveData {
  data::Dataset train, val, test, train_val;  // train_val: train ∪ val, for the final training
  std::vector<int> input_shape;
  int batch = 0;
};

// Errors name the field: train_fraction, val_fraction, epochs, batch, lr, data.
Result<EvolveData> prepare_evolve_data(const EvolveConfig& cfg);

// Best validation accuracy over cfg.epochs epochs; a non-finite loss or output is a failure with the reason.
evolve::FitnessResult evolve_fitness(const EvolveConfig& cfg, const EvolveData& d, const evolve::Triple& t);

struct FinalRun {
  double test_acc = 0;  // after the last epoch
  double peak_acc = 0;  // best test accuracy over the epochs (the paper's optimistic number)
  double seconds = 0;
};
// A triple that does not build, or a training that diverges, is an error (kInvalidArgument, kNumerical).
Result<FinalRun> final_training(const EvolveConfig& cfg, const EvolveData& d, const evolve::Triple& t,
                                int epochs, int replicate);

// ---- the run ----

struct EvolvePlan {
  EvolveConfig config;
  std::string method = "coevo", gp = "tree";  // evolve::parse_method, evolve::parse_gp
  std::string primitives;                     // comma-separated names; empty: the paper's 15
  bool constants = false;                     // ephemeral random constants (tree GP)
  std::string baseline = "relu";              // the baseline and every slot at the start
  int generations = 10, population = 10;
  int height_limit = 8, tournament = 3, elitism = 1, init_min = 1, init_max = 3;
  double crossover = 0.5, mutation = 0.2;
  bool clones = false;  // keep offspring that repeat a function of the population (DEAP's behaviour)
  std::string cgp_grid = "5x5";
  int levels_back = 5;
  int final_epochs = 10, replicates = 3;  // final_epochs 0: no final comparison
  int workers = 0;                        // training threads; 0: one per core
  std::string storage, name;              // a study that keeps every evaluation (both or neither)
  double grace = 30.0;                    // seconds without heartbeat before a running evaluation is retried
  std::string plot;                       // draw the best triple and the baseline (SVG or PNG)
  std::string save_catalog, catalog_prefix;  // add the best triple to this user catalog file
  // Nonzero (a signal number) once the run should stop (the CLI passes InterruptGuard::signal): no new
  // evaluation or final training starts, a stored run's running evaluations go back to WAITING, and
  // run_evolution returns a result with `interrupted` set once the trainings in progress have returned.
  std::function<int()> interrupted = {};
};

// Called from the calling thread (on_generation) and from training threads, one call at a time (on_final).
struct EvolveProgress {
  std::function<void(const evolve::GenerationRecord&)> on_generation;
  std::function<void(int done, int total)> on_final;  // final trainings finished so far
};

// The theory class of one formula (theory::classify), or why there is none.
struct FormulaTheory {
  std::string formula = {};
  std::optional<theory::Classification> classification = {};
  std::string error = {};
};
FormulaTheory classify_formula(const std::string& formula);

struct ArmResult {
  std::vector<double> test, peak;     // per successful replicate
  std::vector<std::string> failures;  // "replicate k: reason"
};

struct FinalComparison {
  int epochs = 0, replicates = 0;
  ArmResult evolved = {}, baseline = {};
  double permutation_p = 0;  // exact permutation test on the medians; NaN with fewer than 2 runs per arm
  double seconds = 0;
};

struct EvolveDataSummary {
  std::string name = {};
  std::size_t train = 0, val = 0, test = 0, features = 0;
  int classes = 0, batch = 0;
};

struct EvolveResult {
  EvolveDataSummary data;
  Json settings;  // the run's settings as stored with a study
  int generations = 0;
  evolve::EvolveResult run;
  std::string baseline;             // the baseline formula, as evolved ("relu(x)")
  std::optional<int> from_storage;  // stored runs: evaluations read back instead of trained
  double search_seconds = 0;
  std::vector<FormulaTheory> theory;  // of run.best, per slot
  std::optional<FinalComparison> final;
  std::vector<std::string> saved;  // user-catalog names of the best triple
  // The signal that stopped the run (EvolvePlan::interrupted), 0 when it ran to the end. Then only data,
  // settings, from_storage and `completed` are set (and run, when the search had ended): a stored run keeps
  // every evaluation finished so far, and the same plan resumes from them; an unstored run keeps nothing.
  int interrupted = 0;
  int completed = 0;  // generations whose evaluations were all finished

  // Trained here per minute (evaluations read back from the storage cost nothing).
  double evaluations_per_minute() const;
};

// Errors name the plan's field (population, height_limit, method, gp, cgp_grid, primitives, baseline,
// generations, final_epochs, replicates, workers, storage, name, plot, save_catalog, and
// prepare_evolve_data's).
Result<EvolveResult> run_evolution(const EvolvePlan& plan, const EvolveProgress& progress = {});

// ---- a worker that joins a stored run, and a read-only view of one ----

struct EvolveWorkPlan {
  std::string storage = {}, name = {};
  int workers = 0;    // 0: one per core
  double idle = 60;   // stop after this many seconds without a WAITING or RUNNING evaluation
  double grace = 30;  // seconds without heartbeat before a running evaluation is retried
  std::function<int()> interrupted = {};  // as EvolvePlan::interrupted
};
struct EvolveWorkResult {
  std::string study = {};
  std::string stopped = "idle";  // or "interrupted"
  int interrupted = 0;           // the signal, 0 when none
  int released = 0;              // evaluations running here when interrupted: back to WAITING
};
Result<EvolveWorkResult> evolve_work(const EvolveWorkPlan& plan);

struct EvolveShowPlan {
  std::string storage = {}, name = {};
};
struct EvolveShowResult {
  struct Generation {
    int generation = 0, evaluations = 0, failures = 0;
    std::optional<double> best;  // the best value among the generation's new evaluations
    std::optional<evolve::Triple> best_formulas;
  };
  struct Ranked {
    double fitness = 0;
    evolve::Triple formulas;
  };
  std::string study, storage;
  Json settings;
  int complete = 0, failed = 0, pending = 0;
  std::vector<Generation> history;
  std::vector<Ranked> top;            // the best 5
  std::vector<FormulaTheory> theory;  // of top[0], per slot
};
Result<EvolveShowResult> evolve_show(const EvolveShowPlan& plan);

}  // namespace actlab::lab
