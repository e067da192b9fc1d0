// Kernel recursion, susceptibilities and criticality classes (docs/theory.md, "Effective theory").
#include "theory/effective.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "activations/derivative.hpp"
#include "activations/expr.hpp"
#include "theory/root_find.hpp"

namespace actlab::theory {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool finite_nonneg(double x) { return std::isfinite(x) && x >= 0.0; }

// False when the integrand of ⟨σ²⟩ or ⟨z² σ'²⟩ is still large at the edge of the quadrature window |z| ≤
// kZMax (exp, cosh, sinh at K ≳ 30: e^{2√K z} peaks at z = 2√K > 12), so the window misses mass and r(K) is
// wrong.
bool window_resolved(const GaussianIntegrator& g, double K, const Moments& m) {
  const double edge_density = std::exp(-0.5 * kZMax * kZMax);
  double tail = 0.0;
  for (double z : {-kZMax, kZMax}) {
    const double x = std::sqrt(K) * z;
    const double f = g.activation().f(x), df = g.activation().df(x);
    tail = std::max(tail, (f * f + x * x * df * df) * edge_density);
  }
  return std::isfinite(tail) && tail <= kWindowTol * (m.phi2 + K * m.dphi2);
}

// r(K) − 1 = ⟨z σ σ'⟩_K / (K ⟨σ'²⟩_K) − 1; NaN where the quadrature window does not hold the integrand.
double r_minus_one(const GaussianIntegrator& g, double K) {
  const Moments m = g.expect(K);
  if (!window_resolved(g, K, m)) return kNaN;
  return m.u_phi_dphi / (K * m.dphi2) - 1.0;
}

CriticalPoint critical_at(const GaussianIntegrator& g, double K) {
  const Moments m = g.expect(K);
  CriticalPoint p;
  p.K_star = K;
  p.C_W = 1.0 / m.dphi2;
  p.C_b = K - p.C_W * m.phi2;
  return p;
}

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

}  // namespace

Susceptibilities susceptibilities(const GaussianIntegrator& g, double C_W, double K) {
  Susceptibilities s;
  s.K = K;
  if (!finite_nonneg(K)) {
    s.g = s.chi_par = s.chi_perp = s.r = kNaN;
    return s;
  }
  if (K == 0.0 && !g.kink_at_zero()) {
    const Moments m = g.expect(0.0);  // point values at 0
    s.g = m.phi2;
    s.chi_par = C_W * (m.dphi2 + m.phi_d2phi);
    s.chi_perp = C_W * m.dphi2;
  } else {
    const double k = K == 0.0 ? kEffectiveKTiny : K;
    const Moments m = g.expect(k);
    s.g = K == 0.0 ? g.expect(0.0).phi2 : m.phi2;
    s.chi_par = C_W * m.u_phi_dphi / k;
    s.chi_perp = C_W * m.dphi2;
  }
  s.r = s.chi_par / s.chi_perp;
  return s;
}

std::optional<double> homogeneous_degree(const GaussianIntegrator& g) {
  const Moments m1 = g.expect(1.0), m4 = g.expect(4.0);
  if (!(m1.phi2 > 0.0) || !(m1.dphi2 > 0.0) || !(m4.phi2 > 0.0)) return std::nullopt;
  const double p = std::log(m4.phi2 / m1.phi2) / std::log(4.0);
  if (!(p > 0.0) || p > 64.0) return std::nullopt;
  auto near = [](double a, double b) { return std::abs(a - b) <= 1e-10 * std::abs(b); };
  for (double K : {1e-4, 4.0, 1e4}) {
    const Moments m = g.expect(K);
    if (!near(m.phi2, std::pow(K, p) * m1.phi2) || !near(m.dphi2, std::pow(K, p - 1) * m1.dphi2) ||
        !near(m.u_phi_dphi, std::pow(K, p) * m1.u_phi_dphi))
      return std::nullopt;
  }
  return p;
}

