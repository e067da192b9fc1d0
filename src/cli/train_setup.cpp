// Shared pieces of the training commands (see train_setup.hpp).
#include "cli/train_setup.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>

#include "cli/args.hpp"
#include "data/builtin.hpp"
#include "nn/activation_layer.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"

namespace actlab::cli {

using activations::Activation;
using data::Dataset;
using data::Task;

std::string fmt(double v, const char* f) {
  if (std::isnan(v)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// "relu,tanh,repu(x, p=3)" → items split at commas outside parentheses.
std::vector<std::string> split_top_level(const std::string& s) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char ch : s) {
    if (ch == '(') ++depth;
    if (ch == ')') --depth;
    if (ch == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

Result<std::vector<Activation>> parse_acts(const std::string& text) {
  std::vector<Activation> acts;
  for (const std::string& item : split_top_level(text)) {
    auto a = Activation::make(item);
    if (!a) return Status::invalid("--act '" + item + "': " + a.status().message());
    acts.push_back(std::move(*a));
  }
  return acts;
}

namespace {

// ---- critical initialisation: (σ_w, σ_b) per weighted layer from the theory part ----

// The activation whose output a weighted layer consumes decides its (σ_w, σ_b): χ₁ = σ_w² E φ'(h)² pairs the
// weights of layer l+1 with φ of layer l. The first layer reads data, so it takes the activation right after
// it.
std::vector<const Activation*> feeding_activations(nn::Model<float>& m) {
  std::vector<const Activation*> out;
  const Activation* last = nullptr;
  std::vector<std::size_t> waiting;  // weighted layers seen before any activation
  for (std::size_t i = 0; i < m.size(); ++i) {
    nn::Layer<float>& l = m.layer(i);
    if (auto* a = dynamic_cast<nn::ActivationLayer<float>*>(&l)) {
      last = &a->activation();
      for (std::size_t w : waiting) out[w] = last;
      waiting.clear();
    } else if (l.type() == "dense" || l.type() == "conv2d") {
      out.push_back(last);
      if (!last) waiting.push_back(out.size() - 1);
    }
  }
  return out;
}

Result<std::vector<nn::InitSpec>> critical_specs(nn::Model<float>& m, std::optional<double> sigma_b,
                                                 Json& explain) {
  std::vector<nn::InitSpec> specs;
  std::map<std::string, nn::InitSpec> cache;
  explain = Json::array();
  for (const Activation* a : feeding_activations(m)) {
    if (!a)
      return Status::invalid("--init critical: the model has no activation to take a critical point from");
    auto it = cache.find(a->name());
    if (it == cache.end()) {
      if (a->row_wise()) {
        return Status::invalid("--init critical: " + a->name() +
                               " is row-wise; theory needs element-wise activations");
      }
      auto g = theory::GaussianIntegrator::make(*a);
      if (!g) return Status::invalid("--init critical: " + a->name() + ": " + g.status().message());
      nn::InitSpec s{nn::InitKind::kGaussian, 1.0, 0.0};
      if (sigma_b) {
        auto pts = theory::eoc_points(*g, *sigma_b);
        if (!pts || pts->empty()) {
          return Status::invalid("--init critical:sigma_b=" + fmt(*sigma_b, "%g") + ": " + a->name() +
                                 " has no edge of chaos there (see `actlab theory eoc " + a->name() + "`)");
        }
        const theory::EocPoint* best = &pts->front();
        for (const auto& p : *pts)
          if (p.stable) {
            best = &p;
            break;
          }
        s.sigma_w = best->sigma_w;
        s.sigma_b = *sigma_b;
      } else {
        auto c = theory::classify(*g);
        if (!c) return Status::invalid("--init critical: " + a->name() + ": " + c.status().message());
        if (!c->critical) {
          return Status::invalid("--init critical: " + a->name() + " has no critical (C_b, C_W) (class " +
                                 theory::criticality_class_name(c->kind) +
                                 "); use critical:sigma_b=B for its edge of chaos, or another --init");
        }
        s.sigma_w = std::sqrt(c->critical->C_W);
        s.sigma_b = std::sqrt(std::max(0.0, c->critical->C_b));
      }
      it = cache.emplace(a->name(), s).first;
    }
    specs.push_back(it->second);
    explain.push_back(
        {{"activation", a->name()}, {"sigma_w", it->second.sigma_w}, {"sigma_b", it->second.sigma_b}});
  }
  return specs;
}

}  // namespace

Result<std::vector<nn::InitSpec>> init_specs(const std::string& text, nn::Model<float>& m, Json& explain) {
  if (text == "critical" || text.starts_with("critical:")) {
    std::optional<double> sb;
    if (text.size() > 9) {
      const std::string rest = text.substr(9);
      if (!rest.starts_with("sigma_b="))
        return Status::invalid("--init: expected critical:sigma_b=B, got '" + text + "'");
      auto v = parse_number("--init", rest.substr(8));
      if (!v) return v.status();
      if (!(*v >= 0)) return Status::invalid("--init critical: sigma_b must be >= 0");
      sb = *v;
    }
    return critical_specs(m, sb, explain);
  }
  auto s = nn::parse_init(text);
  if (!s) return Status::invalid("--init: " + s.status().message());
  explain = init_name(*s);
  return std::vector<nn::InitSpec>{*s};
}

Result<Dataset> load_data(const DataFlags& f, std::uint64_t seed) {
  data::LoadOptions lo;
  lo.target = f.target;
  lo.rows = f.rows;
  lo.seed = f.data_seed >= 0 ? static_cast<std::uint64_t>(f.data_seed) : seed;
  return data::load(f.data, lo);
}

nn::Examples examples(const Dataset& d) {
  nn::Examples e{&d.x, {}, nullptr};
  if (d.task == Task::kClassification)
    e.labels = d.labels;
  else
    e.targets = &d.y;
  return e;
}

}  // namespace actlab::cli
