// The à-la-carte objective (Sipper, arXiv 2206.12166; ../shared/specs/search-alacarte-evolution.md §1): one
// categorical parameter per layer over the 48-function menu, a network mlp:64xL whose L dense layers each end
// in the chosen activation (the last one is the output activation), full-batch Adam lr 1e-3 for at most 300
// epochs with the paper's early stop on training accuracy. Differences from the original code (spec §1.8):
// the trial value is the accuracy on a validation split carved from the training part (not training
// accuracy), and a trial whose loss, gradient or validation outputs are not finite is FAIL with the reason.
//
//   AlacarteSetup s;  s.data = "iris";  s.layers = 5;  s.split_seed = 1;
//   auto d = prepare_alacarte(s);                          // load, split 70/30, carve val, standardise
//   s.fingerprint = d->fingerprint;                        // stored with the study (objective JSON)
//   auto r = train_architecture(s, *d, {"relu", "relu", "relu", "relu", "softmax"}, /*seed=*/7, true);
//   search::Objective f = alacarte_objective(s, *d, /*study seed=*/1);
//
// Every process that joins a study rebuilds the data from the stored setup and checks the fingerprint (a hash
// of the rows, the labels and the split), so all workers, on any machine, train and validate on the same
// rows. This file is the only place that joins search/ and nn/ (STYLE.md: cli wires domains).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/status.hpp"
#include "data/dataset.hpp"
#include "search/space.hpp"
#include "search/study.hpp"

namespace actlab::cli {

// The 48 menu names (catalog entries with in_menu, in the order of Sipper's ALAYERS list).
const std::vector<std::string>& alacarte_menu();

// Everything that defines a trial's data and training; stored as the study's objective JSON.
struct AlacarteSetup {
  std::string data;    // --data: built-in name or CSV file
  std::string target;  // --target: CSV target column ("" = last)
  int layers = 5;      // dense layers = searched activations (the last is the output activation)
  int width = 64;
  std::uint64_t split_seed = 0;
  double test = 0.3;  // fraction of all rows held out for test
  double val = 0.25;  // fraction of the training part carved out for validation (selection)
  std::string init = "torch";
  int epochs = 300;
  double lr = 1e-3;
  int patience = 10;        // early stop: epochs with train_acc[e] − train_acc[e−1] < 0.001
  std::string fingerprint;  // of the prepared data; "" until prepared

  Status validate() const;      // errors name the flag (--layers, --val, ...)
  search::Space space() const;  // activation0 .. activation{L-1}, each over the menu
  Json to_json() const;         // {"name":"alacarte", ...}
  static Result<AlacarteSetup> from_json(const Json& j);
};

struct AlacarteData {
  std::string name;
  std::size_t rows = 0, features = 0;
  int classes = 0;
  data::Dataset train, val, test;  // standardised with the training rows' mean and scale
  std::string fingerprint;         // 16 hex digits
};

// Loads, splits (stratified: test, then val out of the rest) and standardises. Errors name --data/--target.
Result<AlacarteData> prepare_alacarte(const AlacarteSetup& s);

struct ArchResult {
  bool ok = false;
  std::string reason;  // why not ok
  double train_acc = 0, val_acc = 0, test_acc = 0;
  int epochs = 0;
  std::string stop;  // the trainer's stop reason
};

// Trains mlp:{width}x{layers} with these activations (menu names or any activation spec) on d.train with
// weight seed `seed`, then measures validation (and, when asked, test) accuracy.
ArchResult train_architecture(const AlacarteSetup& s, const AlacarteData& d,
                              const std::vector<std::string>& acts, std::uint64_t seed, bool with_test);

// The weight seed of trial `number` of a study with seed `study_seed` (retraining the best trial reuses it).
std::uint64_t alacarte_trial_seed(std::uint64_t study_seed, std::int64_t number);

// The study objective: value = validation accuracy; FAIL with the reason when training or validation is not
// finite. `d` must outlive the objective.
search::Objective alacarte_objective(const AlacarteSetup& s, const AlacarteData& d, std::uint64_t study_seed);

// Activation names of a trial, in layer order, from its external parameters {"activation0": "relu", ...}.
std::vector<std::string> alacarte_acts(const Json& params, int layers);

}  // namespace actlab::cli
