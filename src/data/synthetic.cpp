#include "data/synthetic.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <numbers>

#include "core/rng.hpp"
#include "data/polynomial.hpp"

namespace actlab::data {
namespace {

// key=value options after the colon, with the column where each value starts (for messages).
struct Options {
  struct Value {
    double number;
    int col;
    bool used = false;
  };
  std::map<std::string, Value> values;
};

Status spec_error(std::string_view spec, int col, const std::string& message) {
  return Status::invalid("generator '" + std::string(spec) + "': 1:" + std::to_string(col) + ": " + message);
}

// Parses "a=1,b=2" starting at spec[from]; keys must be among `known`.
Result<Options> parse_options(std::string_view spec, std::size_t from,
                              const std::vector<std::string>& known) {
  Options o;
  std::size_t pos = from;
  while (pos < spec.size()) {
    const std::size_t comma = std::min(spec.find(',', pos), spec.size());
    const std::string_view item = spec.substr(pos, comma - pos);
    const std::size_t eq = item.find('=');
    const int col = static_cast<int>(pos) + 1;
    const std::string key(item.substr(0, eq == std::string_view::npos ? item.size() : eq));
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      return spec_error(spec, col,
                        "unknown option '" + key + "'" +
                            (known.empty() ? " (this generator has none)" : " (options: " + list + ")"));
    }
    if (eq == std::string_view::npos) return spec_error(spec, col, "expected " + key + "=<number>");
    const std::string_view text = item.substr(eq + 1);
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    const int vcol = col + static_cast<int>(eq) + 1;
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
      return spec_error(spec, vcol, "'" + std::string(text) + "' is not a number");
    }
    o.values[key] = {v, vcol};
    pos = comma + 1;
  }
  return o;
}

double get(const Options& o, const std::string& key, double fallback) {
  auto it = o.values.find(key);
  return it == o.values.end() ? fallback : it->second.number;
}

Dataset base(std::string_view spec, std::uint64_t seed, Task task, int d) {
  Dataset ds;
  ds.name = std::string(spec);
  ds.source = "generated (seed " + std::to_string(seed) + ")";
  ds.task = task;
  ds.input_shape = {d};
  for (int j = 0; j < d; ++j) ds.feature_names.emplace_back(1, 'x').append(std::to_string(j));
  return ds;
}

Result<Dataset> make_xor(std::string_view spec, const Options& o, std::size_t n, std::uint64_t seed) {
  Dataset ds = base(spec, seed, Task::kClassification, 2);
  ds.class_names = {"0", "1"};
  if (get(o, "corners", 0) != 0) {
    ds.x.resize(4, 2);
    ds.x << 0, 0, 0, 1, 1, 0, 1, 1;
    ds.labels = {0, 1, 1, 0};
    return ds;
  }
  const double noise = get(o, "noise", 0);
  Rng rng = Rng::derive(seed, "data.xor");
  ds.x.resize(static_cast<Eigen::Index>(n), 2);
  for (std::size_t i = 0; i < n; ++i) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    ds.labels.push_back(a * b < 0 ? 1 : 0);
    const auto r = static_cast<Eigen::Index>(i);
    ds.x(r, 0) = static_cast<float>(a + (noise > 0 ? noise * rng.normal() : 0.0));
    ds.x(r, 1) = static_cast<float>(b + (noise > 0 ? noise * rng.normal() : 0.0));
  }
  return ds;
}

Result<Dataset> make_spirals(std::string_view spec, const Options& o, std::size_t n, std::uint64_t seed) {
  Dataset ds = base(spec, seed, Task::kClassification, 2);
  ds.class_names = {"0", "1"};
  const double turns = get(o, "turns", 1.5), noise = get(o, "noise", 0.05);
  Rng rng = Rng::derive(seed, "data.spirals");
  ds.x.resize(static_cast<Eigen::Index>(n), 2);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(i % 2);
    const double t = rng.uniform();
    const double angle = 2 * std::numbers::pi * turns * t + c * std::numbers::pi;
    const auto r = static_cast<Eigen::Index>(i);
    ds.x(r, 0) = static_cast<float>(t * std::cos(angle) + noise * rng.normal());
    ds.x(r, 1) = static_cast<float>(t * std::sin(angle) + noise * rng.normal());
    ds.labels.push_back(c);
  }
  return ds;
}

