#!/usr/bin/env bash
# Two builds of `transit` side by side, command by command (hyperfine, interleaved runs), for a
# change that must not make anything slower: the GTFS loader (inspect, validate) on the largest
# shared feeds and on vilnius scaled 10×, the service summary, the planner on the sample and on
# a generated 500-route city, the timetable export, and carbon credit of a 200,000-leg log.
#
#   bash Benchmarks/scripts/compare-builds.sh OLD/transit NEW/transit [RUNS]
#
# Prints one line a command: OLD median, NEW median, NEW/OLD. The machine's load affects both
# alike because the runs alternate; read a ratio within ±5 % as noise.
set -euo pipefail
source "$(dirname "$0")/common.sh"
[ $# -ge 2 ] || { echo "usage: compare-builds.sh OLD_TRANSIT NEW_TRANSIT [RUNS]" >&2; exit 2; }
old=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
new=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
runs=${3:-7}
need_tool hyperfine hyperfine
feeds=$SHARED/gtfs-feeds
x10=$(scaled_feed 10)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$REPO"
"$new" plan gtfs/sample-city --fleet 80 --budget 100000 --format json >"$work/plan.json" 2>/dev/null
"$new" carbon generate-log "$VILNIUS" --count 200000 --seed 1 --output "$work/log.csv" 2>/dev/null

# bench NAME PREPARE ARGS…: times ARGS under both binaries (exit status ignored: validate
# exits 1 on a feed with errors).
bench() {
    local name="$1" prepare="$2"; shift 2
    local args="$*"
    hyperfine -N -i -w 1 -r "$runs" --prepare "${prepare:-true}" --export-json "$work/$name.json" \
        -n old "$old $args" -n new "$new $args" >/dev/null 2>&1 || { echo "$name: failed" >&2; return 0; }
    python3 - "$work/$name.json" "$name" <<'EOF'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]:<28} old {r['old']:8.3f} s   new {r['new']:8.3f} s   new/old {r['new'] / r['old']:.3f}")
EOF
}

bench inspect-wmata "" gtfs inspect "$feeds/wmata-2026/wmata-2026.zip"
bench inspect-vilnius-x10 "" gtfs inspect "$x10"
bench validate-wmata "" gtfs validate "$feeds/wmata-2026/wmata-2026.zip" --today 20261128 --format json
bench validate-hart "" gtfs validate "$feeds/hart-2018/hart-2018.zip" --today 20261128 --format json
bench summary-sample "" network summary gtfs/sample-city --date 20260310 --format json
bench plan-sample "" plan gtfs/sample-city --fleet 80 --budget 100000 --format json
bench plan-synthetic-500 "" plan --synthetic 500 --seed 1 --format json
bench timetable-sample "rm -rf $work/tt.zip" timetable gtfs/sample-city --plan "$work/plan.json" --out "$work/tt.zip"
bench carbon-credit-200k "rm -f $work/l.db $work/l.db-wal $work/l.db-shm" \
    carbon credit "$work/log.csv" --feed "$VILNIUS" --ledger "$work/l.db" --format json
