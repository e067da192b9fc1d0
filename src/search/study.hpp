// Studies: the trial state machine over a Storage, with ask/tell and a multi-worker optimize loop.
//
//   StudyRecord r{.name = "demo", .direction = Direction::kMinimize, .sampler = "tpe", .seed = 1,
//                 .space = space.to_json(), .objective = problem.to_json()};
//   (void)Study::create("sqlite:///tmp/s.db", r);
//   auto study = Study::open("sqlite:///tmp/s.db", "demo");
//   auto summary = study->optimize([&](TrialContext& t) {
//     for (int epoch = 0; epoch < 10; ++epoch) {
//       (void)t.report(epoch, loss(epoch));
//       if (t.should_prune()) return TrialOutcome::pruned();
//     }
//     return TrialOutcome::complete(loss(9));
//   }, {.n_trials = 200, .workers = 4});
//
// Trials: WAITING → RUNNING (claimed atomically by one worker) → COMPLETE | PRUNED | FAIL. n_trials is the
// study's total budget of original trials, shared by every worker and every machine: optimize() returns once
// the study has that many and nothing it can run is left, so running the same command again (or on another
// machine) joins or resumes the study instead of adding n_trials more. Workers send heartbeats; a RUNNING
// trial whose heartbeat is older than the grace period, or whose worker was a process on this host that no
// longer exists, is failed and re-enqueued with the same parameters (up to max_retries times): the workers,
// heartbeats and reaping are search::WorkQueue's (work_queue.hpp), shared with evolution's fitness.
// Sampling is seeded by (study seed, trial number): see sampler.hpp.
#pragma once

#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "search/pruner.hpp"
#include "search/sampler.hpp"
#include "search/storage.hpp"
#include "search/work_queue.hpp"

namespace actlab::search {

class Study;

// What an objective sees of its trial: the parameters, and the report / should-prune channel.
class TrialContext {
 public:
  std::int64_t number() const { return record_.number; }
  const Params& params() const { return params_; }         // internal values, in space order
  const Json& external() const { return record_.params; }  // {"name": value}
  const TrialRecord& record() const { return record_; }
  // Records an intermediate value; steps need not be contiguous.
  Status report(std::int64_t step, double value);
  // Asks the study's pruner (false without one) about the values reported so far.
  bool should_prune();

 private:
  friend class Study;
  TrialContext(Study& study, Storage& storage, TrialRecord record, Params params)
      : study_(study), storage_(storage), record_(std::move(record)), params_(std::move(params)) {}
  Study& study_;
  Storage& storage_;
  TrialRecord record_;
  Params params_;
  std::vector<std::pair<std::int64_t, double>> intermediate_;
};

using Objective = std::function<TrialOutcome(TrialContext&)>;

struct OptimizeOptions {
  std::int64_t n_trials = -1;  // the study's total budget of original trials; < 0: until the timeout
  double timeout_s = 0;        // stop starting trials after this many seconds (0: none)
  int workers = 1;             // threads in this process, each with its own database connection
  double heartbeat_s = 2.0;    // heartbeat interval of RUNNING trials
  double grace_s = 10.0;       // a RUNNING trial silent this long is stale
  int max_retries = 3;         // re-runs of a stale trial's parameters
  double retry_s = 60;  // how long a storage call failing with an I/O error is retried (work_queue.hpp)
  // With n_trials: return only when the study has n_trials originals and none is WAITING or RUNNING — waiting
  // for other workers' trials, reaping the stale ones and running their retries. False: return as soon as
  // this process finds nothing to claim (other workers' trials may still be RUNNING).
  bool wait = true;
  std::function<int()> interrupted = {};  // see QueueOptions::interrupted
  std::shared_ptr<const Pruner> pruner;
  std::function<void(const TrialRecord&)> on_trial_done;  // called from worker threads (serialised)
};

struct OptimizeSummary {
  int complete = 0, pruned = 0, failed = 0;
  int reaped = 0;       // stale trials failed by this call
  int retried = 0;      // of which re-enqueued
  int lost = 0;         // finished here but already failed as stale by someone else
  int released = 0;     // running here when interrupted: back to WAITING (same number and parameters)
  int interrupted = 0;  // the signal that stopped this call, 0 when none
  double waited_s = 0;  // spent waiting for trials running in other processes (OptimizeOptions::wait)
  std::vector<std::int64_t> waited_for;  // their numbers
  double wall_s = 0;
};

// One trial handed out by ask().
struct ActiveTrial {
  TrialRecord record;
  Params params;
};

class Study {
 public:
  // Validates the record (name, space, sampler, direction) and writes it; fails if the name exists.
  static Result<StudyRecord> create(const std::string& url, const StudyRecord& record);
  static Result<Study> open(const std::string& url, const std::string& name,
                            OpenMode mode = OpenMode::kReadWrite);

