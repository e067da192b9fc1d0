// One entry point for every data source: built-in names, generator specs, CSV files and IDX directories.
//
//   auto iris = data::load("iris");                                   // scikit-learn's CSV (python3-sklearn)
//   auto fm = data::load("fashion-mnist");                            // IDX.gz (dataset-fashion-mnist)
//   data::LoadOptions o;                     // (set fields one by one: g++ 12 -Wextra warns on designated
//   o.rows = 500, o.seed = 3;                 //  initialisers that leave members out)
//   auto sp = data::load("spirals:turns=2", o);
//   o = {};
//   o.target = "label";
//   auto mine = data::load("runs/points.csv", o);
//   data::load("irsi");   // not_found "unknown data set 'irsi'; did you mean iris? ..."
//
//   auto sonar = data::load("sonar");                                // mlbench's Sonar.rda (r-cran-mlbench)
//   data::LoadReport rep;
//   auto mine = data::load("runs/cars.rda:mtcars#am", {}, &rep);      // an R file: object mtcars, target am
//   rep.preparation;                                                  // how its columns were encoded
//
// Order of resolution: a built-in name (case-insensitive; '_' and '-' alike; the R sets also answer to their
// R object names, "BreastCancer"), a generator spec (data/synthetic.hpp), then a path: a directory is read as
// IDX (data/idx.hpp), an .rda/.RData/.rds file as R data (data/rdata.hpp, prepared by data/frame.hpp's rule:
// `file.rda[:object][#target]`), any other file as CSV (data/csv.hpp). Built-ins are Debian-packaged files
// found by path; when the file is missing the message names the package.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/dataset.hpp"
#include "data/rsets.hpp"

namespace actlab::data {

inline constexpr const char* kSklearnDataDir = "/usr/lib/python3/dist-packages/sklearn/datasets/data";
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct LoadOptions {
  std::string target;        // CSV files: the target column, by name or index (empty: the last column)
  std::optional<Task> task;  // CSV files: force classification or regression
  std::size_t rows = 0;      // generators: number of rows (0: the generator's default)
  std::uint64_t seed = 0;    // generators: the seed
  // Where the packaged files live (tests point these elsewhere).
  std::string sklearn_dir = kSklearnDataDir;
  std::string fashion_mnist_dir = kFashionMnistDir;
  std::string r_library_dir = kRLibraryDir;
};

// What loading did to a table (R sets and R files; empty for the others).
struct LoadReport {
  std::vector<std::string> preparation;  // data/frame.hpp's steps, one line each
  std::string missing;                   // the missing-value policy applied (FrameReport::summary())
  std::size_t missing_cells = 0;         // NaN cells left for data::prepare to fill
};

// `report` (may be null) receives the preparation of R sets and R files.
Result<Dataset> load(const std::string& spec, const LoadOptions& options = {}, LoadReport* report = nullptr);

struct BuiltinInfo {
  std::string name;         // "iris"; for generators the syntax, "spirals[:turns=1.5,noise=0.05]"
  std::string kind;         // "table", "images" or "generator"
  std::string description;  // one line
  std::string package;      // the Debian package that holds the files ("" for generators)
  std::string path;         // the file or directory read ("" for generators)
  Task task = Task::kClassification;
  std::size_t rows = 0;      // generators: the default row count
  std::size_t features = 0;  // 0: depends on the spec
  int classes = 0;           // 0 for regression
  bool available = true;     // the files are there
  std::string missing;       // the missing-value policy, "none" when there are none ("" for generators)
  std::string licence;       // a note on the terms of the package and its data ("" for generators)
  std::string preparation;   // the decisions particular to the set ("" when it is used as it is)
  std::string doc;           // what the package's documentation says of its size (R sets)
};

// The built-in data sets (scikit-learn's and Fashion-MNIST, then the R sets: classification, then
// regression), then the generators, in a fixed order.
std::vector<BuiltinInfo> builtins(const LoadOptions& options = {});

}  // namespace actlab::data
