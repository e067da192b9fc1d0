// actlab.train and actlab.Model: lab::train on a built-in data set (by name, as `actlab train --data`) or on
// numpy arrays (a data::Dataset in memory), the trained nn::Model with predict / evaluate / save, and model
// files (actlab .json or ONNX) loaded through lab::load_model_file, as `actlab predict`/`eval` read them.
#include "lab/train.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/file_io.hpp"
#include "core/json.hpp"
#include "data/prepare.hpp"
#include "lab/explain.hpp"
#include "nn/loss.hpp"
#include "optim/optimizer.hpp"
#include "python/src/common.hpp"
#include "shallow/shallow_net.hpp"

namespace actlab::python {
namespace {

using FloatArray = py::array_t<float, py::array::c_style | py::array::forcecast>;

// x (rows × features, or one row) as the float32 matrix actlab trains on.
MatrixF matrix_of(const py::handle& x, const char* field) {
  FloatArray a = FloatArray::ensure(x);
  if (!a) throw py::value_error(std::string(field) + ": expected an array of numbers");
  if (a.ndim() == 1) a = a.reshape({py::ssize_t{1}, a.shape(0)});
  if (a.ndim() != 2) throw py::value_error(std::string(field) + ": expected a 2-D array (rows x features)");
  MatrixF m(a.shape(0), a.shape(1));
  std::copy(a.data(), a.data() + a.size(), m.data());
  return m;
}

// numpy x and y as a data set: integer y gives classification with classes 0 … max(y) (or `classes`), float
// y regression (one column per output).
data::Dataset dataset_of(const py::handle& x, const py::handle& y, const std::string& name,
                         const std::vector<std::string>& classes) {
  data::Dataset d;
  d.name = name;
  d.source = "numpy arrays";
  d.x = matrix_of(x, "x");
  py::array ya = py::array::ensure(y);
  if (!ya) throw py::value_error("y: expected an array of labels or targets");
  if (ya.shape(0) != d.x.rows())
    throw py::value_error("y: " + std::to_string(ya.shape(0)) + " rows, x has " + std::to_string(d.x.rows()));
  const char kind = ya.dtype().kind();
  if (kind == 'i' || kind == 'u' || kind == 'b') {
    if (ya.ndim() != 1) throw py::value_error("y: labels must be a 1-D array");
    auto labels = py::array_t<long long, py::array::c_style | py::array::forcecast>::ensure(ya);
    d.task = data::Task::kClassification;
    long long top = -1;
    for (py::ssize_t i = 0; i < labels.size(); ++i) {
      const long long v = labels.data()[i];
      if (v < 0) throw py::value_error("y: labels must be 0, 1, ..., got " + std::to_string(v));
      top = std::max(top, v);
      d.labels.push_back(static_cast<int>(v));
    }
    if (!classes.empty()) {
      if (static_cast<long long>(classes.size()) <= top)
        throw py::value_error("classes: " + std::to_string(classes.size()) + " names, but y has label " +
                              std::to_string(top));
      d.class_names = classes;
    } else {
      for (long long c = 0; c <= top; ++c) d.class_names.push_back(std::to_string(c));
    }
  } else {
    d.task = data::Task::kRegression;
    // A 1-D y is one output per row (matrix_of would read it as one row).
    d.y = ya.ndim() == 1 ? matrix_of(ya.reshape({ya.shape(0), py::ssize_t{1}}), "y") : matrix_of(ya, "y");
  }
  for (Eigen::Index j = 0; j < d.x.cols(); ++j) {
    std::string name = "x";  // not "x" + to_string: GCC 12's -Wrestrict false positive (GCC PR 105651)
    name += std::to_string(j);
    d.feature_names.push_back(std::move(name));
  }
  d.input_shape = {static_cast<int>(d.x.cols())};
  return d;
}

template <class T>
T get(const py::dict& o, const char* key) {
  return o[key].cast<T>();
}

// The options dict (actlab.train's keywords, the CLI's flags with _ for -) as the plan `actlab train` builds
// (cli/train_flags.cpp's training_plan); errors name the keyword.
lab::TrainPlan plan_of(const py::dict& o) {
  lab::TrainPlan p;
  p.data.source = get<std::string>(o, "data");
  p.data.target = get<std::string>(o, "target");
  p.data.rows = get<std::size_t>(o, "rows");
  p.data.data_seed = get<std::int64_t>(o, "data_seed");
  const auto seed = get<std::uint64_t>(o, "seed");
  p.data.seed = seed;
  p.data.val = get<double>(o, "val");
  p.data.test = get<double>(o, "test");
  auto z = data::parse_standardize(get<std::string>(o, "standardize"));
  if (!z) raise(z.status().with_context("standardize"));
  p.data.standardize = *z;
  std::optional<double> input_scale;
  if (!o["input_scale"].is_none()) input_scale = get<double>(o, "input_scale");
  p.model = {.spec = get<std::string>(o, "model"),
             .acts = get<std::string>(o, "act"),
             .init = get<std::string>(o, "init"),
             .seed = seed,
             .input_scale = input_scale};
  nn::TrainOptions& t = p.options;
  t.epochs = get<int>(o, "epochs");
  const py::object batch = o["batch"];
  if (py::isinstance<py::str>(batch)) {
    if (batch.cast<std::string>() != "full")
      throw py::value_error("batch: expected a positive integer or full");
    t.batch = 0;
  } else {
    const auto b = batch.cast<long long>();
    if (b < 1) throw py::value_error("batch: expected a positive integer or full");
    t.batch = static_cast<Eigen::Index>(b);
  }
  if (!o["loss"].is_none()) {
    auto loss = nn::parse_loss(get<std::string>(o, "loss"));
    if (!loss) raise(loss.status().with_context("loss"));
    p.loss = *loss;
  }
  auto kind = optim::parse_optimizer_kind(get<std::string>(o, "opt"));
  if (!kind) raise(kind.status().with_context("opt"));
  t.optimizer.kind = *kind;
  t.optimizer.lr = get<double>(o, "lr");
  t.optimizer.momentum = get<double>(o, "momentum");
  t.optimizer.nesterov = get<bool>(o, "nesterov");
  t.optimizer.weight_decay = get<double>(o, "weight_decay");
  auto schedule = optim::parse_lr_schedule(get<std::string>(o, "lr_schedule"));
  if (!schedule) raise(schedule.status().with_context("lr_schedule"));
  t.schedule = *schedule;
  t.clip_norm = get<double>(o, "clip");
  t.seed = seed;
  t.threads = get<int>(o, "threads");
  const auto early = get<std::string>(o, "early_stop");
  if (early == "train-acc") {
    t.early_stop.rule = nn::EarlyStop::Rule::kTrainAccPlateau;
  } else if (early == "val-loss") {
    t.early_stop.rule = nn::EarlyStop::Rule::kValLoss;
  } else if (early != "none") {
    throw py::value_error("early_stop: expected none, train-acc or val-loss, got '" + early + "'");
  }
  t.early_stop.patience = get<int>(o, "patience");
  return p;
}

// A trained or loaded network. One forward pass at a time (the model keeps forward state).
class PyModel {
 public:
  PyModel(nn::Model<float> m, Json file, Json summary)
      : model_(std::move(m)), file_(std::move(file)), summary_(std::move(summary)) {}

