// Tests for activations/parser.hpp: the formula language (grammar in the header and
// docs/formula-language.md).
//
// Checked against things this code did not produce:
//   - trees written out by hand with Expr::make (the parser builds exactly what is written);
//   - values from arithmetic done by hand (2^3^2 = 2^9 = 512, −2^2 = −4) and closed forms (ψ(1) = −γ, ψ₁(1) =
//   π²/6);
//   - the exact error texts, with their line:column, for malformed input;
//   - catalog calls against the formulas they stand for (repu(x, p=3) = max(0, x)^3).
#include "activations/parser.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "activations/catalog.hpp"
#include "support/expr_builders.hpp"

namespace actlab::activations {
namespace {

using ::testing::HasSubstr;

using actlab::testing::bin;
using actlab::testing::c;
using actlab::testing::kInf;
using actlab::testing::kNaN;
using actlab::testing::un;
using actlab::testing::x;

Expr v(const char* name) { return Expr::var(name); }

Expr parse_ok(const std::string& text, const ParseOptions& options = {}) {
  auto r = parse_formula(text, options);
  EXPECT_TRUE(r.has_value()) << text << ": " << r.status().message();
  return r ? *r : c(kNaN);
}

double value_of(const std::string& text, double at = 0.0) { return evaluate(parse_ok(text), at); }

std::string error_of(const std::string& text, const ParseOptions& options = {}) {
  auto r = parse_formula(text, options);
  EXPECT_FALSE(r.has_value()) << text << " parsed";
  if (r) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << text;
  EXPECT_TRUE(r.status().is_bad_input()) << text;
  return r.status().message();
}

ParseOptions with_params(std::vector<std::string> names) {
  ParseOptions o;
  o.parameters = std::move(names);
  return o;
}

// ---- precedence and associativity
// -------------------------------------------------------------------------------

TEST(Parser, PowerIsRightAssociativeAndBindsTighterThanUnaryMinus) {
  EXPECT_EQ(value_of("2^3^2"), 512.0);  // 2^(3^2), not (2^3)^2 = 64
  EXPECT_TRUE(parse_ok("2^3^2") == bin(Op::kPow, c(2), bin(Op::kPow, c(3), c(2))));
  EXPECT_EQ(value_of("(2^3)^2"), 64.0);
  EXPECT_EQ(value_of("-2^2"), -4.0);
  EXPECT_TRUE(parse_ok("-2^2") == un(Op::kNeg, bin(Op::kPow, c(2), c(2))));
  EXPECT_EQ(value_of("(-2)^2"), 4.0);
  EXPECT_TRUE(parse_ok("(-2)^2") == bin(Op::kPow, c(-2), c(2)));
  EXPECT_EQ(value_of("2^-1"), 0.5);
  EXPECT_TRUE(parse_ok("2^-1") == bin(Op::kPow, c(2), c(-1)));
  // 2^-x^2 = 2^(-(x^2))
  EXPECT_TRUE(parse_ok("2^-x^2") == bin(Op::kPow, c(2), un(Op::kNeg, bin(Op::kPow, x(), c(2)))));
  EXPECT_EQ(value_of("2^-x^2", 3.0), std::pow(2.0, -9.0));
  EXPECT_EQ(value_of("-x^2", 3.0), -9.0);
  EXPECT_EQ(value_of("2**3"), 8.0);
  EXPECT_TRUE(parse_ok("2**3**2") == parse_ok("2^3^2"));
  EXPECT_EQ(value_of("--3"), 3.0);
  EXPECT_EQ(value_of("+-+3"), -3.0);
}

TEST(Parser, MinusBeforeALiteralIsPartOfTheNumber) {
  EXPECT_TRUE(parse_ok("-2") == c(-2));
  EXPECT_TRUE(parse_ok("-2*x") == bin(Op::kMul, c(-2), x()));
  EXPECT_TRUE(parse_ok("x*-2") == bin(Op::kMul, x(), c(-2)));
  EXPECT_TRUE(parse_ok("-(2)") == un(Op::kNeg, c(2)));
  EXPECT_TRUE(parse_ok("-x") == un(Op::kNeg, x()));
  EXPECT_TRUE(parse_ok("-0") == c(-0.0));
  EXPECT_TRUE(std::signbit(parse_ok("-0").value()));
}

TEST(Parser, SumsAndProductsAreLeftAssociative) {
  const ParseOptions o = with_params({"a", "b", "c"});
  EXPECT_TRUE(parse_ok("a-b-c", o) == bin(Op::kSub, bin(Op::kSub, v("a"), v("b")), v("c")));
  EXPECT_TRUE(parse_ok("a/b/c", o) == bin(Op::kDiv, bin(Op::kDiv, v("a"), v("b")), v("c")));
  EXPECT_TRUE(parse_ok("a-b+c", o) == bin(Op::kAdd, bin(Op::kSub, v("a"), v("b")), v("c")));
  EXPECT_TRUE(parse_ok("a/b*c", o) == bin(Op::kMul, bin(Op::kDiv, v("a"), v("b")), v("c")));
  EXPECT_TRUE(parse_ok("a+b*c", o) == bin(Op::kAdd, v("a"), bin(Op::kMul, v("b"), v("c"))));
  EXPECT_TRUE(parse_ok("a-(b-c)", o) == bin(Op::kSub, v("a"), bin(Op::kSub, v("b"), v("c"))));
  EXPECT_EQ(value_of("10-3-2"), 5.0);
  EXPECT_EQ(value_of("8/4/2"), 1.0);
  EXPECT_EQ(value_of("1 + 2*3^2"), 19.0);
  EXPECT_EQ(value_of("(1 + 2)*3"), 9.0);
  EXPECT_EQ(value_of("2*x^2 - 3*x + 1", 2.0), 3.0);
}

TEST(Parser, ComparisonsBindLoosestAndGiveZeroOrOne) {
  EXPECT_TRUE(parse_ok("x > 1 + 2") == bin(Op::kGt, x(), bin(Op::kAdd, c(1), c(2))));
  EXPECT_TRUE(parse_ok("x*2 <= -1") == bin(Op::kLe, bin(Op::kMul, x(), c(2)), c(-1)));
  const struct {
    const char* text;
    Op op;
  } ops[] = {{"x > 1", Op::kGt},  {"x >= 1", Op::kGe}, {"x < 1", Op::kLt},
             {"x <= 1", Op::kLe}, {"x == 1", Op::kEq}, {"x != 1", Op::kNe}};
  for (const auto& k : ops) EXPECT_TRUE(parse_ok(k.text) == bin(k.op, x(), c(1))) << k.text;
  EXPECT_EQ(value_of("x > 1", 2.0), 1.0);
  EXPECT_EQ(value_of("x > 1", 1.0), 0.0);
  EXPECT_EQ(value_of("x >= 1", 1.0), 1.0);
  EXPECT_EQ(value_of("x == 1", 1.0), 1.0);
  EXPECT_EQ(value_of("x != 1", 1.0), 0.0);
  EXPECT_EQ(value_of("(1 < 2) + (3 >= 3) + (2 == 3)"), 2.0);
  EXPECT_EQ(value_of("where(x > 0, x, 0.25*x)", -4.0), -1.0);
  EXPECT_EQ(value_of("where(x > 0, x, 0.25*x)", 4.0), 4.0);
}

// ---- literals and names
// -----------------------------------------------------------------------------------------

TEST(Parser, NumberForms) {
  EXPECT_EQ(value_of("1e-3"), 1e-3);
  EXPECT_EQ(value_of(".5"), 0.5);
  EXPECT_EQ(value_of("1E+2"), 100.0);
  EXPECT_EQ(value_of("2.5e1"), 25.0);
  EXPECT_EQ(value_of("0.1"), 0.1);
  EXPECT_EQ(value_of("1e-300"), 1e-300);
  EXPECT_EQ(value_of("5e-324"), 5e-324);
  EXPECT_EQ(value_of("1.7976931348623157e308"), 1.7976931348623157e308);
  EXPECT_EQ(value_of("0.30000000000000004"), 0.1 + 0.2);
  EXPECT_EQ(value_of("  3  "), 3.0);
}

TEST(Parser, NamedConstants) {
  EXPECT_EQ(value_of("pi"), std::numbers::pi);
  EXPECT_EQ(value_of("e"), std::numbers::e);
  EXPECT_EQ(value_of("inf"), kInf);
  EXPECT_EQ(value_of("-inf"), -kInf);
  EXPECT_TRUE(parse_ok("-inf") == c(-kInf));
  EXPECT_TRUE(std::isnan(value_of("nan")));
  EXPECT_TRUE(std::isnan(value_of("-nan")));
  EXPECT_EQ(value_of("2*pi"), 2 * std::numbers::pi);
  EXPECT_EQ(value_of("x", 1.25), 1.25);
}

// ---- built-in functions
// -----------------------------------------------------------------------------------------

TEST(Parser, UnaryBuiltinsMapToTheirOps) {
  const struct {
    const char* name;
    Op op;
  } fns[] = {
      {"abs", Op::kAbs},    {"sign", Op::kSign},       {"exp", Op::kExp},           {"expm1", Op::kExpm1},
      {"log", Op::kLog},    {"log1p", Op::kLog1p},     {"log10", Op::kLog10},       {"sqrt", Op::kSqrt},
      {"sin", Op::kSin},    {"cos", Op::kCos},         {"tan", Op::kTan},           {"asin", Op::kAsin},
      {"acos", Op::kAcos},  {"atan", Op::kAtan},       {"sinh", Op::kSinh},         {"cosh", Op::kCosh},
      {"tanh", Op::kTanh},  {"sigmoid", Op::kSigmoid}, {"softplus", Op::kSoftplus}, {"erf", Op::kErf},
      {"erfc", Op::kErfc},  {"floor", Op::kFloor},     {"ceil", Op::kCeil},         {"round", Op::kRound},
      {"trunc", Op::kTrunc}};
  for (const auto& f : fns) {
    EXPECT_TRUE(parse_ok(std::string(f.name) + "(x)") == un(f.op, x())) << f.name;
    const auto& names = builtin_names();
    EXPECT_NE(std::find(names.begin(), names.end(), f.name), names.end()) << f.name;
  }
  EXPECT_TRUE(parse_ok("max(x, 0)") == bin(Op::kMax, x(), c(0)));
  EXPECT_TRUE(parse_ok("min(0, x)") == bin(Op::kMin, c(0), x()));
  EXPECT_TRUE(parse_ok("pow(x, 3)") == bin(Op::kPow, x(), c(3)));
  EXPECT_TRUE(parse_ok("where(x, 1, 2)") == Expr::make(Op::kWhere, {x(), c(1), c(2)}));
  EXPECT_NEAR(value_of("sin(pi/6)"), 0.5, 1e-16);
  EXPECT_NEAR(value_of("sigmoid(log(3))"), 0.75, 2e-16);
}

TEST(Parser, SugarFunctions) {
  // frac(a) = a − trunc(a) (torch.frac): keeps the sign of a.
  EXPECT_EQ(value_of("frac(x)", -1.75), -0.75);
  EXPECT_EQ(value_of("frac(x)", 2.25), 0.25);
  EXPECT_EQ(value_of("frac(x)", 3.0), 0.0);
  // step: Heaviside with step(0) = 0.
  EXPECT_EQ(value_of("step(x)", -1.0), 0.0);
  EXPECT_EQ(value_of("step(x)", 0.0), 0.0);
  EXPECT_EQ(value_of("step(x)", 1e-300), 1.0);
  EXPECT_EQ(value_of("step(x - 2)", 3.0), 1.0);
  // clamp(a, lo, hi) = min(max(a, lo), hi)
  EXPECT_EQ(value_of("clamp(x, -1, 2)", -3.0), -1.0);
  EXPECT_EQ(value_of("clamp(x, -1, 2)", 0.5), 0.5);
  EXPECT_EQ(value_of("clamp(x, -1, 2)", 5.0), 2.0);
  EXPECT_TRUE(parse_ok("clamp(x, -1, 2)") == bin(Op::kMin, bin(Op::kMax, x(), c(-1)), c(2)));
}

TEST(Parser, DigammaAndPolygamma) {
  EXPECT_TRUE(parse_ok("digamma(x)") == Expr::make(Op::kPolygamma, {x()}, 0));
  EXPECT_TRUE(parse_ok("polygamma(0, x)") == parse_ok("digamma(x)"));
  EXPECT_TRUE(parse_ok("polygamma(3, x^2)") == Expr::make(Op::kPolygamma, {bin(Op::kPow, x(), c(2))}, 3));
  EXPECT_NEAR(value_of("digamma(1)"), -0.57721566490153286, 1e-15);                          // −γ
  EXPECT_NEAR(value_of("polygamma(1, 1)"), std::numbers::pi * std::numbers::pi / 6, 1e-15);  // ζ(2)
  EXPECT_NEAR(value_of("polygamma(2, x)", 1.0), -2 * 1.2020569031595942854, 1e-14);          // −2ζ(3)
  EXPECT_TRUE(parse_ok("polygamma(4, x)").order() == 4);
}

// ---- catalog functions
// ------------------------------------------------------------------------------------------

TEST(Parser, CatalogFunctionsWithParameters) {
  ParseOptions o;
  o.functions = &catalog_functions();
  const Expr repu3 = parse_ok("repu(x, p=3)", o);
  const Expr leaky = parse_ok("leaky_relu(x, 0.2)", o);
  const Expr leaky_named = parse_ok("leaky_relu(x, negative_slope=0.3)", o);
  const Expr repu_default = parse_ok("repu(2*x)", o);
  EXPECT_EQ(variables(repu3), std::vector<std::string>{"x"});
  for (double at : {-2.0, -0.5, 0.0, 0.5, 1.5, 3.0}) {
    const double relu = std::max(0.0, at);
    EXPECT_DOUBLE_EQ(evaluate(repu3, at), relu * relu * relu) << at;
    EXPECT_DOUBLE_EQ(evaluate(leaky, at), at > 0 ? at : 0.2 * at) << at;
    EXPECT_DOUBLE_EQ(evaluate(leaky_named, at), at > 0 ? at : 0.3 * at) << at;
    EXPECT_DOUBLE_EQ(evaluate(repu_default, at), std::max(0.0, 2 * at) * std::max(0.0, 2 * at)) << at;
  }
  // A catalog call nests inside a formula like any function.
  const Expr nested = parse_ok("1 + relu(x - 1)*2", o);
  EXPECT_EQ(evaluate(nested, 3.0), 5.0);
  EXPECT_EQ(evaluate(nested, 0.0), 1.0);
  // Built-in names keep their built-in meaning.
  EXPECT_TRUE(parse_ok("abs(x)", o) == un(Op::kAbs, x()));
}

TEST(Parser, CatalogFunctionErrors) {
  ParseOptions o;
  o.functions = &catalog_functions();
  const std::string unknown_param = error_of("repu(x, q=3)", o);
  EXPECT_THAT(unknown_param, HasSubstr("1:1: "));
  EXPECT_THAT(unknown_param, HasSubstr("'q'"));
  EXPECT_THAT(unknown_param, HasSubstr("(it has p)"));
  const std::string twice = error_of("repu(x, p=3, p=4)", o);
  EXPECT_THAT(twice, HasSubstr("'p'"));
  EXPECT_THAT(twice, HasSubstr("twice"));
  const std::string row = error_of("2*softmax(x)", o);
  EXPECT_THAT(row, HasSubstr("1:3: "));
  EXPECT_THAT(row, HasSubstr("softmax"));
  EXPECT_THAT(row, HasSubstr("row"));
  EXPECT_THAT(error_of("relu()", o), HasSubstr("relu(x)"));
  EXPECT_THAT(error_of("relu(x, 1)", o), HasSubstr("at most 0 parameter"));
  // Suggestions include the catalog's names.
  EXPECT_THAT(error_of("sigmod(x)", o), HasSubstr("did you mean 'sigmoid'"));
  EXPECT_THAT(error_of("leaky_rlu(x)", o), HasSubstr("'leaky_relu'"));
  // Without the resolver, catalog names are unknown functions.
  EXPECT_EQ(error_of("repu(x, p=3)"), "1:1: unknown function 'repu'");
}

// ---- errors
// -----------------------------------------------------------------------------------------------------

TEST(Parser, MalformedInputGivesPositionedMessages) {
  EXPECT_EQ(error_of("max(0, x"), "1:9: expected ')' after argument, found the end of the formula");
  EXPECT_EQ(error_of("max(0 x)"), "1:7: expected ')' after argument, found 'x'");
  EXPECT_EQ(error_of("x*"), "1:3: expected a number, a name or '(' but found the end of the formula");
  EXPECT_EQ(error_of("x + * 2"), "1:5: expected a number, a name or '(' but found '*'");
  EXPECT_EQ(error_of("(x"), "1:3: expected ')' to close '(' at column 1, found the end of the formula");
  EXPECT_EQ(error_of("2*(x + (1)"),
            "1:11: expected ')' to close '(' at column 3, found the end of the formula");
  EXPECT_EQ(error_of("x $ 2"), "1:3: unexpected character '$'");
  EXPECT_EQ(error_of("x)"), "1:2: unexpected ')' after a complete expression");
  EXPECT_EQ(error_of("2 3"), "1:3: unexpected '3' after a complete expression");
  EXPECT_EQ(error_of("1.2.3"), "1:1: malformed number '1.2.3'");
  EXPECT_EQ(error_of("foo(x)"), "1:1: unknown function 'foo'");
  EXPECT_EQ(error_of("sigmod(x)"), "1:1: unknown function 'sigmod'; did you mean 'sigmoid'?");
  EXPECT_EQ(error_of("1 + tanhh(x)"), "1:5: unknown function 'tanhh'; did you mean 'tanh'?");
  EXPECT_EQ(error_of("exp(x, 2)"), "1:1: exp() takes 1 argument, got 2");
  EXPECT_EQ(error_of("max(x)"), "1:1: max() takes 2 arguments, got 1");
  EXPECT_EQ(error_of("where(x, 1)"), "1:1: where() takes 3 arguments, got 2");
  EXPECT_EQ(error_of("exp(y=x)"), "1:1: exp() takes no named arguments");
  EXPECT_EQ(error_of("max(x=1, 2)"), "1:10: positional argument after a named one");
  EXPECT_EQ(error_of("1 < x < 2"), "1:7: comparisons do not chain; use parentheses or where()");
  EXPECT_EQ(error_of("polygamma(7, x)"), "1:1: polygamma(n, x) needs n to be a whole number from 0 to 4");
  EXPECT_THAT(error_of("polygamma(1.5, x)"), HasSubstr("whole number from 0 to 4"));
  EXPECT_THAT(error_of("polygamma(-1, x)"), HasSubstr("whole number from 0 to 4"));
  EXPECT_THAT(error_of("polygamma(x, x)"), HasSubstr("whole number from 0 to 4"));
  EXPECT_EQ(error_of(""), "1:1: empty formula");
  EXPECT_EQ(error_of("  \t "), "1:1: empty formula");
  EXPECT_EQ(error_of("sin"), "1:1: unknown name 'sin' (sin is a function: write sin(x))");
  // An error deep inside a call is reported at its own position, not the call's.
  EXPECT_EQ(error_of("max(1, 2*)"), "1:10: expected a number, a name or '(' but found ')'");
}

TEST(Parser, PositionsShiftWithLineAndFirstColumn) {
  ParseOptions o;
  o.line = 3;
  o.first_column = 10;
  EXPECT_EQ(error_of("max(0, x", o), "3:18: expected ')' after argument, found the end of the formula");
  EXPECT_EQ(error_of("x $ 2", o), "3:12: unexpected character '$'");
  EXPECT_EQ(error_of("", o), "3:10: empty formula");
  EXPECT_EQ(error_of("foo(x)", o), "3:10: unknown function 'foo'");
}

TEST(Parser, FreeParameters) {
  const Expr e = parse_ok("a*x + b", with_params({"a", "b"}));
  EXPECT_TRUE(e == bin(Op::kAdd, bin(Op::kMul, v("a"), x()), v("b")));
  EXPECT_EQ(variables(e), (std::vector<std::string>{"a", "b", "x"}));
  EXPECT_EQ(evaluate(substitute(substitute(e, "a", 2.0), "b", 1.0), 3.0), 7.0);
  // Not declared: an error that says how to declare it.
  const std::string msg = error_of("a*x");
  EXPECT_THAT(msg, HasSubstr("1:1: unknown name 'a'"));
  EXPECT_THAT(msg, HasSubstr("--param NAME=VALUE"));
  // Declared parameters are offered as suggestions, and then the hint is not needed.
  const std::string near = error_of("x*alpa", with_params({"alpha"}));
  EXPECT_THAT(near, HasSubstr("1:3: unknown name 'alpa'"));
  EXPECT_THAT(near, HasSubstr("did you mean 'alpha'?"));
  EXPECT_THAT(near, ::testing::Not(HasSubstr("--param")));
  // y is not x.
  EXPECT_THAT(error_of("sin(y)"), HasSubstr("1:5: unknown name 'y'"));
}

TEST(Parser, NearestNames) {
  const std::vector<std::string> names = {"sigmoid", "sign",   "softplus", "tanh",
                                          "tan",     "acon_a", "acon_c",   "relu"};
  EXPECT_EQ(nearest_names("sigmod", names), std::vector<std::string>{"sigmoid"});
  // Nearest first, then alphabetical; an exact match is not a suggestion.
  EXPECT_EQ(nearest_names("tanh", names), std::vector<std::string>{"tan"});
  EXPECT_EQ(nearest_names("tahn", names), (std::vector<std::string>{"tan", "tanh"}));  // a swap is one typo
  EXPECT_EQ(nearest_names("relux", names), std::vector<std::string>{"relu"});
  // A prefix of a name counts as close.
  EXPECT_EQ(nearest_names("acon", names), (std::vector<std::string>{"acon_a", "acon_c"}));
  EXPECT_EQ(nearest_names("acon", names, 1), std::vector<std::string>{"acon_a"});
  // Far from everything: nothing.
  EXPECT_TRUE(nearest_names("quux", names).empty());
  EXPECT_TRUE(nearest_names("sigmod", {}).empty());
  // Case does not count as a difference.
  EXPECT_EQ(nearest_names("SIGMOD", names), std::vector<std::string>{"sigmoid"});
}

}  // namespace
}  // namespace actlab::activations
