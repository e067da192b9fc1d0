// The shared training flags: parsed by CLI11 into a lab::TrainPlan, bad values named by their flag.
#include "cli/train_flags.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace actlab::cli {
namespace {

// Parses `args` (without the program name) with the shared flags on a fresh command.
Result<lab::TrainPlan> parse(std::vector<std::string> args, const TrainingFlagOptions& o = {}) {
  CLI::App app;
  TrainingFlags f;
  add_training_flags(&app, f, o);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments in reverse order
  app.parse(args);
  return training_plan(f);
}

TEST(TrainingFlags, MapOntoThePlan) {
  auto p = parse({"--data",     "iris",          "--model",    "mlp:8x2",  "--act", "tanh",
                  "--init",     "critical",      "--opt",      "sgd",      "--lr",  "0.5",
                  "--momentum", "0.9",           "--nesterov", "--epochs", "7",     "--batch",
                  "16",         "--val",         "0.2",        "--test",   "0.25",  "--early-stop",
                  "val-loss",   "--patience",    "3",          "--seed",   "11",    "--threads",
                  "2",          "--lr-schedule", "cosine",     "--loss",   "mse"});
  ASSERT_TRUE(p) << p.status().message();
  EXPECT_EQ(p->data.source, "iris");
  EXPECT_EQ(p->data.seed, 11u);
  EXPECT_DOUBLE_EQ(p->data.val, 0.2);
  EXPECT_DOUBLE_EQ(p->data.test, 0.25);
  EXPECT_EQ(p->model.spec, "mlp:8x2");
  EXPECT_EQ(p->model.acts, "tanh");
  EXPECT_EQ(p->model.init, "critical");
  EXPECT_EQ(p->model.seed, 11u);
  EXPECT_EQ(p->options.seed, 11u);
  EXPECT_EQ(p->options.epochs, 7);
  EXPECT_EQ(p->options.batch, 16);
  EXPECT_EQ(p->options.optimizer.kind, optim::OptimizerKind::kSgd);
  EXPECT_DOUBLE_EQ(p->options.optimizer.lr, 0.5);
  EXPECT_TRUE(p->options.optimizer.nesterov);
  EXPECT_EQ(p->options.early_stop.rule, nn::EarlyStop::Rule::kValLoss);
  EXPECT_EQ(p->options.early_stop.patience, 3);
  EXPECT_EQ(p->options.threads, 2);
  ASSERT_TRUE(p->loss);
  EXPECT_EQ(*p->loss, nn::LossKind::kMse);
}

TEST(TrainingFlags, BadValuesNameTheirFlag) {
  auto p = parse({"--data", "iris", "--batch", "0"});
  ASSERT_FALSE(p);
  EXPECT_NE(p.status().message().find("--batch"), std::string::npos) << p.status().message();
  // Enumerated flags are checked while parsing, with their list of names (docs/cli.md).
  for (const auto& [flag, value] :
       std::vector<std::pair<std::string, std::string>>{{"--opt", "nosuch"},
                                                        {"--loss", "nosuch"},
                                                        {"--early-stop", "never"},
                                                        {"--standardize", "maybe"},
                                                        {"--lr-schedule", "wobbly"},
                                                        {"--init", "hee"}}) {
    try {
      static_cast<void>(parse({"--data", "iris", flag, value}));
      ADD_FAILURE() << flag << " " << value << " was accepted";
    } catch (const CLI::ValidationError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(flag + ": '", 0), 0u) << e.what();
      EXPECT_NE(std::string(e.what()).find("is not one of"), std::string::npos) << e.what();
    }
  }
}

TEST(TrainingFlags, CompareLeavesOutAct) {
  EXPECT_THROW(parse({"--data", "iris", "--act", "tanh"}, {.act = false}), CLI::ExtrasError);
  auto p = parse({"--data", "iris"}, {.act = false});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->model.acts, "relu");
}

}  // namespace
}  // namespace actlab::cli
