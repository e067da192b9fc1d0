// Learning-rate schedules, with torch.optim.lr_scheduler's formulas (PyTorch 1.13):
//   constant                 lr = lr₀
//   cosine[:min=η]           lr_t = η + (lr₀ − η)·(1 + cos(π·t/T))/2 after t of T optimiser steps
//                            (CosineAnnealingLR(T_max=T, eta_min=η) stepped after every batch; T = epochs ×
//                            batches per epoch, so the last step runs at lr_{T−1}, just above η)
//   step:every=E[,gamma=G]   lr = lr₀·G^⌊(e−1)/E⌋ in epoch e = 1, 2, … (StepLR(step_size=E, gamma=G), default
//                            G = 0.1, stepped after every epoch)
//   exp:gamma=G              lr = lr₀·G^(e−1) in epoch e (ExponentialLR(gamma=G), stepped after every epoch)
//
//   auto s = parse_lr_schedule("cosine:min=1e-5").value();
//   opt->set_lr(s.lr(1e-3, {.epoch = 1, .step = 0, .total_steps = 1407}));   // before each step
#pragma once

#include <string>
#include <string_view>

#include "core/status.hpp"

namespace actlab::optim {

// Where training is when a step is about to be taken.
struct ScheduleClock {
  int epoch = 1;         // 1-based epoch of the step
  long step = 0;         // optimiser steps already taken (0 for the first)
  long total_steps = 1;  // steps in the whole run (epochs × batches per epoch)
};

struct LrSchedule {
  enum class Kind { kConstant, kCosine, kStep, kExponential };
  Kind kind = Kind::kConstant;
  double eta_min = 0.0;  // cosine
  int every = 1;         // step
  double gamma = 0.1;    // step, exp

  // The learning rate for the step at `at`, from the base rate lr0.
  double lr(double lr0, const ScheduleClock& at) const;
  // The spec string parse_lr_schedule reads back ("cosine:min=1e-05").
  std::string str() const;
};

// "constant", "cosine", "cosine:min=1e-5", "step:every=2", "step:every=2,gamma=0.5", "exp:gamma=0.9".
Result<LrSchedule> parse_lr_schedule(std::string_view spec);

}  // namespace actlab::optim
