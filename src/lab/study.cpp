// Studies of registered objectives (see study.hpp).
#include "lab/study.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <map>
#include <thread>

#include "core/file_io.hpp"
#include "lab/alacarte.hpp"
#include "search/export.hpp"

namespace actlab::lab {

const search::ObjectiveRegistry& objective_registry() {
  static const search::ObjectiveRegistry registry = [] {
    search::ObjectiveRegistry r;
    search::add_synthetic_objective(r);
    add_alacarte_objective(r);
    return r;
  }();
  return registry;
}

std::string utc_time(const std::optional<double>& t) {
  if (!t) return "-";
  const auto secs = static_cast<std::time_t>(*t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Json trial_json(const search::TrialRecord& t) {
  Json j;
  j["number"] = t.number;
  j["state"] = search::to_string(t.state);
  j["params"] = t.params;
  j["value"] = t.value ? json_number(*t.value) : Json(nullptr);
  j["retries"] = t.retries;
  j["retry_of"] = t.retry_of ? Json(*t.retry_of) : Json(nullptr);
  j["worker"] = t.worker;
  j["started"] = t.started ? Json(utc_time(t.started)) : Json(nullptr);
  j["finished"] = t.finished ? Json(utc_time(t.finished)) : Json(nullptr);
  j["reason"] = t.reason;
  return j;
}

std::optional<search::TrialRecord> StudyView::best() const {
  if (summary) return summary->best;
  return search::Study::best(trials, record.direction);
}

Json StudyView::to_json() const {
  Json j;
  j["name"] = record.name;
  j["direction"] = search::to_string(record.direction);
  j["sampler"] = record.sampler;
  j["seed"] = record.seed;
  j["objective"] = record.objective;
  j["created"] = utc_time(record.created);
  std::map<std::string, int> counts;
  for (const char* st : {"WAITING", "RUNNING", "COMPLETE", "PRUNED", "FAIL"}) counts[st] = 0;
  if (summary) {
    counts["WAITING"] = static_cast<int>(summary->waiting);
    counts["RUNNING"] = static_cast<int>(summary->running);
    counts["COMPLETE"] = static_cast<int>(summary->complete);
    counts["PRUNED"] = static_cast<int>(summary->pruned);
    counts["FAIL"] = static_cast<int>(summary->failed);
    j["n_trials"] = summary->n_trials;
  } else {
    for (const auto& t : trials) ++counts[search::to_string(t.state)];
    j["n_trials"] = trials.size();
  }
  j["states"] = counts;
  auto b = best();
  j["best"] = b ? trial_json(*b) : Json(nullptr);
  return j;
}

Result<search::StudyRecord> create_study(const StudyPlan& plan) {
  auto setup = objective_registry().from_json(plan.objective);
  if (!setup) return setup.status();
  search::Direction direction = (*setup)->default_direction();
  if (!plan.direction.empty()) {
    auto d = search::parse_direction(plan.direction);
    if (!d) return d.status();
    direction = *d;
  }
  if (Status st = (*setup)->check_direction(direction); !st.is_ok()) return st;
  if (auto s = search::make_sampler(plan.sampler); !s) return s.status();
  if (Status st = (*setup)->prepare(); !st.is_ok()) return st;  // bad data leaves no study behind
  search::StudyRecord r;
  r.name = plan.name;
  r.direction = direction;
  r.sampler = plan.sampler;
  r.seed = plan.seed;
  r.space = (*setup)->space().to_json();
  r.objective = (*setup)->to_json();
  return search::Study::create(plan.storage, r);
}

Json StudyRunResult::to_json() const {
  Json j = study.to_json();
  j["this_run"] = {{"complete", summary.complete}, {"pruned", summary.pruned},
                   {"failed", summary.failed},     {"stale_reaped", summary.reaped},
                   {"retried", summary.retried},   {"lost", summary.lost},
                   {"released", summary.released}, {"interrupted", summary.interrupted},
                   {"waited_s", summary.waited_s}, {"waited_for", summary.waited_for},
                   {"workers", workers},           {"wall_s", summary.wall_s}};
  if (!data.is_null()) j["data"] = data;
  return j;
}

Result<StudyRunResult> optimize_study(const StudyRunPlan& p,
                                      const std::function<void(const search::TrialRecord&)>& on_trial_done) {
  if (p.trials < 1) return Status::invalid_field("trials", "must be at least 1");
  if (p.workers < 1 || p.workers > 256) return Status::invalid_field("workers", "expected 1 to 256");
  if (p.timeout < 0) return Status::invalid_field("timeout", "must be >= 0");
  if (p.delay_ms < 0) return Status::invalid_field("delay_ms", "must be >= 0");
  if (!(p.heartbeat > 0)) return Status::invalid_field("heartbeat", "must be > 0");
  if (p.max_retries < 0) return Status::invalid_field("max_retries", "must be >= 0");
  if (!(p.retry_storage >= 0)) return Status::invalid_field("retry_storage", "must be >= 0");
  auto study = search::Study::open(p.storage, p.name, search::OpenMode::kReadWrite);
  if (!study) return study.status();
  const Json& stored = study->record().objective;
  if (!objective_registry().contains(search::objective_name(stored))) {
    return Status::invalid("study '" + p.name + "' has objective " + stored.dump() +
                           ", which this command cannot run");
  }
  auto setup = objective_registry().from_json(stored);  // outlives optimize(): the objective borrows it
  if (!setup) return setup.status().with_context("study '" + p.name + "'");
  if (study->space() != (*setup)->space())
    return Status::invalid("study '" + p.name + "': its stored space does not match its objective");
  if (Status st = (*setup)->prepare(); !st.is_ok()) return st;

  search::Objective objective = (*setup)->objective(study->record().seed);
  if (p.delay_ms > 0) {
    objective = [inner = std::move(objective), delay = p.delay_ms,
                 interrupted = p.interrupted](search::TrialContext& t) {
      const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay);
      while (std::chrono::steady_clock::now() < end) {
        if (interrupted && interrupted() != 0) return search::TrialOutcome::fail("interrupted");
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(20), end - std::chrono::steady_clock::now()));
      }
      return inner(t);
    };
  }
  search::OptimizeOptions opt;
  opt.n_trials = p.trials;
  opt.timeout_s = p.timeout;
  opt.workers = p.workers;
  opt.heartbeat_s = p.heartbeat;
  opt.grace_s = 5 * p.heartbeat;
  opt.max_retries = p.max_retries;
  opt.retry_s = p.retry_storage;
  opt.wait = p.wait;
  opt.interrupted = p.interrupted;
  opt.on_trial_done = on_trial_done;
  auto summary = study->optimize(objective, opt);
  if (!summary) return summary.status();
  auto trials = study->storage().trials(study->record().id, false);
  if (!trials) return trials.status();
  StudyRunResult r;
  r.study = {study->record(), std::move(*trials), std::nullopt};
  r.summary = *summary;
  r.workers = p.workers;
  r.data = (*setup)->details();
  return r;
}

