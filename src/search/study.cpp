#include "search/study.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>

namespace actlab::search {
namespace {

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

// The reasons the reaper writes when a worker is lost; a FAIL with one of them is not the objective's
// failure (FrozenTrial::worker_lost), and its parameters are retried.
constexpr std::string_view kLostWorker = "worker ", kLostWorkerEnd = " exited while running it",
                           kSilentWorker = "no heartbeat from worker ";

bool is_lost_worker_reason(std::string_view r) {
  return r.starts_with(kSilentWorker) || (r.starts_with(kLostWorker) && r.ends_with(kLostWorkerEnd));
}

double elapsed_s(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Status TrialContext::report(std::int64_t step, double value) {
  if (!intermediate_.empty() && intermediate_.back().first >= step) {
    return Status::invalid("report: steps must increase (got " + std::to_string(step) + " after " +
                           std::to_string(intermediate_.back().first) + ")");
  }
  intermediate_.emplace_back(step, value);
  return storage_.report(record_.id, step, value);
}

bool TrialContext::should_prune() {
  if (!study_.pruner_ || intermediate_.empty()) return false;
  auto all = storage_.trials(study_.record_.id, /*with_intermediate=*/true);
  if (!all) return false;
  std::vector<FrozenTrial> frozen;
  for (const auto& r : *all) {
    if (r.number != record_.number) frozen.push_back(study_.freeze(r));
  }
  FrozenTrial me = study_.freeze(record_);
  me.state = TrialState::kRunning;
  me.intermediate = intermediate_;
  return study_.pruner_->prune(frozen, me, study_.record_.direction);
}

std::string Study::worker_name(int index) {
  return host_name() + ":" + std::to_string(getpid()) + ":" + std::to_string(index);
}

Result<StudyRecord> Study::create(const std::string& url, const StudyRecord& record) {
  if (record.name.empty()) return Status::invalid("--name: a study needs a name");
  auto space = Space::from_json(record.space);
  if (!space) return space.status();
  if (space->size() == 0) return Status::invalid("the search space has no parameter");
  if (auto s = make_sampler(record.sampler); !s) return s.status();
  auto st = open_storage(url, OpenMode::kCreate);
  if (!st) return st.status();
  return (*st)->create_study(record);
}

Result<Study> Study::open(const std::string& url, const std::string& name, OpenMode mode) {
  auto st = open_storage(url, mode);
  if (!st) return st.status();
  auto rec = (*st)->get_study(name);
  if (!rec) return rec.status();
  auto space = Space::from_json(rec->space);
  if (!space) return space.status().with_context("study '" + name + "'");
  auto sampler = make_sampler(rec->sampler);
  if (!sampler) return sampler.status().with_context("study '" + name + "'");
  return Study(url, std::move(*st), std::move(*rec), std::move(*space), std::move(*sampler));
}

FrozenTrial Study::freeze(const TrialRecord& r) const {
  FrozenTrial f;
  f.number = r.number;
  f.state = r.state;
  f.worker_lost = r.state == TrialState::kFail && is_lost_worker_reason(r.reason);
  if (!r.params.is_null()) {
    if (auto p = space_.from_external(r.params)) f.params = std::move(*p);
  }
  f.value = r.value.value_or(std::nan(""));
  f.intermediate = r.intermediate;
  return f;
}

Result<std::vector<FrozenTrial>> Study::frozen_trials() {
  auto all = storage_->trials(record_.id, true);
  if (!all) return all.status();
  std::vector<FrozenTrial> out;
  for (const auto& r : *all) out.push_back(freeze(r));
  return out;
}

std::optional<TrialRecord> Study::best(const std::vector<TrialRecord>& trials, Direction d) {
  std::optional<TrialRecord> best;
  for (const auto& t : trials) {
    if (t.state != TrialState::kComplete || !t.value || !std::isfinite(*t.value)) continue;
    if (!best || (d == Direction::kMinimize ? *t.value < *best->value : *t.value > *best->value)) best = t;
  }
  return best;
}

Result<std::pair<int, int>> Study::reap_on(Storage& st, const std::vector<TrialRecord>& trials,
                                           double grace_s, int max_retries) {
  int reaped = 0, retried = 0;
  for (const auto& t : trials) {
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

Result<std::pair<int, int>> Study::reap_stale(double grace_s, int max_retries) {
  auto running = storage_->running(record_.id);
  if (!running) return running.status();
  return reap_on(*storage_, *running, grace_s, max_retries);
}

Status Study::refresh(Storage& st, HistoryCache& cache) const {
  auto fresh =
      st.trials_from(record_.id, static_cast<std::int64_t>(cache.finished), /*with_intermediate=*/true);
  if (!fresh) return fresh.status();
  cache.trials.resize(cache.finished);  // unfinished when last read: read again
  for (const auto& r : *fresh) cache.trials.push_back(freeze(r));
  while (cache.finished < cache.trials.size()) {
    const FrozenTrial& t = cache.trials[cache.finished];
    const bool done =
        t.state == TrialState::kComplete || t.state == TrialState::kPruned || t.state == TrialState::kFail;
    if (!done || t.number != static_cast<std::int64_t>(cache.finished)) break;
    ++cache.finished;
  }
  return Status::ok();
}

Result<std::optional<ActiveTrial>> Study::ask_on(Storage& st, HistoryCache& cache, const std::string& worker,
                                                 std::int64_t budget, const OptimizeOptions& o) {
  auto running = st.running(record_.id);
  if (!running) return running.status();
  if (auto r = reap_on(st, *running, o.grace_s, o.max_retries); !r) return r.status();
  auto claimed = st.claim_waiting(record_.id, worker);
  if (!claimed) return claimed.status();
  std::optional<TrialRecord> rec = std::move(*claimed);
  if (!rec) {
    auto made = st.create_running(record_.id, worker, budget);
    if (!made) return made.status();
    if (!*made) return std::optional<ActiveTrial>();
    rec = std::move(*made);
  }
  ActiveTrial t;
  t.record = std::move(*rec);
  if (!t.record.params.is_null()) {
    auto p = space_.from_external(t.record.params);
    if (!p) return p.status().with_context("trial " + std::to_string(t.record.number));
    t.params = std::move(*p);
    return std::optional<ActiveTrial>(std::move(t));
  }
  const std::vector<FrozenTrial> none;
  if (sampler_->uses_history()) {
    if (auto s = refresh(st, cache); !s) return s;
  }
  t.params = sampler_->sample(space_, record_.direction, sampler_->uses_history() ? cache.trials : none,
                              t.record.number, record_.seed);
  t.record.params = space_.to_external(t.params);
  if (auto s = st.set_params(t.record.id, t.record.params); !s) return s;
  return std::optional<ActiveTrial>(std::move(t));
}

Result<std::optional<ActiveTrial>> Study::ask(const std::string& worker, std::int64_t budget,
                                              const OptimizeOptions& o) {
  return ask_on(*storage_, history_, worker, budget, o);
}

Result<bool> Study::tell_on(Storage& st, const ActiveTrial& t, const TrialOutcome& outcome) {
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
  return st.finish(t.record.id, out.state, value, out.reason);
}

Result<bool> Study::tell(const ActiveTrial& t, const TrialOutcome& outcome) {
  return tell_on(*storage_, t, outcome);
}

Result<TrialRecord> Study::enqueue(const Json& params) {
  auto p = space_.from_external(params);
  if (!p) return p.status();
  return storage_->enqueue(record_.id, space_.to_external(*p), std::nullopt, 0);
}

Result<OptimizeSummary> Study::optimize(const Objective& objective, const OptimizeOptions& o) {
  if (o.workers < 1) return Status::invalid("--workers: must be at least 1");
  if (!(o.heartbeat_s > 0) || !(o.grace_s > o.heartbeat_s)) {
    return Status::invalid("--heartbeat: the grace period must exceed the heartbeat interval");
  }
  pruner_ = o.pruner;
  const auto t0 = std::chrono::steady_clock::now();
  OptimizeSummary summary;
  std::mutex mu;  // guards summary, active, first_error, on_trial_done
  std::set<std::int64_t> active;
  Status first_error;
  std::atomic<bool> stop{false};

  // Heartbeats for every trial running in this process, from one thread with its own connection.
  std::condition_variable hb_cv;
  bool hb_done = false;
  auto hb_storage = open_storage(url_, OpenMode::kReadWrite);
  if (!hb_storage) return hb_storage.status();
  std::thread heartbeat([&] {
    std::unique_lock lock(mu);
    while (!hb_done) {
      hb_cv.wait_for(lock, std::chrono::duration<double>(o.heartbeat_s));
      if (hb_done) break;
      std::vector<std::int64_t> ids(active.begin(), active.end());
      lock.unlock();
      (void)(*hb_storage)->heartbeat(ids);
      lock.lock();
    }
  });

  auto worker = [&](int index) {
    auto opened = open_storage(url_, OpenMode::kReadWrite);
    auto fail = [&](const Status& s) {
      std::lock_guard lock(mu);
      if (first_error.is_ok()) first_error = s;
      stop = true;
    };
    if (!opened) return fail(opened.status());
    Storage& st = **opened;
    HistoryCache history;
    const std::string name = worker_name(index);
    while (!stop) {
      if (o.timeout_s > 0 && elapsed_s(t0) >= o.timeout_s) break;
      auto asked = ask_on(st, history, name, o.n_trials, o);
      if (!asked) return fail(asked.status());
      if (!*asked) break;
      ActiveTrial t = std::move(**asked);
      {
        std::lock_guard lock(mu);
        active.insert(t.record.id);
      }
      TrialContext ctx(*this, st, t.record, t.params);
      TrialOutcome outcome;
      try {
        outcome = objective(ctx);
      } catch (const std::exception& e) {
        outcome = TrialOutcome::fail(std::string("objective threw: ") + e.what());
      }
      if (outcome.state == TrialState::kPruned && !ctx.intermediate_.empty()) {
        outcome.value = ctx.intermediate_.back().second;
      }
      auto told = tell_on(st, t, outcome);
      std::lock_guard lock(mu);
      active.erase(t.record.id);
      if (!told) return fail(told.status());
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
      if (o.on_trial_done) {
        TrialRecord done = t.record;
        done.state = final_state;
        if (final_state != TrialState::kFail) done.value = outcome.value;
        done.reason = outcome.reason;
        o.on_trial_done(done);
      }
    }
  };
  // Stale trials are reaped once up front so the summary counts them; ask() keeps reaping as it goes.
  auto reaped = reap_stale(o.grace_s, o.max_retries);
  if (!reaped) {
    stop = true;
    first_error = reaped.status();
  } else {
    summary.reaped = reaped->first;
    summary.retried = reaped->second;
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < o.workers && !stop; ++i) threads.emplace_back(worker, i);
  if (!stop) worker(0);
  for (auto& th : threads) th.join();
  {
    std::lock_guard lock(mu);
    hb_done = true;
  }
  hb_cv.notify_all();
  heartbeat.join();
  pruner_.reset();
  summary.wall_s = elapsed_s(t0);
  if (!first_error.is_ok()) return first_error;
  return summary;
}

}  // namespace actlab::search
