#include "data/builtin.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

#include "data/csv.hpp"
#include "data/frame.hpp"
#include "data/idx.hpp"
#include "data/rdata.hpp"
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
  const char* licence;
};

constexpr const char* kSklearn = "python3-sklearn";
constexpr const char* kFashion = "dataset-fashion-mnist";
constexpr const char* kSklearnLicence = "BSD-3 package; data from the UCI ML repository";

const std::vector<Builtin>& table() {
  static const std::vector<Builtin> kAll = {
      {"fashion-mnist", "images", "Zalando's 28x28 clothing images (60000 train + 10000 test)", kFashion, "",
       70000, 784, 10, "MIT (Zalando Research)"},
      {"iris", "table", "Fisher's iris flowers", kSklearn, "iris.csv", 150, 4, 3, kSklearnLicence},
      {"wine", "table", "UCI wine recognition", kSklearn, "wine_data.csv", 178, 13, 3, kSklearnLicence},
      {"breast-cancer", "table", "UCI Wisconsin diagnostic breast cancer", kSklearn, "breast_cancer.csv", 569,
       30, 2, kSklearnLicence},
      {"digits", "images", "UCI optical handwritten digits, 8x8", kSklearn, "digits.csv.gz", 1797, 64, 10,
       kSklearnLicence},
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
  for (const auto& r : r_sets()) names.push_back(r.name);
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

void fill_report(LoadReport* report, FrameReport&& rep) {
  if (!report) return;
  report->preparation = std::move(rep.steps);
  report->missing = rep.summary();
  report->missing_cells = rep.missing_cells;
}

// "path.rda[:object][#target]": the parts, when `path` (with any suffix removed) is an R file name.
struct RSpec {
  std::string path, object, target;
};
std::optional<RSpec> r_spec(const std::string& spec) {
  RSpec r{spec, "", ""};
  std::error_code ec;
  if (fs::exists(spec, ec)) return is_rdata_path(spec) ? std::optional<RSpec>(r) : std::nullopt;
  if (const auto hash = r.path.rfind('#'); hash != std::string::npos) {
    r.target = r.path.substr(hash + 1);
    r.path.resize(hash);
  }
  if (!is_rdata_path(r.path)) {
    const auto colon = r.path.rfind(':');
    if (colon == std::string::npos || r.path.find('/', colon) != std::string::npos) return std::nullopt;
    r.object = r.path.substr(colon + 1);
    r.path.resize(colon);
  }
  if (!is_rdata_path(r.path)) return std::nullopt;
  return r;
}

Result<Dataset> load_r_file(const RSpec& r, const LoadOptions& o, LoadReport* report) {
  if (!r.target.empty() && !o.target.empty() && r.target != o.target) {
    return Status::invalid(r.path + ": two targets, '#" + r.target + "' in the name and '" + o.target +
                           "' as an option");
  }
  auto frame = read_rdata_object(r.path, r.object);
  if (!frame) return frame.status();
  FramePlan plan;
  plan.target = r.target.empty() ? o.target : r.target;
  plan.task = o.task;
  FrameReport rep;
  auto ds = encode_frame(*frame, plan, &rep);
  if (!ds) return ds.status();
  ds->name = r.path + (r.object.empty() ? "" : ":" + r.object);
  ds->source = r.path + " (R object " + frame->name + ")";
  fill_report(report, std::move(rep));
  return ds;
}

}  // namespace

Result<Dataset> load(const std::string& spec, const LoadOptions& o, LoadReport* report) {
  if (spec.empty()) return Status::invalid("empty data set name");
  if (spec.rfind("suite:", 0) == 0) {
    return Status::invalid(spec +
                           " is a suite of data sets (data/suite.hpp); here one data set is needed (actlab "
                           "alacarte takes suites)");
  }
  const bool csv_options = !o.target.empty() || o.task.has_value();
  if (const Builtin* b = find_builtin(spec)) {
    if (csv_options)
      return Status::invalid(std::string(b->name) + ": a target or task applies to CSV files only");
    return load_builtin(*b, o);
  }
  if (const RSet* r = find_r_set(spec)) {
    if (csv_options) return Status::invalid(r->name + ": a target or task applies to CSV and R files only");
    FrameReport rep;
    auto ds = load_r_set(*r, o.r_library_dir, &rep);
    if (ds) fill_report(report, std::move(rep));
    return ds;
  }
  if (const auto r = r_spec(spec)) return load_r_file(*r, o, report);
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
    BuiltinInfo info;
    info.name = b.name;
    info.kind = b.kind;
    info.description = b.description;
    info.package = b.package;
    info.path = path_for(b, o);
    info.rows = b.rows;
    info.features = b.features;
    info.classes = b.classes;
    info.available = fs::exists(probe_for(b, o), ec);
    info.missing = "none";
    info.licence = b.licence;
    out.push_back(std::move(info));
  }
  for (const RSet& r : r_sets()) {
    std::error_code ec;
    const std::string path = r.file(o.r_library_dir);
    BuiltinInfo info;
    info.name = r.name;
    info.kind = "table";
    info.description = r.description;
    info.package = r.debian_package();
    info.path = path;
    info.task = r.task;
    info.rows = r.rows;
    info.features = r.features;
    info.classes = r.classes;
    info.available = fs::exists(path, ec);
    info.missing = r.missing;
    info.licence = r.licence;
    info.preparation = r.why;
    info.doc = r.doc;
    out.push_back(std::move(info));
  }
  for (const auto& g : generators()) {
    std::size_t d = 0;
    if (g.name == "xor" || g.name == "spirals" || g.name == "blobs") d = 2;
    if (g.name == "single") d = 1;
    const int k = g.task == Task::kClassification && g.name != "blobs" ? 2 : (g.name == "blobs" ? 3 : 0);
    out.push_back(
        {g.syntax, "generator", g.description, "", "", g.task, g.default_rows, d, k, true, "", "", "", ""});
  }
  return out;
}

}  // namespace actlab::data
