// One split-and-standardise path for every training command (see prepare.hpp).
#include "data/prepare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "core/rng.hpp"
#include "data/builtin.hpp"

namespace actlab::data {
namespace {

// FNV-1a over bytes: a fingerprint of the rows and the split, the same on every machine.
struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 0x100000001b3ULL;
  }
  template <class T>
  void values(const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    bytes(&n, sizeof n);
    bytes(v.data(), v.size() * sizeof(T));
  }
};

std::vector<std::size_t> iota_range(std::size_t from, std::size_t to) {
  std::vector<std::size_t> v;
  for (std::size_t i = from; i < to; ++i) v.push_back(i);
  return v;
}

std::string fraction(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Lapid & Sipper: the non-test rows shuffled, the first `subsample` used, the first `val` of those validate.
Result<Split> shuffled_pool(const Dataset& ds, const DataPlan& p) {
  if (!(p.subsample > 0 && p.subsample <= 1))
    return Status::invalid_field("subsample", "must lie in (0, 1], got " + fraction(p.subsample));
  if (!(p.val > 0 && p.val < 1))
    return Status::invalid_field("val", "must lie in (0, 1), got " + fraction(p.val));
  std::vector<std::size_t> pool, test;
  if (ds.test_start) {
    pool = iota_range(0, *ds.test_start);
    test = iota_range(*ds.test_start, ds.rows());
  } else {
    auto sp = split(ds, {.val = 0.0, .test = p.test, .stratified = true, .seed = p.seed});
    if (!sp) return sp.status().with_context("test");
    pool = sp->train;
    test = sp->test;
  }
  Rng rng = Rng::derive(p.seed, "evolve-split");
  for (std::size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng.below(i)]);  // Fisher–Yates
  const auto used = static_cast<std::size_t>(std::llround(p.subsample * double(pool.size())));
  const auto n_val = static_cast<std::size_t>(std::llround(p.val * double(used)));
  if (n_val < 1 || used - n_val < 1) {
    return Status::invalid_field("subsample", fraction(p.subsample) + " with val " + fraction(p.val) +
                                                  " leaves " + std::to_string(used - n_val) +
                                                  " training and " + std::to_string(n_val) +
                                                  " validation rows");
  }
  Split s;
  s.val.assign(pool.begin(), pool.begin() + static_cast<long>(n_val));
  s.train.assign(pool.begin() + static_cast<long>(n_val), pool.begin() + static_cast<long>(used));
  s.test = std::move(test);
  std::sort(s.val.begin(), s.val.end());
  std::sort(s.train.begin(), s.train.end());
  return s;
}

// Missing feature values (NaN, data/frame.hpp) take the mean of the feature over the training rows (0 when no
// training row has one); returns the number of cells filled. Fitted on the training rows only, like the
// standardizer, so validation and test rows inform nothing; after per-feature standardisation the filled
// cells are exactly 0.
std::size_t fill_missing(Dataset& ds, const std::vector<std::size_t>& train) {
  const Eigen::Index d = ds.x.cols();
  std::vector<double> sum(static_cast<std::size_t>(d), 0.0);
  std::vector<std::size_t> seen(static_cast<std::size_t>(d), 0);
  std::size_t missing = 0;
  for (Eigen::Index j = 0; j < d; ++j)
    for (Eigen::Index i = 0; i < ds.x.rows(); ++i) missing += std::isnan(ds.x(i, j));
  if (missing == 0) return 0;
  for (std::size_t r : train) {
    for (Eigen::Index j = 0; j < d; ++j) {
      const float v = ds.x(static_cast<Eigen::Index>(r), j);
      if (std::isnan(v)) continue;
      sum[static_cast<std::size_t>(j)] += v;
      ++seen[static_cast<std::size_t>(j)];
    }
  }
  for (Eigen::Index j = 0; j < d; ++j) {
    const auto k = static_cast<std::size_t>(j);
    const auto mean = static_cast<float>(seen[k] ? sum[k] / double(seen[k]) : 0.0);
    for (Eigen::Index i = 0; i < ds.x.rows(); ++i)
      if (std::isnan(ds.x(i, j))) ds.x(i, j) = mean;
  }
  return missing;
}

}  // namespace

