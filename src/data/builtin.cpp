#include "data/builtin.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "data/csv.hpp"
#include "data/idx.hpp"
#include "data/synthetic.hpp"

namespace actlab::data {
namespace {

namespace fs = std::filesystem;

struct Builtin {
  const char* name;
  const char* kind;
  const char* description;
  const char* package;
  const char* file;  // under the package's directory ("" for an IDX directory)
  std::size_t rows, features;
  int classes;
};

constexpr const char* kSklearn = "python3-sklearn";
constexpr const char* kFashion = "dataset-fashion-mnist";

const std::vector<Builtin>& table() {
  static const std::vector<Builtin> kAll = {
      {"fashion-mnist", "images", "Zalando's 28x28 clothing images (60000 train + 10000 test)", kFashion, "",
       70000, 784, 10},
      {"iris", "table", "Fisher's iris flowers", kSklearn, "iris.csv", 150, 4, 3},
      {"wine", "table", "UCI wine recognition", kSklearn, "wine_data.csv", 178, 13, 3},
      {"breast-cancer", "table", "UCI Wisconsin diagnostic breast cancer", kSklearn, "breast_cancer.csv", 569,
       30, 2},
      {"digits", "images", "UCI optical handwritten digits, 8x8", kSklearn, "digits.csv.gz", 1797, 64, 10},
  };
  return kAll;
}

std::string normalise(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const Builtin* find_builtin(const std::string& spec) {
  std::string n = normalise(spec);
  if (n == "fmnist" || n == "fashion") n = "fashion-mnist";
  for (const auto& b : table()) {
    if (n == b.name) return &b;
  }
  return nullptr;
}

std::string dir_for(const Builtin& b, const LoadOptions& o) {
  return b.package == std::string(kFashion) ? o.fashion_mnist_dir : o.sklearn_dir;
}

std::string path_for(const Builtin& b, const LoadOptions& o) {
  return b.file[0] ? (fs::path(dir_for(b, o)) / b.file).string() : dir_for(b, o);
}

// The file the built-in cannot do without (for the availability check and the message).
std::string probe_for(const Builtin& b, const LoadOptions& o) {
  return b.file[0] ? path_for(b, o) : (fs::path(dir_for(b, o)) / "train-images-idx3-ubyte.gz").string();
}

std::vector<std::string> iris_names() {
  return {"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"};
}

std::vector<std::string> wine_names() {
  return {"alcohol",         "malic_acid",      "ash",        "alcalinity_of_ash",
          "magnesium",       "total_phenols",   "flavanoids", "nonflavanoid_phenols",
          "proanthocyanins", "color_intensity", "hue",        "od280/od315_of_diluted_wines",
          "proline"};
}

std::vector<std::string> breast_cancer_names() {
  const char* base[] = {"radius",      "texture",   "perimeter",      "area",     "smoothness",
                        "compactness", "concavity", "concave points", "symmetry", "fractal dimension"};
  std::vector<std::string> names;
  for (const char* b : base) names.push_back(std::string("mean ") + b);
  for (const char* b : base) names.push_back(std::string(b) + " error");
  for (const char* b : base) names.push_back(std::string("worst ") + b);
  return names;
}

Result<Dataset> load_builtin(const Builtin& b, const LoadOptions& o) {
  const std::string probe = probe_for(b, o);
  std::error_code ec;
  if (!fs::exists(probe, ec)) {
    return Status::not_found(std::string(b.name) + ": " + probe +
                             " not found; it comes with the Debian package " + b.package +
                             " (apt-get install " + b.package + ")");
  }
  const std::string path = path_for(b, o);
  Result<Dataset> ds = Status::internal("unreachable");
  const std::string name = b.name;
  if (name == "fashion-mnist") {
    ds = read_idx_dir(path);
  } else {
    CsvOptions csv;
    if (name == "digits") csv.header = false;  // the other three open with scikit-learn's count line
    csv.task = Task::kClassification;
    ds = read_csv(path, csv);
  }
  if (!ds) return ds;
  ds->name = b.name;
  ds->source = path + " (Debian package " + b.package + ")";
  if (name == "fashion-mnist") {
    ds->class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                       "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  } else if (name == "iris") {
    ds->feature_names = iris_names();
  } else if (name == "wine") {
    ds->feature_names = wine_names();
  } else if (name == "breast-cancer") {
    ds->feature_names = breast_cancer_names();
  } else if (name == "digits") {
    ds->input_shape = {1, 8, 8};
  }
  // The packaged files are fixed: a different shape means a different (or damaged) file.
  if (ds->rows() != b.rows || ds->features() != b.features || ds->classes() != b.classes) {
    return Status::invalid(path + ": expected " + std::to_string(b.rows) + " rows, " +
                           std::to_string(b.features) + " features and " + std::to_string(b.classes) +
                           " classes for " + b.name + ", found " + std::to_string(ds->rows()) + ", " +
                           std::to_string(ds->features()) + " and " + std::to_string(ds->classes()));
  }
  return ds;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

Status unknown(const std::string& spec) {
  const std::string n = normalise(spec);
  std::vector<std::string> names;
  for (const auto& b : table()) names.emplace_back(b.name);
  for (const auto& g : generators()) names.push_back(g.name);
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, n.size() / 3) + 1;
  for (const auto& c : names) {
    const std::size_t d = edit_distance(n, c);
    if (d < best_d) best_d = d, best = c;
  }
  std::string m = "unknown data set '" + spec + "'";
  if (!best.empty()) m += "; did you mean " + best + "?";
  return Status::not_found(m + " ('actlab data list' shows the names; a path must exist)");
}

}  // namespace

Result<Dataset> load(const std::string& spec, const LoadOptions& o) {
  if (spec.empty()) return Status::invalid("empty data set name");
  const bool csv_options = !o.target.empty() || o.task.has_value();
  if (const Builtin* b = find_builtin(spec)) {
    if (csv_options)
      return Status::invalid(std::string(b->name) + ": a target or task applies to CSV files only");
    return load_builtin(*b, o);
  }
  if (is_generator_spec(spec)) {
    if (csv_options) return Status::invalid(spec + ": a target or task applies to CSV files only");
    return generate(spec, o.rows, o.seed);
  }
  std::error_code ec;
  const fs::path p(spec);
  if (fs::is_directory(p, ec)) return read_idx_dir(spec);
  if (fs::exists(p, ec)) {
    const std::string file = p.filename().string();
    if (file.find("idx") != std::string::npos && file.find("ubyte") != std::string::npos) {
      return Status::invalid(spec +
                             ": a single IDX file has no labels; give the directory that holds the "
                             "images and labels files");
    }
    CsvOptions csv;
    csv.target = o.target;
    csv.task = o.task;
    return read_csv(spec, csv);
  }
  if (spec.find('/') != std::string::npos || spec.find('.') != std::string::npos) {
    return Status::not_found(spec + ": no such file or directory");
  }
  return unknown(spec);
}

std::vector<BuiltinInfo> builtins(const LoadOptions& o) {
  std::vector<BuiltinInfo> out;
  for (const auto& b : table()) {
    std::error_code ec;
    out.push_back({b.name, b.kind, b.description, b.package, path_for(b, o), Task::kClassification, b.rows,
                   b.features, b.classes, fs::exists(probe_for(b, o), ec)});
  }
  for (const auto& g : generators()) {
    std::size_t d = 0;
    if (g.name == "xor" || g.name == "spirals" || g.name == "blobs") d = 2;
    if (g.name == "single") d = 1;
    const int k = g.task == Task::kClassification && g.name != "blobs" ? 2 : (g.name == "blobs" ? 3 : 0);
    out.push_back({g.syntax, "generator", g.description, "", "", g.task, g.default_rows, d, k, true});
  }
  return out;
}

}  // namespace actlab::data
