// actlab evolve | evolve work | evolve show — new activation functions by genetic programming
// (docs/evolution.md). Flags → lab::EvolvePlan → lab::run_evolution (lab/evolve.hpp) → text or --json of the
// same result; `work` joins a stored run as a worker (lab::evolve_work), `show` reads one (lab::evolve_show).
#include "lab/evolve.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/file_io.hpp"
#include "core/interrupt.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "report/format.hpp"
#include "report/significance.hpp"
#include "search/storage.hpp"

namespace actlab::cli {
namespace {

using evolve::Triple;
using report::fmt;

Json triple_json(const Triple& t) { return Json::array({t[0], t[1], t[2]}); }

// ---- serializers, one per result type ----

Json to_json(const lab::FormulaTheory& t) {
  Json c;
  if (!t.classification) {
    c = Json{{"error", t.error}};
  } else {
    c = Json{{"class", theory::criticality_class_name(t.classification->kind)}};
    if (const auto& k = t.classification->critical)
      c["critical"] = Json{
          {"C_b", json_number(k->C_b)}, {"C_W", json_number(k->C_W)}, {"K_star", json_number(k->K_star)}};
  }
  return Json{{"formula", t.formula}, {"classification", c}};
}

Json to_json(const std::vector<lab::FormulaTheory>& v) {
  Json a = Json::array();
  for (const auto& t : v) a.push_back(to_json(t));
  return a;
}

Json to_json(const lab::ArmResult& a) {
  Json j{{"test_acc", a.test}, {"peak_test_acc", a.peak}};
  if (!a.test.empty()) {
    j["median"] = report::median(a.test);
    j["min"] = *std::min_element(a.test.begin(), a.test.end());
    j["max"] = *std::max_element(a.test.begin(), a.test.end());
  }
  if (!a.failures.empty()) j["failures"] = a.failures;
  return j;
}

Json to_json(const evolve::GenerationRecord& g) {
  Json sb = Json::array();
  for (double v : g.slot_best) sb.push_back(json_number(v));
  return Json{{"generation", g.generation},
              {"evaluations", g.evaluations},
              {"cache_hits", g.cache_hits},
              {"failures", g.failures},
              {"slot_best", sb},
              {"slot_best_formula", triple_json(g.slot_best_formula)},
              {"best", triple_json(g.best)},
              {"fitness", json_number(g.fitness)},
              {"seconds", g.seconds}};
}

Json to_json(const lab::EvolveResult& r, const std::string& catalog) {
  const evolve::EvolveResult& run = r.run;
  Json j;
  j["data"] = Json{{"name", r.data.name},      {"train", r.data.train}, {"val", r.data.val},
                   {"test", r.data.test},      {"batch", r.data.batch}, {"features", r.data.features},
                   {"classes", r.data.classes}};
  j["settings"] = r.settings;
  j["generations"] = r.generations;
  Json hist = Json::array();
  for (const evolve::GenerationRecord& g : run.history) hist.push_back(to_json(g));
  j["history"] = hist;
  j["best"] = Json{{"formulas", triple_json(run.best)}, {"fitness", json_number(run.fitness)}};
  j["baseline"] = Json{{"formula", r.baseline},
                       {"fitness", run.baseline.value ? json_number(*run.baseline.value) : Json(nullptr)}};
  j["evaluations"] = run.evaluations;
  j["cache_hits"] = run.cache_hits;
  j["failures"] = run.failures;
  Json reasons = Json::object();
  for (const auto& [k, why] : run.failure_reasons) reasons[k] = why;
  j["failure_examples"] = reasons;
  if (r.from_storage) j["evaluations_from_storage"] = *r.from_storage;
  j["search_seconds"] = r.search_seconds;
  j["evaluations_per_minute"] = r.evaluations_per_minute();
  j["theory"] = to_json(r.theory);
  if (const auto& f = r.final) {
    j["final"] = Json{{"epochs", f->epochs},
                      {"replicates", f->replicates},
                      {"evolved", to_json(f->evolved)},
                      {"baseline", to_json(f->baseline)},
                      {"permutation_p", json_number(f->permutation_p)},
                      {"seconds", f->seconds},
                      {"note",
                       "test accuracy after the last epoch; peak_test_acc is the best epoch (optimistic, the "
                       "paper's measure)"}};
  }
  if (!r.saved.empty()) j["saved"] = Json{{"catalog", catalog}, {"names", r.saved}};
  return j;
}

Json to_json(const lab::EvolveShowResult& r) {
  Json hist = Json::array();
  for (const auto& g : r.history) {
    hist.push_back(Json{{"generation", g.generation},
                        {"evaluations", g.evaluations},
                        {"failures", g.failures},
                        {"best", g.best ? Json(*g.best) : Json(nullptr)},
                        {"best_formulas", g.best_formulas ? triple_json(*g.best_formulas) : Json(nullptr)}});
  }
  Json top = Json::array();
  for (const auto& t : r.top)
    top.push_back(Json{{"fitness", t.fitness}, {"formulas", triple_json(t.formulas)}});
  Json j{{"study", r.study},   {"storage", r.storage}, {"settings", r.settings}, {"complete", r.complete},
         {"failed", r.failed}, {"pending", r.pending}, {"history", hist},        {"top", top}};
  if (!r.top.empty()) {
    j["best"] = Json{{"fitness", r.top.front().fitness},
                     {"formulas", triple_json(r.top.front().formulas)},
                     {"theory", to_json(r.theory)}};
  }
  return j;
}

Json to_json(const lab::EvolveWorkResult& r) {
  Json j{{"study", r.study}, {"stopped", r.stopped}};
  if (r.interrupted != 0) {
    j["interrupted"] = r.interrupted;
    j["released"] = r.released;
  }
  return j;
}

const char* class_text(const lab::FormulaTheory& t) {
  return t.classification ? theory::criticality_class_name(t.classification->kind) : "(no classification)";
}

// ---- actlab evolve ----

struct Flags {
  lab::EvolvePlan plan;
  std::string out;
  bool json = false;
};

int run_evolve(const Flags& f) {
  InterruptGuard interrupt;  // Ctrl-C / kill: stop cleanly, say what is kept and how to resume
  lab::EvolvePlan p = f.plan;
  p.interrupted = [] { return InterruptGuard::signal(); };
  ProgressBar bar("generation", p.generations);
  if (f.json) bar.log_lines();  // stderr piped: a line per generation (text output prints its own)
  std::unique_ptr<ProgressBar> final_bar;
  lab::EvolveProgress progress;
  progress.on_generation = [&](const evolve::GenerationRecord& g) {
    bar.set_note("best " + fmt(g.fitness) + " [" + evolve::to_string(g.best) + "]");
    bar.set(g.generation + 1);
    if (!f.json) {
      std::printf("gen %2d  best %s  [%s]  evals %d  cached %d  failed %d  %.1fs\n", g.generation,
                  fmt(g.fitness).c_str(), evolve::to_string(g.best).c_str(), g.evaluations, g.cache_hits,
                  g.failures, g.seconds);
      std::fflush(stdout);
    }
  };
  progress.on_final = [&](int done, int total) {
    if (!final_bar) {
      bar.finish();
      final_bar = std::make_unique<ProgressBar>("final training", total);
    }
    final_bar->set(done);
  };
  auto r = lab::run_evolution(p, progress);
  bar.finish();
  if (final_bar) final_bar->finish();
  if (!r) return finish(r.status());
  if (const int sig = r->interrupted; sig != 0) {
    const char* phase = r->completed >= p.generations ? "during the final training" : "during the search";
    if (p.storage.empty()) {
      std::fprintf(stderr,
                   "actlab: interrupted by %s %s after %d of %d generations: nothing is kept (no --storage); "
                   "to make a run resumable, give it --storage and --name, e.g.\n  %s --storage "
                   "sqlite:///path/evolve.db --name run1\n",
                   InterruptGuard::name(sig), phase, r->completed, p.generations, own_command_line().c_str());
    } else {
      std::fprintf(
          stderr,
          "actlab: interrupted by %s %s after %d of %d generations: the running evaluations are back "
          "to WAITING, none left RUNNING; study '%s' in %s keeps every finished evaluation; resume "
          "with the same command (it reads them back and trains only the rest):\n  %s\n",
          InterruptGuard::name(sig), phase, r->completed, p.generations, p.name.c_str(),
          search::mask_password(p.storage).c_str(), own_command_line().c_str());
    }
    return 128 + sig;
  }

  const Json j = to_json(*r, p.save_catalog);
  if (!f.out.empty()) {
    if (Status s = write_file_atomic(f.out, json_dump(recorded(j), true) + "\n"); !s) {
      return finish(Status::io_error("--out " + s.message()));
    }
  }
  if (f.json) {
    print_recorded(j);
    return kExitOk;
  }
  const evolve::EvolveResult& run = r->run;
  std::printf("\nbest triple (validation %s, baseline %s %s):\n", fmt(run.fitness).c_str(),
              r->baseline.c_str(), run.baseline.value ? fmt(*run.baseline.value).c_str() : "failed");
  for (int s = 0; s < evolve::kSlots; ++s) {
    const auto k = static_cast<std::size_t>(s);
    std::printf("  %-6s  %-40s  %s\n", evolve::slot_name(s), run.best[k].c_str(), class_text(r->theory[k]));
  }
  std::printf(
      "%d evaluations (%d cached, %d failed, %d read from the storage) in %.1f s: %.1f trained per minute\n",
      run.evaluations, run.cache_hits, run.failures, r->from_storage.value_or(0), r->search_seconds,
      r->evaluations_per_minute());
  if (!r->saved.empty()) {
    std::printf("saved to %s as %s, %s, %s (use with --catalog %s)\n", p.save_catalog.c_str(),
                r->saved[0].c_str(), r->saved[1].c_str(), r->saved[2].c_str(), p.save_catalog.c_str());
  }
  if (const auto& fin = r->final) {
    auto line = [&](const char* label, const lab::ArmResult& a) {
      if (a.test.empty()) {
        std::printf("  %-9s all replicates failed\n", label);
        return;
      }
      std::printf("  %-9s median %s  (min %s, max %s, n = %zu)\n", label, fmt(report::median(a.test)).c_str(),
                  fmt(*std::min_element(a.test.begin(), a.test.end())).c_str(),
                  fmt(*std::max_element(a.test.begin(), a.test.end())).c_str(), a.test.size());
    };
    std::printf("test accuracy after %d epochs on train+val, %d replicates:\n", fin->epochs, fin->replicates);
    line("evolved", fin->evolved);
    line("baseline", fin->baseline);
    std::printf("  permutation test on medians: p = %s\n", fmt(fin->permutation_p).c_str());
  }
  return kExitOk;
}

// ---- actlab evolve work | show ----

struct WorkFlags {
  lab::EvolveWorkPlan plan;
  bool json = false;
};

int run_work(const WorkFlags& f) {
  InterruptGuard interrupt;
  lab::EvolveWorkPlan plan = f.plan;
  plan.interrupted = [] { return InterruptGuard::signal(); };
  auto r = lab::evolve_work(plan);
  if (!r) return finish(r.status());
  if (r->interrupted != 0) {
    std::fprintf(
        stderr,
        "actlab: interrupted by %s: %d running evaluation(s) put back to WAITING, none left RUNNING; "
        "to join the run again:\n  %s\n",
        InterruptGuard::name(r->interrupted), r->released, own_command_line().c_str());
    if (f.json) std::printf("%s\n", json_dump(recorded(to_json(*r)), false).c_str());
    return 128 + r->interrupted;
  }
  if (f.json) std::printf("%s\n", json_dump(recorded(to_json(*r)), false).c_str());
  return kExitOk;
}

int run_show(const WorkFlags& f) {
  auto r = lab::evolve_show({.storage = f.plan.storage, .name = f.plan.name});
  if (!r) return finish(r.status());
  if (f.json) {
    print_recorded(to_json(*r));
    return kExitOk;
  }
  std::printf("study %s: %d evaluations complete, %d failed, %d pending\n", r->study.c_str(), r->complete,
              r->failed, r->pending);
  for (const auto& g : r->history) {
    std::printf("  gen %2d  evals %3d  failed %3d  best %s\n", g.generation, g.evaluations, g.failures,
                g.best ? fmt(*g.best).c_str() : "-");
  }
  if (!r->top.empty()) {
    std::printf("best (validation %s):\n", fmt(r->top.front().fitness).c_str());
    for (const auto& t : r->theory) std::printf("  %-40s  %s\n", t.formula.c_str(), class_text(t));
  }
  return kExitOk;
}

}  // namespace

void add_evolve_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<Flags>();
  lab::EvolvePlan& p = f->plan;
  lab::EvolveConfig& cfg = p.config;
  CLI::App* c =
      app.add_subcommand("evolve", "Evolve activation functions by genetic programming (docs/evolution.md)");
  c->add_option("--data", cfg.data,
                "Data set: fashion-mnist, a built-in table, an IDX directory or a CSV file");
  c->add_option("--target", cfg.target, "CSV files: the target column");
  one_of(c->add_option("--net", cfg.net, "Network: fcn:lapid or cnn:lapid (three activation slots)"),
         {"fcn:lapid", "cnn:lapid"})
      ->capture_default_str();
  one_of(c->add_option("--method", p.method, "coevo | evo-single | evo-triple | random | standard"),
         {"coevo", "evo-single", "evo-triple", "random", "standard"})
      ->capture_default_str();
  one_of(c->add_option("--gp", p.gp, "tree (DEAP-style tree GP) | cgp (Cartesian GP, (1+lambda))"),
         {"tree", "cgp"})
      ->capture_default_str();
  c->add_option("--generations", p.generations, "Generations")->capture_default_str();
  c->add_option("--population", p.population,
                "Individuals per population (CGP: 1 parent + population-1 offspring)")
      ->capture_default_str();
  c->add_option("--epochs", cfg.epochs,
                "Training epochs per fitness evaluation (fitness = best validation accuracy)")
      ->capture_default_str();
  c->add_option("--final-epochs", p.final_epochs,
                "Epochs of the final training of the best triple and the baseline (0: skip)")
      ->capture_default_str();
  c->add_option("--replicates", p.replicates, "Final trainings per arm (seeds shared by both arms)")
      ->capture_default_str();
  c->add_option("--train-fraction", cfg.train_fraction, "Fraction of the training rows used")
      ->capture_default_str();
  c->add_option("--val-fraction", cfg.val_fraction, "Fraction of those held out for validation (fitness)")
      ->capture_default_str();
  c->add_option("--batch", cfg.batch, "Minibatch size (0: a tenth of train+val, as the paper)")
      ->capture_default_str();
  c->add_option("--lr", cfg.lr, "Adam learning rate")->capture_default_str();
  one_of(c->add_option("--init", cfg.init, "Weight initialisation, as for train"), kInitSchemes, true)
      ->capture_default_str();
  c->add_option("--primitives", p.primitives, "Comma-separated functions (default: the paper's 15)");
  c->add_flag("--constants", p.constants, "Add ephemeral random constants in [-2, 2] (tree GP)");
  c->add_option("--baseline", p.baseline, "Activation of the baseline and of every slot at the start")
      ->capture_default_str();
  c->add_option("--height-limit", p.height_limit, "Static height limit of tree GP")->capture_default_str();
  c->add_option("--tournament", p.tournament, "Tournament size")->capture_default_str();
  c->add_option("--elitism", p.elitism, "Individuals copied unchanged to the next generation")
      ->capture_default_str();
  c->add_option("--init-min", p.init_min, "Ramped half-and-half: smallest initial height")
      ->capture_default_str();
  c->add_option("--init-max", p.init_max, "Ramped half-and-half: largest initial height")
      ->capture_default_str();
  c->add_option("--crossover", p.crossover, "Crossover probability per pair")->capture_default_str();
  c->add_option("--mutation", p.mutation, "Mutation probability per individual")->capture_default_str();
  c->add_flag("--clones", p.clones,
              "Keep offspring that repeat a function of the population (DEAP's behaviour)");
  c->add_option("--cgp-grid", p.cgp_grid, "CGP grid ROWSxCOLS")->capture_default_str();
  c->add_option("--levels-back", p.levels_back, "CGP levels-back")->capture_default_str();
  c->add_option("--seed", cfg.seed, "Seed of the GP, the splits and the weights")->capture_default_str();
  c->add_option("--threads,--workers", p.workers, "Training threads (0: one per core)")
      ->capture_default_str();
  c->add_option("--storage", p.storage,
                "Keep every evaluation in this study storage (resumable, distributable)");
  c->add_option("--name", p.name, "Study name in --storage");
  c->add_option("--grace", p.grace, "Seconds without heartbeat before a running evaluation is retried")
      ->capture_default_str();
  c->add_option("--plot", p.plot, "Draw the best triple and the baseline (SVG or PNG)");
  c->add_option("--out", f->out, "Also write the JSON result to this file");
  c->add_option("--save-catalog", p.save_catalog,
                "Add the best triple to this user catalog file (entries <prefix>_input, _hidden, _output)");
  c->add_option("--catalog-prefix", p.catalog_prefix,
                "Name prefix of the saved entries (default evo_<data>_<seed>)");
  c->add_flag("--json", f->json, "Machine-readable output");

