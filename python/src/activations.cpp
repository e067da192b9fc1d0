// actlab.Activation's core: an activations::Activation with f, f', f'' compiled for float and double, applied
// to numpy arrays without copying contiguous input of the same dtype; its text and properties as `actlab act
// show` reports them; the catalog as records.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "activations/catalog.hpp"
#include "activations/expr.hpp"
#include "activations/printer.hpp"
#include "activations/properties.hpp"
#include "python/src/common.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"

namespace actlab::python {
namespace {

using activations::Activation;
using activations::CatalogEntry;
using activations::Kernel;

// The window in which kinks are listed, as in `actlab act show`.
constexpr double kKinkWindow = 20.0;

struct Properties {
  double lo, hi;
  bool range_declared;
  std::vector<double> kinks;
  std::string kink_pattern;
  std::string smoothness;
  bool monotone;
};

class PyActivation {
 public:
  PyActivation(const std::string& spec, const std::map<std::string, double>& params)
      : act_(take(Activation::make(spec, params))) {
    if (act_.row_wise()) return;
    const std::array<const activations::Expr*, 3> exprs = {&act_.f_expr(), &act_.df_expr(), &act_.d2f_expr()};
    for (int i = 0; i < 3; ++i) {
      k32_[i] = take(Kernel<float>::compile({*exprs[i]}));
      k64_[i] = take(Kernel<double>::compile({*exprs[i]}));
    }
  }

  const Activation& act() const { return act_; }

  // order 0, 1, 2: f, f', f''. A Python number gives a float; an array of float32 gives float32 (no copy of a
  // C-contiguous input), anything else is computed in float64.
  // out (optional): a C-contiguous array of x's shape and computed dtype, written in place and returned.
  py::object apply(int order, const py::handle& x, const py::object& out = py::none()) const {
    if (act_.row_wise())
      throw py::value_error(act_.name() +
                            " is row-wise (it acts on a whole row of features): it has no element-wise f");
    if (py::isinstance<py::float_>(x) || py::isinstance<py::int_>(x))
      return py::float_(k64_[order](x.cast<double>()));
    py::array a = py::array::ensure(x);
    if (!a) throw py::value_error("expected a number or an array of numbers");
    if (a.dtype().is(py::dtype::of<float>())) return run<float>(k32_[order], a, out);
    return run<double>(k64_[order], a, out);
  }

  const Properties& properties() const {
    if (!props_) props_ = compute_properties();
    return *props_;
  }

  // The universality class of the effective theory (theory::classify), "" for a row-wise activation.
  py::dict theory_class() const {
    auto g = theory::GaussianIntegrator::make(act_);
    if (!g) raise(g.status());
    theory::Classification c;
    {
      py::gil_scoped_release nogil;
      auto r = theory::classify(*g);
      if (!r) {
        py::gil_scoped_acquire gil;
        raise(r.status());
      }
      c = std::move(*r);
    }
    return to_py(c.to_json());
  }

 private:
  template <class T>
  static py::array_t<T> run(const Kernel<T>& k, const py::array& in, const py::object& given) {
    auto x = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(in);
    if (!x) throw py::value_error("expected an array of numbers");
    std::vector<py::ssize_t> shape(x.shape(), x.shape() + x.ndim());
    py::array_t<T> out;
    if (given.is_none()) {
      out = py::array_t<T>(shape);
    } else {
      if (!py::isinstance<py::array_t<T>>(given))
        throw py::value_error(std::string("out: expected a ") + (sizeof(T) == 4 ? "float32" : "float64") +
                              " array (the dtype f computes in for this input)");
      out = given.cast<py::array_t<T>>();
      const bool contiguous = (out.flags() & py::array::c_style) != 0;
      if (!contiguous || out.ndim() != x.ndim() || !std::equal(shape.begin(), shape.end(), out.shape()) ||
          !out.writeable())
        throw py::value_error("out: expected a writeable C-contiguous array of the input's shape");
    }
    const std::size_t n = static_cast<std::size_t>(x.size());
    const T* src = x.data();
    T* dst = out.mutable_data();
    {
      py::gil_scoped_release nogil;
      k.eval(std::span<const T>(src, n), std::span<T>(dst, n));
    }
    return out;
  }

