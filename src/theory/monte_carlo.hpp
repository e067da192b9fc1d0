// Finite-width Monte Carlo of the single-input kernel and four-point vertex: random networks of a given
// width, to overlay on the infinite-width theory (docs/theory.md, "Four-point vertex and Monte Carlo").
//
//   auto act = activations::Activation::make("relu").value();
//   auto mc = monte_carlo_kernel(act, 0.0, 2.0, 1.0, 4, {.width = 64, .samples = 2000, .seed = 7}).value();
//   // mc[3].K ≈ 1 ± mc[3].K_se; mc[3].V_over_K2 ≈ 64 ((1 + 5/64)³ − 1) = 16.2 ± mc[3].V_over_K2_se
//
// Each sample is one network of `depth` layers, all of width n = width, with the weights drawn explicitly
// (the conventions of effective.hpp): z^(1)_i ~ N(0, K0) iid (the first layer's preactivations for an input
// with C_b + C_W |x|²/n₀ = K0), z^(l+1) = b + W σ(z^(l)), b_i ~ N(0, C_b), W_ij ~ N(0, C_W/n). Network k
// draws from Rng::derive(seed, "theory.monte_carlo", k), so a run is reproducible and independent of
// everything else. Per layer and network two statistics are kept:
//   K̂^(l) = (1/n) Σ_i z_i^(l)²                       (the empirical second moment; E K̂ = E z²)
//   Ĝ^(l) = C_b + (C_W/n) Σ_j σ(z_j^(l−1))²           (Ĝ^(1) = K0: the variance of z_i^(l) given layers < l)
// and over the M networks:
//   K           = mean K̂,  K_se = sd(K̂)/√M
//   V_over_K2   = n s²(Ĝ)/mean(Ĝ)²   (s² the unbiased sample variance; → V/K² of theory/vertex.hpp as n → ∞,
//                 since Var Ĝ = V/n exactly and E z⁴/(3 (E z²)²) − 1 = Var Ĝ/(E Ĝ)²)
//   V_over_K2_se  by the delta method: Var(log u) ≈ [(m₄ − s⁴)/s⁴ + 4 s²/Ĝ̄² − 4 m₃/(s² Ĝ̄)]/M, m_k the
//                 central sample moments of Ĝ.
// What differs from the infinite-width theory besides noise: both E z² and n Var Ĝ/(E Ĝ)² carry O(1/n)
// corrections (ReLU: E z² = K exactly, n Var Ĝ/K² = n((1 + 5/n)^(l−1) − 1) = 5(l−1) + 10(l−1)(l−2)/n + …).
// Cost: M · (depth − 1) · n² normal draws (~10 ns each).
#pragma once

#include <cstdint>
#include <vector>

#include "activations/activation.hpp"
#include "core/status.hpp"

namespace actlab::theory {

struct MonteCarloOptions {
  int width = 100;         // n, every hidden layer
  int samples = 1000;      // M networks, ≥ 2
  std::uint64_t seed = 0;  // explicit: there is no global RNG
};

struct MonteCarloLayer {
  int l = 1;
  double K = 0.0, K_se = 0.0;                  // mean of K̂^(l) and its standard error
  double V_over_K2 = 0.0, V_over_K2_se = 0.0;  // n s²(Ĝ)/mean(Ĝ)² and its standard error (layer 1: 0, 0)
};

// One row per layer 1 … depth. If some network's z becomes non-finite (overflow: chaotic or RePU kernels),
// the output stops before that layer. Errors (kInvalidArgument): a row-wise act, C_b, C_W, K0 negative or
// non-finite, depth < 1, width < 1, samples < 2.
Result<std::vector<MonteCarloLayer>> monte_carlo_kernel(const activations::Activation& act, double C_b,
                                                        double C_W, double K0, int depth,
                                                        const MonteCarloOptions& opt);

// Two inputs through the same random networks: z_a^(1), z_b^(1) ~ N(0, K0) with correlation c0, then
// z^(l+1) = b + W σ(z^(l)) with the same W and b for both. Per layer the empirical correlation
// ĉ^(l) = Σ_i z_a,i z_b,i / √(Σ z_a,i² Σ z_b,i²), averaged over the networks (mean and standard error); as
// n → ∞ it tends to the c^l of theory/propagate.hpp at σ_w = √C_W, σ_b = √C_b, q0 = K0. Same conventions,
// streams (Rng::derive(seed, "theory.monte_carlo.pair", k)), errors and stopping rule as monte_carlo_kernel;
// also |c0| > 1 is an error.
struct MonteCarloCorrelation {
  int l = 1;
  double c = 0.0, c_se = 0.0;
};
Result<std::vector<MonteCarloCorrelation>> monte_carlo_correlation(const activations::Activation& act,
                                                                   double C_b, double C_W, double K0,
                                                                   double c0, int depth,
                                                                   const MonteCarloOptions& opt);

}  // namespace actlab::theory
