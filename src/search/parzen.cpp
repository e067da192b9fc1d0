#include "search/parzen.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>

namespace actlab::search {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kLogSqrt2Pi = 0.5 * std::log(2.0 * M_PI);

double ndtr(double a) {
  const double x = a / std::sqrt(2.0);
  if (x < -1 / std::sqrt(2.0)) return 0.5 * std::erfc(-x);
  if (x < 1 / std::sqrt(2.0)) return 0.5 + 0.5 * std::erf(x);
  return 1.0 - 0.5 * std::erfc(x);
}

// log(p − q) from log p ≥ log q.
double log_diff(double log_p, double log_q) { return log_p + std::log1p(-std::exp(log_q - log_p)); }

// A draw from N(mu, sigma²) truncated to [lo, hi] by rejection. mu lies inside [lo, hi] and sigma ≤ hi − lo
// is at least (hi − lo)/100, so at least ~34% of the draws are accepted; the clip after 1000 misses is a
// guard that never triggers in practice.
double truncated_normal(Rng& rng, double mu, double sigma, double lo, double hi) {
  for (int i = 0; i < 1000; ++i) {
    const double x = mu + sigma * rng.normal();
    if (x >= lo && x <= hi) return x;
  }
  return std::clamp(mu, lo, hi);
}

double logsumexp(const std::vector<double>& v) {
  double m = -kInf;
  for (double x : v) m = std::max(m, x);
  if (!std::isfinite(m)) return m;
  double s = 0;
  for (double x : v) s += std::exp(x - m);
  return m + std::log(s);
}

// The ramp for the n observations, then the prior, normalised.
std::vector<double> mixture_weights(std::size_t n, double prior_weight) {
  std::vector<double> w = default_weights(static_cast<int>(n));
  w.push_back(prior_weight);
  const double total = std::accumulate(w.begin(), w.end(), 0.0);
  for (double& x : w) x /= total;
  return w;
}

}  // namespace

double log_ndtr(double a) {
  if (a > 6) return -ndtr(-a);  // log(1 − ε) ≈ −ε
  if (a > -20) return std::log(ndtr(a));
  // Asymptotic series: Φ(a) = φ(a)/(−a) · (1 − 1/a² + 3/a⁴ − 15/a⁶ ...).
  const double log_lhs = -0.5 * a * a - std::log(-a) - kLogSqrt2Pi;
  double last = 0.0, rhs = 1.0, numerator = 1.0, denom = 1.0, sign = 1;
  const double denom_cons = 1 / (a * a);
  for (int i = 1; std::fabs(last - rhs) > DBL_EPSILON && i < 100; ++i) {
    last = rhs;
    sign = -sign;
    denom *= denom_cons;
    numerator *= 2 * i - 1;
    rhs += sign * numerator * denom;
  }
  return log_lhs + std::log(rhs);
}

double log_gauss_mass(double a, double b) {
  if (b <= 0) return log_diff(log_ndtr(b), log_ndtr(a));
  if (a > 0) return log_diff(log_ndtr(-a), log_ndtr(-b));
  return std::log1p(-ndtr(a) - ndtr(-b));
}

int default_gamma(int n) { return std::min(static_cast<int>(std::ceil(0.1 * n)), 25); }

std::vector<double> default_weights(int n) {
  if (n <= 0) return {};
  if (n < 25) return std::vector<double>(n, 1.0);
  std::vector<double> w(n, 1.0);
  const int ramp = n - 25;  // numpy.linspace(1/n, 1, ramp)
  for (int i = 0; i < ramp; ++i) {
    w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
  }
  return w;
}

std::vector<double> categorical_log_pmf(std::size_t n_choices, const std::vector<double>& observations,
                                        const ParzenOptions& options) {
  const std::size_t n = observations.size(), C = n_choices;
  const std::vector<double> w = mixture_weights(n, options.prior_weight);
  std::vector<double> l(C, 0.0);
  double w_obs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    l[static_cast<std::size_t>(observations[i])] += w[i];
    w_obs += w[i];
  }
  const double fill = options.prior_weight / static_cast<double>(n + 1);
  const double scale = 1.0 / (1.0 + static_cast<double>(C) * fill);
  const double base = fill * w_obs * scale + w[n] / static_cast<double>(C);
  for (double& x : l) x = std::log(x * scale + base);
  return l;
}

