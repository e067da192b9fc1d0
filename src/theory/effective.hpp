// Effective-theory (PDLT) view of one activation: the single-input kernel recursion, the susceptibilities χ∥,
// χ⊥ and PDLT's criticality classes (docs/theory.md, "Effective theory"; Roberts, Yaida & Hanin, "The
// Principles of Deep Learning Theory", arXiv 2106.10165, ch. 4-5).
//
//   auto act = activations::Activation::make("tanh").value();
//   auto g = GaussianIntegrator::make(act).value();
//   Susceptibilities s = susceptibilities(g, 1.0, 1.0);   // s.chi_perp = 0.4644029
//   auto c = classify(g).value();                         // kK0, a1 = b1 = −2, critical {C_b 0, C_W 1, K* 0}
//   auto rp = activations::Activation::make("repu", {{"p", 2}}).value();
//   auto gr = GaussianIntegrator::make(rp).value();
//   auto run = kernel_recursion(gr, 0.0, 1.0 / 3, 2.1, 20).value();  // K: 2.1, 2.205, 2.431, ...
//   // run.finite == false: K overflowed to +inf after run.layers.back(); the layers stop there.
//
// Conventions: z^(l+1) = b + W σ(z^(l)), b ~ N(0, C_b), W_ij ~ N(0, C_W/n_l); ⟨f⟩_K is the
// average over z ~ N(0, K); g(K) = ⟨σ²⟩_K.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "core/json.hpp"
#include "core/status.hpp"
#include "theory/gaussian.hpp"

namespace actlab::theory {

// χ∥, χ⊥ and their ratio at one K.
struct Susceptibilities {
  double K = 0.0;
  double g = 0.0;         // ⟨σ²⟩_K
  double chi_par = 0.0;   // χ∥ = C_W dg/dK = (C_W/K) ⟨z σ σ'⟩_K
  double chi_perp = 0.0;  // χ⊥ = C_W ⟨σ'²⟩_K
  double r = 0.0;         // χ∥/χ⊥ = ⟨z σ σ'⟩_K / (K ⟨σ'²⟩_K), independent of C_W, C_b
};

// Where φ has a kink at 0, the K → 0⁺ limit is evaluated at this K.
constexpr double kEffectiveKTiny = 1e-100;

// PDLT form, by Gaussian integration by parts:
//   χ∥ = (C_W/K) ⟨z σ σ'⟩_K,  χ⊥ = C_W ⟨σ'²⟩_K,  r = χ∥/χ⊥.
// K = 0: the K → 0⁺ limit. For φ twice differentiable at 0 that is χ∥ = C_W (σ'(0)² + σ(0) σ''(0)),
// χ⊥ = C_W σ'(0)² (the Taylor expansion of ⟨·⟩_K); where φ has a kink at 0 (ReLU, RePU) the point values
// are a convention, not the limit, so everything is evaluated at K = kEffectiveKTiny instead. K < 0 or
// non-finite: NaN fields. r is NaN where χ⊥ = 0, and 0/0 where both χ underflow (RePU p ≥ 2 at K ≲ 1e-160).
Susceptibilities susceptibilities(const GaussianIntegrator& g, double C_W, double K);

// One layer of the single-input kernel recursion.
struct KernelLayer {
  int l = 1;  // layer index, 1-based: layers[0] is K^(1) = K0
  double K = 0.0;
  double log_K = 0.0;  // log K^(l), exact where K^(l)'s powers are not representable
  double chi_par = 0.0;
  double chi_perp = 0.0;
  double r = 0.0;
};

// K^(l) outside [kKernelMin, kKernelMax] ends the recursion of a φ that is not positively homogeneous: ⟨σ²⟩
// and the vertex's ⟨σ⁴⟩ (~K²) are no longer representable there.
constexpr double kKernelMin = 1e-150;
constexpr double kKernelMax = 1e150;

struct KernelRecursion {
  std::vector<KernelLayer> layers;  // K^(1) … K^(n), n ≤ depth
  // false: the recursion stopped after layer n < depth; verdict says why ("K overflows after layer 11:
  // the kernel explodes", "K underflows after layer 11: the kernel vanishes").
  bool finite = true;
  std::string verdict{};
  // p when φ is positively homogeneous of degree p (φ(λx) = λ^p φ(x), λ > 0: ReLU p = 1, RePU p): the
  // recursion is then carried in log K with ⟨σ²⟩_K = K^p ⟨σ²⟩_1, so K, χ∥, χ⊥, r and V/K² stay exact as long
  // as K itself is a double (RePU's double-exponential kernels).
  std::optional<double> degree{};
};

// The degree p of a positively homogeneous φ, read off its Gaussian moments (⟨σ²⟩_K = K^p ⟨σ²⟩_1, ⟨σ'²⟩_K =
// K^(p−1) ⟨σ'²⟩_1 to 1e-10 at K = 1e-4, 4 and 1e4); absent otherwise.
std::optional<double> homogeneous_degree(const GaussianIntegrator& g);

// K^(l+1) = C_b + C_W ⟨σ²⟩_{K^(l)}, K^(1) = K0, for l = 1 … depth − 1, with the susceptibilities
// of each layer. A K that leaves the double range (or [kKernelMin, kKernelMax] for a φ that is not
// homogeneous) ends the recursion *without* an error: the layers computed so far are returned with finite =
// false and the verdict (no NaN or inf is ever in layers). Errors (kInvalidArgument): C_b < 0, C_W < 0,
// K0 < 0, any of them non-finite, or depth < 1.
Result<KernelRecursion> kernel_recursion(const GaussianIntegrator& g, double C_b, double C_W, double K0,
                                         int depth);

// PDLT's universality classes (Roberts, Yaida & Hanin, ch. 5).
enum class CriticalityClass {
  kScaleInvariant,  // r ≡ 1: ReLU, leaky ReLU, linear; C_b = 0, C_W = 1/⟨σ'²⟩, every K a fixed point
  kK0,              // σ(0) = 0, σ'(0) ≠ 0, a₁ < 0: tanh, sin; C_b = 0, C_W = 1/σ₁², K* = 0
  kHalfStable,      // some K* > 0 with r(K*) = 1 and C_b ≥ 0: swish, GELU
  kNone,            // no criticality: RePU (r = (2p−1)/p), sigmoid, softplus, MRePU (a₁ > 0, r > 1)
};

const char* criticality_class_name(CriticalityClass c);

// A critical initialisation: K* = C_b + C_W g(K*) with χ∥(K*) = χ⊥(K*) = 1.
struct CriticalPoint {
  double C_b = 0.0;
  double C_W = 0.0;
  double K_star = 0.0;  // scale-invariant: every K is a fixed point; reported as 1
};

struct Classification {
  CriticalityClass kind = CriticalityClass::kNone;
  // K* = 0 expansion coefficients, set when σ(0) = 0 and σ'(0) ≠ 0, NaN otherwise:
  //   χ∥ = C_W σ₁² (1 + 2 a₁ K + …),  χ⊥ = C_W σ₁² (1 + b₁ K + …),
  //   a₁ = σ₃/σ₁ + (3/4)(σ₂/σ₁)²,  b₁ = σ₃/σ₁ + (σ₂/σ₁)²,  σ_k = φ^(k)(0).
  double a1 = 0.0;
  double b1 = 0.0;
  std::optional<CriticalPoint> critical;  // the first of `roots` with C_b ≥ 0 (half-stable), or as above
  std::vector<CriticalPoint> roots;       // every K* > 0 with r(K*) = 1 found on the grid, any sign of C_b
  std::string notes;                      // why this class (e.g. the range of r on the grid)

