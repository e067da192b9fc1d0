// The EOC curve and the phase diagram (see phase.hpp).
#include "theory/phase.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

namespace actlab::theory {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string g6(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string g8(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.8g", v);
  return buf;
}

Json optional_number(const std::optional<double>& v) { return v ? json_number(*v) : Json(nullptr); }

}  // namespace

Json EocCurve::to_json() const {
  Json j;
  j["points"] = Json::array();
  Json missing = Json::array();
  for (const auto& row : rows) {
    if (row.points.empty()) missing.push_back(row.sigma_b);
    for (const auto& p : row.points) {
      j["points"].push_back({{"sigma_b", json_number(p.sigma_b)},
                             {"sigma_w", json_number(p.sigma_w)},
                             {"q_star", json_number(p.q)},
                             {"chi1", json_number(p.chi1)},
                             {"dF_dq", json_number(p.slope)},
                             {"stable", p.stable},
                             {"marginal", p.marginal},
                             {"beta_q", json_number(p.beta_q)},
                             {"xi_q", optional_number(p.marginal ? std::nullopt : depth_scale(p.slope))},
                             {"q_free", p.q_free}});
    }
  }
  j["sigma_b_without_eoc"] = std::move(missing);
  return j;
}

Result<EocCurve> edge_of_chaos(const GaussianIntegrator& g, std::span<const double> sigma_bs) {
  if (sigma_bs.empty()) return Status::invalid_field("sigma_b", "no values");
  for (double sb : sigma_bs)
    if (!(sb >= 0)) return Status::invalid_field("sigma_b", "values must be >= 0, got " + g8(sb));
  auto curve = eoc_curve(g, sigma_bs);
  if (!curve) return curve.status();
  std::size_t found = 0;
  for (const auto& row : *curve) found += row.points.size();
  if (found == 0) {
    // ReLU-like activations have their only EOC point at σ_b = 0 (Hayou et al. 2019, arXiv 1902.06853):
    // eoc_points says so, rather than an empty table.
    auto single = eoc_points(g, sigma_bs.front());
    return single ? Status::not_found("no edge-of-chaos point for " + g.activation().name() +
                                      " at the given sigma_b")
                  : single.status();
  }
  return EocCurve{std::move(*curve)};
}

std::vector<double> PhaseGrid::chi1_values() const {
  std::vector<double> v;
  v.reserve(points.size());
  for (const auto& p : points) v.push_back(p.chi1.value_or(kNaN));
  return v;
}

std::vector<double> PhaseGrid::c_star_values() const {
  std::vector<double> v;
  v.reserve(points.size());
  for (const auto& p : points) v.push_back(p.c_star.value_or(kNaN));
  return v;
}

PhaseCounts PhaseGrid::counts() const {
  PhaseCounts c;
  for (const auto& p : points) {
    if (!p.phase) {
      ++c.divergent;
      continue;
    }
    switch (*p.phase) {
      case Phase::kOrdered: ++c.ordered; break;
      case Phase::kEdge: ++c.edge; break;
      case Phase::kChaotic: ++c.chaotic; break;
    }
  }
  return c;
}

Json PhaseGrid::to_json() const {
  Json j;
  j["sigma_w"] = sigma_w;
  j["sigma_b"] = sigma_b;
  Json grid = Json::array();
  for (const auto& p : points) {
    Json row{{"sigma_w", p.sigma_w}, {"sigma_b", p.sigma_b}};
    if (!p.phase) {
      // The right-hand side first: the keys enter as c_star, chi1, q_star (the order the output always had).
      row["q_star"] = row["chi1"] = row["c_star"] = nullptr;
      row["phase"] = "divergent";
    } else {
      row["q_star"] = json_number(*p.q_star);
      row["chi1"] = json_number(*p.chi1);
      row["c_star"] = optional_number(p.c_star);
      row["phase"] = phase_name(*p.phase);
    }
    grid.push_back(std::move(row));
  }
  j["grid"] = std::move(grid);
  Json eoc_json = Json::array();
  for (const auto& p : eoc) {
    eoc_json.push_back({{"sigma_b", json_number(p.sigma_b)},
                        {"sigma_w", json_number(p.sigma_w)},
                        {"q_star", json_number(p.q)},
                        {"stable", p.stable},
                        {"marginal", p.marginal}});
  }
  j["eoc"] = std::move(eoc_json);
  return j;
}

Result<PhaseGrid> phase_grid(const GaussianIntegrator& g, std::span<const double> sigma_ws,
                             std::span<const double> sigma_bs) {
  for (double w : sigma_ws)
    if (!(w > 0) || !std::isfinite(w))
      return Status::invalid_field("sigma_w", "values must be > 0, got " + g6(w));
  for (double b : sigma_bs)
    if (!(b >= 0) || !std::isfinite(b))
      return Status::invalid_field("sigma_b", "values must be >= 0, got " + g6(b));
  if (sigma_ws.size() < 2)
    return Status::invalid_field(
        "sigma_w", "a phase diagram needs at least 2 values, got " + std::to_string(sigma_ws.size()));
  if (sigma_bs.size() < 2)
    return Status::invalid_field(
        "sigma_b", "a phase diagram needs at least 2 values, got " + std::to_string(sigma_bs.size()));
  if (sigma_ws.size() * sigma_bs.size() > kMaxPhaseGridPoints)
    return Status::invalid_field("sigma_w", "at most " + std::to_string(kMaxPhaseGridPoints) +
                                                " grid points (sigma_w x sigma_b), got " +
                                                std::to_string(sigma_ws.size()) + " x " +
                                                std::to_string(sigma_bs.size()));
  PhaseGrid out;
  out.sigma_w.assign(sigma_ws.begin(), sigma_ws.end());
  out.sigma_b.assign(sigma_bs.begin(), sigma_bs.end());
  const std::size_t nx = sigma_ws.size(), ny = sigma_bs.size();
  out.points.reserve(nx * ny);
  for (std::size_t j = 0; j < ny; ++j) {
    for (std::size_t i = 0; i < nx; ++i) {
      const Init init{sigma_ws[i], sigma_bs[j]};
      PhasePoint p;
      p.sigma_w = init.sigma_w;
      p.sigma_b = init.sigma_b;
      if (auto fp = variance_fixed_point(g, init)) {
        p.q_star = fp->q;
        p.chi1 = fp->chi1;
        auto cf = correlation_fixed_point(g, init, *fp, false);
        if (cf) p.c_star = cf->c_star;
        p.phase = cf ? cf->phase : phase_of(fp->chi1);
      }
      out.points.push_back(p);
    }
  }
  // The EOC curve on a 4× finer σ_b grid over the same range.
  const double b0 = sigma_bs.front(), b1 = sigma_bs.back();
  std::vector<double> fine(4 * (ny - 1) + 1);
  for (std::size_t k = 0; k < fine.size(); ++k) fine[k] = b0 + (b1 - b0) * k / (fine.size() - 1);
  auto curve = eoc_curve(g, fine);
  if (!curve) return curve.status();
  for (const auto& row : *curve) out.eoc.insert(out.eoc.end(), row.points.begin(), row.points.end());
  return out;
}

}  // namespace actlab::theory
