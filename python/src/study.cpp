// actlab.Study's core: a search::Study over a storage URL, optimised with an objective written in Python.
//
// The search space is declared when the study is created (search::Space is stored with the study, so that
// every worker, CLI or Python, samples the same space): actlab.Study.create takes it as `space=`, and the
// Python trial's suggest_* calls read the sampled values (python/actlab/study.py). optimize() runs the C++
// work queue with the GIL released; each worker thread takes the GIL only to call the Python objective.
#include "search/study.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <thread>

#include "python/src/common.hpp"

namespace actlab::python {
namespace {

using search::Study;
using search::TrialContext;
using search::TrialOutcome;
using search::TrialState;

Result<Json> json_parse_or_status(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::invalid("not valid JSON: " + text);
  return j;
}

// What a Python objective sees of its trial; valid only while the objective runs.
struct PyTrialContext {
  TrialContext* ctx = nullptr;
  TrialContext& get() const {
    if (!ctx) throw std::runtime_error("this trial has finished: its context is no longer valid");
    return *ctx;
  }
};

py::dict trial_record(const search::TrialRecord& t) {
  py::dict d;
  d["number"] = t.number;
  d["state"] = search::to_string(t.state);
  d["value"] = t.value ? py::object(py::float_(*t.value)) : py::object(py::none());
  d["params"] = to_py(t.params);
  d["reason"] = t.reason;
  d["worker"] = t.worker;
  d["retry_of"] = t.retry_of ? py::object(py::int_(*t.retry_of)) : py::object(py::none());
  auto opt = [](const std::optional<double>& v) {
    return v ? py::object(py::float_(*v)) : py::object(py::none());
  };
  d["created"] = opt(t.created);
  d["started"] = opt(t.started);
  d["finished"] = opt(t.finished);
  py::list inter;
  for (const auto& [step, v] : t.intermediate) inter.append(py::make_tuple(step, v));
  d["intermediate"] = inter;
  return d;
}

std::vector<search::TrialRecord> all_trials(Study& s) {
  Result<std::vector<search::TrialRecord>> r = Status::internal("not run");
  {
    py::gil_scoped_release nogil;
    r = s.storage().trials(s.record().id, true);
  }
  return take(std::move(r));
}

// runner(ctx) → (state, value, reason, stop): the Python side (study.py) calls the user's objective and
// turns its result or exception into these; stop asks optimize() to end after this trial is recorded.
py::dict optimize(Study& study, const py::function& runner, std::int64_t n_trials, int workers,
                  double timeout_s) {
  std::atomic<bool> stop_requested{false}, stop{false}, keyboard{false};
  const std::thread::id caller = std::this_thread::get_id();
  search::OptimizeOptions o;
  o.n_trials = n_trials;
  o.workers = workers;
  o.timeout_s = timeout_s;
  // An objective that raised stops the study once its FAIL is recorded (on_trial_done runs after that);
  // Ctrl-C (seen by the calling thread, which handles Python's signals) stops it at once: running trials go
  // back to WAITING, as the CLI's workers do on a signal.
  o.on_trial_done = [&](const search::TrialRecord&) {
    if (stop_requested) stop = true;
  };
  o.interrupted = [&]() -> int {
    if (stop) return 2;
    if (std::this_thread::get_id() != caller) return 0;
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();
      keyboard = true;
      stop = true;
      return 2;
    }
    return 0;
  };
  search::Objective objective = [&](TrialContext& t) -> TrialOutcome {
    py::gil_scoped_acquire gil;
    py::object handle = py::cast(PyTrialContext{&t});
    TrialOutcome out;
    try {
      auto r = runner(handle).cast<std::tuple<std::string, double, std::string, bool>>();
      const auto& [state, value, reason, halt] = r;
      if (halt) stop_requested = true;
      out = state == "COMPLETE" ? TrialOutcome::complete(value)
            : state == "PRUNED" ? TrialOutcome{TrialState::kPruned, value, reason}
                                : TrialOutcome::fail(reason);
    } catch (const std::exception& e) {
      stop_requested = true;
      out = TrialOutcome::fail(std::string("objective: ") + e.what());
    }
    handle.cast<PyTrialContext&>().ctx = nullptr;
    return out;
  };
  Result<search::OptimizeSummary> r = Status::internal("not run");
  {
    py::gil_scoped_release nogil;
    r = study.optimize(objective, o);
  }
  if (keyboard) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  const auto s = take(std::move(r));
  py::dict d;
  d["complete"] = s.complete;
  d["pruned"] = s.pruned;
  d["failed"] = s.failed;
  d["reaped"] = s.reaped;
  d["retried"] = s.retried;
  d["released"] = s.released;
  d["wall_s"] = s.wall_s;
  return d;
}

}  // namespace

