// Pruners stop unpromising trials early from their intermediate values (Optuna's pruners; docs/search.md).
//
//   MedianPruner median;                                // 5 start-up trials, no warm-up
//   if (median.prune(study_trials, this_trial, Direction::kMinimize)) return TrialOutcome::pruned();
//
// Median (Optuna's PercentilePruner(50)): at the trial's last step s, with ≥ n_startup_trials COMPLETE
// trials, s ≥ n_warmup_steps and s on the interval: P = the 50th percentile (linear interpolation, NaNs
// ignored) of the COMPLETE trials' values at step s (needs ≥ n_min_trials of them); prune when the trial's
// best value so far is worse than P. A NaN best prunes at once. Successive halving (asynchronous SHA, Li et
// al., MLSys 2020, arXiv:1810.05934): rung r is reached at step min_resource · η^(s + r); at each rung
// reached, the trial continues only if its value is in the top ⌊|competing|/η⌋ (at least the best) of the
// values recorded at that rung by all trials. Optuna keeps those values as trial attributes; here a trial's
// rung value is its intermediate value at the first step ≥ the rung step, which is the value Optuna records
// when should_prune() is called at every step.
#pragma once

#include <string>
#include <vector>

#include "search/sampler.hpp"

namespace actlab::search {

class Pruner {
 public:
  virtual ~Pruner() = default;
  virtual std::string name() const = 0;
  // `trial` is the running trial (its intermediate values so far); `study` is every trial of the study.
  virtual bool prune(const std::vector<FrozenTrial>& study, const FrozenTrial& trial, Direction d) const = 0;
};

struct MedianPrunerOptions {
  int n_startup_trials = 5;
  int n_warmup_steps = 0;
  int interval_steps = 1;
  int n_min_trials = 1;
};

class MedianPruner final : public Pruner {
 public:
  explicit MedianPruner(MedianPrunerOptions o = {}) : o_(o) {}
  std::string name() const override { return "median"; }
  bool prune(const std::vector<FrozenTrial>& study, const FrozenTrial& trial, Direction d) const override;

 private:
  MedianPrunerOptions o_;
};

struct SuccessiveHalvingOptions {
  int min_resource =
      0;  // 0 = auto: max(1, largest last step of a COMPLETE trial / 100); no pruning before one
  int reduction_factor = 4;
  int min_early_stopping_rate = 0;
};

class SuccessiveHalvingPruner final : public Pruner {
 public:
  explicit SuccessiveHalvingPruner(SuccessiveHalvingOptions o = {}) : o_(o) {}
  std::string name() const override { return "sha"; }
  bool prune(const std::vector<FrozenTrial>& study, const FrozenTrial& trial, Direction d) const override;

 private:
  SuccessiveHalvingOptions o_;
};

// q-th percentile (0..100) with numpy's linear interpolation, NaNs dropped; NaN when nothing is left.
double nan_percentile(std::vector<double> v, double q);

}  // namespace actlab::search
