// actlab theory eoc | expect | propagate | kernel | classify | phase — mean-field signal propagation and the
// effective theory for any activation (docs/theory.md). `phase` lives in cli/theory_phase.cpp.
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
#include "cli/theory_phase.hpp"
#include "core/json.hpp"
#include "report/figure.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"
#include "theory/monte_carlo.hpp"
#include "theory/vertex.hpp"

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

// Draws fig into plot (when asked for); the status of the drawing.
Status maybe_plot(const report::Figure& fig, const std::string& plot) {
  if (plot.empty()) return Status::ok();
  return report::render(fig, plot);
}

int run_eoc(const std::string& spec, const std::vector<std::string>& params, const std::string& sigma_b_text,
            const std::string& plot, bool json) {
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
  if (!plot.empty()) {
    // σ_w against σ_b; roots beyond the first (several EOC points at one σ_b) as their own series.
    report::Figure fig{.title = "edge of chaos of " + spec, .xlabel = "sigma_b", .ylabel = "sigma_w"};
    std::size_t roots = 0;
    for (const auto& row : *curve) roots = std::max(roots, row.points.size());
    for (std::size_t r = 0; r < roots; ++r) {
      report::Series s{.label = roots == 1 ? "sigma_w on the EOC" : "EOC root " + std::to_string(r + 1),
                       .style = "linespoints"};
      for (const auto& row : *curve) {
        s.x.push_back(row.sigma_b);
        s.y.push_back(r < row.points.size() ? row.points[r].sigma_w : std::nan(""));
      }
      fig.series.push_back(std::move(s));
    }
    if (Status st = maybe_plot(fig, plot); !st) return finish(st);
  }
  if (json) {
    Json j;
    j["activation"] = spec;
    if (!plot.empty()) j["plot"] = plot;
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
                  double sigma_b, int depth, double q0, double c0, const std::string& plot, bool json) {
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
  // c* (1 unless chaotic), χ_c = f'(c*) and ξ_c = −1/log χ_c (spec §1 depth scales).
  auto cf = theory::correlation_fixed_point(*g, init, *fp);
  if (!cf) return finish(cf.status());
  const char* phase = theory::phase_name(cf->phase);
  if (!plot.empty()) {
    report::Figure fig{
        .title = spec + ": sigma_w = " + fmt(sigma_w) + ", sigma_b = " + fmt(sigma_b) + " (" + phase + ")",
        .xlabel = "layer l",
        .ylabel = "q^l / q*, c^l"};
    report::Series sq{.label = "q^l / q*", .style = "linespoints"},
        sc{.label = "c^l", .style = "linespoints"}, ss{.label = "c* = " + fmt(cf->c_star), .style = "lines"};
    for (int l = 0; l <= depth; ++l) {
      sq.x.push_back(l);
      sq.y.push_back(fp->q > 0 ? q[l] / fp->q : std::nan(""));
      sc.x.push_back(l);
      sc.y.push_back(corr->c[l]);
    }
    ss.x = {0.0, static_cast<double>(depth)};
    ss.y = {cf->c_star, cf->c_star};
    fig.series = {sq, sc, ss};
    if (Status st = maybe_plot(fig, plot); !st) return finish(st);
  }
  if (json) {
    Json j;
    j["activation"] = spec;
    j["sigma_w"] = sigma_w;
    j["sigma_b"] = sigma_b;
    j["q_star"] = json_number(fp->q);
    j["chi1_star"] = json_number(fp->chi1);
    j["dF_dq"] = json_number(fp->slope);
    j["phase"] = phase;
    j["c_star"] = json_number(cf->c_star);
    j["chi_c"] = json_number(cf->chi_c);
    j["xi_q"] = optional_number(fp->xi_q);
    j["xi_c"] = optional_number(cf->xi_c);
    if (!plot.empty()) j["plot"] = plot;
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
  std::printf("  c* = %s, chi_c = %s, xi_q = %s, xi_c = %s\n\n", fmt(cf->c_star).c_str(),
              fmt(cf->chi_c).c_str(), fp->xi_q ? fmt(*fp->xi_q).c_str() : "-",
              cf->xi_c ? fmt(*cf->xi_c).c_str() : "-");
  std::printf("  %5s %14s %14s %14s %12s\n", "l", "q", "c", "1 - c", "chi1(q)");
  for (int l = 0; l <= depth; ++l) {
    std::printf("  %5d %14.8g %14.10g %14.6g %12.8g\n", l, q[l], corr->c[l], corr->one_minus_c[l], chi1[l]);
  }
  return kExitOk;
}

// Largest width² · samples · (depth − 1) the Monte Carlo accepts (~10 ns per weight: ~3 minutes).
constexpr double kMaxMonteCarloWork = 2e10;

struct KernelArgs {
  double cw = 1.0, cb = 0.0, k0 = 1.0;
  int depth = 20;
  std::optional<int> width, mc;
  std::uint64_t seed = 0;
  std::string plot;
};

int run_kernel(const std::string& spec, const std::vector<std::string>& params, const KernelArgs& a,
               bool json) {
  if (!(a.cw > 0) || !std::isfinite(a.cw)) return finish(Status::invalid("--cw: must be > 0"));
  if (!(a.cb >= 0) || !std::isfinite(a.cb)) return finish(Status::invalid("--cb: must be >= 0"));
  if (!(a.k0 > 0) || !std::isfinite(a.k0)) return finish(Status::invalid("--k0: must be > 0"));
  if (a.depth < 1) return finish(Status::invalid("--depth: must be at least 1"));
  if (a.width && *a.width < 1) return finish(Status::invalid("--width: must be at least 1"));
  if (a.mc && *a.mc < 2) return finish(Status::invalid("--mc: the number of networks must be at least 2"));
  if (a.width.has_value() != a.mc.has_value())
    return finish(Status::invalid("--width and --mc go together: the Monte Carlo needs both"));
  if (a.mc &&
      static_cast<double>(*a.width) * *a.width * *a.mc * std::max(1, a.depth - 1) > kMaxMonteCarloWork)
    return finish(
        Status::invalid("--width, --mc, --depth: width^2 * mc * (depth - 1) is over 2e10 weight draws "
                        "(minutes); lower one of them"));
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto rec = theory::kernel_recursion(*g, a.cb, a.cw, a.k0, a.depth);
  if (!rec) return finish(rec.status());
  auto vertex = theory::vertex_recursion(*g, a.cw, *rec);
  if (!vertex) return finish(vertex.status());
  std::vector<theory::MonteCarloLayer> mc;
  if (a.mc) {
    auto r = theory::monte_carlo_kernel(g->activation(), a.cb, a.cw, a.k0, a.depth,
                                        {.width = *a.width, .samples = *a.mc, .seed = a.seed});
    if (!r) return finish(r.status());
    mc = std::move(*r);
  }
  const std::size_t n = rec->layers.size();
  auto vk2 = [&](std::size_t i) { return i < vertex->size() ? (*vertex)[i].V_over_K2 : std::nan(""); };
  if (!a.plot.empty()) {
    report::Figure fig{.title = spec + ": C_W = " + fmt(a.cw) + ", C_b = " + fmt(a.cb),
                       .xlabel = "layer l",
                       .ylabel = "K, V/K^2"};
    report::Series K{.label = "K (theory)", .style = "lines"}, V{.label = "V/K^2 (theory)", .style = "lines"};
    report::Series Km{.label = "K (Monte Carlo)", .style = "points"},
        Vm{.label = "V/K^2 (Monte Carlo)", .style = "points"};
    double kmin = std::numeric_limits<double>::infinity(), kmax = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double Ki = rec->layers[i].K;
      if (Ki > 0) kmin = std::min(kmin, Ki), kmax = std::max(kmax, Ki);
    }
    fig.logy = kmax > 100 * kmin;  // double-exponential kernels (RePU) need a log axis
    auto y = [&](double v) { return fig.logy && !(v > 0) ? std::nan("") : v; };
    for (std::size_t i = 0; i < n; ++i) {
      K.x.push_back(rec->layers[i].l);
      K.y.push_back(y(rec->layers[i].K));
      V.x.push_back(rec->layers[i].l);
      V.y.push_back(y(vk2(i)));
    }
    for (const auto& m : mc) {
      Km.x.push_back(m.l);
      Km.y.push_back(y(m.K));
      Vm.x.push_back(m.l);
      Vm.y.push_back(y(m.V_over_K2));
    }
    fig.series = {K, V};
    if (!mc.empty()) fig.series.insert(fig.series.end(), {Km, Vm});
    if (Status st = maybe_plot(fig, a.plot); !st) return finish(st);
  }
  if (json) {
    Json j;
    j["activation"] = spec;
    j["C_W"] = a.cw;
    j["C_b"] = a.cb;
    j["finite"] = rec->finite;
    if (a.mc) {
      j["width"] = *a.width;
      j["mc"] = *a.mc;
      j["seed"] = a.seed;
    }
    if (!a.plot.empty()) j["plot"] = a.plot;
    j["layers"] = Json::array();
    for (std::size_t i = 0; i < n; ++i) {
      const auto& L = rec->layers[i];
      Json row{{"l", L.l},
               {"K", json_number(L.K)},
               {"chi_par", json_number(L.chi_par)},
               {"chi_perp", json_number(L.chi_perp)},
               {"r", json_number(L.r)},
               {"V_over_K2", i < vertex->size() ? json_number(vk2(i)) : Json(nullptr)}};
      if (a.mc) {
        row["mc"] = i < mc.size() ? Json{{"K", json_number(mc[i].K)},
                                         {"K_se", json_number(mc[i].K_se)},
                                         {"V_over_K2", json_number(mc[i].V_over_K2)},
                                         {"V_over_K2_se", json_number(mc[i].V_over_K2_se)}}
                                  : Json(nullptr);
      }
      j["layers"].push_back(std::move(row));
    }
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("kernel recursion K^(l+1) = C_b + C_W <phi^2>_K for %s, C_W = %s, C_b = %s\n", spec.c_str(),
              fmt(a.cw).c_str(), fmt(a.cb).c_str());
  if (a.mc) {
    std::printf("Monte Carlo: %d networks of width %d, seed %llu (estimate +- standard error)\n", *a.mc,
                *a.width, static_cast<unsigned long long>(a.seed));
  }
  std::printf("\n  %5s %14s %12s %12s %10s %12s", "l", "K", "chi_par", "chi_perp", "r", "V/K^2");
  if (a.mc) std::printf(" %24s %22s", "K (MC)", "V/K^2 (MC)");
  std::printf("\n");
  for (std::size_t i = 0; i < n; ++i) {
    const auto& L = rec->layers[i];
    std::printf("  %5d %14.8g %12.8g %12.8g %10.6g %12.6g", L.l, L.K, L.chi_par, L.chi_perp, L.r, vk2(i));
    if (i < mc.size()) {
      std::printf(" %12.6g +- %-8.2g %10.4g +- %-8.2g", mc[i].K, mc[i].K_se, mc[i].V_over_K2,
                  mc[i].V_over_K2_se);
    }
    std::printf("\n");
  }
  if (!rec->finite) {
    std::printf("  K overflowed after layer %zu: the kernel explodes with depth\n", rec->layers.size());
  }
  if (a.mc && mc.size() < n) std::printf("  Monte Carlo: z overflowed after layer %zu\n", mc.size());
  if (!a.plot.empty()) std::printf("wrote %s\n", a.plot.c_str());
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
    std::string spec, sigma_b_text, sigma_w_text = "0.25:4:32", phase_sigma_b_text = "0:1.5:16", plot, out;
    KernelArgs kernel;
    std::vector<std::string> params;
    double q = 1.0, sigma_w = 1.0, sigma_b = 0.0, q0 = 1.0, c0 = 0.0;
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
  eoc->add_option("--plot", o->plot, "Also draw sigma_w against sigma_b into this .svg or .png (gnuplot)");
  eoc->callback(
      [o, &exit_code] { exit_code = run_eoc(o->spec, o->params, o->sigma_b_text, o->plot, o->json); });

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
  pr->add_option("--plot", o->plot, "Also draw q^l/q* and c^l against depth into this .svg or .png");
  pr->callback([o, &exit_code] {
    exit_code =
        run_propagate(o->spec, o->params, o->sigma_w, o->sigma_b, o->depth, o->q0, o->c0, o->plot, o->json);
  });

  CLI::App* ke =
      th->add_subcommand("kernel", "Effective theory: kernel recursion with chi_par, chi_perp over depth");
  common(ke);
  ke->add_option("--cw", o->kernel.cw, "C_W (weight variance times fan-in)")->required();
  ke->add_option("--cb", o->kernel.cb, "C_b (bias variance)")->required();
  ke->add_option("--k0", o->kernel.k0, "First-layer kernel K^(1)")->required();
  ke->add_option("--depth", o->kernel.depth, "Number of layers")->required();
  ke->add_option("--width", o->kernel.width, "Monte Carlo: width n of every hidden layer (with --mc)");
  ke->add_option("--mc", o->kernel.mc, "Monte Carlo: number of random networks (with --width)");
  ke->add_option("--seed", o->kernel.seed, "Monte Carlo: seed of the weight streams (default 0)");
  ke->add_option("--plot", o->kernel.plot, "Also draw K and V/K^2 against depth into this .svg or .png");
  ke->callback([o, &exit_code] { exit_code = run_kernel(o->spec, o->params, o->kernel, o->json); });

  CLI::App* cl = th->add_subcommand("classify", "Universality class and critical initialisation (C_b, C_W)");
  cl->add_option("activation", o->spec, "Catalog name or formula");
  cl->add_option("--param", o->params, "Parameter value NAME=VALUE (repeatable)");
  cl->add_flag("--all", o->all, "Every element-wise catalog entry, with its EOC sigma_w at sigma_b = 0.2");
  cl->add_flag("--json", o->json, "Machine-readable output");
  cl->callback([o, &exit_code] { exit_code = run_classify(o->spec, o->params, o->all, o->json); });

  CLI::App* ph = th->add_subcommand(
      "phase", "Phase diagram: chi1 and c* contours over a sigma_w^2 x sigma_b^2 grid, with the EOC curve");
  common(ph);
  ph->add_option("--out", o->out, "Output picture, .svg or .png (gnuplot)")->required();
  ph->add_option("--sigma-w", o->sigma_w_text, "Weight scales a:b:n or a list (default 0.25:4:32)");
  ph->add_option("--sigma-b", o->phase_sigma_b_text, "Bias scales a:b:n or a list (default 0:1.5:16)");
  ph->callback([o, &exit_code] {
    exit_code = run_phase(o->spec, o->params, o->out, o->sigma_w_text, o->phase_sigma_b_text, o->json);
  });
}

}  // namespace actlab::cli
