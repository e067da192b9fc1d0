// actlab theory eoc | expect | propagate — mean-field signal propagation for any activation (docs/theory.md).
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "activations/catalog.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::cli {
namespace {

using theory::GaussianIntegrator;

Result<GaussianIntegrator> integrator_for(const std::string& spec,
                                          const std::vector<std::string>& param_items) {
  auto params = parse_params(param_items);
  if (!params) return params.status();
  auto act = activations::Activation::make(spec, *params);
  if (!act) return act.status();
  if (act->row_wise()) {
    return Status::invalid(act->name() + " is row-wise: mean-field theory needs an element-wise activation");
  }
  return GaussianIntegrator::make(*act);
}

// ξ_q = −1/log F'(q*) where the variance converges exponentially (0 < F' < 1), else null.
Json xi_from_slope(double slope) {
  if (!(slope > 0 && slope < 1)) return nullptr;
  return json_number(-1.0 / std::log(slope));
}

Json optional_number(const std::optional<double>& v) { return v ? json_number(*v) : Json(nullptr); }

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.8g", v);
  return buf;
}

int run_eoc(const std::string& spec, const std::vector<std::string>& params, const std::string& sigma_b_text,
            bool json) {
  auto sigma_bs = parse_grid("--sigma-b", sigma_b_text);
  if (!sigma_bs) return finish(sigma_bs.status());
  for (double sb : *sigma_bs) {
    if (!(sb >= 0)) return finish(Status::invalid("--sigma-b: values must be >= 0, got " + fmt(sb)));
  }
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto curve = theory::eoc_curve(*g, *sigma_bs);
  if (!curve) return finish(curve.status());
  std::size_t found = 0;
  for (const auto& row : *curve) found += row.points.size();
  if (found == 0) {
    // ReLU-like activations have their only EOC point at σ_b = 0 (spec §2.2); say so rather than print
    // nothing.
    auto single = theory::eoc_points(*g, sigma_bs->front());
    return finish(single ? Status::not_found("no edge-of-chaos point for " + spec + " at the given --sigma-b")
                         : single.status());
  }
  if (json) {
    Json j;
    j["activation"] = spec;
    j["points"] = Json::array();
    Json missing = Json::array();
    for (const auto& row : *curve) {
      if (row.points.empty()) missing.push_back(row.sigma_b);
      for (const auto& p : row.points) {
        j["points"].push_back({{"sigma_b", json_number(p.sigma_b)},
                               {"sigma_w", json_number(p.sigma_w)},
                               {"q_star", json_number(p.q)},
                               {"chi1", json_number(p.chi1)},
                               {"dF_dq", json_number(p.slope)},
                               {"stable", p.stable},
                               {"beta_q", json_number(p.beta_q)},
                               {"xi_q", xi_from_slope(p.slope)},
                               {"q_free", p.q_free}});
      }
    }
    j["sigma_b_without_eoc"] = missing;
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("edge of chaos of %s (chi1 = 1 at the variance fixed point q*)\n\n", spec.c_str());
  std::printf("  %10s %12s %12s %10s %7s %10s %10s\n", "sigma_b", "sigma_w", "q*", "F'(q*)", "stable",
              "beta_q", "xi_q");
  for (const auto& row : *curve) {
    if (row.points.empty()) std::printf("  %10.6g   (no EOC point)\n", row.sigma_b);
    for (const auto& p : row.points) {
      const Json xi = xi_from_slope(p.slope);
      std::printf("  %10.6g %12.8g %12.8g %10.6g %7s %10.6g %10s\n", p.sigma_b, p.sigma_w, p.q, p.slope,
                  p.stable ? "yes" : "no", p.beta_q, xi.is_null() ? "-" : fmt(xi.get<double>()).c_str());
    }
  }
  return kExitOk;
}

int run_expect(const std::string& spec, const std::vector<std::string>& params, double q,
               std::optional<double> c, bool json) {
  if (!(q >= 0) || !std::isfinite(q)) return finish(Status::invalid("--q: the variance must be >= 0"));
  if (c && !(std::fabs(*c) <= 1)) return finish(Status::invalid("--c: the correlation must be in [-1, 1]"));
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  const theory::Moments m = g->expect(q);
  Json j;
  j["activation"] = spec;
  j["q"] = q;
  j["E_phi"] = json_number(m.phi);
  j["E_phi2"] = json_number(m.phi2);
  j["E_dphi2"] = json_number(m.dphi2);
  j["E_d2phi2"] = json_number(m.d2phi2);
  j["E_phi_d2phi"] = json_number(m.phi_d2phi);
  j["E_u_phi_dphi"] = json_number(m.u_phi_dphi);
  if (c) {
    j["c"] = *c;
    j["E_phi_phi"] = json_number(g->expect_product(q, q, *c, theory::Derivative::kValue));
    j["E_dphi_dphi"] = json_number(g->expect_product(q, q, *c, theory::Derivative::kFirst));
  }
  if (json) {
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("Gaussian expectations of %s, u ~ N(0, q), q = %s%s\n", spec.c_str(), fmt(q).c_str(),
              c ? (", corr(u1, u2) = " + fmt(*c)).c_str() : "");
  for (const auto& [k, v] : j.items()) {
    if (k.rfind("E_", 0) == 0) std::printf("  %-14s %s\n", k.c_str(), v.dump().c_str());
  }
  return kExitOk;
}

int run_propagate(const std::string& spec, const std::vector<std::string>& params, double sigma_w,
                  double sigma_b, int depth, double q0, double c0, bool json) {
  if (!(sigma_w > 0)) return finish(Status::invalid("--sigma-w: must be > 0"));
  if (!(sigma_b >= 0)) return finish(Status::invalid("--sigma-b: must be >= 0"));
  if (depth < 1) return finish(Status::invalid("--depth: must be at least 1"));
  if (!(q0 > 0)) return finish(Status::invalid("--q0: must be > 0"));
  if (!(std::fabs(c0) <= 1)) return finish(Status::invalid("--c0: must be in [-1, 1]"));
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  const theory::Init init{sigma_w, sigma_b};
  auto fp = theory::variance_fixed_point(*g, init, q0);
  if (!fp) return finish(fp.status());
  // q^l from q0 through the variance map; c^l at the fixed point q* (both inputs at q*, spec §1).
  std::vector<double> q(depth + 1), chi1(depth + 1);
  q[0] = q0;
  for (int l = 0; l <= depth; ++l) {
    if (l > 0) q[l] = theory::variance_map(*g, init, q[l - 1]);
    chi1[l] = sigma_w * sigma_w * g->expect(q[l]).dphi2;
  }
  auto corr = theory::correlation_iterates(*g, init, fp->q, c0, depth);
  if (!corr) return finish(corr.status());
  const char* phase = std::fabs(fp->chi1 - 1) <= 1e-6 ? "edge" : fp->chi1 < 1 ? "ordered" : "chaotic";
  if (json) {
    Json j;
    j["activation"] = spec;
    j["sigma_w"] = sigma_w;
    j["sigma_b"] = sigma_b;
    j["q_star"] = json_number(fp->q);
    j["chi1_star"] = json_number(fp->chi1);
    j["dF_dq"] = json_number(fp->slope);
    j["phase"] = phase;
    j["xi_q"] = optional_number(fp->xi_q);
    j["xi_c"] = optional_number(fp->xi_c);
    j["layers"] = Json::array();
    for (int l = 0; l <= depth; ++l) {
      j["layers"].push_back({{"l", l},
                             {"q", json_number(q[l])},
                             {"c", json_number(corr->c[l])},
                             {"one_minus_c", json_number(corr->one_minus_c[l])},
                             {"chi1", json_number(chi1[l])}});
    }
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("%s with sigma_w = %s, sigma_b = %s: q* = %s, chi1 = %s (%s), F'(q*) = %s\n", spec.c_str(),
              fmt(sigma_w).c_str(), fmt(sigma_b).c_str(), fmt(fp->q).c_str(), fmt(fp->chi1).c_str(), phase,
              fmt(fp->slope).c_str());
  std::printf("  xi_q = %s, xi_c = %s\n\n", fp->xi_q ? fmt(*fp->xi_q).c_str() : "-",
              fp->xi_c ? fmt(*fp->xi_c).c_str() : "-");
  std::printf("  %5s %14s %14s %14s %12s\n", "l", "q", "c", "1 - c", "chi1(q)");
  for (int l = 0; l <= depth; ++l) {
    std::printf("  %5d %14.8g %14.10g %14.6g %12.8g\n", l, q[l], corr->c[l], corr->one_minus_c[l], chi1[l]);
  }
  return kExitOk;
}

int run_kernel(const std::string& spec, const std::vector<std::string>& params, double cw, double cb,
               double k0, int depth, bool json) {
  if (!(cw > 0)) return finish(Status::invalid("--cw: must be > 0"));
  if (!(cb >= 0)) return finish(Status::invalid("--cb: must be >= 0"));
  if (!(k0 > 0)) return finish(Status::invalid("--k0: must be > 0"));
  if (depth < 1) return finish(Status::invalid("--depth: must be at least 1"));
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto rec = theory::kernel_recursion(*g, cb, cw, k0, depth);
  if (!rec) return finish(rec.status());
  if (json) {
    Json j;
    j["activation"] = spec;
    j["C_W"] = cw;
    j["C_b"] = cb;
    j["finite"] = rec->finite;
    j["layers"] = Json::array();
    for (const auto& L : rec->layers) {
      j["layers"].push_back({{"l", L.l},
                             {"K", json_number(L.K)},
                             {"chi_par", json_number(L.chi_par)},
                             {"chi_perp", json_number(L.chi_perp)},
                             {"r", json_number(L.r)}});
    }
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("kernel recursion K^(l+1) = C_b + C_W <phi^2>_K for %s, C_W = %s, C_b = %s\n\n", spec.c_str(),
              fmt(cw).c_str(), fmt(cb).c_str());
  std::printf("  %5s %14s %12s %12s %10s\n", "l", "K", "chi_par", "chi_perp", "r");
  for (const auto& L : rec->layers) {
    std::printf("  %5d %14.8g %12.8g %12.8g %10.6g\n", L.l, L.K, L.chi_par, L.chi_perp, L.r);
  }
  if (!rec->finite) {
    std::printf("  K overflowed after layer %zu: the kernel explodes with depth\n", rec->layers.size());
  }
  return kExitOk;
}

Json classification_json(const std::string& name, const theory::Classification& c) {
  Json j;
  j["activation"] = name;
  j["class"] = theory::criticality_class_name(c.kind);
  j["a1"] = json_number(c.a1);
  j["b1"] = json_number(c.b1);
  if (c.critical) {
    j["critical"] = {{"C_b", json_number(c.critical->C_b)},
                     {"C_W", json_number(c.critical->C_W)},
                     {"K_star", json_number(c.critical->K_star)}};
  } else {
    j["critical"] = nullptr;
  }
  j["notes"] = c.notes;
  return j;
}

int run_classify(const std::string& spec, const std::vector<std::string>& params, bool all, bool json) {
  if (all == !spec.empty())
    return finish(Status::invalid("give an activation or --all, not both or neither"));
  if (!all) {
    auto g = integrator_for(spec, params);
    if (!g) return finish(g.status());
    auto c = theory::classify(*g);
    if (!c) return finish(c.status());
    Json j = classification_json(spec, *c);
    if (json) {
      std::printf("%s\n", json_dump(j, true).c_str());
      return kExitOk;
    }
    std::printf("%s: %s\n", spec.c_str(), j["class"].get<std::string>().c_str());
    if (c->critical) {
      std::printf("  critical initialisation: C_b = %s, C_W = %s, K* = %s\n", fmt(c->critical->C_b).c_str(),
                  fmt(c->critical->C_W).c_str(), fmt(c->critical->K_star).c_str());
    }
    if (std::isfinite(c->a1)) std::printf("  a1 = %s, b1 = %s\n", fmt(c->a1).c_str(), fmt(c->b1).c_str());
    std::printf("  %s\n", c->notes.c_str());
    return kExitOk;
  }
  // The whole catalog: class, critical point, and the EOC sigma_w at sigma_b = 0.2 (or none).
  Json rows = Json::array();
  if (!json)
    std::printf("%-19s %-15s %11s %11s %11s %12s\n", "activation", "class", "C_b", "C_W", "K*", "EOC sw@0.2");
  for (const auto& e : activations::catalog()) {
    if (e.row_wise()) continue;
    auto act = activations::Activation::make(e.name);
    if (!act) return finish(act.status());
    auto g = GaussianIntegrator::make(*act);
    if (!g) return finish(g.status());
    auto c = theory::classify(*g);
    Json j =
        c ? classification_json(e.name, *c) : Json{{"activation", e.name}, {"error", c.status().message()}};
    auto eoc = theory::eoc_points(*g, 0.2);
    j["eoc_sigma_w_at_sigma_b_0.2"] =
        eoc && !eoc->empty() ? json_number(eoc->front().sigma_w) : Json(nullptr);
    if (!json) {
      auto num = [](const Json& v) { return v.is_number() ? fmt(v.get<double>()) : std::string("-"); };
      const Json crit = j.value("critical", Json(nullptr));
      std::printf(
          "%-19s %-15s %11s %11s %11s %12s\n", e.name.c_str(), j.value("class", "error").c_str(),
          crit.is_null() ? "-" : num(crit["C_b"]).c_str(), crit.is_null() ? "-" : num(crit["C_W"]).c_str(),
          crit.is_null() ? "-" : num(crit["K_star"]).c_str(), num(j["eoc_sigma_w_at_sigma_b_0.2"]).c_str());
    }
    rows.push_back(std::move(j));
  }
  if (json) std::printf("%s\n", json_dump(Json{{"activations", rows}}, true).c_str());
  return kExitOk;
}

}  // namespace

void add_theory_command(CLI::App& app, int& exit_code) {
  CLI::App* th =
      app.add_subcommand("theory", "Mean-field signal propagation: edge of chaos, fixed points, depth");
  th->require_subcommand(1);
  struct Options {
    std::string spec, sigma_b_text;
    std::vector<std::string> params;
    double q = 1.0, sigma_w = 1.0, sigma_b = 0.0, q0 = 1.0, c0 = 0.0, cw = 1.0, cb = 0.0, k0 = 1.0;
    bool all = false;
    std::optional<double> c;
    int depth = 20;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("activation", o->spec, "Catalog name or formula")->required();
    cmd->add_option("--param", o->params, "Parameter value NAME=VALUE (repeatable)");
    cmd->add_flag("--json", o->json, "Machine-readable output");
  };

  CLI::App* eoc = th->add_subcommand("eoc", "Edge-of-chaos points (sigma_b -> sigma_w, q*) with stability");
  common(eoc);
  eoc->add_option("--sigma-b", o->sigma_b_text, "Bias scales: a list 0.1,0.2 or a grid a:b:n")->required();
  eoc->callback([o, &exit_code] { exit_code = run_eoc(o->spec, o->params, o->sigma_b_text, o->json); });

  CLI::App* ex =
      th->add_subcommand("expect", "Raw Gaussian expectations E phi^2, E phi'^2, ... at variance q");
  common(ex);
  ex->add_option("--q", o->q, "Variance q of u ~ N(0, q)")->required();
  ex->add_option("--c", o->c, "Correlation of (u1, u2) for the two-point expectations");
  ex->callback([o, &exit_code] { exit_code = run_expect(o->spec, o->params, o->q, o->c, o->json); });

  CLI::App* pr = th->add_subcommand("propagate", "Variance and correlation of two inputs through depth");
  common(pr);
  pr->add_option("--sigma-w", o->sigma_w, "Weight scale sigma_w (W ~ N(0, sigma_w^2/N))")->required();
  pr->add_option("--sigma-b", o->sigma_b, "Bias scale sigma_b")->required();
  pr->add_option("--depth", o->depth, "Number of layers")->required();
  pr->add_option("--q0", o->q0, "Input variance q^0 (default 1)");
  pr->add_option("--c0", o->c0, "Input correlation c^0 (default 0)");
  pr->callback([o, &exit_code] {
    exit_code = run_propagate(o->spec, o->params, o->sigma_w, o->sigma_b, o->depth, o->q0, o->c0, o->json);
  });

  CLI::App* ke =
      th->add_subcommand("kernel", "Effective theory: kernel recursion with chi_par, chi_perp over depth");
  common(ke);
  ke->add_option("--cw", o->cw, "C_W (weight variance times fan-in)")->required();
  ke->add_option("--cb", o->cb, "C_b (bias variance)")->required();
  ke->add_option("--k0", o->k0, "First-layer kernel K^(1)")->required();
  ke->add_option("--depth", o->depth, "Number of layers")->required();
  ke->callback([o, &exit_code] {
    exit_code = run_kernel(o->spec, o->params, o->cw, o->cb, o->k0, o->depth, o->json);
  });

  CLI::App* cl = th->add_subcommand("classify", "Universality class and critical initialisation (C_b, C_W)");
  cl->add_option("activation", o->spec, "Catalog name or formula");
  cl->add_option("--param", o->params, "Parameter value NAME=VALUE (repeatable)");
  cl->add_flag("--all", o->all, "Every element-wise catalog entry, with its EOC sigma_w at sigma_b = 0.2");
  cl->add_flag("--json", o->json, "Machine-readable output");
  cl->callback([o, &exit_code] { exit_code = run_classify(o->spec, o->params, o->all, o->json); });
}

}  // namespace actlab::cli