ParzenEstimator::ParzenEstimator(const Space& space, std::vector<std::size_t> dims,
                                 const std::vector<std::vector<double>>& observations,
                                 const ParzenOptions& options) {
  const std::size_t n = observations.empty() ? 0 : observations[0].size();
  weights_ = mixture_weights(n, options.prior_weight);
  log_weights_.resize(weights_.size());
  for (std::size_t i = 0; i < weights_.size(); ++i) log_weights_[i] = std::log(weights_[i]);

  const double sigma0 =
      0.2 * std::pow(static_cast<double>(std::max<std::size_t>(n, 1)), -1.0 / (dims.size() + 4.0));
  for (std::size_t k = 0; k < dims.size(); ++k) {
    Dim d;
    d.param = dims[k];
    d.dist = space[dims[k]].dist;
    const std::vector<double>& obs = observations[k];
    if (d.dist.kind == ParamKind::kCategorical) {
      const std::size_t C = d.dist.n_choices();
      const double fill = options.prior_weight / static_cast<double>(n + 1);
      // Row of choice c (c = C: the prior's): fill everywhere, + 1 at c, divided by its sum.
      auto add_row = [&](std::size_t c) {
        const std::size_t at = d.rows.size();
        d.rows.resize(at + C, fill);
        const auto row = d.rows.begin() + static_cast<std::ptrdiff_t>(at);
        if (c < C) row[static_cast<std::ptrdiff_t>(c)] += 1.0;
        const double s = std::accumulate(row, row + static_cast<std::ptrdiff_t>(C), 0.0);
        for (auto p = row; p != row + static_cast<std::ptrdiff_t>(C); ++p) *p /= s;
        return static_cast<std::uint32_t>(at / C);
      };
      std::vector<std::uint32_t> row_of_choice(C, UINT32_MAX);
      d.row_of.resize(n + 1);
      for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<std::size_t>(obs[i]);
        if (row_of_choice[c] == UINT32_MAX) row_of_choice[c] = add_row(c);
        d.row_of[i] = row_of_choice[c];
      }
      d.row_of[n] = add_row(C);
      dims_.push_back(std::move(d));
      continue;
    }
    // Transformed domain.
    if (d.dist.log) {
      const double pad = d.dist.kind == ParamKind::kInt ? 0.5 : 0.0;
      d.low = std::log(d.dist.low - pad);
      d.high = std::log(d.dist.high + pad);
    } else if (d.dist.step > 0) {
      d.q = d.dist.step;
      d.low = d.dist.low - 0.5 * d.q;
      d.high = d.dist.high + 0.5 * d.q;
    } else {
      d.low = d.dist.low;
      d.high = d.dist.high;
    }
    const double range = d.high - d.low;
    d.mus.resize(n + 1);
    for (std::size_t i = 0; i < n; ++i) d.mus[i] = transform(d, obs[i]);
    d.mus[n] = 0.5 * (d.low + d.high);
    d.sigmas.assign(n + 1, 0.0);
    if (options.multivariate) {
      std::fill(d.sigmas.begin(), d.sigmas.end(), sigma0 * range);
    } else {
      // Neighbour distances among the sorted centres (prior included) with low and high as end points.
      // (centre, index) pairs sorted lexicographically: the order of a stable sort by centre, without the
      // indirection of sorting indices through a comparator.
      std::vector<std::pair<double, std::size_t>> by_mu(n + 1);
      for (std::size_t i = 0; i <= n; ++i) by_mu[i] = {d.mus[i], i};
      std::sort(by_mu.begin(), by_mu.end());
      std::vector<std::size_t> order(n + 1);
      for (std::size_t i = 0; i <= n; ++i) order[i] = by_mu[i].second;
      std::vector<double> s(n + 3);
      s[0] = d.low;
      for (std::size_t i = 0; i <= n; ++i) s[i + 1] = by_mu[i].first;
      s[n + 2] = d.high;
      std::vector<double> sorted_sigma(n + 1);
      for (std::size_t i = 0; i <= n; ++i) sorted_sigma[i] = std::max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
      if (!options.consider_endpoints && s.size() >= 4) {
        sorted_sigma[0] = s[2] - s[1];
        sorted_sigma[n] = s[n + 1] - s[n];
      }
      for (std::size_t i = 0; i <= n; ++i) d.sigmas[order[i]] = sorted_sigma[i];
    }
    const double max_sigma = range;
    const double min_sigma =
        options.consider_magic_clip ? range / std::min(100.0, 1.0 + static_cast<double>(n + 1)) : 1e-12;
    for (double& sg : d.sigmas) sg = std::clamp(sg, min_sigma, max_sigma);
    d.sigmas[n] = range;  // the prior kernel
    if (d.q > 0) {
      d.log_mass.resize(n + 1);
      for (std::size_t i = 0; i <= n; ++i) d.log_mass[i] = kernel_log_mass(d, i);
    } else {
      // log_pdf_many's constants. A kernel more than 9 σ inside both bounds has log mass −(Φ(a) + Φ(−b))
      // with Φ(−9) ≈ 1.1e-19: 0 to far below log_pdf_tolerance, without the two erfc calls (most kernels late
      // in a study, where they cluster with σ near its clip). log_pdf computes the exact masses itself.
      d.inv_sigma.resize(n + 1);
      d.log_norm.resize(n + 1);
      for (std::size_t i = 0; i <= n; ++i) {
        const double a = (d.low - d.mus[i]) / d.sigmas[i], b = (d.high - d.mus[i]) / d.sigmas[i];
        d.inv_sigma[i] = 1.0 / d.sigmas[i];
        d.log_norm[i] = -std::log(d.sigmas[i]) - kLogSqrt2Pi - (a < -9 && b > 9 ? 0.0 : log_gauss_mass(a, b));
      }
    }
    dims_.push_back(std::move(d));
  }
  // log_pdf_many's starting point: the log weights plus every continuous dim's constants.
  base_ = log_weights_;
  for (const Dim& d : dims_) {
    for (std::size_t k = 0; k < d.log_norm.size(); ++k) base_[k] += d.log_norm[k];
  }
}

