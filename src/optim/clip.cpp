#include "optim/clip.hpp"

#include <algorithm>
#include <cmath>

namespace actlab::optim {

double clip_grad_norm(std::span<const std::span<float>> grads, double max_norm) {
  double sum = 0;
  for (std::span<float> g : grads)
    for (float v : g) sum += static_cast<double>(v) * v;
  const double total = std::sqrt(sum);
  const double coef = max_norm / (total + 1e-6);
  if (coef < 1) {
    const float c = static_cast<float>(coef);
    for (std::span<float> g : grads)
      for (float& v : g) v *= c;
  }
  return total;
}

void clip_grad_value(std::span<const std::span<float>> grads, double max_value) {
  const float m = static_cast<float>(max_value);
  for (std::span<float> g : grads)
    for (float& v : g) v = std::clamp(v, -m, m);
}

}  // namespace actlab::optim
