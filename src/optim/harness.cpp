#include "optim/harness.hpp"

#include <mutex>

namespace actlab::optim {

Box harness_box(const TestFunction& tf, int copies) {
  Box box;
  for (int i = 0; i < copies; ++i) {
    box.lo.insert(box.lo.end(), {tf.x_lo, tf.y_lo});
    box.hi.insert(box.hi.end(), {tf.x_hi, tf.y_hi});
  }
  box.step.assign(box.lo.size(), 0.0);
  return box;
}

Result<HarnessResult> run_harness(const HarnessRun& optimize_once, const HarnessOptions& o, ThreadPool& pool,
                                  const std::function<void()>& after_run) {
  if (o.functions.empty() || o.copies.empty())
    return Status::invalid("the harness needs functions and copies");
  if (o.repeats < 1) return Status::invalid("the harness needs at least one repeat");
  if (o.evaluations < 1) return Status::invalid("the harness needs at least one evaluation");
  for (int n : o.copies)
    if (n < 1) return Status::invalid("copies must be >= 1");
  HarnessResult out;
  for (TestFunctionKind f : o.functions)
    for (int n : o.copies) out.cells.push_back({f, n, std::vector<double>(o.repeats, 0.0), 0.0});
  const std::size_t runs = out.cells.size() * static_cast<std::size_t>(o.repeats);
  std::vector<Status> errors(runs);
  pool.parallel_for(runs, [&](std::size_t index, int) {
    const std::size_t c = index / o.repeats, k = index % o.repeats;
    HarnessCell& cell = out.cells[c];
    const TestFunction& tf = test_function(cell.function);
    const Box box = harness_box(tf, cell.copies);
    auto objective = [&tf](std::span<const double> x) { return -tf.evaluate(x); };
    auto best = optimize_once(objective, box, Rng::derive(o.seed, "optbench", c * 1'000'000 + k));
    if (!best) {
      errors[index] = best.status();
    } else {
      cell.runs[k] = -*best;
    }
    if (after_run) after_run();
  });
  for (const Status& s : errors)
    if (!s) return s;
  for (HarnessCell& cell : out.cells) {
    double sum = 0;
    for (double v : cell.runs) sum += v;
    cell.score = sum / static_cast<double>(cell.runs.size());
    out.total += cell.score;
  }
  out.percent = out.total * 100.0 / static_cast<double>(out.cells.size());
  return out;
}

}  // namespace actlab::optim
