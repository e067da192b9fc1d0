// ActivationLayer: element-wise values and slopes against closed forms, PReLU's learnable slope (in params(),
// gradient Σ dy·x over x < 0), rrelu's training noise and evaluation mean slope, and the row-wise entries.

#include "nn/activation_layer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace actlab::nn {
namespace {

using activations::Activation;

std::unique_ptr<ActivationLayer<float>> layer(std::string_view name, int width,
                                              const std::map<std::string, double>& params = {}) {
  auto act = Activation::make(name, params);
  EXPECT_TRUE(act) << act.status().message();
  auto l = ActivationLayer<float>::make(*act, {{width}});
  EXPECT_TRUE(l) << l.status().message();
  return std::move(*l);
}

MatrixF row_of(std::initializer_list<float> v) {
  MatrixF m(1, static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (float f : v) m(0, i++) = f;
  return m;
}

TEST(ActivationLayer, KeepsTheShapeAndHasNoParamsForPlainEntries) {
  auto act = Activation::make("relu").value();
  auto l = ActivationLayer<float>::make(act, {{2, 3, 3}}).value();
  EXPECT_EQ(l->in_shape(), (Shape{{2, 3, 3}}));
  EXPECT_EQ(l->out_shape(), (Shape{{2, 3, 3}}));
  EXPECT_EQ(l->type(), "activation");
  EXPECT_TRUE(l->params().empty());
}

TEST(ActivationLayer, ReluForwardBackwardByHand) {
  auto l = layer("relu", 4);
  MatrixF x = row_of({-2, -0.5f, 0.5f, 3}), y, dx;
  MatrixF dy = row_of({1, 2, 3, 4});
  Rng rng(1);
  l->forward(x, y, Mode::kTrain, rng);
  EXPECT_TRUE(y.isApprox(row_of({0, 0, 0.5f, 3})));
  l->backward(x, y, dy, &dx);
  EXPECT_TRUE(dx.isApprox(row_of({0, 0, 3, 4})));
}

TEST(ActivationLayer, TanhMatchesStdAndItsDerivative) {
  auto l = layer("tanh", 5);
  MatrixF x(2, 5), y, dx;
  x << -3, -1, 0, 0.5f, 2, 0.1f, -0.2f, 0.3f, -0.4f, 4;
  MatrixF dy = MatrixF::Constant(2, 5, 0.5f);
  Rng rng(1);
  l->forward(x, y, Mode::kEval, rng);
  l->backward(x, y, dy, &dx);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double t = std::tanh(static_cast<double>(x.data()[i]));
    EXPECT_NEAR(y.data()[i], t, 1e-6);
    EXPECT_NEAR(dx.data()[i], 0.5 * (1 - t * t), 1e-6);
  }
}

TEST(ActivationLayer, FormulaActivation) {
  auto l = layer("x*sigmoid(1.5*x)", 3);
  MatrixF x = row_of({-1, 0, 2}), y, dx;
  MatrixF dy = row_of({1, 1, 1});
  Rng rng(1);
  l->forward(x, y, Mode::kEval, rng);
  l->backward(x, y, dy, &dx);
  for (int i = 0; i < 3; ++i) {
    const double v = x(0, i), s = 1 / (1 + std::exp(-1.5 * v));
    EXPECT_NEAR(y(0, i), v * s, 1e-6);
    EXPECT_NEAR(dx(0, i), s + 1.5 * v * s * (1 - s), 1e-6);
  }
}

TEST(ActivationLayer, PreluSlopeIsALearnableParam) {
  auto l = layer("prelu", 4, {{"a", 0.1}});
  auto p = l->params();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0]->name, "a");
  ASSERT_EQ(p[0]->value.size(), 1);
  EXPECT_FLOAT_EQ(p[0]->value(0, 0), 0.1f);

  MatrixF x(2, 4), y, dx;
  x << -2, 3, -0.5f, 1, 4, -1, -3, 0.25f;
  MatrixF dy(2, 4);
  dy << 1, 2, 3, 4, -1, 0.5f, 2, 7;
  Rng rng(1);
  l->forward(x, y, Mode::kTrain, rng);
  p[0]->grad.setZero();
  l->backward(x, y, dy, &dx);
  // da = Σ dy·x over x < 0 = 1·(−2) + 3·(−0.5) + 0.5·(−1) + 2·(−3) = −10
  EXPECT_NEAR(p[0]->grad(0, 0), -10.0, 1e-5);
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const float v = x.data()[i];
    EXPECT_FLOAT_EQ(y.data()[i], v > 0 ? v : 0.1f * v);
    EXPECT_FLOAT_EQ(dx.data()[i], dy.data()[i] * (v > 0 ? 1.0f : 0.1f));
  }
  // Gradients accumulate across backward calls.
  l->backward(x, y, dy, &dx);
  EXPECT_NEAR(p[0]->grad(0, 0), -20.0, 1e-5);
}

