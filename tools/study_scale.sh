#!/usr/bin/env bash
# Many worker processes on one study (docs/search.md, "Tests and measurements"): creates a synthetic study
# (random sampler) in STORAGE, starts PROCS `actlab study optimize --trials TRIALS --delay-ms DELAY` processes
# at once, waits for all, and checks the study: exactly TRIALS trials numbered 0..TRIALS-1, every one COMPLETE,
# nothing RUNNING or WAITING, every process exited 0, and no "database is locked" / error line on any stderr.
#   tools/study_scale.sh STORAGE PROCS TRIALS DELAY_MS [ACTLAB]
#   tools/study_scale.sh sqlite:///tmp/scale/s.db 64 1280 200
#   tools/study_scale.sh "$(scripts/pg-test-cluster.sh | head -1)" 64 1280 200
set -euo pipefail
storage=${1:?usage: study_scale.sh STORAGE PROCS TRIALS DELAY_MS [ACTLAB]}
procs=${2:?}
trials=${3:?}
delay=${4:?}
actlab=${5:-build/actlab}
name="scale-$procs-$$"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
"$actlab" study create --storage "$storage" --name "$name" --objective synthetic --sampler random --seed 1 >/dev/null
start=$(date +%s.%N)
pids=()
for i in $(seq 1 "$procs"); do
  OPENBLAS_NUM_THREADS=1 "$actlab" study optimize --storage "$storage" --name "$name" --trials "$trials" \
    --delay-ms "$delay" --json >"$logs/$i.out" 2>"$logs/$i.err" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
end=$(date +%s.%N)
"$actlab" study trials --storage "$storage" --name "$name" --json >"$logs/trials.json"
python3 - "$logs" "$procs" "$trials" "$delay" "$start" "$end" "$failed" <<'PY'
import collections, glob, json, sys
logs, procs, trials, delay, start, end, failed = sys.argv[1:]
procs, trials, delay, failed = int(procs), int(trials), int(delay), int(failed)
wall = float(end) - float(start)
t = json.load(open(logs + "/trials.json"))
numbers = [x["number"] for x in t]
states = collections.Counter(x["state"] for x in t)
originals = [x for x in t if x["retry_of"] is None]
per_proc = [json.load(open(f))["this_run"]["complete"] for f in glob.glob(logs + "/*.out") if open(f).read().strip()]
errs = [l for f in glob.glob(logs + "/*.err") for l in open(f) if l.strip()]
locked = [l for l in errs if "locked" in l or "busy" in l]
ok = (sorted(numbers) == list(range(len(t))) and len(originals) == trials and states["COMPLETE"] == len(t)
      and failed == 0 and not errs)
print(f"{procs} processes, {trials} trials of {delay} ms: {wall:.1f} s wall "
      f"(ideal {trials * delay / 1000 / procs:.1f} s), {trials / wall:.1f} trials/s")
print(f"trials {len(t)} (originals {len(originals)}), numbers 0..{max(numbers)} dense: "
      f"{sorted(numbers) == list(range(len(t)))}, states {dict(states)}")
print(f"per process: min {min(per_proc)} max {max(per_proc)} complete; exits != 0: {failed}; "
      f"stderr lines: {len(errs)} ('locked'/'busy': {len(locked)})")
for l in errs[:5]:
    print("  stderr:", l.rstrip())
print("OK" if ok else "NOT EXACT")
sys.exit(0 if ok else 1)
PY
