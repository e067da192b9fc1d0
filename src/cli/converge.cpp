// actlab converge — the 1-1-1 single-example study of A. Dik's MQL5 article 16845: in-network Adam against
// ADAMm over the catalog, with and without activation-bound weights and reflection (docs/optimizers.md).
// Flags → lab::ConvergePlan → lab::converge → text or --json (converge_json).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "lab/optimizers.hpp"
#include "report/figure.hpp"
#include "report/format.hpp"

namespace actlab::cli {
namespace {

using report::fmt;

struct ConvergeFlags {
  lab::ConvergePlan plan;
  std::string plot;
  bool json = false;
};

Json converge_json(const lab::ConvergeResult& r) {
  const lab::ConvergePlan& p = r.plan;
  Json rows = Json::array();
  for (const lab::ConvergeRow& l : r.rows) {
    rows.push_back(
        {{"activation", l.activation},
         {"optimizer", l.optimizer},
         {"reflect", l.reflect ? "on" : "off"},
         {"success_rate", l.success_rate},
         {"median_evals_to_threshold", std::isnan(l.median_evals) ? Json(nullptr) : Json(l.median_evals)},
         {"median_final_error", json_number(l.median_error)}});
  }
  Json skipped = Json::array();
  for (const lab::ConvergeSkip& s : r.skipped) {
    skipped.push_back(
        {{"activation", s.activation}, {"optimizer", s.optimizer}, {"reflect", "on"}, {"reason", s.reason}});
  }
  Json bounds = Json::object();
  for (const lab::ConvergeSubject& s : r.subjects) {
    if (!s.bounds) continue;
    bounds[s.name] = {{"z", s.bounds->z},
                      {"widened", s.bounds->widened},
                      {"window", {json_bound(s.bounds->domain.z_lo), json_bound(s.bounds->domain.z_hi)}},
                      {"b_hidden", s.bounds->b_hidden},
                      {"b_output", s.bounds->b_output}};
  }
  // The whole plan, so the JSON says how to run it again.
  Json plan = {{"acts", p.acts},     {"opt", p.opt},       {"reflect", p.reflect},
               {"x", p.x},           {"target", p.target}, {"threshold", p.threshold},
               {"kappa", p.kappa},   {"lr", p.lr},         {"alpha", p.alpha},
               {"seeds", p.seeds},   {"pop", p.pop},       {"threads", p.threads},
               {"budget", p.budget}, {"seed", p.seed},     {"keep_moment", p.keep_moment}};
  return {{"x", p.x},           {"target", p.target}, {"threshold", p.threshold},
          {"budget", p.budget}, {"seeds", p.seeds},   {"kappa", p.kappa},
          {"rows", rows},       {"skipped", skipped}, {"bounds", bounds},
          {"plan", plan}};
}

void print_text(const lab::ConvergeResult& r, const std::string& plot) {
  const lab::ConvergePlan& p = r.plan;
  std::printf("1-1-1 network, x = %g, t = %g: E < %g within %lld loss evaluations, %d seeds\n", p.x, p.target,
              p.threshold, static_cast<long long>(p.budget), p.seeds);
  std::printf("%-20s %-6s %-7s %8s %12s %12s\n", "activation", "opt", "reflect", "success", "median_evals",
              "median_error");
  for (const lab::ConvergeRow& l : r.rows) {
    std::printf("%-20s %-6s %-7s %8s %12s %12s\n", l.activation.c_str(), l.optimizer.c_str(),
                l.reflect ? "on" : "off", fmt(l.success_rate, "%.2f").c_str(),
                fmt(l.median_evals, "%.0f").c_str(), fmt(l.median_error, "%.2e").c_str());
  }
  if (!r.skipped.empty()) {
    std::printf("\nreflect on skipped (no usable effective domain):\n");
    std::string last;
    for (const lab::ConvergeSkip& s : r.skipped) {
      if (s.activation == last) continue;
      last = s.activation;
      std::printf("  %s\n", s.reason.c_str());
    }
  }
  if (!plot.empty()) std::printf("plot: %s\n", plot.c_str());
}

int run_converge(const ConvergeFlags& f) {
  std::unique_ptr<ProgressBar> bar;
  auto r = lab::converge(f.plan,
                         {.start =
                              [&](std::int64_t n) {
                                bar = std::make_unique<ProgressBar>("runs", n);
                                bar->log_lines(std::max<std::int64_t>(1, n / 50));  // piped: a line per batch
                              },
                          .done = [&] { bar->advance(); }});
  if (bar) bar->finish();
  if (!r) return finish(r.status());
  if (!f.plot.empty()) {
    if (Status s = report::render(lab::convergence_figure(*r), f.plot); !s)
      return finish(s.with_context("--plot"));
  }
  if (f.json) {
    print_recorded(converge_json(*r));
  } else {
    print_text(*r, f.plot);
  }
  return kExitOk;
}

}  // namespace

void add_converge_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<ConvergeFlags>();
  lab::ConvergePlan& p = f->plan;
  CLI::App* c = app.add_subcommand(
      "converge", "1-1-1 single-example study: in-network Adam vs ADAMm, with activation-bound weights");
  c->add_option("--acts", p.acts, "all (every element-wise catalog entry) or a comma list")
      ->capture_default_str();
  c->add_option("--opt", p.opt, "adam (in-network) and/or adamm, comma list")->capture_default_str();
  one_of(c->add_option("--reflect", p.reflect,
                       "off | on | both: weights in the activation's box with reflection"),
         {"off", "on", "both"})
      ->capture_default_str();
  c->add_option("--x", p.x, "The training input")->capture_default_str();
  c->add_option("--target", p.target, "The training target")->capture_default_str();
  bounded(c->add_option("--seeds", p.seeds, "Runs per row"), 1, 100000)->capture_default_str();
  bounded(c->add_option("--budget", p.budget, "Loss evaluations per run"), 1, 1e+07)->capture_default_str();
  c->add_option("--threshold", p.threshold, "Success: loss (y - t)^2 below this")->capture_default_str();
  c->add_option("--kappa", p.kappa, "Effective domain: |f'| >= kappa*max|f'|")->capture_default_str();
  c->add_option("--lr", p.lr, "In-network Adam learning rate")->capture_default_str();
  c->add_option("--alpha", p.alpha, "ADAMm's Adam step")->capture_default_str();
  bounded(c->add_option("--pop", p.pop, "ADAMm population size"), 1, 100000)->capture_default_str();
  c->add_flag("--keep-moment", p.keep_moment, "Adam: do not negate the first moment of a reflected weight");
  c->add_option("--seed", p.seed, "Seed; seed k of every row uses the same stream")->capture_default_str();
  c->add_option("--threads", p.threads, "Worker threads (default: ACTLAB_THREADS or all cores)");
  c->add_option("--plot", f->plot, "Draw convergence curves into this .svg or .png (gnuplot)");
  c->add_flag("--json", f->json, "Machine-readable output");
  c->callback([f, &exit_code] { exit_code = run_converge(*f); });
}

}  // namespace actlab::cli
