#!/usr/bin/env bash
# `transit ridership infer` on 10 million taps over a real shared feed (santa-monica-bbb-2020,
# Tuesday 2020-02-18), against loading the same taps with pandas `read_csv` for context.
#
#   bash Benchmarks/scripts/compare-taps.sh            # 10M taps, 3 runs each
#   TAPS=1000000 RUNS=1 bash Benchmarks/scripts/compare-taps.sh
#
# 1. Generates the taps once with `transit ridership generate-taps` (chained riders' days, half
#    the taps without trip_id) into $SCRATCH.
# 2. Times `transit ridership infer` (whole job: read, match, chain, expand, write rider_trip.txt
#    and board_alight.txt) and pandas `read_csv` (reading only) with hyperfine; target: infer
#    <= 30 s at 10M taps.
# 3. Peak memory (RSS) of infer at 1/4, 1/2 and all of the taps, and at all the taps with the
#    same taps regrouped into 2, 4 and 8 taps per card-day: the memory should be flat in the
#    taps per card-day (it depends on the taps and the distinct cards, not on the days' length).
# pandas is installed from PyPI into $SCRATCH/pandas-venv when missing.
set -euo pipefail
. "$(dirname "$0")/common.sh"

TAPS=${TAPS:-10000000}
RUNS=${RUNS:-3}
FEED=$SHARED/gtfs-feeds/santa-monica-bbb-2020/santa-monica-bbb-2020.zip
DATE=20200218
[ -f "$FEED" ] || { echo "error: $FEED not found: set TRANSIT_SHARED_DIR" >&2; exit 2; }
need_tool hyperfine hyperfine
need_tool /usr/bin/time time
build_transit
mkdir -p "$SCRATCH"

VENV=$SCRATCH/pandas-venv
if ! "$VENV/bin/python" -c "import pandas" >/dev/null 2>&1; then
    echo "== installing pandas into $VENV" >&2
    python3 -m venv "$VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check pandas >&2
fi

# Riders make about 2.1 taps a day on this feed; generate, then keep the first $TAPS taps.
taps=$SCRATCH/taps-$TAPS.csv
if [ ! -s "$taps" ] || [ "$TRANSIT" -nt "$taps" ]; then
    echo "== generating $TAPS taps over $(basename "$FEED") on $DATE" >&2
    riders=$(( TAPS * 11 / 20 + 1000 ))
    "$TRANSIT" ridership generate-taps "$FEED" --date $DATE --riders $riders --behaviour destination --out "$taps.all" >&2
    head -n $(( TAPS + 1 )) "$taps.all" > "$taps"
    rm -f "$taps.all"
fi
lines=$(( $(wc -l < "$taps") - 1 ))
echo "taps: $lines in $taps ($(( $(stat -c %s "$taps") / 1000000 )) MB)"

out=$SCRATCH/taps-out
mkdir -p "$out"
json=$SCRATCH/taps-hyperfine.json
hyperfine --runs "$RUNS" --export-json "$json" \
    -n infer "$TRANSIT ridership infer $taps --feed $FEED --date $DATE --out $out --format json" \
    -n pandas "$VENV/bin/python -c \"import pandas as pd; pd.read_csv('$taps', dtype=str)\"" >&2
infer=$(hf_median "$json" infer)
pandas=$(hf_median "$json" pandas)
echo "median infer: ${infer} s   pandas read_csv: ${pandas} s   infer / read_csv: $(ratio "$infer" "$pandas")"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("matched", s["matched_total"], "alightings", s["alightings_total"], "transfers", s["transfers"])' "$out/summary.json"

rss() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS by taps:"
for part in 4 2 1; do
    n=$(( lines / part ))
    head -n $(( n + 1 )) "$taps" > "$SCRATCH/taps-part.csv"
    kb=$(rss "$TRANSIT" ridership infer "$SCRATCH/taps-part.csv" --feed "$FEED" --date $DATE --out "$out")
    echo "  $n taps: $(( kb / 1024 )) MB"
done
echo "peak RSS by taps per card-day (the same $lines taps, cards regrouped):"
for k in 2 4 8; do
    awk -F, -v OFS=, -v k=$k 'NR == 1 { print; next } { $2 = "K" int((NR - 2) / k); print }' "$taps" > "$SCRATCH/taps-k.csv"
    kb=$(rss "$TRANSIT" ridership infer "$SCRATCH/taps-k.csv" --feed "$FEED" --date $DATE --out "$out")
    echo "  $k per card-day: $(( kb / 1024 )) MB"
done
rm -f "$SCRATCH/taps-part.csv" "$SCRATCH/taps-k.csv"
verdict "$(le "$infer" 30)" "10M-tap target: infer median $infer s <= 30 s (at $lines taps)"
