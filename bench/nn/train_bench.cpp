// Training-step throughput of the three reference workloads of issue 4 (docs/benchmarks.md, "Training"):
//   BM_AlacarteEpoch   10 × Linear(64) ReLU + softmax, full-batch Adam, 1000 rows × 16 features
//   BM_MlpStep         784-256-256-10 ReLU, Adam, batches of 128 (time per step over a 16-step epoch)
//   BM_LapidCnnStep    the Lapid CNN, Adam, batches of 128 (time per step over a 4-step epoch)
// Each verifies first that a few steps lower the loss (and stops with an error if not), then times steps.
// The side-by-side comparison with PyTorch is bench/compare/run_train_speed.sh.

#include <benchmark/benchmark.h>

#include "activations/activation.hpp"
#include "nn/architecture.hpp"
#include "nn/init.hpp"
#include "nn/trainer.hpp"

namespace actlab::nn {
namespace {

struct Workload {
  Model<float> model;
  MatrixF x;
  std::vector<int> labels;
};

Workload make(const char* spec, Shape input, int rows, int classes, std::vector<std::string> act_names) {
  std::vector<activations::Activation> acts;
  for (const auto& a : act_names) acts.push_back(activations::Activation::make(a).value());
  Workload w{build_model(spec, input, classes, acts).value(), MatrixF(rows, input.size()), {}};
  const InitSpec he{InitKind::kHe};
  (void)initialize(w.model, {&he, 1}, 1);
  Rng rng(7);
  for (Eigen::Index i = 0; i < w.x.size(); ++i) w.x.data()[i] = static_cast<float>(rng.normal());
  for (int r = 0; r < rows; ++r) w.labels.push_back(w.x(r, 0) > 0 ? 1 : (w.x(r, 1) > 0 ? 2 % classes : 0));
  return w;
}

// steps: mini-batches per timed epoch (the rows are steps × batch); 1 = full batch.
void run(benchmark::State& state, Workload& w, int steps) {
  TrainOptions o;
  o.epochs = 5;
  o.batch = steps == 1 ? 0 : w.x.rows() / steps;
  o.optimizer = {.kind = optim::OptimizerKind::kAdam, .lr = 1e-3};
  Examples ex{&w.x, w.labels, nullptr};
  auto check = train(w.model, ex, nullptr, o);
  if (!check || check->epochs.back().train_loss >= check->epochs.front().train_loss) {
    state.SkipWithError("verification failed: the loss did not go down over 5 steps");
    return;
  }
  o.epochs = 1;
  for (auto _ : state) {
    auto r = train(w.model, ex, nullptr, o);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * steps);  // items/s = optimiser steps per second
}

void BM_AlacarteEpoch(benchmark::State& state) {
  std::vector<std::string> acts(9, "relu");
  acts.push_back("softmax");
  Workload w = make("mlp:64x10", {{16}}, 1000, 3, acts);
  run(state, w, 1);
}
BENCHMARK(BM_AlacarteEpoch)->Unit(benchmark::kMillisecond);

void BM_MlpStep(benchmark::State& state) {
  Workload w = make("mlp:784-256-256-10", {{784}}, 16 * 128, 10, {"relu"});
  run(state, w, 16);
}
BENCHMARK(BM_MlpStep)->Unit(benchmark::kMillisecond);

void BM_LapidCnnStep(benchmark::State& state) {
  Workload w = make("cnn:lapid", {{1, 28, 28}}, 4 * 128, 10, {"relu"});
  run(state, w, 4);
}
BENCHMARK(BM_LapidCnnStep)->Unit(benchmark::kMillisecond);

// This core's single-precision GEMM rate through Eigen (the denominator of "% of sgemm peak" in
// docs/benchmarks.md): C = A·B for n × n row-major matrices, checked against a dot product first.
void BM_SgemmPeak(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  MatrixF a = MatrixF::Random(n, n), b = MatrixF::Random(n, n), c(n, n);
  c.noalias() = a * b;
  const double ref = a.row(3).cast<double>().dot(b.col(5).cast<double>());
  if (std::abs(c(3, 5) - ref) > 1e-3 * (1 + std::abs(ref))) {
    state.SkipWithError("verification failed: GEMM element differs from its dot product");
    return;
  }
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
  }
  state.counters["GFLOPs"] = benchmark::Counter(
      2.0 * n * n * n, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_SgemmPeak)->Arg(512)->Arg(1024)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace actlab::nn
