#include "nn/trainer.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>

#include "optim/clip.hpp"

namespace actlab::nn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Status check_examples(const Examples& e, const Model<float>& m, LossKind loss, const char* what) {
  if (!e.x || e.x->rows() == 0) return Status::invalid(std::string(what) + " set is empty");
  if (e.x->cols() != m.input_shape().size()) {
    return Status::invalid(std::string(what) + " rows have " + std::to_string(e.x->cols()) +
                           " features but the model takes " + std::to_string(m.input_shape().size()));
  }
  const int outputs = m.output_shape().size();
  if (loss == LossKind::kCrossEntropy) {
    if (static_cast<Eigen::Index>(e.labels.size()) != e.x->rows()) {
      return Status::invalid(std::string(what) + " set: cross-entropy needs one class label per row");
    }
    for (int l : e.labels) {
      if (l < 0 || l >= outputs) {
        return Status::invalid(std::string(what) + " set has class " + std::to_string(l) +
                               " but the model has " + std::to_string(outputs) + " outputs");
      }
    }
  } else if (!e.targets || e.targets->rows() != e.x->rows() || e.targets->cols() != outputs) {
    return Status::invalid(std::string(what) + " set: mse needs a target matrix of rows × " +
                           std::to_string(outputs));
  }
  return Status::ok();
}

double batch_loss(LossKind kind, const MatrixF& out, std::span<const int> labels, const MatrixF* targets,
                  MatrixF* dout) {
  return kind == LossKind::kCrossEntropy ? cross_entropy(out, labels, dout) : mse(out, *targets, dout);
}

}  // namespace

Evaluation evaluate(Model<float>& model, const Examples& data, LossKind loss) {
  constexpr Eigen::Index kChunk = 1024;
  double total = 0;
  std::size_t correct = 0;
  MatrixF xb, tb;
  for (Eigen::Index r = 0; r < data.rows(); r += kChunk) {
    const Eigen::Index n = std::min(kChunk, data.rows() - r);
    xb = data.x->middleRows(r, n);
    const MatrixF& out = model.forward(xb, Mode::kInfer);
    std::span<const int> labels;
    if (loss == LossKind::kCrossEntropy) {
      labels = data.labels.subspan(static_cast<std::size_t>(r), static_cast<std::size_t>(n));
      correct += correct_count(out, labels);
    } else {
      tb = data.targets->middleRows(r, n);
    }
    total += batch_loss(loss, out, labels, &tb, nullptr) * static_cast<double>(n);
  }
  const double rows = static_cast<double>(data.rows());
  return {total / rows, loss == LossKind::kCrossEntropy ? static_cast<double>(correct) / rows : kNaN};
}

