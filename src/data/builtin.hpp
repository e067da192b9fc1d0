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
// Order of resolution: a built-in name (case-insensitive; '_' and '-' alike), a generator spec
// (data/synthetic.hpp), then a path: a directory is read as IDX (data/idx.hpp), a file as CSV (data/csv.hpp).
// Built-ins are Debian-packaged files found by path; when the file is missing the message names the package.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/dataset.hpp"

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
};

Result<Dataset> load(const std::string& spec, const LoadOptions& options = {});

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
};

// The built-in data sets, then the generators, in a fixed order.
std::vector<BuiltinInfo> builtins(const LoadOptions& options = {});

}  // namespace actlab::data
