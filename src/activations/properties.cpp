#include "activations/properties.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <sstream>

#include "activations/derivative.hpp"
#include "activations/kernel.hpp"

namespace actlab::activations {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kGridStep = 1e-3;

// Piecewise-constant "which branch" functions of every selector node in f.
std::vector<Expr> selectors(const Expr& f) {
  std::vector<Expr> out;
  std::set<const Node*> seen;
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    if (!seen.insert(e.node()).second) return;
    for (const Expr& a : e.args()) walk(a);
    if (!op_info(e.op()).selector) return;
    switch (e.op()) {
      case Op::kMax: out.push_back(Expr::make(Op::kGe, {e.arg(0), e.arg(1)})); break;
      case Op::kMin: out.push_back(Expr::make(Op::kLe, {e.arg(0), e.arg(1)})); break;
      case Op::kAbs: out.push_back(Expr::make(Op::kSign, {e.arg(0)})); break;
      default: out.push_back(e); break;
    }
  };
  walk(f);
  return out;
}

// Points k·step for integer k in [lo/step, hi/step], computed as k / (1/step) so that integers and simple
// fractions (0, ±0.5, 1) are hit exactly: kinks and domain ends sit there.
std::vector<double> linear_grid(double lo, double hi, double step) {
  const double per_unit = std::round(1.0 / step);
  const auto k0 = static_cast<long long>(std::ceil(lo * per_unit - 1e-9));
  const auto k1 = static_cast<long long>(std::floor(hi * per_unit + 1e-9));
  std::vector<double> g;
  g.reserve(static_cast<std::size_t>(k1 - k0 + 1));
  for (long long k = k0; k <= k1; ++k) g.push_back(static_cast<double>(k) / per_unit);
  return g;
}

std::vector<double> eval_grid(const Expr& f, const std::vector<double>& xs) {
  std::vector<double> y(xs.size());
  auto k = Kernel<double>::compile({f});
  if (!k) {
    for (std::size_t i = 0; i < xs.size(); ++i) y[i] = evaluate(f, xs[i]);
  } else {
    k->eval(xs, std::span<double>(y));
  }
  return y;
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// Does g jump at t? Compare values just left and right, relative to the size of g there.
bool jumps(const Expr& g, double t) {
  const double h = 1e-7 * std::max(1.0, std::fabs(t));
  const double l = evaluate(g, t - h), r = evaluate(g, t + h);
  if (std::isnan(l) != std::isnan(r)) return true;
  if (std::isnan(l)) return false;
  if (std::isinf(l) || std::isinf(r)) return l != r;
  return std::fabs(l - r) > 1e-4 * (1.0 + std::fabs(l) + std::fabs(r));
}

}  // namespace

int jump_order(const Expr& f, double t) {
  Expr g = simplify(f);
  for (int k = 0; k <= kMaxOrder; ++k) {
    if (jumps(g, t)) return k;
    if (k < kMaxOrder) g = derivative(g);
  }
  return -1;
}

