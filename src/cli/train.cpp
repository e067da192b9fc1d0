// actlab train | eval | predict | model random — the training engine on real data (docs/training.md).
// Flags → lab::TrainPlan → lab::train (lab::evaluate_model, lab::predict, lab::random_model) → text or
// --json.
#include "lab/train.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/train_flags.hpp"
#include "core/file_io.hpp"
#include "core/interrupt.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "data/prepare.hpp"
#include "lab/model.hpp"
#include "nn/trainer.hpp"
#include "report/format.hpp"
#include "theory/recommend.hpp"

namespace actlab::cli {
namespace {

using report::fmt;

// ---- actlab train ----

struct TrainFlags : TrainingFlags {
  std::string out;
  bool json = false;
};

void print_train(const lab::TrainResult& r) {
  const bool classify = r.classification;
  std::printf("%s: %zu train / %zu val / %zu test rows; %s, %zu parameters\n", r.data.c_str(), r.train_rows,
              r.val_rows, r.test_rows, r.plan.model.spec.c_str(), r.parameters);
  for (const auto& a : r.init.answers) {
    std::printf("init %s for %s: sigma_w = %s, sigma_b = %s, %s", r.init.scheme.c_str(), a.activation.c_str(),
                fmt(a.sigma_w, "%.6g").c_str(), fmt(a.sigma_b, "%.6g").c_str(),
                theory::verdict_name(a.verdict));
    std::printf("%s\n", a.least_bad ? " (least-bad option)" : "");
  }
  if (r.init.input_scale != 1.0)
    std::printf("first layer's weights scaled by %s\n", fmt(r.init.input_scale, "%.6g").c_str());
  std::printf("%6s %12s %10s %12s %10s\n", "epoch", "train_loss", "train_acc", "val_loss", "val_acc");
  for (const auto& e : r.report.epochs) {
    std::printf("%6d %12s %10s %12s %10s\n", e.epoch, fmt(e.train_loss, "%.6f").c_str(),
                fmt(e.train_acc).c_str(), fmt(e.val_loss, "%.6f").c_str(), fmt(e.val_acc).c_str());
  }
  if (r.diverged()) {
    std::printf("diverged at epoch %d: %s\n", r.report.diverged_epoch, r.report.message.c_str());
    return;
  }
  std::printf("%s after %zu epochs in %.2fs", nn::stop_reason_name(r.report.stop_reason),
              r.report.epochs.size(), r.report.seconds);
  if (r.test_rows > 0)
    std::printf("; test %s %s", classify ? "accuracy" : "loss",
                fmt(classify ? r.test.accuracy : r.test.loss).c_str());
  std::printf("\n");
}

int run_train(const TrainFlags& f) {
  auto plan = training_plan(f);
  if (!plan) return finish(plan.status());
  ProgressBar bar("epoch", f.epochs);
  bar.log_lines();       // stderr piped or in a file: one line per epoch as it ends
  InterruptGuard guard;  // Ctrl-C / kill: stop after the current epoch, keep what was trained
  auto r = lab::train(*plan, [&](const nn::EpochStats& e) {
    std::string note = "train_loss " + fmt(e.train_loss, "%.6f") + " train_acc " + fmt(e.train_acc);
    if (!std::isnan(e.val_loss))
      note += " val_loss " + fmt(e.val_loss, "%.6f") + " val_acc " + fmt(e.val_acc);
    bar.set_note(note);
    bar.advance();
    return InterruptGuard::signal() == 0;
  });
  bar.finish();
  if (!r) return finish(r.status(), {{"source", "--data"}});
  const int sig = InterruptGuard::signal();
  if (!f.out.empty()) {
    if (Status s = write_file_atomic(f.out, json_dump(lab::model_file_json(*r), false) + "\n"); !s) {
      return finish(Status::io_error("--out " + s.message() + ": cannot write the model file"));
    }
  }
  if (f.json)
    print_recorded(lab::train_json(*r));
  else
    print_train(*r);
  if (sig != 0) {
    std::fprintf(
        stderr,
        "actlab: interrupted by %s after epoch %zu%s; to go on from there, train again with --model %s\n",
        InterruptGuard::name(sig), r->report.epochs.size(),
        f.out.empty() ? " (nothing saved: give --out FILE.json to keep the model)" : "",
        f.out.empty() ? "FILE.json" : f.out.c_str());
    return 128 + sig;
  }
  // A diverged run is a result, not a crash: it is reported (text and JSON) and exits 1.
  return r->diverged() ? kExitFailure : kExitOk;
}

// ---- actlab eval / predict ----

int run_eval(const std::string& model_path, const DataFlags& df, bool json) {
  auto r = lab::evaluate_model(model_path, df.plan(0));
  if (!r) return finish(r.status(), {{"source", "--data"}});
  const nn::Evaluation& ev = r->evaluation;
  if (json) {
    Json j = {{"model", model_path}, {"data", r->data}, {"rows", r->rows}, {"loss", json_number(ev.loss)}};
    if (r->classification) j["accuracy"] = json_number(ev.accuracy);
    print_recorded(j);
  } else {
    std::printf("%s on %s (%zu rows): loss %s", model_path.c_str(), r->data.c_str(), r->rows,
                fmt(ev.loss, "%.6f").c_str());
    if (r->classification) std::printf(", accuracy %s", fmt(ev.accuracy).c_str());
    std::printf("\n");
  }
  return kExitOk;
}

int run_predict(const std::string& model_path, const std::string& x_text, bool json) {
  auto xs = parse_number_list("--x", x_text);
  if (!xs) return finish(xs.status());
  auto p = lab::predict(model_path, *xs);
  if (!p) return finish(p.status());
  if (json) {
    Json out = Json::array();
    for (double v : p->output) out.push_back(json_number(v));
    Json j = {{"output", out}};
    if (p->argmax) j["argmax"] = *p->argmax;
    print_recorded(j);
  } else {
    for (std::size_t i = 0; i < p->output.size(); ++i) std::printf("%s%.8g", i ? " " : "", p->output[i]);
    if (p->argmax) std::printf("   (argmax %ld)", static_cast<long>(*p->argmax));
    std::printf("\n");
  }
  return kExitOk;
}

// ---- actlab model random ----

struct RandomFlags {
  std::string arch, act = "relu", init = "he", integer_weights, out;
  std::uint64_t seed = 0;
  bool json = false;
};

int run_model_random(const RandomFlags& f) {
  lab::RandomModelPlan p{
      .arch = f.arch, .acts = f.act, .init = f.init, .integer_weights = {}, .seed = f.seed};
  if (!f.integer_weights.empty()) {
    auto r = parse_interval("--integer-weights", f.integer_weights);
    if (!r) return finish(r.status());
    p.integer_weights = *r;
  }
  auto m = lab::random_model(p);
  if (!m) return finish(m.status());
  if (Status s = nn::save_model(*m, f.out); !s.is_ok()) return finish(s);
  if (f.json) {
    Json j = {{"out", f.out}, {"arch", f.arch}, {"parameters", m->parameter_count()}, {"seed", f.seed}};
    print_recorded(j);
  } else {
    std::printf("wrote %s: %s, %zu parameters\n", f.out.c_str(), f.arch.c_str(), m->parameter_count());
  }
  return kExitOk;
}

}  // namespace

void add_train_command(CLI::App& app, int& exit_code) {
  auto t = std::make_shared<TrainFlags>();
  CLI::App* train = app.add_subcommand("train", "Train a network on a data set (docs/training.md)");
  add_training_flags(train, *t);
  train->add_option("--out", t->out, "Write the trained model file here");
  train->add_flag("--json", t->json, "Machine-readable output");
  train->callback([t, &exit_code] { exit_code = run_train(*t); });

  auto e = std::make_shared<std::pair<std::string, DataFlags>>();
  auto ejson = std::make_shared<bool>(false);
  CLI::App* eval = app.add_subcommand("eval", "Loss and accuracy of a model file on a data set");
  eval->add_option("--model", e->first, "Model file (.json, or .onnx of an MLP)")->required();
  eval->add_option("--data", e->second.data, "Data set (as for train)")->required();
  eval->add_option("--target", e->second.target, "CSV target column");
  bounded(eval->add_option("--rows", e->second.rows, "Generators: number of rows"), 1, 1e+07);
  eval->add_option("--data-seed", e->second.data_seed, "Generators: seed of the data");
  eval->add_flag("--json", *ejson, "Machine-readable output");
  eval->callback([e, ejson, &exit_code] { exit_code = run_eval(e->first, e->second, *ejson); });

  auto p = std::make_shared<std::pair<std::string, std::string>>();
  auto pjson = std::make_shared<bool>(false);
  CLI::App* predict = app.add_subcommand("predict", "Outputs of a model file for one input");
  predict->add_option("--model", p->first, "Model file (.json, or .onnx of an MLP)")->required();
  predict
      ->add_option("--x", p->second, "Input values v1,v2,... (raw: the model's standardisation is applied)")
      ->required();
  predict->add_flag("--json", *pjson, "Machine-readable output");
  predict->callback([p, pjson, &exit_code] { exit_code = run_predict(p->first, p->second, *pjson); });

  auto r = std::make_shared<RandomFlags>();
  CLI::App* model = app.add_subcommand("model", "Model files");
  model->require_subcommand(1);
  CLI::App* random = model->add_subcommand("random", "A random MLP written as a model file");
  random->add_option("--arch", r->arch, "Widths N0-N1-...-Nk, e.g. 2-12-1")->required();
  random->add_option("--act", r->act, "Hidden activation(s)")->capture_default_str();
  one_of(random->add_option("--init", r->init, "As for train"), kInitSchemes, true)->capture_default_str();
  random->add_option("--integer-weights", r->integer_weights,
                     "Uniform integer weights and biases in A:B instead");
  random->add_option("--seed", r->seed, "Seed")->required();
  random->add_option("--out", r->out, "Output model file")->required();
  random->add_flag("--json", r->json, "Machine-readable output");
  random->callback([r, &exit_code] { exit_code = run_model_random(*r); });
}

}  // namespace actlab::cli
