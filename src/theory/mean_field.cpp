// Mean-field maps, fixed points and EOC points (docs/theory.md).
#include "theory/mean_field.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "theory/root_find.hpp"

namespace actlab::theory {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// q^l above this counts as diverging.
constexpr double kQDiverge = 1e12;
// With F(0) = 0, q^l below this has fallen into the fixed point q* = 0.
constexpr double kQVanish = 1e-200;
// |F(q) − q| ≤ kResidualTol · max(1, q) counts as a fixed point.
constexpr double kResidualTol = 1e-12;
// |χ₁ − 1| ≤ kChi1Tol counts as the EOC (ξ_c = ∞).
constexpr double kChi1Tol = 1e-10;
// |s(q)| ≤ kHomogeneousTol · q at every grid point: φ is positively homogeneous (R(q) ≡ q; docs/theory.md,
// "The ReLU-like class").
constexpr double kHomogeneousTol = 1e-11;

bool finite_nonneg(double x) { return std::isfinite(x) && x >= 0.0; }

// The EOC point at q (χ₁ = 1 by the choice of σ_w).
EocPoint eoc_point_at(const GaussianIntegrator& g, double sigma_b, double q) {
  const Moments m = g.expect(q);
  EocPoint p;
  p.sigma_b = sigma_b;
  p.q = q;
  const double sw2 = 1.0 / m.dphi2;
  p.sigma_w = std::sqrt(sw2);
  p.chi1 = sw2 * m.dphi2;
  p.slope = sw2 * (m.dphi2 + m.phi_d2phi);
  p.stable = std::abs(p.slope) < 1.0 - kMarginalTol;
  p.marginal = std::abs(std::abs(p.slope) - 1.0) <= kMarginalTol;
  p.beta_q = q * m.d2phi2 / (2.0 * m.dphi2);
  return p;
}

// s(q) = q − E φ²/E φ'² on the log grid (σ_b²(q) along the EOC).
struct EocGrid {
  std::vector<double> q, s;
  bool homogeneous = false;
  Moments at0;
};

EocGrid eoc_grid(const GaussianIntegrator& g) {
  EocGrid grid;
  const int n = static_cast<int>(std::lround(std::log10(kEocQMax / kEocQMin) * kEocPerDecade));
  int finite = 0, zero = 0;
  for (int i = 0; i <= n; ++i) {
    const double q = kEocQMin * std::pow(10.0, static_cast<double>(i) / kEocPerDecade);
    const Moments m = g.expect(q);
    const double s = m.dphi2 > 0.0 ? q - m.phi2 / m.dphi2 : std::numeric_limits<double>::quiet_NaN();
    grid.q.push_back(q);
    grid.s.push_back(s);
    if (std::isfinite(s)) {
      ++finite;
      if (std::abs(s) <= kHomogeneousTol * q) ++zero;
    }
  }
  grid.homogeneous = finite > 0 && zero == finite;
  grid.at0 = g.expect(0.0);
  return grid;
}

std::vector<EocPoint> eoc_roots(const GaussianIntegrator& g, const EocGrid& grid, double sigma_b) {
  std::vector<EocPoint> out;
  const double sb2 = sigma_b * sigma_b;
  if (grid.homogeneous) {
    if (sigma_b == 0.0) {
      EocPoint p = eoc_point_at(g, 0.0, 1.0);
      p.q_free = true;
      out.push_back(p);
    }
    return out;
  }
  if (sigma_b == 0.0 && grid.at0.phi2 == 0.0 && grid.at0.dphi2 > 0.0)
    out.push_back(eoc_point_at(g, 0.0, 0.0));
  // Sign of s − σ_b², 0 where it is within rounding of zero; zeros are skipped when looking for sign changes.
  auto sign = [&](std::size_t i) {
    const double v = grid.s[i] - sb2;
    if (!std::isfinite(v) || std::abs(v) <= kHomogeneousTol * std::max(grid.q[i], sb2)) return 0;
    return v > 0 ? 1 : -1;
  };
  auto h = [&](double q) {
    const Moments m = g.expect(q);
    return q - m.phi2 / m.dphi2 - sb2;
  };
  std::size_t last = grid.q.size();  // index of the last point with a nonzero sign
  for (std::size_t i = 0; i < grid.q.size(); ++i) {
    const int si = sign(i);
    if (si == 0) continue;
    if (last < grid.q.size() && sign(last) != si) {
      const double a = grid.q[last], b = grid.q[i];
      const double q = brent(h, a, b, grid.s[last] - sb2, grid.s[i] - sb2, 1e-15 * a);
      out.push_back(eoc_point_at(g, sigma_b, q));
    }
    last = i;
  }
  return out;
}

std::string num(double x) { return std::to_string(x); }

}  // namespace

