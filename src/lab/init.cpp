// Initialisation from theory (see init.hpp).
#include "lab/init.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "activations/activation.hpp"
#include "nn/activation_layer.hpp"
#include "report/format.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::lab {
namespace {

using activations::Activation;

// For each weighted layer, the activation whose output it consumes (the first layer: the one after it).
std::vector<const Activation*> feeding_activations(const nn::Model<float>& m) {
  std::vector<const Activation*> out;
  const Activation* last = nullptr;
  std::vector<std::size_t> waiting;  // weighted layers seen before any activation
  for (std::size_t i = 0; i < m.size(); ++i) {
    const nn::Layer<float>& l = m.layer(i);
    if (l.kind() == nn::LayerKind::kActivation) {
      last = &static_cast<const nn::ActivationLayer<float>&>(l).activation();
      for (std::size_t w : waiting) out[w] = last;
      waiting.clear();
    } else if (nn::layer_kind_info(l.kind()).weighted) {
      out.push_back(last);
      if (!last) waiting.push_back(out.size() - 1);
    }
  }
  return out;
}

Status bad(const std::string& m) { return Status::invalid_field("init", m); }

Result<nn::InitSpec> critical_spec(const Activation& a, std::optional<double> sigma_b) {
  if (a.row_wise())
    return bad("critical: " + a.name() + " is row-wise; theory needs element-wise activations");
  auto g = theory::GaussianIntegrator::make(a);
  if (!g) return bad("critical: " + a.name() + ": " + g.status().message());
  nn::InitSpec s{nn::InitKind::kGaussian, 1.0, 0.0};
  if (sigma_b) {
    auto pts = theory::eoc_points(*g, *sigma_b);
    if (!pts || pts->empty()) {
      return bad("critical:sigma_b=" + report::fmt(*sigma_b, "%g") + ": " + a.name() +
                 " has no edge of chaos there (see `actlab theory eoc " + a.name() + "`)");
    }
    const theory::EocPoint* best = &pts->front();
    for (const auto& p : *pts)
      if (p.stable) {
        best = &p;
        break;
      }
    s.sigma_w = best->sigma_w;
    s.sigma_b = *sigma_b;
    return s;
  }
  auto c = theory::classify(*g);
  if (!c) return bad("critical: " + a.name() + ": " + c.status().message());
  if (!c->critical) {
    return bad("critical: " + a.name() + " has no critical (C_b, C_W) (class " +
               theory::criticality_class_name(c->kind) +
               "); use critical:sigma_b=B for its edge of chaos, or another scheme");
  }
  s.sigma_w = std::sqrt(c->critical->C_W);
  s.sigma_b = std::sqrt(std::max(0.0, c->critical->C_b));
  return s;
}

}  // namespace

Json InitRecommendation::to_json() const {
  if (layers.empty()) return specs.empty() ? Json(scheme) : Json(nn::init_name(specs.front()));
  Json out = Json::array();
  for (const LayerInit& l : layers)
    out.push_back({{"activation", l.activation}, {"sigma_w", l.spec.sigma_w}, {"sigma_b", l.spec.sigma_b}});
  return out;
}

Result<InitRecommendation> recommend_init(const std::string& scheme, const nn::Model<float>& model) {
  InitRecommendation r;
  r.scheme = scheme;
  if (scheme != "critical" && !scheme.starts_with("critical:")) {
    auto s = nn::parse_init(scheme);
    if (!s) return bad(s.status().message());
    r.specs = {*s};
    return r;
  }
  std::optional<double> sigma_b;
  if (scheme.size() > 9) {
    const std::string rest = scheme.substr(9);
    if (!rest.starts_with("sigma_b=")) return bad("expected critical:sigma_b=B, got '" + scheme + "'");
    const std::string v = rest.substr(8);
    double b = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), b);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size())
      return bad("'" + v + "' after sigma_b= is not a number");
    if (!(b >= 0)) return bad("critical: sigma_b must be >= 0");
    sigma_b = b;
  }
  std::map<std::string, nn::InitSpec> cache;
  for (const Activation* a : feeding_activations(model)) {
    if (!a) return bad("critical: the model has no activation to take a critical point from");
    auto it = cache.find(a->name());
    if (it == cache.end()) {
      auto s = critical_spec(*a, sigma_b);
      if (!s) return s.status();
      it = cache.emplace(a->name(), *s).first;
    }
    r.specs.push_back(it->second);
    r.layers.push_back({a->name(), it->second});
  }
  return r;
}

}  // namespace actlab::lab
