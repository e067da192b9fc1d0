// actlab theory eoc | expect | propagate | classify | kernel | phase, run as a user would. Oracles: tanh's
// EOC point σ_b = 0.2 → σ_w = 1.30414584, q* = 0.51207850 (docs/theory.md, "Reference values"; Poole et al.
// 2016, arXiv 1606.05340), ReLU's EOC (0, √2) and the arc-cosine kernel (Cho & Saul 2009).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "report/figure.hpp"
#include "support/process.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::output_json;
using testing::run_actlab;

TEST(TheoryEoc, TanhMatchesTheSpecAndHasTheDocumentedKeys) {
  Json j = output_json(run_actlab({"theory", "eoc", "tanh", "--sigma-b", "0.2", "--json"}));
  ASSERT_EQ(j["points"].size(), 1u);
  const Json& p = j["points"][0];
  for (const char* key : {"sigma_b", "sigma_w", "q_star", "chi1", "dF_dq", "stable", "beta_q", "xi_q"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }
  EXPECT_NEAR(p["sigma_w"].get<double>(), 1.30414584, 5e-8);
  EXPECT_NEAR(p["q_star"].get<double>(), 0.51207850, 5e-8);
  EXPECT_NEAR(p["chi1"].get<double>(), 1.0, 1e-10);
  EXPECT_EQ(p["stable"], true);
  // A grid a:b:n gives n rows, each an EOC point with chi1 = 1.
  Json g = output_json(run_actlab({"theory", "eoc", "x*sigmoid(x)", "--sigma-b", "0.5:1.5:3", "--json"}));
  ASSERT_GE(g["points"].size(), 3u);
  for (const Json& q : g["points"]) EXPECT_NEAR(q["chi1"].get<double>(), 1.0, 1e-10);
}

TEST(TheoryEoc, ReluHasOnlyTheOriginPoint) {
  Json j = output_json(run_actlab({"theory", "eoc", "relu", "--sigma-b", "0", "--json"}));
  ASSERT_EQ(j["points"].size(), 1u);
  EXPECT_NEAR(j["points"][0]["sigma_w"].get<double>(), std::sqrt(2.0), 1e-12);
  expect_bad_input({"theory", "eoc", "relu", "--sigma-b", "0.5"}, "no EOC point");
  expect_bad_input({"theory", "eoc", "tanh", "--sigma-b", "-1"}, "--sigma-b");
  expect_bad_input({"theory", "eoc", "tanh", "--sigma-b", "0:1:0"}, "--sigma-b");
  expect_bad_input({"theory", "eoc", "softmax", "--sigma-b", "0.1"}, "row-wise");
  expect_bad_input({"theory", "eoc", "tahn", "--sigma-b", "0.1"}, "unknown activation 'tahn'; did you mean");
}

TEST(TheoryExpect, ReluArcCosineKernel) {
  Json j = output_json(run_actlab({"theory", "expect", "relu", "--q", "2", "--c", "0.5", "--json"}));
  const double c = 0.5, q = 2;
  EXPECT_NEAR(j["E_phi2"].get<double>(), q / 2, 1e-13);
  EXPECT_NEAR(j["E_dphi2"].get<double>(), 0.5, 1e-13);
  EXPECT_NEAR(j["E_phi_phi"].get<double>(),
              q / (2 * std::numbers::pi) * (std::sqrt(1 - c * c) + (std::numbers::pi - std::acos(c)) * c),
              1e-12);
  EXPECT_NEAR(j["E_dphi_dphi"].get<double>(), (std::numbers::pi - std::acos(c)) / (2 * std::numbers::pi),
              1e-12);
  expect_bad_input({"theory", "expect", "relu", "--q", "-1"}, "--q");
  expect_bad_input({"theory", "expect", "relu", "--q", "1", "--c", "2"}, "--c");
}

TEST(TheoryPropagate, LayersPhaseAndErrors) {
  Json j = output_json(run_actlab({"theory", "propagate", "tanh", "--sigma-w", "1.30414584", "--sigma-b",
                                   "0.2", "--depth", "4", "--c0", "0.5", "--json"}));
  ASSERT_EQ(j["layers"].size(), 5u);
  EXPECT_EQ(j["phase"], "edge");
  EXPECT_NEAR(j["q_star"].get<double>(), 0.51207850, 1e-7);
  EXPECT_EQ(j["layers"][0]["c"], 0.5);
  // Correlations rise towards c* = 1 on the EOC; q^l falls towards q* from q^0 = 1.
  for (int l = 1; l <= 4; ++l) {
    EXPECT_GT(j["layers"][l]["c"].get<double>(), j["layers"][l - 1]["c"].get<double>());
    EXPECT_LT(j["layers"][l]["q"].get<double>(), j["layers"][l - 1]["q"].get<double>());
  }
  Json ordered = output_json(run_actlab(
      {"theory", "propagate", "tanh", "--sigma-w", "0.8", "--sigma-b", "0.1", "--depth", "2", "--json"}));
  EXPECT_EQ(ordered["phase"], "ordered");
  Json chaotic = output_json(run_actlab(
      {"theory", "propagate", "tanh", "--sigma-w", "2.5", "--sigma-b", "0.1", "--depth", "2", "--json"}));
  EXPECT_EQ(chaotic["phase"], "chaotic");
  expect_bad_input({"theory", "propagate", "tanh", "--sigma-w", "0", "--sigma-b", "0", "--depth", "3"},
                   "--sigma-w");
  expect_bad_input({"theory", "propagate", "tanh", "--sigma-w", "1", "--sigma-b", "0", "--depth", "0"},
                   "--depth");
}

}  // namespace
}  // namespace actlab::cli

