// The work queue over a study's trials (see work_queue.hpp).
#include "search/work_queue.hpp"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
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

// This process's boot (first 8 hex digits of the kernel's boot id) and PID namespace (its inode): two
// workers see each other's PIDs only when both match.
const std::string& scope() {
  static const std::string s = [] {
    std::string boot = "noboot";
    if (std::FILE* f = std::fopen("/proc/sys/kernel/random/boot_id", "r")) {
      char buf[64] = {0};
      if (std::fgets(buf, sizeof buf, f)) {
        boot.clear();
        for (const char* c = buf; *c && boot.size() < 8; ++c)
          if (std::isxdigit(static_cast<unsigned char>(*c))) boot += *c;
      }
      std::fclose(f);
    }
    struct stat ns {};
    const std::string pidns = stat("/proc/self/ns/pid", &ns) == 0 ? std::to_string(ns.st_ino) : "nons";
    return boot + "-" + pidns;
  }();
  return s;
}

// True when process `pid` of this namespace does not exist or is a zombie (state Z in /proc/PID/stat: it
// has exited and only waits for its parent to read its status).
bool pid_is_dead(long pid) {
  if (kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return false;
  char buf[512] = {0};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  const std::string_view stat(buf, n);
  const auto paren = stat.rfind(')');  // the command name may hold spaces and parentheses
  return paren != std::string_view::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

// The reasons the reaper and release() write when a worker is lost; a FAIL with one of them is not the
// work's failure (FrozenTrial::worker_lost), and its parameters are retried.
constexpr std::string_view kLostWorker = "worker ", kLostWorkerEnd = " exited while running it",
                           kSilentWorker = "no heartbeat from worker ",
                           kInterrupted = " interrupted by signal ",
                           kUnrecorded = " could not record its result: ";

double elapsed_s(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::string WorkQueue::worker_name(int index) {
  return host_name() + ":" + std::to_string(getpid()) + ":" + std::to_string(index) + ":" + scope();
}

bool WorkQueue::worker_is_dead(const std::string& worker) {
  // host:pid:index[:scope]; the host name may not hold ':'.
  const auto a = worker.find(':');
  if (a == std::string::npos || worker.substr(0, a) != host_name()) return false;
  const auto b = worker.find(':', a + 1);
  if (b == std::string::npos) return false;
  const auto c = worker.find(':', b + 1);
  if (c != std::string::npos && worker.substr(c + 1) != scope()) return false;
  char* end = nullptr;
  const long pid = std::strtol(worker.c_str() + a + 1, &end, 10);
  if (pid <= 0 || end != worker.c_str() + b) return false;
  return pid_is_dead(pid);
}

bool WorkQueue::is_lost_worker_reason(std::string_view r) {
  if (r.starts_with(kSilentWorker)) return true;
  if (!r.starts_with(kLostWorker)) return false;
  return r.ends_with(kLostWorkerEnd) || r.find(kInterrupted) != std::string_view::npos ||
         r.find(kUnrecorded) != std::string_view::npos;
}

Status WorkQueue::retry_io(double retry_s, const std::function<Status()>& fn,
                           const std::function<bool()>& cancel) {
  const auto t0 = Clock::now();
  double wait = 0.05;
  while (true) {
    Status s = fn();
    if (s.is_ok() || s.code() != StatusCode::kIoError) return s;
    if (elapsed_s(t0) + wait > retry_s || (cancel && cancel())) return s;
    std::this_thread::sleep_for(seconds(wait));
    wait = std::min(2 * wait, 2.0);
  }
}

Result<bool> WorkQueue::release(Storage& st, std::int64_t study, std::int64_t trial,
                                const std::string& reason, int max_retries) {
  // fail_stale() fails a trial only at the heartbeat it was read with: read it again if it beat meanwhile.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto running = st.running(study);
    if (!running) return running.status();
    const auto it =
        std::find_if(running->begin(), running->end(), [&](const TrialRecord& t) { return t.id == trial; });
    if (it == running->end() || !it->heartbeat) return false;
    auto r = st.fail_stale(trial, *it->heartbeat, reason, max_retries);
    if (!r) return r.status();
    if (r->first) return true;
  }
  return false;
}

Result<bool> WorkQueue::requeue(Storage& st, std::int64_t trial, const std::string& worker) {
  return st.requeue(trial, worker);
}

Result<std::pair<int, int>> WorkQueue::reap(Storage& st, const std::vector<TrialRecord>& running,
                                            double grace_s, int max_retries) {
  int reaped = 0, retried = 0;
  for (const auto& t : running) {
    if (t.state != TrialState::kRunning || !t.heartbeat) continue;
    std::string reason;
    if (worker_is_dead(t.worker)) {
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
  if (!(o.retry_s >= 0)) return Status::invalid_field("retry_s", "must be >= 0");
  auto monitor_storage = open_storage(url_, OpenMode::kReadWrite);
  if (!monitor_storage) return monitor_storage.status();

  const auto t0 = Clock::now();
  std::mutex mu;  // guards everything below, and on_done
  std::condition_variable cv;
  std::map<std::int64_t, std::string> active;  // trials running in this process, by worker
  std::set<std::int64_t> released;   // of which given back on an interrupt (requeued WAITING), or being so
  std::set<std::int64_t> finishing;  // of which being finished by their worker: never requeued
  QueueSummary summary;
  Status first_error;
  bool quit = false, error_names_trial = false;
  int workers_left = o.workers;
  // The first error ends the run; one that names a trial whose result is lost replaces one that does not.
  auto fail_locked = [&](const Status& s, bool names_trial = false) {
    if (first_error.is_ok() || (names_trial && !error_names_trial)) {
      first_error = s;
      error_names_trial = names_trial;
    }
    quit = true;
    cv.notify_all();
  };
  // No mutex here: called while storage calls are retried, which never hold it.
  auto stopping = [&] {
    std::lock_guard lock(mu);
    return quit;
  };

  auto work_loop = [&](Storage& st, const std::string& name) {
    while (true) {
      if (stopping()) return;
      if (o.timeout_s > 0 && elapsed_s(t0) >= o.timeout_s) return;
      Result<std::optional<Job>> next = std::optional<Job>();
      Status claimed = retry_io(
          o.retry_s,
          [&] {
            next = claim(st, name);
            return next ? Status::ok() : next.status();
          },
          stopping);
      if (!claimed) {
        std::lock_guard lock(mu);
        return fail_locked(claimed.with_context("worker " + name + " could not claim a trial"));
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
        active.emplace(job.record.id, name);
      }
      TrialOutcome outcome;
      try {
        outcome = job.run();
      } catch (const std::exception& e) {
        outcome = TrialOutcome::fail(std::string("work threw: ") + e.what());
      }
      // Finished or given back, decided once under the lock: the monitor requeues only trials no worker is
      // finishing, and a worker finishes only a trial the monitor has not requeued (which another process
      // may have claimed since).
      const int sig = o.interrupted ? o.interrupted() : 0;
      bool requeued_by_monitor = false;
      {
        std::lock_guard lock(mu);
        requeued_by_monitor = released.count(job.record.id) > 0;
        if (!requeued_by_monitor) (sig != 0 ? released : finishing).insert(job.record.id);
      }
      if (requeued_by_monitor || sig != 0) {
        // Stopped by a signal: whatever the work returned (cut short, most likely), the trial goes back to
        // WAITING with its number and parameters, so a rerun does exactly what this one would have done.
        Result<bool> r = false;
        if (!requeued_by_monitor) {
          (void)retry_io(std::min(o.retry_s, 5.0), [&] {
            r = requeue(st, job.record.id, name);
            return r ? Status::ok() : r.status();
          });
        }
        std::lock_guard lock(mu);
        active.erase(job.record.id);
        if (r && *r) ++summary.released;
        if (sig != 0) summary.interrupted = sig;
        quit = true;
        cv.notify_all();
        return;
      }
      Result<bool> told = false;
      Status recorded = retry_io(o.retry_s, [&] {
        told = finish(st, job.record.id, outcome);
        return told ? Status::ok() : told.status();
      });
      if (!recorded) {
        // The result is lost: give the trial back so that another worker re-runs it, if the storage takes
        // that write; if not, it stays RUNNING in this process's name, which the reaper fails and retries
        // once this process has exited (or its heartbeats have stopped).
        const std::string reason = "worker " + name + std::string(kUnrecorded) + recorded.message();
        auto gave_back = release(st, study_, job.record.id, reason, o.max_retries);
        std::lock_guard lock(mu);
        active.erase(job.record.id);
        finishing.erase(job.record.id);
        return fail_locked(
            Status::io_error(
                "trial " + std::to_string(job.record.number) + ": its result could not be recorded for " +
                std::to_string(static_cast<int>(o.retry_s)) + " s: " + recorded.message() +
                (gave_back && *gave_back ? "; the trial was failed and re-enqueued for another worker"
                                         : "; the trial stays RUNNING until a worker on this study reaps it "
                                           "(run the same command again)")),
            /*names_trial=*/true);
      }
      std::lock_guard lock(mu);
      active.erase(job.record.id);
      finishing.erase(job.record.id);
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
    const std::string name = worker_name(index);
    Result<std::unique_ptr<Storage>> opened = Status::internal("not opened");
    Status st = retry_io(
        o.retry_s,
        [&] {
          opened = open_storage(url_, OpenMode::kReadWrite);
          return opened ? Status::ok() : opened.status();
        },
        stopping);
    if (st) {
      work_loop(**opened, name);
    } else {
      std::lock_guard lock(mu);
      fail_locked(st);
    }
    std::lock_guard lock(mu);
    --workers_left;
    cv.notify_all();
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < o.workers; ++i) threads.emplace_back(worker, i);

  // This thread: heartbeats for every trial running in this process, the stop condition and interrupts.
  {
    std::unique_lock lock(mu);
    const bool polls = stop || o.interrupted;
    auto next_beat = Clock::now() + seconds(o.heartbeat_s), next_poll = Clock::now() + seconds(o.poll_s);
    while (workers_left > 0) {
      cv.wait_until(lock, polls && !quit ? std::min(next_beat, next_poll) : next_beat);
      if (workers_left == 0) break;
      if (Clock::now() >= next_beat) {
        std::vector<std::int64_t> ids;
        for (const auto& [id, who] : active)
          if (!released.count(id)) ids.push_back(id);
        lock.unlock();
        if (!ids.empty()) (void)(*monitor_storage)->heartbeat(ids);  // the next call reconnects if need be
        lock.lock();
        next_beat = Clock::now() + seconds(o.heartbeat_s);
      }
      if (polls && !quit && Clock::now() >= next_poll) {
        if (const int sig = o.interrupted ? o.interrupted() : 0; sig != 0) {
          summary.interrupted = sig;
          quit = true;
          cv.notify_all();
          // Given back at once (not when the work returns): a second signal ends the process on the spot.
          std::map<std::int64_t, std::string> running_here;
          for (const auto& [id, who] : active)
            if (!finishing.count(id) && released.insert(id).second) running_here.emplace(id, who);
          lock.unlock();
          int n = 0;
          for (const auto& [id, who] : running_here) {
            Result<bool> r = false;
            (void)retry_io(std::min(o.retry_s, 5.0), [&] {
              r = requeue(**monitor_storage, id, who);
              return r ? Status::ok() : r.status();
            });
            n += r && *r;
          }
          lock.lock();
          summary.released += n;
          continue;
        }
        if (stop) {
          lock.unlock();
          Result<bool> done = false;
          Status polled = retry_io(
              o.retry_s,
              [&] {
                done = stop();
                return done ? Status::ok() : done.status();
              },
              [&] { return o.interrupted && o.interrupted() != 0; });
          lock.lock();
          if (!polled) {
            fail_locked(polled.with_context("checking whether the study is done"));
          } else if (*done) {
            quit = true;
            cv.notify_all();
          }
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
    auto r = run(claim, all_done);
    if (!r) return r.status();
    if (r->interrupted != 0) {
      out.interrupted = r->interrupted;
      return out;
    }
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
