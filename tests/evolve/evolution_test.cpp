#include "evolve/evolution.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "activations/catalog.hpp"
#include "activations/parser.hpp"

namespace actlab::evolve {
namespace {

activations::Expr parse(const std::string& f) {
  return activations::parse_formula(f, {.functions = &activations::catalog_functions()}).value();
}

// A cheap, known fitness: minus the mean squared distance of each slot's function to a target on [-3, 3].
struct MatchTargets {
  Triple targets = {"tanh(x)", "max(x, 0)", "elu(x)"};
  double operator()(const Triple& t) const {
    double err = 0;
    for (int s = 0; s < kSlots; ++s) {
      const auto f = parse(t[static_cast<std::size_t>(s)]), g = parse(targets[static_cast<std::size_t>(s)]);
      for (int i = 0; i <= 60; ++i) {
        const double x = -3 + 0.1 * i, d = activations::evaluate(f, x) - activations::evaluate(g, x);
        err += d * d;
      }
    }
    return -err / (3 * 61);
  }
  BatchFitness batch() const {
    return [this](const std::vector<Triple>& b) {
      std::vector<FitnessResult> r;
      for (const Triple& t : b) r.push_back(FitnessResult::ok((*this)(t)));
      return r;
    };
  }
};

PrimitiveSet paper() { return PrimitiveSet::make(PrimitiveSet::paper_names()).value(); }

TEST(Evolution, SameSeedSameRunAndOtherSeedOtherRun) {
  const PrimitiveSet ps = paper();
  MatchTargets m;
  const EvolveOptions o{.method = Method::kCoevo, .generations = 4, .population = 8, .seed = 5};
  auto a = evolve(ps, o, m.batch()), b = evolve(ps, o, m.batch());
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->history.size(), 4u);
  for (std::size_t g = 0; g < a->history.size(); ++g) {
    EXPECT_EQ(a->history[g].best, b->history[g].best);
    EXPECT_EQ(a->history[g].slot_best_formula, b->history[g].slot_best_formula);
    EXPECT_EQ(a->history[g].evaluations, b->history[g].evaluations);
  }
  EvolveOptions o2 = o;
  o2.seed = 6;
  auto c = evolve(ps, o2, m.batch());
  ASSERT_TRUE(c);
  bool differs = false;
  for (std::size_t g = 0; g < c->history.size(); ++g)
    differs |= c->history[g].slot_best_formula != a->history[g].slot_best_formula;
  EXPECT_TRUE(differs);
}

// Coevolution: each candidate of population s is evaluated with the current best of the other two slots.
// The test keeps its own copy of T, updated from the values it hands out (cached triples cannot change T:
// they were at most T's fitness when first seen and T's fitness only grows).
TEST(Evolution, CoevolutionEvaluatesEachCandidateWithTheCurrentBestCollaborators) {
  const PrimitiveSet ps = paper();
  MatchTargets m;
  Triple best;
  best.fill("relu(x)");
  double best_fit = -INFINITY;
  int batches = 0, checked = 0;
  BatchFitness fit = [&](const std::vector<Triple>& batch) {
    std::vector<FitnessResult> r;
    int slot = -1;
    double top = -INFINITY;
    std::size_t top_i = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      int differing = 0, where = -1;
      for (int s = 0; s < kSlots; ++s) {
        if (batch[i][static_cast<std::size_t>(s)] != best[static_cast<std::size_t>(s)]) {
          ++differing;
          where = s;
        }
      }
      EXPECT_LE(differing, 1) << "candidate " << i << " of batch " << batches;
      if (where >= 0) {
        if (slot >= 0) {
          EXPECT_EQ(where, slot) << "one batch, one population";
        }
        slot = where;
        ++checked;
      }
      const double v = m(batch[i]);
      if (v > top) top = v, top_i = i;
      r.push_back(FitnessResult::ok(v));
    }
    if (top > best_fit) best = batch[top_i], best_fit = top;
    ++batches;
    return r;
  };
  auto res = evolve(ps, {.method = Method::kCoevo, .generations = 5, .population = 10, .seed = 3}, fit);
  ASSERT_TRUE(res) << res.status().message();
  EXPECT_GT(checked, 30);
  EXPECT_EQ(res->best, best);
  EXPECT_EQ(res->fitness, best_fit);
}

