// Stochastic gradient descent with momentum and Nesterov, exactly torch.optim.SGD (1.13):
//   g ← g + λ·w                                 (weight_decay λ)
//   b ← g on the first step, else μ·b + (1 − τ)·g   (momentum μ, dampening τ)
//   g ← g + μ·b (Nesterov)  or  g ← b
//   w ← w − lr·g
// Sutskever et al., "On the importance of initialization and momentum in deep learning", ICML 2013.
#pragma once

#include <vector>

#include "optim/optimizer.hpp"

namespace actlab::optim {

class Sgd final : public Optimizer {
 public:
  explicit Sgd(const OptimizerOptions& o)
      : Optimizer(o.lr),
        momentum_(o.momentum),
        dampening_(o.dampening),
        weight_decay_(o.weight_decay),
        nesterov_(o.nesterov) {}
  void step(std::span<const ParamBlock> blocks) override;
  void reset() override { buffers_.clear(); }
  std::string name() const override { return nesterov_ ? "sgd(nesterov)" : "sgd"; }

 private:
  double momentum_, dampening_, weight_decay_;
  bool nesterov_;
  std::vector<std::vector<float>> buffers_;  // momentum buffer per block; empty until the first step
};

}  // namespace actlab::optim
