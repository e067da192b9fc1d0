#!/usr/bin/env bash
# Installs the Debian packages actlab needs, if any is missing. Idempotent; silent when everything is there.
#   scripts/install-deps.sh            build, test and run dependencies
#   scripts/install-deps.sh --tools    also what the golden-file generators in tools/ need (python3-torch, ...)
set -euo pipefail

packages=(
  g++ cmake ninja-build make pkg-config
  libeigen3-dev libopenblas-dev libcli11-dev nlohmann-json3-dev libfmt-dev
  libsqlite3-dev libpq-dev zlib1g-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev
  gnuplot-nox coinor-libclp-dev   # coinor-libclp-dev: the LP backend of src/shallow
  chromium                        # scripts/check_report.sh: HTML reports in headless Chromium (tests/report)
  python3-sklearn dataset-fashion-mnist   # the built-in data sets (iris, wine, ..., fashion-mnist), used by make test
  librdata-dev libbz2-dev liblzma-dev     # the R data reader (src/data/rdata.cpp)
  r-cran-mlbench r-cran-kernlab           # the built-in R data sets (sonar, glass, spam, ...; docs/data.md)
  python3-torch                           # tests run `actlab init --torch` code in PyTorch (tests/cli/init_test.cpp)
  python3-optuna                          # tests load `actlab study export --format optuna` with optuna.load_study
  python3-psycopg2                        # ... also from PostgreSQL (SQLAlchemy's postgresql driver)
  python3-dev pybind11-dev python3-pytest  # the Python module (python/, docs/python.md) and its pytest suite
  python3-numpy python3-pandas            # ... its arrays and data frames
  clang                                   # make fuzz: the libFuzzer harnesses of tests/fuzz (docs/fuzzing.md)
)
if [[ "${1:-}" == "--tools" ]]; then
  packages+=(python3 python3-torch python3-scipy python3-sklearn python3-optuna)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-deps: apt-get failed (output above)" >&2
  exit 1
fi
