#include "activations/activation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <limits>

#include "activations/derivative.hpp"
#include "activations/special_functions.hpp"

namespace actlab::activations {
namespace {

bool is_identifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

}  // namespace

Result<Activation> Activation::make(std::string_view spec, const std::map<std::string, double>& params) {
  Activation a;
  std::vector<std::string> param_names;
  for (const auto& [k, v] : params) param_names.push_back(k);

  if (const CatalogEntry* e = find_entry(spec)) {
    a.entry_ = e;
    a.name_ = e->name;
    for (const auto& [k, v] : params) {
      if (!e->find_param(k)) {
        std::vector<std::string> known;
        for (const ParamSpec& p : e->params) known.push_back(p.name);
        return Status::invalid_field(
            "param " + k, e->name + " has no parameter '" + k + "'" +
                              (known.empty() ? " (it has none)" : " (it has " + join(known) + ")"));
      }
    }
    for (const ParamSpec& p : e->params) {
      auto it = params.find(p.name);
      a.params_.emplace_back(p.name, it != params.end() ? it->second : p.default_value);
    }
    if (e->row_wise()) return a;
    auto body = parse_entry_formula(*e);
    if (!body) return Status::internal("catalog formula of " + e->name + ": " + body.status().message());
    a.symbolic_ = *body;
  } else {
    a.name_ = std::string(spec);
    if (is_identifier(spec) && spec != "x") {  // "x" alone is the identity formula
      std::vector<std::string> candidates = catalog_names();
      const auto& b = builtin_names();
      candidates.insert(candidates.end(), b.begin(), b.end());
      auto near = nearest_names(spec, candidates);
      std::string msg = "unknown activation '" + std::string(spec) + "'";
      if (!near.empty()) msg += "; did you mean " + join(near) + "?";
      return Status::not_found(msg + " ('actlab act list' shows the catalog)");
    }
    auto body = parse_formula(spec, {.functions = &catalog_functions(), .parameters = param_names});
    if (!body) return body.status();
    a.symbolic_ = *body;
    const std::vector<std::string> used = variables(a.symbolic_);
    for (const std::string& k : param_names) {
      if (std::find(used.begin(), used.end(), k) == used.end()) {
        return Status::invalid_field("param " + k, "the formula has no parameter '" + k + "'");
      }
    }
    for (const auto& [k, v] : params) a.params_.emplace_back(k, v);
  }

  Expr f = a.symbolic_;
  for (const auto& [k, v] : a.params_) f = substitute(f, k, v);
  a.f_ = simplify(f);
  a.df_ = derivative(a.f_);
  a.d2f_ = derivative(a.df_);
  // f'' must be evaluable: polygamma(n, ·) is evaluated up to order kMaxPolygammaOrder.
  std::function<int(const Expr&)> max_order = [&](const Expr& e) {
    int m = e.op() == Op::kPolygamma ? e.order() : -1;
    for (const Expr& arg : e.args()) m = std::max(m, max_order(arg));
    return m;
  };
  if (max_order(a.d2f_) > kMaxPolygammaOrder) {
    return Status::invalid("'" + a.name_ + "': its second derivative needs polygamma of order " +
                           std::to_string(max_order(a.d2f_)) + "; actlab evaluates orders up to " +
                           std::to_string(kMaxPolygammaOrder) + ", so polygamma(n, x) is usable for n <= " +
                           std::to_string(kMaxPolygammaOrder - 2));
  }
  auto k64 = Kernel<double>::compile({a.f_, a.df_, a.d2f_});
  if (!k64) return k64.status();
  a.k64_ = std::move(*k64);
  auto k32 = Kernel<float>::compile({a.f_, a.df_});
  if (!k32) return k32.status();
  a.k32_ = std::move(*k32);
  return a;
}

double Activation::param(std::string_view name) const {
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double Activation::f(double x) const { return evaluate(f_, x); }
double Activation::df(double x) const { return evaluate(df_, x); }
double Activation::d2f(double x) const { return evaluate(d2f_, x); }

}  // namespace actlab::activations
