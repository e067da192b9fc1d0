// Building and initialising models (lab/model), without the CLI.
#include "lab/model.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "data/builtin.hpp"
#include "nn/architecture.hpp"
#include "nn/dense.hpp"

namespace actlab::lab {
namespace {

TEST(Model, SplitsAtTopLevelCommasOnly) {
  EXPECT_EQ(split_top_level("relu,repu(x, p=3),tanh"),
            (std::vector<std::string>{"relu", "repu(x, p=3)", "tanh"}));
  EXPECT_EQ(split_top_level("relu"), (std::vector<std::string>{"relu"}));
}

TEST(Model, ParsesActivationsAndNamesTheBadOne) {
  auto a = parse_acts("relu,softmax");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[1].name(), "softmax");
  auto bad = parse_acts("relu,nosuchthing");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("act: 'nosuchthing'"), std::string::npos);
  EXPECT_EQ(bad.status().field(), "act");
}

TEST(Model, BuildsAndInitialisesOrNamesTheField) {
  auto b = build_model({.spec = "mlp:8x3", .acts = "tanh", .init = "critical", .seed = 1}, nn::Shape{{4}}, 2);
  ASSERT_TRUE(b) << b.status().message();
  EXPECT_EQ(b->init.layers.size(), 3u);
  // The same plan gives the same weights; another seed other weights.
  auto again =
      build_model({.spec = "mlp:8x3", .acts = "tanh", .init = "critical", .seed = 1}, nn::Shape{{4}}, 2);
  auto other =
      build_model({.spec = "mlp:8x3", .acts = "tanh", .init = "critical", .seed = 2}, nn::Shape{{4}}, 2);
  EXPECT_EQ(b->model.params()[0]->value, again->model.params()[0]->value);
  EXPECT_NE(b->model.params()[0]->value, other->model.params()[0]->value);
  EXPECT_EQ(build_model({.spec = "mlp:abc"}, nn::Shape{{4}}, 2).status().field(), "model");
  EXPECT_EQ(build_model({.spec = "mlp:8x2", .acts = "nosuch"}, nn::Shape{{4}}, 2).status().field(), "act");
  EXPECT_EQ(build_model({.spec = "mlp:8x2", .init = "bogus"}, nn::Shape{{4}}, 2).status().field(), "init");
}

TEST(Model, RandomModelHasIntegerWeightsWhenAsked) {
  auto m = random_model({.arch = "2-3-1", .integer_weights = std::pair{-2.0, 2.0}, .seed = 5});
  ASSERT_TRUE(m) << m.status().message();
  for (nn::Param<float>* p : m->params())
    for (Eigen::Index i = 0; i < p->value.size(); ++i) {
      const float v = p->value.data()[i];
      EXPECT_EQ(v, std::round(v));
      EXPECT_LE(std::fabs(v), 2.0f);
    }
  EXPECT_EQ(random_model({.arch = "2x3"}).status().field(), "arch");
  EXPECT_EQ(random_model({.arch = "2-3-1", .integer_weights = std::pair{0.2, 0.8}}).status().field(),
            "integer_weights");
}

TEST(Model, ViewsDataAsExamples) {
  auto ds = data::load("iris");
  ASSERT_TRUE(ds) << ds.status().message();
  const nn::Examples e = examples(*ds);
  EXPECT_EQ(e.rows(), 150);
  EXPECT_EQ(e.labels.size(), 150u);
  EXPECT_EQ(e.targets, nullptr);
}

}  // namespace
}  // namespace actlab::lab
