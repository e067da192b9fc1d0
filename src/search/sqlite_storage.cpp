#include "search/sqlite_storage.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace actlab::search {
namespace {

const Dialect& sqlite_dialect() {
  static const Dialect d{
      "sqlite",
      "((julianday('now') - 2440587.5) * 86400.0)",
      "BEGIN IMMEDIATE",
      "",
      "",
      "",
      {
          "CREATE TABLE IF NOT EXISTS actlab_schema (version INTEGER NOT NULL)",
          "CREATE TABLE IF NOT EXISTS actlab_studies (study_id INTEGER PRIMARY KEY, name TEXT NOT NULL "
          "UNIQUE, "
          "direction TEXT NOT NULL, sampler TEXT NOT NULL, seed INTEGER NOT NULL, space_json TEXT NOT NULL, "
          "objective_json TEXT NOT NULL, created REAL NOT NULL)",
          "CREATE TABLE IF NOT EXISTS actlab_trials (trial_id INTEGER PRIMARY KEY, "
          "study_id INTEGER NOT NULL REFERENCES actlab_studies(study_id), number INTEGER NOT NULL, state "
          "TEXT NOT "
          "NULL, "
          "params_json TEXT, value REAL, reason TEXT, worker TEXT, retry_of INTEGER, "
          "retries INTEGER NOT NULL DEFAULT 0, created REAL, started REAL, finished REAL, heartbeat REAL, "
          "UNIQUE (study_id, number))",
          "CREATE INDEX IF NOT EXISTS actlab_trials_by_state ON actlab_trials (study_id, state, number)",
          // Retries (few) by study: the count of original trials without a scan (SqlStorage::originals).
          "CREATE INDEX IF NOT EXISTS actlab_trials_retries ON actlab_trials (study_id, retry_of)",
          // The best COMPLETE trial in O(log n) (SqlStorage::summary).
          "CREATE INDEX IF NOT EXISTS actlab_trials_by_value ON actlab_trials (study_id, state, value, "
          "number)",
          "CREATE TABLE IF NOT EXISTS actlab_intermediate_values (trial_id INTEGER NOT NULL REFERENCES "
          "actlab_trials(trial_id), "
          "step INTEGER NOT NULL, value REAL, PRIMARY KEY (trial_id, step))",
      }};
  return d;
}

std::string shortest(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

class SqliteConnection final : public SqlConnection {
 public:
  SqliteConnection(sqlite3* db, std::string url) : db_(db), url_(std::move(url)) {}
  ~SqliteConnection() override {
    for (auto& [sql, p] : cache_) sqlite3_finalize(p.stmt);
    sqlite3_close_v2(db_);
  }
  const Dialect& dialect() const override { return sqlite_dialect(); }
  std::string url() const override { return url_; }

  Status error(const std::string& what) const {
    const int code = sqlite3_extended_errcode(db_);
    std::string msg = url_ + ": " + what + ": " + sqlite3_errmsg(db_);
    if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
      return Status::io_error(msg +
                              " (another process held the database past the busy timeout; raise it with "
                              "?busy_timeout_ms=N or stop the other process)");
    }
    if ((code & 0xff) == SQLITE_READONLY)
      return Status::invalid(msg + " (the file or its folder is read-only)");
    if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT) {
      return Status::invalid(msg + " (not an actlab SQLite database)");
    }
    return Status::io_error(msg);
  }

