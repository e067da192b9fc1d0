// Comparing arms (an activation per layer plus an initialisation) over seeds with common random numbers
// (docs/lab.md, "compare").
//
//   lab::ComparePlan p;
//   p.base.data = {.source = "iris", .test = 0.3};
//   p.base.model.spec = "mlp:16x3";  p.base.options.epochs = 40;  p.base.options.optimizer.lr = 0.01;
//   p.arms = *lab::parse_arms("relu; swish@critical; x*tanh(softplus(x))@critical", "he");
//   p.seeds = 10;  p.seed = 0;
//   auto r = lab::compare(p, [](const lab::CompareProgress& e) { /* e.done of e.total epochs */ });
//   r->arms[1].median;  r->arms[1].p_holm;  r->table().markdown();  r->to_json();  r->figure();
//
// Seed s (s = seed, seed + 1, ..., seed + seeds − 1) trains every arm with the same TrainPlan except for the
// activations and the init: data.seed = model.seed = options.seed = s, exactly what `actlab train --seed s`
// does. So every arm sees the same split, the same standardisation, the same mini-batch order and the same
// weight-seed stream (common random numbers), and one arm's run on seed s can be repeated with
// `actlab train`. Training is lab::train's; nothing is re-implemented here.
//
// The score of a run is its test accuracy (classification, higher is better) or its test loss (regression,
// lower is better). A diverged run (or one whose test score is not finite) is the worst: accuracy 0, or for
// regression the worst finite test loss of the whole comparison (so the statistics stay finite); it is
// counted per arm and listed by seed. Per arm: median, quartiles and IQR (numpy's linear quantiles), a
// percentile bootstrap CI of the median (seeded), and against the first arm a paired sign-flip permutation
// test on the per-seed differences (exact for seeds ≤ 20, else seeded Monte Carlo) with Holm's adjustment
// across the other arms (report/significance.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "lab/train.hpp"
#include "report/figure.hpp"
#include "report/table.hpp"

namespace actlab::lab {

struct CompareArm {
  std::string label;  // as written: "swish@critical"
  std::string acts;   // as --act takes it: one activation, or a comma list per layer
  std::string init;   // lab::recommend_init's scheme
};

// "relu; swish@critical; tanh,relu@critical:sigma_b=0.1" → arms separated by ';', each an activation list
// with an optional "@INIT" (default: default_init). Surrounding spaces are dropped. Errors (field "arms"):
// an empty arm, an empty activation list or init, an unknown activation (checked with lab::parse_acts).
Result<std::vector<CompareArm>> parse_arms(const std::string& text, const std::string& default_init);

struct ComparePlan {
  TrainPlan base;  // data, architecture and training; model.acts, model.init and every seed are per arm/seed
  std::vector<CompareArm> arms;  // the first is the reference of the tests
  int seeds = 10;
  std::uint64_t seed = 0;  // the first seed
  int resamples = 10000;   // bootstrap resamples
  double level = 0.95;     // bootstrap CI level
  int rounds = 100000;     // Monte Carlo sign patterns when seeds > 20

  // Errors name the field: arms, seeds, resamples, level, rounds, model (a model file has its own
  // activations).
  Status validate() const;
  Json to_json() const;
};

struct CompareArmResult {
  CompareArm arm;
  std::vector<double> values;     // per seed, the score used by the statistics (diverged: the worst)
  std::vector<double> test_loss;  // per seed, as trained (NaN after divergence)
  std::vector<int> epochs;        // per seed
  std::vector<std::uint64_t> diverged_seeds;
  Json init = nullptr;  // the initialisation the first seed's model got (InitRecommendation)
  double median = 0, q25 = 0, q75 = 0, iqr = 0;
  std::pair<double, double> ci{0, 0};
  double p_value = std::nan(""), p_holm = std::nan("");  // against the first arm; NaN for the first
  int rank = 0;                                          // 1 = best median (ties share the best rank)
};

struct CompareResult {
  ComparePlan plan;
  std::string data;
  std::size_t train_rows = 0, val_rows = 0, test_rows = 0;
  bool classification = true;  // score = test accuracy (else test loss)
  std::vector<std::uint64_t> seeds;
  std::vector<CompareArmResult> arms;
  bool exact = true;  // the permutation tests enumerated every sign pattern
  double seconds = 0;

  const char* metric() const { return classification ? "test_acc" : "test_loss"; }
  // {"settings", "data", "rows", "metric", "higher_is_better", "seeds", "tests",
  //  "arms": [{"arm", "act", "init", "median", "q25", "q75", "iqr", "ci", "values", "test_loss", "epochs",
  //  "diverged", "diverged_seeds", "rank", "p_value", "p_holm", "init_detail"}], "seconds"}
  Json to_json() const;
  // arm, init, median (marked ! / !! by p_holm), iqr, ci_low, ci_high, diverged, p, p_holm, rank.
  report::Table table() const;
  // Per-seed points per arm (x = arm number, seeds spread across ±0.3) and each arm's median as a bar.
  report::Figure figure() const;
};

struct CompareProgress {
  std::int64_t done = 0, total = 0;  // epochs (a run that stops early counts its remaining epochs)
  std::string note;                  // "seed 3 swish@critical"
};
using CompareProgressFn = std::function<void(const CompareProgress&)>;

// Trains arms × seeds (seed by seed, every arm within a seed) and computes the statistics. Errors name the
// field: the plan's (validate), "arms" for an arm whose activations or init fail (the message names the
// arm), the data's fields (source, test, ...) and the training options'.
// `runner` trains one run (default: lab::train_summary); the laboratory passes one that remembers finished
// runs.
Result<CompareResult> compare(const ComparePlan& plan, const CompareProgressFn& on_progress = {},
                              const TrainRunner& runner = {});

}  // namespace actlab::lab
