// The training loop: learning XOR-arranged blobs, determinism, mini-batch against full-batch SGD in closed
// form on a one-weight problem, divergence, the early-stopping rules recomputed from the reported epochs,
// the callback, gradient clipping, evaluation, and bad inputs.
#include "nn/trainer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "nn/architecture.hpp"
#include "nn/dense.hpp"
#include "nn/dropout.hpp"
#include "nn/init.hpp"

namespace actlab::nn {
namespace {

using activations::Activation;
using optim::OptimizerKind;

struct Data {
  MatrixF x;
  std::vector<int> labels;
  Examples view() const { return {&x, labels, nullptr}; }
};

// Four Gaussian blobs at (±1, ±1), σ = 0.25, labelled XOR of the signs: not linearly separable.
Data xor_blobs(int n, std::uint64_t seed) {
  Rng rng(seed);
  Data d{MatrixF(n, 2), std::vector<int>(static_cast<std::size_t>(n))};
  for (int i = 0; i < n; ++i) {
    const int sx = i % 2, sy = (i / 2) % 2;
    d.x(i, 0) = static_cast<float>((sx ? 1 : -1) + 0.25 * rng.normal());
    d.x(i, 1) = static_cast<float>((sy ? 1 : -1) + 0.25 * rng.normal());
    d.labels[static_cast<std::size_t>(i)] = sx ^ sy;
  }
  return d;
}

// Two blobs at (±c, ±c) with spread σ; c = 3, σ = 0.5 is linearly separable with a wide margin.
Data two_blobs(int n, std::uint64_t seed, double c = 3, double sigma = 0.5) {
  Rng rng(seed);
  Data d{MatrixF(n, 2), std::vector<int>(static_cast<std::size_t>(n))};
  for (int i = 0; i < n; ++i) {
    const int k = i % 2;
    for (int j = 0; j < 2; ++j) d.x(i, j) = static_cast<float>((k ? c : -c) + sigma * rng.normal());
    d.labels[static_cast<std::size_t>(i)] = k;
  }
  return d;
}

Model<float> mlp(const char* spec, const char* act, int in, int out, std::uint64_t seed = 1) {
  const Activation a = Activation::make(act).value();
  auto m = build_model(spec, {{in}}, out, {&a, 1});
  EXPECT_TRUE(m) << m.status().message();
  const InitSpec s{InitKind::kHe};
  EXPECT_TRUE(initialize(*m, {&s, 1}, seed).is_ok());
  return std::move(*m);
}

TEST(Trainer, LearnsXorBlobs) {
  const Data d = xor_blobs(200, 3);
  Model<float> m = mlp("mlp:2-16-16-2", "tanh", 2, 2);
  const Examples tr = d.view();
  const double before = evaluate(m, tr, LossKind::kCrossEntropy).accuracy;
  TrainOptions o;
  o.epochs = 60;
  o.batch = 20;
  o.optimizer = {.kind = OptimizerKind::kAdam, .lr = 0.02};
  o.seed = 5;
  auto r = train(m, tr, nullptr, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->stop_reason, StopReason::kCompleted);
  ASSERT_EQ(r->epochs.size(), 60u);
  for (int e = 0; e < 60; ++e) EXPECT_EQ(r->epochs[e].epoch, e + 1);
  const Evaluation ev = evaluate(m, tr, LossKind::kCrossEntropy);
  EXPECT_GE(ev.accuracy, 0.95) << "accuracy before training " << before;
  EXPECT_LT(r->epochs.back().train_loss, r->epochs.front().train_loss);
  EXPECT_TRUE(std::isnan(r->epochs.back().val_loss));  // no validation set
  EXPECT_TRUE(std::isnan(r->epochs.back().val_acc));
}

std::vector<double> losses(const TrainReport& r) {
  std::vector<double> v;
  for (const auto& e : r.epochs) v.push_back(e.train_loss);
  return v;
}

TEST(Trainer, SameSeedSameNumbersDifferentSeedDifferent) {
  const Data d = xor_blobs(96, 4);
  TrainOptions o;
  o.epochs = 5;
  o.batch = 16;
  o.optimizer = {.kind = OptimizerKind::kAdam, .lr = 0.01};
  auto run = [&](std::uint64_t seed, Model<float>* out) {
    Model<float> m = mlp("mlp:2-16-16-2", "rrelu", 2, 2);  // shuffling and rrelu noise both follow the seed
    o.seed = seed;
    auto r = train(m, d.view(), nullptr, o);
    EXPECT_TRUE(r) << r.status().message();
    if (out) *out = std::move(m);
    return losses(*r);
  };
  Model<float> a, b;
  const auto la = run(7, &a), lb = run(7, &b), lc = run(8, nullptr);
  EXPECT_EQ(la, lb);  // bit-identical
  EXPECT_NE(la, lc);
  auto pa = a.params(), pb = b.params();
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i) EXPECT_EQ(pa[i]->value, pb[i]->value);
}

TEST(Trainer, FullBatchDoesNotDependOnTheSeed) {
  const Data d = xor_blobs(64, 5);
  TrainOptions o;
  o.epochs = 4;
  o.batch = 0;
  std::vector<double> first;
  for (std::uint64_t seed : {1, 2}) {
    Model<float> m = mlp("mlp:2-8-2", "tanh", 2, 2);
    o.seed = seed;
    auto r = train(m, d.view(), nullptr, o);
    ASSERT_TRUE(r);
    if (first.empty())
      first = losses(*r);
    else
      EXPECT_EQ(losses(*r), first);
  }
}

// y = w·x + b with x = 1 on every row and target 0: each SGD step on any batch multiplies s = w + b by
// (1 − 4·lr), since ∂L/∂w = ∂L/∂b = 2s. Full batch takes one step per epoch, batch size 1 takes n.
struct OneWeight {
  MatrixF x = MatrixF::Ones(4, 1), t = MatrixF::Zero(4, 1);
  Model<float> m{Shape{{1}}};
  OneWeight() {
    EXPECT_TRUE(m.add(std::make_unique<Dense<float>>(1, 1)).is_ok());
    dynamic_cast<Dense<float>&>(m.layer(0)).weight().value << 1;
  }
  double s() { return m.params()[0]->value(0, 0) + m.params()[1]->value(0, 0); }
  Result<TrainReport> train_with(Eigen::Index batch, int epochs, double lr = 0.05) {
    TrainOptions o;
    o.loss = LossKind::kMse;
    o.epochs = epochs;
    o.batch = batch;
    o.optimizer = {.kind = OptimizerKind::kSgd, .lr = lr};
    return train(m, {&x, {}, &t}, nullptr, o);
  }
};

TEST(Trainer, MiniBatchAgainstFullBatchClosedForm) {
  OneWeight full;
  auto rf = full.train_with(0, 2);
  ASSERT_TRUE(rf) << rf.status().message();
  ASSERT_EQ(rf->epochs.size(), 2u);
  EXPECT_NEAR(rf->epochs[0].train_loss, 1.0, 1e-6);   // loss before the step
  EXPECT_NEAR(rf->epochs[1].train_loss, 0.64, 1e-6);  // 0.8²
  EXPECT_NEAR(full.s(), 0.64, 1e-6);                  // two steps
  EXPECT_TRUE(std::isnan(rf->epochs[0].train_acc));   // regression

  OneWeight single;
  auto rs = single.train_with(1, 1);
  ASSERT_TRUE(rs);
  EXPECT_NEAR(single.s(), std::pow(0.8, 4), 1e-6);  // four steps in one epoch
  EXPECT_NEAR(rs->epochs[0].train_loss, (1 + 0.64 + 0.4096 + 0.262144) / 4, 1e-6);

  OneWeight uneven;  // batches of 3 and 1: two steps, the mean weighted by rows
  auto ru = uneven.train_with(3, 1);
  ASSERT_TRUE(ru);
  EXPECT_NEAR(uneven.s(), 0.64, 1e-6);
  EXPECT_NEAR(ru->epochs[0].train_loss, (3 * 1.0 + 1 * 0.64) / 4, 1e-6);

  OneWeight whole;  // a batch at least as large as the data is full batch
  auto rw = whole.train_with(100, 1);
  ASSERT_TRUE(rw);
  EXPECT_NEAR(whole.s(), 0.8, 1e-6);
}

TEST(Trainer, ClippingBoundsTheStep) {
  OneWeight c;
  TrainOptions o;
  o.loss = LossKind::kMse;
  o.epochs = 1;
  o.optimizer = {.kind = OptimizerKind::kSgd, .lr = 1.0};
  o.clip_norm = 0.01;  // the gradient (2, 2) has norm 2√2
  auto r = train(c.m, {&c.x, {}, &c.t}, nullptr, o);
  ASSERT_TRUE(r);
  const double dw = 1.0 - c.m.params()[0]->value(0, 0), db = -c.m.params()[1]->value(0, 0);
  EXPECT_NEAR(std::hypot(dw, db), 0.01, 1e-6);
  EXPECT_NEAR(dw, db, 1e-7);  // direction kept
}

TEST(Trainer, HugeLearningRateDiverges) {
  Rng rng(1);
  MatrixF x(16, 3), t(16, 2);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<float>(rng.normal());
  for (Eigen::Index i = 0; i < t.size(); ++i) t.data()[i] = static_cast<float>(rng.normal());
  Model<float> m({{3}});
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(3, 2)).is_ok());
  const InitSpec s{InitKind::kTorch};
  ASSERT_TRUE(initialize(m, {&s, 1}, 1).is_ok());
  TrainOptions o;
  o.loss = LossKind::kMse;
  o.epochs = 50;
  o.optimizer = {.kind = OptimizerKind::kSgd, .lr = 1e10};
  int calls = 0;
  auto r = train(m, {&x, {}, &t}, nullptr, o, [&](const EpochStats&) { return ++calls > 0; });
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->stop_reason, StopReason::kDiverged);
  EXPECT_GE(r->diverged_epoch, 2);  // the first epoch starts from finite, small weights
  EXPECT_LT(r->diverged_epoch, 50);
  EXPECT_FALSE(r->message.empty());
  EXPECT_LE(static_cast<int>(r->epochs.size()), r->diverged_epoch);
  EXPECT_GE(static_cast<int>(r->epochs.size()), r->diverged_epoch - 1);
  EXPECT_LT(calls, r->diverged_epoch + 1);
}

