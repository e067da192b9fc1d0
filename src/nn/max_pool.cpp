#include "nn/max_pool.hpp"

namespace actlab::nn {

template <class T>
Result<std::unique_ptr<MaxPool2d<T>>> MaxPool2d<T>::make(const Shape& in, int size) {
  if (in.dims.size() != 3) return Status::invalid("maxpool2d needs a {C, H, W} input, got " + in.str());
  if (size < 1 || in.dims[1] < size || in.dims[2] < size) {
    return Status::invalid("maxpool2d: window " + std::to_string(size) + " does not fit the input " +
                           in.str());
  }
  std::unique_ptr<MaxPool2d> p(new MaxPool2d());
  p->size_ = size;
  p->in_ = in;
  p->out_ = {{in.dims[0], in.dims[1] / size, in.dims[2] / size}};
  return p;
}

template <class T>
void MaxPool2d<T>::forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode, Rng&) {
  const int c = this->in_.dims[0], h = this->in_.dims[1], w = this->in_.dims[2];
  const int ho = this->out_.dims[1], wo = this->out_.dims[2], out = this->out_.size();
  y.resize(x.rows(), out);
  argmax_.resize(static_cast<std::size_t>(x.rows()) * out);
  for (Eigen::Index b = 0; b < x.rows(); ++b) {
    const T* xb = x.data() + b * x.cols();
    T* yb = y.data() + b * out;
    std::int32_t* ab = argmax_.data() + b * out;
    for (int ch = 0; ch < c; ++ch) {
      for (int oy = 0; oy < ho; ++oy) {
        for (int ox = 0; ox < wo; ++ox) {
          // First maximum in row-major window order; a NaN wins (it propagates, as in torch). Written as
          // selects, not branches: the comparisons are unpredictable.
          int best = (ch * h + oy * size_) * w + ox * size_;
          T m = xb[best];
          for (int ky = 0; ky < size_; ++ky) {
            const int row = (ch * h + oy * size_ + ky) * w + ox * size_;
            for (int kx = ky == 0 ? 1 : 0; kx < size_; ++kx) {
              const T v = xb[row + kx];
              const bool take = (v > m) | (v != v);
              m = take ? v : m;
              best = take ? row + kx : best;
            }
          }
          const int o = (ch * ho + oy) * wo + ox;
          yb[o] = m;
          ab[o] = best;
        }
      }
    }
  }
}

template <class T>
void MaxPool2d<T>::backward(const RowMatrix<T>& x, const RowMatrix<T>&, const RowMatrix<T>& dy,
                            RowMatrix<T>* dx) {
  if (!dx) return;
  dx->setZero(x.rows(), x.cols());
  const Eigen::Index out = dy.cols();
  for (Eigen::Index b = 0; b < dy.rows(); ++b) {
    T* dxb = dx->data() + b * dx->cols();
    const std::int32_t* ab = argmax_.data() + b * out;
    for (Eigen::Index o = 0; o < out; ++o) dxb[ab[o]] += dy(b, o);
  }
}

template <class T>
std::unique_ptr<Layer<double>> MaxPool2d<T>::to_double() const {
  return std::move(*MaxPool2d<double>::make(this->in_, size_));
}

template class MaxPool2d<float>;
template class MaxPool2d<double>;

}  // namespace actlab::nn
