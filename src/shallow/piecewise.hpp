// Continuous piecewise-linear activations as exact finite combinations of ReLUs, so that a network of dense
// layers and such activations is a deep ReLU network (DeepReluNet::from_model; docs/shallow.md, "Other
// piecewise-linear activations").
//
//   auto act = activations::Activation::make("hardtanh").value();
//   ReluForm g = relu_form(act).value();   // hardtanh(t) = −1 + relu(t + 1) − relu(t − 1)
//   g(0.3);                                // 0.3, the same function
//   relu_form(activations::Activation::make("tanh").value());
//   //   error: "activation 'tanh' is not piecewise linear; ..."
//
//   g(t) = offset + slope·t + Σ_k coef_k · relu(scale_k·t + shift_k)
//
// The forms (the entry's parameters at their current values; PReLU's learned a, RReLU's eval-mode slope):
//   relu                      relu(t)
//   leaky_relu(s), prelu(a)   relu(t) − s·relu(−t)
//   rrelu(lower, upper)       relu(t) − ((lower + upper)/2)·relu(−t)      (eval mode, as the model predicts)
//   hardtanh(lo, hi), lo < hi lo + relu(t − lo) − relu(t − hi)           (lo = hi: the constant lo)
//   relu6                     relu(t) − relu(t − 6)
//   abs                       relu(t) + relu(−t)
//   softshrink(λ ≥ 0)         relu(t − λ) − relu(−t − λ)
//   hard_sigmoid              relu(t/6 + 1/2) − relu(t/6 − 1/2)
//   hard_sigmoid_keras        relu(0.2t + 1/2) − relu(0.2t − 1/2)
//   linear (identity), neg    t, −t                                       (no ReLU: an affine map)
//   hardshrink(0), trelu(0)   t, relu(t)
// Refused, with the reason in the message: discontinuous entries (hardshrink with λ ≠ 0, trelu with θ ≠ 0,
// step, sign, angle, floor, ceil, round, trunc, frac, softshrink with λ < 0, hardtanh with lo > hi: no ReLU
// network computes a jump), every other entry (not piecewise linear: tanh, swish, ...), row-wise entries,
// user entries and formulas (not known to be piecewise linear).
#pragma once

#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "core/status.hpp"

namespace actlab::shallow {

struct Hinge {
  double scale = 1, shift = 0, coef = 1;  // coef · relu(scale·t + shift)
};

struct ReluForm {
  double offset = 0, slope = 0;
  std::vector<Hinge> hinges;

  double operator()(double t) const;
  // True when there is no hinge: g is the affine map offset + slope·t.
  bool affine() const { return hinges.empty(); }
  // The form with slope·t written as slope·relu(t) − slope·relu(−t) (a ReLU layer has no pass-through).
  ReluForm without_slope() const;
};

Result<ReluForm> relu_form(const activations::Activation& act);

// "relu, leaky_relu, prelu, ..." for messages and docs.
std::string relu_form_entries();

}  // namespace actlab::shallow
