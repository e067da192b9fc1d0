// The top level: --version, --help, and exit codes for unknown commands.
#include <gtest/gtest.h>

#include "support/process.hpp"

namespace actlab::cli {
namespace {

using testing::run_actlab;

TEST(Main, VersionAndHelp) {
  auto v = run_actlab({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("actlab ", 0), 0u) << v.out;
  auto h = run_actlab({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("act"), std::string::npos);
  auto sh = run_actlab({"act", "show", "--help"});
  EXPECT_EQ(sh.exit_code, 0);
  EXPECT_NE(sh.out.find("--param"), std::string::npos);
}

TEST(Main, UsageErrorsExitTwo) {
  EXPECT_EQ(run_actlab({}).exit_code, 2);
  EXPECT_EQ(run_actlab({"nosuchcommand"}).exit_code, 2);
  EXPECT_EQ(run_actlab({"act", "list", "--bogus-flag"}).exit_code, 2);
}

}  // namespace
}  // namespace actlab::cli
