// load_deep_net: actlab model files (with the standardisation folded in) and ONNX by extension.
#include "shallow/model_io.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace actlab::shallow {
namespace {

TEST(ModelIo, FoldsTheStandardisationOfAModelFile) {
  testing::TempDir dir;
  {
    std::ofstream(dir / "m.json")
        << R"({"format": "actlab-model", "version": 1, "input_shape": [2], "layers": [)"
        << R"({"type": "dense", "in": 2, "out": 2, "weight": [[1, 0], [0, 1]], "bias": [0, 0]},)"
        << R"({"type": "activation", "name": "relu"},)"
        << R"({"type": "dense", "in": 2, "out": 1, "weight": [[1, -1]], "bias": [0.5]}],)"
        << R"("standardize": {"mean": [1, 2], "scale": [2, 4]}})";
  }
  auto net = load_deep_net(dir / "m.json");
  ASSERT_TRUE(net) << net.status().message();
  // raw x = (5, 2): standardised (2, 0) → relu → 2 − 0 + 0.5
  EXPECT_DOUBLE_EQ(net->forward(Eigen::Vector2d(5, 2))[0], 2.5);
  EXPECT_FALSE(load_deep_net(dir / "missing.json"));
  auto onnx = load_deep_net(std::string(ACTLAB_SOURCE_DIR) + "/tests/golden/shallow/mlp_gemm.onnx");
  ASSERT_TRUE(onnx) << onnx.status().message();
  EXPECT_EQ(onnx->input_dim(), 2);
}

}  // namespace
}  // namespace actlab::shallow