TEST(ActivationLayer, PreluUsesTheUpdatedSlope) {
  auto l = layer("prelu", 2);
  auto p = l->params();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_FLOAT_EQ(p[0]->value(0, 0), 0.25f);  // torch.nn.PReLU's default
  p[0]->value(0, 0) = 0.5f;                   // as an optimiser step would
  MatrixF x = row_of({-4, 2}), y;
  Rng rng(1);
  l->forward(x, y, Mode::kEval, rng);
  EXPECT_FLOAT_EQ(y(0, 0), -2.0f);
  EXPECT_FLOAT_EQ(y(0, 1), 2.0f);
  auto cur = l->current_activation();
  ASSERT_TRUE(cur);
  EXPECT_DOUBLE_EQ(cur->param("a"), 0.5);
  EXPECT_DOUBLE_EQ(l->to_json()["params"]["a"].get<double>(), 0.5);
  // The double twin carries the learned value.
  auto twin = l->to_double();
  MatrixD xd(1, 2), yd;
  xd << -4, 2;
  twin->forward(xd, yd, Mode::kEval, rng);
  EXPECT_DOUBLE_EQ(yd(0, 0), -2.0);
}

TEST(ActivationLayer, RreluEvalUsesTheMeanSlope) {
  auto l = layer("rrelu", 3);
  const double lo = 1.0 / 8, hi = 1.0 / 3, mean = (lo + hi) / 2;
  MatrixF x = row_of({-2, 0, 3}), y, dx;
  Rng rng(1);
  l->forward(x, y, Mode::kEval, rng);
  EXPECT_NEAR(y(0, 0), -2 * mean, 1e-6);
  EXPECT_EQ(y(0, 1), 0.0f);
  EXPECT_EQ(y(0, 2), 3.0f);
  l->backward(x, y, row_of({1, 1, 1}), &dx);
  EXPECT_NEAR(dx(0, 0), mean, 1e-6);
  EXPECT_NEAR(dx(0, 2), 1.0, 1e-6);
  // Evaluation is deterministic.
  MatrixF y2;
  l->forward(x, y2, Mode::kEval, rng);
  EXPECT_EQ(y, y2);
}

TEST(ActivationLayer, RreluTrainDrawsSlopesInRangeAndBackwardUsesThem) {
  const double lo = 0.1, hi = 0.4;
  auto l = layer("rrelu", 200, {{"lower", lo}, {"upper", hi}});
  MatrixF x(1, 200), y, dx;
  for (int i = 0; i < 200; ++i) x(0, i) = i % 2 ? 1.5f : -1.0f - 0.01f * i;
  Rng rng(7);
  l->forward(x, y, Mode::kTrain, rng);
  l->backward(x, y, MatrixF::Ones(1, 200), &dx);
  std::set<float> slopes;
  double sum = 0;
  for (int i = 0; i < 200; ++i) {
    if (x(0, i) > 0) {
      EXPECT_EQ(y(0, i), x(0, i));
      EXPECT_EQ(dx(0, i), 1.0f);
      continue;
    }
    const float r = y(0, i) / x(0, i);
    EXPECT_GE(r, lo - 1e-6);
    EXPECT_LE(r, hi + 1e-6);
    EXPECT_NEAR(dx(0, i), r, 1e-5) << "backward must use the forward's slope";
    slopes.insert(dx(0, i));
    sum += r;
  }
  EXPECT_GT(slopes.size(), 90u) << "slopes must differ between elements";
  // 100 draws of U(0.1, 0.4): mean 0.25, sd 0.3/√12/√100 ≈ 0.0087; allow 5 sd.
  EXPECT_NEAR(sum / 100, 0.25, 0.045);
  // Another training pass draws new noise.
  MatrixF y2;
  l->forward(x, y2, Mode::kTrain, rng);
  EXPECT_NE(y, y2);
}

