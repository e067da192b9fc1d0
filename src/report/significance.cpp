#include "report/significance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

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

double quantile(std::span<const double> v, double q) {
  if (v.empty() || !(q >= 0 && q <= 1)) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> s(v.begin(), v.end());
  std::sort(s.begin(), s.end());
  const double h = q * static_cast<double>(s.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= s.size()) return s.back();
  const double frac = h - static_cast<double>(lo);
  if (frac == 0) return s[lo];
  return s[lo] + frac * (s[lo + 1] - s[lo]);
}

std::pair<double, double> bootstrap_median_ci(std::span<const double> v, const BootstrapOptions& o) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (v.empty() || o.resamples < 1 || !(o.level > 0 && o.level < 1)) return {nan, nan};
  Rng rng(o.seed);
  std::vector<double> medians(static_cast<std::size_t>(o.resamples)), sample(v.size());
  for (double& m : medians) {
    for (double& x : sample) x = v[rng.below(v.size())];
    m = median_inplace(sample.data(), sample.size());
  }
  const double tail = (1 - o.level) / 2;
  return {quantile(medians, tail), quantile(medians, 1 - tail)};
}

double paired_permutation_test(std::span<const double> x, std::span<const double> y, const PairedOptions& o) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (x.size() != y.size() || x.empty()) return nan;
  const std::size_t n = x.size();
  std::vector<double> d(n);
  for (std::size_t i = 0; i < n; ++i) {
    d[i] = x[i] - y[i];
    if (!std::isfinite(d[i])) return nan;
  }
  double total = 0;
  for (double v : d) total += v;
  const double observed = std::abs(total);
  if (static_cast<int>(n) <= o.exact_max_n && n < 63) {
    // Every sign pattern: bit i of `mask` set flips d[i].
    const std::uint64_t patterns = std::uint64_t{1} << n;
    std::uint64_t count = 0;
    for (std::uint64_t mask = 0; mask < patterns; ++mask) {
      double s = 0;
      for (std::size_t i = 0; i < n; ++i) s += (mask >> i & 1) ? -d[i] : d[i];
      if (at_least(std::abs(s), observed)) ++count;
    }
    return static_cast<double>(count) / static_cast<double>(patterns);
  }
  if (o.rounds < 1) return nan;
  Rng rng(o.seed);
  std::int64_t count = 0;
  for (int r = 0; r < o.rounds; ++r) {
    double s = 0;
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 64 == 0) bits = rng.next();
      s += (bits & 1) ? -d[i] : d[i];
      bits >>= 1;
    }
    if (at_least(std::abs(s), observed)) ++count;
  }
  return static_cast<double>(1 + count) / static_cast<double>(1 + o.rounds);
}

namespace {

// Average ranks (1-based) of v, ties sharing the mean of their positions.
std::vector<double> average_ranks(std::span<const double> v) {
  const std::size_t n = v.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(n);
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j + 1 < n && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  if (saa == 0 || sbb == 0) return std::numeric_limits<double>::quiet_NaN();
  return sab / std::sqrt(saa * sbb);
}

}  // namespace

double spearman(std::span<const double> x, std::span<const double> y) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (x.size() != y.size() || x.size() < 2) return nan;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) return nan;
  return pearson(average_ranks(x), average_ranks(y));
}

double spearman_permutation_test(std::span<const double> x, std::span<const double> y, const RankOptions& o) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double rho = spearman(x, y);
  if (!std::isfinite(rho)) return nan;
  const std::vector<double> rx = average_ranks(x);
  std::vector<double> ry = average_ranks(y);
  const double observed = std::abs(rho);
  const std::size_t n = x.size();
  if (static_cast<int>(n) <= o.exact_max_n) {
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::vector<double> py(n);
    std::uint64_t count = 0, total = 0;
    do {
      for (std::size_t i = 0; i < n; ++i) py[i] = ry[perm[i]];
      if (at_least(std::abs(pearson(rx, py)), observed)) ++count;
      ++total;
    } while (std::next_permutation(perm.begin(), perm.end()));
    return static_cast<double>(count) / static_cast<double>(total);
  }
  if (o.rounds < 1) return nan;
  Rng rng(o.seed);
  std::int64_t count = 0;
  for (int r = 0; r < o.rounds; ++r) {
    for (std::size_t i = n - 1; i > 0; --i) std::swap(ry[i], ry[rng.next() % (i + 1)]);
    if (at_least(std::abs(pearson(rx, ry)), observed)) ++count;
  }
  return static_cast<double>(1 + count) / static_cast<double>(1 + o.rounds);
}

std::vector<double> holm(std::span<const double> p) {
  std::vector<double> out(p.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  const double m = static_cast<double>(order.size());
  double running = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(k)) * p[order[k]]));
    out[order[k]] = running;
  }
  return out;
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
