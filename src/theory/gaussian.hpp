// Gaussian expectations of an activation and its derivatives: the integrals behind the mean-field maps
// (docs/theory.md, "Numerical method and its accuracy"; Poole et al., arXiv 1606.05340).
//
//   auto act = activations::Activation::make("tanh").value();
//   auto g = GaussianIntegrator::make(act).value();
//   Moments m = g.expect(1.0);                       // m.dphi2 = E tanh'(Z)² = 0.4644029 (χ⊥ at K = 1)
//   double k = g.expect_product(1.0, 1.0, 0.5);      // E tanh(u1) tanh(u2), corr(u1, u2) = 0.5
//   double d = g.half_sq_diff(1.0, 1 - 1e-6);        // E[(φ(u1) − φ(u2))²]/2 = E φ² − E φ(u1)φ(u2), stable
//
// Method (not fixed-node Gauss–Hermite, which fails for kinked φ and for saturating φ at large q;
// docs/theory.md, "Pitfalls"): composite Gauss–Legendre (kOrder nodes per panel) on z ∈ [−12, 12] (two-sided
// tail 3.6e-33). Panel edges: a uniform grid of width min(0.5, 1/√q) (the scale of φ(√q z) in z), ±{1/8, ...,
// 8}/√q, and every kink k of φ mapped to z = k/√q. 2-D: u1 = √q1 z1, u2 = √q2 (c z1 + s z2), s = √(1 − c²);
// the inner z2-integral is split where u2 crosses a kink, the outer z1-integral at the kinks of u1, at z1 =
// k/(c√q2) (where a kink line of u2 crosses z2 = 0) and at ±{1/8, ..., 16}·s/|c| around it (the strip of
// width O(s) that is under-resolved near c = 1 without them). φ, φ', φ'' are evaluated in one kernel call per
// batch of nodes.
//
// The uniform grid is capped at 2048 panels (1-D) and 256 per dimension (2-D); above q ≈ 110 the 2-D grid is
// coarser than 1/√q and the geometric breakpoints carry the resolution (erf, erf' kernels at q = 2500:
// 2e-14).
//
// Kinks: those of f found by find_kinks over [−kKinkWindow, kKinkWindow], plus the catalog's declared kinks
// for a catalog entry. Kinks outside the window are ignored (they matter only for q ≳ (kKinkWindow/12)²).
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "activations/activation.hpp"
#include "core/json.hpp"
#include "core/status.hpp"

namespace actlab::theory {

// Gauss–Legendre nodes per panel.
constexpr int kOrder = 16;
// Half-width of the z-window: P(|Z| > 12) = 3.6e-33.
constexpr double kZMax = 12.0;
// Kinks of φ are searched for in [−kKinkWindow, kKinkWindow].
constexpr double kKinkWindow = 100.0;

// Which factor a 2-D expectation multiplies: φ, φ' or φ''.
enum class Derivative { kValue = 0, kFirst = 1, kSecond = 2 };

// 1-D Gaussian moments at variance q, u = √q Z, Z ~ N(0, 1).
struct Moments {
  double phi = 0.0;         // E φ(u)
  double dphi = 0.0;        // E φ'(u)
  double phi2 = 0.0;        // E φ(u)²                          (variance map F(q) = σ_b² + σ_w² E φ²)
  double dphi2 = 0.0;       // E φ'(u)²                         (χ_1 = σ_w² E φ'², χ⊥ = C_W E φ'²)
  double d2phi2 = 0.0;      // E φ''(u)²                        (f''(1) = σ_w² q E φ''²)
  double phi_d2phi = 0.0;   // E φ(u) φ''(u)                    (F'(q) = σ_w² (E φ'² + E φ φ''))
  double u_phi_dphi = 0.0;  // E u φ(u) φ'(u)                   (χ∥ = (C_W/q) E u φ φ')
  double phi4 = 0.0;        // E φ(u)⁴
  // E (φ(u)² − E φ²)² = E φ⁴ − (E φ²)², summed in a second pass over the nodes (no cancellation when φ² is
  // nearly constant, e.g. sigmoid at small q); the four-point vertex source C_W² (⟨σ⁴⟩ − ⟨σ²⟩²).
  double var_phi2 = 0.0;
};

class GaussianIntegrator {
 public:
  // Element-wise activations only: a row-wise one (softmax, ...) is an invalid-argument error.
  static Result<GaussianIntegrator> make(const activations::Activation& act);

  // The kinks of φ in x (sorted, unique) that the quadrature splits at.
  const std::vector<double>& kinks() const { return kinks_; }
  // Whether φ has a kink at 0 (|k| ≤ 1e-12): its point values there are a convention, not the q → 0⁺ limit.
  bool kink_at_zero() const;
  // The activation being integrated.
  const activations::Activation& activation() const { return act_; }

