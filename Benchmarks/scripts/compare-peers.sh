#!/usr/bin/env bash
# Times our loader and validator against peer tools, whole process each:
#   1. `transit gtfs inspect FEED` against the Python GTFS readers (gtfs-kit, partridge,
#      gtfs-parquet, plus a csv-module floor) via shared/bench/peers/compare.sh;
#   2. `transit gtfs validate FEED --format json` against gtfs-guru's validate(FEED).
#
# usage: bash Benchmarks/scripts/compare-peers.sh [FEED.zip]
#   FEED.zip  default: vilnius-2016 from the shared folder
#   env TRANSIT_SHARED_DIR  the shared folder (default ../shared beside the checkout)
#       PEERS_VENV          the peers' virtualenv (default /tmp/transit-peers)
#       RUNS                hyperfine runs per command (default 5)
#
# Runs shared/bench/peers/setup.sh once when the venv lacks gtfs_kit, pip-installs gtfs-guru
# into the same venv when missing, and builds `transit` in release. Targets: inspect >= 6x
# faster than the fastest peer reader (the csv floor is not a reader: shown, not judged);
# validate >= 5x faster than gtfs-guru. `transit gtfs validate` exits 1 when the feed has
# errors, so that run ignores exit codes (-i). Exits 0 whatever the verdicts.
set -euo pipefail
source "$(dirname "$0")/common.sh"

FEED=$(readlink -f "${1:-$VILNIUS}")
require_feed "$FEED"
PEERS=$SHARED/bench/peers
V=${PEERS_VENV:-/tmp/transit-peers}
export PEERS_VENV=$V RUNS=${RUNS:-5}
need_tool hyperfine hyperfine
if ! "$V/bin/python3" -c 'import gtfs_kit' >/dev/null 2>&1; then
    echo "== setting up the peers ($PEERS/setup.sh)" >&2
    bash "$PEERS/setup.sh" >&2
fi
if ! "$V/bin/python3" -c 'import gtfs_guru' >/dev/null 2>&1; then
    echo "== pip install gtfs-guru into $V" >&2
    "$V/bin/pip" install -q gtfs-guru >&2
fi
build_transit

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "== 1. readers: transit gtfs inspect vs the Python peers on $(basename "$FEED") ($RUNS runs)"
(cd "$REPO" && HYPERFINE_ARGS="--export-json $tmp/read.json" \
    bash "$PEERS/compare.sh" "$FEED" '.build/release/transit gtfs inspect {}')

echo
echo "== 2. validators: transit gtfs validate --format json vs gtfs-guru ($RUNS runs)"
hyperfine -N -i --warmup 1 --runs "$RUNS" --output=null --export-json "$tmp/val.json" \
    -n "transit gtfs validate" "$TRANSIT gtfs validate $FEED --format json" \
    -n gtfs-guru "$V/bin/python3 -c 'import gtfs_guru,sys; gtfs_guru.validate(sys.argv[1])' $FEED"

ours=$(hf_median "$tmp/read.json" ours)
floor=$(hf_median "$tmp/read.json" python-csv-floor)
best_name=""; best=""
for peer in gtfs-parquet gtfs-kit partridge-typed; do
    t=$(hf_median "$tmp/read.json" "$peer")
    if [ -z "$best" ] || [ "$(le "$t" "$best")" = True ]; then best=$t; best_name=$peer; fi
done
read_ratio=$(ratio "$best" "$ours")
v_ours=$(hf_median "$tmp/val.json" "transit gtfs validate")
v_guru=$(hf_median "$tmp/val.json" gtfs-guru)
val_ratio=$(ratio "$v_guru" "$v_ours")
ms() { python3 -c "print(f'{$1*1000:.1f}')"; }

echo
echo "== summary: $(basename "$FEED")"
echo "  medians (ms): ours inspect $(ms "$ours"); python-csv-floor $(ms "$floor")"
for peer in gtfs-parquet gtfs-kit partridge-typed; do
    t=$(hf_median "$tmp/read.json" "$peer")
    echo "                $peer $(ms "$t") ($(ratio "$t" "$ours")x ours)"
done
echo "  medians (ms): ours validate $(ms "$v_ours"); gtfs-guru $(ms "$v_guru")"
verdict "$(le 6 "$read_ratio")" "read: fastest peer ($best_name) takes ${read_ratio}x our inspect (target >= 6x)"
verdict "$(le 5 "$val_ratio")" "validate: gtfs-guru takes ${val_ratio}x our validate (target >= 5x)"
exit 0
