// One network trained on real data (see train.hpp).
#include "lab/train.hpp"

#include <memory>
#include <utility>

#include "core/json.hpp"
#include "core/thread_pool.hpp"
#include "nn/activation_layer.hpp"
#include "nn/dense.hpp"
#include "optim/optimizer.hpp"
#include "shallow/onnx.hpp"

namespace actlab::lab {

Json TrainPlan::to_json() const {
  const nn::TrainOptions& o = options;
  Json d = {{"source", data.source},
            {"target", data.target},
            {"rows", data.rows},
            {"data_seed", data.data_seed},
            {"test", data.test},
            {"val", data.val},
            {"standardize", data::standardize_name(data.standardize)},
            {"seed", data.seed}};
  Json j = {{"data", std::move(d)},
            {"model",
             {{"spec", model.spec},
              {"acts", model.acts},
              {"init", model.init},
              {"seed", model.seed},
              {"input_scale", model.input_scale ? Json(*model.input_scale) : Json(nullptr)}}},
            {"epochs", o.epochs},
            {"batch", o.batch},
            {"loss", loss ? Json(nn::loss_name(*loss)) : Json("auto")},
            {"optimizer",
             {{"kind", optim::optimizer_kind_name(o.optimizer.kind)},
              {"lr", o.optimizer.lr},
              {"momentum", o.optimizer.momentum},
              {"nesterov", o.optimizer.nesterov},
              {"weight_decay", o.optimizer.weight_decay}}},
            {"lr_schedule", o.schedule.str()},
            {"clip_norm", o.clip_norm},
            {"early_stop",
             {{"rule", o.early_stop.rule == nn::EarlyStop::Rule::kNone              ? "none"
                       : o.early_stop.rule == nn::EarlyStop::Rule::kTrainAccPlateau ? "train-acc"
                                                                                    : "val-loss"},
              {"patience", o.early_stop.patience},
              {"min_delta", o.early_stop.min_delta}}},
            {"seed", o.seed},
            {"threads", o.threads}};
  return j;
}

namespace {

Result<TrainResult> train_prepared(const TrainPlan& plan, Result<data::Prepared> d,
                                   const nn::EpochCallback& on_epoch) {
  if (!d) return d.status();
  const bool classify = d->task() == data::Task::kClassification;

  TrainResult r;
  r.plan = plan;
  r.data = d->name();
  r.train_rows = d->train.rows();
  r.val_rows = d->val.rows();
  r.test_rows = d->test.rows();
  r.classification = classify;

  auto built = build_model(plan.model, nn::Shape{d->input_shape()}, d->train.outputs());
  if (!built) return built.status();
  r.model = std::move(built->model);
  r.init = std::move(built->init);
  r.parameters = r.model.parameter_count();

  nn::TrainOptions o = plan.options;
  o.loss = plan.loss.value_or(classify ? nn::LossKind::kCrossEntropy : nn::LossKind::kMse);
  if ((o.loss == nn::LossKind::kCrossEntropy) != classify) {
    return Status::invalid_field("loss", nn::loss_name(o.loss) + " does not fit " +
                                             (classify ? "a classification" : "a regression") + " data set");
  }
  o.threads = o.threads > 0 ? o.threads : default_thread_count();
  r.plan.options.threads = o.threads;
  r.loss = o.loss;

  nn::Examples val = examples(d->val);
  auto rep = nn::train(r.model, examples(d->train), d->val.rows() > 0 ? &val : nullptr, o, on_epoch);
  if (!rep) return rep.status();
  r.report = std::move(*rep);
  if (d->test.rows() > 0 && !r.diverged())
    r.test = nn::evaluate(r.model, examples(d->test), o.loss, o.threads);
  if (d->standardizer)
    r.model.set_input_scaling(nn::InputScaling{d->standardizer->mean, d->standardizer->scale});
  return r;
}

Status check_options(const TrainPlan& plan) {
  if (plan.options.epochs < 1) return Status::invalid_field("epochs", "must be >= 1");
  if (plan.options.threads < 0) return Status::invalid_field("threads", "must be >= 1, or 0 for every core");
  return Status::ok();
}

}  // namespace

Result<TrainResult> train(const TrainPlan& plan, const nn::EpochCallback& on_epoch) {
  if (Status s = check_options(plan); !s) return s;
  return train_prepared(plan, data::prepare(plan.data), on_epoch);
}

Result<TrainResult> train(const TrainPlan& plan, data::Dataset data, const nn::EpochCallback& on_epoch) {
  if (Status s = check_options(plan); !s) return s;
  return train_prepared(plan, data::prepare(std::move(data), plan.data), on_epoch);
}

Json train_json(const TrainResult& r) {
  const bool classify = r.classification;
  Json epochs = Json::array();
  for (const auto& e : r.report.epochs) {
    Json row = {{"epoch", e.epoch}, {"lr", e.lr}, {"train_loss", json_number(e.train_loss)}};
    if (classify) row["train_acc"] = json_number(e.train_acc);
    if (r.val_rows > 0) {
      row["val_loss"] = json_number(e.val_loss);
      if (classify) row["val_acc"] = json_number(e.val_acc);
    }
    row["seconds"] = e.seconds;
    epochs.push_back(std::move(row));
  }
  const nn::TrainOptions& o = r.plan.options;
  Json j = {{"data", r.data},
            {"rows", {{"train", r.train_rows}, {"val", r.val_rows}, {"test", r.test_rows}}},
            {"model", r.plan.model.spec},
            {"parameters", r.parameters},
            {"init", r.init.scheme.empty() ? Json(nullptr) : r.init.to_json()},
            {"optimizer", optim::optimizer_kind_name(o.optimizer.kind)},
            {"lr_schedule", o.schedule.str()},
            {"threads", o.threads},
            {"status", nn::stop_reason_name(r.report.stop_reason)},
            {"epochs", std::move(epochs)}};
  if (r.diverged()) {
    j["diverged_epoch"] = r.report.diverged_epoch;
    j["message"] = r.report.message;
  }
  if (classify) j["test_acc"] = json_number(r.test.accuracy);
  j["test_loss"] = json_number(r.test.loss);
  j["seconds"] = r.report.seconds;
  j["plan"] = r.plan.to_json();
  return j;
}

Json model_file_json(const TrainResult& r) {
  Json mj = r.model.to_json();
  mj["trained_on"] = r.data;
  if (!r.init.scheme.empty()) mj["init"] = r.init.to_json();
  mj["input_scale"] = r.init.input_scale;
  return mj;
}

Result<nn::Model<float>> load_model_file(const std::string& path) {
  if (!(path.size() >= 5 && path.substr(path.size() - 5) == ".onnx")) return nn::load_model(path);
  auto net = shallow::load_onnx(path);
  if (!net) return net.status();
  const auto& layers = net->layers();
  nn::Model<float> m({{net->input_dim()}});
  auto relu = activations::Activation::make("relu");
  if (!relu) return relu.status();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const shallow::AffineLayer& a = layers[l];
    auto d = std::make_unique<nn::Dense<float>>(static_cast<int>(a.w.cols()), static_cast<int>(a.w.rows()));
    d->weight().value = a.w.cast<float>();
    d->bias().value = a.b.cast<float>().transpose();
    if (Status s = m.add(std::unique_ptr<nn::Layer<float>>(std::move(d))); !s) return s;
    if (l + 1 == layers.size()) break;
    if (Status s = m.add(nn::ActivationLayer<float>::make(*relu, {{static_cast<int>(a.w.rows())}})); !s)
      return s;
  }
  return m;
}