// The train-accuracy plateau rule, recomputed from the reported accuracies: the epoch where the count of
// consecutive epochs with Δacc < min_delta first reaches patience.
int plateau_stop(const std::vector<EpochStats>& e, const EarlyStop& rule) {
  int stall = 0;
  for (std::size_t i = 1; i < e.size(); ++i) {
    stall = e[i].train_acc - e[i - 1].train_acc < rule.min_delta ? stall + 1 : 0;
    if (stall >= rule.patience) return static_cast<int>(i + 1);
  }
  return 0;
}

TEST(Trainer, TrainAccuracyPlateauStopsEarly) {
  const Data d = two_blobs(100, 6);
  Model<float> m = mlp("mlp:2-8-2", "relu", 2, 2);
  TrainOptions o;
  o.epochs = 500;
  o.batch = 0;
  o.optimizer = {.kind = OptimizerKind::kAdam, .lr = 0.05};
  o.early_stop = {.rule = EarlyStop::Rule::kTrainAccPlateau, .min_delta = 0.001, .patience = 5};
  auto r = train(m, d.view(), nullptr, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->stop_reason, StopReason::kEarlyStop);
  EXPECT_LT(r->epochs.size(), 100u);
  EXPECT_EQ(plateau_stop(r->epochs, o.early_stop), static_cast<int>(r->epochs.size()));
  // The rule reads evaluation-mode accuracy over the training set, after the epoch's step.
  EXPECT_DOUBLE_EQ(r->epochs.back().train_acc, evaluate(m, d.view(), LossKind::kCrossEntropy).accuracy);
  EXPECT_DOUBLE_EQ(r->epochs.back().train_acc, 1.0);
}

