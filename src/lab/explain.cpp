#include "lab/explain.hpp"

#include <map>

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

// The regions of a 2-D input on a grid × grid raster, one series per region so gnuplot colours them apart.
report::Figure regions_figure(const DeepReluNet& net, const shallow::RegionSet& rs, int grid) {
  const double lo = rs.box ? rs.box->first : -3.0, hi = rs.box ? rs.box->second : 3.0;
  const shallow::RegionIndex index(rs);
  std::map<int, report::Series> by_region;
  for (int i = 0; i < grid; ++i) {
    for (int j = 0; j < grid; ++j) {
      const Eigen::Vector2d x(lo + (hi - lo) * (i + 0.5) / grid, lo + (hi - lo) * (j + 0.5) / grid);
      const int r = index.find(net.pattern(x));
      report::Series& s = by_region[r];
      s.style = "points";
      s.x.push_back(x[0]);
      s.y.push_back(x[1]);
    }
  }
  report::Figure fig{.title = "activation regions of " + net.arch() + " (" +
                              std::to_string(rs.regions.size()) + " patterns)",
                     .xlabel = "x1",
                     .ylabel = "x2"};
  for (auto& [r, s] : by_region) fig.series.push_back(std::move(s));
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
