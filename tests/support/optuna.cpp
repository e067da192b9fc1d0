// Test support: Debian's Optuna reads a study (see optuna.hpp).
#include "support/optuna.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

namespace actlab::testing {
namespace {

// Prints the study as JSON; exit 3 with a message when Optuna is missing.
const char* const kScript = R"PY(
import json, math, sys
try:
    import optuna
except ImportError as e:
    sys.stderr.write("cannot import optuna (%s): install Debian's python3-optuna (scripts/install-deps.sh)\n" % e)
    sys.exit(3)
optuna.logging.set_verbosity(optuna.logging.WARNING)
path, name = sys.argv[1], sys.argv[2]
study = optuna.load_study(study_name=name, storage=path if "://" in path else "sqlite:///" + path)
def num(v):
    if v is None or isinstance(v, (str, bool)):
        return v
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v
def when(d):
    return None if d is None else d.isoformat(sep=" ")
out = {"direction": study.direction.name, "optuna": optuna.__version__, "user_attrs": study.user_attrs,
       "trials": []}
for t in study.get_trials(deepcopy=False):
    out["trials"].append({
        "number": t.number, "state": t.state.name, "value": num(t.value),
        "params": {k: num(v) for k, v in t.params.items()},
        "distributions": {k: type(d).__name__ for k, d in t.distributions.items()},
        "intermediate": {str(k): num(v) for k, v in t.intermediate_values.items()},
        "user_attrs": t.user_attrs, "datetime_start": when(t.datetime_start),
        "datetime_complete": when(t.datetime_complete)})
print(json.dumps(out))
)PY";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Json optuna_load_study(const std::string& path, const std::string& name) {
  const std::string cmd =
      "/usr/bin/python3 -c " + quote(kScript) + " " + quote(path) + " " + quote(name) + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    ADD_FAILURE() << "cannot run /usr/bin/python3";
    return nullptr;
  }
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = pclose(p);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE()
        << "Optuna could not load study '" << name << "' from " << path
        << " (/usr/bin/python3 with Debian's python3-optuna; scripts/install-deps.sh installs it):\n"
        << out;
    return nullptr;
  }
  auto start = out.rfind("\n{");  // the JSON is the last line; warnings may precede it
  start = start == std::string::npos ? 0 : start + 1;
  Json j = Json::parse(out.substr(start), nullptr, false);
  if (j.is_discarded()) ADD_FAILURE() << "Optuna printed no JSON:\n" << out;
  return j.is_discarded() ? Json(nullptr) : j;
}

}  // namespace actlab::testing
