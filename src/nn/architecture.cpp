#include "nn/architecture.hpp"

#include <charconv>
#include <cmath>

#include "nn/activation_layer.hpp"
#include "nn/conv2d.hpp"
#include "nn/dense.hpp"
#include "nn/dropout.hpp"
#include "nn/flatten.hpp"
#include "nn/max_pool.hpp"

namespace actlab::nn {
namespace {

using activations::Activation;

// Generous bounds on a model spec (docs/limits.md): a typo like mlp:100000x3 must fail with a message, not
// ask for 40 GB.
constexpr int kMaxDenseLayers = 1000;
constexpr double kMaxParameters = 1e8;

Result<int> positive(std::string_view s, std::string_view spec) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 1) {
    return Status::invalid("model '" + std::string(spec) + "': '" + std::string(s) +
                           "' is not a positive integer");
  }
  return v;
}

Status add_activation(Model<float>& m, const Activation& act) {
  return m.add(ActivationLayer<float>::make(act, m.output_shape()));
}

// Widths w[0..L] → L dense layers with activations between (and after, when an output one is given).
Result<Model<float>> mlp(const std::vector<int>& widths, const Shape& input, std::span<const Activation> acts,
                         std::string_view spec) {
  const std::size_t dense = widths.size() - 1, hidden = dense - 1;
  if (dense > static_cast<std::size_t>(kMaxDenseLayers)) {
    return Status::invalid("model '" + std::string(spec) + "': more than the limit of " +
                           std::to_string(kMaxDenseLayers) + " dense layers");
  }
  double parameters = 0;
  for (std::size_t i = 0; i < dense; ++i) parameters += (double(widths[i]) + 1) * double(widths[i + 1]);
  if (parameters > kMaxParameters) {
    return Status::invalid("model '" + std::string(spec) + "': " + std::to_string(std::llround(parameters)) +
                           " parameters exceed the limit of 100000000");
  }
  if (!(acts.size() == 1 || acts.size() == hidden || acts.size() == dense)) {
    return Status::invalid("model '" + std::string(spec) + "' has " + std::to_string(hidden) +
                           " hidden activation slots (+1 optional output slot): give 1, " +
                           std::to_string(hidden) + " or " + std::to_string(dense) + " activations, got " +
                           std::to_string(acts.size()));
  }
  Model<float> m(input);
  if (input.dims.size() != 1) {
    if (Status s = m.add(std::make_unique<Flatten<float>>(input)); !s.is_ok()) return s;
  }
  for (std::size_t i = 0; i < dense; ++i) {
    if (Status s = m.add(std::make_unique<Dense<float>>(widths[i], widths[i + 1])); !s.is_ok()) return s;
    const bool last = i + 1 == dense;
    if (!last) {
      if (Status s = add_activation(m, acts.size() == 1 ? acts[0] : acts[i]); !s.is_ok()) return s;
    } else if (acts.size() == dense) {
      if (Status s = add_activation(m, acts[i]); !s.is_ok()) return s;
    }
  }
  return m;
}

}  // namespace

