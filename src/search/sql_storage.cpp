#include "search/sql_storage.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

namespace actlab::search {
namespace {

constexpr const char* kTrialCols =
    "trial_id, study_id, number, state, params_json, value, reason, worker, retry_of, retries, created, "
    "started, finished, heartbeat, ({NOW}) - heartbeat";

std::int64_t to_i64(const std::optional<std::string>& s) {
  return s ? std::strtoll(s->c_str(), nullptr, 10) : 0;
}
std::optional<double> to_opt_double(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return std::strtod(s->c_str(), nullptr);  // also reads PostgreSQL's "NaN", "Infinity", "-Infinity"
}

Result<TrialRecord> parse_trial(const SqlRow& r) {
  if (r.size() < 15) return Status::internal("storage: short trial row");
  TrialRecord t;
  t.id = to_i64(r[0]);
  t.study_id = to_i64(r[1]);
  t.number = to_i64(r[2]);
  auto st = parse_trial_state(r[3].value_or(""));
  if (!st) return st.status();
  t.state = *st;
  if (r[4]) {
    t.params = Json::parse(*r[4], nullptr, false);
    if (t.params.is_discarded())
      return Status::internal("storage: trial " + std::to_string(t.number) + " has bad params JSON");
  }
  t.value = to_opt_double(r[5]);
  t.reason = r[6].value_or("");
  t.worker = r[7].value_or("");
  if (r[8]) t.retry_of = to_i64(r[8]);
  t.retries = static_cast<int>(to_i64(r[9]));
  t.created = to_opt_double(r[10]);
  t.started = to_opt_double(r[11]);
  t.finished = to_opt_double(r[12]);
  t.heartbeat = to_opt_double(r[13]);
  if (t.state == TrialState::kRunning) t.heartbeat_age = to_opt_double(r[14]);
  return t;
}

Result<StudyRecord> parse_study(const SqlRow& r) {
  StudyRecord s;
  s.id = to_i64(r[0]);
  s.name = r[1].value_or("");
  auto d = parse_direction(r[2].value_or(""));
  if (!d) return d.status();
  s.direction = *d;
  s.sampler = r[3].value_or("");
  s.seed = static_cast<std::uint64_t>(to_i64(r[4]));
  s.space = Json::parse(r[5].value_or("null"), nullptr, false);
  s.objective = Json::parse(r[6].value_or("null"), nullptr, false);
  if (s.space.is_discarded() || s.objective.is_discarded()) {
    return Status::internal("storage: study '" + s.name + "' has unreadable JSON");
  }
  s.created = to_opt_double(r[7]).value_or(0);
  return s;
}

constexpr const char* kStudyCols =
    "study_id, name, direction, sampler, seed, space_json, objective_json, created";

SqlValue opt(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); }

}  // namespace

std::string SqlStorage::sql(const std::string& text) const {
  // Each statement's text is rewritten once per connection (placeholders, table prefixes), not per call.
  auto it = rewritten_.find(text);
  if (it != rewritten_.end()) return it->second;
  std::string out = rewrite(text);
  rewritten_.emplace(text, out);
  return out;
}

std::string SqlStorage::rewrite(const std::string& text) const {
  const Dialect& d = conn_->dialect();
  std::string s = text;
  auto replace_all = [&](const std::string& key, const std::string& by) {
    for (std::size_t p = s.find(key); p != std::string::npos; p = s.find(key, p + by.size()))
      s.replace(p, key.size(), by);
  };
  replace_all("{TRIAL_COLS}", kTrialCols);
  replace_all("{NOW}", d.now);
  replace_all("{LOCK_STUDY}", d.lock_study);
  replace_all("{SKIP_LOCKED}", d.skip_locked);
  if (legacy_names_) return s;
  // The statements name the tables studies, trials and intermediate_values; schema 2 prefixes them.
  std::string out;
  out.reserve(s.size() + 32);
  const auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  bool quoted = false;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\'') quoted = !quoted;
    if (!quoted && ident(s[i]) && (i == 0 || !ident(s[i - 1]))) {
      std::size_t j = i;
      while (j < s.size() && ident(s[j])) ++j;
      const std::string word = s.substr(i, j - i);
      out += word == "studies" || word == "trials" || word == "intermediate_values" ? "actlab_" + word : word;
      i = j;
      continue;
    }
    out += s[i++];
  }
  return out;
}

