#include "optim/optimizer.hpp"

#include <algorithm>
#include <cctype>

#include "optim/adam.hpp"
#include "optim/rmsprop.hpp"
#include "optim/sgd.hpp"

namespace actlab::optim {
namespace {

Status check(const OptimizerOptions& o) {
  auto in01 = [](double v) { return v >= 0 && v < 1; };
  if (!(o.lr >= 0)) return Status::invalid("learning rate must be >= 0");
  if (!(o.weight_decay >= 0)) return Status::invalid("weight decay must be >= 0");
  switch (o.kind) {
    case OptimizerKind::kSgd:
      if (!(o.momentum >= 0)) return Status::invalid("momentum must be >= 0");
      if (o.nesterov && (o.momentum <= 0 || o.dampening != 0)) {
        return Status::invalid("Nesterov momentum needs momentum > 0 and dampening 0");
      }
      break;
    case OptimizerKind::kAdam:
    case OptimizerKind::kAdamW:
      if (!in01(o.beta1) || !in01(o.beta2)) return Status::invalid("Adam betas must be in [0, 1)");
      if (!(o.eps >= 0)) return Status::invalid("eps must be >= 0");
      break;
    case OptimizerKind::kRmsprop:
      if (!(o.alpha >= 0)) return Status::invalid("RMSprop alpha must be >= 0");
      if (!(o.momentum >= 0)) return Status::invalid("momentum must be >= 0");
      if (!(o.eps >= 0)) return Status::invalid("eps must be >= 0");
      break;
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Optimizer>> make_optimizer(const OptimizerOptions& options) {
  if (Status s = check(options); !s.is_ok()) return s;
  switch (options.kind) {
    case OptimizerKind::kSgd: return std::unique_ptr<Optimizer>(new Sgd(options));
    case OptimizerKind::kAdam: return std::unique_ptr<Optimizer>(new Adam(options, /*decoupled=*/false));
    case OptimizerKind::kAdamW: return std::unique_ptr<Optimizer>(new Adam(options, /*decoupled=*/true));
    case OptimizerKind::kRmsprop: return std::unique_ptr<Optimizer>(new Rmsprop(options));
  }
  return Status(StatusCode::kInternal, "unknown optimizer kind");
}

Result<OptimizerKind> parse_optimizer_kind(std::string_view name) {
  std::string s(name);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "sgd") return OptimizerKind::kSgd;
  if (s == "adam") return OptimizerKind::kAdam;
  if (s == "adamw") return OptimizerKind::kAdamW;
  if (s == "rmsprop") return OptimizerKind::kRmsprop;
  return Status::invalid("unknown optimizer '" + std::string(name) + "' (choose sgd, adam, adamw, rmsprop)");
}

std::string optimizer_kind_name(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::kSgd: return "sgd";
    case OptimizerKind::kAdam: return "adam";
    case OptimizerKind::kAdamW: return "adamw";
    case OptimizerKind::kRmsprop: return "rmsprop";
  }
  return "?";
}

}  // namespace actlab::optim
