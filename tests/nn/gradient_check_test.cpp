// The gradient-check registry (STYLE.md §2.9): every layer type, every loss and every catalog activation,
// checked against central finite differences in double precision. A layer type or loss that is not listed
// here fails LayerRegistryIsComplete.
#include "support/gradient_check.hpp"

#include <gtest/gtest.h>

#include <set>

#include "activations/catalog.hpp"
#include "nn/activation_layer.hpp"
#include "nn/conv2d.hpp"
#include "nn/dense.hpp"
#include "nn/dropout.hpp"
#include "nn/flatten.hpp"
#include "nn/init.hpp"
#include "nn/max_pool.hpp"

namespace actlab::nn {
namespace {

using activations::Activation;

MatrixD random_matrix(Eigen::Index r, Eigen::Index c, std::uint64_t seed, double scale = 1.0) {
  Rng rng(seed);
  MatrixD m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = scale * rng.normal();
  return m;
}

// Random weights in a float model (the model the user trains), then its exact double twin.
Model<double> twin(Model<float>& m, std::uint64_t seed) {
  const InitSpec s{InitKind::kGaussian, 1.2, 0.3};
  EXPECT_TRUE(initialize(m, {&s, 1}, seed).is_ok());
  return m.to_double();
}

const std::vector<int> kLabels = {0, 2, 1, 2, 0};

// conv2d(padding 1, stride 2) → act → maxpool → conv2d → flatten → dropout → dense → act → dense: every
// layer kind of nn::kLayerKinds (LayerRegistryIsComplete checks that none is missing).
Model<float> every_kind_model() {
  Model<float> m({{2, 7, 7}});
  EXPECT_TRUE(m.add(Conv2d<float>::make(m.output_shape(), 3, 3, 2, 1)).is_ok());
  EXPECT_TRUE(
      m.add(ActivationLayer<float>::make(Activation::make("tanh").value(), m.output_shape())).is_ok());
  EXPECT_TRUE(m.add(MaxPool2d<float>::make(m.output_shape(), 2)).is_ok());
  EXPECT_TRUE(m.add(Conv2d<float>::make(m.output_shape(), 4, 2)).is_ok());
  EXPECT_TRUE(m.add(std::make_unique<Flatten<float>>(m.output_shape())).is_ok());
  EXPECT_TRUE(m.add(Dropout<float>::make(m.output_shape(), 0.3)).is_ok());
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(m.output_shape().size(), 5)).is_ok());
  EXPECT_TRUE(
      m.add(ActivationLayer<float>::make(Activation::make("softplus").value(), m.output_shape())).is_ok());
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(5, 3)).is_ok());
  return m;
}

TEST(GradientCheck, EveryLayerTypeAndLoss) {
  Model<float> m = every_kind_model();
  ASSERT_EQ(m.size(), 9u);
  Model<double> d = twin(m, 7);
  const MatrixD x = random_matrix(5, 2 * 7 * 7, 11);
  auto ce = testing::check_gradients(d, x, kLabels, nullptr, LossKind::kCrossEntropy);
  EXPECT_LT(ce.max_rel_error, 1e-5) << ce.worst;
  EXPECT_GT(ce.checked, 100);
  const MatrixD t = random_matrix(5, 3, 13);
  auto se = testing::check_gradients(d, x, {}, &t, LossKind::kMse);
  EXPECT_LT(se.max_rel_error, 1e-5) << se.worst;
}

TEST(GradientCheck, LayerRegistryIsComplete) {
  // Every kind of the layer table is exercised by every_kind_model(); a new kind fails here until it is
  // added.
  Model<float> m = every_kind_model();
  std::set<LayerKind> covered;
  for (std::size_t i = 0; i < m.size(); ++i) covered.insert(m.layer(i).kind());
  for (const LayerKindInfo& k : kLayerKinds) EXPECT_TRUE(covered.count(k.kind)) << k.name;
  EXPECT_EQ(covered.size(), kLayerKinds.size());
  EXPECT_EQ(parse_loss("cross_entropy").value(), LossKind::kCrossEntropy);
  EXPECT_EQ(parse_loss("mse").value(), LossKind::kMse);
}

// dense(3→4) → act → dense(4→3) under cross-entropy, for every catalog entry (learnable parameters included).
TEST(GradientCheck, EveryCatalogActivation) {
  int checked = 0;
  for (const auto& entry : activations::catalog()) {
    SCOPED_TRACE(entry.name);
    auto act = Activation::make(entry.name);
    ASSERT_TRUE(act) << act.status().message();
    Model<float> m({{3}});
    ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(3, 4)).is_ok());
    auto layer = ActivationLayer<float>::make(*act, m.output_shape());
    ASSERT_TRUE(layer) << layer.status().message();
    ASSERT_TRUE(m.add(std::move(*layer)).is_ok());
    ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(4, 3)).is_ok());
    Model<double> d = twin(m, 3);
    const MatrixD x = random_matrix(5, 3, 17);
    auto r = testing::check_gradients(d, x, kLabels, nullptr, LossKind::kCrossEntropy);
    EXPECT_LT(r.max_rel_error, 1e-5) << r.worst;
    ++checked;
  }
  EXPECT_GE(checked, 70);
}

}  // namespace
}  // namespace actlab::nn