Result<std::vector<SqlRow>> SqlStorage::q(const std::string& text, const std::vector<SqlValue>& args) {
  return conn_->query(sql(text), args);
}

template <class Fn>
auto SqlStorage::in_transaction(Fn&& fn) -> decltype(fn()) {
  if (auto b = conn_->query(conn_->dialect().begin_write); !b) return b.status();
  auto result = fn();
  const bool ok = [&] {
    if constexpr (std::is_same_v<decltype(result), Status>) {
      return result.is_ok();
    } else {
      return result.has_value();
    }
  }();
  if (!ok) {
    (void)conn_->query("ROLLBACK");
    return result;
  }
  if (auto c = conn_->query("COMMIT"); !c) {
    (void)conn_->query("ROLLBACK");
    return c.status();
  }
  return result;
}

Result<std::unique_ptr<Storage>> SqlStorage::open(std::unique_ptr<SqlConnection> conn, OpenMode mode) {
  std::unique_ptr<SqlStorage> s(new SqlStorage(std::move(conn)));
  if (auto st = s->init_schema(mode); !st) return st;
  return std::unique_ptr<Storage>(std::move(s));
}

namespace {

// True when a failed statement failed because the table it reads does not exist (not for lack of rights,
// a locked or unreadable file, a lost connection: those are reported as they are).
bool is_missing_table(const Status& s) {
  const std::string& m = s.message();
  return m.find("no such table") != std::string::npos ||
         (m.find("relation") != std::string::npos && m.find("does not exist") != std::string::npos);
}

}  // namespace

Status SqlStorage::init_schema(OpenMode mode) {
  auto check_version = [&]() -> Status {
    auto rows = conn_->query("SELECT version FROM actlab_schema");
    if (!rows) return rows.status();
    if (rows->empty()) {
      if (mode == OpenMode::kReadOnly) return Status::not_found(url() + " holds no actlab studies");
      return conn_->query("INSERT INTO actlab_schema (version) VALUES ($1)", {std::int64_t{kSchemaVersion}})
          .status();
    }
    const std::int64_t v = to_i64((*rows)[0][0]);
    if (v > kSchemaVersion) {
      return Status::invalid(url() + " has schema version " + std::to_string(v) +
                             ", newer than this actlab (" + std::to_string(kSchemaVersion) +
                             "): use a newer actlab, or another database");
    }
    // Version 1 named its tables studies, trials, intermediate_values (Optuna's names); read-only, they are
    // read where they are.
    legacy_names_ = v < 2;
    rewritten_.clear();
    return Status::ok();
  };
  if (mode == OpenMode::kReadOnly) {
    auto rows = conn_->query("SELECT COUNT(*) FROM actlab_schema");
    if (!rows) {
      if (is_missing_table(rows.status()))
        return Status::not_found(url() + " holds no actlab studies (no actlab_schema table)");
      return Status(rows.status().code(), "cannot read " + url() + ": " + rows.status().message());
    }
    return check_version();
  }
  return in_transaction([&]() -> Status {
    const Dialect& d = conn_->dialect();
    if (!d.schema_lock.empty()) {
      if (auto r = conn_->query(d.schema_lock); !r) return r.status();
    }
    if (auto r = conn_->query(d.ddl.front()); !r) return r.status();  // actlab_schema
    auto version = conn_->query("SELECT version FROM actlab_schema");
    if (!version) return version.status();
    if (!version->empty() && to_i64((*version)[0][0]) == 1) {
      // Schema 1 → 2: actlab's tables take the actlab_ prefix, so that Optuna (whose tables are named
      // studies, trials, ...) and actlab can share a database. Renames keep rows, keys and references.
      for (const char* stmt :
           {"DROP INDEX IF EXISTS trials_by_state", "ALTER TABLE studies RENAME TO actlab_studies",
            "ALTER TABLE trials RENAME TO actlab_trials",
            "ALTER TABLE intermediate_values RENAME TO actlab_intermediate_values"}) {
        if (auto r = conn_->query(stmt); !r) return r.status().with_context("migrating schema 1 to 2");
      }
      if (auto r = conn_->query("UPDATE actlab_schema SET version = 2"); !r) return r.status();
    }
    for (std::size_t i = 1; i < d.ddl.size(); ++i) {
      if (auto r = conn_->query(d.ddl[i]); !r) return r.status();
    }
    return check_version();
  });
}

