// The training flags shared by train and compare (see train_flags.hpp).
#include "cli/train_flags.hpp"

#include <cmath>

#include "cli/args.hpp"
#include "cli/command.hpp"
#include "nn/trainer.hpp"

namespace actlab::cli {

void add_training_flags(CLI::App* cmd, TrainingFlags& f, const TrainingFlagOptions& o) {
  cmd->add_option("--data", f.data.data,
                  "Built-in name (actlab data list), generator spec, CSV file or IDX dir")
      ->required();
  cmd->add_option("--target", f.data.target, "CSV target column, by name or index (default: the last)");
  bounded(cmd->add_option("--rows", f.data.rows, "Generators: number of rows"), 1, 1e+07);
  cmd->add_option("--data-seed", f.data.data_seed, "Generators: seed of the data (default: --seed)");
  cmd->add_option("--model", f.model,
                  "mlp:WxD | mlp:N0-...-Nk | cnn:lapid | fcn:lapid | FILE.json | FILE.onnx (an MLP)")
      ->capture_default_str();
  if (o.act)
    cmd->add_option("--act", f.act, "Activation(s): one for every hidden layer, or a comma list per layer")
        ->capture_default_str();
  one_of(cmd->add_option("--init", f.init, o.init_help), kInitSchemes, true)->capture_default_str();
  cmd->add_option("--input-scale", f.input_scale,
                  "Factor on the first layer's weights (default: the init's; critical sets K^(1))");
  one_of(cmd->add_option("--opt", f.opt, "sgd | adam | adamw | rmsprop"), {"sgd", "adam", "adamw", "rmsprop"})
      ->capture_default_str();
  cmd->add_option("--lr", f.lr, "Learning rate")->capture_default_str();
  one_of(cmd->add_option(
             "--lr-schedule", f.lr_schedule,
             "constant | cosine[:min=M] (per step) | step:every=E[,gamma=G] | exp:gamma=G (per epoch)"),
         {"constant", "cosine", "step", "exp"}, true)
      ->capture_default_str();
  cmd->add_option("--momentum", f.momentum, "SGD/RMSprop momentum");
  cmd->add_flag("--nesterov", f.nesterov, "SGD: Nesterov momentum");
  cmd->add_option("--weight-decay", f.weight_decay, "L2 (Adam, SGD, RMSprop) or decoupled (AdamW) decay");
  bounded(cmd->add_option("--epochs", f.epochs, "Maximum number of epochs"), 0, 1e+06)->capture_default_str();
  cmd->add_option("--batch", f.batch, "Mini-batch size, or full")->capture_default_str();
  cmd->add_option("--val", f.val, "Validation fraction")->capture_default_str();
  cmd->add_option("--test", f.test, "Test fraction (ignored for data with its own test set)")
      ->capture_default_str();
  one_of(cmd->add_option("--loss", f.loss, "cross_entropy | mse (default: from the data's task)"),
         {"cross_entropy", "mse"});
  one_of(cmd->add_option("--early-stop", f.early_stop, "none | train-acc (à-la-carte rule) | val-loss"),
         {"none", "train-acc", "val-loss"})
      ->capture_default_str();
  cmd->add_option("--patience", f.patience, "Early-stopping patience in epochs")->capture_default_str();
  cmd->add_option("--clip", f.clip, "Clip the global gradient norm to this value (0: off)");
  one_of(cmd->add_option(
             "--standardize", f.standardize,
             "auto (tables: on, images: global) | on (per feature) | global (one mean and scale) | off"),
         {"auto", "on", "global", "off"})
      ->capture_default_str();
  cmd->add_option("--seed", f.seed, o.seed_help)->capture_default_str();
  cmd->add_option("--threads", f.threads,
                  "Data-parallel threads (0: ACTLAB_THREADS or every core); same seed and thread count, same "
                  "numbers")
      ->capture_default_str();
}

Result<lab::TrainPlan> training_plan(const TrainingFlags& f) {
  lab::TrainPlan p;
  p.data = f.data.plan(f.seed);
  p.data.val = f.val;
  p.data.test = f.test;
  auto z = data::parse_standardize(f.standardize);
  if (!z) return z.status().with_context("--standardize");
  p.data.standardize = *z;
  p.model = {.spec = f.model, .acts = f.act, .init = f.init, .seed = f.seed, .input_scale = f.input_scale};
  nn::TrainOptions& o = p.options;
  o.epochs = f.epochs;
  if (f.batch == "full") {
    o.batch = 0;
  } else {
    auto b = parse_number("--batch", f.batch);
    if (!b || *b < 1 || *b != std::floor(*b))
      return Status::invalid("--batch: expected a positive integer or full");
    o.batch = static_cast<Eigen::Index>(*b);
  }
  if (!f.loss.empty()) {
    auto loss = nn::parse_loss(f.loss);
    if (!loss) return loss.status().with_context("--loss");
    p.loss = *loss;
  }
  auto kind = optim::parse_optimizer_kind(f.opt);
  if (!kind) return kind.status().with_context("--opt");
  o.optimizer.kind = *kind;
  o.optimizer.lr = f.lr;
  o.optimizer.momentum = f.momentum;
  o.optimizer.nesterov = f.nesterov;
  o.optimizer.weight_decay = f.weight_decay;
  auto schedule = optim::parse_lr_schedule(f.lr_schedule);
  if (!schedule) return schedule.status().with_context("--lr-schedule");
  o.schedule = *schedule;
  o.clip_norm = f.clip;
  o.seed = f.seed;
  o.threads = f.threads;
  if (f.early_stop == "train-acc") {
    o.early_stop.rule = nn::EarlyStop::Rule::kTrainAccPlateau;
  } else if (f.early_stop == "val-loss") {
    o.early_stop.rule = nn::EarlyStop::Rule::kValLoss;
  } else if (f.early_stop != "none") {
    return Status::invalid("--early-stop: expected none, train-acc or val-loss, got '" + f.early_stop + "'");
  }
  o.early_stop.patience = f.patience;
  return p;
}

}  // namespace actlab::cli
