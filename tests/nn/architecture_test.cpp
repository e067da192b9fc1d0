// Named architectures: layer counts, activation slot rules (1, L−1 or L activations for an MLP with L dense
// layers; other counts are errors), size checks against the data, and the Lapid nets' output shapes and
// parameter counts computed by hand.
#include "nn/architecture.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "nn/activation_layer.hpp"
#include "nn/dense.hpp"
#include "nn/init.hpp"

namespace actlab::nn {
namespace {

using activations::Activation;

std::vector<Activation> acts(std::initializer_list<const char*> names) {
  std::vector<Activation> v;
  for (const char* n : names) v.push_back(Activation::make(n).value());
  return v;
}

std::vector<Activation> repeat(const char* a, const char* b, std::size_t n) {
  std::vector<Activation> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(Activation::make(i % 2 ? b : a).value());
  return v;
}

int count_type(const Model<float>& m, const std::string& type) {
  int n = 0;
  for (std::size_t i = 0; i < m.size(); ++i) n += m.layer(i).type() == type;
  return n;
}

std::vector<std::string> activation_names(const Model<float>& m) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (const auto* a = dynamic_cast<const ActivationLayer<float>*>(&m.layer(i)))
      names.push_back(a->activation().name());
  }
  return names;
}

std::string error_of(std::string_view spec, const Shape& in, int out, const std::vector<Activation>& a) {
  auto r = build_model(spec, in, out, a);
  EXPECT_FALSE(r) << spec;
  if (r) return "";
  EXPECT_TRUE(r.status().is_bad_input());
  return r.status().message();
}

TEST(Architecture, MlpWidthTimesDepthOneActivation) {
  auto m = build_model("mlp:64x10", {{20}}, 3, acts({"relu"}));
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(count_type(*m, "dense"), 10);
  EXPECT_EQ(count_type(*m, "activation"), 9);  // hidden slots only
  EXPECT_EQ(m->size(), 19u);
  EXPECT_EQ(m->output_shape(), (Shape{{3}}));
  auto& first = dynamic_cast<Dense<float>&>(m->layer(0));
  EXPECT_EQ(first.in(), 20);
  EXPECT_EQ(first.out(), 64);
  EXPECT_EQ(m->layer(m->size() - 1).type(), "dense");
  // 20·64 + 64 + 8·(64·64 + 64) + 64·3 + 3
  EXPECT_EQ(m->parameter_count(), 20u * 64 + 64 + 8 * (64 * 64 + 64) + 64 * 3 + 3);
  for (const auto& n : activation_names(*m)) EXPECT_EQ(n, "relu");
}

TEST(Architecture, MlpHiddenActivationsInOrder) {
  auto m = build_model("mlp:64x10", {{20}}, 3, repeat("relu", "tanh", 9));
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(count_type(*m, "activation"), 9);
  EXPECT_EQ(m->layer(m->size() - 1).type(), "dense");
  const auto names = activation_names(*m);
  ASSERT_EQ(names.size(), 9u);
  for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(names[i], i % 2 ? "tanh" : "relu") << i;
  // Each activation sits right after a dense layer.
  for (std::size_t i = 0; i + 1 < m->size(); i += 2) {
    EXPECT_EQ(m->layer(i).type(), "dense");
    EXPECT_EQ(m->layer(i + 1).type(), "activation");
  }
}

TEST(Architecture, MlpWithOutputActivation) {
  std::vector<Activation> a = repeat("relu", "tanh", 9);
  a.push_back(Activation::make("softmax").value());
  auto m = build_model("mlp:64x10", {{20}}, 3, a);
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(count_type(*m, "dense"), 10);
  EXPECT_EQ(count_type(*m, "activation"), 10);
  EXPECT_EQ(activation_names(*m).back(), "softmax");
  EXPECT_EQ(m->layer(m->size() - 1).type(), "activation");
  // The final softmax makes every output row a distribution.
  const InitSpec s{InitKind::kHe};
  ASSERT_TRUE(initialize(*m, {&s, 1}, 1).is_ok());
  const MatrixF y = m->predict(MatrixF::Random(4, 20));
  for (Eigen::Index r = 0; r < 4; ++r) EXPECT_NEAR(y.row(r).sum(), 1.0, 1e-5);
}

TEST(Architecture, MlpOtherActivationCountsAreErrors) {
  for (std::size_t n : {2u, 5u, 8u, 11u}) {
    const std::string msg = error_of("mlp:64x10", {{20}}, 3, repeat("relu", "tanh", n));
    EXPECT_NE(msg.find("give 1, 9 or 10"), std::string::npos) << msg;
    EXPECT_NE(msg.find("got " + std::to_string(n)), std::string::npos) << msg;
  }
  EXPECT_NE(error_of("mlp:64x10", {{20}}, 3, {}).find("no activation"), std::string::npos);
}

TEST(Architecture, MlpExplicitSizes) {
  auto m = build_model("mlp:784-256-256-10", {{784}}, 10, acts({"relu"}));
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(count_type(*m, "dense"), 3);
  EXPECT_EQ(count_type(*m, "activation"), 2);
  EXPECT_EQ(m->parameter_count(), 784u * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10);
  // Image input is flattened first.
  auto img = build_model("mlp:784-256-256-10", {{1, 28, 28}}, 10, acts({"relu"}));
  ASSERT_TRUE(img) << img.status().message();
  EXPECT_EQ(img->layer(0).type(), "flatten");
  EXPECT_EQ(img->parameter_count(), m->parameter_count());
}