Result<EvalResult> evaluate_model(const std::string& model_path, const data::DataPlan& plan) {
  auto m = load_model_file(model_path);
  if (!m) return m.status();
  auto ds = data::load_source(plan);
  if (!ds) return ds.status();
  auto r = evaluate_model(*m, std::move(*ds), plan.source);
  if (r) r->model = model_path;
  return r;
}

Result<EvalResult> evaluate_model(nn::Model<float>& model, data::Dataset ds, const std::string& name) {
  if (static_cast<int>(ds.features()) != model.input_shape().size() ||
      ds.outputs() != model.output_shape().size()) {
    return Status::invalid_field("source", name + ": " + std::to_string(ds.features()) + " features and " +
                                               std::to_string(ds.outputs()) +
                                               " outputs, but the model takes " + model.input_shape().str() +
                                               " → " + model.output_shape().str());
  }
  // Missing values (R sets, data/frame.hpp) are filled by data::prepare with the training split's means,
  // which a model file does not carry.
  if (const auto nan = ds.x.array().isNaN().count(); nan > 0) {
    return Status::invalid_field("source",
                                 name + ": " + std::to_string(nan) +
                                     " missing feature values; a saved model holds no means to fill "
                                     "them with (evaluate on data without missing values)");
  }
  if (const auto& z = model.input_scaling()) data::Standardizer{z->mean, z->scale}.apply(ds);
  EvalResult r;
  r.data = ds.name;
  r.rows = ds.rows();
  r.classification = ds.task == data::Task::kClassification;
  r.evaluation =
      nn::evaluate(model, examples(ds), r.classification ? nn::LossKind::kCrossEntropy : nn::LossKind::kMse);
  return r;
}

