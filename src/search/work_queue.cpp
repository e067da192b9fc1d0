// The work queue over a study's trials (see work_queue.hpp).
#include "search/work_queue.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace actlab::search {
namespace {

using Clock = std::chrono::steady_clock;

std::string host_name() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// True when `worker` ("host:pid:index") names a process of this host that no longer exists.
bool local_worker_is_dead(const std::string& worker) {
  const auto a = worker.find(':');
  const auto b = worker.find(':', a == std::string::npos ? a : a + 1);
  if (a == std::string::npos || b == std::string::npos) return false;
  if (worker.substr(0, a) != host_name()) return false;
  const long pid = std::strtol(worker.c_str() + a + 1, nullptr, 10);
  if (pid <= 0) return false;
  return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// The reasons the reaper writes when a worker is lost; a FAIL with one of them is not the work's failure
// (FrozenTrial::worker_lost), and its parameters are retried.
constexpr std::string_view kLostWorker = "worker ", kLostWorkerEnd = " exited while running it",
                           kSilentWorker = "no heartbeat from worker ";

double elapsed_s(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::string WorkQueue::worker_name(int index) {
  return host_name() + ":" + std::to_string(getpid()) + ":" + std::to_string(index);
}

bool WorkQueue::is_lost_worker_reason(std::string_view r) {
  return r.starts_with(kSilentWorker) || (r.starts_with(kLostWorker) && r.ends_with(kLostWorkerEnd));
}

Result<std::pair<int, int>> WorkQueue::reap(Storage& st, const std::vector<TrialRecord>& running,
                                            double grace_s, int max_retries) {
  int reaped = 0, retried = 0;
  for (const auto& t : running) {
    if (t.state != TrialState::kRunning || !t.heartbeat) continue;
    std::string reason;
    if (local_worker_is_dead(t.worker)) {
      reason = std::string(kLostWorker) + t.worker + std::string(kLostWorkerEnd);
    } else if (t.heartbeat_age && *t.heartbeat_age > grace_s) {
      reason = std::string(kSilentWorker) + t.worker + " for " +
               std::to_string(static_cast<int>(*t.heartbeat_age)) + " s";
    } else {
      continue;
    }
    auto r = st.fail_stale(t.id, *t.heartbeat, reason, max_retries);
    if (!r) return r.status();
    reaped += r->first;
    retried += r->second.has_value();
  }
  return std::make_pair(reaped, retried);
}

Result<std::pair<int, int>> WorkQueue::reap(Storage& st, std::int64_t study, double grace_s,
                                            int max_retries) {
  auto running = st.running(study);
  if (!running) return running.status();
  return reap(st, *running, grace_s, max_retries);
}

Result<bool> WorkQueue::finish(Storage& st, std::int64_t trial, const TrialOutcome& outcome) {
  TrialOutcome out = outcome;
  std::optional<double> value;
  if (out.state == TrialState::kComplete) {
    if (!std::isfinite(out.value)) {
      out = TrialOutcome::fail("objective value is " + std::string(std::isnan(out.value) ? "nan" : "inf"));
    } else {
      value = out.value;
    }
  } else if (out.state == TrialState::kPruned && std::isfinite(out.value)) {
    value = out.value;  // the last intermediate value, which TPE ranks pruned trials by
  }
  return st.finish(trial, out.state, value, out.reason);
}

Result<std::optional<Job>> WorkQueue::claim_waiting(Storage& st, std::int64_t study,
                                                    const std::string& worker, const Work& work) {
  auto claimed = st.claim_waiting(study, worker);
  if (!claimed) return claimed.status();
  if (!*claimed) return std::optional<Job>();
  auto record = std::make_shared<const TrialRecord>(std::move(**claimed));
  Job j;
  j.record = *record;
  j.run = [record, work] { return work(*record); };
  return std::optional<Job>(std::move(j));
}

Result<QueueSummary> WorkQueue::run(const Claim& claim, const Stop& stop, const Done& on_done) const {
  const QueueOptions& o = options_;
  if (o.workers < 1) return Status::invalid_field("workers", "must be at least 1");
  if (!(o.heartbeat_s > 0) || !(o.grace_s > o.heartbeat_s))
    return Status::invalid_field("grace_s", "the grace period must exceed the heartbeat interval");
  if (!(o.poll_s > 0)) return Status::invalid_field("poll_s", "must be positive");
  auto monitor_storage = open_storage(url_, OpenMode::kReadWrite);
  if (!monitor_storage) return monitor_storage.status();

  const auto t0 = Clock::now();
  std::mutex mu;  // guards everything below, and on_done
  std::condition_variable cv;
  std::set<std::int64_t> active;  // trials running in this process
  QueueSummary summary;
  Status first_error;
  bool quit = false;
  int workers_left = o.workers;
  auto fail_locked = [&](const Status& s) {
    if (first_error.is_ok()) first_error = s;
    quit = true;
    cv.notify_all();
  };

  auto work_loop = [&](Storage& st, const std::string& name) {
    while (true) {
      {
        std::lock_guard lock(mu);
        if (quit) return;
      }
      if (o.timeout_s > 0 && elapsed_s(t0) >= o.timeout_s) return;
      auto next = claim(st, name);
      if (!next) {
        std::lock_guard lock(mu);
        return fail_locked(next.status());
      }
      if (!*next) {
        if (!stop) return;
        std::unique_lock lock(mu);
        cv.wait_for(lock, seconds(o.poll_s), [&] { return quit; });
        continue;
      }
      Job job = std::move(**next);
      {
        std::lock_guard lock(mu);
        active.insert(job.record.id);
      }
      TrialOutcome outcome;
      try {
        outcome = job.run();
      } catch (const std::exception& e) {
        outcome = TrialOutcome::fail(std::string("work threw: ") + e.what());
      }
      auto told = finish(st, job.record.id, outcome);
      std::lock_guard lock(mu);
      active.erase(job.record.id);
      if (!told) return fail_locked(told.status());
      if (!*told) {
        ++summary.lost;
        continue;
      }
      TrialState final_state = outcome.state;
      if (final_state == TrialState::kComplete && !std::isfinite(outcome.value))
        final_state = TrialState::kFail;
      summary.complete += final_state == TrialState::kComplete;
      summary.pruned += final_state == TrialState::kPruned;
      summary.failed += final_state == TrialState::kFail;
      if (on_done) {
        TrialRecord done = job.record;
        done.state = final_state;
        if (final_state != TrialState::kFail) done.value = outcome.value;
        done.reason = outcome.reason;
        on_done(done);
      }
    }
  };
  auto worker = [&](int index) {
    auto opened = open_storage(url_, OpenMode::kReadWrite);
    if (opened) {
      work_loop(**opened, worker_name(index));
    } else {
      std::lock_guard lock(mu);
      fail_locked(opened.status());
    }
    std::lock_guard lock(mu);
    --workers_left;
    cv.notify_all();
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < o.workers; ++i) threads.emplace_back(worker, i);

  // This thread: heartbeats for every trial running in this process, and the stop condition.
  {
    std::unique_lock lock(mu);
    auto next_beat = Clock::now() + seconds(o.heartbeat_s), next_poll = Clock::now() + seconds(o.poll_s);
    while (workers_left > 0) {
      cv.wait_until(lock, stop && !quit ? std::min(next_beat, next_poll) : next_beat);
      if (workers_left == 0) break;
      if (Clock::now() >= next_beat) {
        std::vector<std::int64_t> ids(active.begin(), active.end());
        lock.unlock();
        if (!ids.empty()) (void)(*monitor_storage)->heartbeat(ids);
        lock.lock();
        next_beat = Clock::now() + seconds(o.heartbeat_s);
      }
      if (stop && !quit && Clock::now() >= next_poll) {
        lock.unlock();
        auto done = stop();
        lock.lock();
        if (!done) {
          fail_locked(done.status());
        } else if (*done) {
          quit = true;
          cv.notify_all();
        }
        next_poll = Clock::now() + seconds(o.poll_s);
      }
    }
  }
  for (auto& th : threads) th.join();
  if (!first_error.is_ok()) return first_error;
  return summary;
}

namespace {

// What a study holds for each key: the outcome of a finished run, or a run still WAITING or RUNNING.
struct Known {
  std::map<std::string, TrialOutcome> done;
  std::set<std::string> pending;
};

Result<Known> read_known(Storage& st, std::int64_t study,
                         const std::function<std::string(const Json&)>& key) {
  auto trials = st.trials(study, false);
  if (!trials) return trials.status();
  Known k;
  std::map<std::string, TrialOutcome> failed;
  for (const TrialRecord& t : *trials) {
    if (t.params.is_null()) continue;
    const std::string name = key(t.params);
    if (name.empty()) continue;
    switch (t.state) {
      case TrialState::kComplete:
        k.done[name] = TrialOutcome::complete(t.value.value_or(std::nan("")));
        break;
      case TrialState::kFail:
      case TrialState::kPruned:
        failed[name] = TrialOutcome{t.state, t.value.value_or(std::nan("")), t.reason};
        break;
      default: k.pending.insert(name);
    }
  }
  for (auto& [name, r] : failed)
    if (!k.done.count(name) && !k.pending.count(name)) k.done.emplace(name, r);
  for (const auto& [name, r] : k.done) k.pending.erase(name);
  return k;
}

}  // namespace

Result<MapResult> WorkQueue::map(Storage& st, const std::vector<Json>& params,
                                 const std::function<std::string(const Json&)>& key, const Work& work) const {
  auto known = read_known(st, study_, key);
  if (!known) return known.status();
  MapResult out;
  std::vector<std::string> keys;
  for (const Json& p : params) {
    keys.push_back(key(p));
    if (known->done.count(keys.back())) {
      ++out.from_store;
      continue;
    }
    if (known->pending.count(keys.back())) continue;  // enqueued by an interrupted run or another process
    auto e = st.enqueue(study_, p, std::nullopt, 0);
    if (!e) return e.status();
    known->pending.insert(keys.back());
  }
  auto all_done = [&]() -> Result<bool> {
    if (auto r = reap(st, study_, options_.grace_s, options_.max_retries); !r) return r.status();
    auto k = read_known(st, study_, key);
    if (!k) return k.status();
    *known = std::move(*k);
    for (const std::string& name : keys)
      if (!known->done.count(name)) return false;
    return true;
  };
  auto done = all_done();
  if (!done) return done.status();
  if (!*done) {
    auto claim = [&](Storage& wst, const std::string& worker) {
      return claim_waiting(wst, study_, worker, work);
    };
    if (auto r = run(claim, all_done); !r) return r.status();
  }
  for (const std::string& name : keys) {
    auto it = known->done.find(name);
    if (it == known->done.end()) return Status::internal("work queue: no outcome for " + name);
    out.outcomes.push_back(it->second);
  }
  return out;
}

Result<QueueSummary> WorkQueue::serve(double idle_s, const Work& work) const {
  auto st = open_storage(url_, OpenMode::kReadWrite);
  if (!st) return st.status();
  auto last_busy = Clock::now();
  auto idle = [&]() -> Result<bool> {
    if (auto r = reap(**st, study_, options_.grace_s, options_.max_retries); !r) return r.status();
    auto trials = (*st)->trials(study_, false);
    if (!trials) return trials.status();
    for (const TrialRecord& t : *trials) {
      if (t.state == TrialState::kWaiting || t.state == TrialState::kRunning) {
        last_busy = Clock::now();
        break;
      }
    }
    return elapsed_s(last_busy) > idle_s;
  };
  auto claim = [&](Storage& wst, const std::string& worker) {
    return claim_waiting(wst, study_, worker, work);
  };
  return run(claim, idle);
}

}  // namespace actlab::search
