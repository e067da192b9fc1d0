// Flag helpers shared by the commands that train networks: the --data flags as a data::DataPlan.
//
//   DataFlags f;  app.add_option("--data", f.data);  ...
//   data::DataPlan p = f.plan(/*seed=*/1);  p.test = 0.3;
#pragma once

#include <cstdint>
#include <string>

#include "data/dataset.hpp"
#include "data/prepare.hpp"
#include "lab/model.hpp"
#include "report/format.hpp"

namespace actlab::cli {

using lab::examples;
using lab::parse_acts;
using lab::split_top_level;
using report::fmt;

struct DataFlags {
  std::string data, target;
  std::size_t rows = 0;
  std::int64_t data_seed = -1;  // generators: < 0 means the command's seed

  // The source part of a data plan (splits and standardisation are the command's).
  data::DataPlan plan(std::uint64_t seed) const {
    data::DataPlan p;
    p.source = data;
    p.target = target;
    p.rows = rows;
    p.data_seed = data_seed;
    p.seed = seed;
    return p;
  }
};

// The data set as loaded (no split, no standardisation): for commands that read a whole set.
Result<data::Dataset> load_data(const DataFlags& f, std::uint64_t seed);

}  // namespace actlab::cli