std::vector<std::vector<double>> ParzenEstimator::categorical(std::size_t k) const {
  const Dim& d = dims_[k];
  const std::size_t C = d.dist.n_choices();
  std::vector<std::vector<double>> out;
  for (std::uint32_t r : d.row_of) out.emplace_back(d.rows.begin() + r * C, d.rows.begin() + (r + 1) * C);
  return out;
}

double ParzenEstimator::kernel_log_mass(const Dim& d, std::size_t i) const {
  return log_gauss_mass((d.low - d.mus[i]) / d.sigmas[i], (d.high - d.mus[i]) / d.sigmas[i]);
}

double ParzenEstimator::transform(const Dim& d, double x) const { return d.dist.log ? std::log(x) : x; }

double ParzenEstimator::untransform(const Dim& d, double t) const {
  const Distribution& dist = d.dist;
  if (dist.kind == ParamKind::kFloat) {
    if (dist.log) return std::clamp(std::exp(t), dist.low, dist.high);
    if (dist.step > 0)
      return std::clamp(std::round((t - dist.low) / d.q) * d.q + dist.low, dist.low, dist.high);
    return t;
  }
  if (dist.log) return std::clamp(std::round(std::exp(t)), dist.low, dist.high);
  return std::clamp(std::round((t - dist.low) / d.q) * d.q + dist.low, dist.low, dist.high);
}

std::vector<std::vector<double>> ParzenEstimator::sample(Rng& rng, int n) const {
  std::vector<std::vector<double>> out(n, std::vector<double>(dims_.size()));
  for (int s = 0; s < n; ++s) {
    // Kernel index by the mixture weights (one shared index across dims: the product kernel).
    double u = rng.uniform(), acc = 0;
    std::size_t k = weights_.size() - 1;
    for (std::size_t i = 0; i < weights_.size(); ++i) {
      acc += weights_[i];
      if (u < acc) {
        k = i;
        break;
      }
    }
    for (std::size_t j = 0; j < dims_.size(); ++j) {
      const Dim& d = dims_[j];
      if (d.dist.kind == ParamKind::kCategorical) {
        const std::size_t C = d.dist.n_choices();
        const double* row = d.rows.data() + d.row_of[k] * C;
        double v = rng.uniform(), c = 0;
        std::size_t pick = C - 1;
        for (std::size_t i = 0; i < C; ++i) {
          c += row[i];
          if (v < c) {
            pick = i;
            break;
          }
        }
        out[s][j] = static_cast<double>(pick);
      } else {
        out[s][j] = untransform(d, truncated_normal(rng, d.mus[k], d.sigmas[k], d.low, d.high));
      }
    }
  }
  return out;
}

