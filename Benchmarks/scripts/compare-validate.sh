#!/usr/bin/env bash
# The validator with the full rule set, whole process, against gtfs-guru 1.0.0 (the canonical
# validator's notice codes, reimplemented in Rust) and against the floor `unzip -p`, on vilnius
# and WMATA (issue 15), plus the cost of each rule family.
#
# usage: bash Benchmarks/scripts/compare-validate.sh [FEED.zip ...]
#   FEED.zip  default: vilnius-2016 and wmata-2026 from $TRANSIT_SHARED_DIR (else ../shared)
#   env RUNS  hyperfine runs per command (default 10), WARMUP (default 2), TODAY (20261207)
#
# Builds `transit` in release, uses gtfs-guru from .venv-tools (bash scripts/setup installs it),
# and prints per feed: hyperfine's medians of
#   transit gtfs validate FEED --format json --today TODAY      (exits 1 on errors: -i)
#   gtfs_guru.validate(FEED, date=TODAY)                           (Python start-up included)
#   unzip -p FEED
# the ratios against the targets (gtfs-guru / ours >= 5, ours / unzip <= 2), and the
# `TRANSIT_TRACE` lines of one validate run (`trace: rules <family> N ms`).
# Exits 0 whatever the verdicts (it is a report); non-zero only when a tool or the build fails.
set -euo pipefail
source "$(dirname "$0")/common.sh"

RUNS=${RUNS:-10}
TODAY=${TODAY:-20261207}
day="${TODAY:0:4}-${TODAY:4:2}-${TODAY:6:2}"
PY=$REPO/.venv-tools/bin/python
"$PY" -c 'import gtfs_guru' 2>/dev/null || { echo "error: gtfs-guru missing: run bash scripts/setup" >&2; exit 2; }
need_tool hyperfine hyperfine
need_tool unzip unzip
build_transit

if [ $# -eq 0 ]; then set -- "$VILNIUS" "$SHARED/gtfs-feeds/wmata-2026/wmata-2026.zip"; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for feed in "$@"; do
    feed=$(readlink -f "$feed"); require_feed "$feed"
    name=$(basename "$feed" .zip)
    echo "== $name ($RUNS runs, $(nproc) cores)"
    hyperfine -N -i --warmup "${WARMUP:-2}" --runs "$RUNS" --output=null --export-json "$tmp/$name.json" \
        -n "transit gtfs validate" "$TRANSIT gtfs validate $feed --format json --today $TODAY" \
        -n "gtfs-guru" "$PY -c 'import gtfs_guru,sys; gtfs_guru.validate(sys.argv[1], date=\"$day\")' $feed" \
        -n "unzip -p" "unzip -p $feed"
    ours=$(hf_median "$tmp/$name.json" "transit gtfs validate")
    guru=$(hf_median "$tmp/$name.json" "gtfs-guru")
    floor=$(hf_median "$tmp/$name.json" "unzip -p")
    vs_guru=$(ratio "$guru" "$ours"); vs_unzip=$(ratio "$ours" "$floor")
    echo "  medians (ms): ours $(python3 -c "print(round($ours*1000,1))"); gtfs-guru $(python3 -c "print(round($guru*1000,1))"); unzip -p $(python3 -c "print(round($floor*1000,1))")"
    verdict "$(le 5 "$vs_guru")" "gtfs-guru / ours = $vs_guru x (target >= 5)"
    verdict "$(le "$vs_unzip" 2)" "ours / unzip -p = $vs_unzip x (target <= 2)"
    echo "  rule families (one run, TRANSIT_TRACE=1):"
    TRANSIT_TRACE=1 "$TRANSIT" gtfs validate "$feed" --format json --today "$TODAY" 2>&1 >/dev/null | grep -E "trace: (rules|parse all|link|validate)" | sed 's/^/    /' || true
done
