#!/usr/bin/env bash
# Checks the layout rules of ../shared/STYLE.md §3:
#   1. every src/<domain>/<name>.{hpp,cpp} has its mirror test tests/<domain>/<name>_test.cpp;
#   2. every #include "<domain>/..." in src/<d>/ names a domain that <d> may use.
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
[[ $fail -eq 0 ]] && echo "layout: ok"
exit $fail
