#include "search/postgres_storage.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace actlab::search {
namespace {

const Dialect& postgres_dialect() {
  static const Dialect d{
      "postgresql",
      "EXTRACT(EPOCH FROM now())::double precision",
      "BEGIN",
      "FOR NO KEY UPDATE",
      "FOR UPDATE SKIP LOCKED",
      "SELECT pg_advisory_xact_lock(7202604)",
      {
          "CREATE TABLE IF NOT EXISTS actlab_schema (version INTEGER NOT NULL)",
          "CREATE TABLE IF NOT EXISTS actlab_studies (study_id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL "
          "UNIQUE, "
          "direction TEXT NOT NULL, sampler TEXT NOT NULL, seed BIGINT NOT NULL, space_json TEXT NOT NULL, "
          "objective_json TEXT NOT NULL, created DOUBLE PRECISION NOT NULL)",
          "CREATE TABLE IF NOT EXISTS actlab_trials (trial_id BIGSERIAL PRIMARY KEY, "
          "study_id BIGINT NOT NULL REFERENCES actlab_studies(study_id), number BIGINT NOT NULL, state TEXT "
          "NOT "
          "NULL, "
          "params_json TEXT, value DOUBLE PRECISION, reason TEXT, worker TEXT, retry_of BIGINT, "
          "retries INTEGER NOT NULL DEFAULT 0, created DOUBLE PRECISION, started DOUBLE PRECISION, "
          "finished DOUBLE PRECISION, heartbeat DOUBLE PRECISION, UNIQUE (study_id, number))",
          "CREATE INDEX IF NOT EXISTS actlab_trials_by_state ON actlab_trials (study_id, state, number)",
          // Retries (few) by study: the count of original trials without a scan (SqlStorage::originals).
          "CREATE INDEX IF NOT EXISTS actlab_trials_retries ON actlab_trials (study_id, retry_of)",
          // The best COMPLETE trial in O(log n) (SqlStorage::summary).
          "CREATE INDEX IF NOT EXISTS actlab_trials_by_value ON actlab_trials (study_id, state, value, "
          "number)",
          "CREATE TABLE IF NOT EXISTS actlab_intermediate_values (trial_id BIGINT NOT NULL REFERENCES "
          "actlab_trials(trial_id), "
          "step BIGINT NOT NULL, value DOUBLE PRECISION, PRIMARY KEY (trial_id, step))",
      }};
  return d;
}

void ignore_notice(void*, const char*) {}

constexpr Oid kInt8 = 20, kFloat8 = 701, kText = 25;

std::string pg_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(PGconn* conn, std::string url) : conn_(conn), url_(std::move(url)) {}
  ~PostgresConnection() override { PQfinish(conn_); }
  const Dialect& dialect() const override { return postgres_dialect(); }
  std::string url() const override { return url_; }

  // A connection lost inside a transaction fails the rest of that transaction (its ROLLBACK included, which
  // has nothing left to undo); a statement outside one reconnects first, and one that finds the connection
  // lost while it runs (BEGIN, or a read) reconnects and runs again once. The server restarting (pg_ctl
  // restart, a failover) thus fails at most the transaction in flight, which the callers retry.
  Result<std::vector<SqlRow>> query(const std::string& sql, const std::vector<SqlValue>& args) override {
    const bool end = sql == "COMMIT" || sql == "ROLLBACK";
    if (PQstatus(conn_) != CONNECTION_OK) {
      if (in_transaction_) {
        if (end) in_transaction_ = false;
        return Status::io_error(url_ + ": connection lost" + (end ? "" : " in a transaction"));
      }
      if (Status s = reconnect(); !s) return s;
    }
    if (end) in_transaction_ = false;
    auto rows = run(sql, args);
    if (!rows && !in_transaction_ && !end && PQstatus(conn_) != CONNECTION_OK) {
      if (Status s = reconnect(); !s) return s;
      rows = run(sql, args);
    }
    return rows;
  }

