// The helpers the training commands share: activation lists, --init parsing, data loading.
#include "cli/train_setup.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "nn/architecture.hpp"

namespace actlab::cli {
namespace {

TEST(TrainSetup, SplitsAtTopLevelCommasOnly) {
  EXPECT_EQ(split_top_level("relu,repu(x, p=3),tanh"),
            (std::vector<std::string>{"relu", "repu(x, p=3)", "tanh"}));
  EXPECT_EQ(split_top_level("relu"), (std::vector<std::string>{"relu"}));
}

TEST(TrainSetup, ParsesActivationsAndNamesTheBadOne) {
  auto a = parse_acts("relu,softmax");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[1].name(), "softmax");
  auto bad = parse_acts("relu,nosuchthing");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("--act 'nosuchthing'"), std::string::npos);
}

TEST(TrainSetup, InitSpecsNamedAndCritical) {
  auto acts = parse_acts("tanh");
  auto m = nn::build_model("mlp:8x3", nn::Shape{{4}}, 2, *acts);
  ASSERT_TRUE(m);
  Json explain;
  auto he = init_specs("he", *m, explain);
  ASSERT_TRUE(he);
  EXPECT_EQ(he->size(), 1u);
  auto crit = init_specs("critical", *m, explain);
  ASSERT_TRUE(crit) << crit.status().message();
  EXPECT_EQ(crit->size(), 3u);  // one per dense layer; tanh is critical at σ_w = 1, σ_b = 0
  EXPECT_NEAR((*crit)[0].sigma_w, 1.0, 1e-6);
  EXPECT_FALSE(init_specs("bogus", *m, explain));
}

TEST(TrainSetup, LoadsDataAndViewsItAsExamples) {
  DataFlags f;
  f.data = "iris";
  auto ds = load_data(f, 0);
  ASSERT_TRUE(ds) << ds.status().message();
  const nn::Examples e = examples(*ds);
  EXPECT_EQ(e.rows(), 150);
  EXPECT_EQ(e.labels.size(), 150u);
  EXPECT_EQ(e.targets, nullptr);
  f.data = "irsi";
  EXPECT_FALSE(load_data(f, 0));
  EXPECT_EQ(fmt(std::nan("")), "-");
  EXPECT_EQ(fmt(0.5), "0.5000");
}

}  // namespace
}  // namespace actlab::cli
