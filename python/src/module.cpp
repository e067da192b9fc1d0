// actlab._actlab: the pybind11 module under the `actlab` package (docs/python.md). The Python-facing API is
// in python/actlab/*.py; this module is the thin layer over lab/ and the domains that it calls.
#include <pybind11/pybind11.h>

#include "python/src/common.hpp"

namespace actlab::python {

py::object to_py(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return py::none();
    case Json::value_t::boolean: return py::bool_(j.get<bool>());
    case Json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case Json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case Json::value_t::number_float: return py::float_(j.get<double>());
    case Json::value_t::string: return py::str(j.get<std::string>());
    case Json::value_t::array: {
      py::list l;
      for (const Json& e : j) l.append(to_py(e));
      return l;
    }
    case Json::value_t::object: {
      py::dict d;
      for (auto it = j.begin(); it != j.end(); ++it) d[py::str(it.key())] = to_py(it.value());
      return d;
    }
    default: return py::none();
  }
}

}  // namespace actlab::python

PYBIND11_MODULE(_actlab, m) {
  m.doc() = "actlab's C++ core; use the actlab package (docs/python.md)";
  actlab::python::bind_activations(m);
  actlab::python::bind_theory_data(m);
  actlab::python::bind_study(m);
  actlab::python::bind_lab(m);
  actlab::python::bind_train(m);
}
