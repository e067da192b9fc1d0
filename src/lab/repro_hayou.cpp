// Hayou, Doucet & Rousseau, "On the impact of the activation function on deep neural networks training"
// (ICML 2019), the headline experiments (docs/reproduce.md, "hayou"):
//
// 1. Edge-of-chaos curves (σ_b → σ_w, q*) for ReLU, ELU, tanh, Swish and S-softplus (softplus − log 2):
//    ReLU-like φ have one EOC point (0, √2), smooth φ a curve (theory::edge_of_chaos). Our values are set
//    against the authors' published settings (tanh (0.2, 1.3029, q 0.5), ELU (0.1, 1.1775, q 0.44)).
// 2. On the EOC the correlation of two inputs converges to 1 polynomially: 1 − c^l ~ 1/(β_q l) for smooth φ,
//    ~ 9π²/(2l²) for ReLU. We iterate the correlation map (theory::correlation_iterates) and fit the exponent
//    of 1 − c^l over the last decade of depth.
// 3. Deep fully connected networks trained with SGD at the EOC against the ordered and the chaotic phase
//    (inputs scaled so that the first layer's variance is q*, the paper's x ← √q*·x), and the smooth
//    activations against ReLU at the EOC after a few epochs.
#include <algorithm>
#include <cmath>
#include <mutex>

#include "activations/activation.hpp"
#include "core/thread_pool.hpp"
#include "lab/compare.hpp"
#include "lab/reproduce.hpp"
#include "lab/run_log.hpp"
#include "report/format.hpp"
#include "theory/gaussian.hpp"
#include "theory/mean_field.hpp"
#include "theory/phase.hpp"