Result<Dataset> make_blobs(std::string_view spec, const Options& o, std::size_t n, std::uint64_t seed) {
  const double k = get(o, "k", 3), d = get(o, "d", 2), sd = get(o, "std", 1), box = get(o, "box", 10);
  for (const auto& [key, v] : o.values) {
    const bool count = key == "k" || key == "d";
    if ((count && (v.number < 1 || v.number > 1000 || v.number != std::floor(v.number))) ||
        (!count && v.number < 0)) {
      return spec_error(spec, v.col, key + (count ? " must be an integer in [1, 1000]" : " must be >= 0"));
    }
  }
  const int ki = static_cast<int>(k), di = static_cast<int>(d);
  if (static_cast<double>(n) * di > 1e8) {
    return spec_error(spec, 1,
                      "rows x d = " + std::to_string(n) + " x " + std::to_string(di) +
                          " exceeds the limit of 100000000 values");
  }
  Dataset ds = base(spec, seed, Task::kClassification, di);
  for (int c = 0; c < ki; ++c) ds.class_names.push_back(std::to_string(c));
  Rng rng = Rng::derive(seed, "data.blobs");
  MatrixD centres(ki, di);
  for (int c = 0; c < ki; ++c) {
    for (int j = 0; j < di; ++j) centres(c, j) = rng.uniform(-box, box);
  }
  ds.x.resize(static_cast<Eigen::Index>(n), di);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = static_cast<int>(i % static_cast<std::size_t>(ki));
    for (int j = 0; j < di; ++j) {
      ds.x(static_cast<Eigen::Index>(i), j) = static_cast<float>(centres(c, j) + sd * rng.normal());
    }
    ds.labels.push_back(c);
  }
  return ds;
}

Result<Dataset> make_poly(std::string_view spec, std::size_t n, std::uint64_t seed) {
  const std::size_t colon = spec.find(':');
  auto p = parse_polynomial(spec.substr(colon + 1), static_cast<int>(colon) + 2);
  if (!p) return Status::invalid("generator '" + std::string(spec) + "': " + p.status().message());
  if (p->variables() == 0) {
    return spec_error(spec, static_cast<int>(colon) + 2,
                      "the polynomial has no variable (use x, y, z, w or x0 .. x9)");
  }
  const int d = p->variables();
  Dataset ds = base(spec, seed, Task::kRegression, d);
  ds.feature_names = p->names();
  Rng rng = Rng::derive(seed, "data.poly");
  ds.x.resize(static_cast<Eigen::Index>(n), d);
  ds.y.resize(static_cast<Eigen::Index>(n), 1);
  std::vector<double> in(static_cast<std::size_t>(d));
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (int j = 0; j < d; ++j) {
      // Draw in double, round to float, and evaluate on the float value: the stored x gives the stored y.
      const float v = static_cast<float>(rng.uniform(-1, 1));
      ds.x(r, j) = v;
      in[static_cast<std::size_t>(j)] = v;
    }
    ds.y(r, 0) = static_cast<float>(p->evaluate(in));
  }
  return ds;
}

// f(x, y, z) = sin(πx)·cos(πy/2)·exp(z/2) on [-1, 1]^3: smooth, not a polynomial (Kim & Kang's
// "differentiable targets").
Result<Dataset> make_smooth(std::string_view spec, std::size_t n, std::uint64_t seed) {
  Dataset ds = base(spec, seed, Task::kRegression, 3);
  ds.feature_names = {"x", "y", "z"};
  Rng rng = Rng::derive(seed, "data.smooth");
  ds.x.resize(static_cast<Eigen::Index>(n), 3);
  ds.y.resize(static_cast<Eigen::Index>(n), 1);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    double v[3];
    for (int j = 0; j < 3; ++j) {
      const float f = static_cast<float>(rng.uniform(-1, 1));
      ds.x(r, j) = f;
      v[j] = f;
    }
    ds.y(r, 0) = static_cast<float>(std::sin(M_PI * v[0]) * std::cos(M_PI * v[1] / 2) * std::exp(v[2] / 2));
  }
  return ds;
}

