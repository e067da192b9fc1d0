// An activation ready to use: a catalog name or a formula, its parameters bound, f, f', f'' derived and
// compiled.
//
//   auto a = Activation::make("repu", {{"p", 3}}).value();       // catalog entry with a parameter
//   auto b = Activation::make("x*sigmoid(1.5*x)").value();      // any formula
//   auto c = Activation::make("x*sigmoid(b*x)", {{"b", 1.5}});   // free parameters bound by name
//   double y = a.f(0.5), dy = a.df(0.5), d2y = a.d2f(0.5);
//   a.kernel_f32().eval(x, {y.data(), dy.data()});               // f and f' over float arrays, in one pass
//
// Catalog names and formulas are interchangeable: every command that takes an activation goes through make().
// Row-wise activations (softmax, ...) have no element-wise formula: use row_op() with row_ops.hpp.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "activations/catalog.hpp"
#include "activations/expr.hpp"
#include "activations/kernel.hpp"

namespace actlab::activations {

class Activation {
 public:
  using Params = std::vector<std::pair<std::string, double>>;

  // spec: a catalog name or alias, or a formula (which may call catalog entries: "x*repu(x, p=3)").
  // params: values for the entry's parameters, or for the free names of a formula. Unknown or unused names,
  // and missing values for a formula's free names, are errors.
  static Result<Activation> make(std::string_view spec, const std::map<std::string, double>& params = {});

  const std::string& name() const { return name_; }     // canonical catalog name, or the formula as typed
  const CatalogEntry* entry() const { return entry_; }  // nullptr for a formula
  const Params& params() const { return params_; }      // every parameter with its value
  bool row_wise() const { return entry_ && entry_->row_wise(); }
  RowOp row_op() const { return entry_ ? entry_->row_op : RowOp::kNone; }
  Stochastic stochastic() const { return entry_ ? entry_->stochastic : Stochastic::kNone; }
  double param(std::string_view name) const;  // NaN when absent

  // The formula with parameter names kept symbolic (for learnable parameters: ∂f/∂a = derivative(symbolic(),
  // "a")).
  const Expr& symbolic() const { return symbolic_; }
  // f, f', f'' with parameters substituted and simplified. Row-wise activations: empty (the constant 0).
  const Expr& f_expr() const { return f_; }
  const Expr& df_expr() const { return df_; }
  const Expr& d2f_expr() const { return d2f_; }

  double f(double x) const;
  double df(double x) const;
  double d2f(double x) const;
  // Outputs f, f', f'' in double (theory); f, f' in float (training).
  const Kernel<double>& kernel() const { return k64_; }
  const Kernel<float>& kernel_f32() const { return k32_; }

 private:
  std::string name_;
  const CatalogEntry* entry_ = nullptr;
  Params params_;
  Expr symbolic_, f_, df_, d2f_;
  Kernel<double> k64_;
  Kernel<float> k32_;
};

}  // namespace actlab::activations