TEST(Architecture, MlpSizesMustMatchTheData) {
  const std::string in = error_of("mlp:784-256-256-10", {{100}}, 10, acts({"relu"}));
  EXPECT_NE(in.find("100 inputs"), std::string::npos) << in;
  const std::string out = error_of("mlp:784-256-256-10", {{784}}, 2, acts({"relu"}));
  EXPECT_NE(out.find("2 outputs"), std::string::npos) << out;
}

TEST(Architecture, BadSpecs) {
  for (const char* spec : {"mlp:64x1", "mlp:0x5", "mlp:ax5", "mlp:64x", "mlp:784", "mlp:784--10",
                           "mlp:784-a-10", "resnet:18", "cnn:lenet", ""}) {
    SCOPED_TRACE(spec);
    const std::string msg = error_of(spec, {{784}}, 10, acts({"relu"}));
    EXPECT_FALSE(msg.empty());
  }
}

TEST(Architecture, CnnLapidShapeAndParameterCount) {
  auto m = build_model("cnn:lapid", {{1, 28, 28}}, 10, acts({"relu"}));
  ASSERT_TRUE(m) << m.status().message();
  const std::vector<std::string> types = {"conv2d",     "activation", "maxpool2d", "conv2d",
                                          "activation", "maxpool2d",  "flatten",   "dropout",
                                          "dense",      "activation", "dense"};
  ASSERT_EQ(m->size(), types.size());
  for (std::size_t i = 0; i < types.size(); ++i) EXPECT_EQ(m->layer(i).type(), types[i]) << i;
  // 28 →conv3 26 →pool 13 →conv3 11 →pool 5: 64·5·5 = 1600 features
  EXPECT_EQ(m->layer(2).out_shape(), (Shape{{32, 13, 13}}));
  EXPECT_EQ(m->layer(6).out_shape(), (Shape{{1600}}));
  EXPECT_EQ(m->output_shape(), (Shape{{10}}));
  EXPECT_EQ(m->parameter_count(),
            32u * (9 + 1) + 64 * (32 * 9 + 1) + (1600 * 1000 + 1000) + (1000 * 10 + 10));
  EXPECT_EQ(m->parameter_count(), 1629826u);
  // Three activations fill the three slots in order.
  auto three = build_model("cnn:lapid", {{3, 32, 32}}, 10, acts({"relu", "tanh", "elu"}));
  ASSERT_TRUE(three) << three.status().message();
  EXPECT_EQ(activation_names(*three), (std::vector<std::string>{"relu", "tanh", "elu"}));
  // 32 → 30 → 15 → 13 → 6: 64·36 = 2304 features
  EXPECT_EQ(three->layer(6).out_shape(), (Shape{{2304}}));
  EXPECT_EQ(three->parameter_count(),
            32u * (27 + 1) + 64 * (32 * 9 + 1) + (2304 * 1000 + 1000) + (1000 * 10 + 10));
  const InitSpec s{InitKind::kHe};
  ASSERT_TRUE(initialize(*m, {&s, 1}, 1).is_ok());
  const MatrixF y = m->predict(MatrixF::Random(2, 784));
  EXPECT_EQ(y.rows(), 2);
  EXPECT_EQ(y.cols(), 10);
  EXPECT_TRUE(y.allFinite());
}

TEST(Architecture, CnnLapidErrors) {
  EXPECT_NE(error_of("cnn:lapid", {{784}}, 10, acts({"relu"})).find("[784]"), std::string::npos);
  EXPECT_NE(error_of("cnn:lapid", {{1, 28, 28}}, 10, acts({"relu", "tanh"})).find("3 activation slots"),
            std::string::npos);
}

TEST(Architecture, FcnLapidParameterCount) {
  auto m = build_model("fcn:lapid", {{784}}, 10, acts({"relu"}));
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(count_type(*m, "dense"), 8);
  EXPECT_EQ(count_type(*m, "activation"), 7);
  EXPECT_EQ(m->output_shape(), (Shape{{10}}));
  // 784·32 + 32, 5 × (32·32 + 32), 32·32 + 32, 32·10 + 10
  EXPECT_EQ(m->parameter_count(), (784u * 32 + 32) + 5 * (32 * 32 + 32) + (32 * 32 + 32) + (32 * 10 + 10));
  EXPECT_EQ(m->parameter_count(), 31786u);
  auto three = build_model("fcn:lapid", {{1, 28, 28}}, 10, acts({"relu", "tanh", "elu"}));
  ASSERT_TRUE(three) << three.status().message();
  EXPECT_EQ(three->layer(0).type(), "flatten");
  EXPECT_EQ(activation_names(*three),
            (std::vector<std::string>{"relu", "tanh", "tanh", "tanh", "tanh", "tanh", "elu"}));
  EXPECT_FALSE(build_model("fcn:lapid", {{784}}, 10, acts({"relu", "tanh"})));
}

// Issue 17: mlp:100000x3 asked for 40 GB; a layer count of 2e9 for 8 GB of widths. Both are bounded.
TEST(Architecture, HugeSpecsAreRefusedWithTheLimit) {
  EXPECT_EQ(error_of("mlp:100000x3", {{20}}, 3, acts({"relu"})),
            "model 'mlp:100000x3': 10002500003 parameters exceed the limit of 100000000");
  EXPECT_EQ(error_of("mlp:4x2000000000", {{20}}, 3, acts({"relu"})),
            "model 'mlp:4x2000000000': more than the limit of 1000 dense layers");
  EXPECT_TRUE(build_model("mlp:8x1000", {{20}}, 3, acts({"relu"})));  // at the layer limit
}

}  // namespace
}  // namespace actlab::nn
