#!/usr/bin/env bash
# Checks the layout rules of docs/design.md ("Layers"):
#   1. every src/<domain>/<name>.{hpp,cpp} has its mirror test tests/<domain>/<name>_test.cpp;
#   2. every #include "<domain>/..." in src/<d>/ names a domain that <d> may use (no domain uses lab/ or cli/);
#   3. only src/cli includes CLI11, and nothing below cli prints to stdout;
#   4. src/cli builds nothing itself: models, trainers, studies and samplers are made by lab/ (or a domain's
#      one entry call), so cli/ never calls the constructors listed in cli_forbidden below.
set -uo pipefail
cd "$(dirname "$0")/.."

declare -A allowed=(
  [core]="core"
  [activations]="core activations"
  [optim]="core optim"
  [data]="core data"
  [search]="core search"
  [report]="core report"
  [theory]="core activations theory"
  [nn]="core activations optim data nn"
  [evolve]="core activations evolve"
  [shallow]="core nn activations optim data shallow"
  [lab]="core activations optim data search report theory nn evolve shallow lab"
  [cli]="core activations optim data search report theory nn evolve shallow lab cli"
)

fail=0
for f in src/*/*.hpp src/*/*.cpp; do
  [[ -e "$f" ]] || continue
  domain=$(basename "$(dirname "$f")")
  stem=$(basename "$f"); stem=${stem%.*}
  test="tests/$domain/${stem}_test.cpp"
  if [[ ! -f "$test" ]]; then
    echo "layout: $f has no mirror test $test" >&2
    fail=1
  fi
  if [[ -z "${allowed[$domain]+x}" ]]; then
    echo "layout: src/$domain is not a known domain (add it to STYLE.md and this script)" >&2
    fail=1
    continue
  fi
  while IFS= read -r inc; do
    dep=${inc%%/*}
    if [[ " ${allowed[$domain]} " != *" $dep "* ]]; then
      echo "layout: $f includes \"$inc\": $domain may not use $dep" >&2
      fail=1
    fi
  done < <(grep -oE '^#include "[a-z_]+/[^"]+"' "$f" | sed -E 's/#include "(.*)"/\1/')
done

# 3. CLI11 and stdout belong to the CLI.
while IFS= read -r hit; do
  echo "layout: $hit: only src/cli may include CLI11" >&2
  fail=1
done < <(grep -rnE '^#include <CLI/' src --include='*.hpp' --include='*.cpp' | grep -v '^src/cli/')
while IFS= read -r hit; do
  echo "layout: $hit: library code does not print (return a value; the CLI prints)" >&2
  fail=1
done < <(grep -rnE '\b(std::)?(printf|puts)\(|std::cout' src --include='*.hpp' --include='*.cpp' |
  grep -vE '^src/cli/|^src/core/progress\.cpp|//.*(printf|cout)')

# 4. cli/ is flags -> plan -> one call -> print.
cli_forbidden='nn::build_model\(|nn::initialize\(|nn::train\(|nn::evaluate\(|Study::create\(|Study::load\(|Study::open\(|make_sampler\(|train_population\('
while IFS= read -r hit; do
  echo "layout: $hit: cli/ does not build models, trainers or studies; call lab/" >&2
  fail=1
done < <(grep -rnE "$cli_forbidden" src/cli)

[[ $fail -eq 0 ]] && echo "layout: ok"
exit $fail
