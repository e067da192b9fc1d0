// actlab theory eoc | expect | propagate | kernel | classify | phase: mean-field signal propagation and the
// effective theory for any activation (docs/theory.md). Each subcommand is flags → one theory:: call → the
// value printed as text, or as --json through the value's to_json(); --plot/--out draw it with gnuplot.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "lab/figures.hpp"
#include "report/figure.hpp"
#include "report/format.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/kernel_profile.hpp"
#include "theory/mean_field.hpp"
#include "theory/phase.hpp"
#include "theory/propagate.hpp"
#include "theory/survey.hpp"

namespace actlab::cli {
namespace {

using theory::GaussianIntegrator;

// The activation argument (and its --param values) as the integrator of its Gaussian expectations.
Result<GaussianIntegrator> integrator_for(const std::string& spec,
                                          const std::vector<std::string>& param_items) {
  auto params = parse_params(param_items);
  if (!params) return params.status();
  auto act = activations::Activation::make(spec, *params);
  if (!act) return act.status();
  return GaussianIntegrator::make(*act);
}

std::string fmt(double v) { return report::fmt(v, "%.8g"); }

// A value's JSON for the command line: "activation" first, then the value's keys, with `key: text` (the
// picture written, when there is one) just before the key `before`.
Json result_json(const std::string& spec, const Json& body, const char* key = nullptr,
                 const std::string& text = {}, const char* before = nullptr) {
  Json j{{"activation", spec}};
  for (const auto& [k, v] : body.items()) {
    if (key && !text.empty() && k == before) j[key] = text;
    j[k] = v;
  }
  return j;
}

int print_json(const Json& j) {
  print_recorded(j);
  return kExitOk;
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
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto curve = theory::edge_of_chaos(*g, *sigma_bs);
  if (!curve) return finish(curve.status());
  const auto& rows = curve->rows;
  if (Status st = maybe_plot(lab::eoc_figure(spec, *curve), plot); !st) return finish(st);
  if (json) return print_json(result_json(spec, curve->to_json(), "plot", plot, "points"));
  std::printf("edge of chaos of %s (chi1 = 1 at the variance fixed point q*)\n\n", spec.c_str());
  std::printf("  %10s %12s %12s %10s %8s %10s %10s\n", "sigma_b", "sigma_w", "q*", "F'(q*)", "stable",
              "beta_q", "xi_q");
  for (const auto& row : rows) {
    if (row.points.empty()) std::printf("  %10.6g   (no EOC point)\n", row.sigma_b);
    for (const auto& p : row.points) {
      const std::optional<double> xi = p.marginal ? std::nullopt : theory::depth_scale(p.slope);
      std::printf("  %10.6g %12.8g %12.8g %10.6g %8s %10.6g %10s\n", p.sigma_b, p.sigma_w, p.q, p.slope,
                  p.marginal ? "marginal"
                  : p.stable ? "yes"
                             : "no",
                  p.beta_q, xi ? fmt(*xi).c_str() : "-");
    }
  }
  return kExitOk;
}

int run_expect(const std::string& spec, const std::vector<std::string>& params, double q,
               std::optional<double> c, bool json) {
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto e = theory::expectations(*g, q, c);
  if (!e) return finish(e.status());
  const Json j = result_json(spec, e->to_json());
  if (json) return print_json(j);
  std::printf("Gaussian expectations of %s, u ~ N(0, q), q = %s%s\n", spec.c_str(), fmt(q).c_str(),
              c ? (", corr(u1, u2) = " + fmt(*c)).c_str() : "");
  for (const auto& [k, v] : j.items()) {
    if (k.rfind("E_", 0) == 0) std::printf("  %-14s %s\n", k.c_str(), v.dump().c_str());
  }
  return kExitOk;
}

int run_propagate(const std::string& spec, const std::vector<std::string>& params,
                  const theory::PropagatePlan& plan, const std::string& plot, bool json) {
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto r = theory::propagate(*g, plan);
  if (!r) return finish(r.status(), {{"q0_second", "--q0-second"}});
  const auto& fp = r->fixed_point;
  const auto& cf = r->correlation;
  const double sigma_w = plan.init.sigma_w, sigma_b = plan.init.sigma_b;
  const char* phase = cf ? theory::phase_name(cf->phase) : "no fixed point";
  if (!plot.empty()) {
    if (Status st = maybe_plot(lab::propagate_figure(spec, plan, *r), plot); !st) return finish(st);
  }
  if (json) return print_json(result_json(spec, r->to_json(), "plot", plot, "layers"));
  if (fp) {
    std::printf("%s with sigma_w = %s, sigma_b = %s: q* = %s, chi1 = %s (%s), F'(q*) = %s (%s)\n",
                spec.c_str(), fmt(sigma_w).c_str(), fmt(sigma_b).c_str(), fmt(fp->q).c_str(),
                fmt(fp->chi1).c_str(), phase, fmt(fp->slope).c_str(), theory::stability_name(*fp));
  } else {
    std::printf("%s with sigma_w = %s, sigma_b = %s: no finite fixed point from q0 = %s\n", spec.c_str(),
                fmt(sigma_w).c_str(), fmt(sigma_b).c_str(), fmt(plan.q0).c_str());
  }
  if (cf) {
    std::printf("  c* = %s, chi_c = %s, xi_q = %s, xi_c = %s\n", fmt(cf->c_star).c_str(),
                fmt(cf->chi_c).c_str(), fp->xi_q ? fmt(*fp->xi_q).c_str() : "-",
                cf->xi_c ? fmt(*cf->xi_c).c_str() : "-");
  }
  if (!r->note.empty()) std::printf("  note: %s\n", r->note.c_str());
  std::printf("  c: the correlation of two inputs, both from q0 (the joint recursion)\n\n");
  const bool two = plan.q0_second && *plan.q0_second != plan.q0;
  std::printf("  %5s %14s", "l", two ? "q1" : "q");
  if (two) std::printf(" %14s", "q2");
  std::printf(" %14s %14s %12s\n", "c", "1 - c", "chi1(q)");
  for (const auto& L : r->layers) {
    std::printf("  %5d %14.8g", L.l, L.q);
    if (two) std::printf(" %14.8g", L.q_second);
    std::printf(" %14.10g %14.6g %12.8g\n", L.c, L.one_minus_c, L.chi1);
  }
  if (!r->verdict.empty()) std::printf("  verdict: %s\n", r->verdict.c_str());
  return kExitOk;
}

int run_kernel(const std::string& spec, const std::vector<std::string>& params, const theory::KernelPlan& a,
               const std::string& plot, bool json) {
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto p = theory::kernel_profile(*g, a);
  if (!p) return finish(p.status());
  const auto& layers = p->recursion.layers;
  const auto& mc = p->monte_carlo;
  const std::size_t n = layers.size();
  if (!plot.empty()) {
    if (Status st = maybe_plot(lab::kernel_figure(spec, *p), plot); !st) return finish(st);
  }
  if (json) return print_json(result_json(spec, p->to_json(), "plot", plot, "layers"));
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
    const auto& L = layers[i];
    std::printf("  %5d %14.8g %12.8g %12.8g %10.6g %12s", L.l, L.K, L.chi_par, L.chi_perp, L.r,
                report::fmt(p->V_over_K2(i), "%.6g").c_str());
    if (i < mc.size()) {
      std::printf(" %12.6g +- %-8.2g %10.4g +- %-8.2g", mc[i].K, mc[i].K_se, mc[i].V_over_K2,
                  mc[i].V_over_K2_se);
    }
    std::printf("\n");
  }
  if (!p->recursion.finite) std::printf("  verdict: %s\n", p->recursion.verdict.c_str());
  if (p->vertex.size() < n)
    std::printf("  V/K^2 stops after layer %zu: K^(l+1)^2 is not representable\n", p->vertex.size());
  if (a.mc && mc.size() < n) std::printf("  Monte Carlo: z overflowed after layer %zu\n", mc.size());
  if (!plot.empty()) std::printf("wrote %s\n", plot.c_str());
  return kExitOk;
}

int run_classify(const std::string& spec, const std::vector<std::string>& params, bool all, bool json) {
  if (all == !spec.empty())
    return finish(Status::invalid("give an activation or --all, not both or neither"));
  if (!all) {
    auto g = integrator_for(spec, params);
    if (!g) return finish(g.status());
    auto c = theory::classify(*g);
    if (!c) return finish(c.status());
    if (json) return print_json(result_json(spec, c->to_json()));
    std::printf("%s: %s\n", spec.c_str(), theory::criticality_class_name(c->kind));
    if (c->critical) {
      std::printf("  critical initialisation: C_b = %s, C_W = %s, K* = %s\n", fmt(c->critical->C_b).c_str(),
                  fmt(c->critical->C_W).c_str(), fmt(c->critical->K_star).c_str());
    }
    if (std::isfinite(c->a1)) std::printf("  a1 = %s, b1 = %s\n", fmt(c->a1).c_str(), fmt(c->b1).c_str());
    std::printf("  %s\n", c->notes.c_str());
    return kExitOk;
  }
  // The whole catalog: class, critical point, and the EOC sigma_w at sigma_b = 0.2 (or none).
  auto survey = theory::survey_catalog();
  if (!survey) return finish(survey.status());
  if (json) return print_json(survey->to_json());
  auto num = [](std::optional<double> v) { return v && std::isfinite(*v) ? fmt(*v) : std::string("-"); };
  std::printf("%-19s %-15s %11s %11s %11s %12s\n", "activation", "class", "C_b", "C_W", "K*", "EOC sw@0.2");
  for (const auto& row : survey->rows) {
    const auto& c = row.classification;
    const auto& crit = c ? c->critical : std::nullopt;
    std::printf("%-19s %-15s %11s %11s %11s %12s\n", row.activation.c_str(),
                c ? theory::criticality_class_name(c->kind) : "error", crit ? num(crit->C_b).c_str() : "-",
                crit ? num(crit->C_W).c_str() : "-", crit ? num(crit->K_star).c_str() : "-",
                num(row.eoc_sigma_w).c_str());
  }
  return kExitOk;
}

// The phase diagram: χ₁ and c* contours over the (σ_w², σ_b²) grid, with the EOC curve (χ₁ = 1) overlaid.
int run_phase(const std::string& spec, const std::vector<std::string>& params, const std::string& out,
              const std::string& sigma_w_text, const std::string& sigma_b_text, bool json) {
  auto sws = parse_grid("--sigma-w", sigma_w_text);
  if (!sws) return finish(sws.status());
  auto sbs = parse_grid("--sigma-b", sigma_b_text);
  if (!sbs) return finish(sbs.status());
  if (sws->size() * sbs->size() > 100000) {  // docs/limits.md
    return finish(Status::invalid("--sigma-w x --sigma-b: " + std::to_string(sws->size() * sbs->size()) +
                                  " grid points exceed the limit of 100000"));
  }
  auto g = integrator_for(spec, params);
  if (!g) return finish(g.status());
  auto grid = theory::phase_grid(*g, *sws, *sbs);
  if (!grid) return finish(grid.status());
  auto fig = lab::phase_figure(g->activation().name(), *grid);
  if (!fig) return finish(fig.status());
  if (Status s = report::render(*fig, out); !s) return finish(s);
  if (json) return print_json(result_json(spec, grid->to_json(), "out", out, "sigma_w"));
  const theory::PhaseCounts n = grid->counts();
  std::printf(
      "wrote %s: %zu x %zu grid (sigma_w^2 x sigma_b^2), %zu ordered, %zu edge, %zu chaotic, %zu "
      "divergent; EOC curve with %zu points\n",
      out.c_str(), grid->sigma_w.size(), grid->sigma_b.size(), n.ordered, n.edge, n.chaotic, n.divergent,
      grid->eoc.size());
  return kExitOk;
}

}  // namespace

