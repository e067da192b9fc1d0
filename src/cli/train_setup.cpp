#include "cli/train_setup.hpp"

#include "data/builtin.hpp"

namespace actlab::cli {

Result<data::Dataset> load_data(const DataFlags& f, std::uint64_t seed) {
  data::LoadOptions lo;
  lo.target = f.target;
  lo.rows = f.rows;
  lo.seed = f.data_seed >= 0 ? static_cast<std::uint64_t>(f.data_seed) : seed;
  return data::load(f.data, lo);
}

}  // namespace actlab::cli
