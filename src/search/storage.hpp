// Where studies live: one interface, a SQLite file or a PostgreSQL database behind it (docs/search.md).
//
//   auto st = open_storage("sqlite:///tmp/s.db", OpenMode::kCreate);    // or "postgresql://me@host:5432/db"
//   auto study = (*st)->create_study(record);                            // fails if the name exists
//   auto t = (*st)->claim_waiting(study->id, "host:123:0");              // WAITING → RUNNING, atomically
//   if (!*t) t = (*st)->create_running(study->id, "host:123:0", 200,     // a new dense number, within
//   budget,
//                                      [](std::int64_t n) { return Result<Json>(Json{{"x", n}}); });
//   (*st)->finish((**t).id, TrialState::kComplete, 0.5, "");
//
// URLs:
//   sqlite:///abs/path.db            the path after "sqlite://"; sqlite:relative.db for a relative one;
//                                    optional ?busy_timeout_ms=N
//   postgresql://user@host:port/db   or postgres://; the password comes from PGPASSWORD or ~/.pgpass and is
//                                    never printed (one written in the URL is accepted but masked in every
//                                    message)
// Every write is one transaction; claims are single atomic statements; trial numbers are dense per study
// (0, 1, 2, ... in creation order; retries get new numbers and point back through retry_of).
// Connections are not shared between threads: open one Storage per worker thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "search/sampler.hpp"

namespace actlab::search {

// The schema this build writes; a database with a larger version is refused.
constexpr int kSchemaVersion = 2;

struct StudyRecord {
  std::int64_t id = 0;
  std::string name;
  Direction direction = Direction::kMinimize;
  std::string sampler = "tpe";
  std::uint64_t seed = 0;
  Json space;          // Space::to_json()
  Json objective;      // what the objective is, e.g. SyntheticProblem::to_json()
  double created = 0;  // unix seconds
};

struct TrialRecord {
  std::int64_t id = 0, study_id = 0, number = 0;
  TrialState state = TrialState::kWaiting;
  Json params;                           // external values {"name": value}; null while not sampled
  std::optional<double> value;           // COMPLETE (and PRUNED with a last value)
  std::string reason;                    // why FAIL or PRUNED
  std::string worker;                    // host:pid:thread of the last worker that ran it
  std::optional<std::int64_t> retry_of;  // number of the trial this one re-runs
  int retries = 0;                       // how many times these parameters were re-run before
  std::optional<double> created, started, finished, heartbeat;  // unix seconds (database clock)
  std::optional<double> heartbeat_age;  // seconds since the last heartbeat (RUNNING trials)
  std::vector<std::pair<std::int64_t, double>> intermediate;  // (step, value), ascending
};

// How many trials a study has, by kind (what optimize() polls while it waits for other workers).
struct TrialCounts {
  std::int64_t originals = 0;  // not retries: what the budget counts
  std::int64_t waiting = 0, running = 0;
};

// What `study show` prints, read without reading the trials: counts from the state index, the number of
// trials from the largest number, the best trial from the value index (Storage::summary).
struct StudySummary {
  std::int64_t n_trials = 0;
  std::int64_t waiting = 0, running = 0, complete = 0, pruned = 0, failed = 0;
  std::optional<TrialRecord> best;  // the best COMPLETE trial with a finite value, the lowest number on ties
};

enum class OpenMode {
  kCreate,     // create the database (SQLite file) and schema when missing
  kReadWrite,  // the database must exist; the schema is created when missing
  kReadOnly,   // no writes at all (show, list, export); SQLite opens the file read-only
};

class Storage {
 public:
  virtual ~Storage() = default;
  // The URL with any password masked.
  virtual std::string url() const = 0;

  virtual Result<StudyRecord> create_study(const StudyRecord& s) = 0;  // invalid if the name exists
  virtual Result<StudyRecord> get_study(const std::string& name) = 0;  // not_found with the known names
  virtual Result<std::vector<StudyRecord>> list_studies() = 0;

