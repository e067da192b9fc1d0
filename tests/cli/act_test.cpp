// actlab act list|show|plot, run as a user would: the real executable, its stdout, stderr and exit code.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/json.hpp"
#include "report/figure.hpp"
#include "support/process.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::run_actlab;

Json parse(const std::string& s) {
  Json j = Json::parse(s, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << s;
  return j;
}

TEST(ActList, MenuHasExactlyFortyEight) {
  auto r = run_actlab({"act", "list", "--menu", "alacarte", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = parse(r.out);
  EXPECT_EQ(j["count"], 48);
  EXPECT_EQ(j["activations"].size(), 48u);
  EXPECT_EQ(j["activations"][0]["name"], "elu");
  EXPECT_EQ(j["activations"][47]["name"], "mish");
  auto all = parse(run_actlab({"act", "list", "--json"}).out);
  EXPECT_GE(all["count"].get<int>(), 60);
  auto text = run_actlab({"act", "list"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("acon_c"), std::string::npos);
}

TEST(ActShow, JsonHasTheDocumentedKeysAndValues) {
  auto r = run_actlab({"act", "show", "repu", "--param", "p=3", "--at", "-1,0,2", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = parse(r.out);
  for (const char* key :
       {"name", "formula", "derivative", "range", "kinks", "monotone", "smooth", "params", "values"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["name"], "repu");
  EXPECT_EQ(j["params"]["p"], 3.0);
  EXPECT_EQ(j["range"][0], 0.0);
  EXPECT_TRUE(j["range"][1].is_null());  // unbounded
  EXPECT_EQ(j["kinks"], Json::array({0.0}));
  EXPECT_EQ(j["smooth"], "C2");
  EXPECT_EQ(j["monotone"], true);
  ASSERT_EQ(j["values"].size(), 3u);
  EXPECT_EQ(j["values"][2]["x"], 2.0);
  EXPECT_EQ(j["values"][2]["f"], 8.0);
  EXPECT_EQ(j["values"][2]["df"], 12.0);
  EXPECT_EQ(j["values"][2]["d2f"], 12.0);
}

TEST(ActShow, FormulaGetsEstimatedProperties) {
  auto r = run_actlab({"act", "show", "x*sigmoid(1.5*x)", "--at", "0", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = parse(r.out);
  EXPECT_EQ(j["source"], "formula");
  EXPECT_EQ(j["range_source"], "estimated");
  EXPECT_NEAR(j["range"][0].get<double>(), -0.2784645427610738 / 1.5, 1e-9);
  EXPECT_EQ(j["smooth"], "C-inf");
  EXPECT_EQ(j["values"][0]["df"], 0.5);
  // NaN and infinities are written as strings.
  Json l = parse(run_actlab({"act", "show", "log", "--at", "-1,0", "--json"}).out);
  EXPECT_EQ(l["values"][0]["f"], "nan");
  EXPECT_EQ(l["values"][1]["f"], "-inf");
}

TEST(ActShow, RowWiseTreatsThePointsAsOneRow) {
  auto r = run_actlab({"act", "show", "softmax", "--at", "0,0", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = parse(r.out);
  EXPECT_EQ(j["row_wise"], true);
  EXPECT_DOUBLE_EQ(j["values"][0]["f"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["values"][0]["df"].get<double>(), 0.25);
}

TEST(ActShow, TextOutput) {
  auto r = run_actlab({"act", "show", "swish"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("f'(x)"), std::string::npos);
  EXPECT_NE(r.out.find("C-inf"), std::string::npos);
}

TEST(ActShow, BadInputIsExitTwoWithOneLine) {
  expect_bad_input({"act", "show", "sigmod"}, "unknown activation 'sigmod'; did you mean sigmoid");
  expect_bad_input({"act", "show", "max(0, x"}, "1:9: expected ')' after argument");
  expect_bad_input({"act", "show", "x**"}, "1:4: expected a number, a name or '('");
  expect_bad_input({"act", "show", "repu", "--param", "q=2"},
                   "--param q: repu has no parameter 'q' (it has p)");
  expect_bad_input({"act", "show", "repu", "--param", "p=three"}, "--param p: 'three' is not a number");
  expect_bad_input({"act", "show", "repu", "--param", "p"}, "--param 'p': expected NAME=VALUE");
  expect_bad_input({"act", "show", "relu", "--at", "1,,2"}, "--at: '' is not a number");
  expect_bad_input({"act", "list", "--menu", "nope"}, "--menu: unknown menu 'nope'");
  expect_bad_input({"act", "show"}, "activation is required");
  expect_bad_input({"act", "frobnicate"}, "subcommand is required");
}

TEST(ActPlot, WritesSvgThroughGnuplot) {
  if (!report::gnuplot_available())
    GTEST_SKIP() << "gnuplot not installed (scripts/install-deps.sh installs it)";
  const auto dir = std::filesystem::temp_directory_path() / "actlab_act_plot_test";
  std::filesystem::create_directories(dir);
  const std::string out = (dir / "acts.svg").string();
  auto r = run_actlab({"act", "plot", "relu", "repu", "x*sigmoid(x)", "--param", "p=3", "--derivative",
                       "--range", "-3:3", "--out", out, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json j = parse(r.out);
  EXPECT_EQ(j["series"].size(), 6u);
  std::ifstream in(out);
  std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("repu"), std::string::npos);
  // Issue 22: f beside f′ is the default (two panels); --no-derivative draws f alone.
  const std::string both = (dir / "both.svg").string(), one = (dir / "one.svg").string();
  Json b = parse(run_actlab({"act", "plot", "tanh", "--out", both, "--json"}).out);
  EXPECT_EQ(b["series"], Json::array({"tanh", "tanh′"}));
  std::ifstream in_both(both);
  const std::string svg_both((std::istreambuf_iterator<char>(in_both)), std::istreambuf_iterator<char>());
  EXPECT_NE(svg_both.find("f′(x)"), std::string::npos);  // the right panel's axis label
  Json o = parse(run_actlab({"act", "plot", "tanh", "--no-derivative", "--out", one, "--json"}).out);
  EXPECT_EQ(o["series"], Json::array({"tanh"}));
  std::filesystem::remove_all(dir);
  expect_bad_input({"act", "plot", "relu", "--out", "x.gif"}, "gif");
  expect_bad_input({"act", "plot", "relu", "--out", "x.svg", "--range", "3:1"}, "--range");
  expect_bad_input({"act", "plot", "relu", "--out", "x.svg", "--param", "p=2"}, "--param p: no activation");
  expect_bad_input({"act", "plot", "softmax", "--out", "x.svg"}, "row-wise");
}

}  // namespace
}  // namespace actlab::cli