Result<StudyRecord> SqlStorage::create_study(const StudyRecord& s) {
  return in_transaction([&]() -> Result<StudyRecord> {
    auto existing = q("SELECT study_id FROM studies WHERE name = $1", {s.name});
    if (!existing) return existing.status();
    if (!existing->empty())
      return Status::invalid_field("name", "a study named '" + s.name + "' already exists in " + url());
    auto rows = conn_->query(
        sql("INSERT INTO studies (name, direction, sampler, seed, space_json, objective_json, created) "
            "VALUES ($1, $2, $3, $4, $5, $6, {NOW}) RETURNING " +
            std::string(kStudyCols)),
        {s.name, std::string(to_string(s.direction)), s.sampler, static_cast<std::int64_t>(s.seed),
         s.space.dump(), s.objective.dump()});
    if (!rows) return rows.status();
    if (rows->empty()) return Status::internal("storage: INSERT INTO studies returned nothing");
    return parse_study((*rows)[0]);
  });
}

Result<StudyRecord> SqlStorage::get_study(const std::string& name) {
  auto rows = q("SELECT " + std::string(kStudyCols) + " FROM studies WHERE name = $1", {name});
  if (!rows) return rows.status();
  if (rows->empty()) {
    auto all = list_studies();
    std::string known;
    if (all) {
      for (const auto& s : *all) known += (known.empty() ? "" : ", ") + s.name;
    }
    return Status::not_found("no study named '" + name + "' in " + url() +
                             (known.empty() ? " (it holds no studies)" : " (studies: " + known + ")"))
        .with_field("name");
  }
  return parse_study((*rows)[0]);
}

Result<std::vector<StudyRecord>> SqlStorage::list_studies() {
  auto rows = q("SELECT " + std::string(kStudyCols) + " FROM studies ORDER BY study_id");
  if (!rows) return rows.status();
  std::vector<StudyRecord> out;
  for (const auto& r : *rows) {
    auto s = parse_study(r);
    if (!s) return s.status();
    out.push_back(std::move(*s));
  }
  return out;
}

Result<std::optional<TrialRecord>> SqlStorage::one_trial(const std::string& text,
                                                         const std::vector<SqlValue>& args) {
  auto rows = conn_->query(sql(text), args);
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<TrialRecord>();
  auto t = parse_trial((*rows)[0]);
  if (!t) return t.status();
  return std::optional<TrialRecord>(std::move(*t));
}

Result<std::optional<TrialRecord>> SqlStorage::claim_waiting(std::int64_t study, const std::string& worker) {
  return in_transaction([&] {
    return one_trial(
        "UPDATE trials SET state = 'RUNNING', worker = $2, started = {NOW}, heartbeat = {NOW} "
        "WHERE trial_id = (SELECT trial_id FROM trials WHERE study_id = $1 AND state = 'WAITING' "
        "ORDER BY number LIMIT 1 {SKIP_LOCKED}) AND state = 'WAITING' RETURNING {TRIAL_COLS}",
        {study, worker});
  });
}

