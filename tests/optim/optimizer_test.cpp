// make_optimizer: every kind reproduces torch.optim's trajectory on a fixed quadratic (tests/golden/
// torch_optim.json, from tools/gen_torch_optim_golden.py), and bad options are refused.
#include "optim/optimizer.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "support/golden.hpp"

namespace actlab::optim {
namespace {

using testing::close;
using testing::read_golden;

OptimizerOptions options_from(const Json& c) {
  OptimizerOptions o;
  o.kind = parse_optimizer_kind(c["optimizer"].get<std::string>()).value();
  const Json& j = c["options"];
  o.lr = j.value("lr", o.lr);
  o.weight_decay = j.value("weight_decay", o.weight_decay);
  o.momentum = j.value("momentum", o.momentum);
  o.dampening = j.value("dampening", o.dampening);
  o.nesterov = j.value("nesterov", o.nesterov);
  o.beta1 = j.value("beta1", o.beta1);
  o.beta2 = j.value("beta2", o.beta2);
  o.eps = j.value("eps", o.eps);
  o.amsgrad = j.value("amsgrad", o.amsgrad);
  o.alpha = j.value("alpha", o.alpha);
  o.centered = j.value("centered", o.centered);
  return o;
}

TEST(Optimizer, MatchesTorchTrajectories) {
  const Json g = read_golden("torch_optim.json");
  const auto a = g["a"].get<std::vector<float>>();
  const auto b = g["b"].get<std::vector<float>>();
  ASSERT_GE(g["cases"].size(), 10u);
  for (const Json& c : g["cases"]) {
    auto opt = make_optimizer(options_from(c));
    ASSERT_TRUE(opt) << opt.status().message();
    auto w = g["w0"].get<std::vector<float>>();
    std::vector<float> grad(w.size());
    std::vector<ParamBlock> blocks = {{w, grad}};
    int step = 0;
    for (const Json& expected : c["trajectory"]) {
      for (std::size_t i = 0; i < w.size(); ++i) grad[i] = a[i] * w[i] + b[i];
      (*opt)->step(blocks);
      ++step;
      for (std::size_t i = 0; i < w.size(); ++i) {
        EXPECT_TRUE(close(w[i], expected[i].get<double>(), 2e-6, 2e-7))
            << c["optimizer"] << " " << c["options"] << " step " << step << " w[" << i << "] = " << w[i]
            << ", torch " << expected[i];
      }
    }
  }
}

TEST(Optimizer, ResetForgetsState) {
  OptimizerOptions o{.kind = OptimizerKind::kAdam, .lr = 0.1};
  auto opt = make_optimizer(o).value();
  std::vector<float> w1 = {1.0f}, w2 = {1.0f}, g = {0.5f};
  std::vector<ParamBlock> b1 = {{w1, g}}, b2 = {{w2, g}};
  opt->step(b1);
  opt->step(b1);
  opt->reset();
  opt->step(b2);
  auto fresh = make_optimizer(o).value();
  std::vector<float> w3 = {1.0f};
  std::vector<ParamBlock> b3 = {{w3, g}};
  fresh->step(b3);
  EXPECT_EQ(w2[0], w3[0]);
}

TEST(Optimizer, RefusesBadOptions) {
  EXPECT_FALSE(make_optimizer({.kind = OptimizerKind::kSgd, .lr = -1}));
  EXPECT_FALSE(make_optimizer({.kind = OptimizerKind::kSgd, .lr = 0.1, .nesterov = true}));
  EXPECT_FALSE(make_optimizer({.kind = OptimizerKind::kAdam, .lr = 0.1, .beta1 = 1.0}));
  EXPECT_FALSE(parse_optimizer_kind("adagrad"));
  EXPECT_EQ(parse_optimizer_kind("AdamW").value(), OptimizerKind::kAdamW);
  EXPECT_EQ(optimizer_kind_name(OptimizerKind::kRmsprop), "rmsprop");
}

}  // namespace
}  // namespace actlab::optim