namespace actlab::cli {
namespace {

// Oracles (Roberts, Yaida & Hanin, "The Principles of Deep Learning Theory", 2022, ch. 5; docs/theory.md,
// "Effective theory"): ReLU C_W = 2; tanh a1 = b1 = -2, critical (0, 1); RePU p = 2, C_W = 1/3, C_b = 0 from
// K = 2.1: 2.205, 2.431, 2.955, 4.37, 9.53, 45.4, 1031.
TEST(TheoryClassify, ClassesAndCriticalPoints) {
  Json relu = output_json(run_actlab({"theory", "classify", "relu", "--json"}));
  EXPECT_EQ(relu["class"], "scale_invariant");
  EXPECT_NEAR(relu["critical"]["C_W"].get<double>(), 2.0, 1e-12);
  Json tanh = output_json(run_actlab({"theory", "classify", "tanh", "--json"}));
  EXPECT_EQ(tanh["class"], "k0");
  EXPECT_NEAR(tanh["a1"].get<double>(), -2.0, 1e-12);
  EXPECT_NEAR(tanh["b1"].get<double>(), -2.0, 1e-12);
  EXPECT_NEAR(tanh["critical"]["C_W"].get<double>(), 1.0, 1e-12);
  Json repu = output_json(run_actlab({"theory", "classify", "repu", "--json"}));
  EXPECT_EQ(repu["class"], "none");
  EXPECT_TRUE(repu["critical"].is_null());
  // (Its speed, the whole catalog in a few seconds, is a measurement in docs/theory.md, not a timed test.)
  Json all = output_json(run_actlab({"theory", "classify", "--all", "--json"}));
  EXPECT_GE(all["activations"].size(), 60u);
  // No half-stable point in the catalog needs C_W > 1e6 or sits in the rounding band of r − 1 at tiny K
  // (hardtanh, relu6 and softshrink used to; docs/theory.md "Known issue").
  for (const Json& a : all["activations"]) {
    if (a.value("class", "") != "half_stable") continue;
    EXPECT_LE(a["critical"]["C_W"].get<double>(), 1e6) << a["activation"];
    EXPECT_GE(a["critical"]["K_star"].get<double>(), 1e-3) << a["activation"];
    EXPECT_NE(a["activation"], "hardtanh");
    EXPECT_NE(a["activation"], "relu6");
  }
  expect_bad_input({"theory", "classify"}, "--all");
  expect_bad_input({"theory", "classify", "relu", "--all"}, "--all");
}

TEST(TheoryKernel, RepuDoubleExponentialBlowUp) {
  Json j = output_json(run_actlab({"theory", "kernel", "repu", "--cw", "0.3333333333333333", "--cb", "0",
                                   "--k0", "2.1", "--depth", "40", "--json"}));
  const std::vector<double> spec = {2.1, 2.205, 2.431, 2.955, 4.37, 9.53, 45.4, 1031};
  for (std::size_t i = 0; i < spec.size(); ++i) {
    EXPECT_NEAR(j["layers"][i]["K"].get<double>(), spec[i], 0.006 * spec[i]) << "layer " << i + 1;
    EXPECT_NEAR(j["layers"][i]["r"].get<double>(), 1.5, 1e-12);  // (2p - 1)/p
  }
  EXPECT_EQ(j["finite"], false);  // overflows long before 40 layers
  expect_bad_input({"theory", "kernel", "tanh", "--cw", "0", "--cb", "0", "--k0", "1", "--depth", "3"},
                   "--cw");
  expect_bad_input({"theory", "kernel", "tanh", "--cw", "1", "--cb", "0", "--k0", "1", "--depth", "0"},
                   "--depth");
}

}  // namespace
}  // namespace actlab::cli

