// DeepReluNet: import from an actlab model (composition, identity read-out, errors naming the layer), the
// local affine model against the forward pass, standardisation folding.
#include "shallow/deep_net.hpp"

#include <gtest/gtest.h>

#include "activations/activation.hpp"
#include "nn/activation_layer.hpp"
#include "nn/dense.hpp"

namespace actlab::shallow {
namespace {

nn::Model<float> mlp(const std::string& act) {
  nn::Model<float> m({{3}});
  auto d1 = std::make_unique<nn::Dense<float>>(3, 4);
  d1->weight().value << 1, -2, 0, 3, 1, 1, -1, 0, 2, 0, 1, -1;
  d1->bias().value << 0.5, -1, 0, 2;
  EXPECT_TRUE(m.add(std::unique_ptr<nn::Layer<float>>(std::move(d1))).is_ok());
  EXPECT_TRUE(
      m.add(nn::ActivationLayer<float>::make(activations::Activation::make(act).value(), {{4}})).is_ok());
  auto d2 = std::make_unique<nn::Dense<float>>(4, 2);
  d2->weight().value << 1, 2, -1, 0.5, 0, -1, 1, 1;
  d2->bias().value << 0.25, -0.5;
  EXPECT_TRUE(m.add(std::unique_ptr<nn::Layer<float>>(std::move(d2))).is_ok());
  return m;
}

TEST(DeepNet, FromModelMatchesTheModelsForwardPass) {
  nn::Model<float> m = mlp("relu");
  const DeepReluNet net = DeepReluNet::from_model(m).value();
  EXPECT_EQ(net.arch(), "3-4-2");
  EXPECT_EQ(net.hidden(), 4);
  MatrixF x(1, 3);
  x << 0.3f, -1.2f, 2.0f;
  const MatrixF y = m.predict(x);
  const Eigen::VectorXd yd = net.forward(x.row(0).cast<double>().transpose());
  EXPECT_NEAR(yd[0], y(0, 0), 1e-5);
  EXPECT_NEAR(yd[1], y(0, 1), 1e-5);
  EXPECT_TRUE(net.integer_weights() == false);
}

TEST(DeepNet, NamesANonReluActivationAndItsLayer) {
  auto r = DeepReluNet::from_model(mlp("tanh"));
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find("layers[1]"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("tanh"), std::string::npos);
}

TEST(DeepNet, LocalModelIsTheNetworkOnItsRegion) {
  const DeepReluNet net = random_relu_net({3, 5, 4, 2}, 3);
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const Eigen::VectorXd x = Eigen::VectorXd::Random(3) * 2;
    Eigen::VectorXd z;
    const Eigen::VectorXd y = net.forward(x, z);
    const LocalModel lm = net.local(net.pattern(x));
    EXPECT_LT((lm.alpha * x + lm.beta - y).norm(), 1e-12);
    EXPECT_LT((lm.rows_a * x + lm.rows_d - z).norm(), 1e-12);
  }
}

TEST(DeepNet, FoldsStandardisationAndChecksShapes) {
  DeepReluNet net = random_relu_net({2, 3, 1}, 1);
  const DeepReluNet raw = net;
  const Eigen::Vector2d mean(1.0, -2.0), scale(2.0, 0.5), x(0.7, 1.1);
  ASSERT_TRUE(net.fold_standardization(mean, scale).is_ok());
  const Eigen::VectorXd xs = (x - mean).cwiseQuotient(scale);
  EXPECT_NEAR(net.forward(x)[0], raw.forward(xs)[0], 1e-12);
  EXPECT_FALSE(net.fold_standardization(Eigen::VectorXd::Zero(3), Eigen::VectorXd::Ones(3)).is_ok());
  std::vector<AffineLayer> bad{{MatrixD::Ones(2, 2), Eigen::VectorXd::Zero(2)},
                               {MatrixD::Ones(1, 3), Eigen::VectorXd::Zero(1)}};
  EXPECT_FALSE(DeepReluNet::make(bad));
  EXPECT_TRUE(random_relu_net({2, 3, 1}, 1, -2, 2).integer_weights());
}

}  // namespace
}  // namespace actlab::shallow