TEST(ActivationLayer, SoftmaxRowsSumToOneAndMatchHand) {
  auto l = layer("softmax", 3);
  MatrixF x(2, 3), y, dx;
  x << 1, 2, 3, -1000, 0, 1000;
  Rng rng(1);
  l->forward(x, y, Mode::kEval, rng);
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(y(0, 0), std::exp(1.0) / z, 1e-6);
  EXPECT_NEAR(y(0, 2), std::exp(3.0) / z, 1e-6);
  EXPECT_NEAR(y(1, 2), 1.0, 1e-6);  // stable for huge logits
  for (Eigen::Index r = 0; r < 2; ++r) EXPECT_NEAR(y.row(r).sum(), 1.0, 1e-6);
  // dx = y ⊙ (dy − (y·dy)): by hand for the first row, and rows sum to zero.
  MatrixF dy(2, 3);
  dy << 0.3f, -1, 2, 1, 2, 3;
  l->backward(x, y, dy, &dx);
  const double dot = y(0, 0) * 0.3 + y(0, 1) * -1 + y(0, 2) * 2;
  EXPECT_NEAR(dx(0, 0), y(0, 0) * (0.3 - dot), 1e-6);
  EXPECT_NEAR(dx(0, 1), y(0, 1) * (-1 - dot), 1e-6);
  EXPECT_NEAR(dx(0, 2), y(0, 2) * (2 - dot), 1e-6);
  for (Eigen::Index r = 0; r < 2; ++r) EXPECT_NEAR(dx.row(r).sum(), 0.0, 1e-6);
  EXPECT_TRUE(l->params().empty());
}

TEST(ActivationLayer, LogSoftmaxExponentiatesToADistribution) {
  auto l = layer("log_softmax", 4);
  MatrixF x(3, 4), y;
  x << 0, 0, 0, 0, 1, -2, 3, 0.5f, 10, 20, 30, 40;
  Rng rng(1);
  l->forward(x, y, Mode::kEval, rng);
  EXPECT_NEAR(y(0, 0), -std::log(4.0), 1e-6);
  for (Eigen::Index r = 0; r < 3; ++r) EXPECT_NEAR(y.row(r).array().exp().sum(), 1.0, 1e-5);
}

TEST(ActivationLayer, ToJsonNamesTheActivation) {
  auto l = layer("leaky_relu", 2, {{"negative_slope", 0.2}});
  const Json j = l->to_json();
  EXPECT_EQ(j["type"], "activation");
  EXPECT_EQ(j["name"], "leaky_relu");
  EXPECT_DOUBLE_EQ(j["params"]["negative_slope"].get<double>(), 0.2);
  EXPECT_FALSE(layer("relu", 2)->to_json().contains("params"));
}

TEST(ActivationLayer, InferModeGivesTheEvalOutputWithoutTheDerivativePass) {
  // kInfer runs the f-only kernel: the same values as kEval, bit for bit (learnable, stochastic, special
  // function, formula and row-wise entries).
  for (const char* name : {"prelu", "rrelu", "digamma", "x*sigmoid(1.5*x)", "elu", "softmax"}) {
    auto l = layer(name, 4);
    MatrixF x(3, 4), y_eval, y_infer;
    x << -2, 3, -0.5f, 1, 4, -1, -3, 0.25f, 0.1f, -7, 2.5f, 0;
    Rng rng(1);
    l->forward(x, y_eval, Mode::kEval, rng);
    l->forward(x, y_infer, Mode::kInfer, rng);
    ASSERT_EQ(y_eval.size(), y_infer.size()) << name;
    for (Eigen::Index i = 0; i < y_eval.size(); ++i) {
      const float a = y_eval.data()[i], b = y_infer.data()[i];
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b)))
          << name << " element " << i << ": " << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace actlab::nn
