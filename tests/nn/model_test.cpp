// Model: shape chaining (errors name the layer index), forward/backward through a hand-computed network,
// parameter order and blocks for the optimiser, chunked prediction, the noise stream, and the model file:
// JSON round trip with identical outputs, and load errors naming "path:line:col" or the layer.
#include "nn/model.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

std::unique_ptr<ActivationLayer<float>> act(std::string_view name, const Shape& s,
                                            const std::map<std::string, double>& params = {}) {
  return ActivationLayer<float>::make(Activation::make(name, params).value(), s).value();
}

Dense<float>& dense(Model<float>& m, std::size_t i) { return dynamic_cast<Dense<float>&>(m.layer(i)); }

MatrixF random(Eigen::Index r, Eigen::Index c, std::uint64_t seed) {
  Rng rng(seed);
  MatrixF m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.normal());
  return m;
}

std::string temp_path(const std::string& name) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return (std::filesystem::temp_directory_path() /
          ("actlab_model_test_" + std::string(info->name()) + "_" + name))
      .string();
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = temp_path(name);
  std::ofstream(path) << text;
  return path;
}

// A model file with input [2] and the given layers (JSON text).
Json file_with(const std::string& layers) {
  return Json::parse(R"({"format": "actlab-model", "version": 1, "input_shape": [2], "layers": [)" + layers +
                     "]}");
}

// 1 → dense(w=2, b=1) → relu → dense(w=−3, b=0.5) → 1
Model<float> tiny() {
  Model<float> m({{1}});
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(1, 1)).is_ok());
  EXPECT_TRUE(m.add(act("relu", {{1}})).is_ok());
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(1, 1)).is_ok());
  dense(m, 0).weight().value << 2;
  dense(m, 0).bias().value << 1;
  dense(m, 2).weight().value << -3;
  dense(m, 2).bias().value << 0.5f;
  return m;
}

// conv(pad 1) → prelu → maxpool → flatten → dropout → dense → rrelu → dense: every layer type.
Model<float> every_layer() {
  Model<float> m({{2, 6, 6}});
  EXPECT_TRUE(m.add(Conv2d<float>::make(m.output_shape(), 3, 3, 1, 1)).is_ok());
  EXPECT_TRUE(m.add(act("prelu", m.output_shape())).is_ok());
  EXPECT_TRUE(m.add(MaxPool2d<float>::make(m.output_shape(), 2)).is_ok());
  EXPECT_TRUE(m.add(std::make_unique<Flatten<float>>(m.output_shape())).is_ok());
  EXPECT_TRUE(m.add(Dropout<float>::make(m.output_shape(), 0.2)).is_ok());
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(27, 5)).is_ok());
  EXPECT_TRUE(m.add(act("rrelu", m.output_shape(), {{"lower", 0.05}, {"upper", 0.2}})).is_ok());
  EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(5, 3)).is_ok());
  const InitSpec s{InitKind::kGaussian, 1.3, 0.2};
  EXPECT_TRUE(initialize(m, {&s, 1}, 17).is_ok());
  m.layer(1).params()[0]->value(0, 0) = 0.3f;  // a learned PReLU slope, not the default
  return m;
}