  Result<std::vector<SqlRow>> query(const std::string& sql, const std::vector<SqlValue>& args) override {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* made = nullptr;
      if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &made, nullptr) != SQLITE_OK) {
        return error("preparing \"" + sql.substr(0, 60) + "\"");
      }
      // Where each "$k" is bound, found once per statement (a lookup by name is a linear search, which
      // made a long multi-row INSERT quadratic).
      Prepared p{made, {}};
      const int count = sqlite3_bind_parameter_count(made);
      for (int i = 1; i <= count; ++i) {
        const char* name = sqlite3_bind_parameter_name(made, i);
        if (!name || name[0] != '$') continue;
        const long k = std::strtol(name + 1, nullptr, 10);
        if (k < 1) continue;
        if (p.index.size() < static_cast<std::size_t>(k)) p.index.resize(static_cast<std::size_t>(k), 0);
        p.index[static_cast<std::size_t>(k - 1)] = i;
      }
      it = cache_.emplace(sql, std::move(p)).first;
    }
    sqlite3_stmt* stmt = it->second.stmt;
    const std::vector<int>& index = it->second.index;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    for (std::size_t i = 0; i < args.size(); ++i) {
      const int idx = i < index.size() ? index[i] : 0;
      if (idx == 0) continue;
      const SqlValue& a = args[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(a)) rc = sqlite3_bind_null(stmt, idx);
      if (auto* v = std::get_if<std::int64_t>(&a)) rc = sqlite3_bind_int64(stmt, idx, *v);
      if (auto* v = std::get_if<double>(&a)) rc = sqlite3_bind_double(stmt, idx, *v);
      if (auto* v = std::get_if<std::string>(&a)) {
        rc = sqlite3_bind_text(stmt, idx, v->data(), static_cast<int>(v->size()), SQLITE_TRANSIENT);
      }
      if (rc != SQLITE_OK) return error("binding $" + std::to_string(i + 1));
    }
    std::vector<SqlRow> rows;
    for (;;) {
      const int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Status st = error("running \"" + sql.substr(0, 60) + "\"");
        sqlite3_reset(stmt);
        return st;
      }
      SqlRow row(sqlite3_column_count(stmt));
      for (int c = 0; c < static_cast<int>(row.size()); ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: break;
          case SQLITE_FLOAT: row[c] = shortest(sqlite3_column_double(stmt, c)); break;
          default: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            row[c] = std::string(text ? text : "", sqlite3_column_bytes(stmt, c));
          }
        }
      }
      rows.push_back(std::move(row));
    }
    sqlite3_reset(stmt);
    return rows;
  }

  Result<std::vector<std::string>> backend_integrity() override {
    auto rows = query("PRAGMA integrity_check", {});
    if (!rows) return rows.status();
    std::vector<std::string> problems;
    for (const auto& r : *rows) {
      if (!r.empty() && r[0] && *r[0] != "ok") problems.push_back("sqlite: " + *r[0]);
    }
    auto fk = query("PRAGMA foreign_key_check", {});
    if (!fk) return fk.status();
    if (!fk->empty()) problems.push_back("sqlite: " + std::to_string(fk->size()) + " foreign-key violations");
    return problems;
  }

 private:
  sqlite3* db_;
  std::string url_;
  struct Prepared {
    sqlite3_stmt* stmt;
    std::vector<int> index;  // index[k − 1]: where "$k" binds (0: not in the statement)
  };
  std::map<std::string, Prepared> cache_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> open_sqlite(const std::string& path, int busy_timeout_ms,
                                                   OpenMode mode, const std::string& url) {
  if (path.empty()) return Status::invalid_field("storage", "'" + url + "' names no file");
  const bool exists = access(path.c_str(), F_OK) == 0;
  if (!exists && mode != OpenMode::kCreate) {
    return Status::not_found("no database at " + path + " (create a study there first: actlab study create)")
        .with_field("storage");
  }
  if (exists && mode != OpenMode::kReadOnly && access(path.c_str(), W_OK) != 0) {
    return Status::invalid_field("storage", path + " is read-only");
  }
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= mode == OpenMode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (mode == OpenMode::kCreate) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Status::io_error("cannot open " + path + ": " + msg).with_field("storage");
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  auto conn = std::make_unique<SqliteConnection>(db, url);
  if (mode != OpenMode::kReadOnly) {
    auto wal = conn->query("PRAGMA journal_mode = WAL", {});
    if (!wal) return wal.status();
    if (auto r = conn->query("PRAGMA synchronous = NORMAL", {}); !r) return r.status();
  }
  if (auto r = conn->query("PRAGMA foreign_keys = ON", {}); !r) return r.status();
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace actlab::search