Result<std::optional<TrialRecord>> SqlStorage::create_running(std::int64_t study, const std::string& worker,
                                                              std::int64_t budget, const ParamsFor& params) {
  return in_transaction([&]() -> Result<std::optional<TrialRecord>> {
    // The study row lock serialises number assignment (SQLite's write transaction already locks the file).
    auto lock = conn_->query(sql("SELECT study_id FROM studies WHERE study_id = $1 {LOCK_STUDY}"), {study});
    if (!lock) return lock.status();
    // Both from indexes, O(log n + retries): the largest number (UNIQUE (study_id, number)) and the retries
    // (actlab_trials_retries); originals = trials − retries, numbers being dense.
    auto next = q("SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = $1", {study});
    if (!next) return next.status();
    if (next->empty()) return Status::internal("storage: no next trial number");
    const std::int64_t number = to_i64((*next)[0][0]);
    auto retries = retry_count(study);
    if (!retries) return retries.status();
    const std::int64_t originals = number - *retries;
    if (budget >= 0 && originals >= budget) return std::optional<TrialRecord>();
    SqlValue p;
    if (params) {
      auto j = params(number);
      if (!j) return j.status();
      p = j->dump();
    }
    return one_trial(
        "INSERT INTO trials (study_id, number, state, params_json, worker, retries, created, started, "
        "heartbeat) VALUES ($1, $2, 'RUNNING', $3, $4, 0, {NOW}, {NOW}, {NOW}) RETURNING {TRIAL_COLS}",
        {study, number, p, worker});
  });
}

Result<TrialRecord> SqlStorage::insert_waiting(std::int64_t study, const Json& params,
                                               std::optional<std::int64_t> retry_of, int retries) {
  auto lock = conn_->query(sql("SELECT study_id FROM studies WHERE study_id = $1 {LOCK_STUDY}"), {study});
  if (!lock) return lock.status();
  if (lock->empty()) return Status::not_found("storage: no study with id " + std::to_string(study));
  auto t = one_trial(
      "INSERT INTO trials (study_id, number, state, params_json, retry_of, retries, created) "
      "SELECT $1, COALESCE(MAX(number), -1) + 1, 'WAITING', $2, $3, $4, {NOW} FROM trials WHERE study_id = "
      "$1 "
      "RETURNING {TRIAL_COLS}",
      {study, params.is_null() ? SqlValue() : SqlValue(params.dump()),
       retry_of ? SqlValue(*retry_of) : SqlValue(), std::int64_t{retries}});
  if (!t) return t.status();
  if (!*t) return Status::internal("storage: INSERT INTO trials returned nothing");
  return std::move(**t);
}

Result<TrialRecord> SqlStorage::enqueue(std::int64_t study, const Json& params,
                                        std::optional<std::int64_t> retry_of, int retries) {
  return in_transaction([&] { return insert_waiting(study, params, retry_of, retries); });
}

Status SqlStorage::set_params(std::int64_t trial, const Json& params) {
  return in_transaction([&]() -> Status {
    return q("UPDATE trials SET params_json = $2 WHERE trial_id = $1", {trial, params.dump()}).status();
  });
}

Status SqlStorage::heartbeat(const std::vector<std::int64_t>& trials) {
  if (trials.empty()) return Status::ok();
  return in_transaction([&]() -> Status {
    for (std::int64_t id : trials) {
      auto r = conn_->query(
          sql("UPDATE trials SET heartbeat = {NOW} WHERE trial_id = $1 AND state = 'RUNNING'"), {id});
      if (!r) return r.status();
    }
    return Status::ok();
  });
}

Status SqlStorage::report(std::int64_t trial, std::int64_t step, double value) {
  return in_transaction([&]() -> Status {
    // Only a RUNNING trial takes intermediate values: a finished one never changes, and a reaped one is being
    // retried elsewhere.
    auto state = q("SELECT state FROM trials WHERE trial_id = $1", {trial});
    if (!state) return state.status();
    const std::string now = state->empty() ? "missing" : (*state)[0][0].value_or("?");
    if (now != "RUNNING") {
      return Status::invalid("report: trial " + std::to_string(trial) + " is " + now + ", not RUNNING");
    }
    auto r = q("DELETE FROM intermediate_values WHERE trial_id = $1 AND step = $2", {trial, step});
    if (!r) return r.status();
    return conn_
        ->query(sql("INSERT INTO intermediate_values (trial_id, step, value) VALUES ($1, $2, $3)"),
                {trial, step, std::isnan(value) ? SqlValue() : SqlValue(value)})
        .status();
  });
}

