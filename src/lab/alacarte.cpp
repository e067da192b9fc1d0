// À la carte: the objective (data, one architecture's training, the study objective) and Sipper's protocol
// (see alacarte.hpp).
#include "lab/alacarte.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <optional>

#include "activations/activation.hpp"
#include "activations/catalog.hpp"
#include "core/rng.hpp"
#include "data/prepare.hpp"
#include "data/suite.hpp"
#include "lab/model.hpp"
#include "report/format.hpp"
#include "report/significance.hpp"

namespace actlab::lab {
namespace {

using activations::Activation;

// The menu's activations, built once (parsing and compiling a formula costs more than a small network's
// epoch).
const std::map<std::string, Activation>& menu_activations() {
  static const std::map<std::string, Activation> cache = [] {
    std::map<std::string, Activation> m;
    for (const std::string& name : alacarte_menu()) {
      auto a = Activation::make(name);
      if (a) m.emplace(name, std::move(*a));
    }
    return m;
  }();
  return cache;
}

// A failure of another domain as a failure of one plan field: bad input keeps its message under the field
// (so a front end can name its own option), anything else gets the field as context.
Status in_field(const Status& s, const std::string& field) {
  if (s.is_ok() || !s.field().empty()) return s;
  if (s.is_bad_input()) return Status::invalid_field(field, s.message());
  return s.with_context(field);
}

}  // namespace

const std::vector<std::string>& alacarte_menu() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& e : activations::catalog())
      if (e.in_menu) v.push_back(e.name);
    return v;
  }();
  return names;
}

Status AlacarteSetup::validate() const {
  if (data.empty()) return Status::invalid_field("data", "required");
  if (layers < 2 || layers > 64) {
    return Status::invalid_field(
        "layers", "expected 2 to 64 dense layers (the paper uses 5 and 10), got " + std::to_string(layers));
  }
  if (width < 1) return Status::invalid_field("width", "must be at least 1");
  if (!(test > 0 && test < 1)) return Status::invalid_field("test", "expected a fraction in (0, 1)");
  if (!(val > 0 && val < 1))
    return Status::invalid_field("val", "expected a fraction of the training part in (0, 1)");
  if (epochs < 1) return Status::invalid_field("epochs", "must be at least 1");
  if (!(lr > 0)) return Status::invalid_field("lr", "must be > 0");
  if (patience < 1) return Status::invalid_field("patience", "must be at least 1");
  return Status::ok();
}

search::Space AlacarteSetup::space() const {
  search::Space sp;
  for (int i = 0; i < layers; ++i)
    (void)sp.add_categorical("activation" + std::to_string(i), alacarte_menu());
  return sp;
}

Json AlacarteSetup::to_json() const {
  return {{search::kObjectiveKey, "alacarte"},
          {"data", data},
          {"target", target},
          {"layers", layers},
          {"width", width},
          {"split_seed", split_seed},
          {"test", test},
          {"val", val},
          {"init", init},
          {"epochs", epochs},
          {"lr", lr},
          {"patience", patience},
          {"fingerprint", fingerprint}};
}

Result<AlacarteSetup> AlacarteSetup::from_json(const Json& j) {
  if (search::objective_name(j) != "alacarte") return Status::invalid("not an à-la-carte objective");
  AlacarteSetup s;
  try {
    s.data = j.at("data").get<std::string>();
    s.target = j.value("target", "");
    s.layers = j.at("layers").get<int>();
    s.width = j.value("width", 64);
    s.split_seed = j.at("split_seed").get<std::uint64_t>();
    s.test = j.value("test", 0.3);
    s.val = j.value("val", 0.25);
    s.init = j.value("init", "torch");
    s.epochs = j.value("epochs", 300);
    s.lr = j.value("lr", 1e-3);
    s.patience = j.value("patience", 10);
    s.fingerprint = j.value("fingerprint", "");
  } catch (const Json::exception& e) {
    return Status::invalid(std::string("à-la-carte objective: ") + e.what());
  }
  if (Status st = s.validate(); !st.is_ok()) return st;
  return s;
}