  // E g(√q Z) for the Moments fields, one pass. q = 0 gives the values at 0;
  // q < 0 or non-finite gives NaN fields. Measured (relative): ReLU, RePU p ≤ 4, erf, hardtanh ≤ 2e-15
  // against closed forms; tanh at q = 25 and 400 ≤ 1e-13 against a 10⁶-point Simpson integral. ~20 µs per
  // call.
  Moments expect(double q) const;

  // E φ^(k)(u1) φ^(k)(u2), k = which; u1 = √q1 Z1, u2 = √q2 (c Z1 + √(1−c²) Z2) (the correlation map's
  // integrand). |c| ≤ 1 (c = ±1 reduces to a 1-D integral); otherwise, or for q1, q2 < 0, NaN. Measured
  // (relative): ReLU arc-cosine kernel and step·step ≤ 4e-15 for c ∈ [−0.9, 0.9999], q ≤ 25 (kink splitting
  // alone gives 1.3e-8 at c = 0.99 without the strip breakpoints); erf, erf' and GELU closed forms ≤ 1e-14 at
  // q ≤ 25. Cost: ~10⁶ kernel points, 12 ms at q = 1 and 40 ms at q = 25 (tanh, Release).
  double expect_product(double q1, double q2, double c, Derivative which = Derivative::kValue) const;

  // E[(φ^(k)(u1) − φ^(k)(u2))²]/2 with q1 = q2 = q, computed without subtraction of nearly equal
  // expectations (docs/theory.md, "Pitfalls"): the symmetric form u1,2 = √q (a Z1 ± b Z2), a = √((1+c)/2),
  // b = √((1−c)/2), so u1 − u2 = 2√q b Z2. For k = 0 this is E φ² − E φ(u1)φ(u2), i.e.
  //   1 − f(c) = σ_w² · half_sq_diff(q*, c) / q*   at the variance fixed point q*.
  // Measured (relative), q ∈ {0.5, 2, 25}: ReLU vs the θ-form closed form ≤ 4e-14 for 1 − c ≥ 1e-8, 6e-12 at
  // 1e-12, 2e-10 at 1e-14; tanh, swish vs the Taylor limit q ε E φ'² − q² ε² E φ''²/2 ≤ 2e-11 for
  // 1 − c ∈ [1e-12, 1e-8], 2e-10 at 1e-14; the growth is rounding of φ(u1) − φ(u2) (~1e-16/(√q b φ')). ε = 1
  // − c is the ε the double c carries: 1 − c is exact, 1 − (1 − ε) is not ε.
  double half_sq_diff(double q, double c, Derivative which = Derivative::kValue) const;

  // Orthonormal Hermite coefficients a_k = E[φ(√q Z) He_k(Z)]/√k!, k = 0 … n (the Hermite form of the
  // correlation map): E φ(u1) φ(u2) = Σ_k a_k² c^k at q1 = q2 = q, and Σ_k a_k² = E φ²
  // (Parseval), so E φ² − Σ_{k≤n} a_k² bounds the truncation error at |c| ≤ 1. He_k/√k! by its three-term
  // recurrence; the same panels as expect() with the uniform width capped at 0.25 (He_100 oscillates on a
  // scale ~0.3). n ≤ 200; q < 0, non-finite or n < 0: empty.
  std::vector<double> hermite_coefficients(double q, int n) const;

 private:
  explicit GaussianIntegrator(activations::Activation act) : act_(std::move(act)) {}

  activations::Activation act_;  // a copy: the integrator owns its compiled kernel
  std::vector<double> kinks_;
};

// The raw expectations behind `actlab theory expect`: the Moments at variance q and, given a correlation c,
// the two-point products at (q, q, c).
struct Expectations {
  double q = 0.0;
  Moments moments;
  std::optional<double> c;
  std::optional<double> phi_phi;    // E φ(u1) φ(u2)
  std::optional<double> dphi_dphi;  // E φ'(u1) φ'(u2)

  // {"q", "E_phi", "E_phi2", "E_dphi2", "E_d2phi2", "E_phi_d2phi", "E_u_phi_dphi"[, "c", "E_phi_phi",
  //  "E_dphi_dphi"]}.
  Json to_json() const;
};

// Ok when the Moments at q are finite; otherwise an error naming the field "activation" (φ is not finite on
// part of the real line — acos, log — or grows too fast for the quadrature window).
Status finite_moments(const GaussianIntegrator& g, double q);

// Errors (bad input, naming the field): q < 0 or non-finite ("q"), |c| > 1 ("c"), expectations that are
// not finite ("activation").
Result<Expectations> expectations(const GaussianIntegrator& g, double q, std::optional<double> c = {});

}  // namespace actlab::theory
