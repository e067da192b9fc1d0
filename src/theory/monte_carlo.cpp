// Finite-width Monte Carlo of the kernel and the four-point vertex (docs/theory.md, "Four-point vertex and
// Monte Carlo").
#include "theory/monte_carlo.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "core/rng.hpp"

namespace actlab::theory {
namespace {

bool finite_nonneg(double x) { return std::isfinite(x) && x >= 0.0; }

}  // namespace

Result<std::vector<MonteCarloLayer>> monte_carlo_kernel(const activations::Activation& act, double C_b,
                                                        double C_W, double K0, int depth,
                                                        const MonteCarloOptions& opt) {
  if (act.row_wise()) return Status::invalid("monte_carlo: " + act.name() + " is row-wise");
  if (!finite_nonneg(C_b) || !finite_nonneg(C_W) || !finite_nonneg(K0))
    return Status::invalid("monte_carlo: C_b, C_W and K0 must be finite and ≥ 0");
  if (depth < 1) return Status::invalid("monte_carlo: depth must be ≥ 1");
  if (opt.width < 1) return Status::invalid("monte_carlo: width must be ≥ 1");
  if (opt.samples < 2) return Status::invalid("monte_carlo: samples must be ≥ 2");
  const int n = opt.width, M = opt.samples;
  const double sb = std::sqrt(C_b), sw = std::sqrt(C_W / n), s0 = std::sqrt(K0);
  // Per layer: K̂ and Ĝ of every network.
  std::vector<std::vector<double>> khat(depth, std::vector<double>(M)), ghat(depth, std::vector<double>(M));
  std::vector<double> z(n), s(n), ds(n), d2s(n), next(n);
  // The compiled kernel writes f, f', f'' (output_count() arrays); only f is used.
  const std::array<double*, 3> outs = {s.data(), ds.data(), d2s.data()};
  int finite_layers = depth;
  for (int k = 0; k < M; ++k) {
    Rng rng = Rng::derive(opt.seed, "theory.monte_carlo", static_cast<std::uint64_t>(k));
    for (int i = 0; i < n; ++i) z[i] = s0 * rng.normal();
    for (int l = 0; l < depth; ++l) {
      if (l > 0) {
        act.kernel().eval(std::span<const double>(z), std::span<double* const>(outs));
        double sum = 0.0;
        for (int j = 0; j < n; ++j) sum += s[j] * s[j];
        ghat[l][k] = C_b + C_W * sum / n;
        for (int i = 0; i < n; ++i) {
          double acc = 0.0;
          for (int j = 0; j < n; ++j) acc += rng.normal() * s[j];
          next[i] = sb * rng.normal() + sw * acc;
        }
        z.swap(next);
      } else {
        ghat[0][k] = K0;
      }
      double sum = 0.0;
      for (int i = 0; i < n; ++i) sum += z[i] * z[i];
      khat[l][k] = sum / n;
      if (!std::isfinite(khat[l][k]) || !std::isfinite(ghat[l][k])) {
        finite_layers = std::min(finite_layers, l);
        break;
      }
    }
  }
  std::vector<MonteCarloLayer> out;
  for (int l = 0; l < finite_layers; ++l) {
    MonteCarloLayer row;
    row.l = l + 1;
    double mk = 0.0, mg = 0.0;
    for (int k = 0; k < M; ++k) {
      mk += khat[l][k];
      mg += ghat[l][k];
    }
    mk /= M;
    mg /= M;
    double vk = 0.0, m2 = 0.0, m3 = 0.0, m4 = 0.0;
    for (int k = 0; k < M; ++k) {
      const double dk = khat[l][k] - mk, dg = ghat[l][k] - mg;
      vk += dk * dk;
      m2 += dg * dg;
      m3 += dg * dg * dg;
      m4 += dg * dg * dg * dg;
    }
    row.K = mk;
    row.K_se = std::sqrt(vk / (M - 1) / M);
    const double s2 = m2 / (M - 1);
    m2 /= M;
    m3 /= M;
    m4 /= M;
    row.V_over_K2 = mg > 0.0 ? n * s2 / (mg * mg) : 0.0;
    if (s2 > 0.0 && mg > 0.0) {
      const double var_log = ((m4 - m2 * m2) / (m2 * m2) + 4.0 * m2 / (mg * mg) - 4.0 * m3 / (m2 * mg)) / M;
      row.V_over_K2_se = row.V_over_K2 * std::sqrt(std::max(0.0, var_log));
    }
    out.push_back(row);
  }
  return out;
}

Result<std::vector<MonteCarloCorrelation>> monte_carlo_correlation(const activations::Activation& act,
                                                                   double C_b, double C_W, double K0,
                                                                   double c0, int depth,
                                                                   const MonteCarloOptions& opt) {
  if (act.row_wise()) return Status::invalid("monte_carlo: " + act.name() + " is row-wise");
  if (!finite_nonneg(C_b) || !finite_nonneg(C_W) || !finite_nonneg(K0))
    return Status::invalid("monte_carlo: C_b, C_W and K0 must be finite and ≥ 0");
  if (!(std::abs(c0) <= 1.0)) return Status::invalid("monte_carlo: c0 must be in [-1, 1]");
  if (depth < 1) return Status::invalid("monte_carlo: depth must be ≥ 1");
  if (opt.width < 1) return Status::invalid("monte_carlo: width must be ≥ 1");
  if (opt.samples < 2) return Status::invalid("monte_carlo: samples must be ≥ 2");
  const int n = opt.width, M = opt.samples;
  const double sb = std::sqrt(C_b), sw = std::sqrt(C_W / n), s0 = std::sqrt(K0), r = std::sqrt(1 - c0 * c0);
  std::vector<std::vector<double>> chat(depth, std::vector<double>(M));
  std::vector<double> za(n), zb(n), sa(n), sb_(n), d1(n), d2(n), na(n), nb(n);
  const std::array<double*, 3> outs_a = {sa.data(), d1.data(), d2.data()};
  const std::array<double*, 3> outs_b = {sb_.data(), d1.data(), d2.data()};
  int finite_layers = depth;
  for (int k = 0; k < M; ++k) {
    Rng rng = Rng::derive(opt.seed, "theory.monte_carlo.pair", static_cast<std::uint64_t>(k));
    for (int i = 0; i < n; ++i) {
      const double u = rng.normal(), v = rng.normal();
      za[i] = s0 * u;
      zb[i] = s0 * (c0 * u + r * v);
    }
    for (int l = 0; l < depth; ++l) {
      if (l > 0) {
        act.kernel().eval(std::span<const double>(za), std::span<double* const>(outs_a));
        act.kernel().eval(std::span<const double>(zb), std::span<double* const>(outs_b));
        for (int i = 0; i < n; ++i) {
          double acc_a = 0.0, acc_b = 0.0;
          for (int j = 0; j < n; ++j) {
            const double w = rng.normal();
            acc_a += w * sa[j];
            acc_b += w * sb_[j];
          }
          const double b = sb * rng.normal();
          na[i] = b + sw * acc_a;
          nb[i] = b + sw * acc_b;
        }
        za.swap(na);
        zb.swap(nb);
      }
      double ab = 0.0, aa = 0.0, bb = 0.0;
      for (int i = 0; i < n; ++i) {
        ab += za[i] * zb[i];
        aa += za[i] * za[i];
        bb += zb[i] * zb[i];
      }
      chat[l][k] = ab / std::sqrt(aa * bb);
      if (!std::isfinite(chat[l][k])) {
        finite_layers = std::min(finite_layers, l);
        break;
      }
    }
  }
  std::vector<MonteCarloCorrelation> out;
  for (int l = 0; l < finite_layers; ++l) {
    double m = 0.0, v = 0.0;
    for (int k = 0; k < M; ++k) m += chat[l][k];
    m /= M;
    for (int k = 0; k < M; ++k) v += (chat[l][k] - m) * (chat[l][k] - m);
    out.push_back({l + 1, m, std::sqrt(v / (M - 1) / M)});
  }
  return out;
}

}  // namespace actlab::theory
