#include "nn/loss.hpp"

#include <cmath>

namespace actlab::nn {

Result<LossKind> parse_loss(std::string_view name) {
  if (name == "cross_entropy" || name == "ce" || name == "cross-entropy") return LossKind::kCrossEntropy;
  if (name == "mse") return LossKind::kMse;
  return Status::invalid("unknown loss '" + std::string(name) + "' (choose cross_entropy or mse)");
}

std::string loss_name(LossKind kind) { return kind == LossKind::kCrossEntropy ? "cross_entropy" : "mse"; }

template <class T>
double cross_entropy(const RowMatrix<T>& out, std::span<const int> labels, RowMatrix<T>* dout) {
  const Eigen::Index batch = out.rows(), k = out.cols();
  if (dout) dout->resize(batch, k);
  double total = 0;
  const double inv_b = 1.0 / static_cast<double>(batch);
  for (Eigen::Index b = 0; b < batch; ++b) {
    const T* row = out.data() + b * k;
    double m = row[0];
    for (Eigen::Index j = 1; j < k; ++j) m = std::max(m, static_cast<double>(row[j]));
    double sum = 0;
    for (Eigen::Index j = 0; j < k; ++j) sum += std::exp(static_cast<double>(row[j]) - m);
    const double log_sum = std::log(sum);
    const int label = labels[static_cast<std::size_t>(b)];
    total -= static_cast<double>(row[label]) - m - log_sum;
    if (dout) {
      T* d = dout->data() + b * k;
      for (Eigen::Index j = 0; j < k; ++j) {
        const double p = std::exp(static_cast<double>(row[j]) - m - log_sum);
        d[j] = static_cast<T>((p - (j == label ? 1.0 : 0.0)) * inv_b);
      }
    }
  }
  return total * inv_b;
}

template <class T>
double mse(const RowMatrix<T>& out, const RowMatrix<T>& target, RowMatrix<T>* dout) {
  const double n = static_cast<double>(out.size());
  const auto diff = (out.template cast<double>() - target.template cast<double>()).eval();
  if (dout) *dout = (diff * (2.0 / n)).template cast<T>();
  return diff.squaredNorm() / n;
}

template <class T>
std::size_t correct_count(const RowMatrix<T>& out, std::span<const int> labels) {
  std::size_t correct = 0;
  for (Eigen::Index b = 0; b < out.rows(); ++b) {
    Eigen::Index arg = 0;
    out.row(b).maxCoeff(&arg);
    if (arg == labels[static_cast<std::size_t>(b)]) ++correct;
  }
  return correct;
}

template double cross_entropy(const RowMatrix<float>&, std::span<const int>, RowMatrix<float>*);
template double cross_entropy(const RowMatrix<double>&, std::span<const int>, RowMatrix<double>*);
template double mse(const RowMatrix<float>&, const RowMatrix<float>&, RowMatrix<float>*);
template double mse(const RowMatrix<double>&, const RowMatrix<double>&, RowMatrix<double>*);
template std::size_t correct_count(const RowMatrix<float>&, std::span<const int>);
template std::size_t correct_count(const RowMatrix<double>&, std::span<const int>);

}  // namespace actlab::nn
