#include "nn/activation_layer.hpp"

#include <map>

#include "activations/derivative.hpp"
#include "activations/row_ops.hpp"

namespace actlab::nn {

using activations::Activation;
using activations::Expr;
using activations::RowOp;
using activations::Stochastic;

template <class T>
Result<std::unique_ptr<ActivationLayer<T>>> ActivationLayer<T>::make(const Activation& act,
                                                                     const Shape& shape) {
  std::unique_ptr<ActivationLayer> layer(new ActivationLayer(act));
  layer->in_ = shape;
  layer->out_ = shape;
  if (act.row_wise()) return layer;
  std::vector<Expr> outputs;
  const auto* entry = act.entry();
  if (entry && entry->has_learnable_params()) {
    // Keep the learnable names symbolic, bind the others: f, f', then ∂f/∂a per learnable a.
    Expr f = act.symbolic();
    for (const auto& [name, value] : act.params()) {
      const auto* spec = entry->find_param(name);
      if (spec && spec->learnable) {
        layer->learnable_.push_back(name);
        RowMatrix<T> v(1, 1);
        v(0, 0) = static_cast<T>(value);
        layer->learned_.push_back({name, v, RowMatrix<T>::Zero(1, 1)});
      } else {
        f = activations::substitute(f, name, value);
      }
    }
    f = activations::simplify(f);
    outputs = {f, activations::simplify(activations::derivative(f))};
    for (const auto& name : layer->learnable_) {
      outputs.push_back(activations::simplify(activations::derivative(f, name)));
    }
    layer->dparam_.resize(layer->learnable_.size());
  } else {
    outputs = {act.f_expr(), act.df_expr()};
  }
  auto k = activations::Kernel<T>::compile(outputs, layer->learnable_);
  if (!k) return Status::invalid("activation '" + act.name() + "': " + k.status().message());
  layer->kernel_ = std::move(*k);
  auto v = activations::Kernel<T>::compile({outputs.front()}, layer->learnable_);
  if (!v) return Status::invalid("activation '" + act.name() + "': " + v.status().message());
  layer->value_kernel_ = std::move(*v);
  return layer;
}

template <class T>
std::vector<double> ActivationLayer<T>::param_values() const {
  std::vector<double> v;
  for (const auto& p : learned_) v.push_back(static_cast<double>(p.value(0, 0)));
  return v;
}

template <class T>
void ActivationLayer<T>::forward(const RowMatrix<T>& x, RowMatrix<T>& y, Mode mode, Rng& rng) {
  y.resize(x.rows(), x.cols());
  const std::size_t n = static_cast<std::size_t>(x.size());
  if (act_.row_wise()) {
    const double tau = act_.row_op() == RowOp::kGumbelSoftmax ? act_.param("tau") : 1.0;
    const std::size_t w = static_cast<std::size_t>(x.cols());
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      activations::row_forward<T>(act_.row_op(), {x.data() + r * w, w}, {y.data() + r * w, w}, tau, &rng);
    }
    return;
  }
  if (mode == Mode::kInfer) {  // rrelu included: its f is the eval-mode mean slope
    T* out = y.data();
    value_kernel_.eval({x.data(), n}, std::span<T* const>(&out, 1), param_values());
    return;
  }
  slope_.resize(x.rows(), x.cols());
  if (act_.stochastic() == Stochastic::kRrelu && mode == Mode::kTrain) {
    const double lo = act_.param("lower"), hi = act_.param("upper");
    for (std::size_t i = 0; i < n; ++i) {
      const T xi = x.data()[i];
      const T r = xi <= 0 ? static_cast<T>(rng.uniform(lo, hi)) : T(1);
      slope_.data()[i] = r;
      y.data()[i] = xi * r;
    }
    return;
  }
  std::vector<T*> out = {y.data(), slope_.data()};
  for (auto& d : dparam_) {
    d.resize(x.rows(), x.cols());
    out.push_back(d.data());
  }
  const std::vector<double> pv = param_values();
  kernel_.eval({x.data(), n}, std::span<T* const>(out.data(), out.size()), pv);
}

template <class T>
void ActivationLayer<T>::backward(const RowMatrix<T>&, const RowMatrix<T>& y, const RowMatrix<T>& dy,
                                  RowMatrix<T>* dx) {
  if (act_.row_wise()) {
    if (!dx) return;
    const double tau = act_.row_op() == RowOp::kGumbelSoftmax ? act_.param("tau") : 1.0;
    dx->setZero(y.rows(), y.cols());
    const std::size_t w = static_cast<std::size_t>(y.cols());
    for (Eigen::Index r = 0; r < y.rows(); ++r) {
      activations::row_backward<T>(act_.row_op(), {y.data() + r * w, w}, {dy.data() + r * w, w},
                                   {dx->data() + r * w, w}, tau);
    }
    return;
  }
  for (std::size_t k = 0; k < learned_.size(); ++k) {
    learned_[k].grad(0, 0) += (dy.array() * dparam_[k].array()).sum();
  }
  if (dx) {
    dx->resize(dy.rows(), dy.cols());
    dx->array() = dy.array() * slope_.array();
  }
}

template <class T>
std::vector<Param<T>*> ActivationLayer<T>::params() {
  std::vector<Param<T>*> p;
  for (auto& l : learned_) p.push_back(&l);
  return p;
}

template <class T>
Result<Activation> ActivationLayer<T>::current_activation() const {
  if (learned_.empty()) return act_;
  std::map<std::string, double> params;
  for (const auto& [name, value] : act_.params()) params[name] = value;
  for (const auto& l : learned_) params[l.name] = static_cast<double>(l.value(0, 0));
  return Activation::make(act_.name(), params);
}

template <class T>
Json ActivationLayer<T>::to_json() const {
  Json j = {{"type", this->type()}, {"name", act_.name()}};
  if (!act_.params().empty()) {
    Json p = Json::object();
    for (const auto& [name, value] : act_.params()) p[name] = json_number(value);
    for (const auto& l : learned_) p[l.name] = json_number(static_cast<double>(l.value(0, 0)));
    j["params"] = std::move(p);
  }
  return j;
}

template <class T>
std::unique_ptr<Layer<double>> ActivationLayer<T>::to_double() const {
  auto act = current_activation();
  auto layer = ActivationLayer<double>::make(act ? *act : act_, this->in_);
  return layer ? std::unique_ptr<Layer<double>>(std::move(*layer)) : nullptr;
}

template class ActivationLayer<float>;
template class ActivationLayer<double>;

}  // namespace actlab::nn
