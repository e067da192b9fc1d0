// Samplers propose the parameters of the next trial from the trials seen so far.
//
//   auto sampler = *make_sampler("tpe");                 // or "random", "grid"
//   Params x = sampler->sample(space, Direction::kMinimize, history, /*number=*/42, /*seed=*/7);
//
// Determinism: a sampler is a pure function of (space, direction, history, trial number, seed). Its random
// draws come from Rng::derive(seed, <purpose>, number), so trial 42 gets the same parameters on every worker
// that sees the same history (unlike Optuna with n_jobs > 1, optuna#4412; docs/search.md, "Sources").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/rng.hpp"
#include "search/space.hpp"

namespace actlab::search {

enum class Direction { kMinimize, kMaximize };

// Optuna's TrialState, with the same meaning (docs/search.md, "Sources"): finished = COMPLETE, PRUNED, FAIL.
enum class TrialState { kWaiting, kRunning, kComplete, kPruned, kFail };

const char* to_string(TrialState s);  // "WAITING", "RUNNING", "COMPLETE", "PRUNED", "FAIL"
Result<TrialState> parse_trial_state(const std::string& s);
const char* to_string(Direction d);  // "minimize", "maximize"
Result<Direction> parse_direction(const std::string& s);

// What samplers and pruners see of a trial: internal parameter values and results.
struct FrozenTrial {
  std::int64_t number = 0;
  TrialState state = TrialState::kWaiting;
  Params params;                                              // empty while not yet sampled
  double value = 0;                                           // meaningful for COMPLETE
  std::vector<std::pair<std::int64_t, double>> intermediate;  // (step, value), ascending steps
  bool worker_lost = false;  // FAIL because its worker died or went silent (the reaper), not the objective
  // The original trial this one re-runs (the root of its retry chain); its own number when not a retry.
  std::int64_t original = 0;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  virtual std::string name() const = 0;
  // False when sample() ignores `trials` (random, grid): the study then skips reading the history.
  virtual bool uses_history() const { return true; }
  virtual Params sample(const Space& space, Direction direction, const std::vector<FrozenTrial>& trials,
                        std::int64_t number, std::uint64_t seed) const = 0;
};

// One value of parameter i drawn uniformly: a uniform choice; uniform on [low, high] (on the step grid);
// log-uniform for log scales (log ints: log-uniform on [low − 0.5, high + 0.5], rounded, as Optuna does).
double sample_uniform(const Distribution& d, Rng& rng);

class RandomSampler final : public Sampler {
 public:
  std::string name() const override { return "random"; }
  bool uses_history() const override { return false; }
  Params sample(const Space& space, Direction direction, const std::vector<FrozenTrial>& trials,
                std::int64_t number, std::uint64_t seed) const override;
};

// Cartesian grid: every choice of each categorical; `points` evenly spaced values of each numerical parameter
// (log-spaced for log scales; all integers when fewer). Trial k takes point perm[k mod G], perm a seeded
// shuffle of the G points when G ≤ 2^20 (the identity above that), so the first G trials cover the grid.
class GridSampler final : public Sampler {
 public:
  explicit GridSampler(int points = 5) : points_(points) {}
  std::string name() const override { return "grid"; }
  bool uses_history() const override { return false; }
  Params sample(const Space& space, Direction direction, const std::vector<FrozenTrial>& trials,
                std::int64_t number, std::uint64_t seed) const override;
  // The values of parameter i on the grid.
  std::vector<double> axis(const Distribution& d) const;
  // G, the number of grid points (saturates at 2^62).
  std::uint64_t grid_size(const Space& space) const;

 private:
  int points_;
};

// "tpe" (independent), "tpe:multivariate" (alias "tpe-multivariate"), "tpe:fail-worst" (TpeOptions::
// fail_as_worst), "tpe:multivariate,fail-worst", "random" or "grid".
Result<std::unique_ptr<Sampler>> make_sampler(const std::string& name);

}  // namespace actlab::search
