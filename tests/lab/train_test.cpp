// lab::train without the CLI: plan in, result value out.
#include "lab/train.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "data/builtin.hpp"
#include "nn/init.hpp"
#include "nn/model.hpp"

namespace actlab::lab {
namespace {

TrainPlan iris_plan() {
  TrainPlan p;
  p.data = {.source = "iris", .test = 0.3, .val = 0.2, .seed = 3};
  p.model = {.spec = "mlp:16x3", .acts = "relu", .init = "he", .seed = 3};
  p.options.epochs = 40;
  p.options.optimizer.lr = 0.02;
  p.options.seed = 3;
  return p;
}

TEST(Train, LearnsIrisAndRecordsThePlan) {
  int calls = 0;
  auto r = train(iris_plan(), [&](const nn::EpochStats&) {
    ++calls;
    return true;
  });
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(calls, 40);
  EXPECT_EQ(r->data, "iris");
  EXPECT_EQ(r->train_rows + r->val_rows + r->test_rows, 150u);
  EXPECT_EQ(r->report.stop_reason, nn::StopReason::kCompleted);
  EXPECT_GT(r->test.accuracy, 0.85);
  EXPECT_EQ(r->loss, nn::LossKind::kCrossEntropy);
  ASSERT_TRUE(r->model.input_scaling());  // standardised per feature, attached for raw inputs
  const Json j = r->plan.to_json();
  EXPECT_EQ(j["data"]["source"], "iris");
  EXPECT_EQ(j["model"]["init"], "he");
  EXPECT_EQ(j["threads"], 1);
}

TEST(Train, SamePlanSameNumbers) {
  auto a = train(iris_plan()), b = train(iris_plan());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->report.epochs.size(), b->report.epochs.size());
  EXPECT_EQ(a->report.epochs.back().train_loss, b->report.epochs.back().train_loss);
  EXPECT_EQ(a->test.accuracy, b->test.accuracy);
}

// A data set already in memory (the Python package's numpy arrays) trains exactly as the same source read
// from its name: same split, standardisation, epochs and scores; the model evaluates the same in memory.
TEST(Train, InMemoryDataSetTrainsAsItsSource) {
  auto ds = data::load("iris");
  ASSERT_TRUE(ds);
  auto a = train(iris_plan()), b = train(iris_plan(), *ds);
  ASSERT_TRUE(a && b) << b.status().message();
  ASSERT_EQ(a->report.epochs.size(), b->report.epochs.size());
  for (std::size_t e = 0; e < a->report.epochs.size(); ++e)
    EXPECT_EQ(a->report.epochs[e].train_loss, b->report.epochs[e].train_loss);
  EXPECT_EQ(a->test.accuracy, b->test.accuracy);
  EXPECT_EQ(train_json(*a)["epochs"].size(), 40u);
  EXPECT_EQ(model_file_json(*b)["trained_on"], "iris");
  auto ev = evaluate_model(b->model, *ds, "iris");
  ASSERT_TRUE(ev) << ev.status().message();
  EXPECT_EQ(ev->rows, 150u);
  EXPECT_GT(ev->evaluation.accuracy, 0.85);
}

// ONNX files (torch.onnx.export of an MLP, tools/gen_shallow_onnx.py) load as models that predict PyTorch's
// recorded outputs.
TEST(Train, OnnxFileLoadsAsAModel) {
  const std::string dir = std::string(ACTLAB_SOURCE_DIR) + "/tests/golden/shallow/";
  auto m = load_model_file(dir + "mlp_gemm.onnx");
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(m->input_shape().size(), 2);
  auto p = predict(dir + "mlp_gemm.onnx", {-0.673102449353364, -1.2095324094556403});
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_NEAR(p->output[0], -0.34873602757920086, 1e-6);  // PyTorch's output (onnx_reference.json)
  auto bad = load_model_file(dir + "mlp_tanh.onnx");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("not supported"), std::string::npos);
}

TEST(Train, CallbackCanStopAndDivergenceIsAResult) {
  auto stopped = train(iris_plan(), [](const nn::EpochStats& e) { return e.epoch < 3; });
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->report.stop_reason, nn::StopReason::kStopped);
  EXPECT_EQ(stopped->report.epochs.size(), 3u);
  TrainPlan p;  // plain SGD with a huge step on a regression: the loss overflows
  p.data = {.source = "poly:x*y", .rows = 64, .seed = 0};
  p.model = {.spec = "mlp:8x3"};
  p.options.optimizer.kind = optim::OptimizerKind::kSgd;
  p.options.optimizer.lr = 1e12;
  p.options.epochs = 20;
  auto d = train(p);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_TRUE(d->diverged());
  EXPECT_GE(d->report.diverged_epoch, 1);
  EXPECT_TRUE(std::isnan(d->test.loss));  // never evaluated after divergence
}

