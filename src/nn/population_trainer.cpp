#include "nn/population_trainer.hpp"

#include <algorithm>
#include <vector>

namespace actlab::nn {
namespace {

void write_params(std::vector<optim::ParamBlock>& blocks, std::span<const double> x) {
  std::size_t k = 0;
  for (auto& b : blocks)
    for (float& v : b.value) v = static_cast<float>(x[k++]);
}

}  // namespace

Result<PopulationFit> fit_population(Model<float>& model, const Examples& data, LossKind loss,
                                     const PopulationFitOptions& o, Rng rng) {
  auto blocks = param_blocks(model);
  std::size_t n = 0;
  for (const auto& b : blocks) n += b.value.size();
  if (n == 0) return Status::invalid("the model has no parameters");
  if (data.rows() == 0) return Status::invalid("no examples to fit");
  const optim::Box box = o.box ? *o.box : optim::Box::uniform(n, -o.half_width, o.half_width);
  if (box.dims() != n) {
    return Status::invalid("the box has " + std::to_string(box.dims()) + " coordinates, the model " +
                           std::to_string(n) + " parameters");
  }
  auto objective = [&](std::span<const double> x) {
    write_params(blocks, x);
    return evaluate(model, data, loss).loss;
  };
  auto r = optim::Adamm(o.adamm).optimize(objective, box, rng);
  if (!r) return r.status();
  write_params(blocks, r->best);
  return PopulationFit{r->best_value, r->evaluations};
}

}  // namespace actlab::nn
