// actlab's trainer against PyTorch (tests/golden/torch_training.json, from tools/gen_torch_train_golden.py):
// the same initial weights (exported by tools/export_torch_model.py), data and optimiser give the same loss
// at every full-batch step and the same first-layer weights after the last step. MLPs, a CNN with padding,
// an output softmax under cross-entropy with a learnable PReLU, an MSE regression, and the learning-rate
// schedules (CosineAnnealingLR, StepLR, ExponentialLR).
#include <gtest/gtest.h>

#include "nn/conv2d.hpp"
#include "nn/dense.hpp"
#include "nn/trainer.hpp"
#include "support/golden.hpp"

namespace actlab::nn {
namespace {

using testing::close;

MatrixF matrix(const Json& rows) {
  MatrixF m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) m(r, c) = rows[r][c].get<float>();
  return m;
}

optim::OptimizerOptions options(const Json& c) {
  optim::OptimizerOptions o;
  o.kind = optim::parse_optimizer_kind(c["optimizer"].get<std::string>()).value();
  const Json& j = c["options"];
  o.lr = j.value("lr", o.lr);
  o.momentum = j.value("momentum", o.momentum);
  o.nesterov = j.value("nesterov", o.nesterov);
  o.weight_decay = j.value("weight_decay", o.weight_decay);
  return o;
}

TEST(TorchTraining, SameLossesAndWeightsAsPyTorch) {
  const Json g = testing::read_golden("torch_training.json");
  ASSERT_GE(g["cases"].size(), 8u);
  for (const Json& c : g["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto model = model_from_json<float>(c["model"], "golden");
    ASSERT_TRUE(model) << model.status().message();
    const MatrixF x = matrix(c["x"]);
    std::vector<int> labels;
    MatrixF targets;
    TrainOptions o;
    o.epochs = g["steps"].get<int>();
    o.batch = 0;
    o.loss = parse_loss(c["loss"].get<std::string>()).value();
    o.optimizer = options(c);
    if (c.contains("schedule"))
      o.schedule = optim::parse_lr_schedule(c["schedule"].get<std::string>()).value();
    Examples ex{&x, {}, nullptr};
    if (o.loss == LossKind::kCrossEntropy) {
      labels = c["target"].get<std::vector<int>>();
      ex.labels = labels;
    } else {
      targets = matrix(c["target"]);
      ex.targets = &targets;
    }
    auto report = train(*model, ex, nullptr, o);
    ASSERT_TRUE(report) << report.status().message();
    ASSERT_EQ(report->epochs.size(), c["losses"].size());
    for (std::size_t i = 0; i < report->epochs.size(); ++i) {
      EXPECT_TRUE(close(report->epochs[i].train_loss, c["losses"][i].get<double>(), 1e-5, 1e-6))
          << "step " << i << ": actlab " << report->epochs[i].train_loss << ", torch " << c["losses"][i];
    }
    // First weighted layer after the last step.
    const MatrixF expected = matrix(c["first_weight_after"]);
    MatrixF got;
    for (std::size_t i = 0; i < model->size() && got.size() == 0; ++i) {
      if (auto* d = dynamic_cast<Dense<float>*>(&model->layer(i))) got = d->weight().value;
      if (auto* k = dynamic_cast<Conv2d<float>*>(&model->layer(i))) got = k->weight().value;
    }
    ASSERT_EQ(got.rows(), expected.rows());
    ASSERT_EQ(got.cols(), expected.cols());
    for (Eigen::Index i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(close(got.data()[i], expected.data()[i], 1e-4, 1e-5))
          << "weight " << i << ": actlab " << got.data()[i] << ", torch " << expected.data()[i];
    }
  }
}

}  // namespace
}  // namespace actlab::nn