Result<AlacarteData> prepare_alacarte(const AlacarteSetup& s) {
  if (Status st = s.validate(); !st.is_ok()) return st;
  data::DataPlan p;
  p.source = s.data;
  p.target = s.target;
  p.test = s.test;
  p.val = s.val * (1 - s.test);  // data::prepare's val is a fraction of all rows
  p.sampling = data::Sampling::kStratified;
  p.stratified = true;
  p.standardize = data::Standardize::kPerFeature;
  p.min_classes = 2;
  p.seed = s.split_seed;
  auto d = data::prepare(p);
  if (!d) {
    const Status& st = d.status();
    if (st.field() == "source") return Status::invalid_field("data", st.message().substr(8));  // "source: "
    // A split that fails is about this data set, not about the fractions, which validate() checked.
    return st.is_bad_input()
               ? Status::invalid_field("data", (st.field().empty() ? "" : s.data + ": ") + st.message())
               : st.with_context("data");
  }
  if (d->val.rows() == 0 || d->test.rows() == 0) {
    return Status::invalid_field("data", s.data + ": too few rows (" + std::to_string(d->rows) +
                                             ") for a validation and a test split");
  }
  AlacarteData out;
  out.name = d->name();
  out.rows = d->rows;
  out.features = d->train.features();
  out.classes = d->train.classes();
  out.fingerprint = d->fingerprint;
  out.train = std::move(d->train);
  out.val = std::move(d->val);
  out.test = std::move(d->test);
  return out;
}

Result<ArchScores> train_architecture(const AlacarteSetup& s, const AlacarteData& d,
                                      const std::vector<std::string>& acts, std::uint64_t seed,
                                      bool with_test) {
  std::vector<Activation> chain;
  const auto& menu = menu_activations();
  for (const std::string& name : acts) {
    if (auto it = menu.find(name); it != menu.end()) {
      chain.push_back(it->second);
    } else {
      auto a = Activation::make(name);
      if (!a) return Status::invalid_field("act", "'" + name + "': " + a.status().message());
      chain.push_back(std::move(*a));
    }
  }
  auto m = build_model("mlp:" + std::to_string(s.width) + "x" + std::to_string(s.layers), chain, s.init, seed,
                       nn::Shape{{static_cast<int>(d.features)}}, d.classes);
  if (!m) return m.status();
  nn::TrainOptions o;
  o.epochs = s.epochs;
  o.batch = 0;
  o.loss = nn::LossKind::kCrossEntropy;
  o.optimizer.kind = optim::OptimizerKind::kAdam;
  o.optimizer.lr = s.lr;
  o.early_stop.rule = nn::EarlyStop::Rule::kTrainAccPlateau;
  o.early_stop.patience = s.patience;
  o.early_stop.min_delta = 0.001;
  o.seed = seed;
  auto rep = nn::train(m->model, examples(d.train), nullptr, o);
  if (!rep) return rep.status();
  ArchScores r;
  r.stop = rep->stop_reason;
  r.epochs = static_cast<int>(rep->epochs.size());
  if (rep->stop_reason == nn::StopReason::kDiverged)
    return Status::numerical("diverged at epoch " + std::to_string(rep->diverged_epoch) + ": " +
                             rep->message);
  r.train_acc = rep->epochs.empty() ? std::nan("") : rep->epochs.back().train_acc;
  const nn::Evaluation v = nn::evaluate(m->model, examples(d.val), nn::LossKind::kCrossEntropy);
  if (!std::isfinite(v.loss) || !std::isfinite(v.accuracy)) {
    return Status::numerical("validation loss is " + std::string(std::isnan(v.loss) ? "nan" : "inf") +
                             " (the network's outputs are not finite on validation rows)");
  }
  r.val_acc = v.accuracy;
  if (with_test) {
    const nn::Evaluation t = nn::evaluate(m->model, examples(d.test), nn::LossKind::kCrossEntropy);
    // A test row with non-finite outputs counts as wrong: the model was chosen before it was seen.
    r.test_acc = std::isfinite(t.accuracy) ? t.accuracy : 0.0;
  }
  return r;
}

std::uint64_t alacarte_trial_seed(std::uint64_t study_seed, std::int64_t number) {
  return Rng::derive(study_seed, "alacarte-weights", static_cast<std::uint64_t>(number)).next();
}

std::vector<std::string> alacarte_acts(const Json& params, int layers) {
  std::vector<std::string> acts;
  for (int i = 0; i < layers; ++i)
    acts.push_back(params.at("activation" + std::to_string(i)).get<std::string>());
  return acts;
}

