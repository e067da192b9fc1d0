// Training loop: mini-batch or full-batch gradient descent with any optim::Optimizer, early stopping,
// gradient clipping, and divergence detection.
//
//   Examples tr{&x_train, labels_train, nullptr}, va{&x_val, labels_val, nullptr};
//   TrainOptions o;  o.epochs = 5;  o.batch = 128;  o.optimizer = {.kind = OptimizerKind::kAdam, .lr = 1e-3};
//   auto report = train(model, tr, &va, o, [](const EpochStats& e) { return true; /* keep going */ });
//
// One epoch = one pass over the training rows in a seeded shuffled order (Rng::derive(seed, "shuffle",
// epoch)), in batches of `batch` rows (the last one smaller), or one full-batch step when batch = 0 (the
// à-la-carte setup, docs/search.md). A non-finite loss or gradient stops training with StopReason::kDiverged
// and the epoch where it happened; the model keeps its last finite weights' successor (the step is not
// taken). Same seed and thread count → the same numbers.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "nn/loss.hpp"
#include "nn/model.hpp"
#include "optim/optimizer.hpp"
#include "optim/schedule.hpp"

namespace actlab::nn {

// A view of some rows: features and either class labels or regression targets.
struct Examples {
  const MatrixF* x = nullptr;
  std::span<const int> labels;       // classification
  const MatrixF* targets = nullptr;  // regression (B × outputs)
  Eigen::Index rows() const { return x ? x->rows() : 0; }
};

struct EarlyStop {
  enum class Rule {
    kNone,
    kTrainAccPlateau,  // à-la-carte: count epochs where train_acc[e] − train_acc[e−1] < min_delta (eval-mode
                       // training accuracy); stop when the count reaches patience; reset on improvement
    kValLoss,  // stop after `patience` epochs without the validation loss improving by min_delta
  };
  Rule rule = Rule::kNone;
  double min_delta = 0.001;
  int patience = 10;
};

struct TrainOptions {
  int epochs = 10;
  Eigen::Index batch = 0;  // 0: full batch
  LossKind loss = LossKind::kCrossEntropy;
  optim::OptimizerOptions optimizer;
  optim::LrSchedule schedule;  // learning rate per step from optimizer.lr (constant by default)
  double clip_norm = 0.0;      // > 0: clip the global gradient norm (torch clip_grad_norm_)
  EarlyStop early_stop;
  bool eval_train = false;  // train metrics from an evaluation-mode pass after each epoch (forced by the
                            // train-accuracy rule) instead of the running mean over the epoch's batches
  std::uint64_t seed = 0;   // shuffling and the model's noise stream
  // Data-parallel workers (0: ACTLAB_THREADS or every core). A batch is cut into at most `threads` shards of
  // ≥ 16 rows, one per thread, each on its own copy of the model. The numbers depend on the number of shards
  // (float sums in another order, other noise streams), so same seed and thread count → same numbers; 1
  // thread gives exactly the serial loop's numbers.
  int threads = 1;
};

struct EpochStats {
  int epoch = 0;                         // 1-based
  double train_loss = 0, train_acc = 0;  // accuracy NaN for regression
  double val_loss = 0, val_acc = 0;      // NaN when there is no validation set
  double lr = 0;                         // the learning rate of the epoch's last step
  double seconds = 0;                    // wall time since training started
};

// Why training ended.
enum class StopReason {
  kCompleted,  // every epoch ran
  kEarlyStop,  // the early-stopping rule fired
  kDiverged,   // a non-finite loss or gradient
  kStopped,    // the epoch callback returned false
};
// "completed", "early_stop", "diverged", "stopped": the names the JSON results and the text use.
const char* stop_reason_name(StopReason r);

struct TrainReport {
  std::vector<EpochStats> epochs;
  StopReason stop_reason = StopReason::kCompleted;
  int diverged_epoch = 0;  // the epoch where a non-finite loss or gradient appeared
  std::string message;     // for "diverged": what was not finite
  double seconds = 0;
};

// Called after every epoch; return false to stop.
using EpochCallback = std::function<bool(const EpochStats&)>;

Result<TrainReport> train(Model<float>& model, const Examples& train, const Examples* val,
                          const TrainOptions& options, const EpochCallback& on_epoch = {});

struct Evaluation {
  double loss = 0, accuracy = 0;  // accuracy NaN for regression
};
// Evaluation mode, in chunks of 1024 rows, spread over `threads` copies of the model (0: every core). The
// result does not depend on the thread count: chunk results are summed in chunk order, and noise drawn in
// evaluation mode (gumbel_softmax) comes from a stream per chunk derived from the model's stream, which is
// left where it was.
Evaluation evaluate(Model<float>& model, const Examples& data, LossKind loss, int threads = 1);

}  // namespace actlab::nn