double ParzenEstimator::log_pdf(const std::vector<double>& x) const {
  std::vector<double> comp(log_weights_);
  for (std::size_t j = 0; j < dims_.size(); ++j) {
    const Dim& d = dims_[j];
    if (d.dist.kind == ParamKind::kCategorical) {
      // One log per distinct row, not per kernel.
      const std::size_t C = d.dist.n_choices(), c = static_cast<std::size_t>(x[j]);
      std::vector<double> log_p(d.rows.size() / C);
      for (std::size_t r = 0; r < log_p.size(); ++r) log_p[r] = std::log(d.rows[r * C + c]);
      for (std::size_t k = 0; k < comp.size(); ++k) comp[k] += log_p[d.row_of[k]];
      continue;
    }
    const double t = transform(d, x[j]);
    for (std::size_t k = 0; k < comp.size(); ++k) {
      const double mu = d.mus[k], sg = d.sigmas[k];
      if (d.q > 0) {
        const double hi = std::min(t + 0.5 * d.q, d.high), lo = std::max(t - 0.5 * d.q, d.low);
        comp[k] += log_gauss_mass((lo - mu) / sg, (hi - mu) / sg) - d.log_mass[k];
      } else if (t < d.low || t > d.high) {
        comp[k] = -kInf;
      } else {
        const double z = (t - mu) / sg;
        comp[k] += -0.5 * z * z - kLogSqrt2Pi - std::log(sg) - kernel_log_mass(d, k);
      }
    }
  }
  return logsumexp(comp);
}

double ParzenEstimator::log_pdf_tolerance(double value) const {
  const double terms = static_cast<double>(weights_.size() + dims_.size() + 2);
  return 4096.0 * terms * DBL_EPSILON * (1.0 + std::fabs(value));
}

std::vector<double> ParzenEstimator::log_pdf_many(const std::vector<std::vector<double>>& xs) const {
  using Array = Eigen::ArrayXd;
  using CMap = Eigen::Map<const Array>;
  const auto K = static_cast<Eigen::Index>(weights_.size());
  const CMap base(base_.data(), K);
  std::vector<double> out(xs.size());
  Array comp(K), log_p;
  for (std::size_t s = 0; s < xs.size(); ++s) {
    const std::vector<double>& x = xs[s];
    comp = base;
    bool outside = false;
    for (std::size_t j = 0; j < dims_.size() && !outside; ++j) {
      const Dim& d = dims_[j];
      if (d.dist.kind == ParamKind::kCategorical) {
        const std::size_t C = d.dist.n_choices(), c = static_cast<std::size_t>(x[j]);
        log_p.resize(static_cast<Eigen::Index>(d.rows.size() / C));
        for (Eigen::Index r = 0; r < log_p.size(); ++r) log_p[r] = std::log(d.rows[r * C + c]);
        for (Eigen::Index k = 0; k < K; ++k) comp[k] += log_p[d.row_of[k]];
        continue;
      }
      const double t = transform(d, x[j]);
      if (d.q > 0) {
        const double hi = std::min(t + 0.5 * d.q, d.high), lo = std::max(t - 0.5 * d.q, d.low);
        for (Eigen::Index k = 0; k < K; ++k) {
          const double mu = d.mus[k], sg = d.sigmas[k];
          comp[k] += log_gauss_mass((lo - mu) / sg, (hi - mu) / sg) - d.log_mass[k];
        }
      } else if (t < d.low || t > d.high) {
        outside = true;
      } else {
        const CMap mu(d.mus.data(), K), inv_sigma(d.inv_sigma.data(), K);
        comp -= 0.5 * ((t - mu) * inv_sigma).square();
      }
    }
    if (outside) {
      out[s] = -kInf;
      continue;
    }
    const double m = comp.maxCoeff();
    out[s] = std::isfinite(m) ? m + std::log((comp - m).exp().sum()) : m;
  }
  return out;
}

}  // namespace actlab::search
