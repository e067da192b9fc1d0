// The à-la-carte objective: the menu, the stored setup, the data preparation's fingerprint, and one
// architecture's training (a good one learns iris; one that produces NaN fails with a reason).
#include "cli/alacarte_objective.hpp"

#include <gtest/gtest.h>

namespace actlab::cli {
namespace {

AlacarteSetup iris(int layers = 5, std::uint64_t seed = 1) {
  AlacarteSetup s;
  s.data = "iris";
  s.layers = layers;
  s.split_seed = seed;
  return s;
}

TEST(AlacarteObjective, MenuHas48FunctionsInAlayersOrder) {
  const auto& m = alacarte_menu();
  ASSERT_EQ(m.size(), 48u);
  EXPECT_EQ(m.front(), "elu");
  EXPECT_EQ(m[6], "relu");
  EXPECT_EQ(m.back(), "mish");
  EXPECT_NE(std::find(m.begin(), m.end(), "softmax"), m.end());
}

TEST(AlacarteObjective, SetupRoundTripsAndValidates) {
  AlacarteSetup s = iris(10, 7);
  s.fingerprint = "00112233aabbccdd";
  auto back = AlacarteSetup::from_json(s.to_json());
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->to_json(), s.to_json());
  EXPECT_EQ(s.space().size(), 10u);
  EXPECT_EQ(s.space()[3].name, "activation3");
  EXPECT_EQ(s.space()[3].dist.choices, alacarte_menu());
  AlacarteSetup bad = iris(0);
  EXPECT_NE(bad.validate().message().find("--layers"), std::string::npos);
  EXPECT_FALSE(AlacarteSetup::from_json(Json{{"name", "synthetic"}}));
}

TEST(AlacarteObjective, PreparationIsDeterministicPerSeed) {
  auto a = prepare_alacarte(iris(5, 1)), b = prepare_alacarte(iris(5, 1)), c = prepare_alacarte(iris(5, 2));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->fingerprint, b->fingerprint);
  EXPECT_NE(a->fingerprint, c->fingerprint);
  EXPECT_EQ(a->rows, 150u);
  EXPECT_EQ(a->test.rows(), 45u);                                     // 30 %
  EXPECT_EQ(a->train.rows() + a->val.rows() + a->test.rows(), 150u);  // val ≈ 25 % of the 105
  EXPECT_NEAR(static_cast<double>(a->val.rows()), 26.25, 2.0);
  AlacarteSetup s = iris();
  s.data = "irsi";
  auto bad = prepare_alacarte(s);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.status().is_bad_input());
  EXPECT_EQ(bad.status().message().rfind("--data", 0), 0u) << bad.status().message();
}

TEST(AlacarteObjective, StandardNetworkLearnsIrisAndNanChoiceFails) {
  const AlacarteSetup s = iris();
  auto d = prepare_alacarte(s);
  ASSERT_TRUE(d);
  const auto good = train_architecture(s, *d, {"relu", "relu", "relu", "relu", "softmax"}, 3, true);
  ASSERT_TRUE(good.ok) << good.reason;
  // The paper's early stop (10 epochs of < 0.001 gain) often ends training early: well above chance (1/3).
  EXPECT_GT(good.val_acc, 0.6);
  EXPECT_GT(good.test_acc, 0.6);
  EXPECT_LE(good.epochs, 300);
  // log of negative pre-activations is NaN from the first forward pass.
  const auto bad = train_architecture(s, *d, {"log", "log", "log", "log", "log"}, 3, false);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.reason.find("diverged"), std::string::npos) << bad.reason;
  EXPECT_EQ(alacarte_acts(Json{{"activation0", "tanh"}, {"activation1", "exp"}}, 2),
            (std::vector<std::string>{"tanh", "exp"}));
  EXPECT_NE(alacarte_trial_seed(1, 0), alacarte_trial_seed(1, 1));
}

}  // namespace
}  // namespace actlab::cli
