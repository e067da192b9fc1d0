// data/polynomial: values by hand, precedence, variable numbering and column-precise errors.
#include "data/polynomial.hpp"

#include <gtest/gtest.h>

namespace actlab::data {
namespace {

double eval(std::string_view text, std::vector<double> in) {
  auto p = parse_polynomial(text);
  EXPECT_TRUE(p) << p.status().message();
  return p ? p->evaluate(in) : 0.0;
}

std::string error_of(std::string_view text, int first_column = 1) {
  auto p = parse_polynomial(text, first_column);
  EXPECT_FALSE(p) << text;
  return p ? std::string() : p.status().message();
}

TEST(Polynomial, ValuesAndPrecedence) {
  EXPECT_DOUBLE_EQ(eval("x*y*z", {0.5, -2, 3}), -3.0);
  EXPECT_DOUBLE_EQ(eval("x^2-3*y+1", {0.5, 2}), 0.25 - 6 + 1);
  EXPECT_DOUBLE_EQ(eval("-x^2", {3}), -9.0);  // ^ binds tighter than unary minus
  EXPECT_DOUBLE_EQ(eval("2*(x+1)^3", {1}), 16.0);
  EXPECT_DOUBLE_EQ(eval("x - y - z", {1, 2, 3}), -4.0);  // left-associative
  EXPECT_DOUBLE_EQ(eval("x/4 + 1.5e1", {2}), 15.5);
  EXPECT_DOUBLE_EQ(eval("x^0", {0}), 1.0);
  EXPECT_DOUBLE_EQ(eval("x0*x2 + x1^2", {2, 3, 5}), 19.0);
  EXPECT_DOUBLE_EQ(eval("w", {0, 0, 0, 7}), 7.0);
}

TEST(Polynomial, InputsAreNumberedUpToTheHighestVariable) {
  auto p = parse_polynomial("y + 1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->variables(), 2);
  EXPECT_EQ(p->names(), (std::vector<std::string>{"x", "y"}));
  auto q = parse_polynomial("x3");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->names(), (std::vector<std::string>{"x0", "x1", "x2", "x3"}));
  auto c = parse_polynomial("2 + 3");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->variables(), 0);
  EXPECT_EQ(c->text(), "2 + 3");
}

TEST(Polynomial, ErrorsPointAtTheColumn) {
  EXPECT_EQ(error_of("x**y"), "1:3: expected a number, a variable or '(', found '*'");
  EXPECT_EQ(error_of("x^-1"), "1:3: the exponent must be a non-negative integer");
  EXPECT_EQ(error_of("x^1.5"), "1:3: the exponent must be a non-negative integer");
  EXPECT_EQ(error_of("x + q"), "1:5: unknown variable 'q' (use x, y, z, w or x0 .. x9)");
  EXPECT_EQ(error_of("x*x0"), "1:3: 'x0': do not mix x, y, z, w with x0 .. x9");
  EXPECT_EQ(error_of("1/(x+1)"), "1:3: division by an expression with variables is not a polynomial");
  EXPECT_EQ(error_of("(x+1"), "1:5: expected ')' to close the '(' at column 1, found the end");
  EXPECT_EQ(error_of("x y"), "1:3: unexpected 'y'");
  EXPECT_EQ(error_of(""), "1:1: expected a number, a variable or '(', found the end");
  EXPECT_EQ(error_of("x^100"), "1:3: exponent 100 is too large (at most 64)");
  // Inside a longer text ("poly:" before the expression) the columns shift.
  EXPECT_EQ(error_of("x**y", 6), "1:8: expected a number, a variable or '(', found '*'");
}

}  // namespace
}  // namespace actlab::data