Result<Model<float>> build_model(std::string_view spec, const Shape& input, int outputs,
                                 std::span<const Activation> acts) {
  if (acts.empty()) return Status::invalid("model '" + std::string(spec) + "': no activation given");
  const int in = input.size();
  if (spec.starts_with("mlp:")) {
    const std::string_view body = spec.substr(4);
    std::vector<int> widths;
    if (const auto x = body.find('x'); x != std::string_view::npos) {
      auto w = positive(body.substr(0, x), spec);
      if (!w) return w.status();
      auto d = positive(body.substr(x + 1), spec);
      if (!d) return d.status();
      if (*d < 2) return Status::invalid("model '" + std::string(spec) + "': needs at least 2 dense layers");
      if (*d > kMaxDenseLayers) {
        return Status::invalid("model '" + std::string(spec) + "': more than the limit of " +
                               std::to_string(kMaxDenseLayers) + " dense layers");
      }
      widths.assign(static_cast<std::size_t>(*d) + 1, *w);
      widths.front() = in;
      widths.back() = outputs;
    } else {
      std::size_t pos = 0;
      while (pos <= body.size()) {
        const auto dash = body.find('-', pos);
        auto v =
            positive(body.substr(pos, dash == std::string_view::npos ? body.size() - pos : dash - pos), spec);
        if (!v) return v.status();
        widths.push_back(*v);
        if (dash == std::string_view::npos) break;
        pos = dash + 1;
      }
      if (widths.size() < 2)
        return Status::invalid("model '" + std::string(spec) + "': needs at least 2 sizes");
      if (widths.front() != in || widths.back() != outputs) {
        return Status::invalid("model '" + std::string(spec) + "': the data has " + std::to_string(in) +
                               " inputs and " + std::to_string(outputs) +
                               " outputs, so the sizes must run from " + std::to_string(in) + " to " +
                               std::to_string(outputs));
      }
    }
    return mlp(widths, input, acts, spec);
  }
  if (spec == "cnn:lapid" || spec == "fcn:lapid") {
    if (!(acts.size() == 1 || acts.size() == 3)) {
      return Status::invalid("model '" + std::string(spec) +
                             "' has 3 activation slots: give 1 or 3 activations");
    }
    const Activation& a1 = acts[0];
    const Activation& a2 = acts.size() == 3 ? acts[1] : acts[0];
    const Activation& a3 = acts.size() == 3 ? acts[2] : acts[0];
    Model<float> m(input);
    Status s;
    if (spec == "cnn:lapid") {
      if (input.dims.size() != 3) {
        return Status::invalid("cnn:lapid needs image data ({C, H, W} input), got " + input.str());
      }
      if (!(s = m.add(Conv2d<float>::make(m.output_shape(), 32, 3))).is_ok()) return s;
      if (!(s = add_activation(m, a1)).is_ok()) return s;
      if (!(s = m.add(MaxPool2d<float>::make(m.output_shape(), 2))).is_ok()) return s;
      if (!(s = m.add(Conv2d<float>::make(m.output_shape(), 64, 3))).is_ok()) return s;
      if (!(s = add_activation(m, a2)).is_ok()) return s;
      if (!(s = m.add(MaxPool2d<float>::make(m.output_shape(), 2))).is_ok()) return s;
      if (!(s = m.add(std::make_unique<Flatten<float>>(m.output_shape()))).is_ok()) return s;
      if (!(s = m.add(Dropout<float>::make(m.output_shape(), 0.5))).is_ok()) return s;
      if (!(s = m.add(std::make_unique<Dense<float>>(m.output_shape().size(), 1000))).is_ok()) return s;
      if (!(s = add_activation(m, a3)).is_ok()) return s;
      if (!(s = m.add(std::make_unique<Dense<float>>(1000, outputs))).is_ok()) return s;
      return m;
    }
    if (input.dims.size() != 1 && !(s = m.add(std::make_unique<Flatten<float>>(input))).is_ok()) return s;
    if (!(s = m.add(std::make_unique<Dense<float>>(in, 32))).is_ok()) return s;
    if (!(s = add_activation(m, a1)).is_ok()) return s;
    for (int i = 0; i < 5; ++i) {
      if (!(s = m.add(std::make_unique<Dense<float>>(32, 32))).is_ok()) return s;
      if (!(s = add_activation(m, a2)).is_ok()) return s;
    }
    if (!(s = m.add(std::make_unique<Dense<float>>(32, 32))).is_ok()) return s;
    if (!(s = add_activation(m, a3)).is_ok()) return s;
    if (!(s = m.add(std::make_unique<Dense<float>>(32, outputs))).is_ok()) return s;
    return m;
  }
  return Status::invalid("unknown model '" + std::string(spec) +
                         "' (mlp:WxD, mlp:N0-N1-...-Nk, cnn:lapid, fcn:lapid, or a model file .json)");
}

}  // namespace actlab::nn
