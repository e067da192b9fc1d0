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

}  // namespace
}  // namespace actlab::shallow
