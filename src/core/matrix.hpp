// Eigen aliases shared by data/, nn/ and optim/: batch-major, row-major float matrices.
//
//   MatrixF x(batch, features);     // one sample per row, features contiguous
//   VectorF v = x.row(0).transpose();
//   Eigen::Map<const MatrixF> view(ptr, rows, cols);
//
// Row-major so that a sample (or a mini-batch of consecutive samples) is one contiguous block: gathering a
// shuffled mini-batch is a row copy, and a dense layer is Y = X·Wᵀ + b with W stored out×in as in PyTorch.
#pragma once

#include <Eigen/Core>

namespace actlab {

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixF = RowMatrix<float>;
using MatrixD = RowMatrix<double>;
using VectorF = Eigen::VectorXf;
using RowVectorF = Eigen::RowVectorXf;

}  // namespace actlab
