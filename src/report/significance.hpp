// Permutation tests on a difference of medians, as Sipper's à-la-carte protocol reports them
// (Sipper, arXiv 2206.12166; docs/search.md, "Sources"; mlxtend.evaluate.permutation_test).
//
//   std::vector<double> a = {0.93, 0.95, 0.97}, b = {0.90, 0.91, 0.93};
//   double p = permutation_test(a, b, {.rounds = 10000, .seed = 1});   // approximate, seeded
//   double q = permutation_test_exact(a, b);                           // every split of the pooled values
//
// Statistic: t(x, y) = |median(x) − median(y)|. Pool x and y; each round deals the pool into a group of
// |x| values and one of |y| values and counts the rounds with t ≥ t_observed (numpy.isclose tolerance,
// rtol 1e-5, atol 1e-8, as mlxtend does). Approximate: p = count / rounds over uniformly random shuffles
// (mlxtend's method="approximate"). Exact: p = count / C(|x|+|y|, |x|) over every subset of positions
// (mlxtend's method="exact").
//
// For `actlab compare` (docs/lab.md, "compare"): order statistics, a percentile bootstrap CI of the median,
// a paired sign-flip permutation test and Holm's step-down adjustment.
//
//   double iqr = quantile(v, 0.75) - quantile(v, 0.25);                // numpy.percentile's "linear"
//   auto [lo, hi] = bootstrap_median_ci(v, {.resamples = 10000, .level = 0.95, .seed = 1});
//   double p = paired_permutation_test(arm, baseline);                  // exact for n <= 20
//   std::vector<double> adjusted = holm({0.01, 0.04, 0.03});           // {0.03, 0.06, 0.06}
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace actlab::report {

// The median (mean of the two middle values for an even count); NaN for an empty sample.
double median(std::span<const double> v);

struct PermutationOptions {
  int rounds = 10000;
  std::uint64_t seed = 0;
};

// NaN when either sample is empty.
double permutation_test(std::span<const double> x, std::span<const double> y,
                        const PermutationOptions& options = {});
// Enumerates C(n, |x|) splits: keep |x| + |y| ≤ 24 or so.
double permutation_test_exact(std::span<const double> x, std::span<const double> y);

// The q-quantile (0 <= q <= 1) with linear interpolation between order statistics: numpy.percentile's
// default ("linear", Hyndman & Fan type 7). NaN for an empty sample or q outside [0, 1].
double quantile(std::span<const double> v, double q);

// Percentile bootstrap of the median (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993, §13.3):
// `resamples` samples of n values drawn with replacement (seeded), the median of each, and the
// (1 − level)/2 and (1 + level)/2 quantiles (as quantile() above) of those medians. {NaN, NaN} for an empty
// sample or resamples < 1.
struct BootstrapOptions {
  int resamples = 10000;
  double level = 0.95;
  std::uint64_t seed = 0;
};
std::pair<double, double> bootstrap_median_ci(std::span<const double> v,
                                              const BootstrapOptions& options = {});

// Paired permutation test of x against y (pairs x[i], y[i]; Good, "Permutation, Parametric and Bootstrap
// Tests of Hypotheses", 2005, §3.6): the differences d = x − y, the statistic |Σ d|, and under the null
// hypothesis every sign pattern of d equally likely. Two-sided p = the share of sign patterns with
// |Σ ±d| ≥ |Σ d| (numpy.isclose tolerance, as above). Exact (all 2^n patterns) when n ≤ exact_max_n;
// otherwise `rounds` seeded random patterns and p = (1 + count) / (1 + rounds) (Phipson & Smyth 2010: never
// 0). NaN when the sizes differ, a sample is empty or a difference is not finite.
struct PairedOptions {
  int exact_max_n = 20;
  int rounds = 100000;
  std::uint64_t seed = 0;
};
double paired_permutation_test(std::span<const double> x, std::span<const double> y,
                               const PairedOptions& options = {});

// Holm's step-down adjustment (Holm 1979) of m p-values: sort ascending, p_(i) ← min(1, (m − i + 1) p_(i))
// (i from 1), then a running maximum, back in the input order. NaN entries stay NaN and do not count in m.
std::vector<double> holm(std::span<const double> p);

// Spearman's rank correlation ρ of pairs (x[i], y[i]): Pearson's correlation of the ranks, ties sharing
// their average rank (scipy.stats.spearmanr). NaN with fewer than 2 pairs, a non-finite value, or a sample
// whose values are all equal.
double spearman(std::span<const double> x, std::span<const double> y);

// Two-sided permutation p-value of ρ: the share of pairings of y with x whose |ρ| ≥ |ρ observed| (numpy
// isclose tolerance). Exact (every one of the n! orders of y) for n ≤ exact_max_n, else `rounds` seeded
// random orders and p = (1 + count) / (1 + rounds). scipy.stats.permutation_test(..., permutation_type=
// "pairings") computes the same exact value. NaN where ρ is.
struct RankOptions {
  int exact_max_n = 8;
  int rounds = 20000;
  std::uint64_t seed = 0;
};
double spearman_permutation_test(std::span<const double> x, std::span<const double> y,
                                 const RankOptions& options = {});

// Sipper's marks: "!!" for p < 0.001, "!" for p < 0.05, "" otherwise (and for NaN).
const char* significance_mark(double p);

// One method against a baseline over n problems ("beats ReLU on k of n"): problem i is a win when
// score[i] > baseline[i], a tie when equal, a loss when lower, and none of these when either is NaN (no
// result). A win or loss is significant when p[i] < alpha.
struct WinsTiesLosses {
  int wins = 0, ties = 0, losses = 0;
  int significant_wins = 0, significant_losses = 0;
  int no_result = 0;
};
WinsTiesLosses wins_ties_losses(std::span<const double> score, std::span<const double> baseline,
                                std::span<const double> p, double alpha = 0.05);

}  // namespace actlab::report
