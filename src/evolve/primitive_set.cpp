#include "evolve/primitive_set.hpp"

#include <algorithm>

#include "activations/catalog.hpp"
#include "activations/parser.hpp"

namespace actlab::evolve {

using activations::Op;

double Primitive::apply(double a, double b) const {
  if (arity == 2) return activations::apply_scalar(op, a, b);
  return activations::evaluate(body, a);
}

const std::vector<std::string>& PrimitiveSet::paper_names() {
  static const std::vector<std::string> names = {"max",  "min",      "add",        "sub",        "mul",
                                                 "tanh", "relu",     "leaky_relu", "elu",        "hardshrink",
                                                 "celu", "hardtanh", "hardswish",  "softshrink", "rrelu"};
  return names;
}

const std::vector<std::string>& PrimitiveSet::binary_names() {
  static const std::vector<std::string> names = {"add", "sub", "mul", "div", "max", "min"};
  return names;
}

namespace {

Op binary_op(std::string_view n) {
  if (n == "add") return Op::kAdd;
  if (n == "sub") return Op::kSub;
  if (n == "mul") return Op::kMul;
  if (n == "div") return Op::kDiv;
  if (n == "max") return Op::kMax;
  return Op::kMin;
}

}  // namespace

Result<PrimitiveSet> PrimitiveSet::make(const std::vector<std::string>& names, Constants constants) {
  if (names.empty()) return Status::invalid("the primitive set is empty");
  if (constants.enabled && !(constants.lo < constants.hi && constants.step > 0)) {
    return Status::invalid("constants need lo < hi and step > 0");
  }
  PrimitiveSet ps;
  ps.constants_ = constants;
  for (const std::string& name : names) {
    if (ps.find(name)) return Status::invalid("primitive '" + name + "' is listed twice");
    Primitive p;
    p.name = name;
    const auto& bin = binary_names();
    if (std::find(bin.begin(), bin.end(), name) != bin.end()) {
      p.arity = 2;
      p.op = binary_op(name);
    } else {
      const activations::CatalogEntry* e = activations::find_entry(name);
      if (e && e->row_wise()) {
        return Status::invalid("primitive '" + name + "' acts on a whole row (not element-wise)");
      }
      auto body = activations::parse_formula(name + "(x)", {.functions = &activations::catalog_functions()});
      if (!body) {
        std::string msg = "primitive '" + name +
                          "' is not a catalog entry, a built-in function of one argument, or one of add, "
                          "sub, mul, div, max, min";
        auto near = activations::nearest_names(name, activations::catalog_names(), 3);
        if (!near.empty()) {
          msg += " (did you mean";
          for (std::size_t i = 0; i < near.size(); ++i) msg += (i ? ", " : " ") + near[i];
          msg += "?)";
        }
        return Status::not_found(msg);
      }
      p.arity = 1;
      p.body = *body;
    }
    (p.arity == 1 ? ps.unary_ : ps.binary_).push_back(static_cast<int>(ps.prims_.size()));
    ps.prims_.push_back(std::move(p));
  }
  return ps;
}

const Primitive* PrimitiveSet::find(std::string_view name) const {
  for (const Primitive& p : prims_)
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<std::string> PrimitiveSet::names() const {
  std::vector<std::string> out;
  for (const Primitive& p : prims_) out.push_back(p.name);
  return out;
}

}  // namespace actlab::evolve