TEST(Model, ChainingErrorNamesTheLayerIndex) {
  Model<float> m({{4}});
  EXPECT_EQ(m.output_shape(), (Shape{{4}}));
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(4, 3)).is_ok());
  ASSERT_TRUE(m.add(act("tanh", {{3}})).is_ok());
  Status s = m.add(std::make_unique<Dense<float>>(5, 2));
  ASSERT_FALSE(s.is_ok());
  EXPECT_TRUE(s.is_bad_input());
  EXPECT_NE(s.message().find("layer 2 (dense)"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("[5]"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("[3]"), std::string::npos) << s.message();
  EXPECT_EQ(m.size(), 2u);  // the bad layer was not added
  // A failed layer construction passes its error through.
  EXPECT_FALSE(m.add(Dropout<float>::make(m.output_shape(), 2.0)).is_ok());
  EXPECT_EQ(m.size(), 2u);
}

TEST(Model, ForwardBackwardByHand) {
  Model<float> m = tiny();
  MatrixF x(2, 1);
  x << 1, -1;
  // x = 1: 2·1 + 1 = 3 → 3 → −9 + 0.5 = −8.5;   x = −1: −1 → 0 → 0.5
  const MatrixF& y = m.forward(x, Mode::kTrain);
  ASSERT_EQ(y.rows(), 2);
  EXPECT_FLOAT_EQ(y(0, 0), -8.5f);
  EXPECT_FLOAT_EQ(y(1, 0), 0.5f);
  m.zero_grad();
  m.backward(MatrixF::Ones(2, 1));
  // dW2 = Σ h = 3, db2 = 2; dh = −3 each, relu passes only the first: dW1 = −3·1, db1 = −3
  EXPECT_FLOAT_EQ(dense(m, 2).weight().grad(0, 0), 3.0f);
  EXPECT_FLOAT_EQ(dense(m, 2).bias().grad(0, 0), 2.0f);
  EXPECT_FLOAT_EQ(dense(m, 0).weight().grad(0, 0), -3.0f);
  EXPECT_FLOAT_EQ(dense(m, 0).bias().grad(0, 0), -3.0f);
  // backward adds; zero_grad clears.
  m.backward(MatrixF::Ones(2, 1));
  EXPECT_FLOAT_EQ(dense(m, 0).weight().grad(0, 0), -6.0f);
  m.zero_grad();
  for (Param<float>* p : m.params()) EXPECT_TRUE(p->grad.isZero());
}

TEST(Model, FlattenInFrontChangesNothingButTheCopies) {
  // Flatten → dense → relu → dense against the same net on flat input: Flatten is skipped (no copy, and the
  // first dense computes no input gradient), yet outputs and every gradient are the same bit for bit. (A
  // Flatten inside a CNN is covered by the CNN gradient checks and the PyTorch golden losses.)
  auto build = [](bool flatten) {
    Model<float> m(flatten ? Shape{{2, 3, 3}} : Shape{{18}});
    if (flatten) {
      EXPECT_TRUE(m.add(std::make_unique<Flatten<float>>(Shape{{2, 3, 3}})).is_ok());
    }
    EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(18, 5)).is_ok());
    EXPECT_TRUE(m.add(act("relu", {{5}})).is_ok());
    EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(5, 3)).is_ok());
    const InitSpec he{InitKind::kHe};
    EXPECT_TRUE(initialize(m, {&he, 1}, 5).is_ok());
    return m;
  };
  Model<float> a = build(true), b = build(false);
  const MatrixF x = random(4, 18, 3), dy = random(4, 3, 4);
  const MatrixF ya = a.forward(x, Mode::kTrain), yb = b.forward(x, Mode::kTrain);
  EXPECT_EQ(ya, yb);
  a.zero_grad();
  b.zero_grad();
  a.backward(dy);
  b.backward(dy);
  const auto pa = a.params(), pb = b.params();
  ASSERT_EQ(pa.size(), 4u);
  ASSERT_EQ(pb.size(), 4u);
  for (std::size_t i = 0; i < pa.size(); ++i) {
    EXPECT_EQ(pa[i]->value, pb[i]->value) << "param " << i;
    EXPECT_EQ(pa[i]->grad, pb[i]->grad) << "param " << i;
  }
}

TEST(Model, ParamsInLayerOrderWeightBeforeBias) {
  Model<float> m({{3}});
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(3, 4)).is_ok());
  ASSERT_TRUE(m.add(act("prelu", {{4}})).is_ok());
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(4, 2)).is_ok());
  auto p = m.params();
  ASSERT_EQ(p.size(), 5u);
  const char* names[] = {"weight", "bias", "a", "weight", "bias"};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(p[i]->name, names[i]);
  EXPECT_EQ(p[0], &dense(m, 0).weight());
  EXPECT_EQ(p[4], &dense(m, 2).bias());
  EXPECT_EQ(m.parameter_count(), 3u * 4 + 4 + 1 + 4 * 2 + 2);
}

TEST(Model, ParamBlocksDriveAnOptimiser) {
  Model<float> m = tiny();
  MatrixF x(2, 1);
  x << 1, -1;
  m.forward(x, Mode::kTrain);
  m.zero_grad();
  m.backward(MatrixF::Ones(2, 1));
  auto blocks = param_blocks(m);
  ASSERT_EQ(blocks.size(), 4u);
  for (const auto& b : blocks) EXPECT_EQ(b.value.size(), 1u);
  EXPECT_EQ(blocks[0].value.data(), dense(m, 0).weight().value.data());
  auto opt = optim::make_optimizer({.kind = optim::OptimizerKind::kSgd, .lr = 0.5}).value();
  opt->step(blocks);
  EXPECT_FLOAT_EQ(dense(m, 0).weight().value(0, 0), 2 - 0.5f * -3);
  EXPECT_FLOAT_EQ(dense(m, 2).weight().value(0, 0), -3 - 0.5f * 3);
  EXPECT_FLOAT_EQ(dense(m, 2).bias().value(0, 0), 0.5f - 0.5f * 2);
}

