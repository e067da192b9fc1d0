// One input through depth in the effective theory: the kernel recursion K^(l) with χ∥, χ⊥ and r per layer,
// the four-point vertex V/K², and optionally a finite-width Monte Carlo of both to overlay (Roberts, Yaida &
// Hanin, "The Principles of Deep Learning Theory", 2022, arXiv 2106.10165, ch. 4-5; docs/theory.md,
// "Effective theory" and "Four-point vertex and Monte Carlo"). The values behind `actlab theory kernel`.
//
//   auto act = activations::Activation::make("relu").value();
//   auto g = GaussianIntegrator::make(act).value();
//   auto p = kernel_profile(g, {.cw = 2, .cb = 0, .k0 = 1, .depth = 4, .width = 32, .mc = 1500, .seed = 9});
//   p->recursion.layers[3].K;   // 1 (ReLU at C_W = 2 keeps K)
//   p->V_over_K2(3);            // 15 = 5(l − 1)
//   p->monte_carlo[3].V_over_K2; // ≈ 32((1 + 5/32)³ − 1) ± p->monte_carlo[3].V_over_K2_se
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/monte_carlo.hpp"
#include "theory/vertex.hpp"

namespace actlab::theory {

struct KernelPlan {
  double cw = 1.0;             // C_W > 0: weight variance times fan-in
  double cb = 0.0;             // C_b ≥ 0: bias variance
  double k0 = 1.0;             // K^(1) > 0
  int depth = 20;              // layers, ≥ 1
  std::optional<int> width{};  // Monte Carlo: width n of every hidden layer (with mc)
  std::optional<int> mc{};     // Monte Carlo: number of random networks, ≥ 2 (with width)
  std::uint64_t seed = 0;      // Monte Carlo: seed of the weight streams
};

// Largest width² · mc · (depth − 1) the Monte Carlo accepts (~10 ns per weight draw: ~3 minutes).
constexpr double kMaxMonteCarloWork = 2e10;

struct KernelProfile {
  KernelPlan plan;
  KernelRecursion recursion;        // K^(1) … K^(n), n ≤ depth (stops where K overflows)
  std::vector<VertexLayer> vertex;  // V/K² along the recursion (may stop earlier, where K underflows)
  std::vector<MonteCarloLayer> monte_carlo;  // empty without width and mc; stops where z overflows

  // V/K² of recursion layer i (0-based), NaN beyond the vertex.
  double V_over_K2(std::size_t i) const;
  // {"C_W", "C_b", "finite", ["width", "mc", "seed",] "layers": [{l, K, chi_par, chi_perp, r, V_over_K2
  //  [, "mc": {K, K_se, V_over_K2, V_over_K2_se} or null]}, ...]}.
  Json to_json() const;
};

// kernel_recursion(g, cb, cw, k0, depth), vertex_recursion along it and, with width and mc,
// monte_carlo_kernel. Errors (bad input, naming the field): cw ≤ 0, cb < 0, k0 ≤ 0 or non-finite; depth < 1;
// width < 1; mc < 2; width without mc ("mc") or mc without width ("width"); a Monte Carlo above
// kMaxMonteCarloWork ("mc"). Then those of the three computations.
Result<KernelProfile> kernel_profile(const GaussianIntegrator& g, const KernelPlan& plan);

}  // namespace actlab::theory
