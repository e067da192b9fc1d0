// Two inputs through depth at infinite width: their variances q₁^l, q₂^l, their correlation c^l and χ₁ per
// layer, with the fixed points they approach and their depth scales (Poole et al., NeurIPS 2016,
// arXiv 1606.05340; Schoenholz et al., ICLR 2017, arXiv 1611.01232; docs/theory.md, "Model and formulas").
// The values behind `actlab theory propagate`.
//
//   auto act = activations::Activation::make("relu").value();
//   auto g = GaussianIntegrator::make(act).value();
//   auto r = propagate(g, {.init = {1.2, 0.0}, .depth = 8, .c0 = 0.1}).value();
//   r.layers[1].c;            // 0.369903: ReLU's normalised arc-cosine map, whatever σ_w at σ_b = 0
//   r.fixed_point->q;         // 0, reached as a limit (q^l = 0.72^l)
//   r.verdict;                // "" (or "q explodes after layer l", "q vanishes below 1e-250 after layer l")
//
// The joint two-input recursion (Model: h^l = W φ(h^{l−1}) + b, W_ij ~ N(0, σ_w²/N), b_i ~ N(0, σ_b²)):
//   q_a^{l+1} = σ_b² + σ_w² E φ(√q_a^l Z)²                                     (a = 1, 2)
//   c^{l+1}  = (σ_b² + σ_w² E φ(u1) φ(u2)) / √(q_1^{l+1} q_2^{l+1}),  u1 = √q_1^l Z1,
//              u2 = √q_2^l (c^l Z1 + √(1 − (c^l)²) Z2)
// from the inputs' own q^0 and c^0, not the map at the fixed point q* (they agree once q^l has reached q*).
// With equal variances the step is taken on 1 − c (1 − c^{l+1} = σ_w² E[(φ(u1) − φ(u2))²]/2 / q^{l+1}) so
// 1 − c keeps its relative digits near c = 1.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::theory {

struct PropagatePlan {
  Init init{};                        // σ_w > 0, σ_b ≥ 0
  int depth = 20;                     // layers after the input, 1 … kMaxPropagateDepth
  double q0 = 1.0;                    // first input's variance q₁⁰ > 0
  std::optional<double> q0_second{};  // second input's variance q₂⁰ > 0 (default: q0)
  double c0 = 0.0;                    // input correlation c⁰ ∈ [−1, 1]
};

// Depth limit of propagate (each layer is a 2-D expectation, 10–40 ms).
constexpr int kMaxPropagateDepth = 100000;
// q^l outside [kQUnderflow, kQOverflow] ends the table with a verdict: its square (and the expectations at
// it) would leave the double range.
constexpr double kQUnderflow = 1e-250;
constexpr double kQOverflow = 1e250;

struct PropagationLayer {
  int l = 0;
  double q = 0.0;            // q₁^l
  double q_second = 0.0;     // q₂^l (= q₁^l for equal input variances)
  double c = 0.0;            // c^l of the two inputs
  double one_minus_c = 0.0;  // 1 − c^l, with its relative digits near c = 1
  double chi1 = 0.0;         // χ₁(q₁^l) = σ_w² E φ'(√q₁^l Z)²
};

struct Propagation {
  PropagatePlan plan;
  // q* reached from q0, χ₁ and F'(q*) there, ξ_q; absent when q^l diverges (then verdict says so).
  std::optional<FixedPoint> fixed_point;
  std::optional<CorrelationFixedPoint> correlation;  // c*, χ_c, ξ_c and the phase at q*
  std::vector<PropagationLayer> layers;              // l = 0 … depth, or fewer with a verdict
  // Empty when every layer was computed; otherwise why the table stops: "q explodes after layer l",
  // "q vanishes below 1e-250 after layer l (q* = 0)", "the correlation map is not finite after layer l".
  std::string verdict;
  std::string note;  // what the fixed point means where that needs saying (q* = 0 reached as a limit)

  // {"sigma_w", "sigma_b", "q_star", "chi1_star", "dF_dq", "stability", "phase", "c_star", "chi_c", "xi_q",
  //  "xi_c", "verdict", "note", "c_recursion": "two inputs from q0",
  //  "layers": [{l, q, [q_second,] c, one_minus_c, chi1}, ...]}; absent values are null.
  Json to_json() const;
};

// "stable", "marginal" or "unstable" for a fixed point.
const char* stability_name(const FixedPoint& fp);

// Errors: bad plan values (field "sigma_w", "sigma_b", "depth", "q0", "q0_second" or "c0"), or Gaussian
// expectations of φ that are not finite at q0 ("activation": acos, log); a
// diverging or vanishing q, or a non-finite correlation, is a verdict, never an error.
Result<Propagation> propagate(const GaussianIntegrator& g, const PropagatePlan& plan);

}  // namespace actlab::theory