search::Objective alacarte_objective(const AlacarteSetup& s, const AlacarteData& d,
                                     std::uint64_t study_seed) {
  return [s, &d, study_seed](search::TrialContext& t) {
    const auto r = train_architecture(s, d, alacarte_acts(t.external(), s.layers),
                                      alacarte_trial_seed(study_seed, t.number()), false);
    if (!r) return search::TrialOutcome::fail(r.status().message());
    return search::TrialOutcome::complete(r->val_acc);
  };
}

// ---- The objective in the registry ----------------------------------------------------------------------

namespace {

class AlacarteObjective : public search::ObjectiveSetup {
 public:
  explicit AlacarteObjective(AlacarteSetup s) : setup_(std::move(s)) {}
  search::Space space() const override { return setup_.space(); }
  Json to_json() const override { return setup_.to_json(); }
  search::Direction default_direction() const override { return search::Direction::kMaximize; }
  Status check_direction(search::Direction d) const override {
    if (d == search::Direction::kMaximize) return Status::ok();
    return Status::invalid_field("direction", "the à-la-carte value is a validation accuracy: maximize");
  }
  // Loads and splits the data; a stored fingerprint must match (every worker must see the same rows), a
  // new setup takes the one found.
  Status prepare() override {
    auto d = prepare_alacarte(setup_);
    if (!d) return d.status();
    if (!setup_.fingerprint.empty() && d->fingerprint != setup_.fingerprint) {
      return Status::invalid_field("data", setup_.data + ": the data here (fingerprint " + d->fingerprint +
                                               ") differs from the data the study was created with (" +
                                               setup_.fingerprint + "); every worker must see the same rows");
    }
    setup_.fingerprint = d->fingerprint;
    data_ = std::move(*d);
    return Status::ok();
  }
  Json details() const override {
    if (!data_) return nullptr;
    return {
        {"name", data_->name},
        {"rows", {{"train", data_->train.rows()}, {"val", data_->val.rows()}, {"test", data_->test.rows()}}},
        {"split_seed", setup_.split_seed},
        {"fingerprint", data_->fingerprint}};
  }
  search::Objective objective(std::uint64_t study_seed) const override {
    if (!data_) {
      return
          [](search::TrialContext&) { return search::TrialOutcome::fail("à la carte: data not prepared"); };
    }
    return alacarte_objective(setup_, *data_, study_seed);
  }

 private:
  AlacarteSetup setup_;
  std::optional<AlacarteData> data_;
};

}  // namespace

void add_alacarte_objective(search::ObjectiveRegistry& registry) {
  registry.add("alacarte", [](const Json& j) -> Result<std::unique_ptr<search::ObjectiveSetup>> {
    auto s = AlacarteSetup::from_json(j);
    if (!s) return s.status();
    return std::unique_ptr<search::ObjectiveSetup>(std::make_unique<AlacarteObjective>(std::move(*s)));
  });
}

// ---- The protocol ---------------------------------------------------------------------------------------

