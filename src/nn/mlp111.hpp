// The 1-1-1 network of Dik's study (MQL5 article 16845; docs/optimizers.md, "The 1-1-1 study"): one
// input, one hidden neuron, one output neuron, the same activation f in both, one training example (x, t).
//
//   Mlp111 net = Mlp111::make(Activation::make("tanh").value(), 0.5, 0.3).value();
//   std::array<double, 4> w = {0.1, -0.2, 0.3, 0.4}, dw;        // W = [b₁, w₁, b₂, w₂] (Dik's layout)
//   double e = net.loss(w);                                    // (y − t)²
//   double e2 = net.loss_grad(w, dw);                          // same e, dw = ∂E/∂W
//
// forward:  z₁ = b₁ + w₁x, h = f(z₁), z₂ = b₂ + w₂h, y = f(z₂), E = (y − t)²
// backward: δ₂ = 2(y − t)·f′(z₂), ∂E/∂b₂ = δ₂, ∂E/∂w₂ = δ₂h; δ₁ = δ₂w₂·f′(z₁), ∂E/∂b₁ = δ₁, ∂E/∂w₁ = δ₁x
// In double precision. One point: the activation's f and f' directly; a population: loss_batch() runs the
// compiled kernel over every agent at once (its per-call setup would dominate a single point).
#pragma once

#include <span>

#include "activations/activation.hpp"
#include "activations/kernel.hpp"
#include "core/status.hpp"

namespace actlab::nn {

class Mlp111 {
 public:
  // Fails for row-wise activations (no element-wise formula).
  static Result<Mlp111> make(activations::Activation f, double x, double t);
  const activations::Activation& activation() const { return f_; }
  double x() const { return x_; }
  double target() const { return t_; }

  // E(w) for w = [b₁, w₁, b₂, w₂].
  double loss(std::span<const double> w) const;
  // E(w), and dw = ∂E/∂w (overwritten, 4 values).
  double loss_grad(std::span<const double> w, std::span<double> dw) const;
  // e[i] = E(w[4i .. 4i+3]) for every row of a row-major n × 4 array.
  void loss_batch(std::span<const double> w, std::span<double> e) const;

 private:
  Mlp111(activations::Activation f, activations::Kernel<double> k, double x, double t)
      : f_(std::move(f)), kf_(std::move(k)), x_(x), t_(t) {}

  activations::Activation f_;
  activations::Kernel<double> kf_;  // f only
  double x_, t_;
};

}  // namespace actlab::nn