Result<bool> SqlStorage::finish(std::int64_t trial, TrialState state, std::optional<double> value,
                                const std::string& reason) {
  if (state != TrialState::kComplete && state != TrialState::kPruned && state != TrialState::kFail) {
    return Status::internal("storage: finish() needs COMPLETE, PRUNED or FAIL");
  }
  return in_transaction([&]() -> Result<bool> {
    auto rows = conn_->query(sql("UPDATE trials SET state = $2, value = $3, reason = $4, finished = {NOW} "
                                 "WHERE trial_id = $1 AND state = 'RUNNING' RETURNING trial_id"),
                             {trial, std::string(to_string(state)), opt(value), reason});
    if (!rows) return rows.status();
    return !rows->empty();
  });
}

Result<bool> SqlStorage::requeue(std::int64_t trial, const std::string& worker) {
  return in_transaction([&]() -> Result<bool> {
    auto rows =
        q("UPDATE trials SET state = 'WAITING', worker = NULL, started = NULL, heartbeat = NULL "
          "WHERE trial_id = $1 AND state = 'RUNNING' AND worker = $2 RETURNING trial_id",
          {trial, worker});
    if (!rows) return rows.status();
    if (rows->empty()) return false;
    auto cleared = q("DELETE FROM intermediate_values WHERE trial_id = $1", {trial});
    if (!cleared) return cleared.status();
    return true;
  });
}

Result<std::vector<TrialRecord>> SqlStorage::trials(std::int64_t study, bool with_intermediate) {
  return trials_from(study, 0, with_intermediate);
}

Result<std::vector<TrialRecord>> SqlStorage::trials_from(std::int64_t study, std::int64_t from,
                                                         bool with_intermediate) {
  auto rows = conn_->query(
      sql("SELECT {TRIAL_COLS} FROM trials WHERE study_id = $1 AND number >= $2 ORDER BY number"),
      {study, from});
  if (!rows) return rows.status();
  std::vector<TrialRecord> out;
  std::map<std::int64_t, std::size_t> by_id;
  for (const auto& r : *rows) {
    auto t = parse_trial(r);
    if (!t) return t.status();
    by_id[t->id] = out.size();
    out.push_back(std::move(*t));
  }
  if (with_intermediate) {
    auto iv =
        q("SELECT v.trial_id, v.step, v.value FROM intermediate_values v JOIN trials t ON t.trial_id = "
          "v.trial_id "
          "WHERE t.study_id = $1 AND t.number >= $2 ORDER BY v.trial_id, v.step",
          {study, from});
    if (!iv) return iv.status();
    for (const auto& r : *iv) {
      auto it = by_id.find(to_i64(r[0]));
      if (it == by_id.end()) continue;
      out[it->second].intermediate.emplace_back(to_i64(r[1]), to_opt_double(r[2]).value_or(std::nan("")));
    }
  }
  return out;
}

Result<std::int64_t> SqlStorage::retry_count(std::int64_t study) {
  auto rows = q("SELECT COUNT(*) FROM trials WHERE study_id = $1 AND retry_of IS NOT NULL", {study});
  if (!rows) return rows.status();
  return rows->empty() ? 0 : to_i64((*rows)[0][0]);
}

Result<TrialCounts> SqlStorage::counts(std::int64_t study) {
  // Index range counts (by_state, retries) and the largest number: no scan of the study's trials.
  auto rows =
      q("SELECT (SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = $1), "
        "(SELECT COUNT(*) FROM trials WHERE study_id = $1 AND state = 'WAITING'), "
        "(SELECT COUNT(*) FROM trials WHERE study_id = $1 AND state = 'RUNNING')",
        {study});
  if (!rows) return rows.status();
  if (rows->empty()) return TrialCounts{};
  auto retries = retry_count(study);
  if (!retries) return retries.status();
  return TrialCounts{to_i64((*rows)[0][0]) - *retries, to_i64((*rows)[0][1]), to_i64((*rows)[0][2])};
}

