// lab::converge and lab::optbench without the CLI: small budgets, the result values and the field-named
// errors.
#include "lab/optimizers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>

namespace actlab::lab {
namespace {

TEST(Converge, RowsForEveryCombinationSortedByActivation) {
  ConvergePlan p;
  p.acts = "tanh,sigmoid";
  p.seeds = 3;
  p.budget = 3000;
  p.threshold = 1e-4;
  p.threads = 2;
  std::atomic<int> done = 0;
  std::int64_t total = 0;
  auto r = converge(p, {.start = [&](std::int64_t n) { total = n; }, .done = [&] { ++done; }});
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_EQ(r->rows.size(), 8u);  // 2 activations × 2 optimizers × reflect off/on
  EXPECT_EQ(total, 24);
  EXPECT_EQ(done, 24);
  EXPECT_EQ(r->rows[0].activation, "sigmoid");
  EXPECT_EQ(r->rows[0].optimizer, "adam");
  EXPECT_FALSE(r->rows[0].reflect);
  EXPECT_TRUE(r->rows[1].reflect);
  EXPECT_EQ(r->rows[2].optimizer, "adamm");
  ASSERT_EQ(r->subjects.size(), 2u);
  EXPECT_TRUE(r->subjects[1].bounds);  // tanh has a box
  EXPECT_TRUE(r->skipped.empty());
  for (const ConvergeRow& row : r->rows) {
    ASSERT_EQ(row.runs.size(), 3u);
    EXPECT_GE(row.success_rate, 0.0);
    EXPECT_LE(row.success_rate, 1.0);
    if (row.success_rate > 0) {
      EXPECT_LE(row.median_evals, 3000);
    } else {
      EXPECT_TRUE(std::isnan(row.median_evals));
    }
    for (const auto& run : row.runs) EXPECT_EQ(run.curve.size(), r->checkpoints.size());
  }
  // tanh with x = 0.5, t = 0.3 is easy for Adam.
  EXPECT_EQ(r->rows[4].activation, "tanh");
  EXPECT_TRUE(r->rows[4].success_rate == 1.0 || r->rows[5].success_rate == 1.0);
  // The thread count does not change the numbers.
  p.threads = 1;
  auto one = converge(p);
  ASSERT_TRUE(one);
  for (std::size_t i = 0; i < r->rows.size(); ++i) {
    EXPECT_EQ(one->rows[i].success_rate, r->rows[i].success_rate);
    EXPECT_EQ(one->rows[i].median_error, r->rows[i].median_error);
  }
  const report::Figure fig = convergence_figure(*r);
  EXPECT_EQ(fig.series.size(), 8u);  // few rows: one median curve each
  EXPECT_EQ(fig.series[0].x.size(), r->checkpoints.size());
}

TEST(Converge, SkipsReflectionWithoutABoxOnlyForAll) {
  ConvergePlan p;
  p.acts = "exp,tanh";
  p.opt = "adamm";
  p.reflect = "on";
  p.seeds = 1;
  p.budget = 100;
  auto r = converge(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "acts");
  EXPECT_NE(r.status().message().find("exp"), std::string::npos);
  p.reflect = "off";
  EXPECT_TRUE(converge(p));
}

TEST(Converge, ErrorsNameTheField) {
  const auto field = [](auto change) {
    ConvergePlan p;
    p.acts = "tanh";
    p.seeds = 1;
    p.budget = 10;
    change(p);
    auto r = converge(p);
    return r ? std::string("ok") : r.status().field();
  };
  EXPECT_EQ(field([](ConvergePlan& p) { p.budget = 0; }), "budget");
  EXPECT_EQ(field([](ConvergePlan& p) { p.threshold = -1; }), "threshold");
  EXPECT_EQ(field([](ConvergePlan& p) { p.seeds = 0; }), "seeds");
  EXPECT_EQ(field([](ConvergePlan& p) { p.x = NAN; }), "x");
  EXPECT_EQ(field([](ConvergePlan& p) { p.opt = "sgd"; }), "opt");
  EXPECT_EQ(field([](ConvergePlan& p) { p.reflect = "maybe"; }), "reflect");
  EXPECT_EQ(field([](ConvergePlan& p) { p.acts = "nosuch"; }), "acts");
  EXPECT_EQ(field([](ConvergePlan&) {}), "ok");
}

TEST(Optbench, ScoresASmallHarnessDeterministically) {
  OptbenchPlan p;
  p.functions = "5";
  p.tests = "hilly,megacity";
  p.evals = 2000;
  p.repeats = 2;
  p.seed = 4;
  p.threads = 2;
  int runs = 0;
  std::int64_t total = 0;
  auto r = optbench(p, {.start = [&](std::int64_t n) { total = n; }});
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(total, 4);
  ASSERT_EQ(r->scores.cells.size(), 2u);
  EXPECT_EQ(r->scores.cells[0].function, optim::TestFunctionKind::kHilly);
  EXPECT_EQ(r->scores.cells[1].runs.size(), 2u);
  EXPECT_NEAR(r->scores.total, r->scores.cells[0].score + r->scores.cells[1].score, 1e-12);
  EXPECT_EQ(r->options.pop_size, 100);  // ADAMm's defaults
  EXPECT_FALSE(r->published);           // not Dik's full protocol
  p.threads = 1;
  auto again = optbench(p, {.done = [&] { ++runs; }});
  ASSERT_TRUE(again);
  EXPECT_EQ(runs, 4);
  EXPECT_EQ(again->scores.total, r->scores.total);
}

TEST(Optbench, OverridesAndPopulationAdam) {
  OptbenchPlan p;
  p.opt = "adam";
  p.functions = "5";
  p.tests = "hilly";
  p.evals = 500;
  p.repeats = 1;
  p.alpha = 0.01;
  auto r = optbench(p);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->options.pop_size, 50);  // population Adam's defaults, alpha overridden
  EXPECT_EQ(r->options.alpha, 0.01);
  EXPECT_FALSE(r->options.sort);
}

TEST(Optbench, ErrorsNameTheField) {
  const auto field = [](auto change) {
    OptbenchPlan p;
    p.functions = "5";
    p.tests = "hilly";
    p.evals = 100;
    p.repeats = 1;
    change(p);
    auto r = optbench(p);
    return r ? std::string("ok") : r.status().field();
  };
  EXPECT_EQ(field([](OptbenchPlan& p) { p.opt = "pso"; }), "opt");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.functions = "5,x"; }), "functions");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.tests = "rastrigin"; }), "tests");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.evals = 0; }), "evals");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.repeats = 0; }), "repeats");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.pop = 0; }), "pop");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.hybrids = 2; }), "hybrids");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.resistance = -1; }), "resistance");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.eps = 0; }), "eps");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.boundary = "wrap"; }), "boundary");
  EXPECT_EQ(field([](OptbenchPlan& p) { p.threads = -1; }), "threads");
  EXPECT_EQ(field([](OptbenchPlan&) {}), "ok");
}

}  // namespace
}  // namespace actlab::lab
