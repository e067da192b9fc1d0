// Formula limits (issue 17): deep or long formulas are refused with a located error naming the limit, before
// any recursive algorithm sees them; measuring never recurses, so it works on any tree.
#include "activations/limits.hpp"

#include <gtest/gtest.h>

#include <string>

#include "activations/parser.hpp"
#include "activations/printer.hpp"

namespace actlab::activations {
namespace {

// `head` then `s` n times (built in place: "x" + repeat(...) trips GCC 12's false -Wrestrict warning).
std::string repeat(const std::string& s, int n, const std::string& head = "") {
  std::string out = head;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

void expect_refused(const std::string& formula, const std::string& fragment) {
  auto r = parse_formula(formula);
  ASSERT_FALSE(r) << formula.substr(0, 80);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
}

TEST(FormulaLimits, DeepNestingIsRefusedNotAStackOverflow) {
  // The inputs of issue 17 that crashed the parser, simplifier or printer.
  expect_refused(repeat("(", 10000) + repeat(")", 10000, "x"),
                 "1:1001: formula nests deeper than the limit of 1000 levels");
  expect_refused(repeat("-", 100000) + "x", "nests deeper than the limit of 1000 levels");
  expect_refused(repeat("+", 100000) + "x", "nests deeper than the limit of 1000 levels");
  expect_refused(repeat("+x", 20000, "x"), "nests deeper than the limit of 1000 levels");
  expect_refused(repeat("*x", 20000, "x"), "nests deeper than the limit of 1000 levels");
  expect_refused(repeat("x^", 5000) + "x", "nests deeper than the limit of 1000 levels");
  expect_refused(repeat("sin(", 1000) + repeat(")", 1000, "x"), "nests deeper than the limit of 1000 levels");
}

TEST(FormulaLimits, DepthUpToTheLimitParsesAndPrints) {
  // 999 nested sin around x: depth 1000, the most allowed; it parses, prints and parses back.
  const std::string f = repeat("sin(", 999) + repeat(")", 999, "x");
  auto r = parse_formula(f);
  ASSERT_TRUE(r) << r.status().message();
  FormulaMeter m;
  EXPECT_EQ(m.measure(*r).depth, kMaxFormulaDepth);
  EXPECT_EQ(m.measure(*r).size, 1000u);
  auto back = parse_formula(print(*r));
  ASSERT_TRUE(back);
  EXPECT_TRUE(*back == *r);
  // A flat sum of 999 terms also sits at the limit; parentheses add no depth.
  EXPECT_TRUE(parse_formula(repeat("+x", 999, "x")));
  EXPECT_FALSE(parse_formula(repeat("(", 5000) + repeat(")", 5000, "x")));
  EXPECT_TRUE(parse_formula(repeat("(", 900) + repeat(")", 900, "x")));
}

TEST(FormulaLimits, SharedSubtreesCountOncePerUse) {
  // A DAG of 40 doublings: 41 distinct nodes, 2^41 - 1 nodes written out; the size saturates at the limit.
  Expr e = Expr::var("x");
  for (int i = 0; i < 40; ++i) e = Expr::make(Op::kAdd, {e, e});
  FormulaMeter m;
  const FormulaExtent x = m.measure(e);
  EXPECT_EQ(x.depth, 41u);
  EXPECT_EQ(x.size, kMaxFormulaSize + 1);
  const Status s = m.check(e);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message(), "formula expands to more than the limit of 100000 nodes");
  // Small DAG: exact tree size (x+x)+(x+x) = 7 nodes.
  Expr two = Expr::make(Op::kAdd, {Expr::var("x"), Expr::var("x")});
  EXPECT_EQ(FormulaMeter().measure(Expr::make(Op::kAdd, {two, two})).size, 7u);
}

TEST(FormulaLimits, MeasuringNeverRecurses) {
  // A chain 200,000 deep (built directly, as no parser would): measured, refused, and freed from the top down
  // (the meter's destructor), so that the test itself does not overflow the stack.
  FormulaMeter m;
  {
    Expr e = Expr::var("x");
    for (int i = 0; i < 200000; ++i) e = Expr::make(Op::kNeg, {e});
    EXPECT_EQ(m.measure(e).depth, 200001u);
    EXPECT_EQ(m.check(e).message(), "formula nests deeper than the limit of 1000 levels");
  }  // e dropped here: the meter still holds every node, and frees them from the top down
}

}  // namespace
}  // namespace actlab::activations
