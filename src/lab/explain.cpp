#include "lab/explain.hpp"

#include <cmath>
#include <cstdint>

#include "shallow/model_io.hpp"

namespace actlab::lab {
namespace {

using shallow::DeepReluNet;

Result<shallow::RegionOptions> region_options(const RegionPlan& p) {
  shallow::RegionOptions opt;
  if (p.method == "brute") {
    opt.method = shallow::RegionMethod::kBrute;
  } else if (p.method != "dfs") {
    return Status::invalid_field("method", "expected dfs or brute, got '" + p.method + "'");
  }
  opt.box = p.box;
  if (p.max_regions < 1) return Status::invalid_field("max_regions", "must be at least 1");
  opt.max_regions = p.max_regions;
  if (p.threads < 1)
    return Status::invalid_field("threads", "must be at least 1, got " + std::to_string(p.threads));
  opt.threads = p.threads;
  return opt;
}

// A colour for region r: golden-angle hues with three saturations and two values, so regions with nearby
// indices (often neighbours in the DFS order) get clearly different colours.
std::uint32_t region_colour(int r) {
  if (r < 0) return 0x808080;  // a pattern the enumeration did not list (cannot happen inside its box)
  const double h = std::fmod(r * 0.6180339887498949, 1.0) * 6, s = 0.35 + 0.2 * (r % 3),
               v = (r / 3) % 2 == 0 ? 0.95 : 0.8;
  const int sector = static_cast<int>(h) % 6;
  const double f = h - std::floor(h), p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  const double rgb[6][3] = {{v, t, p}, {q, v, p}, {p, v, t}, {p, q, v}, {t, p, v}, {v, p, q}};
  auto byte = [](double c) { return static_cast<std::uint32_t>(std::lround(255 * c)); };
  return byte(rgb[sector][0]) << 16 | byte(rgb[sector][1]) << 8 | byte(rgb[sector][2]);
}

// The regions of a 2-D input as an exact raster: pixel (i, j) has the colour of the region of its centre
// (the deep net's own pattern there). One image, so an SVG embeds it as a small PNG.
report::Figure regions_figure(const DeepReluNet& net, const shallow::RegionSet& rs, int grid) {
  const double lo = rs.box ? rs.box->first : -3.0, hi = rs.box ? rs.box->second : 3.0;
  const shallow::RegionIndex index(rs);
  report::Image im{.nx = grid, .ny = grid, .x0 = lo, .x1 = hi, .y0 = lo, .y1 = hi};
  im.rgb.resize(static_cast<std::size_t>(grid) * static_cast<std::size_t>(grid));
  for (int j = 0; j < grid; ++j) {
    for (int i = 0; i < grid; ++i) {
      const Eigen::Vector2d x(lo + (hi - lo) * (i + 0.5) / grid, lo + (hi - lo) * (j + 0.5) / grid);
      im.rgb[static_cast<std::size_t>(j) * static_cast<std::size_t>(grid) + static_cast<std::size_t>(i)] =
          region_colour(index.find(net.pattern(x)));
    }
  }
  report::Figure fig{.title = "activation regions of " + net.arch() + " (" +
                              std::to_string(rs.regions.size()) + " patterns)",
                     .xlabel = "x1",
                     .ylabel = "x2"};
  fig.image = std::move(im);
  fig.xrange = std::pair{lo, hi};
  fig.yrange = std::pair{lo, hi};
  fig.width = 700;
  fig.height = 700;
  return fig;
}

Result<Eigen::VectorXd> input(const std::vector<double>& x, int n) {
  if (static_cast<int>(x.size()) != n) {
    return Status::invalid_field(
        "x", std::to_string(x.size()) + " values, the network's input has " + std::to_string(n));
  }
  return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(x.data(), n));
}

Status verify(ExplainResult& r, const VerifyPlan& p) {
  const DeepReluNet& net = r.net;
  std::optional<shallow::ShallowNet> loaded;
  if (!p.shallow.empty()) {
    auto s = shallow::load_shallow(p.shallow);
    if (!s) return s.status();
    if (s->input_dim != net.input_dim() || s->outputs != net.output_dim()) {
      return Status::invalid(p.shallow + ": " + std::to_string(s->input_dim) + " inputs and " +
                             std::to_string(s->outputs) + " outputs, the network " + net.arch());
    }
    loaded = std::move(*s);
  } else if (!r.shallow) {
    return Status::invalid(
        "nothing to verify: name a shallow network file or build one (ExplainPlan::shallow)");
  }
  const shallow::ShallowNet& s = loaded ? *loaded : *r.shallow;
  if (p.points < 1) return Status::invalid_field("points", "must be at least 1");
  const auto pts = p.boundary ? shallow::boundary_points(net, p.points, p.seed, s.box)
                              : shallow::random_points(net.input_dim(), p.points, p.seed, s.box);
  if (pts.empty()) {
    return Status::invalid_field(
        "boundary",
        "no integer point lies exactly on a hyperplane (integer-weight networks have "
        "them; this one has " +
            std::string(net.integer_weights() ? "integer" : "non-integer") + " weights)");
  }
  r.verify = shallow::verify(net, s, pts);
  return Status::ok();
}

Status shap(ExplainResult& r, const ShapPlan& p) {
  const DeepReluNet& net = r.net;
  auto x = input(p.x, net.input_dim());
  if (!x) return x.status();
  MatrixD bg = p.background;
  if (bg.size() == 0) {
    auto read = shallow::read_background_csv(p.background_csv, net.input_dim());
    if (!read) return Status::invalid_field("background", read.status().message());
    bg = std::move(*read);
  }
  shallow::ShapOptions opt;
  opt.output = p.output;
  opt.samples = p.samples;
  opt.seed = p.seed;
  if (p.method == "sampling") {
    opt.method = shallow::ShapMethod::kSampling;
  } else if (p.method != "exact") {
    return Status::invalid_field("method", "expected exact or sampling, got '" + p.method + "'");
  }
  auto v = shallow::shap_values(net, *x, bg, opt);
  if (!v) return v.status();
  r.shap = std::move(*v);
  r.background_rows = static_cast<long>(bg.rows());
  return Status::ok();
}

// origin: the model file, prefixed to enumeration errors ("" in memory).
Result<ExplainResult> run(DeepReluNet net, const ExplainPlan& plan, const std::string& origin) {
  ExplainResult r;
  r.net = std::move(net);
  if (plan.regions) {
    auto opt = region_options(*plan.regions);
    if (!opt) return opt.status();
    const bool plot = plan.regions->plot;
    if (plot && r.net.input_dim() != 2) {
      return Status::invalid_field("plot",
                                   "needs a 2-D input, the network has " + std::to_string(r.net.input_dim()));
    }
    auto rs = shallow::enumerate_regions(r.net, *opt);
    if (!rs) return origin.empty() ? rs.status() : rs.status().with_context(origin);
    if (plot) r.figure = regions_figure(r.net, *rs, plan.regions->grid);
    r.regions = std::move(*rs);
  }
  if (plan.shallow) {
    if (!r.regions) return Status::invalid("the shallow network needs the regions (ExplainPlan::regions)");
    r.shallow = shallow::build_shallow(*r.regions);
  }
  if (plan.verify) {
    if (Status s = verify(r, *plan.verify); !s) return s;
  }
  if (plan.shap) {
    if (Status s = shap(r, *plan.shap); !s) return s;
  }
  return r;
}

}  // namespace

Result<ExplainResult> explain(const ExplainPlan& plan) {
  auto net = shallow::load_deep_net(plan.model);
  if (!net) return net.status();
  return run(std::move(*net), plan, plan.model);
}

Result<ExplainResult> explain(const nn::Model<float>& model, const ExplainPlan& plan) {
  auto net = shallow::deep_net_of(model);
  if (!net) return net.status();
  return run(std::move(*net), plan, "");
}

Result<ExplainResult> explain(DeepReluNet net, const ExplainPlan& plan) {
  return run(std::move(net), plan, "");
}

Result<shallow::ShallowEval> eval_shallow(const std::string& path, const std::vector<double>& x) {
  auto s = shallow::load_shallow(path);
  if (!s) return s.status();
  auto v = input(x, s->input_dim);
  if (!v) return v.status();
  return shallow::evaluate(*s, *v);
}

}  // namespace actlab::lab
