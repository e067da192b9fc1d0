// actlab.lab(data, out, ...): lab::run_lab, the five-stage laboratory of `actlab lab` (docs/lab.md), with a
// plan from keywords named as LabPlan's fields. The result is results.json's value as a dict.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "lab/laboratory.hpp"
#include "python/src/common.hpp"

namespace actlab::python {
namespace {

// LabPlan's fields by keyword.
using Setter = std::function<void(lab::LabPlan&, const py::handle&)>;
template <class T>
Setter field(T lab::LabPlan::*member) {
  return [member](lab::LabPlan& p, const py::handle& v) { p.*member = v.cast<T>(); };
}

const std::map<std::string, Setter>& setters() {
  static const std::map<std::string, Setter> s = {
      {"data", field(&lab::LabPlan::data)},
      {"target", field(&lab::LabPlan::target)},
      {"depth", field(&lab::LabPlan::depth)},
      {"width", field(&lab::LabPlan::width)},
      {"candidates", field(&lab::LabPlan::candidates)},
      {"keep_unstable", field(&lab::LabPlan::keep_unstable)},
      {"default_init", field(&lab::LabPlan::default_init)},
      {"epochs", field(&lab::LabPlan::epochs)},
      {"lr", field(&lab::LabPlan::lr)},
      {"test", field(&lab::LabPlan::test)},
      {"val", field(&lab::LabPlan::val)},
      {"screen_seeds", field(&lab::LabPlan::screen_seeds)},
      {"screen_epochs", field(&lab::LabPlan::screen_epochs)},
      {"trials", field(&lab::LabPlan::trials)},
      {"budget_minutes", field(&lab::LabPlan::budget_minutes)},
      {"seeds", field(&lab::LabPlan::seeds)},
      {"explain_points", field(&lab::LabPlan::explain_points)},
      {"max_regions", field(&lab::LabPlan::max_regions)},
      {"out", field(&lab::LabPlan::out)},
      {"storage", field(&lab::LabPlan::storage)},
      {"seed", field(&lab::LabPlan::seed)},
      {"threads", field(&lab::LabPlan::threads)},
  };
  return s;
}

py::dict run(const py::kwargs& kwargs) {
  lab::LabPlan plan;
  plan.command = "actlab.lab(...)";
  py::object progress = py::none();
  for (const auto& [k, v] : kwargs) {
    const std::string key = k.cast<std::string>();
    if (key == "progress") {
      progress = py::reinterpret_borrow<py::object>(v);
      continue;
    }
    auto it = setters().find(key);
    if (it == setters().end()) throw py::type_error("lab() got an unexpected keyword argument '" + key + "'");
    try {
      it->second(plan, v);
    } catch (const py::cast_error&) {
      throw py::value_error(key + ": " + py::repr(v).cast<std::string>() + " has the wrong type");
    }
  }
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> keyboard{false};
  lab::LabProgressFn on_progress;
  if (!progress.is_none()) {
    on_progress = [&](const lab::LabProgress& e) {
      py::gil_scoped_acquire gil;
      try {
        progress(e.stage, e.name, e.done, e.total, e.note);
      } catch (py::error_already_set&) {
        PyErr_Clear();  // a failing progress callback does not stop the lab
      }
    };
  }
  auto interrupted = [&]() -> int {
    if (keyboard) return 2;
    if (std::this_thread::get_id() != caller) return 0;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();
      keyboard = true;
      return 2;
    }
    return 0;
  };
  Result<lab::LabResult> r = Status::internal("not run");
  {
    py::gil_scoped_release nogil;
    r = lab::run_lab(plan, on_progress, interrupted);
  }
  if (keyboard) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  const lab::LabResult res = take(std::move(r));
  py::dict d = to_py(res.to_json());
  d["winner"] = res.winner;
  d["summary_text"] = res.summary();
  return d;
}

}  // namespace

void bind_lab(py::module_& m) { m.def("lab", &run); }

}  // namespace actlab::python
