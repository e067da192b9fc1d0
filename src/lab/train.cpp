// One network trained on real data (see train.hpp).
#include "lab/train.hpp"

#include "core/thread_pool.hpp"

namespace actlab::lab {

Json TrainPlan::to_json() const {
  const nn::TrainOptions& o = options;
  Json d = {{"source", data.source},
            {"target", data.target},
            {"rows", data.rows},
            {"data_seed", data.data_seed},
            {"test", data.test},
            {"val", data.val},
            {"standardize", data::standardize_name(data.standardize)},
            {"seed", data.seed}};
  Json j = {
      {"data", std::move(d)},
      {"model", {{"spec", model.spec}, {"acts", model.acts}, {"init", model.init}, {"seed", model.seed}}},
      {"epochs", o.epochs},
      {"batch", o.batch},
      {"loss", loss ? Json(nn::loss_name(*loss)) : Json("auto")},
      {"optimizer",
       {{"kind", optim::optimizer_kind_name(o.optimizer.kind)},
        {"lr", o.optimizer.lr},
        {"momentum", o.optimizer.momentum},
        {"nesterov", o.optimizer.nesterov},
        {"weight_decay", o.optimizer.weight_decay}}},
      {"lr_schedule", o.schedule.str()},
      {"clip_norm", o.clip_norm},
      {"early_stop",
       {{"rule", o.early_stop.rule == nn::EarlyStop::Rule::kNone              ? "none"
                 : o.early_stop.rule == nn::EarlyStop::Rule::kTrainAccPlateau ? "train-acc"
                                                                              : "val-loss"},
        {"patience", o.early_stop.patience},
        {"min_delta", o.early_stop.min_delta}}},
      {"seed", o.seed},
      {"threads", o.threads}};
  return j;
}

Result<TrainResult> train(const TrainPlan& plan, const nn::EpochCallback& on_epoch) {
  if (plan.options.epochs < 1) return Status::invalid_field("epochs", "must be >= 1");
  if (plan.options.threads < 0) return Status::invalid_field("threads", "must be >= 1, or 0 for every core");
  auto d = data::prepare(plan.data);
  if (!d) return d.status();
  const bool classify = d->task() == data::Task::kClassification;

  TrainResult r;
  r.plan = plan;
  r.data = d->name();
  r.train_rows = d->train.rows();
  r.val_rows = d->val.rows();
  r.test_rows = d->test.rows();
  r.classification = classify;

  auto built = build_model(plan.model, nn::Shape{d->input_shape()}, d->train.outputs());
  if (!built) return built.status();
  r.model = std::move(built->model);
  r.init = std::move(built->init);

  nn::TrainOptions o = plan.options;
  o.loss = plan.loss.value_or(classify ? nn::LossKind::kCrossEntropy : nn::LossKind::kMse);
  if ((o.loss == nn::LossKind::kCrossEntropy) != classify) {
    return Status::invalid_field("loss", nn::loss_name(o.loss) + " does not fit " +
                                             (classify ? "a classification" : "a regression") + " data set");
  }
  o.threads = o.threads > 0 ? o.threads : default_thread_count();
  r.plan.options.threads = o.threads;
  r.loss = o.loss;

  nn::Examples val = examples(d->val);
  auto rep = nn::train(r.model, examples(d->train), d->val.rows() > 0 ? &val : nullptr, o, on_epoch);
  if (!rep) return rep.status();
  r.report = std::move(*rep);
  if (d->test.rows() > 0 && !r.diverged())
    r.test = nn::evaluate(r.model, examples(d->test), o.loss, o.threads);
  if (d->standardizer)
    r.model.set_input_scaling(nn::InputScaling{d->standardizer->mean, d->standardizer->scale});
  return r;
}

}  // namespace actlab::lab
