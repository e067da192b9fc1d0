// actlab converge through the real executable: rows for every (activation, optimizer, reflect), the
// catalog-wide run with skipped rows, bad input → exit 2 naming the flag or the activation.
#include <gtest/gtest.h>

#include <set>

#include "core/json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::testing {
namespace {

TEST(ConvergeCli, RowsForEveryCombination) {
  auto r = run_actlab({"converge", "--acts", "tanh,sigmoid", "--opt", "adam,adamm", "--reflect", "both",
                       "--seeds", "3", "--budget", "3000", "--threshold", "1e-4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 8u);
  for (const auto& row : j["rows"]) {
    for (const char* key : {"activation", "optimizer", "reflect", "success_rate", "median_evals_to_threshold",
                            "median_final_error"}) {
      EXPECT_TRUE(row.contains(key)) << key;
    }
    const double s = row["success_rate"].get<double>();
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
    if (s > 0) {
      EXPECT_LE(row["median_evals_to_threshold"].get<double>(), 3000);
    }
  }
  EXPECT_EQ(j["rows"][0]["activation"], "sigmoid");  // sorted by activation
  EXPECT_TRUE(j["bounds"].contains("tanh"));
  // tanh with x = 0.5, t = 0.3 is easy for Adam.
  bool tanh_adam_ok = false;
  for (const auto& row : j["rows"])
    if (row["activation"] == "tanh" && row["optimizer"] == "adam") tanh_adam_ok |= row["success_rate"] == 1.0;
  EXPECT_TRUE(tanh_adam_ok);
}

TEST(ConvergeCli, TextTableAndPlot) {
  TempDir dir;
  auto r = run_actlab({"converge", "--acts", "relu,snake", "--seeds", "2", "--budget", "500", "--threshold",
                       "1e-3", "--plot", dir / "c.svg"});
  ASSERT_TRUE(r.exit_code == 0 || r.err.find("gnuplot") != std::string::npos) << r.err;
  EXPECT_NE(r.out.find("median_evals"), std::string::npos);
  EXPECT_LT(r.out.find("relu"), r.out.find("snake"));
}

TEST(ConvergeCli, AllSkipsActivationsWithoutAUsableDomain) {
  auto r = run_actlab({"converge", "--acts", "all", "--opt", "adamm", "--reflect", "on", "--seeds", "1",
                       "--budget", "200", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  std::set<std::string> skipped, rows;
  for (const auto& s : j["skipped"]) skipped.insert(s["activation"].get<std::string>());
  for (const auto& row : j["rows"]) rows.insert(row["activation"].get<std::string>());
  EXPECT_TRUE(skipped.count("exp"));
  EXPECT_TRUE(rows.count("tanh"));
  EXPECT_FALSE(rows.count("softmax"));  // row-wise: excluded
  EXPECT_GT(rows.size(), 30u);
}

TEST(ConvergeCli, BadInputNamesTheFlagOrActivation) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"converge", "--acts", "tanh", "--budget", "0"}, "--budget"},
      {{"converge", "--acts", "tanh", "--threshold", "0"}, "--threshold"},
      {{"converge", "--acts", "tanh", "--threshold", "-1"}, "--threshold"},
      {{"converge", "--acts", "tanh", "--opt", "sgd"}, "--opt"},
      {{"converge", "--acts", "tanh", "--reflect", "maybe"}, "--reflect"},
      {{"converge", "--acts", "nosuch"}, "nosuch"},
      {{"converge", "--acts", "exp", "--reflect", "on"}, "exp"},
      {{"converge", "--acts", "step", "--reflect", "both"}, "step"},
      {{"converge", "--acts", "sigmoid", "--target", "2", "--reflect", "on"}, "sigmoid"},
  };
  for (const auto& [args, what] : cases) {
    auto r = run_actlab(args);
    EXPECT_EQ(r.exit_code, 2) << what << ": " << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  }
  // Without reflection the rule is not needed: exp still runs.
  auto ok = run_actlab({"converge", "--acts", "exp", "--reflect", "off", "--seeds", "1", "--budget", "100"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

}  // namespace
}  // namespace actlab::testing
