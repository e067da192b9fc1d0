// Studies of registered objectives: create one, run its trials, read it back (docs/search.md, "Commands").
//
//   lab::StudyPlan p{.storage = "sqlite:///tmp/s.db", .name = "iris5",
//                    .objective = {{"name", "alacarte"}, {"data", "iris"}, {"layers", 5}, {"split_seed", 1}},
//                    .sampler = "tpe", .seed = 1};
//   auto made = lab::create_study(p);                      // StudyRecord; bad settings write nothing
//   auto run = lab::optimize_study({.storage = p.storage, .name = "iris5", .trials = 200, .workers = 2});
//   run->study.best();  run->summary.complete;  run->data;  run->to_json();
//   auto shown = lab::read_study(p.storage, "iris5");     // StudyView: record + trials
//   auto all = lab::list_studies(p.storage);
//   auto out = lab::export_study({.storage = p.storage, .name = "iris5", .format = "optuna",
//                                 .to = "sqlite:///tmp/optuna.db"});   // optuna.load_study reads it
//
// The objective is found by name in objective_registry() (alacarte, synthetic), from the plan on create and
// from the stored setup on optimize, so every process that joins a study rebuilds the same objective (and,
// for à la carte, checks that it sees the same data).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "search/objective_registry.hpp"
#include "search/storage.hpp"
#include "search/study.hpp"

namespace actlab::lab {

// The objectives a study may name: alacarte (lab/alacarte.hpp) and synthetic (search/synthetic.hpp).
const search::ObjectiveRegistry& objective_registry();

// A time stamp (seconds since the epoch, UTC) as "2026-11-22T21:10:46Z"; "-" when unset.
std::string utc_time(const std::optional<double>& t);

// {"number", "state", "params", "value", "retries", "retry_of", "worker", "started", "finished", "reason"}.
Json trial_json(const search::TrialRecord& t);

// A study as stored: its record and its trials.
struct StudyView {
  search::StudyRecord record;
  std::vector<search::TrialRecord> trials;
  // Set by read_study_summary (trials then empty): counts and the best trial read from the storage's indexes.
  std::optional<search::StudySummary> summary;

  std::optional<search::TrialRecord> best() const;  // the best COMPLETE trial
  // {"name", "direction", "sampler", "seed", "objective", "created", "n_trials",
  //  "states": {"COMPLETE": n, "FAIL": n, ...}, "best": trial_json or null}
  Json to_json() const;
};

struct StudyPlan {
  std::string storage, name;
  Json objective;  // the objective's setup, {"name": "synthetic", ...} (objective_registry)
  std::string sampler = "tpe";
  std::string direction;   // "minimize" | "maximize"; "" = the objective's default
  std::uint64_t seed = 0;  // sampling and trial weights
};

// Checks everything (objective settings and data, direction, sampler) before writing; fails if the name
// exists. Errors name the field (objective, direction, sampler, storage, name, or the objective's own).
Result<search::StudyRecord> create_study(const StudyPlan& plan);

struct StudyRunPlan {
  std::string storage, name;
  std::int64_t trials = 0;    // the study's total budget, shared by every process
  double timeout = 0;         // s; start no trial after this (0: none)
  int workers = 1;            // threads in this process
  double heartbeat = 2.0;     // s; a trial silent for 5 intervals is stale
  int max_retries = 3;        // re-runs of a stale trial's parameters
  int delay_ms = 0;           // each trial first sleeps this long (to test concurrency and kills)
  double retry_storage = 60;  // s; how long failing storage calls are retried (reconnecting) before giving up
  bool wait =
      true;  // return only when the study's trials are all finished, here or elsewhere (no_wait: false)
  // Nonzero (a signal number) once the run should stop: the trials running here go back to WAITING (same
  // number and parameters: rerunning the command does what this run would have done) and the delay of
  // --delay-ms is cut short (the CLI passes InterruptGuard::signal).
  std::function<int()> interrupted = {};
};

struct StudyRunResult {
  StudyView study;  // after the run
  search::OptimizeSummary summary;
  int workers = 1;
  Json data;  // what the objective prepared (à la carte: data set, rows, split seed, fingerprint); or null

  // study.to_json() with "this_run": {"complete", "pruned", "failed", "stale_reaped", "retried", "lost",
  // "released", "interrupted", "waited_s", "waited_for", "workers", "wall_s"} and, when there is one, "data".
  Json to_json() const;
};

// Joins (or resumes) the study and runs trials until it has `trials` of them. on_trial_done is called from
// worker threads, one at a time. Errors name the field (trials, timeout, workers, heartbeat, max_retries,
// delay_ms, storage, name, or the objective's own: data for a changed data set).
Result<StudyRunResult> optimize_study(
    const StudyRunPlan& plan, const std::function<void(const search::TrialRecord&)>& on_trial_done = {});

// actlab study export: a stored study as a CSV table of its trials or as an SQLite file in Optuna 3.1's own
// schema (search/export.hpp), read with the storage opened read-only.
struct StudyExportPlan {
  std::string storage, name;
  std::string format;  // "csv" | "optuna"
  std::string to;  // csv: a file, or "-" for the text in the result; optuna: sqlite:///path or a path (new),
                   // or postgresql://... (a database or schema without Optuna's tables)
};

struct StudyExportResult {
  std::string format, to;  // to: the file written ("" for csv to "-"), or the PostgreSQL URL (masked)
  std::size_t trials = 0;
  std::string text;      // csv to "-": the table
  Json to_json() const;  // {"format", "to", "trials"}
};

// Errors name the field: format, to, storage, name.
Result<StudyExportResult> export_study(const StudyExportPlan& plan);

Result<StudyView> read_study(const std::string& storage, const std::string& name);
// The study record with its counts and best trial only (Storage::summary: no trial is read): `study show`,
// under a second on a 100k-trial study.
Result<StudyView> read_study_summary(const std::string& storage, const std::string& name);
Result<std::vector<StudyView>> list_studies(const std::string& storage);

}  // namespace actlab::lab
