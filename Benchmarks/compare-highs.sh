#!/usr/bin/env bash
# Issue 4's comparison: time to a proven optimum (relative gap <= 1e-6) on the generated
# city-scale problems, ours (transit plan --synthetic N, release build) beside HiGHS proving
# the same model as written by --write-model, and plain GLPK branch and bound with a time limit.
#
#   bash Benchmarks/compare-highs.sh [ROUTES...]      # default: 500 2000
#
# Needs a release build (swift build -c release) and HiGHS (bash scripts/setup makes
# .venv-tools with highspy). Prints one line per solver and problem; wall-clock times from the
# tools' own clocks (ours: the solve only, as in the JSON `seconds`; HiGHS: run() only).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
transit="$root/.build/release/transit"
python="$root/.venv-tools/bin/python"
[ -x "$transit" ] || { echo "build first: swift build -c release" >&2; exit 1; }
[ -x "$python" ] || { echo "HiGHS missing: bash scripts/setup" >&2; exit 1; }
plain_limit="${PLAIN_LIMIT:-60}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
routes=("$@")
[ ${#routes[@]} -gt 0 ] || routes=(500 2000)
for n in "${routes[@]}"; do
    model="$tmp/synthetic-$n.mps"
    "$transit" plan --synthetic "$n" --write-model "$model" --format json 2>/dev/null >"$tmp/ours.json"
    for run in 1 2 3; do
        "$transit" plan --synthetic "$n" --format json 2>/dev/null >"$tmp/ours-$run.json"
    done
    for run in 1 2 3; do
        "$python" "$root/scripts/highs-solve.py" "$model" 2>/dev/null >"$tmp/highs-$run.json"
    done
    "$transit" plan --synthetic "$n" --strategy plain --time-limit "$plain_limit" --format json 2>/dev/null >"$tmp/plain.json" || true
    python3 - "$n" "$tmp" <<'PY'
import json, statistics, sys
n, tmp = sys.argv[1], sys.argv[2]
ours = [json.load(open(f"{tmp}/ours-{i}.json")) for i in (1, 2, 3)]
highs = [json.load(open(f"{tmp}/highs-{i}.json")) for i in (1, 2, 3)]
plain = json.load(open(f"{tmp}/plain.json"))
o = statistics.median(r["seconds"] for r in ours)
h = statistics.median(r["seconds"] for r in highs)
obj, hobj = ours[0]["objective"], highs[0]["objective"]
print(f"{n} routes, {ours[0]['variables']} binaries:")
print(f"  ours  (structured) median {o:.3f} s  status {ours[0]['status']} gap {ours[0]['gap']} objective {obj:.6f}")
print(f"  HiGHS (gap 0)      median {h:.3f} s  status {highs[0]['status']} objective {hobj:.6f}")
print(f"  plain GLPK         {plain['seconds']:.1f} s  status {plain['status']} gap {plain['gap']}")
print(f"  ratio ours/HiGHS {o / h:.3f}; objectives differ by {abs(obj - hobj) / abs(hobj):.2e} relative")
PY
done
