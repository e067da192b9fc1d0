#include "evolve/tree.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "activations/expr.hpp"
#include "evolve/tree_ops.hpp"

namespace actlab::evolve {
namespace {

PrimitiveSet everything() {
  std::vector<std::string> names = PrimitiveSet::paper_names();
  names.push_back("div");
  names.push_back("sin");
  return PrimitiveSet::make(names, Constants{.enabled = true}).value();
}

int idx(const PrimitiveSet& ps, const char* name) { return static_cast<int>(ps.find(name) - &ps[0]); }

TEST(Tree, HeightSubtreeAndPrinting) {
  const PrimitiveSet ps = everything();
  // max(relu(x), tanh(x))
  Tree t{
      {Gene::fn(idx(ps, "max")), Gene::fn(idx(ps, "relu")), Gene::x(), Gene::fn(idx(ps, "tanh")), Gene::x()}};
  EXPECT_TRUE(valid(t, ps));
  EXPECT_EQ(height(t, ps), 2);
  EXPECT_EQ(subtree_end(t, 0, ps), 5u);
  EXPECT_EQ(subtree_end(t, 1, ps), 3u);
  EXPECT_EQ(subtree_end(t, 4, ps), 5u);
  EXPECT_EQ(to_formula(t, ps), "max(relu(x), tanh(x))");
  EXPECT_EQ(height(Tree{{Gene::x()}}, ps), 0);
  EXPECT_FALSE(valid(Tree{{Gene::fn(idx(ps, "max")), Gene::x()}}, ps));
  EXPECT_FALSE(valid(Tree{{Gene::x(), Gene::x()}}, ps));
  EXPECT_FALSE(valid(Tree{}, ps));
}

TEST(Tree, PrintingKeepsTheGroupingOfTheTree) {
  const PrimitiveSet ps = everything();
  const int sub = idx(ps, "sub"), add = idx(ps, "add"), mul = idx(ps, "mul"), dv = idx(ps, "div");
  // x - (x + 0.5)
  Tree a{{Gene::fn(sub), Gene::x(), Gene::fn(add), Gene::x(), Gene::constant(0.5)}};
  EXPECT_EQ(to_formula(a, ps), "x - (x + 0.5)");
  // (x + x) - x
  Tree b{{Gene::fn(sub), Gene::fn(add), Gene::x(), Gene::x(), Gene::x()}};
  EXPECT_EQ(to_formula(b, ps), "x + x - x");
  // x*(x/x) and (x + x)*-1.5
  Tree c{{Gene::fn(mul), Gene::x(), Gene::fn(dv), Gene::x(), Gene::x()}};
  EXPECT_EQ(to_formula(c, ps), "x*(x/x)");
  Tree d{{Gene::fn(mul), Gene::fn(add), Gene::x(), Gene::x(), Gene::constant(-1.5)}};
  EXPECT_EQ(to_formula(d, ps), "(x + x)*(-1.5)");
}

// The phenotype (the printed formula, parsed back through the formula language) computes exactly what the
// genotype's interpreter computes, bit for bit, on thousands of random trees.
TEST(Tree, ParsedFormulaEqualsTheInterpretedTreeBitForBit) {
  const PrimitiveSet ps = everything();
  Rng rng(7);
  for (int n = 0; n < 2000; ++n) {
    const Tree t = generate(ps, 0, 5, GenMethod::kHalfAndHalf, rng);
    ASSERT_TRUE(valid(t, ps));
    auto e = to_expr(t, ps);
    ASSERT_TRUE(e) << to_formula(t, ps) << ": " << e.status().message();
    for (double x : {-7.3, -2.0, -1.0, -0.5, -0.01, 0.0, 0.3, 1.0, 2.5, 11.0}) {
      const double want = evaluate(t, ps, x), got = activations::evaluate(*e, x);
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << to_formula(t, ps) << " at " << x;
      } else {
        EXPECT_EQ(got, want) << to_formula(t, ps) << " at " << x;
      }
    }
  }
}

}  // namespace
}  // namespace actlab::evolve