Result<StudyView> read_study(const std::string& storage, const std::string& name) {
  auto study = search::Study::open(storage, name, search::OpenMode::kReadOnly);
  if (!study) return study.status();
  auto trials = study->storage().trials(study->record().id, false);
  if (!trials) return trials.status();
  return StudyView{study->record(), std::move(*trials), std::nullopt};
}

Result<StudyView> read_study_summary(const std::string& storage, const std::string& name) {
  auto study = search::Study::open(storage, name, search::OpenMode::kReadOnly);
  if (!study) return study.status();
  auto summary = study->storage().summary(study->record().id, study->record().direction);
  if (!summary) return summary.status();
  return StudyView{study->record(), {}, std::move(*summary)};
}

Json StudyExportResult::to_json() const {
  return {{"format", format}, {"to", to.empty() ? Json(nullptr) : Json(to)}, {"trials", trials}};
}

Result<StudyExportResult> export_study(const StudyExportPlan& p) {
  if (p.format != "csv" && p.format != "optuna")
    return Status::invalid_field("format", "expected csv or optuna, got '" + p.format + "'");
  if (p.to.empty()) return Status::invalid_field("to", "required");
  std::string path = p.to;
  if (p.format == "optuna" && !search::is_postgres_url(p.to)) {
    auto target = search::sqlite_target_path(p.to);
    if (!target) return target.status();
    path = *target;
  }
  auto study = search::Study::open(p.storage, p.name, search::OpenMode::kReadOnly);
  if (!study) return study.status();
  auto trials = study->storage().trials(study->record().id, true);
  if (!trials) return trials.status();
  StudyExportResult r;
  r.format = p.format;
  r.trials = trials->size();
  if (p.format == "optuna" && search::is_postgres_url(p.to)) {
    if (Status st = search::write_optuna_postgres(study->record(), *trials, p.to); !st.is_ok()) return st;
    r.to = search::mask_password(p.to);
    return r;
  }
  if (p.format == "optuna") {
    if (Status st = search::write_optuna_sqlite(study->record(), *trials, path); !st.is_ok()) return st;
    r.to = path;
    return r;
  }
  auto csv = search::trials_csv(study->record(), *trials);
  if (!csv) return csv.status();
  if (path == "-") {
    r.text = std::move(*csv);
    return r;
  }
  if (Status s = write_file_atomic(path, *csv); !s) {
    return Status::io_error("cannot write " + s.message()).with_field("to");
  }
  r.to = path;
  return r;
}

Result<std::vector<StudyView>> list_studies(const std::string& storage) {
  auto st = search::open_storage(storage, search::OpenMode::kReadOnly);
  if (!st) return st.status();
  auto studies = (*st)->list_studies();
  if (!studies) return studies.status();
  std::vector<StudyView> out;
  for (const auto& s : *studies) {
    auto trials = (*st)->trials(s.id, false);
    if (!trials) return trials.status();
    out.push_back({s, std::move(*trials), std::nullopt});
  }
  return out;
}

}  // namespace actlab::lab
