// ONNX import against PyTorch: graphs written by torch.onnx.export (tests/golden/shallow, made by
// tools/gen_shallow_onnx.py) give the outputs PyTorch computed; unsupported ops are named with their node.
#include "shallow/onnx.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/json.hpp"
#include "shallow/regions.hpp"
#include "shallow/shallow_net.hpp"
#include "shallow/verify.hpp"

namespace actlab::shallow {
namespace {

const std::string kDir = std::string(ACTLAB_SOURCE_DIR) + "/tests/golden/shallow/";

TEST(Onnx, GemmAndMatMulGraphsMatchPyTorch) {
  std::ifstream in(kDir + "onnx_reference.json");
  const Json ref = Json::parse(in);
  ASSERT_EQ(ref["cases"].size(), 2u);
  for (const Json& c : ref["cases"]) {
    const DeepReluNet net = load_onnx(kDir + c["file"].get<std::string>()).value();
    for (std::size_t i = 0; i < c["x"].size(); ++i) {
      const auto xs = c["x"][i].get<std::vector<double>>();
      const auto ys = c["y"][i].get<std::vector<double>>();
      const Eigen::VectorXd y =
          net.forward(Eigen::Map<const Eigen::VectorXd>(xs.data(), static_cast<Eigen::Index>(xs.size())));
      ASSERT_EQ(y.size(), static_cast<Eigen::Index>(ys.size()));
      for (std::size_t o = 0; o < ys.size(); ++o)
        EXPECT_NEAR(y[static_cast<Eigen::Index>(o)], ys[o], 1e-12) << c["file"];
    }
  }
  EXPECT_EQ(load_onnx(kDir + "mlp_gemm.onnx").value().arch(), "2-8-8-1");
  EXPECT_EQ(load_onnx(kDir + "mlp_matmul.onnx").value().arch(), "3-6-2");
}

TEST(Onnx, ExportedNetworkConvertsExactly) {
  const DeepReluNet net = load_onnx(kDir + "mlp_gemm.onnx").value();
  const ShallowNet s = build_shallow(enumerate_regions(net).value());
  const VerifyReport r = verify(net, s, random_points(2, 500, 1));
  EXPECT_EQ(r.mismatches, 0);
  EXPECT_EQ(r.open_gates_not_one, 0);
}

TEST(Onnx, NamesTheUnsupportedOpAndNode) {
  auto r = load_onnx(kDir + "mlp_tanh.onnx");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find("(op Tanh) is not supported"), std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("node '"), std::string::npos);
  EXPECT_FALSE(load_onnx(kDir + "missing.onnx"));
  EXPECT_FALSE(parse_onnx({0x0a, 0xff, 0x01}, "junk.onnx"));
}

// Protobuf by hand: a length-delimited field and a varint field.
void varint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}
std::vector<std::uint8_t> field(int number, const std::vector<std::uint8_t>& body) {
  std::vector<std::uint8_t> out;
  varint(out, static_cast<std::uint64_t>(number) << 3 | 2);
  varint(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}
std::vector<std::uint8_t> number_field(int number, std::uint64_t v) {
  std::vector<std::uint8_t> out;
  varint(out, static_cast<std::uint64_t>(number) << 3);
  varint(out, v);
  return out;
}

// A graph with one input "x" of shape [1, width], one Relu and the output "y"
// (ModelProto.graph.input.type.tensor_type.shape).
std::vector<std::uint8_t> relu_graph(std::uint64_t width) {
  auto dim = [](std::uint64_t v) { return field(1, number_field(1, v)); };
  std::vector<std::uint8_t> shape = dim(1);
  const auto d2 = dim(width);
  shape.insert(shape.end(), d2.begin(), d2.end());
  const auto tensor = field(1, field(2, shape));  // TypeProto.tensor_type { shape }
  std::vector<std::uint8_t> value = field(1, {'x'});
  const auto type = field(2, tensor);
  value.insert(value.end(), type.begin(), type.end());
  std::vector<std::uint8_t> node = field(1, {'x'});  // NodeProto: input x, output y, op Relu
  for (const auto& f : {field(2, {'y'}), field(4, {'R', 'e', 'l', 'u'})})
    node.insert(node.end(), f.begin(), f.end());
  std::vector<std::uint8_t> graph = field(1, node);
  const auto input = field(11, value);
  graph.insert(graph.end(), input.begin(), input.end());
  const auto output = field(12, field(1, {'y'}));  // ValueInfoProto { name: "y" }
  graph.insert(graph.end(), output.begin(), output.end());
  return field(7, graph);
}

// Issue 17: an input of width 2^31 was cast to int and made an identity of width² doubles.
TEST(Onnx, HugeInputWidthIsRefused) {
  auto r = parse_onnx(relu_graph(std::uint64_t{1} << 31), "big.onnx");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message(), "big.onnx: input 'x' has 2147483648 features, more than the limit of 4096");
  auto ok = parse_onnx(relu_graph(3), "small.onnx");
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_EQ(ok->arch(), "3-3-3");  // identity, ReLU, identity
}

}  // namespace
}  // namespace actlab::shallow
