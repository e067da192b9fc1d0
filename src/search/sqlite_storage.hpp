// The SQLite backend: one database file, safe for many processes on one machine.
//
//   auto conn = open_sqlite("/tmp/study.db", 60000, OpenMode::kCreate, "sqlite:///tmp/study.db");
//
// WAL journal (readers never block the writer), synchronous=NORMAL, foreign keys on, a busy timeout (default
// 60 s) so that concurrent writers queue instead of failing, and BEGIN IMMEDIATE for every write transaction
// so two writers never deadlock upgrading a read lock (the classic "database is locked" of optuna#820).
// Not for network file systems: SQLite's locks are unreliable there (optuna#815); use PostgreSQL.
#pragma once

#include <memory>
#include <string>

#include "search/sql_storage.hpp"

namespace actlab::search {

Result<std::unique_ptr<SqlConnection>> open_sqlite(const std::string& path, int busy_timeout_ms,
                                                   OpenMode mode, const std::string& url);

}  // namespace actlab::search
