// actlab data list | show, run as a user would: built-in counts, generators, CSV files with --target, and
// bad input (exit 2 with file:line:column).
#include <gtest/gtest.h>

#include "core/json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::output_json;
using testing::run_actlab;

TEST(DataList, NamesTheBuiltinsAndGenerators) {
  Json j = output_json(run_actlab({"data", "list", "--json"}));
  ASSERT_GE(j["datasets"].size(), 10u);
  EXPECT_EQ(j["datasets"][0]["name"], "fashion-mnist");
  EXPECT_EQ(j["datasets"][0]["package"], "dataset-fashion-mnist");
  EXPECT_EQ(j["datasets"][0]["rows"], 70000);
  EXPECT_EQ(j["datasets"][0]["available"], true);
  auto text = run_actlab({"data", "list"});
  EXPECT_EQ(text.exit_code, 0);
  for (const char* name : {"iris", "wine", "breast-cancer", "digits", "spirals", "poly:<expr>"}) {
    EXPECT_NE(text.out.find(name), std::string::npos) << name;
  }
}

TEST(DataList, TwentyRClassificationSetsWithTheirFacts) {
  Json j = output_json(run_actlab({"data", "list", "--json"}));
  int r_classification = 0;
  for (const Json& d : j["datasets"]) {
    if (!d["package"].is_string() || d["package"].get<std::string>().rfind("r-cran-", 0) != 0) continue;
    r_classification += d["task"] == "classification";
    EXPECT_TRUE(d["missing"].is_string()) << d["name"];
    EXPECT_TRUE(d["licence"].is_string()) << d["name"];
    EXPECT_TRUE(d["path"].get<std::string>().find(".rda") != std::string::npos) << d["name"];
  }
  EXPECT_GE(r_classification, 20);
  auto text = run_actlab({"data", "list"});
  EXPECT_NE(
      text.out.find("house-votes-84                   table     class    435       32       2  imputed: 203 "
                    "rows (46.7 %)"),
      std::string::npos)
      << text.out;
  EXPECT_NE(
      text.out.find("/usr/lib/R/site-library/mlbench/data/Sonar.rda  (GPL-2 package; data from the UCI ML "
                    "repository)"),
      std::string::npos);
}