Moments moments_at_zero_limit(const GaussianIntegrator& g) {
  return g.expect(g.kink_at_zero() ? kZeroLimitQ : 0.0);
}

double variance_map(const GaussianIntegrator& g, Init init, double q) {
  return init.sigma_b * init.sigma_b + init.sigma_w * init.sigma_w * g.expect(q).phi2;
}

double variance_map_slope(const GaussianIntegrator& g, Init init, double q) {
  const Moments m = g.expect(q);
  return init.sigma_w * init.sigma_w * (m.dphi2 + m.phi_d2phi);
}

std::optional<double> depth_scale(double rate) {
  if (!(rate > 0.0 && rate < 1.0)) return std::nullopt;
  return -1.0 / std::log(rate);
}

Result<FixedPoint> variance_fixed_point(const GaussianIntegrator& g, Init init, double q0, int max_iter) {
  if (!std::isfinite(init.sigma_w) || !std::isfinite(init.sigma_b))
    return Status::invalid("variance_fixed_point: σ_w and σ_b must be finite");
  if (!finite_nonneg(q0)) return Status::invalid("variance_fixed_point: q0 must be finite and ≥ 0");
  if (max_iter < 0) return Status::invalid("variance_fixed_point: max_iter must be ≥ 0");
  auto F = [&](double q) { return variance_map(g, init, q); };
  auto h = [&](double q) { return F(q) - q; };
  const double sb2 = init.sigma_b * init.sigma_b, sw2 = init.sigma_w * init.sigma_w;
  // F(0) = 0: q* = 0 is a fixed point, and closeness must be relative or every tiny q would pass.
  const bool zero_fixed = sb2 == 0.0 && g.expect(0.0).phi2 == 0.0;
  auto close = [&](double q, double r) {
    return std::abs(r) <= kResidualTol * (zero_fixed ? q : std::max(1.0, q));
  };
  const Status diverges =
      Status::numerical("variance map diverges from q0 = " + num(q0) + " (σ_w = " + num(init.sigma_w) +
                        ", σ_b = " + num(init.sigma_b) + "): no finite fixed point is reached");
  FixedPoint fp;
  // The q → 0⁺ limit point: F'(0⁺) and χ₁(0⁺) from the limiting moments.
  auto zero_limit = [&] {
    const Moments m = moments_at_zero_limit(g);
    fp.q = 0.0;
    fp.residual = 0.0;
    fp.zero_limit = true;
    fp.slope = sw2 * (m.dphi2 + m.phi_d2phi);
    fp.chi1 = sw2 * m.dphi2;
    fp.converged = true;
  };
  double q = q0, r = h(q);
  bool at_zero = zero_fixed && q0 == 0.0;
  for (; !at_zero && fp.iterations < max_iter && !close(q, r); ++fp.iterations) {
    q += r;  // q ← F(q)
    if (!std::isfinite(q) || q > kQDiverge) return diverges;
    if (zero_fixed && q < kQVanish) at_zero = true;
    r = h(q);
  }
  if (!at_zero && !close(q, r)) {
    // Polish: the iterates move in the direction of sign(h); bracket the first root that way by doubling.
    double step = std::max(std::abs(r), kResidualTol * (zero_fixed ? q : std::max(1.0, q)));
    double lo = q, hlo = r, hi = q, hhi = r;
    while ((hhi > 0) == (r > 0) && hhi != 0.0) {
      lo = hi;
      hlo = hhi;
      hi = r > 0 ? q + step : std::max(0.0, q - step);
      if (hi > kQDiverge) return diverges;
      hhi = h(hi);
      if (!std::isfinite(hhi)) return diverges;
      if (hi == 0.0 && (hhi > 0) == (r > 0) && hhi != 0.0)
        return Status::internal("variance_fixed_point: F(0) < 0");
      step *= 2.0;
    }
    if (zero_fixed && hi == 0.0) {
      at_zero = true;  // no positive root between q and 0: the iterates fall into q* = 0
    } else {
      q = brent(h, lo, hi, hlo, hhi, 1e-16 * std::max(1.0, q));
      if (zero_fixed && q < kQVanish) at_zero = true;
    }
  }
  if (at_zero) {
    zero_limit();
  } else {
    // Newton polish on h(q) = F(q) − q, h' = F' − 1 (same expectation call), kept only while |h| shrinks;
    // skipped where F' ≈ 1 (ReLU-like φ on the EOC: F is the identity up to rounding).
    for (int k = 0; k < 4; ++k) {
      const Moments m = g.expect(q);
      const double hq = sb2 + sw2 * m.phi2 - q, dh = sw2 * (m.dphi2 + m.phi_d2phi) - 1.0;
      if (hq == 0.0 || std::abs(dh) < 1e-8) break;
      const double qn = q - hq / dh;
      if (!(qn >= 0.0) || !(std::abs(h(qn)) < std::abs(hq))) break;
      q = qn;
    }
    const Moments m = g.expect(q);
    fp.q = q;
    fp.residual = sb2 + sw2 * m.phi2 - q;
    fp.slope = sw2 * (m.dphi2 + m.phi_d2phi);
    fp.chi1 = sw2 * m.dphi2;
    fp.converged = close(q, fp.residual);
  }
  fp.stable = std::abs(fp.slope) < 1.0 - kMarginalTol;
  fp.marginal = std::abs(std::abs(fp.slope) - 1.0) <= kMarginalTol;
  fp.xi_q = fp.marginal ? std::nullopt : depth_scale(fp.slope);
  if (std::abs(fp.chi1 - 1.0) <= kChi1Tol) {
    fp.xi_c = kInf;
  } else if (fp.chi1 < 1.0) {
    fp.xi_c = -1.0 / std::log(fp.chi1);
  }
  return fp;
}

