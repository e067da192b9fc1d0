#include "cli/evolve_fitness.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "support/temp_dir.hpp"

namespace actlab::cli {
namespace {

using testing::TempDir;
using testing::write_text;

EvolveConfig iris() {
  EvolveConfig c;
  c.data = "iris";
  c.epochs = 5;
  return c;
}

// iris: 150 rows, no official test set → 45 test rows (30%, stratified); of the other 105, 21 validate.
TEST(EvolveFitness, SplitsAndNormalisesOnTheTrainingRowsOnly) {
  auto d = prepare_evolve_data(iris());
  ASSERT_TRUE(d) << d.status().message();
  EXPECT_EQ(d->test.rows(), 45u);
  EXPECT_EQ(d->val.rows(), 21u);
  EXPECT_EQ(d->train.rows(), 84u);
  EXPECT_EQ(d->train_val.rows(), 105u);
  EXPECT_EQ(d->batch, 10);  // a tenth of train ∪ val, the paper's ten minibatches per epoch
  for (Eigen::Index j = 0; j < d->train.x.cols(); ++j) EXPECT_NEAR(d->train.x.col(j).mean(), 0.0, 1e-5);
  auto half = iris();
  half.train_fraction = 0.5;
  auto h = prepare_evolve_data(half);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->train.rows() + h->val.rows(), 53u);  // round(0.5 × 105)
}

TEST(EvolveFitness, FitnessIsTheBestValidationAccuracyAndRepeats) {
  auto d = prepare_evolve_data(iris());
  ASSERT_TRUE(d);
  const evolve::Triple t = {"relu(x)", "tanh(x)", "elu(x)"};
  const evolve::FitnessResult a = evolve_fitness(iris(), *d, t), b = evolve_fitness(iris(), *d, t);
  ASSERT_TRUE(a.value) << a.reason;
  EXPECT_GT(*a.value, 0.5);  // 5 epochs of Adam 0.01 learn iris well beyond chance (1/3)
  EXPECT_LE(*a.value, 1.0);
  EXPECT_EQ(a.value, b.value);  // common random numbers: same seed for every candidate
  const FinalRun f = final_training(iris(), *d, t, 10, 0);
  ASSERT_TRUE(f.ok) << f.reason;
  EXPECT_GE(f.peak_acc, f.test_acc);
}

TEST(EvolveFitness, ExplodingActivationsFailWithTheReason) {
  auto d = prepare_evolve_data(iris());
  ASSERT_TRUE(d);
  const evolve::FitnessResult r = evolve_fitness(iris(), *d, {"exp(exp(exp(x)))", "exp(exp(x))", "x"});
  EXPECT_FALSE(r.value);
  EXPECT_NE(r.reason.find("epoch"), std::string::npos) << r.reason;
  const evolve::FitnessResult bad = evolve_fitness(iris(), *d, {"relu(x", "x", "x"});
  EXPECT_FALSE(bad.value);
  EXPECT_NE(bad.reason.find("slot 0"), std::string::npos) << bad.reason;
}

TEST(EvolveFitness, BadDataAndFractionsAreErrors) {
  TempDir dir;
  write_text(dir / "one.csv", "a,b,label\n1,2,yes\n3,4,yes\n5,6,yes\n");
  EvolveConfig c = iris();
  c.data = dir / "one.csv";
  auto r = prepare_evolve_data(c);
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.status().is_bad_input());
  EXPECT_NE(r.status().message().find("1 class"), std::string::npos) << r.status().message();
  c = iris();
  c.train_fraction = 0;
  EXPECT_FALSE(prepare_evolve_data(c));
  c = iris();
  c.val_fraction = 1;
  EXPECT_FALSE(prepare_evolve_data(c));
  c = iris();
  c.train_fraction = 0.01;  // 1 row: nothing left to train on
  EXPECT_FALSE(prepare_evolve_data(c));
  c = iris();
  c.data = "no-such-set";
  EXPECT_FALSE(prepare_evolve_data(c));
}

TEST(EvolveFitness, ConfigRoundTripsThroughJson) {
  EvolveConfig c = iris();
  c.net = "cnn:lapid";
  c.lr = 0.003;
  auto back = EvolveConfig::from_json(c.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_json(), c.to_json());
  EXPECT_FALSE(EvolveConfig::from_json(Json{{"data", "iris"}}));
}

}  // namespace
}  // namespace actlab::cli
