// The building blocks of evolved activations: functions of arity 1 or 2, the input x, and optional ephemeral
// random constants (ERCs).
//
//   auto ps = PrimitiveSet::make(PrimitiveSet::paper_names()).value();   // Lapid & Sipper's 15 functions
//   auto ps2 = PrimitiveSet::make({"add", "mul", "tanh", "swish"}, Constants{.enabled = true});
//   ps->find("tanh")->arity == 1
//
// Binary primitives are the arithmetic and comparison-free selectors of the formula language: add, sub, mul,
// div, max, min. Unary primitives are catalog entries (element-wise, default parameters: relu, leaky_relu
// with slope 0.01, celu, rrelu in its evaluation form, ...) or built-in functions of the formula language
// (tanh, sin, exp, ...). Every primitive prints as formula text the parser reads back ("max(a, b)", "a + b",
// "leaky_relu(a)"), so an evolved individual is an ordinary formula and then an ordinary Activation.
//
// The default set is the paper's (arXiv 2206.12089; docs/evolution.md): max, min, add, sub,
// mul; tanh, relu, leaky_relu, elu, hardshrink, celu, hardtanh, hardswish, softshrink, rrelu; terminal x, no
// constants. rrelu inside a formula is deterministic (its evaluation-mode slope (1/8 + 1/3)/2): in the
// paper's code it stays random even at test time, a quirk we do not reproduce.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "activations/expr.hpp"
#include "core/status.hpp"

namespace actlab::evolve {

struct Constants {
  bool enabled = false;  // ERC terminals: uniform in [lo, hi], rounded to a multiple of step
  double lo = -2.0, hi = 2.0, step = 0.1;
};

struct Primitive {
  std::string name;  // as the user names it: "add", "max", "leaky_relu"
  int arity = 1;
  // Binary: the formula-language op (kAdd, kSub, kMul, kDiv, kMax, kMin).
  activations::Op op = activations::Op::kAdd;
  // Unary: the function applied to x, catalog calls expanded (what "name(x)" parses to).
  activations::Expr body;
  double apply(double a, double b = 0.0) const;  // scalar semantics, identical to the parsed formula's
};

class PrimitiveSet {
 public:
  // Unknown names, row-wise activations and functions that do not take one argument are errors naming the
  // primitive; so are an empty list and duplicates.
  static Result<PrimitiveSet> make(const std::vector<std::string>& names, Constants constants = {});
  static const std::vector<std::string>& paper_names();
  static const std::vector<std::string>& binary_names();  // add sub mul div max min

  const std::vector<Primitive>& primitives() const { return prims_; }
  const Primitive& operator[](std::size_t i) const { return prims_[i]; }
  std::size_t size() const { return prims_.size(); }
  const Primitive* find(std::string_view name) const;
  const Constants& constants() const { return constants_; }
  std::vector<std::string> names() const;
  // Indices of the primitives of one arity.
  const std::vector<int>& of_arity(int arity) const { return arity == 1 ? unary_ : binary_; }
  // Terminals: x, plus one ERC kind when constants are enabled (DEAP's terminal ratio counts it as one).
  int terminal_count() const { return constants_.enabled ? 2 : 1; }
  double terminal_ratio() const {
    return double(terminal_count()) / double(terminal_count() + static_cast<int>(prims_.size()));
  }

 private:
  std::vector<Primitive> prims_;
  std::vector<int> unary_, binary_;
  Constants constants_;
};

}  // namespace actlab::evolve
