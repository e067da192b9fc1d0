#include "shallow/deep_net.hpp"

#include <cmath>

#include "core/rng.hpp"
#include "nn/activation_layer.hpp"
#include "nn/dense.hpp"
#include "shallow/piecewise.hpp"

namespace actlab::shallow {

Result<DeepReluNet> DeepReluNet::make(std::vector<AffineLayer> layers) {
  if (layers.empty()) return Status::invalid("the network has no layer");
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const AffineLayer& a = layers[l];
    if (a.w.rows() == 0 || a.w.cols() == 0 || a.b.size() != a.w.rows()) {
      return Status::invalid("layer " + std::to_string(l) + ": weight " + std::to_string(a.w.rows()) + "x" +
                             std::to_string(a.w.cols()) + " and bias " + std::to_string(a.b.size()) +
                             " do not fit");
    }
    if (l > 0 && a.w.cols() != layers[l - 1].w.rows()) {
      return Status::invalid("layer " + std::to_string(l) + " reads " + std::to_string(a.w.cols()) +
                             " values but layer " + std::to_string(l - 1) + " gives " +
                             std::to_string(layers[l - 1].w.rows()));
    }
    if (!a.w.allFinite() || !a.b.allFinite()) {
      return Status::invalid("layer " + std::to_string(l) + " has a non-finite weight or bias");
    }
  }
  DeepReluNet net;
  net.layers_ = std::move(layers);
  net.index();
  return net;
}

void DeepReluNet::index() {
  layer_of_.clear();
  layer_start_.clear();
  hidden_ = 0;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    layer_start_.push_back(hidden_);
    if (l + 1 == layers_.size()) break;
    for (Eigen::Index i = 0; i < layers_[l].w.rows(); ++i) layer_of_.push_back(static_cast<int>(l));
    hidden_ += static_cast<int>(layers_[l].w.rows());
  }
  layer_start_.back() = hidden_;
}

Result<DeepReluNet> DeepReluNet::from_model(const nn::Model<float>& model) {
  std::vector<AffineLayer> out;
  // cur: the affine map from the last ReLU layer's outputs (or the input) to the current values. Dense layers
  // compose into it; an activation g = offset + Σ_k coef_k·relu(scale_k·t + shift_k) (shallow/piecewise.hpp)
  // turns it into a ReLU layer with one unit per (neuron j, hinge k), pre-activation scale_k·cur_j + shift_k,
  // and cur becomes the combination t_j = offset + Σ_k coef_k·u_jk, which the next layer composes with.
  const int n = model.input_shape().size();
  AffineLayer cur{MatrixD::Identity(n, n), Eigen::VectorXd::Zero(n)};
  bool any = false;  // a dense or activation layer seen
  for (std::size_t i = 0; i < model.size(); ++i) {
    const nn::Layer<float>& layer = model.layer(i);
    const std::string where = "layers[" + std::to_string(i) + "] (" + layer.type() + ")";
    if (layer.kind() == nn::LayerKind::kFlatten || layer.kind() == nn::LayerKind::kDropout) continue;
    if (layer.kind() == nn::LayerKind::kDense) {
      const auto& d = static_cast<const nn::Dense<float>&>(layer);
      const MatrixD w = d.weight().value.cast<double>();
      const Eigen::VectorXd b = d.bias().value.cast<double>().transpose();
      cur.b = w * cur.b + b;
      cur.w = w * cur.w;
      any = true;
      continue;
    }
    if (layer.kind() == nn::LayerKind::kActivation) {
      const auto& a = static_cast<const nn::ActivationLayer<float>&>(layer);
      auto act = a.current_activation();  // PReLU's learned slope
      if (!act) return Status::invalid(where + ": " + act.status().message());
      auto g = relu_form(*act);
      if (!g) return Status::invalid(where + ": " + g.status().message());
      any = true;
      if (g->affine()) {
        cur.w *= g->slope;
        cur.b = (g->slope * cur.b.array() + g->offset).matrix();
        continue;
      }
      const ReluForm h = g->without_slope();
      const Eigen::Index k = cur.w.rows(), m = static_cast<Eigen::Index>(h.hinges.size());
      AffineLayer hidden{MatrixD(k * m, cur.w.cols()), Eigen::VectorXd(k * m)};
      MatrixD comb = MatrixD::Zero(k, k * m);
      for (Eigen::Index j = 0; j < k; ++j) {
        for (Eigen::Index q = 0; q < m; ++q) {
          const Hinge& hq = h.hinges[static_cast<std::size_t>(q)];
          hidden.w.row(j * m + q) = hq.scale * cur.w.row(j);
          hidden.b[j * m + q] = hq.scale * cur.b[j] + hq.shift;
          comb(j, j * m + q) = hq.coef;
        }
      }
      out.push_back(std::move(hidden));
      cur = {std::move(comb), Eigen::VectorXd::Constant(k, h.offset)};
      continue;
    }
    return Status::invalid(where + ": layer type '" + layer.type() +
                           "' is not supported; shallow conversion needs dense layers and piecewise-linear "
                           "activations");
  }
  if (!any) return Status::invalid("the model has no dense layer");
  out.push_back(std::move(cur));  // the read-out
  return make(std::move(out));
}

