// Adam and AdamW, exactly torch.optim.Adam / AdamW (1.13, single-tensor path):
//   Adam:  g ← g + λ·w            AdamW: w ← w·(1 − lr·λ)            (weight_decay λ)
//   m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²,   v̂ ← max(v̂, v) with amsgrad
//   w ← w − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
// The bias corrections are computed in double, as Python floats are in PyTorch.
// Kingma & Ba, arXiv 1412.6980; Loshchilov & Hutter (AdamW), arXiv 1711.05101.
#pragma once

#include <cstdint>
#include <vector>

#include "optim/optimizer.hpp"

namespace actlab::optim {

class Adam final : public Optimizer {
 public:
  Adam(const OptimizerOptions& o, bool decoupled)
      : Optimizer(o.lr),
        beta1_(o.beta1),
        beta2_(o.beta2),
        eps_(o.eps),
        weight_decay_(o.weight_decay),
        amsgrad_(o.amsgrad),
        decoupled_(decoupled) {}
  void step(std::span<const ParamBlock> blocks) override;
  void reset() override {
    m_.clear();
    v_.clear();
    vmax_.clear();
    t_ = 0;
  }
  std::string name() const override { return decoupled_ ? "adamw" : "adam"; }
  std::int64_t steps() const { return t_; }
  // The first moment m of a block (empty before the first step), e.g. to negate it where a bound reflected
  // the weight (docs/optimizers.md, "Effective domain and weight boxes").
  std::span<float> first_moment(std::size_t block) {
    return block < m_.size() ? std::span<float>(m_[block]) : std::span<float>();
  }

 private:
  double beta1_, beta2_, eps_, weight_decay_;
  bool amsgrad_, decoupled_;
  std::int64_t t_ = 0;
  std::vector<std::vector<float>> m_, v_, vmax_;  // per block
};

}  // namespace actlab::optim