  // The oldest WAITING trial of the study, now RUNNING for `worker`; nullopt when none waits.
  virtual Result<std::optional<TrialRecord>> claim_waiting(std::int64_t study, const std::string& worker) = 0;
  // Parameters for a new trial from its number; called inside create_running's transaction.
  using ParamsFor = std::function<Result<Json>(std::int64_t number)>;
  // A new RUNNING trial with the next number, unless the study already has `budget` original (non-retry)
  // trials (budget < 0: no limit); nullopt when the budget is spent. With `params`, the trial is written
  // with params(number) in the same transaction, so no process killed at any moment leaves a trial without
  // parameters (which could not be retried); without, params stay null until set_params().
  virtual Result<std::optional<TrialRecord>> create_running(std::int64_t study, const std::string& worker,
                                                            std::int64_t budget,
                                                            const ParamsFor& params = {}) = 0;
  // A new WAITING trial with given parameters (user-enqueued, or a retry).
  virtual Result<TrialRecord> enqueue(std::int64_t study, const Json& params,
                                      std::optional<std::int64_t> retry_of, int retries) = 0;
  virtual Status set_params(std::int64_t trial, const Json& params) = 0;
  // Appends finished trials (COMPLETE, PRUNED or FAIL: state, params, value, reason, worker, times) with the
  // next numbers, in one transaction and a few multi-row statements: importing, and building large studies
  // for benchmarks. Their number, id, retry_of and intermediate values are ignored.
  virtual Status append_finished(std::int64_t study, const std::vector<TrialRecord>& trials) = 0;
  virtual Status heartbeat(const std::vector<std::int64_t>& trials) = 0;
  virtual Status report(std::int64_t trial, std::int64_t step, double value) = 0;
  // RUNNING → state (COMPLETE, PRUNED or FAIL). False when the trial was no longer RUNNING (another worker
  // declared it stale): finished trials never change.
  virtual Result<bool> finish(std::int64_t trial, TrialState state, std::optional<double> value,
                              const std::string& reason) = 0;
  // RUNNING for `worker` → WAITING again, with its number, parameters and retries; its worker, start,
  // heartbeat and intermediate values are cleared, so the next claim runs it as if it had never started (how
  // an interrupted worker gives its trial back). False when it was not RUNNING for `worker`.
  virtual Result<bool> requeue(std::int64_t trial, const std::string& worker) = 0;
  // Every trial of the study, in number order, with intermediate values when asked.
  virtual Result<std::vector<TrialRecord>> trials(std::int64_t study, bool with_intermediate) = 0;
  // The trials numbered `from` and above, likewise: what a reader that keeps the finished trials it has
  // already seen still needs to read (Study::ask does, for the sampler's history).
  virtual Result<std::vector<TrialRecord>> trials_from(std::int64_t study, std::int64_t from,
                                                       bool with_intermediate) = 0;
  virtual Result<TrialCounts> counts(std::int64_t study) = 0;
  // Counts by state and the best trial (as Study::best over every trial), from indexes: O(log n) statements
  // plus index-only counts, whatever the size of the study.
  virtual Result<StudySummary> summary(std::int64_t study, Direction direction) = 0;
  // The RUNNING trials only (what the stale-trial check reads on every ask).
  virtual Result<std::vector<TrialRecord>> running(std::int64_t study) = 0;
  // RUNNING → FAIL with `reason` if the trial's heartbeat is still `heartbeat` (so a live worker that just
  // beat is left alone); then, if retries < max_retries and it has parameters, a WAITING copy is enqueued.
  // Returns whether it was failed, and the retry if one was made.
  virtual Result<std::pair<bool, std::optional<TrialRecord>>> fail_stale(std::int64_t trial, double heartbeat,
                                                                         const std::string& reason,
                                                                         int max_retries) = 0;
  // Problems found (empty when none): the backend's own check plus dense numbering of every study.
  virtual Result<std::vector<std::string>> check_integrity() = 0;
};

// Opens a storage by URL (see above). Errors name the URL (password masked) and say what to do.
Result<std::unique_ptr<Storage>> open_storage(const std::string& url, OpenMode mode);

// "postgresql://me:secret@h/db" → "postgresql://me:***@h/db"; other URLs unchanged.
std::string mask_password(const std::string& url);

}  // namespace actlab::search