Status DeepReluNet::fold_standardization(const Eigen::VectorXd& mean, const Eigen::VectorXd& scale) {
  if (mean.size() != input_dim() || scale.size() != input_dim()) {
    return Status::invalid("standardisation has " + std::to_string(mean.size()) + " values, the input " +
                           std::to_string(input_dim()));
  }
  AffineLayer& f = layers_.front();
  // W·((x − μ)/s) + b = (W diag(1/s)) x + (b − W diag(1/s) μ)
  for (Eigen::Index j = 0; j < f.w.cols(); ++j) {
    if (!(scale[j] != 0) || !std::isfinite(scale[j])) return Status::invalid("standardisation scale is 0");
    f.w.col(j) /= scale[j];
  }
  f.b -= f.w * mean;
  return Status::ok();
}

bool DeepReluNet::integer_weights() const {
  for (const AffineLayer& a : layers_) {
    for (Eigen::Index i = 0; i < a.w.size(); ++i)
      if (a.w.data()[i] != std::round(a.w.data()[i])) return false;
    for (Eigen::Index i = 0; i < a.b.size(); ++i)
      if (a.b[i] != std::round(a.b[i])) return false;
  }
  return true;
}

std::string DeepReluNet::arch() const {
  std::string s = std::to_string(input_dim());
  for (const AffineLayer& a : layers_) {
    s += '-';
    s += std::to_string(a.w.rows());
  }
  return s;
}

Eigen::VectorXd DeepReluNet::forward(const Eigen::VectorXd& x) const {
  Eigen::VectorXd z;
  return forward(x, z);
}

Eigen::VectorXd DeepReluNet::forward(const Eigen::VectorXd& x, Eigen::VectorXd& preact) const {
  preact.resize(hidden_);
  Eigen::VectorXd h = x;
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    Eigen::VectorXd z = layers_[l].w * h + layers_[l].b;
    if (l + 1 == layers_.size()) return z;
    preact.segment(layer_start_[l], z.size()) = z;
    h = z.cwiseMax(0.0);
  }
  return h;
}

Pattern DeepReluNet::pattern(const Eigen::VectorXd& x) const {
  Eigen::VectorXd z;
  forward(x, z);
  Pattern s(static_cast<std::size_t>(hidden_));
  for (int i = 0; i < hidden_; ++i) s[static_cast<std::size_t>(i)] = z[i] > 0 ? 1 : 0;
  return s;
}

