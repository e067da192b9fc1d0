// TPE, the Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011; "Making a Science of Model
// Search", ICML 2013), with Optuna 3.1's defaults (docs/search.md, "TPE").
//
//   TpeSampler tpe;                                   // independent, 10 start-up trials, 24 EI candidates
//   Params x = tpe.sample(space, Direction::kMaximize, history, number, seed);
//
// For each parameter (or all at once when multivariate):
//   T = COMPLETE and PRUNED trials (and, with fail_as_worst, FAIL trials the objective failed);
//   n = |T|; n < n_startup → uniform draw
//   rank T: COMPLETE by value (ascending for minimize), ahead of PRUNED,
//           which rank by (−last step, last value), ahead of FAIL (in trial order)
//   below = best gamma(n) = min(⌈0.1 n⌉, 25) trials, above = the rest (each in trial-number order)
//   l = ParzenEstimator(below), g = ParzenEstimator(above); X = 24 draws from l
//   x = argmax_{x' ∈ X} log l(x') − log g(x')   (EI ∝ (γ + (1 − γ) g/l)⁻¹; the first of equal bests)
// Random draws come from Rng::derive(seed, "tpe", number), split per parameter in independent mode.
// Cost per sample(): one split of the history, then O(n) per candidate and parameter for numerical parameters
// and in multivariate mode; O(n + C) for an independent categorical parameter with C choices, whose l and g
// are C-entry tables (categorical_log_pmf) with the same pick (near ties are re-scored with log_pdf).
#pragma once

#include "search/parzen.hpp"
#include "search/sampler.hpp"

namespace actlab::search {

struct TpeOptions {
  int n_startup_trials = 10;
  int n_ei_candidates = 24;
  bool multivariate = false;
  // Optuna ignores FAIL trials, so a region of the space where the objective fails (NaN, an exception) is
  // never learnt and keeps being sampled. With this option a FAIL trial whose objective failed counts as
  // worse than every COMPLETE and PRUNED trial (it lands in "above"); a trial whose worker was lost
  // (FrozenTrial::worker_lost) is still ignored, since its parameters are retried.
  bool fail_as_worst = false;
  ParzenOptions parzen;
};

class TpeSampler final : public Sampler {
 public:
  explicit TpeSampler(TpeOptions options = {}) : options_(options) {
    options_.parzen.multivariate = options.multivariate;
  }
  // "tpe", "tpe:multivariate", "tpe:fail-worst" or "tpe:multivariate,fail-worst" (make_sampler's names).
  std::string name() const override;
  Params sample(const Space& space, Direction direction, const std::vector<FrozenTrial>& trials,
                std::int64_t number, std::uint64_t seed) const override;

  // Indices into `trials` of the below and above sets (trial order kept), as Optuna's
  // _split_observation_pairs; only COMPLETE and PRUNED trials with parameters take part (and FAIL ones,
  // ranked last, when fail_as_worst).
  static void split(const std::vector<FrozenTrial>& trials, Direction direction, int n_below,
                    std::vector<std::size_t>& below, std::vector<std::size_t>& above,
                    bool fail_as_worst = false);

 private:
  TpeOptions options_;
};

}  // namespace actlab::search