Status SqlStorage::append_finished(std::int64_t study, const std::vector<TrialRecord>& trials) {
  for (const TrialRecord& t : trials) {
    if (t.state != TrialState::kComplete && t.state != TrialState::kPruned && t.state != TrialState::kFail)
      return Status::invalid("append_finished: trial state " + std::string(to_string(t.state)) +
                             " is not finished");
    if (t.state == TrialState::kComplete && (!t.value || std::isnan(*t.value)))
      return Status::invalid("append_finished: a COMPLETE trial needs a value");
  }
  return in_transaction([&]() -> Status {
    auto lock = conn_->query(sql("SELECT study_id FROM studies WHERE study_id = $1 {LOCK_STUDY}"), {study});
    if (!lock) return lock.status();
    auto next = q("SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = $1", {study});
    if (!next) return next.status();
    std::int64_t number = next->empty() ? 0 : to_i64((*next)[0][0]);
    constexpr std::size_t kRows = 200, kCols = 9;  // 1801 parameters a statement
    for (std::size_t at = 0; at < trials.size(); at += kRows) {
      const std::size_t rows = std::min(kRows, trials.size() - at);
      std::string text =
          "INSERT INTO trials (study_id, number, state, params_json, value, reason, worker, retries, "
          "created, "
          "started, finished) VALUES ";
      std::vector<SqlValue> args;
      args.reserve(rows * kCols + 1);
      args.push_back(SqlValue(study));
      for (std::size_t r = 0; r < rows; ++r) {
        const TrialRecord& t = trials[at + r];
        const std::size_t b = 2 + r * kCols;
        text += r ? ", ($1" : "($1";
        for (std::size_t c = 0; c < kCols; ++c) {
          if (c == 6) text += ", 0";  // retries, before created
          text += ", $" + std::to_string(b + c);
        }
        text += ")";
        args.insert(args.end(), {SqlValue(number++), SqlValue(std::string(to_string(t.state))),
                                 t.params.is_null() ? SqlValue() : SqlValue(t.params.dump()), opt(t.value),
                                 SqlValue(t.reason), SqlValue(t.worker), opt(t.created), opt(t.started),
                                 opt(t.finished)});
      }
      if (auto r = q(text, args); !r) return r.status();
    }
    return Status::ok();
  });
}

Result<StudySummary> SqlStorage::summary(std::int64_t study, Direction direction) {
  StudySummary out;
  auto rows =
      q("SELECT (SELECT COALESCE(MAX(number), -1) + 1 FROM trials WHERE study_id = $1), "
        "(SELECT COUNT(*) FROM trials WHERE study_id = $1 AND state = 'WAITING'), "
        "(SELECT COUNT(*) FROM trials WHERE study_id = $1 AND state = 'RUNNING'), "
        "(SELECT COUNT(*) FROM trials WHERE study_id = $1 AND state = 'COMPLETE'), "
        "(SELECT COUNT(*) FROM trials WHERE study_id = $1 AND state = 'PRUNED'), "
        "(SELECT COUNT(*) FROM trials WHERE study_id = $1 AND state = 'FAIL')",
        {study});
  if (!rows) return rows.status();
  if (rows->empty()) return out;
  const SqlRow& r = (*rows)[0];
  out.n_trials = to_i64(r[0]);
  out.waiting = to_i64(r[1]);
  out.running = to_i64(r[2]);
  out.complete = to_i64(r[3]);
  out.pruned = to_i64(r[4]);
  out.failed = to_i64(r[5]);
  // The best finite value (the range leaves out ±inf, and NaN, which PostgreSQL orders above every number;
  // SQLite stores NaN as NULL), then the lowest number with that value: two index seeks.
  const double big = std::numeric_limits<double>::max();
  auto best =
      q(direction == Direction::kMinimize
            ? "SELECT MIN(value) FROM trials WHERE study_id = $1 AND state = 'COMPLETE' AND value >= $2 "
              "AND value <= $3"
            : "SELECT MAX(value) FROM trials WHERE study_id = $1 AND state = 'COMPLETE' AND value >= $2 "
              "AND value <= $3",
        {study, -big, big});
  if (!best) return best.status();
  if (best->empty() || !(*best)[0][0]) return out;
  const double v = std::strtod((*best)[0][0]->c_str(), nullptr);
  auto t = one_trial(
      "SELECT {TRIAL_COLS} FROM trials WHERE study_id = $1 AND state = 'COMPLETE' AND value = $2 "
      "ORDER BY number LIMIT 1",
      {study, v});
  if (!t) return t.status();
  out.best = std::move(*t);
  return out;
}

