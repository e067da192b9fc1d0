#include "nn/conv2d.hpp"

namespace actlab::nn {

template <class T>
Result<std::unique_ptr<Conv2d<T>>> Conv2d<T>::make(const Shape& in, int out_channels, int kernel, int stride,
                                                   int padding) {
  if (in.dims.size() != 3) return Status::invalid("conv2d needs a {C, H, W} input, got " + in.str());
  if (out_channels < 1 || kernel < 1 || stride < 1 || padding < 0) {
    return Status::invalid("conv2d: out_channels, kernel and stride must be >= 1 and padding >= 0");
  }
  std::unique_ptr<Conv2d> c(new Conv2d());
  c->c_ = in.dims[0];
  c->h_ = in.dims[1];
  c->w_ = in.dims[2];
  c->co_ = out_channels;
  c->k_ = kernel;
  c->s_ = stride;
  c->p_ = padding;
  c->ho_ = (c->h_ + 2 * padding - kernel) / stride + 1;
  c->wo_ = (c->w_ + 2 * padding - kernel) / stride + 1;
  if (c->h_ + 2 * padding < kernel || c->w_ + 2 * padding < kernel) {
    return Status::invalid("conv2d: kernel " + std::to_string(kernel) + " is larger than the input " +
                           in.str());
  }
  c->in_ = in;
  c->out_ = {{out_channels, c->ho_, c->wo_}};
  const int fan = c->fan_in();
  c->weight_ = {"weight", RowMatrix<T>::Zero(out_channels, fan), RowMatrix<T>::Zero(out_channels, fan)};
  c->bias_ = {"bias", RowMatrix<T>::Zero(1, out_channels), RowMatrix<T>::Zero(1, out_channels)};
  return c;
}

template <class T>
void Conv2d<T>::im2col(const RowMatrix<T>& x) {
  const Eigen::Index batch = x.rows(), hw = ho_ * wo_;
  patches_.resize(batch * hw, fan_in());
  for (Eigen::Index b = 0; b < batch; ++b) {
    const T* xb = x.data() + b * x.cols();
    for (int oy = 0; oy < ho_; ++oy) {
      for (int ox = 0; ox < wo_; ++ox) {
        T* row = patches_.data() + (b * hw + oy * wo_ + ox) * fan_in();
        if (p_ == 0) {  // every tap inside: k contiguous values per (c, ky)
          for (int c = 0; c < c_; ++c) {
            for (int ky = 0; ky < k_; ++ky, row += k_) {
              const T* src = xb + (c * h_ + oy * s_ + ky) * w_ + ox * s_;
              for (int kx = 0; kx < k_; ++kx) row[kx] = src[kx];
            }
          }
          continue;
        }
        for (int c = 0; c < c_; ++c) {
          for (int ky = 0; ky < k_; ++ky) {
            const int iy = oy * s_ + ky - p_;
            for (int kx = 0; kx < k_; ++kx) {
              const int ix = ox * s_ + kx - p_;
              const bool inside = iy >= 0 && iy < h_ && ix >= 0 && ix < w_;
              *row++ = inside ? xb[(c * h_ + iy) * w_ + ix] : T(0);
            }
          }
        }
      }
    }
  }
}

template <class T>
void Conv2d<T>::forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode, Rng&) {
  const Eigen::Index batch = x.rows(), hw = ho_ * wo_;
  im2col(x);
  yt_.resize(batch * hw, co_);
  yt_.noalias() = patches_ * weight_.value.transpose();
  y.resize(batch, co_ * hw);
  for (Eigen::Index b = 0; b < batch; ++b) {  // (b, oy, ox) × co  →  b × (co, oy, ox)
    Eigen::Map<RowMatrix<T>> yb(y.data() + b * y.cols(), co_, hw);
    yb = yt_.middleRows(b * hw, hw).transpose();
    yb.colwise() += bias_.value.row(0).transpose();
  }
}

template <class T>
void Conv2d<T>::backward(const RowMatrix<T>& x, const RowMatrix<T>&, const RowMatrix<T>& dy,
                         RowMatrix<T>* dx) {
  const Eigen::Index batch = dy.rows(), hw = ho_ * wo_;
  dyt_.resize(batch * hw, co_);
  for (Eigen::Index b = 0; b < batch; ++b) {
    Eigen::Map<const RowMatrix<T>> dyb(dy.data() + b * dy.cols(), co_, hw);
    dyt_.middleRows(b * hw, hw) = dyb.transpose();
  }
  weight_.grad.noalias() += dyt_.transpose() * patches_;
  bias_.grad.row(0) += dyt_.colwise().sum();
  if (!dx) return;
  dpatches_.resize(batch * hw, fan_in());
  dpatches_.noalias() = dyt_ * weight_.value;
  dx->setZero(batch, x.cols());
  for (Eigen::Index b = 0; b < batch; ++b) {
    T* dxb = dx->data() + b * dx->cols();
    for (int oy = 0; oy < ho_; ++oy) {
      for (int ox = 0; ox < wo_; ++ox) {
        const T* row = dpatches_.data() + (b * hw + oy * wo_ + ox) * fan_in();
        if (p_ == 0) {
          for (int c = 0; c < c_; ++c) {
            for (int ky = 0; ky < k_; ++ky, row += k_) {
              T* dst = dxb + (c * h_ + oy * s_ + ky) * w_ + ox * s_;
              for (int kx = 0; kx < k_; ++kx) dst[kx] += row[kx];
            }
          }
          continue;
        }
        for (int c = 0; c < c_; ++c) {
          for (int ky = 0; ky < k_; ++ky) {
            const int iy = oy * s_ + ky - p_;
            for (int kx = 0; kx < k_; ++kx, ++row) {
              const int ix = ox * s_ + kx - p_;
              if (iy >= 0 && iy < h_ && ix >= 0 && ix < w_) dxb[(c * h_ + iy) * w_ + ix] += *row;
            }
          }
        }
      }
    }
  }
}

template <class T>
Json Conv2d<T>::to_json() const {
  // weight[co][c][ky][kx] as torch stores it.
  Json w = Json::array();
  for (int o = 0; o < co_; ++o) {
    Json per_c = Json::array();
    for (int c = 0; c < c_; ++c) {
      Json rows = Json::array();
      for (int ky = 0; ky < k_; ++ky) {
        Json row = Json::array();
        for (int kx = 0; kx < k_; ++kx)
          row.push_back(static_cast<double>(weight_.value(o, (c * k_ + ky) * k_ + kx)));
        rows.push_back(std::move(row));
      }
      per_c.push_back(std::move(rows));
    }
    w.push_back(std::move(per_c));
  }
  return {{"type", this->type()},   {"in_channels", c_},
          {"out_channels", co_},    {"kernel", k_},
          {"stride", s_},           {"padding", p_},
          {"weight", std::move(w)}, {"bias", vector_to_json(bias_.value)}};
}

template <class T>
std::unique_ptr<Layer<double>> Conv2d<T>::to_double() const {
  auto d = Conv2d<double>::make(this->in_, co_, k_, s_, p_);
  (*d)->weight().value = weight_.value.template cast<double>();
  (*d)->bias().value = bias_.value.template cast<double>();
  return std::move(*d);
}

template class Conv2d<float>;
template class Conv2d<double>;

}  // namespace actlab::nn
