// Initialisation from theory (see init.hpp).
#include "lab/init.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "activations/activation.hpp"
#include "activations/catalog.hpp"
#include "nn/activation_layer.hpp"
#include "report/format.hpp"
#include "theory/effective.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"
#include "theory/monte_carlo.hpp"
#include "theory/propagate.hpp"
#include "theory/recommend.hpp"

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

Result<theory::GaussianIntegrator> integrator(const Activation& a) {
  if (a.row_wise())
    return bad("critical: " + a.name() + " is row-wise; theory needs element-wise activations");
  auto g = theory::GaussianIntegrator::make(a);
  if (!g) return bad("critical: " + a.name() + ": " + g.status().message());
  return g;
}

// The smallest σ_b on [0, 3] (step 0.1) with a stable edge-of-chaos point, for the error message.
std::optional<double> first_stable_sigma_b(const theory::GaussianIntegrator& g) {
  std::vector<double> sbs;
  for (int i = 0; i <= 30; ++i) sbs.push_back(0.1 * i);
  auto curve = theory::eoc_curve(g, sbs);
  if (!curve) return std::nullopt;
  for (const auto& row : *curve)
    for (const auto& p : row.points)
      if (p.stable && p.q > 0) return row.sigma_b;
  return std::nullopt;
}

// critical:sigma_b=B: the stable edge-of-chaos point at B, with the first layer put on its q*.
Result<theory::Recommendation> eoc_answer(const theory::GaussianIntegrator& g, double sigma_b,
                                          const InitOptions& o) {
  const std::string name = g.activation().name(), at = report::fmt(sigma_b, "%g");
  auto pts = theory::eoc_points(g, sigma_b);
  if (!pts || pts->empty()) {
    return bad("critical:sigma_b=" + at + ": " + name +
               " has no edge of chaos there (see `actlab theory eoc " + name + " --sigma-b " + at + "`)");
  }
  const theory::EocPoint* best = nullptr;
  for (const auto& p : *pts)
    if (p.stable && p.q > 0) {
      best = &p;
      break;
    }
  if (!best) {
    const theory::EocPoint& p = pts->front();
    std::string hint;
    if (auto sb = first_stable_sigma_b(g)) {
      hint = "; its edge of chaos has a stable point from sigma_b = " + report::fmt(*sb, "%g") +
             " (critical:sigma_b=" + report::fmt(*sb, "%g") + "), or use plain critical";
    } else {
      hint = "; no sigma_b in [0, 3] has a stable one: use plain critical (see `actlab init " + name + "`)";
    }
    return bad("critical:sigma_b=" + at + ": " + name + "'s edge of chaos there is " +
               (p.marginal ? "marginal" : "unstable") + " (F'(q*) = " + report::fmt(p.slope, "%.4g") +
               (p.marginal ? ")" : " > 1: q^l runs away from q*)") + hint);
  }
  theory::Recommendation r;
  r.activation = name;
  r.plan.input_var = o.input_var;
  r.notion = "mean field (edge of chaos at the asked sigma_b)";
  r.C_W = best->sigma_w * best->sigma_w;
  r.C_b = sigma_b * sigma_b;
  r.sigma_w = best->sigma_w;
  r.sigma_b = sigma_b;
  r.K_star = r.K1 = best->q;
  r.input_scale = std::sqrt(std::max(0.0, best->q - r.C_b) / (r.C_W * o.input_var));
  r.chi_par = best->slope;
  r.chi_perp = best->chi1;
  r.stability = "stable";
  r.xi_q = theory::depth_scale(best->slope);
  r.xi_c = std::numeric_limits<double>::infinity();
  r.reasons.push_back("edge of chaos at sigma_b = " + at +
                      " with a stable fixed point q* = " + report::fmt(best->q, "%.4g"));
  return r;
}

}  // namespace

Json InitRecommendation::to_json() const {
  if (layers.empty()) return specs.empty() ? Json(scheme) : Json(nn::init_name(specs.front()));
  Json out{{"scheme", scheme}, {"layers", Json::array()}, {"input_scale", json_number(input_scale)}};
  for (const LayerInit& l : layers) {
    out["layers"].push_back({{"activation", l.activation},
                             {"sigma_w", l.spec.sigma_w},
                             {"sigma_b", l.spec.sigma_b},
                             {"verdict", l.verdict}});
  }
  out["answers"] = Json::array();
  for (const auto& a : answers) out["answers"].push_back(a.to_json());
  return out;
}

