#include "cli/evolve_fitness.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "activations/activation.hpp"
#include "cli/train_setup.hpp"
#include "core/rng.hpp"
#include "nn/architecture.hpp"
#include "nn/init.hpp"
#include "nn/trainer.hpp"

namespace actlab::cli {

Json EvolveConfig::to_json() const {
  return Json{{"data", data},
              {"target", target},
              {"net", net},
              {"init", init},
              {"train_fraction", train_fraction},
              {"val_fraction", val_fraction},
              {"lr", lr},
              {"epochs", epochs},
              {"batch", batch},
              {"seed", seed}};
}

Result<EvolveConfig> EvolveConfig::from_json(const Json& j) {
  try {
    EvolveConfig c;
    c.data = j.at("data").get<std::string>();
    c.target = j.at("target").get<std::string>();
    c.net = j.at("net").get<std::string>();
    c.init = j.at("init").get<std::string>();
    c.train_fraction = j.at("train_fraction").get<double>();
    c.val_fraction = j.at("val_fraction").get<double>();
    c.lr = j.at("lr").get<double>();
    c.epochs = j.at("epochs").get<int>();
    c.batch = j.at("batch").get<int>();
    c.seed = j.at("seed").get<std::uint64_t>();
    return c;
  } catch (const std::exception& e) {
    return Status::invalid(std::string("not an evolve study (its settings do not read back: ") + e.what() +
                           ")");
  }
}

Json EvolveData::describe() const {
  return Json{{"train", train.rows()},        {"val", val.rows()},
              {"test", test.rows()},          {"batch", batch},
              {"features", train.features()}, {"classes", train.classes()}};
}

namespace {

std::vector<std::size_t> iota_range(std::size_t from, std::size_t to) {
  std::vector<std::size_t> v;
  for (std::size_t i = from; i < to; ++i) v.push_back(i);
  return v;
}

}  // namespace

Result<EvolveData> prepare_evolve_data(const EvolveConfig& cfg) {
  if (!(cfg.train_fraction > 0 && cfg.train_fraction <= 1))
    return Status::invalid("--train-fraction must lie in (0, 1], got " + fmt(cfg.train_fraction, "%g"));
  if (!(cfg.val_fraction > 0 && cfg.val_fraction < 1))
    return Status::invalid("--val-fraction must lie in (0, 1), got " + fmt(cfg.val_fraction, "%g"));
  if (cfg.epochs < 1) return Status::invalid("--epochs must be at least 1");
  if (cfg.batch < 0) return Status::invalid("--batch must be positive (0: a tenth of the training rows)");
  if (!(cfg.lr > 0) || !std::isfinite(cfg.lr)) return Status::invalid("--lr must be positive");
  auto ds = load_data({.data = cfg.data, .target = cfg.target}, cfg.seed);
  if (!ds) return ds.status().with_context("--data");
  if (ds->task != data::Task::kClassification)
    return Status::invalid("--data " + cfg.data + ": evolve needs a classification data set");
  if (ds->classes() < 2) {
    return Status::invalid("--data " + cfg.data + ": has " + std::to_string(ds->classes()) +
                           " class; classification needs at least 2");
  }
  // The pool the search may see, and the test rows it never sees.
  std::vector<std::size_t> pool, test;
  if (ds->test_start) {
    pool = iota_range(0, *ds->test_start);
    test = iota_range(*ds->test_start, ds->rows());
  } else {
    auto sp = data::split(*ds, {.val = 0.0, .test = 0.3, .stratified = true, .seed = cfg.seed});
    if (!sp) return sp.status().with_context("--data " + cfg.data);
    pool = sp->train;
    test = sp->test;
  }
  Rng rng = Rng::derive(cfg.seed, "evolve-split");
  for (std::size_t i = pool.size(); i > 1; --i) std::swap(pool[i - 1], pool[rng.below(i)]);  // Fisher–Yates
  const auto used = static_cast<std::size_t>(std::llround(cfg.train_fraction * double(pool.size())));
  const auto n_val = static_cast<std::size_t>(std::llround(cfg.val_fraction * double(used)));
  if (n_val < 1 || used - n_val < 1) {
    return Status::invalid("--train-fraction " + fmt(cfg.train_fraction, "%g") + " and --val-fraction " +
                           fmt(cfg.val_fraction, "%g") + " leave " + std::to_string(used - n_val) +
                           " training and " + std::to_string(n_val) + " validation rows");
  }
  std::vector<std::size_t> val(pool.begin(), pool.begin() + static_cast<long>(n_val));
  std::vector<std::size_t> train(pool.begin() + static_cast<long>(n_val),
                                 pool.begin() + static_cast<long>(used));
  std::sort(val.begin(), val.end());
  std::sort(train.begin(), train.end());

  // Normalisation fitted on the training rows only.
  const bool images = ds->input_shape.size() == 3;
  if (images) {
    double sum = 0, sq = 0, count = 0;
    for (std::size_t r : train) {
      const auto row = ds->x.row(static_cast<Eigen::Index>(r)).cast<double>();
      sum += row.sum();
      sq += row.squaredNorm();
      count += double(row.size());
    }
    const double mean = sum / count, sd = std::sqrt(std::max(sq / count - mean * mean, 1e-12));
    ds->x = ((ds->x.array() - float(mean)) / float(sd)).matrix();
  } else {
    data::Standardizer::fit(*ds, train).apply(*ds);
  }
  EvolveData d;
  d.train = data::subset(*ds, train);
  d.val = data::subset(*ds, val);
  d.test = data::subset(*ds, test);
  std::vector<std::size_t> both = train;
  both.insert(both.end(), val.begin(), val.end());
  std::sort(both.begin(), both.end());
  d.train_val = data::subset(*ds, both);
  d.input_shape =
      ds->input_shape.empty() ? std::vector<int>{static_cast<int>(ds->features())} : ds->input_shape;
  d.batch = cfg.batch > 0 ? cfg.batch : std::max<int>(1, static_cast<int>(both.size() / 10));
  return d;
}

namespace {

struct Built {
  std::optional<nn::Model<float>> model;
  std::string error;
};

Built build(const EvolveConfig& cfg, const EvolveData& d, const evolve::Triple& t, std::uint64_t seed) {
  Built b;
  std::vector<activations::Activation> acts;
  for (int s = 0; s < evolve::kSlots; ++s) {
    auto a = activations::Activation::make(t[static_cast<std::size_t>(s)]);
    if (!a) {
      b.error = "slot " + std::to_string(s) + ": " + a.status().message();
      return b;
    }
    acts.push_back(std::move(*a));
  }
  auto m = lab::build_model(cfg.net, acts, cfg.init, seed, nn::Shape{d.input_shape}, d.train.classes());
  if (!m) {
    b.error = m.status().message();
    return b;
  }
  b.model = std::move(m->model);
  return b;
}

nn::TrainOptions options(const EvolveConfig& cfg, const EvolveData& d, int epochs, std::uint64_t seed) {
  nn::TrainOptions o;
  o.epochs = epochs;
  o.batch = d.batch;
  o.loss = nn::LossKind::kCrossEntropy;
  o.optimizer.kind = optim::OptimizerKind::kAdam;
  o.optimizer.lr = cfg.lr;
  o.seed = seed;
  return o;
}

std::string diverged(const nn::TrainReport& r) {
  return "diverged at epoch " + std::to_string(r.diverged_epoch) + ": " + r.message;
}

}  // namespace

evolve::FitnessResult evolve_fitness(const EvolveConfig& cfg, const EvolveData& d, const evolve::Triple& t) {
  const std::uint64_t seed = Rng::derive(cfg.seed, "evolve-fitness").next();
  Built b = build(cfg, d, t, seed);
  if (!b.model) return evolve::FitnessResult::fail(b.error);
  const nn::Examples val = examples(d.val);
  auto rep = nn::train(*b.model, examples(d.train), &val, options(cfg, d, cfg.epochs, seed));
  if (!rep) return evolve::FitnessResult::fail(rep.status().message());
  if (rep->stop_reason == nn::StopReason::kDiverged) return evolve::FitnessResult::fail(diverged(*rep));
  double best = -1;
  for (const nn::EpochStats& e : rep->epochs) {
    if (!std::isfinite(e.val_acc) || !std::isfinite(e.val_loss)) {
      return evolve::FitnessResult::fail("validation loss not finite at epoch " + std::to_string(e.epoch));
    }
    best = std::max(best, e.val_acc);
  }
  return evolve::FitnessResult::ok(best);
}

FinalRun final_training(const EvolveConfig& cfg, const EvolveData& d, const evolve::Triple& t, int epochs,
                        int replicate) {
  FinalRun f;
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t seed =
      Rng::derive(cfg.seed, "evolve-final", static_cast<std::uint64_t>(replicate)).next();
  Built b = build(cfg, d, t, seed);
  if (!b.model) {
    f.reason = b.error;
    return f;
  }
  const nn::Examples test = examples(d.test);
  double last = 0, peak = 0;
  auto rep = nn::train(*b.model, examples(d.train_val), nullptr, options(cfg, d, epochs, seed),
                       [&](const nn::EpochStats&) {
                         const nn::Evaluation e = nn::evaluate(*b.model, test, nn::LossKind::kCrossEntropy);
                         // Rows with non-finite outputs count as wrong.
                         last = std::isfinite(e.accuracy) ? e.accuracy : 0.0;
                         peak = std::max(peak, last);
                         return true;
                       });
  if (!rep) {
    f.reason = rep.status().message();
    return f;
  }
  if (rep->stop_reason == nn::StopReason::kDiverged) {
    f.reason = diverged(*rep);
    return f;
  }
  f.ok = true;
  f.test_acc = last;
  f.peak_acc = peak;
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return f;
}

}  // namespace actlab::cli
