// Exact interventional SHAP values of a deep ReLU network from its region model (docs/shallow.md, "Exact SHAP
// values"; Villani & Schoots, arXiv:2306.11827 §5; Lundberg & Lee, NeurIPS 2017).
//
//   MatrixD z = read_background_csv("bg.csv", net.input_dim()).value();   // B × n
//   ShapResult r = shap_values(net, x, z, {}).value();    // exact
//   r.phi.sum() == r.fx − r.base_value  (efficiency, to rounding)
//
// Interventional value of a coalition S: v(S) = (1/B) Σ_b f(x_S, z^(b)_S̄), and
//   φ_i = Σ_{S ⊆ [n]∖{i}} |S|!(n − |S| − 1)!/n! · [v(S ∪ {i}) − v(S)].
// Per background row z (φ is linear in v, so rows add up):
//   box shortcut  if the box Π_j [min(x_j, z_j), max(x_j, z_j)] lies in the closure of x's region R_r
//                 (every signed row ĥ_k·y + ĉ_k ≥ 0 of R_r holds on the box:
//                 ĉ_k + Σ_j min(ĥ_kj x_j, ĥ_kj z_j) ≥ 0), f is affine there and φ += α_r ⊙ (x − z):
//                 O(N·n) instead of 2^n evaluations;
//   otherwise     f at all 2^d hybrids of the d features where x_j ≠ z_j, visited in Gray-code order (one
//                 coordinate changes per step, as shap.ExactExplainer), then the formula above.
// Sampling (for many features, labelled approximate): antithetic random permutations, each walked against
// every background row; marginal contributions telescope, so efficiency still holds exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "shallow/deep_net.hpp"

namespace actlab::shallow {

enum class ShapMethod { kExact, kSampling };

struct ShapOptions {
  int output = 0;
  ShapMethod method = ShapMethod::kExact;
  long samples = 200;           // sampling: permutations (antithetic pairs count as two)
  std::uint64_t seed = 0;       // sampling
  int max_exact_features = 22;  // exact fallback refuses more varying features than this
};

struct ShapResult {
  Eigen::VectorXd phi;
  double base_value = 0;        // mean_b f(z^(b))
  double fx = 0;                // f(x)
  double efficiency_error = 0;  // |Σ φ − (f(x) − base_value)|
  std::string method;           // "exact" or "sampling (approximate)"
  long box_shortcuts = 0;       // background rows handled by the box shortcut
  long evaluations = 0;         // network evaluations
};

Result<ShapResult> shap_values(const DeepReluNet& net, const Eigen::VectorXd& x, const MatrixD& background,
                               const ShapOptions& opt = {});

// The sampling estimate for any function f of the input (a network of any activation): `samples`
// antithetic random permutations (Rng::derive(seed, "shap-permutations")), each walked against every
// background row; marginal contributions telescope, so efficiency holds exactly. shap_values' sampling is
// this with f = the network's output `output`. Sizes are the caller's to check (x.size() ==
// background.cols(), at least one background row, samples >= 1).
ShapResult sampled_shap_values(const std::function<double(const Eigen::VectorXd&)>& f,
                               const Eigen::VectorXd& x, const MatrixD& background, long samples,
                               std::uint64_t seed);

// Independent reference: the textbook formula, v(S) recomputed for every subset from deep forward passes.
// O(n·2^n·B); for tests on small n.
Eigen::VectorXd shap_brute_force(const DeepReluNet& net, const Eigen::VectorXd& x, const MatrixD& background,
                                 int output = 0);

// Background rows from a CSV file of numbers (an optional header line is skipped). Each row must have n
// values: "bg.csv:3: 4 values, the network's input has 2".
Result<MatrixD> read_background_csv(const std::string& path, int n);

}  // namespace actlab::shallow