  auto w = std::make_shared<WorkFlags>();
  CLI::App* work = c->add_subcommand(
      "work", "Join a stored evolve run as a worker (any machine that reaches the storage)");
  work->add_option("--storage", w->plan.storage, "Study storage URL")->required();
  work->add_option("--name", w->plan.name, "Study name")->required();
  work->add_option("--threads,--workers", w->plan.workers, "Training threads (0: one per core)")
      ->capture_default_str();
  work->add_option("--idle", w->plan.idle, "Stop after this many seconds with nothing to do")
      ->capture_default_str();
  work->add_flag("--json", w->json, "Machine-readable output");
  work->callback([w, &exit_code] { exit_code = run_work(*w); });

  auto s = std::make_shared<WorkFlags>();
  CLI::App* show =
      c->add_subcommand("show", "History and best formulas of a stored evolve run, with their theory class");
  show->add_option("--storage", s->plan.storage, "Study storage URL")->required();
  show->add_option("--name", s->plan.name, "Study name")->required();
  show->add_flag("--json", s->json, "Machine-readable output");
  show->callback([s, &exit_code] { exit_code = run_show(*s); });

  c->callback([f, c, &exit_code] {
    if (!c->get_subcommands().empty()) return;  // work / show ran
    exit_code = run_evolve(*f);
  });
}

}  // namespace actlab::cli
