#!/usr/bin/env bash
# Times `transit gtfs inspect FEED` against the floor `unzip -p FEED` (inflating every file
# and nothing more), and the peak memory of inspect against the unzipped size.
#
# usage: bash Benchmarks/scripts/compare-unzip.sh [FEED.zip]
#   FEED.zip  default: $TRANSIT_SHARED_DIR (else ../shared beside the checkout)
#             /gtfs-feeds/vilnius-2016/vilnius-2016.zip
#   env RUNS  hyperfine runs per command (default 15, at least 10), WARMUP (default 2)
#
# Builds `transit` in release (`swift build -c release` in the repository root), installs
# hyperfine and GNU time from Debian when missing, then prints:
#   * hyperfine's side-by-side timing (-N, output to /dev/null) and the ratio of medians;
#   * the peak RSS of `transit gtfs inspect` (max of 5 runs of /usr/bin/time -f %M) and
#     2 x the unzipped size (the sum of the lengths `unzip -l` lists);
#   * PASS/FAIL against the targets: time <= 1.5 x unzip, peak memory <= 2 x unzipped size.
# Exits 0 whatever the verdicts (it is a report); non-zero only when a tool or the build fails.
set -euo pipefail
source "$(dirname "$0")/common.sh"

FEED=$(readlink -f "${1:-$VILNIUS}")
require_feed "$FEED"
RUNS=${RUNS:-15}; [ "$RUNS" -ge 10 ] || RUNS=10
need_tool hyperfine hyperfine
need_tool unzip unzip
[ -x /usr/bin/time ] || need_tool /usr/bin/time time
build_transit

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "== timing on $FEED ($RUNS runs, $(nproc) cores)"
hyperfine -N --warmup "${WARMUP:-2}" --runs "$RUNS" --output=null --export-json "$tmp/t.json" \
    -n "transit gtfs inspect" "$TRANSIT gtfs inspect $FEED" \
    -n "unzip -p" "unzip -p $FEED"
ours=$(hf_median "$tmp/t.json" "transit gtfs inspect")
floor=$(hf_median "$tmp/t.json" "unzip -p")
time_ratio=$(ratio "$ours" "$floor")

echo "== peak memory (5 runs of /usr/bin/time -f %M)"
peak_kb=0
for _ in 1 2 3 4 5; do
    kb=$( { /usr/bin/time -f %M "$TRANSIT" gtfs inspect "$FEED" >/dev/null; } 2>&1 | tail -1 )
    echo "  $kb KiB"
    [ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
done
unzipped=$(unzip -l "$FEED" | tail -1 | awk '{print $1}')
peak=$((peak_kb * 1024))
mem_ratio=$(ratio "$peak" "$unzipped")

echo
echo "== summary: $(basename "$FEED")"
printf '  median: transit gtfs inspect %.1f ms, unzip -p %.1f ms: ratio %sx\n' \
    "$(python3 -c "print($ours*1000)")" "$(python3 -c "print($floor*1000)")" "$time_ratio"
printf '  peak RSS %.1f MiB; unzipped %.1f MiB (2x = %.1f MiB): ratio %sx\n' \
    "$(python3 -c "print($peak/1048576)")" "$(python3 -c "print($unzipped/1048576)")" \
    "$(python3 -c "print(2*$unzipped/1048576)")" "$mem_ratio"
verdict "$(le "$time_ratio" 1.5)" "time: inspect = ${time_ratio}x unzip -p (target <= 1.5x)"
verdict "$(le "$mem_ratio" 2)" "memory: peak RSS = ${mem_ratio}x unzipped size (target <= 2x)"
exit 0
