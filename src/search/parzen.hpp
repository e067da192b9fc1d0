// The Parzen estimator of TPE: a weighted mixture of one kernel per observation plus one prior kernel, as in
// Optuna 3.1 (`optuna/samplers/_tpe/parzen_estimator.py`; docs/search.md, "TPE" and "Sources").
//
//   ParzenEstimator l(space, {0, 1}, below_obs, ParzenOptions{});   // observations[dim][i], internal values
//   auto xs = l.sample(rng, 24);                                    // 24 candidates, each one value per dim
//   double lp = l.log_pdf(xs[0]);                                   // log density (mass for discrete dims)
//
// Mixture weights: w = [default_weights(n)..., prior_weight] / Σ.  default_weights(n) = [] (n = 0),
// ones(n) (n < 25), else concat(linspace(1/n, 1, n − 25), ones(25)) — old observations count less.
// Categorical kernel i over C choices (Optuna ≥ 2.9): k_i(c) = (1[c = x_i] + p/(n+1)) / (1 + C p/(n+1));
// the prior kernel is uniform, 1/C.
// Numerical kernel i: a Gaussian N(x_i, σ_i²) truncated to [low, high] (in log space for log parameters;
// widened by step/2 on each side for discrete ones, whose density is the mass of [x − q/2, x + q/2]).
// σ_i (univariate) = max distance to the sorted neighbours among {low, μ_1..μ_n, prior μ, high}; the first
// and last use their inner neighbour only (consider_endpoints = false); clipped to [(high−low)/min(100,
// 1+n+1), high−low] (the "magic clip"). Prior kernel: μ = (low+high)/2, σ = high − low. Multivariate: σ = 0.2
// · max(n,1)^(−1/(d+4)) · (high − low) for every observation kernel (Scott-like, BOHB), and each kernel is a
// product over dimensions with one shared kernel index. The continuous density includes the −log σ term that
// Optuna 3.1 omits (optuna#5109, fixed in PR #5110).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/rng.hpp"
#include "search/space.hpp"

namespace actlab::search {

// log Φ(a) for the standard normal CDF, accurate far into both tails (Optuna's _log_ndtr).
double log_ndtr(double a);
// log(Φ(b) − Φ(a)) for a ≤ b, without cancellation in either tail.
double log_gauss_mass(double a, double b);

// gamma(n) = min(⌈0.1 n⌉, 25): how many of n observations form the "below" (good) set.
int default_gamma(int n);
// The weights ramp above.
std::vector<double> default_weights(int n);

struct ParzenOptions {
  double prior_weight = 1.0;
  bool consider_magic_clip = true;
  bool consider_endpoints = false;
  bool multivariate = false;
};

// One categorical parameter's mixture in closed form, for all C choices at once in O(n + C) (the estimator's
// log_pdf costs O(n) per point):
//   l(c) = Σ_i w_i k_i(c) + w_prior / C = (W(c) + f · (1 − w_prior)) / (1 + C f) + w_prior / C,
//   f = p/(n+1), W(c) = Σ_{i: x_i = c} w_i, with the normalised weights below.
// Returns log l(c) for c = 0..C−1. It equals ParzenEstimator(space, {i}, {observations}, o).log_pdf({c})
// up to rounding (relative error ≲ (n + C) ε), not bit for bit: use it to rank choices, and the estimator to
// break near ties exactly (TpeSampler does).
std::vector<double> categorical_log_pmf(std::size_t n_choices, const std::vector<double>& observations,
                                        const ParzenOptions& options);

class ParzenEstimator {
 public:
  // dims: which parameters of `space` this estimator models; observations[k][i]: internal value of parameter
  // dims[k] in observation i (all rows the same length).
  ParzenEstimator(const Space& space, std::vector<std::size_t> dims,
                  const std::vector<std::vector<double>>& observations, const ParzenOptions& options);

  // n draws; each is one internal value per dim, already rounded to its step and clipped.
  std::vector<std::vector<double>> sample(Rng& rng, int n) const;
  // Log density of one point x (one internal value per dim).
  double log_pdf(const std::vector<double>& x) const;
  // log_pdf of each point, vectorised over the kernels (Eigen packets, one exp per kernel and point): the
  // same sum up to rounding, not bit for bit — |log_pdf_many(xs)[i] − log_pdf(xs[i])| ≤
  // log_pdf_tolerance(value) for finite values (tested). Use it to rank points and log_pdf to break near ties
  // (TpeSampler does).
  std::vector<double> log_pdf_many(const std::vector<std::vector<double>>& xs) const;
  // A bound on |log_pdf_many − log_pdf| at a point whose log density is about `value`: 4096 (n + d + 2) ε
  // (1 + |value|), n kernels, d dims; each sum has n + d terms rounded to within a few ulp of their size.
  double log_pdf_tolerance(double value) const;

  const std::vector<double>& weights() const { return weights_; }  // normalised, prior last
  // Numerical dim k: kernel centres and widths in the transformed (log / widened) domain.
  const std::vector<double>& mus(std::size_t k) const { return dims_[k].mus; }
  const std::vector<double>& sigmas(std::size_t k) const { return dims_[k].sigmas; }
  // Categorical dim k: row i = kernel i's probabilities over the choices (prior last).
  std::vector<std::vector<double>> categorical(std::size_t k) const;

 private:
  struct Dim {
    std::size_t param = 0;
    Distribution dist;
    double low = 0, high = 0, q = 0;  // transformed bounds; q > 0 for discrete numerical dims
    std::vector<double> mus, sigmas;
    std::vector<double> log_mass;  // log of each kernel's mass inside [low, high] (discrete dims; continuous
                                   // ones compute it in log_pdf: kernel_log_mass)
    // Continuous dims (q = 0): 1/σ_i and −log σ_i − log √(2π) − log_mass_i, for log_pdf_many.
    std::vector<double> inv_sigma, log_norm;
    // Categorical dims: kernel i's probabilities are rows[row_of[i]·C .. +C). A kernel depends only on its
    // observed choice, so kernels that saw the same choice share one row (prior last): O(n + C²) memory
    // instead of O(n C).
    std::vector<std::uint32_t> row_of;
    std::vector<double> rows;
  };
  double kernel_log_mass(const Dim& d, std::size_t i) const;  // log mass of kernel i inside [low, high]
  double transform(const Dim& d, double x) const;
  double untransform(const Dim& d, double t) const;

  std::vector<Dim> dims_;
  std::vector<double> weights_;
  std::vector<double> log_weights_;
  std::vector<double> base_;  // log_weights_ + Σ log_norm over the continuous dims (log_pdf_many)
};

}  // namespace actlab::search
