#include "lab/reproduce.hpp"

#include <chrono>
#include <filesystem>

#include "core/file_io.hpp"
#include "lab/run_log.hpp"

namespace actlab::lab {

namespace fs = std::filesystem;

const std::vector<ReproductionInfo>& reproductions() {
  static const std::vector<ReproductionInfo> list = {
      {"kim-kang", "Why rectified power unit networks fail and how to improve it",
       "T. Kim and M. Kang, arXiv:2408.02697 (2024)",
       "kernels to depth 12 with a width-64 Monte Carlo; regression at depths 2, 6, 10, 3 seeds (~30 s)",
       "kernels to depth 20 with a width-256 Monte Carlo; regression at every depth 2-10, 5 seeds (~15 min)"},
      {"hayou", "On the impact of the activation function on deep neural networks training",
       "S. Hayou, A. Doucet and J. Rousseau, ICML 2019 (PMLR 97:2672-2680), arXiv:1902.06853",
       "EOC curves, correlations to depth 1000; depth-30 width-64 nets on digits, 3 seeds (~1 min)",
       "correlations to depth 10^4; width-300 nets of depth 10, 50, 100, 200 on digits and 10, 50 on a "
       "10,000-image Fashion-MNIST subset, 3 seeds (about 2 hours of one core; resumable)"},
      {"dik", "Population ADAM, and neuron activation functions during training",
       "A. Dik, MQL5 articles 16443 and 16845 (2024-2025)",
       "harness with 2 repeats, ADAMm 3 seeds and population Adam 1; 1-1-1 study on 8 activations (~30 s)",
       "harness as published (10 repeats), 5 seeds each; 1-1-1 study over the catalog, 10 seeds (~10 min)"},
      {"villani-schoots", "Any deep ReLU network is shallow",
       "M. J. Villani and N. Schoots, arXiv:2306.11827 (2023)",
       "6 network sizes up to 12 neurons, 2 networks each, brute force up to 12 (~5 s)",
       "13 sizes up to 32 neurons, 3 networks each, brute force up to 18 neurons (minutes)"},
  };
  return list;
}

Status ReproducePlan::validate() const {
  bool known = false;
  std::string names;
  for (const ReproductionInfo& r : reproductions()) {
    known = known || r.name == name;
    names += (names.empty() ? "" : ", ") + r.name;
  }
  if (!known)
    return Status::invalid_field("name", "unknown reproduction '" + name + "' (one of " + names + ")");
  if (scale != "quick" && scale != "paper")
    return Status::invalid_field("scale", "must be quick or paper, not '" + scale + "'");
  if (out.empty()) return Status::invalid_field("out", "a directory for the report is needed");
  if (seeds < 0 || seeds > 1000)
    return Status::invalid_field("seeds", "must be 0 (the default) or 1 ... 1000");
  if (threads < 1 || threads > 1024) return Status::invalid_field("threads", "must be 1 ... 1024");
  return Status::ok();
}

Json ReproducePlan::to_json() const {
  return {{"name", name}, {"scale", scale},     {"out", out},        {"seeds", seeds},
          {"seed", seed}, {"threads", threads}, {"command", command}};
}

Status ReproduceContext::stopped(const std::string& where) const {
  return Status::internal("interrupted by a signal in " + where + "; the same command resumes");
}

void ReproduceContext::progress(std::string step, std::int64_t done, std::int64_t total) const {
  if (on_progress) on_progress({.step = std::move(step), .done = done, .total = total});
}

std::string verdict_of(int hits, int cases) {
  if (cases <= 0) return "not checkable";
  if (hits == cases) return "reproduced";
  return hits > 0 ? "partly" : "not reproduced";
}

void add_figure(report::Section& section, const report::Figure& figure, const std::string& caption,
                const std::string& name) {
  auto svg = report::render_svg(figure);
  if (svg)
    section.figure(caption, *svg, name + ".svg");
  else
    section.paragraph("(figure \"" + caption + "\" not drawn: " + svg.status().message() + ")");
}

std::vector<std::pair<std::string, int>> ReproduceResult::verdict_counts() const {
  std::vector<std::pair<std::string, int>> n = {
      {"reproduced", 0}, {"partly", 0}, {"not reproduced", 0}, {"not checkable", 0}};
  for (const Claim& c : claims)
    for (auto& [v, k] : n)
      if (c.verdict == v) ++k;
  return n;
}

report::Table ReproduceResult::claims_table() const {
  report::Table t;
  t.title = "Paper says / we get / verdict";
  t.columns = {{"claim"}, {"paper says"}, {"we get"}, {"verdict"}, {"reason", report::ColumnType::kText}};
  for (const Claim& c : claims) t.add_row({c.claim, c.paper, c.ours, c.verdict, c.reason});
  return t;
}

Json ReproduceResult::to_json() const {
  Json cl = Json::array();
  for (const Claim& c : claims)
    cl.push_back({{"claim", c.claim},
                  {"paper", c.paper},
                  {"ours", c.ours},
                  {"verdict", c.verdict},
                  {"reason", c.reason}});
  Json v = Json::object();
  for (const auto& [name, n] : verdict_counts()) v[name] = n;
  return {{"reproduction", plan.name},
          {"title", title},
          {"citation", citation},
          {"plan", plan.to_json()},
          {"departures", departures},
          {"claims", cl},
          {"verdicts", v},
          {"data", data},
          {"runs_trained", runs_trained},
          {"runs_reused", runs_reused},
          {"seconds", seconds}};
}

namespace {

Status write_outputs(const ReproduceResult& r) {
  const fs::path d(r.plan.out);
  auto write = [&](const std::string& name, const std::string& text) {
    const Status s = write_file_atomic((d / name).string(), text);
    return s ? s : Status::invalid_field("out", s.message());
  };
  if (Status s = write("results.json", json_dump(r.to_json(), true) + "\n"); !s) return s;
  if (Status s = write("report.md", r.report.markdown()); !s) return s;
  if (Status s = write("report.html", r.report.html()); !s) return s;
  for (const report::Section& sec : r.report.sections)
    for (const auto& block : sec.blocks)
      if (const auto* f = std::get_if<report::FigureBlock>(&block); f && !f->path.empty())
        if (Status s = write(f->path, f->svg); !s) return s;
  return Status::ok();
}

}  // namespace

Result<ReproduceResult> reproduce(const ReproducePlan& plan, const ReproduceProgressFn& on_progress,
                                  const std::function<int()>& interrupted) {
  if (Status s = plan.validate(); !s) return s;
  std::error_code ec;
  fs::create_directories(plan.out, ec);
  if (ec) return Status::invalid_field("out", "cannot create " + plan.out + ": " + ec.message());
  RunLog log;
  if (Status s = log.open((fs::path(plan.out) / "runs.jsonl").string()); !s) return s;
  const ReproduceContext c{plan, log, on_progress, interrupted};
  const auto t0 = std::chrono::steady_clock::now();
  Result<ReproduceResult> r = plan.name == "kim-kang" ? reproduce_kim_kang(c)
                              : plan.name == "hayou"  ? reproduce_hayou(c)
                              : plan.name == "dik"    ? reproduce_dik(c)
                                                      : reproduce_villani_schoots(c);
  if (!r) return r.status();
  r->plan = plan;
  r->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r->runs_trained = log.trained();
  r->runs_reused = log.reused();

  // The claims first, then the reproduction's own sections, then how to run it again.
  report::Document doc;
  doc.title = "Reproducing " + r->citation + ": " + r->title;
  {
    auto& s = doc.add_section("Verdicts");
    std::string counts;
    for (const auto& [v, n] : r->verdict_counts())
      if (n > 0) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + v;
    s.paragraph("Scale: " + plan.scale + ". " + std::to_string(r->claims.size()) +
                " claims checked: " + counts + ".");
    s.table(r->claims_table());
    if (!r->departures.empty()) {
      std::string text = "Where this run departs from the paper:";
      for (const std::string& d : r->departures) text += "\n- " + d;
      s.paragraph(text);
    }
  }
  for (report::Section& sec : r->report.sections) doc.sections.push_back(std::move(sec));
  {
    auto& s = doc.add_section("Run it again");
    s.paragraph(plan.command.empty() ? "(run from the library)" : plan.command);
    s.paragraph("Training runs: " + std::to_string(r->runs_trained) + " trained, " +
                std::to_string(r->runs_reused) + " read back from runs.jsonl; " +
                std::to_string(static_cast<long>(r->seconds + 0.5)) +
                " s. results.json holds every number of this report.");
  }
  r->report = std::move(doc);
  if (Status s = write_outputs(*r); !s) return s;
  return r;
}

}  // namespace actlab::lab
