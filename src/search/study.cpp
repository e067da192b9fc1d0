#include "search/study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace actlab::search {
namespace {

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

std::string Study::worker_name(int index) { return WorkQueue::worker_name(index); }

Result<StudyRecord> Study::create(const std::string& url, const StudyRecord& record) {
  if (record.name.empty()) return Status::invalid_field("name", "a study needs a name");
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
  f.original = r.number;
  f.state = r.state;
  f.worker_lost = r.state == TrialState::kFail && WorkQueue::is_lost_worker_reason(r.reason);
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
  for (const auto& r : *all) {
    out.push_back(freeze(r));
    if (r.retry_of && *r.retry_of >= 0 && static_cast<std::size_t>(*r.retry_of) + 1 < out.size())
      out.back().original = out[static_cast<std::size_t>(*r.retry_of)].original;
  }
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

Result<std::pair<int, int>> Study::reap_stale(double grace_s, int max_retries) {
  return WorkQueue::reap(*storage_, record_.id, grace_s, max_retries);
}

Status Study::refresh(Storage& st, HistoryCache& cache) const {
  auto fresh =
      st.trials_from(record_.id, static_cast<std::int64_t>(cache.finished), /*with_intermediate=*/true);
  if (!fresh) return fresh.status();
  cache.trials.resize(cache.finished);  // unfinished when last read: read again
  for (const auto& r : *fresh) {
    cache.trials.push_back(freeze(r));
    FrozenTrial& f = cache.trials.back();
    if (r.retry_of && *r.retry_of >= 0 && static_cast<std::size_t>(*r.retry_of) + 1 < cache.trials.size())
      f.original = cache.trials[static_cast<std::size_t>(*r.retry_of)].original;
  }
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
  if (auto r = WorkQueue::reap(st, record_.id, o.grace_s, o.max_retries); !r) return r.status();
  auto claimed = st.claim_waiting(record_.id, worker);
  if (!claimed) return claimed.status();
  std::optional<TrialRecord> rec = std::move(*claimed);
  const std::vector<FrozenTrial> none;
  std::vector<FrozenTrial> reordered;
  // What the sampler sees: a retry stands in for the trial it re-runs. The history is in original order (a
  // retry right after its original, whose worker was lost and which no sampler learns from), and a new trial
  // draws with its ordinal among the originals instead of its number. So a study whose worker was killed
  // and whose trial was retried samples exactly what an uninterrupted study samples (one worker; with
  // several, the interleaving differs from run to run anyway).
  auto history = [&]() -> const std::vector<FrozenTrial>& {
    if (!sampler_->uses_history()) return none;
    const bool retries = std::any_of(cache.trials.begin(), cache.trials.end(),
                                     [](const FrozenTrial& t) { return t.original != t.number; });
    if (!retries) return cache.trials;
    reordered = cache.trials;
    std::stable_sort(reordered.begin(), reordered.end(),
                     [](const FrozenTrial& a, const FrozenTrial& b) { return a.original < b.original; });
    return reordered;
  };
  auto ordinal = [&](std::int64_t number) {
    std::int64_t retries = 0;
    for (const FrozenTrial& t : cache.trials)
      if (t.number < number && t.original != t.number) ++retries;
    return number - retries;
  };
  auto sample = [&](std::int64_t number) -> Result<Params> {
    if (sampler_->uses_history()) {
      if (auto s = refresh(st, cache); !s) return s;
    }
    return sampler_->sample(space_, record_.direction, history(), ordinal(number), record_.seed);
  };
  ActiveTrial t;
  if (!rec) {
    // A new trial is written with its parameters in one transaction: a worker killed at any point leaves
    // either no trial or one that can be retried with its parameters. The history is read before (it may
    // change until the insert, as it may between any two asks).
    if (sampler_->uses_history()) {
      if (auto s = refresh(st, cache); !s) return s;
    }
    auto made = st.create_running(record_.id, worker, budget, [&](std::int64_t number) -> Result<Json> {
      t.params = sampler_->sample(space_, record_.direction, history(), ordinal(number), record_.seed);
      return space_.to_external(t.params);
    });
    if (!made) return made.status();
    if (!*made) return std::optional<ActiveTrial>();
    t.record = std::move(**made);
    return std::optional<ActiveTrial>(std::move(t));
  }
  t.record = std::move(*rec);
  if (!t.record.params.is_null()) {
    auto p = space_.from_external(t.record.params);
    if (!p) return p.status().with_context("trial " + std::to_string(t.record.number));
    t.params = std::move(*p);
    return std::optional<ActiveTrial>(std::move(t));
  }
  // A WAITING trial without parameters (none is written so since the parameters go in with the trial).
  auto p = sample(t.record.number);
  if (!p) return p.status();
  t.params = std::move(*p);
  t.record.params = space_.to_external(t.params);
  if (auto s = st.set_params(t.record.id, t.record.params); !s) return s;
  return std::optional<ActiveTrial>(std::move(t));
}

Result<std::optional<ActiveTrial>> Study::ask(const std::string& worker, std::int64_t budget,
                                              const OptimizeOptions& o) {
  return ask_on(*storage_, history_, worker, budget, o);
}

Result<bool> Study::tell(const ActiveTrial& t, const TrialOutcome& outcome) {
  return WorkQueue::finish(*storage_, t.record.id, outcome);
}

Result<TrialRecord> Study::enqueue(const Json& params) {
  auto p = space_.from_external(params);
  if (!p) return p.status();
  return storage_->enqueue(record_.id, space_.to_external(*p), std::nullopt, 0);
}

Result<OptimizeSummary> Study::optimize(const Objective& objective, const OptimizeOptions& o) {
  if (o.workers < 1) return Status::invalid_field("workers", "must be at least 1");
  if (!(o.heartbeat_s > 0) || !(o.grace_s > o.heartbeat_s)) {
    return Status::invalid_field("heartbeat", "the grace period must exceed the heartbeat interval");
  }
  pruner_ = o.pruner;
  const auto t0 = std::chrono::steady_clock::now();
  OptimizeSummary summary;
  // Stale trials are reaped once up front so the summary counts them; ask() keeps reaping as it goes.
  auto reaped = reap_stale(o.grace_s, o.max_retries);
  if (!reaped) {
    pruner_.reset();
    return reaped.status();
  }
  summary.reaped = reaped->first;
  summary.retried = reaped->second;

  // Each worker asks over its own connection with its own view of the history (HistoryCache).
  std::mutex mu;  // guards histories
  std::map<std::string, HistoryCache> histories;
  auto claim = [&](Storage& st, const std::string& worker) -> Result<std::optional<Job>> {
    HistoryCache* history = nullptr;
    {
      std::lock_guard lock(mu);
      history = &histories[worker];
    }
    auto asked = ask_on(st, *history, worker, o.n_trials, o);
    if (!asked) return asked.status();
    if (!*asked) return std::optional<Job>();
    auto t = std::make_shared<const ActiveTrial>(std::move(**asked));
    Job job;
    job.record = t->record;
    job.run = [this, &st, &objective, t] {
      TrialContext ctx(*this, st, t->record, t->params);
      TrialOutcome outcome;
      try {
        outcome = objective(ctx);
      } catch (const std::exception& e) {
        outcome = TrialOutcome::fail(std::string("objective threw: ") + e.what());
      }
      if (outcome.state == TrialState::kPruned && !ctx.intermediate_.empty()) {
        outcome.value = ctx.intermediate_.back().second;
      }
      return outcome;
    };
    return std::optional<Job>(std::move(job));
  };
  const WorkQueue queue(url_, record_.id,
                        {.workers = o.workers,
                         .heartbeat_s = o.heartbeat_s,
                         .grace_s = o.grace_s,
                         .max_retries = o.max_retries,
                         .timeout_s = o.timeout_s,
                         .retry_s = o.retry_s,
                         .interrupted = o.interrupted});
  // Waiting (the caller's thread, over storage_): the budget is spent and nothing waits, but trials run
  // elsewhere; reap the stale ones (whose retries the idle workers claim) until none is left.
  WorkQueue::Stop stop;
  std::optional<std::chrono::steady_clock::time_point> wait_start;
  std::set<std::int64_t> waited_for;
  const std::string me = [] {
    const std::string w = WorkQueue::worker_name(0);
    return w.substr(0, w.find(':', w.find(':') + 1) + 1);  // "host:pid:"
  }();
  if (o.wait && o.n_trials >= 0) {
    stop = [&]() -> Result<bool> {
      auto running = storage_->running(record_.id);
      if (!running) return running.status();
      auto r = WorkQueue::reap(*storage_, *running, o.grace_s, o.max_retries);
      if (!r) return r.status();
      summary.reaped += r->first;
      summary.retried += r->second;
      auto c = storage_->counts(record_.id);
      if (!c) return c.status();
      if (c->originals < o.n_trials || c->waiting > 0) return false;
      if (c->running == 0) return true;
      for (const TrialRecord& t : *running) {
        if (t.state == TrialState::kRunning && !t.worker.starts_with(me)) {
          if (!wait_start) wait_start = std::chrono::steady_clock::now();
          waited_for.insert(t.number);
        }
      }
      return false;
    };
  }
  auto ran = queue.run(claim, stop, o.on_trial_done ? WorkQueue::Done(o.on_trial_done) : WorkQueue::Done());
  pruner_.reset();
  if (!ran) return ran.status();
  summary.complete = ran->complete;
  summary.pruned = ran->pruned;
  summary.failed = ran->failed;
  summary.lost = ran->lost;
  summary.released = ran->released;
  summary.interrupted = ran->interrupted;
  if (wait_start) summary.waited_s = elapsed_s(*wait_start);
  summary.waited_for.assign(waited_for.begin(), waited_for.end());
  summary.wall_s = elapsed_s(t0);
  return summary;
}

}  // namespace actlab::search
