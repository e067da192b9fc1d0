#include "evolve/cgp.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "activations/expr.hpp"

namespace actlab::evolve {
namespace {

// Evaluates the graph itself, node by node in address order (no tree, no formula): the reference for
// decode().
double run_graph(const CgpGenome& g, const PrimitiveSet& ps, double x) {
  std::vector<double> v(static_cast<std::size_t>(g.node_count()) + 1);
  v[0] = x;
  for (int a = 1; a <= g.node_count(); ++a) {
    const auto& n = g.node(a);
    const Primitive& p = ps[static_cast<std::size_t>(n[0])];
    v[static_cast<std::size_t>(a)] =
        p.arity == 1 ? p.apply(v[static_cast<std::size_t>(n[1])])
                     : p.apply(v[static_cast<std::size_t>(n[1])], v[static_cast<std::size_t>(n[2])]);
  }
  return v[static_cast<std::size_t>(g.output())];
}

TEST(Cgp, DecodedFormulaEqualsTheGraphItPrints) {
  const PrimitiveSet ps = PrimitiveSet::make(PrimitiveSet::paper_names()).value();
  Rng rng(11);
  for (int n = 0; n < 1000; ++n) {
    const CgpGenome g = CgpGenome::random(ps, {}, rng);
    const Tree t = g.decode(ps);
    ASSERT_TRUE(valid(t, ps));
    EXPECT_LE(height(t, ps), g.shape().cols);
    auto e = to_expr(t, ps);
    ASSERT_TRUE(e) << to_formula(t, ps);
    for (double x : {-3.0, -1.0, -0.2, 0.0, 0.4, 1.0, 2.0, 5.0}) {
      EXPECT_EQ(activations::evaluate(*e, x), run_graph(g, ps, x)) << to_formula(t, ps) << " at " << x;
    }
  }
}

TEST(Cgp, ConnectionsRespectTheGridAndLevelsBack) {
  const PrimitiveSet ps = PrimitiveSet::make(PrimitiveSet::paper_names()).value();
  Rng rng(12);
  const CgpShape shape{.rows = 3, .cols = 6, .levels_back = 2};
  for (int n = 0; n < 200; ++n) {
    CgpGenome g = CgpGenome::random(ps, shape, rng);
    for (int k = 0; k < 20; ++k) g = g.mutate_active(ps, rng);
    for (int a = 1; a <= g.node_count(); ++a) {
      const int col = (a - 1) / shape.rows;
      for (int j = 1; j <= 2; ++j) {
        const int in = g.node(a)[static_cast<std::size_t>(j)];
        if (in == 0) continue;
        const int in_col = (in - 1) / shape.rows;
        EXPECT_LT(in_col, col);
        EXPECT_GE(in_col, col - shape.levels_back);
      }
    }
    EXPECT_GE(g.output(), 0);
    EXPECT_LE(g.output(), g.node_count());
  }
}

// One mutation changes exactly one gene, and that gene is active in the parent (a function gene, one of the
// inputs the function reads, or the output gene).
TEST(Cgp, MutationChangesOneActiveGene) {
  const PrimitiveSet ps = PrimitiveSet::make(PrimitiveSet::paper_names()).value();
  Rng rng(13);
  for (int n = 0; n < 500; ++n) {
    const CgpGenome g = CgpGenome::random(ps, {}, rng);
    const CgpGenome m = g.mutate_active(ps, rng);
    const std::vector<bool> on = g.active(ps);
    int changed = m.output() != g.output();
    for (int a = 1; a <= g.node_count(); ++a) {
      for (int j = 0; j < 3; ++j) {
        if (g.node(a)[static_cast<std::size_t>(j)] == m.node(a)[static_cast<std::size_t>(j)]) continue;
        ++changed;
        EXPECT_TRUE(on[static_cast<std::size_t>(a)]);
        EXPECT_LE(j, ps[static_cast<std::size_t>(g.node(a)[0])].arity);
      }
    }
    EXPECT_EQ(changed, 1);
  }
}

}  // namespace
}  // namespace actlab::evolve