Result<std::vector<EocPoint>> eoc_points(const GaussianIntegrator& g, double sigma_b) {
  if (!finite_nonneg(sigma_b)) return Status::invalid("eoc: σ_b must be finite and ≥ 0, got " + num(sigma_b));
  const EocGrid grid = eoc_grid(g);
  std::vector<EocPoint> pts = eoc_roots(g, grid, sigma_b);
  if (!pts.empty()) return pts;
  if (grid.homogeneous)
    return Status::not_found("no EOC point at σ_b = " + num(sigma_b) +
                             ": φ is positively homogeneous (ReLU-like), its EOC is σ_b = 0 only "
                             "(docs/theory.md, \"The ReLU-like class\")");
  return Status::not_found("no EOC point at σ_b = " + num(sigma_b) + " for q in [1e-8, 1e4]");
}

Result<std::vector<EocRow>> eoc_curve(const GaussianIntegrator& g, std::span<const double> sigma_bs) {
  for (double sb : sigma_bs)
    if (!finite_nonneg(sb)) return Status::invalid("eoc: σ_b must be finite and ≥ 0, got " + num(sb));
  const EocGrid grid = eoc_grid(g);
  std::vector<EocRow> rows;
  rows.reserve(sigma_bs.size());
  for (double sb : sigma_bs) rows.push_back({sb, eoc_roots(g, grid, sb)});
  return rows;
}

double correlation_map(const GaussianIntegrator& g, Init init, double q_star, double c) {
  return (init.sigma_b * init.sigma_b + init.sigma_w * init.sigma_w * g.expect_product(q_star, q_star, c)) /
         q_star;
}

double one_minus_correlation_map(const GaussianIntegrator& g, Init init, double q_star, double c) {
  const double residual = q_star - variance_map(g, init, q_star);
  return (residual + init.sigma_w * init.sigma_w * g.half_sq_diff(q_star, c)) / q_star;
}

Result<CorrelationIterates> correlation_iterates(const GaussianIntegrator& g, Init init, double q_star,
                                                 double c0, int depth) {
  if (!(std::isfinite(q_star) && q_star > 0.0))
    return Status::invalid("correlation_iterates: q* must be finite and > 0");
  if (!(std::abs(c0) <= 1.0)) return Status::invalid("correlation_iterates: |c0| must be ≤ 1");
  if (depth < 0) return Status::invalid("correlation_iterates: depth must be ≥ 0");
  CorrelationIterates out;
  out.c.reserve(depth + 1);
  out.one_minus_c.reserve(depth + 1);
  double c = c0, eps = 1.0 - c0;
  out.c.push_back(c);
  out.one_minus_c.push_back(eps);
  for (int l = 0; l < depth; ++l) {
    if (c >= 0.0) {
      eps = one_minus_correlation_map(g, init, q_star, c);
      c = 1.0 - eps;
    } else {
      c = correlation_map(g, init, q_star, c);
      eps = 1.0 - c;
    }
    if (!std::isfinite(c) || std::abs(c) > 1.0 + 1e-12)
      return Status::numerical("correlation_iterates: iterate " + std::to_string(l + 1) + " is " + num(c));
    c = std::clamp(c, -1.0, 1.0);
    out.c.push_back(c);
    out.one_minus_c.push_back(eps);
  }
  return out;
}

Phase phase_of(double chi1) {
  if (std::abs(chi1 - 1.0) <= kEdgeTol) return Phase::kEdge;
  return chi1 < 1.0 ? Phase::kOrdered : Phase::kChaotic;
}

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kOrdered: return "ordered";
    case Phase::kEdge: return "edge";
    case Phase::kChaotic: return "chaotic";
  }
  return "ordered";
}

