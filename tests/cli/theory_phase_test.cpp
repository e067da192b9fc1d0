// actlab theory phase: the picture is written, the JSON grid agrees with direct `theory propagate` calls, and
// contour_lines traces known level sets.
#include "cli/theory_phase.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "support/process.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::output_json;
using testing::run_actlab;

// v = x + y on a 3 x 3 grid: the level 1 line runs from (1, 0) to (0, 1), through every cell it meets.
TEST(ContourLines, PlaneLevelSet) {
  const std::vector<double> x = {0, 0.5, 1}, y = {0, 0.5, 1};
  std::vector<double> v;
  for (double yy : y)
    for (double xx : x) v.push_back(xx + yy);
  const report::Series s = contour_lines(x, y, v, 1.0, "v = 1");
  ASSERT_FALSE(s.x.empty());
  ASSERT_EQ(s.x.size() % 3, 0u);
  for (std::size_t k = 0; k < s.x.size(); ++k) {
    if (k % 3 == 2) {
      EXPECT_TRUE(std::isnan(s.x[k]));
      continue;
    }
    EXPECT_NEAR(s.x[k] + s.y[k], 1.0, 1e-14);
  }
  // NaN corners: those cells are skipped; wrong sizes: nothing.
  v[4] = std::nan("");
  EXPECT_TRUE(contour_lines(x, y, v, 1.0, "").x.size() < s.x.size());
  EXPECT_TRUE(contour_lines(x, y, {1.0, 2.0}, 1.0, "").x.empty());
}

TEST(TheoryPhase, GridMatchesDirectCallsAndWritesThePicture) {
  if (!report::gnuplot_available()) GTEST_SKIP() << "gnuplot is not installed";
  const std::string out = (std::filesystem::temp_directory_path() / "actlab_theory_phase_test.png").string();
  std::filesystem::remove(out);
  Json j = output_json(run_actlab(
      {"theory", "phase", "tanh", "--out", out, "--sigma-w", "0.5:2.5:5", "--sigma-b", "0:0.6:4", "--json"}));
  std::error_code ec;
  EXPECT_GT(std::filesystem::file_size(out, ec), 0u);
  ASSERT_EQ(j["grid"].size(), 20u);
  EXPECT_FALSE(j["eoc"].empty());
  // A few grid points against `theory propagate` at the same (σ_w, σ_b).
  for (int k : {3, 9, 14, 19}) {
    const Json& p = j["grid"][k];
    const std::string sw = std::to_string(p["sigma_w"].get<double>()),
                      sb = std::to_string(p["sigma_b"].get<double>());
    Json d = output_json(run_actlab(
        {"theory", "propagate", "tanh", "--sigma-w", sw, "--sigma-b", sb, "--depth", "1", "--json"}));
    EXPECT_NEAR(p["chi1"].get<double>(), d["chi1_star"].get<double>(), 1e-10) << k;
    EXPECT_NEAR(p["c_star"].get<double>(), d["c_star"].get<double>(), 1e-10) << k;
    EXPECT_EQ(p["phase"], d["phase"]) << k;
  }
  // ReLU diverges above σ_w = √2 at σ_b > 0: null rows, not NaN.
  Json r = output_json(run_actlab(
      {"theory", "phase", "relu", "--out", out, "--sigma-w", "1:2:3", "--sigma-b", "0.1:0.2:2", "--json"}));
  EXPECT_EQ(r["grid"][2]["phase"], "divergent");
  EXPECT_TRUE(r["grid"][2]["c_star"].is_null());
  std::filesystem::remove(out);
}

TEST(TheoryPhase, BadInput) {
  auto bad = [](std::vector<std::string> args, const std::string& fragment) {
    auto r = run_actlab(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  };
  bad({"theory", "phase", "tanh", "--out", "x.png", "--sigma-w", "0:1:3"}, "--sigma-w");
  bad({"theory", "phase", "tanh", "--out", "x.png", "--sigma-b", "-1:1:3"}, "--sigma-b");
  bad({"theory", "phase", "tanh", "--out", "x.png", "--sigma-w", "1"}, "at least 2");
  bad({"theory", "phase", "softmax", "--out", "x.png"}, "row-wise");
  bad({"theory", "phase", "tanh"}, "--out");
}

}  // namespace
}  // namespace actlab::cli
