// Training one network on real data: a plan in, a result value out (docs/training.md).
//
//   lab::TrainPlan p;
//   p.data = {.source = "iris", .test = 0.3, .seed = 3};
//   p.model = {.spec = "mlp:16x3", .acts = "relu", .init = "he", .seed = 3};
//   p.options.epochs = 40;  p.options.optimizer.lr = 0.02;
//   auto r = lab::train(p, [](const nn::EpochStats& e) { return true; });
//   r->report.epochs;  r->test.accuracy;  r->model;  r->plan.to_json();
//
// The data go through data::prepare; the model through lab::build_model (a file, or an architecture with
// its activations and initialisation); the loss follows the task unless the plan names one. The model comes
// back with its input standardisation attached, so a saved file predicts on raw inputs.
#pragma once

#include <cmath>
#include <functional>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "core/status.hpp"
#include "data/prepare.hpp"
#include "lab/model.hpp"
#include "nn/trainer.hpp"

namespace actlab::lab {

struct TrainPlan {
  data::DataPlan data;
  ModelPlan model;                   // model.seed is the weights' seed
  nn::TrainOptions options;          // options.loss is ignored unless `loss` is set
  std::optional<nn::LossKind> loss;  // default: cross-entropy for classification, MSE for regression

  // Everything needed to run it again.
  Json to_json() const;
};

struct TrainResult {
  TrainPlan plan;
  std::string data;  // the data set's name
  std::size_t train_rows = 0, val_rows = 0, test_rows = 0;
  bool classification = true;
  nn::LossKind loss = nn::LossKind::kCrossEntropy;
  InitRecommendation init;     // what the model got (empty scheme for a model file)
  nn::Model<float> model;      // trained; input scaling attached when standardised
  std::size_t parameters = 0;  // the model's parameter count
  nn::TrainReport report;
  nn::Evaluation test{std::nan(""), std::nan("")};  // NaN without test rows or after divergence

  bool diverged() const { return report.stop_reason == nn::StopReason::kDiverged; }
};

// Errors name the plan's field: data's (source, val, test, ...), model, act, init, loss, epochs, threads.
Result<TrainResult> train(const TrainPlan& plan, const nn::EpochCallback& on_epoch = {});
// The same on a data set already in memory (numpy arrays from Python): plan.data's source, target, rows and
// data_seed are not read; its split, standardisation and seed are.
Result<TrainResult> train(const TrainPlan& plan, data::Dataset data, const nn::EpochCallback& on_epoch = {});

// What `actlab train --json` prints: data, rows, model, parameters, init, optimizer, status, the epochs, the
// test scores, the seconds and the plan.
Json train_json(const TrainResult& r);
// The model file `actlab train --out` writes: the model, with the data set it was trained on, its
// initialisation and input scale.
Json model_file_json(const TrainResult& r);

// What a study of many runs keeps of one (compare, the laboratory's stages): the scores, not the model.
struct RunSummary {
  std::string data;
  std::size_t train_rows = 0, val_rows = 0, test_rows = 0;
  bool classification = true;
  Json init = nullptr;  // the InitRecommendation's JSON (null for a model file)
  bool diverged = false;
  std::string stop;  // nn::stop_reason_name
  int epochs = 0;    // epochs run
  // The last epoch's validation scores and the test scores (NaN where there are none or after divergence).
  double val_loss = std::nan(""), val_acc = std::nan(""), test_loss = std::nan(""), test_acc = std::nan("");
  Json to_json() const;
  static Result<RunSummary> from_json(const Json& j);
};
RunSummary summarize(const TrainResult& r);
// Runs one plan (by default lab::train, then summarize); a laboratory passes one that remembers finished
// runs, so a resumed stage does not train them again.
using TrainRunner = std::function<Result<RunSummary>(const TrainPlan&, const nn::EpochCallback&)>;
Result<RunSummary> train_summary(const TrainPlan& plan, const nn::EpochCallback& on_epoch = {});

// A model file as a model in memory: an actlab model (.json), or an ONNX graph of a multilayer perceptron
// (.onnx, as shallow/onnx.hpp imports it: affine layers with ReLU between them, no input scaling). Errors:
// the file's own, located in it.
Result<nn::Model<float>> load_model_file(const std::string& path);

// A model file on every row of a data set (data::load_source of `data`), through the model's own input
// scaling.
struct EvalResult {
  std::string model, data;
  std::size_t rows = 0;
  bool classification = true;
  nn::Evaluation evaluation;  // accuracy NaN for regression
};
// Errors: the file's (located), the source's, and a data set that does not fit the model (field "source").
// model_path: as load_model_file reads it.
Result<EvalResult> evaluate_model(const std::string& model_path, const data::DataPlan& data);
// The same for a model and a data set in memory (raw inputs: the model's input scaling is applied); `name`
// names the data set in messages. The result's `model` is empty.
Result<EvalResult> evaluate_model(nn::Model<float>& model, data::Dataset ds, const std::string& name);

// A model file's outputs for one raw input (the model's input scaling applied).
struct Prediction {
  std::vector<double> output;
  std::optional<std::size_t> argmax;  // when there is more than one output
};
// Errors: the file's, and an input of the wrong length (field "x").
Result<Prediction> predict(const std::string& model_path, const std::vector<double>& x);

}  // namespace actlab::lab
