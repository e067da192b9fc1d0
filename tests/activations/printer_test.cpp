// Tests for activations/printer.hpp: printing expressions back to the formula language.
//
// The property under test is the round trip: parse(print(e)) is e, node for node (operator==, which also
// tells -0 from +0), checked
//   - on a hand list of formulas that are easy to get wrong (negative literals, powers of negatives, nested
//     comparisons, right operands of - and /), and
//   - on 2000 random trees built with Expr::make from every op, with constants that include -0, NaN, ±inf,
//     subnormals and the largest double, so no smart constructor hides a case.
// format_number is checked against strtod (the C library reads its output back bit for bit) and against
// texts built from printf's fewest round-tripping digits in scientific and fixed form (the output must be no
// longer than either: it is the shortest).
#include "activations/printer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "activations/derivative.hpp"
#include "activations/parser.hpp"
#include "core/rng.hpp"
#include "support/expr_builders.hpp"

namespace actlab::activations {
namespace {

using actlab::testing::c;
using actlab::testing::kInf;
using actlab::testing::kNaN;
using actlab::testing::x;

ParseOptions params_abc() {
  ParseOptions o;
  o.parameters = {"a", "b", "c"};
  return o;
}

// parse(print(e)) == e, with a readable failure.
::testing::AssertionResult round_trips(const Expr& e) {
  const std::string text = print(e);
  auto back = parse_formula(text, params_abc());
  if (!back)
    return ::testing::AssertionFailure() << "'" << text << "' does not parse: " << back.status().message();
  if (!(*back == e)) {
    return ::testing::AssertionFailure()
           << "'" << text << "' parses to a different tree, printed '" << print(*back) << "'";
  }
  if (print(*back) != text)
    return ::testing::AssertionFailure() << "'" << text << "' reprints as '" << print(*back) << "'";
  return ::testing::AssertionSuccess();
}

// Exactly the bits of v, telling -0 from 0 (NaNs: any NaN).
bool same_double(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

TEST(Printer, HeaderExamples) {
  EXPECT_EQ(print(parse_formula("x*sigmoid(1.5*x)").value()), "x*sigmoid(1.5*x)");
  EXPECT_EQ(print(derivative(parse_formula("x^3").value())), "3*x^2");
}

TEST(Printer, HandPickedFormulasRoundTrip) {
  const char* formulas[] = {
      "-2",
      "-(2)",
      "-(-2)",
      "--x",
      "-(-x)",
      "(-2)^x",
      "x^(-2)",
      "x^-2",
      "2^-x^2",
      "-2^2",
      "(-2)^2",
      "-x^2",
      "(-x)^2",
      "2^3^2",
      "(2^3)^2",
      "x^x^x",
      "(x^x)^x",
      "-inf",
      "inf",
      "nan",
      "-nan",
      "1e-300",
      "-1e-300",
      "0.1+0.2",
      "0.30000000000000004",
      "5e-324",
      "1.7976931348623157e308",
      "-0",
      "x - -0",
      "x*-0",
      "-0^x",
      "a-(b-c)",
      "a-b-c",
      "(a-b)-c",
      "a/(b*c)",
      "a/b*c",
      "a*(b/c)",
      "a/(b/c)",
      "a - -b",
      "a - (-b)",
      "a + -2",
      "a*-b",
      "-a*b",
      "-(a*b)",
      "a - (b + c)",
      "(a + b)*c",
      "x > 0",
      "(x > 0) > 1",
      "x > (0 > 1)",
      "(x > 0) + 1",
      "-(x > 0)",
      "x == -1",
      "x != x",
      "x <= -inf",
      "x >= nan",
      "(x < 1) == (x > 2)",
      "where(x > 0, x, 0.01*x)",
      "where(x > 0, where(x > 1, 1, x), where(x < -1, -1, -x))",
      "where(where(x, 1, 0), -x, x^2)",
      "max(0, x)",
      "min(max(x, -1), 1)",
      "clamp(x, -1, 1)",
      "polygamma(2, x)",
      "digamma(x^2)",
      "polygamma(0, x)",
      "polygamma(4, -x)",
      "frac(x)",
      "step(x)",
      "sigmoid(-x)*-x",
      "softplus(-(x))",
      "exp(-x^2/2)",
      "log1p(exp(-abs(x)))",
      "-sin(x)^2",
      "sin(-x)^-2",
      "2*pi*x",
      "e^x",
      "-e^x",
      "(-e)^x",
      "1e+300*x",
      "1e-05",
      "123456789012345680000",
      "0.1",
      "-0.1*x",
      "x/-3",
      "x^0.5",
      "x^(1/3)",
      "a*x + b",
      "(a)",
      "((x))",
      "-(-(-(x)))",
      "erf(x/sqrt(2))",
      "1/(1+exp(-x))",
  };
  for (const char* f : formulas) {
    auto e = parse_formula(f, params_abc());
    ASSERT_TRUE(e) << f << ": " << e.status().message();
    EXPECT_TRUE(round_trips(*e)) << "from '" << f << "'";
  }
}

TEST(Printer, ParenthesesAppearWhereTheTreeNeedsThem) {
  auto p = [](const char* f) { return print(parse_formula(f, params_abc()).value()); };
  EXPECT_EQ(p("a-(b-c)"), "a - (b - c)");
  EXPECT_EQ(p("(a-b)-c"), "a - b - c");
  EXPECT_EQ(p("a/(b*c)"), "a/(b*c)");
  EXPECT_EQ(p("(a/b)*c"), "a/b*c");
  EXPECT_EQ(p("(2^3)^2"), "(2^3)^2");
  EXPECT_EQ(p("2^(3^2)"), "2^3^2");
  EXPECT_EQ(p("(-2)^x"), "(-2)^x");
  EXPECT_EQ(p("-(2)"), "-(2)");
  EXPECT_EQ(p("-(x)"), "-x");
  EXPECT_EQ(p("((x > 0))"), "x > 0");
  EXPECT_EQ(p("(x > 0) + 1"), "(x > 0) + 1");
}

// ---- random trees
// -----------------------------------------------------------------------------------------------

Expr random_leaf(Rng& rng) {
  static const double kConsts[] = {0.0,
                                   -0.0,
                                   1.0,
                                   -1.0,
                                   2.0,
                                   -2.0,
                                   0.5,
                                   -0.5,
                                   0.1,
                                   -0.1,
                                   1e-300,
                                   -1e-300,
                                   5e-324,
                                   -5e-324,
                                   2.2250738585072014e-308,
                                   1e300,
                                   -1e300,
                                   1.7976931348623157e308,
                                   -1.7976931348623157e308,
                                   kInf,
                                   -kInf,
                                   kNaN,
                                   3.141592653589793,
                                   1.0 / 3.0,
                                   -2.0 / 3.0,
                                   1e21,
                                   1e-7,
                                   123.456,
                                   -0.0625};
  const auto pick = rng.below(10);
  if (pick < 4) return x();
  if (pick == 4) return Expr::var(rng.below(2) ? "a" : "b");
  if (pick == 5) {  // a random double of random magnitude
    const double mant = rng.uniform(-10.0, 10.0);
    return c(std::ldexp(mant, static_cast<int>(rng.below(200)) - 100));
  }
  return c(kConsts[rng.below(std::size(kConsts))]);
}

Expr random_tree(Rng& rng, int depth) {
  if (depth == 0 || rng.uniform() < 0.2) return random_leaf(rng);
  const int first = static_cast<int>(Op::kNeg), last = static_cast<int>(Op::kWhere);
  const Op op = static_cast<Op>(first + static_cast<int>(rng.below(last - first + 1)));
  const int arity = op_info(op).arity;
  std::vector<Expr> args;
  for (int i = 0; i < arity; ++i) args.push_back(random_tree(rng, depth - 1));
  // Negation of a literal is common in practice and a corner case for the printer: make it frequent.
  if (op == Op::kNeg && rng.below(3) == 0) args[0] = random_leaf(rng);
  const int order = op == Op::kPolygamma ? static_cast<int>(rng.below(5)) : 0;
  return Expr::make(op, std::move(args), order);
}

TEST(Printer, RandomTreesRoundTrip) {
  Rng rng(20240611);
  int failures = 0;
  for (int t = 0; t < 2000 && failures < 10; ++t) {
    const Expr e = random_tree(rng, 5);
    const auto ok = round_trips(e);
    EXPECT_TRUE(ok) << "tree " << t;
    failures += !ok;
  }
}

TEST(Printer, EveryOpRoundTripsWithEveryKindOfOperand) {
  const Expr operands[] = {x(),
                           c(2),
                           c(-2),
                           c(-0.0),
                           c(kInf),
                           c(-kInf),
                           c(kNaN),
                           Expr::make(Op::kNeg, {x()}),
                           Expr::make(Op::kNeg, {c(2)}),
                           Expr::make(Op::kAdd, {x(), c(1)}),
                           Expr::make(Op::kMul, {x(), c(3)}),
                           Expr::make(Op::kPow, {x(), c(2)}),
                           Expr::make(Op::kGt, {x(), c(0)}),
                           Expr::make(Op::kSin, {x()})};
  for (int o = static_cast<int>(Op::kNeg); o <= static_cast<int>(Op::kWhere); ++o) {
    const Op op = static_cast<Op>(o);
    const int arity = op_info(op).arity;
    for (const Expr& a : operands) {
      for (const Expr& b : operands) {
        std::vector<Expr> args = {a};
        if (arity >= 2) args.push_back(b);
        if (arity == 3) args.push_back(a);
        const int max_order = op == Op::kPolygamma ? 4 : 0;
        for (int order = 0; order <= max_order; ++order) {
          EXPECT_TRUE(round_trips(Expr::make(op, args, order))) << "op " << o;
        }
        if (arity == 1) break;
      }
    }
  }
}

// ---- format_number
// ------------------------------------------------------------------------------------------

// The shortest texts I can build for v that strtod reads back exactly: the fewest significant digits
// (searched with printf's correctly rounded %.*e), written both in scientific form ("2.5e-08") and in fixed
// form
// ("0.000000025"). format_number must be no longer than either.
std::vector<std::string> short_forms(double v) {
  char buf[64];
  int p = 0;
  for (; p < 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p, v);
    if (same_double(std::strtod(buf, nullptr), v)) break;
  }
  const std::string sci(buf);
  const bool negative = sci[0] == '-';
  std::string digits;
  std::size_t i = negative ? 1 : 0;
  for (; sci[i] != 'e'; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  const int exponent = std::atoi(sci.c_str() + i + 1);
  const int n = static_cast<int>(digits.size());
  std::string sci_short;
  if (negative) sci_short.push_back('-');
  sci_short.push_back(digits[0]);
  if (n > 1) {
    sci_short.push_back('.');
    sci_short.append(digits, 1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
  sci_short.append(exp_buf);
  std::string fixed;
  if (negative) fixed.push_back('-');
  if (exponent >= n - 1) {
    fixed.append(digits);
    fixed.append(static_cast<std::size_t>(exponent - n + 1), '0');
  } else if (exponent >= 0) {
    fixed.append(digits, 0, static_cast<std::size_t>(exponent + 1));
    fixed.push_back('.');
    fixed.append(digits, static_cast<std::size_t>(exponent + 1));
  } else {
    fixed.append("0.");
    fixed.append(static_cast<std::size_t>(-exponent - 1), '0');
    fixed.append(digits);
  }
  return {sci_short, fixed};
}

TEST(Printer, FormatNumberKnownValues) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_number(1e-5), "1e-05");
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(100.0), "100");
  EXPECT_EQ(format_number(-2.0), "-2");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "-0");
  EXPECT_EQ(format_number(kInf), "inf");
  EXPECT_EQ(format_number(-kInf), "-inf");
  EXPECT_EQ(format_number(kNaN), "nan");
  EXPECT_EQ(format_number(5e-324), "5e-324");
  EXPECT_EQ(format_number(1e300), "1e+300");
  EXPECT_EQ(format_number(1.0 / 3.0), "0.3333333333333333");
}

TEST(Printer, FormatNumberIsShortestRoundTrip) {
  Rng rng(99);
  std::vector<double> values = {0.1,
                                1.0 / 3.0,
                                2.0 / 3.0,
                                1e23,
                                9007199254740993.0,
                                5e-324,
                                1e-310,
                                2.2250738585072014e-308,
                                1.7976931348623157e308,
                                123456.789,
                                0.3,
                                2.5e-8};
  for (int i = 0; i < 20000; ++i) {
    double v;
    if (i % 2 == 0) {  // any bit pattern
      const std::uint64_t bits = rng.next();
      std::memcpy(&v, &bits, sizeof v);
    } else {  // short decimals, where shortest output matters most
      v = static_cast<double>(static_cast<std::int64_t>(rng.below(2000000)) - 1000000) *
          std::pow(10.0, static_cast<int>(rng.below(40)) - 20);
    }
    if (std::isfinite(v)) values.push_back(v);
  }
  for (double v : values) {
    const std::string s = format_number(v);
    // Reads back exactly, with the C library's reader and with the formula parser.
    EXPECT_TRUE(same_double(std::strtod(s.c_str(), nullptr), v)) << s;
    auto parsed = parse_formula(s);
    ASSERT_TRUE(parsed) << s;
    ASSERT_TRUE(parsed->is_const()) << s;
    EXPECT_TRUE(same_double(parsed->value(), v)) << s;
    // Shortest: no longer than any other text that reads back.
    for (const std::string& other : short_forms(v)) {
      ASSERT_TRUE(same_double(std::strtod(other.c_str(), nullptr), v)) << other << " (test helper) for " << s;
      EXPECT_LE(s.size(), other.size()) << s << " is longer than " << other << ", which also reads back";
    }
  }
}

}  // namespace
}  // namespace actlab::activations
