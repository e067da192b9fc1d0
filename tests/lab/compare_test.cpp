// lab::compare without the CLI: arms over seeds on the same splits and weight seeds, statistics from
// report/significance (checked there against scipy and brute force), divergence counted as the worst.
#include "lab/compare.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "report/significance.hpp"

namespace actlab::lab {
namespace {

ComparePlan iris_plan(const std::string& arms, int seeds = 4) {
  ComparePlan p;
  p.base.data = {.source = "iris", .test = 0.3};
  p.base.model.spec = "mlp:8x2";
  p.base.options.epochs = 8;
  p.base.options.optimizer.lr = 0.03;
  auto a = parse_arms(arms, "he");
  EXPECT_TRUE(a) << a.status().message();
  if (a) p.arms = *a;
  p.seeds = seeds;
  p.seed = 5;
  p.resamples = 2000;
  return p;
}

TEST(CompareArms, SplitsAtSemicolonsKeepsFormulaCommasAndDefaultsTheInit) {
  auto a = parse_arms(" relu ; swish@critical; x*tanh(softplus(x)), relu @ critical:sigma_b=0.1 ;", "torch");
  ASSERT_TRUE(a) << a.status().message();
  ASSERT_EQ(a->size(), 3u);
  EXPECT_EQ((*a)[0].label, "relu");
  EXPECT_EQ((*a)[0].acts, "relu");
  EXPECT_EQ((*a)[0].init, "torch");
  EXPECT_EQ((*a)[1].acts, "swish");
  EXPECT_EQ((*a)[1].init, "critical");
  EXPECT_EQ((*a)[2].acts, "x*tanh(softplus(x)),relu");  // items trimmed for parse_acts
  EXPECT_EQ((*a)[2].init, "critical:sigma_b=0.1");
}

TEST(CompareArms, BadArmsNameTheFieldAndTheArm) {
  for (const char* bad : {"", "relu;;tanh", "relu; @he", "relu; tanh@", "relu; nosuchact"}) {
    auto a = parse_arms(bad, "he");
    ASSERT_FALSE(a) << bad;
    EXPECT_EQ(a.status().field(), "arms") << bad;
  }
  EXPECT_NE(parse_arms("relu; nosuchact", "he").status().message().find("arm 2"), std::string::npos);
}

TEST(Compare, SameSeedSameSplitAndWeightsForEveryArm) {
  // "relu" and "relu@he" are the same network: with common random numbers they score identically per seed.
  ComparePlan p = iris_plan("relu; relu@he; tanh@torch");
  std::int64_t last = 0, total = 0;
  auto r = compare(p, [&](const CompareProgress& e) {
    EXPECT_GE(e.done, last);
    last = e.done;
    total = e.total;
  });
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(total, 3 * 4 * 8);
  EXPECT_EQ(last, total);
  EXPECT_TRUE(r->classification);
  EXPECT_EQ(r->data, "iris");
  EXPECT_EQ(r->seeds, (std::vector<std::uint64_t>{5, 6, 7, 8}));
  ASSERT_EQ(r->arms.size(), 3u);
  EXPECT_EQ(r->arms[0].values, r->arms[1].values);
  EXPECT_EQ(r->arms[1].p_value, 1.0);
  EXPECT_TRUE(std::isnan(r->arms[0].p_value));

  // Each value is lab::train's test accuracy for `actlab train --seed s` with the arm's act and init.
  TrainPlan t = p.base;
  t.data.seed = t.model.seed = t.options.seed = 7;
  t.model.acts = "tanh";
  t.model.init = "torch";
  auto direct = train(t);
  ASSERT_TRUE(direct) << direct.status().message();
  EXPECT_EQ(r->arms[2].values[2], direct->test.accuracy);
  EXPECT_EQ(r->arms[2].test_loss[2], direct->test.loss);

  // The statistics are report/significance's on those values.
  for (const auto& a : r->arms) {
    EXPECT_EQ(a.median, report::median(a.values));
    EXPECT_EQ(a.iqr, report::quantile(a.values, 0.75) - report::quantile(a.values, 0.25));
    EXPECT_LE(a.ci.first, a.median);
    EXPECT_GE(a.ci.second, a.median);
    EXPECT_TRUE(a.diverged_seeds.empty());
    EXPECT_GE(a.rank, 1);
  }
  const double p2 = report::paired_permutation_test(r->arms[2].values, r->arms[0].values);
  EXPECT_EQ(r->arms[2].p_value, p2);
  const auto h = report::holm(std::vector<double>{1.0, p2});
  EXPECT_EQ(r->arms[1].p_holm, h[0]);
  EXPECT_EQ(r->arms[2].p_holm, h[1]);
  EXPECT_TRUE(r->exact);

  // The same plan gives the same numbers.
  auto again = compare(p);
  ASSERT_TRUE(again);
  for (std::size_t a = 0; a < 3; ++a) {
    EXPECT_EQ(again->arms[a].values, r->arms[a].values);
    EXPECT_EQ(again->arms[a].ci, r->arms[a].ci);
  }

  const Json j = r->to_json();
  EXPECT_EQ(j["metric"], "test_acc");
  EXPECT_EQ(j["arms"][0]["p_value"], nullptr);
  EXPECT_EQ(j["arms"][2]["values"].size(), 4u);
  for (const char* key : {"median", "iqr", "ci", "values", "p_value", "p_holm", "diverged"})
    EXPECT_TRUE(j["arms"][1].contains(key)) << key;
  const report::Table table = r->table();
  EXPECT_EQ(table.rows.size(), 3u);
  const report::Figure fig = r->figure();
  ASSERT_EQ(fig.series.size(), 4u);  // one per arm, then the medians
  EXPECT_EQ(fig.series[0].x.size(), 4u);
  EXPECT_EQ(fig.series[3].label, "median");
  ASSERT_TRUE(fig.yrange);  // room above the points for the key
  for (const auto& a : r->arms)
    for (double v : a.values) EXPECT_LT(v, fig.yrange->second);
}

TEST(Compare, DivergedRunsAreCountedAndScoreWorst) {
  // A huge initial scale with plain SGD overflows; the he arm trains.
  ComparePlan p = iris_plan("relu; relu@gaussian:sigma_w=1e30,sigma_b=1e30", 3);
  p.base.options.optimizer.kind = optim::OptimizerKind::kSgd;
  p.base.options.optimizer.lr = 0.1;
  auto r = compare(p);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_TRUE(r->arms[0].diverged_seeds.empty());
  EXPECT_EQ(r->arms[1].diverged_seeds, (std::vector<std::uint64_t>{5, 6, 7}));
  EXPECT_EQ(r->arms[1].values, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(r->arms[1].median, 0.0);
  EXPECT_EQ(r->arms[1].rank, 2);
  EXPECT_EQ(r->to_json()["arms"][1]["diverged"], 3);
  EXPECT_TRUE(r->figure().series[1].x.empty());  // diverged points are not drawn
}

TEST(Compare, RegressionScoresTestLoss) {
  ComparePlan p;
  p.base.data = {.source = "poly:x*y", .rows = 120, .test = 0.25};
  p.base.model.spec = "mlp:8x2";
  p.base.options.epochs = 5;
  p.base.options.optimizer.lr = 0.01;
  p.arms = *parse_arms("tanh; relu", "glorot");
  p.seeds = 3;
  auto r = compare(p);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_FALSE(r->classification);
  EXPECT_EQ(r->to_json()["metric"], "test_loss");
  EXPECT_EQ(r->arms[0].values, r->arms[0].test_loss);
  const int better = r->arms[0].median < r->arms[1].median ? 0 : 1;
  EXPECT_EQ(r->arms[better].rank, 1);
}

TEST(Compare, DivergedRegressionRunsTakeTheWorstFiniteLoss) {
  ComparePlan p;
  p.base.data = {.source = "poly:x*y", .rows = 120, .test = 0.25};
  p.base.model.spec = "mlp:8x2";
  p.base.options.epochs = 4;
  p.base.options.optimizer.kind = optim::OptimizerKind::kSgd;
  p.base.options.optimizer.lr = 0.01;
  p.arms = *parse_arms("tanh; tanh@gaussian:sigma_w=1e30,sigma_b=1e30", "glorot");
  p.seeds = 3;
  auto r = compare(p);
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_TRUE(r->arms[0].diverged_seeds.empty());
  ASSERT_EQ(r->arms[1].diverged_seeds.size(), 3u);
  const double worst = *std::max_element(r->arms[0].values.begin(), r->arms[0].values.end());
  EXPECT_EQ(r->arms[1].values, (std::vector<double>{worst, worst, worst}));
  EXPECT_TRUE(std::isfinite(r->arms[1].p_value));
  EXPECT_EQ(r->arms[1].rank, 2);
  EXPECT_TRUE(std::isnan(r->arms[1].test_loss[0]));  // as trained: never evaluated after divergence
}

TEST(Compare, MoreThanTwentySeedsDrawSignPatterns) {
  ComparePlan p = iris_plan("relu; tanh@torch", 21);
  p.base.options.epochs = 2;
  p.rounds = 4000;
  auto r = compare(p);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_FALSE(r->exact);
  EXPECT_EQ(r->to_json()["tests"]["rounds"], 4000);
  const double p_mc = r->arms[1].p_value;
  const double p_exact = report::paired_permutation_test(r->arms[1].values, r->arms[0].values,
                                                         {.exact_max_n = 21, .rounds = 1, .seed = 0});
  EXPECT_GE(p_mc, 1.0 / 4001);
  EXPECT_NEAR(p_mc, p_exact, 0.04);  // 5 binomial standard errors at 4000 patterns
}

TEST(Compare, BadPlansNameTheField) {
  ComparePlan p = iris_plan("relu", 0);
  EXPECT_EQ(compare(p).status().field(), "seeds");
  p = iris_plan("relu; tanh@nosuchinit", 2);
  auto r = compare(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().field(), "arms");
  EXPECT_NE(r.status().message().find("tanh@nosuchinit"), std::string::npos) << r.status().message();
  p = iris_plan("relu", 2);
  p.base.data.source = "no-such-data";
  EXPECT_EQ(compare(p).status().code(), StatusCode::kNotFound);  // data::prepare's own error
  p = iris_plan("relu", 2);
  p.base.model.spec = "model.json";
  EXPECT_EQ(compare(p).status().field(), "model");
  p.arms.clear();
  EXPECT_EQ(compare(p).status().field(), "arms");
}

}  // namespace
}  // namespace actlab::lab