TEST(Trainer, TrainAccuracyPlateauCountResetsOnImprovement) {
  // Slow SGD on overlapping blobs: the accuracy climbs in steps with short flat stretches between them, so
  // the stall count must reset on every improvement to stop at the first run of `patience` flat epochs.
  const Data d = two_blobs(40, 6, 1.0, 0.8);
  Model<float> m = mlp("mlp:2-8-2", "tanh", 2, 2);
  TrainOptions o;
  o.epochs = 200;
  o.optimizer = {.kind = OptimizerKind::kSgd, .lr = 0.01};
  o.early_stop = {.rule = EarlyStop::Rule::kTrainAccPlateau, .min_delta = 0.001, .patience = 5};
  auto r = train(m, d.view(), nullptr, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->stop_reason, StopReason::kEarlyStop);
  EXPECT_LT(r->epochs.size(), 200u);
  EXPECT_EQ(plateau_stop(r->epochs, o.early_stop), static_cast<int>(r->epochs.size()));
  // The run has more than `patience` flat epochs in all, so a count that never reset would stop earlier.
  int flat = 0;
  for (std::size_t i = 1; i < r->epochs.size(); ++i)
    flat += r->epochs[i].train_acc - r->epochs[i - 1].train_acc < 0.001;
  EXPECT_GT(flat, o.early_stop.patience);
}

