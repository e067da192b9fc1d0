#include "nn/dense.hpp"

namespace actlab::nn {

template <class T>
Dense<T>::Dense(int in, int out) {
  this->in_ = {{in}};
  this->out_ = {{out}};
  weight_ = {"weight", RowMatrix<T>::Zero(out, in), RowMatrix<T>::Zero(out, in)};
  bias_ = {"bias", RowMatrix<T>::Zero(1, out), RowMatrix<T>::Zero(1, out)};
}

template <class T>
void Dense<T>::forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode, Rng&) {
  // The GEMM accumulates onto the broadcast bias (BLAS's C = A·B + C, as torch's addmm): Eigen's y = A·B
  // would zero y first and then need a second pass for the bias.
  y.resize(x.rows(), out());
  for (Eigen::Index r = 0; r < y.rows(); ++r) y.row(r) = bias_.value.row(0);  // (replicate() is scalar code)
  y.noalias() += x * weight_.value.transpose();
}

template <class T>
void Dense<T>::backward(const RowMatrix<T>& x, const RowMatrix<T>&, const RowMatrix<T>& dy,
                        RowMatrix<T>* dx) {
  weight_.grad.noalias() += dy.transpose() * x;
  bias_.grad.row(0) += dy.colwise().sum();
  if (dx) {
    dx->resize(x.rows(), in());
    dx->noalias() = dy * weight_.value;
  }
}

template <class T>
Json Dense<T>::to_json() const {
  return {{"type", this->type()},
          {"in", in()},
          {"out", out()},
          {"weight", matrix_to_json(weight_.value)},
          {"bias", vector_to_json(bias_.value)}};
}

template <class T>
std::unique_ptr<Layer<double>> Dense<T>::to_double() const {
  auto d = std::make_unique<Dense<double>>(in(), out());
  d->weight().value = weight_.value.template cast<double>();
  d->bias().value = bias_.value.template cast<double>();
  return d;
}

template class Dense<float>;
template class Dense<double>;

}  // namespace actlab::nn