TEST(Model, PredictInChunksEqualsOneEvalForward) {
  Model<float> m = every_layer();
  const MatrixF x = random(10, 72, 3);
  const MatrixF whole = m.forward(x, Mode::kEval);
  const MatrixF chunked = m.predict(x, 3);
  ASSERT_EQ(chunked.rows(), 10);
  ASSERT_EQ(chunked.cols(), 3);
  EXPECT_TRUE(chunked.isApprox(whole, 1e-6f));
  // Row 7 on its own gives the same answer: evaluation has no batch coupling and no noise.
  EXPECT_TRUE(m.predict(x.middleRows(7, 1)).isApprox(whole.middleRows(7, 1), 1e-6f));
}

TEST(Model, NoiseComesFromTheSeededStream) {
  Model<float> m = every_layer();
  const MatrixF x = random(4, 72, 5);
  m.set_seed(11);
  const MatrixF a = m.forward(x, Mode::kTrain);
  const MatrixF b = m.forward(x, Mode::kTrain);
  m.set_seed(11);
  const MatrixF c = m.forward(x, Mode::kTrain);
  EXPECT_EQ(a, c);
  EXPECT_NE(a, b);
}

TEST(Model, JsonRoundTripGivesIdenticalOutputs) {
  Model<float> m = every_layer();
  const Json j = m.to_json();
  EXPECT_EQ(j["format"], "actlab-model");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["input_shape"], Json::parse("[2, 6, 6]"));
  EXPECT_EQ(j["layers"].size(), 8u);
  // Through text, as a file would be.
  auto back = model_from_json<float>(Json::parse(json_dump(j, false)), "m.json");
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->size(), m.size());
  EXPECT_EQ(back->output_shape(), (Shape{{3}}));
  EXPECT_EQ(back->parameter_count(), m.parameter_count());
  const MatrixF x = random(6, 72, 7);
  EXPECT_EQ(back->predict(x), m.predict(x));  // bit-identical: floats survive the JSON text
  EXPECT_EQ(back->to_json(), j);
  EXPECT_FLOAT_EQ(back->layer(1).params()[0]->value(0, 0), 0.3f);
}

TEST(Model, RoundTripWithSingleRowAndSingleColumnWeights) {
  // dense(1 → 1) and dense(3 → 1): 1 × n and n × 1 weights are written as lists of rows like any other.
  Model<float> m = tiny();
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(1, 3)).is_ok());
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(3, 1)).is_ok());
  dense(m, 3).weight().value << 1, -2, 3;
  dense(m, 4).weight().value << 0.5f, 0.25f, -1;
  EXPECT_EQ(m.to_json()["layers"][4]["weight"], Json::parse("[[0.5, 0.25, -1.0]]"));
  EXPECT_EQ(m.to_json()["layers"][3]["weight"], Json::parse("[[1.0], [-2.0], [3.0]]"));
  auto back = model_from_json<float>(m.to_json(), "m.json");
  ASSERT_TRUE(back) << back.status().message();
  MatrixF x(3, 1);
  x << 1, -1, 0.25f;
  EXPECT_EQ(back->predict(x), m.predict(x));
  // A flat list is still accepted for a single-row weight, as for a bias.
  auto flat = model_from_json<float>(
      file_with(R"({"type": "dense", "in": 2, "out": 1, "weight": [3, 4], "bias": [1]})"), "m.json");
  ASSERT_TRUE(flat) << flat.status().message();
  MatrixF x2(1, 2);
  x2 << 1, 2;
  EXPECT_FLOAT_EQ(flat->predict(x2)(0, 0), 3 + 8 + 1);
}

TEST(Model, SaveAndLoadFile) {
  Model<float> m = every_layer();
  const std::string path = temp_path("m.json");
  ASSERT_TRUE(save_model(m, path).is_ok());
  auto back = load_model(path);
  ASSERT_TRUE(back) << back.status().message();
  const MatrixF x = random(5, 72, 8);
  EXPECT_EQ(back->predict(x), m.predict(x));
  std::filesystem::remove(path);
}

