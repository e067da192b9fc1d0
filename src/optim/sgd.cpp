#include "optim/sgd.hpp"

#include <cassert>

namespace actlab::optim {

void Sgd::step(std::span<const ParamBlock> blocks) {
  const bool first = buffers_.empty();
  if (first && momentum_ != 0) buffers_.resize(blocks.size());
  assert(momentum_ == 0 || buffers_.size() == blocks.size());
  const float lr = static_cast<float>(lr_), wd = static_cast<float>(weight_decay_);
  const float mu = static_cast<float>(momentum_), keep = static_cast<float>(1.0 - dampening_);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    std::span<float> w = blocks[b].value;
    std::span<const float> g = blocks[b].grad;
    const std::size_t n = w.size();
    if (momentum_ == 0) {
      for (std::size_t i = 0; i < n; ++i) w[i] -= lr * (g[i] + wd * w[i]);
      continue;
    }
    std::vector<float>& buf = buffers_[b];
    if (first) buf.assign(n, 0.0f);
    for (std::size_t i = 0; i < n; ++i) {
      const float d = g[i] + wd * w[i];
      buf[i] = first ? d : mu * buf[i] + keep * d;
      const float step = nesterov_ ? d + mu * buf[i] : buf[i];
      w[i] -= lr * step;
    }
  }
}

}  // namespace actlab::optim