TEST(DataShow, AnRSetShowsItsPreparation) {
  Json j = output_json(run_actlab({"data", "show", "BreastCancer", "--json"}));
  EXPECT_EQ(j["name"], "breast-cancer-wisconsin");
  EXPECT_EQ(j["rows"], 683);
  EXPECT_EQ(j["features"], 9);
  EXPECT_EQ(j["missing"], "16 rows (2.3 %) dropped");
  EXPECT_EQ(j["classes"][0]["name"], "benign");
  EXPECT_EQ(j["classes"][0]["count"], 444);
  ASSERT_GE(j["preparation"].size(), 3u);
  EXPECT_EQ(j["preparation"][1], "left out     Id");
  auto text = run_actlab({"data", "show", "sonar"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("  documented   ?Sonar: 208 observations"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  missing      none"), std::string::npos) << text.out;
}

TEST(DataShow, IrisCountsAndBalance) {
  Json j = output_json(run_actlab({"data", "show", "iris", "--json"}));
  EXPECT_EQ(j["rows"], 150);
  EXPECT_EQ(j["features"], 4);
  EXPECT_EQ(j["task"], "classification");
  ASSERT_EQ(j["classes"].size(), 3u);
  for (const Json& c : j["classes"]) EXPECT_EQ(c["count"], 50);
  EXPECT_EQ(j["classes"][2]["name"], "virginica");
  EXPECT_EQ(j["input_shape"], Json::array({4}));
  EXPECT_TRUE(j["test_start"].is_null());
  auto text = run_actlab({"data", "show", "breast-cancer"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("malignant            212   37.3%"), std::string::npos) << text.out;
}

TEST(DataShow, FashionMnistHasItsTestSet) {
  Json j = output_json(run_actlab({"data", "show", "fashion-mnist", "--json"}));
  EXPECT_EQ(j["rows"], 70000);
  EXPECT_EQ(j["features"], 784);
  EXPECT_EQ(j["test_start"], 60000);
  EXPECT_EQ(j["input_shape"], Json::array({1, 28, 28}));
  EXPECT_EQ(j["classes"][9]["count"], 7000);
  EXPECT_EQ(j["x_max"], 1.0);
}

TEST(DataShow, GeneratorsAndRegression) {
  Json j =
      output_json(run_actlab({"data", "show", "poly:x^2-3*y+1", "--rows", "500", "--seed", "2", "--json"}));
  EXPECT_EQ(j["task"], "regression");
  EXPECT_EQ(j["rows"], 500);
  EXPECT_EQ(j["feature_names"], Json::array({"x", "y"}));
  ASSERT_EQ(j["targets"].size(), 1u);
  // E[x^2 - 3y + 1] = 1/3 + 1 for x, y ~ U[-1, 1]; sd = sqrt(4/45 + 3) ≈ 1.76.
  EXPECT_NEAR(j["targets"][0]["mean"].get<double>(), 4.0 / 3.0, 0.25);
  EXPECT_NEAR(j["targets"][0]["std"].get<double>(), 1.757, 0.2);
  Json s = output_json(run_actlab({"data", "show", "single:x=0.5,t=0.8", "--json"}));
  EXPECT_EQ(s["rows"], 1);
  EXPECT_NEAR(s["targets"][0]["mean"].get<double>(), 0.8, 1e-6);
}

TEST(DataShow, CsvFileWithTarget) {
  testing::TempDir dir;
  const std::string path = dir / "m.csv";
  testing::write_text(path, "kind,u,v\nb,1,2\na,3,4\nb,5,6\n");
  Json j = output_json(run_actlab({"data", "show", path, "--target", "kind", "--json"}));
  EXPECT_EQ(j["rows"], 3);
  EXPECT_EQ(j["feature_names"], Json::array({"u", "v"}));
  EXPECT_EQ(j["classes"][1]["name"], "b");
  EXPECT_EQ(j["classes"][1]["count"], 2);
  testing::write_text(dir / "n.csv", "u,v,w\n1,2,0\n3,4,1\n5,6,1\n7,8,0\n");
  Json c = output_json(run_actlab({"data", "show", dir / "n.csv", "--json"}));
  EXPECT_EQ(c["task"], "classification");  // w: integers, two values
  Json r = output_json(run_actlab({"data", "show", dir / "n.csv", "--task", "regression", "--json"}));
  EXPECT_EQ(r["task"], "regression");
  EXPECT_EQ(r["targets"][0]["mean"], 0.5);
}

TEST(DataShow, BadInputExitsTwoWithThePlace) {
  testing::TempDir dir;
  testing::write_text(dir / "ragged.csv", "a,b,c\n1,2,0\n3,4\n");
  testing::write_text(dir / "text.csv", "a,b,c\n1,2,0\n3,oops,1\n");
  expect_bad_input({"data", "show", dir / "ragged.csv"}, "ragged.csv:3:4: expected 3 fields, found 2");
  expect_bad_input({"data", "show", dir / "text.csv"}, "text.csv:3:3: field 2 (b): 'oops' is not a number");
  expect_bad_input({"data", "show", dir / "text.csv", "--target", "label"}, "no target column named 'label'");
  expect_bad_input({"data", "show", "fashion-mnst"},
                   "unknown data set 'fashion-mnst'; did you mean fashion-mnist?");
  expect_bad_input({"data", "show", "poly:x+"}, "generator 'poly:x+': 1:8:");
  expect_bad_input({"data", "show", "iris", "--task", "both"}, "--task");
  expect_bad_input({"data", "show", dir / "missing.csv"}, "missing.csv: no such file");
  // A damaged R file: exit 2 naming it, never a crash.
  testing::write_text(dir / "cut.rda", std::string("RDX2\nX\n\0\0\0\x02", 11));
  expect_bad_input({"data", "show", dir / "cut.rda"}, "cut.rda: not a readable R data file");
  expect_bad_input({"data", "show", dir / "cut.rda:obj#y"}, "cut.rda: not a readable R data file");
  expect_bad_input({"data", "show", "sonar", "--target", "V1"},
                   "a target or task applies to CSV and R files only");
}

}  // namespace
}  // namespace actlab::cli
