// The à-la-carte objective: data preparation, one architecture's training, and the study objective
// (see alacarte_objective.hpp).
#include "cli/alacarte_objective.hpp"

#include <cmath>
#include <cstdio>
#include <map>

#include "activations/activation.hpp"
#include "activations/catalog.hpp"
#include "cli/command.hpp"
#include "cli/train_setup.hpp"
#include "core/rng.hpp"
#include "nn/architecture.hpp"
#include "nn/init.hpp"
#include "nn/trainer.hpp"

namespace actlab::cli {
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

struct Fnv {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 0x100000001b3ULL;
  }
  template <class T>
  void values(const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    bytes(&n, sizeof n);
    bytes(v.data(), v.size() * sizeof(T));
  }
};

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
  if (data.empty()) return Status::invalid("--data: required");
  if (layers < 2 || layers > 64) {
    return Status::invalid("--layers: expected 2 to 64 dense layers (the paper uses 5 and 10), got " +
                           std::to_string(layers));
  }
  if (width < 1) return Status::invalid("--width: must be at least 1");
  if (!(test > 0 && test < 1)) return Status::invalid("--test: expected a fraction in (0, 1)");
  if (!(val > 0 && val < 1))
    return Status::invalid("--val: expected a fraction of the training part in (0, 1)");
  if (epochs < 1) return Status::invalid("--epochs: must be at least 1");
  if (!(lr > 0)) return Status::invalid("--lr: must be > 0");
  if (patience < 1) return Status::invalid("--patience: must be at least 1");
  return Status::ok();
}

search::Space AlacarteSetup::space() const {
  search::Space sp;
  for (int i = 0; i < layers; ++i)
    (void)sp.add_categorical("activation" + std::to_string(i), alacarte_menu());
  return sp;
}

Json AlacarteSetup::to_json() const {
  return {{"name", "alacarte"},
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
  if (!j.is_object() || j.value("name", "") != "alacarte")
    return Status::invalid("not an à-la-carte objective");
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
  DataFlags f;
  f.data = s.data;
  f.target = s.target;
  auto ds = load_data(f, s.split_seed);
  if (!ds) return ds.status().with_context("--data");
  if (ds->task != data::Task::kClassification) {
    return Status::invalid("--data " + s.data +
                           ": à la carte needs a classification data set (use --target)");
  }
  if (ds->classes() < 2) return Status::invalid("--data " + s.data + ": needs at least 2 classes");
  data::SplitOptions so;
  so.test = s.test;
  so.val = s.val * (1 - s.test);
  so.stratified = true;
  so.seed = s.split_seed;
  auto sp = data::split(*ds, so);
  if (!sp) return Status::invalid("--data " + s.data + ": " + sp.status().message());
  if (sp->val.empty() || sp->test.empty()) {
    return Status::invalid("--data " + s.data + ": too few rows (" + std::to_string(ds->rows()) +
                           ") for a validation and a test split");
  }
  Fnv h;
  h.bytes(ds->x.data(), static_cast<std::size_t>(ds->x.size()) * sizeof(float));
  h.values(ds->labels);
  h.values(sp->train);
  h.values(sp->val);
  h.values(sp->test);
  AlacarteData d;
  d.name = ds->name;
  d.rows = ds->rows();
  d.features = ds->features();
  d.classes = ds->classes();
  char hex[20];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h.h));
  d.fingerprint = hex;
  const auto z = data::Standardizer::fit(*ds, sp->train);
  z.apply(*ds);
  d.train = data::subset(*ds, sp->train);
  d.val = data::subset(*ds, sp->val);
  d.test = data::subset(*ds, sp->test);
  return d;
}

ArchResult train_architecture(const AlacarteSetup& s, const AlacarteData& d,
                              const std::vector<std::string>& acts, std::uint64_t seed, bool with_test) {
  ArchResult r;
  std::vector<Activation> chain;
  const auto& menu = menu_activations();
  for (const std::string& name : acts) {
    if (auto it = menu.find(name); it != menu.end()) {
      chain.push_back(it->second);
    } else {
      auto a = Activation::make(name);
      if (!a) {
        r.reason = "activation '" + name + "': " + a.status().message();
        return r;
      }
      chain.push_back(std::move(*a));
    }
  }
  auto m = lab::build_model("mlp:" + std::to_string(s.width) + "x" + std::to_string(s.layers), chain, s.init,
                            seed, nn::Shape{{static_cast<int>(d.features)}}, d.classes);
  if (!m) {
    r.reason = flag_message(m.status());
    return r;
  }
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
  if (!rep) {
    r.reason = rep.status().message();
    return r;
  }
  r.stop = nn::stop_reason_name(rep->stop_reason);
  r.epochs = static_cast<int>(rep->epochs.size());
  if (rep->stop_reason == nn::StopReason::kDiverged) {
    r.reason = "diverged at epoch " + std::to_string(rep->diverged_epoch) + ": " + rep->message;
    return r;
  }
  r.train_acc = rep->epochs.empty() ? std::nan("") : rep->epochs.back().train_acc;
  const nn::Evaluation v = nn::evaluate(m->model, examples(d.val), nn::LossKind::kCrossEntropy);
  if (!std::isfinite(v.loss) || !std::isfinite(v.accuracy)) {
    r.reason = "validation loss is " + std::string(std::isnan(v.loss) ? "nan" : "inf") +
               " (the network's outputs are not finite on validation rows)";
    return r;
  }
  r.val_acc = v.accuracy;
  if (with_test) {
    const nn::Evaluation t = nn::evaluate(m->model, examples(d.test), nn::LossKind::kCrossEntropy);
    // A test row with non-finite outputs counts as wrong: the model was chosen before it was seen.
    r.test_acc = std::isfinite(t.accuracy) ? t.accuracy : 0.0;
  }
  r.ok = true;
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
    const ArchResult r = train_architecture(s, d, alacarte_acts(t.external(), s.layers),
                                            alacarte_trial_seed(study_seed, t.number()), false);
    if (!r.ok) return search::TrialOutcome::fail(r.reason);
    return search::TrialOutcome::complete(r.val_acc);
  };
}

}  // namespace actlab::cli
