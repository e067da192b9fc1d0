// actlab study create | optimize | show | trials | export | list — studies stored in SQLite or PostgreSQL
// (docs/search.md): flags → lab::StudyPlan / lab::StudyRunPlan → one lab:: call → text or --json. The
// objectives (alacarte, synthetic) come from lab::objective_registry().
#include "lab/study.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/interrupt.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"

namespace actlab::cli {
namespace {

struct Options {
  std::string storage, name, objective, space, sampler = "tpe", direction;
  std::string data, target, init = "torch";
  std::string format, to;
  int layers = 5;
  std::uint64_t seed = 0;
  int categorical = 10, choices = 48, floats = 2;
  std::int64_t trials = 0;
  double timeout = 0, heartbeat = 2.0, retry_storage = 60;
  int workers = 1, delay_ms = 0, max_retries = 3;
  bool json = false, no_wait = false, csv = false;
};

std::string fmt_value(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", *v);
  return buf;
}

void print_json(const Json& j) { print_recorded(j); }

// --space and --objective name the same thing; one of them is needed. The flags of the chosen objective
// become its setup JSON (lab::objective_registry() reads it).
Result<Json> objective_setup(const Options& o) {
  if (!o.space.empty() && !o.objective.empty() && o.space != o.objective) {
    return Status::invalid("--space " + o.space + " and --objective " + o.objective + " disagree: give one");
  }
  const auto& registry = lab::objective_registry();
  const std::string k = o.space.empty() ? o.objective : o.space;
  const char* flag = o.space.empty() ? "--objective" : "--space";
  if (k.empty()) return Status::invalid("--space: required (" + registry.names_text() + ")");
  if (!registry.contains(k)) {
    return Status::invalid(std::string(flag) + ": expected " + registry.names_text() + ", got '" + k + "'");
  }
  if (k == "alacarte") {
    return Json{{"name", k},          {"data", o.data}, {"target", o.target},
                {"layers", o.layers}, {"init", o.init}, {"split_seed", o.seed}};
  }
  if (!o.data.empty()) return Status::invalid("--data: only for --space alacarte");
  return Json{{"name", k}, {"categorical", o.categorical}, {"choices", o.choices}, {"floats", o.floats}};
}

// Safe to print: a name or URL with control characters (an ANSI escape in a study name) shows them escaped.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

int run_create(const Options& o) {
  auto setup = objective_setup(o);
  if (!setup) return finish(setup.status());
  auto made = lab::create_study({.storage = o.storage,
                                 .name = o.name,
                                 .objective = *setup,
                                 .sampler = o.sampler,
                                 .direction = o.direction,
                                 .seed = o.seed});
  if (!made) return finish(made.status());
  if (o.json) {
    Json j = lab::StudyView{*made, {}, std::nullopt}.to_json();
    j["space"] = made->space;
    print_json(j);
  } else {
    std::printf("created study '%s' in %s: %s, sampler %s, seed %llu, %zu parameters\n",
                printable(made->name).c_str(), printable(search::mask_password(o.storage)).c_str(),
                search::to_string(made->direction), made->sampler.c_str(),
                static_cast<unsigned long long>(made->seed), made->space["params"].size());
  }
  return kExitOk;
}

int run_optimize(const Options& o) {
  InterruptGuard interrupt;        // Ctrl-C / kill: release the running trials, say how to resume
  std::optional<ProgressBar> bar;  // from the first trial on: the checks before it print nothing
  auto run = lab::optimize_study({.storage = o.storage,
                                  .name = o.name,
                                  .trials = o.trials,
                                  .timeout = o.timeout,
                                  .workers = o.workers,
                                  .heartbeat = o.heartbeat,
                                  .max_retries = o.max_retries,
                                  .delay_ms = o.delay_ms,
                                  .retry_storage = o.retry_storage,
                                  .wait = !o.no_wait,
                                  .interrupted = [] { return InterruptGuard::signal(); }},
                                 [&](const search::TrialRecord&) {
                                   if (!bar) {
                                     bar.emplace("trials", o.trials);
                                     // piped: a line per batch of trials
                                     bar->log_lines(std::max<std::int64_t>(o.workers, o.trials / 50));
                                   }
                                   bar->advance();
                                 });
  if (bar) bar->finish();
  if (!run) return finish(run.status());
  const search::OptimizeSummary& s = run->summary;
  if (s.interrupted != 0) {
    std::fprintf(
        stderr,
        "actlab: interrupted by %s: %d running trial(s) put back to WAITING, none left RUNNING by this "
        "process; resume with:\n  actlab study optimize --storage '%s' --name '%s' --trials %lld\n",
        InterruptGuard::name(s.interrupted), s.released, printable(search::mask_password(o.storage)).c_str(),
        printable(o.name).c_str(), static_cast<long long>(o.trials));
  }
  const int code = s.interrupted != 0 ? 128 + s.interrupted : kExitOk;
  if (o.json) {
    print_json(run->to_json());
    return code;
  }
  std::printf("study '%s': %d complete, %d failed, %d stale trials retried in %.2f s with %d workers\n",
              printable(o.name).c_str(), s.complete, s.failed, s.retried, s.wall_s, o.workers);
  if (!s.waited_for.empty()) {
    std::string numbers;
    for (std::size_t i = 0; i < s.waited_for.size() && i < 10; ++i)
      numbers += (i ? ", " : "") + std::to_string(s.waited_for[i]);
    if (s.waited_for.size() > 10) numbers += ", ...";
    std::printf("waited %.1f s for %zu trial(s) running in other processes (%s)\n", s.waited_s,
                s.waited_for.size(), numbers.c_str());
  }
  std::printf("trials in the study: %zu (budget %lld)\n", run->study.trials.size(),
              static_cast<long long>(o.trials));
  if (auto best = run->study.best()) {
    std::printf("best: trial %lld value %s params %s\n", static_cast<long long>(best->number),
                json_number(*best->value).dump().c_str(), best->params.dump().c_str());
  }
  return code;
}

int run_show(const Options& o, bool table) {
  if (table && o.csv) {  // the CSV of `study export --format csv --to -`
    auto out = lab::export_study({.storage = o.storage, .name = o.name, .format = "csv", .to = "-"});
    if (!out) return finish(out.status());
    std::fwrite(out->text.data(), 1, out->text.size(), stdout);
    return kExitOk;
  }
  // show reads the counts and the best trial from the storage's indexes, not every trial.
  auto study = table ? lab::read_study(o.storage, o.name) : lab::read_study_summary(o.storage, o.name);
  if (!study) return finish(study.status());
  const auto& trials = study->trials;
  if (o.json) {
    Json j = table ? Json::array() : study->to_json();
    if (table)
      for (const auto& t : trials) j.push_back(lab::trial_json(t));
    print_json(j);
    return kExitOk;
  }
  if (table) {
    std::printf("%6s  %-8s  %12s  %7s  %-20s  %-20s  %s\n", "number", "state", "value", "retries", "started",
                "finished", "params");
    for (const auto& t : trials) {
      std::printf("%6lld  %-8s  %12s  %7d  %-20s  %-20s  %s%s\n", static_cast<long long>(t.number),
                  search::to_string(t.state), fmt_value(t.value).c_str(), t.retries,
                  lab::utc_time(t.started).c_str(), lab::utc_time(t.finished).c_str(),
                  t.params.is_null() ? "-" : t.params.dump().c_str(),
                  t.reason.empty() ? "" : ("  (" + printable(t.reason) + ")").c_str());
    }
    return kExitOk;
  }
  const Json j = study->to_json();
  std::printf("study '%s' (%s, sampler %s, seed %llu)\n", printable(o.name).c_str(),
              j["direction"].get<std::string>().c_str(), j["sampler"].get<std::string>().c_str(),
              static_cast<unsigned long long>(study->record.seed));
  std::printf("objective: %s\n", study->record.objective.dump().c_str());
  std::printf("trials: %lld", static_cast<long long>(j["n_trials"].get<std::int64_t>()));
  for (const auto& [state, n] : j["states"].items()) std::printf("  %s %d", state.c_str(), n.get<int>());
  std::printf("\n");
  if (!j["best"].is_null()) {
    std::printf("best: trial %lld value %s\n  params %s\n",
                static_cast<long long>(j["best"]["number"].get<std::int64_t>()),
                j["best"]["value"].dump().c_str(), j["best"]["params"].dump().c_str());
  }
  return kExitOk;
}

int run_export(const Options& o) {
  auto out = lab::export_study({.storage = o.storage, .name = o.name, .format = o.format, .to = o.to});
  if (!out) return finish(out.status());
  if (!out->text.empty()) {
    std::fputs(out->text.c_str(), stdout);
    return kExitOk;
  }
  if (o.json) {
    print_json(out->to_json());
  } else {
    std::printf("exported study '%s' (%zu trials) as %s to %s\n", printable(o.name).c_str(), out->trials,
                out->format.c_str(), printable(out->to).c_str());
  }
  return kExitOk;
}

int run_list(const Options& o) {
  auto studies = lab::list_studies(o.storage);
  if (!studies) return finish(studies.status());
  Json j = Json::array();
  for (const auto& s : *studies) {
    Json row = s.to_json();
    row.erase("objective");
    j.push_back(row);
  }
  if (o.json) {
    print_json(j);
    return kExitOk;
  }
  std::printf("%-24s  %-8s  %-16s  %7s  %12s\n", "name", "direction", "sampler", "trials", "best");
  for (const auto& row : j) {
    std::printf("%-24s  %-8s  %-16s  %7zu  %12s\n", printable(row["name"].get<std::string>()).c_str(),
                row["direction"].get<std::string>().c_str(),
                printable(row["sampler"].get<std::string>()).c_str(), row["n_trials"].get<std::size_t>(),
                row["best"].is_null() ? "-" : row["best"]["value"].dump().c_str());
  }
  return kExitOk;
}

}  // namespace

void add_study_command(CLI::App& app, int& exit_code) {
  CLI::App* st =
      app.add_subcommand("study", "Hyperparameter studies (TPE, random, grid) in SQLite or PostgreSQL");
  st->require_subcommand(1);
  auto o = std::make_shared<Options>();
  auto storage = [&](CLI::App* c) {
    c->add_option("--storage", o->storage, "sqlite:///path/study.db or postgresql://user@host:port/dbname")
        ->required();
    c->add_flag("--json", o->json, "Machine-readable output");
  };
  auto named = [&](CLI::App* c) {
    storage(c);
    c->add_option("--name", o->name, "Study name")->required();
  };

  CLI::App* create = st->add_subcommand("create", "Create a study (fails if the name exists)");
  named(create);
  create->add_option("--space", o->space, "What trials search and evaluate: alacarte or synthetic");
  create->add_option("--objective", o->objective, "Same as --space");
  create->add_option("--data", o->data, "alacarte: built-in data set (actlab data list) or CSV file");
  create->add_option("--target", o->target,
                     "alacarte: CSV target column, by name or index (default: the last)");
  create->add_option("--layers", o->layers, "alacarte: dense layers = searched activations (default 5)");
  one_of(create->add_option("--init", o->init, "alacarte: weight init, as for train (default torch)"),
         kInitSchemes, true);
  one_of(create->add_option(
             "--sampler", o->sampler,
             "tpe (default), tpe:multivariate, tpe:fail-worst, tpe:multivariate,fail-worst, random or grid"),
         {"tpe", "random", "grid"}, true);
  create->add_option("--seed", o->seed,
                     "Seed of sampling, of the weights and (alacarte) of the data split (default 0)");
  one_of(
      create->add_option("--direction", o->direction, "minimize (synthetic default) or maximize (alacarte)"),
      {"minimize", "maximize"});
  create->add_option("--categorical", o->categorical, "synthetic: categorical parameters (default 10)");
  create->add_option("--choices", o->choices, "synthetic: choices per categorical (default 48)");
  create->add_option("--floats", o->floats,
                     "synthetic: float parameters x0, x1, ... (linear, log, ...), 0-100 (default 2)");
  create->callback([o, &exit_code] { exit_code = run_create(*o); });

  CLI::App* opt = st->add_subcommand(
      "optimize", "Run trials until the study has N; the same command elsewhere joins, run again it resumes");
  named(opt);
  bounded(opt->add_option("--trials", o->trials, "The study's total number of trials"), 1, 1e+07)->required();
  opt->add_option("--timeout", o->timeout, "Start no trial after this many seconds");
  bounded(opt->add_option("--threads,--workers", o->workers, "Worker threads in this process (default 1)"), 1,
          1024);
  bounded(opt->add_option("--delay-ms", o->delay_ms,
                          "Sleep this long in each trial (to test concurrency and kills)"),
          0, 600000);
  bounded(opt->add_option("--heartbeat", o->heartbeat,
                          "Heartbeat interval in s (default 2; stale after 5 intervals)"),
          0.05, 3600);
  opt->add_option("--max-retries", o->max_retries, "Re-runs of a stale trial's parameters (default 3)");
  opt->add_flag("--no-wait", o->no_wait,
                "Return when this process finds nothing to claim, without waiting for other workers' "
                "running trials");
  opt->add_option("--retry-storage", o->retry_storage,
                  "Seconds to retry a failing database (locked, full, connection lost) before giving up "
                  "(default 60)");
  opt->callback([o, &exit_code] { exit_code = run_optimize(*o); });

  CLI::App* show = st->add_subcommand("show", "A study's settings, trial counts and best trial");
  named(show);
  show->callback([o, &exit_code] { exit_code = run_show(*o, false); });
  CLI::App* trials =
      st->add_subcommand("trials", "Every trial: number, state, value, params, retries, times");
  named(trials);
  trials->add_flag("--csv", o->csv, "As CSV (the columns of study export --format csv)");
  trials->callback([o, &exit_code] { exit_code = run_show(*o, true); });
  CLI::App* exp = st->add_subcommand(
      "export",
      "Write a study as a CSV table of its trials, or in Optuna's own schema (SQLite file or PostgreSQL)");
  named(exp);
  one_of(exp->add_option(
             "--format", o->format,
             "csv (one row per trial) or optuna (Optuna 3.1's RDB schema: optuna.load_study reads it)"),
         {"csv", "optuna"})
      ->required();
  exp->add_option(
         "--to", o->to,
         "csv: a file, or - for standard output; optuna: sqlite:///path/optuna.db or a path (a new file), or "
         "postgresql://user@host/db (a database or schema without Optuna's tables)")
      ->required();
  exp->callback([o, &exit_code] { exit_code = run_export(*o); });
  CLI::App* list = st->add_subcommand("list", "The studies in a storage");
  storage(list);
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
}

}  // namespace actlab::cli
