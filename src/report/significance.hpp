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
#pragma once

#include <cstdint>
#include <span>
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
