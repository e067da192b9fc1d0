// CSV files (plain or gzip) → Dataset. The rules, with examples, are in docs/data.md.
//
//   data::CsvOptions o;
//   o.target = "species";                                  // by column name
//   auto ds = data::read_csv("measurements.csv", o);
//   o.target = "0";                                        // by index (0-based; -1 = last)
//   auto ds = data::read_csv("points.csv.gz", o);
//   if (!ds) return ds.status();   // "points.csv.gz:17:9: field 3 ('z'): 'abc' is not a number"
//
// - Fields are separated by `delimiter`; "quoted fields" may hold delimiters, newlines and "" (one quote).
//   LF and CRLF line ends; blank lines are skipped; a UTF-8 byte-order mark is ignored.
// - Header: when not given, the first row is a header if one of its fields is not a number while the field
//   below it is (or, in a one-row file, if any field is not a number).
// - Target: a column name (header files), else an index, 0-based, negative counting from the end. Default:
//   the last column. Every other column is a feature and must be numeric.
// - Task: string targets are classes; numeric targets are classes when all are integers and there are at most
//   min(max_auto_classes, max(2, rows/2)) distinct values; otherwise regression. `task` forces either.
//   Classes are numbered in sorted order (numeric order for numbers, byte order for strings) and keep their
//   text as class names.
// - scikit-learn's bundled format (iris.csv, wine_data.csv, breast_cancer.csv): a first line
//   "n_samples,n_features,class names..." is recognised; the class names label the integer targets and the
//   row count is checked against n_samples.
// - Errors name file:line:column (1-based; the column is the byte where the field starts).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.hpp"
#include "data/dataset.hpp"

namespace actlab::data {

struct CsvOptions {
  std::optional<bool> header;  // std::nullopt: detect (above)
  std::string target;          // column name or index; empty: the last column
  std::optional<Task> task;    // std::nullopt: detect (above)
  char delimiter = ',';
  int max_auto_classes = 100;
};

// Reads `path` (gzip inflated when the file starts with the gzip magic).
Result<Dataset> read_csv(const std::string& path, const CsvOptions& options = {});

// The same on text already in memory; `file` is the name used in messages and as the data set's name.
Result<Dataset> parse_csv(std::string_view text, const std::string& file, const CsvOptions& options = {});

}  // namespace actlab::data