namespace actlab::lab {
namespace {

using activations::Activation;

struct EocAct {
  std::string name, label;
  double sigma_b;  // the point on the EOC used for the correlation and the training
  bool smooth;
};

// Least-squares slope of log y against log x.
double loglog_slope(const std::vector<double>& x, const std::vector<double>& y) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = static_cast<double>(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double lx = std::log(x[i]), ly = std::log(y[i]);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

std::string f4(double v) { return report::fmt(v, "%.4f"); }

}  // namespace

// 1 − c^l on the EOC for l = 0 … depth from c^0 = 0. Each exact step is a two-dimensional Gaussian integral
// (tens of milliseconds near c = 1), so thousands of layers use the map's decrement δ(ε) = ε − (1 − f(1 − ε))
// tabulated at n log-spaced ε in [eps_lo, 1] and interpolated linearly in log δ against log ε (δ follows a
// power law: A ε^(3/2) for ReLU, β ε² for smooth φ, so the interpolation error is a small relative error in
// the rate); then ε_{l+1} = ε_l − δ(ε_l). Interpolating the decrement, not 1 − f itself, keeps its relative
// digits where δ/ε is 1e-4. The test checks the first layers against theory::correlation_iterates.
Result<std::vector<double>> eoc_one_minus_c(const theory::GaussianIntegrator& g, const theory::EocPoint& p,
                                            int depth, int n, double eps_lo) {
  const theory::Init init{p.sigma_w, p.sigma_b};
  // From ε = 1 down, while δ keeps its digits: for smooth φ, δ/ε ~ β ε falls below the map's precision
  // long before the iteration gets there (1 − c^l ~ 1/(β l)), so the table ends where δ < 1e-10 ε.
  std::vector<double> le, ld;
  for (int i = n - 1; i >= 0; --i) {
    const double e = std::exp(std::log(eps_lo) * (1.0 - static_cast<double>(i) / (n - 1)));
    const double delta = e - theory::one_minus_correlation_map(g, init, p.q, 1.0 - e);
    if (!std::isfinite(delta))
      return Status::numerical("the correlation map is not finite at 1 - c = " + report::fmt(e, "%.3g"));
    if (!(delta > 1e-10 * e)) {
      if (i == n - 1) return Status::numerical("the correlation map does not decrease 1 - c at c = 0");
      break;
    }
    le.insert(le.begin(), std::log(e));
    ld.insert(ld.begin(), std::log(delta));
  }
  std::vector<double> out = {1.0};
  double e = 1.0;
  for (int l = 1; l <= depth; ++l) {
    const double x = std::log(e);
    if (x < le.front())
      return Status::numerical("1 - c fell below " + report::fmt(std::exp(le.front()), "%.3g") +
                               ", where the correlation map's decrement has no digits left, at layer " +
                               std::to_string(l));
    auto it = std::upper_bound(le.begin(), le.end(), x);
    const std::size_t j = std::min<std::size_t>(static_cast<std::size_t>(it - le.begin()), le.size() - 1);
    const std::size_t i = j - 1;
    const double t = (x - le[i]) / (le[j] - le[i]);
    e -= std::exp(ld[i] + t * (ld[j] - ld[i]));
    out.push_back(e);
  }
  return out;
}

Result<ReproduceResult> reproduce_hayou(const ReproduceContext& c) {
  const ReproducePlan& plan = c.plan;
  const bool paper = plan.paper_scale();
  const int cdepth = paper ? 10000 : 1000;
  const int seeds = plan.seeds > 0 ? plan.seeds : 3;
  const int width = paper ? 300 : 64;
  const std::vector<int> depths = paper ? std::vector<int>{10, 50, 100, 200} : std::vector<int>{30};
  const std::vector<std::string> datasets =
      paper ? std::vector<std::string>{"digits", "fashion-mnist"} : std::vector<std::string>{"digits"};
  const int epochs = 10, early_epochs = 2;

  ReproduceResult r;
  const ReproductionInfo& info = reproductions()[1];
  r.title = info.title;
  r.citation = info.citation;
  r.departures = {
      "MNIST is not packaged for Debian: digits (8x8, 1,797 images) and Fashion-MNIST stand in",
      "SGD with batch 64 as the paper, but learning rate 1e-2 (1e-3 above depth 150): the paper's 1e-3 "
      "(1e-4) is tuned for MNIST's 938 steps per epoch, and digits has 20",
      std::string("accuracy after ") + std::to_string(epochs) + " epochs (the paper also reports 100)",
      "inputs standardised, then scaled so the first layer's variance is q* (the paper scales raw pixels "
      "by sqrt(q*))"};
  if (paper)
    r.departures.push_back(
        "Fashion-MNIST: a 10,000-image subset of the training images (9,000 to train on, all 10,000 test "
        "images), at depths 10 and 50 only; digits carries depths 100 and 200");
  else
    r.departures.push_back("quick scale: width 64, depth 30, digits only, correlations to depth 1000");

  const std::vector<EocAct> acts = {{"relu", "ReLU", 0.0, false},
                                    {"elu", "ELU", 0.1, true},
                                    {"tanh", "tanh", 0.2, true},
                                    {"swish", "Swish", 0.8, true},
                                    {"softplus_shifted", "S-softplus", 0.2, true}};

  // ---- 1. EOC curves ----
  c.progress("edge of chaos", 0, 2);
  std::vector<double> grid;
  for (int i = 0; i <= 40; ++i) grid.push_back(0.05 * i);
  report::Figure ef{
      .title = "Edge of chaos: sigma_w against sigma_b", .xlabel = "sigma_b", .ylabel = "sigma_w"};
  report::Table et;
  et.title = "EOC points used below (theory; F'(q*) > 1: the variance fixed point repels)";
  et.columns = {{"activation"},
                {"sigma_b", report::ColumnType::kNumber, "%.3g"},
                {"sigma_w", report::ColumnType::kNumber, "%.5f"},
                {"q*", report::ColumnType::kNumber, "%.5f"},
                {"F'(q*)", report::ColumnType::kNumber, "%.4f"},
                {"beta_q", report::ColumnType::kNumber, "%.4g"},
                {"EOC points on the grid", report::ColumnType::kInt}};
  struct Point {
    theory::EocPoint p;
    int on_grid = 0;
  };
  std::vector<Point> points(acts.size());
  Json ejson = Json::object();
  std::vector<theory::GaussianIntegrator> gs;
  for (std::size_t a = 0; a < acts.size(); ++a) {
    auto act = Activation::make(acts[a].name);
    if (!act) return act.status();
    auto g = theory::GaussianIntegrator::make(*act);
    if (!g) return g.status();
    gs.push_back(*g);
    auto curve = theory::edge_of_chaos(*g, grid);
    if (!curve) return curve.status();
    report::Series s{.label = acts[a].label, .style = acts[a].smooth ? "linespoints" : "points"};
    for (const auto& row : curve->rows)
      if (!row.points.empty()) {
        // The first (smallest q*) point of each σ_b.
        s.x.push_back(row.sigma_b);
        s.y.push_back(row.points.front().sigma_w);
        ++points[a].on_grid;
      }
    ef.series.push_back(std::move(s));
    ejson[acts[a].name] = curve->to_json();
    auto at = theory::eoc_points(*g, acts[a].sigma_b);
    if (!at || at->empty()) return Status::numerical("no EOC point for " + acts[a].name);
    // Prefer a stable q*, as a trained network needs.
    auto it = std::find_if(at->begin(), at->end(), [](const theory::EocPoint& p) { return p.stable; });
    points[a].p = it == at->end() ? at->front() : *it;
    const theory::EocPoint& p = points[a].p;
    et.add_row({acts[a].label, p.sigma_b, p.sigma_w, p.q, p.slope, p.beta_q, points[a].on_grid});
  }
  c.progress("edge of chaos", 1, 2);

  // ---- 2. Correlation over depth on the EOC ----
  report::Table ct;
  ct.title = "1 - c^l on the EOC (c^0 = 0), exponent fitted over l in [" + std::to_string(cdepth / 10) +
             ", " + std::to_string(cdepth) + "]";
  ct.columns = {{"activation"},
                {"1-c at l=10", report::ColumnType::kNumber, "%.4g"},
                {"1-c at l=100", report::ColumnType::kNumber, "%.4g"},
                {"1-c at l=" + std::to_string(cdepth), report::ColumnType::kNumber, "%.4g"},
                {"exponent", report::ColumnType::kNumber, "%.3f"},
                {"l(1-c) or l^2(1-c)", report::ColumnType::kNumber, "%.4g"},
                {"limit", report::ColumnType::kNumber, "%.4g"}};
  report::Figure cf{.title = "Correlation on the edge of chaos: 1 - c^l",
                    .xlabel = "layer l",
                    .ylabel = "1 - c^l",
                    .logx = true,
                    .logy = true};
  std::vector<double> exponents(acts.size(), 0);
  Json cjson = Json::array();
  std::vector<Result<std::vector<double>>> decay(acts.size(), Status::internal("not computed"));
  {
    ThreadPool pool(plan.threads);
    pool.parallel_for(acts.size(), [&](std::size_t a, int) {
      decay[a] = eoc_one_minus_c(gs[a], points[a].p, cdepth, paper ? 240 : 120, paper ? 1e-10 : 1e-8);
    });
  }
  if (c.stop()) return c.stopped("the correlations");
  for (std::size_t a = 0; a < acts.size(); ++a) {
    const theory::EocPoint& p = points[a].p;
    auto& omc = decay[a];
    if (!omc) return omc.status();
    std::vector<double> ls, ys;
    report::Series s{.label = acts[a].label, .style = "lines"};
    for (int l = 1; l <= cdepth; ++l) {
      const double y = (*omc)[static_cast<std::size_t>(l)];
      if (!(y > 0)) continue;
      if (l >= cdepth / 10) {
        ls.push_back(l);
        ys.push_back(y);
      }
      // A thinned curve for the figure (every point of the first decade, then log-spaced).
      if (l <= 10 || l % std::max(1, l / 20) == 0) {
        s.x.push_back(l);
        s.y.push_back(y);
      }
    }
    exponents[a] = ls.size() > 2 ? loglog_slope(ls, ys) : std::nan("");
    const double last = omc->back();
    const double scaled = acts[a].smooth ? cdepth * last : double(cdepth) * cdepth * last;
    const double limit = acts[a].smooth ? 1.0 / p.beta_q : 9 * M_PI * M_PI / 2;
    ct.add_row({acts[a].label, (*omc)[10], (*omc)[100], last, exponents[a], scaled, limit});
    cf.series.push_back(std::move(s));
    cjson.push_back({{"activation", acts[a].name},
                     {"sigma_b", p.sigma_b},
                     {"sigma_w", p.sigma_w},
                     {"q_star", p.q},
                     {"exponent", exponents[a]},
                     {"scaled_last", scaled},
                     {"limit", limit},
                     {"one_minus_c", *omc}});
  }
  ct.notes = {
      "smooth activations: l(1-c^l) against its limit 1/beta_q; ReLU: l^2(1-c^l) against 9 pi^2/2 "
      "(both approach their limits slowly, with log corrections)"};
  c.progress("edge of chaos", 2, 2);

  // ---- 3. Training on and off the EOC ----
  // Phase arms per activation: the EOC point, then σ_w below (ordered) and above (chaotic) it.
  struct PhaseSet {
    std::size_t act;
    std::string ordered, chaotic;
  };
  const std::vector<PhaseSet> phase_sets = {
      {0, "gaussian:sigma_w=1,sigma_b=1", "gaussian:sigma_w=2,sigma_b=0"},
      {2, "gaussian:sigma_w=0.8,sigma_b=0.2", "gaussian:sigma_w=2.5,sigma_b=0.2"}};
  struct Job {
    std::string data;
    int depth = 0;
    int kind = 0;  // 0: phases of act `set`; 1: smooth vs ReLU at the EOC after early_epochs
    std::size_t set = 0;
    CompareResult result;
  };
  std::vector<Job> jobs;
  for (const std::string& d : datasets)
    for (int depth : depths) {
      // Fashion-MNIST at depth 100 and 200 is hours of one core per seed: digits carries those depths.
      if (d == "fashion-mnist" && depth > 50) continue;
      for (std::size_t s = 0; s < phase_sets.size(); ++s) jobs.push_back({d, depth, 0, s, {}});
      jobs.push_back({d, depth, 1, 0, {}});
    }
  // ReLU's only EOC point is σ_b = 0, where q* is free (marginal): plain critical is that point.
  auto eoc_init = [&](std::size_t a) {
    return acts[a].sigma_b == 0 ? std::string("critical")
                                : "critical:sigma_b=" + report::fmt(acts[a].sigma_b, "%g");
  };
  std::mutex mu;
  Status failed = Status::ok();
  std::int64_t done = 0;
  const auto total = static_cast<std::int64_t>(jobs.size());
  c.progress("training", 0, total);
  // Shallowest first: a stopped paper-scale run has whole depths done (the same command resumes).
  std::vector<std::size_t> order(jobs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return jobs[a].depth < jobs[b].depth; });
  ThreadPool pool(plan.threads);
  pool.parallel_for(jobs.size(), [&](std::size_t k, int) {
    if (c.stop()) return;
    {
      std::lock_guard lock(mu);
      if (!failed) return;
    }
    Job& job = jobs[order[k]];
    ComparePlan cp;
    cp.base.data = {.source = job.data, .test = 0.3, .seed = plan.seed};
    if (job.data == "fashion-mnist") {
      cp.base.data.sampling = data::Sampling::kShuffledPool;
      cp.base.data.subsample = 1.0 / 6;
      cp.base.data.val = 0.1;  // the pooled sampling needs one; the validation rows are not used
    }
    cp.base.model.spec = "mlp:" + std::to_string(width) + "x" + std::to_string(job.depth);
    cp.base.options.optimizer.kind = optim::OptimizerKind::kSgd;
    cp.base.options.optimizer.lr = job.depth > 150 ? 1e-3 : 1e-2;
    cp.base.options.batch = 64;
    cp.base.options.threads = 1;
    cp.seeds = seeds;
    cp.seed = plan.seed;
    cp.resamples = 2000;
    if (job.kind == 0) {
      const PhaseSet& ps = phase_sets[job.set];
      const std::size_t a = ps.act;
      const theory::EocPoint& p = points[a].p;
      // The same inputs for the three arms: scaled so that the first layer's variance is q* at the EOC.
      cp.base.model.input_scale = std::sqrt(std::max(1e-12, p.q - p.sigma_b * p.sigma_b)) / p.sigma_w;
      cp.base.options.epochs = epochs;
      cp.arms = {{acts[a].name + " EOC", acts[a].name, eoc_init(a)},
                 {acts[a].name + " ordered", acts[a].name, ps.ordered},
                 {acts[a].name + " chaotic", acts[a].name, ps.chaotic}};
    } else {
      cp.base.options.epochs = early_epochs;
      for (std::size_t a = 0; a < acts.size(); ++a)
        if (a != 4) cp.arms.push_back({acts[a].name + " EOC", acts[a].name, eoc_init(a)});
    }
    auto res = compare(cp, {}, c.log.runner());
    std::lock_guard lock(mu);
    if (!res) {
      if (failed) failed = res.status();
      return;
    }
    job.result = std::move(*res);
    ++done;
    c.progress("training " + job.data + " depth " + std::to_string(job.depth), done, total);
  });
  if (!failed) return failed;
  if (c.stop()) return c.stopped("the training");

