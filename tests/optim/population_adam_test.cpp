// Population Adam and ADAMm: the special cases the spec documents (popSize 1 = ordinary Adam on the secant
// gradient; hybrids 0 removes recombination; hybrids 1 removes the Adam logic), budgets and observers, the
// quirk switch, the boundary rules, and option checks.
#include "optim/population_adam.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace actlab::optim {
namespace {

double sphere(std::span<const double> x) {
  double s = 0;
  for (double v : x) s += (v - 0.5) * (v - 0.5);
  return s;
}

// Every evaluated point, in order.
struct Recorder {
  std::vector<std::vector<double>> points;
  std::vector<double> values;
  double operator()(std::span<const double> x) {
    points.emplace_back(x.begin(), x.end());
    values.push_back(sphere(x));
    return values.back();
  }
};

TEST(PopulationAdam, PopulationOfOneIsAdamOnTheSecantGradient) {
  PopulationAdamOptions o = PopulationAdamDefaults::options();
  o.pop_size = 1;
  o.alpha = 0.05;
  o.max_evaluations = 40;
  Recorder rec;
  auto r = PopulationAdam(o).optimize(rec, Box::uniform(2, -3, 3), Rng(11));
  ASSERT_TRUE(r);
  ASSERT_EQ(rec.points.size(), 40u);
  // Reference: two random points, then c ← c − α·m̂/(√v̂ + ε) with g = −ΔE/Δc (ascent on the fitness −E).
  std::vector<double> m(2, 0), v(2, 0), c = rec.points[1], cp = rec.points[0];
  double e = rec.values[1], ep = rec.values[0];
  for (int t = 1; t <= 38; ++t) {
    std::vector<double> next(2);
    for (int k = 0; k < 2; ++k) {
      double dx = c[k] - cp[k];
      if (dx == 0) dx = o.eps;
      const double g = (-e - -ep) / dx;
      m[k] = o.beta1 * m[k] + (1 - o.beta1) * g;
      v[k] = o.beta2 * v[k] + (1 - o.beta2) * g * g;
      const double mh = m[k] / (1 - std::pow(o.beta1, t)), vh = v[k] / (1 - std::pow(o.beta2, t));
      next[k] = std::clamp(c[k] + o.alpha * mh / (std::sqrt(vh) + o.eps), -3.0, 3.0);
    }
    for (int k = 0; k < 2; ++k) ASSERT_NEAR(rec.points[t + 1][k], next[k], 1e-12) << "step " << t;
    cp = c;
    ep = e;
    c = rec.points[t + 1];
    e = rec.values[t + 1];
  }
}

TEST(PopulationAdam, AdammWithoutHybridsOrSortIsPopulationAdam) {
  PopulationAdamOptions o = AdammDefaults::options();
  o.hybrids = 0;
  o.sort = false;
  o.eps = 1e-8;
  o.pop_size = 50;
  o.max_evaluations = 2000;
  Recorder a, b;
  auto ra = Adamm(o).optimize(a, Box::uniform(3, -2, 2), Rng(3));
  PopulationAdam plain;
  plain.options().max_evaluations = 2000;
  auto rb = plain.optimize(b, Box::uniform(3, -2, 2), Rng(3));
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(a.points, b.points);
  EXPECT_EQ(ra->best_value, rb->best_value);
}

TEST(PopulationAdam, AllHybridsIgnoreTheAdamStep) {
  PopulationAdamOptions o = AdammDefaults::options();
  o.hybrids = 1;
  o.max_evaluations = 3000;
  Recorder a, b;
  auto ra = Adamm(o).optimize(a, Box::uniform(4, -2, 2), Rng(9));
  o.alpha = 100;  // would throw every Adam agent to the bounds
  auto rb = Adamm(o).optimize(b, Box::uniform(4, -2, 2), Rng(9));
  ASSERT_TRUE(ra && rb);
  EXPECT_EQ(a.points, b.points);
  // Recombination alone still improves on the two random epochs.
  const double random_best = *std::min_element(a.values.begin(), a.values.begin() + 200);
  EXPECT_LT(ra->best_value, 0.5 * random_best);
}

TEST(PopulationAdam, PopulationOfOneHasNoHybrids) {
  // ⌊1 · 0.5⌋ = 0 hybrids: ADAMm with one agent is Adam too (ε = 0.1).
  PopulationAdamOptions o = AdammDefaults::options();
  o.pop_size = 1;
  o.max_evaluations = 50;
  PopulationAdamOptions p = o;
  p.hybrids = 0;
  Recorder a, b;
  ASSERT_TRUE(Adamm(o).optimize(a, Box::uniform(2, -1, 1), Rng(4)));
  ASSERT_TRUE(Adamm(p).optimize(b, Box::uniform(2, -1, 1), Rng(4)));
  EXPECT_EQ(a.points, b.points);
}

TEST(PopulationAdam, AdammMinimisesAndKeepsTheBestPoint) {
  for (bool quirks : {true, false}) {
    PopulationAdamOptions o;
    o.dik_quirks = quirks;
    o.max_evaluations = 5000;
    Recorder rec;
    auto r = Adamm(o).optimize(rec, Box::uniform(3, -5, 5), Rng(1));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->evaluations, 5000);
    EXPECT_EQ(r->epochs, 50);
    EXPECT_LT(r->best_value, 1e-2) << quirks;
    EXPECT_DOUBLE_EQ(r->best_value, sphere(r->best));
    double min_seen = INFINITY;
    for (double v : rec.values) min_seen = std::min(min_seen, v);
    EXPECT_EQ(r->best_value, min_seen);
  }
}

