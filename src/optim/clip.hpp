// Gradient clipping over all blocks, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (1.13):
//   total = ‖(g₁, …, g_k)‖₂ over every element of every block;  if total > max: g ← g · max / (total + 1e-6)
// Returns the total norm before clipping (NaN/inf when a gradient is not finite: the caller reports it).
#pragma once

#include <span>

namespace actlab::optim {

double clip_grad_norm(std::span<const std::span<float>> grads, double max_norm);
// g ← min(max(g, −v), v) elementwise.
void clip_grad_value(std::span<const std::span<float>> grads, double max_value);

}  // namespace actlab::optim
