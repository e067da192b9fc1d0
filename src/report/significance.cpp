#include "report/significance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/rng.hpp"

namespace actlab::report {
namespace {

// median of v[0, n) (v is reordered).
double median_inplace(double* v, std::size_t n) {
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  std::nth_element(v, v + n / 2, v + n);
  const double hi = v[n / 2];
  if (n % 2 == 1) return hi;
  return 0.5 * (*std::max_element(v, v + n / 2) + hi);
}

double stat(std::vector<double>& pool, std::size_t m, std::vector<double>& scratch) {
  scratch.assign(pool.begin(), pool.end());
  const double a = median_inplace(scratch.data(), m);
  const double b = median_inplace(scratch.data() + m, scratch.size() - m);
  return std::abs(a - b);
}

// numpy.isclose(a, b) with its defaults, or a > b.
bool at_least(double a, double b) { return a > b || std::abs(a - b) <= 1e-8 + 1e-5 * std::abs(b); }

}  // namespace

double median(std::span<const double> v) {
  std::vector<double> c(v.begin(), v.end());
  return median_inplace(c.data(), c.size());
}

double permutation_test(std::span<const double> x, std::span<const double> y, const PermutationOptions& o) {
  if (x.empty() || y.empty() || o.rounds < 1) return std::numeric_limits<double>::quiet_NaN();
  const double observed = std::abs(median(x) - median(y));
  std::vector<double> pool(x.begin(), x.end()), scratch;
  pool.insert(pool.end(), y.begin(), y.end());
  Rng rng(o.seed);
  int count = 0;
  for (int r = 0; r < o.rounds; ++r) {
    for (std::size_t i = pool.size() - 1; i > 0; --i) std::swap(pool[i], pool[rng.below(i + 1)]);
    if (at_least(stat(pool, x.size(), scratch), observed)) ++count;
  }
  return static_cast<double>(count) / o.rounds;
}

double permutation_test_exact(std::span<const double> x, std::span<const double> y) {
  if (x.empty() || y.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double observed = std::abs(median(x) - median(y));
  std::vector<double> all(x.begin(), x.end());
  all.insert(all.end(), y.begin(), y.end());
  const std::size_t n = all.size(), m = x.size();
  // Walk the subsets of m positions in lexicographic order.
  std::vector<std::size_t> idx(m);
  for (std::size_t i = 0; i < m; ++i) idx[i] = i;
  std::vector<double> pool(n), scratch;
  std::vector<char> in(n);
  long long count = 0, total = 0;
  while (true) {
    std::fill(in.begin(), in.end(), 0);
    for (std::size_t i : idx) in[i] = 1;
    std::size_t a = 0, b = m;
    for (std::size_t i = 0; i < n; ++i) pool[in[i] ? a++ : b++] = all[i];
    if (at_least(stat(pool, m, scratch), observed)) ++count;
    ++total;
    std::size_t k = m;
    while (k > 0 && idx[k - 1] == n - m + k - 1) --k;
    if (k == 0) break;
    ++idx[k - 1];
    for (std::size_t i = k; i < m; ++i) idx[i] = idx[i - 1] + 1;
  }
  return static_cast<double>(count) / static_cast<double>(total);
}

const char* significance_mark(double p) {
  if (!(p < 0.05)) return "";
  return p < 0.001 ? "!!" : "!";
}

WinsTiesLosses wins_ties_losses(std::span<const double> score, std::span<const double> baseline,
                                std::span<const double> p, double alpha) {
  WinsTiesLosses w;
  for (std::size_t i = 0; i < score.size() && i < baseline.size(); ++i) {
    const double a = score[i], b = baseline[i];
    if (std::isnan(a) || std::isnan(b)) {
      ++w.no_result;
      continue;
    }
    const bool significant = i < p.size() && p[i] < alpha;
    if (a > b) {
      ++w.wins;
      w.significant_wins += significant;
    } else if (a < b) {
      ++w.losses;
      w.significant_losses += significant;
    } else {
      ++w.ties;
    }
  }
  return w;
}

}  // namespace actlab::report
