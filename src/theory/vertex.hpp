// The four-point vertex: the leading finite-width (1/n) correction to the Gaussian kernel of one input
// (docs/theory.md, "Four-point vertex and Monte Carlo"; Roberts, Yaida & Hanin, arXiv 2106.10165, ch. 4).
//
//   auto act = activations::Activation::make("relu").value();
//   auto g = GaussianIntegrator::make(act).value();
//   auto rec = kernel_recursion(g, 0.0, 2.0, 1.0, 5).value();
//   auto v = vertex_recursion(g, 2.0, rec).value();   // V/K² = 0, 5, 10, 15, 20: 5(l − 1)
//
// Definition (single input, widths n_l all equal to n):
//   E[z_i1 z_i2 z_i3 z_i4]_connected = (1/n) (δ_i1i2 δ_i3i4 + δ_i1i3 δ_i2i4 + δ_i1i4 δ_i2i3) V^(l),
// so that E z⁴/(3 (E z²)²) − 1 = V^(l)/(n K^(l)²) + O(1/n²). Equivalently, with the per-network second
// moment Ĝ^(l) = C_b + (C_W/n) Σ_j σ(z_j^(l−1))² (the variance of z_i^(l) given layers < l):
// n Var(Ĝ^(l)) / K^(l)² → V^(l)/K^(l)², which is what theory/monte_carlo.hpp measures.
// Recursion (n_l/n_{l−1} = 1):
//   V^(1) = 0,  V^(l+1) = C_W² (⟨σ⁴⟩ − ⟨σ²⟩²)_{K^(l)} + χ∥(K^(l))² V^(l).
// It is carried in the normalised form u_l = V^(l)/K^(l)², which neither overflows nor underflows where K
// does (RePU's double-exponential kernels):
//   u_{l+1} = [C_W² Var_{K^(l)}(σ²) + χ∥² K^(l)² u_l] / K^(l+1)².
// Closed forms used as test oracles: scale-invariant σ: u_l = (3A₄/A₂² − 1)(l − 1) (ReLU: 5(l − 1));
// RePU with C_b = 0: u_l = s_p (p^(2(l−1)) − 1)/(p² − 1), s_p = 2(4p−1)!!/((2p−1)!!)² − 1.
#pragma once

#include <vector>

#include "core/status.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"

namespace actlab::theory {

struct VertexLayer {
  int l = 1;
  double K = 0.0;          // K^(l), as in the recursion it was computed from
  double V_over_K2 = 0.0;  // V^(l)/K^(l)²: n (E z⁴/(3 (E z²)²) − 1) to leading order in 1/n
};

// V/K² along a kernel recursion rec = kernel_recursion(g, C_b, C_W, K0, depth) (same C_W): one value
// per layer of rec (layer 1: 0). Where K^(l+1) underflows to 0 the normalised vertex is undefined and the
// output stops at layer l (the layers computed are kept). Errors (kInvalidArgument): C_W negative or
// non-finite, rec empty.
Result<std::vector<VertexLayer>> vertex_recursion(const GaussianIntegrator& g, double C_W,
                                                  const KernelRecursion& rec);

}  // namespace actlab::theory
