#include "nn/mlp111.hpp"

#include <vector>

namespace actlab::nn {

Result<Mlp111> Mlp111::make(activations::Activation f, double x, double t) {
  if (f.row_wise()) return Status::invalid(f.name() + ": row-wise activations have no element-wise formula");
  auto k = activations::Kernel<double>::compile({f.f_expr()});
  if (!k) return Status::invalid(f.name() + ": " + k.status().message());
  return Mlp111(std::move(f), std::move(*k), x, t);
}

double Mlp111::loss(std::span<const double> w) const {
  const double h = f_.f(w[0] + w[1] * x_);
  const double y = f_.f(w[2] + w[3] * h);
  return (y - t_) * (y - t_);
}

double Mlp111::loss_grad(std::span<const double> w, std::span<double> dw) const {
  const double z1 = w[0] + w[1] * x_;  // forward
  const double h = f_.f(z1);
  const double z2 = w[2] + w[3] * h;
  const double y = f_.f(z2);
  const double d2 = 2.0 * (y - t_) * f_.df(z2);  // backward
  const double d1 = d2 * w[3] * f_.df(z1);
  dw[0] = d1;
  dw[1] = d1 * x_;
  dw[2] = d2;
  dw[3] = d2 * h;
  return (y - t_) * (y - t_);
}

void Mlp111::loss_batch(std::span<const double> w, std::span<double> e) const {
  const std::size_t n = e.size();
  thread_local std::vector<double> z, h;
  z.resize(n);
  h.resize(n);
  for (std::size_t i = 0; i < n; ++i) z[i] = w[4 * i] + w[4 * i + 1] * x_;
  kf_.eval(z, std::span<double>(h));
  for (std::size_t i = 0; i < n; ++i) z[i] = w[4 * i + 2] + w[4 * i + 3] * h[i];
  kf_.eval(z, std::span<double>(h));
  for (std::size_t i = 0; i < n; ++i) e[i] = (h[i] - t_) * (h[i] - t_);
}

}  // namespace actlab::nn
