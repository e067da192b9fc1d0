// Tests for activations/expr.hpp: expression nodes, smart constructors, tree transforms, scalar semantics.
//
// Checked against values this code did not produce:
//   - closed forms (sin(π/6) = 1/2, σ(−a) = e^{−a}/(1 + e^{−a}), softplus(0) = ln 2, ψ(1) = −γ, ...);
//   - the IEEE/torch conventions the header documents (round half to even, NaN through max/min, 0/1
//   comparisons);
//   - the unsimplified tree as an independent evaluator of what the smart constructors build: on random
//   trees,
//     simplify(e) must evaluate to what Expr::make's literal tree evaluates to, up to a rounding budget
//     measured by re-evaluating with every intermediate jittered by a few ulps;
//   - brute-force node counting on trees with known sharing.
#include "activations/expr.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/rng.hpp"
#include "support/expr_builders.hpp"
#include "support/random_expr.hpp"

namespace actlab::activations {
namespace {

using actlab::testing::bin;
using actlab::testing::c;
using actlab::testing::kInf;
using actlab::testing::kNaN;
using actlab::testing::random_formula;
using actlab::testing::un;
using actlab::testing::x;

constexpr double kPi = std::numbers::pi;
constexpr double kE = std::numbers::e;

// A structurally identical tree made of fresh nodes (no pointer shared with e).
Expr deep_copy(const Expr& e) {
  if (e.op() == Op::kConst) {
    // Expr::constant(0.0) returns a shared node by design; every other constant is a fresh node.
    return Expr::constant(e.value());
  }
  if (e.op() == Op::kVar) return Expr::var(e.name());
  std::vector<Expr> args;
  for (const Expr& a : e.args()) args.push_back(deep_copy(a));
  return Expr::make(e.op(), std::move(args), e.order());
}

// ---- random trees
// -------------------------------------------------------------------------------------------

// Random trees come from random_formula() (support/random_expr.hpp) with its default options: every op,
// selectors and shared subtrees included, each fed an argument inside its domain; leaves are x and constants
// only, so every tree evaluates without parameters and is finite everywhere on [-3, 3].

// evaluate() with every computed (non-selector) value multiplied by 1 + rel·u, u uniform in [−1, 1]: the
// spread of a few such runs measures how much rounding differences can move the result at this point.
double jittered(const Expr& e, double at, Rng& rng, double rel) {
  switch (e.op()) {
    case Op::kConst: return e.value() * (1.0 + rel * (2.0 * rng.uniform() - 1.0));
    case Op::kVar: return at;
    default: break;
  }
  if (e.op() == Op::kWhere) {
    return jittered(e.arg(0), at, rng, rel) != 0 ? jittered(e.arg(1), at, rng, rel)
                                                 : jittered(e.arg(2), at, rng, rel);
  }
  const double a = jittered(e.arg(0), at, rng, rel);
  const double b = e.args().size() > 1 ? jittered(e.arg(1), at, rng, rel) : 0.0;
  const double v = apply_scalar(e.op(), a, b, 0.0, e.order());
  if (op_info(e.op()).selector || e.op() == Op::kNeg) return v;
  return v * (1.0 + rel * (2.0 * rng.uniform() - 1.0));
}

// ---- construction and structural equality
// ----------------------------------------------------------------------

TEST(Expr, LeavesAndAccessors) {
  const Expr zero;
  EXPECT_TRUE(zero.is_const(0.0));
  EXPECT_FALSE(std::signbit(zero.value()));
  const Expr v = Expr::var("alpha");
  EXPECT_EQ(v.op(), Op::kVar);
  EXPECT_EQ(v.name(), "alpha");
  EXPECT_TRUE(v.is_var("alpha"));
  EXPECT_FALSE(v.is_var("x"));
  const Expr p = Expr::make(Op::kPolygamma, {x()}, 3);
  EXPECT_EQ(p.order(), 3);
  ASSERT_EQ(p.args().size(), 1u);
  EXPECT_TRUE(p.arg(0).is_var("x"));
  EXPECT_TRUE(c(2.5).is_const(2.5));
  EXPECT_FALSE(c(2.5).is_const(2.0));
}

TEST(Expr, OpInfoArityMatchesTheOpGroups) {
  EXPECT_EQ(op_info(Op::kConst).arity, 0);
  EXPECT_EQ(op_info(Op::kVar).arity, 0);
  for (int o = static_cast<int>(Op::kNeg); o <= static_cast<int>(Op::kPolygamma); ++o) {
    EXPECT_EQ(op_info(static_cast<Op>(o)).arity, 1) << o;
  }
  for (int o = static_cast<int>(Op::kAdd); o <= static_cast<int>(Op::kNe); ++o) {
    EXPECT_EQ(op_info(static_cast<Op>(o)).arity, 2) << o;
  }
  EXPECT_EQ(op_info(Op::kWhere).arity, 3);
  EXPECT_EQ(op_info(Op::kSigmoid).name, "sigmoid");
  EXPECT_EQ(op_info(Op::kMax).name, "max");
  EXPECT_EQ(op_info(Op::kWhere).name, "where");
  for (Op op : {Op::kGt, Op::kGe, Op::kLt, Op::kLe, Op::kEq, Op::kNe}) {
    EXPECT_TRUE(is_comparison(op));
    EXPECT_TRUE(op_info(op).selector);
  }
  for (Op op : {Op::kAdd, Op::kMax, Op::kWhere, Op::kNeg, Op::kAbs}) EXPECT_FALSE(is_comparison(op));
  for (Op op : {Op::kAbs, Op::kSign, Op::kFloor, Op::kCeil, Op::kRound, Op::kTrunc, Op::kMax, Op::kMin}) {
    EXPECT_TRUE(op_info(op).selector) << static_cast<int>(op);
  }
  for (Op op : {Op::kExp, Op::kTanh, Op::kAdd, Op::kMul, Op::kPow, Op::kSigmoid}) {
    EXPECT_FALSE(op_info(op).selector) << static_cast<int>(op);
  }
}

TEST(Expr, StructuralEqualityIgnoresIdentity) {
  const Expr a = bin(Op::kAdd, x(), un(Op::kSin, bin(Op::kMul, c(1.5), x())));
  const Expr b = bin(Op::kAdd, x(), un(Op::kSin, bin(Op::kMul, c(1.5), x())));
  EXPECT_NE(a.node(), b.node());
  EXPECT_TRUE(a == b);
  EXPECT_EQ(a.hash(), b.hash());
  // Differences anywhere make them unequal.
  EXPECT_FALSE(a == bin(Op::kAdd, un(Op::kSin, bin(Op::kMul, c(1.5), x())), x()));   // operand order
  EXPECT_FALSE(a == bin(Op::kAdd, x(), un(Op::kCos, bin(Op::kMul, c(1.5), x()))));   // op
  EXPECT_FALSE(a == bin(Op::kAdd, x(), un(Op::kSin, bin(Op::kMul, c(1.25), x()))));  // constant
  EXPECT_FALSE(a == bin(Op::kAdd, x(), un(Op::kSin, bin(Op::kMul, c(1.5), Expr::var("y")))));  // name
  EXPECT_FALSE(Expr::var("x") == Expr::var("y"));
  EXPECT_FALSE(Expr::make(Op::kPolygamma, {x()}, 1) == Expr::make(Op::kPolygamma, {x()}, 2));
  EXPECT_TRUE(Expr::make(Op::kPolygamma, {x()}, 2) == Expr::make(Op::kPolygamma, {x()}, 2));
  EXPECT_FALSE(c(1.0) == x());
}

TEST(Expr, ConstantEqualitySeesSignOfZeroAndEquatesNaNs) {
  EXPECT_TRUE(Expr() == c(0.0));
  EXPECT_FALSE(c(0.0) == c(-0.0));  // -0 and +0 print differently and 1/x tells them apart
  EXPECT_TRUE(c(-0.0) == c(-0.0));
  EXPECT_TRUE(std::signbit(c(-0.0).value()));
  EXPECT_TRUE(c(kNaN) == c(kNaN));
  EXPECT_TRUE(c(kNaN) == c(-kNaN));
  EXPECT_EQ(c(kNaN).hash(), c(-kNaN).hash());
  EXPECT_TRUE(c(kInf) == c(kInf));
  EXPECT_FALSE(c(kInf) == c(-kInf));
  EXPECT_FALSE(c(1.0) == c(std::nextafter(1.0, 2.0)));
}

TEST(Expr, EqualTreesHashAlikeAndWorkInHashSets) {
  struct Hash {
    std::size_t operator()(const Expr& e) const { return e.hash(); }
  };
  Rng rng(11);
  std::vector<Expr> trees;
  for (int i = 0; i < 300; ++i) trees.push_back(random_formula(rng, 4));
  std::unordered_set<Expr, Hash> set(trees.begin(), trees.end());
  const std::size_t distinct = set.size();
  for (const Expr& t : trees) {
    const Expr copy = deep_copy(t);
    ASSERT_TRUE(copy == t);
    ASSERT_EQ(copy.hash(), t.hash());
    set.insert(copy);
  }
  EXPECT_EQ(set.size(), distinct);  // every copy found its original
  // Brute-force count of distinct trees by pairwise equality.
  std::size_t brute = 0;
  for (std::size_t i = 0; i < trees.size(); ++i) {
    bool seen = false;
    for (std::size_t j = 0; j < i && !seen; ++j) seen = trees[j] == trees[i];
    brute += !seen;
  }
  EXPECT_EQ(distinct, brute);
}

// ---- smart constructors
// -------------------------------------------------------------------------------------

TEST(ExprSmart, ConstantFolding) {
  EXPECT_TRUE(add(c(2), c(3)).is_const(5));
  EXPECT_TRUE(sub(c(2), c(3)).is_const(-1));
  EXPECT_TRUE(mul(c(2), c(3)).is_const(6));
  EXPECT_TRUE(div(c(1), c(4)).is_const(0.25));
  EXPECT_TRUE(pow(c(2), c(10)).is_const(1024));
  EXPECT_TRUE(neg(c(2)).is_const(-2));
  EXPECT_TRUE(add(mul(c(2), c(3)), c(1)).is_const(7));
  EXPECT_TRUE(apply(Op::kExp, {c(0)}).is_const(1));
  EXPECT_TRUE(apply(Op::kMax, {c(1), c(2)}).is_const(2));
  EXPECT_TRUE(apply(Op::kGt, {c(1), c(2)}).is_const(0));
  EXPECT_TRUE(apply(Op::kLe, {c(1), c(2)}).is_const(1));
  EXPECT_TRUE(apply(Op::kSqrt, {c(2.25)}).is_const(1.5));
  const Expr trigamma1 = apply(Op::kPolygamma, {c(1)}, 1);
  ASSERT_TRUE(trigamma1.is_const());
  EXPECT_NEAR(trigamma1.value(), kPi * kPi / 6, 1e-15);  // ψ₁(1) = π²/6
  const Expr digamma1 = apply(Op::kPolygamma, {c(1)}, 0);
  ASSERT_TRUE(digamma1.is_const());
  EXPECT_NEAR(digamma1.value(), -0.57721566490153286, 1e-15);  // ψ(1) = −γ
  // Folding works through a whole tree built with apply().
  const Expr folded = apply(Op::kAdd, {apply(Op::kSin, {c(kPi / 6)}), apply(Op::kCos, {c(kPi / 3)})});
  ASSERT_TRUE(folded.is_const());
  EXPECT_NEAR(folded.value(), 1.0, 1e-15);
  const Expr wc = where(apply(Op::kLt, {c(1), c(2)}), c(7), c(8));
  EXPECT_TRUE(wc.is_const(7));
}

TEST(ExprSmart, ZeroAndOneIdentities) {
  const Expr s = un(Op::kSin, x());
  EXPECT_TRUE(add(s, c(0)) == s);
  EXPECT_TRUE(add(c(0), s) == s);
  EXPECT_TRUE(sub(s, c(0)) == s);
  EXPECT_TRUE(sub(c(0), s) == un(Op::kNeg, s));
  EXPECT_TRUE(sub(s, s).is_const(0));
  EXPECT_TRUE(mul(s, c(1)) == s);
  EXPECT_TRUE(mul(c(1), s) == s);
  EXPECT_TRUE(mul(s, c(0)).is_const(0));
  EXPECT_TRUE(mul(c(0), s).is_const(0));
  EXPECT_TRUE(mul(c(-1), s) == un(Op::kNeg, s));
  EXPECT_TRUE(div(s, c(1)) == s);
  EXPECT_TRUE(div(s, c(-1)) == un(Op::kNeg, s));
  EXPECT_TRUE(div(c(0), s).is_const(0));
  EXPECT_TRUE(div(s, s).is_const(1));
  EXPECT_TRUE(pow(s, c(1)) == s);
  EXPECT_TRUE(pow(s, c(0)).is_const(1));
  // Nothing to simplify: the node is built as given.
  EXPECT_TRUE(add(s, x()) == bin(Op::kAdd, s, x()));
  EXPECT_TRUE(div(x(), s) == bin(Op::kDiv, x(), s));
}

TEST(ExprSmart, NegationRules) {
  const Expr s = un(Op::kSin, x());
  EXPECT_TRUE(neg(neg(s)) == s);
  EXPECT_TRUE(neg(un(Op::kNeg, x())) == x());
  EXPECT_TRUE(neg(c(-3)).is_const(3));
  // -(a - b) = b - a
  EXPECT_TRUE(neg(bin(Op::kSub, x(), s)) == bin(Op::kSub, s, x()));
  // a + (-b) = a - b; a - (-b) = a + b; a + (-2) = a - 2
  EXPECT_TRUE(add(x(), un(Op::kNeg, s)) == bin(Op::kSub, x(), s));
  EXPECT_TRUE(sub(x(), un(Op::kNeg, s)) == bin(Op::kAdd, x(), s));
  EXPECT_TRUE(add(x(), c(-2)) == bin(Op::kSub, x(), c(2)));
  // (-a)(-b) = ab
  EXPECT_TRUE(mul(un(Op::kNeg, x()), un(Op::kNeg, s)) == bin(Op::kMul, x(), s));
  EXPECT_TRUE(apply(Op::kAbs, {un(Op::kNeg, s)}) == un(Op::kAbs, s));
}

// |(|u|)| = |u|. Run in a child process: a smart constructor that recursed forever here would otherwise take
// the whole test binary down with it.
TEST(ExprSmartDeathTest, AbsOfAbsIsAbs) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Expr s = un(Op::kSin, x());
  EXPECT_EXIT(
      {
        const bool ok = apply(Op::kAbs, {un(Op::kAbs, s)}) == un(Op::kAbs, s);
        std::exit(ok ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(
      {
        const Expr e = simplify(un(Op::kAbs, un(Op::kAbs, x())));
        std::exit(e == un(Op::kAbs, x()) ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(ExprSmart, PowersOfPowersWithIntegerExponents) {
  const Expr u = un(Op::kSin, x());
  EXPECT_TRUE(pow(pow(u, c(2)), c(3)) == bin(Op::kPow, u, c(6)));
  EXPECT_TRUE(pow(bin(Op::kPow, x(), c(-1)), c(3)) == bin(Op::kPow, x(), c(-3)));
  // Not valid for non-integers ((u²)^0.5 = |u| ≠ u), so it must stay nested.
  EXPECT_TRUE(pow(pow(u, c(2)), c(0.5)) == bin(Op::kPow, bin(Op::kPow, u, c(2)), c(0.5)));
  EXPECT_TRUE(pow(pow(u, c(0.5)), c(2)) == bin(Op::kPow, bin(Op::kPow, u, c(0.5)), c(2)));
  // a·a = a², a + a = 2a.
  EXPECT_TRUE(mul(u, u) == bin(Op::kPow, u, c(2)));
  EXPECT_TRUE(add(u, u) == bin(Op::kMul, c(2), u));
  // Constants gather on the left: 2·(3·u) = 6·u.
  EXPECT_TRUE(mul(c(2), mul(c(3), u)) == bin(Op::kMul, c(6), u));
  EXPECT_TRUE(mul(u, c(3)) == bin(Op::kMul, c(3), u));
}

TEST(ExprSmart, WhereWithConstantOrRedundantCondition) {
  const Expr a = un(Op::kSin, x()), b = un(Op::kCos, x());
  EXPECT_TRUE(where(c(1), a, b) == a);
  EXPECT_TRUE(where(c(-2.5), a, b) == a);
  EXPECT_TRUE(where(c(0), a, b) == b);
  EXPECT_TRUE(where(c(-0.0), a, b) == b);
  EXPECT_TRUE(where(c(kNaN), a, b) == a);  // c != 0 ? a : b, and NaN != 0
  EXPECT_TRUE(where(apply(Op::kGt, {c(3), c(2)}), a, b) == a);
  const Expr cond = bin(Op::kGt, x(), c(0));
  EXPECT_TRUE(where(cond, a, a) == a);
  EXPECT_TRUE(where(cond, a, b) == Expr::make(Op::kWhere, {cond, a, b}));
  EXPECT_TRUE(apply(Op::kWhere, {c(0), a, b}) == b);
  EXPECT_TRUE(apply(Op::kMax, {a, a}) == a);
  EXPECT_TRUE(apply(Op::kMin, {a, a}) == a);
}

TEST(ExprSmart, SimplifyKeepsTheValueOfRandomTrees) {
  Rng rng(2024);
  Rng jitter(7);
  int compared = 0;
  for (int t = 0; t < 400; ++t) {
    const Expr raw = random_formula(rng, 5);
    const Expr simple = simplify(raw);
    for (double at = -2.95; at < 3.0; at += 0.37) {
      const double want = evaluate(raw, at);
      ASSERT_TRUE(std::isfinite(want)) << "tree " << t << " at " << at;
      double spread = 0.0;
      for (int k = 0; k < 3; ++k)
        spread = std::max(spread, std::fabs(jittered(raw, at, jitter, 1e-15) - want));
      const double got = evaluate(simple, at);
      EXPECT_NEAR(got, want, 1e-13 * std::fabs(want) + 8 * spread + 1e-300) << "tree " << t << " at " << at;
      ++compared;
    }
  }
  EXPECT_GT(compared, 5000);
}

// ---- whole-tree transforms
// -----------------------------------------------------------------------------------

TEST(Expr, SubstituteValueFoldsConstants) {
  const Expr a = Expr::var("a"), b = Expr::var("b");
  // a·b with a = 2, b = 3 folds to 6.
  Expr e = substitute(substitute(bin(Op::kMul, a, b), "a", 2.0), "b", 3.0);
  EXPECT_TRUE(e.is_const(6));
  // x·sigmoid(b·x) with b = 1.5: value matches the closed form 2σ(3) at x = 2.
  const Expr f = bin(Op::kMul, x(), un(Op::kSigmoid, bin(Op::kMul, b, x())));
  const Expr g = substitute(f, "b", 1.5);
  EXPECT_EQ(variables(g), std::vector<std::string>{"x"});
  EXPECT_NEAR(evaluate(g, 2.0), 2.0 / (1.0 + std::exp(-3.0)), 1e-15);
  // Substituting a name that is absent changes nothing.
  EXPECT_TRUE(substitute(f, "zeta", 4.0) == simplify(f));
  // Substituting x itself leaves a constant.
  const Expr h = substitute(f, "x", 2.0);
  EXPECT_TRUE(substitute(h, "b", 1.5).is_const());
}

TEST(Expr, SubstituteExpressionKeepsShape) {
  const Expr y = Expr::var("y");
  const Expr e = bin(Op::kAdd, x(), c(0));  // x + 0, deliberately unsimplified
  EXPECT_TRUE(substitute(e, "x", y) == bin(Op::kAdd, y, c(0)));
  // Composition: e∘g evaluates as e(g(t)).
  Rng rng(5);
  for (int t = 0; t < 50; ++t) {
    const Expr outer = random_formula(rng, 4);
    const Expr inner = random_formula(rng, 3);
    const Expr composed = substitute(outer, "x", inner);
    for (double at : {-1.7, -0.2, 0.45, 2.1}) {
      const double want = evaluate(outer, evaluate(inner, at));
      EXPECT_DOUBLE_EQ(evaluate(composed, at), want) << t;
    }
  }
}

TEST(Expr, VariablesAreSortedAndUnique) {
  const Expr e =
      Expr::make(Op::kWhere, {bin(Op::kGt, Expr::var("b"), x()), bin(Op::kMul, Expr::var("a"), x()),
                              bin(Op::kAdd, Expr::var("b"), c(1))});
  EXPECT_EQ(variables(e), (std::vector<std::string>{"a", "b", "x"}));
  EXPECT_TRUE(variables(c(3)).empty());
  EXPECT_EQ(variables(x()), std::vector<std::string>{"x"});
}

TEST(Expr, NodeCountCountsSharedSubtreesOnce) {
  const Expr s = un(Op::kSin, x());
  EXPECT_EQ(node_count(x()), 1u);
  EXPECT_EQ(node_count(s), 2u);
  EXPECT_EQ(node_count(bin(Op::kAdd, s, s)), 3u);  // x, sin, +
  // Structurally equal but separately built subtrees are separate nodes.
  EXPECT_EQ(node_count(bin(Op::kAdd, un(Op::kSin, x()), un(Op::kSin, x()))), 5u);
  // e_{k+1} = e_k + e_k: 2^60 leaves as a tree, 61 + 1 distinct nodes as a DAG. A count that does not see the
  // sharing would not finish.
  Expr e = un(Op::kCos, x());
  for (int k = 0; k < 60; ++k) e = bin(Op::kAdd, e, e);
  EXPECT_EQ(node_count(e), 62u);
  EXPECT_EQ(variables(e), std::vector<std::string>{"x"});
}

// ---- scalar semantics
// -----------------------------------------------------------------------------------------

TEST(ExprScalar, ElementaryFunctionsAtClosedFormPoints) {
  struct Case {
    Op op;
    double a, want;
  };
  const Case cases[] = {
      {Op::kNeg, 2.5, -2.5},
      {Op::kAbs, -2.5, 2.5},
      {Op::kExp, 1.0, kE},
      {Op::kExpm1, 1e-10, 1.00000000005e-10},  // x + x²/2 + ...
      {Op::kLog, kE, 1.0},
      {Op::kLog1p, 1e-10, 9.9999999995e-11},  // x − x²/2 + ...
      {Op::kLog10, 1000.0, 3.0},
      {Op::kSqrt, 2.0, std::numbers::sqrt2},
      {Op::kSin, kPi / 6, 0.5},
      {Op::kCos, kPi / 3, 0.5},
      {Op::kTan, kPi / 4, 1.0},
      {Op::kAsin, 0.5, kPi / 6},
      {Op::kAcos, 0.5, kPi / 3},
      {Op::kAtan, 1.0, kPi / 4},
      {Op::kSinh, 1.0, (kE - 1 / kE) / 2},
      {Op::kCosh, 1.0, (kE + 1 / kE) / 2},
      {Op::kTanh, 1.0, (kE * kE - 1) / (kE * kE + 1)},
      {Op::kSigmoid, 0.0, 0.5},
      {Op::kSigmoid, std::log(3.0), 0.75},
      {Op::kSoftplus, 0.0, std::numbers::ln2},
      {Op::kSoftplus, std::log(std::expm1(2.0)), 2.0},  // log(1 + (e² − 1)) = 2
      {Op::kErf, 0.5, 0.52049987781304653768},          // A&S table 7.1
      {Op::kErfc, 0.5, 0.47950012218695346232},
      {Op::kFloor, -1.5, -2.0},
      {Op::kCeil, -1.5, -1.0},
      {Op::kTrunc, -1.7, -1.0},
      {Op::kTrunc, 1.7, 1.0},
  };
  for (const Case& k : cases) {
    EXPECT_NEAR(apply_scalar(k.op, k.a), k.want, 1e-15 * std::fabs(k.want))
        << op_info(k.op).name << "(" << k.a << ")";
  }
  EXPECT_NEAR(apply_scalar(Op::kPolygamma, 1.0, 0, 0, 0), -0.57721566490153286, 1e-15);
  EXPECT_NEAR(apply_scalar(Op::kPolygamma, 0.5, 0, 0, 1), kPi * kPi / 2, 1e-14);
  EXPECT_EQ(apply_scalar(Op::kAdd, 2, 3), 5);
  EXPECT_EQ(apply_scalar(Op::kSub, 2, 3), -1);
  EXPECT_EQ(apply_scalar(Op::kMul, 2, 3), 6);
  EXPECT_EQ(apply_scalar(Op::kDiv, 3, 4), 0.75);
  EXPECT_EQ(apply_scalar(Op::kPow, 2, 10), 1024);
  EXPECT_EQ(apply_scalar(Op::kPow, -2, 3), -8);
  EXPECT_TRUE(std::isnan(apply_scalar(Op::kPow, -8, 1.0 / 3)));
  EXPECT_EQ(apply_scalar(Op::kMax, 2, 3), 3);
  EXPECT_EQ(apply_scalar(Op::kMin, 2, 3), 2);
}

TEST(ExprScalar, SignIsMinusOneZeroOneAndKeepsNaN) {
  EXPECT_EQ(apply_scalar(Op::kSign, -3.0), -1.0);
  EXPECT_EQ(apply_scalar(Op::kSign, 0.0), 0.0);
  EXPECT_EQ(apply_scalar(Op::kSign, -0.0), 0.0);
  EXPECT_EQ(apply_scalar(Op::kSign, 1e-300), 1.0);
  EXPECT_EQ(apply_scalar(Op::kSign, -kInf), -1.0);
  EXPECT_TRUE(std::isnan(apply_scalar(Op::kSign, kNaN)));  // torch.sign(nan) = nan
}

TEST(ExprScalar, SigmoidAndSoftplusDoNotOverflow) {
  EXPECT_EQ(apply_scalar(Op::kSigmoid, 800.0), 1.0);
  EXPECT_EQ(apply_scalar(Op::kSigmoid, -800.0), 0.0);  // e^{-800} underflows; not NaN from inf/inf
  EXPECT_EQ(apply_scalar(Op::kSigmoid, kInf), 1.0);
  EXPECT_EQ(apply_scalar(Op::kSigmoid, -kInf), 0.0);
  // σ(−a) = e^{−a}/(1 + e^{−a}) ≈ e^{−a} to full relative precision in the far tail.
  for (double a : {40.0, 100.0, 700.0}) {
    EXPECT_NEAR(apply_scalar(Op::kSigmoid, -a), std::exp(-a), 1e-14 * std::exp(-a)) << a;
    EXPECT_EQ(apply_scalar(Op::kSigmoid, a), 1.0 / (1.0 + std::exp(-a))) << a;
  }
  // σ(a) + σ(−a) = 1.
  for (double a : {0.1, 1.0, 5.0, 20.0}) {
    EXPECT_NEAR(apply_scalar(Op::kSigmoid, a) + apply_scalar(Op::kSigmoid, -a), 1.0, 4e-16) << a;
  }
  EXPECT_EQ(apply_scalar(Op::kSoftplus, 800.0), 800.0);  // log(1 + e^800) = 800 + log1p(e^{-800})
  EXPECT_EQ(apply_scalar(Op::kSoftplus, -800.0), 0.0);
  EXPECT_EQ(apply_scalar(Op::kSoftplus, kInf), kInf);
  EXPECT_EQ(apply_scalar(Op::kSoftplus, -kInf), 0.0);
  // softplus(−a) = log1p(e^{−a}) = e^{−a} − e^{−2a}/2 + ...
  for (double a : {40.0, 300.0, 700.0}) {
    EXPECT_NEAR(apply_scalar(Op::kSoftplus, -a), std::exp(-a), 1e-14 * std::exp(-a)) << a;
  }
  // softplus(a) − softplus(−a) = a.
  for (double a : {0.3, 2.0, 15.0}) {
    EXPECT_NEAR(apply_scalar(Op::kSoftplus, a) - apply_scalar(Op::kSoftplus, -a), a, 4e-16 * a) << a;
  }
  EXPECT_TRUE(std::isnan(apply_scalar(Op::kSigmoid, kNaN)));
  EXPECT_TRUE(std::isnan(apply_scalar(Op::kSoftplus, kNaN)));
}

TEST(ExprScalar, RoundIsHalfToEven) {
  const double in[] = {0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999999999999996, 2.6, -2.6, 1e16 + 2};
  const double want[] = {0.0, 2.0, 2.0, 4.0, -0.0, -2.0, -2.0, 2.0, 3.0, -3.0, 1e16 + 2};
  for (std::size_t i = 0; i < std::size(in); ++i) {
    const double got = apply_scalar(Op::kRound, in[i]);
    EXPECT_EQ(got, want[i]) << in[i];
    EXPECT_EQ(std::signbit(got), std::signbit(want[i])) << in[i];
  }
}

TEST(ExprScalar, MaxAndMinPropagateNaN) {
  for (Op op : {Op::kMax, Op::kMin}) {
    EXPECT_TRUE(std::isnan(apply_scalar(op, kNaN, 1.0))) << op_info(op).name;
    EXPECT_TRUE(std::isnan(apply_scalar(op, 1.0, kNaN))) << op_info(op).name;
    EXPECT_TRUE(std::isnan(apply_scalar(op, kNaN, kNaN))) << op_info(op).name;
    EXPECT_TRUE(std::isnan(apply_scalar(op, -kInf, kNaN))) << op_info(op).name;
  }
  EXPECT_EQ(apply_scalar(Op::kMax, -kInf, 3.0), 3.0);
  EXPECT_EQ(apply_scalar(Op::kMin, kInf, 3.0), 3.0);
}

TEST(ExprScalar, ComparisonsGiveZeroOrOne) {
  struct Case {
    Op op;
    double a, b, want;
  };
  const Case cases[] = {
      {Op::kGt, 2, 1, 1},       {Op::kGt, 1, 1, 0},       {Op::kGt, 1, 2, 0},       {Op::kGe, 1, 1, 1},
      {Op::kGe, 0, 1, 0},       {Op::kLt, 1, 2, 1},       {Op::kLt, 2, 2, 0},       {Op::kLe, 2, 2, 1},
      {Op::kLe, 3, 2, 0},       {Op::kEq, 2, 2, 1},       {Op::kEq, 0.0, -0.0, 1},  {Op::kEq, 2, 3, 0},
      {Op::kNe, 2, 3, 1},       {Op::kNe, 2, 2, 0},       {Op::kGt, kNaN, 0, 0},    {Op::kLt, kNaN, 0, 0},
      {Op::kGe, kNaN, kNaN, 0}, {Op::kEq, kNaN, kNaN, 0}, {Op::kNe, kNaN, kNaN, 1}, {Op::kGt, kInf, 1e308, 1},
  };
  for (const Case& k : cases) {
    const double got = apply_scalar(k.op, k.a, k.b);
    EXPECT_EQ(got, k.want) << static_cast<int>(k.op) << " " << k.a << " " << k.b;
  }
}

TEST(ExprScalar, WhereSelectsOnNonZero) {
  EXPECT_EQ(apply_scalar(Op::kWhere, 1.0, 2.0, 3.0), 2.0);
  EXPECT_EQ(apply_scalar(Op::kWhere, -0.5, 2.0, 3.0), 2.0);
  EXPECT_EQ(apply_scalar(Op::kWhere, 0.0, 2.0, 3.0), 3.0);
  EXPECT_EQ(apply_scalar(Op::kWhere, -0.0, 2.0, 3.0), 3.0);
  EXPECT_EQ(apply_scalar(Op::kWhere, kNaN, 2.0, 3.0), 2.0);
  EXPECT_TRUE(std::isnan(apply_scalar(Op::kWhere, 1.0, kNaN, 3.0)));
  EXPECT_EQ(apply_scalar(Op::kWhere, 0.0, kNaN, 3.0), 3.0);
}

// ---- evaluate
// ----------------------------------------------------------------------------------------------------

TEST(ExprEvaluate, HeaderExampleAndBasics) {
  // x·sigmoid(1.5x) at 2: 2σ(3) = 2/(1 + e^{−3}) = 1.9051...
  const Expr f = mul(x(), apply(Op::kSigmoid, {mul(c(1.5), x())}));
  EXPECT_NEAR(evaluate(f, 2.0), 2.0 / (1.0 + std::exp(-3.0)), 1e-15);
  EXPECT_NEAR(evaluate(f, 2.0), 1.9051482536448664, 1e-15);
  EXPECT_EQ(evaluate(c(4.25), 100.0), 4.25);
  EXPECT_EQ(evaluate(x(), -3.5), -3.5);
  // x² − 3x + 2 = (x − 1)(x − 2)
  const Expr quad = bin(Op::kAdd, bin(Op::kSub, bin(Op::kPow, x(), c(2)), bin(Op::kMul, c(3), x())), c(2));
  for (double at : {-2.0, 0.5, 1.0, 2.0, 7.25})
    EXPECT_DOUBLE_EQ(evaluate(quad, at), (at - 1) * (at - 2)) << at;
  EXPECT_NEAR(evaluate(Expr::make(Op::kPolygamma, {x()}, 1), 0.5), kPi * kPi / 2, 1e-14);
}

TEST(ExprEvaluate, WhereTakesOneBranch) {
  // where(x > 0, log(x), -x): the untaken branch's NaN (log of a negative) does not reach the result.
  const Expr f = Expr::make(Op::kWhere, {bin(Op::kGt, x(), c(0)), un(Op::kLog, x()), un(Op::kNeg, x())});
  EXPECT_EQ(evaluate(f, -2.0), 2.0);
  EXPECT_EQ(evaluate(f, 0.0), -0.0);
  EXPECT_NEAR(evaluate(f, kE), 1.0, 1e-16);
  // A plain (non-comparison) condition: non-zero selects the first branch.
  const Expr g = Expr::make(Op::kWhere, {bin(Op::kSub, x(), c(1)), c(10), c(20)});
  EXPECT_EQ(evaluate(g, 1.0), 20.0);
  EXPECT_EQ(evaluate(g, 3.0), 10.0);
  EXPECT_EQ(evaluate(g, kNaN), 10.0);
}

TEST(ExprEvaluate, UnboundParameterGivesNaN) {
  const Expr f = bin(Op::kMul, Expr::var("a"), x());
  EXPECT_TRUE(std::isnan(evaluate(f, 1.0)));
  EXPECT_EQ(evaluate(substitute(f, "a", 0.5), 3.0), 1.5);
}

}  // namespace
}  // namespace actlab::activations
