#include "evolve/primitive_set.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace actlab::evolve {
namespace {

TEST(PrimitiveSet, PaperSetHasFiveBinaryAndTenUnaryFunctions) {
  auto ps = PrimitiveSet::make(PrimitiveSet::paper_names());
  ASSERT_TRUE(ps) << ps.status().message();
  EXPECT_EQ(ps->size(), 15u);
  EXPECT_EQ(ps->of_arity(2).size(), 5u);
  EXPECT_EQ(ps->of_arity(1).size(), 10u);
  EXPECT_DOUBLE_EQ(ps->terminal_ratio(), 1.0 / 16.0);  // DEAP: one terminal (x) among 16 symbols
}

// The primitives compute PyTorch's definitions (the catalog's formulas, checked against PyTorch elsewhere);
// here a few hand values from the definitions in the spec (§2.2).
TEST(PrimitiveSet, UnaryPrimitivesFollowTheirDefinitions) {
  auto ps = PrimitiveSet::make(PrimitiveSet::paper_names()).value();
  EXPECT_DOUBLE_EQ(ps.find("leaky_relu")->apply(-2.0), -0.02);
  EXPECT_DOUBLE_EQ(ps.find("hardswish")->apply(1.0), 1.0 * 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(ps.find("hardshrink")->apply(0.4), 0.0);
  EXPECT_DOUBLE_EQ(ps.find("softshrink")->apply(0.7), 0.2);
  EXPECT_DOUBLE_EQ(ps.find("hardtanh")->apply(3.0), 1.0);
  EXPECT_DOUBLE_EQ(ps.find("elu")->apply(-1.0), std::expm1(-1.0));
  EXPECT_DOUBLE_EQ(ps.find("rrelu")->apply(-1.0), -(1.0 / 8 + 1.0 / 3) / 2);  // evaluation-mode slope
  EXPECT_DOUBLE_EQ(ps.find("sub")->apply(1.0, 3.0), -2.0);
  EXPECT_DOUBLE_EQ(ps.find("max")->apply(1.0, 3.0), 3.0);
}

TEST(PrimitiveSet, UnknownNameIsAnErrorWithSuggestions) {
  auto ps = PrimitiveSet::make({"add", "reluu"});
  ASSERT_FALSE(ps);
  EXPECT_TRUE(ps.status().is_bad_input());
  EXPECT_NE(ps.status().message().find("'reluu'"), std::string::npos) << ps.status().message();
  EXPECT_NE(ps.status().message().find("relu"), std::string::npos);
}

TEST(PrimitiveSet, RowWiseDuplicateAndEmptyAreErrors) {
  EXPECT_FALSE(PrimitiveSet::make({"softmax"}));
  EXPECT_FALSE(PrimitiveSet::make({"tanh", "tanh"}));
  EXPECT_FALSE(PrimitiveSet::make({}));
  EXPECT_FALSE(PrimitiveSet::make({"atan2"}));  // not a function of one argument (nor a catalog entry)
  EXPECT_FALSE(PrimitiveSet::make({"add"}, Constants{.enabled = true, .lo = 1, .hi = 0}));
}

TEST(PrimitiveSet, BuiltinFunctionsAndCatalogEntriesAreAccepted) {
  auto ps = PrimitiveSet::make({"div", "sin", "swish", "gelu"}, Constants{.enabled = true});
  ASSERT_TRUE(ps) << ps.status().message();
  EXPECT_EQ(ps->terminal_count(), 2);
  EXPECT_NEAR(ps->find("swish")->apply(1.0), 1.0 / (1.0 + std::exp(-1.0)), 1e-15);
}

}  // namespace
}  // namespace actlab::evolve