void scale_first_layer(nn::Model<float>& model, double scale) {
  for (std::size_t i = 0; i < model.size(); ++i) {
    nn::Layer<float>& l = model.layer(i);
    if (!nn::layer_kind_info(l.kind()).weighted) continue;
    auto ps = l.params();
    if (!ps.empty()) ps.front()->value *= static_cast<float>(scale);  // the weights come first
    return;
  }
}

Result<InitRecommendation> recommend_init(const std::string& scheme, const nn::Model<float>& model,
                                          const InitOptions& options) {
  InitRecommendation r;
  r.scheme = scheme;
  if (options.input_scale && !(*options.input_scale > 0 && std::isfinite(*options.input_scale)))
    return Status::invalid_field("input_scale", "must be finite and > 0");
  if (!(options.input_var > 0 && std::isfinite(options.input_var)))
    return Status::invalid_field("input_var", "must be finite and > 0");
  if (scheme != "critical" && !scheme.starts_with("critical:")) {
    auto s = nn::parse_init(scheme);
    if (!s) return bad(s.status().message());
    r.specs = {*s};
    r.input_scale = options.input_scale.value_or(1.0);
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
    if (!(b >= 0) || !std::isfinite(b)) return bad("critical: sigma_b must be finite and >= 0");
    sigma_b = b;
  }
  const std::vector<const Activation*> feeding = feeding_activations(model);
  if (feeding.empty()) return bad("critical: the model has no weighted layer");
  const int depth = std::max(1, static_cast<int>(feeding.size()) - 1);
  std::map<std::string, std::size_t> cache;  // activation name → index in r.answers
  for (const Activation* a : feeding) {
    if (!a) return bad("critical: the model has no activation to take a critical point from");
    auto it = cache.find(a->name());
    if (it == cache.end()) {
      auto g = integrator(*a);
      if (!g) return g.status();
      Result<theory::Recommendation> ans =
          sigma_b ? eoc_answer(*g, *sigma_b, options)
                  : theory::recommend(*g, {.depth = depth, .input_var = options.input_var});
      if (!ans)
        return ans.status().field().empty() ? bad("critical: " + a->name() + ": " + ans.status().message())
                                            : ans.status();
      r.answers.push_back(std::move(*ans));
      it = cache.emplace(a->name(), r.answers.size() - 1).first;
    }
    const theory::Recommendation& ans = r.answers[it->second];
    const nn::InitSpec spec{nn::InitKind::kGaussian, ans.sigma_w, ans.sigma_b};
    r.specs.push_back(spec);
    r.layers.push_back({a->name(), spec, theory::verdict_name(ans.verdict)});
  }
  // The first weighted layer's scale comes from the activation that decides it.
  r.input_scale = options.input_scale.value_or(
      r.answers.empty() ? 1.0 : r.answers[cache.at(feeding.front()->name())].input_scale);
  return r;
}

