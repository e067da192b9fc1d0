// One run of the 1-1-1 convergence study (Dik, MQL5 article 16845; docs/optimizers.md): in-network Adam
// (analytic gradient through f') or ADAMm (derivative-free, population) trains Mlp111 until the loss drops
// below a threshold or the budget of loss evaluations is spent. Both count loss evaluations the same way:
// Adam's iteration k evaluates E once (its forward pass; the backward pass reuses it) at the current weights;
// ADAMm evaluates E once per agent. A run stops at the first evaluation with E < threshold.
//
//   Mlp111 net(Activation::make("sigmoid").value(), 0.5, 0.3);
//   auto b = bounds_111(net.activation(), 0.5, 0.3).value();
//   ConvergeRun run{.budget = 10000, .threshold = 1e-6, .reflect_box = b.box()};
//   auto r = converge_adam(net, run, Rng(1)).value();      // r.evals_to_threshold, r.best_error, r.curve
//
// reflect_box unset ("reflect off"): Adam runs unconstrained from uniform [−1, 1] weights; ADAMm searches
// Dik's earlier network range [−5, 5] with his clamp (MQL5 article 16515). Set ("reflect on"): both start
// uniform in the activation's box and bring every step back in by reflection; Adam also negates the first
// moment of a reflected weight when negate_moment is on (reflection's companion; docs/optimizers.md).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/rng.hpp"
#include "core/status.hpp"
#include "nn/mlp111.hpp"
#include "optim/box.hpp"
#include "optim/population_adam.hpp"

namespace actlab::nn {

struct ConvergeRun {
  std::int64_t budget = 10000;  // loss evaluations
  double threshold = 1e-6;      // success: E < threshold
  std::optional<optim::Box> reflect_box;
  // Adam
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  bool negate_moment = true;
  // ADAMm (max_evaluations and boundary are set from budget and reflect_box)
  optim::PopulationAdamOptions adamm{};
  // Evaluation counts at which the best-so-far loss is recorded (for curves); ascending.
  std::vector<std::int64_t> checkpoints;
};

struct ConvergeOutcome {
  std::int64_t evals_to_threshold = -1;  // -1: not reached within the budget
  std::int64_t evaluations = 0;
  double best_error = 0;             // the smallest E seen
  std::vector<double> best_weights;  // where it was seen: [b₁, w₁, b₂, w₂]
  std::vector<double> curve;         // best-so-far E at each checkpoint (held after the run stops)
};

// Log-spaced evaluation counts 1 … budget (about `points` of them, distinct).
std::vector<std::int64_t> log_checkpoints(std::int64_t budget, int points);

Result<ConvergeOutcome> converge_adam(const Mlp111& net, const ConvergeRun& run, Rng rng);
Result<ConvergeOutcome> converge_adamm(const Mlp111& net, const ConvergeRun& run, Rng rng);

}  // namespace actlab::nn
