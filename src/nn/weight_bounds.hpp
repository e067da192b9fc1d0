// Weight bounds from an activation's effective domain (docs/optimizers.md, "Effective domain and weight
// boxes": a reconstruction of the rule of Dik's MQL5 article 16845, whose body is not available). optim/
// gets plain boxes.
//
//   auto a = Activation::make("sigmoid").value();
//   auto d = effective_domain(a, 0.01).value();     // |z| ≤ 5.989: where |f'| ≥ 0.01·max|f'|
//   auto b = bounds_111(a, 0.5, 0.3).value();       // Z = 5.989, B₁ = Z/(1 + 0.5), B₂ = Z/(1 + Hmax)
//   optim::Box box = b.box();                       // [−B₁, B₁]² × [−B₂, B₂]² for W = [b₁, w₁, b₂, w₂]
//
// The rule:
//   1. window [z_lo, z_hi]: the largest interval around z = 0 (0 may be an end, as for ReLU) on which
//      |f'(z)| ≥ κ·max|f'|, max over z ∈ [−R, R] (R = 50); an end that reaches ±R is unbounded (±inf).
//   2. Z = min(−z_lo, z_hi).
//   3. Feasibility: the target t must lie in f([−Z, Z]). When it does not, or Z is 0 or
//      unbounded (ReLU-like and ACON-like functions, whose f' does not vanish on one side), Z is chosen so
//      that the output range covers the target: Z = max(1.5·Z_t, 1) with Z_t the smallest z with
//      t ∈ f([−z, z]) (the ReLU-like case).
//   4. Per neuron with inputs |xᵢ| ≤ Xᵢ and one bias: every parameter in [−B, B], B = Z/(1 + Σ Xᵢ), so
//      |z| ≤ Z always. For 1-1-1: B₁ = Z/(1 + |x|), B₂ = Z/(1 + Hmax), Hmax = max_{|z|≤Z} |f(z)|.
// Errors (bad input, naming the activation): f not finite at 0; |f'| unbounded on [−R, R] (exp, cosh,
// RePU...) or growing into a singularity (acos, log...); f' zero almost everywhere (step, floor, sign...);
// |f'| < κ·max|f'| on both sides of 0 (empty window: cos, gaussian...); t outside f([−R, R]).
#pragma once

#include <span>

#include "activations/activation.hpp"
#include "core/status.hpp"
#include "optim/box.hpp"

namespace actlab::nn {

struct EffectiveDomain {
  double z_lo = 0, z_hi = 0;  // ±inf when unbounded on that side
  double max_df = 0;          // max |f'| over [−R, R]
  double kappa = 0.01;
};

Result<EffectiveDomain> effective_domain(const activations::Activation& f, double kappa = 0.01,
                                         double search = 50.0);

// B = Z/(1 + Σ Xᵢ) for a neuron whose inputs satisfy |xᵢ| ≤ Xᵢ.
double neuron_bound(double z, std::span<const double> input_bounds);

struct Bounds111 {
  EffectiveDomain domain;
  double z = 0;          // the Z used
  bool widened = false;  // Z came from the target-cover rule (step 3), not from the window
  double hmax = 0;       // max |f| on [−Z, Z]
  double b_hidden = 0, b_output = 0;
  // [−B₁, B₁] for b₁ and w₁, [−B₂, B₂] for b₂ and w₂.
  optim::Box box() const;
};

Result<Bounds111> bounds_111(const activations::Activation& f, double x, double t, double kappa = 0.01,
                             double search = 50.0);

}  // namespace actlab::nn
