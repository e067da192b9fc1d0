// q^l, c^l and χ₁ through depth (see propagate.hpp).
#include "theory/propagate.hpp"

#include <cmath>
#include <optional>
#include <utility>

namespace actlab::theory {
namespace {

Json optional_number(const std::optional<double>& v) { return v ? json_number(*v) : Json(nullptr); }

}  // namespace

Json Propagation::to_json() const {
  Json j;
  j["sigma_w"] = plan.init.sigma_w;
  j["sigma_b"] = plan.init.sigma_b;
  j["q_star"] = json_number(fixed_point.q);
  j["chi1_star"] = json_number(fixed_point.chi1);
  j["dF_dq"] = json_number(fixed_point.slope);
  j["phase"] = phase_name(correlation.phase);
  j["c_star"] = json_number(correlation.c_star);
  j["chi_c"] = json_number(correlation.chi_c);
  j["xi_q"] = optional_number(fixed_point.xi_q);
  j["xi_c"] = optional_number(correlation.xi_c);
  j["layers"] = Json::array();
  for (const auto& L : layers) {
    j["layers"].push_back({{"l", L.l},
                           {"q", json_number(L.q)},
                           {"c", json_number(L.c)},
                           {"one_minus_c", json_number(L.one_minus_c)},
                           {"chi1", json_number(L.chi1)}});
  }
  return j;
}

Result<Propagation> propagate(const GaussianIntegrator& g, const PropagatePlan& plan) {
  const Init init = plan.init;
  const int depth = plan.depth;
  if (!(init.sigma_w > 0)) return Status::invalid_field("sigma_w", "must be > 0");
  if (!(init.sigma_b >= 0)) return Status::invalid_field("sigma_b", "must be >= 0");
  if (depth < 1) return Status::invalid_field("depth", "must be at least 1");
  if (!(plan.q0 > 0)) return Status::invalid_field("q0", "must be > 0");
  if (!(std::fabs(plan.c0) <= 1)) return Status::invalid_field("c0", "must be in [-1, 1]");
  auto fp = variance_fixed_point(g, init, plan.q0);
  if (!fp) return fp.status();
  // q^l from q0 through the variance map; c^l at the fixed point q* (both inputs at q*).
  std::vector<double> q(depth + 1), chi1(depth + 1);
  q[0] = plan.q0;
  for (int l = 0; l <= depth; ++l) {
    if (l > 0) q[l] = variance_map(g, init, q[l - 1]);
    chi1[l] = init.sigma_w * init.sigma_w * g.expect(q[l]).dphi2;
  }
  auto corr = correlation_iterates(g, init, fp->q, plan.c0, depth);
  if (!corr) return corr.status();
  // c* (1 unless chaotic), χ_c = f'(c*) and ξ_c = −1/log χ_c.
  auto cf = correlation_fixed_point(g, init, *fp);
  if (!cf) return cf.status();
  Propagation out{.plan = plan, .fixed_point = *fp, .correlation = *cf, .layers = {}};
  out.layers.reserve(depth + 1);
  for (int l = 0; l <= depth; ++l) out.layers.push_back({l, q[l], corr->c[l], corr->one_minus_c[l], chi1[l]});
  return out;
}

}  // namespace actlab::theory
