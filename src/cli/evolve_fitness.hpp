// The fitness of an activation triple for `actlab evolve` (Lapid & Sipper's protocol,
// ../shared/specs/search-alacarte-evolution.md §2.5–2.8): train the network with the triple in its three
// slots for a few epochs and take the best validation accuracy; and the final comparison, where the chosen
// triple and the baseline are trained from scratch on train ∪ validation and scored on the test set.
//
//   auto d = prepare_evolve_data(cfg);                               // splits, normalisation
//   FitnessResult r = evolve_fitness(cfg, *d, {"relu(x)", "tanh(x)", "elu(x)"});
//   FinalRun f = final_training(cfg, *d, triple, /*replicate=*/0);
//
// Data: the official test set when the source has one (fashion-mnist's t10k), else a stratified 30% of the
// rows; `train_fraction` of the remaining rows is drawn (seeded), and `val_fraction` of those is the
// validation set. Images are normalised by one mean and standard deviation of the training pixels (the
// paper's per-data-set constants), tables per feature (both fitted on the training rows only).
// Training: Adam (lr 0.01 in the paper), batch = |train ∪ val| / 10 unless given (the paper's ten
// minibatches per epoch), PyTorch's default initialisation; one seed for every candidate (common random
// numbers: candidates differ only by their activations), another per final replicate.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "data/dataset.hpp"
#include "evolve/evolution.hpp"

namespace actlab::cli {

struct EvolveConfig {
  std::string data, target, net = "fcn:lapid", init = "torch";
  double train_fraction = 1.0, val_fraction = 0.2, lr = 0.01;
  int epochs = 3, batch = 0;  // batch 0: (train + val rows) / 10
  std::uint64_t seed = 1;

  // What a stored study keeps to rebuild the fitness on another machine.
  Json to_json() const;
  static Result<EvolveConfig> from_json(const Json& j);
};

struct EvolveData {
  data::Dataset train, val, test, train_val;  // train_val: train ∪ val, for the final training
  std::vector<int> input_shape;
  int batch = 0;
  Json describe() const;
};

Result<EvolveData> prepare_evolve_data(const EvolveConfig& cfg);

// Best validation accuracy over cfg.epochs epochs; a non-finite loss or output is a failure with the reason.
evolve::FitnessResult evolve_fitness(const EvolveConfig& cfg, const EvolveData& d, const evolve::Triple& t);

struct FinalRun {
  bool ok = false;
  std::string reason;
  double test_acc = 0;  // after the last epoch
  double peak_acc = 0;  // best test accuracy over the epochs (the paper's optimistic number)
  double seconds = 0;
};
FinalRun final_training(const EvolveConfig& cfg, const EvolveData& d, const evolve::Triple& t, int epochs,
                        int replicate);

}  // namespace actlab::cli