namespace actlab::cli {
namespace {

bool nonempty_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::file_size(path, ec) > 0 && !ec;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("actlab_theory_test_" + name)).string();
}

// ReLU V/K² = 5(l − 1) (docs/theory.md, "Four-point vertex and Monte Carlo"); the Monte Carlo columns, their
// reproducibility and the exact finite-width ReLU law n((1 + 5/n)^(l−1) − 1) within 4 standard errors.
TEST(TheoryKernel, VertexAndMonteCarlo) {
  const std::vector<std::string> args = {"theory", "kernel", "relu", "--cw",    "2", "--cb",
                                         "0",      "--k0",   "1",    "--depth", "4", "--width",
                                         "32",     "--mc",   "1500", "--seed",  "9", "--json"};
  Json j = output_json(run_actlab(args));
  ASSERT_EQ(j["layers"].size(), 4u);
  EXPECT_EQ(j["width"], 32);
  EXPECT_EQ(j["seed"], 9);
  for (const Json& L : j["layers"]) {
    const int l = L["l"].get<int>();
    EXPECT_NEAR(L["V_over_K2"].get<double>(), 5.0 * (l - 1), 1e-11);
    const Json& mc = L["mc"];
    for (const char* key : {"K", "K_se", "V_over_K2", "V_over_K2_se"}) EXPECT_TRUE(mc.contains(key)) << key;
    EXPECT_NEAR(mc["K"].get<double>(), 1.0, 4 * mc["K_se"].get<double>() + 1e-12);
    const double exact = 32 * (std::pow(1 + 5.0 / 32, l - 1) - 1);
    EXPECT_NEAR(mc["V_over_K2"].get<double>(), exact, 4 * mc["V_over_K2_se"].get<double>() + 1e-12) << l;
  }
  Json again = output_json(run_actlab(args));
  EXPECT_EQ(again["layers"][3]["mc"], j["layers"][3]["mc"]);  // same seed, same numbers
  // Without --mc there are no Monte Carlo columns.
  Json plain = output_json(run_actlab(
      {"theory", "kernel", "tanh", "--cw", "1", "--cb", "0", "--k0", "1", "--depth", "3", "--json"}));
  EXPECT_FALSE(plain["layers"][0].contains("mc"));
  EXPECT_TRUE(plain["layers"][2].contains("V_over_K2"));
  const std::vector<std::string> base = {"theory", "kernel", "tanh", "--cw",    "1", "--cb",
                                         "0",      "--k0",   "1",    "--depth", "3"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  expect_bad_input(with({"--width", "0", "--mc", "10"}), "--width");
  expect_bad_input(with({"--width", "-3", "--mc", "10"}), "--width");
  expect_bad_input(with({"--width", "8", "--mc", "0"}), "--mc");
  expect_bad_input(with({"--width", "8"}), "--mc");
  expect_bad_input(with({"--mc", "8"}), "--width");
  expect_bad_input(with({"--width", "100000", "--mc", "1000"}), "lower one of them");
  expect_bad_input({"theory", "kernel", "tanh", "--cw", "1", "--cb", "-1", "--k0", "1", "--depth", "3"},
                   "--cb");
  expect_bad_input({"theory", "kernel", "tanh", "--cw", "1", "--cb", "0", "--k0", "0", "--depth", "3"},
                   "--k0");
}

// Chaotic phase c* < 1 with χ_c = f'(c*) < 1; ordered phase c* = 1 (Schoenholz et al. 2017). Values from the
// tanh σ_b² = 0.05 table of docs/theory.md (σ_w² = 2.5: c* = 0.44680, χ_c = 0.91872, ξ_c = 11.80).
TEST(TheoryPropagate, CorrelationFixedPoint) {
  Json j = output_json(run_actlab({"theory", "propagate", "tanh", "--sigma-w", "1.5811388300841898",
                                   "--sigma-b", "0.22360679774997896", "--depth", "2", "--json"}));
  EXPECT_EQ(j["phase"], "chaotic");
  EXPECT_NEAR(j["c_star"].get<double>(), 0.44680, 1e-5);
  EXPECT_NEAR(j["chi_c"].get<double>(), 0.91872, 1e-5);
  EXPECT_NEAR(j["xi_c"].get<double>(), 11.80, 6e-3);
  Json k = output_json(run_actlab(
      {"theory", "propagate", "tanh", "--sigma-w", "2.5", "--sigma-b", "0.3", "--depth", "2", "--json"}));
  EXPECT_EQ(k["phase"], "chaotic");
  EXPECT_LT(k["c_star"].get<double>(), 1.0);
  Json o = output_json(run_actlab(
      {"theory", "propagate", "tanh", "--sigma-w", "0.8", "--sigma-b", "0.1", "--depth", "2", "--json"}));
  EXPECT_EQ(o["phase"], "ordered");
  EXPECT_EQ(o["c_star"], 1.0);
  expect_bad_input({"theory", "propagate", "tanh", "--sigma-w", "-1", "--sigma-b", "0", "--depth", "3"},
                   "--sigma-w");
  expect_bad_input({"theory", "propagate", "tanh", "--sigma-w", "1", "--sigma-b", "-0.1", "--depth", "3"},
                   "--sigma-b");
  expect_bad_input(
      {"theory", "propagate", "tanh", "--sigma-w", "1", "--sigma-b", "0", "--depth", "3", "--q0", "0"},
      "--q0");
}

TEST(TheoryPlots, EocPropagateKernelWriteFiles) {
  if (!report::gnuplot_available()) GTEST_SKIP() << "gnuplot is not installed";
  const std::string eoc = temp_path("eoc.svg"), prop = temp_path("prop.png"), ker = temp_path("kernel.svg");
  std::filesystem::remove(eoc);
  std::filesystem::remove(prop);
  std::filesystem::remove(ker);
  Json e = output_json(run_actlab({"theory", "eoc", "tanh", "--sigma-b", "0:1:5", "--plot", eoc, "--json"}));
  EXPECT_EQ(e["plot"], eoc);
  EXPECT_TRUE(nonempty_file(eoc));
  output_json(run_actlab({"theory", "propagate", "tanh", "--sigma-w", "1.5", "--sigma-b", "0.1", "--depth",
                          "10", "--plot", prop, "--json"}));
  EXPECT_TRUE(nonempty_file(prop));
  output_json(run_actlab({"theory", "kernel", "repu", "--cw", "0.3333333333333333", "--cb", "0", "--k0",
                          "2.1", "--depth", "8", "--width", "8", "--mc", "20", "--plot", ker, "--json"}));
  EXPECT_TRUE(nonempty_file(ker));
  expect_bad_input({"theory", "eoc", "tanh", "--sigma-b", "0.1", "--plot", temp_path("x.pdf")}, ".pdf");
  for (const auto& p : {eoc, prop, ker}) std::filesystem::remove(p);
}

}  // namespace
}  // namespace actlab::cli

