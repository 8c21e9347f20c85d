# Shared by the compare-*.sh scripts (sourced, not run). Not a benchmark by itself.
#
# Sets: HERE (this folder), BENCH (the Benchmarks package), REPO (the repository root),
#       SHARED (TRANSIT_SHARED_DIR, else ../shared beside the checkout), VILNIUS (its vilnius zip),
#       SCRATCH (TRANSIT_BENCH_TMP, else $TMPDIR/transit-benchmarks: generated feeds, reused),
#       TRANSIT (the release `transit` binary, after build_transit).
# Functions: need_tool CMD DEBIAN_PACKAGE, build_transit, start_serve / stop_serve (the load scripts), scaled_feed FACTOR (prints its path),
#       hf_median JSON NAME (seconds), ratio A B (A / B, 2 decimals), verdict OK TEXT.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH=$(cd "$HERE/.." && pwd)
REPO=$(cd "$BENCH/.." && pwd)
SHARED=${TRANSIT_SHARED_DIR:-$REPO/../shared}
VILNIUS=$SHARED/gtfs-feeds/vilnius-2016/vilnius-2016.zip
SCRATCH=${TRANSIT_BENCH_TMP:-${TMPDIR:-/tmp}/transit-benchmarks}
TRANSIT=$REPO/.build/release/transit

# need_tool CMD PACKAGE: installs the Debian package when CMD is missing.
need_tool() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "== installing $2 (for $1)" >&2
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
}

# build_transit: `swift build -c release` in the repository root (the binary is $TRANSIT).
build_transit() {
    echo "== swift build -c release (in $REPO)" >&2
    (cd "$REPO" && swift build -c release >&2)
    [ -x "$TRANSIT" ] || { echo "error: $TRANSIT was not built" >&2; return 1; }
}

# scaled_feed FACTOR: makes (once) and prints the path of vilnius-2016 scaled FACTOR times.
scaled_feed() {
    local out="$SCRATCH/vilnius-2016-x$1.zip"
    mkdir -p "$SCRATCH"
    if [ ! -s "$out" ] || [ "$VILNIUS" -nt "$out" ] || [ "$HERE/make-scaled-feed.py" -nt "$out" ]; then
        echo "== making $out" >&2
        python3 "$HERE/make-scaled-feed.py" "$VILNIUS" "$1" "$out" >&2
    fi
    echo "$out"
}

# hf_median JSON NAME: the median time in seconds of the command named NAME in hyperfine's JSON.
hf_median() {
    python3 -c 'import json,sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(r[sys.argv[2]]["median"])' "$1" "$2"
}

# ratio A B: A / B with two decimals.
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$1" "$2"; }

# verdict OK TEXT: prints "PASS TEXT" when OK is true (1 or True), else "FAIL TEXT".
verdict() { case "$1" in 1|True|true) echo "PASS  $2" ;; *) echo "FAIL  $2" ;; esac; }

# le A B: prints True when A <= B, else False.
le() { python3 -c 'import sys; print(float(sys.argv[1]) <= float(sys.argv[2]))' "$1" "$2"; }

require_feed() {
    [ -f "$1" ] || { echo "error: feed $1 not found (set TRANSIT_SHARED_DIR to the shared folder)" >&2; exit 2; }
}

# start_serve LEDGER LOG [ARGS…]: starts `transit serve` on LEDGER on a free loopback port,
# without rate limit, with ARGS, logging to LOG; waits until it answers; sets url to its address
# and adds its pid to servers (stop_serve stops them all).
servers=()
start_serve() {
    local ledger="$1" log="$2" port
    shift 2
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "$TRANSIT" serve --ledger "$ledger" --port "$port" --rate-limit 0 "$@" > /dev/null 2> "$log" &
    servers+=($!)
    url="http://127.0.0.1:$port"
    for _ in $(seq 1 200); do
        curl -sf "$url/healthz" > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "error: transit serve did not start:" >&2
    cat "$log" >&2
    return 1
}

# stop_serve: SIGTERM to every instance start_serve started, and waits for them.
stop_serve() {
    for pid in "${servers[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    servers=()
}
