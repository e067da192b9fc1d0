// actlab optbench — A. Dik's optimiser test harness (Hilly, Forest, Megacity × 5/25/500 copies, score as % of
// maximum; MQL5 article 16443) for the population optimisers (docs/optimizers.md).
// Flags → lab::OptbenchPlan → lab::optbench → text or --json (optbench_json).
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "lab/optimizers.hpp"
#include "report/format.hpp"

namespace actlab::cli {
namespace {

struct BenchFlags {
  lab::OptbenchPlan plan;
  // Overrides of the optimiser's defaults (NaN / -1: keep the default).
  int pop = -1;
  double alpha = NAN, hybrids = NAN, resistance = NAN, eps = NAN;
  bool json = false;
};

std::string fmt5(double v) { return report::fmt(v, "%.5f"); }

Json optbench_json(const lab::OptbenchResult& r) {
  const optim::PopulationAdamOptions& o = r.options;
  Json cells = Json::array();
  for (const auto& c : r.scores.cells) {
    Json runs = Json::array();
    for (double v : c.runs) runs.push_back(json_number(v));
    cells.push_back({{"function", optim::test_function(c.function).name},
                     {"copies", c.copies},
                     {"dims", 2 * c.copies},
                     {"score", json_number(c.score)},
                     {"runs", runs}});
  }
  Json j = {{"optimizer", r.plan.opt},
            {"options",
             {{"pop_size", o.pop_size},
              {"hybrids", o.hybrids},
              {"hybrids_resistance", o.hybrids_resistance},
              {"alpha", o.alpha},
              {"beta1", o.beta1},
              {"beta2", o.beta2},
              {"eps", o.eps},
              {"sort", o.sort},
              {"dik_quirks", o.dik_quirks},
              {"boundary", optim::boundary_name(o.boundary)}}},
            {"evaluations", r.plan.evals},
            {"repeats", r.harness.repeats},
            {"seed", r.plan.seed},
            {"cells", cells},
            {"total", json_number(r.scores.total)},
            {"max", r.scores.cells.size()},
            {"percent", json_number(r.scores.percent)},
            {"seconds", r.seconds}};
  j["published"] =
      r.published ? Json{{"total", r.published->total}, {"percent", r.published->percent()}} : Json(nullptr);
  return j;
}

void print_text(const lab::OptbenchResult& r) {
  const auto& pub = r.published;
  std::printf("%s on Dik's harness: %lld evaluations a run, %d repeats, seed %llu (%.1fs)\n",
              r.plan.opt.c_str(), static_cast<long long>(r.plan.evals), r.harness.repeats,
              static_cast<unsigned long long>(r.plan.seed), r.seconds);
  std::printf("%-10s %7s %5s %9s", "function", "copies", "dims", "score");
  if (pub) std::printf(" %9s", "Dik");
  std::printf("\n");
  for (std::size_t i = 0; i < r.scores.cells.size(); ++i) {
    const auto& c = r.scores.cells[i];
    std::printf("%-10s %7d %5d %9s", optim::test_function(c.function).name.c_str(), c.copies, 2 * c.copies,
                fmt5(c.score).c_str());
    if (pub) std::printf(" %9s", fmt5(pub->cells[i]).c_str());
    std::printf("\n");
  }
  std::printf("total %s of %zu (%.2f%% of max)", fmt5(r.scores.total).c_str(), r.scores.cells.size(),
              r.scores.percent);
  if (pub) std::printf("; Dik published %s (%.2f%%)", fmt5(pub->total).c_str(), pub->percent());
  std::printf("\n");
}

int run_optbench(BenchFlags f) {
  if (f.pop != -1) f.plan.pop = f.pop;
  if (!std::isnan(f.alpha)) f.plan.alpha = f.alpha;
  if (!std::isnan(f.hybrids)) f.plan.hybrids = f.hybrids;
  if (!std::isnan(f.resistance)) f.plan.resistance = f.resistance;
  if (!std::isnan(f.eps)) f.plan.eps = f.eps;
  std::unique_ptr<ProgressBar> bar;
  auto r =
      lab::optbench(f.plan, {.start = [&](std::int64_t n) { bar = std::make_unique<ProgressBar>("runs", n); },
                             .done = [&] { bar->advance(); }});
  if (bar) bar->finish();
  if (!r) return finish(r.status());
  if (f.json) {
    print_recorded(optbench_json(*r));
  } else {
    print_text(*r);
  }
  return kExitOk;
}

}  // namespace

void add_optbench_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<BenchFlags>();
  lab::OptbenchPlan& p = f->plan;
  CLI::App* c = app.add_subcommand(
      "optbench", "Dik's optimiser test harness: Hilly, Forest, Megacity (docs/optimizers.md)");
  c->add_option("--opt", p.opt, "adamm | adam (Dik's population Adam)")->capture_default_str();
  c->add_option("--functions", p.functions, "Copy counts of each function (D = 2·copies), comma list")
      ->capture_default_str();
  c->add_option("--tests", p.tests, "Functions, comma list")->capture_default_str();
  bounded(c->add_option("--evals", p.evals, "Evaluations per run"), 1, 1e+08)->capture_default_str();
  bounded(c->add_option("--repeats", p.repeats, "Runs per test"), 1, 100000)->capture_default_str();
  c->add_option("--seed", p.seed, "Seed (run k of test c draws from derive(seed, c, k))")
      ->capture_default_str();
  bounded(c->add_option("--pop", f->pop, "Population size (default: adamm 100, adam 50)"), 1, 100000);
  c->add_option("--alpha", f->alpha, "Adam step α (default 0.001)");
  c->add_option("--hybrids", f->hybrids, "Fraction of hybrid agents (default: adamm 0.5, adam 0)");
  c->add_option("--resistance", f->resistance, "Hybrids resistance, the power of the jump (default 10)");
  c->add_option("--eps", f->eps, "ε (default: adamm 0.1, adam 1e-8)");
  c->add_flag("--no-quirks", p.no_quirks, "Fix Dik's quirks (secant, slot moments, in-place parents)");
  one_of(c->add_option("--boundary", p.boundary, "clamp (Dik) | reflect"), {"clamp", "reflect"})
      ->capture_default_str();
  c->add_option("--threads", p.threads, "Worker threads (default: ACTLAB_THREADS or all cores)");
  c->add_flag("--json", f->json, "Machine-readable output");
  c->callback([f, &exit_code] { exit_code = run_optbench(*f); });
}

}  // namespace actlab::cli