TEST(Trainer, ValidationLossRule) {
  const Data tr = xor_blobs(64, 7), va = xor_blobs(64, 8);
  const Examples vv = va.view();
  TrainOptions o;
  o.epochs = 100;
  o.batch = 0;
  // No epoch after the first improves by 1e9: stop after exactly 1 + patience epochs.
  o.early_stop = {.rule = EarlyStop::Rule::kValLoss, .min_delta = 1e9, .patience = 3};
  Model<float> m = mlp("mlp:2-8-2", "tanh", 2, 2);
  auto r = train(m, tr.view(), &vv, o);
  ASSERT_TRUE(r) << r.status().message();
  EXPECT_EQ(r->stop_reason, StopReason::kEarlyStop);
  EXPECT_EQ(r->epochs.size(), 4u);
  EXPECT_FALSE(std::isnan(r->epochs[0].val_loss));
  EXPECT_DOUBLE_EQ(r->epochs.back().val_loss, evaluate(m, vv, LossKind::kCrossEntropy).loss);
  EXPECT_DOUBLE_EQ(r->epochs.back().val_acc, evaluate(m, vv, LossKind::kCrossEntropy).accuracy);

  // A learning rate of 0 never improves the validation loss: stop after 1 + patience epochs as well.
  Model<float> frozen = mlp("mlp:2-8-2", "tanh", 2, 2);
  o.early_stop = {.rule = EarlyStop::Rule::kValLoss, .min_delta = 0.0, .patience = 6};
  o.optimizer = {.kind = OptimizerKind::kSgd, .lr = 0.0};
  auto f = train(frozen, tr.view(), &vv, o);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->stop_reason, StopReason::kEarlyStop);
  EXPECT_EQ(f->epochs.size(), 7u);

  // The rule needs a validation set.
  Model<float> n = mlp("mlp:2-8-2", "tanh", 2, 2);
  auto none = train(n, tr.view(), nullptr, o);
  ASSERT_FALSE(none);
  EXPECT_NE(none.status().message().find("validation"), std::string::npos);
}

TEST(Trainer, CallbackCanStopTraining) {
  const Data d = xor_blobs(32, 9);
  Model<float> m = mlp("mlp:2-8-2", "tanh", 2, 2);
  TrainOptions o;
  o.epochs = 20;
  std::vector<int> seen;
  auto r = train(m, d.view(), nullptr, o, [&](const EpochStats& e) {
    seen.push_back(e.epoch);
    return e.epoch < 3;
  });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stop_reason, StopReason::kStopped);
  EXPECT_EQ(r->epochs.size(), 3u);
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(r->seconds, r->epochs.back().seconds);
}

