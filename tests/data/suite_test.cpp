// data/suite: suite:tabular is every built-in table with classes (and nothing else), expansion keeps order
// and drops repeats, a plan over a suite becomes one plan per set, and unknown suites are errors.
#include "data/suite.hpp"

#include <gtest/gtest.h>

#include "data/builtin.hpp"

namespace actlab::data {
namespace {

TEST(Suite, TabularIsEveryBuiltinTableWithClasses) {
  auto t = suite_members("suite:tabular");
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_EQ(t->size(), 23u);  // iris, wine, breast-cancer + 20 R classification sets
  EXPECT_EQ(std::vector<std::string>(t->begin(), t->begin() + 4),
            (std::vector<std::string>{"iris", "wine", "breast-cancer", "breast-cancer-wisconsin"}));
  for (const auto& name : *t) {
    auto ds = load(name);
    ASSERT_TRUE(ds) << name << ": " << ds.status().message();
    EXPECT_EQ(ds->task, Task::kClassification) << name;
    EXPECT_TRUE(ds->input_shape.size() == 1) << name;  // no images
  }
  for (const char* not_in : {"digits", "fashion-mnist", "ozone", "spirals"})
    EXPECT_EQ(std::count(t->begin(), t->end(), not_in), 0) << not_in;
  auto small = suite_members("suite:tabular-small");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->size(), 16u);
  for (const auto& b : builtins())
    if (std::count(small->begin(), small->end(), b.name)) {
      EXPECT_LE(b.rows, 1000u) << b.name;
    }
}

TEST(Suite, ExpandKeepsOrderAndDropsRepeats) {
  auto e = expand_sources({"sonar", "suite:tabular", "digits", "iris"});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->size(), 24u);
  EXPECT_EQ(e->front(), "sonar");
  EXPECT_EQ((*e)[1], "iris");
  EXPECT_EQ(e->back(), "digits");
  EXPECT_EQ(std::count(e->begin(), e->end(), "sonar"), 1);

  DataPlan p{.source = "suite:tabular-small", .test = 0.25, .val = 0.1, .seed = 7};
  auto plans = expand(p);
  ASSERT_TRUE(plans);
  ASSERT_EQ(plans->size(), 16u);
  for (const DataPlan& q : *plans) {
    EXPECT_FALSE(is_suite(q.source));
    EXPECT_EQ(q.test, 0.25);
    EXPECT_EQ(q.seed, 7u);
  }
  p.source = "iris";
  EXPECT_EQ(expand(p)->size(), 1u);
}

TEST(Suite, UnknownSuitesAreErrors) {
  auto u = suite_members("suite:tabluar");
  ASSERT_FALSE(u);
  EXPECT_EQ(u.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(u.status().message(),
            "unknown suite 'suite:tabluar' (suites: suite:tabular, suite:tabular-small)");
  EXPECT_FALSE(expand_sources({"iris", "suite:x"}));
  DataPlan p{.source = "suite:x"};
  EXPECT_EQ(expand(p).status().field(), "source");
  // Where one data set is needed, a suite is an error that says so.
  auto one = load("suite:tabular");
  ASSERT_FALSE(one);
  EXPECT_EQ(one.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(one.status().message().find("is a suite of data sets"), std::string::npos);
}

}  // namespace
}  // namespace actlab::data
