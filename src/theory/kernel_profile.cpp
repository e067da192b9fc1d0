// The kernel recursion, the vertex and the Monte Carlo along depth (see kernel_profile.hpp).
#include "theory/kernel_profile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace actlab::theory {

double KernelProfile::V_over_K2(std::size_t i) const {
  return i < vertex.size() ? vertex[i].V_over_K2 : std::numeric_limits<double>::quiet_NaN();
}

Json KernelProfile::to_json() const {
  Json j;
  j["C_W"] = plan.cw;
  j["C_b"] = plan.cb;
  j["finite"] = recursion.finite;
  j["verdict"] = recursion.verdict.empty() ? Json(nullptr) : Json(recursion.verdict);
  if (plan.mc) {
    j["width"] = *plan.width;
    j["mc"] = *plan.mc;
    j["seed"] = plan.seed;
  }
  j["layers"] = Json::array();
  for (std::size_t i = 0; i < recursion.layers.size(); ++i) {
    const auto& L = recursion.layers[i];
    Json row{{"l", L.l},
             {"K", json_number(L.K)},
             {"chi_par", json_number(L.chi_par)},
             {"chi_perp", json_number(L.chi_perp)},
             {"r", json_number(L.r)},
             {"V_over_K2", i < vertex.size() ? json_number(V_over_K2(i)) : Json(nullptr)}};
    if (plan.mc) {
      const auto& mc = monte_carlo;
      row["mc"] = i < mc.size() ? Json{{"K", json_number(mc[i].K)},
                                       {"K_se", json_number(mc[i].K_se)},
                                       {"V_over_K2", json_number(mc[i].V_over_K2)},
                                       {"V_over_K2_se", json_number(mc[i].V_over_K2_se)}}
                                : Json(nullptr);
    }
    j["layers"].push_back(std::move(row));
  }
  return j;
}

Result<KernelProfile> kernel_profile(const GaussianIntegrator& g, const KernelPlan& plan) {
  const KernelPlan& a = plan;
  if (!(a.cw > 0) || !std::isfinite(a.cw)) return Status::invalid_field("cw", "must be > 0");
  if (!(a.cb >= 0) || !std::isfinite(a.cb)) return Status::invalid_field("cb", "must be >= 0");
  if (!(a.k0 > 0) || !std::isfinite(a.k0)) return Status::invalid_field("k0", "must be > 0");
  if (a.depth < 1) return Status::invalid_field("depth", "must be at least 1");
  if (a.width && *a.width < 1) return Status::invalid_field("width", "must be at least 1");
  if (a.mc && *a.mc < 2) return Status::invalid_field("mc", "the number of networks must be at least 2");
  if (a.width && !a.mc)
    return Status::invalid_field("mc", "the Monte Carlo needs both a width and a number of networks");
  if (a.mc && !a.width)
    return Status::invalid_field("width", "the Monte Carlo needs both a width and a number of networks");
  if (a.mc &&
      static_cast<double>(*a.width) * *a.width * *a.mc * std::max(1, a.depth - 1) > kMaxMonteCarloWork)
    return Status::invalid_field(
        "mc",
        "width^2 * mc * (depth - 1) is over 2e10 weight draws (minutes); lower one of "
        "them");
  auto rec = kernel_recursion(g, a.cb, a.cw, a.k0, a.depth);
  if (!rec) return rec.status();
  auto vertex = vertex_recursion(g, a.cw, *rec);
  if (!vertex) return vertex.status();
  KernelProfile out{
      .plan = plan, .recursion = std::move(*rec), .vertex = std::move(*vertex), .monte_carlo = {}};
  if (a.mc) {
    auto r = monte_carlo_kernel(g.activation(), a.cb, a.cw, a.k0, a.depth,
                                {.width = *a.width, .samples = *a.mc, .seed = a.seed});
    if (!r) return r.status();
    out.monte_carlo = std::move(*r);
  }
  return out;
}

}  // namespace actlab::theory
