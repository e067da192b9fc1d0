// actlab study create | optimize | show | trials | list — studies stored in SQLite or PostgreSQL
// (docs/search.md). Objectives: the synthetic one (search/synthetic.hpp) and à la carte
// (cli/alacarte_objective.hpp).
#include "search/study.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cli/alacarte_objective.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "search/synthetic.hpp"

namespace actlab::cli {
namespace {

using search::Direction;
using search::OpenMode;
using search::Study;
using search::StudyRecord;
using search::TrialRecord;
using search::TrialState;

struct Options {
  std::string storage, name, objective, space, sampler = "tpe", direction;
  std::string data, target, init = "torch";
  int layers = 5;
  std::uint64_t seed = 0;
  int categorical = 10, choices = 48, floats = 2;
  std::int64_t trials = 0;
  double timeout = 0, heartbeat = 2.0;
  int workers = 1, delay_ms = 0, max_retries = 3;
  bool json = false;
};

std::string fmt_value(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", *v);
  return buf;
}

std::string fmt_time(const std::optional<double>& t) {
  if (!t) return "-";
  const auto secs = static_cast<std::time_t>(*t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json trial_json(const TrialRecord& t) {
  Json j;
  j["number"] = t.number;
  j["state"] = search::to_string(t.state);
  j["params"] = t.params;
  j["value"] = t.value ? json_number(*t.value) : Json(nullptr);
  j["retries"] = t.retries;
  j["retry_of"] = t.retry_of ? Json(*t.retry_of) : Json(nullptr);
  j["worker"] = t.worker;
  j["started"] = t.started ? Json(fmt_time(t.started)) : Json(nullptr);
  j["finished"] = t.finished ? Json(fmt_time(t.finished)) : Json(nullptr);
  j["reason"] = t.reason;
  return j;
}

Json study_json(const StudyRecord& s, const std::vector<TrialRecord>& trials) {
  Json j;
  j["name"] = s.name;
  j["direction"] = search::to_string(s.direction);
  j["sampler"] = s.sampler;
  j["seed"] = s.seed;
  j["objective"] = s.objective;
  j["created"] = fmt_time(s.created);
  std::map<std::string, int> counts;
  for (const char* st : {"WAITING", "RUNNING", "COMPLETE", "PRUNED", "FAIL"}) counts[st] = 0;
  for (const auto& t : trials) ++counts[search::to_string(t.state)];
  j["n_trials"] = trials.size();
  j["states"] = counts;
  auto best = Study::best(trials, s.direction);
  j["best"] = best ? trial_json(*best) : Json(nullptr);
  return j;
}

void print_trials_table(const std::vector<TrialRecord>& trials) {
  std::printf("%6s  %-8s  %12s  %7s  %-20s  %-20s  %s\n", "number", "state", "value", "retries", "started",
              "finished", "params");
  for (const auto& t : trials) {
    std::printf("%6lld  %-8s  %12s  %7d  %-20s  %-20s  %s%s\n", static_cast<long long>(t.number),
                search::to_string(t.state), fmt_value(t.value).c_str(), t.retries,
                fmt_time(t.started).c_str(), fmt_time(t.finished).c_str(),
                t.params.is_null() ? "-" : t.params.dump().c_str(),
                t.reason.empty() ? "" : ("  (" + t.reason + ")").c_str());
  }
}

// --space and --objective name the same thing (synthetic or alacarte); one of them is needed.
Result<std::string> objective_kind(const Options& o) {
  if (!o.space.empty() && !o.objective.empty() && o.space != o.objective) {
    return Status::invalid("--space " + o.space + " and --objective " + o.objective + " disagree: give one");
  }
  const std::string k = o.space.empty() ? o.objective : o.space;
  const char* flag = o.space.empty() ? "--objective" : "--space";
  if (k.empty()) return Status::invalid("--space: required (alacarte or synthetic)");
  if (k != "synthetic" && k != "alacarte") {
    return Status::invalid(std::string(flag) + ": expected alacarte or synthetic, got '" + k + "'");
  }
  return k;
}

int run_create(const Options& o) {
  auto kind = objective_kind(o);
  if (!kind) return finish(kind.status());
  const bool alacarte = *kind == "alacarte";
  if (alacarte && !o.direction.empty() && o.direction != "maximize") {
    return finish(Status::invalid("--direction: the à-la-carte value is a validation accuracy: maximize"));
  }
  auto dir =
      search::parse_direction(o.direction.empty() ? (alacarte ? "maximize" : "minimize") : o.direction);
  if (!dir) return finish(dir.status());
  if (auto s = search::make_sampler(o.sampler); !s) return finish(s.status());
  StudyRecord r;
  r.name = o.name;
  r.direction = *dir;
  r.sampler = o.sampler;
  r.seed = o.seed;
  if (alacarte) {
    AlacarteSetup s;
    s.data = o.data;
    s.target = o.target;
    s.layers = o.layers;
    s.split_seed = o.seed;
    s.init = o.init;
    auto d = prepare_alacarte(s);  // before anything is written: bad data leaves no study behind
    if (!d) return finish(d.status());
    s.fingerprint = d->fingerprint;
    r.space = s.space().to_json();
    r.objective = s.to_json();
  } else {
    if (!o.data.empty()) return finish(Status::invalid("--data: only for --space alacarte"));
    search::SyntheticProblem p{o.categorical, o.choices, o.floats};
    if (auto st = p.validate(); !st) return finish(st);
    r.space = p.space().to_json();
    r.objective = p.to_json();
  }
  auto made = Study::create(o.storage, r);
  if (!made) return finish(made.status());
  if (o.json) {
    Json j = study_json(*made, {});
    j["space"] = made->space;
    std::printf("%s\n", json_dump(j, true).c_str());
  } else {
    std::printf("created study '%s' in %s: %s, sampler %s, seed %llu, %zu parameters\n", made->name.c_str(),
                search::mask_password(o.storage).c_str(), search::to_string(made->direction),
                made->sampler.c_str(), static_cast<unsigned long long>(made->seed),
                made->space["params"].size());
  }
  return kExitOk;
}

int run_optimize(const Options& o) {
  if (o.trials < 1) return finish(Status::invalid("--trials: must be at least 1"));
  if (o.workers < 1 || o.workers > 256) return finish(Status::invalid("--workers: expected 1 to 256"));
  if (o.timeout < 0) return finish(Status::invalid("--timeout: must be >= 0"));
  if (o.delay_ms < 0) return finish(Status::invalid("--delay-ms: must be >= 0"));
  if (!(o.heartbeat > 0)) return finish(Status::invalid("--heartbeat: must be > 0"));
  if (o.max_retries < 0) return finish(Status::invalid("--max-retries: must be >= 0"));
  auto study = Study::open(o.storage, o.name, OpenMode::kReadWrite);
  if (!study) return finish(study.status());
  const Json& objective_json = study->record().objective;
  search::Objective objective;
  Json data_json = nullptr;
  std::optional<AlacarteData> alacarte_data;  // outlives optimize(): the objective borrows it
  if (objective_json.value("name", "") == "alacarte") {
    auto setup = AlacarteSetup::from_json(objective_json);
    if (!setup) return finish(setup.status().with_context("study '" + o.name + "'"));
    if (study->space() != setup->space()) {
      return finish(Status::invalid("study '" + o.name + "': its stored space does not match its objective"));
    }
    auto d = prepare_alacarte(*setup);
    if (!d) return finish(d.status());
    if (d->fingerprint != setup->fingerprint) {
      return finish(Status::invalid("--data " + setup->data + ": the data here (fingerprint " +
                                    d->fingerprint + ") differs from the data study '" + o.name +
                                    "' was created with (" + setup->fingerprint +
                                    "); every worker must see the same rows"));
    }
    alacarte_data = std::move(*d);
    data_json = {{"name", alacarte_data->name},
                 {"rows",
                  {{"train", alacarte_data->train.rows()},
                   {"val", alacarte_data->val.rows()},
                   {"test", alacarte_data->test.rows()}}},
                 {"split_seed", setup->split_seed},
                 {"fingerprint", alacarte_data->fingerprint}};
    objective = alacarte_objective(*setup, *alacarte_data, study->record().seed);
  } else {
    auto problem = search::SyntheticProblem::from_json(objective_json);
    if (!problem) {
      return finish(Status::invalid("study '" + o.name + "' has objective " + objective_json.dump() +
                                    ", which this command cannot run"));
    }
    if (study->space() != problem->space()) {
      return finish(Status::invalid("study '" + o.name + "': its stored space does not match its objective"));
    }
    const search::SyntheticProblem p = *problem;
    const int delay = o.delay_ms;
    objective = [p, delay](search::TrialContext& t) {
      if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      return search::TrialOutcome::complete(p.evaluate(t.params()));
    };
  }
  search::OptimizeOptions opt;
  opt.n_trials = o.trials;
  opt.timeout_s = o.timeout;
  opt.workers = o.workers;
  opt.heartbeat_s = o.heartbeat;
  opt.grace_s = 5 * o.heartbeat;
  opt.max_retries = o.max_retries;
  ProgressBar bar("trials", o.trials);
  opt.on_trial_done = [&bar](const TrialRecord&) { bar.advance(); };
  auto summary = study->optimize(objective, opt);
  bar.finish();
  if (!summary) return finish(summary.status());
  auto trials = study->storage().trials(study->record().id, false);
  if (!trials) return finish(trials.status());
  Json j = study_json(study->record(), *trials);
  j["this_run"] = {{"complete", summary->complete}, {"pruned", summary->pruned},
                   {"failed", summary->failed},     {"stale_reaped", summary->reaped},
                   {"retried", summary->retried},   {"lost", summary->lost},
                   {"workers", o.workers},          {"wall_s", summary->wall_s}};
  if (!data_json.is_null()) j["data"] = data_json;
  if (o.json) {
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("study '%s': %d complete, %d failed, %d stale trials retried in %.2f s with %d workers\n",
              o.name.c_str(), summary->complete, summary->failed, summary->retried, summary->wall_s,
              o.workers);
  std::printf("trials in the study: %zu (budget %lld)\n", trials->size(), static_cast<long long>(o.trials));
  if (!j["best"].is_null()) {
    std::printf("best: trial %lld value %s params %s\n",
                static_cast<long long>(j["best"]["number"].get<std::int64_t>()),
                j["best"]["value"].dump().c_str(), j["best"]["params"].dump().c_str());
  }
  return kExitOk;
}

int run_show(const Options& o, bool table) {
  auto study = Study::open(o.storage, o.name, OpenMode::kReadOnly);
  if (!study) return finish(study.status());
  auto trials = study->storage().trials(study->record().id, false);
  if (!trials) return finish(trials.status());
  if (o.json) {
    Json j = table ? Json::array() : study_json(study->record(), *trials);
    if (table) {
      for (const auto& t : *trials) j.push_back(trial_json(t));
    }
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  if (table) {
    print_trials_table(*trials);
    return kExitOk;
  }
  const Json j = study_json(study->record(), *trials);
  std::printf("study '%s' (%s, sampler %s, seed %llu)\n", o.name.c_str(),
              j["direction"].get<std::string>().c_str(), j["sampler"].get<std::string>().c_str(),
              static_cast<unsigned long long>(study->record().seed));
  std::printf("objective: %s\n", study->record().objective.dump().c_str());
  std::printf("trials: %zu", trials->size());
  for (const auto& [state, n] : j["states"].items()) std::printf("  %s %d", state.c_str(), n.get<int>());
  std::printf("\n");
  if (!j["best"].is_null()) {
    std::printf("best: trial %lld value %s\n  params %s\n",
                static_cast<long long>(j["best"]["number"].get<std::int64_t>()),
                j["best"]["value"].dump().c_str(), j["best"]["params"].dump().c_str());
  }
  return kExitOk;
}

int run_list(const Options& o) {
  auto st = search::open_storage(o.storage, OpenMode::kReadOnly);
  if (!st) return finish(st.status());
  auto studies = (*st)->list_studies();
  if (!studies) return finish(studies.status());
  Json j = Json::array();
  for (const auto& s : *studies) {
    auto trials = (*st)->trials(s.id, false);
    if (!trials) return finish(trials.status());
    Json row = study_json(s, *trials);
    row.erase("objective");
    j.push_back(row);
  }
  if (o.json) {
    std::printf("%s\n", json_dump(j, true).c_str());
    return kExitOk;
  }
  std::printf("%-24s  %-8s  %-16s  %7s  %12s\n", "name", "direction", "sampler", "trials", "best");
  for (const auto& row : j) {
    std::printf("%-24s  %-8s  %-16s  %7zu  %12s\n", row["name"].get<std::string>().c_str(),
                row["direction"].get<std::string>().c_str(), row["sampler"].get<std::string>().c_str(),
                row["n_trials"].get<std::size_t>(),
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
  create->add_option("--init", o->init, "alacarte: weight init, as for train (default torch)");
  create->add_option(
      "--sampler", o->sampler,
      "tpe (default), tpe:multivariate, tpe:fail-worst, tpe:multivariate,fail-worst, random or grid");
  create->add_option("--seed", o->seed,
                     "Seed of sampling, of the weights and (alacarte) of the data split (default 0)");
  create->add_option("--direction", o->direction, "minimize (synthetic default) or maximize (alacarte)");
  create->add_option("--categorical", o->categorical, "synthetic: categorical parameters (default 10)");
  create->add_option("--choices", o->choices, "synthetic: choices per categorical (default 48)");
  create->add_option("--floats", o->floats, "synthetic: float parameters, 0-2 (default 2)");
  create->callback([o, &exit_code] { exit_code = run_create(*o); });

  CLI::App* opt = st->add_subcommand(
      "optimize", "Run trials until the study has N; the same command elsewhere joins, run again it resumes");
  named(opt);
  opt->add_option("--trials", o->trials, "The study's total number of trials")->required();
  opt->add_option("--timeout", o->timeout, "Start no trial after this many seconds");
  opt->add_option("--workers", o->workers, "Worker threads in this process (default 1)");
  opt->add_option("--delay-ms", o->delay_ms, "synthetic: sleep this long in each trial");
  opt->add_option("--heartbeat", o->heartbeat,
                  "Heartbeat interval in s (default 2; stale after 5 intervals)");
  opt->add_option("--max-retries", o->max_retries, "Re-runs of a stale trial's parameters (default 3)");
  opt->callback([o, &exit_code] { exit_code = run_optimize(*o); });

  CLI::App* show = st->add_subcommand("show", "A study's settings, trial counts and best trial");
  named(show);
  show->callback([o, &exit_code] { exit_code = run_show(*o, false); });
  CLI::App* trials =
      st->add_subcommand("trials", "Every trial: number, state, value, params, retries, times");
  named(trials);
  trials->callback([o, &exit_code] { exit_code = run_show(*o, true); });
  CLI::App* list = st->add_subcommand("list", "The studies in a storage");
  storage(list);
  list->callback([o, &exit_code] { exit_code = run_list(*o); });
}

}  // namespace actlab::cli
