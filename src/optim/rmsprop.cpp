#include "optim/rmsprop.hpp"

#include <cassert>
#include <cmath>

namespace actlab::optim {

void Rmsprop::step(std::span<const ParamBlock> blocks) {
  if (square_.empty()) {
    square_.resize(blocks.size());
    if (centered_) mean_.resize(blocks.size());
    if (momentum_ > 0) buffer_.resize(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      square_[b].assign(blocks[b].value.size(), 0.0f);
      if (centered_) mean_[b].assign(blocks[b].value.size(), 0.0f);
      if (momentum_ > 0) buffer_[b].assign(blocks[b].value.size(), 0.0f);
    }
  }
  assert(square_.size() == blocks.size());
  const float lr = static_cast<float>(lr_), a = static_cast<float>(alpha_);
  const float c = static_cast<float>(1.0 - alpha_), eps = static_cast<float>(eps_);
  const float wd = static_cast<float>(weight_decay_), mu = static_cast<float>(momentum_);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    std::span<float> w = blocks[b].value;
    std::span<const float> g = blocks[b].grad;
    std::vector<float>& s = square_[b];
    for (std::size_t i = 0; i < w.size(); ++i) {
      const float gi = g[i] + wd * w[i];
      s[i] = a * s[i] + c * gi * gi;
      float d;
      if (centered_) {
        float& m = mean_[b][i];
        m = a * m + c * gi;
        d = std::sqrt(s[i] - m * m) + eps;
      } else {
        d = std::sqrt(s[i]) + eps;
      }
      if (momentum_ > 0) {
        float& buf = buffer_[b][i];
        buf = mu * buf + gi / d;
        w[i] -= lr * buf;
      } else {
        w[i] -= lr * gi / d;
      }
    }
  }
}

}  // namespace actlab::optim