Result<InitAnswers> init_answers(const InitAnswerPlan& plan) {
  if (plan.all == !plan.activations.empty())
    return Status::invalid_field("activations", "give activations or all, not both or neither");
  if (plan.width && (*plan.width < 1 || *plan.width > 4096))
    return Status::invalid_field("width", "must be in 1 … 4096");
  if (plan.mc < 2 || plan.mc > 100000) return Status::invalid_field("mc", "must be in 2 … 100000");
  std::vector<std::string> names = plan.activations;
  if (plan.all)
    for (const auto& e : activations::catalog())
      if (!e.row_wise()) names.push_back(e.name);
  InitAnswers out;
  out.plan = plan;
  for (const std::string& name : names) {
    auto act = Activation::make(name);
    if (!act) return Status::invalid_field("activations", "'" + name + "': " + act.status().message());
    auto g = theory::GaussianIntegrator::make(*act);
    if (!g) return Status::invalid_field("activations", "'" + name + "': " + g.status().message());
    auto rec = theory::recommend(*g, {.depth = plan.depth, .input_var = plan.input_var});
    if (!rec) {
      if (!rec.status().field().empty() || !plan.all) return rec.status();
      InitAnswer bad_entry;
      bad_entry.recommendation.activation = name;
      bad_entry.error = rec.status().message();
      out.answers.push_back(std::move(bad_entry));
      continue;
    }
    InitAnswer a{.recommendation = std::move(*rec), .check = {}, .correlation = {}, .error = {}};
    if (plan.width) {
      const auto& r = a.recommendation;
      auto prof = theory::kernel_profile(*g, {.cw = r.C_W,
                                              .cb = r.C_b,
                                              .k0 = r.K1,
                                              .depth = plan.depth,
                                              .width = plan.width,
                                              .mc = plan.mc,
                                              .seed = plan.seed});
      if (!prof) return prof.status();
      a.check = std::move(*prof);
      // Layer l of the Monte Carlo (z^(l), 1-based) is layer l − 1 of the propagation from (q0, c0) = (K1,
      // c).
      auto theory_c = theory::propagate(*g, {.init = {r.sigma_w, r.sigma_b},
                                             .depth = std::max(1, plan.depth - 1),
                                             .q0 = r.K1,
                                             .q0_second = {},
                                             .c0 = kCheckCorrelation});
      auto mc_c =
          theory::monte_carlo_correlation(*act, r.C_b, r.C_W, r.K1, kCheckCorrelation, plan.depth,
                                          {.width = *plan.width, .samples = plan.mc, .seed = plan.seed});
      if (theory_c && mc_c) {
        for (const auto& row : *mc_c) {
          const std::size_t i = static_cast<std::size_t>(row.l - 1);
          if (i >= theory_c->layers.size()) break;
          a.correlation.push_back({row.l, theory_c->layers[i].c, row.c, row.c_se});
        }
      }
    }
    out.answers.push_back(std::move(a));
  }
  if (plan.all) {
    std::stable_sort(out.answers.begin(), out.answers.end(), [](const InitAnswer& x, const InitAnswer& y) {
      auto rank = [](const InitAnswer& a) {
        return a.error.empty() ? static_cast<int>(a.recommendation.verdict) : 3;
      };
      return rank(x) < rank(y);
    });
  }
  return out;
}

Json InitAnswers::to_json() const {
  Json j;
  j["plan"] = {{"activations", plan.activations},
               {"all", plan.all},
               {"depth", plan.depth},
               {"input_var", plan.input_var},
               {"width", plan.width ? Json(*plan.width) : Json(nullptr)},
               {"mc", plan.mc},
               {"seed", plan.seed}};
  j["recommendations"] = Json::array();
  for (const InitAnswer& a : answers) {
    if (!a.error.empty()) {
      j["recommendations"].push_back({{"activation", a.recommendation.activation}, {"error", a.error}});
      continue;
    }
    Json r = a.recommendation.to_json();
    if (a.check) {
      r["check"] = a.check->to_json();
      Json cs = Json::array();
      for (const CorrelationCheck& c : a.correlation)
        cs.push_back({{"l", c.l}, {"c", c.theory}, {"c_mc", c.mc}, {"c_mc_se", c.mc_se}});
      r["check"]["correlation"] = {{"c0", kCheckCorrelation}, {"layers", std::move(cs)}};
    }
    j["recommendations"].push_back(std::move(r));
  }
  return j;
}

std::string torch_init_code(const theory::Recommendation& r) {
  auto f = [](double v) { return report::fmt(v, "%.10g"); };
  std::string s;
  s += "# actlab init " + r.activation + " --depth " + std::to_string(r.plan.depth) + ": " +
       theory::verdict_name(r.verdict) + (r.least_bad ? " (least-bad option)" : "") + "\n";
  s += "import math\nimport torch\n\n\n";
  s += "def actlab_init_(model: torch.nn.Module) -> torch.nn.Module:\n";
  s += "    \"\"\"sigma_w = " + f(r.sigma_w) + ", sigma_b = " + f(r.sigma_b) +
       " on every Linear/Conv layer; the first\n";
  s += "    layer's weights also scaled by " + f(r.input_scale) + " (inputs with mean square " +
       f(r.plan.input_var) + ").\"\"\"\n";
  s += "    layers = [m for m in model.modules() if isinstance(m, (torch.nn.Linear, torch.nn.Conv1d, "
       "torch.nn.Conv2d))]\n";
  s += "    with torch.no_grad():\n";
  s += "        for i, m in enumerate(layers):\n";
  s += "            fan_in = m.weight[0].numel()\n";
  s += "            std = " + f(r.sigma_w) + " / math.sqrt(fan_in) * (" + f(r.input_scale) +
       " if i == 0 else 1.0)\n";
  s += "            torch.nn.init.normal_(m.weight, 0.0, std)\n";
  s += "            if m.bias is not None:\n";
  s += "                torch.nn.init.normal_(m.bias, 0.0, " + f(r.sigma_b) + ")\n";
  s += "    return model\n";
  return s;
}

}  // namespace actlab::lab
