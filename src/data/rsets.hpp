// The built-in data sets that Debian ships as R data files: r-cran-mlbench and r-cran-kernlab (UCI benchmark
// sets and a few others), each with its fixed preparation (docs/data.md, "R data sets").
//
//   const data::RSet* s = data::find_r_set("sonar");          // or the R name, any case: "Sonar"
//   data::FrameReport rep;
//   auto ds = data::load_r_set(*s, data::kRLibraryDir, &rep);  // 208 rows, 60 features, 2 classes
//   rep.steps;                                                // the preparation, line by line
//
// Each entry names the R object, the target, the columns left out (IDs, copies of the target), the factors
// coded as integers (ordered factors and numeric scales: librdata cannot see R's "ordered" class, so the
// table says which they are, checked against R in tests/data/rsets_test.cpp), and the shape after
// preparation, which every load checks. The rest is data/frame.hpp's one rule, missing values included.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/dataset.hpp"
#include "data/frame.hpp"

namespace actlab::data {

inline constexpr const char* kRLibraryDir = "/usr/lib/R/site-library";

struct RSet {
  std::string name;         // "breast-cancer-wisconsin"
  std::string object;       // "BreastCancer": the R object (its lower case is also a name)
  std::string package;      // R package: "mlbench" (Debian r-cran-mlbench)
  std::string description;  // one line
  FramePlan plan;           // target, drop, as_integer, test_start
  std::string why;          // the decisions particular to this set, one line
  Task task = Task::kClassification;
  std::size_t rows = 0, features = 0;  // after preparation
  int classes = 0;                     // 0 for regression
  std::size_t raw_rows = 0;            // the R object's rows (R's documentation, ?Object)
  std::string missing = "none";        // FrameReport::summary() of its preparation
  std::string doc;                     // what ?Object says about its size and classes
  std::string licence;

  std::string debian_package() const { return "r-cran-" + package; }
  std::string file(const std::string& r_library_dir) const;  // <dir>/<package>/data/<object>.rda
};

// Every R built-in: classification sets first, then regression, each group by name.
const std::vector<RSet>& r_sets();

// By name or R object name, case-insensitive, '_' = '-'; nullptr when none.
const RSet* find_r_set(const std::string& name);

// Reads and prepares the set. Errors: the file missing (not_found, naming the Debian package), a damaged
// file (data/rdata.hpp), or a shape other than the table's (invalid: a different version of the package).
Result<Dataset> load_r_set(const RSet& set, const std::string& r_library_dir = kRLibraryDir,
                           FrameReport* report = nullptr);

}  // namespace actlab::data
