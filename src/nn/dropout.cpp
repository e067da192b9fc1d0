#include "nn/dropout.hpp"

namespace actlab::nn {

template <class T>
Result<std::unique_ptr<Dropout<T>>> Dropout<T>::make(const Shape& in, double p) {
  if (!(p >= 0 && p < 1))
    return Status::invalid("dropout probability must be in [0, 1), got " + std::to_string(p));
  std::unique_ptr<Dropout> d(new Dropout());
  d->in_ = in;
  d->out_ = in;
  d->p_ = p;
  return d;
}

template <class T>
void Dropout<T>::forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) {
  active_ = mode == Mode::kTrain && p_ > 0;
  if (!active_) {
    y = x;
    return;
  }
  const T keep = static_cast<T>(1.0 / (1.0 - p_));
  mask_.resize(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < mask_.size(); ++i) mask_.data()[i] = rng.uniform() < p_ ? T(0) : keep;
  y.resize(x.rows(), x.cols());
  y.array() = x.array() * mask_.array();
}

template <class T>
void Dropout<T>::backward(const RowMatrix<T>&, const RowMatrix<T>&, const RowMatrix<T>& dy,
                          RowMatrix<T>* dx) {
  if (!dx) return;
  if (!active_) {
    *dx = dy;
    return;
  }
  dx->resize(dy.rows(), dy.cols());
  dx->array() = dy.array() * mask_.array();
}

template <class T>
std::unique_ptr<Layer<double>> Dropout<T>::to_double() const {
  return std::move(*Dropout<double>::make(this->in_, p_));
}

template class Dropout<float>;
template class Dropout<double>;

}  // namespace actlab::nn
