// Learning-rate schedules against their closed forms (torch.optim.lr_scheduler's; the trainer's use of them
// is checked against PyTorch in tests/nn/torch_training_test.cpp), and the parser's errors.
#include "optim/schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace actlab::optim {
namespace {

TEST(LrSchedule, ConstantCosineStepExponential) {
  const auto at = [](int epoch, long step, long total) {
    return ScheduleClock{.epoch = epoch, .step = step, .total_steps = total};
  };
  const LrSchedule constant = parse_lr_schedule("constant").value();
  EXPECT_EQ(constant.lr(0.1, at(7, 99, 100)), 0.1);

  const LrSchedule cosine = parse_lr_schedule("cosine:min=0.01").value();
  EXPECT_DOUBLE_EQ(cosine.lr(0.1, at(1, 0, 100)), 0.1);       // the first step runs at lr₀
  EXPECT_NEAR(cosine.lr(0.1, at(3, 50, 100)), 0.055, 1e-15);  // halfway: the mean of lr₀ and η
  for (long t = 0; t < 100; ++t) {
    const double expected = 0.01 + 0.09 * (1 + std::cos(std::numbers::pi * t / 100.0)) / 2;
    EXPECT_NEAR(cosine.lr(0.1, at(1, t, 100)), expected, 1e-15) << t;
  }
  EXPECT_GT(cosine.lr(0.1, at(5, 99, 100)), 0.01);  // the last step is just above η
  EXPECT_DOUBLE_EQ(parse_lr_schedule("cosine").value().eta_min, 0.0);

  const LrSchedule step = parse_lr_schedule("step:every=3,gamma=0.5").value();
  const double by_epoch[] = {1, 1, 1, 0.5, 0.5, 0.5, 0.25};
  for (int e = 1; e <= 7; ++e) EXPECT_DOUBLE_EQ(step.lr(2.0, at(e, 0, 1)), 2.0 * by_epoch[e - 1]) << e;
  EXPECT_DOUBLE_EQ(parse_lr_schedule("step:every=1").value().lr(1.0, at(3, 0, 1)), 0.01);  // gamma 0.1

  const LrSchedule exp = parse_lr_schedule("exp:gamma=0.9").value();
  EXPECT_DOUBLE_EQ(exp.lr(1.0, at(1, 0, 1)), 1.0);
  EXPECT_NEAR(exp.lr(1.0, at(4, 0, 1)), 0.729, 1e-15);
}

TEST(LrSchedule, SpecRoundTrips) {
  for (const char* spec : {"constant", "cosine:min=1e-05", "cosine:min=1.2345678901234e-05",
                           "step:every=2,gamma=0.5", "exp:gamma=0.9"}) {
    const auto s = parse_lr_schedule(spec);
    ASSERT_TRUE(s) << spec << ": " << s.status().message();
    const auto again = parse_lr_schedule(s->str());
    ASSERT_TRUE(again) << s->str();
    EXPECT_EQ(again->kind, s->kind);
    EXPECT_EQ(again->eta_min, s->eta_min);
    EXPECT_EQ(again->every, s->every);
    EXPECT_EQ(again->gamma, s->gamma);
  }
  EXPECT_EQ(parse_lr_schedule("cosine:min=1.2345678901234e-05").value().str(),
            "cosine:min=1.2345678901234e-05");
}

TEST(LrSchedule, BadSpecsNameWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"linear", "unknown schedule 'linear'"},
      {"cosine:min", "key=value"},
      {"cosine:", "nothing after ':'"},
      {"step:every=1e10", "from 1 to 1e9"},
      {"cosine:min=abc", "not a number"},
      {"cosine:min=-1", "min must be >= 0"},
      {"cosine:gamma=0.5", "'gamma' is not an option of cosine"},
      {"step", "step needs every"},
      {"step:every=1.5", "whole number"},
      {"step:every=0", "whole number"},
      {"step:every=2,gamma=0", "gamma must be > 0"},
      {"exp", "exp needs gamma"},
      {"exp:gamma=0.9,every=2", "'every' is not an option of exp"},
  };
  for (const auto& [spec, needle] : cases) {
    const auto s = parse_lr_schedule(spec);
    ASSERT_FALSE(s) << spec;
    EXPECT_TRUE(s.status().is_bad_input());
    EXPECT_NE(s.status().message().find(needle), std::string::npos) << spec << ": " << s.status().message();
  }
}

}  // namespace
}  // namespace actlab::optim