void add_theory_command(CLI::App& app, int& exit_code) {
  CLI::App* th =
      app.add_subcommand("theory", "Mean-field signal propagation: edge of chaos, fixed points, depth");
  th->require_subcommand(1);
  struct Options {
    std::string spec, sigma_b_text, sigma_w_text = "0.25:4:32", phase_sigma_b_text = "0:1.5:16", plot, out;
    theory::KernelPlan kernel;
    theory::PropagatePlan propagate;
    std::vector<std::string> params;
    double q = 1.0;
    bool all = false;
    std::optional<double> c;
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
  theory::PropagatePlan& pp = o->propagate;
  pp.init = {1.0, 0.0};
  pr->add_option("--sigma-w", pp.init.sigma_w, "Weight scale sigma_w (W ~ N(0, sigma_w^2/N))")->required();
  pr->add_option("--sigma-b", pp.init.sigma_b, "Bias scale sigma_b")->required();
  bounded(pr->add_option("--depth", pp.depth, "Number of layers"), 1, 100000)->required();
  pr->add_option("--q0", pp.q0, "Input variance q^0 (default 1)");
  pr->add_option("--q0-second", pp.q0_second, "Second input's variance (default: --q0)");
  pr->add_option("--c0", pp.c0, "Input correlation c^0 (default 0)");
  pr->add_option("--plot", o->plot, "Also draw q^l/q^0 and c^l against depth into this .svg or .png");
  pr->callback(
      [o, &exit_code] { exit_code = run_propagate(o->spec, o->params, o->propagate, o->plot, o->json); });

  CLI::App* ke =
      th->add_subcommand("kernel", "Effective theory: kernel recursion with chi_par, chi_perp over depth");
  common(ke);
  theory::KernelPlan& kp = o->kernel;
  ke->add_option("--cw", kp.cw, "C_W (weight variance times fan-in)")->required();
  ke->add_option("--cb", kp.cb, "C_b (bias variance)")->required();
  ke->add_option("--k0", kp.k0, "First-layer kernel K^(1)")->required();
  bounded(ke->add_option("--depth", kp.depth, "Number of layers"), 1, 100000)->required();
  bounded(ke->add_option("--width", kp.width, "Monte Carlo: width n of every hidden layer (with --mc)"), 1,
          100000);
  bounded(ke->add_option("--mc", kp.mc, "Monte Carlo: number of random networks (with --width)"), 1, 1e+06);
  ke->add_option("--seed", kp.seed, "Monte Carlo: seed of the weight streams (default 0)");
  ke->add_option("--plot", o->plot, "Also draw K and V/K^2 against depth into this .svg or .png");
  ke->callback([o, &exit_code] { exit_code = run_kernel(o->spec, o->params, o->kernel, o->plot, o->json); });

  CLI::App* cl = th->add_subcommand("classify", "Universality class and critical initialisation (C_b, C_W)");
  cl->add_option("activation", o->spec, "Catalog name or formula");
  cl->add_option("--param", o->params, "Parameter value NAME=VALUE (repeatable)");
  cl->add_flag("--all", o->all, "Every element-wise catalog entry, with its EOC sigma_w at sigma_b = 0.2");
  cl->add_flag("--json", o->json, "Machine-readable output");
  cl->callback([o, &exit_code] { exit_code = run_classify(o->spec, o->params, o->all, o->json); });

  CLI::App* ph = th->add_subcommand(
      "phase", "Phase diagram: chi1 and c* contours over a sigma_w^2 x sigma_b^2 grid, with the EOC curve");
  common(ph);
  ph->add_option("--plot,--out", o->out, "Output picture, .svg or .png (gnuplot)")->required();
  ph->add_option("--sigma-w", o->sigma_w_text, "Weight scales a:b:n or a list (default 0.25:4:32)");
  ph->add_option("--sigma-b", o->phase_sigma_b_text, "Bias scales a:b:n or a list (default 0:1.5:16)");
  ph->callback([o, &exit_code] {
    exit_code = run_phase(o->spec, o->params, o->out, o->sigma_w_text, o->phase_sigma_b_text, o->json);
  });
}

}  // namespace actlab::cli
