// data::prepare: the one split-and-standardise path (conventions in data/prepare.hpp).
#include "data/prepare.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "data/builtin.hpp"

namespace actlab::data {
namespace {

TEST(Prepare, StratifiedSplitsAreDisjointSeededAndStandardisedOnTrainRows) {
  DataPlan p{.source = "iris", .test = 0.3, .val = 0.2, .seed = 7};
  auto d = prepare(p);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->rows, 150u);
  EXPECT_EQ(d->train.rows() + d->val.rows() + d->test.rows(), 150u);
  EXPECT_EQ(d->test.rows(), 45u);  // round(0.3 × 50) = 15 of each class
  EXPECT_EQ(d->val.rows(), 30u);
  EXPECT_EQ(d->standardized, Standardize::kPerFeature);
  // Per-feature standardisation fitted on the training rows: their mean is 0 and their sd 1.
  const Eigen::RowVectorXd mean = d->train.x.cast<double>().colwise().mean();
  for (Eigen::Index j = 0; j < mean.size(); ++j) EXPECT_NEAR(mean[j], 0.0, 1e-5);
  // The same plan, the same rows and fingerprint; another seed, another split.
  auto again = prepare(p);
  EXPECT_EQ(again->fingerprint, d->fingerprint);
  EXPECT_EQ(again->train.x, d->train.x);
  p.seed = 8;
  EXPECT_NE(prepare(p)->fingerprint, d->fingerprint);
}

TEST(Prepare, MatchesSplitThenStandardizerByHand) {
  auto ds = load("wine");
  ASSERT_TRUE(ds) << ds.status().message();
  auto sp = split(*ds, {.val = 0.1, .test = 0.25, .stratified = true, .seed = 3});
  ASSERT_TRUE(sp);
  Standardizer::fit(*ds, sp->train).apply(*ds);
  auto d = prepare({.source = "wine", .test = 0.25, .val = 0.1, .seed = 3});
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->train.x, subset(*ds, sp->train).x);
  EXPECT_EQ(d->val.x, subset(*ds, sp->val).x);
  EXPECT_EQ(d->test.labels, subset(*ds, sp->test).labels);
}

TEST(Prepare, GlobalAndOffStandardisation) {
  auto d = prepare({.source = "iris", .test = 0.3, .standardize = Standardize::kGlobal, .seed = 1});
  ASSERT_TRUE(d) << d.status().message();
  ASSERT_TRUE(d->standardizer);
  EXPECT_EQ(d->standardizer->mean.minCoeff(), d->standardizer->mean.maxCoeff());
  const double all_mean = d->train.x.cast<double>().mean();
  EXPECT_NEAR(all_mean, 0.0, 1e-5);
  auto off = prepare({.source = "iris", .test = 0.3, .standardize = Standardize::kOff, .seed = 1});
  EXPECT_FALSE(off->standardizer);
  auto raw = load("iris");
  EXPECT_EQ(off->train.x.row(0), raw->x.row(static_cast<Eigen::Index>(0)));  // row 0 stays in train here
}

TEST(Prepare, ShuffledPoolUsesAFractionAndKeepsTrainVal) {
  DataPlan p{.source = "iris",
             .test = 0.3,
             .val = 0.2,
             .subsample = 0.5,
             .sampling = Sampling::kShuffledPool,
             .with_train_val = true,
             .seed = 4};
  auto d = prepare(p);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->test.rows(), 45u);
  EXPECT_EQ(d->train.rows() + d->val.rows(), 53u);  // round(0.5 × 105) = 53
  EXPECT_EQ(d->val.rows(), 11u);                    // round(0.2 × 53)
  EXPECT_EQ(d->train_val.rows(), 53u);
  p.subsample = 0.01;
  auto tiny = prepare(p);
  ASSERT_FALSE(tiny);
  EXPECT_EQ(tiny.status().field(), "subsample");
}

// Column j of `ds` where column `flag` is (or is not) above its minimum: for an indicator column, the rows
// that missed the value (standardised or not).
std::vector<float> where(const Dataset& ds, Eigen::Index j, Eigen::Index flag, bool missing) {
  const float lo = ds.x.col(flag).minCoeff();
  std::vector<float> v;
  for (Eigen::Index i = 0; i < ds.x.rows(); ++i)
    if ((ds.x(i, flag) > lo) == missing) v.push_back(ds.x(i, j));
  return v;
}

TEST(Prepare, MissingValuesTakeTheTrainingMean) {
  // PimaIndiansDiabetes2: insulin is NA in 374 of 768 rows; column insulin:NA marks them.
  DataPlan p{
      .source = "pima-diabetes-2", .test = 0.3, .val = 0.2, .standardize = Standardize::kOff, .seed = 5};
  auto d = prepare(p);
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->imputed, 5u + 35 + 227 + 374 + 11);
  const auto& names = d->train.feature_names;
  const auto j = std::find(names.begin(), names.end(), "insulin") - names.begin();
  const auto flag = std::find(names.begin(), names.end(), "insulin:NA") - names.begin();
  ASSERT_LT(flag, static_cast<long>(names.size()));
  const std::vector<float> known = where(d->train, j, flag, false);
  double mean = 0;
  for (float v : known) mean += v;
  mean /= double(known.size());
  // Every filled cell, in every part, holds the training rows' mean: nothing is fitted on val or test.
  for (const Dataset* part : {&d->train, &d->val, &d->test}) {
    const std::vector<float> filled = where(*part, j, flag, true);
    EXPECT_GT(filled.size(), 10u);
    for (float v : filled) EXPECT_EQ(v, static_cast<float>(mean));
    EXPECT_FALSE(part->x.array().isNaN().any());
  }
  // Standardised per feature, a filled cell is the training mean: 0.
  p.standardize = Standardize::kPerFeature;
  auto z = prepare(p);
  ASSERT_TRUE(z);
  for (float v : where(z->test, j, flag, true)) EXPECT_NEAR(v, 0.0f, 1e-5f);
  EXPECT_EQ(z->fingerprint, d->fingerprint);  // the fingerprint hashes the rows as loaded
}

TEST(Prepare, BadPlansNameTheField) {
  EXPECT_EQ(prepare({}).status().field(), "source");
  EXPECT_EQ(prepare({.source = "iris", .test = 0.6, .val = 0.5}).status().field(), "val");
  auto missing = prepare({.source = "irsi"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.status().message().find("iris"), std::string::npos);  // "did you mean"
  EXPECT_FALSE(parse_standardize("sometimes"));
  EXPECT_EQ(standardize_name(*parse_standardize("global")), "global");
}

}  // namespace
}  // namespace actlab::data
