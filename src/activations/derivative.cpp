#include "activations/derivative.hpp"

#include <cmath>
#include <numbers>
#include <unordered_map>

namespace actlab::activations {
namespace {

class Differentiator {
 public:
  explicit Differentiator(std::string_view var) : var_(var) {}

  Expr d(const Expr& e) {
    if (auto it = memo_.find(e.node()); it != memo_.end()) return it->second;
    Expr r = rule(e);
    memo_.emplace(e.node(), r);
    return r;
  }

 private:
  Expr rule(const Expr& e) {
    const auto& a = e.args();
    const Expr one = constant(1.0);
    auto u = [&](Op op, const Expr& v) { return apply(op, {v}); };
    switch (e.op()) {
      case Op::kConst: return constant(0.0);
      case Op::kVar: return constant(e.name() == var_ ? 1.0 : 0.0);
      case Op::kNeg: return neg(d(a[0]));
      case Op::kAdd: return add(d(a[0]), d(a[1]));
      case Op::kSub: return sub(d(a[0]), d(a[1]));
      case Op::kMul: return add(mul(d(a[0]), a[1]), mul(a[0], d(a[1])));
      // (a/b)' = a'/b - a·b'/b²
      case Op::kDiv: return sub(div(d(a[0]), a[1]), div(mul(a[0], d(a[1])), pow(a[1], constant(2.0))));
      case Op::kPow: {
        const Expr da = d(a[0]), db = d(a[1]);
        // (a^c)' = c·a^(c-1)·a' for constant c; (c^b)' = ln(c)·c^b·b'; general: a^b·(b'·ln a + b·a'/a).
        if (db.is_const(0.0)) return mul(mul(a[1], pow(a[0], sub(a[1], one))), da);
        if (da.is_const(0.0)) return mul(mul(u(Op::kLog, a[0]), e), db);
        return mul(e, add(mul(db, u(Op::kLog, a[0])), div(mul(a[1], da), a[0])));
      }
      case Op::kMax:
      case Op::kMin: {
        const Op first = e.op() == Op::kMax ? Op::kGt : Op::kLt;
        const Expr da = d(a[0]), db = d(a[1]);
        if (da == db) return da;
        return where(apply(first, {a[0], a[1]}), da,
                     where(apply(first, {a[1], a[0]}), db, mul(constant(0.5), add(da, db))));
      }
      case Op::kWhere: return where(a[0], d(a[1]), d(a[2]));
      case Op::kAbs: return mul(u(Op::kSign, a[0]), d(a[0]));
      case Op::kSign:
      case Op::kFloor:
      case Op::kCeil:
      case Op::kRound:
      case Op::kTrunc:
      case Op::kGt:
      case Op::kGe:
      case Op::kLt:
      case Op::kLe:
      case Op::kEq:
      case Op::kNe: return constant(0.0);
      default: break;
    }
    // Unary chain rule: f(a)' = f'(a)·a'.
    const Expr da = d(a[0]);
    if (da.is_const(0.0)) return constant(0.0);
    return mul(outer(e), da);
  }

  // f'(a) for unary f, as an expression in a (and e = f(a) where that is shorter).
  Expr outer(const Expr& e) {
    const Expr& a = e.arg(0);
    const Expr one = constant(1.0);
    auto u = [](Op op, const Expr& v) { return apply(op, {v}); };
    const Expr two_over_sqrt_pi = constant(2.0 / std::sqrt(std::numbers::pi));
    switch (e.op()) {
      case Op::kExp: return e;
      case Op::kExpm1: return u(Op::kExp, a);
      case Op::kLog: return div(one, a);
      case Op::kLog1p: return div(one, add(one, a));
      case Op::kLog10: return div(one, mul(constant(std::numbers::ln10), a));
      case Op::kSqrt: return div(constant(0.5), e);
      case Op::kSin: return u(Op::kCos, a);
      case Op::kCos: return neg(u(Op::kSin, a));
      case Op::kTan: return add(one, pow(e, constant(2.0)));  // 1 + tan², as torch computes it
      case Op::kAsin: return div(one, u(Op::kSqrt, sub(one, pow(a, constant(2.0)))));
      case Op::kAcos: return neg(div(one, u(Op::kSqrt, sub(one, pow(a, constant(2.0))))));
      case Op::kAtan: return div(one, add(one, pow(a, constant(2.0))));
      case Op::kSinh: return u(Op::kCosh, a);
      case Op::kCosh: return u(Op::kSinh, a);
      case Op::kTanh: return sub(one, pow(e, constant(2.0)));
      case Op::kSigmoid: return mul(e, sub(one, e));
      case Op::kSoftplus: return u(Op::kSigmoid, a);
      case Op::kErf: return mul(two_over_sqrt_pi, u(Op::kExp, neg(pow(a, constant(2.0)))));
      case Op::kErfc: return neg(mul(two_over_sqrt_pi, u(Op::kExp, neg(pow(a, constant(2.0))))));
      case Op::kPolygamma: return apply(Op::kPolygamma, {a}, e.order() + 1);
      default: return constant(std::numeric_limits<double>::quiet_NaN());
    }
  }

  std::string_view var_;
  std::unordered_map<const Node*, Expr> memo_;
};

}  // namespace

Expr derivative(const Expr& e, std::string_view var) {
  // Differentiate the simplified tree so that identities (x*1, where with constant condition) cost nothing.
  return Differentiator(var).d(simplify(e));
}

}  // namespace actlab::activations
