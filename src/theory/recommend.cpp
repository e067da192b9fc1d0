// The initialisation answer for one activation at depth L (see recommend.hpp).
#include "theory/recommend.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "theory/mean_field.hpp"

namespace actlab::theory {
namespace {

// The input-kernel rule's margin: K^(1) = kKernelMargin/(a₁ L) keeps K^(l) ≤ K^(1)/(1 − kKernelMargin).
constexpr double kKernelMargin = 0.1;
// A deviation that grows by at most this factor over L layers is marginal, not "cannot be stabilised".
constexpr double kMarginalGrowth = 2.0;

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

// A number, or null where it is not finite (never "nan" in a recommendation's JSON).
Json number(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }
Json optional_number(const std::optional<double>& v) { return v ? number(*v) : Json(nullptr); }

// Puts the first layer's kernel on K1: s² = (K1 − C_b)/(C_W q_in).
void set_first_layer(Recommendation& r, double K1) {
  r.K1 = K1;
  r.input_scale = std::sqrt(std::max(0.0, K1 - r.C_b) / (r.C_W * r.plan.input_var));
}

void set_weights(Recommendation& r, double C_W, double C_b) {
  r.C_W = C_W;
  r.C_b = std::max(0.0, C_b);
  r.sigma_w = std::sqrt(r.C_W);
  r.sigma_b = std::sqrt(r.C_b);
}

// Which side of K* the map F(K) = C_b + C_W ⟨σ²⟩_K pulls towards K*.
std::string side_stability(const GaussianIntegrator& g, const Recommendation& r) {
  auto pulls = [&](double K) { return r.C_b + r.C_W * g.expect(K).phi2 - K; };
  const double K = r.K_star, d = 1e-2;
  const bool below = pulls(K * (1 - d)) > 0, above = pulls(K * (1 + d)) < 0;
  if (below && above) return "stable";
  if (below) return "half-stable (attracts from below)";
  if (above) return "half-stable (attracts from above)";
  return "unstable";
}

void susceptibilities_at_K1(const GaussianIntegrator& g, Recommendation& r) {
  const Susceptibilities s = susceptibilities(g, r.C_W, r.K1);
  r.chi_par = s.chi_par;
  r.chi_perp = s.chi_perp;
}

// RePU-like: positively homogeneous of degree p > 1.
void homogeneous(const GaussianIntegrator& g, double p, Recommendation& r) {
  const Moments m1 = g.expect(1.0);
  const double ratio = m1.u_phi_dphi / m1.dphi2, L = r.plan.depth;
  r.notion = "effective theory (homogeneous of degree p > 1)";
  r.verdict = Verdict::kCannotStabilise;
  r.least_bad = true;
  r.reasons.push_back("proof: phi is positively homogeneous of degree p = " + num(p) +
                      ", so chi_par/chi_perp = r = (2p - 1)/p = " + num(ratio) +
                      " at every K; chi_par = chi_perp = 1 is impossible");
  r.reasons.push_back(
      "with chi_perp = 1 a deviation of K grows by chi_par = " + num(ratio) + " per layer (" +
      num(std::pow(ratio, L)) + " over " + num(L) +
      " layers, double-exponentially beyond); with chi_par <= 1 gradients shrink by chi_perp <= " +
      num(1 / ratio) + " per layer");
  // Least bad: the tangent point F'(K*) = 1 at K* = 1: C_W ⟨σ²⟩₁ = 1/p, C_b = 1 − 1/p.
  set_weights(r, 1.0 / (p * m1.phi2), 1.0 - 1.0 / p);
  r.K_star = 1.0;
  set_first_layer(r, 1.0);
  susceptibilities_at_K1(g, r);
  r.stability = "half-stable (attracts from below)";
  if (r.chi_perp > 0 && r.chi_perp < 1) r.xi_c = -1.0 / std::log(r.chi_perp);
  r.reasons.push_back("least bad: K held at its half-stable fixed point K* = 1 (chi_par = 1), chi_perp = " +
                      num(r.chi_perp) + ": correlations and gradients shrink by " +
                      num(std::pow(r.chi_perp, L)) + " over " + num(L) + " layers");
}

// σ(0) = 0, σ'(0) ≠ 0, a₁ > 0: K* = 0 repels from above; the input-kernel rule.
void input_kernel_rule(const GaussianIntegrator& g, Recommendation& r) {
  const double s1 = g.activation().df(0.0), L = r.plan.depth;
  r.notion = "effective theory, input-kernel rule (K* = 0 with a1 > 0)";
  set_weights(r, 1.0 / (s1 * s1), 0.0);
  r.K_star = 0.0;
  set_first_layer(r, kKernelMargin / (r.a1 * L));
  susceptibilities_at_K1(g, r);
  r.stability = "unstable from above (a1 > 0)";
  r.verdict = Verdict::kMarginal;
  r.reasons.push_back("K* = 0 with C_W = 1/sigma'(0)^2 = " + num(r.C_W) + " has chi_perp = 1, but a1 = " +
                      num(r.a1) + " > 0 makes it repel: K^(l) ~ K1/(1 - a1 K1 l) blows up at l ~ 1/(a1 K1)");
  r.reasons.push_back("K1 = 0.1/(a1 L) = " + num(r.K1) + " keeps K^(l) within 11% of K1 over L = " + num(L) +
                      " layers: the first layer's weights are scaled by " + num(r.input_scale));
}

// No class: the mean-field edge of chaos with a stable variance fixed point, over σ_b ∈ [0, 3].
Status mean_field(const GaussianIntegrator& g, Recommendation& r) {
  std::vector<double> sbs;
  for (int i = 0; i <= 12; ++i) sbs.push_back(0.25 * i);
  auto curve = eoc_curve(g, sbs);
  if (!curve) return curve.status();
  const EocPoint* best = nullptr;
  auto rank = [](const EocPoint& p) { return p.stable ? 0 : p.marginal ? 1 : 2; };
  for (const EocRow& row : *curve)
    for (const EocPoint& p : row.points) {
      if (!(p.q > 0) || !std::isfinite(p.sigma_w)) continue;
      // Stable first; among stable (or marginal) points the one whose q* is nearest the input's scale (the
      // least saturated first layer); among unstable ones the least unstable.
      const double d = std::abs(std::log(p.q / r.plan.input_var));
      if (!best || rank(p) < rank(*best) ||
          (rank(p) == rank(*best) &&
           (rank(p) == 2 ? p.slope < best->slope : d < std::abs(std::log(best->q / r.plan.input_var)))))
        best = &p;
    }
  const double L = r.plan.depth;
  if (!best) {
    r.notion = "none";
    r.verdict = Verdict::kCannotStabilise;
    r.least_bad = true;
    r.reasons.push_back("proof: no universality class (" + std::string(criticality_class_name(r.kind)) +
                        ") and no edge of chaos chi1 = 1 with a finite fixed point for sigma_b in [0, 3]");
    const Moments m1 = g.expect(1.0);
    set_weights(r, m1.dphi2 > 0 ? 1.0 / m1.dphi2 : 1.0, 0.0);
    r.K_star = 1.0;
    set_first_layer(r, 1.0);
    susceptibilities_at_K1(g, r);
    r.stability = "no fixed point";
    r.reasons.push_back("least bad: chi_perp = 1 at K = 1 (C_W = 1/<phi'^2>_1), C_b = 0");
    return Status::ok();
  }
  r.notion = "mean field (edge of chaos)";
  set_weights(r, best->sigma_w * best->sigma_w, best->sigma_b * best->sigma_b);
  r.K_star = best->q;
  set_first_layer(r, best->q);
  r.chi_par = best->slope;
  r.chi_perp = best->chi1;
  r.xi_c = std::numeric_limits<double>::infinity();
  if (best->stable) {
    r.stability = "stable";
    r.xi_q = depth_scale(best->slope);
    r.verdict = Verdict::kCritical;
    r.reasons.push_back("no universality class; the edge of chaos chi1 = chi_perp = 1 at sigma_b = " +
                        num(best->sigma_b) + " has a stable fixed point q* = " + num(best->q) +
                        " (chi_par = F'(q*) = " + num(best->slope) + " < 1)");
    if (r.xi_q && *r.xi_q < L)
      r.reasons.push_back("xi_q = " + num(*r.xi_q) +
                          " < L: the input's norm is forgotten, correlations are kept");
    return Status::ok();
  }
  r.stability = best->marginal ? "marginal" : "unstable";
  const double growth = std::pow(std::abs(best->slope), L);
  if (best->marginal || growth <= kMarginalGrowth) {
    r.verdict = Verdict::kMarginal;
    r.reasons.push_back("the best edge-of-chaos point (sigma_b = " + num(best->sigma_b) +
                        ") has F'(q*) = " + num(best->slope) + ": a deviation of q grows by at most " +
                        num(growth) + " over L = " + num(L) + " layers");
  } else {
    r.verdict = Verdict::kCannotStabilise;
    r.least_bad = true;
    r.reasons.push_back(
        "proof: every edge-of-chaos point for sigma_b in [0, 3] is unstable; the least unstable "
        "(sigma_b = " +
        num(best->sigma_b) + ") has F'(q*) = " + num(best->slope) + ", so a deviation of q grows by " +
        num(growth) + " over L = " + num(L) + " layers");
    r.reasons.push_back("least bad: that point, with the first layer put on q* = " + num(best->q));
  }
  return Status::ok();
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::kCritical: return "critical";
    case Verdict::kMarginal: return "marginal";
    case Verdict::kCannotStabilise: return "cannot be stabilised";
  }
  return "critical";
}

Json Recommendation::to_json() const {
  Json j;
  j["activation"] = activation;
  j["verdict"] = verdict_name(verdict);
  j["reasons"] = reasons;
  j["least_bad"] = least_bad;
  j["class"] = criticality_class_name(kind);
  j["a1"] = number(a1);
  j["notion"] = notion;
  j["C_W"] = number(C_W);
  j["C_b"] = number(C_b);
  j["sigma_w"] = number(sigma_w);
  j["sigma_b"] = number(sigma_b);
  j["K_star"] = number(K_star);
  j["K1"] = number(K1);
  j["input_scale"] = number(input_scale);
  j["chi_par"] = number(chi_par);
  j["chi_perp"] = number(chi_perp);
  j["stability"] = stability;
  j["xi_q"] = optional_number(xi_q);
  j["xi_c"] = xi_c && std::isinf(*xi_c) ? Json("inf") : optional_number(xi_c);
  j["depth"] = plan.depth;
  j["input_var"] = plan.input_var;
  return j;
}

Result<Recommendation> recommend(const GaussianIntegrator& g, const RecommendPlan& plan) {
  if (plan.depth < 1 || plan.depth > 100000) return Status::invalid_field("depth", "must be in 1 … 100000");
  if (!(plan.input_var > 0) || !std::isfinite(plan.input_var))
    return Status::invalid_field("input_var", "must be finite and > 0");
  auto c = classify(g);
  if (!c) return c.status();
  Recommendation r;
  r.activation = g.activation().name();
  r.plan = plan;
  r.kind = c->kind;
  r.a1 = c->a1;
  const double L = plan.depth;
  if (!finite_moments(g, 1.0)) {
    // acos, log, ...: φ is not finite on all of ℝ, so no Gaussian pre-activation keeps it defined.
    r.notion = "none";
    r.verdict = Verdict::kCannotStabilise;
    r.least_bad = true;
    r.stability = "undefined";
    r.chi_par = r.chi_perp = std::numeric_limits<double>::quiet_NaN();
    r.reasons.push_back(
        "proof: phi or phi' is not finite somewhere on the real line (E phi^2 at K = 1 is not "
        "finite): a Gaussian pre-activation leaves its domain at every (C_b, C_W)");
    r.reasons.push_back("least bad: C_W = 1, C_b = 0 (no theory applies)");
    return r;
  }
  const std::optional<double> p = homogeneous_degree(g);
  if (p && *p > 1.0 + 1e-9) {
    homogeneous(g, *p, r);
    return r;
  }
  switch (c->kind) {
    case CriticalityClass::kScaleInvariant:
      r.notion = "effective theory (scale-invariant class)";
      set_weights(r, c->critical->C_W, 0.0);
      set_first_layer(r, r.C_W * plan.input_var);
      r.K_star = r.K1;
      susceptibilities_at_K1(g, r);
      r.stability = "marginal (every K is a fixed point)";
      r.xi_c = std::numeric_limits<double>::infinity();
      r.reasons.push_back(
          "scale-invariant: chi_par = chi_perp = 1 at every K with C_b = 0, C_W = 1/<phi'^2> = " +
          num(r.C_W) + "; the kernel keeps the input's scale");
      return r;
    case CriticalityClass::kK0: {
      r.notion = "effective theory (K* = 0 class)";
      set_weights(r, c->critical->C_W, 0.0);
      set_first_layer(r, r.C_W * plan.input_var);
      susceptibilities_at_K1(g, r);
      r.K_star = 0.0;
      r.stability = r.a1 < 0 ? "attracts by a power law" : "marginal";
      r.xi_c = std::numeric_limits<double>::infinity();
      if (r.a1 < 0) {
        r.reasons.push_back("K* = 0 class: C_b = 0, C_W = 1/sigma'(0)^2 = " + num(r.C_W) +
                            "; K^(l) ~ K1/(1 + |a1| K1 l) = " + num(r.K1 / (1 + std::abs(r.a1) * r.K1 * L)) +
                            " at l = L (power law, no exponential loss)");
      } else {
        r.reasons.push_back("K* = 0 class with a1 = 0: C_b = 0, C_W = 1/sigma'(0)^2 = " + num(r.C_W) +
                            "; K^(l) decays very slowly");
      }
      return r;
    }
    case CriticalityClass::kHalfStable:
      r.notion = "effective theory (half-stable class)";
      set_weights(r, c->critical->C_W, c->critical->C_b);
      r.K_star = c->critical->K_star;
      set_first_layer(r, r.K_star);
      susceptibilities_at_K1(g, r);
      r.stability = side_stability(g, r);
      r.xi_c = std::numeric_limits<double>::infinity();
      r.reasons.push_back("half-stable: chi_par = chi_perp = 1 at K* = " + num(r.K_star) +
                          " with C_b = " + num(r.C_b) + ", C_W = " + num(r.C_W) +
                          "; the first layer's weights are scaled by " + num(r.input_scale) +
                          " so K1 = K* (" + r.stability + ")");
      return r;
    case CriticalityClass::kNone: break;
  }
  const activations::Activation& act = g.activation();
  if (act.f(0.0) == 0.0 && act.df(0.0) != 0.0 && !g.kink_at_zero() && std::isfinite(r.a1) && r.a1 > 0) {
    input_kernel_rule(g, r);
    return r;
  }
  if (Status s = mean_field(g, r); !s) return s;
  return r;
}

}  // namespace actlab::theory