Result<Dataset> make_single(std::string_view spec, const Options& o, std::uint64_t seed) {
  for (const char* key : {"x", "t"}) {
    if (!o.values.count(key)) {
      return spec_error(spec, static_cast<int>(spec.size()) + 1,
                        std::string("missing ") + key + "=<number> (single:x=0.5,t=0.8)");
    }
  }
  Dataset ds = base(spec, seed, Task::kRegression, 1);
  ds.feature_names = {"x"};
  ds.x.resize(1, 1);
  ds.x(0, 0) = static_cast<float>(get(o, "x", 0));
  ds.y.resize(1, 1);
  ds.y(0, 0) = static_cast<float>(get(o, "t", 0));
  ds.source = "generated";
  return ds;
}

std::string_view head(std::string_view spec) { return spec.substr(0, std::min(spec.find(':'), spec.size())); }

}  // namespace

const std::vector<GeneratorInfo>& generators() {
  static const std::vector<GeneratorInfo> kAll = {
      {"xor", "xor[:noise=0,corners=0]", "XOR of signs in [-1,1]^2 (corners=1: the 4 points of {0,1}^2)",
       Task::kClassification, 200},
      {"spirals", "spirals[:turns=1.5,noise=0.05]", "two interleaved spirals in 2-D", Task::kClassification,
       400},
      {"blobs", "blobs[:k=3,d=2,std=1,box=10]", "k Gaussian blobs in d dimensions", Task::kClassification,
       300},
      {"poly", "poly:<expr>", "polynomial regression, inputs uniform in [-1,1] (poly:x*y*z)",
       Task::kRegression, 1000},
      {"smooth", "smooth", "sin(pi*x)*cos(pi*y/2)*exp(z/2) on [-1,1]^3: smooth, not a polynomial",
       Task::kRegression, 1000},
      {"single", "single:x=<v>,t=<v>", "one example x -> t, for the 1-1-1 network", Task::kRegression, 1},
  };
  return kAll;
}

bool is_generator_spec(std::string_view spec) {
  const std::string_view h = head(spec);
  for (const auto& g : generators()) {
    if (h == g.name) return true;
  }
  return false;
}

Result<Dataset> generate(std::string_view spec, std::size_t rows, std::uint64_t seed) {
  const std::string_view h = head(spec);
  const GeneratorInfo* info = nullptr;
  for (const auto& g : generators()) {
    if (h == g.name) info = &g;
  }
  if (!info) return Status::not_found("unknown generator '" + std::string(h) + "'");
  const std::size_t n = rows == 0 ? info->default_rows : rows;
  // Generous bounds (docs/limits.md): a wrapped negative or a typo must not ask for terabytes.
  constexpr std::size_t kMaxRows = 10'000'000;
  if (n > kMaxRows) {
    return Status::invalid_field("rows", std::to_string(n) + " exceeds the limit of 10000000 rows");
  }
  const std::size_t from = h.size() + 1;
  if (h == "poly") {
    if (spec.size() <= from)
      return spec_error(spec, static_cast<int>(spec.size()) + 1, "expected poly:<expr>, such as poly:x*y*z");
    return make_poly(spec, n, seed);
  }
  if (h == "smooth") {
    if (spec != "smooth") return spec_error(spec, static_cast<int>(from), "smooth takes no options");
    return make_smooth(spec, n, seed);
  }
  static const std::map<std::string_view, std::vector<std::string>> kKeys = {
      {"xor", {"noise", "corners"}},
      {"spirals", {"turns", "noise"}},
      {"blobs", {"k", "d", "std", "box"}},
      {"single", {"x", "t"}}};
  auto o = parse_options(spec, std::min(from, spec.size()), kKeys.at(h));
  if (!o) return o.status();
  for (const auto& [key, v] : o->values) {
    if ((key == "noise" || key == "turns") && v.number < 0)
      return spec_error(spec, v.col, key + " must be >= 0");
  }
  if (h == "xor") return make_xor(spec, *o, n, seed);
  if (h == "spirals") return make_spirals(spec, *o, n, seed);
  if (h == "blobs") return make_blobs(spec, *o, n, seed);
  return make_single(spec, *o, seed);
}

}  // namespace actlab::data
