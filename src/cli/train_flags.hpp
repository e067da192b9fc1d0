// The training flags that `actlab train` and `actlab compare` share (docs/training.md, docs/lab.md):
// the data source and split, the architecture, the initialisation, the optimiser and its schedule, early
// stopping, standardisation, the seed and the threads.
//
//   auto f = std::make_shared<TrainingFlags>();
//   add_training_flags(cmd, *f);                  // --data ... --threads, in `actlab train`'s order
//   auto plan = training_plan(*f);                // Result<lab::TrainPlan>; errors name the flag
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "data/prepare.hpp"
#include "lab/train.hpp"

namespace actlab::cli {

// --data, --target, --rows, --data-seed: the source part of a data plan.
struct DataFlags {
  std::string data, target;
  std::size_t rows = 0;
  std::int64_t data_seed = -1;  // generators: < 0 means the command's seed

  data::DataPlan plan(std::uint64_t seed) const {
    return {.source = data, .target = target, .rows = rows, .data_seed = data_seed, .seed = seed};
  }
};

struct TrainingFlags {
  DataFlags data;
  std::string model = "mlp:64x10", act = "relu", init = "he", opt = "adam", batch = "full";
  std::string early_stop = "none", standardize = "auto", loss, lr_schedule = "constant";
  double lr = 1e-3, momentum = 0, weight_decay = 0, val = 0, test = 0.3, clip = 0;
  bool nesterov = false;
  int epochs = 10, patience = 10, threads = 1;
  std::uint64_t seed = 0;
  std::optional<double> input_scale;
};

// What a command changes in the shared set.
struct TrainingFlagOptions {
  bool act = true;  // register --act (compare takes its activations from --arms)
  const char* init_help =
      "torch | he | glorot | lecun | orthogonal | gaussian:sigma_w=W,sigma_b=B | "
      "critical[:sigma_b=B]";
  const char* seed_help = "Seed of the split, the weights and the shuffling";
};

// Registers --data ... --threads on `cmd` (the order `actlab train --help` shows).
void add_training_flags(CLI::App* cmd, TrainingFlags& f, const TrainingFlagOptions& options = {});

// Flags → plan (seed in data, model and options). Errors name the flag.
Result<lab::TrainPlan> training_plan(const TrainingFlags& f);

}  // namespace actlab::cli
