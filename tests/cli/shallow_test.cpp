// actlab shallow convert | verify | eval | regions and actlab explain, through the real executable.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::testing {
namespace {

std::string random_model(const TempDir& dir, const std::string& arch, int seed,
                         const std::string& ints = "") {
  const std::string path = dir / (arch + "_" + std::to_string(seed) + ".json");
  std::vector<std::string> args{"model", "random", "--arch", arch, "--seed", std::to_string(seed),
                                "--out", path};
  if (!ints.empty()) {
    args.push_back("--integer-weights");
    args.push_back(ints);
  }
  EXPECT_EQ(run_actlab(args).exit_code, 0);
  return path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ShallowCli, ConvertVerifiesOnRandomAndBoundaryPoints) {
  TempDir dir;
  for (const std::string arch : {"2-5-1", "2-4-4-1", "2-3-3-3-1"}) {
    const std::string m = random_model(dir, arch, 3, "-3:3");
    const Json c = run_json({"shallow", "convert", "--model", m, "--out", dir / "s.json", "--json"});
    for (const char* key :
         {"hidden_neurons", "input_dim", "regions", "full_dim_regions", "rows", "lps", "seconds"})
      EXPECT_TRUE(c.contains(key)) << key;
    EXPECT_GE(c["regions"].get<int>(), c["full_dim_regions"].get<int>());
    const Json v = run_json(
        {"shallow", "verify", "--model", m, "--shallow", dir / "s.json", "--points", "300", "--json"});
    EXPECT_EQ(v["points"], 300);
    EXPECT_EQ(v["mismatches"], 0) << arch;
    EXPECT_EQ(v["nan"], 0);
    EXPECT_EQ(v["open_gates_not_one"], 0);
    const Json b = run_json({"shallow", "verify", "--model", m, "--shallow", dir / "s.json", "--points",
                             "300", "--boundary", "--json"});
    EXPECT_GT(b["points"].get<int>(), 0);
    EXPECT_EQ(b["mismatches"], 0) << arch << " (boundary)";
    EXPECT_EQ(b["open_gates_not_one"], 0) << arch << " (boundary)";
    // DFS and brute force agree on the counts.
    const Json br = run_json(
        {"shallow", "convert", "--model", m, "--out", dir / "b.json", "--method", "brute", "--json"});
    EXPECT_EQ(br["regions"], c["regions"]);
    EXPECT_EQ(br["rows"], c["rows"]);
  }
}

TEST(ShallowCli, OneHiddenLayerCountAndEvalAgreesWithPredict) {
  TempDir dir;
  const std::string m = dir / "m.json";  // He init has zero biases (a central arrangement: 2N = 24 regions)
  ASSERT_EQ(run_actlab({"model", "random", "--arch", "2-12-1", "--init", "gaussian:sigma_w=1,sigma_b=0.5",
                        "--seed", "7", "--out", m})
                .exit_code,
            0);
  const Json c = run_json({"shallow", "convert", "--model", m, "--out", dir / "s.json", "--json"});
  EXPECT_EQ(c["regions"], 79);  // general position: 1 + 12 + C(12, 2)
  const Json central = run_json(
      {"shallow", "convert", "--model", random_model(dir, "2-12-1", 7), "--out", dir / "c.json", "--json"});
  EXPECT_EQ(central["regions"], 24);
  const Json e = run_json({"shallow", "eval", "--shallow", dir / "s.json", "--x", "0.5,-1.25", "--json"});
  const Json p = run_json({"predict", "--model", m, "--x", "0.5,-1.25", "--json"});
  EXPECT_NEAR(e["output"][0].get<double>(), p["output"][0].get<double>(), 1e-5);
  EXPECT_EQ(e["open_gates"], 1);
}

// Piecewise-linear activations: `model random --act ...`, then convert and verify, as for ReLU.
TEST(ShallowCli, PiecewiseLinearActivationsConvertAndVerify) {
  TempDir dir;
  // leaky_relu with its slope set to 0.3 in the model file (the file's "params" are what the model uses).
  const std::string m = dir / "leaky.json";
  ASSERT_EQ(
      run_actlab({"model", "random", "--arch", "2-5-4-1", "--act", "leaky_relu", "--seed", "3", "--out", m})
          .exit_code,
      0);
  Json model = Json::parse(read_file(m));
  int edited = 0;
  for (Json& layer : model["layers"]) {
    if (layer["type"] == "activation" && layer["name"] == "leaky_relu") {
      layer["params"]["negative_slope"] = 0.3;
      ++edited;
    }
  }
  ASSERT_EQ(edited, 2);
  { std::ofstream(m) << model.dump(); }
  const Json c = run_json({"shallow", "convert", "--model", m, "--out", dir / "s.json", "--json"});
  EXPECT_EQ(c["hidden_neurons"], 18);  // relu(t) and relu(−t) per neuron
  const Json v =
      run_json({"shallow", "verify", "--model", m, "--shallow", dir / "s.json", "--points", "500", "--json"});
  EXPECT_EQ(v["points"], 500);
  EXPECT_EQ(v["mismatches"], 0);
  EXPECT_EQ(v["nan"], 0);
  EXPECT_EQ(v["open_gates_not_one"], 0);
  for (const char* x : {"0.5,-1.25", "-2,0.3", "1.7,2.2"}) {
    const Json e = run_json({"shallow", "eval", "--shallow", dir / "s.json", "--x", x, "--json"});
    const Json p = run_json({"predict", "--model", m, "--x", x, "--json"});
    EXPECT_NEAR(e["output"][0].get<double>(), p["output"][0].get<double>(),
                1e-5 * (1 + std::abs(p["output"][0].get<double>())))
        << x;
    EXPECT_EQ(e["open_gates"], 1);
  }
  // Integer weights with hardtanh, relu6 and abs: verified on points exactly on their hinges too.
  for (const char* act : {"hardtanh", "relu6", "abs"}) {
    const std::string mi = dir / (std::string(act) + ".json");
    ASSERT_EQ(run_actlab({"model", "random", "--arch", "2-4-3-1", "--act", act, "--integer-weights", "-3:3",
                          "--seed", "2", "--out", mi})
                  .exit_code,
              0);
    run_json({"shallow", "convert", "--model", mi, "--out", dir / "si.json", "--json"});
    for (const bool boundary : {false, true}) {
      std::vector<std::string> args{"shallow",       "verify",   "--model", mi,      "--shallow",
                                    dir / "si.json", "--points", "300",     "--json"};
      if (boundary) args.push_back("--boundary");
      const Json b = run_json(args);
      EXPECT_GT(b["points"].get<int>(), 0) << act;
      EXPECT_EQ(b["mismatches"], 0) << act << (boundary ? " (boundary)" : "");
      EXPECT_EQ(b["nan"], 0) << act;
      EXPECT_EQ(b["open_gates_not_one"], 0) << act << (boundary ? " (boundary)" : "");
    }
  }
}

TEST(ShallowCli, RegionsListsPatternsAndPlots) {
  TempDir dir;
  const std::string m = random_model(dir, "2-4-4-1", 2);
  const Json j = run_json({"shallow", "regions", "--model", m, "--box", "-2:2", "--json"});
  ASSERT_GT(j["count"].get<int>(), 0);
  EXPECT_EQ(j["regions"].size(), j["count"].get<std::size_t>());
  EXPECT_EQ(j["regions"][0]["pattern"].get<std::string>().size(), 8u);
  auto r = run_actlab({"shallow", "regions", "--model", m, "--plot", dir / "r.svg", "--grid", "40"});
  if (r.exit_code == 0) {
    EXPECT_GT(std::filesystem::file_size(dir / "r.svg"), 1000u);
  } else {
    EXPECT_NE(r.err.find("gnuplot"), std::string::npos) << r.err;  // only when gnuplot is missing
  }
  // At the default 300 × 300 grid the SVG embeds one PNG raster (it held 90000 points, 9.4 MB, before).
  const std::string big = random_model(dir, "2-8-8-1", 1);
  r = run_actlab({"shallow", "regions", "--model", big, "--plot", dir / "big.svg"});
  if (r.exit_code == 0) {
    EXPECT_LT(std::filesystem::file_size(dir / "big.svg"), 200'000u);
    const std::string svg = read_file(dir / "big.svg");
    EXPECT_NE(svg.find("data:image/png;base64,"), std::string::npos);
    EXPECT_NE(svg.find("<text>x1</text>"), std::string::npos);  // the axes keep their labels
    EXPECT_NE(svg.find("<text>x2</text>"), std::string::npos);
  }
}

TEST(ShallowCli, ExplainIsExactAndEfficient) {
  TempDir dir;
  const std::string m = random_model(dir, "3-6-6-1", 4);
  {
    std::ofstream bg(dir / "bg.csv");
    bg << "a,b,c\n0,0,0\n1,-1,0.5\n-0.5,2,1\n0.25,0.25,-2\n";
  }
  const Json j =
      run_json({"explain", "--model", m, "--x", "0.3,-0.7,1.1", "--background", dir / "bg.csv", "--json"});
  ASSERT_EQ(j["phi"].size(), 3u);
  EXPECT_EQ(j["method"], "exact");
  EXPECT_LT(j["efficiency_error"].get<double>(), 1e-9);
  double sum = 0;
  for (const Json& v : j["phi"]) sum += v.get<double>();
  EXPECT_NEAR(sum, j["fx"].get<double>() - j["base_value"].get<double>(), 1e-9);
  const Json s = run_json({"explain", "--model", m, "--x", "0.3,-0.7,1.1", "--background", dir / "bg.csv",
                           "--method", "sampling", "--samples", "50", "--json"});
  EXPECT_EQ(s["method"], "sampling (approximate)");
}

TEST(ShallowCli, BadInputExitsTwoNamingTheProblem) {
  TempDir dir;
  const std::string tanh_model = dir / "t.json";
  ASSERT_EQ(
      run_actlab({"model", "random", "--arch", "2-4-1", "--act", "tanh", "--seed", "1", "--out", tanh_model})
          .exit_code,
      0);
  auto r = run_actlab({"shallow", "convert", "--model", tanh_model, "--out", dir / "s.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("layers[1] (activation): activation 'tanh' is not piecewise linear"),
            std::string::npos)
      << r.err;

  const std::string m = random_model(dir, "2-12-1", 1);
  r = run_actlab({"shallow", "convert", "--model", m, "--out", dir / "s.json", "--max-regions", "20"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("stopped after 20 regions"), std::string::npos) << r.err;

  { std::ofstream(dir / "wide.csv") << "1,2,3\n"; }
  r = run_actlab({"explain", "--model", m, "--x", "1,2", "--background", dir / "wide.csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("3 values, the network's input has 2"), std::string::npos) << r.err;

  r = run_actlab({"shallow", "eval", "--shallow", dir / "missing.json", "--x", "1,2"});
  EXPECT_EQ(r.exit_code, 2);
  r = run_actlab({"shallow", "convert", "--model", m, "--out", dir / "s.json", "--method", "magic"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--method"), std::string::npos);
  expect_bad_input({"shallow", "convert", "--model", m, "--out", dir / "s.json", "--threads", "0"},
                   "--threads");
  expect_bad_input({"shallow", "regions", "--model", m, "--threads", "0"}, "--threads");
}

TEST(ShallowCli, ThreadsGiveTheSameShallowNetworkAndRegions) {
  TempDir dir;
  for (const std::string arch : {"3-8-6-1", "2-6-6-6-1"}) {
    const std::string m = random_model(dir, arch, 4);
    Json list1;
    for (const char* threads : {"1", "2", "3"}) {
      const std::string out = dir / (std::string("s") + threads + ".json");
      const Json c =
          run_json({"shallow", "convert", "--model", m, "--out", out, "--threads", threads, "--json"});
      EXPECT_GT(c["regions"].get<int>(), 0);
      EXPECT_EQ(read_file(out), read_file(dir / "s1.json")) << arch << ", --threads " << threads;
      const Json list = run_json({"shallow", "regions", "--model", m, "--threads", threads, "--json"});
      if (list1.is_null()) list1 = list;
      EXPECT_EQ(list["regions"], list1["regions"]) << arch << ", --threads " << threads;
      EXPECT_EQ(list["lps"], list1["lps"]);
    }
  }
}

}  // namespace
}  // namespace actlab::testing