  report::Table tt;
  tt.title = "Test accuracy after " + std::to_string(epochs) + " epochs, on and off the EOC (median over " +
             std::to_string(seeds) + " seeds; chance 0.1)";
  tt.columns = {{"data"},
                {"depth", report::ColumnType::kInt},
                {"activation"},
                {"EOC", report::ColumnType::kNumber, "%.4f"},
                {"ordered", report::ColumnType::kNumber, "%.4f"},
                {"chaotic", report::ColumnType::kNumber, "%.4f"},
                {"p (ordered vs EOC)", report::ColumnType::kNumber, "%.3g"}};
  report::Table st;
  st.title = "Test accuracy at the EOC after " + std::to_string(early_epochs) + " epochs (median over " +
             std::to_string(seeds) + " seeds)";
  st.columns = {{"data"}, {"depth", report::ColumnType::kInt}};
  for (std::size_t a = 0; a < 4; ++a)
    st.columns.push_back({acts[a].label, report::ColumnType::kNumber, "%.4f"});
  int eoc_wins = 0, eoc_cases = 0, smooth_wins = 0, smooth_cases = 0;
  std::string eoc_text, smooth_text;
  Json tjson = Json::array();
  for (const Job& job : jobs) {
    const CompareResult& res = job.result;
    tjson.push_back({{"data", job.data},
                     {"depth", job.depth},
                     {"kind", job.kind == 0 ? "phases" : "smooth_vs_relu"},
                     {"compare", res.to_json()}});
    if (job.kind == 0) {
      const double e = res.arms[0].median, o = res.arms[1].median, ch = res.arms[2].median;
      tt.add_row({job.data, job.depth, acts[phase_sets[job.set].act].label, e, o, ch, res.arms[1].p_value});
      ++eoc_cases;
      // Trains: at least three times chance; off-EOC: within 0.1 of chance (a diverged run scores 0).
      if (e > 0.3 && o < 0.2 && ch < 0.2) ++eoc_wins;
      eoc_text += (eoc_text.empty() ? "" : "; ") + acts[phase_sets[job.set].act].label + " " + job.data +
                  " L=" + std::to_string(job.depth) + ": " + f4(e) + " vs " + f4(o) + " / " + f4(ch);
    } else {
      std::vector<report::Cell> row = {job.data, job.depth};
      for (const auto& arm : res.arms) row.push_back(arm.median);
      st.add_row(std::move(row));
      const double relu = res.arms[0].median;
      for (std::size_t a = 1; a < res.arms.size(); ++a) {
        ++smooth_cases;
        if (res.arms[a].median > relu) ++smooth_wins;
      }
      smooth_text += (smooth_text.empty() ? "" : "; ") + job.data + " L=" + std::to_string(job.depth) +
                     ": ReLU " + f4(relu) + ", ELU " + f4(res.arms[1].median) + ", tanh " +
                     f4(res.arms[2].median) + ", Swish " + f4(res.arms[3].median);
    }
  }
  tt.notes = {
      "EOC: --init critical (ReLU: sigma_b = 0, sigma_w = sqrt 2) or critical:sigma_b=B (tanh 0.2); ordered: "
      "ReLU (1, 1), tanh sigma_w = 0.8; "
      "chaotic: ReLU (0, 2), tanh sigma_w = 2.5 (sigma_b, sigma_w pairs as in the paper's follow-ups)",
      "p: paired permutation test of the ordered arm against the EOC arm over seeds",
      "0.0000: every seed diverged (a diverged run scores accuracy 0)"};

