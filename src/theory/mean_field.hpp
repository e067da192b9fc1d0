// Mean-field signal propagation: variance map, its fixed point, χ₁, depth scales, edge-of-chaos (EOC) points
// and the correlation map (docs/theory.md, "Model and formulas"; Poole et al. 2016,
// arXiv 1606.05340; Schoenholz et al. 2017, arXiv 1611.01232; Hayou et al. 2019, arXiv 1902.06853).
//
//   auto act = activations::Activation::make("tanh").value();
//   auto g = GaussianIntegrator::make(act).value();
//   auto eoc = eoc_points(g, 0.2).value();            // one point: σ_w = 1.30415, q* = 0.51208, F' = 0.543
//   Init init{eoc[0].sigma_w, 0.2};
//   auto fp = variance_fixed_point(g, init).value();  // fp.q = 0.51208, fp.chi1 = 1, fp.xi_q = 1.635
//   double c1 = correlation_map(g, init, fp.q, 0.0);  // 0.07811302
//   auto it = correlation_iterates(g, init, fp.q, 0.0, 20).value();  // c⁰ … c²⁰ and 1 − c⁰ … 1 − c²⁰
//
// Model: h^l = W φ(h^{l−1}) + b, W_ij ~ N(0, σ_w²/N), b_i ~ N(0, σ_b²), Z ~ N(0, 1).
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "core/status.hpp"
#include "theory/gaussian.hpp"

