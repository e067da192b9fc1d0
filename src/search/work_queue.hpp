// A study's trials as a work queue shared by threads and processes (docs/search.md): the one runner behind
// Study::optimize and behind evolution's distributed fitness.
//
//   WorkQueue q(url, study_id, {.workers = 4, .grace_s = 30});
//   // Given parameters (evolution's fitness): enqueue those not finished yet, work until all are.
//   auto out = q.map(storage, {Json{{"x", 1}}, Json{{"x", 2}}}, key_of,
//                    [](const TrialRecord& t) { return TrialOutcome::complete(f(t.params)); });
//   // Studies: each worker claims its next trial itself (a WAITING one, or a new one it samples).
//   auto s = q.run([&](Storage& st, const std::string& worker) -> Result<std::optional<Job>> { ... });
//
// Life of a trial: WAITING → RUNNING (claimed by one worker in one atomic statement) → COMPLETE | PRUNED |
// FAIL. Every worker thread has its own connection; one monitor thread (the caller's) sends heartbeats for
// all trials running in this process every heartbeat_s. A RUNNING trial whose worker (worker_name()) is a
// process of this host and PID namespace that no longer exists (or is a zombie), or whose heartbeat is older
// than grace_s, is failed and its parameters re-enqueued as a WAITING retry (up to max_retries times); a
// worker that finishes a trial reaped meanwhile loses it (Storage::finish leaves finished trials alone).
// Nothing here knows what the work is.
//
// Faults: a storage call that fails with an I/O error (SQLite busy past its timeout, a full disk, a
// PostgreSQL connection lost or a server restarting) is retried with doubling back-off (0.05 s to 2 s) for
// retry_s seconds (PostgreSQL reconnects on the next call). A trial whose result cannot be recorded within
// that time is released (FAIL, re-enqueued) when the storage still takes that write, and run() returns the
// error; otherwise it stays RUNNING under this process's name until another worker reaps it (the process has
// exited, or its heartbeats stopped). When `interrupted` reports a signal, workers stop claiming, the trials
// running here go back to WAITING at once (Storage::requeue: same number, same parameters, so the next run,
// here or anywhere, does exactly what this one would have done), and run() returns once the work in progress
// has returned (QueueSummary::interrupted); the work's late outcome is dropped.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "search/storage.hpp"

namespace actlab::search {

struct TrialOutcome {
  TrialState state = TrialState::kComplete;
  double value = 0;
  std::string reason;
  static TrialOutcome complete(double v) { return {TrialState::kComplete, v, ""}; }
  static TrialOutcome pruned(std::string why = "pruned") {
    return {TrialState::kPruned, std::nan(""), std::move(why)};
  }
  static TrialOutcome fail(std::string why) { return {TrialState::kFail, 0, std::move(why)}; }
};

struct QueueOptions {
  int workers = 1;           // threads in this process, each with its own connection
  double heartbeat_s = 2.0;  // heartbeat interval of RUNNING trials
  double grace_s = 10.0;     // a RUNNING trial silent this long is stale
  int max_retries = 3;       // re-runs of a stale trial's parameters
  double poll_s = 0.2;       // how often an idle worker looks again, and the stop condition is asked
  double timeout_s = 0;      // stop claiming after this many seconds (0: none)
  double retry_s = 60;       // how long a storage call failing with an I/O error is retried
  // Nonzero (the signal's number) once the process was asked to stop; polled every poll_s.
  std::function<int()> interrupted = {};
};

// A claimed trial (RUNNING, in the claiming worker's name) and the work to do for it.
struct Job {
  TrialRecord record;
  std::function<TrialOutcome()> run;
};

struct QueueSummary {
  int complete = 0, pruned = 0, failed = 0;
  int lost = 0;         // finished here but already failed as stale by someone else
  int released = 0;     // running here when interrupted: back to WAITING for the next worker
  int interrupted = 0;  // the signal that stopped the run, 0 when none
};

// Given parameters read back or worked out: outcome i belongs to parameters i.
struct MapResult {
  std::vector<TrialOutcome> outcomes;  // empty when interrupted
  int from_store = 0;                  // finished before this call (by an earlier run or another process)
  int interrupted = 0;                 // the signal that stopped the workers (QueueOptions::interrupted)
};

class WorkQueue {
 public:
  // The next job for `worker` over its own connection `st`, or nullopt when there is none now.
  using Claim = std::function<Result<std::optional<Job>>(Storage& st, const std::string& worker)>;
  // True when the workers should stop; asked from the monitor thread every poll_s.
  using Stop = std::function<Result<bool>()>;
  // Called after each trial this process finished, one call at a time, with its final state, value, reason.
  using Done = std::function<void(const TrialRecord& finished)>;
  // The work of a claimed trial, from its record (params).
  using Work = std::function<TrialOutcome(const TrialRecord& trial)>;

