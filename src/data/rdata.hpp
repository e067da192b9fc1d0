// R data files (.rda / .RData workspaces and .rds single objects) → data frames, read with librdata
// (Debian librdata-dev, https://github.com/WizardMac/librdata); docs/data.md, "R data files".
//
//   auto frames = data::read_rdata("/usr/lib/R/site-library/mlbench/data/Sonar.rda");
//   const data::RFrame& sonar = frames->front();        // "Sonar": 208 rows, 61 columns
//   sonar.column("Class")->levels;                       // {"M", "R"}: a factor's levels, in R's order
//   auto one = data::read_rdata_object("BreastCancer.rda", "BreastCancer");   // by object name
//
// R saves these files compressed (xz, bzip2 or gzip). The Debian build of librdata is compiled without
// compression support, so the file is inflated here (liblzma, libbz2, zlib) and librdata parses the bytes
// from memory through its I/O hooks; nothing here decodes R's serialisation itself.
//
// Column kinds: numeric (REALSXP), integer, logical (TRUE 1, FALSE 0) and factor (integer codes 1..k with
// their levels); text columns (character vectors) are kept as strings. An NA is NaN in `values` (a factor's
// NA code too) and an empty optional in `strings`. librdata does not report an "ordered" class, so ordered
// and unordered factors look alike here; callers that know a column is ordered say so (data/frame.hpp).
// A numeric matrix at the top level (an object with a dim attribute of two) becomes one column per matrix
// column, named by its dimnames or V1, V2, ...
//
// Errors name the file: a missing file (not_found), a file that is not R data or is corrupt or truncated
// (invalid, with librdata's reason, e.g. "Sonar.rda: not a readable R data file (Unable to read from
// file)"), an unknown object name (not_found, listing the objects there). A damaged file is never a crash:
// tests/data/rdata_test.cpp feeds truncated and bit-flipped copies of every packaged file.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.hpp"

namespace actlab::data {

enum class RKind { kNumeric, kInteger, kLogical, kFactor, kString };

// "numeric", "integer", "logical", "factor", "character".
const char* rkind_name(RKind k);

struct RColumn {
  std::string name;
  RKind kind = RKind::kNumeric;
  std::vector<double> values;                       // every kind but kString; NaN = NA; factors: codes 1..k
  std::vector<std::string> levels;                  // kFactor: the k levels, code i is levels[i - 1]
  std::vector<std::optional<std::string>> strings;  // kString; nullopt = NA

  std::size_t size() const { return kind == RKind::kString ? strings.size() : values.size(); }
  bool missing(std::size_t row) const;
  std::size_t missing_count() const;
};

struct RFrame {
  std::string name;  // the object's name in the workspace; for an .rds file, the file's stem
  std::vector<RColumn> columns;

  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  const RColumn* column(const std::string& name) const;  // nullptr when there is none
};

// Every data frame (and numeric matrix) in the file, in file order. Objects of other kinds (functions,
// lists that are not data frames) are skipped. Errors: see above; also a file that holds no data frame.
Result<std::vector<RFrame>> read_rdata(const std::string& path);

// The object named `object` ("" = the only, or the first, data frame in the file).
Result<RFrame> read_rdata_object(const std::string& path, const std::string& object = "");

// The same on the file's bytes in memory (compressed or not); `name` is used in messages and, for an .rds
// file, as the frame's name.
Result<std::vector<RFrame>> parse_rdata(std::string_view bytes, const std::string& name);

// True when the path names an R data file by its extension (.rda, .rdata, .rds; any case).
bool is_rdata_path(const std::string& path);

}  // namespace actlab::data
