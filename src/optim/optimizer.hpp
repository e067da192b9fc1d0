// First-order update rules over flat parameter blocks, with PyTorch's exact semantics (torch.optim, 1.13).
//
//   std::vector<float> w(n), g(n);
//   std::vector<ParamBlock> blocks = {{w, g}};
//   auto opt = make_optimizer({.kind = OptimizerKind::kAdam, .lr = 1e-3}).value();
//   for (...) { /* fill g */ opt->step(blocks); }
//
// An optimiser knows nothing of networks: nn exposes its weights and gradients as blocks, in the same order
// on every step (the optimiser keeps its per-block state — momentum, moments — by position). Named variants
// are options of one class: AdamW is Adam with decoupled weight decay, Nesterov is SGD with a flag.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace actlab::optim {

// One parameter tensor, flattened: its values (updated in place) and the gradient of the loss.
struct ParamBlock {
  std::span<float> value;
  std::span<const float> grad;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  // One update of every block. The blocks must have the same sizes, in the same order, on every call.
  virtual void step(std::span<const ParamBlock> blocks) = 0;
  // Forget all state (moments, step count), as if newly constructed.
  virtual void reset() = 0;
  virtual std::string name() const = 0;
  double lr() const { return lr_; }
  void set_lr(double lr) { lr_ = lr; }

 protected:
  explicit Optimizer(double lr) : lr_(lr) {}
  double lr_;
};

enum class OptimizerKind { kSgd, kAdam, kAdamW, kRmsprop };

// Every option of every kind; each kind reads its own (PyTorch's defaults where the kinds share a name,
// except lr, which has no default in torch.optim.SGD and defaults to 1e-3 here).
struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::kAdam;
  double lr = 1e-3;
  double weight_decay = 0.0;  // L2 added to the gradient; AdamW: decoupled decay (torch default 1e-2)
  // SGD
  double momentum = 0.0;
  double dampening = 0.0;
  bool nesterov = false;
  // Adam / AdamW
  double beta1 = 0.9, beta2 = 0.999;
  double eps = 1e-8;
  bool amsgrad = false;
  // RMSprop (eps is shared; torch's RMSprop default eps is also 1e-8)
  double alpha = 0.99;
  bool centered = false;
};

// Checks the options (lr ≥ 0, betas in [0, 1), Nesterov needs momentum > 0 and dampening 0, ...).
Result<std::unique_ptr<Optimizer>> make_optimizer(const OptimizerOptions& options);

// "sgd", "adam", "adamw", "rmsprop" (case-insensitive).
Result<OptimizerKind> parse_optimizer_kind(std::string_view name);
std::string optimizer_kind_name(OptimizerKind kind);

}  // namespace actlab::optim
