// Export of a stored study (see export.hpp).
#include "search/export.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include "search/postgres_storage.hpp"
#include "search/space.hpp"
#include "search/sqlite_storage.hpp"

namespace actlab::search {
namespace {

// Unix seconds → "2026-12-07 16:32:23.011687" (UTC) or, iso, "2026-12-07T16:32:23.011687Z".
std::string datetime(double t, bool iso) {
  double whole = std::floor(t);
  auto micros = static_cast<long>(std::llround((t - whole) * 1e6));
  if (micros >= 1000000) {
    whole += 1;
    micros -= 1000000;
  }
  const auto secs = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char date[32], out[64];
  std::strftime(date, sizeof date, iso ? "%Y-%m-%dT%H:%M:%S" : "%Y-%m-%d %H:%M:%S", &tm);
  std::snprintf(out, sizeof out, "%s.%06d%s", date, static_cast<int>(micros), iso ? "Z" : "");
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// An external value of parameter p (a choice name, a number) as Optuna's internal float.
Result<double> internal_value(const Param& p, const Json& v) {
  if (p.dist.kind == ParamKind::kCategorical) {
    for (std::size_t i = 0; i < p.dist.choices.size(); ++i) {
      if (v.is_string() && v.get_ref<const std::string&>() == p.dist.choices[i])
        return static_cast<double>(i);
    }
    return Status::invalid("parameter '" + p.name + "': " + v.dump() + " is not one of its choices");
  }
  if (!v.is_number()) return Status::invalid("parameter '" + p.name + "': " + v.dump() + " is not a number");
  return v.get<double>();
}

// The time Optuna needs for a trial in this state: started (or, missing, created) for all but WAITING;
// finished (or started, or created) for finished trials.
std::optional<double> start_time(const TrialRecord& t) {
  if (t.state == TrialState::kWaiting) return std::nullopt;
  return t.started ? t.started : t.created;
}
std::optional<double> complete_time(const TrialRecord& t) {
  if (t.state == TrialState::kWaiting || t.state == TrialState::kRunning) return std::nullopt;
  return t.finished ? t.finished : start_time(t);
}

SqlValue opt_text(const std::optional<double>& t) {
  return t ? SqlValue(datetime(*t, false)) : SqlValue(std::monostate{});
}

// Optuna's value encoding: (value or NULL, FINITE | INF_POS | INF_NEG | NAN).
std::pair<SqlValue, std::string> optuna_value(double v) {
  if (std::isnan(v)) return {std::monostate{}, "NAN"};
  if (std::isinf(v)) return {std::monostate{}, v > 0 ? "INF_POS" : "INF_NEG"};
  return {v, "FINITE"};
}

// Optuna 3.1's tables as SQLAlchemy creates them on SQLite.
const char* const kOptunaDdl[] = {
    "CREATE TABLE studies (study_id INTEGER NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY "
    "(study_id))",
    "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
    "CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version "
    "VARCHAR(256), PRIMARY KEY (version_info_id), CHECK (version_info_id=1))",
    "CREATE TABLE study_directions (study_direction_id INTEGER NOT NULL, direction VARCHAR(8) NOT NULL, "
    "study_id INTEGER NOT NULL, objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id), UNIQUE "
    "(study_id, "
    "objective), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    "CREATE TABLE study_user_attributes (study_user_attribute_id INTEGER NOT NULL, study_id INTEGER, \"key\" "
    "VARCHAR(512), value_json TEXT, PRIMARY KEY (study_user_attribute_id), UNIQUE (study_id, \"key\"), "
    "FOREIGN "
    "KEY(study_id) REFERENCES studies (study_id))",
    "CREATE TABLE study_system_attributes (study_system_attribute_id INTEGER NOT NULL, study_id INTEGER, "
    "\"key\" "
    "VARCHAR(512), value_json TEXT, PRIMARY KEY (study_system_attribute_id), UNIQUE (study_id, \"key\"), "
    "FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    "CREATE TABLE trials (trial_id INTEGER NOT NULL, number INTEGER, study_id INTEGER, state VARCHAR(8) NOT "
    "NULL, datetime_start DATETIME, datetime_complete DATETIME, PRIMARY KEY (trial_id), FOREIGN "
    "KEY(study_id) "
    "REFERENCES studies (study_id))",
    "CREATE TABLE trial_user_attributes (trial_user_attribute_id INTEGER NOT NULL, trial_id INTEGER, \"key\" "
    "VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_user_attribute_id), UNIQUE (trial_id, \"key\"), "
    "FOREIGN "
    "KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_system_attributes (trial_system_attribute_id INTEGER NOT NULL, trial_id INTEGER, "
    "\"key\" "
    "VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_system_attribute_id), UNIQUE (trial_id, \"key\"), "
    "FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_params (param_id INTEGER NOT NULL, trial_id INTEGER, param_name VARCHAR(512), "
    "param_value FLOAT, distribution_json TEXT, PRIMARY KEY (param_id), UNIQUE (trial_id, param_name), "
    "FOREIGN "
    "KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_values (trial_value_id INTEGER NOT NULL, trial_id INTEGER NOT NULL, objective "
    "INTEGER "
    "NOT NULL, value FLOAT, value_type VARCHAR(7) NOT NULL, PRIMARY KEY (trial_value_id), UNIQUE (trial_id, "
    "objective), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_intermediate_values (trial_intermediate_value_id INTEGER NOT NULL, trial_id INTEGER "
    "NOT "
    "NULL, step INTEGER NOT NULL, intermediate_value FLOAT, intermediate_value_type VARCHAR(7) NOT NULL, "
    "PRIMARY "
    "KEY (trial_intermediate_value_id), UNIQUE (trial_id, step), FOREIGN KEY(trial_id) REFERENCES trials "
    "(trial_id))",
    "CREATE TABLE trial_heartbeats (trial_heartbeat_id INTEGER NOT NULL, trial_id INTEGER NOT NULL, "
    "heartbeat "
    "DATETIME NOT NULL, PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id), FOREIGN KEY(trial_id) "
    "REFERENCES "
    "trials (trial_id))",
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY "
    "KEY "
    "(version_num))",
};

// The same tables as SQLAlchemy creates them on PostgreSQL for Optuna 3.1 (checked against `pg_dump
// --schema-only` of a storage made by optuna.create_study): SERIAL keys, native ENUM types, double
// precision and timestamp columns.
const char* const kOptunaPostgresDdl[] = {
    "CREATE TYPE studydirection AS ENUM ('NOT_SET', 'MINIMIZE', 'MAXIMIZE')",
    "CREATE TYPE trialstate AS ENUM ('RUNNING', 'COMPLETE', 'PRUNED', 'FAIL', 'WAITING')",
    "CREATE TYPE trialvaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG')",
    "CREATE TYPE trialintermediatevaluetype AS ENUM ('FINITE', 'INF_POS', 'INF_NEG', 'NAN')",
    "CREATE TABLE studies (study_id SERIAL NOT NULL, study_name VARCHAR(512) NOT NULL, PRIMARY KEY "
    "(study_id))",
    "CREATE UNIQUE INDEX ix_studies_study_name ON studies (study_name)",
    "CREATE TABLE version_info (version_info_id INTEGER NOT NULL, schema_version INTEGER, library_version "
    "VARCHAR(256), PRIMARY KEY (version_info_id), CHECK (version_info_id=1))",
    "CREATE TABLE study_directions (study_direction_id SERIAL NOT NULL, direction studydirection NOT NULL, "
    "study_id INTEGER NOT NULL, objective INTEGER NOT NULL, PRIMARY KEY (study_direction_id), UNIQUE "
    "(study_id, objective), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    "CREATE TABLE study_user_attributes (study_user_attribute_id SERIAL NOT NULL, study_id INTEGER, \"key\" "
    "VARCHAR(512), value_json TEXT, PRIMARY KEY (study_user_attribute_id), UNIQUE (study_id, \"key\"), "
    "FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    "CREATE TABLE study_system_attributes (study_system_attribute_id SERIAL NOT NULL, study_id INTEGER, "
    "\"key\" VARCHAR(512), value_json TEXT, PRIMARY KEY (study_system_attribute_id), UNIQUE (study_id, "
    "\"key\"), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    "CREATE TABLE trials (trial_id SERIAL NOT NULL, number INTEGER, study_id INTEGER, state trialstate NOT "
    "NULL, datetime_start TIMESTAMP WITHOUT TIME ZONE, datetime_complete TIMESTAMP WITHOUT TIME ZONE, "
    "PRIMARY KEY (trial_id), FOREIGN KEY(study_id) REFERENCES studies (study_id))",
    "CREATE TABLE trial_user_attributes (trial_user_attribute_id SERIAL NOT NULL, trial_id INTEGER, \"key\" "
    "VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_user_attribute_id), UNIQUE (trial_id, \"key\"), "
    "FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_system_attributes (trial_system_attribute_id SERIAL NOT NULL, trial_id INTEGER, "
    "\"key\" VARCHAR(512), value_json TEXT, PRIMARY KEY (trial_system_attribute_id), UNIQUE (trial_id, "
    "\"key\"), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_params (param_id SERIAL NOT NULL, trial_id INTEGER, param_name VARCHAR(512), "
    "param_value FLOAT, distribution_json TEXT, PRIMARY KEY (param_id), UNIQUE (trial_id, param_name), "
    "FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_values (trial_value_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, objective INTEGER "
    "NOT NULL, value FLOAT, value_type trialvaluetype NOT NULL, PRIMARY KEY (trial_value_id), UNIQUE "
    "(trial_id, objective), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_intermediate_values (trial_intermediate_value_id SERIAL NOT NULL, trial_id INTEGER "
    "NOT NULL, step INTEGER NOT NULL, intermediate_value FLOAT, intermediate_value_type "
    "trialintermediatevaluetype NOT NULL, PRIMARY KEY (trial_intermediate_value_id), UNIQUE (trial_id, "
    "step), FOREIGN KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE trial_heartbeats (trial_heartbeat_id SERIAL NOT NULL, trial_id INTEGER NOT NULL, heartbeat "
    "TIMESTAMP WITHOUT TIME ZONE NOT NULL, PRIMARY KEY (trial_heartbeat_id), UNIQUE (trial_id), FOREIGN "
    "KEY(trial_id) REFERENCES trials (trial_id))",
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY "
    "KEY (version_num))",
};

// Optuna's table and type names: a PostgreSQL target that holds any of them is refused.
const char* const kOptunaTables[] = {"studies",
                                     "version_info",
                                     "study_directions",
                                     "study_user_attributes",
                                     "study_system_attributes",
                                     "trials",
                                     "trial_user_attributes",
                                     "trial_system_attributes",
                                     "trial_params",
                                     "trial_values",
                                     "trial_intermediate_values",
                                     "trial_heartbeats",
                                     "alembic_version"};
const char* const kOptunaTypes[] = {"studydirection", "trialstate", "trialvaluetype",
                                    "trialintermediatevaluetype"};

// The SERIAL keys written with explicit ids: their sequences continue after the largest id, so that Optuna
// can add trials and attributes to the exported study.
const std::pair<const char*, const char*> kOptunaSerials[] = {
    {"studies", "study_id"},
    {"study_directions", "study_direction_id"},
    {"study_user_attributes", "study_user_attribute_id"},
    {"study_system_attributes", "study_system_attribute_id"},
    {"trials", "trial_id"},
    {"trial_user_attributes", "trial_user_attribute_id"},
    {"trial_system_attributes", "trial_system_attribute_id"},
    {"trial_params", "param_id"},
    {"trial_values", "trial_value_id"},
    {"trial_intermediate_values", "trial_intermediate_value_id"},
    {"trial_heartbeats", "trial_heartbeat_id"}};

Status write_all(SqlConnection& db, const StudyRecord& study, const Space& space,
                 const std::vector<TrialRecord>& trials) {
  // PostgreSQL types the bound text parameters; enum and timestamp columns take them through a cast.
  const bool pg = db.dialect().name == "postgresql";
  const auto as = [pg](const char* param, const char* type) {
    return pg ? std::string(param) + "::" + type : std::string(param);
  };
  if (pg) {
    for (const char* ddl : kOptunaPostgresDdl) {
      if (auto r = db.query(ddl); !r) return r.status();
    }
  } else {
    for (const char* ddl : kOptunaDdl) {
      if (auto r = db.query(ddl); !r) return r.status();
    }
  }
  const auto run = [&](const std::string& sql, const std::vector<SqlValue>& args) -> Status {
    auto r = db.query(sql, args);
    return r ? Status::ok() : r.status();
  };
  Status st = run("INSERT INTO version_info VALUES (1, $1, $2)",
                  {std::int64_t{kOptunaSchemaVersion}, std::string(kOptunaLibraryVersion)});
  if (st.is_ok()) st = run("INSERT INTO alembic_version VALUES ($1)", {std::string(kOptunaAlembicVersion)});
  if (st.is_ok()) st = run("INSERT INTO studies VALUES (1, $1)", {study.name});
  if (st.is_ok()) {
    st = run("INSERT INTO study_directions VALUES (1, " + as("$1", "studydirection") + ", 1, 0)",
             {std::string(study.direction == Direction::kMaximize ? "MAXIMIZE" : "MINIMIZE")});
  }
  const std::vector<std::pair<std::string, Json>> study_attrs = {
      {"actlab_sampler", study.sampler}, {"actlab_seed", study.seed}, {"actlab_objective", study.objective}};
  for (const auto& [key, value] : study_attrs) {
    if (!st.is_ok()) return st;
    st = run("INSERT INTO study_user_attributes (study_id, \"key\", value_json) VALUES (1, $1, $2)",
             {key, value.dump()});
  }
  std::vector<std::string> dists;
  for (const auto& p : space.params()) dists.push_back(optuna_distribution(p.dist).dump());
  std::int64_t trial_id = 0;
  for (const auto& t : trials) {
    if (!st.is_ok()) return st;
    ++trial_id;
    st = run("INSERT INTO trials VALUES ($1, $2, 1, " + as("$3", "trialstate") + ", " +
                 as("$4", "timestamp") + ", " + as("$5", "timestamp") + ")",
             {trial_id, t.number, std::string(to_string(t.state)), opt_text(start_time(t)),
              opt_text(complete_time(t))});
    for (std::size_t i = 0; st.is_ok() && t.params.is_object() && i < space.size(); ++i) {
      const Param& p = space[i];
      if (!t.params.contains(p.name)) continue;
      auto v = internal_value(p, t.params[p.name]);
      if (!v) return v.status().with_context("trial " + std::to_string(t.number));
      st = run(
          "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES ($1, $2, "
          "$3, $4)",
          {trial_id, p.name, *v, dists[i]});
    }
    // Optuna has no NaN objective value (its TrialValueType has no NAN): such a trial gets none, as in
    // Optuna.
    if (st.is_ok() && t.value && !std::isnan(*t.value) &&
        (t.state == TrialState::kComplete || t.state == TrialState::kPruned)) {
      const auto [value, type] = optuna_value(*t.value);
      st = run("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES ($1, 0, $2, " +
                   as("$3", "trialvaluetype") + ")",
               {trial_id, value, type});
    }
    for (const auto& [step, v] : t.intermediate) {
      if (!st.is_ok()) break;
      const auto [value, type] = optuna_value(v);
      st =
          run("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, "
              "intermediate_value_type) VALUES ($1, $2, $3, " +
                  as("$4", "trialintermediatevaluetype") + ")",
              {trial_id, step, value, type});
    }
    std::vector<std::pair<std::string, Json>> attrs;
    if (!t.reason.empty()) attrs.emplace_back("actlab_reason", t.reason);
    if (t.retry_of) attrs.emplace_back("actlab_retry_of", *t.retry_of);
    if (!t.worker.empty()) attrs.emplace_back("actlab_worker", t.worker);
    for (const auto& [key, value] : attrs) {
      if (!st.is_ok()) break;
      st = run("INSERT INTO trial_user_attributes (trial_id, \"key\", value_json) VALUES ($1, $2, $3)",
               {trial_id, key, value.dump()});
    }
  }
  for (const auto& [table, column] : kOptunaSerials) {
    if (!pg || !st.is_ok()) break;
    const std::string t = table, c = column;
    st = run("SELECT setval(pg_get_serial_sequence('" + t + "', '" + c + "'), COALESCE(MAX(" + c +
                 "), 0) + 1, false) FROM " + t,
             {});
  }
  return st;
}

}  // namespace

Json optuna_distribution(const Distribution& d) {
  switch (d.kind) {
    case ParamKind::kCategorical:
      return {{"name", "CategoricalDistribution"}, {"attributes", {{"choices", d.choices}}}};
    case ParamKind::kInt:
      return {{"name", "IntDistribution"},
              {"attributes",
               {{"log", d.log},
                {"step", static_cast<std::int64_t>(d.step)},
                {"low", static_cast<std::int64_t>(d.low)},
                {"high", static_cast<std::int64_t>(d.high)}}}};
    case ParamKind::kFloat: break;
  }
  return {{"name", "FloatDistribution"},
          {"attributes",
           {{"step", d.step > 0 ? Json(d.step) : Json(nullptr)},
            {"low", d.low},
            {"high", d.high},
            {"log", d.log}}}};
}

Result<std::string> trials_csv(const StudyRecord& study, const std::vector<TrialRecord>& trials) {
  auto space = Space::from_json(study.space);
  if (!space) return space.status().with_context("study '" + study.name + "'");
  std::string out = "number,state,value";
  for (const auto& p : space->params()) {
    std::string header = "params_";
    header += p.name;
    out += ',';
    out += csv_field(header);
  }
  out += ",datetime_start,datetime_complete,reason\n";
  for (const auto& t : trials) {
    out += std::to_string(t.number);
    out += ',';
    out += to_string(t.state);
    out += ',';
    if (t.value) out += json_number(*t.value).dump(-1, ' ', false, Json::error_handler_t::replace);
    for (const auto& p : space->params()) {
      out += ",";
      if (!t.params.is_object()) continue;
      const auto it = t.params.find(p.name);  // one lookup, not contains() then operator[]
      if (it == t.params.end()) continue;
      out += it->is_string() ? csv_field(it->get_ref<const std::string&>()) : csv_field(it->dump());
    }
    const auto start = start_time(t), complete = complete_time(t);
    for (const auto& time : {start, complete}) {
      out += ',';
      if (time) out += datetime(*time, true);
    }
    out += ',';
    out += csv_field(t.reason);
    out += '\n';
  }
  return out;
}

Result<std::string> sqlite_target_path(const std::string& target) {
  if (target.empty()) return Status::invalid_field("to", "required: sqlite:///path/optuna.db or a path");
  if (target.rfind("sqlite:", 0) == 0) {
    std::string rest = target.substr(7);
    if (rest.rfind("//", 0) == 0) rest = rest.substr(2);
    if (rest.empty() || rest.find('?') != std::string::npos) {
      return Status::invalid_field("to", "'" + target + "': expected sqlite:///path/optuna.db (no options)");
    }
    return rest;
  }
  if (target.find("://") != std::string::npos) {
    std::string msg = "'";
    msg += mask_password(target);
    msg +=
        "': the optuna export writes an SQLite file (sqlite:///path/optuna.db or a path) or a PostgreSQL "
        "database (postgresql://...)";
    return Status::invalid_field("to", msg);
  }
  return target;
}

Status write_optuna_sqlite(const StudyRecord& study, const std::vector<TrialRecord>& trials,
                           const std::string& path) {
  auto space = Space::from_json(study.space);
  if (!space) return space.status().with_context("study '" + study.name + "'");
  if (access(path.c_str(), F_OK) == 0) {
    return Status::invalid_field(
        "to", path + " exists; the export writes a new file (remove it or choose another)");
  }
  const std::string tmp = path + ".tmp-" + std::to_string(getpid());
  std::remove(tmp.c_str());
  Status st;
  {
    auto db = open_sqlite(tmp, 60000, OpenMode::kCreate, "sqlite://" + tmp);
    if (!db) {
      std::string msg = db.status().message();
      if (msg.rfind("storage: ", 0) == 0) msg = msg.substr(9);
      return Status::io_error("cannot create " + path + ": " + msg).with_field("to");
    }
    // One file, as Optuna's SQLAlchemy engine leaves it: a rollback journal, not WAL.
    auto journal = (*db)->query("PRAGMA journal_mode = DELETE");
    st = journal ? Status::ok() : journal.status();
    if (st.is_ok()) {
      auto begin = (*db)->query("BEGIN");
      st = begin ? write_all(**db, study, *space, trials) : begin.status();
      auto end = (*db)->query(st.is_ok() ? "COMMIT" : "ROLLBACK");
      if (st.is_ok() && !end) st = end.status();
    }
  }
  if (st.is_ok() && std::rename(tmp.c_str(), path.c_str()) != 0) {
    st = Status::io_error("cannot rename " + tmp + " to " + path);
  }
  if (!st.is_ok()) {
    std::remove(tmp.c_str());
    return st.field().empty() ? st.with_field("to") : st;
  }
  return Status::ok();
}

bool is_postgres_url(const std::string& target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

Status write_optuna_postgres(const StudyRecord& study, const std::vector<TrialRecord>& trials,
                             const std::string& url) {
  auto space = Space::from_json(study.space);
  if (!space) return space.status().with_context("study '" + study.name + "'");
  const std::string shown = mask_password(url);
  auto db = open_postgres(url, OpenMode::kReadWrite);
  if (!db) {
    std::string msg = db.status().message();
    if (msg.rfind("storage: ", 0) == 0) msg = msg.substr(9);
    return Status(db.status().code(), msg).with_field("to");
  }
  // Like an existing file for the SQLite export: a schema that already holds any of Optuna's tables or
  // types (another export, an Optuna storage, a version-1 actlab storage) is left alone.
  std::string names;
  for (const char* t : kOptunaTables) names += std::string(names.empty() ? "'" : ", '") + t + "'";
  for (const char* t : kOptunaTypes) names += std::string(", '") + t + "'";
  auto found = (*db)->query(
      "SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relname IN (" +
      names +
      ") UNION ALL SELECT t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = "
      "t.typnamespace WHERE n.nspname = current_schema() AND t.typtype = 'e' AND t.typname IN (" +
      names + ") ORDER BY 1");
  if (!found) return found.status().with_field("to");
  if (!found->empty()) {
    std::string list;
    for (std::size_t i = 0; i < found->size() && i < 4; ++i)
      list += (i ? ", " : "") + (*found)[i][0].value_or("");
    if (found->size() > 4) list += ", ...";
    return Status::invalid_field(
        "to",
        shown + " already holds Optuna's tables (" + list +
            "); the export writes into a database (or schema) without them: create a new one (createdb) "
            "or drop them");
  }
  // One transaction: a failure leaves nothing behind.
  auto begin = (*db)->query("BEGIN");
  if (!begin) return begin.status().with_field("to");
  Status st = write_all(**db, study, *space, trials);
  auto end = (*db)->query(st.is_ok() ? "COMMIT" : "ROLLBACK");
  if (st.is_ok() && !end) st = end.status();
  if (!st.is_ok()) return st.field().empty() ? st.with_field("to") : st;
  return Status::ok();
}

}  // namespace actlab::search
