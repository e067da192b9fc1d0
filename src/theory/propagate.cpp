// q^l, c^l and χ₁ through depth (see propagate.hpp).
#include "theory/propagate.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace actlab::theory {
namespace {

Json optional_number(const std::optional<double>& v) { return v ? json_number(*v) : Json(nullptr); }

}  // namespace

const char* stability_name(const FixedPoint& fp) {
  return fp.marginal ? "marginal" : fp.stable ? "stable" : "unstable";
}

Json Propagation::to_json() const {
  Json j;
  j["sigma_w"] = plan.init.sigma_w;
  j["sigma_b"] = plan.init.sigma_b;
  const FixedPoint* fp = fixed_point ? &*fixed_point : nullptr;
  const CorrelationFixedPoint* cf = correlation ? &*correlation : nullptr;
  j["q_star"] = fp ? json_number(fp->q) : Json(nullptr);
  j["chi1_star"] = fp ? json_number(fp->chi1) : Json(nullptr);
  j["dF_dq"] = fp ? json_number(fp->slope) : Json(nullptr);
  j["stability"] = fp ? Json(stability_name(*fp)) : Json(nullptr);
  j["phase"] = cf ? Json(phase_name(cf->phase)) : Json(nullptr);
  j["c_star"] = cf ? json_number(cf->c_star) : Json(nullptr);
  j["chi_c"] = cf ? json_number(cf->chi_c) : Json(nullptr);
  j["xi_q"] = fp ? optional_number(fp->xi_q) : Json(nullptr);
  j["xi_c"] = cf ? optional_number(cf->xi_c) : Json(nullptr);
  j["verdict"] = verdict.empty() ? Json(nullptr) : Json(verdict);
  j["note"] = note.empty() ? Json(nullptr) : Json(note);
  j["c_recursion"] = "two inputs from q0";
  const bool two = plan.q0_second && *plan.q0_second != plan.q0;
  j["layers"] = Json::array();
  for (const auto& L : layers) {
    Json row{{"l", L.l}, {"q", json_number(L.q)}};
    if (two) row["q_second"] = json_number(L.q_second);
    row["c"] = json_number(L.c);
    row["one_minus_c"] = json_number(L.one_minus_c);
    row["chi1"] = json_number(L.chi1);
    j["layers"].push_back(std::move(row));
  }
  return j;
}

Result<Propagation> propagate(const GaussianIntegrator& g, const PropagatePlan& plan) {
  const Init init = plan.init;
  const int depth = plan.depth;
  if (!(init.sigma_w > 0) || !std::isfinite(init.sigma_w))
    return Status::invalid_field("sigma_w", "must be finite and > 0");
  if (!(init.sigma_b >= 0) || !std::isfinite(init.sigma_b))
    return Status::invalid_field("sigma_b", "must be finite and >= 0");
  if (depth < 1 || depth > kMaxPropagateDepth)
    return Status::invalid_field("depth", "must be in 1 … " + std::to_string(kMaxPropagateDepth));
  if (!(plan.q0 > 0) || !std::isfinite(plan.q0)) return Status::invalid_field("q0", "must be finite and > 0");
  const double q0b = plan.q0_second.value_or(plan.q0);
  if (!(q0b > 0) || !std::isfinite(q0b)) return Status::invalid_field("q0_second", "must be finite and > 0");
  if (!(std::fabs(plan.c0) <= 1)) return Status::invalid_field("c0", "must be in [-1, 1]");

  if (Status st = finite_moments(g, plan.q0); !st) return st;
  if (Status st = finite_moments(g, q0b); !st) return st;
  Propagation out{
      .plan = plan, .fixed_point = {}, .correlation = {}, .layers = {}, .verdict = {}, .note = {}};
  if (auto fp = variance_fixed_point(g, init, plan.q0); fp) {
    out.fixed_point = *fp;
    if (auto cf = correlation_fixed_point(g, init, *fp); cf) out.correlation = *cf;
    if (fp->zero_limit) {
      out.note =
          "q* = 0 is reached as a limit (sigma_b = 0, phi(0) = 0): chi1 and F' are their q -> 0 limits, and "
          "the correlation map tends to the normalised kernel map, whose slope at c = 1 is 1 (no exponential "
          "approach: see the c column)";
    }
  }
  const double sb2 = init.sigma_b * init.sigma_b, sw2 = init.sigma_w * init.sigma_w;
  const bool equal = q0b == plan.q0;
  double qa = plan.q0, qb = q0b, c = plan.c0, eps = 1.0 - plan.c0;
  auto chi1_at = [&](double q) { return sw2 * g.expect(q).dphi2; };
  out.layers.reserve(depth + 1);
  out.layers.push_back({0, qa, qb, c, eps, chi1_at(qa)});
  for (int l = 1; l <= depth; ++l) {
    const double na = sb2 + sw2 * g.expect(qa).phi2;
    const double nb = equal ? na : sb2 + sw2 * g.expect(qb).phi2;
    double nc = 0.0, neps = 0.0;
    if (equal && c >= 0.0) {
      neps = sw2 * g.half_sq_diff(qa, c) / na;
      nc = 1.0 - neps;
    } else {
      nc = (sb2 + sw2 * g.expect_product(qa, qb, c)) / std::sqrt(na * nb);
      neps = 1.0 - nc;
    }
    const double nchi = chi1_at(na);
    const std::string after = " after layer " + std::to_string(l - 1);
    if (std::isnan(na) || std::isnan(nb)) {
      out.verdict = "the Gaussian expectations of phi are not finite" + after;
      break;
    }
    if (!std::isfinite(na) || !std::isfinite(nb) || na > kQOverflow || nb > kQOverflow) {
      out.verdict = "q explodes" + after + " (above 1e250)";
      break;
    }
    if (na < kQUnderflow || nb < kQUnderflow) {
      out.verdict = "q vanishes" + after + " (below 1e-250; q* = 0)";
      break;
    }
    if (!std::isfinite(nc) || !std::isfinite(neps) || !std::isfinite(nchi) || std::abs(nc) > 1.0 + 1e-12) {
      out.verdict = "the correlation map is not finite" + after;
      break;
    }
    qa = na;
    qb = nb;
    c = std::clamp(nc, -1.0, 1.0);
    eps = neps;
    out.layers.push_back({l, qa, qb, c, eps, nchi});
  }
  if (!out.fixed_point && out.verdict.empty())
    out.verdict = "q^l grows without a finite fixed point (above 1e12 within 200 layers)";
  return out;
}

}  // namespace actlab::theory
