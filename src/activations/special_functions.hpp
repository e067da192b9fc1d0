// Special functions used by activations and their derivatives: the polygamma family.
//
//   #include "activations/special_functions.hpp"
//   using namespace actlab::activations;
//   double a = digamma(1.0);        // -0.5772156649015329  (−γ, Euler–Mascheroni)
//   double b = polygamma(1, 0.5);   //  4.934802200544679   (π²/2)
//   double c = polygamma(2, -2.5);  // reflection formula for negative non-integer x
//   double d = digamma(-3.0);       //  NaN: pole (PyTorch convention)
//
// Accuracy: within 2e-15 relative for x > 0 (checked against mpmath, and against scipy in
// tests/activations/special_functions_test.cpp); for x < 0 the reflection formula is accurate
// relative to the size of its two terms, so near the zeros of ψ_n the error is absolute.
#pragma once

namespace actlab::activations {

// Largest order n accepted by polygamma(); larger n gives NaN.
inline constexpr int kMaxPolygammaOrder = 4;

// ψ_n(x) = dⁿ⁺¹/dxⁿ⁺¹ ln Γ(x) for n = 0..4 (n = 0: digamma ψ, n = 1: trigamma, ...).
// DLMF §5.15 (https://dlmf.nist.gov/5.15), Abramowitz & Stegun 6.4.
//
// x > 0:   recurrence ψ_n(x) = ψ_n(x+1) + (−1)ⁿ⁺¹ n!/xⁿ⁺¹ (DLMF 5.15.5) moves x to ≥ 10, then the
//          asymptotic series (DLMF 5.11.2 for ψ, 5.15.8 for n ≥ 1):
//            ψ(x)   ~ ln x − 1/(2x) − Σ_{k≥1} B_{2k} / (2k x^{2k})
//            ψ_n(x) ~ (−1)ⁿ⁺¹ [ (n−1)!/xⁿ + n!/(2xⁿ⁺¹)
//                               + Σ_{k≥1} B_{2k} (2k+n−1)!/((2k)! x^{2k+n}) ]
//          ψ near its positive root x₀ = 1.46163… uses its Taylor series there (relative accuracy).
// x < 0:   reflection (DLMF 5.15.6) (−1)ⁿ ψ_n(1−x) − ψ_n(x) = π dⁿ/dxⁿ cot(πx), where with
//          c = cot(πx): dⁿ/dxⁿ cot(πx) = πⁿ P_n(c), P₀ = c, P_{n+1} = −(1+c²) P_n′(c).
// Special values (PyTorch's torch.polygamma / torch.digamma where it defines them):
//   NaN → NaN;  +inf → ψ = +inf, ψ_n = 0 (n ≥ 1);  −inf → NaN;  n outside 0..4 → NaN.
//   ψ(±0) = ∓inf;  ψ(negative integer) = NaN.
//   n ≥ 1 at x ∈ {0, −1, −2, ...}: +inf for odd n (ψ_n → +inf from both sides of the pole),
//   NaN for even n (the sign differs across the pole).
double polygamma(int n, double x);

// ψ(x) = d/dx ln Γ(x) = Γ′(x)/Γ(x).
inline double digamma(double x) { return polygamma(0, x); }

}  // namespace actlab::activations