LocalModel DeepReluNet::local(const Pattern& s) const {
  const int n = input_dim();
  LocalModel lm;
  lm.rows_a.resize(hidden_, n);
  lm.rows_d.resize(hidden_);
  MatrixD a = MatrixD::Identity(n, n);  // h^(l−1) = a·x + d on the region
  Eigen::VectorXd d = Eigen::VectorXd::Zero(n);
  for (std::size_t l = 0; l < layers_.size(); ++l) {
    MatrixD za = layers_[l].w * a;
    Eigen::VectorXd zd = layers_[l].w * d + layers_[l].b;
    if (l + 1 == layers_.size()) {
      lm.alpha = std::move(za);
      lm.beta = std::move(zd);
      break;
    }
    const int start = layer_start_[l];
    lm.rows_a.middleRows(start, za.rows()) = za;
    lm.rows_d.segment(start, zd.size()) = zd;
    for (Eigen::Index i = 0; i < za.rows(); ++i) {
      if (!s[static_cast<std::size_t>(start + i)]) {
        za.row(i).setZero();
        zd[i] = 0;
      }
    }
    a = std::move(za);
    d = std::move(zd);
  }
  return lm;
}

DeepReluNet random_relu_net(const std::vector<int>& widths, std::uint64_t seed, int integer_lo,
                            int integer_hi) {
  Rng rng = Rng::derive(seed, "random_relu_net");
  std::vector<AffineLayer> layers;
  for (std::size_t l = 1; l < widths.size(); ++l) {
    AffineLayer a{MatrixD(widths[l], widths[l - 1]), Eigen::VectorXd(widths[l])};
    const double sd = std::sqrt(2.0 / widths[l - 1]);
    auto draw = [&](double scale) {
      if (integer_hi > integer_lo)
        return static_cast<double>(integer_lo + static_cast<int>(rng.below(static_cast<std::uint64_t>(
                                                    integer_hi - integer_lo + 1))));
      return scale * rng.normal();
    };
    for (Eigen::Index i = 0; i < a.w.size(); ++i) a.w.data()[i] = draw(sd);
    for (Eigen::Index i = 0; i < a.b.size(); ++i) a.b[i] = draw(0.25);
    layers.push_back(std::move(a));
  }
  return DeepReluNet::make(std::move(layers)).value();
}

Result<nn::Model<float>> random_mlp_model(const std::vector<int>& widths,
                                          const std::vector<activations::Activation>& acts,
                                          std::uint64_t seed, int integer_lo, int integer_hi) {
  if (widths.size() < 2) return Status::invalid("widths: need an input and an output width");
  const std::size_t hidden = widths.size() - 2;
  if (acts.size() != 1 && acts.size() != hidden) {
    return Status::invalid("acts: " + std::to_string(acts.size()) + " activations for " +
                           std::to_string(hidden) + " hidden layers");
  }
  Rng rng = Rng::derive(seed, "random_mlp_model");
  auto draw = [&](double sd) {
    if (integer_hi > integer_lo)
      return static_cast<float>(
          integer_lo + static_cast<int>(rng.below(static_cast<std::uint64_t>(integer_hi - integer_lo + 1))));
    return static_cast<float>(sd * rng.normal());
  };
  nn::Model<float> m({{widths[0]}});
  for (std::size_t l = 1; l < widths.size(); ++l) {
    auto d = std::make_unique<nn::Dense<float>>(widths[l - 1], widths[l]);
    const double sd = std::sqrt(2.0 / widths[l - 1]);
    for (Eigen::Index i = 0; i < d->weight().value.size(); ++i) d->weight().value.data()[i] = draw(sd);
    for (Eigen::Index i = 0; i < d->bias().value.size(); ++i) d->bias().value.data()[i] = draw(0.5);
    if (Status s = m.add(std::unique_ptr<nn::Layer<float>>(std::move(d))); !s.is_ok()) return s;
    if (l + 1 == widths.size()) break;
    const activations::Activation& act = acts.size() == 1 ? acts[0] : acts[l - 1];
    if (Status s = m.add(nn::ActivationLayer<float>::make(act, {{widths[l]}})); !s.is_ok()) return s;
  }
  return m;
}

}  // namespace actlab::shallow