Result<KernelRecursion> kernel_recursion(const GaussianIntegrator& g, double C_b, double C_W, double K0,
                                         int depth) {
  if (!finite_nonneg(C_b) || !finite_nonneg(C_W) || !finite_nonneg(K0))
    return Status::invalid("kernel_recursion: C_b, C_W and K0 must be finite and ≥ 0");
  if (depth < 1) return Status::invalid("kernel_recursion: depth must be ≥ 1");
  KernelRecursion out;
  out.degree = K0 > 0.0 && C_W > 0.0 ? homogeneous_degree(g) : std::nullopt;
  auto stop = [&](int l, const char* what) {
    out.finite = false;
    out.verdict = std::string("K ") + what + " after layer " + std::to_string(l) +
                  (what[0] == 'o' ? ": the kernel explodes with depth" : ": the kernel vanishes with depth");
  };
  if (out.degree) {
    // Homogeneous of degree p: ⟨σ²⟩_K = K^p g₁, χ⊥ = C_W K^(p−1) ⟨σ'²⟩₁, χ∥ = C_W K^(p−1) ⟨zσσ'⟩₁, in logs.
    const double p = *out.degree;
    const Moments m1 = g.expect(1.0);
    const double r = m1.u_phi_dphi / m1.dphi2, log_cw = std::log(C_W), log_g1 = std::log(m1.phi2);
    double logK = std::log(K0);
    const double tiny = std::numeric_limits<double>::min();
    for (int l = 1; l <= depth; ++l) {
      const double K = std::exp(logK), scale = std::exp(log_cw + (p - 1.0) * logK);
      const KernelLayer layer{l, K, logK, scale * m1.u_phi_dphi, scale * m1.dphi2, r};
      // Every value of the layer must be a double: χ ~ K^(p−1) leaves the range before K does for p > 2.
      if (!(std::isfinite(layer.chi_perp) && std::isfinite(layer.chi_par) && std::isfinite(K)) || K < tiny ||
          layer.chi_perp < tiny || std::abs(layer.chi_par) < tiny) {
        if (l == 1)
          return Status::invalid_field("k0", "K0 = " + num(K0) + " puts χ∥ or χ⊥ outside the double range");
        stop(l - 1, logK > 0 ? "overflows" : "underflows");
        break;
      }
      out.layers.push_back(layer);
      if (l == depth) break;
      const double log_term = log_cw + log_g1 + p * logK;  // log(C_W ⟨σ²⟩_K)
      const double next = C_b > 0.0 ? std::max(std::log(C_b), log_term) +
                                          std::log1p(std::exp(-std::abs(std::log(C_b) - log_term)))
                                    : log_term;
      if (!std::isfinite(next)) {
        stop(l, next > 0 ? "overflows" : "underflows");
        break;
      }
      logK = next;
    }
    return out;
  }
  double K = K0;
  for (int l = 1; l <= depth; ++l) {
    const Susceptibilities s = susceptibilities(g, C_W, K);
    if (!std::isfinite(s.g) || !std::isfinite(s.chi_par) || !std::isfinite(s.chi_perp)) {
      if (l == 1) return finite_moments(g, std::max(K, kEffectiveKTiny));
      out.finite = false;
      out.verdict =
          "the Gaussian expectations of phi are not finite at K^(" + std::to_string(l) + ") = " + num(K);
      break;
    }
    out.layers.push_back({l, K, std::log(K), s.chi_par, s.chi_perp, s.r});
    if (l == depth) break;
    const double next = C_b + C_W * s.g;
    if (!std::isfinite(next) || next > kKernelMax) {
      stop(l, "overflows");
      break;
    }
    if (next < kKernelMin && next < K) {
      stop(l, "underflows");
      break;
    }
    K = next;
  }
  return out;
}

const char* criticality_class_name(CriticalityClass c) {
  switch (c) {
    case CriticalityClass::kScaleInvariant: return "scale_invariant";
    case CriticalityClass::kK0: return "k0";
    case CriticalityClass::kHalfStable: return "half_stable";
    case CriticalityClass::kNone: return "none";
  }
  return "none";
}

Json Classification::to_json() const {
  Json j;
  j["class"] = criticality_class_name(kind);
  j["a1"] = json_number(a1);
  j["b1"] = json_number(b1);
  if (critical) {
    j["critical"] = {{"C_b", json_number(critical->C_b)},
                     {"C_W", json_number(critical->C_W)},
                     {"K_star", json_number(critical->K_star)}};
  } else {
    j["critical"] = nullptr;
  }
  j["notes"] = notes;
  return j;
}