TEST(Trainer, RejectsBadInputs) {
  const Data d = xor_blobs(16, 10);
  Model<float> m = mlp("mlp:2-8-2", "tanh", 2, 2);
  TrainOptions o;
  o.epochs = 2;
  auto expect_error = [&](const Examples& tr, const TrainOptions& opt, const std::string& needle,
                          const Examples* val = nullptr) {
    auto r = train(m, tr, val, opt);
    ASSERT_FALSE(r) << needle;
    EXPECT_TRUE(r.status().is_bad_input());
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  std::vector<int> big = d.labels, negative = d.labels, short_labels(d.labels.begin(), d.labels.end() - 1);
  big[3] = 2;
  negative[5] = -1;
  expect_error({&d.x, big, nullptr}, o, "class 2");
  expect_error({&d.x, negative, nullptr}, o, "class -1");
  expect_error({&d.x, short_labels, nullptr}, o, "one class label per row");
  const MatrixF wide = MatrixF::Zero(16, 3);
  expect_error({&wide, d.labels, nullptr}, o, "3 features");
  const MatrixF empty(0, 2);
  expect_error({&empty, {}, nullptr}, o, "empty");
  TrainOptions zero = o;
  zero.epochs = 0;
  expect_error(d.view(), zero, "epochs");
  TrainOptions neg = o;
  neg.batch = -1;
  expect_error(d.view(), neg, "batch");
  TrainOptions regression = o;
  regression.loss = LossKind::kMse;
  expect_error(d.view(), regression, "target");
  const Data bad_val{MatrixF::Zero(4, 5), {0, 1, 0, 1}};
  const Examples bv = bad_val.view();
  expect_error(d.view(), o, "validation", &bv);
  TrainOptions bad_threads = o;
  bad_threads.threads = -1;
  expect_error(d.view(), bad_threads, "threads");
  TrainOptions bad_lr = o;
  bad_lr.optimizer.lr = -1;
  auto r = train(m, d.view(), nullptr, bad_lr);
  EXPECT_FALSE(r);
}

// Data parallelism: the shards' gradients add up to the batch's, so 2 or 3 threads follow the serial run to
// float rounding (not bit for bit: the sums run in another order), and repeat themselves exactly.
TEST(Trainer, DataParallelFollowsTheSerialRun) {
  const Data d = xor_blobs(500, 21);
  for (const Eigen::Index batch : {Eigen::Index{0}, Eigen::Index{160}}) {  // 160: a 20-row tail batch,
    // which runs on one shard, so the replicas must pick up the values of a step they did not take part in
    TrainOptions o;
    o.epochs = 8;
    o.batch = batch;
    o.optimizer = {.kind = OptimizerKind::kAdam, .lr = 0.01};
    o.seed = 4;
    Model<float> serial = mlp("mlp:2-32-32-2", "tanh", 2, 2);
    auto r1 = train(serial, d.view(), nullptr, o);
    ASSERT_TRUE(r1) << r1.status().message();
    for (int threads : {2, 3}) {
      o.threads = threads;
      Model<float> a = mlp("mlp:2-32-32-2", "tanh", 2, 2), b = mlp("mlp:2-32-32-2", "tanh", 2, 2);
      auto ra = train(a, d.view(), nullptr, o);
      auto rb = train(b, d.view(), nullptr, o);
      ASSERT_TRUE(ra && rb);
      for (std::size_t e = 0; e < r1->epochs.size(); ++e) {
        EXPECT_NEAR(ra->epochs[e].train_loss, r1->epochs[e].train_loss, 1e-5 * r1->epochs[e].train_loss)
            << "batch " << batch << ", threads " << threads << ", epoch " << e + 1;
        EXPECT_EQ(ra->epochs[e].train_loss, rb->epochs[e].train_loss);
      }
      const auto ps = serial.params(), pa = a.params(), pb = b.params();
      for (std::size_t i = 0; i < ps.size(); ++i) {
        EXPECT_LT((pa[i]->value - ps[i]->value).norm(), 1e-3) << "param " << i;
        EXPECT_EQ(pa[i]->value, pb[i]->value) << "param " << i;
      }
    }
  }
}

// MSE (a mean over rows and outputs) and a learnable activation parameter (PReLU's a) through the shards.
TEST(Trainer, DataParallelRegressionWithALearnableActivation) {
  Rng rng(31);
  const int n = 300;
  MatrixF x(n, 3), y(n, 2);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) x(i, j) = static_cast<float>(rng.normal());
    y(i, 0) = x(i, 0) * x(i, 1);
    y(i, 1) = std::abs(x(i, 2)) - 0.5f;
  }
  const Examples ex{&x, {}, &y};
  for (const Eigen::Index batch : {Eigen::Index{0}, Eigen::Index{100}}) {
    TrainOptions o;
    o.epochs = 10;
    o.batch = batch;
    o.loss = LossKind::kMse;
    o.optimizer = {.kind = OptimizerKind::kAdam, .lr = 0.01};
    o.seed = 8;
    Model<float> serial = mlp("mlp:3-16-16-2", "prelu", 3, 2);
    auto r1 = train(serial, ex, nullptr, o);
    o.threads = 2;
    Model<float> par = mlp("mlp:3-16-16-2", "prelu", 3, 2);
    auto r2 = train(par, ex, nullptr, o);
    ASSERT_TRUE(r1 && r2);
    EXPECT_LT(r1->epochs.back().train_loss, 0.8 * r1->epochs.front().train_loss);
    for (std::size_t e = 0; e < r1->epochs.size(); ++e) {
      EXPECT_NEAR(r2->epochs[e].train_loss, r1->epochs[e].train_loss, 1e-5 * r1->epochs[e].train_loss)
          << "batch " << batch << ", epoch " << e + 1;
    }
    const auto ps = serial.params(), pp = par.params();
    int learnable = 0;
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (ps[i]->name == "weight" || ps[i]->name == "bias") continue;
      ++learnable;  // PReLU's a moved, and moved the same way on both runs
      EXPECT_NE(ps[i]->value(0, 0), 0.25f);
      EXPECT_NEAR(pp[i]->value(0, 0), ps[i]->value(0, 0), 1e-5);
    }
    EXPECT_EQ(learnable, 2);
  }
}

