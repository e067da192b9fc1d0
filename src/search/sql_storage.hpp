// The storage logic written once in SQL, over a minimal connection interface that the SQLite and PostgreSQL
// backends implement (sqlite_storage.cpp, postgres_storage.cpp). The schema: docs/search.md, "Storage".
//
//   auto conn = open_sqlite(path, 60000, OpenMode::kCreate, url);   // a SqlConnection
//   auto st = SqlStorage::open(std::move(*conn), OpenMode::kCreate); // creates/checks the schema
//
// Schema (version 2; both dialects, types adapted):
//   actlab_schema(version)
//   actlab_studies(study_id PK, name UNIQUE, direction, sampler, seed, space_json, objective_json, created)
//   actlab_trials(trial_id PK, study_id → actlab_studies, number, state, params_json, value, reason, worker,
//          retry_of, retries, created, started, finished, heartbeat; UNIQUE(study_id, number))
//   actlab_intermediate_values(trial_id → actlab_trials, step, value; PK(trial_id, step))   NaN as NULL
// Version 1 had the same tables without the actlab_ prefix (Optuna's names, so the two could not share a
// database); opening one for writing renames them (a read-only open reads them where they are).
// Times are unix seconds from the database's clock, so heartbeats compare across machines.
// Statements use $1, $2, ... placeholders in both dialects and are prepared once per connection; values are
// always bound, never spliced into SQL text.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "search/storage.hpp"

namespace actlab::search {

using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;
using SqlRow =
    std::vector<std::optional<std::string>>;  // NULL → nullopt; doubles in shortest round-trip text

struct Dialect {
  std::string name;         // "sqlite" or "postgresql"
  std::string now;          // SQL expression: unix seconds, double
  std::string begin_write;  // starts a write transaction
  std::string lock_study;   // appended to "SELECT ... FROM studies WHERE study_id = $1" to lock the row
  std::string skip_locked;  // appended to the claim's inner SELECT
  std::string schema_lock;  // statement run first in the schema transaction ("" for none)
  std::vector<std::string> ddl;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual const Dialect& dialect() const = 0;
  virtual std::string url() const = 0;  // password masked
  virtual Result<std::vector<SqlRow>> query(const std::string& sql,
                                            const std::vector<SqlValue>& args = {}) = 0;
  // The backend's own consistency check (SQLite: PRAGMA integrity_check); problems, empty when fine.
  virtual Result<std::vector<std::string>> backend_integrity() = 0;
};

class SqlStorage final : public Storage {
 public:
  static Result<std::unique_ptr<Storage>> open(std::unique_ptr<SqlConnection> conn, OpenMode mode);

  std::string url() const override { return conn_->url(); }
  Result<StudyRecord> create_study(const StudyRecord& s) override;
  Result<StudyRecord> get_study(const std::string& name) override;
  Result<std::vector<StudyRecord>> list_studies() override;
  Result<std::optional<TrialRecord>> claim_waiting(std::int64_t study, const std::string& worker) override;
  Result<std::optional<TrialRecord>> create_running(std::int64_t study, const std::string& worker,
                                                    std::int64_t budget,
                                                    const ParamsFor& params = {}) override;
  Result<TrialRecord> enqueue(std::int64_t study, const Json& params, std::optional<std::int64_t> retry_of,
                              int retries) override;
  Status set_params(std::int64_t trial, const Json& params) override;
  Status heartbeat(const std::vector<std::int64_t>& trials) override;
  Status report(std::int64_t trial, std::int64_t step, double value) override;
  Result<bool> finish(std::int64_t trial, TrialState state, std::optional<double> value,
                      const std::string& reason) override;
  Result<bool> requeue(std::int64_t trial, const std::string& worker) override;
  Result<std::vector<TrialRecord>> trials(std::int64_t study, bool with_intermediate) override;
  Result<std::vector<TrialRecord>> trials_from(std::int64_t study, std::int64_t from,
                                               bool with_intermediate) override;
  Result<TrialCounts> counts(std::int64_t study) override;
  Result<StudySummary> summary(std::int64_t study, Direction direction) override;
  Status append_finished(std::int64_t study, const std::vector<TrialRecord>& trials) override;
  Result<std::vector<TrialRecord>> running(std::int64_t study) override;
  Result<std::pair<bool, std::optional<TrialRecord>>> fail_stale(std::int64_t trial, double heartbeat,
                                                                 const std::string& reason,
                                                                 int max_retries) override;
  Result<std::vector<std::string>> check_integrity() override;

 private:
  explicit SqlStorage(std::unique_ptr<SqlConnection> conn) : conn_(std::move(conn)) {}
  Status init_schema(OpenMode mode);
  // Runs fn inside a write transaction; commits when it returns ok, rolls back otherwise.
  template <class Fn>
  auto in_transaction(Fn&& fn) -> decltype(fn());
  // Replaces {NOW}, {LOCK_STUDY}, {SKIP_LOCKED} and {TRIAL_COLS} with the dialect's text, and the table
  // names studies, trials and intermediate_values with the schema's (actlab_studies, ...).
  std::string sql(const std::string& text) const;
  std::string rewrite(const std::string& text) const;
  Result<std::int64_t> retry_count(std::int64_t study);
  Result<std::vector<SqlRow>> q(const std::string& text, const std::vector<SqlValue>& args = {});
  Result<std::optional<TrialRecord>> one_trial(const std::string& text, const std::vector<SqlValue>& args);
  Result<TrialRecord> insert_waiting(std::int64_t study, const Json& params,
                                     std::optional<std::int64_t> retry_of, int retries);

  std::unique_ptr<SqlConnection> conn_;
  mutable std::unordered_map<std::string, std::string> rewritten_;  // sql(): text → this backend's statement
  bool legacy_names_ = false;  // a schema-1 database opened read-only: the tables have no prefix
};

}  // namespace actlab::search