// The input standardisation travels with the model file, exactly, and a malformed block is refused.
TEST(Model, InputScalingRoundTripsThroughTheFile) {
  Model<float> m = every_layer();
  EXPECT_FALSE(m.input_scaling());
  EXPECT_FALSE(m.to_json().contains("standardize"));
  InputScaling z{RowVectorF::LinSpaced(72, -1.5f, 2.0f), RowVectorF::LinSpaced(72, 0.25f, 3.0f)};
  m.set_input_scaling(z);
  const Json j = m.to_json();
  ASSERT_EQ(j["standardize"]["mean"].size(), 72u);
  auto back = model_from_json<float>(j, "m.json");
  ASSERT_TRUE(back) << back.status().message();
  ASSERT_TRUE(back->input_scaling());
  EXPECT_EQ(back->input_scaling()->mean, z.mean);
  EXPECT_EQ(back->input_scaling()->scale, z.scale);
  Json bad = j;
  bad["standardize"]["scale"].erase(0);
  auto refused = model_from_json<float>(bad, "m.json");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("m.json: \"standardize\" must hold mean and scale lists of 72"),
            std::string::npos)
      << refused.status().message();
}

TEST(Model, DoubleTwinMatches) {
  Model<float> m = every_layer();
  Model<double> d = m.to_double();
  ASSERT_EQ(d.size(), m.size());
  const MatrixF x = random(4, 72, 9);
  const MatrixD yd = d.predict(x.cast<double>());
  EXPECT_LT((yd - m.predict(x).cast<double>()).cwiseAbs().maxCoeff(), 1e-4);
}

TEST(ModelFile, MissingFile) {
  auto r = load_model(temp_path("does_not_exist.json"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("does_not_exist.json"), std::string::npos);
}

TEST(ModelFile, MalformedJsonNamesLineAndColumn) {
  // The stray '@' is on line 3, column 14.
  const std::string path =
      write_file("bad.json", "{\n  \"format\": \"actlab-model\",\n  \"version\": @1,\n}\n");
  auto r = load_model(path);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find(path + ":3:14"), std::string::npos) << r.status().message();
  // An error on the first line.
  const std::string p2 = write_file("bad2.json", "[1, 2,, 3]");
  auto r2 = load_model(p2);
  ASSERT_FALSE(r2);
  EXPECT_NE(r2.status().message().find(p2 + ":1:7"), std::string::npos) << r2.status().message();
  std::filesystem::remove(path);
  std::filesystem::remove(p2);
}

std::string error_of(const Json& j) {
  auto r = model_from_json<float>(j, "m.json");
  EXPECT_FALSE(r);
  if (r) return "";
  EXPECT_TRUE(r.status().is_bad_input());
  return r.status().message();
}

TEST(ModelFile, UnknownLayerType) {
  const std::string msg = error_of(file_with(
      R"({"type": "dense", "in": 2, "out": 1, "weight": [[1, 2]], "bias": [0]}, {"type": "lstm"})"));
  EXPECT_NE(msg.find("m.json: layers[1] (lstm)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unknown layer type \"lstm\""), std::string::npos) << msg;
}

TEST(ModelFile, WrongWeightRowCountNamesTheLayer) {
  // out = 3 needs 3 rows of 2 values.
  const std::string msg = error_of(
      file_with(R"({"type": "dense", "in": 2, "out": 3, "weight": [[1, 2], [3, 4]], "bias": [0, 0, 0]})"));
  EXPECT_NE(msg.find("m.json: layers[0] (dense)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("\"weight\" must have 3 rows"), std::string::npos) << msg;
  const std::string cols =
      error_of(file_with(R"({"type": "dense", "in": 2, "out": 2, "weight": [[1, 2], [3]], "bias": [0, 0]})"));
  EXPECT_NE(cols.find("\"weight\"[1] must have 2 values"), std::string::npos) << cols;
  const std::string bias =
      error_of(file_with(R"({"type": "dense", "in": 2, "out": 2, "weight": [[1, 2], [3, 4]], "bias": [0]})"));
  EXPECT_NE(bias.find("\"bias\" must be a list of 2"), std::string::npos) << bias;
  const std::string nan = error_of(
      file_with(R"({"type": "dense", "in": 2, "out": 2, "weight": [[1, 2], [3, "x"]], "bias": [0, 0]})"));
  EXPECT_NE(nan.find("\"weight\"[1][1] is not a number"), std::string::npos) << nan;
}

