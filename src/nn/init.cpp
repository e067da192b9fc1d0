#include "nn/init.hpp"

#include <Eigen/QR>
#include <cmath>

#include "nn/conv2d.hpp"
#include "nn/dense.hpp"

namespace actlab::nn {
namespace {

Result<double> key_value(std::string_view item, std::string_view key) {
  const auto eq = item.find('=');
  if (eq == std::string_view::npos || item.substr(0, eq) != key) {
    return Status::invalid("expected " + std::string(key) + "=VALUE, got '" + std::string(item) + "'");
  }
  const std::string v(item.substr(eq + 1));
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(d)) {
    return Status::invalid(std::string(key) + ": '" + v + "' is not a number");
  }
  return d;
}

struct Weighted {
  RowMatrix<float>* weight;
  RowMatrix<float>* bias;
  int fan_in, fan_out;
};

std::vector<Weighted> weighted_layers(Model<float>& model) {
  std::vector<Weighted> out;
  for (std::size_t i = 0; i < model.size(); ++i) {
    Layer<float>& l = model.layer(i);
    if (auto* d = dynamic_cast<Dense<float>*>(&l)) {
      out.push_back({&d->weight().value, &d->bias().value, d->in(), d->out()});
    } else if (auto* c = dynamic_cast<Conv2d<float>*>(&l)) {
      const int k2 = c->fan_in() / c->in_shape().dims[0];
      out.push_back({&c->weight().value, &c->bias().value, c->fan_in(),
                     static_cast<int>(c->weight().value.rows()) * k2});
    }
  }
  return out;
}

void fill_normal(RowMatrix<float>& m, double sd, Rng& rng) {
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(sd * rng.normal());
}
void fill_uniform(RowMatrix<float>& m, double bound, Rng& rng) {
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<float>(rng.uniform(-bound, bound));
}

void orthogonal(RowMatrix<float>& w, double gain, Rng& rng) {
  const Eigen::Index rows = w.rows(), cols = w.cols();
  const bool flip = rows < cols;  // QR of the tall orientation, as torch does
  Eigen::MatrixXd a(flip ? cols : rows, flip ? rows : cols);
  for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = rng.normal();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(a.rows(), a.cols());
  const Eigen::MatrixXd r = qr.matrixQR().topRows(a.cols()).triangularView<Eigen::Upper>();
  for (Eigen::Index j = 0; j < q.cols(); ++j) {
    if (r(j, j) < 0) q.col(j) *= -1.0;
  }
  if (flip) q.transposeInPlace();
  w = (gain * q).cast<float>();
}

}  // namespace

Result<InitSpec> parse_init(std::string_view text) {
  const auto colon = text.find(':');
  const std::string_view name = text.substr(0, colon);
  const std::string_view rest = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  InitSpec s;
  if (name == "torch")
    s.kind = InitKind::kTorch;
  else if (name == "he" || name == "kaiming")
    s.kind = InitKind::kHe;
  else if (name == "glorot" || name == "xavier")
    s.kind = InitKind::kGlorot;
  else if (name == "lecun")
    s.kind = InitKind::kLecun;
  else if (name == "orthogonal")
    s.kind = InitKind::kOrthogonal;
  else if (name == "gaussian")
    s.kind = InitKind::kGaussian;
  else {
    return Status::invalid("unknown initialisation '" + std::string(name) +
                           "' (torch, he, glorot, lecun, orthogonal[:gain=G], gaussian:sigma_w=W,sigma_b=B, "
                           "critical[:sigma_b=B])");
  }
  std::size_t pos = 0;
  bool saw_w = false;
  while (pos < rest.size()) {
    const auto comma = rest.find(',', pos);
    const std::string_view item =
        rest.substr(pos, comma == std::string_view::npos ? rest.size() - pos : comma - pos);
    pos = comma == std::string_view::npos ? rest.size() : comma + 1;
    if (s.kind == InitKind::kOrthogonal) {
      auto g = key_value(item, "gain");
      if (!g) return g.status();
      s.sigma_w = *g;
    } else if (s.kind == InitKind::kGaussian && item.starts_with("sigma_w")) {
      auto v = key_value(item, "sigma_w");
      if (!v) return v.status();
      s.sigma_w = *v;
      saw_w = true;
    } else if (s.kind == InitKind::kGaussian && item.starts_with("sigma_b")) {
      auto v = key_value(item, "sigma_b");
      if (!v) return v.status();
      s.sigma_b = *v;
    } else {
      return Status::invalid("initialisation '" + std::string(name) + "' takes no option '" +
                             std::string(item) + "'");
    }
  }
  if (s.kind == InitKind::kGaussian && !saw_w)
    return Status::invalid("gaussian initialisation needs sigma_w=W");
  if (!(s.sigma_w > 0) || !(s.sigma_b >= 0)) return Status::invalid("need sigma_w > 0 and sigma_b >= 0");
  return s;
}

std::string init_name(const InitSpec& s) {
  switch (s.kind) {
    case InitKind::kTorch: return "torch";
    case InitKind::kHe: return "he";
    case InitKind::kGlorot: return "glorot";
    case InitKind::kLecun: return "lecun";
    case InitKind::kOrthogonal: return "orthogonal";
    case InitKind::kGaussian: {
      char buf[96];
      std::snprintf(buf, sizeof buf, "gaussian:sigma_w=%.6g,sigma_b=%.6g", s.sigma_w, s.sigma_b);
      return buf;
    }
  }
  return "?";
}

std::size_t weighted_layer_count(const Model<float>& model) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < model.size(); ++i) n += layer_kind_info(model.layer(i).kind()).weighted ? 1 : 0;
  return n;
}

Status initialize(Model<float>& model, std::span<const InitSpec> specs, std::uint64_t seed) {
  auto layers = weighted_layers(model);
  if (specs.size() != 1 && specs.size() != layers.size()) {
    return Status::invalid("initialisation: " + std::to_string(specs.size()) + " specs for " +
                           std::to_string(layers.size()) + " weighted layers (give one, or one per layer)");
  }
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const InitSpec& s = specs.size() == 1 ? specs[0] : specs[i];
    Weighted& l = layers[i];
    Rng rng = Rng::derive(seed, "init", i);
    const double fan_in = l.fan_in;
    l.bias->setZero();
    switch (s.kind) {
      case InitKind::kTorch:
        fill_uniform(*l.weight, 1.0 / std::sqrt(fan_in), rng);
        fill_uniform(*l.bias, 1.0 / std::sqrt(fan_in), rng);
        break;
      case InitKind::kHe: fill_normal(*l.weight, std::sqrt(2.0 / fan_in), rng); break;
      case InitKind::kGlorot: fill_uniform(*l.weight, std::sqrt(6.0 / (fan_in + l.fan_out)), rng); break;
      case InitKind::kLecun: fill_normal(*l.weight, std::sqrt(1.0 / fan_in), rng); break;
      case InitKind::kOrthogonal: orthogonal(*l.weight, s.sigma_w, rng); break;
      case InitKind::kGaussian:
        fill_normal(*l.weight, s.sigma_w / std::sqrt(fan_in), rng);
        if (s.sigma_b > 0) fill_normal(*l.bias, s.sigma_b, rng);
        break;
    }
  }
  return Status::ok();
}

}  // namespace actlab::nn
