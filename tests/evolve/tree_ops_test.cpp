#include "evolve/tree_ops.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace actlab::evolve {
namespace {

PrimitiveSet paper_with_constants() {
  return PrimitiveSet::make(PrimitiveSet::paper_names(), Constants{.enabled = true}).value();
}

TEST(TreeOps, FullTreesHaveEveryLeafAtTheDrawnHeightAndGrowStaysWithin) {
  const PrimitiveSet ps = paper_with_constants();
  Rng rng(1);
  for (int n = 0; n < 500; ++n) {
    const Tree f = generate(ps, 2, 4, GenMethod::kFull, rng);
    ASSERT_TRUE(valid(f, ps));
    const int h = height(f, ps);
    EXPECT_GE(h, 2);
    EXPECT_LE(h, 4);
    // Full: a leaf appears only at depth h, so the tree of depth h has no terminal above it — every
    // terminal's depth equals the height. Count: a tree whose leaves are all at depth h has no leaf that a
    // subtree of smaller height ends in; checked through the subtree heights of the root's children.
    std::size_t child = 1;
    for (int k = 0; k < arity(f.genes[0], ps); ++k) {
      const std::size_t end = subtree_end(f, child, ps);
      Tree sub;
      sub.genes.assign(f.genes.begin() + static_cast<long>(child), f.genes.begin() + static_cast<long>(end));
      EXPECT_EQ(height(sub, ps), h - 1);
      child = end;
    }
    const Tree g = generate(ps, 1, 3, GenMethod::kGrow, rng);
    ASSERT_TRUE(valid(g, ps));
    EXPECT_LE(height(g, ps), 3);
  }
}

// Every variation operator returns well-formed trees within the static height limit, from any parents
// (including parents built up by earlier variation).
TEST(TreeOps, VariationPreservesValidityAndTheHeightLimit) {
  const PrimitiveSet ps = paper_with_constants();
  Rng rng(2);
  const int limit = 5;
  std::vector<Tree> pop;
  for (int i = 0; i < 40; ++i) pop.push_back(generate(ps, 1, 3, GenMethod::kHalfAndHalf, rng));
  for (int round = 0; round < 3000; ++round) {
    Tree& a = pop[rng.below(pop.size())];
    Tree& b = pop[rng.below(pop.size())];
    switch (rng.below(3)) {
      case 0: {
        auto [c1, c2] = crossover_one_point(a, b, ps, rng, limit);
        a = std::move(c1);
        b = std::move(c2);
        break;
      }
      case 1: a = mutate_uniform(a, ps, rng, limit, 3); break;
      default: {
        const Tree m = mutate_point(a, ps, rng);
        ASSERT_EQ(m.size(), a.size());
        ASSERT_EQ(height(m, ps), height(a, ps));
        a = m;
      }
    }
    ASSERT_TRUE(valid(a, ps));
    ASSERT_TRUE(valid(b, ps));
    ASSERT_LE(height(a, ps), limit);
    ASSERT_LE(height(b, ps), limit);
  }
}

TEST(TreeOps, CrossoverSwapsSubtreesAndConservesGenes) {
  const PrimitiveSet ps = paper_with_constants();
  Rng rng(3);
  for (int n = 0; n < 300; ++n) {
    const Tree a = generate(ps, 1, 3, GenMethod::kFull, rng);
    const Tree b = generate(ps, 1, 3, GenMethod::kFull, rng);
    auto [c1, c2] = crossover_one_point(a, b, ps, rng, 100);
    EXPECT_EQ(c1.size() + c2.size(), a.size() + b.size());
    EXPECT_EQ(c1.genes[0], a.genes[0]);  // the root is never a crossover point
    EXPECT_EQ(c2.genes[0], b.genes[0]);
  }
  // A lone terminal cannot cross.
  const Tree x{{Gene::x()}};
  const Tree y = generate(ps, 2, 2, GenMethod::kFull, rng);
  auto [p, q] = crossover_one_point(x, y, ps, rng, 10);
  EXPECT_EQ(p, x);
  EXPECT_EQ(q, y);
}

TEST(TreeOps, ConstantsAreRoundedToTheStepWithinTheRange) {
  const PrimitiveSet ps = paper_with_constants();
  Rng rng(4);
  int constants = 0;
  for (int n = 0; n < 1000; ++n) {
    const Gene g = random_terminal(ps, rng);
    if (g.prim != Gene::kConstant) continue;
    ++constants;
    EXPECT_GE(g.value, -2.0);
    EXPECT_LE(g.value, 2.0);
    EXPECT_NEAR(g.value * 10, std::round(g.value * 10), 1e-9);
  }
  EXPECT_GT(constants, 400);
  EXPECT_LT(constants, 600);
}

TEST(TreeOps, TournamentPicksTheFittestAspirant) {
  Rng rng(5);
  const std::vector<double> fit = {0.1, 0.9, 0.5};
  int wins = 0;
  for (int n = 0; n < 1000; ++n) wins += select_tournament(fit, 3, rng) == 1;
  // P(index 1 among 3 draws with replacement) = 1 − (2/3)^3 = 0.7037.
  EXPECT_NEAR(wins / 1000.0, 1 - 8.0 / 27.0, 0.05);
}

}  // namespace
}  // namespace actlab::evolve
