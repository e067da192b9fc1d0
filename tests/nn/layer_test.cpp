// The layer interface's helpers: Shape (size, printing, equality), the matrix ↔ JSON layout of the model
// file (a matrix as a list of rows, a 1×n or n×1 matrix as a flat list), and the table of layer kinds.
#include "nn/layer.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string_view>

#include "nn/dense.hpp"

namespace actlab::nn {
namespace {

TEST(Shape, SizeIsTheProductOfDims) {
  EXPECT_EQ((Shape{{784}}).size(), 784);
  EXPECT_EQ((Shape{{3, 28, 28}}).size(), 3 * 28 * 28);
  EXPECT_EQ((Shape{{2, 1, 5}}).size(), 10);
  EXPECT_EQ(Shape{}.size(), 1);  // the empty product
}

TEST(Shape, PrintsAsBracketedList) {
  EXPECT_EQ((Shape{{1, 28, 28}}).str(), "[1, 28, 28]");
  EXPECT_EQ((Shape{{10}}).str(), "[10]");
  EXPECT_EQ(Shape{}.str(), "[]");
}

TEST(Shape, EqualityComparesDimsNotSize) {
  EXPECT_EQ((Shape{{1, 2, 3}}), (Shape{{1, 2, 3}}));
  EXPECT_NE((Shape{{6}}), (Shape{{1, 2, 3}}));
  EXPECT_NE((Shape{{3, 2, 1}}), (Shape{{1, 2, 3}}));
}

TEST(MatrixJson, MatrixIsListOfRows) {
  MatrixF m(2, 3);
  m << 1, 2, 3, 4, 5.5f, -6;
  const Json j = matrix_to_json(m);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  ASSERT_EQ(j[0].size(), 3u);
  EXPECT_DOUBLE_EQ(j[0][2].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j[1][0].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(j[1][1].get<double>(), 5.5);
  EXPECT_DOUBLE_EQ(j[1][2].get<double>(), -6.0);
}

TEST(MatrixJson, FloatValuesSurviveExactly) {
  MatrixF m(1, 2);
  m << 0.1f, 1.0f / 3.0f;
  const Json j = matrix_to_json(m);
  EXPECT_EQ(static_cast<float>(j[0][0].get<double>()), 0.1f);
  EXPECT_EQ(static_cast<float>(j[0][1].get<double>()), 1.0f / 3.0f);
}

TEST(MatrixJson, VectorIsFlatList) {
  MatrixD row(1, 3), col(3, 1);
  row << 7, 8, 9;
  col << 7, 8, 9;
  for (const MatrixD* m : {&row, &col}) {
    const Json j = vector_to_json(*m);
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 3u);
    EXPECT_TRUE(j[0].is_number());
    EXPECT_DOUBLE_EQ(j[1].get<double>(), 8.0);
  }
}

TEST(Layer, ShapesAndParamsThroughTheInterface) {
  std::unique_ptr<Layer<float>> l = std::make_unique<Dense<float>>(5, 2);
  EXPECT_EQ(l->in_shape(), (Shape{{5}}));
  EXPECT_EQ(l->out_shape(), (Shape{{2}}));
  EXPECT_EQ(l->type(), "dense");
  auto p = l->params();
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0]->name, "weight");
  EXPECT_EQ(p[1]->name, "bias");
  for (const auto* q : p) {
    EXPECT_EQ(q->grad.rows(), q->value.rows());
    EXPECT_EQ(q->grad.cols(), q->value.cols());
  }
}

}  // namespace
TEST(Layer, KindTableNamesEveryKindOnce) {
  std::set<std::string_view> names;
  for (const LayerKindInfo& k : kLayerKinds) {
    EXPECT_EQ(layer_kind_name(k.kind), k.name);
    EXPECT_EQ(parse_layer_kind(k.name), k.kind) << k.name;
    names.insert(k.name);
  }
  EXPECT_EQ(names.size(), kLayerKinds.size());
  EXPECT_EQ(parse_layer_kind("lstm"), std::nullopt);
  EXPECT_EQ(layer_kind_names(), "dense, conv2d, maxpool2d, dropout, flatten, activation");
  EXPECT_TRUE(layer_kind_info(LayerKind::kDense).weighted);
  EXPECT_TRUE(layer_kind_info(LayerKind::kConv2d).weighted);
  EXPECT_FALSE(layer_kind_info(LayerKind::kActivation).weighted);
  const Dense<float> d(3, 2);
  EXPECT_EQ(d.kind(), LayerKind::kDense);
  EXPECT_EQ(d.to_json()["type"], d.type());
}

}  // namespace actlab::nn