  Properties compute_properties() const {
    // As `actlab act show`: a catalog entry's declared range and kinks at its parameter values; a formula's
    // (or an undeclared user entry's) estimated from the expression (activations/properties.hpp).
    Properties r;
    const CatalogEntry* e = act_.entry();
    bool defaults = true;
    if (e && e->properties_declared) {
      for (const auto& [k, v] : act_.params()) defaults = defaults && e->find_param(k)->default_value == v;
      const auto range = take(activations::declared_range(*e, act_.params()));
      r.lo = range.lo, r.hi = range.hi;
      r.range_declared = true;
      r.kinks = take(activations::declared_kinks(*e, act_.params(), -kKinkWindow, kKinkWindow));
      if (e->kinks == "integers" || e->kinks == "nonzero_integers" || e->kinks == "half_integers")
        r.kink_pattern = e->kinks;
    } else {
      const auto range = activations::estimate_range(act_.f_expr());
      r.lo = range.lo, r.hi = range.hi;
      r.range_declared = false;
      r.kinks = activations::find_kinks(act_.f_expr(), -kKinkWindow, kKinkWindow);
    }
    if (act_.row_wise()) {
      r.smoothness = "C-inf";
      r.monotone = false;
      return r;
    }
    r.smoothness = activations::smoothness_name(activations::smoothness(act_.f_expr(), r.kinks));
    r.monotone = (e && e->properties_declared && defaults) ? e->monotone
                                                           : activations::estimate_monotone(act_.f_expr());
    return r;
  }