  // {"class", "a1", "b1", "critical": {C_b, C_W, K_star} or null, "notes"}.
  Json to_json() const;
};

// Scan grid of classify: K log-spaced on [kEffectiveKMin, kEffectiveKMax], kEffectivePerDecade per decade.
constexpr double kEffectiveKMin = 1e-6;
constexpr double kEffectiveKMax = 1e4;
constexpr int kEffectivePerDecade = 20;
// |r − 1| ≤ kScaleInvariantTol at every grid point: r ≡ 1.
constexpr double kScaleInvariantTol = 1e-10;
// Half-stable roots: |r − 1| ≤ kRootTol counts as r = 1 within rounding (never a sign change), and a root
// needs C_W ≤ kMaxCriticalCW (see classify).
constexpr double kRootTol = 1e-8;
constexpr double kMaxCriticalCW = 1e6;
// Grid points where the integrand at |z| = kZMax exceeds kWindowTol × (⟨σ²⟩ + K⟨σ'²⟩) are left out.
constexpr double kWindowTol = 1e-8;

// Classification recipe, tried in this order:
//   1. scale-invariant: |r(K) − 1| ≤ kScaleInvariantTol on the whole grid; C_b = 0, C_W = 1/⟨σ'²⟩_1.
//   2. K* = 0 class: σ₀ = 0, σ₁ ≠ 0 and a₁ < 0; C_b = 0, C_W = 1/σ₁², K* = 0.
//   2'. a₁ = 0 exactly (linear near 0: hardtanh, frac): K* = 0 class when C_W⟨σ²⟩_K ≤ K on the whole grid.
//   3. half-stable: every sign change of r(K) − 1 on the grid (|r − 1| ≤ kRootTol counts as no sign)
//      refined by Brent's method; at each root C_W = 1/⟨σ'²⟩_{K*} (kept only if ≤ kMaxCriticalCW),
//      C_b = K* − C_W g(K*); the class needs one root with C_b ≥ 0. Grid points whose integrand outgrows
//      the quadrature window (exp, cosh at large K) are skipped.
//   4. none otherwise.
// σ₃ = φ'''(0) comes from the symbolic derivative of act.d2f_expr(). Two roots closer than one grid step can
// be missed. g must be GaussianIntegrator::make(act). Errors: a row-wise act (kInvalidArgument).
Result<Classification> classify(const GaussianIntegrator& g);

}  // namespace actlab::theory
