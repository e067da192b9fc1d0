// Tests for activations/derivative.hpp: symbolic differentiation.
//
// Checked against things this code did not produce:
//   - central finite differences of the function itself (step 1e-5·max(1, |x|), tolerance 1e-6 relative plus
//   the
//     difference quotient's own rounding error), for every unary and binary op, compositions, derivatives
//     with respect to a parameter, second derivatives (differences of the first derivative), and random
//     formulas;
//   - closed forms (σ' = σ(1 − σ), σ'' = σ(1 − σ)(1 − 2σ), tanh'' = −2 tanh (1 − tanh²), (xΦ(x))' = Φ + xφ,
//   ...);
//   - the kink conventions the header documents, evaluated exactly at the kinks.
#include "activations/derivative.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "activations/parser.hpp"
#include "activations/printer.hpp"
#include "core/rng.hpp"
#include "support/expr_builders.hpp"
#include "support/random_expr.hpp"

namespace actlab::activations {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

using actlab::testing::bin;
using actlab::testing::c;
using actlab::testing::kNaN;
using actlab::testing::random_formula;
using actlab::testing::RandomFormulaOptions;
using actlab::testing::un;
using actlab::testing::x;

Expr parse(const std::string& text) {
  ParseOptions o;
  o.parameters = {"a", "b", "p"};
  auto r = parse_formula(text, o);
  EXPECT_TRUE(r) << text << ": " << r.status().message();
  return r ? *r : c(kNaN);
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// f' at `at` by a central difference, compared with the symbolic derivative `df` (both functions of x only).
::testing::AssertionResult matches_fd(const Expr& f, const Expr& df, double at) {
  const double h = 1e-5 * std::max(1.0, std::fabs(at));
  const double fp = evaluate(f, at + h), fm = evaluate(f, at - h);
  const double fd = (fp - fm) / (2 * h);
  const double got = evaluate(df, at);
  // 1e-6 relative, and what rounding in f(x ± h) alone can do to the difference quotient.
  const double tol = 1e-6 * std::fabs(fd) + 1e-9 + 8 * kEps * std::max(std::fabs(fp), std::fabs(fm)) / h;
  if (!std::isfinite(fd) || !std::isfinite(got) || std::fabs(got - fd) > tol) {
    return ::testing::AssertionFailure() << "d/dx " << print(f) << " at x = " << at << ": symbolic " << got
                                         << " (" << print(df) << "), finite difference " << fd;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult derivative_matches_fd(const Expr& f, double at) {
  return matches_fd(f, derivative(f), at);
}

// ---- every op
// ---------------------------------------------------------------------------------------------------

struct UnaryCase {
  Op op;
  std::vector<double> points;
};

std::vector<UnaryCase> unary_cases() {
  const std::vector<double> everywhere = {-2.3, -0.7, 0.3, 1.1, 2.9};
  const std::vector<double> positive = {0.05, 0.3, 1.1, 2.9, 17.0};
  const std::vector<double> unit = {-0.95, -0.3, 0.2, 0.8};
  const std::vector<double> off_integers = {-2.3, -0.7, 0.3, 1.1, 2.8};
  return {
      {Op::kNeg, everywhere},
      {Op::kAbs, everywhere},
      {Op::kExp, everywhere},
      {Op::kExpm1, everywhere},
      {Op::kLog, positive},
      {Op::kLog1p, {-0.9, -0.3, 0.3, 2.9}},
      {Op::kLog10, positive},
      {Op::kSqrt, positive},
      {Op::kSin, everywhere},
      {Op::kCos, everywhere},
      {Op::kTan, {-1.2, -0.3, 0.4, 1.3, 2.0}},
      {Op::kAsin, unit},
      {Op::kAcos, unit},
      {Op::kAtan, everywhere},
      {Op::kSinh, everywhere},
      {Op::kCosh, everywhere},
      {Op::kTanh, everywhere},
      {Op::kSigmoid, everywhere},
      {Op::kSoftplus, everywhere},
      {Op::kErf, everywhere},
      {Op::kErfc, everywhere},
      {Op::kSign, everywhere},
      {Op::kFloor, off_integers},
      {Op::kCeil, off_integers},
      {Op::kRound, off_integers},
      {Op::kTrunc, off_integers},
  };
}

TEST(Derivative, EveryUnaryOpMatchesFiniteDifferences) {
  for (const UnaryCase& k : unary_cases()) {
    const Expr f = un(k.op, x());
    // Also through an inner function, so the chain rule's a' is not always 1.
    const Expr g =
        un(k.op, bin(Op::kAdd, bin(Op::kMul, c(0.5), x()), bin(Op::kMul, c(0.1), bin(Op::kPow, x(), c(2)))));
    for (double at : k.points) {
      EXPECT_TRUE(derivative_matches_fd(f, at));
      const double inner = 0.5 * at + 0.1 * at * at;
      if (k.op == Op::kLog1p && inner <= -1) continue;
      if ((k.op == Op::kAsin || k.op == Op::kAcos) && std::fabs(inner) >= 1) continue;
      if ((k.op == Op::kLog || k.op == Op::kLog10 || k.op == Op::kSqrt) && inner <= 0) continue;
      if (op_info(k.op).selector && std::fabs(2 * inner - std::round(2 * inner)) < 0.01)
        continue;  // at a jump
      EXPECT_TRUE(derivative_matches_fd(g, at));
    }
  }
}

TEST(Derivative, PolygammaMatchesFiniteDifferences) {
  for (int order = 0; order <= 3; ++order) {
    const Expr f = Expr::make(Op::kPolygamma, {x()}, order);
    for (double at : {0.3, 1.1, 2.9, 7.5, 40.0, -0.5, -1.3, -2.7}) {
      EXPECT_TRUE(derivative_matches_fd(f, at)) << "order " << order;
    }
    // ψ_n' = ψ_{n+1}, as a tree.
    EXPECT_TRUE(derivative(f) == Expr::make(Op::kPolygamma, {x()}, order + 1)) << print(derivative(f));
  }
}

// polygamma is evaluated up to order 4, so formulas with n ≤ 2 have evaluable f' and f'' (Activation::make
// rejects higher n; activation_test.cpp).
TEST(Derivative, HighestPolygammaOrderHasFiniteFirstAndSecondDerivatives) {
  const Expr f = parse("polygamma(2, x)");
  for (double at : {0.7, 2.5, -1.3}) {
    EXPECT_TRUE(derivative_matches_fd(f, at));
    EXPECT_TRUE(matches_fd(derivative(f), derivative(derivative(f)), at));
  }
}

TEST(Derivative, EveryBinaryOpMatchesFiniteDifferences) {
  const Expr a = bin(Op::kAdd, un(Op::kSin, x()), c(2));           // sin x + 2 ∈ [1, 3], a' = cos x
  const Expr b = bin(Op::kAdd, bin(Op::kPow, x(), c(2)), c(0.5));  // x² + 1/2, b' = 2x
  const std::vector<double> points = {-1.7, -0.4, 0.6, 1.9};       // a and b differ by > 0.1 at each
  for (Op op : {Op::kAdd, Op::kSub, Op::kMul, Op::kDiv, Op::kPow, Op::kMax, Op::kMin}) {
    for (double at : points) {
      EXPECT_TRUE(derivative_matches_fd(bin(op, a, b), at)) << op_info(op).name;
      EXPECT_TRUE(derivative_matches_fd(bin(op, b, a), at)) << op_info(op).name;
    }
  }
  for (Op op : {Op::kGt, Op::kGe, Op::kLt, Op::kLe, Op::kEq, Op::kNe}) {
    EXPECT_TRUE(derivative(bin(op, a, b)).is_const(0.0));
  }
  const Expr w = Expr::make(Op::kWhere, {bin(Op::kGt, x(), c(0.5)), a, b});
  for (double at : points) EXPECT_TRUE(derivative_matches_fd(w, at));
}

TEST(Derivative, PowerRuleVariants) {
  const char* formulas[] = {"x^3",       "x^-2",        "x^0.5", "x^(1/3)",          "2^x",
                            "e^x",       "0.5^x",       "x^x",   "(1 + x^2)^sin(x)", "x^2.5",
                            "sqrt(x)^3", "pow(x, -0.5)"};
  for (const char* f : formulas) {
    for (double at : {0.4, 1.3, 2.2}) EXPECT_TRUE(derivative_matches_fd(parse(f), at)) << f;
  }
  // Integer powers of negative numbers are fine.
  for (const char* f : {"x^3", "x^-2", "x^4", "(x - 1)^5"}) {
    for (double at : {-1.5, -0.3}) EXPECT_TRUE(derivative_matches_fd(parse(f), at)) << f;
  }
  EXPECT_TRUE(derivative(parse("x^3")) == bin(Op::kMul, c(3), bin(Op::kPow, x(), c(2))));
  EXPECT_TRUE(derivative(parse("x^2")) == bin(Op::kMul, c(2), x()));
  EXPECT_TRUE(derivative(parse("x")).is_const(1.0));
  EXPECT_TRUE(derivative(parse("3.5")).is_const(0.0));
  EXPECT_TRUE(derivative(parse("2*x + 1")).is_const(2.0));
}

// ---- compositions and closed forms
// --------------------------------------------------------------------------

TEST(Derivative, ChainRuleOnCompositions) {
  const char* formulas[] = {
      "sin(exp(x))",
      "log(1 + x^2)*tanh(x)",
      "x*sigmoid(x)",
      "softplus(sin(3*x))",
      "erf(x/sqrt(2))",
      "atan(x^3 - x)",
      "sqrt(1 + cosh(x))",
      "exp(-x^2/2)/sqrt(2*pi)",
      "x*tanh(softplus(x))",
      "log1p(exp(-abs(x)))",
      "1/(1 + exp(-x))",
      "asin(tanh(x)/2)",
      "cos(x)^2 + sin(x)^2",
      "sinh(x)/cosh(x)",
      "expm1(x)/x",
      "log10(2 + sin(x))*x^3",
      "where(x > 0, x, exp(x) - 1)",
      "max(sin(x), cos(x))",
      "digamma(1 + x^2)",
      "tan(x/2)*erfc(x)",
  };
  for (const char* f : formulas) {
    for (double at : {-1.6, -0.55, 0.35, 1.2, 2.4}) EXPECT_TRUE(derivative_matches_fd(parse(f), at)) << f;
  }
}

TEST(Derivative, ClosedForms) {
  const Expr silu = derivative(parse("x*sigmoid(x)"));
  const Expr gelu = derivative(parse("x*0.5*(1 + erf(x/sqrt(2)))"));
  const Expr tanh1 = derivative(parse("tanh(x)"));
  for (double at : {-3.0, -0.8, 0.0, 0.4, 2.5}) {
    const double s = sigmoid(at);
    EXPECT_NEAR(evaluate(silu, at), s + at * s * (1 - s), 1e-15) << at;  // σ + xσ(1 − σ)
    const double phi = std::exp(-at * at / 2) / std::sqrt(2 * std::numbers::pi);
    const double cdf = 0.5 * std::erfc(-at / std::sqrt(2.0));
    EXPECT_NEAR(evaluate(gelu, at), cdf + at * phi, 1e-15) << at;                   // Φ + xφ
    EXPECT_NEAR(evaluate(tanh1, at), 1 / std::pow(std::cosh(at), 2), 1e-15) << at;  // sech²
  }
}

// ---- kink conventions
// -----------------------------------------------------------------------------------------

TEST(Derivative, WhereTakesTheDerivativeOfTheBranchTaken) {
  EXPECT_EQ(evaluate(derivative(parse("where(x > 0, x, 0)")), 0.0), 0.0);  // relu'(0) = 0
  EXPECT_EQ(evaluate(derivative(parse("where(x >= 0, x, 0)")), 0.0), 1.0);
  EXPECT_EQ(evaluate(derivative(parse("where(x > 0, x, 0.01*x)")), 0.0), 0.01);  // leaky_relu'(0) = slope
  EXPECT_EQ(evaluate(derivative(parse("where(x > 0, x^2, -x)")), 0.0), -1.0);
  EXPECT_EQ(evaluate(derivative(parse("where(x < -1, -1, where(x > 1, 1, x))")), 1.0), 1.0);
  EXPECT_EQ(evaluate(derivative(parse("where(x <= -1, -1, where(x >= 1, 1, x))")), 1.0),
            0.0);  // hardtanh'(1)
  EXPECT_EQ(evaluate(derivative(parse("where(x <= -1, -1, where(x >= 1, 1, x))")), -1.0), 0.0);
  // The condition is not differentiated: where(c, a, b)' = where(c, a', b').
  const Expr f = parse("where(sin(x) > 0, x^2, 3*x)");
  const Expr want =
      Expr::make(Op::kWhere, {bin(Op::kGt, un(Op::kSin, x()), c(0)), bin(Op::kMul, c(2), x()), c(3)});
  EXPECT_TRUE(derivative(f) == want) << print(derivative(f));
}

TEST(Derivative, MaxAndMinTiesAverageTheTwoSides) {
  EXPECT_EQ(evaluate(derivative(parse("max(x, 0)")), 0.0), 0.5);
  EXPECT_EQ(evaluate(derivative(parse("max(0, x)")), 0.0), 0.5);
  EXPECT_EQ(evaluate(derivative(parse("max(x, 2*x)")), 0.0), 1.5);
  EXPECT_EQ(evaluate(derivative(parse("min(x, 3*x)")), 0.0), 2.0);
  EXPECT_EQ(evaluate(derivative(parse("min(x, -x)")), 0.0), 0.0);
  EXPECT_EQ(evaluate(derivative(parse("max(sin(x), x)")), 0.0), 1.0);
  // Away from the tie, the larger (smaller) side decides.
  EXPECT_EQ(evaluate(derivative(parse("max(x, 0)")), 1.0), 1.0);
  EXPECT_EQ(evaluate(derivative(parse("max(x, 0)")), -1.0), 0.0);
  EXPECT_EQ(evaluate(derivative(parse("min(x, 3*x)")), 1.0), 1.0);
  EXPECT_EQ(evaluate(derivative(parse("min(x, 3*x)")), -1.0), 3.0);
  // clamp(x, lo, hi) = min(max(x, lo), hi): half a slope at each end.
  const Expr clamp = derivative(parse("clamp(x, -1, 1)"));
  EXPECT_EQ(evaluate(clamp, 1.0), 0.5);
  EXPECT_EQ(evaluate(clamp, -1.0), 0.5);
  EXPECT_EQ(evaluate(clamp, 0.2), 1.0);
  EXPECT_EQ(evaluate(clamp, 1.5), 0.0);
  // Equal derivatives on both sides: no where() needed.
  EXPECT_TRUE(derivative(parse("max(x, x + 1)")).is_const(1.0));
}

TEST(Derivative, AbsSignAndStepsAtTheirKinks) {
  const Expr abs1 = derivative(parse("abs(x)"));
  EXPECT_EQ(evaluate(abs1, 0.0), 0.0);
  EXPECT_EQ(evaluate(abs1, -2.0), -1.0);
  EXPECT_EQ(evaluate(abs1, 3.0), 1.0);
  EXPECT_EQ(evaluate(derivative(parse("abs(x^3 - x)")), 1.0), 0.0);
  EXPECT_EQ(evaluate(derivative(parse("abs(2*x)")), -1.0), -2.0);
  for (const char* f : {"sign(x)", "floor(x)", "ceil(x)", "round(x)", "trunc(x)", "step(x)", "x > 0",
                        "x == 1", "floor(x^2)*0 + sign(sin(x))"}) {
    EXPECT_TRUE(derivative(parse(f)).is_const(0.0)) << f << " → " << print(derivative(parse(f)));
  }
  // frac(x) = x − trunc(x): slope 1 everywhere.
  EXPECT_TRUE(derivative(parse("frac(x)")).is_const(1.0));
}

// ---- parameters
// -------------------------------------------------------------------------------------------------

TEST(Derivative, WithRespectToAParameter) {
  const Expr f = parse("x*sigmoid(b*x)");
  const Expr dfdb = derivative(f, "b");
  for (double b : {0.5, 1.0, 1.7}) {
    const Expr fb = substitute(dfdb, "b", b);
    for (double at : {-2.0, -0.3, 0.8, 2.5}) {
      const double s = sigmoid(b * at);
      EXPECT_NEAR(evaluate(fb, at), at * at * s * (1 - s), 4e-15) << b << " " << at;  // x²σ(bx)(1 − σ(bx))
      const double h = 1e-5;
      const double fd =
          (evaluate(substitute(f, "b", b + h), at) - evaluate(substitute(f, "b", b - h), at)) / (2 * h);
      EXPECT_NEAR(evaluate(fb, at), fd, 1e-6 * std::fabs(fd) + 1e-9) << b << " " << at;
    }
  }
  // PReLU: d/da where(x > 0, x, a·x) = where(x > 0, 0, x).
  const Expr prelu_a = derivative(parse("where(x > 0, x, a*x)"), "a");
  EXPECT_EQ(evaluate(substitute(prelu_a, "a", 0.25), -3.0), -3.0);
  EXPECT_EQ(evaluate(substitute(prelu_a, "a", 0.25), 3.0), 0.0);
  // d/dp x^p = x^p ln x.
  const Expr repu_p = derivative(parse("x^p"), "p");
  EXPECT_NEAR(evaluate(substitute(repu_p, "p", 3.0), 2.0), 8 * std::log(2.0), 1e-14);
  // d/dx with the parameter left symbolic: 2·a·x.
  const Expr dx = derivative(parse("a*x^2"));
  EXPECT_EQ(variables(dx), (std::vector<std::string>{"a", "x"}));
  EXPECT_EQ(evaluate(substitute(dx, "a", 1.5), 2.0), 6.0);
  // A name that does not occur: 0.
  EXPECT_TRUE(derivative(parse("x*sigmoid(b*x)"), "a").is_const(0.0));
  EXPECT_TRUE(derivative(parse("a*x"), "x") == Expr::var("a"));
}

// ---- second derivatives
// -------------------------------------------------------------------------------------

TEST(Derivative, SecondDerivativesMatchDifferencesOfTheFirst) {
  for (const UnaryCase& k : unary_cases()) {
    if (op_info(k.op).selector) continue;
    const Expr f = un(k.op, x());
    const Expr d1 = derivative(f);
    const Expr d2 = derivative(d1);
    for (double at : k.points) EXPECT_TRUE(matches_fd(d1, d2, at)) << op_info(k.op).name;
  }
  for (const char* text : {"x*sigmoid(x)", "x*tanh(softplus(x))", "x^3 - 2*x", "exp(-x^2)", "x^x",
                           "digamma(x + 3)", "log(cosh(x))", "erf(x)*x"}) {
    const Expr d1 = derivative(parse(text));
    const Expr d2 = derivative(d1);
    for (double at : {-1.4, -0.2, 0.6, 1.5}) {
      if (std::string(text) == "x^x" && at <= 0) continue;
      EXPECT_TRUE(matches_fd(d1, d2, at)) << text;
    }
  }
}

TEST(Derivative, SecondDerivativeClosedForms) {
  const Expr sig2 = derivative(derivative(parse("sigmoid(x)")));
  const Expr tanh2 = derivative(derivative(parse("tanh(x)")));
  const Expr soft2 = derivative(derivative(parse("softplus(x)")));
  const Expr cube2 = derivative(derivative(parse("x^3")));
  const Expr log2 = derivative(derivative(parse("log(x)")));
  const Expr erf2 = derivative(derivative(parse("erf(x)")));
  for (double at : {-2.5, -0.6, 0.1, 0.9, 3.0}) {
    const double s = sigmoid(at), t = std::tanh(at);
    EXPECT_NEAR(evaluate(sig2, at), s * (1 - s) * (1 - 2 * s), 1e-15) << at;
    EXPECT_NEAR(evaluate(tanh2, at), -2 * t * (1 - t * t), 1e-15) << at;
    EXPECT_NEAR(evaluate(soft2, at), s * (1 - s), 1e-15) << at;
    EXPECT_NEAR(evaluate(cube2, at), 6 * at, 1e-14) << at;
    EXPECT_NEAR(evaluate(erf2, at), -4 * at / std::sqrt(std::numbers::pi) * std::exp(-at * at), 1e-15) << at;
    if (at > 0) {
      EXPECT_NEAR(evaluate(log2, at), -1 / (at * at), 1e-12 / (at * at)) << at;
    }
  }
  EXPECT_TRUE(derivative(derivative(parse("digamma(x)"))) == Expr::make(Op::kPolygamma, {x()}, 2));
}

// ---- random formulas
// ----------------------------------------------------------------------------------------

// Random formulas of smooth ops, each fed an argument inside its domain (support/random_expr.hpp), so every
// formula is smooth and finite on the whole real line. Leaves are x, constants and the parameter a. polygamma
// goes up to order 2, so that f'' (order 4, the highest evaluate() handles) can be evaluated.
Expr random_smooth(Rng& rng, int depth) {
  RandomFormulaOptions opt;
  opt.smooth_only = true;
  opt.parameters = {"a"};
  opt.max_polygamma_order = 2;
  return random_formula(rng, depth, opt);
}

TEST(Derivative, RandomSmoothFormulasMatchFiniteDifferences) {
  Rng rng(314159);
  const double a = 0.7;
  int checked = 0;
  for (int t = 0; t < 250; ++t) {
    const Expr f_a = random_smooth(rng, 4);
    const Expr f = substitute(f_a, "a", a);
    const Expr d1 = substitute(derivative(f_a), "a", a);
    const Expr d2 = derivative(derivative(f));
    const Expr da = derivative(f_a, "a");
    for (double at : {-1.3, -0.4, 0.35, 0.9, 1.7}) {
      EXPECT_TRUE(matches_fd(f, d1, at)) << "formula " << t;
      EXPECT_TRUE(matches_fd(d1, d2, at)) << "formula " << t << " (second derivative)";
      // ∂/∂a by differences in a: g(s) = f(x; a = s), evaluated at s = a.
      const Expr g = substitute(substitute(f_a, "x", Expr::constant(at)), "a", Expr::var("x"));
      EXPECT_TRUE(matches_fd(g, substitute(substitute(da, "x", Expr::constant(at)), "a", Expr::var("x")), a))
          << "formula " << t << " (d/da) at x = " << at;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 1250);
}

}  // namespace
}  // namespace actlab::activations
