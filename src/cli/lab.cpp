// actlab lab — which activation, with which initialisation, and why: theory screen, quick screen, per-layer
// search, confirmation over seeds and explanation on one data set, in one HTML report (docs/lab.md).
// Flags → lab::LabPlan → lab::run_lab → the summary as text (or --json); DIR holds report.html, report.md,
// results.json, the figures, runs.jsonl and the study (lab.db). The same command resumes an interrupted run.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/interrupt.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "lab/laboratory.hpp"
#include "report/format.hpp"

namespace actlab::cli {
namespace {

struct LabFlags {
  lab::LabPlan plan;
  bool json = false;
};

int run_lab(LabFlags& f) {
  f.plan.command = own_command_line();
  const bool tty = isatty(fileno(stderr)) != 0;
  std::optional<ProgressBar> bar;
  int stage = 0;
  auto stage_start = std::chrono::steady_clock::now();
  InterruptGuard guard;  // Ctrl-C / kill: stop at the next run, keep every finished run and trial
  auto r = lab::run_lab(
      f.plan,
      [&](const lab::LabProgress& e) {
        if (e.stage != stage) {
          if (bar) bar->finish();
          bar.reset();
          if (!tty)
            std::fprintf(stderr, "lab: stage %d/5 %s: %lld steps\n", e.stage, e.name.c_str(),
                         static_cast<long long>(e.total));
          stage = e.stage;
          stage_start = std::chrono::steady_clock::now();
          bar.emplace("lab " + std::to_string(e.stage) + "/5 " + e.name, e.total);
        }
        bar->set(e.done);
        bar->set_note(e.note);
      },
      [] { return InterruptGuard::signal(); });
  if (bar) bar->finish();
  if (const int sig = InterruptGuard::signal()) {
    std::fprintf(stderr,
                 "actlab: interrupted by %s in stage %d; finished runs are in %s/runs.jsonl and the search's "
                 "trials in its study. To go on from there, run the same command again:\n  %s\n",
                 InterruptGuard::name(sig), stage, f.plan.out.c_str(), f.plan.command.c_str());
    return 128 + sig;
  }
  if (!r)
    return finish(r.status(), {{"screen_seeds", "--screen-seeds"},
                               {"screen_epochs", "--screen-epochs"},
                               {"budget_minutes", "--budget-minutes"},
                               {"default_init", "--default-init"},
                               {"explain_points", "--explain-points"},
                               {"max_regions", "--max-regions"}});
  if (f.json) {
    print_recorded(r->to_json());
    return kExitOk;
  }
  std::size_t aside = 0;
  for (const auto& t : r->theory) aside += t.kept ? 0 : 1;
  std::printf("%s: %zu rows, %zu features, %d classes; %s\n", r->data.c_str(), r->rows, r->features,
              r->classes, r->plan.model().c_str());
  std::printf("1 theory   %zu candidates, %zu set aside at depth %d\n", r->theory.size(), aside,
              r->plan.depth);
  std::printf("2 screen   Spearman rho(verdict, val acc) = %s (p = %s, n = %d); best uniform: %s\n",
              report::fmt(r->screen.rho, "%.3f").c_str(), report::fmt(r->screen.p, "%.3g").c_str(),
              r->screen.n, r->screen.best_uniform.c_str());
  std::printf("3 search   %zu trials; best %s (val acc %s, %d tied)\n", r->search.trials.size(),
              r->winner.c_str(), report::fmt(r->search.best_val_acc, "%.4f").c_str(), r->search.tied);
  std::printf("4 confirm  test accuracy over %zu seeds:\n%s", r->confirm.seeds.size(),
              r->confirm.table().text().c_str());
  std::printf("5 explain  %s%s%s\n", r->explain.method.c_str(),
              r->explain.complete ? (": " + std::to_string(r->explain.regions) + " regions, " +
                                     (r->explain.verified ? "verified" : "NOT verified"))
                                        .c_str()
                                  : "",
              r->explain.note.empty() ? "" : ("; " + r->explain.note).c_str());
  std::printf("\n%s\n", r->summary().c_str());
  std::printf("report: %s/report.html (%lld runs trained, %lld reused, %s)\n", r->plan.out.c_str(),
              static_cast<long long>(r->runs_trained), static_cast<long long>(r->runs_reused),
              report::fmt(r->seconds, "%.1fs").c_str());
  return kExitOk;
}

}  // namespace

void add_lab_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<LabFlags>();
  lab::LabPlan& p = f->plan;
  CLI::App* c = app.add_subcommand(
      "lab",
      "Which activation, which initialisation, and why: theory, screen, search, confirmation, "
      "explanation in one report (docs/lab.md)");
  c->add_option("--data", p.data, "Classification data: a built-in name, CSV or R file")->required();
  c->add_option("--target", p.target, "CSV target column (name or index; default: the last)");
  bounded(c->add_option("--depth", p.depth, "Hidden layers L"), 1, 64)->capture_default_str();
  bounded(c->add_option("--width", p.width, "Units per hidden layer"), 1, 4096)->capture_default_str();
  c->add_option("--candidates", p.candidates,
                "menu (the 48 of a la carte), all (the catalog), a comma list, or @FILE (one per line)")
      ->capture_default_str();
  c->add_flag("--keep-unstable", p.keep_unstable,
              "Also search candidates that cannot be stabilised at depth L");
  c->add_option("--default-init", p.default_init, "The init the screen compares with, and ReLU's")
      ->capture_default_str();
  bounded(c->add_option("--epochs", p.epochs, "Epochs per run (search, confirmation)"), 1, 100000)
      ->capture_default_str();
  c->add_option("--lr", p.lr, "Adam learning rate (full batch)")->capture_default_str();
  c->add_option("--test", p.test, "Test fraction of all rows")->capture_default_str();
  c->add_option("--val", p.val, "Validation fraction of all rows (selection)")->capture_default_str();
  bounded(c->add_option("--screen-seeds", p.screen_seeds, "Seeds per candidate and init in the screen"), 1,
          100)
      ->capture_default_str();
  bounded(c->add_option("--screen-epochs", p.screen_epochs, "Epochs per screen run"), 1, 100000)
      ->capture_default_str();
  bounded(c->add_option("--trials", p.trials, "Search trials (with --budget-minutes: at most; -1: no limit)"),
          -1, 1000000.0)
      ->capture_default_str();
  c->add_option("--budget-minutes", p.budget_minutes, "Stop starting search trials after this long (0: none)")
      ->capture_default_str();
  bounded(c->add_option("--seeds", p.seeds, "Confirmation seeds"), 2, 1000)->capture_default_str();
  bounded(c->add_option("--explain-points", p.explain_points, "Test points explained with SHAP"), 0, 1000)
      ->capture_default_str();
  bounded(c->add_option("--max-regions", p.max_regions, "Exact shallow rewrite only up to this many regions"),
          1, 10000000.0)
      ->capture_default_str();
  c->add_option("--out", p.out, "Directory of the run (report, results, resumable state)")->required();
  c->add_option("--storage", p.storage, "Study storage URL (default: sqlite in --out)");
  bounded(c->add_option("--seed", p.seed, "Seed of splits, weights, sampling and tests"), 0,
          1.8446744073709552e+19)
      ->capture_default_str();
  bounded(c->add_option("--threads", p.threads, "Runs in parallel in the theory and screen stages"), 1, 256)
      ->capture_default_str();
  c->add_flag("--json", f->json, "Machine-readable output (results.json)");
  c->callback([f, &exit_code] { exit_code = run_lab(*f); });
}

}  // namespace actlab::cli