Result<Classification> classify(const GaussianIntegrator& g) {
  const activations::Activation& act = g.activation();
  if (act.row_wise()) return Status::invalid("classify: " + act.name() + " is row-wise");
  Classification c;
  c.a1 = c.b1 = kNaN;

  // r(K) on the log grid.
  const int n =
      static_cast<int>(std::lround(std::log10(kEffectiveKMax / kEffectiveKMin) * kEffectivePerDecade));
  std::vector<double> ks, rm;
  double rmin = std::numeric_limits<double>::infinity(), rmax = -rmin, dev = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double K = kEffectiveKMin * std::pow(10.0, static_cast<double>(i) / kEffectivePerDecade);
    const double v = r_minus_one(g, K);
    ks.push_back(K);
    rm.push_back(v);
    if (!std::isfinite(v)) continue;
    rmin = std::min(rmin, 1.0 + v);
    rmax = std::max(rmax, 1.0 + v);
    dev = std::max(dev, std::abs(v));
  }
  const std::string range = "r ∈ [" + num(rmin) + ", " + num(rmax) + "] on K ∈ [" + num(kEffectiveKMin) +
                            ", " + num(kEffectiveKMax) + "]";

  // 1. Scale-invariant: r ≡ 1 and σ positively homogeneous, i.e. ⟨σ²⟩_K = K ⟨σ'²⟩_K (every K is then a fixed
  // point of K' = C_W ⟨σ²⟩_K at C_W = 1/⟨σ'²⟩). r ≡ 1 alone is not enough: softshrink has σσ' = σ (slope 1
  // wherever σ ≠ 0), so ⟨zσσ'⟩ = ⟨zσ⟩ = K⟨σ'⟩ = K⟨σ'²⟩ and r ≡ 1 exactly, but ⟨σ²⟩ < K⟨σ'²⟩: each K* is
  // critical with its own C_b = K* − C_W⟨σ²⟩ > 0 (convex map: half-stable).
  bool homogeneous = true;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    if (!std::isfinite(rm[i])) continue;
    const Moments m = g.expect(ks[i]);
    if (std::abs(m.phi2 / (ks[i] * m.dphi2) - 1.0) > 1e-9) homogeneous = false;
  }
  if (rmin <= rmax && dev <= kScaleInvariantTol && !homogeneous) {
    const CriticalPoint p = critical_at(g, 1.0);
    if (p.C_b >= 0.0 && p.C_W <= kMaxCriticalCW) {
      c.kind = CriticalityClass::kHalfStable;
      c.critical = p;
      c.roots.push_back(p);
      c.notes = "r ≡ 1 (|r − 1| ≤ " + num(dev) +
                ") but σ is not homogeneous: every K* > 0 is critical with C_W = 1/⟨σ'²⟩_K*, C_b = K* − C_W "
                "⟨σ²⟩_K* ≥ 0; reported at K* = 1";
      return c;
    }
  }
  if (rmin <= rmax && dev <= kScaleInvariantTol && homogeneous) {
    c.kind = CriticalityClass::kScaleInvariant;
    c.critical = critical_at(g, 1.0);
    c.critical->C_b = 0.0;
    c.notes = "r ≡ 1 (|r − 1| ≤ " + num(dev) + "): C_b = 0, C_W = 1/⟨σ'²⟩, every K is a fixed point";
    // a₁, b₁ stay NaN: the K* = 0 expansion does not apply to a kinked φ.
    return c;
  }

  // 2. K* = 0 class.
  const double s0 = act.f(0.0), s1 = act.df(0.0), s2 = act.d2f(0.0);
  if (s0 == 0.0 && s1 != 0.0 && !g.kink_at_zero()) {
    const double s3 = activations::evaluate(activations::derivative(act.d2f_expr()), 0.0);
    c.a1 = s3 / s1 + 0.75 * (s2 / s1) * (s2 / s1);
    c.b1 = s3 / s1 + (s2 / s1) * (s2 / s1);
    if (c.a1 < 0.0) {
      c.kind = CriticalityClass::kK0;
      c.critical = CriticalPoint{0.0, 1.0 / (s1 * s1), 0.0};
      c.notes = "σ(0) = 0, a₁ = " + num(c.a1) + " < 0: C_b = 0, C_W = 1/σ₁², K^(l) ≈ 1/(−a₁ l)";
      return c;
    }
    if (c.a1 == 0.0) {
      // a₁ = 0 (hardtanh, frac: linear on a neighbourhood of 0): the expansion is silent, so ask the map
      // itself. At C_b = 0, C_W = 1/σ₁², K* = 0 attracts from above iff K' = C_W ⟨σ²⟩_K ≤ K; checked on the
      // whole grid (for hardtanh the clipping only lowers ⟨σ²⟩, by ~e^{−1/(2K)}: marginal, very slow).
      bool never_grows = true;
      for (double K : ks) {
        const Moments m = g.expect(K);
        if (window_resolved(g, K, m) && m.phi2 / (s1 * s1) > K * (1.0 + 1e-12)) never_grows = false;
      }
      if (never_grows) {
        c.kind = CriticalityClass::kK0;
        c.critical = CriticalPoint{0.0, 1.0 / (s1 * s1), 0.0};
        c.notes =
            "σ(0) = 0, a₁ = 0 (σ linear to this order) and C_W ⟨σ²⟩_K ≤ K on the grid: K* = 0 attracts "
            "from above, marginally; C_b = 0, C_W = 1/σ₁²";
        return c;
      }
    }
  }

  // 3. Half-stable: roots of r(K) − 1. Rules against spurious roots (hardtanh, relu6, frac, softshrink had
  // them): (a) |r − 1| ≤ kRootTol counts as zero and such grid points never make a sign change: where φ is
  // linear or ReLU-like on the bulk of N(0, K) (small K for hardtanh, relu6, frac) r − 1 is ~e^{−1/(2K)}
  // and its sign is rounding noise, and r ≡ 1 there is the scale-invariant situation, not a crossing;
  // (b) a root needs C_W = 1/⟨σ'²⟩ ≤ kMaxCriticalCW: a larger C_W means σ' ≈ 0 on the bulk of N(0, K*)
  // (softshrink's flat middle at small K), where the kernel is carried by far tails and no real network is
  // critical; (c) grid points whose integrand is not held by the quadrature window are NaN (exp, cosh, sinh
  // at large K), never part of a bracket.
  auto h = [&](double K) { return r_minus_one(g, K); };
  auto sign = [&](std::size_t i) {
    return !std::isfinite(rm[i]) || std::abs(rm[i]) <= kRootTol ? 0 : rm[i] > 0 ? 1 : -1;
  };
  std::size_t last = ks.size();
  int rejected = 0;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    const int si = sign(i);
    if (si == 0) {
      if (!std::isfinite(rm[i])) last = ks.size();  // a hole in the grid breaks brackets
      continue;
    }
    if (last < ks.size() && sign(last) != si) {
      const double K = brent(h, ks[last], ks[i], rm[last], rm[i], 1e-15 * ks[last]);
      const CriticalPoint p = critical_at(g, K);
      if (std::isfinite(p.C_W) && p.C_W <= kMaxCriticalCW) {
        c.roots.push_back(p);
      } else {
        ++rejected;
      }
    }
    last = i;
  }
  for (const CriticalPoint& p : c.roots) {
    if (p.C_b >= 0.0) {
      c.kind = CriticalityClass::kHalfStable;
      c.critical = p;
      c.notes = "r(K*) = 1 at K* = " + num(p.K_star) + " with C_b = " + num(p.C_b) + " ≥ 0; " + range;
      return c;
    }
  }

  // 4. None.
  c.kind = CriticalityClass::kNone;
  c.notes = (c.roots.empty() ? "no K > 0 with r(K) = 1: " : "every root of r − 1 has C_b < 0: ") + range;
  if (std::isfinite(c.a1)) c.notes += "; a₁ = " + num(c.a1) + " ≥ 0 (K* = 0 unstable from above)";
  if (sign(0) == 0 && std::isfinite(rm[0]))
    c.notes += "; r → 1 as K → 0 (σ linear or ReLU-like near 0): critical only in that limit";
  if (rejected > 0)
    c.notes += "; " + std::to_string(rejected) + " root(s) with C_W > 1e6 (σ' ≈ 0 there) dropped";
  if (std::any_of(rm.begin(), rm.end(), [](double v) { return std::isnan(v); }))
    c.notes += "; r not evaluated where the integrand outgrows the window |z| ≤ 12";
  return c;
}

}  // namespace actlab::theory
