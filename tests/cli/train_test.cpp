// actlab train | eval | predict | model random, through the real executable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <fstream>
#include <string>

#include "core/json.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace actlab::testing {
namespace {

Json read_json(const std::string& path) {
  std::ifstream in(path);
  return Json::parse(in);
}

TEST(TrainCli, TrainsIrisAndReportsEveryEpoch) {
  TempDir dir;
  const Json j =
      run_json({"train", "--data", "iris", "--model", "mlp:16x3", "--epochs", "40", "--lr", "0.02", "--seed",
                "3", "--val", "0.2", "--test", "0.3", "--out", dir / "m.json", "--json"});
  EXPECT_EQ(j["status"], "completed");
  ASSERT_EQ(j["epochs"].size(), 40u);
  for (const char* key : {"epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc"}) {
    EXPECT_TRUE(j["epochs"][0].contains(key)) << key;
  }
  EXPECT_EQ(j["rows"]["train"].get<int>() + j["rows"]["val"].get<int>() + j["rows"]["test"].get<int>(), 150);
  EXPECT_LT(j["epochs"].back()["train_loss"].get<double>(), j["epochs"][0]["train_loss"].get<double>());
  EXPECT_GT(j["test_acc"].get<double>(), 0.8);
  // The saved model evaluates on the same data with its standardisation.
  const Json ev = run_json({"eval", "--model", dir / "m.json", "--data", "iris", "--json"});
  EXPECT_EQ(ev["rows"], 150);
  EXPECT_GT(ev["accuracy"].get<double>(), 0.8);
  // Same seed, same numbers.
  const Json again = run_json({"train", "--data", "iris", "--model", "mlp:16x3", "--epochs", "40", "--lr",
                               "0.02", "--seed", "3", "--val", "0.2", "--test", "0.3", "--json"});
  EXPECT_EQ(again["epochs"].back()["train_loss"], j["epochs"].back()["train_loss"]);
  EXPECT_EQ(again["test_acc"], j["test_acc"]);
  EXPECT_EQ(j["threads"], 1);
  EXPECT_EQ(j["lr_schedule"], "constant");
  // A per-epoch schedule: StepLR halving every 10 epochs.
  const Json step = run_json({"train", "--data", "iris", "--model", "mlp:16x3", "--epochs", "25", "--lr",
                              "0.02", "--lr-schedule", "step:every=10,gamma=0.5", "--seed", "3", "--json"});
  EXPECT_EQ(step["lr_schedule"], "step:every=10,gamma=0.5");
  EXPECT_DOUBLE_EQ(step["epochs"][9]["lr"].get<double>(), 0.02);
  EXPECT_DOUBLE_EQ(step["epochs"][10]["lr"].get<double>(), 0.01);
  EXPECT_DOUBLE_EQ(step["epochs"][24]["lr"].get<double>(), 0.005);
}

TEST(TrainCli, ThreadsSplitTheBatchAndRepeatThemselves) {
  // 700 training rows (--test 0.3), full batch: 2 shards of 350 rows. Same seed and thread count, same
  // numbers; and the numbers follow the single-threaded run to float rounding.
  const std::vector<std::string> args = {"train",   "--data",   "blobs:k=3,d=16", "--rows", "1000",
                                         "--model", "mlp:32x4", "--epochs",       "15",     "--seed",
                                         "2",       "--json"};
  auto with = [&](const char* threads) {
    std::vector<std::string> a = args;
    a.insert(a.end(), {"--threads", threads});
    return run_json(a);
  };
  const Json one = with("1"), two = with("2"), again = with("2");
  EXPECT_EQ(two["threads"], 2);
  EXPECT_EQ(two["epochs"].back()["train_loss"], again["epochs"].back()["train_loss"]);
  EXPECT_EQ(two["test_acc"], again["test_acc"]);
  for (std::size_t e = 0; e < 15; ++e) {
    const double a = one["epochs"][e]["train_loss"].get<double>(),
                 b = two["epochs"][e]["train_loss"].get<double>();
    EXPECT_NEAR(b, a, 1e-5 * a) << "epoch " << e + 1;
  }
}

TEST(TrainCli, CriticalInitialisationComesFromTheory) {
  // ReLU: the scale-invariant class, C_W = 2 → σ_w = √2; tanh: the K* = 0 class, C_W = 1.
  Json j = run_json({"train", "--data", "iris", "--model", "mlp:8x3", "--act", "relu,tanh", "--init",
                     "critical", "--epochs", "1", "--json"});
  ASSERT_EQ(j["init"]["layers"].size(), 3u);
  EXPECT_NEAR(j["init"]["layers"][0]["sigma_w"].get<double>(), std::sqrt(2.0),
              1e-9);  // first layer: its own relu
  EXPECT_NEAR(j["init"]["layers"][1]["sigma_w"].get<double>(), std::sqrt(2.0), 1e-9);  // fed by relu
  EXPECT_NEAR(j["init"]["layers"][2]["sigma_w"].get<double>(), 1.0, 1e-9);             // fed by tanh
  EXPECT_EQ(j["init"]["layers"][0]["verdict"], "critical");
  EXPECT_EQ(j["init"]["input_scale"], 1.0);
  // critical:sigma_b=B is the EOC point of `theory eoc` at that σ_b.
  const Json eoc = run_json({"theory", "eoc", "tanh", "--sigma-b", "0.3", "--json"});
  j = run_json({"train", "--data", "iris", "--model", "mlp:8x3", "--act", "tanh", "--init",
                "critical:sigma_b=0.3", "--epochs", "1", "--json"});
  EXPECT_NEAR(j["init"]["layers"][1]["sigma_w"].get<double>(), eoc["points"][0]["sigma_w"].get<double>(),
              1e-9);
  EXPECT_DOUBLE_EQ(j["init"]["layers"][1]["sigma_b"].get<double>(), 0.3);
  // ReLU has an edge of chaos only at σ_b = 0.
  auto r = run_actlab(
      {"train", "--data", "iris", "--act", "relu", "--init", "critical:sigma_b=0.3", "--epochs", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no edge of chaos"), std::string::npos) << r.err;
}

TEST(TrainCli, DivergenceIsReportedNotPropagated) {
  auto r = run_actlab({"train", "--data", "poly:x*y", "--rows", "64", "--model", "mlp:8x3", "--opt", "sgd",
                       "--lr", "1e12", "--epochs", "20", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["status"], "diverged");
  EXPECT_GE(j["diverged_epoch"].get<int>(), 1);
  r = run_actlab({"train", "--data", "poly:x*y", "--rows", "64", "--model", "mlp:8x3", "--opt", "sgd", "--lr",
                  "1e12", "--epochs", "20"});
  EXPECT_NE(r.out.find("diverged at epoch"), std::string::npos) << r.out;
}

// predict on a random integer-weight network against the forward pass computed here by hand.
TEST(TrainCli, RandomModelAndPredictAgreeWithHandForwardPass) {
  TempDir dir;
  const std::string m = dir / "r.json";
  run_json({"model", "random", "--arch", "2-3-1", "--integer-weights", "-2:2", "--seed", "5", "--out", m,
            "--json"});
  const Json model = read_json(m);
  ASSERT_EQ(model["layers"].size(), 3u);  // dense, relu, dense
  const Json& l1 = model["layers"][0];
  const Json& l2 = model["layers"][2];
  const double x[2] = {0.5, -1.5};
  double out = l2["bias"][0].get<double>();
  for (int h = 0; h < 3; ++h) {
    double z = l1["bias"][h].get<double>();
    for (int i = 0; i < 2; ++i) {
      const double w = l1["weight"][h][i].get<double>();
      EXPECT_EQ(w, std::round(w));
      EXPECT_LE(std::abs(w), 2.0);
      z += w * x[i];
    }
    out += l2["weight"][0][h].get<double>() * std::max(0.0, z);
  }
  const Json p = run_json({"predict", "--model", m, "--x", "0.5,-1.5", "--json"});
  EXPECT_DOUBLE_EQ(p["output"][0].get<double>(), out);
}

// predict and eval read ONNX files (torch.onnx.export of an MLP, tools/gen_shallow_onnx.py): the outputs are
// PyTorch's, recorded when the file was written.
TEST(TrainCli, PredictAndEvalReadOnnxFiles) {
  const std::string golden = std::string(ACTLAB_SOURCE_DIR) + "/tests/golden/shallow/";
  const Json ref = read_json(golden + "onnx_reference.json");
  const Json* gemm = nullptr;
  for (const Json& c : ref["cases"])
    if (c["file"] == "mlp_gemm.onnx") gemm = &c;
  ASSERT_NE(gemm, nullptr);
  TempDir dir;
  std::ofstream csv(dir / "ref.csv");
  csv << "x0,x1,y\n";
  for (std::size_t i = 0; i < (*gemm)["x"].size(); ++i) {
    const Json& x = (*gemm)["x"][i];
    const double y = (*gemm)["y"][i][0].get<double>();
    const Json p = run_json({"predict", "--model", golden + "mlp_gemm.onnx", "--x",
                             json_dump(x[0], false) + "," + json_dump(x[1], false), "--json"});
    EXPECT_NEAR(p["output"][0].get<double>(), y, 1e-5);
    csv << json_dump(x[0], false) << "," << json_dump(x[1], false) << "," << json_dump(y, false) << "\n";
  }
  csv.close();
  const Json ev =
      run_json({"eval", "--model", golden + "mlp_gemm.onnx", "--data", dir / "ref.csv", "--json"});
  EXPECT_EQ(ev["rows"].get<std::size_t>(), (*gemm)["x"].size());
  EXPECT_LT(ev["loss"].get<double>(), 1e-9);  // mean squared difference from PyTorch's outputs
  // train --model continues from the ONNX network (2-8-8-1: 105 parameters).
  const Json tr = run_json({"train", "--model", golden + "mlp_gemm.onnx", "--data", dir / "ref.csv", "--test",
                            "0", "--standardize", "off", "--epochs", "2", "--json"});
  EXPECT_EQ(tr["parameters"].get<int>(), 105);
  EXPECT_LT(tr["epochs"][0]["train_loss"].get<double>(), 1e-9);  // it starts from PyTorch's weights
}

// Ctrl-C (or kill) stops training after the current epoch: the model so far is written to --out, the exit
// code is 128 + N, and the message says how to go on (train again from the model file).
TEST(TrainCli, InterruptKeepsTheModelAndSaysHowToGoOn) {
  TempDir dir;
  const std::string out = dir / "interrupted.json";
  for (int sig : {SIGINT, SIGTERM}) {
    testing::Background w = start_actlab({"train", "--data", "digits", "--model", "mlp:64x3", "--epochs",
                                          "1000000", "--batch", "32", "--out", out, "--seed", "1"});
    ::usleep(1500 * 1000);
    ::kill(w.pid, sig);
    const auto r = w.wait(60);
    EXPECT_EQ(r.exit_code, 128 + sig) << r.err;
    EXPECT_NE(r.err.find("interrupted by"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--model " + out), std::string::npos) << r.err;
    const auto again = run_actlab({"train", "--data", "digits", "--model", out, "--epochs", "1"});
    EXPECT_EQ(again.exit_code, 0) << again.err;
  }
}

TEST(TrainCli, BadInputExitsTwoWithThePlace) {
  TempDir dir;
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  };
  const std::string bad = dir / "bad.json";
  {
    std::ofstream(bad) << R"({"format": "actlab-model", "version": 1, "input_shape": [4],
  "layers": [{"type": "dense", "in": 4, "out": 3, "weight": [[1,2,3,4],[1,2,3,4],[1,2,3,4]], "bias": [0,0,0]},
             {"type": "dense", "in": 5, "out": 3, "weight": [], "bias": []}]})";
  }
  const std::string broken = dir / "broken.json";
  std::ofstream(broken) << "{\n  \"format\": \"actlab-model\",\n  \"layers\": [1, 2,]\n}\n";
  const std::vector<Case> cases = {
      {{"train", "--data", "irsi"}, "iris"},
      {{"train", "--data", "iris", "--model", "mlp:abc"}, "mlp:abc"},
      {{"train", "--data", "iris", "--act", "relu,nosuch"}, "nosuch"},
      {{"train", "--data", "iris", "--batch", "0"}, "--batch"},
      {{"train", "--data", "iris", "--epochs", "0"}, "--epochs"},
      {{"train", "--data", "iris", "--threads", "-2"}, "--threads"},
      {{"train", "--data", "iris", "--lr-schedule", "cosine:min=x"}, "--lr-schedule"},
      {{"train", "--data", "iris", "--model", "mlp:4-8-2"}, "outputs"},
      {{"train", "--data", "iris", "--model", bad}, "layers[1] (dense)"},
      {{"train", "--data", "iris", "--model", broken}, "broken.json:3:"},
      {{"train", "--data", "iris", "--opt", "adagrad"}, "--opt"},
      {{"train", "--data", "iris", "--init", "critical:sigma_b=x"}, "--init"},
      {{"predict", "--model", bad, "--x", "1,2"}, "layers[1]"},
      {{"model", "random", "--arch", "2x3", "--seed", "1", "--out", dir / "x.json"}, "--arch"},
  };
  for (const Case& c : cases) {
    auto r = run_actlab(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[3] << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << "expected '" << c.expect << "' in: " << r.err;
  }
}

}  // namespace
}  // namespace actlab::testing