// gumbel_softmax draws noise in evaluation mode too: each chunk has its own stream, derived from the model's
// stream without advancing it, so evaluation repeats itself for any thread count.
TEST(Evaluate, NoiseInEvaluationModeDoesNotDependOnThreads) {
  const Data d = xor_blobs(2500, 24);
  const Activation relu = Activation::make("relu").value(),
                   gumbel = Activation::make("gumbel_softmax").value();
  const Activation acts[] = {relu, gumbel};
  auto m = build_model("mlp:2-8-2", {{2}}, 2, acts);
  ASSERT_TRUE(m);
  const InitSpec he{InitKind::kHe};
  ASSERT_TRUE(initialize(*m, {&he, 1}, 3).is_ok());
  m->set_seed(77);
  const Evaluation one = evaluate(*m, d.view(), LossKind::kCrossEntropy);
  for (int threads : {1, 2, 3}) {
    const Evaluation e = evaluate(*m, d.view(), LossKind::kCrossEntropy, threads);
    EXPECT_EQ(e.loss, one.loss) << threads;
    EXPECT_EQ(e.accuracy, one.accuracy) << threads;
  }
  Rng fresh(77);
  EXPECT_EQ(m->rng().next(), fresh.next());  // the model's stream is where it was
}

// With dropout every shard has its own noise stream: not the serial numbers, but the same for the same
// seed and thread count, and the network still learns.
TEST(Trainer, DataParallelWithDropoutRepeatsItself) {
  const Data d = xor_blobs(400, 22);
  TrainOptions o;
  o.epochs = 30;
  o.batch = 200;
  o.optimizer = {.kind = OptimizerKind::kAdam, .lr = 0.01};
  o.seed = 6;
  o.threads = 2;
  auto run = [&] {
    Model<float> m = mlp("mlp:2-32-32-2", "tanh", 2, 2);
    Model<float> with_dropout({{2}});
    for (std::size_t i = 0; i < m.size(); ++i) {
      EXPECT_TRUE(with_dropout.add(m.layer(i).clone()).is_ok());
      if (i == 1) {
        EXPECT_TRUE(with_dropout.add(Dropout<float>::make({{32}}, 0.2)).is_ok());
      }
    }
    auto r = train(with_dropout, d.view(), nullptr, o);
    EXPECT_TRUE(r);
    return std::make_pair(r->epochs.back().train_loss, evaluate(with_dropout, d.view(), o.loss).accuracy);
  };
  const auto [loss_a, acc_a] = run();
  const auto [loss_b, acc_b] = run();
  EXPECT_EQ(loss_a, loss_b);
  EXPECT_EQ(acc_a, acc_b);
  EXPECT_GE(acc_a, 0.95);
}

