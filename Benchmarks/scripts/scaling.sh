#!/usr/bin/env bash
# Linear time, bounded memory (issue 17): times the release `transit` on hostile inputs at 1x,
# 4x and 16x their size, with peak RSS from /usr/bin/time -v, and prints a Markdown table.
#
#   bash Benchmarks/scripts/scaling.sh            # builds the release binary first
#   TRANSIT=/path/to/transit bash Benchmarks/scripts/scaling.sh   # an existing binary
#   CASES="long-line zip-bomb" bash Benchmarks/scripts/scaling.sh
#
# Cases (inputs made by make-limit-inputs.py in $SCRATCH/limits, deleted afterwards):
#   long-line     stops.txt with one unquoted value of 4, 16, 64 MiB      (transit gtfs validate)
#   quoted-field  the same value quoted, with commas, "" and line breaks  (transit gtfs validate)
#   many-columns  stops.txt with 128 Ki, 512 Ki, 2 Mi columns and a row   (transit gtfs validate)
#   zip-bomb      a .zip whose stop_times.txt inflates 1000x to 64, 256, 1024 MiB (transit gtfs validate)
#   long-id       a CSV trip log whose first event_id is 4, 16, 64 MiB    (transit carbon credit)
# Linear means the 16x time stays near 16x the 1x time (the check allows 40x); memory should stay
# flat (the long trip-log id, the bomb) or grow with the data kept (a long value is kept whole).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TRANSIT=${TRANSIT_BIN:-${TRANSIT:-$REPO/.build/release/transit}}
if [ -z "${TRANSIT_BIN:-}" ] && [ "${SKIP_BUILD:-}" != 1 ]; then build_transit; fi
[ -x "$TRANSIT" ] || { echo "error: no transit binary at $TRANSIT" >&2; exit 2; }
work="$SCRATCH/limits"
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cases=${CASES:-long-line quoted-field many-columns zip-bomb long-id}

# run CASE SCALE: prints "seconds peak_kib exit_status" for one run.
run() {
    local name=$1 scale=$2 input out
    case $name in
        zip-bomb) input="$work/$name-$scale.zip" ;;
        long-id) input="$work/$name-$scale.csv" ;;
        *) input="$work/$name-$scale" ;;
    esac
    python3 "$HERE/make-limit-inputs.py" "$name" "$scale" "$input" 2>/dev/null
    local cmd
    if [ "$name" = long-id ]; then
        rm -f "$work/ledger.sqlite"*
        cmd=("$TRANSIT" carbon credit "$input" --ledger "$work/ledger.sqlite")
    else
        cmd=("$TRANSIT" gtfs validate "$input")
    fi
    set +e
    /usr/bin/time -v -o "$work/time.txt" "${cmd[@]}" > /dev/null 2> "$work/stderr.txt"
    local status=$?
    set -e
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    rm -rf "$input"
    echo "$wall $rss $status"
}

echo "| case | 1x s | 4x s | 16x s | 16x/1x time | 1x RSS MiB | 16x RSS MiB | exit |"
echo "|---|---|---|---|---|---|---|---|"
for c in $cases; do
    read -r t1 r1 s1 <<< "$(run "$c" 1)"
    read -r t4 r4 s4 <<< "$(run "$c" 4)"
    read -r t16 r16 s16 <<< "$(run "$c" 16)"
    echo "| $c | $t1 | $t4 | $t16 | $(ratio "$t16" "$(python3 -c "print(max($t1, 0.01))")") | $((r1 / 1024)) | $((r16 / 1024)) | $s1/$s4/$s16 |"
done
