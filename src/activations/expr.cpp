#include "activations/expr.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <unordered_map>

#include "activations/special_functions.hpp"

namespace actlab::activations {
namespace {

constexpr std::size_t kOpCount = static_cast<std::size_t>(Op::kWhere) + 1;

const std::array<OpInfo, kOpCount> kOpTable = {{
    {"", 0, false},           // kConst
    {"", 0, false},           // kVar
    {"", 1, false},           // kNeg
    {"abs", 1, true},         // kAbs
    {"sign", 1, true},        // kSign
    {"exp", 1, false},        // kExp
    {"expm1", 1, false},      // kExpm1
    {"log", 1, false},        // kLog
    {"log1p", 1, false},      // kLog1p
    {"log10", 1, false},      // kLog10
    {"sqrt", 1, false},       // kSqrt
    {"sin", 1, false},        // kSin
    {"cos", 1, false},        // kCos
    {"tan", 1, false},        // kTan
    {"asin", 1, false},       // kAsin
    {"acos", 1, false},       // kAcos
    {"atan", 1, false},       // kAtan
    {"sinh", 1, false},       // kSinh
    {"cosh", 1, false},       // kCosh
    {"tanh", 1, false},       // kTanh
    {"sigmoid", 1, false},    // kSigmoid
    {"softplus", 1, false},   // kSoftplus
    {"erf", 1, false},        // kErf
    {"erfc", 1, false},       // kErfc
    {"floor", 1, true},       // kFloor
    {"ceil", 1, true},        // kCeil
    {"round", 1, true},       // kRound
    {"trunc", 1, true},       // kTrunc
    {"polygamma", 1, false},  // kPolygamma: one argument, order n in the node; written polygamma(n, x)
    {"", 2, false},           // kAdd
    {"", 2, false},           // kSub
    {"", 2, false},           // kMul
    {"", 2, false},           // kDiv
    {"", 2, false},           // kPow
    {"max", 2, true},         // kMax
    {"min", 2, true},         // kMin
    {"", 2, true},            // kGt
    {"", 2, true},            // kGe
    {"", 2, true},            // kLt
    {"", 2, true},            // kLe
    {"", 2, true},            // kEq
    {"", 2, true},            // kNe
    {"where", 3, false},      // kWhere
}};

std::size_t mix(std::size_t h, std::size_t v) {
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

std::shared_ptr<const Node> zero_node() {
  static const std::shared_ptr<const Node> kZero = [] {
    auto n = std::make_shared<Node>();
    n->hash = mix(0, std::hash<double>{}(0.0));
    return n;
  }();
  return kZero;
}

bool is_integer(double v) { return std::isfinite(v) && v == std::trunc(v); }

}  // namespace

const OpInfo& op_info(Op op) { return kOpTable[static_cast<std::size_t>(op)]; }

bool is_comparison(Op op) { return op >= Op::kGt && op <= Op::kNe; }

Expr::Expr() : n_(zero_node()) {}

Expr Expr::constant(double v) {
  if (v == 0.0 && !std::signbit(v)) return Expr();
  auto n = std::make_shared<Node>();
  n->op = Op::kConst;
  n->value = v;
  // NaN constants hash alike (and compare equal, see operator==).
  n->hash = mix(0, std::isnan(v) ? 0x7ff8ULL : std::hash<double>{}(v));
  return Expr(std::move(n));
}

Expr Expr::var(std::string name) {
  auto n = std::make_shared<Node>();
  n->op = Op::kVar;
  n->hash = mix(1, std::hash<std::string>{}(name));
  n->name = std::move(name);
  return Expr(std::move(n));
}

Expr Expr::make(Op op, std::vector<Expr> args, int order) {
  auto n = std::make_shared<Node>();
  n->op = op;
  n->order = order;
  std::size_t h = mix(static_cast<std::size_t>(op) + 2, static_cast<std::size_t>(order));
  for (const Expr& a : args) h = mix(h, a.hash());
  n->hash = h;
  n->args = std::move(args);
  return Expr(std::move(n));
}

Op Expr::op() const { return n_->op; }
double Expr::value() const { return n_->value; }
const std::string& Expr::name() const { return n_->name; }
int Expr::order() const { return n_->order; }
const std::vector<Expr>& Expr::args() const { return n_->args; }
std::size_t Expr::hash() const { return n_->hash; }
bool Expr::is_var(std::string_view name) const { return op() == Op::kVar && n_->name == name; }

bool operator==(const Expr& a, const Expr& b) {
  if (a.n_ == b.n_) return true;
  if (a.hash() != b.hash() || a.op() != b.op() || a.order() != b.order()) return false;
  switch (a.op()) {
    case Op::kConst:
      return (a.value() == b.value() && std::signbit(a.value()) == std::signbit(b.value())) ||
             (std::isnan(a.value()) && std::isnan(b.value()));
    case Op::kVar: return a.name() == b.name();
    default:
      if (a.args().size() != b.args().size()) return false;
      for (std::size_t i = 0; i < a.args().size(); ++i) {
        if (!(a.args()[i] == b.args()[i])) return false;
      }
      return true;
  }
}

double apply_scalar(Op op, double a, double b, double c, int order) {
  switch (op) {
    case Op::kConst:
    case Op::kVar: return a;
    case Op::kNeg: return -a;
    case Op::kAbs: return std::fabs(a);
    case Op::kSign: return std::isnan(a) ? a : (a > 0) - (a < 0);
    case Op::kExp: return std::exp(a);
    case Op::kExpm1: return std::expm1(a);
    case Op::kLog: return std::log(a);
    case Op::kLog1p: return std::log1p(a);
    case Op::kLog10: return std::log10(a);
    case Op::kSqrt: return std::sqrt(a);
    case Op::kSin: return std::sin(a);
    case Op::kCos: return std::cos(a);
    case Op::kTan: return std::tan(a);
    case Op::kAsin: return std::asin(a);
    case Op::kAcos: return std::acos(a);
    case Op::kAtan: return std::atan(a);
    case Op::kSinh: return std::sinh(a);
    case Op::kCosh: return std::cosh(a);
    case Op::kTanh: return std::tanh(a);
    // σ(a) = 1/(1+e^{-a}), computed without overflow on either side.
    case Op::kSigmoid: {
      const double e = std::exp(-std::fabs(a));
      return a >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    }
    // softplus(a) = log(1+e^a) = max(a,0) + log1p(e^{-|a|}).
    case Op::kSoftplus: return std::isnan(a) ? a : std::max(a, 0.0) + std::log1p(std::exp(-std::fabs(a)));
    case Op::kErf: return std::erf(a);
    case Op::kErfc: return std::erfc(a);
    case Op::kFloor: return std::floor(a);
    case Op::kCeil: return std::ceil(a);
    case Op::kRound: return std::nearbyint(a);
    case Op::kTrunc: return std::trunc(a);
    case Op::kPolygamma: return polygamma(order, a);
    case Op::kAdd: return a + b;
    case Op::kSub: return a - b;
    case Op::kMul: return a * b;
    case Op::kDiv: return a / b;
    case Op::kPow: return std::pow(a, b);
    case Op::kMax: return (std::isnan(a) || std::isnan(b)) ? a + b : std::max(a, b);
    case Op::kMin: return (std::isnan(a) || std::isnan(b)) ? a + b : std::min(a, b);
    case Op::kGt: return a > b;
    case Op::kGe: return a >= b;
    case Op::kLt: return a < b;
    case Op::kLe: return a <= b;
    case Op::kEq: return a == b;
    case Op::kNe: return a != b;
    case Op::kWhere: return a != 0 ? b : c;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

// ---- smart constructors
// ------------------------------------------------------------------------------------------

Expr neg(const Expr& a) {
  if (a.is_const()) return constant(-a.value());
  if (a.op() == Op::kNeg) return a.arg(0);
  if (a.op() == Op::kSub) return Expr::make(Op::kSub, {a.arg(1), a.arg(0)});
  return Expr::make(Op::kNeg, {a});
}

Expr add(const Expr& a, const Expr& b) {
  if (a.is_const() && b.is_const()) return constant(a.value() + b.value());
  if (a.is_const(0.0)) return b;
  if (b.is_const(0.0)) return a;
  if (b.op() == Op::kNeg) return sub(a, b.arg(0));
  if (a.op() == Op::kNeg) return sub(b, a.arg(0));
  if (b.is_const() && b.value() < 0) return sub(a, constant(-b.value()));
  if (a == b) return mul(constant(2.0), a);
  return Expr::make(Op::kAdd, {a, b});
}

Expr sub(const Expr& a, const Expr& b) {
  if (a.is_const() && b.is_const()) return constant(a.value() - b.value());
  if (b.is_const(0.0)) return a;
  if (a.is_const(0.0)) return neg(b);
  if (a == b) return constant(0.0);
  // a - (a - c) = c: x - tanh(x) differentiates to 1 - (1 - tanh²), which cancels badly in float.
  if (b.op() == Op::kSub && b.arg(0) == a) return b.arg(1);
  if (b.op() == Op::kNeg) return add(a, b.arg(0));
  if (b.is_const() && b.value() < 0) return add(a, constant(-b.value()));
  return Expr::make(Op::kSub, {a, b});
}

Expr mul(const Expr& a, const Expr& b) {
  if (a.is_const() && b.is_const()) return constant(a.value() * b.value());
  if (b.is_const()) return mul(b, a);  // constants to the left
  if (a.is_const()) {
    // 0·b = 0 assumes b finite: the usual rule of symbolic algebra, needed to keep derivatives small.
    if (a.value() == 0.0) return constant(0.0);
    if (a.value() == 1.0) return b;
    if (a.value() == -1.0) return neg(b);
    if (b.op() == Op::kMul && b.arg(0).is_const())
      return mul(constant(a.value() * b.arg(0).value()), b.arg(1));
    if (b.op() == Op::kNeg) return mul(constant(-a.value()), b.arg(0));
  }
  if (a.op() == Op::kNeg && b.op() == Op::kNeg) return mul(a.arg(0), b.arg(0));
  if (a.op() == Op::kNeg) return neg(mul(a.arg(0), b));
  if (b.op() == Op::kNeg) return neg(mul(a, b.arg(0)));
  if (b.op() == Op::kMul && b.arg(0).is_const()) return mul(b.arg(0), mul(a, b.arg(1)));
  if (a == b) return pow(a, constant(2.0));
  return Expr::make(Op::kMul, {a, b});
}

Expr div(const Expr& a, const Expr& b) {
  if (a.is_const() && b.is_const()) return constant(a.value() / b.value());
  if (b.is_const(1.0)) return a;
  if (b.is_const(-1.0)) return neg(a);
  if (a.is_const(0.0)) return constant(0.0);
  if (a == b) return constant(1.0);
  if (a.op() == Op::kNeg) return neg(div(a.arg(0), b));
  return Expr::make(Op::kDiv, {a, b});
}

Expr pow(const Expr& a, const Expr& b) {
  if (a.is_const() && b.is_const()) return constant(std::pow(a.value(), b.value()));
  if (b.is_const(0.0)) return constant(1.0);
  if (b.is_const(1.0)) return a;
  // (u^m)^n = u^(m·n) for integers m, n (true for every real u).
  if (a.op() == Op::kPow && b.is_const() && is_integer(b.value()) && a.arg(1).is_const() &&
      is_integer(a.arg(1).value())) {
    return pow(a.arg(0), constant(a.arg(1).value() * b.value()));
  }
  return Expr::make(Op::kPow, {a, b});
}

Expr where(const Expr& c, const Expr& a, const Expr& b) {
  if (c.is_const()) return c.value() != 0 ? a : b;
  if (a == b) return a;
  return Expr::make(Op::kWhere, {c, a, b});
}

Expr apply(Op op, std::vector<Expr> args, int order) {
  switch (op) {
    case Op::kConst:
    case Op::kVar: return args.empty() ? Expr() : args[0];
    case Op::kNeg: return neg(args[0]);
    case Op::kAdd: return add(args[0], args[1]);
    case Op::kSub: return sub(args[0], args[1]);
    case Op::kMul: return mul(args[0], args[1]);
    case Op::kDiv: return div(args[0], args[1]);
    case Op::kPow: return pow(args[0], args[1]);
    case Op::kWhere: return where(args[0], args[1], args[2]);
    default: break;
  }
  const bool all_const = std::all_of(args.begin(), args.end(), [](const Expr& e) { return e.is_const(); });
  if (all_const) {
    const double a = args.size() > 0 ? args[0].value() : 0.0;
    const double b = args.size() > 1 ? args[1].value() : 0.0;
    return constant(apply_scalar(op, a, b, 0.0, order));
  }
  if ((op == Op::kMax || op == Op::kMin) && args[0] == args[1]) return args[0];
  if (op == Op::kAbs && args[0].op() == Op::kAbs) return args[0];                            // |(|u|)| = |u|
  if (op == Op::kAbs && args[0].op() == Op::kNeg) return apply(Op::kAbs, {args[0].arg(0)});  // |-u| = |u|
  return Expr::make(op, std::move(args), order);
}

// ---- whole-tree transforms
// -----------------------------------------------------------------------------------------

namespace {

// Bottom-up rebuild with memoisation on node identity, so shared subtrees are visited once.
template <class LeafFn>
Expr rebuild(const Expr& e, std::unordered_map<const Node*, Expr>& memo, const LeafFn& leaf) {
  if (auto it = memo.find(e.node()); it != memo.end()) return it->second;
  Expr out;
  if (e.op() == Op::kConst || e.op() == Op::kVar) {
    out = leaf(e);
  } else {
    std::vector<Expr> args;
    args.reserve(e.args().size());
    for (const Expr& a : e.args()) args.push_back(rebuild(a, memo, leaf));
    out = apply(e.op(), std::move(args), e.order());
  }
  memo.emplace(e.node(), out);
  return out;
}

}  // namespace

Expr simplify(const Expr& e) {
  std::unordered_map<const Node*, Expr> memo;
  return rebuild(e, memo, [](const Expr& l) { return l; });
}

Expr substitute(const Expr& e, std::string_view name, double value) {
  std::unordered_map<const Node*, Expr> memo;
  return rebuild(e, memo, [&](const Expr& l) { return l.is_var(name) ? constant(value) : l; });
}

Expr substitute(const Expr& e, std::string_view name, const Expr& by) {
  if (e.is_var(name)) return by;
  if (e.op() == Op::kConst || e.op() == Op::kVar) return e;
  std::vector<Expr> args;
  args.reserve(e.args().size());
  for (const Expr& a : e.args()) args.push_back(substitute(a, name, by));
  return Expr::make(e.op(), std::move(args), e.order());
}

std::vector<std::string> variables(const Expr& e) {
  std::set<std::string> names;
  std::set<const Node*> seen;
  std::function<void(const Expr&)> walk = [&](const Expr& n) {
    if (!seen.insert(n.node()).second) return;
    if (n.op() == Op::kVar) names.insert(n.name());
    for (const Expr& a : n.args()) walk(a);
  };
  walk(e);
  return {names.begin(), names.end()};
}

std::size_t node_count(const Expr& e) {
  std::set<const Node*> seen;
  std::function<void(const Expr&)> walk = [&](const Expr& n) {
    if (!seen.insert(n.node()).second) return;
    for (const Expr& a : n.args()) walk(a);
  };
  walk(e);
  return seen.size();
}

double evaluate(const Expr& e, double x) {
  switch (e.op()) {
    case Op::kConst: return e.value();
    case Op::kVar: return e.name() == "x" ? x : std::numeric_limits<double>::quiet_NaN();
    default: break;
  }
  const auto& args = e.args();
  if (e.op() == Op::kWhere) {
    return evaluate(args[0], x) != 0 ? evaluate(args[1], x) : evaluate(args[2], x);
  }
  const double a = args.size() > 0 ? evaluate(args[0], x) : 0.0;
  const double b = args.size() > 1 ? evaluate(args[1], x) : 0.0;
  return apply_scalar(e.op(), a, b, 0.0, e.order());
}

}  // namespace actlab::activations
