#include "support/pg_cluster.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace actlab::testing {
namespace {

PgCluster* g_cluster = nullptr;

void stop_cluster() {
  if (!g_cluster || g_cluster->dir.empty()) return;
  const std::string cmd = std::string(ACTLAB_SOURCE_DIR) + "/scripts/pg-test-cluster.sh stop '" +
                          g_cluster->dir + "' >/dev/null 2>&1";
  (void)std::system(cmd.c_str());
}

}  // namespace

const PgCluster& pg_cluster() {
  static std::once_flag once;
  static PgCluster cluster;
  std::call_once(once, [] {
    const std::string cmd = std::string(ACTLAB_SOURCE_DIR) + "/scripts/pg-test-cluster.sh 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) {
      cluster.error = "could not run scripts/pg-test-cluster.sh";
      return;
    }
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    const int status = pclose(p);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code != 0) {
      cluster.error =
          code == 3 ? "the PostgreSQL server is not installed: run scripts/install-deps.sh (" + out + ")"
                    : "scripts/pg-test-cluster.sh failed: " + out;
      return;
    }
    // The URL line, then the folder line (other lines are the tools' chatter on stderr).
    const auto u = out.find("postgresql://");
    const auto nl = out.find('\n', u);
    const auto nl2 = out.find('\n', nl + 1);
    if (u == std::string::npos || nl == std::string::npos) {
      cluster.error = "scripts/pg-test-cluster.sh printed no URL: " + out;
      return;
    }
    cluster.url = out.substr(u, nl - u);
    cluster.dir = out.substr(nl + 1, nl2 == std::string::npos ? std::string::npos : nl2 - nl - 1);
    g_cluster = &cluster;
    std::atexit(stop_cluster);
  });
  return cluster;
}

}  // namespace actlab::testing