Result<Prediction> predict(const std::string& model_path, const std::vector<double>& xs) {
  auto m = load_model_file(model_path);
  if (!m) return m.status();
  const int in = m->input_shape().size();
  if (static_cast<int>(xs.size()) != in) {
    return Status::invalid_field(
        "x", "the model takes " + std::to_string(in) + " values, got " + std::to_string(xs.size()));
  }
  MatrixF x(1, in);
  for (int i = 0; i < in; ++i) x(0, i) = static_cast<float>(xs[static_cast<std::size_t>(i)]);
  if (const auto& z = m->input_scaling()) x = ((x.array() - z->mean.array()) / z->scale.array()).matrix();
  const MatrixF y = m->predict(x);
  Prediction p;
  for (Eigen::Index i = 0; i < y.cols(); ++i) p.output.push_back(static_cast<double>(y(0, i)));
  if (y.cols() > 1) {
    Eigen::Index arg = 0;
    y.row(0).maxCoeff(&arg);
    p.argmax = static_cast<std::size_t>(arg);
  }
  return p;
}

}  // namespace actlab::lab

namespace actlab::lab {

Json RunSummary::to_json() const {
  auto num = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  return {{"data", data},
          {"train_rows", train_rows},
          {"val_rows", val_rows},
          {"test_rows", test_rows},
          {"classification", classification},
          {"init", init},
          {"diverged", diverged},
          {"stop", stop},
          {"epochs", epochs},
          {"val_loss", num(val_loss)},
          {"val_acc", num(val_acc)},
          {"test_loss", num(test_loss)},
          {"test_acc", num(test_acc)}};
}

Result<RunSummary> RunSummary::from_json(const Json& j) {
  try {
    auto num = [&](const char* k) {
      const Json& v = j.at(k);
      return v.is_null() ? std::nan("") : v.get<double>();
    };
    RunSummary r;
    r.data = j.at("data").get<std::string>();
    r.train_rows = j.at("train_rows").get<std::size_t>();
    r.val_rows = j.at("val_rows").get<std::size_t>();
    r.test_rows = j.at("test_rows").get<std::size_t>();
    r.classification = j.at("classification").get<bool>();
    r.init = j.at("init");
    r.diverged = j.at("diverged").get<bool>();
    r.stop = j.at("stop").get<std::string>();
    r.epochs = j.at("epochs").get<int>();
    r.val_loss = num("val_loss");
    r.val_acc = num("val_acc");
    r.test_loss = num("test_loss");
    r.test_acc = num("test_acc");
    return r;
  } catch (const std::exception& e) {
    return Status::invalid_field("run", std::string("malformed run record: ") + e.what());
  }
}

RunSummary summarize(const TrainResult& t) {
  RunSummary r;
  r.data = t.data;
  r.train_rows = t.train_rows;
  r.val_rows = t.val_rows;
  r.test_rows = t.test_rows;
  r.classification = t.classification;
  r.init = t.init.scheme.empty() ? Json(nullptr) : t.init.to_json();
  r.diverged = t.diverged();
  r.stop = nn::stop_reason_name(t.report.stop_reason);
  r.epochs = static_cast<int>(t.report.epochs.size());
  if (!r.diverged && !t.report.epochs.empty()) {
    const nn::EpochStats& e = t.report.epochs.back();
    r.val_loss = e.val_loss;
    r.val_acc = e.val_acc;
  }
  r.test_loss = t.test.loss;
  r.test_acc = t.test.accuracy;
  return r;
}

Result<RunSummary> train_summary(const TrainPlan& plan, const nn::EpochCallback& on_epoch) {
  auto t = train(plan, on_epoch);
  if (!t) return t.status();
  return summarize(*t);
}

}  // namespace actlab::lab
