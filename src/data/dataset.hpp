// A data set in memory, its splits and its standardisation.
//
//   auto ds = data::load("iris", {});                       // built-in, CSV path, IDX dir, or generator spec
//   if (!ds) return ds.status();
//   auto sp = data::split(*ds, {.val = 0.2, .test = 0.3, .stratified = true, .seed = 1});
//   auto z = data::Standardizer::fit(*ds, sp->train);     // fitted on the training rows only
//   z.apply(*ds);
//   data::Dataset train = data::subset(*ds, sp->train);
//
// Shapes: x is n × d (one sample per row, row-major); images are flattened channel-major, so input_shape
// {C, H, W} says how to view a row. Classification targets are `labels` (n class indices); regression targets
// are `y` (n × outputs). Exactly one of the two is filled, as `task` says.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/matrix.hpp"
#include "core/status.hpp"

namespace actlab::data {

enum class Task { kClassification, kRegression };

struct Dataset {
  std::string name;    // "iris", "/path/to/file.csv", "poly:x*y*z", ...
  std::string source;  // where it came from, for `data show` (a file path, a Debian package, "generated")
  Task task = Task::kClassification;
  MatrixF x;                               // n × d features
  std::vector<int> labels;                 // classification: n indices in [0, class_names.size())
  MatrixF y;                               // regression: n × outputs
  std::vector<std::string> feature_names;  // d names (generated ones are "x0", "x1", ...)
  std::vector<std::string> class_names;    // classification: one per class
  std::vector<int> input_shape;            // per-sample shape: {d}, or {C, H, W} for images
  // Rows [test_start, n) are the source's own test set (fashion-mnist's t10k files); split() keeps them as
  // the test split instead of drawing one.
  std::optional<std::size_t> test_start;

  std::size_t rows() const { return static_cast<std::size_t>(x.rows()); }
  std::size_t features() const { return static_cast<std::size_t>(x.cols()); }
  int classes() const { return static_cast<int>(class_names.size()); }
  int outputs() const { return task == Task::kClassification ? classes() : static_cast<int>(y.cols()); }
};

// The rows `rows` of `ds`, in that order (metadata copied; test_start dropped).
Dataset subset(const Dataset& ds, std::span<const std::size_t> rows);

struct SplitOptions {
  double val = 0.0;        // fraction of all rows for validation (with test_start: of rows [0, test_start))
  double test = 0.0;       // fraction of all rows for test (ignored when the data set has test_start)
  bool stratified = true;  // keep class proportions in every split (classification only)
  std::uint64_t seed = 0;  // the shuffle's seed: same seed, same split
};

struct Split {
  std::vector<std::size_t> train, val, test;  // disjoint row indices covering every row
};

// Random (or stratified) split by a seeded shuffle. Stratified: each class is shuffled and dealt on its own,
// round(fraction × class count) rows to test and to val, so every split holds each class within ±1 row of its
// proportion. The index lists come back sorted ascending. Errors: fractions outside [0, 1) or summing to ≥ 1,
// or a split that would leave the training set empty.
Result<Split> split(const Dataset& ds, const SplitOptions& options);

// Per-feature z = (x − mean) / scale, fitted on some rows (the training split) and applied to all.
// Constant features get scale 1 so they stay finite.
struct Standardizer {
  RowVectorF mean, scale;
  static Standardizer fit(const Dataset& ds, std::span<const std::size_t> rows);
  // One mean and one scale for every feature (images: torchvision's Normalize((m,), (s,)); Fashion-MNIST
  // 0.2860, 0.3530), where a per-pixel scale would blow up near-constant border pixels. Scale 1 when the
  // rows are constant.
  static Standardizer fit_global(const Dataset& ds, std::span<const std::size_t> rows);
  void apply(Dataset& ds) const;
};

}  // namespace actlab::data
