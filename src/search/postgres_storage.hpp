// The PostgreSQL backend (libpq): for studies whose workers run on several machines.
//
//   auto conn = open_postgres("postgresql://actlab@db.lan:5432/studies", OpenMode::kReadWrite);
//
// libpq reads the URL itself; the password comes from PGPASSWORD or ~/.pgpass (a password in the URL works
// but is masked in every message). Every statement is prepared (PQprepare, typed parameters) and run with
// PQexecPrepared; values are never spliced into SQL. Trial numbers are assigned under a row lock on the study
// (SELECT ... FOR NO KEY UPDATE); claims take the oldest WAITING trial with FOR UPDATE SKIP LOCKED, so two
// workers never claim the same trial and never wait on each other's claims. Schema creation is serialised by
// a transaction-level advisory lock. Read-only mode sets default_transaction_read_only.
#pragma once

#include <memory>
#include <string>

#include "search/sql_storage.hpp"

namespace actlab::search {

Result<std::unique_ptr<SqlConnection>> open_postgres(const std::string& url, OpenMode mode);

}  // namespace actlab::search