  // ---- Claims ----
  {
    const Point& relu = points[0];
    int smooth_curves = 0;
    for (std::size_t a = 1; a < acts.size(); ++a) smooth_curves += points[a].on_grid >= 20 ? 1 : 0;
    const bool relu_point = relu.on_grid == 1 && std::abs(relu.p.sigma_w - std::sqrt(2.0)) < 1e-6;
    r.claims.push_back(
        {"The EOC of ReLU is one point; smooth activations have an EOC curve",
         "for ReLU-like functions the EOC is the single point (0, sqrt 2); for smooth ones a curve in "
         "(sigma_b, sigma_w)",
         "ReLU: " + std::to_string(relu.on_grid) + " EOC point on the sigma_b grid (sigma_w = " +
             report::fmt(relu.p.sigma_w, "%.6f") + "); " + std::to_string(smooth_curves) +
             " of 4 smooth activations have a point at >= 20 of the 41 grid values",
         relu_point && smooth_curves == 4 ? "reproduced" : "partly",
         relu_point && smooth_curves == 4 ? "" : "some smooth activation has no EOC at most sigma_b"});
  }
  {
    // The authors' settings: tanh (0.2, 1.3029, q = 0.5), ELU (0.1, 1.1775, q = 0.44).
    const double tw = points[2].p.sigma_w, tq = points[2].p.q, ew = points[1].p.sigma_w, eq = points[1].p.q;
    const double err = std::max(std::abs(tw / 1.3029 - 1), std::abs(ew / 1.1775 - 1));
    r.claims.push_back(
        {"EOC values of the authors' experiments",
         "tanh (sigma_b, sigma_w, q*) = (0.2, 1.3029, 0.5); ELU (0.1, 1.1775, 0.44) (their code, "
         "Monte Carlo with 5e5 draws)",
         "tanh (0.2, " + report::fmt(tw, "%.5f") + ", " + report::fmt(tq, "%.4f") + "); ELU (0.1, " +
             report::fmt(ew, "%.5f") + ", " + report::fmt(eq, "%.4f") + ") by quadrature",
         err < 0.01 ? "reproduced" : "partly",
         err < 0.01 ? "sigma_w within " + report::fmt(100 * err, "%.2f") +
                          " %; the authors' Monte Carlo carries its own error"
                    : "sigma_w differs by " + report::fmt(100 * err, "%.2f") + " %"});
  }
  {
    bool relu_ok = std::abs(exponents[0] + 2) < 0.3;
    int smooth_ok = 0;
    std::string text = "fitted exponents: ReLU " + report::fmt(exponents[0], "%.3f");
    for (std::size_t a = 1; a < acts.size(); ++a) {
      smooth_ok += std::abs(exponents[a] + 1) < 0.3 ? 1 : 0;
      text += ", " + acts[a].label + " " + report::fmt(exponents[a], "%.3f");
    }
    r.claims.push_back(
        {"On the EOC, correlations converge like 1/l for smooth activations and 1/l^2 for ReLU",
         "smooth activations propagate information deeper: 1 - c^l ~ 1/l against 1/l^2 for ReLU", text,
         verdict_of((relu_ok ? 1 : 0) + smooth_ok, 5),
         relu_ok && smooth_ok == 4 ? "" : "an exponent is more than 0.3 from its law at this depth"});
  }
  r.claims.push_back(
      {"At depth, off-EOC initialisations stay at chance while the EOC trains",
       "initialising on the EOC makes deep networks trainable; the ordered/chaotic phase stays near "
       "chance (about 10 %) at depth 200",
       eoc_text + " (EOC vs ordered / chaotic)", verdict_of(eoc_wins, eoc_cases),
       eoc_wins == eoc_cases ? "" : "in some setting the EOC does not train or an off-EOC arm does"});
  r.claims.push_back(
      {"Smooth activations train faster than ReLU on the EOC",
       "ELU, tanh and Swish at the EOC train faster than ReLU at the EOC",
       smooth_text + " (after " + std::to_string(early_epochs) + " epochs)",
       smooth_wins * 3 >= smooth_cases * 2 ? "reproduced" : verdict_of(smooth_wins, smooth_cases),
       smooth_wins * 3 >= smooth_cases * 2
           ? ""
           : "ReLU is ahead in " + std::to_string(smooth_cases - smooth_wins) + " of " +
                 std::to_string(smooth_cases) + " comparisons"});
  r.claims.push_back({"EOC initialisation outperforms Batch Normalization", "EOC beats BatchNorm at depth",
                      "not run", "not checkable", "actlab has no batch-normalisation layer"});