std::vector<double> find_kinks(const Expr& f, double lo, double hi) {
  const std::vector<Expr> sel = selectors(simplify(f));
  if (sel.empty()) return {};
  // One step beyond each end: ceil jumps just right of an integer, so a kink at hi shows between hi and hi +
  // step.
  const std::vector<double> xs = linear_grid(lo - kGridStep, hi + kGridStep, kGridStep);
  std::vector<double> candidates;
  for (const Expr& s : sel) {
    const std::vector<double> v = eval_grid(s, xs);
    for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
      if (same(v[i], v[i + 1]) || std::isnan(v[i]) || std::isnan(v[i + 1])) continue;
      // Bisect for the switch point: s(a) == v[i], s(b) != v[i].
      double a = xs[i], b = xs[i + 1];
      for (int it = 0; it < 200 && b - a > 1e-15 * std::max(1.0, std::fabs(a)); ++it) {
        const double m = 0.5 * (a + b);
        if (m <= a || m >= b) break;
        (same(evaluate(s, m), v[i]) ? a : b) = m;
      }
      // The switch sits in [a, b]; a kink exactly on a grid point (0, ±0.5, ...) lands on b (b is a grid
      // point only when no bisection step moved it). Prefer a value with few digits when one lies in the
      // interval.
      double t = 0.5 * (a + b);
      const double r = std::round(t * 1e6) / 1e6;
      if (r >= a - 1e-12 && r <= b + 1e-12) t = r;
      candidates.push_back(t);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  std::vector<double> kinks;
  for (double t : candidates) {
    if (t < lo || t > hi) continue;
    if (!kinks.empty() && std::fabs(t - kinks.back()) < 1e-9 * std::max(1.0, std::fabs(t))) continue;
    if (jump_order(f, t) >= 0) kinks.push_back(t);
  }
  return kinks;
}

int smoothness(const Expr& f, std::span<const double> kinks) {
  int k = kSmoothInfinite;
  for (double t : kinks) {
    const int j = jump_order(f, t);
    if (j >= 0) k = std::min(k, j - 1);
  }
  return k;
}

std::string smoothness_name(int k) {
  if (k >= kSmoothInfinite) return "C-inf";
  if (k < 0) return "discontinuous";
  std::string name = "C";  // built in two steps: "C" + to_string(k) trips a GCC 12 -Wrestrict false positive
  name += std::to_string(k);
  return name;
}

const std::vector<double>& property_grid() {
  static const std::vector<double> kGrid = [] {
    std::vector<double> g = linear_grid(-20.0, 20.0, kGridStep);
    for (int i = 1; i <= 200; ++i) {
      const double v = 20.0 * std::pow(1e8 / 20.0, i / 200.0);  // 20 … 1e8 geometrically
      g.push_back(v);
      g.push_back(-v);
    }
    g.push_back(1e7);
    g.push_back(-1e7);
    std::sort(g.begin(), g.end());
    g.erase(std::unique(g.begin(), g.end()), g.end());
    return g;
  }();
  return kGrid;
}

Range estimate_range(const Expr& f) {
  const std::vector<double>& xs = property_grid();
  const std::vector<double> y = eval_grid(f, xs);
  const std::size_t n = xs.size();
  // One side at a time: sign = +1 finds the sup, -1 the inf.
  auto extreme = [&](double sign) {
    double best = -kInf;
    std::size_t arg = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(y[i])) continue;
      if (sign * y[i] > best) best = sign * y[i], arg = i;
    }
    if (arg == n) return std::numeric_limits<double>::quiet_NaN();
    if (std::isinf(best)) return sign * best;
    const double x = xs[arg];
    if (std::fabs(x) >= 1e8 * (1 - 1e-12)) {
      // Still growing between ±1e7 and ±1e8: unbounded.
      const double y7 = sign * evaluate(f, x > 0 ? 1e7 : -1e7);
      if (best - y7 > 1e-6 * (1.0 + std::fabs(best))) return sign * kInf;
      return sign * best;
    }
    // Interior extreme: zoom in around it (4 rounds, 200 points each, narrowing to the best point's
    // neighbours). A sup that is approached but not attained (frac → 1 before each jump) converges; a pole
    // keeps growing.
    double a = arg > 0 ? xs[arg - 1] : x, b = arg + 1 < n ? xs[arg + 1] : x;
    double refined = best;
    for (int round = 0; round < 4; ++round) {
      constexpr int kPoints = 200;
      double round_best = -kInf, round_x = a;
      for (int i = 0; i <= kPoints; ++i) {
        const double t = a + (b - a) * i / kPoints;
        const double v = sign * evaluate(f, t);
        if (!std::isnan(v) && v > round_best) round_best = v, round_x = t;
      }
      if (std::isinf(round_best)) return sign * kInf;
      if (round_best > 10 * std::fabs(refined) && round_best - refined > 1e3) return sign * kInf;  // a pole
      refined = std::max(refined, round_best);
      const double w = (b - a) / kPoints;
      a = round_x - w, b = round_x + w;
    }
    return sign * refined;
  };
  return {extreme(-1.0), extreme(1.0)};
}

bool estimate_monotone(const Expr& f) {
  const std::vector<double>& xs = property_grid();
  const std::vector<double> y = eval_grid(f, xs);
  bool up = true, down = true;
  double prev = std::numeric_limits<double>::quiet_NaN();
  for (double v : y) {
    if (std::isnan(v)) continue;
    if (!std::isnan(prev) && v != prev) {
      const double tol = 1e-12 * (1.0 + std::fabs(prev));
      if (v < prev - tol) up = false;
      if (v > prev + tol) down = false;
    }
    prev = v;
  }
  return up || down;
}

namespace {

Result<double> eval_declared(const std::string& text, const CatalogEntry& e,
                             std::span<const std::pair<std::string, double>> params) {
  std::vector<std::string> names;
  for (const ParamSpec& p : e.params) names.push_back(p.name);
  auto expr = parse_formula(text, {.parameters = names});
  if (!expr)
    return Status::internal("catalog entry " + e.name + ": '" + text + "': " + expr.status().message());
  Expr v = *expr;
  for (const ParamSpec& p : e.params) {
    double value = p.default_value;
    for (const auto& [k, val] : params) {
      if (k == p.name) value = val;
    }
    v = substitute(v, p.name, value);
  }
  v = simplify(v);
  if (!v.is_const())
    return Status::internal("catalog entry " + e.name + ": '" + text + "' is not a constant");
  return v.value();
}

}  // namespace

Result<Range> declared_range(const CatalogEntry& e, std::span<const std::pair<std::string, double>> params) {
  auto lo = eval_declared(e.range_lo, e, params);
  if (!lo) return lo.status();
  auto hi = eval_declared(e.range_hi, e, params);
  if (!hi) return hi.status();
  return Range{*lo, *hi};
}

Result<std::vector<double>> declared_kinks(const CatalogEntry& e,
                                           std::span<const std::pair<std::string, double>> params, double lo,
                                           double hi) {
  std::vector<double> out;
  if (e.kinks.empty()) return out;
  if (e.kinks == "integers" || e.kinks == "nonzero_integers" || e.kinks == "half_integers") {
    const double offset = e.kinks == "half_integers" ? 0.5 : 0.0;
    for (double k = std::ceil(lo - offset); k + offset <= hi; k += 1.0) {
      if (e.kinks == "nonzero_integers" && k == 0.0) continue;
      out.push_back(k + offset);
    }
    return out;
  }
  std::stringstream ss(e.kinks);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto v = eval_declared(item, e, params);
    if (!v) return v.status();
    if (*v >= lo && *v <= hi) out.push_back(*v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace actlab::activations
