#include "optim/adam.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace actlab::optim {

void Adam::step(std::span<const ParamBlock> blocks) {
  if (t_ == 0) {
    m_.resize(blocks.size());
    v_.resize(blocks.size());
    if (amsgrad_) vmax_.resize(blocks.size());
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      m_[b].assign(blocks[b].value.size(), 0.0f);
      v_[b].assign(blocks[b].value.size(), 0.0f);
      if (amsgrad_) vmax_[b].assign(blocks[b].value.size(), 0.0f);
    }
  }
  assert(m_.size() == blocks.size());
  ++t_;
  const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
  const double bc2 = 1.0 - std::pow(beta2_, static_cast<double>(t_));
  const float step_size = static_cast<float>(lr_ / bc1);
  const float bc2_sqrt = static_cast<float>(std::sqrt(bc2));
  const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_);
  const float c1 = static_cast<float>(1.0 - beta1_), c2 = static_cast<float>(1.0 - beta2_);
  const float eps = static_cast<float>(eps_), wd = static_cast<float>(weight_decay_);
  const float shrink = static_cast<float>(1.0 - lr_ * weight_decay_);
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    float* __restrict w = blocks[b].value.data();
    const float* __restrict g = blocks[b].grad.data();
    float* __restrict m = m_[b].data();
    float* __restrict v = v_[b].data();
    const std::size_t n = blocks[b].value.size();
    if (decoupled_ && weight_decay_ != 0) {
      for (std::size_t i = 0; i < n; ++i) w[i] *= shrink;
    }
    const bool l2 = !decoupled_ && weight_decay_ != 0;
    if (amsgrad_) {
      float* __restrict vmax = vmax_[b].data();
      for (std::size_t i = 0; i < n; ++i) {
        const float gi = l2 ? g[i] + wd * w[i] : g[i];
        m[i] = b1 * m[i] + c1 * gi;
        v[i] = b2 * v[i] + c2 * gi * gi;
        vmax[i] = std::max(vmax[i], v[i]);
        w[i] -= step_size * m[i] / (std::sqrt(vmax[i]) / bc2_sqrt + eps);
      }
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const float gi = l2 ? g[i] + wd * w[i] : g[i];
      m[i] = b1 * m[i] + c1 * gi;
      v[i] = b2 * v[i] + c2 * gi * gi;
      w[i] -= step_size * m[i] / (std::sqrt(v[i]) / bc2_sqrt + eps);
    }
  }
}

}  // namespace actlab::optim
