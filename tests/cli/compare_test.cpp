// actlab compare through the real executable: JSON keys, the --out files, and bad input naming the flag.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::testing {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::vector<std::string> kIris = {"compare",  "--data", "iris", "--model",     "mlp:8x2",
                                        "--epochs", "6",      "--lr", "0.03",        "--seeds",
                                        "3",        "--seed", "2",    "--resamples", "500"};

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
  args.insert(args.end(), more);
  return args;
}

TEST(CompareCli, JsonHasEveryArmWithItsStatistics) {
  TempDir dir;
  const std::string out = dir / "out";
  const Json j = run_json(with(
      kIris, {"--arms", "relu; tanh@torch; x*tanh(softplus(x)), relu @critical", "--json", "--out", out}));
  EXPECT_EQ(j["data"], "iris");
  EXPECT_EQ(j["metric"], "test_acc");
  EXPECT_EQ(j["seeds"], Json({2, 3, 4}));
  ASSERT_EQ(j["arms"].size(), 3u);
  EXPECT_EQ(j["arms"][2]["act"], "x*tanh(softplus(x)),relu");
  EXPECT_EQ(j["arms"][2]["init"], "critical");
  EXPECT_EQ(j["arms"][0]["init"], "he");  // --init's default
  for (const Json& a : j["arms"]) {
    for (const char* key : {"median", "iqr", "ci", "values", "diverged", "p_value", "p_holm", "rank"})
      EXPECT_TRUE(a.contains(key)) << key;
    EXPECT_EQ(a["values"].size(), 3u);
    EXPECT_EQ(a["ci"].size(), 2u);
  }
  EXPECT_TRUE(j["arms"][0]["p_value"].is_null());
  EXPECT_TRUE(j["arms"][1]["p_value"].is_number());
  EXPECT_GE(j["arms"][1]["p_holm"].get<double>(), j["arms"][1]["p_value"].get<double>());
  EXPECT_EQ(j["settings"]["train"]["epochs"], 6);

  // --out: the same result, the table twice and the figure.
  const Json saved = Json::parse(slurp(out + "/results.json"));
  EXPECT_EQ(saved["arms"][1]["values"], j["arms"][1]["values"]);
  EXPECT_NE(slurp(out + "/table.md").find("| relu |"), std::string::npos);
  EXPECT_EQ(slurp(out + "/table.csv").rfind("arm,init,median,iqr,ci_low,ci_high,diverged,p,p_holm,rank", 0),
            0u);
  const std::string svg = slurp(out + "/compare.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("tanh@torch"), std::string::npos);

  // The text output: a header line and the table, same medians.
  const ProcessResult text =
      run_actlab(with(kIris, {"--arms", "relu; tanh@torch", "--plot", dir / "points.png"}));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("iris: "), std::string::npos);
  EXPECT_NE(text.out.find("p_holm"), std::string::npos);
  EXPECT_NE(text.out.find("6 runs in"), std::string::npos);
  EXPECT_EQ(slurp(dir / "points.png").substr(1, 3), "PNG");
}

TEST(CompareCli, BadInputNamesTheFlag) {
  expect_bad_input(with(kIris, {"--arms", "relu;;tanh"}), "--arms: arm 2 is empty");
  expect_bad_input(with(kIris, {"--arms", ""}), "--arms: arm 1 is empty");
  expect_bad_input(with(kIris, {"--arms", "relu; nosuchact"}), "--arms: arm 2 'nosuchact'");
  expect_bad_input(with(kIris, {"--arms", "relu; tanh@nosuchinit"}), "--arms: arm 2 'tanh@nosuchinit'");
  expect_bad_input(with(kIris, {"--arms", "relu; tanh@"}), "--arms: arm 2");
  expect_bad_input({"compare", "--data", "iris", "--arms", "relu", "--seeds", "0"}, "--seeds: must be >= 1");
  expect_bad_input(with(kIris, {"--arms", "relu", "--opt", "nosuchopt"}), "--opt");
  expect_bad_input({"compare", "--data", "no-such-data", "--arms", "relu", "--seeds", "1"},
                   "unknown data set");
  expect_bad_input({"compare", "--data", "iris", "--seeds", "1"}, "--arms");  // required
}

}  // namespace
}  // namespace actlab::testing