void bind_study(py::module_& m) {
  py::class_<PyTrialContext>(m, "TrialContext")
      .def_property_readonly("number", [](const PyTrialContext& c) { return c.get().number(); })
      .def_property_readonly("params", [](const PyTrialContext& c) { return to_py(c.get().external()); })
      .def("report", [](const PyTrialContext& c, std::int64_t step,
                        double value) { check(c.get().report(step, value)); })
      .def("should_prune", [](const PyTrialContext& c) { return c.get().should_prune(); });

  py::class_<Study>(m, "Study")
      .def_static(
          "create",
          [](const std::string& url, const std::string& name, const std::string& space_json,
             const std::string& direction, const std::string& sampler, std::uint64_t seed,
             const std::string& objective_json) {
            search::StudyRecord rec;
            rec.name = name;
            rec.direction = take(search::parse_direction(direction));
            rec.sampler = sampler;
            rec.seed = seed;
            rec.space = take(json_parse_or_status(space_json));
            rec.objective = take(json_parse_or_status(objective_json));
            py::gil_scoped_release nogil;
            auto created = Study::create(url, rec);
            if (!created) {
              py::gil_scoped_acquire gil;
              raise(created.status());
            }
          },
          py::arg("url"), py::arg("name"), py::arg("space_json"), py::arg("direction"), py::arg("sampler"),
          py::arg("seed"), py::arg("objective_json"))
      .def_static(
          "open",
          [](const std::string& url, const std::string& name) {
            Result<Study> r = Status::internal("not run");
            {
              py::gil_scoped_release nogil;
              r = Study::open(url, name);
            }
            return std::make_unique<Study>(take(std::move(r)));
          },
          py::arg("url"), py::arg("name"))
      .def_property_readonly("name", [](const Study& s) { return s.record().name; })
      .def_property_readonly("url", [](const Study& s) { return s.url(); })
      .def_property_readonly("direction",
                             [](const Study& s) { return search::to_string(s.record().direction); })
      .def_property_readonly("sampler", [](const Study& s) { return s.record().sampler; })
      .def_property_readonly("seed", [](const Study& s) { return s.record().seed; })
      .def_property_readonly("space", [](const Study& s) { return to_py(s.record().space); })
      .def_property_readonly("objective", [](const Study& s) { return to_py(s.record().objective); })
      .def("trials",
           [](Study& s) {
             py::list l;
             for (const auto& t : all_trials(s)) l.append(trial_record(t));
             return l;
           })
      .def("best",
           [](Study& s) -> py::object {
             auto b = Study::best(all_trials(s), s.record().direction);
             if (!b) return py::none();
             return trial_record(*b);
           })
      .def(
          "enqueue_finished",
          [](Study& s, const std::string& params_json, const std::string& state, double value,
             const std::string& reason) {
            // A trial whose objective already ran (the define-by-run first trial of study.py): enqueued with
            // its parameters, claimed, and told its outcome, as any worker would.
            const Json params = take(json_parse_or_status(params_json));
            py::gil_scoped_release nogil;
            auto fail = [](const Status& st) {
              py::gil_scoped_acquire gil;
              raise(st);
            };
            auto queued = s.enqueue(params);
            if (!queued) fail(queued.status());
            auto t = s.ask(Study::worker_name(0));
            if (!t) fail(t.status());
            if (!*t || (**t).record.number != queued->number)
              fail(Status::internal("the enqueued trial was claimed by another worker"));
            const TrialOutcome out = state == "COMPLETE" ? TrialOutcome::complete(value)
                                     : state == "PRUNED" ? TrialOutcome{TrialState::kPruned, value, reason}
                                                         : TrialOutcome::fail(reason);
            auto told = s.tell(**t, out);
            if (!told) fail(told.status());
          },
          py::arg("params_json"), py::arg("state"), py::arg("value"), py::arg("reason"))
      .def("optimize", &optimize, py::arg("runner"), py::arg("n_trials"), py::arg("workers"),
           py::arg("timeout_s"));
}

}  // namespace actlab::python
