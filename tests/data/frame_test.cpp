// data/frame: the encoding of every column kind (on an R-written fixture), the 5 % missing-value rule at its
// boundary, one-hot details, constant columns, targets and errors.
#include "data/frame.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/golden.hpp"

namespace actlab::data {
namespace {

constexpr double kNa = std::numeric_limits<double>::quiet_NaN();

RColumn numeric(const std::string& name, std::vector<double> v) {
  RColumn c;
  c.name = name;
  c.values = std::move(v);
  return c;
}

RColumn factor(const std::string& name, std::vector<double> codes, std::vector<std::string> levels) {
  RColumn c;
  c.name = name;
  c.kind = RKind::kFactor;
  c.values = std::move(codes);
  c.levels = std::move(levels);
  return c;
}

std::vector<float> col(const Dataset& ds, const std::string& name) {
  const auto it = std::find(ds.feature_names.begin(), ds.feature_names.end(), name);
  EXPECT_NE(it, ds.feature_names.end()) << name;
  if (it == ds.feature_names.end()) return {};
  const auto j = static_cast<Eigen::Index>(it - ds.feature_names.begin());
  std::vector<float> v;
  for (Eigen::Index i = 0; i < ds.x.rows(); ++i) v.push_back(ds.x(i, j));
  return v;
}

bool same(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  return true;
}

TEST(Frame, EveryColumnKindOfAnRFile) {
  auto f = read_rdata_object(testing::source_path("tests/golden/rdata/kinds.rda"), "kinds");
  ASSERT_TRUE(f) << f.status().message();
  FramePlan p;
  p.target = "target";
  p.as_integer = {"ord"};
  FrameReport rep;
  auto ds = encode_frame(*f, p, &rep);
  ASSERT_TRUE(ds) << ds.status().message();
  // 3 of 5 rows miss a value (60 % >= 5 %): kept, with indicators; chr is text, left out.
  EXPECT_EQ(ds->rows(), 5u);
  EXPECT_EQ(ds->feature_names,
            (std::vector<std::string>{"num", "num:NA", "int", "int:NA", "lgl", "lgl:NA", "fac=c", "fac=b",
                                      "fac=a", "fac:NA", "ord", "ord:NA"}));
  const float nan = std::nanf("");
  const float inf = std::numeric_limits<float>::infinity();  // 1e300 is beyond float
  EXPECT_TRUE(same(col(*ds, "num"), {1.5f, nan, -2.25f, inf, 0.f}));
  EXPECT_TRUE(same(col(*ds, "num:NA"), {0, 1, 0, 0, 0}));
  EXPECT_TRUE(same(col(*ds, "int"), {1, 2, nan, -7, 2147483647.f}));
  EXPECT_TRUE(same(col(*ds, "lgl"), {1, 0, nan, 1, 1}));
  EXPECT_TRUE(same(col(*ds, "fac=b"), {1, 0, 0, 0, 1}));
  EXPECT_TRUE(same(col(*ds, "fac=c"), {0, 0, 0, 1, 0}));  // the missing row is all zeros
  EXPECT_TRUE(same(col(*ds, "fac:NA"), {0, 0, 1, 0, 0}));
  EXPECT_TRUE(same(col(*ds, "ord"), {1, 3, 2, nan, 1}));  // lo < mid < hi: codes, the levels are not numbers
  EXPECT_EQ(ds->class_names, (std::vector<std::string>{"no", "yes"}));
  EXPECT_EQ(ds->labels, (std::vector<int>{1, 0, 1, 0, 1}));
  EXPECT_EQ(rep.missing_cells, 4u);  // num, int, lgl, ord: one each
  EXPECT_EQ(rep.incomplete_rows, 3u);
  EXPECT_FALSE(rep.incomplete_dropped);
  EXPECT_EQ(rep.missing_policy,
            "imputed (3 incomplete rows, 60.0 % >= 5.0 %): indicators, training-split means");
}

// 100 rows; the first k miss their feature value.
RFrame with_missing(std::size_t k) {
  RFrame f;
  f.name = "t";
  std::vector<double> x, y;
  for (std::size_t i = 0; i < 100; ++i) {
    x.push_back(i < k ? kNa : double(i % 7));
    y.push_back(double(1 + i % 2));
  }
  f.columns = {numeric("x", x), factor("y", y, {"a", "b"})};
  return f;
}

TEST(Frame, FewerThanFivePercentIncompleteRowsAreDropped) {
  FrameReport rep;
  auto four = encode_frame(with_missing(4), {}, &rep);
  ASSERT_TRUE(four) << four.status().message();
  EXPECT_EQ(four->rows(), 96u);
  EXPECT_EQ(four->feature_names, (std::vector<std::string>{"x"}));
  EXPECT_TRUE(rep.incomplete_dropped);
  EXPECT_EQ(rep.missing_policy, "dropped 4 incomplete rows (4.0 % < 5.0 %)");
  auto five = encode_frame(with_missing(5), {}, &rep);  // 5 % is not fewer than 5 %
  ASSERT_TRUE(five);
  EXPECT_EQ(five->rows(), 100u);
  EXPECT_EQ(five->feature_names, (std::vector<std::string>{"x", "x:NA"}));
  EXPECT_TRUE(std::isnan(five->x(0, 0)));
  EXPECT_EQ(rep.missing_cells, 5u);
}

TEST(Frame, OneHotAndConstantColumns) {
  RFrame f;
  f.name = "t";
  f.columns = {
      factor("two", {1, 2, 2, 1}, {"n", "y"}),            // two levels: one column, for "y"
      factor("unused", {1, 3, 3, 1}, {"p", "q", "r"}),    // q never occurs: two columns are left
      factor("one", {2, 2, 2, 2}, {"a", "b"}),            // one level occurs: constant, dropped
      factor("scale", {1, 2, 3, 2}, {"10", "20", "30"}),  // as_integer: the level numbers
      numeric("flat", {3, 3, 3, 3}),                      // constant
      numeric("y", {0.5, 1.5, 2.5, 3.5}),                 // numeric target: regression
  };
  FramePlan p;
  p.as_integer = {"scale"};
  FrameReport rep;
  auto ds = encode_frame(f, p, &rep);
  ASSERT_TRUE(ds) << ds.status().message();
  EXPECT_EQ(ds->feature_names, (std::vector<std::string>{"two=y", "unused=r", "scale"}));
  EXPECT_TRUE(same(col(*ds, "two=y"), {0, 1, 1, 0}));
  EXPECT_TRUE(same(col(*ds, "scale"), {10, 20, 30, 20}));
  EXPECT_EQ(ds->task, Task::kRegression);
  EXPECT_EQ(ds->y(3, 0), 3.5f);
  // "unused" has two levels that occur: one column (for r), like "two".
  EXPECT_TRUE(same(col(*ds, "unused=r"), {0, 1, 1, 0}));
  EXPECT_NE(std::find(rep.steps.begin(), rep.steps.end(), "constant, dropped  one=b, flat"), rep.steps.end());

  p.task = Task::kClassification;  // the numeric target as classes, in numeric order
  auto cls = encode_frame(f, p);
  ASSERT_TRUE(cls);
  EXPECT_EQ(cls->class_names, (std::vector<std::string>{"0.5", "1.5", "2.5", "3.5"}));
}

TEST(Frame, TargetsAndTestRows) {
  RFrame f;
  f.name = "t";
  f.columns = {numeric("x", {1, 2, 3, 4, 5, 6}), factor("c", {3, 1, kNa, 3, 1, 3}, {"lo", "mid", "hi"})};
  FramePlan p;
  p.test_start = 4;
  FrameReport rep;
  auto ds = encode_frame(f, p, &rep);
  ASSERT_TRUE(ds) << ds.status().message();
  EXPECT_EQ(ds->rows(), 5u);  // the missing target's row is dropped
  EXPECT_EQ(rep.target_missing, 1u);
  EXPECT_EQ(ds->class_names, (std::vector<std::string>{"lo", "hi"}));  // "mid" has no row
  EXPECT_EQ(ds->labels, (std::vector<int>{1, 0, 1, 0, 1}));
  EXPECT_EQ(ds->test_start, 3u);  // frame rows 4 and 5 are rows 3 and 4 now
}

TEST(Frame, ErrorsNameTheFrameAndColumn) {
  RFrame f;
  f.name = "t";
  f.columns = {numeric("x", {1, 2}), factor("c", {1, 2}, {"a", "b"})};
  FramePlan p;
  p.target = "label";
  auto e = encode_frame(f, p);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(e.status().message(), "t: no target column named 'label' (columns: x, c)");
  p = {};
  p.drop = {"id"};
  EXPECT_EQ(encode_frame(f, p).status().message(), "t: no dropped column named 'id' (columns: x, c)");
  p = {};
  p.as_integer = {"x"};
  EXPECT_EQ(encode_frame(f, p).status().message(),
            "t: column 'x' is not a factor (integer coding is for factors)");
  p = {};
  p.task = Task::kRegression;
  EXPECT_EQ(encode_frame(f, p).status().message(), "t: target 'c' is a factor, not a number (regression)");
}

}  // namespace
}  // namespace actlab::data
