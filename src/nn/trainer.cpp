#include "nn/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include "core/thread_pool.hpp"
#include "optim/clip.hpp"

namespace actlab::nn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A shard smaller than this is not worth a thread: 16 rows of a width-64 MLP are ~40 µs of work, against
// ~10 µs to hand a shard to a thread and wait for it; 16 rows of a CNN are milliseconds.
constexpr Eigen::Index kMinShardRows = 16;

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

namespace {

// One chunk of an evaluation: its summed loss and its correct count.
struct ChunkResult {
  double loss = 0;
  std::size_t correct = 0;
};

ChunkResult evaluate_chunk(Model<float>& model, const Examples& data, LossKind loss, Eigen::Index r,
                           Eigen::Index n, MatrixF& xb, MatrixF& tb, std::uint64_t noise_seed) {
  model.rng() = Rng::derive(noise_seed, "eval-chunk", static_cast<std::uint64_t>(r));
  xb = data.x->middleRows(r, n);
  const MatrixF& out = model.forward(xb, Mode::kInfer);
  std::span<const int> labels;
  ChunkResult c;
  if (loss == LossKind::kCrossEntropy) {
    labels = data.labels.subspan(static_cast<std::size_t>(r), static_cast<std::size_t>(n));
    c.correct = correct_count(out, labels);
  } else {
    tb = data.targets->middleRows(r, n);
  }
  c.loss = batch_loss(loss, out, labels, &tb, nullptr) * static_cast<double>(n);
  return c;
}

}  // namespace

Evaluation evaluate(Model<float>& model, const Examples& data, LossKind loss, int threads) {
  constexpr Eigen::Index kChunk = 1024;
  const Eigen::Index rows = data.rows();
  const std::size_t chunks = static_cast<std::size_t>((rows + kChunk - 1) / kChunk);
  const int workers = static_cast<int>(std::min<std::size_t>(
      chunks, static_cast<std::size_t>(threads > 0 ? threads : default_thread_count())));
  // Chunk results are summed in chunk order, so the numbers do not depend on the thread count. Noise that
  // evaluation mode still draws (gumbel_softmax) comes from a stream per chunk, derived from the model's
  // stream without advancing it: any thread count gives the same numbers, and evaluating does not change the
  // noise a later training step draws.
  const Rng saved = model.rng();
  const std::uint64_t noise_seed = Rng(saved).next();
  std::vector<ChunkResult> results(chunks);
  std::vector<MatrixF> xb(static_cast<std::size_t>(std::max(workers, 1))), tb(xb.size());
  if (workers <= 1) {
    for (std::size_t c = 0; c < chunks; ++c) {
      const Eigen::Index r = static_cast<Eigen::Index>(c) * kChunk;
      results[c] = evaluate_chunk(model, data, loss, r, std::min(kChunk, rows - r), xb[0], tb[0], noise_seed);
    }
  } else {
    std::vector<Model<float>> replicas;
    for (int w = 1; w < workers; ++w) replicas.push_back(model.clone());
    ThreadPool pool(workers);
    pool.parallel_for(chunks, [&](std::size_t c, int w) {
      Model<float>& m = w == 0 ? model : replicas[static_cast<std::size_t>(w - 1)];
      const Eigen::Index r = static_cast<Eigen::Index>(c) * kChunk;
      const auto wi = static_cast<std::size_t>(w);
      results[c] = evaluate_chunk(m, data, loss, r, std::min(kChunk, rows - r), xb[wi], tb[wi], noise_seed);
    });
  }
  model.rng() = saved;
  double total = 0;
  std::size_t correct = 0;
  for (const ChunkResult& c : results) {
    total += c.loss;
    correct += c.correct;
  }
  const double n = static_cast<double>(rows);
  return {total / n, loss == LossKind::kCrossEntropy ? static_cast<double>(correct) / n : kNaN};
}

const char* stop_reason_name(StopReason r) {
  switch (r) {
    case StopReason::kCompleted: return "completed";
    case StopReason::kEarlyStop: return "early_stop";
    case StopReason::kDiverged: return "diverged";
    case StopReason::kStopped: return "stopped";
  }
  return "?";
}