Result<Standardize> parse_standardize(const std::string& text) {
  if (text == "auto") return Standardize::kAuto;
  if (text == "on") return Standardize::kPerFeature;
  if (text == "global") return Standardize::kGlobal;
  if (text == "off") return Standardize::kOff;
  return Status::invalid("expected auto, on, global or off, got '" + text + "'");
}

std::string standardize_name(Standardize s) {
  switch (s) {
    case Standardize::kAuto: return "auto";
    case Standardize::kPerFeature: return "on";
    case Standardize::kGlobal: return "global";
    case Standardize::kOff: return "off";
  }
  return "?";
}

std::vector<int> Prepared::input_shape() const {
  return train.input_shape.empty() ? std::vector<int>{static_cast<int>(train.features())} : train.input_shape;
}

Result<Dataset> load_source(const DataPlan& p) {
  LoadOptions lo;
  lo.target = p.target;
  lo.rows = p.rows;
  lo.seed = p.data_seed >= 0 ? static_cast<std::uint64_t>(p.data_seed) : p.seed;
  return load(p.source, lo);
}

Result<Prepared> prepare(const DataPlan& p) {
  if (p.source.empty()) return Status::invalid_field("source", "required");
  auto loaded = load_source(p);
  if (!loaded) return loaded.status();
  return prepare(std::move(*loaded), p);
}

Result<Prepared> prepare(Dataset ds, const DataPlan& p) {
  if (p.min_classes > 0) {  // before the split, which a one-class set would fail with a vaguer message
    if (ds.task != Task::kClassification)
      return Status::invalid_field("source",
                                   p.source + ": needs a classification data set (name its target column)");
    if (ds.classes() < p.min_classes) {
      return Status::invalid_field("source", p.source + ": has " + std::to_string(ds.classes()) +
                                                 " class(es); classification needs at least " +
                                                 std::to_string(p.min_classes));
    }
  }

  Result<Split> sp = Status::internal("unset");
  if (p.sampling == Sampling::kShuffledPool) {
    sp = shuffled_pool(ds, p);
  } else {
    sp = split(ds, {.val = p.val,
                    .test = p.test,
                    .stratified = p.stratified && ds.task == Task::kClassification,
                    .seed = p.seed});
    if (!sp) sp = Status::invalid_field("val", sp.status().message());
  }
  if (!sp) return sp.status();

  Prepared out;
  out.rows = ds.rows();
  Fnv h;
  h.bytes(ds.x.data(), static_cast<std::size_t>(ds.x.size()) * sizeof(float));
  h.values(ds.labels);
  h.values(sp->train);
  h.values(sp->val);
  h.values(sp->test);
  char hex[20];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h.h));
  out.fingerprint = hex;

  out.imputed = fill_missing(ds, sp->train);  // after the fingerprint: it hashes the rows as loaded

  Standardize how = p.standardize;
  if (how == Standardize::kAuto)
    how = ds.input_shape.size() == 3 ? Standardize::kGlobal : Standardize::kPerFeature;
  out.standardized = how;
  if (how != Standardize::kOff) {
    out.standardizer = how == Standardize::kGlobal ? Standardizer::fit_global(ds, sp->train)
                                                   : Standardizer::fit(ds, sp->train);
    out.standardizer->apply(ds);
  }
  out.train = subset(ds, sp->train);
  out.val = subset(ds, sp->val);
  out.test = subset(ds, sp->test);
  if (p.with_train_val) {
    std::vector<std::size_t> both = sp->train;
    both.insert(both.end(), sp->val.begin(), sp->val.end());
    std::sort(both.begin(), both.end());
    out.train_val = subset(ds, both);
  }
  return out;
}

}  // namespace actlab::data
