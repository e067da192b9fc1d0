#include "data/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "core/rng.hpp"

namespace actlab::data {
namespace {

// Rows to draw for a fraction f of n: round-half-up, so 0.3 of 150 is 45 and 0.5 of 3 is 2.
std::size_t share(double f, std::size_t n) {
  return static_cast<std::size_t>(std::floor(f * static_cast<double>(n) + 0.5));
}

// Shuffles `pool` with `rng`, then deals `n_test` rows to test, `n_val` to val and the rest to train.
void deal(std::vector<std::size_t>& pool, Rng& rng, std::size_t n_val, std::size_t n_test, Split& out) {
  std::shuffle(pool.begin(), pool.end(), rng);
  n_test = std::min(n_test, pool.size());
  n_val = std::min(n_val, pool.size() - n_test);
  out.test.insert(out.test.end(), pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n_test));
  out.val.insert(out.val.end(), pool.begin() + static_cast<std::ptrdiff_t>(n_test),
                 pool.begin() + static_cast<std::ptrdiff_t>(n_test + n_val));
  out.train.insert(out.train.end(), pool.begin() + static_cast<std::ptrdiff_t>(n_test + n_val), pool.end());
}

}  // namespace

Dataset subset(const Dataset& ds, std::span<const std::size_t> rows) {
  Dataset out;
  out.name = ds.name;
  out.source = ds.source;
  out.task = ds.task;
  out.feature_names = ds.feature_names;
  out.class_names = ds.class_names;
  out.input_shape = ds.input_shape;
  const auto n = static_cast<Eigen::Index>(rows.size());
  out.x.resize(n, ds.x.cols());
  for (Eigen::Index i = 0; i < n; ++i) out.x.row(i) = ds.x.row(static_cast<Eigen::Index>(rows[i]));
  if (ds.task == Task::kClassification) {
    out.labels.reserve(rows.size());
    for (std::size_t r : rows) out.labels.push_back(ds.labels[r]);
  } else {
    out.y.resize(n, ds.y.cols());
    for (Eigen::Index i = 0; i < n; ++i) out.y.row(i) = ds.y.row(static_cast<Eigen::Index>(rows[i]));
  }
  return out;
}

Result<Split> split(const Dataset& ds, const SplitOptions& o) {
  const bool fixed_test = ds.test_start.has_value();
  const double test = fixed_test ? 0.0 : o.test;
  if (!(o.val >= 0 && o.val < 1)) {
    return Status::invalid("validation fraction must be in [0, 1), got " + std::to_string(o.val));
  }
  if (!(test >= 0 && test < 1)) {
    return Status::invalid("test fraction must be in [0, 1), got " + std::to_string(test));
  }
  if (o.val + test >= 1) {
    return Status::invalid("validation and test fractions sum to " + std::to_string(o.val + test) +
                           ": nothing is left for training");
  }
  const std::size_t n = ds.rows();
  // Rows [0, m) are drawn from; with a fixed test set, rows [m, n) are the test split as they are.
  const std::size_t m = fixed_test ? std::min(*ds.test_start, n) : n;
  Split out;
  Rng rng = Rng::derive(o.seed, "data.split");
  if (o.stratified && ds.task == Task::kClassification && ds.classes() > 0) {
    std::vector<std::vector<std::size_t>> by_class(static_cast<std::size_t>(ds.classes()));
    for (std::size_t r = 0; r < m; ++r) by_class[static_cast<std::size_t>(ds.labels[r])].push_back(r);
    // Each class gives its own rounded share: every split then holds each class within ±1 of its proportion.
    for (auto& pool : by_class) deal(pool, rng, share(o.val, pool.size()), share(test, pool.size()), out);
  } else {
    std::vector<std::size_t> pool(m);
    std::iota(pool.begin(), pool.end(), std::size_t{0});
    deal(pool, rng, share(o.val, m), share(test, m), out);
  }
  for (std::size_t r = m; r < n; ++r) out.test.push_back(r);
  if (out.train.empty()) {
    return Status::invalid("the split leaves no training rows (" + std::to_string(n) + " rows in " + ds.name +
                           ")");
  }
  // Ascending order: subset() then reads memory forwards; trainers shuffle per epoch anyway.
  std::sort(out.train.begin(), out.train.end());
  std::sort(out.val.begin(), out.val.end());
  std::sort(out.test.begin(), out.test.end());
  return out;
}

Standardizer Standardizer::fit(const Dataset& ds, std::span<const std::size_t> rows) {
  const Eigen::Index d = ds.x.cols();
  Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(d);
  for (std::size_t r : rows) sum += ds.x.row(static_cast<Eigen::Index>(r)).cast<double>();
  const double count = static_cast<double>(rows.size());
  Eigen::RowVectorXd mean = rows.empty() ? sum : Eigen::RowVectorXd(sum / count);
  // Two passes (mean, then squared deviations) for accuracy; population variance, as StandardScaler.
  Eigen::RowVectorXd ss = Eigen::RowVectorXd::Zero(d);
  for (std::size_t r : rows) {
    ss += (ds.x.row(static_cast<Eigen::Index>(r)).cast<double>() - mean).array().square().matrix();
  }
  Standardizer z;
  z.mean = mean.cast<float>();
  z.scale.resize(d);
  for (Eigen::Index j = 0; j < d; ++j) {
    const double sd = rows.empty() ? 0.0 : std::sqrt(ss[j] / count);
    // Constant (or numerically constant) features keep scale 1, as scikit-learn does.
    z.scale[j] = sd > 1e-12 * std::max(1.0, std::fabs(mean[j])) ? static_cast<float>(sd) : 1.0f;
  }
  return z;
}

Standardizer Standardizer::fit_global(const Dataset& ds, std::span<const std::size_t> rows) {
  double sum = 0, sq = 0;
  for (std::size_t r : rows) {
    const auto row = ds.x.row(static_cast<Eigen::Index>(r)).cast<double>();
    sum += row.sum();
    sq += row.squaredNorm();
  }
  const double n = static_cast<double>(rows.size()) * static_cast<double>(ds.features());
  const double mean = n > 0 ? sum / n : 0.0,
               sd = n > 0 ? std::sqrt(std::max(0.0, sq / n - mean * mean)) : 0.0;
  Standardizer z;
  z.mean = RowVectorF::Constant(static_cast<Eigen::Index>(ds.features()), static_cast<float>(mean));
  z.scale =
      RowVectorF::Constant(static_cast<Eigen::Index>(ds.features()), static_cast<float>(sd > 0 ? sd : 1.0));
  return z;
}

void Standardizer::apply(Dataset& ds) const {
  ds.x = ((ds.x.rowwise() - mean).array().rowwise() / scale.array()).matrix();
}

}  // namespace actlab::data
