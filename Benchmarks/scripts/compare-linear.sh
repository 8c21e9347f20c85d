#!/usr/bin/env bash
# Checks that loading scales linearly: times `transit gtfs inspect` on vilnius-2016 made 1x and
# 10x larger by make-scaled-feed.py (same generator, so like for like) and prints x10 / x1.
#
# usage: bash Benchmarks/scripts/compare-linear.sh
#   env TRANSIT_SHARED_DIR  the shared folder (default ../shared beside the checkout)
#       TRANSIT_BENCH_TMP   where the generated feeds are kept and reused
#                           (default $TMPDIR/transit-benchmarks, shared with `swift package benchmark`)
#       RUNS                hyperfine runs per feed (default 10), WARMUP (default 1)
#
# Builds `transit` in release first. Target: about 10x (PASS when x10 / x1 <= 11, i.e. within
# 10% of linear). Exits 0 whatever the verdict; non-zero only when a tool or the build fails.
set -euo pipefail
source "$(dirname "$0")/common.sh"

require_feed "$VILNIUS"
need_tool hyperfine hyperfine
build_transit
x1=$(scaled_feed 1)
x10=$(scaled_feed 10)

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "== timing transit gtfs inspect on x1 and x10 (${RUNS:-10} runs, $(nproc) cores)"
hyperfine -N --warmup "${WARMUP:-1}" --runs "${RUNS:-10}" --output=null --export-json "$tmp/t.json" \
    -n x1 "$TRANSIT gtfs inspect $x1" \
    -n x10 "$TRANSIT gtfs inspect $x10"
t1=$(hf_median "$tmp/t.json" x1)
t10=$(hf_median "$tmp/t.json" x10)
r=$(ratio "$t10" "$t1")

echo
echo "== summary"
printf '  median: x1 %.1f ms, x10 %.1f ms: x10 / x1 = %sx\n' \
    "$(python3 -c "print($t1*1000)")" "$(python3 -c "print($t10*1000)")" "$r"
verdict "$(le "$r" 11)" "scaling: 10x the feed takes ${r}x the time (target about 10x, <= 11x)"
exit 0
