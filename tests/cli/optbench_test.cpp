// actlab optbench through the real executable: JSON shape and scoring, determinism, bad input → exit 2
// naming the flag.
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "support/process.hpp"

namespace actlab::testing {
namespace {

TEST(OptbenchCli, ScoresASmallHarness) {
  const std::vector<std::string> args = {"optbench", "--opt",          "adamm",   "--functions", "5",
                                         "--tests",  "hilly,megacity", "--evals", "2000",        "--repeats",
                                         "2",        "--seed",         "4",       "--json"};
  auto r = run_actlab(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  ASSERT_EQ(j["cells"].size(), 2u);
  EXPECT_EQ(j["cells"][0]["function"], "hilly");
  EXPECT_EQ(j["cells"][1]["function"], "megacity");
  EXPECT_EQ(j["cells"][0]["dims"], 10);
  EXPECT_EQ(j["cells"][0]["runs"].size(), 2u);
  const double total = j["cells"][0]["score"].get<double>() + j["cells"][1]["score"].get<double>();
  EXPECT_NEAR(j["total"].get<double>(), total, 1e-12);
  EXPECT_NEAR(j["percent"].get<double>(), total * 100 / 2, 1e-9);
  EXPECT_TRUE(j["published"].is_null());  // not Dik's full protocol
  EXPECT_EQ(j["options"]["pop_size"], 100);
  auto again = run_actlab(args);
  EXPECT_EQ(Json::parse(again.out)["total"], j["total"]);
}

TEST(OptbenchCli, PopulationAdamAndTextTable) {
  auto r = run_actlab({"optbench", "--opt", "adam", "--functions", "5", "--tests", "hilly", "--evals", "1000",
                       "--repeats", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("hilly"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("% of max"), std::string::npos) << r.out;
}

TEST(OptbenchCli, BadInputNamesTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"optbench", "--opt", "pso"}, "--opt"},           {{"optbench", "--functions", "5,x"}, "--functions"},
      {{"optbench", "--tests", "rastrigin"}, "--tests"}, {{"optbench", "--evals", "0"}, "--evals"},
      {{"optbench", "--repeats", "0"}, "--repeats"},     {{"optbench", "--pop", "0"}, "--pop"},
      {{"optbench", "--hybrids", "2"}, "--hybrids"},     {{"optbench", "--boundary", "wrap"}, "--boundary"},
  };
  for (const auto& [args, flag] : cases) {
    auto r = run_actlab(args);
    EXPECT_EQ(r.exit_code, 2) << flag;
    EXPECT_NE(r.err.find(flag), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace actlab::testing
