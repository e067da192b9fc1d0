// The catalog survey (moved from `theory classify --all`): every element-wise entry once, classes and
// critical points as classify() gives them, tanh's EOC σ_w at σ_b = 0.2 = 1.30414584 (docs/theory.md).
#include "theory/survey.hpp"

#include <gtest/gtest.h>

#include <string>

#include "activations/catalog.hpp"

namespace actlab::theory {
namespace {

TEST(Survey, WholeCatalog) {
  auto s = survey_catalog();
  ASSERT_TRUE(s.has_value()) << s.status().message();
  EXPECT_GE(s->rows.size(), 60u);
  bool saw_tanh = false, saw_relu = false;
  for (const SurveyRow& r : s->rows) {
    if (r.activation == "tanh") {
      saw_tanh = true;
      ASSERT_TRUE(r.classification.has_value());
      EXPECT_EQ(r.classification->kind, CriticalityClass::kK0);
      ASSERT_TRUE(r.eoc_sigma_w.has_value());
      EXPECT_NEAR(*r.eoc_sigma_w, 1.30414584, 5e-8);
    }
    if (r.activation == "relu") {
      saw_relu = true;
      ASSERT_TRUE(r.classification.has_value());
      EXPECT_EQ(r.classification->kind, CriticalityClass::kScaleInvariant);
      EXPECT_FALSE(r.eoc_sigma_w.has_value());  // ReLU's only EOC point is σ_b = 0
    }
    EXPECT_NE(r.activation, "softmax");  // row-wise entries are left out
  }
  EXPECT_TRUE(saw_tanh);
  EXPECT_TRUE(saw_relu);
  const Json j = s->to_json();
  ASSERT_EQ(j["activations"].size(), s->rows.size());
  EXPECT_TRUE(j["activations"][0].contains("eoc_sigma_w_at_sigma_b_0.2"));
  EXPECT_EQ(j["activations"][0].begin().key(), "activation");
}

}  // namespace
}  // namespace actlab::theory