TEST(Train, RegressionTakesMseAndBadPlansNameTheField) {
  TrainPlan p;
  p.data = {.source = "poly:x*y", .rows = 200, .test = 0.25, .seed = 1};
  p.model = {.spec = "mlp:8x2", .acts = "tanh", .init = "glorot", .seed = 1};
  p.options.epochs = 3;
  auto r = train(p);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_FALSE(r->classification);
  EXPECT_EQ(r->loss, nn::LossKind::kMse);
  EXPECT_TRUE(std::isnan(r->test.accuracy));
  EXPECT_TRUE(std::isfinite(r->test.loss));
  p.loss = nn::LossKind::kCrossEntropy;
  EXPECT_EQ(train(p).status().field(), "loss");
  p = iris_plan();
  p.options.epochs = 0;
  EXPECT_EQ(train(p).status().field(), "epochs");
  p = iris_plan();
  p.model.init = "critical:sigma_b=x";
  EXPECT_EQ(train(p).status().field(), "init");
  p = iris_plan();
  p.data.source = "irsi";
  EXPECT_FALSE(train(p));
}

TEST(Train, SavedModelEvaluatesAndPredictsOnRawInputs) {
  auto r = train(iris_plan());
  ASSERT_TRUE(r) << r.status().message();
  const std::string path = ::testing::TempDir() + "lab_train_iris.json";
  ASSERT_TRUE(nn::save_model(r->model, path).is_ok());
  data::DataPlan source;
  source.source = "iris";
  auto e = evaluate_model(path, source);
  ASSERT_TRUE(e) << e.status().message();
  EXPECT_EQ(e->rows, 150u);
  EXPECT_TRUE(e->classification);
  EXPECT_GT(e->evaluation.accuracy, 0.85);  // every row, through the model's own standardisation
  auto raw = data::load("iris");
  std::vector<double> x0;
  for (Eigen::Index j = 0; j < raw->x.cols(); ++j) x0.push_back(raw->x(0, j));
  auto p = predict(path, x0);
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_EQ(p->output.size(), 3u);
  ASSERT_TRUE(p->argmax);
  EXPECT_EQ(*p->argmax, 0u);  // row 0 is a setosa, which this net gets right
  EXPECT_EQ(predict(path, {1.0, 2.0}).status().field(), "x");
  source.source = "wine";  // 13 features: does not fit
  EXPECT_EQ(evaluate_model(path, source).status().field(), "source");
}

TEST(Train, MissingValuesTrainButDoNotEvaluateFromAFile) {
  // PimaIndiansDiabetes2 has 652 NAs: data::prepare fills them for training, a saved model cannot.
  TrainPlan p = iris_plan();
  p.data.source = "pima-diabetes-2";
  p.options.epochs = 2;
  auto r = train(p);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(std::isfinite(r->report.epochs.back().train_loss));
  const std::string path = ::testing::TempDir() + "lab_train_pima2.json";
  ASSERT_TRUE(nn::save_model(r->model, path).is_ok());
  data::DataPlan source;
  source.source = "pima-diabetes-2";
  auto e = evaluate_model(path, source);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.status().field(), "source");
  EXPECT_NE(e.status().message().find("652 missing feature values"), std::string::npos)
      << e.status().message();
}

// The summary a study keeps of a run: the last epoch's validation scores and the test scores, and the same
// summary back from its JSON (NaN as null and back).
TEST(Train, SummaryKeepsTheScoresAndRoundTrips) {
  auto r = train(iris_plan());
  ASSERT_TRUE(r) << r.status().message();
  const RunSummary s = summarize(*r);
  EXPECT_EQ(s.data, "iris");
  EXPECT_EQ(s.epochs, 40);
  EXPECT_EQ(s.stop, "completed");
  EXPECT_FALSE(s.diverged);
  EXPECT_EQ(s.val_acc, r->report.epochs.back().val_acc);
  EXPECT_EQ(s.val_loss, r->report.epochs.back().val_loss);
  EXPECT_EQ(s.test_acc, r->test.accuracy);
  EXPECT_EQ(s.init, Json("he"));  // a named scheme records its name
  auto same = train_summary(iris_plan());
  ASSERT_TRUE(same);
  EXPECT_EQ(same->to_json(), s.to_json());

  RunSummary nan = s;
  nan.diverged = true;
  nan.val_acc = nan.val_loss = nan.test_acc = std::nan("");
  const Json j = nan.to_json();
  EXPECT_TRUE(j["val_acc"].is_null());
  auto back = RunSummary::from_json(j);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_TRUE(std::isnan(back->val_acc));
  EXPECT_EQ(back->test_loss, s.test_loss);
  EXPECT_EQ(back->to_json(), j);
  EXPECT_FALSE(RunSummary::from_json(Json{{"data", "iris"}}));
}

}  // namespace
}  // namespace actlab::lab