  Activation act_;
  std::array<Kernel<float>, 3> k32_;
  std::array<Kernel<double>, 3> k64_;
  mutable std::optional<Properties> props_;
};

// The fields of `actlab act list --json`.
py::dict entry_record(const CatalogEntry& e) {
  py::dict d;
  d["name"] = e.name;
  d["aliases"] = e.aliases;
  d["formula"] = e.formula;
  py::dict params;
  py::list learnable;
  for (const auto& p : e.params) {
    params[py::str(p.name)] = p.default_value;
    if (p.learnable) learnable.append(p.name);
  }
  d["params"] = params;
  d["learnable"] = learnable;
  d["range"] = py::make_tuple(e.range_lo, e.range_hi);
  d["kinks"] = e.kinks;
  d["monotone"] = e.monotone;
  d["menu"] = e.in_menu;
  d["row_wise"] = e.row_wise();
  d["stochastic"] = e.stochastic == activations::Stochastic::kRrelu    ? py::object(py::str("rrelu"))
                    : e.stochastic == activations::Stochastic::kGumbel ? py::object(py::str("gumbel"))
                                                                       : py::object(py::none());
  d["reference"] = e.reference;
  d["user_catalog"] = e.is_user() ? py::object(py::str(e.source)) : py::object(py::none());
  d["properties_declared"] = e.properties_declared;
  return d;
}

// The expression tree of e as nested tuples, for actlab.torch to rebuild it from torch operations:
// ("const", value), ("var", name), or (op, order, [args]) with op the formula language's function name, or
// "neg", "add", "sub", "mul", "div", "pow", "gt", "ge", "lt", "le", "eq", "ne" for the infix operators.
py::object tree_of(const activations::Expr& e) {
  using activations::Op;
  if (e.op() == Op::kConst) return py::make_tuple("const", e.value());
  if (e.op() == Op::kVar) return py::make_tuple("var", e.name());
  std::string name(activations::op_info(e.op()).name);
  if (name.empty()) {
    switch (e.op()) {
      case Op::kNeg: name = "neg"; break;
      case Op::kAdd: name = "add"; break;
      case Op::kSub: name = "sub"; break;
      case Op::kMul: name = "mul"; break;
      case Op::kDiv: name = "div"; break;
      case Op::kPow: name = "pow"; break;
      case Op::kGt: name = "gt"; break;
      case Op::kGe: name = "ge"; break;
      case Op::kLt: name = "lt"; break;
      case Op::kLe: name = "le"; break;
      case Op::kEq: name = "eq"; break;
      case Op::kNe: name = "ne"; break;
      default: throw std::runtime_error("expression node without a name");
    }
  }
  py::list args;
  for (const auto& a : e.args()) args.append(tree_of(a));
  return py::make_tuple(name, e.order(), args);
}

}  // namespace

void bind_activations(py::module_& m) {
  py::class_<PyActivation>(m, "Activation")
      .def(py::init<const std::string&, const std::map<std::string, double>&>(), py::arg("spec"),
           py::arg("params") = std::map<std::string, double>{})
      .def(
          "f", [](const PyActivation& a, py::handle x, py::object out) { return a.apply(0, x, out); },
          py::arg("x"), py::arg("out") = py::none())
      .def(
          "df", [](const PyActivation& a, py::handle x, py::object out) { return a.apply(1, x, out); },
          py::arg("x"), py::arg("out") = py::none())
      .def(
          "d2f", [](const PyActivation& a, py::handle x, py::object out) { return a.apply(2, x, out); },
          py::arg("x"), py::arg("out") = py::none())
      .def_property_readonly("name", [](const PyActivation& a) { return a.act().name(); })
      .def_property_readonly("source",
                             [](const PyActivation& a) {
                               const CatalogEntry* e = a.act().entry();
                               return !e ? "formula" : e->is_user() ? "user" : "catalog";
                             })
      .def_property_readonly("params",
                             [](const PyActivation& a) {
                               py::dict d;
                               for (const auto& [k, v] : a.act().params()) d[py::str(k)] = v;
                               return d;
                             })
      .def_property_readonly("row_wise", [](const PyActivation& a) { return a.act().row_wise(); })
      .def_property_readonly(
          "formula",
          [](const PyActivation& a) { return a.act().entry() ? a.act().entry()->formula : a.act().name(); })
      .def_property_readonly("expanded",
                             [](const PyActivation& a) { return activations::print(a.act().f_expr()); })
      .def_property_readonly("derivative",
                             [](const PyActivation& a) {
                               return a.act().row_wise() ? std::string("diagonal of the Jacobian, dy_i/dx_i")
                                                         : activations::print(a.act().df_expr());
                             })
      .def_property_readonly("second_derivative",
                             [](const PyActivation& a) {
                               return a.act().row_wise() ? std::string("")
                                                         : activations::print(a.act().d2f_expr());
                             })
      .def_property_readonly("range",
                             [](const PyActivation& a) {
                               const auto& p = a.properties();
                               return py::make_tuple(p.lo, p.hi);
                             })
      .def_property_readonly("range_declared",
                             [](const PyActivation& a) { return a.properties().range_declared; })
      .def_property_readonly("kinks",
                             [](const PyActivation& a) -> py::object {
                               const auto& p = a.properties();
                               if (!p.kink_pattern.empty()) return py::str(p.kink_pattern);
                               return py::cast(p.kinks);
                             })
      .def_property_readonly("smoothness", [](const PyActivation& a) { return a.properties().smoothness; })
      .def_property_readonly("monotone", [](const PyActivation& a) { return a.properties().monotone; })
      .def("theory_class", &PyActivation::theory_class)
      .def("tree", [](const PyActivation& a) { return tree_of(a.act().symbolic()); });

  m.def("catalog", [] {
    py::list l;
    for (const CatalogEntry& e : activations::catalog()) l.append(entry_record(e));
    return l;
  });
}

}  // namespace actlab::python