namespace {

bool is_search_arm(const std::string& arm) { return arm != "standard"; }

std::string study_name(const std::string& data, int layers, int rep, std::uint64_t seed,
                       const std::string& arm) {
  std::string d = std::filesystem::path(data).stem().string();
  for (char& c : d)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
  return "alacarte-" + d + "-L" + std::to_string(layers) + "-r" + std::to_string(rep) + "-s" +
         std::to_string(seed) + "-" + arm;
}

// Opens the arm's study, creating it when missing; an existing one must have this space and objective.
Result<search::Study> open_or_create(const std::string& url, const search::StudyRecord& r) {
  auto st = search::Study::open(url, r.name);
  if (!st) {
    if (auto made = search::Study::create(url, r); !made) return in_field(made.status(), "storage");
    st = search::Study::open(url, r.name);
    if (!st) return in_field(st.status(), "storage");
    return st;
  }
  if (st->record().space != r.space) {
    return Status::invalid_field("storage", "study '" + r.name + "' in " + search::mask_password(url) +
                                                " has a different search space than this run (" +
                                                std::to_string(r.space["params"].size()) +
                                                " menu parameters); use another storage or seed");
  }
  if (st->record().objective != r.objective || st->record().sampler != r.sampler) {
    return Status::invalid_field("storage", "study '" + r.name + "' in " + search::mask_password(url) +
                                                " was made with other settings (sampler " +
                                                st->record().sampler + ", " + st->record().objective.dump() +
                                                "); use another storage or seed");
  }
  return st;
}

std::vector<double> finite_tests(const std::vector<AlacarteRun>& runs) {
  std::vector<double> v;
  for (const AlacarteRun& r : runs)
    if (std::isfinite(r.test_acc)) v.push_back(r.test_acc);
  return v;
}

void summarise(AlacarteRow& row, const AlacartePlan& plan) {
  const auto& arms = plan.arms;
  for (const auto& arm : arms) row.median[arm] = report::median(finite_tests(row.runs[arm]));
  std::vector<std::string> order = arms;  // by median, best first (stable: ties keep the plan's order)
  std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
    const double x = row.median[a], y = row.median[b];
    return (std::isnan(y) && !std::isnan(x)) || x > y;
  });
  row.winner = order.front();
  const report::PermutationOptions po{plan.rounds, Rng::derive(plan.seed, "permutation").next()};
  if (row.runs.count("standard")) {
    for (const auto& arm : arms) {
      if (!is_search_arm(arm)) continue;
      row.p_vs_standard[arm] =
          report::permutation_test(finite_tests(row.runs[arm]), finite_tests(row.runs["standard"]), po);
    }
  }
  if (order.size() > 1) {
    row.p = report::permutation_test(finite_tests(row.runs[order[0]]), finite_tests(row.runs[order[1]]), po);
  }
}