Result<TrainReport> train(Model<float>& model, const Examples& tr, const Examples* val, const TrainOptions& o,
                          const EpochCallback& on_epoch) {
  if (o.epochs < 1) return Status::invalid("epochs must be >= 1");
  if (o.batch < 0) return Status::invalid("batch size must be >= 1 (or 0 for full batch)");
  if (Status s = check_examples(tr, model, o.loss, "training"); !s.is_ok()) return s;
  if (val) {
    if (Status s = check_examples(*val, model, o.loss, "validation"); !s.is_ok()) return s;
  }
  if (o.early_stop.rule == EarlyStop::Rule::kValLoss && !val) {
    return Status::invalid("early stopping on validation loss needs a validation set");
  }
  auto opt = optim::make_optimizer(o.optimizer);
  if (!opt) return opt.status();
  model.set_seed(Rng::derive(o.seed, "model-noise").next());
  auto blocks = param_blocks(model);
  std::vector<std::span<float>> grads;
  for (Param<float>* p : model.params())
    grads.emplace_back(p->grad.data(), static_cast<std::size_t>(p->grad.size()));

  const bool classify = o.loss == LossKind::kCrossEntropy;
  const bool eval_train = o.eval_train || o.early_stop.rule == EarlyStop::Rule::kTrainAccPlateau;
  const Eigen::Index n = tr.rows();
  const Eigen::Index batch = o.batch == 0 || o.batch >= n ? n : o.batch;
  const bool full = batch == n;
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  MatrixF xb, tb, dout;
  std::vector<int> lb;

  TrainReport report;
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  double best_val = std::numeric_limits<double>::infinity();
  int stall = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    if (!full) {  // Fisher–Yates with the epoch's own stream
      Rng rng = Rng::derive(o.seed, "shuffle", static_cast<std::uint64_t>(epoch));
      for (Eigen::Index i = n - 1; i > 0; --i) {
        std::swap(order[i], order[rng.next() % static_cast<std::uint64_t>(i + 1)]);
      }
    }
    double loss_sum = 0;
    std::size_t correct = 0;
    for (Eigen::Index start = 0; start < n; start += batch) {
      const Eigen::Index m = std::min(batch, n - start);
      const MatrixF* x = tr.x;
      std::span<const int> labels = tr.labels;
      const MatrixF* targets = tr.targets;
      if (!full) {
        xb.resize(m, tr.x->cols());
        if (classify)
          lb.resize(static_cast<std::size_t>(m));
        else
          tb.resize(m, tr.targets->cols());
        for (Eigen::Index i = 0; i < m; ++i) {
          const Eigen::Index r = order[static_cast<std::size_t>(start + i)];
          if (i + 8 < m) {  // shuffled rows are cache misses: ask for a row a few copies ahead
            const float* ahead = tr.x->data() + order[static_cast<std::size_t>(start + i + 8)] * tr.x->cols();
            for (Eigen::Index c = 0; c < tr.x->cols(); c += 16) __builtin_prefetch(ahead + c);
          }
          xb.row(i) = tr.x->row(r);
          if (classify)
            lb[static_cast<std::size_t>(i)] = tr.labels[static_cast<std::size_t>(r)];
          else
            tb.row(i) = tr.targets->row(r);
        }
        x = &xb;
        labels = lb;
        targets = &tb;
      }
      const MatrixF& out = model.forward(*x, Mode::kTrain);
      const double loss = batch_loss(o.loss, out, labels, targets, &dout);
      if (classify && !eval_train) correct += correct_count(out, labels);
      model.zero_grad();
      bool finite = std::isfinite(loss);
      if (finite) {
        model.backward(dout);
        if (o.clip_norm > 0) {
          finite = std::isfinite(optim::clip_grad_norm(grads, o.clip_norm));
        } else {
          // x·0 is 0 for finite x and NaN for ±inf or NaN, so one vectorised sum tests a whole block
          // (Eigen's allFinite() is a scalar loop: 5% of an MLP epoch).
          for (auto g : grads) {
            const auto a = Eigen::Map<const Eigen::ArrayXf>(g.data(), static_cast<Eigen::Index>(g.size()));
            finite = finite && std::isfinite((a * 0.0f).sum());
          }
        }
        if (!finite) report.message = "gradient is not finite";
      } else {
        report.message = "loss is " + std::string(std::isnan(loss) ? "nan" : "inf");
      }
      if (!finite) {
        report.stop_reason = "diverged";
        report.diverged_epoch = epoch;
        report.seconds = elapsed();
        return report;
      }
      (*opt)->step(blocks);
      loss_sum += loss * static_cast<double>(m);
    }
    EpochStats e;
    e.epoch = epoch;
    if (eval_train) {
      const Evaluation ev = evaluate(model, tr, o.loss);
      e.train_loss = ev.loss;
      e.train_acc = ev.accuracy;
    } else {
      e.train_loss = loss_sum / static_cast<double>(n);
      e.train_acc = classify ? static_cast<double>(correct) / static_cast<double>(n) : kNaN;
    }
    e.val_loss = e.val_acc = kNaN;
    if (val) {
      const Evaluation ev = evaluate(model, *val, o.loss);
      e.val_loss = ev.loss;
      e.val_acc = ev.accuracy;
    }
    e.seconds = elapsed();
    report.epochs.push_back(e);
    if (!std::isfinite(e.train_loss)) {
      report.stop_reason = "diverged";
      report.diverged_epoch = epoch;
      report.message = "training loss is not finite after the epoch";
      break;
    }
    if (on_epoch && !on_epoch(e)) {
      report.stop_reason = "stopped";
      break;
    }
    if (o.early_stop.rule == EarlyStop::Rule::kTrainAccPlateau && report.epochs.size() >= 2) {
      const double prev = report.epochs[report.epochs.size() - 2].train_acc;
      stall = e.train_acc - prev < o.early_stop.min_delta ? stall + 1 : 0;
      if (stall >= o.early_stop.patience) {
        report.stop_reason = "early_stop";
        break;
      }
    } else if (o.early_stop.rule == EarlyStop::Rule::kValLoss) {
      if (e.val_loss < best_val - o.early_stop.min_delta) {
        best_val = e.val_loss;
        stall = 0;
      } else if (++stall >= o.early_stop.patience) {
        report.stop_reason = "early_stop";
        break;
      }
    }
  }
  report.seconds = elapsed();
  return report;
}

}  // namespace actlab::nn
