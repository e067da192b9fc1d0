// One path from a data source to standardised train / validation / test sets, used by every command that
// trains (docs/data.md, "Preparation").
//
//   data::DataPlan p{.source = "iris", .test = 0.3, .val = 0.2, .seed = 1};
//   auto d = data::prepare(p);                 // Result<Prepared>; errors name the plan's field
//   nn::train(model, d->train, ...);           // d->val, d->test; d->standardizer was fitted on d->train
//
// Conventions, in order:
// 1. Load `source` (built-in, generator, CSV, IDX). Generators draw with `data_seed` (or `seed` when it is
//    negative).
// 2. Test: the source's own test set (Fashion-MNIST's t10k) when it has one, else `test` × all rows.
// 3. Validation, by `sampling`:
//    - kStratified: `val` × all rows, drawn with the test rows in one seeded, stratified shuffle
//      (data::split; classification sets keep each class's proportion in every part);
//    - kShuffledPool (Lapid & Sipper's evolution protocol): the non-test rows are shuffled (stream
//      "evolve-split" of `seed`), the first `subsample` of them are used at all, and the first `val` of those
//      are validation.
// 4. Missing feature values (NaN; R data sets with many missing values, data/frame.hpp) are filled with the
//    feature's mean over the training rows only (`Prepared::imputed` counts them).
// 5. Standardisation fitted on the training rows only and applied to every part: per feature (tables), one
//    mean and scale for every feature (images: torchvision's Normalize((m,), (s,))), or none. kAuto picks
//    global for images (C × H × W inputs) and per feature otherwise.
// 6. A fingerprint (FNV-1a over the features, labels and split indices) so that workers on other machines can
//    check that they rebuilt the same rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.hpp"
#include "data/dataset.hpp"

namespace actlab::data {

enum class Standardize { kAuto, kPerFeature, kGlobal, kOff };
enum class Sampling { kStratified, kShuffledPool };

// "auto" | "on" (per feature) | "global" | "off".
Result<Standardize> parse_standardize(const std::string& text);
std::string standardize_name(Standardize s);

struct DataPlan {
  std::string source{};         // built-in name, generator spec, CSV path or IDX directory
  std::string target{};         // CSV target column, by name or index ("" = the last)
  std::size_t rows = 0;         // generators: number of rows (0: the generator's default)
  std::int64_t data_seed = -1;  // generators: seed of the data (< 0: `seed`)
  double test = 0.3;            // fraction of all rows (ignored when the source has its own test set)
  double val = 0.0;             // kStratified: of all rows; kShuffledPool: of the used non-test rows
  double subsample = 1.0;       // kShuffledPool: fraction of the non-test rows used at all
  Sampling sampling = Sampling::kStratified;
  bool stratified = true;  // kStratified on classification data: keep class proportions
  Standardize standardize = Standardize::kAuto;
  int min_classes =
      0;  // > 0: the source must be a classification set with this many classes (field "source")
  bool with_train_val = false;  // also fill Prepared::train_val (train ∪ validation, in row order)
  std::uint64_t seed = 0;       // the split's seed
};

struct Prepared {
  Dataset train, val, test, train_val;           // train_val only when asked
  std::optional<Standardizer> standardizer;      // fitted on the training rows; none when off
  Standardize standardized = Standardize::kOff;  // what kAuto resolved to
  std::size_t rows = 0;                          // rows of the loaded source
  std::size_t imputed = 0;                       // missing cells filled with the training rows' means
  std::string fingerprint;                       // 16 hex digits

  const std::string& name() const { return train.name; }
  Task task() const { return train.task; }
  // The per-sample shape the model reads: {d}, or {C, H, W} for images.
  std::vector<int> input_shape() const;
};

// The source as loaded, every row, no split and no standardisation (source, target, rows, data_seed;
// generators draw with data_seed, or `seed` when it is negative).
Result<Dataset> load_source(const DataPlan& plan);

// Errors: the source's (not_found, invalid) with context "source", and fractions that leave a part empty,
// named by field ("test", "val", "subsample").
Result<Prepared> prepare(const DataPlan& plan);
// The same on a data set already in memory (the Python package's numpy arrays); plan.source, target, rows and
// data_seed are not read.
Result<Prepared> prepare(Dataset ds, const DataPlan& plan);

}  // namespace actlab::data
