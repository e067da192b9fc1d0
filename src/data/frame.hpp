// A data frame (data/rdata.hpp) → a Dataset: the target, the encoding of each column, and the missing-value
// policy (docs/data.md, "Preparing a table"). One deterministic function of the frame and the plan: no split,
// nothing random, nothing fitted on rows a model will be tested on.
//
//   auto f = data::read_rdata_object(".../mlbench/data/BreastCancer.rda", "BreastCancer");
//   data::FramePlan p;
//   p.target = "Class";
//   p.drop = {"Id"};                                   // an ID column
//   p.as_integer = {"Bare.nuclei", "Mitoses"};         // factors whose levels are numbers on a scale
//   data::FrameReport rep;
//   auto ds = data::encode_frame(*f, p, &rep);          // 683 rows: the 16 rows with a missing value dropped
//   rep.steps;                                          // what was done, one line each, for `data show`
//
// Columns, in frame order:
// - numeric and integer: as they are; logical: TRUE 1, FALSE 0;
// - factors named in `as_integer` (ordered factors: R's ordered class is not visible through librdata, so the
//   plan lists them): the level's number when every level is a number ("1".."10"), else its code 1..k;
// - other factors: one-hot, one 0/1 column per level that occurs ("col=level"); a factor with two levels
//   becomes one 0/1 column for its second level;
// - text columns are dropped (an ID, a name), and so are the columns in `drop`.
// Then columns that are constant over every row are dropped.
//
// Missing values (R's NA), one policy:
// 1. rows whose target is missing are dropped;
// 2. when fewer than `drop_below` (5 %) of the rows miss a feature value, those rows are dropped;
// 3. otherwise every feature column with a missing value gets an indicator column "col:NA" (1 where missing);
//    a missing factor is all zeros in its one-hot columns, and a missing number (numeric, integer, logical,
//    integer-coded factor) is NaN in the Dataset, which data::prepare fills with the mean of the training
//    split (after standardisation that is 0), so nothing is fitted on validation or test rows.
//
// Target: a factor's levels are the class names in R's order (levels with no row left are dropped); a logical
// target is the classes FALSE, TRUE; text targets are classes in byte order. A numeric target is regression,
// unless `task` says classification (classes are then its distinct values, in numeric order).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/dataset.hpp"
#include "data/rdata.hpp"

namespace actlab::data {

struct FramePlan {
  std::string target;                     // column name; "" = the last column
  std::optional<Task> task;               // default: factor, logical or text target → classification
  std::vector<std::string> drop;          // columns left out (IDs, a second copy of the target)
  std::vector<std::string> as_integer;    // factors encoded as numbers (ordered factors, numeric scales)
  double drop_below = 0.05;               // drop incomplete rows when they are fewer than this fraction
  std::optional<std::size_t> test_start;  // rows [test_start, n) of the frame are its own test set
};

struct FrameReport {
  std::size_t rows_in = 0, rows_out = 0;
  std::size_t target_missing = 0;   // rows dropped for a missing target
  std::size_t incomplete_rows = 0;  // rows with a missing feature value (after the target's)
  bool incomplete_dropped = false;  // rule 2 applied
  std::size_t missing_cells = 0;    // NaN cells left in the features (filled by data::prepare)
  std::vector<std::string> steps;   // one line per decision, in order
  std::string missing_policy;       // one line: "none", "dropped 16 incomplete rows (2.3 % < 5.0 %)", ...

  // The policy in a few words, for a table: "none", "16 rows (2.3 %) dropped", "imputed: 203 rows (46.7 %)",
  // prefixed by "5 rows without target dropped; " when there were such rows.
  std::string summary() const;
};

// Errors (invalid, naming the frame and the column): a column of the plan that is not there, integer coding
// of a column that is not a factor, a text or factor target for regression.
Result<Dataset> encode_frame(const RFrame& frame, const FramePlan& plan, FrameReport* report = nullptr);

}  // namespace actlab::data
