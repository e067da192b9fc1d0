// actlab.theory.init and actlab.data.load: lab::init_answers (the values `actlab init --json` prints) and
// data::load (numpy views of the loaded matrices, kept alive by the data set they belong to).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "data/builtin.hpp"
#include "lab/init.hpp"
#include "python/src/common.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/kernel_profile.hpp"
#include "theory/phase.hpp"
#include "theory/propagate.hpp"

namespace actlab::python {
namespace {

using Params = std::map<std::string, double>;

// What `actlab theory ...` builds from its activation argument and --param values.
theory::GaussianIntegrator integrator_for(const std::string& spec, const Params& params) {
  auto act = take(activations::Activation::make(spec, params));
  return take(theory::GaussianIntegrator::make(act));
}

// The value the CLI prints with --json: {"activation": spec, ...the value's keys}.
py::object cli_json(const std::string& spec, const Json& body) {
  Json j{{"activation", spec}};
  for (const auto& [k, v] : body.items()) j[k] = v;
  return to_py(j);
}

// Runs body(g) on the integrator of (spec, params) without the GIL; the CLI's --json of its value. Errors are
// thrown as C++ exceptions, which pybind11 turns into ValueError / RuntimeError once the GIL is back.
template <class F>
py::object theory_call(const std::string& spec, const Params& params, F body) {
  Json j;
  {
    py::gil_scoped_release nogil;
    const theory::GaussianIntegrator g = integrator_for(spec, params);
    j = body(g);
  }
  return cli_json(spec, j);
}

}  // namespace

void bind_theory_data(py::module_& m) {
  m.def(
      "theory_eoc",
      [](const std::string& spec, const Params& params, const std::vector<double>& sigma_bs) {
        return theory_call(spec, params, [&](const theory::GaussianIntegrator& g) {
          return take(theory::edge_of_chaos(g, sigma_bs)).to_json();
        });
      },
      py::arg("spec"), py::arg("params"), py::arg("sigma_b"));

  m.def(
      "theory_propagate",
      [](const std::string& spec, const Params& params, double sigma_w, double sigma_b, int depth, double q0,
         std::optional<double> q0_second, double c0) {
        theory::PropagatePlan plan;
        plan.init = {sigma_w, sigma_b};
        plan.depth = depth;
        plan.q0 = q0;
        plan.q0_second = q0_second;
        plan.c0 = c0;
        return theory_call(spec, params, [&](const theory::GaussianIntegrator& g) {
          return take(theory::propagate(g, plan)).to_json();
        });
      },
      py::arg("spec"), py::arg("params"), py::arg("sigma_w"), py::arg("sigma_b"), py::arg("depth"),
      py::arg("q0"), py::arg("q0_second"), py::arg("c0"));

  m.def(
      "theory_kernel",
      [](const std::string& spec, const Params& params, double cw, double cb, double k0, int depth,
         std::optional<int> width, std::optional<int> mc, std::uint64_t seed) {
        theory::KernelPlan plan;
        plan.cw = cw;
        plan.cb = cb;
        plan.k0 = k0;
        plan.depth = depth;
        plan.width = width;
        plan.mc = mc;
        plan.seed = seed;
        return theory_call(spec, params, [&](const theory::GaussianIntegrator& g) {
          return take(theory::kernel_profile(g, plan)).to_json();
        });
      },
      py::arg("spec"), py::arg("params"), py::arg("cw"), py::arg("cb"), py::arg("k0"), py::arg("depth"),
      py::arg("width"), py::arg("mc"), py::arg("seed"));

  m.def(
      "theory_classify",
      [](const std::string& spec, const Params& params) {
        return theory_call(spec, params, [&](const theory::GaussianIntegrator& g) {
          return take(theory::classify(g)).to_json();
        });
      },
      py::arg("spec"), py::arg("params"));

  m.def(
      "init_answer",
      [](const std::string& activation, int depth, std::optional<int> width, double input_var, int mc,
         std::uint64_t seed) {
        lab::InitAnswerPlan plan;
        plan.activations = {activation};
        plan.depth = depth;
        plan.width = width;
        plan.input_var = input_var;
        plan.mc = mc;
        plan.seed = seed;
        Result<lab::InitAnswers> r = Status::internal("not run");
        {
          py::gil_scoped_release nogil;
          r = lab::init_answers(plan);
        }
        const Json j = take(std::move(r)).to_json();
        return to_py(j["recommendations"].at(0));
      },
      py::arg("activation"), py::arg("depth"), py::arg("width") = py::none(), py::arg("input_var") = 1.0,
      py::arg("mc") = 200, py::arg("seed") = 0);

  m.def("torch_init_code", [](const std::string& activation, int depth, double input_var) {
    lab::InitAnswerPlan plan;
    plan.activations = {activation};
    plan.depth = depth;
    plan.input_var = input_var;
    auto r = take(lab::init_answers(plan));
    return lab::torch_init_code(r.answers.at(0).recommendation);
  });

  m.def(
      "load_data",
      [](const std::string& spec, std::size_t rows, std::uint64_t seed, const std::string& target) {
        data::LoadOptions o;
        o.rows = rows;
        o.seed = seed;
        o.target = target;
        Result<data::Dataset> r = Status::internal("not run");
        {
          py::gil_scoped_release nogil;
          r = data::load(spec, o);
        }
        auto ds = std::make_unique<data::Dataset>(take(std::move(r)));
        data::Dataset* d = ds.get();
        // The arrays are views into the data set, which the capsule owns (no copy of the matrices).
        py::capsule owner(ds.release(), [](void* p) { delete static_cast<data::Dataset*>(p); });
        const auto n = static_cast<py::ssize_t>(d->x.rows()), f = static_cast<py::ssize_t>(d->x.cols());
        using Dims = std::vector<py::ssize_t>;
        const auto fs = static_cast<py::ssize_t>(sizeof(float));
        py::array_t<float> x(Dims{n, f}, Dims{f * fs, fs}, d->x.data(), owner);
        py::object y;
        const bool classification = d->task == data::Task::kClassification;
        if (classification) {
          y = py::array_t<int>(Dims{n}, Dims{static_cast<py::ssize_t>(sizeof(int))}, d->labels.data(), owner);
        } else {
          const auto o2 = static_cast<py::ssize_t>(d->y.cols());
          y = py::array_t<float>(Dims{n, o2}, Dims{o2 * fs, fs}, d->y.data(), owner);
        }
        py::dict out;
        out["x"] = x;
        out["y"] = y;
        out["names"] = d->feature_names;
        out["classes"] = d->class_names;
        out["task"] = classification ? "classification" : "regression";
        out["name"] = d->name;
        out["source"] = d->source;
        out["input_shape"] = d->input_shape;
        out["test_start"] = d->test_start ? py::object(py::int_(*d->test_start)) : py::object(py::none());
        return out;
      },
      py::arg("spec"), py::arg("rows") = 0, py::arg("seed") = 0, py::arg("target") = "");
}

}  // namespace actlab::python
