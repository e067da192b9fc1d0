// Test support: read a study with Debian's Optuna (/usr/bin/python3, python3-optuna), to check actlab's
// Optuna export against Optuna itself.
//
//   Json trials = optuna_load_trials("/tmp/o.db", "demo");   // [{"number", "state", "value", "params"}, ...]
//
// A test failure (with what to install) when Optuna cannot be imported or load_study fails; then the result
// is null.
#pragma once

#include <string>

#include "core/json.hpp"

namespace actlab::testing {

// optuna.load_study(study_name=name, storage="sqlite:///" + path), or storage=path when it is a URL
// (postgresql://...: SQLAlchemy's postgresql driver, Debian's python3-psycopg2): {"direction": "MINIMIZE" |
// "MAXIMIZE", "user_attrs": {...}, "trials": [{"number", "state" (COMPLETE, ...), "value" (null, a number, or
// "inf" /
// "-inf" / "nan"), "params" ({name: value as Optuna returns it: choice, int or float}), "distributions"
// ({name: class name}), "intermediate" ({step: value}), "user_attrs", "datetime_start",
// "datetime_complete" (str or null)}]}.
Json optuna_load_study(const std::string& path, const std::string& name);

}  // namespace actlab::testing