  {
    auto& s = r.report.add_section("1. Edge of chaos");
    s.paragraph(
        "The EOC is where chi_1 = sigma_w^2 E[phi'(sqrt(q*) Z)^2] = 1 at the variance fixed point q*. "
        "Swish's EOC point at small sigma_b repels (F'(q*) > 1), so a Swish network started there drifts "
        "off it; the training below uses sigma_b = 0.8, where it attracts.");
    s.table(et);
    add_figure(s, ef, "EOC curves: ReLU is a single point, smooth activations a curve", "eoc");
  }
  {
    auto& s = r.report.add_section("2. Correlation over depth");
    s.table(ct);
    add_figure(s, cf, "1 - c^l on the EOC: slope -1 for smooth activations, -2 for ReLU", "correlation");
  }
  {
    auto& s = r.report.add_section("3. Training deep networks on and off the EOC");
    s.paragraph("Fully connected networks of width " + std::to_string(width) + ", SGD with batch 64, " +
                std::to_string(seeds) +
                " seeds per arm (the same split, weights seed stream and batches for "
                "every arm of a seed).");
    s.table(tt);
    s.table(st);
  }
  r.data = {{"eoc", ejson},
            {"correlation", cjson},
            {"training", tjson},
            {"settings",
             {{"correlation_depth", cdepth},
              {"width", width},
              {"depths", depths},
              {"data", datasets},
              {"epochs", epochs},
              {"early_epochs", early_epochs},
              {"seeds", seeds}}}};
  return r;
}

}  // namespace actlab::lab