  // Raw rows in, outputs out (rows × outputs, float32); the model's input scaling is applied.
  py::array_t<float> predict(const py::handle& x) {
    MatrixF in = matrix_of(x, "x");
    const int n_in = model_.input_shape().size();
    if (in.cols() != n_in)
      throw py::value_error("x: the model takes " + std::to_string(n_in) + " values per row, got " +
                            std::to_string(in.cols()));
    MatrixF out;
    {
      py::gil_scoped_release nogil;
      std::lock_guard lock(mu_);
      if (const auto& z = model_.input_scaling())
        in = ((in.array().rowwise() - z->mean.array()).rowwise() / z->scale.array()).matrix();
      out = model_.predict(in);
    }
    py::array_t<float> a({out.rows(), out.cols()});
    std::copy(out.data(), out.data() + out.size(), a.mutable_data());
    return a;
  }

  // lab::evaluate_model on arrays (name "arrays") or on a data set spec, as `actlab eval --json` prints it.
  py::object evaluate(const py::handle& x, const py::handle& y, const std::vector<std::string>& classes) {
    data::Dataset ds;
    std::string name;
    if (py::isinstance<py::str>(x)) {
      data::DataPlan plan;
      plan.source = x.cast<std::string>();
      name = plan.source;
      py::gil_scoped_release nogil;
      ds = take(data::load_source(plan));
    } else {
      ds = dataset_of(x, y, "arrays", classes);
      name = "arrays";
    }
    lab::EvalResult r;
    {
      py::gil_scoped_release nogil;
      std::lock_guard lock(mu_);
      r = take(lab::evaluate_model(model_, std::move(ds), name));
    }
    Json j = {{"data", r.data}, {"rows", r.rows}, {"loss", json_number(r.evaluation.loss)}};
    if (r.classification) j["accuracy"] = json_number(r.evaluation.accuracy);
    return to_py(j);
  }

