// actlab shallow convert | verify | eval | regions, and actlab explain: a deep ReLU network as an exact
// 3-hidden-layer extended-real network, and exact SHAP values (docs/shallow.md). Flags → lab::ExplainPlan →
// lab::explain → text or --json (one serializer per command's result); the cli writes the files.
#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <memory>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "lab/explain.hpp"
#include "report/figure.hpp"

namespace actlab::cli {
namespace {

Json vec_json(const Eigen::VectorXd& v) {
  Json a = Json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(json_number(v[i]));
  return a;
}

void print_json(const Json& j) { print_recorded(j); }

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

struct RegionFlags {
  std::string model, box;
  lab::RegionPlan plan;
};

// The plan of a region command: the flags, with --box parsed.
Result<lab::ExplainPlan> region_plan(const RegionFlags& f) {
  lab::ExplainPlan p;
  p.model = f.model;
  p.regions = f.plan;
  if (!f.box.empty()) {
    auto b = parse_interval("--box", f.box);
    if (!b) return b.status();
    p.regions->box = *b;
  }
  return p;
}

void add_region_flags(CLI::App* c, RegionFlags& f) {
  c->add_option("--model", f.model, "Network: actlab model file (.json) or ONNX graph (.onnx)")->required();
  one_of(
      c->add_option("--method", f.plan.method, "dfs (output-sensitive, default) | brute (all 2^N patterns)"),
      {"dfs", "brute"});
  c->add_option("--box", f.box, "Only the input box [a, b]^n, as a:b (exact inside it only)");
  c->add_option("--max-regions", f.plan.max_regions, "Memory budget: stop past this many regions")
      ->capture_default_str();
  c->add_option("--threads", f.plan.threads,
                "DFS worker threads, >= 1 (default: ACTLAB_THREADS or all cores); the result is the same for "
                "any count");
}

// ---- shallow convert ----
struct ConvertFlags {
  RegionFlags r;
  std::string out;
  bool json = false;
};

Json convert_json(const lab::ExplainResult& r, const std::string& out) {
  const shallow::RegionSet& rs = *r.regions;
  return {{"hidden_neurons", r.net.hidden()},
          {"input_dim", r.net.input_dim()},
          {"regions", rs.regions.size()},
          {"full_dim_regions", rs.full_dim_regions},
          {"rows", rs.c.size()},
          {"lps", rs.lps},
          {"seconds", rs.seconds},
          {"out", out}};
}

int run_convert(const ConvertFlags& f) {
  keep_freed_heap();
  auto p = region_plan(f.r);
  if (!p) return finish(p.status());
  p->shallow = true;
  auto r = lab::explain(*p);
  if (!r) return finish(r.status());
  if (Status st = shallow::save_shallow(*r->shallow, f.out); !st.is_ok()) return finish(st);
  if (f.json) {
    print_json(convert_json(*r, f.out));
  } else {
    const shallow::RegionSet& rs = *r->regions;
    std::printf(
        "wrote %s: %s, %d hidden neurons -> %zu regions (%ld full-dimensional), %ld rows, %ld LPs, %.4f s\n",
        f.out.c_str(), r->net.arch().c_str(), r->net.hidden(), rs.regions.size(), rs.full_dim_regions,
        static_cast<long>(rs.c.size()), rs.lps, rs.seconds);
  }
  return kExitOk;
}

// ---- shallow verify ----
struct VerifyFlags {
  std::string model;
  lab::VerifyPlan plan;
  bool json = false;
};

Json verify_json(const shallow::VerifyReport& r, bool boundary) {
  return {{"points", r.points},
          {"mismatches", r.mismatches},
          {"max_abs_diff", json_number(r.max_abs_diff)},
          {"nan", r.nan},
          {"open_gates_not_one", r.open_gates_not_one},
          {"boundary", boundary}};
}

int run_verify(const VerifyFlags& f) {
  auto r = lab::explain({.model = f.model, .verify = f.plan});
  if (!r) return finish(r.status());
  const shallow::VerifyReport& v = *r->verify;
  if (f.json) {
    print_json(verify_json(v, f.plan.boundary));
  } else {
    std::printf("%ld %spoints: %ld mismatches, max |diff| %.3g, %ld NaN, %ld with open gates != 1\n",
                v.points, f.plan.boundary ? "boundary " : "", v.mismatches, v.max_abs_diff, v.nan,
                v.open_gates_not_one);
  }
  if (!r->verified()) {
    std::fprintf(stderr, "actlab: error: the shallow network differs from %s\n", f.model.c_str());
    return kExitFailure;
  }
  return kExitOk;
}

// ---- shallow eval ----
Json eval_json(const shallow::ShallowEval& e) {
  return {{"output", vec_json(e.y)}, {"open_gates", e.open_gates}, {"nan", e.nan}};
}

int run_eval_shallow(const std::string& path, const std::string& xtext, bool json) {
  auto x = parse_number_list("--x", xtext);
  if (!x) return finish(x.status());
  auto e = lab::eval_shallow(path, *x);
  if (!e) return finish(e.status());
  if (json) {
    print_json(eval_json(*e));
  } else {
    for (Eigen::Index i = 0; i < e->y.size(); ++i) std::printf("%s%.17g", i ? " " : "", e->y[i]);
    std::printf("   (%d open gate%s)\n", e->open_gates, e->open_gates == 1 ? "" : "s");
  }
  return kExitOk;
}

// ---- shallow regions ----
struct RegionsFlags {
  RegionFlags r;
  std::string plot;
  bool json = false;
};

std::string pattern_text(const shallow::Pattern& p) {
  std::string s;
  for (auto b : p) s += b ? '1' : '0';
  return s;
}

Json regions_json(const shallow::RegionSet& rs) {
  Json list = Json::array();
  for (const shallow::Region& r : rs.regions) {
    Json alpha = Json::array();
    for (Eigen::Index o = 0; o < r.alpha.rows(); ++o) alpha.push_back(vec_json(r.alpha.row(o).transpose()));
    list.push_back({{"pattern", pattern_text(r.pattern)},
                    {"full_dim", r.full_dim},
                    {"alpha", alpha},
                    {"beta", vec_json(r.beta)},
                    {"witness", vec_json(r.witness)}});
  }
  return {{"count", rs.regions.size()}, {"full_dim_regions", rs.full_dim_regions},
          {"rows", rs.c.size()},        {"lps", rs.lps},
          {"seconds", rs.seconds},      {"regions", list}};
}

int run_regions(const RegionsFlags& f) {
  keep_freed_heap();
  auto p = region_plan(f.r);
  if (!p) return finish(p.status());
  p->regions->plot = !f.plot.empty();
  auto r = lab::explain(*p);
  if (!r) return finish(r.status());
  if (r->figure) {
    if (Status st = report::render(*r->figure, f.plot); !st.is_ok()) return finish(st);
  }
  const shallow::RegionSet& rs = *r->regions;
  if (f.json) {
    Json j = regions_json(rs);
    if (!f.plot.empty()) j["plot"] = f.plot;
    print_json(j);
  } else {
    std::printf("%s: %zu regions (%ld full-dimensional), %ld rows, %ld LPs, %.4f s\n", r->net.arch().c_str(),
                rs.regions.size(), rs.full_dim_regions, static_cast<long>(rs.c.size()), rs.lps, rs.seconds);
    for (const shallow::Region& reg : rs.regions) {
      std::printf("  %s%s  alpha[0] =", pattern_text(reg.pattern).c_str(),
                  reg.full_dim ? "" : " (lower-dim)");
      for (Eigen::Index j = 0; j < reg.alpha.cols(); ++j) std::printf(" %.6g", reg.alpha(0, j));
      std::printf("  beta[0] = %.6g\n", reg.beta[0]);
    }
    if (!f.plot.empty()) std::printf("plot: %s\n", f.plot.c_str());
  }
  return kExitOk;
}

// ---- explain ----
struct ExplainFlags {
  std::string model, x;
  lab::ShapPlan plan;
  bool json = false;
};

Json shap_json(const shallow::ShapResult& r, long background_rows) {
  return {{"phi", vec_json(r.phi)},
          {"base_value", json_number(r.base_value)},
          {"fx", json_number(r.fx)},
          {"efficiency_error", json_number(r.efficiency_error)},
          {"method", r.method},
          {"background_rows", background_rows},
          {"box_shortcuts", r.box_shortcuts},
          {"evaluations", r.evaluations}};
}

int run_explain(ExplainFlags f) {
  auto x = parse_number_list("--x", f.x);
  if (!x) return finish(x.status());
  f.plan.x = std::move(*x);
  auto r = lab::explain({.model = f.model, .shap = f.plan});
  if (!r) return finish(r.status());
  const shallow::ShapResult& s = *r->shap;
  if (f.json) {
    print_json(shap_json(s, r->background_rows));
  } else {
    std::printf("f(x) = %.10g, base value (mean over %ld background rows) = %.10g, %s\n", s.fx,
                r->background_rows, s.base_value, s.method.c_str());
    for (Eigen::Index j = 0; j < s.phi.size(); ++j)
      std::printf("  phi[%ld] = %+.10g\n", static_cast<long>(j), s.phi[j]);
    std::printf("efficiency error |sum phi - (f(x) - base)| = %.3g; %ld of %ld rows by the box shortcut\n",
                s.efficiency_error, s.box_shortcuts, r->background_rows);
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
  verify->add_option("--shallow", v->plan.shallow, "The shallow network file")->required();
  bounded(verify->add_option("--points", v->plan.points, "Number of points"), 1, 1e+07)
      ->capture_default_str();
  verify->add_flag("--boundary", v->plan.boundary,
                   "Integer points exactly on hyperplanes instead of random ones");
  verify->add_option("--seed", v->plan.seed, "Seed of the points")->capture_default_str();
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
  bounded(regions->add_option("--grid", r->r.plan.grid, "Plot: grid points per axis"), 2, 10000)
      ->capture_default_str();
  regions->add_flag("--json", r->json, "Machine-readable output");
  regions->callback([r, &exit_code] { exit_code = run_regions(*r); });

  auto x = std::make_shared<ExplainFlags>();
  CLI::App* explain = app.add_subcommand("explain", "Exact interventional SHAP values of a ReLU network");
  explain->add_option("--model", x->model, "The network (.json or .onnx)")->required();
  explain->add_option("--x", x->x, "The input to explain, v1,v2,...")->required();
  explain->add_option("--background", x->plan.background_csv, "Background rows (CSV, one input per row)")
      ->required();
  one_of(explain->add_option("--method", x->plan.method, "exact | sampling (approximate)"),
         {"exact", "sampling"})
      ->capture_default_str();
  bounded(explain->add_option("--samples", x->plan.samples, "Sampling: permutations"), 1, 1e+07)
      ->capture_default_str();
  explain->add_option("--output", x->plan.output, "Which output to explain")->capture_default_str();
  explain->add_option("--seed", x->plan.seed, "Sampling: seed")->capture_default_str();
  explain->add_flag("--json", x->json, "Machine-readable output");
  explain->callback([x, &exit_code] { exit_code = run_explain(*x); });
}

}  // namespace actlab::cli