  const StudyRecord& record() const { return record_; }
  const Space& space() const { return space_; }
  Storage& storage() { return *storage_; }
  const std::string& url() const { return url_; }

  // Reaps stale trials, then claims a WAITING trial or creates a new one (within budget) and samples its
  // parameters. nullopt when the budget is spent and nothing waits.
  Result<std::optional<ActiveTrial>> ask(const std::string& worker, std::int64_t budget = -1,
                                         const OptimizeOptions& o = {});
  // Finishes the trial; a non-finite value becomes FAIL. False when it had been reaped meanwhile.
  Result<bool> tell(const ActiveTrial& t, const TrialOutcome& outcome);
  // Enqueues a WAITING trial with given external parameters (checked against the space).
  Result<TrialRecord> enqueue(const Json& params);
  Result<OptimizeSummary> optimize(const Objective& objective, const OptimizeOptions& options);
  // Fails stale RUNNING trials (see above) and re-enqueues them; returns (reaped, retried).
  Result<std::pair<int, int>> reap_stale(double grace_s, int max_retries);

  Result<std::vector<FrozenTrial>> frozen_trials();
  // The best COMPLETE trial (finite value), if any.
  static std::optional<TrialRecord> best(const std::vector<TrialRecord>& trials, Direction d);

  // "host:pid:index", the worker name stored with the trials this process runs.
  static std::string worker_name(int index);

 private:
  friend class TrialContext;
  Study(std::string url, std::unique_ptr<Storage> storage, StudyRecord record, Space space,
        std::unique_ptr<Sampler> sampler)
      : url_(std::move(url)),
        storage_(std::move(storage)),
        record_(std::move(record)),
        space_(std::move(space)),
        sampler_(std::move(sampler)) {}
  // The sampler's history as one reader (one connection) last saw it. Trials 0..finished−1 are finished
  // (COMPLETE, PRUNED or FAIL), and a finished trial does not change (Storage::finish), so the next ask reads
  // only the trials numbered ≥ finished instead of the whole study: the history is the same as a full read,
  // without re-reading and re-parsing every trial per ask. (One exception, which no sampler looks at: a
  // worker that was declared stale may still report intermediate values to its now FAIL trial.)
  struct HistoryCache {
    std::vector<FrozenTrial> trials;  // in number order, trials[k].number == k
    std::size_t finished = 0;
  };
  Result<std::optional<ActiveTrial>> ask_on(Storage& st, HistoryCache& cache, const std::string& worker,
                                            std::int64_t budget, const OptimizeOptions& o);
  // Brings the cache up to date with the storage; its trials are then what st.trials() would give, frozen.
  Status refresh(Storage& st, HistoryCache& cache) const;
  FrozenTrial freeze(const TrialRecord& r) const;

  std::string url_;
  std::unique_ptr<Storage> storage_;
  StudyRecord record_;
  Space space_;
  std::unique_ptr<Sampler> sampler_;
  std::shared_ptr<const Pruner> pruner_;  // set by optimize() for its duration
  HistoryCache history_;                  // ask()'s, over storage_; each optimize() worker keeps its own
};

}  // namespace actlab::search