Result<std::vector<TrialRecord>> SqlStorage::running(std::int64_t study) {
  auto rows = conn_->query(
      sql("SELECT {TRIAL_COLS} FROM trials WHERE study_id = $1 AND state = 'RUNNING' ORDER BY number"),
      {study});
  if (!rows) return rows.status();
  std::vector<TrialRecord> out;
  for (const auto& r : *rows) {
    auto t = parse_trial(r);
    if (!t) return t.status();
    out.push_back(std::move(*t));
  }
  return out;
}

Result<std::pair<bool, std::optional<TrialRecord>>> SqlStorage::fail_stale(std::int64_t trial,
                                                                           double heartbeat,
                                                                           const std::string& reason,
                                                                           int max_retries) {
  using Out = std::pair<bool, std::optional<TrialRecord>>;
  return in_transaction([&]() -> Result<Out> {
    auto study = q("SELECT study_id FROM trials WHERE trial_id = $1", {trial});
    if (!study) return study.status();
    if (study->empty()) return Out{false, std::nullopt};
    const std::int64_t study_id = to_i64((*study)[0][0]);
    auto lock =
        conn_->query(sql("SELECT study_id FROM studies WHERE study_id = $1 {LOCK_STUDY}"), {study_id});
    if (!lock) return lock.status();
    auto failed = one_trial(
        "UPDATE trials SET state = 'FAIL', reason = $3, finished = {NOW} "
        "WHERE trial_id = $1 AND state = 'RUNNING' AND heartbeat = $2 RETURNING {TRIAL_COLS}",
        {trial, heartbeat, reason});
    if (!failed) return failed.status();
    if (!*failed) return Out{false, std::nullopt};
    const TrialRecord& t = **failed;
    if (t.params.is_null() || t.retries >= max_retries) return Out{true, std::nullopt};
    auto retry = insert_waiting(study_id, t.params, t.number, t.retries + 1);
    if (!retry) return retry.status();
    return Out{true, std::move(*retry)};
  });
}

Result<std::vector<std::string>> SqlStorage::check_integrity() {
  auto problems = conn_->backend_integrity();
  if (!problems) return problems.status();
  auto rows = q(
      "SELECT s.name, COUNT(t.trial_id), MIN(t.number), MAX(t.number), COUNT(DISTINCT t.number) FROM studies "
      "s "
      "JOIN trials t ON t.study_id = s.study_id GROUP BY s.name ORDER BY s.name");
  if (!rows) return rows.status();
  for (const auto& r : *rows) {
    const std::int64_t n = to_i64(r[1]), lo = to_i64(r[2]), hi = to_i64(r[3]), distinct = to_i64(r[4]);
    if (lo != 0 || hi != n - 1 || distinct != n) {
      problems->push_back("study '" + r[0].value_or("") + "': trial numbers are not dense 0.." +
                          std::to_string(n - 1) + " (min " + std::to_string(lo) + ", max " +
                          std::to_string(hi) + ", " + std::to_string(distinct) + " distinct)");
    }
  }
  auto bad =
      q("SELECT COUNT(*) FROM trials WHERE state NOT IN ('WAITING', 'RUNNING', 'COMPLETE', 'PRUNED', 'FAIL') "
        "OR (state = 'COMPLETE' AND value IS NULL)");
  if (!bad) return bad.status();
  if (to_i64((*bad)[0][0]) != 0)
    problems->push_back(std::to_string(to_i64((*bad)[0][0])) + " trials in a bad state");
  return problems;
}

}  // namespace actlab::search