namespace actlab::theory {

// Initialisation scales: weight and bias standard deviations (not variances).
struct Init {
  double sigma_w = 1.0;
  double sigma_b = 0.0;
};

// Variance map: F(q) = σ_b² + σ_w² E φ(√q Z)². NaN for q < 0 (as GaussianIntegrator::expect).
double variance_map(const GaussianIntegrator& g, Init init, double q);

// Its slope (Gaussian integration by parts): F'(q) = σ_w² (E φ'(√q Z)² + E φ(√q Z) φ''(√q Z)).
double variance_map_slope(const GaussianIntegrator& g, Init init, double q);

// The variance fixed point q* = F(q*) reached from q⁰ and the quantities evaluated there.
struct FixedPoint {
  double q = 0.0;          // q*
  double residual = 0.0;   // F(q*) − q*
  double slope = 0.0;      // F'(q*)
  double chi1 = 0.0;       // χ₁ = σ_w² E φ'(√q* Z)²
  bool converged = false;  // |F(q*) − q*| ≤ 1e-12 · max(1, q*)
  bool stable = false;     // |F'(q*)| < 1 − kMarginalTol
  bool marginal = false;   // ||F'(q*)| − 1| ≤ kMarginalTol: neither attracts nor repels exponentially
  // q* = 0 reached as a limit (σ_b = 0, F(0) = 0, q^l → 0): the moments are their q → 0⁺ limits.
  bool zero_limit = false;
  int iterations = 0;  // plain iterations of F before the Brent/Newton polish
  // ξ_q = −1/log F'(q*) (Schoenholz et al.); absent when F'(q*) ∉ (0, 1) (unstable, marginal, or no
  // exponential law).
  std::optional<double> xi_q;
  // ξ_c = −1/log χ₁ in the ordered phase (χ₁ < 1, c* = 1); +∞ at χ₁ = 1 (the EOC, |χ₁ − 1| ≤ 1e-10); absent
  // in the chaotic phase χ₁ > 1, where ξ_c needs c* < 1 and χ_c, which this struct does not
  // compute.
  std::optional<double> xi_c;
};

// |F'(q*)| within this of 1 is marginal: F' = 0.9999999999999999 is rounding, not stability (mish, selu at
// σ_b = 0 have F'(0) = χ₁ = 1 exactly).
constexpr double kMarginalTol = 1e-9;

// The depth scale of an exponential approach at rate r per layer (Schoenholz et al., ICLR 2017):
// ξ = −1/log r for 0 < r < 1 (ξ_q from F'(q*), ξ_c from χ_c); absent otherwise (no exponential law).
std::optional<double> depth_scale(double rate);

// q* by iterating q ← F(q) from q0 (at most max_iter times, until |F(q) − q| ≤ 1e-12 max(1, q); this is the
// limit the network's q^l reaches, so q* is a stable or marginal fixed point). When F(0) = 0 (σ_b = 0 and
// φ(0) = 0) the test is relative, |F(q) − q| ≤ 1e-12 q, and iterates that fall towards 0 give the limit q* =
// 0 (zero_limit; χ₁ and F' are then their q → 0⁺ limits, e.g. σ_w²/2 for ReLU, σ_w² φ'(0)² for smooth φ). If
// that has not converged (near F' = 1 iterations converge like 1/l), Brent's method on F(q) − q finishes,
// bracketing in the direction the iterates move. Last, Newton steps on F(q) − q while they shrink the
// residual. Errors: invalid σ or q0; kNumerical when q^l diverges (exceeds 1e12: chaotic growth, or ReLU with
// σ_b > 0 at σ_w = √2: docs/theory.md, "The ReLU-like class").
Result<FixedPoint> variance_fixed_point(const GaussianIntegrator& g, Init init, double q0 = 1.0,
                                        int max_iter = 200);

// One EOC point (Hayou et al.): χ₁(q*) = 1 with q* a fixed point of F.
struct EocPoint {
  double sigma_b = 0.0;
  double sigma_w = 0.0;  // E φ'(√q* Z)^{-1/2}
  double q = 0.0;        // q*
  double chi1 = 1.0;     // σ_w² E φ'² (1 up to rounding)
  double slope = 0.0;    // F'(q*) (always report it: > 1 is unstable)
  bool stable = false;   // |F'(q*)| < 1 − kMarginalTol: q^l returns to q*; Swish at small σ_b: false
  bool marginal = false;  // ||F'(q*)| − 1| ≤ kMarginalTol (the q* = 0 point at σ_b = 0: F'(0) = χ₁ = 1)
  double beta_q = 0.0;  // β_q = q* E φ''² / (2 E φ'²): 1 − c^l ~ 1/(β_q l) on the EOC (Hayou et al.)
  bool q_free = false;  // homogeneous φ (ReLU-like): F is the identity, any q is a fixed point; q = 1
};

// Scan grid of eoc_points: q log-spaced on [kEocQMin, kEocQMax], kEocPerDecade points per decade.
constexpr double kEocQMin = 1e-8;
constexpr double kEocQMax = 1e4;
constexpr int kEocPerDecade = 20;

// All EOC points at bias σ_b (the algorithm of Hayou et al.'s code): with σ_w² = 1/E φ'²(q) (χ₁ = 1) the
// fixed-point equation becomes s(q) := q − E φ²(q)/E φ'²(q) = σ_b²; every sign change of s − σ_b² on the scan
// grid is refined by Brent's method; points are ordered by q. σ_b = 0 with φ(0) = 0, φ'(0) ≠ 0 adds the limit
// point q* = 0, σ_w = 1/|φ'(0)|. ReLU-like φ (s ≡ 0): σ_b = 0 gives one point with q_free; σ_b > 0 has no EOC
// (docs/theory.md). Two roots closer than one grid step can be missed. Errors: σ_b < 0 (invalid); no root
// (kNotFound).
Result<std::vector<EocPoint>> eoc_points(const GaussianIntegrator& g, double sigma_b);

// EOC curve: eoc_points for each σ_b, sharing one scan grid (~250 expectations for the grid plus ~15 per
// root). A σ_b without an EOC gets an empty row, not an error. Errors: any σ_b < 0.
struct EocRow {
  double sigma_b = 0.0;
  std::vector<EocPoint> points;
};
Result<std::vector<EocRow>> eoc_curve(const GaussianIntegrator& g, std::span<const double> sigma_bs);

// The moments in the limit q → 0⁺: the values at 0 for φ smooth at 0; for φ with a kink at 0 (ReLU, RePU)
// the point values are a convention, so they are taken at q = kZeroLimitQ.
constexpr double kZeroLimitQ = 1e-100;
Moments moments_at_zero_limit(const GaussianIntegrator& g);

// Correlation map at the fixed point q*: f(c) = (σ_b² + σ_w² E φ(u1) φ(u2)) / q*,
// u1 = √q* Z1, u2 = √q* (c Z1 + √(1 − c²) Z2). One 2-D expectation (10–40 ms).
double correlation_map(const GaussianIntegrator& g, Init init, double q_star, double c);

// 1 − f(c) without subtracting f from 1 (docs/theory.md, "Pitfalls"):
//   1 − f(c) = (q* − F(q*))/q* + σ_w² E[(φ(u1) − φ(u2))²] / (2 q*),
// the first term being the (tiny) residual of q* as a fixed point.
double one_minus_correlation_map(const GaussianIntegrator& g, Init init, double q_star, double c);

// c⁰ = c0, c^{l+1} = f(c^l) for l < depth: depth + 1 values of c and of 1 − c. For
// c ≥ 0 the step is taken on 1 − c (one_minus_correlation_map), so one_minus_c keeps its relative digits near
// c = 1, where c itself rounds. Errors: q* ≤ 0, |c0| > 1, depth < 0, or a non-finite iterate (kNumerical).
struct CorrelationIterates {
  std::vector<double> c;
  std::vector<double> one_minus_c;
};
Result<CorrelationIterates> correlation_iterates(const GaussianIntegrator& g, Init init, double q_star,
                                                 double c0, int depth);

// Phase of a fixed point: ordered χ₁ < 1 (c* = 1 attracts: inputs collapse), chaotic
// χ₁ > 1 (c* < 1: nearby inputs decorrelate), edge |χ₁ − 1| ≤ kEdgeTol.
enum class Phase { kOrdered, kEdge, kChaotic };
constexpr double kEdgeTol = 1e-6;
Phase phase_of(double chi1);
const char* phase_name(Phase p);

// The correlation fixed point c* = f(c*) that c^l reaches from c⁰ ∈ [0, 1) at the variance fixed point q*
// (root finding, since iterations converge slowly near criticality).
struct CorrelationFixedPoint {
  Phase phase = Phase::kOrdered;
  double c_star = 1.0;  // 1 in the ordered phase and at the edge
  // χ_c = f'(c*) = σ_w² E φ'(u1) φ'(u2) at (q*, c*): χ₁ when c* = 1; NaN when not asked for.
  double chi_c = 0.0;
  // ξ_c = −1/log χ_c when 0 < χ_c < 1, +∞ at the edge, absent otherwise (Schoenholz et al.).
  std::optional<double> xi_c;
  bool polished = false;  // the Hermite root was refined on the direct 2-D correlation map
};

// Number of Hermite coefficients used by correlation_fixed_point.
constexpr int kHermiteTerms = 100;

// c* at the fixed point fp = variance_fixed_point(g, init, …). q* = 0 as a limit (fp.zero_limit): c* = 1,
// χ_c = 1, ξ_c = ∞ (the limiting normalised map has slope 1 at c = 1). Ordered / edge: c* = 1. Chaotic: h(c)
// = f(c) − c is convex on [0, 1] with h(1) = 0 and h'(1) = χ₁ − 1 > 0 (f has non-negative Hermite
// coefficients, Poole et al.), so it has one root c* in [0, 1) (c* = 0 when f(0) = 0 and f'(0) ≤ 1, e.g. odd
// φ, σ_b = 0, weak weights). It is bracketed and found by Brent's method on the Hermite series f(c) = (σ_b² +
// σ_w² Σ_{k≤100} a_k² c^k)/q* (1-D integrals only: ~1 ms); where the truncation bound σ_w² (E φ² − Σ a_k²)
// c*^101/q* could move c* by more than 1e-12 (kinked φ with c* near 1) the root is polished by Brent on the
// direct form (1 − c) − (1 − f(c)) (one_minus_correlation_map, 10–40 ms per evaluation). with_chi_c = false
// skips the 2-D integral for χ_c (then chi_c is NaN and xi_c absent in the chaotic phase). Errors: fp.q < 0,
// or 0 in the chaotic phase, or non-finite (kInvalidArgument); no bracket (kNumerical).
Result<CorrelationFixedPoint> correlation_fixed_point(const GaussianIntegrator& g, Init init,
                                                      const FixedPoint& fp, bool with_chi_c = true);

}  // namespace actlab::theory
