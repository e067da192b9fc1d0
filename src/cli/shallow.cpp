// GCC 12 reports '__Y may be used uninitialized' inside its own AVX-512 intrinsic headers when Eigen's packet
// math is inlined in this file (GCC bug 105593, fixed in GCC 13): a false positive, silenced for this file
// only.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
// actlab shallow convert | verify | eval | regions, and actlab explain: a deep ReLU network as an exact
// 3-hidden-layer extended-real network, and exact SHAP values (docs/shallow.md, src/shallow/).
#include <cmath>
#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "core/thread_pool.hpp"
#include "report/figure.hpp"
#include "shallow/model_io.hpp"
#include "shallow/regions.hpp"
#include "shallow/shallow_net.hpp"
#include "shallow/shap.hpp"
#include "shallow/verify.hpp"

namespace actlab::cli {
namespace {

using shallow::DeepReluNet;

Json vec_json(const Eigen::VectorXd& v) {
  Json a = Json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(json_number(v[i]));
  return a;
}

void print_json(const Json& j) { std::printf("%s\n", json_dump(j, true).c_str()); }

Result<Eigen::VectorXd> parse_x(const std::string& text, int n) {
  auto xs = parse_number_list("--x", text);
  if (!xs) return xs.status();
  if (static_cast<int>(xs->size()) != n) {
    return Status::invalid("--x: " + std::to_string(xs->size()) + " values, the network's input has " +
                           std::to_string(n));
  }
  return Eigen::VectorXd(Eigen::Map<Eigen::VectorXd>(xs->data(), n));
}

struct RegionFlags {
  std::string model, method = "dfs", box;
  long max_regions = 1'000'000;
  int threads = default_thread_count();
};

// Clp allocates and frees its factorization work areas at almost every one of the ~10⁵ small LPs; with
// glibc's default 128 KiB trim threshold each free at the top of the heap returns the pages to the kernel and
// the next solve faults them back in. On these VMs that is most of the run: 8-10-10-1 took 39 s of CPU
// (850 000 page faults) instead of 6.7 s (21 000). glibc raises the threshold by itself after the first large
// mmapped block is freed, which is why a second enumeration in one process is fast; a command enumerates
// once, so it sets the thresholds up front. Process-wide, hence here and not in the library.
void keep_freed_heap() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

Result<shallow::RegionOptions> region_options(const RegionFlags& f) {
  shallow::RegionOptions opt;
  if (f.method == "brute") {
    opt.method = shallow::RegionMethod::kBrute;
  } else if (f.method != "dfs") {
    return Status::invalid("--method: expected dfs or brute, got '" + f.method + "'");
  }
  if (!f.box.empty()) {
    auto b = parse_interval("--box", f.box);
    if (!b) return b.status();
    opt.box = *b;
  }
  if (f.max_regions < 1) return Status::invalid("--max-regions: must be at least 1");
  opt.max_regions = f.max_regions;
  if (f.threads < 1)
    return Status::invalid("--threads: must be at least 1, got " + std::to_string(f.threads));
  opt.threads = f.threads;
  return opt;
}

void add_region_flags(CLI::App* c, RegionFlags& f) {
  c->add_option("--model", f.model, "Network: actlab model file (.json) or ONNX graph (.onnx)")->required();
  c->add_option("--method", f.method, "dfs (output-sensitive, default) | brute (all 2^N patterns)");
  c->add_option("--box", f.box, "Only the input box [a, b]^n, as a:b (exact inside it only)");
  c->add_option("--max-regions", f.max_regions, "Memory budget: stop past this many regions")
      ->capture_default_str();
  c->add_option("--threads", f.threads,
                "DFS worker threads, >= 1 (default: ACTLAB_THREADS or all cores); the result is the same for "
                "any count");
}

// ---- shallow convert ----
struct ConvertFlags {
  RegionFlags r;
  std::string out;
  bool json = false;
};

int run_convert(const ConvertFlags& f) {
  keep_freed_heap();
  auto net = shallow::load_deep_net(f.r.model);
  if (!net) return finish(net.status());
  auto opt = region_options(f.r);
  if (!opt) return finish(opt.status());
  auto rs = shallow::enumerate_regions(*net, *opt);
  if (!rs) return finish(rs.status().with_context(f.r.model));
  const shallow::ShallowNet s = shallow::build_shallow(*rs);
  if (Status st = shallow::save_shallow(s, f.out); !st.is_ok()) return finish(st);
  if (f.json) {
    print_json({{"hidden_neurons", net->hidden()},
                {"input_dim", net->input_dim()},
                {"regions", rs->regions.size()},
                {"full_dim_regions", rs->full_dim_regions},
                {"rows", rs->c.size()},
                {"lps", rs->lps},
                {"seconds", rs->seconds},
                {"out", f.out}});
  } else {
    std::printf(
        "wrote %s: %s, %d hidden neurons -> %zu regions (%ld full-dimensional), %ld rows, %ld LPs, %.4f s\n",
        f.out.c_str(), net->arch().c_str(), net->hidden(), rs->regions.size(), rs->full_dim_regions,
        static_cast<long>(rs->c.size()), rs->lps, rs->seconds);
  }
  return kExitOk;
}

// ---- shallow verify ----
struct VerifyFlags {
  std::string model, shallow;
  long points = 1000;
  bool boundary = false, json = false;
  std::uint64_t seed = 0;
};

int run_verify(const VerifyFlags& f) {
  auto net = shallow::load_deep_net(f.model);
  if (!net) return finish(net.status());
  auto s = shallow::load_shallow(f.shallow);
  if (!s) return finish(s.status());
  if (s->input_dim != net->input_dim() || s->outputs != net->output_dim()) {
    return finish(Status::invalid(f.shallow + ": " + std::to_string(s->input_dim) + " inputs and " +
                                  std::to_string(s->outputs) + " outputs, the network " + net->arch()));
  }
  if (f.points < 1) return finish(Status::invalid("--points: must be at least 1"));
  const auto pts = f.boundary ? shallow::boundary_points(*net, f.points, f.seed, s->box)
                              : shallow::random_points(net->input_dim(), f.points, f.seed, s->box);
  if (pts.empty()) {
    return finish(
        Status::invalid("--boundary: no integer point lies exactly on a hyperplane (integer-weight "
                        "networks have them; this one has " +
                        std::string(net->integer_weights() ? "integer" : "non-integer") + " weights)"));
  }
  const shallow::VerifyReport r = shallow::verify(*net, *s, pts);
  const bool ok = r.mismatches == 0 && r.nan == 0 && r.open_gates_not_one == 0;
  if (f.json) {
    print_json({{"points", r.points},
                {"mismatches", r.mismatches},
                {"max_abs_diff", json_number(r.max_abs_diff)},
                {"nan", r.nan},
                {"open_gates_not_one", r.open_gates_not_one},
                {"boundary", f.boundary}});
  } else {
    std::printf("%ld %spoints: %ld mismatches, max |diff| %.3g, %ld NaN, %ld with open gates != 1\n",
                r.points, f.boundary ? "boundary " : "", r.mismatches, r.max_abs_diff, r.nan,
                r.open_gates_not_one);
  }
  if (!ok) {
    std::fprintf(stderr, "actlab: error: the shallow network differs from %s\n", f.model.c_str());
    return kExitFailure;
  }
  return kExitOk;
}

// ---- shallow eval ----
int run_eval_shallow(const std::string& path, const std::string& xtext, bool json) {
  auto s = shallow::load_shallow(path);
  if (!s) return finish(s.status());
  auto x = parse_x(xtext, s->input_dim);
  if (!x) return finish(x.status());
  const shallow::ShallowEval e = shallow::evaluate(*s, *x);
  if (json) {
    print_json({{"output", vec_json(e.y)}, {"open_gates", e.open_gates}, {"nan", e.nan}});
  } else {
    for (Eigen::Index i = 0; i < e.y.size(); ++i) std::printf("%s%.17g", i ? " " : "", e.y[i]);
    std::printf("   (%d open gate%s)\n", e.open_gates, e.open_gates == 1 ? "" : "s");
  }
  return kExitOk;
}

// ---- shallow regions ----
struct RegionsFlags {
  RegionFlags r;
  std::string plot;
  int grid = 300;
  bool json = false;
};

Status plot_regions(const DeepReluNet& net, const shallow::RegionSet& rs, const RegionsFlags& f) {
  if (net.input_dim() != 2) {
    return Status::invalid("--plot: needs a 2-D input, the network has " + std::to_string(net.input_dim()));
  }
  const double lo = rs.box ? rs.box->first : -3.0, hi = rs.box ? rs.box->second : 3.0;
  const shallow::RegionIndex index(rs);
  std::map<int, report::Series> by_region;  // one series per region, so gnuplot colours them apart
  for (int i = 0; i < f.grid; ++i) {
    for (int j = 0; j < f.grid; ++j) {
      const Eigen::Vector2d x(lo + (hi - lo) * (i + 0.5) / f.grid, lo + (hi - lo) * (j + 0.5) / f.grid);
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
  return report::render(fig, f.plot);
}

std::string pattern_text(const shallow::Pattern& p) {
  std::string s;
  for (auto b : p) s += b ? '1' : '0';
  return s;
}

int run_regions(const RegionsFlags& f) {
  keep_freed_heap();
  auto net = shallow::load_deep_net(f.r.model);
  if (!net) return finish(net.status());
  auto opt = region_options(f.r);
  if (!opt) return finish(opt.status());
  if (!f.plot.empty() && net->input_dim() != 2) {
    return finish(
        Status::invalid("--plot: needs a 2-D input, the network has " + std::to_string(net->input_dim())));
  }
  auto rs = shallow::enumerate_regions(*net, *opt);
  if (!rs) return finish(rs.status().with_context(f.r.model));
  if (!f.plot.empty()) {
    if (Status st = plot_regions(*net, *rs, f); !st.is_ok()) return finish(st);
  }
  if (f.json) {
    Json list = Json::array();
    for (const shallow::Region& r : rs->regions) {
      Json alpha = Json::array();
      for (Eigen::Index o = 0; o < r.alpha.rows(); ++o) alpha.push_back(vec_json(r.alpha.row(o).transpose()));
      list.push_back({{"pattern", pattern_text(r.pattern)},
                      {"full_dim", r.full_dim},
                      {"alpha", alpha},
                      {"beta", vec_json(r.beta)},
                      {"witness", vec_json(r.witness)}});
    }
    Json j = {{"count", rs->regions.size()}, {"full_dim_regions", rs->full_dim_regions},
              {"rows", rs->c.size()},        {"lps", rs->lps},
              {"seconds", rs->seconds},      {"regions", list}};
    if (!f.plot.empty()) j["plot"] = f.plot;
    print_json(j);
  } else {
    std::printf("%s: %zu regions (%ld full-dimensional), %ld rows, %ld LPs, %.4f s\n", net->arch().c_str(),
                rs->regions.size(), rs->full_dim_regions, static_cast<long>(rs->c.size()), rs->lps,
                rs->seconds);
    for (const shallow::Region& r : rs->regions) {
      std::printf("  %s%s  alpha[0] =", pattern_text(r.pattern).c_str(), r.full_dim ? "" : " (lower-dim)");
      for (Eigen::Index j = 0; j < r.alpha.cols(); ++j) std::printf(" %.6g", r.alpha(0, j));
      std::printf("  beta[0] = %.6g\n", r.beta[0]);
    }
    if (!f.plot.empty()) std::printf("plot: %s\n", f.plot.c_str());
  }
  return kExitOk;
}

// ---- explain ----
struct ExplainFlags {
  std::string model, x, background, method = "exact";
  long samples = 200;
  int output = 0;
  std::uint64_t seed = 0;
  bool json = false;
};

int run_explain(const ExplainFlags& f) {
  auto net = shallow::load_deep_net(f.model);
  if (!net) return finish(net.status());
  auto x = parse_x(f.x, net->input_dim());
  if (!x) return finish(x.status());
  auto bg = shallow::read_background_csv(f.background, net->input_dim());
  if (!bg) return finish(bg.status().with_context("--background"));
  shallow::ShapOptions opt;
  opt.output = f.output;
  opt.samples = f.samples;
  opt.seed = f.seed;
  if (f.method == "sampling") {
    opt.method = shallow::ShapMethod::kSampling;
  } else if (f.method != "exact") {
    return finish(Status::invalid("--method: expected exact or sampling, got '" + f.method + "'"));
  }
  auto r = shallow::shap_values(*net, *x, *bg, opt);
  if (!r) return finish(r.status());
  if (f.json) {
    print_json({{"phi", vec_json(r->phi)},
                {"base_value", json_number(r->base_value)},
                {"fx", json_number(r->fx)},
                {"efficiency_error", json_number(r->efficiency_error)},
                {"method", r->method},
                {"background_rows", bg->rows()},
                {"box_shortcuts", r->box_shortcuts},
                {"evaluations", r->evaluations}});
  } else {
    std::printf("f(x) = %.10g, base value (mean over %ld background rows) = %.10g, %s\n", r->fx,
                static_cast<long>(bg->rows()), r->base_value, r->method.c_str());
    for (Eigen::Index j = 0; j < r->phi.size(); ++j)
      std::printf("  phi[%ld] = %+.10g\n", static_cast<long>(j), r->phi[j]);
    std::printf("efficiency error |sum phi - (f(x) - base)| = %.3g; %ld of %ld rows by the box shortcut\n",
                r->efficiency_error, r->box_shortcuts, static_cast<long>(bg->rows()));
  }
  return kExitOk;
}

}  // namespace

void add_shallow_command(CLI::App& app, int& exit_code) {
  CLI::App* sh =
      app.add_subcommand("shallow", "Deep ReLU network -> exact 3-hidden-layer network (docs/shallow.md)");
  sh->require_subcommand(1);

  auto c = std::make_shared<ConvertFlags>();
  CLI::App* convert = sh->add_subcommand("convert", "Enumerate the regions and write the shallow network");
  add_region_flags(convert, c->r);
  convert->add_option("--out", c->out, "Shallow network file (.json)")->required();
  convert->add_flag("--json", c->json, "Machine-readable output");
  convert->callback([c, &exit_code] { exit_code = run_convert(*c); });

  auto v = std::make_shared<VerifyFlags>();
  CLI::App* verify = sh->add_subcommand("verify", "Compare the shallow network with the deep one");
  verify->add_option("--model", v->model, "The deep network (.json or .onnx)")->required();
  verify->add_option("--shallow", v->shallow, "The shallow network file")->required();
  verify->add_option("--points", v->points, "Number of points")->capture_default_str();
  verify->add_flag("--boundary", v->boundary, "Integer points exactly on hyperplanes instead of random ones");
  verify->add_option("--seed", v->seed, "Seed of the points")->capture_default_str();
  verify->add_flag("--json", v->json, "Machine-readable output");
  verify->callback([v, &exit_code] { exit_code = run_verify(*v); });

  auto e = std::make_shared<std::pair<std::string, std::string>>();
  auto ejson = std::make_shared<bool>(false);
  CLI::App* eval = sh->add_subcommand("eval", "Evaluate a shallow network file at one input");
  eval->add_option("--shallow", e->first, "The shallow network file")->required();
  eval->add_option("--x", e->second, "Input values v1,v2,...")->required();
  eval->add_flag("--json", *ejson, "Machine-readable output");
  eval->callback([e, ejson, &exit_code] { exit_code = run_eval_shallow(e->first, e->second, *ejson); });

  auto r = std::make_shared<RegionsFlags>();
  CLI::App* regions =
      sh->add_subcommand("regions", "List the activation regions (and plot them for 2-D inputs)");
  add_region_flags(regions, r->r);
  regions->add_option("--plot", r->plot, "Draw the regions of a 2-D input (.svg or .png, through gnuplot)");
  regions->add_option("--grid", r->grid, "Plot: grid points per axis")->capture_default_str();
  regions->add_flag("--json", r->json, "Machine-readable output");
  regions->callback([r, &exit_code] { exit_code = run_regions(*r); });

  auto x = std::make_shared<ExplainFlags>();
  CLI::App* explain = app.add_subcommand("explain", "Exact interventional SHAP values of a ReLU network");
  explain->add_option("--model", x->model, "The network (.json or .onnx)")->required();
  explain->add_option("--x", x->x, "The input to explain, v1,v2,...")->required();
  explain->add_option("--background", x->background, "Background rows (CSV, one input per row)")->required();
  explain->add_option("--method", x->method, "exact | sampling (approximate)")->capture_default_str();
  explain->add_option("--samples", x->samples, "Sampling: permutations")->capture_default_str();
  explain->add_option("--output", x->output, "Which output to explain")->capture_default_str();
  explain->add_option("--seed", x->seed, "Sampling: seed")->capture_default_str();
  explain->add_flag("--json", x->json, "Machine-readable output");
  explain->callback([x, &exit_code] { exit_code = run_explain(*x); });
}

}  // namespace actlab::cli
