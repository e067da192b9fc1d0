// actlab act list | show | plot — the activation catalog and the formula language (docs/catalog.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "activations/activation.hpp"
#include "activations/limits.hpp"
#include "activations/printer.hpp"
#include "activations/properties.hpp"
#include "activations/row_ops.hpp"
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/json.hpp"
#include "lab/figures.hpp"
#include "report/figure.hpp"

namespace actlab::cli {
namespace {

// A formula as text, unless written out it exceeds the formula size limit (docs/limits.md): the second
// derivative of sin(sin(...x...)) 999 deep is 10^8 nodes as a tree though small as a DAG, and printing it
// took 50 s and 2 GB.
std::string printed(const activations::Expr& e) {
  activations::FormulaMeter meter;
  if (meter.measure(e).size > activations::kMaxFormulaSize) {
    return "(not printed: more than " + std::to_string(activations::kMaxFormulaSize) + " nodes written out)";
  }
  return activations::print(e);
}

using activations::Activation;
using activations::CatalogEntry;

// Kinks are listed inside this window (floor has one at every integer).
constexpr double kKinkWindow = 10.0;

std::string fmt_num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string fmt_range(const activations::Range& r) {
  return std::string(std::isinf(r.lo) ? "(" : "[") + fmt_num(r.lo) + ", " + fmt_num(r.hi) +
         (std::isinf(r.hi) ? ")" : "]");
}

std::string params_text(const Activation::Params& params) {
  std::string s;
  for (const auto& [k, v] : params) s += (s.empty() ? "" : ", ") + k + "=" + fmt_num(v);
  return s.empty() ? "-" : s;
}

std::string flags_text(const CatalogEntry& e) {
  std::string s;
  auto add = [&](const char* f) { s += (s.empty() ? "" : ",") + std::string(f); };
  if (e.is_user()) add("user");
  if (e.in_menu) add("menu");
  if (e.row_wise()) add("row-wise");
  if (e.stochastic != activations::Stochastic::kNone) add("stochastic");
  if (e.has_learnable_params()) add("learnable");
  if (e.monotone) add("monotone");
  return s.empty() ? "-" : s;
}

const char* stochastic_name(activations::Stochastic s) {
  switch (s) {
    case activations::Stochastic::kRrelu: return "rrelu";
    case activations::Stochastic::kGumbel: return "gumbel";
    default: return nullptr;
  }
}

Json entry_json(const CatalogEntry& e) {
  Json j;
  j["name"] = e.name;
  j["aliases"] = e.aliases;
  j["formula"] = e.formula;
  Json params = Json::object();
  Json learnable = Json::array();
  for (const auto& p : e.params) {
    params[p.name] = p.default_value;
    if (p.learnable) learnable.push_back(p.name);
  }
  j["params"] = params;
  j["learnable"] = learnable;
  j["range"] = {e.range_lo, e.range_hi};
  j["kinks"] = e.kinks;
  j["monotone"] = e.monotone;
  j["menu"] = e.in_menu;
  j["row_wise"] = e.row_wise();
  const char* st = stochastic_name(e.stochastic);
  j["stochastic"] = st ? Json(st) : Json(nullptr);
  j["reference"] = e.reference;
  // User entries: the file they came from (null for built-in entries), and whether range, kinks and monotone
  // were declared (else "range", "kinks" and "monotone" above are placeholders; act show estimates them).
  j["user_catalog"] = e.is_user() ? Json(e.source) : Json(nullptr);
  j["properties_declared"] = e.properties_declared;
  if (e.is_user()) j["description"] = e.description;
  return j;
}

int run_list(const std::string& menu, bool json) {
  if (!menu.empty() && menu != "alacarte") {
    return finish(Status::invalid("--menu: unknown menu '" + menu + "' (known: alacarte)"));
  }
  std::vector<const CatalogEntry*> rows;
  for (const CatalogEntry& e : activations::catalog()) {
    if (menu.empty() || e.in_menu) rows.push_back(&e);
  }
  if (json) {
    Json j;
    j["menu"] = menu.empty() ? Json(nullptr) : Json(menu);
    j["count"] = rows.size();
    j["activations"] = Json::array();
    for (const CatalogEntry* e : rows) j["activations"].push_back(entry_json(*e));
    print_recorded(j);
    return kExitOk;
  }
  std::printf("%-19s %-44s %-24s %s\n", "name", "formula", "range", "flags");
  for (const CatalogEntry* e : rows) {
    std::string formula = e->formula;
    if (formula.size() > 44) formula = formula.substr(0, 41) + "...";
    const std::string range = e->properties_declared ? "[" + e->range_lo + ", " + e->range_hi + "]" : "?";
    std::printf("%-19s %-44s %-24s %s\n", e->name.c_str(), formula.c_str(), range.c_str(),
                flags_text(*e).c_str());
  }
  std::printf("%zu activations%s. Details: actlab act show NAME\n", rows.size(),
              menu.empty() ? "" : (" in the " + menu + " menu").c_str());
  // Where the user entries came from (--catalog, $ACTLAB_CATALOG or the default file).
  std::vector<std::pair<std::string, int>> files;
  bool estimated = false;
  for (const CatalogEntry* e : rows) {
    if (!e->is_user()) continue;
    estimated = estimated || !e->properties_declared;
    auto it = std::find_if(files.begin(), files.end(), [&](const auto& f) { return f.first == e->source; });
    if (it == files.end()) {
      files.emplace_back(e->source, 1);
    } else {
      ++it->second;
    }
  }
  for (const auto& [file, count] : files) {
    std::printf("%d user entr%s (flag \"user\") from %s\n", count, count == 1 ? "y" : "ies", file.c_str());
  }
  if (estimated) std::printf("Range \"?\": not declared; act show estimates it\n");
  return kExitOk;
}

struct ShowReport {
  activations::Range range;
  bool range_declared;
  std::vector<double> kinks;
  std::string kink_pattern;
  std::string smooth;
  bool monotone;
};

Result<ShowReport> properties_of(const Activation& a) {
  ShowReport r;
  const CatalogEntry* e = a.entry();
  bool defaults = true;
  if (e && e->properties_declared) {
    for (const auto& [k, v] : a.params()) defaults = defaults && e->find_param(k)->default_value == v;
    auto range = activations::declared_range(*e, a.params());
    if (!range) return range.status();
    r.range = *range;
    r.range_declared = true;
    auto kinks = activations::declared_kinks(*e, a.params(), -kKinkWindow, kKinkWindow);
    if (!kinks) return kinks.status();
    r.kinks = *kinks;
    if (e->kinks == "integers" || e->kinks == "nonzero_integers" || e->kinks == "half_integers") {
      r.kink_pattern = e->kinks;
    }
  } else {
    r.range = activations::estimate_range(a.f_expr());
    r.range_declared = false;
    r.kinks = activations::find_kinks(a.f_expr(), -kKinkWindow, kKinkWindow);
  }
  if (a.row_wise()) {
    r.smooth = "C-inf";
    r.monotone = false;
    return r;
  }
  r.smooth = activations::smoothness_name(activations::smoothness(a.f_expr(), r.kinks));
  r.monotone =
      (e && e->properties_declared && defaults) ? e->monotone : activations::estimate_monotone(a.f_expr());
  return r;
}

int run_show(const std::string& spec, const std::vector<std::string>& param_items, const std::string& at,
             bool json) {
  auto params = parse_params(param_items);
  if (!params) return finish(params.status());
  std::vector<double> xs = {-2, -1, -0.5, 0, 0.5, 1, 2};
  if (!at.empty()) {
    auto list = parse_number_list("--at", at);
    if (!list) return finish(list.status());
    xs = *list;
  }
  auto act = Activation::make(spec, *params);
  if (!act) return finish(act.status());
  const Activation& a = *act;
  auto props = properties_of(a);
  if (!props) return finish(props.status());

  // Values: element-wise f, f', f'' in double; row-wise: the points form one row, derivatives are the
  // diagonal.
  const std::size_t n = xs.size();
  std::vector<double> f(n), df(n), d2f(n);
  std::string formula, derivative, second;
  if (a.row_wise()) {
    Rng rng(0);
    const double tau = std::isnan(a.param("tau")) ? 1.0 : a.param("tau");
    activations::row_forward<double>(a.row_op(), xs, f, tau, &rng);
    activations::row_diagonal<double>(a.row_op(), f, df, d2f, tau);
    formula = a.entry()->formula;
    derivative = "diagonal of the Jacobian, dy_i/dx_i";
    second = "d2y_i/dx_i2";
  } else {
    double* outs[3] = {f.data(), df.data(), d2f.data()};
    a.kernel().eval(xs, outs);
    // A catalog entry shows its formula in the parameters; a formula shows itself as typed. "expanded"
    // (printed when different) is the tree actually evaluated: parameters substituted, catalog calls inlined.
    formula = a.entry() ? a.entry()->formula : a.name();
    derivative = printed(a.df_expr());
    second = printed(a.d2f_expr());
  }

  if (json) {
    Json j;
    j["name"] = a.name();
    j["source"] = !a.entry() ? "formula" : a.entry()->is_user() ? "user" : "catalog";
    j["formula"] = formula;
    j["expanded"] = a.row_wise() ? Json(nullptr) : Json(printed(a.f_expr()));
    j["derivative"] = derivative;
    j["second_derivative"] = second;
    j["range"] = {json_bound(props->range.lo), json_bound(props->range.hi)};
    j["range_source"] = props->range_declared ? "declared" : "estimated";
    j["kinks"] = props->kinks;
    j["kink_pattern"] = props->kink_pattern.empty() ? Json(nullptr) : Json(props->kink_pattern);
    j["monotone"] = props->monotone;
    j["smooth"] = props->smooth;
    Json pj = Json::object();
    for (const auto& [k, v] : a.params()) pj[k] = v;
    j["params"] = pj;
    if (const CatalogEntry* e = a.entry()) {
      j["aliases"] = e->aliases;
      j["menu"] = e->in_menu;
      j["row_wise"] = e->row_wise();
      const char* st = stochastic_name(e->stochastic);
      j["stochastic"] = st ? Json(st) : Json(nullptr);
      Json learnable = Json::array();
      for (const auto& p : e->params) {
        if (p.learnable) learnable.push_back(p.name);
      }
      j["learnable"] = learnable;
      j["reference"] = e->reference;
      if (e->is_user()) {
        j["user_catalog"] = e->source;
        j["description"] = e->description;
      }
    }
    j["values"] = Json::array();
    for (std::size_t i = 0; i < n; ++i) {
      j["values"].push_back({{"x", json_number(xs[i])},
                             {"f", json_number(f[i])},
                             {"df", json_number(df[i])},
                             {"d2f", json_number(d2f[i])}});
    }
    print_recorded(j);
    return kExitOk;
  }

  std::string kinks = props->kink_pattern;
  if (kinks.empty()) {
    for (double k : props->kinks) kinks += (kinks.empty() ? "" : ", ") + fmt_num(k);
  }
  if (a.entry() && a.entry()->is_user()) {
    std::printf("%s  (user catalog %s)\n", a.name().c_str(), a.entry()->source.c_str());
  } else {
    std::printf("%s  (%s)\n", a.name().c_str(), a.entry() ? "catalog" : "formula");
  }
  std::printf("  formula     %s\n", formula.c_str());
  if (!a.row_wise() && printed(a.f_expr()) != formula) {
    std::printf("  expanded    %s\n", printed(a.f_expr()).c_str());
  }
  std::printf("  f'(x)       %s\n", derivative.c_str());
  std::printf("  f''(x)      %s\n", second.c_str());
  std::printf("  range       %s%s\n", fmt_range(props->range).c_str(),
              props->range_declared ? "" : "  (estimated)");
  std::printf("  kinks       %s\n", kinks.empty() ? "none" : kinks.c_str());
  std::printf("  smoothness  %s\n", props->smooth.c_str());
  std::printf("  monotone    %s\n", props->monotone ? "yes" : "no");
  std::printf("  params      %s\n", params_text(a.params()).c_str());
  if (const CatalogEntry* e = a.entry()) {
    std::printf("  flags       %s\n", flags_text(*e).c_str());
    if (!e->description.empty()) std::printf("  about       %s\n", e->description.c_str());
    if (!e->reference.empty()) std::printf("  reference   %s\n", e->reference.c_str());
    if (e->row_wise()) std::printf("  note        row-wise: the --at points are one row\n");
  }
  std::printf("\n  %12s %14s %14s %14s\n", "x", a.row_wise() ? "y" : "f(x)",
              a.row_wise() ? "dy_i/dx_i" : "f'(x)", a.row_wise() ? "d2y_i/dx_i2" : "f''(x)");
  for (std::size_t i = 0; i < n; ++i) {
    std::printf("  %12.6g %14.8g %14.8g %14.8g\n", xs[i], f[i], df[i], d2f[i]);
  }
  return kExitOk;
}

int run_plot(const std::vector<std::string>& specs, const std::vector<std::string>& param_items,
             const std::string& out, const std::string& range_text, bool with_derivative, bool json) {
  auto params = parse_params(param_items);
  if (!params) return finish(params.status());
  auto range = parse_interval("--range", range_text);
  if (!range) return finish(range.status());
  constexpr int kPoints = 801;
  std::vector<double> xs(kPoints);
  for (int i = 0; i < kPoints; ++i) xs[i] = range->first + (range->second - range->first) * i / (kPoints - 1);
  std::map<std::string, bool> used;
  std::vector<lab::ActivationCurve> curves;
  for (const std::string& spec : specs) {
    // Each activation takes the --param values it has (catalog) or uses (formula).
    std::map<std::string, double> mine;
    const CatalogEntry* e = activations::find_entry(spec);
    for (const auto& [k, v] : *params) {
      if (e ? e->find_param(k) != nullptr : spec.find(k) != std::string::npos) mine[k] = v;
    }
    auto act = Activation::make(spec, mine);
    if (!act) return finish(act.status().with_context(spec));
    for (const auto& [k, v] : mine) used[k] = true;
    if (act->row_wise()) {
      return finish(Status::invalid(spec + " is row-wise: it has no curve f(x) to plot"));
    }
    // f and f' from the activation's kernel: f' is its symbolic derivative, compiled (exact, not
    // differenced).
    std::vector<double> f(kPoints), df(kPoints), d2f(kPoints);
    double* outs[3] = {f.data(), df.data(), d2f.data()};
    act->kernel().eval(xs, outs);
    curves.push_back({act->name(), xs, std::move(f), std::move(df)});
  }
  for (const auto& [k, v] : *params) {
    if (!used.count(k)) return finish(Status::invalid("--param " + k + ": no activation to plot has it"));
  }
  const report::Figure fig = lab::activation_figure(curves, *range, with_derivative);
  if (Status s = report::render(fig, out); !s) return finish(s);
  if (json) {
    Json j;
    j["out"] = out;
    j["series"] = Json::array();
    for (const auto& s : fig.series) j["series"].push_back(s.label);
    for (const auto& panel : fig.panels)
      for (const auto& s : panel.series) j["series"].push_back(s.label);
    j["range"] = {range->first, range->second};
    print_recorded(j);
  } else {
    std::size_t n = fig.series.size();
    for (const auto& panel : fig.panels) n += panel.series.size();
    std::printf("wrote %s (%zu curves)\n", out.c_str(), n);
  }
  return kExitOk;
}

}  // namespace

void add_act_command(CLI::App& app, int& exit_code) {
  CLI::App* act = app.add_subcommand("act", "The activation catalog and formula language");
  act->require_subcommand(1);

  struct Options {
    std::string menu, spec, at, out, range = "-5:5";
    std::vector<std::string> specs, params;
    bool json = false, derivative = true;
  };
  auto o = std::make_shared<Options>();

  CLI::App* list = act->add_subcommand("list", "List the catalog");
  list->add_option("--menu", o->menu,
                   "Only a menu: alacarte (the 48 functions of Sipper's à-la-carte search)");
  list->add_flag("--json", o->json, "Machine-readable output");
  list->callback([o, &exit_code] { exit_code = run_list(o->menu, o->json); });

  CLI::App* show =
      act->add_subcommand("show", "Formula, derivatives, range, kinks and values of an activation");
  show->add_option("activation", o->spec, "Catalog name or formula, e.g. swish or 'x*sigmoid(1.5*x)'")
      ->required();
  show->add_option("--param", o->params, "Parameter value NAME=VALUE (repeatable), e.g. --param p=3");
  show->add_option("--at", o->at,
                   "Points where f, f', f'' are printed: x1,x2,... (default -2,-1,-0.5,0,0.5,1,2)");
  show->add_flag("--json", o->json, "Machine-readable output");
  show->callback([o, &exit_code] { exit_code = run_show(o->spec, o->params, o->at, o->json); });

  CLI::App* plot =
      act->add_subcommand("plot", "Plot activations (and derivatives) to SVG or PNG with gnuplot");
  plot->add_option("activation", o->specs, "Catalog names or formulas")->required();
  plot->add_option("--plot,--out", o->out, "Output file, .svg or .png")->required();
  plot->add_option("--range", o->range, "x range LO:HI (default -5:5)");
  plot->add_option("--param", o->params, "Parameter value NAME=VALUE, given to every activation that has it");
  plot->add_flag("--derivative,!--no-derivative", o->derivative,
                 "Draw f' (exact derivative) in a panel beside f (the default; --no-derivative: f alone)");
  plot->add_flag("--json", o->json, "Machine-readable output");
  plot->callback([o, &exit_code] {
    exit_code = run_plot(o->specs, o->params, o->out, o->range, o->derivative, o->json);
  });
}

}  // namespace actlab::cli
