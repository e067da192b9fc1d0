// actlab init ACT[,ACT...] --depth L: one initialisation answer per activation (docs/theory.md, "One
// initialisation answer"). Flags → lab::InitAnswerPlan → lab::init_answers → text, --json, or --torch code.
#include "lab/init.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "lab/model.hpp"
#include "report/format.hpp"
#include "theory/recommend.hpp"

namespace actlab::cli {
namespace {

struct InitFlags {
  std::string activations;
  lab::InitAnswerPlan plan;
  bool json = false, torch = false;
};

std::string fmt(double v) { return report::fmt(v, "%.6g"); }

void print_answer(const lab::InitAnswer& a) {
  const theory::Recommendation& r = a.recommendation;
  std::printf("%s at depth %d: %s%s\n", r.activation.c_str(), r.plan.depth, theory::verdict_name(r.verdict),
              r.least_bad ? " (the least-bad option below)" : "");
  std::printf("  sigma_w = %s, sigma_b = %s   (C_W = %s, C_b = %s; %s)\n", fmt(r.sigma_w).c_str(),
              fmt(r.sigma_b).c_str(), fmt(r.C_W).c_str(), fmt(r.C_b).c_str(), r.notion.c_str());
  std::printf(
      "  first layer: weights x %s, so K^(1) = %s (inputs of mean square %s); fixed point K* = %s, %s\n",
      fmt(r.input_scale).c_str(), fmt(r.K1).c_str(), fmt(r.plan.input_var).c_str(), fmt(r.K_star).c_str(),
      r.stability.c_str());
  std::printf("  class %s; at K^(1): chi_par = %s, chi_perp = %s; xi_q = %s, xi_c = %s\n",
              theory::criticality_class_name(r.kind), fmt(r.chi_par).c_str(), fmt(r.chi_perp).c_str(),
              r.xi_q ? fmt(*r.xi_q).c_str() : "-", r.xi_c ? fmt(*r.xi_c).c_str() : "-");
  for (const std::string& why : r.reasons) std::printf("  - %s\n", why.c_str());
  if (a.check) {
    const auto& p = *a.check;
    std::printf(
        "  Monte Carlo check: %d networks of width %d (theory, measured +- standard error; c from c0 = %g)\n",
        *p.plan.mc, *p.plan.width, lab::kCheckCorrelation);
    const std::size_t n = p.recursion.layers.size();
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t step = n > 10 ? n / 10 : 1;
      if (i % step != 0 && i + 1 != n) continue;
      const auto& L = p.recursion.layers[i];
      if (i < p.monte_carlo.size()) {
        std::printf("    l = %4d  K = %-12s  %s +- %s", L.l, fmt(L.K).c_str(),
                    fmt(p.monte_carlo[i].K).c_str(), report::fmt(p.monte_carlo[i].K_se, "%.2g").c_str());
        if (i < a.correlation.size()) {
          const auto& c = a.correlation[i];
          std::printf("   c = %-10s  %s +- %s", fmt(c.theory).c_str(), fmt(c.mc).c_str(),
                      report::fmt(c.mc_se, "%.2g").c_str());
        }
        std::printf("\n");
      } else {
        std::printf("    l = %4d  K = %-12s  (Monte Carlo overflowed)\n", L.l, fmt(L.K).c_str());
      }
    }
    if (!p.recursion.verdict.empty()) std::printf("    verdict: %s\n", p.recursion.verdict.c_str());
  }
}

int run_init(InitFlags f) {
  if (!f.activations.empty()) f.plan.activations = lab::split_top_level(f.activations);
  auto r = lab::init_answers(f.plan);
  if (!r) return finish(r.status(), {{"activations", "ACT"}, {"input_var", "--input-var"}});
  if (f.json) {
    print_recorded(r->to_json());
    return kExitOk;
  }
  if (f.torch) {
    for (const auto& a : r->answers)
      if (a.error.empty()) std::printf("%s\n", lab::torch_init_code(a.recommendation).c_str());
    return kExitOk;
  }
  if (f.plan.all) {
    std::printf("%-19s %-22s %-15s %10s %10s %11s %11s\n", "activation", "verdict at depth", "class",
                "sigma_w", "sigma_b", "input_scale", "K^(1)");
    for (const auto& a : r->answers) {
      const auto& x = a.recommendation;
      if (!a.error.empty()) {
        std::printf("%-19s error: %s\n", x.activation.c_str(), a.error.c_str());
        continue;
      }
      std::printf("%-19s %-22s %-15s %10s %10s %11s %11s\n", x.activation.c_str(),
                  (std::string(theory::verdict_name(x.verdict)) + (x.least_bad ? "*" : "")).c_str(),
                  theory::criticality_class_name(x.kind), fmt(x.sigma_w).c_str(), fmt(x.sigma_b).c_str(),
                  fmt(x.input_scale).c_str(), fmt(x.K1).c_str());
    }
    std::printf("(* the least-bad option; `actlab init NAME --depth %d` says why)\n", f.plan.depth);
    return kExitOk;
  }
  for (std::size_t i = 0; i < r->answers.size(); ++i) {
    if (i) std::printf("\n");
    print_answer(r->answers[i]);
  }
  return kExitOk;
}

}  // namespace

void add_init_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<InitFlags>();
  CLI::App* c = app.add_subcommand(
      "init",
      "The initialisation answer for activations at a depth: sigma_w, sigma_b, first-layer scale, verdict");
  c->add_option("activations", f->activations, "Activations ACT[,ACT...] (catalog names or formulas)");
  c->add_flag("--all", f->plan.all, "Every element-wise catalog entry (and a user catalog), ranked");
  bounded(c->add_option("--depth", f->plan.depth, "Number of hidden layers L"), 1, 10000)->required();
  c->add_option("--input-var", f->plan.input_var,
                "Mean square of an input feature (default 1: standardised)");
  bounded(c->add_option("--width", f->plan.width,
                        "Also check the kernel by a Monte Carlo of networks of this width"),
          1, 100000);
  bounded(c->add_option("--mc", f->plan.mc, "Monte Carlo: number of networks (default 200)"), 1, 1e+06);
  c->add_option("--seed", f->plan.seed, "Monte Carlo: seed (default 0)");
  c->add_flag("--json", f->json, "Machine-readable output");
  c->add_flag("--torch", f->torch, "Print PyTorch code (torch.nn.init calls) that applies it");
  c->callback([f, &exit_code] { exit_code = run_init(*f); });
}

}  // namespace actlab::cli