// Studies without a storage URL live in a temporary SQLite file, removed when the run ends.
struct TempStorage {
  std::string dir;
  ~TempStorage() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

Status AlacartePlan::validate() const {
  if (data.empty()) return Status::invalid_field("data", "give at least one data set");
  for (int v : layers) {
    if (v < 2 || v > 64) {
      return Status::invalid_field(
          "layers",
          "expected counts of dense layers from 2 to 64 (e.g. 5,10), got '" + std::to_string(v) + "'");
    }
  }
  if (layers.empty()) return Status::invalid_field("layers", "give at least one count, e.g. 5,10");
  if (arms.empty()) return Status::invalid_field("arms", "give at least one of standard, random, tpe");
  if (failed != "worst" && failed != "ignore")
    return Status::invalid_field("failed", "expected worst or ignore, got '" + failed + "'");
  for (const auto& a : arms) {
    if (a != "standard" && a != "random" && a != "tpe")
      return Status::invalid_field("arms", "expected standard, random or tpe, got '" + a + "'");
    if (std::count(arms.begin(), arms.end(), a) > 1)
      return Status::invalid_field("arms", "'" + a + "' twice");
  }
  if (replicates < 1) return Status::invalid_field("replicates", "must be at least 1");
  if (trials < 1) return Status::invalid_field("trials", "must be at least 1");
  if (workers < 1 || workers > 256) return Status::invalid_field("workers", "expected 1 to 256");
  if (rounds < 1) return Status::invalid_field("rounds", "must be at least 1");
  return Status::ok();
}

std::int64_t AlacartePlan::steps() const {
  const auto searched = static_cast<std::int64_t>(std::count_if(arms.begin(), arms.end(), is_search_arm));
  const auto sets = data::expand_sources(data);
  const std::size_t n = sets ? sets->size() : data.size();
  return static_cast<std::int64_t>(n * layers.size()) * replicates * (1 + searched * trials);
}

Json AlacartePlan::to_json() const {
  const AlacarteSetup defaults;
  return {{"replicates", replicates},
          {"trials", trials},
          {"arms", arms},
          {"tpe_failed", failed},
          {"seed", seed},
          {"init", init},
          {"rounds", rounds},
          {"test", defaults.test},
          {"val_of_train", defaults.val},
          {"epochs", defaults.epochs},
          {"storage", storage.empty() ? Json(nullptr) : Json(search::mask_password(storage))}};
}

Json AlacarteResult::to_json() const {
  const auto& arms = plan.arms;
  Json table = Json::array();
  for (const AlacarteRow& row : rows) {
    Json medians, pvs, reps = Json::array();
    for (const auto& arm : arms) medians[arm] = json_number(row.median.at(arm));
    for (const auto& [arm, p] : row.p_vs_standard) pvs[arm] = json_number(p);
    const std::size_t n_rep = row.runs.at(arms.front()).size();
    for (std::size_t r = 0; r < n_rep; ++r) {
      Json rep;
      for (const auto& arm : arms) {
        const AlacarteRun& run = row.runs.at(arm)[r];
        rep[arm] = {{"test_acc", json_number(run.test_acc)},
                    {"val_acc", json_number(run.val_acc)},
                    {"activations", run.acts}};
        if (!run.study.empty()) rep[arm]["study"] = run.study;
        if (!run.note.empty()) rep[arm]["note"] = run.note;
      }
      reps.push_back(rep);
    }
    table.push_back({{"dataset", row.dataset},
                     {"n", row.n},
                     {"features", row.features},
                     {"classes", row.classes},
                     {"layers", row.layers},
                     {"medians", medians},
                     {"p_vs_standard", pvs},
                     {"winner", row.winner},
                     {"p", json_number(row.p)},
                     {"replicates", reps}});
  }
  Json summary = Json::array();
  for (const AlacarteSummary& a : this->summary()) {
    summary.push_back({{"arm", a.arm},
                       {"layers", a.layers},
                       {"sets", a.sets},
                       {"wins", a.tally.wins},
                       {"ties", a.tally.ties},
                       {"losses", a.tally.losses},
                       {"significant_wins", a.tally.significant_wins},
                       {"significant_losses", a.tally.significant_losses},
                       {"no_result", a.tally.no_result}});
  }
  return {{"settings", plan.to_json()}, {"table", table}, {"summary", summary}};
}

std::vector<AlacarteSummary> AlacarteResult::summary() const {
  std::vector<AlacarteSummary> out;
  if (std::find(plan.arms.begin(), plan.arms.end(), "standard") == plan.arms.end()) return out;
  for (int L : plan.layers) {
    for (const auto& arm : plan.arms) {
      if (!is_search_arm(arm)) continue;
      std::vector<double> score, base, p;
      for (const AlacarteRow& row : rows) {
        if (row.layers != L) continue;
        score.push_back(row.median.at(arm));
        base.push_back(row.median.at("standard"));
        const auto it = row.p_vs_standard.find(arm);
        p.push_back(it == row.p_vs_standard.end() ? std::nan("") : it->second);
      }
      out.push_back({arm, L, static_cast<int>(score.size()), report::wins_ties_losses(score, base, p)});
    }
  }
  return out;
}

report::Table AlacarteResult::table() const {
  using report::Cell;
  using report::ColumnType;
  report::Table t;
  t.columns = {{"dataset"},
               {"n", ColumnType::kInt},
               {"features", ColumnType::kInt},
               {"classes", ColumnType::kInt},
               {"layers", ColumnType::kInt}};
  for (const auto& arm : plan.arms) t.columns.push_back({arm, ColumnType::kNumber});
  t.columns.push_back({"winner"});
  t.columns.push_back({"p", ColumnType::kNumber});
  for (const auto& arm : plan.arms)
    if (is_search_arm(arm))
      t.columns.push_back({"p_" + arm + "_vs_standard", ColumnType::kNumber, "%.4f", true});
  for (const AlacarteRow& row : rows) {
    std::vector<Cell> cells = {row.dataset, row.n, row.features, row.classes, row.layers};
    for (const auto& arm : plan.arms) {
      auto p = row.p_vs_standard.find(arm);
      cells.push_back(Cell(row.median.at(arm))
                          .marked(p == row.p_vs_standard.end() ? "" : report::significance_mark(p->second)));
    }
    cells.push_back(Cell(row.winner).marked(report::significance_mark(row.p)));
    cells.push_back(row.p);
    for (const auto& arm : plan.arms) {
      if (!is_search_arm(arm)) continue;
      auto p = row.p_vs_standard.find(arm);
      cells.push_back(p == row.p_vs_standard.end() ? Cell() : Cell(p->second));
    }
    t.add_row(std::move(cells));
  }
  return t;
}

Result<AlacarteResult> run_alacarte(const AlacartePlan& plan, const AlacarteProgressFn& on_progress) {
  if (Status st = plan.validate(); !st.is_ok()) return st;

  // Suites become their sets; then every data set and the init are checked before any training.
  auto sources = data::expand_sources(plan.data);
  if (!sources) return in_field(sources.status(), "data");
  std::vector<AlacarteSetup> setups;
  for (const auto& d : *sources) {
    AlacarteSetup s;
    s.data = d;
    s.init = plan.init;
    s.layers = plan.layers.front();
    auto p = prepare_alacarte(s);
    if (!p) return p.status();
    auto tried = train_architecture(
        s, *p, std::vector<std::string>(static_cast<std::size_t>(s.layers), "relu"), 0, false);
    if (!tried && tried.status().field() == "init") return tried.status();
    setups.push_back(s);
  }

  std::string url = plan.storage;
  TempStorage tmp;
  if (url.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "actlab_alacarte_XXXXXX").string();
    if (!::mkdtemp(pattern.data())) return Status::io_error("cannot make a temporary directory");
    tmp.dir = pattern;
    url = "sqlite://" + tmp.dir + "/studies.db";
  }