  void save(const std::string& path) const { check(write_file_atomic(path, json_dump(file_, false) + "\n")); }

  py::object summary() const { return summary_.is_null() ? py::none() : to_py(summary_); }
  py::object file_json() const { return to_py(file_); }
  std::vector<int> input_shape() const { return model_.input_shape().dims; }
  std::vector<int> output_shape() const { return model_.output_shape().dims; }
  std::size_t parameters() { return model_.parameter_count(); }
  const nn::Model<float>& model() const { return model_; }

 private:
  nn::Model<float> model_;
  Json file_, summary_;
  std::mutex mu_;
};

// x as one input (a vector of the network's input width is checked by lab::explain).
std::vector<double> vector_of(const py::handle& x) {
  auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(x);
  if (!a || a.ndim() > 1) throw py::value_error("x: expected one input (a 1-D array)");
  return {a.data(), a.data() + a.size()};
}

MatrixD background_of(const py::handle& b) {
  auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(b);
  if (!a || a.ndim() != 2) throw py::value_error("background: expected a 2-D array (rows x inputs)");
  MatrixD m(a.shape(0), a.shape(1));
  std::copy(a.data(), a.data() + a.size(), m.data());
  return m;
}

py::array_t<double> array_of(const Eigen::VectorXd& v) {
  py::array_t<double> a(v.size());
  std::copy(v.data(), v.data() + v.size(), a.mutable_data());
  return a;
}

// The model argument of explain / convert: a Model, or a file (.json or .onnx).
lab::ExplainResult run_explain(const py::object& model, lab::ExplainPlan plan) {
  Result<lab::ExplainResult> r = Status::internal("not run");
  if (py::isinstance<py::str>(model)) {
    plan.model = model.cast<std::string>();
    py::gil_scoped_release nogil;
    r = lab::explain(plan);
  } else {
    const PyModel& m = model.cast<const PyModel&>();
    py::gil_scoped_release nogil;
    r = lab::explain(m.model(), plan);
  }
  return take(std::move(r));
}

// A shallow network (docs/shallow.md) with what its conversion found.
struct PyShallow {
  shallow::ShallowNet net;
  Json summary;
};

}  // namespace

void bind_train(py::module_& m) {
  m.def(
      "explain",
      [](const py::object& model, const py::handle& x, const py::handle& background, int output,
         const std::string& method, long samples, std::uint64_t seed) {
        lab::ShapPlan shap;
        shap.x = vector_of(x);
        shap.background = background_of(background);
        shap.output = output;
        shap.method = method;
        shap.samples = samples;
        shap.seed = seed;
        lab::ExplainPlan plan;
        plan.shap = std::move(shap);
        const lab::ExplainResult r = run_explain(model, std::move(plan));
        const shallow::ShapResult& s = *r.shap;
        py::dict d;  // the fields of `actlab explain --json`, phi as an array
        d["phi"] = array_of(s.phi);
        d["base_value"] = s.base_value;
        d["fx"] = s.fx;
        d["efficiency_error"] = s.efficiency_error;
        d["method"] = s.method;
        d["background_rows"] = r.background_rows;
        d["box_shortcuts"] = s.box_shortcuts;
        d["evaluations"] = s.evaluations;
        return d;
      },
      py::arg("model"), py::arg("x"), py::arg("background"), py::arg("output") = 0,
      py::arg("method") = "exact", py::arg("samples") = 200, py::arg("seed") = 0);

  py::class_<PyShallow>(m, "ShallowNet")
      .def("evaluate",
           [](const PyShallow& s, const py::handle& x) {
             const std::vector<double> v = vector_of(x);
             if (static_cast<int>(v.size()) != s.net.input_dim)
               throw py::value_error("x: the network takes " + std::to_string(s.net.input_dim) +
                                     " values, got " + std::to_string(v.size()));
             const Eigen::VectorXd xv = Eigen::Map<const Eigen::VectorXd>(v.data(), Eigen::Index(v.size()));
             const shallow::ShallowEval e = shallow::evaluate(s.net, xv);
             py::dict d;  // `actlab shallow eval --json`, output as an array
             d["output"] = array_of(e.y);
             d["open_gates"] = e.open_gates;
             d["nan"] = e.nan;
             return d;
           })
      .def("save",
           [](const PyShallow& s, const std::string& path) { check(shallow::save_shallow(s.net, path)); })
      .def("to_json", [](const PyShallow& s) { return to_py(shallow::shallow_to_json(s.net)); })
      .def_property_readonly("summary_json", [](const PyShallow& s) { return to_py(s.summary); });

  m.def(
      "convert",
      [](const py::object& model, std::optional<int> threads, long max_regions,
         std::optional<std::pair<double, double>> box) {
        lab::ExplainPlan plan;
        plan.regions = lab::RegionPlan{};
        if (threads) plan.regions->threads = *threads;
        plan.regions->max_regions = max_regions;
        plan.regions->box = box;
        plan.shallow = true;
        lab::ExplainResult r = run_explain(model, std::move(plan));
        const shallow::RegionSet& rs = *r.regions;
        Json summary = {{"arch", r.net.arch()},
                        {"hidden_neurons", r.net.hidden()},
                        {"input_dim", r.net.input_dim()},
                        {"regions", rs.regions.size()},
                        {"full_dim_regions", rs.full_dim_regions},
                        {"rows", rs.c.size()},
                        {"lps", rs.lps},
                        {"seconds", rs.seconds}};
        return PyShallow{std::move(*r.shallow), std::move(summary)};
      },
      py::arg("model"), py::arg("threads") = py::none(), py::arg("max_regions") = 1000000,
      py::arg("box") = py::none());

  py::class_<PyModel>(m, "Model")
      .def("predict", &PyModel::predict, py::arg("x"))
      .def("evaluate", &PyModel::evaluate, py::arg("x"), py::arg("y") = py::none(),
           py::arg("classes") = std::vector<std::string>{})
      .def("save", &PyModel::save, py::arg("path"))
      .def_property_readonly("summary", &PyModel::summary)
      .def("file_json", &PyModel::file_json)
      .def_property_readonly("input_shape", &PyModel::input_shape)
      .def_property_readonly("output_shape", &PyModel::output_shape)
      .def_property_readonly("parameters", &PyModel::parameters);

  m.def(
      "train",
      [](const py::object& x, const py::object& y, const py::dict& options, const std::string& name,
         const std::vector<std::string>& classes, const py::object& on_epoch) {
        lab::TrainPlan plan = plan_of(options);
        std::optional<data::Dataset> ds;
        if (!x.is_none()) ds = dataset_of(x, y, name, classes);
        // The callback (when given) takes the GIL for the moment it runs; a Python exception stops training.
        nn::EpochCallback cb;
        std::optional<py::error_already_set> error;
        if (!on_epoch.is_none()) {
          cb = [&](const nn::EpochStats& e) {
            py::gil_scoped_acquire gil;
            try {
              return on_epoch(e.epoch, e.train_loss, e.val_loss).cast<bool>();
            } catch (py::error_already_set& err) {
              error = std::move(err);
              return false;
            }
          };
        }
        Result<lab::TrainResult> r = Status::internal("not run");
        {
          py::gil_scoped_release nogil;
          r = ds ? lab::train(plan, std::move(*ds), cb) : lab::train(plan, cb);
        }
        if (error) throw std::move(*error);
        lab::TrainResult t = take(std::move(r));
        Json file = lab::model_file_json(t), summary = lab::train_json(t);
        return std::make_unique<PyModel>(std::move(t.model), std::move(file), std::move(summary));
      },
      py::arg("x"), py::arg("y"), py::arg("options"), py::arg("name") = "arrays",
      py::arg("classes") = std::vector<std::string>{}, py::arg("on_epoch") = py::none());

  m.def(
      "load_model",
      [](const std::string& path) {
        Result<nn::Model<float>> r = Status::internal("not run");
        {
          py::gil_scoped_release nogil;
          r = lab::load_model_file(path);
        }
        nn::Model<float> model = take(std::move(r));
        Json file = model.to_json();
        return std::make_unique<PyModel>(std::move(model), std::move(file), Json(nullptr));
      },
      py::arg("path"));
}

}  // namespace actlab::python
