#include "shallow/piecewise.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace actlab::shallow {
namespace {

constexpr const char* kSupported =
    "relu, leaky_relu, prelu, rrelu, hardtanh, relu6, abs, softshrink, linear, neg, hard_sigmoid, "
    "hard_sigmoid_keras, trelu (theta = 0), hardshrink (lambd = 0)";
// Piecewise linear (or constant) with jumps: no ReLU network computes them.
constexpr const char* kDiscontinuous[] = {"hardshrink", "trelu", "step",  "sign",  "angle",
                                          "floor",      "ceil",  "round", "trunc", "frac"};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string with_params(const activations::Activation& act) {
  std::string s = "'" + act.name() + "'";
  if (act.params().empty()) return s;
  s += " (";
  for (std::size_t i = 0; i < act.params().size(); ++i) {
    if (i > 0) s += ", ";
    s += act.params()[i].first + " = " + number(act.params()[i].second);
  }
  return s + ")";
}

Status discontinuous(const activations::Activation& act, const std::string& where) {
  return Status::invalid(
      "activation " + with_params(act) + " is piecewise linear but not continuous (it jumps at " + where +
      "), and no ReLU network computes a jump; shallow conversion supports " + relu_form_entries());
}

ReluForm leaky(double s) { return {0, 0, {{1, 0, 1}, {-1, 0, -s}}}; }
ReluForm clamp(double lo, double hi) { return {lo, 0, {{1, -lo, 1}, {1, -hi, -1}}}; }

}  // namespace

double ReluForm::operator()(double t) const {
  double y = offset + slope * t;
  for (const Hinge& h : hinges) y += h.coef * std::max(0.0, h.scale * t + h.shift);
  return y;
}

ReluForm ReluForm::without_slope() const {
  ReluForm g = *this;
  if (g.slope != 0) {
    g.hinges.push_back({1, 0, g.slope});
    g.hinges.push_back({-1, 0, -g.slope});
    g.slope = 0;
  }
  return g;
}

std::string relu_form_entries() { return kSupported; }

Result<ReluForm> relu_form(const activations::Activation& act) {
  const activations::CatalogEntry* e = act.entry();
  if (e == nullptr || e->is_user()) {
    return Status::invalid("activation '" + act.name() + "' is " +
                           (e == nullptr ? "a formula" : "a user catalog entry") +
                           ", not known to be piecewise linear; shallow conversion supports the catalog "
                           "entries " +
                           relu_form_entries());
  }
  for (const auto& [name, value] : act.params()) {
    if (!std::isfinite(value))
      return Status::invalid("activation " + with_params(act) + ": " + name + " is not finite");
  }
  const std::string& n = e->name;
  ReluForm g;
  if (n == "relu") {
    g.hinges = {{1, 0, 1}};
  } else if (n == "leaky_relu") {
    g = leaky(act.param("negative_slope"));
  } else if (n == "prelu") {
    g = leaky(act.param("a"));
  } else if (n == "rrelu") {
    g = leaky((act.param("lower") + act.param("upper")) / 2);  // the catalog's eval-mode formula
  } else if (n == "hardtanh") {
    const double lo = act.param("min_val"), hi = act.param("max_val");
    if (lo > hi) return discontinuous(act, "min_val");
    g = lo < hi ? clamp(lo, hi) : ReluForm{lo, 0, {}};
  } else if (n == "relu6") {
    g = clamp(0, 6);
  } else if (n == "abs") {
    g.hinges = {{1, 0, 1}, {-1, 0, 1}};
  } else if (n == "softshrink") {
    const double l = act.param("lambd");
    if (l < 0) return discontinuous(act, "lambd");
    g.hinges = {{1, -l, 1}, {-1, -l, -1}};
  } else if (n == "hard_sigmoid") {
    g.hinges = {{1.0 / 6, 0.5, 1}, {1.0 / 6, -0.5, -1}};
  } else if (n == "hard_sigmoid_keras") {
    g.hinges = {{0.2, 0.5, 1}, {0.2, -0.5, -1}};
  } else if (n == "linear") {
    g.slope = 1;
  } else if (n == "neg") {
    g.slope = -1;
  } else if (n == "hardshrink" && act.param("lambd") == 0) {
    g.slope = 1;
  } else if (n == "trelu" && act.param("theta") == 0) {
    g.hinges = {{1, 0, 1}};
  } else if (std::find(std::begin(kDiscontinuous), std::end(kDiscontinuous), n) != std::end(kDiscontinuous)) {
    return discontinuous(act, e->kinks);
  } else {
    return Status::invalid("activation " + with_params(act) + " is not piecewise linear" +
                           (e->row_wise() ? " (it acts on a whole row)" : "") +
                           "; shallow conversion supports " + relu_form_entries());
  }
  // Zero coefficients add nothing (leaky_relu with slope 0 is relu); a hinge with scale 0 is a constant.
  for (const Hinge& h : g.hinges)
    if (h.scale == 0) g.offset += h.coef * std::max(0.0, h.shift);
  std::erase_if(g.hinges, [](const Hinge& h) { return h.coef == 0 || h.scale == 0; });
  return g;
}

}  // namespace actlab::shallow
