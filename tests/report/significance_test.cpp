// Permutation tests on medians: the exact enumeration against a brute force over every ordering of the
// pooled values, and the seeded approximation against the exact p-value.
#include "report/significance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "support/golden.hpp"

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

// ---- compare's statistics against tests/golden/compare_stats.json (tools/gen_compare_golden.py: numpy,
// a brute force over sign patterns cross-checked with scipy.stats.permutation_test, and the exact bootstrap
// distribution of the median).

std::vector<double> doubles(const Json& j) { return j.get<std::vector<double>>(); }

TEST(CompareStats, QuantilesMatchNumpyPercentile) {
  const Json g = testing::read_golden("compare_stats.json");
  ASSERT_FALSE(g["quantiles"].empty());
  for (const Json& c : g["quantiles"]) {
    const auto v = doubles(c["values"]);
    EXPECT_NEAR(median(v), c["median"].get<double>(), 1e-12);
    EXPECT_NEAR(quantile(v, 0.5), c["median"].get<double>(), 1e-12);
    EXPECT_NEAR(quantile(v, 0.25), c["q25"].get<double>(), 1e-12);
    EXPECT_NEAR(quantile(v, 0.75), c["q75"].get<double>(), 1e-12);
    EXPECT_NEAR(quantile(v, 0.10), c["q10"].get<double>(), 1e-12);
  }
  EXPECT_TRUE(std::isnan(quantile(std::vector<double>{}, 0.5)));
  EXPECT_TRUE(std::isnan(quantile(std::vector<double>{1.0}, 1.5)));
}

TEST(CompareStats, ExactPairedPermutationMatchesBruteForce) {
  const Json g = testing::read_golden("compare_stats.json");
  ASSERT_EQ(g["paired"].size(), 6u);
  for (const Json& c : g["paired"]) {
    const auto x = doubles(c["x"]), y = doubles(c["y"]);
    EXPECT_NEAR(paired_permutation_test(x, y), c["p"].get<double>(), 1e-12) << c.dump();
    // The test is symmetric in its two samples.
    EXPECT_NEAR(paired_permutation_test(y, x), c["p"].get<double>(), 1e-12) << c.dump();
  }
}

TEST(CompareStats, MonteCarloPairedPermutationApproachesTheExactValue) {
  const Json g = testing::read_golden("compare_stats.json");
  for (const Json& c : g["paired"]) {
    const auto x = doubles(c["x"]), y = doubles(c["y"]);
    const double exact = c["p"].get<double>();
    const PairedOptions mc{.exact_max_n = 0, .rounds = 20000, .seed = 5};
    const double p = paired_permutation_test(x, y, mc);
    // Binomial standard error of a share of 20000 draws is at most 0.0036; allow 5 of them.
    EXPECT_NEAR(p, exact, 0.018) << c.dump();
    EXPECT_GT(p, 0.0);                                // (1 + count) / (1 + rounds)
    EXPECT_EQ(p, paired_permutation_test(x, y, mc));  // seeded
  }
}

TEST(CompareStats, PairedPermutationEdges) {
  const std::vector<double> a = {1, 2, 3}, b = {1, 2};
  EXPECT_TRUE(std::isnan(paired_permutation_test(a, b)));
  EXPECT_TRUE(std::isnan(paired_permutation_test(std::vector<double>{}, std::vector<double>{})));
  const std::vector<double> inf = {1, 2, std::numeric_limits<double>::infinity()};
  EXPECT_TRUE(std::isnan(paired_permutation_test(inf, a)));
  // Five pairs all in one direction: only the observed pattern and its mirror reach |sum|: p = 2/32.
  const std::vector<double> up = {2, 3, 4, 5, 6}, down = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(paired_permutation_test(up, down), 2.0 / 32.0);
}

