// actlab init, run as a user would; its --torch code run by Debian's PyTorch (/usr/bin/python3) on a real
// torch.nn.Sequential, whose weight standard deviations must be the recommendation's.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/json.hpp"
#include "support/process.hpp"

namespace actlab::cli {
namespace {

using testing::expect_bad_input;
using testing::output_json;
using testing::run_actlab;

TEST(Init, AnswersWithVerdictsInTextAndJson) {
  const Json j = output_json(run_actlab({"init", "mrepu,relu,repu", "--depth", "10", "--json"}));
  ASSERT_EQ(j["recommendations"].size(), 3u);
  const Json& m = j["recommendations"][0];
  EXPECT_EQ(m["activation"], "mrepu");
  EXPECT_EQ(m["verdict"], "marginal");
  EXPECT_NEAR(m["K1"].get<double>(), 0.1 / (18 * 10), 1e-15);
  EXPECT_EQ(j["recommendations"][1]["verdict"], "critical");
  EXPECT_EQ(j["recommendations"][2]["verdict"], "cannot be stabilised");
  EXPECT_EQ(j["recommendations"][2]["least_bad"], true);
  for (const char* key :
       {"reasons", "class", "sigma_w", "sigma_b", "C_W", "C_b", "input_scale", "xi_q", "xi_c"})
    EXPECT_TRUE(m.contains(key)) << key;
  const auto text = run_actlab({"init", "repu", "--depth", "10"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("cannot be stabilised"), std::string::npos);
  EXPECT_NE(text.out.find("proof:"), std::string::npos);
}

TEST(Init, BadInputNamesTheFlag) {
  expect_bad_input({"init", "tanh", "--depth", "0"}, "--depth");
  expect_bad_input({"init", "tanh", "--depth", "5", "--input-var", "-1"}, "--input-var");
  expect_bad_input({"init", "nosuchact", "--depth", "5"}, "nosuchact");
  expect_bad_input({"init", "tanh", "--all", "--depth", "5"}, "all");
}

// The --torch code, applied by PyTorch to Linear layers: std of layer 1 = σ_w s/√fan_in, of the others
// σ_w/√fan_in, and of the biases σ_b (mish: a half-stable answer with σ_b > 0 and s ≠ 1).
TEST(Init, TorchCodeAppliesTheAnswer) {
  if (!std::filesystem::exists("/usr/bin/python3"))
    GTEST_FAIL() << "/usr/bin/python3 is needed (python3-torch)";
  const auto code = run_actlab({"init", "mish", "--depth", "3", "--torch"});
  ASSERT_EQ(code.exit_code, 0) << code.err;
  const Json a = output_json(run_actlab({"init", "mish", "--depth", "3", "--json"}))["recommendations"][0];
  const auto dir =
      std::filesystem::temp_directory_path() / ("actlab_init_torch_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream py(dir / "check.py");
    py << code.out << "\n"
       << "torch.manual_seed(0)\n"
       << "m = torch.nn.Sequential(torch.nn.Linear(400, 400), torch.nn.Tanh(), torch.nn.Linear(400, 400),"
          " torch.nn.Tanh(), torch.nn.Linear(400, 400))\n"
       << "actlab_init_(m)\n"
       << "print(m[0].weight.std().item(), m[2].weight.std().item(), m[4].bias.std().item())\n";
  }
  const std::string cmd = "/usr/bin/python3 " + (dir / "check.py").string() + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512] = {};
  std::string out;
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int rc = ::pclose(p);
  std::filesystem::remove_all(dir);
  ASSERT_EQ(rc, 0) << out;
  double s0 = 0, s1 = 0, b = 0;
  ASSERT_EQ(std::sscanf(out.c_str(), "%lf %lf %lf", &s0, &s1, &b), 3) << out;
  const double sw = a["sigma_w"].get<double>(), sb = a["sigma_b"].get<double>(),
               s = a["input_scale"].get<double>();
  EXPECT_NEAR(s0, sw * s / 20.0, 0.01 * sw * s / 20.0);
  EXPECT_NEAR(s1, sw / 20.0, 0.01 * sw / 20.0);
  EXPECT_NEAR(b, sb, 0.1 * sb);
}

}  // namespace
}  // namespace actlab::cli