Result<CorrelationFixedPoint> correlation_fixed_point(const GaussianIntegrator& g, Init init,
                                                      const FixedPoint& fp, bool with_chi_c) {
  if (!(std::isfinite(fp.q) && fp.q >= 0.0) || !std::isfinite(fp.chi1))
    return Status::invalid("correlation_fixed_point: q* and χ₁ must be finite, q* ≥ 0");
  CorrelationFixedPoint out;
  out.phase = phase_of(fp.chi1);
  if (fp.zero_limit) {
    // q* = 0 as a limit: the correlation map tends to the normalised kernel map E φ(u1)φ(u2)/E φ(u)², whose
    // slope at c = 1 is 1 (ReLU's arc-cosine map, the identity for φ smooth at 0): no exponential approach.
    out.c_star = 1.0;
    out.chi_c = 1.0;
    out.xi_c = kInf;
    return out;
  }
  if (out.phase == Phase::kChaotic && fp.q == 0.0)
    return Status::invalid("correlation_fixed_point: q* = 0 in the chaotic phase");
  if (out.phase != Phase::kChaotic) {
    out.c_star = 1.0;
    out.chi_c = fp.chi1;
    if (out.phase == Phase::kEdge) {
      out.xi_c = kInf;
    } else if (fp.chi1 > 0.0) {
      out.xi_c = -1.0 / std::log(fp.chi1);
    }
    return out;
  }
  const double q = fp.q, sb2 = init.sigma_b * init.sigma_b, sw2 = init.sigma_w * init.sigma_w;
  const std::vector<double> a = g.hermite_coefficients(q, kHermiteTerms);
  if (a.empty())
    return Status::numerical("correlation_fixed_point: no Hermite coefficients at q* = " + num(q));
  double parseval = 0.0;
  for (double ak : a) parseval += ak * ak;
  const double remainder = std::max(0.0, g.expect(q).phi2 - parseval);
  // h(c) = f(c) − c on the truncated series (Horner in c).
  auto h_series = [&](double c) {
    double s = 0.0;
    for (int k = kHermiteTerms; k >= 0; --k) s = s * c + a[k] * a[k];
    return (sb2 + sw2 * s) / q - c;
  };
  double lo = 0.0, hlo = h_series(0.0);
  if (hlo <= 1e-15) {
    // f(0) = 0: c = 0 is a fixed point; it attracts c ≥ 0 when f'(0) = σ_w² a_1²/q ≤ 1.
    if (sw2 * a[1] * a[1] / q <= 1.0) {
      out.c_star = 0.0;
    } else {
      lo = 1e-6;
      hlo = h_series(lo);
      if (!(hlo > 0.0)) return Status::numerical("correlation_fixed_point: no bracket above c = 0");
    }
  }
  if (out.c_star != 0.0) {
    double hi = 1.0, hhi = 0.0;
    for (double eps = 1e-2; eps >= 1e-10; eps *= 0.1) {
      hi = 1.0 - eps;
      hhi = h_series(hi);
      if (hhi < 0.0) break;
    }
    if (!(hhi < 0.0)) return Status::numerical("correlation_fixed_point: no bracket below c = 1");
    double c = brent(h_series, lo, hi, hlo, hhi, 1e-15);
    const double bound = sw2 * remainder * std::pow(c, kHermiteTerms + 1) / q;
    if (bound > 1e-13) {
      // Polish on the direct map: h(c) = (1 − c) − (1 − f(c)), no 1 − f by subtraction.
      auto h_direct = [&](double x) { return (1.0 - x) - one_minus_correlation_map(g, init, q, x); };
      double d = std::max(1e-9, 100.0 * bound);
      double a0 = std::max(0.0, c - d), b0 = std::min(1.0 - 1e-12, c + d);
      double ha = h_direct(a0), hb = h_direct(b0);
      for (int it = 0; it < 30 && (ha > 0) == (hb > 0); ++it) {
        d *= 4.0;
        if (ha < 0) {
          a0 = std::max(0.0, c - d);
          ha = h_direct(a0);
        } else {
          b0 = std::min(1.0 - 1e-12, c + d);
          hb = h_direct(b0);
        }
      }
      if ((ha > 0) != (hb > 0)) {
        c = brent(h_direct, a0, b0, ha, hb, 1e-12);
        out.polished = true;
      }
    }
    out.c_star = c;
  }
  if (with_chi_c) {
    out.chi_c = sw2 * g.expect_product(q, q, out.c_star, Derivative::kFirst);
    if (out.chi_c > 0.0 && out.chi_c < 1.0) out.xi_c = -1.0 / std::log(out.chi_c);
  } else {
    out.chi_c = std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

}  // namespace actlab::theory
