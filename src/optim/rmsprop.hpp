// RMSprop, exactly torch.optim.RMSprop (1.13):
//   g ← g + λ·w
//   s ← α·s + (1 − α)·g²
//   centered: a ← α·a + (1 − α)·g,  d = √(s − a²) + ε;   else d = √s + ε
//   momentum μ > 0: b ← μ·b + g/d,  w ← w − lr·b;        else w ← w − lr·g/d
// Tieleman & Hinton, COURSERA Neural Networks lecture 6.5 (2012); Graves, arXiv 1308.0850 (centered).
#pragma once

#include <vector>

#include "optim/optimizer.hpp"

namespace actlab::optim {

class Rmsprop final : public Optimizer {
 public:
  explicit Rmsprop(const OptimizerOptions& o)
      : Optimizer(o.lr),
        alpha_(o.alpha),
        eps_(o.eps),
        weight_decay_(o.weight_decay),
        momentum_(o.momentum),
        centered_(o.centered) {}
  void step(std::span<const ParamBlock> blocks) override;
  void reset() override {
    square_.clear();
    mean_.clear();
    buffer_.clear();
  }
  std::string name() const override { return "rmsprop"; }

 private:
  double alpha_, eps_, weight_decay_, momentum_;
  bool centered_;
  std::vector<std::vector<float>> square_, mean_, buffer_;  // per block
};

}  // namespace actlab::optim