TEST(ModelFile, ShapeMismatchNamesTheLayer) {
  const std::string msg =
      error_of(file_with(R"({"type": "dense", "in": 3, "out": 1, "weight": [[1, 2, 3]], "bias": [0]})"));
  EXPECT_NE(msg.find("layers[0] (dense)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("\"in\" is 3"), std::string::npos) << msg;
  const std::string conv = error_of(file_with(R"({"type": "activation", "name": "relu"},
                            {"type": "conv2d", "in_channels": 1, "out_channels": 1, "kernel": 1})"));
  EXPECT_NE(conv.find("layers[1] (conv2d)"), std::string::npos) << conv;
}

TEST(ModelFile, BadHeaderAndActivation) {
  const Json j = file_with(R"({"type": "activation", "name": "relu"})");
  ASSERT_TRUE(model_from_json<float>(j, "m.json"));
  Json wrong_format = j;
  wrong_format["format"] = "onnx";
  EXPECT_NE(error_of(wrong_format).find("not an actlab model"), std::string::npos);
  Json v2 = j;
  v2["version"] = 2;
  EXPECT_NE(error_of(v2).find("version"), std::string::npos);
  Json no_input = j;
  no_input.erase("input_shape");
  EXPECT_NE(error_of(no_input).find("input_shape"), std::string::npos);
  const std::string act = error_of(file_with(R"({"type": "activation", "name": "no_such_thing(("})"));
  EXPECT_NE(act.find("layers[0] (activation)"), std::string::npos) << act;
  EXPECT_NE(error_of(file_with(R"({"name": "relu"})")).find("\"type\""), std::string::npos);
}

TEST(ModelFile, ConvWeightsReadInTorchOrder) {
  Json j = Json::parse(R"({"format": "actlab-model", "version": 1, "input_shape": [1, 2, 2], "layers": [
      {"type": "conv2d", "in_channels": 1, "out_channels": 1, "kernel": 2,
       "weight": [[[[1, 2], [3, 4]]]], "bias": [0.5]}]})");
  auto m = model_from_json<float>(j, "c.json");
  ASSERT_TRUE(m) << m.status().message();
  MatrixF x(1, 4);
  x << 1, 10, 100, 1000;
  EXPECT_FLOAT_EQ(m->predict(x)(0, 0), 1 + 20 + 300 + 4000 + 0.5f);
  j["layers"][0]["weight"] = Json::parse("[[[[1, 2], [3]]]]");
  const std::string msg = error_of(j);
  EXPECT_NE(msg.find("k × k"), std::string::npos) << msg;
}

// Issue 17: values of the wrong type escaped as json::type_error and aborted the CLI; sizes beyond what the
// file holds allocated gigabytes. Each is now a located error.
TEST(Model, WrongTypesAndHugeSizesAreLocatedErrors) {
  auto error_of = [](const std::string& text) {
    auto r = model_from_json<float>(Json::parse(text), "m.json");
    EXPECT_FALSE(r) << text;
    return r ? std::string() : r.status().message();
  };
  const std::string head = R"({"format": "actlab-model", "version": 1, "input_shape": [2], "layers": [)";
  EXPECT_NE(error_of(R"({"format": "actlab-model", "version": "1", "input_shape": [2], "layers": []})")
                .find("m.json: "),
            std::string::npos);
  EXPECT_NE(error_of(R"({"format": 5, "version": 1})").find("m.json: "), std::string::npos);
  EXPECT_NE(error_of(R"({"format": "actlab-model", "version": 1, "input_shape": [1, 4, 4], "layers": [
      {"type": "conv2d", "in_channels": 1, "out_channels": 1, "kernel": 1, "stride": "two",
       "weight": [[[[1]]]], "bias": [0]}]})")
                .find("m.json: "),
            std::string::npos);
  EXPECT_NE(error_of(head + R"({"type": "dropout", "p": "half"}]})").find("m.json: "), std::string::npos);
  EXPECT_EQ(
      error_of(head + R"({"type": "dense", "in": 2, "out": 100000000, "weight": [[1, 2]], "bias": [0]}]})"),
      "m.json: layers[0] (dense): \"weight\" holds 2 values, not in x out = 2 x 100000000");
  EXPECT_EQ(error_of(head + R"({"type": "dense", "in": 2, "out": 1000000000, "weight": [], "bias": []}]})"),
            "m.json: layers[0] (dense): \"out\" must be an integer from 1 to 100000000");
  EXPECT_EQ(error_of(R"({"format": "actlab-model", "version": 1, "input_shape": [65536, 65536, 65536],
                        "layers": []})"),
            "m.json: \"input_shape\" exceeds the limit of 100000000 values per sample");
}

TEST(Model, EndlessModelFileStopsAtTheLimit) {
  auto r = load_model("/dev/zero");
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("larger than the limit of"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace actlab::nn
