// Test support: one throwaway PostgreSQL cluster per test binary, started on first use by
// scripts/pg-test-cluster.sh and stopped at exit.
//
//   const auto& pg = pg_cluster();
//   ASSERT_TRUE(pg.error.empty()) << pg.error;      // says to run scripts/install-deps.sh when no server
//   open_storage(pg.url, OpenMode::kCreate);
#pragma once

#include <string>

namespace actlab::testing {

struct PgCluster {
  std::string url;    // postgresql://actlab@127.0.0.1:PORT/actlab
  std::string dir;    // the cluster's temp folder
  std::string error;  // why there is none
};

const PgCluster& pg_cluster();

}  // namespace actlab::testing