TEST(PopulationAdam, BudgetIsExactAndTheObserverStops) {
  PopulationAdamOptions o;
  o.max_evaluations = 250;  // 2.5 epochs: the last stops part-way
  Recorder rec;
  auto r = Adamm(o).optimize(rec, Box::uniform(2, -1, 1), Rng(2));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->evaluations, 250);
  EXPECT_EQ(rec.points.size(), 250u);
  auto stop = [](std::int64_t n, double) { return n < 123; };
  Recorder rec2;
  r = Adamm(o).optimize(rec2, Box::uniform(2, -1, 1), Rng(2), stop);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->stopped);
  EXPECT_EQ(r->evaluations, 123);
}

TEST(PopulationAdam, EveryPointStaysInTheBoxWithEitherBoundary) {
  for (Boundary b : {Boundary::kClamp, Boundary::kReflect}) {
    PopulationAdamOptions o;
    o.boundary = b;
    o.alpha = 5.0;  // huge steps: every Adam agent overshoots
    o.negate_moment_on_reflect = true;
    o.max_evaluations = 3000;
    Box box;
    box.lo = {-1, 0, 10};
    box.hi = {1, 0.5, 12};
    Recorder rec;
    ASSERT_TRUE(Adamm(o).optimize(rec, box, Rng(6)));
    for (const auto& p : rec.points)
      for (std::size_t k = 0; k < 3; ++k) ASSERT_TRUE(box.contains(k, p[k])) << boundary_name(b);
  }
}

TEST(PopulationAdam, RejectsBadOptionsAndBoxes) {
  PopulationAdamOptions o;
  o.pop_size = 0;
  auto f = sphere;
  EXPECT_FALSE(Adamm(o).optimize(f, Box::uniform(2, -1, 1), Rng(1)));
  o = {};
  o.hybrids = 1.5;
  EXPECT_FALSE(o.validate());
  o = {};
  o.beta1 = 1.0;
  EXPECT_FALSE(o.validate());
  o = {};
  o.max_evaluations = 0;
  EXPECT_FALSE(o.validate());
  EXPECT_FALSE(Adamm().optimize(f, Box::uniform(2, 1, -1), Rng(1)));
  EXPECT_EQ(Adamm::name(), "adamm");
  EXPECT_EQ(PopulationAdam::name(), "adam");
}

TEST(PopulationAdam, QuirkThreeTiesMomentsToSlots) {
  // With the sort on and quirks on, the moments stay in their slot; with quirks off they follow the agent.
  // Either way the state machine runs; check the slot moments are finite after a few epochs.
  PopulationAdamState s;
  PopulationAdamOptions o;
  o.pop_size = 10;
  ASSERT_TRUE(s.init(Box::uniform(2, -1, 1), o, Rng(1)));
  for (int e = 0; e < 6; ++e) {
    s.moving();
    for (int i = 0; i < s.size(); ++i) s.set_value(i, sphere(s.agent(i)));
    s.revision();
  }
  for (int i = 0; i < s.size(); ++i)
    for (double m : s.first_moment(i)) EXPECT_TRUE(std::isfinite(m));
  EXPECT_TRUE(std::isfinite(s.best_value()));
}

}  // namespace
}  // namespace actlab::optim