TEST(Evolution, EveryMethodImprovesOnOrKeepsTheBaseline) {
  const PrimitiveSet ps = paper();
  MatchTargets m;
  Triple relu3;
  relu3.fill("relu(x)");
  const double base = m(relu3);
  for (Method method : {Method::kRandom, Method::kEvoSingle, Method::kEvoTriple, Method::kCoevo}) {
    for (GpKind gp : {GpKind::kTree, GpKind::kCgp}) {
      auto r =
          evolve(ps, {.method = method, .gp = gp, .generations = 6, .population = 8, .seed = 1}, m.batch());
      ASSERT_TRUE(r) << r.status().message();
      EXPECT_GE(r->fitness, base) << to_string(method) << " " << to_string(gp);
      EXPECT_EQ(r->fitness, m(r->best));  // the reported fitness is the best triple's
      // The fitness of the current best never decreases.
      for (std::size_t g = 1; g < r->history.size(); ++g)
        EXPECT_GE(r->history[g].fitness, r->history[g - 1].fitness);
    }
  }
  // Coevolution on this problem finds something strictly better than ReLU everywhere (tanh and elu are one
  // primitive away).
  auto r = evolve(ps, {.method = Method::kCoevo, .generations = 6, .population = 10, .seed = 1}, m.batch());
  EXPECT_GT(r->fitness, base + 0.1);
  auto s = evolve(ps, {.method = Method::kStandard, .seed = 1}, m.batch());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->best, relu3);
  EXPECT_EQ(s->evaluations, 1);
}

TEST(Evolution, CacheIsKeyedBySimplifiedFormulas) {
  EXPECT_EQ(canonical("relu(x)"), canonical("1*relu(x) + 0"));
  EXPECT_EQ(canonical("relu(x)"), canonical("where(x > 0, x, 0)"));
  EXPECT_NE(canonical("relu(x)"), canonical("tanh(x)"));
  const PrimitiveSet ps = paper();
  MatchTargets m;
  int calls = 0;
  BatchFitness fit = [&](const std::vector<Triple>& b) {
    calls += static_cast<int>(b.size());
    return m.batch()(b);
  };
  auto r = evolve(ps, {.method = Method::kEvoSingle, .generations = 8, .population = 10, .seed = 2}, fit);
  ASSERT_TRUE(r);
  EXPECT_EQ(calls, r->evaluations);
  EXPECT_EQ(r->evaluations + r->cache_hits, 1 + 8 * 10);
  EXPECT_GT(r->cache_hits, 0);  // elites and re-found formulas are not trained again
}

// Without clones every generation spends its evaluations on new functions.
TEST(Evolution, UniqueOffspringExploreMoreThanClones) {
  const PrimitiveSet ps = paper();
  MatchTargets m;
  EvolveOptions o{.method = Method::kEvoSingle, .generations = 10, .population = 10, .seed = 9};
  auto with = evolve(ps, o, m.batch());
  o.tree.unique = false;
  auto without = evolve(ps, o, m.batch());
  ASSERT_TRUE(with && without);
  EXPECT_GT(with->evaluations, without->evaluations);
}

TEST(Evolution, NonFiniteFormulasFailWithoutAFitnessCall) {
  const PrimitiveSet ps = PrimitiveSet::make({"div", "sub", "exp"}).value();
  MatchTargets m;
  int calls = 0;
  BatchFitness fit = [&](const std::vector<Triple>& b) {
    calls += static_cast<int>(b.size());
    for (const Triple& t : b)
      for (const std::string& f : t)
        for (int i = 0; i <= 120; ++i)
          EXPECT_TRUE(std::isfinite(activations::evaluate(parse(f), -6 + 0.1 * i))) << f;
    return m.batch()(b);
  };
  auto r = evolve(ps, {.method = Method::kEvoSingle, .generations = 5, .population = 20, .seed = 4}, fit);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_GT(r->failures, 0);  // x/(x - x), exp(exp(exp(x))), ... are screened out
  EXPECT_FALSE(r->failure_reasons.empty());
  EXPECT_NE(r->failure_reasons.begin()->second.find("not finite"), std::string::npos);
}

TEST(Evolution, BadOptionsAreErrors) {
  const PrimitiveSet ps = paper();
  MatchTargets m;
  EXPECT_FALSE(evolve(ps, {.population = 1}, m.batch()));
  EvolveOptions o;
  o.tree.height_limit = 0;
  auto r = evolve(ps, o, m.batch());
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("height limit"), std::string::npos);
  EXPECT_FALSE(evolve(ps, {.generations = 0}, m.batch()));
  EXPECT_FALSE(evolve(ps, {.baseline = "relu(x"}, m.batch()));
  EXPECT_FALSE(parse_method("coevolution"));
  EXPECT_FALSE(parse_gp("linear"));
  const PrimitiveSet with_c = PrimitiveSet::make({"add", "tanh"}, Constants{.enabled = true}).value();
  EXPECT_FALSE(evolve(with_c, {.gp = GpKind::kCgp}, m.batch()));
  BatchFitness wrong = [](const std::vector<Triple>&) { return std::vector<FitnessResult>{}; };
  EXPECT_FALSE(evolve(ps, {}, wrong));
}

}  // namespace
}  // namespace actlab::evolve
