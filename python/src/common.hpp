// Shared by the binding's files: Status → Python exception, Json → Python objects.
#pragma once

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "core/json.hpp"
#include "core/status.hpp"

namespace actlab::python {

namespace py = pybind11;

// Bad input (kInvalidArgument, kNotFound) becomes ValueError with the library's message as is ("1:13:
// expected
// ')' ..."); anything else RuntimeError.
[[noreturn]] inline void raise(const Status& s) {
  if (s.is_bad_input()) throw py::value_error(s.message());
  throw std::runtime_error(s.message());
}

template <class T>
T take(Result<T> r) {
  if (!r) raise(r.status());
  return std::move(*r);
}

inline void check(const Status& s) {
  if (!s) raise(s);
}

// nlohmann JSON → dict / list / str / int / float / bool / None (object key order kept). The strings "nan",
// "inf" and "-inf" that core/json.hpp writes for non-finite numbers stay strings.
py::object to_py(const Json& j);

void bind_activations(py::module_& m);
void bind_theory_data(py::module_& m);
void bind_study(py::module_& m);
void bind_lab(py::module_& m);
void bind_train(py::module_& m);

}  // namespace actlab::python