  AlacarteProgress progress{0, plan.steps(), ""};
  const auto advance = [&] {
    ++progress.done;
    if (on_progress) on_progress(progress);
  };
  AlacarteResult result;
  result.plan = plan;
  for (AlacarteSetup base : setups) {
    for (int L : plan.layers) {
      base.layers = L;
      AlacarteRow row;
      row.layers = L;
      for (int rep = 0; rep < plan.replicates; ++rep) {
        AlacarteSetup s = base;
        s.split_seed = Rng::derive(plan.seed, "alacarte-split", static_cast<std::uint64_t>(rep)).next();
        auto d = prepare_alacarte(s);
        if (!d) return d.status();
        s.fingerprint = d->fingerprint;
        row.dataset = d->name;
        row.n = d->rows;
        row.features = d->features;
        row.classes = d->classes;
        for (const auto& arm : plan.arms) {
          if (plan.interrupted && (result.interrupted = plan.interrupted()) != 0) return result;
          progress.note = d->name + " L" + std::to_string(L) + " rep " + std::to_string(rep + 1) + " " + arm;
          if (on_progress) on_progress(progress);
          AlacarteRun run;
          std::uint64_t weight_seed = 0;
          if (!is_search_arm(arm)) {
            run.acts.assign(static_cast<std::size_t>(L - 1), "relu");
            run.acts.push_back("softmax");
            weight_seed = Rng::derive(plan.seed, "alacarte-standard", static_cast<std::uint64_t>(rep)).next();
            advance();
          } else {
            search::StudyRecord r;
            r.name = study_name(base.data, L, rep, plan.seed, arm);
            r.direction = search::Direction::kMaximize;
            r.sampler = arm == "tpe" && plan.failed == "worst" ? "tpe:fail-worst" : arm;
            r.seed = Rng::derive(plan.seed, "alacarte-" + arm, static_cast<std::uint64_t>(rep)).next();
            r.space = s.space().to_json();
            r.objective = s.to_json();
            auto study = open_or_create(url, r);
            if (!study) return study.status();
            search::OptimizeOptions opt;
            opt.n_trials = plan.trials;
            opt.workers = plan.workers;
            opt.on_trial_done = [&advance](const search::TrialRecord&) { advance(); };
            opt.interrupted = plan.interrupted;
            auto summary = study->optimize(alacarte_objective(s, *d, r.seed), opt);
            if (!summary) return summary.status();
            if (summary->interrupted != 0) {
              result.interrupted = summary->interrupted;
              result.released = summary->released;
              return result;
            }
            auto trials = study->storage().trials(study->record().id, false);
            if (!trials) return trials.status();
            run.study = r.name;
            auto best = search::Study::best(*trials, search::Direction::kMaximize);
            if (!best) {
              run.note = "no trial completed";
              row.runs[arm].push_back(run);
              continue;
            }
            run.acts = alacarte_acts(best->params, L);
            weight_seed = alacarte_trial_seed(r.seed, best->number);
          }
          const auto res = train_architecture(s, *d, run.acts, weight_seed, true);
          if (res) {
            run.test_acc = res->test_acc;
            run.val_acc = res->val_acc;
          } else {
            run.note = res.status().message();
          }
          row.runs[arm].push_back(run);
        }
      }
      summarise(row, plan);
      result.rows.push_back(std::move(row));
    }
  }
  return result;
}

}  // namespace actlab::lab