  WorkQueue(std::string url, std::int64_t study, QueueOptions options)
      : url_(std::move(url)), study_(study), options_(options) {}

  const QueueOptions& options() const { return options_; }

  // Runs options.workers threads until: `stop` says so (workers with nothing to claim wait and look again),
  // or, without `stop`, each worker's claim returns nullopt; or timeout_s passes; or a storage error
  // (returned). A work that throws fails its trial with the message. Errors name the field: workers,
  // heartbeat_s, grace_s.
  Result<QueueSummary> run(const Claim& claim, const Stop& stop = {}, const Done& on_done = {}) const;

  // Each parameter set, by key(params): the outcome already in the study (COMPLETE first; FAIL or PRUNED only
  // when no run of it is WAITING or RUNNING), or enqueued as a WAITING trial unless one is pending already,
  // then worked on by this process's workers (claiming any WAITING trial, reaping stale ones) until every key
  // has finished, or an interrupt stopped the workers (MapResult::interrupted, no outcomes: the running
  // trials are back to WAITING, and the same call later picks up from there). `st` is the caller's own
  // connection.
  Result<MapResult> map(Storage& st, const std::vector<Json>& params,
                        const std::function<std::string(const Json&)>& key, const Work& work) const;

  // Works on WAITING trials, reaping stale ones, until idle_s seconds pass without a WAITING or RUNNING trial
  // (a worker that joins a run from another process).
  Result<QueueSummary> serve(double idle_s, const Work& work) const;

  // A job that claims the oldest WAITING trial and runs `work` on it.
  static Result<std::optional<Job>> claim_waiting(Storage& st, std::int64_t study, const std::string& worker,
                                                  const Work& work);

  // Fails stale RUNNING trials (see above) among `running` and re-enqueues them; returns (reaped, retried).
  static Result<std::pair<int, int>> reap(Storage& st, const std::vector<TrialRecord>& running,
                                          double grace_s, int max_retries);
  // The same over the study's RUNNING trials as read now.
  static Result<std::pair<int, int>> reap(Storage& st, std::int64_t study, double grace_s, int max_retries);

  // RUNNING → the outcome's state; a COMPLETE with a non-finite value becomes FAIL, a PRUNED keeps a finite
  // value. False when the trial had been reaped meanwhile.
  static Result<bool> finish(Storage& st, std::int64_t trial, const TrialOutcome& outcome);
  // RUNNING → FAIL with `reason`, and a WAITING retry when it has parameters and fewer than max_retries
  // retries: how a worker gives back a trial it will not finish. False when it was not RUNNING.
  static Result<bool> release(Storage& st, std::int64_t study, std::int64_t trial, const std::string& reason,
                              int max_retries);
  // RUNNING for `worker` → WAITING (Storage::requeue): how an interrupted worker gives a trial back.
  static Result<bool> requeue(Storage& st, std::int64_t trial, const std::string& worker);
  // Calls fn until it succeeds, fails with other than an I/O error, or retry_s seconds have passed, sleeping
  // 0.05 s, 0.1 s, ... (at most 2 s) between calls; `cancel` (may be empty) stops the retries early.
  static Status retry_io(double retry_s, const std::function<Status()>& fn,
                         const std::function<bool()>& cancel = {});

  // "host:pid:index:scope", the worker name stored with the trials this process runs; scope is this
  // machine's boot id (8 hex digits) and PID namespace, so the PID is checked only where it means the same
  // process (containers sharing a host name have their own namespaces).
  static std::string worker_name(int index);
  // True when `worker` names a process of this host, boot and PID namespace that no longer exists or is a
  // zombie (killed, not yet waited for). Names without a scope (older actlab) are checked by host alone.
  static bool worker_is_dead(const std::string& worker);
  // True for the reasons reap() and release() write: the trial failed because its worker was lost,
  // interrupted or could not record its result, not by its own work.
  static bool is_lost_worker_reason(std::string_view reason);

 private:
  std::string url_;
  std::int64_t study_;
  QueueOptions options_;
};

}  // namespace actlab::search
