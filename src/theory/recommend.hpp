// One initialisation answer for one activation and a depth L: the (σ_w, σ_b) of every hidden layer, the
// scale of the first layer's weights, the fixed point the kernel is put on and its stability, the depth
// scales against L, and a verdict: critical, marginal (why), or cannot be stabilised at depth L (with the
// proof). docs/theory.md, "One initialisation answer".
//
//   auto g = GaussianIntegrator::make(activations::Activation::make("mrepu").value()).value();
//   auto r = recommend(g, {.depth = 10}).value();
//   r.verdict;      // Verdict::kMarginal: K* = 0 repels (a₁ = 18 > 0); K^(1) = 0.1/(a₁ L) holds it
//   r.input_scale;  // 0.0236: multiply the first layer's weights by this
//
// Notions (C_W = σ_w², C_b = σ_b², K = q: the effective theory's kernel is the mean-field variance):
// - effective theory (Roberts, Yaida & Hanin 2022, ch. 5): χ∥ = χ⊥ = 1 at the fixed point K*, per
//   universality class (scale-invariant, K* = 0, half-stable);
// - mean field (Poole et al. 2016; Schoenholz et al. 2017): χ₁ = χ⊥ = 1 on the edge of chaos at some σ_b,
//   with a stable variance fixed point (χ∥ = F'(q*) < 1), where no class applies;
// - the input-kernel rule for σ(0) = 0 with a₁ > 0 (K* = 0 repels from above: MRePU): K^(l) ≈ K^(1)/(1 −
//   a₁ K^(1) l), so K^(1) = 0.1/(a₁ L) keeps the kernel within 11 % of K^(1) over L layers;
// - positively homogeneous σ of degree p > 1 (RePU): r = χ∥/χ⊥ = (2p − 1)/p at every K, so χ∥ = χ⊥ = 1 is
//   impossible: cannot be stabilised, and the least-bad option is labelled as such (Kim & Kang 2024).
// In every case the first layer's weight scale puts K^(1) = C_b + s² C_W q_in on the kernel the hidden
// layers hold (q_in: the mean squared input feature, 1 for standardised data).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"

namespace actlab::theory {

struct RecommendPlan {
  int depth = 10;          // L: hidden layers, 1 … 100000
  double input_var = 1.0;  // q_in: mean squared input feature (> 0)
};

enum class Verdict { kCritical, kMarginal, kCannotStabilise };
const char* verdict_name(Verdict v);  // "critical", "marginal", "cannot be stabilised"

struct Recommendation {
  std::string activation;
  RecommendPlan plan;
  CriticalityClass kind = CriticalityClass::kNone;
  double a1 = 0.0;     // the K* = 0 expansion coefficient where defined (NaN otherwise)
  std::string notion;  // "effective theory", "mean field (edge of chaos)", "input-kernel rule", ...
  double C_W = 1.0, C_b = 0.0;
  double sigma_w = 1.0, sigma_b = 0.0;  // √C_W, √C_b
  double K_star = 0.0;                  // the kernel the hidden layers hold (0 for the K* = 0 class)
  double K1 = 1.0;                      // the first layer's kernel the recommendation sets
  double input_scale = 1.0;  // factor on the first layer's weights: K1 = C_b + input_scale² C_W q_in
  double chi_par = 1.0, chi_perp = 1.0;  // at K1
  std::string stability;             // of the fixed point: "stable", "half-stable (attracts from below)", ...
  std::optional<double> xi_q, xi_c;  // depth scales (absent: no exponential law, e.g. power-law approach)
  Verdict verdict = Verdict::kCritical;
  bool least_bad = false;            // cannot be stabilised: this is the least-bad option
  std::vector<std::string> reasons;  // why, with the numbers (the proof for "cannot be stabilised")

  // {"activation", "verdict", "reasons", "class", "a1", "notion", "C_W", "C_b", "sigma_w", "sigma_b",
  //  "K_star", "K1", "input_scale", "chi_par", "chi_perp", "stability", "xi_q", "xi_c", "depth",
  //  "input_var", "least_bad"}; absent values are null.
  Json to_json() const;
};

// Errors: depth or input_var out of range (fields "depth", "input_var"); a row-wise activation.
Result<Recommendation> recommend(const GaussianIntegrator& g, const RecommendPlan& plan);

}  // namespace actlab::theory