// actlab theory phase (moved from tests/cli/theory_phase_test.cpp; the grid itself is tested in
// tests/theory/phase_test.cpp, the contour lines in tests/report/contour_test.cpp): the picture is written,
// and the JSON grid agrees with direct `theory propagate` calls.
namespace actlab::cli {
namespace {

using testing::output_json;
using testing::run_actlab;

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
  bad({"theory", "phase", "tanh"}, "--plot is required");  // --out: its old spelling
}

// The cases, end to end: σ_w just below √2 at σ_b = 0 is accepted; mish's EOC at σ_b = 0 is marginal,
// not "stable" with ξ_q = 9e15; an activation the quadrature cannot integrate is a located error, not nan.
TEST(TheoryEdges, ValidInputAcceptedAndMarginalSaid) {
  const auto r = run_actlab(
      {"theory", "propagate", "relu", "--sigma-w", "1.41421356", "--sigma-b", "0", "--depth", "5"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const Json e = output_json(run_actlab({"theory", "eoc", "mish", "--sigma-b", "0", "--json"}));
  EXPECT_EQ(e["points"][0]["marginal"], true);
  EXPECT_EQ(e["points"][0]["stable"], false);
  EXPECT_TRUE(e["points"][0]["xi_q"].is_null());
  const auto a = run_actlab({"theory", "expect", "acos", "--q", "1"});
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_EQ(a.out.find("nan"), std::string::npos);
  const Json k = output_json(run_actlab({"theory", "kernel", "repu", "--cw", "0.3333333333333333", "--cb",
                                         "0", "--k0", "1.3", "--depth", "14", "--json"}));
  EXPECT_EQ(k["layers"].size(), 11u);
  EXPECT_EQ(json_dump(k, false).find("nan"), std::string::npos);
  EXPECT_NE(k["verdict"].get<std::string>().find("underflows"), std::string::npos);
}

}  // namespace
}  // namespace actlab::cli