// The cosine schedule is stepped per batch: epoch e's last step is step e·B − 1 of E·B (B batches an epoch).
TEST(Trainer, CosineScheduleRunsOverEveryStep) {
  const Data d = xor_blobs(100, 23);
  TrainOptions o;
  o.epochs = 4;
  o.batch = 30;  // 4 batches an epoch, the last one of 10 rows
  o.optimizer = {.kind = OptimizerKind::kSgd, .lr = 0.2};
  o.schedule = optim::parse_lr_schedule("cosine:min=0.02").value();
  Model<float> m = mlp("mlp:2-8-2", "tanh", 2, 2);
  auto r = train(m, d.view(), nullptr, o);
  ASSERT_TRUE(r);
  for (int e = 1; e <= 4; ++e) {
    const double t = (4.0 * e - 1) / 16.0;
    EXPECT_NEAR(r->epochs[e - 1].lr, 0.02 + 0.18 * (1 + std::cos(std::numbers::pi * t)) / 2, 1e-12) << e;
  }
  TrainOptions constant = o;
  constant.schedule = {};
  Model<float> c = mlp("mlp:2-8-2", "tanh", 2, 2);
  auto rc = train(c, d.view(), nullptr, constant);
  ASSERT_TRUE(rc);
  EXPECT_EQ(rc->epochs.back().lr, 0.2);
  EXPECT_NE(rc->epochs.back().train_loss, r->epochs.back().train_loss);
}

TEST(Evaluate, CrossEntropyAndAccuracyInChunks) {
  // The model is the identity on 2 features, so row i's logits are (t_i, 0): loss log(1 + e^{∓t}).
  const int n = 2500;  // more than two 1024-row chunks
  Model<float> m({{2}});
  ASSERT_TRUE(m.add(std::make_unique<Dense<float>>(2, 2)).is_ok());
  dynamic_cast<Dense<float>&>(m.layer(0)).weight().value.setIdentity();
  MatrixF x = MatrixF::Zero(n, 2);
  std::vector<int> labels(n);
  double loss = 0, correct = 0;
  for (int i = 0; i < n; ++i) {
    const float t = static_cast<float>(std::sin(0.37 * i) * 3);
    x(i, 0) = t;
    labels[i] = i % 3 == 0;
    loss += labels[i] ? std::log1p(std::exp(static_cast<double>(t)))
                      : std::log1p(std::exp(-static_cast<double>(t)));
    correct += labels[i] ? t < 0 : t >= 0;  // a tie at t = 0 goes to class 0
  }
  const Evaluation ev = evaluate(m, {&x, labels, nullptr}, LossKind::kCrossEntropy);
  EXPECT_NEAR(ev.loss, loss / n, 1e-6);
  EXPECT_DOUBLE_EQ(ev.accuracy, correct / n);
  // Chunks spread over threads are summed in chunk order: the same numbers bit for bit.
  for (int threads : {2, 3}) {
    const Evaluation et = evaluate(m, {&x, labels, nullptr}, LossKind::kCrossEntropy, threads);
    EXPECT_EQ(et.loss, ev.loss) << threads;
    EXPECT_EQ(et.accuracy, ev.accuracy) << threads;
  }
  // mse against zero targets: mean of t²/2.
  const MatrixF zeros = MatrixF::Zero(n, 2);
  const Evaluation se = evaluate(m, {&x, {}, &zeros}, LossKind::kMse);
  EXPECT_NEAR(se.loss, x.cast<double>().squaredNorm() / (2.0 * n), 1e-6);
  EXPECT_TRUE(std::isnan(se.accuracy));
}

}  // namespace
}  // namespace actlab::nn