Result<TrainReport> train(Model<float>& model, const Examples& tr, const Examples* val, const TrainOptions& o,
                          const EpochCallback& on_epoch) {
  if (o.epochs < 1) return Status::invalid("epochs must be >= 1");
  if (o.batch < 0) return Status::invalid("batch size must be >= 1 (or 0 for full batch)");
  if (o.threads < 0) return Status::invalid("threads must be >= 1 (or 0 for every core)");
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
  const std::vector<Param<float>*> master = model.params();
  std::vector<std::span<float>> grads;
  for (Param<float>* p : master) grads.emplace_back(p->grad.data(), static_cast<std::size_t>(p->grad.size()));

  const bool classify = o.loss == LossKind::kCrossEntropy;
  const bool eval_train = o.eval_train || o.early_stop.rule == EarlyStop::Rule::kTrainAccPlateau;
  const Eigen::Index n = tr.rows();
  const Eigen::Index batch = o.batch == 0 || o.batch >= n ? n : o.batch;
  const bool full = batch == n;
  const int threads = o.threads > 0 ? o.threads : default_thread_count();

  // Data parallelism: a batch of m rows is cut into `shards` contiguous runs of rows, shard s going to
  // worker s with its own replica of the model (shard 0 to the model itself). Each shard's loss gradient
  // is scaled by m_s/m, so the summed parameter gradients are those of the batch mean (summed in shard
  // order: same thread count, same numbers). A replica copies the model's values at the start of each of
  // its shards and has its own noise stream (dropout, rrelu).
  const auto shards_for = [&](Eigen::Index m) {
    return static_cast<int>(std::clamp<Eigen::Index>(m / kMinShardRows, 1, threads));
  };
  const int max_shards = shards_for(batch);
  std::vector<Model<float>> replicas;
  for (int s = 1; s < max_shards; ++s) {
    replicas.push_back(model.clone());
    replicas.back().set_seed(Rng::derive(o.seed, "model-noise", static_cast<std::uint64_t>(s)).next());
  }
  std::vector<std::vector<Param<float>*>> replica_params;
  for (Model<float>& r : replicas) replica_params.push_back(r.params());
  std::optional<ThreadPool> pool;
  if (max_shards > 1) pool.emplace(max_shards);
  struct Shard {
    MatrixF x, targets, dout;
    std::vector<int> labels;
    Eigen::Index rows = 0;
    double loss = 0;
    std::size_t correct = 0;
  };
  std::vector<Shard> shard(static_cast<std::size_t>(max_shards));
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});

  // Gathers rows order[first .. first+m) into sh (one copy, prefetching a few rows ahead).
  const auto gather = [&](Shard& sh, Eigen::Index first, Eigen::Index m) {
    sh.x.resize(m, tr.x->cols());
    if (classify)
      sh.labels.resize(static_cast<std::size_t>(m));
    else
      sh.targets.resize(m, tr.targets->cols());
    for (Eigen::Index i = 0; i < m; ++i) {
      const Eigen::Index r = order[static_cast<std::size_t>(first + i)];
      if (i + 8 < m) {  // shuffled rows are cache misses: ask for a row a few copies ahead
        const float* ahead = tr.x->data() + order[static_cast<std::size_t>(first + i + 8)] * tr.x->cols();
        for (Eigen::Index c = 0; c < tr.x->cols(); c += 16) __builtin_prefetch(ahead + c);
      }
      sh.x.row(i) = tr.x->row(r);
      if (classify)
        sh.labels[static_cast<std::size_t>(i)] = tr.labels[static_cast<std::size_t>(r)];
      else
        sh.targets.row(i) = tr.targets->row(r);
    }
  };
  // Forward, loss and backward of rows order[first .. first+m) on `net`; the loss gradient is scaled by
  // `weight` (the shard's share of the batch). With `in_place`, the rows are tr's own (full batch, 1 shard).
  const auto run_shard = [&](Model<float>& net, Shard& sh, Eigen::Index first, Eigen::Index m, double weight,
                             bool in_place) {
    const MatrixF* x = tr.x;
    std::span<const int> labels = tr.labels;
    const MatrixF* targets = tr.targets;
    if (!in_place) {
      gather(sh, first, m);
      x = &sh.x;
      labels = sh.labels;
      targets = &sh.targets;
    }
    sh.rows = m;
    const MatrixF& out = net.forward(*x, Mode::kTrain);
    sh.loss = batch_loss(o.loss, out, labels, targets, &sh.dout);
    sh.correct = classify && !eval_train ? correct_count(out, labels) : 0;
    net.zero_grad();
    if (!std::isfinite(sh.loss)) return;
    if (weight != 1.0) sh.dout *= static_cast<float>(weight);
    net.backward(sh.dout);
  };

  const long batches_per_epoch = static_cast<long>((n + batch - 1) / batch);
  optim::ScheduleClock clock{.epoch = 1, .step = 0, .total_steps = batches_per_epoch * o.epochs};
  double lr = o.optimizer.lr;

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
      const int shards = shards_for(m);
      double loss = 0;
      if (shards == 1) {
        run_shard(model, shard[0], start, m, 1.0, full);
        loss = shard[0].loss;
        correct += shard[0].correct;
      } else {
        pool->parallel_for(static_cast<std::size_t>(shards), [&](std::size_t s, int) {
          const Eigen::Index first = m * static_cast<Eigen::Index>(s) / shards;
          const Eigen::Index last = m * static_cast<Eigen::Index>(s + 1) / shards;
          if (s > 0) {  // the model's values after the last step
            for (std::size_t i = 0; i < master.size(); ++i)
              replica_params[s - 1][i]->value = master[i]->value;
          }
          run_shard(s == 0 ? model : replicas[s - 1], shard[s], start + first, last - first,
                    static_cast<double>(last - first) / static_cast<double>(m), false);
        });
        for (std::size_t s = 0; s < static_cast<std::size_t>(shards); ++s) {
          loss += shard[s].loss * static_cast<double>(shard[s].rows) / static_cast<double>(m);
          correct += shard[s].correct;
          if (s == 0) continue;
          for (std::size_t i = 0; i < master.size(); ++i) master[i]->grad += replica_params[s - 1][i]->grad;
        }
      }
      bool finite = std::isfinite(loss);
      if (finite) {
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
        report.stop_reason = StopReason::kDiverged;
        report.diverged_epoch = epoch;
        report.seconds = elapsed();
        return report;
      }
      clock.epoch = epoch;
      lr = o.schedule.lr(o.optimizer.lr, clock);
      (*opt)->set_lr(lr);
      (*opt)->step(blocks);
      ++clock.step;
      loss_sum += loss * static_cast<double>(m);
    }
    EpochStats e;
    e.epoch = epoch;
    e.lr = lr;
    if (eval_train) {
      const Evaluation ev = evaluate(model, tr, o.loss, threads);
      e.train_loss = ev.loss;
      e.train_acc = ev.accuracy;
    } else {
      e.train_loss = loss_sum / static_cast<double>(n);
      e.train_acc = classify ? static_cast<double>(correct) / static_cast<double>(n) : kNaN;
    }
    e.val_loss = e.val_acc = kNaN;
    if (val) {
      const Evaluation ev = evaluate(model, *val, o.loss, threads);
      e.val_loss = ev.loss;
      e.val_acc = ev.accuracy;
    }
    e.seconds = elapsed();
    report.epochs.push_back(e);
    if (!std::isfinite(e.train_loss)) {
      report.stop_reason = StopReason::kDiverged;
      report.diverged_epoch = epoch;
      report.message = "training loss is not finite after the epoch";
      break;
    }
    if (on_epoch && !on_epoch(e)) {
      report.stop_reason = StopReason::kStopped;
      break;
    }
    if (o.early_stop.rule == EarlyStop::Rule::kTrainAccPlateau && report.epochs.size() >= 2) {
      const double prev = report.epochs[report.epochs.size() - 2].train_acc;
      stall = e.train_acc - prev < o.early_stop.min_delta ? stall + 1 : 0;
      if (stall >= o.early_stop.patience) {
        report.stop_reason = StopReason::kEarlyStop;
        break;
      }
    } else if (o.early_stop.rule == EarlyStop::Rule::kValLoss) {
      if (e.val_loss < best_val - o.early_stop.min_delta) {
        best_val = e.val_loss;
        stall = 0;
      } else if (++stall >= o.early_stop.patience) {
        report.stop_reason = StopReason::kEarlyStop;
        break;
      }
    }
  }
  report.seconds = elapsed();
  return report;
}

}  // namespace actlab::nn