TEST(CompareStats, HolmMatchesTheStepDownDefinition) {
  const Json g = testing::read_golden("compare_stats.json");
  ASSERT_FALSE(g["holm"].empty());
  for (const Json& c : g["holm"]) {
    const auto adjusted = holm(doubles(c["p"]));
    const auto want = doubles(c["adjusted"]);
    ASSERT_EQ(adjusted.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(adjusted[i], want[i]) << c.dump() << " at " << i;
  }
  // NaN entries are left out of m and stay NaN.
  const std::vector<double> with_nan = {0.01, std::nan(""), 0.04};
  const auto h = holm(with_nan);
  EXPECT_DOUBLE_EQ(h[0], 0.02);
  EXPECT_TRUE(std::isnan(h[1]));
  EXPECT_DOUBLE_EQ(h[2], 0.04);
  EXPECT_TRUE(holm(std::vector<double>{}).empty());
}

TEST(CompareStats, BootstrapIntervalWithinTheExactBootstrapQuantiles) {
  const Json g = testing::read_golden("compare_stats.json");
  ASSERT_FALSE(g["bootstrap"].empty());
  for (const Json& c : g["bootstrap"]) {
    const auto v = doubles(c["values"]);
    const BootstrapOptions o{.resamples = 10000, .level = c["level"].get<double>(), .seed = 3};
    const auto [lo, hi] = bootstrap_median_ci(v, o);
    // The Monte Carlo 2.5% and 97.5% points lie between the exact distribution's 1.5%/3.5% and
    // 96.5%/98.5% points (the empirical share at 2.5% has a standard error of 0.0016 at 10000 resamples).
    EXPECT_GE(lo, c["lo_range"][0].get<double>()) << c.dump();
    EXPECT_LE(lo, c["lo_range"][1].get<double>()) << c.dump();
    EXPECT_GE(hi, c["hi_range"][0].get<double>()) << c.dump();
    EXPECT_LE(hi, c["hi_range"][1].get<double>()) << c.dump();
    EXPECT_LE(lo, median(v));
    EXPECT_GE(hi, median(v));
    const auto again = bootstrap_median_ci(v, o);
    EXPECT_EQ(again.first, lo);
    EXPECT_EQ(again.second, hi);
  }
  const auto one = bootstrap_median_ci(std::vector<double>{0.7, 0.7, 0.7});
  EXPECT_EQ(one.first, 0.7);
  EXPECT_EQ(one.second, 0.7);
  EXPECT_TRUE(std::isnan(bootstrap_median_ci(std::vector<double>{}).first));
}

// Spearman's rho against scipy.stats.spearmanr, and its permutation p-value against scipy's
// permutation_test(permutation_type="pairings"): exact for n <= 8, Monte Carlo (both sides) above.
TEST(CompareStats, SpearmanMatchesScipy) {
  const Json g = testing::read_golden("compare_stats.json");
  ASSERT_FALSE(g["spearman"].empty());
  for (const Json& c : g["spearman"]) {
    const auto x = doubles(c["x"]);
    const auto y = doubles(c["y"]);
    EXPECT_NEAR(spearman(x, y), c["rho"].get<double>(), 1e-12) << c.dump();
    const double p = spearman_permutation_test(x, y, {.exact_max_n = 8, .rounds = 20000, .seed = 1});
    if (c["exact"].get<bool>()) {
      EXPECT_NEAR(p, c["p"].get<double>(), 1e-12) << c.dump();
    } else {
      EXPECT_NEAR(p, c["p"].get<double>(), 0.015) << c.dump();
    }
  }
  // Degenerate samples: too few pairs, a constant sample, a non-finite value.
  EXPECT_TRUE(std::isnan(spearman(std::vector<double>{1}, std::vector<double>{2})));
  EXPECT_TRUE(std::isnan(spearman(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3})));
  EXPECT_TRUE(std::isnan(spearman(std::vector<double>{1, 2, std::nan("")}, std::vector<double>{1, 2, 3})));
  EXPECT_DOUBLE_EQ(spearman(std::vector<double>{1, 2, 3, 4}, std::vector<double>{10, 20, 30, 40}), 1.0);
}

}  // namespace
}  // namespace actlab::report
