// data/dataset: subset, seeded (stratified) splits and the standardiser fitted on training rows only.
#include "data/dataset.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

namespace actlab::data {
namespace {

// n rows, labels with the given class sizes (class c repeated counts[c] times, interleaved), x = row index.
Dataset classes_of(const std::vector<int>& counts) {
  Dataset ds;
  ds.name = "toy";
  std::vector<int> left = counts;
  for (bool any = true; any;) {
    any = false;
    for (std::size_t c = 0; c < left.size(); ++c) {
      if (left[c] > 0) --left[c], ds.labels.push_back(static_cast<int>(c)), any = true;
    }
  }
  for (std::size_t c = 0; c < counts.size(); ++c)
    ds.class_names.push_back(std::string(1, 'c').append(std::to_string(c)));
  const auto n = static_cast<Eigen::Index>(ds.labels.size());
  ds.x.resize(n, 2);
  for (Eigen::Index i = 0; i < n; ++i) ds.x.row(i) << static_cast<float>(i), static_cast<float>(i % 7);
  ds.feature_names = {"x0", "x1"};
  ds.input_shape = {2};
  return ds;
}

void expect_partition(const Split& s, std::size_t n) {
  std::vector<std::size_t> all;
  for (const auto* part : {&s.train, &s.val, &s.test}) {
    EXPECT_TRUE(std::is_sorted(part->begin(), part->end()));
    all.insert(all.end(), part->begin(), part->end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::size_t> want(n);
  std::iota(want.begin(), want.end(), std::size_t{0});
  EXPECT_EQ(all, want) << "the three splits must be disjoint and cover every row";
}

std::vector<int> class_counts(const Dataset& ds, const std::vector<std::size_t>& rows) {
  std::vector<int> k(static_cast<std::size_t>(ds.classes()), 0);
  for (std::size_t r : rows) ++k[static_cast<std::size_t>(ds.labels[r])];
  return k;
}

TEST(Subset, CopiesRowsTargetsAndMetadataInOrder) {
  Dataset ds = classes_of({3, 2});
  ds.test_start = 4;
  const std::vector<std::size_t> rows = {4, 0, 2};
  Dataset s = subset(ds, rows);
  ASSERT_EQ(s.rows(), 3u);
  EXPECT_EQ(s.x(0, 0), 4.0f);
  EXPECT_EQ(s.x(1, 0), 0.0f);
  EXPECT_EQ(s.x(2, 0), 2.0f);
  EXPECT_EQ(s.labels, (std::vector<int>{ds.labels[4], ds.labels[0], ds.labels[2]}));
  EXPECT_EQ(s.class_names, ds.class_names);
  EXPECT_EQ(s.feature_names, ds.feature_names);
  EXPECT_FALSE(s.test_start.has_value());

  Dataset reg;
  reg.task = Task::kRegression;
  reg.x = MatrixF::Constant(3, 1, 1.0f);
  reg.y.resize(3, 2);
  reg.y << 1, 2, 3, 4, 5, 6;
  const std::vector<std::size_t> one = {2};
  Dataset r = subset(reg, one);
  EXPECT_EQ(r.y(0, 0), 5.0f);
  EXPECT_EQ(r.y(0, 1), 6.0f);
  EXPECT_TRUE(r.labels.empty());
}

TEST(Split, StratifiedIsADisjointCoverWithProportionsWithinOnePerClass) {
  const std::vector<int> counts = {50, 30, 17, 3};
  Dataset ds = classes_of(counts);
  auto s = split(ds, {.val = 0.2, .test = 0.3, .stratified = true, .seed = 11});
  ASSERT_TRUE(s) << s.status().message();
  expect_partition(*s, ds.rows());
  const auto test = class_counts(ds, s->test), val = class_counts(ds, s->val),
             train = class_counts(ds, s->train);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    EXPECT_LE(std::fabs(test[c] - 0.3 * counts[c]), 1.0) << "class " << c;
    EXPECT_LE(std::fabs(val[c] - 0.2 * counts[c]), 1.0) << "class " << c;
    EXPECT_LE(std::fabs(train[c] - 0.5 * counts[c]), 1.0) << "class " << c;
  }
}

TEST(Split, SameSeedSameSplitDifferentSeedDifferentSplit) {
  Dataset ds = classes_of({60, 40});
  for (bool stratified : {true, false}) {
    const SplitOptions a{.val = 0.1, .test = 0.25, .stratified = stratified, .seed = 5};
    SplitOptions b = a;
    b.seed = 6;
    auto s1 = split(ds, a), s2 = split(ds, a), s3 = split(ds, b);
    ASSERT_TRUE(s1 && s2 && s3);
    EXPECT_EQ(s1->train, s2->train);
    EXPECT_EQ(s1->val, s2->val);
    EXPECT_EQ(s1->test, s2->test);
    EXPECT_NE(s1->test, s3->test);
    EXPECT_EQ(s1->test.size(), 25u);
    EXPECT_EQ(s1->val.size(), 10u);
    expect_partition(*s3, ds.rows());
  }
}

TEST(Split, RegressionAndUnstratifiedUseRoundedFractionsOfAllRows) {
  Dataset ds;
  ds.task = Task::kRegression;
  ds.x = MatrixF::Zero(101, 1);
  ds.y = MatrixF::Zero(101, 1);
  auto s = split(ds, {.val = 0.0, .test = 0.3, .stratified = true, .seed = 1});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->test.size(), 30u);  // round(30.3)
  EXPECT_TRUE(s->val.empty());
  EXPECT_EQ(s->train.size(), 71u);
  expect_partition(*s, 101);
}

TEST(Split, AFixedTestSetIsKeptAndValIsDrawnBeforeIt) {
  Dataset ds = classes_of({40, 40});
  ds.test_start = 60;
  auto s = split(ds, {.val = 0.25, .test = 0.5, .stratified = false, .seed = 2});
  ASSERT_TRUE(s);
  std::vector<std::size_t> want(20);
  std::iota(want.begin(), want.end(), std::size_t{60});
  EXPECT_EQ(s->test, want);
  EXPECT_EQ(s->val.size(), 15u);  // 0.25 of the 60 rows before test_start
  for (std::size_t r : s->val) EXPECT_LT(r, 60u);
  expect_partition(*s, 80);
}

TEST(Split, RejectsBadFractions) {
  Dataset ds = classes_of({5, 5});
  for (auto [val, test] :
       std::vector<std::pair<double, double>>{{-0.1, 0}, {0, 1.0}, {0.6, 0.4}, {0.5, 0.7}}) {
    auto s = split(ds, {.val = val, .test = test, .stratified = true, .seed = 0});
    ASSERT_FALSE(s) << val << " " << test;
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  }
  Dataset one = classes_of({1});
  auto s = split(one, {.val = 0.0, .test = 0.5, .stratified = true, .seed = 0});
  ASSERT_FALSE(s);  // the single row goes to test: nothing left to train on
  EXPECT_NE(s.status().message().find("no training rows"), std::string::npos);
}

TEST(Standardizer, IsFittedOnTheGivenRowsOnly) {
  // Train rows hold 1, 2, 3, 4 (mean 2.5, population sd sqrt(1.25)); the test rows hold huge values that
  // would move both statistics if they were used.
  Dataset ds;
  ds.x.resize(6, 2);
  ds.x << 1, 5, 2, 5, 3, 5, 4, 5, 1000, -7, -1000, 9;
  const std::vector<std::size_t> train = {0, 1, 2, 3};
  const Standardizer z = Standardizer::fit(ds, train);
  EXPECT_FLOAT_EQ(z.mean[0], 2.5f);
  EXPECT_FLOAT_EQ(z.scale[0], static_cast<float>(std::sqrt(1.25)));
  EXPECT_FLOAT_EQ(z.mean[1], 5.0f);
  EXPECT_FLOAT_EQ(z.scale[1], 1.0f);  // constant on the training rows: scale 1, stays finite
  z.apply(ds);
  double sum = 0, sq = 0;
  for (std::size_t r : train)
    sum += ds.x(static_cast<Eigen::Index>(r), 0), sq += std::pow(ds.x(static_cast<Eigen::Index>(r), 0), 2);
  EXPECT_NEAR(sum / 4, 0.0, 1e-6);
  EXPECT_NEAR(sq / 4, 1.0, 1e-6);
  EXPECT_FLOAT_EQ(ds.x(4, 0),
                  static_cast<float>((1000 - 2.5) / std::sqrt(1.25)));  // test rows are transformed
  EXPECT_FLOAT_EQ(ds.x(4, 1), -12.0f);
}

}  // namespace
}  // namespace actlab::data
