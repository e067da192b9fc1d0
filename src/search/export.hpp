// A stored study written out for other tools (docs/search.md, "Export"): a CSV table of its trials, or an
// SQLite file or a PostgreSQL database in Optuna's own RDB schema (Optuna 3.1: schema version 12, alembic
// revision v3.0.0.d), which optuna.load_study, Optuna's plots and optuna-dashboard read.
//
//   std::string csv = trials_csv(record, trials);               // header + one row per trial
//   Status st = write_optuna_sqlite(record, trials, "/tmp/o.db"); // a new file; refuses an existing one
//   st = write_optuna_postgres(record, trials, "postgresql://me@db/optuna");  // refuses Optuna's tables
//
// Optuna's encoding: a parameter is stored as its internal float (a categorical as its choice index) with
// its distribution as JSON ({"name": "FloatDistribution", "attributes": {"low", "high", "step", "log"}},
// IntDistribution likewise, CategoricalDistribution {"choices"}); a value as FINITE / INF_POS / INF_NEG;
// times as naive "YYYY-MM-DD HH:MM:SS.ffffff" (UTC here). actlab's reason, retry_of and worker become trial
// user attributes (actlab_reason, actlab_retry_of, actlab_worker); sampler, seed and objective become study
// user attributes (actlab_sampler, actlab_seed, actlab_objective).
#pragma once

#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "search/storage.hpp"

namespace actlab::search {

// The Optuna release whose schema write_optuna_sqlite() writes, and that schema's identifiers.
inline constexpr const char* kOptunaLibraryVersion = "3.1.0";
inline constexpr int kOptunaSchemaVersion = 12;
inline constexpr const char* kOptunaAlembicVersion = "v3.0.0.d";

// Columns: number, state, value, params_<name> for each parameter in space order (external values: choice
// names, ints as integers), datetime_start, datetime_complete (UTC, ISO 8601), reason. Empty cells for
// missing values; fields with a comma, quote or line break are quoted (RFC 4180).
Result<std::string> trials_csv(const StudyRecord& study, const std::vector<TrialRecord>& trials);

// Optuna's distribution JSON for one parameter (CategoricalDistribution, FloatDistribution, IntDistribution).
Json optuna_distribution(const Distribution& d);

// Writes the study into a new SQLite file at `path` in Optuna 3.1's RDB schema: study_id 1, trial_id 1..n in
// number order. The file is written under a temporary name and renamed, so a failure leaves nothing.
// Errors name the field "to".
Status write_optuna_sqlite(const StudyRecord& study, const std::vector<TrialRecord>& trials,
                           const std::string& path);

// The same tables, with Optuna's PostgreSQL types (native ENUMs, SERIAL keys whose sequences continue after
// the exported rows), written in one transaction into the current schema of the PostgreSQL database at
// `url` (postgresql://...; the password from PGPASSWORD or ~/.pgpass). A schema that already holds any of
// Optuna's tables or types is refused and left alone, as an existing file is for SQLite. Errors name the
// field "to".
Status write_optuna_postgres(const StudyRecord& study, const std::vector<TrialRecord>& trials,
                             const std::string& url);

// True for postgresql:// and postgres:// URLs (write_optuna_postgres's targets).
bool is_postgres_url(const std::string& target);

// "sqlite:///abs/x.db" → "/abs/x.db", "sqlite:rel.db" → "rel.db", a plain path → itself; any other URL
// is invalid (field "to"): PostgreSQL URLs go to write_optuna_postgres.
Result<std::string> sqlite_target_path(const std::string& target);

}  // namespace actlab::search
