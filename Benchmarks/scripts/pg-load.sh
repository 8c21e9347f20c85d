#!/usr/bin/env bash
# Load benchmark of `transit serve` on a PostgreSQL ledger, beside SQLite on the same legs,
# against the PostgreSQL ledger issue's targets:
#
#   1. ingest through one instance, batches of 5,000 legs      ≥ 20,000 legs/s
#   2. the same through two instances on one database          ≥ 1.5 × one instance
#   3. GET balance with 1 M entries in the ledger               p99 ≤ 5 ms
#   (and 1 and 3 on SQLite, for comparison)
#
#   bash Benchmarks/scripts/pg-load.sh                 # release build, 15 s per measure
#   SECONDS_PER_RUN=30 bash Benchmarks/scripts/pg-load.sh
#
# The database: $TRANSIT_TEST_POSTGRES_URL's server when set (a new database is created on
# it), else a throwaway cluster started with scripts/postgres and stopped afterwards. wrk
# (Debian), the instances and PostgreSQL all run on this machine's cores: on a 2-core machine
# the load generator, two instances and the server compete for them, which caps what a second
# instance can add. Loopback only; every run is bounded in time.
set -euo pipefail
source "$(dirname "$0")/common.sh"
need_tool wrk wrk
duration="${SECONDS_PER_RUN:-15}"
[ -x "$TRANSIT" ] || build_transit
work="$(mktemp -d)"
started_cluster=""
cleanup() {
    stop_serve
    if [ -n "$started_cluster" ]; then TRANSIT_PG_DIR="$work/pg" TRANSIT_PG_PORT=54339 bash "$REPO/scripts/postgres" stop; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${TRANSIT_TEST_POSTGRES_URL:-}" ]; then
    base="$TRANSIT_TEST_POSTGRES_URL"
else
    base="$(TRANSIT_PG_DIR="$work/pg" TRANSIT_PG_PORT=54339 bash "$REPO/scripts/postgres" start)"
    started_cluster=1
fi
database() { # database NAME: a new database on the server; prints its URL
    psql -XAtq "$base" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
    echo "${base%/*}/$1"
}

# serve LEDGER LOG: an instance with request logging off (--log-level notice, as serve-load.sh).
serve() { start_serve "$1" "$2" --ledger-pool-size 8 --log-level notice; }

# busy: the share of all cores' time not idle since the last call (from /proc/stat).
busy() {
    read -r _ user nice system idle iowait irq softirq steal _ < /proc/stat
    local total=$((user + nice + system + idle + iowait + irq + softirq + steal)) idle_now=$((idle + iowait))
    if [ -n "${last_total:-}" ]; then
        awk -v t=$((total - last_total)) -v i=$((idle_now - last_idle)) 'BEGIN {printf "%.0f", 100 * (t - i) / t}'
    fi
    last_total=$total
    last_idle=$idle_now
}

# ingest URL KEY BODIES CONNECTIONS: prints legs/s of wrk posting 5,000-leg bodies.
ingest() {
    local out
    out="$(BODIES="$3" THREADS=1 KEY="$2" BATCH=5000 wrk -t1 -c"$4" -d"${duration}s" --timeout 60s -s "$HERE/wrk/ingest.lua" "$1")"
    echo "$out" | grep -E "^ingest:" | sed 's/^/   /' >&2
    echo "$out" | awk '/Requests\/sec/ {printf "%.0f\n", $2 * 5000}'
}

key() { "$TRANSIT" carbon keys create --ledger "$1" --role "$2" ${3:+--source "$3"} 2>/dev/null; }

echo "== $(nproc) cores; PostgreSQL $(psql -XAtq "$base" -c 'SHOW server_version'); wrk, the instances and the server share them"
echo "== making the ingest bodies (5,000 legs each, event ids never repeated)"
for set in sqlite one; do python3 "$HERE/make-bodies.py" "$work/bodies-$set" "$((12 * duration))" 5000 "$set" & done
for set in a b; do python3 "$HERE/make-bodies.py" "$work/bodies-$set" "$((8 * duration))" 5000 "$set" & done
wait

echo "== 1. ingest through one instance, batches of 5,000 legs, 2 connections, ${duration} s"
sqlite_key="$(key "$work/ledger.sqlite" operator bench)"
serve "$work/ledger.sqlite" "$work/sqlite.log"
busy > /dev/null
sqlite_rate="$(ingest "$url" "$sqlite_key" "$work/bodies-sqlite" 2)"
echo "   cores busy: $(busy) %"
stop_serve
echo "   SQLite:     $sqlite_rate legs/s"
pg1="$(database transit_bench_one)"
one_key="$(key "$pg1" operator bench)"
serve "$pg1" "$work/one.log"
busy > /dev/null
one_rate="$(ingest "$url" "$one_key" "$work/bodies-one" 2)"
echo "   cores busy: $(busy) %"
stop_serve
echo "   PostgreSQL: $one_rate legs/s (target ≥ 20,000)"

echo "== 2. two instances on one database, 2 connections each, ${duration} s"
pg2="$(database transit_bench_two)"
op2="$(key "$pg2" operator bench)"
serve "$pg2" "$work/a.log"
a_url="$url"
serve "$pg2" "$work/b.log"
b_url="$url"
busy > /dev/null
ingest "$a_url" "$op2" "$work/bodies-a" 2 > "$work/rate-a" &
wa=$!
ingest "$b_url" "$op2" "$work/bodies-b" 2 > "$work/rate-b" &
wb=$!
wait "$wa" "$wb"
echo "   cores busy: $(busy) %"
stop_serve
two_rate=$(( $(cat "$work/rate-a") + $(cat "$work/rate-b") ))
echo "   PostgreSQL, two instances: $two_rate legs/s = $(awk -v a="$two_rate" -v b="$one_rate" 'BEGIN {printf "%.2f", a / b}') × one instance (target ≥ 1.5)"
check="$(psql -XAtq "$pg2" -c "SELECT count(*) = count(DISTINCT idem_key) FROM entries")"
echo "   every key once in the shared ledger: $check"

echo "== 3. GET balance with 1,000,000 entries, paced at 2,000 req/s, 32 connections, ${duration} s"
python3 "$HERE/make-legs.py" "$work/million.jsonl" 1000000 m
for backend in sqlite postgres; do
    if [ "$backend" = sqlite ]; then ledger="$work/million.sqlite"; else ledger="$(database transit_bench_million)"; fi
    start=$(date +%s.%N)
    "$TRANSIT" carbon credit "$work/million.jsonl" --ledger "$ledger" --batch-size 5000 --format json > "$work/million-$backend.json" 2> /dev/null
    end=$(date +%s.%N)
    python3 - "$work/million-$backend.json" "$start" "$end" "$backend" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
seconds = float(sys.argv[3]) - float(sys.argv[2])
print(f"   {sys.argv[4]}: filled with `transit carbon credit`: {d['accepted']:,} legs in {seconds:.1f} s = {d['accepted'] / seconds:,.0f} legs/s")
PY
    if [ "$backend" = postgres ]; then psql -XAtq "$ledger" -c "VACUUM ANALYZE entries"; fi
    auditor="$(key "$ledger" auditor)"
    serve "$ledger" "$work/balance-$backend.log"
    WRK_DIR="$HERE/wrk" KEY="$auditor" RATE=2000 THREADS=1 wrk -t1 -c32 -d"${duration}s" -s "$HERE/wrk/balance.lua" "$url" \
        | grep -E "balance:" | sed "s/^/   $backend /"
    curl -s "$url/metrics" | python3 "$HERE/balance-histogram.py" "      "
    stop_serve
done
