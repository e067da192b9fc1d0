// Two inputs through depth at infinite width: the variance q^l, the correlation c^l and χ₁ per layer, with
// the fixed points they approach and their depth scales (Poole et al., NeurIPS 2016, arXiv 1606.05340;
// Schoenholz et al., ICLR 2017, arXiv 1611.01232; docs/theory.md, "Model and formulas"). The values behind
// `actlab theory propagate`.
//
//   auto act = activations::Activation::make("tanh").value();
//   auto g = GaussianIntegrator::make(act).value();
//   auto r = propagate(g, {.init = {1.30414584, 0.2}, .depth = 4, .c0 = 0.5}).value();
//   r.layers[4].q;  r.layers[4].c;  r.fixed_point.q;   // q⁴ → q* = 0.51207850; c⁴ rises towards c* = 1
//   phase_name(r.correlation.phase);                    // "edge"
//   r.to_json();
//
// Per layer (Model: h^l = W φ(h^{l−1}) + b, W_ij ~ N(0, σ_w²/N), b_i ~ N(0, σ_b²)):
//   q^0 = q0,  q^l = F(q^{l−1}) = σ_b² + σ_w² E φ(√q^{l−1} Z)²,  χ₁(q^l) = σ_w² E φ'(√q^l Z)²;
//   c^0 = c0,  c^{l+1} = f(c^l), the correlation map at the variance fixed point q* (both inputs at q*, as
//   in Poole et al.), iterated on 1 − c (correlation_iterates).
#pragma once

#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::theory {

struct PropagatePlan {
  Init init{};      // σ_w > 0, σ_b ≥ 0
  int depth = 20;   // layers after the input, ≥ 1
  double q0 = 1.0;  // input variance q⁰ > 0
  double c0 = 0.0;  // input correlation c⁰ ∈ [−1, 1]
};

struct PropagationLayer {
  int l = 0;
  double q = 0.0;            // q^l
  double c = 0.0;            // c^l
  double one_minus_c = 0.0;  // 1 − c^l, with its relative digits near c = 1
  double chi1 = 0.0;         // χ₁(q^l) = σ_w² E φ'(√q^l Z)²
};

struct Propagation {
  PropagatePlan plan;
  FixedPoint fixed_point;                // q* reached from q0, χ₁ and F'(q*) there, ξ_q
  CorrelationFixedPoint correlation;     // c*, χ_c, ξ_c and the phase
  std::vector<PropagationLayer> layers;  // l = 0 … depth

  // {"sigma_w", "sigma_b", "q_star", "chi1_star", "dF_dq", "phase", "c_star", "chi_c", "xi_q", "xi_c",
  //  "layers": [{l, q, c, one_minus_c, chi1}, ...]}; absent depth scales are null.
  Json to_json() const;
};

// Errors: bad plan values (field "sigma_w", "sigma_b", "depth", "q0" or "c0"); those of variance_fixed_point
// (q^l diverges), correlation_iterates (q* = 0, a non-finite iterate) and correlation_fixed_point.
Result<Propagation> propagate(const GaussianIntegrator& g, const PropagatePlan& plan);

}  // namespace actlab::theory
