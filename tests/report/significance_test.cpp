// Permutation tests on medians: the exact enumeration against a brute force over every ordering of the
// pooled values, and the seeded approximation against the exact p-value.
#include "report/significance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace actlab::report {
namespace {

// Brute force: every permutation of the pool (n! orderings; each split appears m!(n−m)! times).
double brute_force_p(const std::vector<double>& x, const std::vector<double>& y) {
  const double observed = std::abs(median(x) - median(y));
  std::vector<double> pool(x);
  pool.insert(pool.end(), y.begin(), y.end());
  std::vector<std::size_t> perm(pool.size());
  std::iota(perm.begin(), perm.end(), 0);
  long long count = 0, total = 0;
  do {
    std::vector<double> a, b;
    for (std::size_t i = 0; i < perm.size(); ++i) (i < x.size() ? a : b).push_back(pool[perm[i]]);
    const double t = std::abs(median(a) - median(b));
    if (t > observed || std::abs(t - observed) <= 1e-8 + 1e-5 * observed) ++count;
    ++total;
  } while (std::next_permutation(perm.begin(), perm.end()));
  return static_cast<double>(count) / static_cast<double>(total);
}

TEST(Significance, MedianOddEvenEmpty) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(median(std::vector<double>{})));
}

TEST(Significance, ExactMatchesBruteForceOnTinySamples) {
  const std::vector<std::pair<std::vector<double>, std::vector<double>>> cases = {
      {{0.93, 0.95, 0.97}, {0.90, 0.91, 0.93}}, {{1, 2, 3, 4}, {5, 6, 7}},
      {{0.5, 0.5, 0.5}, {0.5, 0.5, 0.6, 0.4}},  // ties: the isclose rule counts equal statistics
      {{0.1, 0.9}, {0.3, 0.35, 0.8, 0.2}},      {{2}, {1, 3, 5, 7}},
  };
  for (const auto& [x, y] : cases) {
    EXPECT_NEAR(permutation_test_exact(x, y), brute_force_p(x, y), 1e-12);
  }
}

TEST(Significance, ApproximateConvergesToExact) {
  const std::vector<double> x = {0.91, 0.95, 0.96, 0.97, 0.93}, y = {0.90, 0.88, 0.93, 0.89, 0.92};
  const double exact = permutation_test_exact(x, y);
  const int rounds = 20000;
  const double approx = permutation_test(x, y, {.rounds = rounds, .seed = 3});
  const double sd = std::sqrt(exact * (1 - exact) / rounds);
  EXPECT_NEAR(approx, exact, 5 * sd + 1e-12) << "exact " << exact;
  // Seeded: the same seed gives the same p.
  EXPECT_EQ(approx, permutation_test(x, y, {.rounds = rounds, .seed = 3}));
}

TEST(Significance, IdenticalSamplesGiveOneAndSeparatedOnesGiveSmallP) {
  const std::vector<double> a = {0.9, 0.9, 0.9, 0.9};
  EXPECT_DOUBLE_EQ(permutation_test_exact(a, a), 1.0);
  std::vector<double> lo(8), hi(8);
  for (int i = 0; i < 8; ++i)
    lo[static_cast<std::size_t>(i)] = 0.1 + 0.01 * i, hi[static_cast<std::size_t>(i)] = 0.9 + 0.01 * i;
  // Separated groups: only splits that leave both middle pairs on their own side reach the observed
  // difference.
  const double exact = permutation_test_exact(lo, hi);
  EXPECT_LT(exact, 0.01);
  EXPECT_NEAR(permutation_test(lo, hi, {.rounds = 10000, .seed = 1}), exact, 0.003);
}

TEST(Significance, EmptyAndMarks) {
  EXPECT_TRUE(std::isnan(permutation_test(std::vector<double>{}, std::vector<double>{1.0})));
  EXPECT_STREQ(significance_mark(0.0005), "!!");
  EXPECT_STREQ(significance_mark(0.01), "!");
  EXPECT_STREQ(significance_mark(0.2), "");
  EXPECT_STREQ(significance_mark(std::nan("")), "");
}

TEST(Significance, WinsTiesLossesCountEachProblemOnce) {
  const double nan = std::nan("");
  const std::vector<double> arm = {0.9, 0.8, 0.7, 0.5, nan, 0.6};
  const std::vector<double> base = {0.8, 0.8, 0.9, 0.6, 0.5, 0.5};
  const std::vector<double> p = {0.01, 1.0, 0.2, 0.001, 0.5, nan};
  const WinsTiesLosses w = wins_ties_losses(arm, base, p);
  EXPECT_EQ(w.wins, 2);  // problems 0 and 5
  EXPECT_EQ(w.ties, 1);
  EXPECT_EQ(w.losses, 2);
  EXPECT_EQ(w.significant_wins, 1);    // problem 0 (problem 5 has no p)
  EXPECT_EQ(w.significant_losses, 1);  // problem 3
  EXPECT_EQ(w.no_result, 1);
  EXPECT_EQ(w.wins + w.ties + w.losses + w.no_result, static_cast<int>(arm.size()));
  EXPECT_EQ(wins_ties_losses(arm, base, p, 0.3).significant_losses, 2);
}

}  // namespace
}  // namespace actlab::report