  Status reconnect() {
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Status::io_error(url_ +
                              ": connection lost, reconnecting failed: " + trim(PQerrorMessage(conn_)));
    }
    PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
    prepared_.clear();  // server-side statements died with the old session
    for (const std::string& s : session_setup_) {
      PGresult* r = PQexec(conn_, s.c_str());
      PQclear(r);
    }
    return Status::ok();
  }

  Result<std::vector<SqlRow>> run(const std::string& sql, const std::vector<SqlValue>& args) {
    const bool begin = sql == "BEGIN";
    std::vector<Oid> types(args.size(), 0);
    std::vector<std::string> text(args.size());
    std::vector<const char*> values(args.size(), nullptr);
    std::string key = sql + '\x1f';
    for (std::size_t i = 0; i < args.size(); ++i) {
      const SqlValue& a = args[i];
      if (auto* v = std::get_if<std::int64_t>(&a)) {
        types[i] = kInt8;
        text[i] = std::to_string(*v);
      } else if (auto* v = std::get_if<double>(&a)) {
        types[i] = kFloat8;
        text[i] = pg_text(*v);
      } else if (auto* v = std::get_if<std::string>(&a)) {
        types[i] = kText;
        text[i] = *v;
      }
      if (!std::holds_alternative<std::monostate>(a)) values[i] = text[i].c_str();
      key += std::to_string(types[i]) + ",";
    }
    auto it = prepared_.find(key);
    if (it == prepared_.end()) {
      const std::string name = "actlab_" + std::to_string(prepared_.size());
      PGresult* p = PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(args.size()), types.data());
      const bool ok = PQresultStatus(p) == PGRES_COMMAND_OK;
      std::string msg = ok ? "" : trim(PQresultErrorMessage(p));
      PQclear(p);
      if (!ok) return failure("preparing \"" + sql.substr(0, 60) + "\"", msg);
      it = prepared_.emplace(key, name).first;
    }
    PGresult* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(args.size()), values.data(),
                                 nullptr, nullptr, 0);
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      std::string msg = trim(PQresultErrorMessage(r));
      PQclear(r);
      return failure("running \"" + sql.substr(0, 60) + "\"", msg);
    }
    if (begin) in_transaction_ = true;
    std::vector<SqlRow> rows(PQntuples(r), SqlRow(PQnfields(r)));
    for (int i = 0; i < PQntuples(r); ++i) {
      for (int c = 0; c < PQnfields(r); ++c) {
        if (!PQgetisnull(r, i, c)) rows[i][c] = std::string(PQgetvalue(r, i, c), PQgetlength(r, i, c));
      }
    }
    PQclear(r);
    return rows;
  }

  Result<std::vector<std::string>> backend_integrity() override {
    auto r = query(
        "SELECT COUNT(*) FROM actlab_trials t LEFT JOIN actlab_studies s ON s.study_id = t.study_id "
        "WHERE s.study_id IS NULL",
        {});
    if (!r) return r.status();
    std::vector<std::string> problems;
    if ((*r)[0][0].value_or("0") != "0") problems.push_back("postgresql: trials without a study");
    return problems;
  }

 private:
  Status failure(const std::string& what, const std::string& msg) {
    if (PQstatus(conn_) != CONNECTION_OK) return Status::io_error(url_ + ": connection lost: " + msg);
    if (msg.find("read-only transaction") != std::string::npos) {
      return Status::invalid(url_ + ": " + what + ": " + msg);
    }
    return Status::io_error(url_ + ": " + what + ": " + msg);
  }

  PGconn* conn_;
  std::string url_;
  std::map<std::string, std::string> prepared_;  // SQL + parameter types → statement name
  bool in_transaction_ = false;

 public:
  std::vector<std::string> session_setup_;  // statements run again after a reconnect (SET ...)
};

// libpq may quote the connection string in its messages: put the masked URL in its place, and mask any
// password that is left.
std::string scrub(std::string msg, const std::string& url, const std::string& masked) {
  for (auto p = msg.find(url); p != std::string::npos; p = msg.find(url, p + masked.size())) {
    msg.replace(p, url.size(), masked);
  }
  const auto scheme = url.find("://"), at = url.find('@');
  const auto colon = scheme == std::string::npos ? std::string::npos : url.find(':', scheme + 3);
  std::vector<std::string> passwords;
  if (at != std::string::npos && colon != std::string::npos && colon < at)
    passwords.push_back(url.substr(colon + 1, at - colon - 1));
  if (const auto q = url.find('?'); q != std::string::npos) {  // ?password=... (or &password=...)
    for (auto p = url.find("password=", q); p != std::string::npos; p = url.find("password=", p + 9)) {
      const auto end = url.find('&', p + 9);
      passwords.push_back(url.substr(p + 9, end == std::string::npos ? std::string::npos : end - p - 9));
    }
  }
  for (const std::string& password : passwords) {
    for (auto p = password.empty() ? std::string::npos : msg.find(password); p != std::string::npos;
         p = msg.find(password, p + 3)) {
      msg.replace(p, password.size(), "***");
    }
  }
  return msg;
}

}  // namespace

Result<std::unique_ptr<SqlConnection>> open_postgres(const std::string& url, OpenMode mode) {
  const std::string masked = mask_password(url);
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(url.c_str(), &err);
  if (!parsed) {
    std::string msg = scrub(err ? trim(err) : "unreadable", url, masked);
    PQfreemem(err);
    return Status::invalid_field("storage", "malformed PostgreSQL URL '" + masked + "': " + msg +
                                                " (expected postgresql://user@host:port/dbname)");
  }
  PQconninfoFree(parsed);
  const char* keys[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const char* vals[] = {url.c_str(), "10", "actlab", nullptr};
  PGconn* conn = PQconnectdbParams(keys, vals, /*expand_dbname=*/1);
  if (!conn) return Status::io_error("out of memory connecting to " + masked).with_field("storage");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = scrub(trim(PQerrorMessage(conn)), url, masked);
    PQfinish(conn);
    return Status::io_error("cannot connect to " + masked + ": " + msg).with_field("storage");
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  auto c = std::make_unique<PostgresConnection>(conn, masked);
  if (mode == OpenMode::kReadOnly) {
    if (auto r = c->query("SET default_transaction_read_only = on", {}); !r) return r.status();
    c->session_setup_.push_back("SET default_transaction_read_only = on");
  }
  return std::unique_ptr<SqlConnection>(std::move(c));
}

}  // namespace actlab::search
