#!/usr/bin/env bash
# Per-rider daily caps, credited exactly once under concurrent writers: three ways to enforce them
# on PostgreSQL (15), measured at the SQL level with pgbench. No Swift involved.
#
# usage: bash Benchmarks/scripts/pg-cap-strategies.sh [POSTGRES_URL]
#   POSTGRES_URL  a superuser URL of a throwaway cluster; default $TRANSIT_TEST_POSTGRES_URL.
#                 The script creates its own database (capbench_<pid>) beside the URL's one,
#                 never touches the URL's own database, and drops its database on exit.
#   env REPEATS     rounds of the whole matrix (default 3)
#       DURATION    seconds per pgbench run (default 20)
#       CLIENTS     pgbench client counts (default "1 4 16"); THREADS pgbench threads (default 2)
#       STRATEGIES  default "serializable advisory totals serial totals_modeonly"
#       RIDERS      distinct riders (default 2000), BATCH legs per transaction (default 50),
#       RESEND      share of legs that re-send an already credited key (default 0.05)
#       HISTORY_DAYS earlier days of history loaded before each run (default 10; see seed_history)
#       PGBENCH     the pgbench binary (default: the PG 15 one, else pgbench on PATH)
#       KEEP_TSV    if set, a path where the raw per-run results are copied
#
# WHAT IS MEASURED
#   The ledger is one table, `entries`, with a UNIQUE idempotency key. Crediting a leg (rider R,
#   day D, mode M, priced grams G, key K) inserts one entry with
#       grams = min(G, room),  room = max(0, min(5000 - day total of R/D over all modes,
#                                                3000 - day total of R/D for mode M))
#   and points = grams / 100. A re-sent key (already in the ledger) credits nothing. A transaction
#   credits a batch of BATCH legs for random riders (one day), so several legs of a batch can hit the
#   same rider-day and are capped in batch order. The "read totals, compute, insert" step is a
#   PL/pgSQL function that reads the batch's totals with one set-based query, loops the batch in
#   memory and inserts all entries with one `INSERT ... SELECT FROM unnest(...) ON CONFLICT (idem_key)
#   DO NOTHING` - the shape of a client that reads, computes and writes.
#
#   Strategies (one pgbench script each, transaction = one batch):
#     serializable     SERIALIZABLE isolation, no locks: read totals, compute, insert. Conflicts end
#                      in serialization failures (40001), which pgbench retries (--max-tries=100).
#     advisory         READ COMMITTED; pg_advisory_xact_lock on a 64-bit hash of each distinct
#                      rider-day of the batch, in sorted order (no deadlocks), then read/compute/insert.
#     totals           READ COMMITTED; counter rows rider_day_totals(rider, day, mode, grams): an
#                      all-mode row (mode '*') and one row per mode. Each leg's grant is applied with
#                      the upsert `INSERT ... ON CONFLICT ... DO UPDATE SET grams = grams + x
#                      WHERE grams + x <= cap` (first on the '*' row, then on the mode row), with a
#                      locked fallback for the partial grant; then one set-based entry insert.
#     serial           baseline: one global pg_advisory_xact_lock(1) per transaction, then
#                      read/compute/insert (everything serialized).
#     totals_modeonly  DELIBERATELY UNSAFE variant of `totals` without the '*' row: the day cap is
#                      computed from an unlocked read of the other modes' rows. Included to show the
#                      limit of per-mode counter rows: its correctness check is expected to FAIL
#                      (rider-days above 5000) once several clients run.
#
#   All the per-leg work runs inside PostgreSQL (PL/pgSQL): no client round trips are measured. A
#   client issuing the totals upserts itself would pay 2-4 round trips per leg; the others ~3 per
#   batch. The run takes about REPEATS x |CLIENTS| x |STRATEGIES| x (DURATION + 2 s) (~17 min).
#
# HOW TO READ THE OUTPUT
#   Progress goes to stderr, the markdown tables to stdout.
#   Table 1 has every run: tps (committed batches per second), legs/s (= tps x BATCH), mean latency
#   per batch, the number of retries pgbench made (serialization failures / deadlocks) and of
#   transactions that failed even after 100 tries, the load average before/after the run, and the
#   correctness check run right after it:
#     day>cap   rider-days whose entries sum above 5000       (must be 0)
#     mode>cap  (rider, day, mode) summing above 3000         (must be 0)
#     dupkeys   idem_keys present twice                       (must be 0; the UNIQUE index ensures it)
#     badrows   rows with grams < 0 or points <> grams/100    (must be 0)
#     zero!cap  entries credited 0 grams although, at the end, neither their rider-day (5000) nor
#               their mode (3000) is at its cap: a 0 grant is only right when a cap was reached
#               and totals never go down, so a non-zero count means under-crediting (must be 0)
#     totals!=  (totals strategies) per-mode counter rows that disagree with the entries, and
#     star!=    (totals) '*' rows that disagree with the rider-day sums       (must be 0)
#     entries/legs  day-1 rows written / legs sent; about 1 - RESEND, the rest are re-sent keys.
#   The checks cover the whole ledger, the (capped) history included.
#   Table 2 gives the medians over the repeats per strategy and client count.
#   The machine may be shared (e.g. a build running): compare the load columns before trusting a
#   difference, and prefer the medians.
set -euo pipefail

URL=${1:-${TRANSIT_TEST_POSTGRES_URL:-}}
[ -n "$URL" ] || { echo "usage: $0 POSTGRES_URL (or set TRANSIT_TEST_POSTGRES_URL)" >&2; exit 2; }
REPEATS=${REPEATS:-3}
DURATION=${DURATION:-20}
CLIENTS=${CLIENTS:-"1 4 16"}
THREADS=${THREADS:-2}
STRATEGIES=${STRATEGIES:-"serializable advisory totals serial totals_modeonly"}
RIDERS=${RIDERS:-2000}
BATCH=${BATCH:-50}
RESEND=${RESEND:-0.05}
HISTORY_DAYS=${HISTORY_DAYS:-10}
if [ -z "${PGBENCH:-}" ]; then
    if [ -x /usr/lib/postgresql/15/bin/pgbench ]; then PGBENCH=/usr/lib/postgresql/15/bin/pgbench
    else PGBENCH=$(command -v pgbench); fi
fi
command -v psql >/dev/null || { echo "error: psql is needed" >&2; exit 2; }

# Our own database, on the same server: same URL with another path (the query string is kept).
DB=capbench_$$
DBURL=$(printf '%s' "$URL" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$DB#")
tmp=$(mktemp -d)
cleanup() {
    psql "$URL" -qAtX -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT
psql "$URL" -qAtX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null
sql() { psql "$DBURL" -qAtX -v ON_ERROR_STOP=1 "$@"; }

# ---------------------------------------------------------------------------------------------
# Schema and functions. Caps are literals: 5000 g per rider-day, 3000 g per rider-day-mode.
cat >"$tmp/schema.sql" <<'SQL'
CREATE TABLE entries (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    idem_key text NOT NULL UNIQUE,
    rider text NOT NULL,
    mode text,
    day integer,
    grams bigint NOT NULL,
    points bigint NOT NULL);
CREATE INDEX entries_by_rider_day ON entries (rider, day);

-- Counter rows of the `totals` strategies: mode '*' holds the all-mode total of the rider-day.
CREATE TABLE rider_day_totals (
    rider text, day int, mode text, grams bigint,
    PRIMARY KEY (rider, day, mode));

-- History: DAYS earlier days (day <= 0) for every rider, one 1000 g entry per mode, and the
-- matching counter rows. Each run starts from this, then credits day 1. Why: with an empty,
-- analyzed table the planner picks sequential scans, PL/pgSQL keeps those cached plans while the
-- table grows during the run, and the benchmark then measures seq scans; a ledger with history
-- gets the index plans a real one would.
CREATE FUNCTION seed_history(riders int, days int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO entries (kind, idem_key, rider, mode, day, grams, points)
    SELECT 'credit', format('h%s:%s:%s', r, dd, mo), 'r' || lpad(r::text, 5, '0'), mo, dd, 1000, 10
    FROM generate_series(0, riders - 1) AS r, generate_series(1 - days, 0) AS dd,
         unnest(ARRAY['bus', 'metro', 'bike']) AS mo;
    INSERT INTO rider_day_totals (rider, day, mode, grams)
    SELECT rider, day, mode, sum(grams) FROM entries GROUP BY rider, day, mode
    UNION ALL
    SELECT rider, day, '*', sum(grams) FROM entries GROUP BY rider, day;
$$;

-- One random batch, as arrays (one element per leg). `prev` is the previous batch's keys of the
-- same pgbench client (already committed): a share `resend` of the legs re-sends one of them.
-- A re-sent leg gets fresh random rider/mode/grams; only its key matters, and it must credit 0.
-- Fresh keys: 'k' + 19 hex digits of a random UUID (about 76 random bits, 20 characters).
CREATE FUNCTION make_batch(prev text[], n int, riders int, resend float8)
RETURNS TABLE (r text[], d int[], m text[], g bigint[], k text[])
LANGUAGE sql VOLATILE AS $$
    SELECT array_agg(rider ORDER BY i), array_agg(day ORDER BY i), array_agg(mode ORDER BY i),
           array_agg(grams ORDER BY i), array_agg(key ORDER BY i)
    FROM (SELECT i,
                 'r' || lpad(floor(random() * riders)::int::text, 5, '0') AS rider,
                 1 AS day,
                 (ARRAY['bus', 'metro', 'bike'])[1 + floor(random() * 3)::int] AS mode,
                 (100 + floor(random() * 1401))::bigint AS grams,
                 CASE WHEN cardinality(prev) > 0 AND random() < resend
                      THEN prev[1 + floor(random() * cardinality(prev))::int]
                      ELSE 'k' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 19) END AS key
          FROM generate_series(1, n) AS i) AS legs
$$;

-- Read totals, compute in memory, insert: shared by serializable, advisory and serial.
-- It is only correct when something keeps other writers of the same rider-days out between the
-- reads and the insert: SSI (serializable) or locks taken before it is called (advisory, serial).
-- Returns the number of entries written.
CREATE FUNCTION credit_batch_rci(r text[], d int[], m text[], g bigint[], k text[])
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n int := cardinality(k);
    seen jsonb;      -- keys already credited (ledger, or earlier in this batch): credit nothing
    day_tot jsonb;   -- 'rider:day' -> grams so far
    mode_tot jsonb;  -- 'rider:day:mode' -> grams so far
    grant_g bigint[] := array_fill(NULL::bigint, ARRAY[n]);   -- NULL = leg skipped (re-send)
    dk text; mk text; dt bigint; mt bigint; x bigint;
    want int := 0; wrote int;
BEGIN
    SELECT coalesce(jsonb_object_agg(idem_key, true), '{}') INTO seen
    FROM entries WHERE idem_key = ANY (k);

    -- One read of all the batch's rider-days (index entries_by_rider_day), per mode.
    WITH t AS (SELECT rider, day, mode, sum(grams) AS s
               FROM entries
               WHERE rider = ANY (r) AND day = ANY (d)
               GROUP BY rider, day, mode)
    SELECT (SELECT coalesce(jsonb_object_agg(rider || ':' || day || ':' || mode, s), '{}') FROM t),
           (SELECT coalesce(jsonb_object_agg(rider || ':' || day, s), '{}')
            FROM (SELECT rider, day, sum(s) AS s FROM t GROUP BY rider, day) AS per_day)
    INTO mode_tot, day_tot;

    -- Cap in batch order.
    FOR i IN 1 .. n LOOP
        CONTINUE WHEN seen ? k[i];
        seen := seen || jsonb_build_object(k[i], true);
        dk := r[i] || ':' || d[i];
        mk := dk || ':' || m[i];
        dt := coalesce((day_tot ->> dk)::bigint, 0);
        mt := coalesce((mode_tot ->> mk)::bigint, 0);
        x := greatest(0, least(g[i], 5000 - dt, 3000 - mt));
        day_tot := day_tot || jsonb_build_object(dk, dt + x);
        mode_tot := mode_tot || jsonb_build_object(mk, mt + x);
        grant_g[i] := x;
        want := want + 1;
    END LOOP;

    INSERT INTO entries (kind, idem_key, rider, mode, day, grams, points)
    SELECT 'credit', kk, rr, mm, dd, gg, gg / 100
    FROM unnest(k, r, d, m, grant_g) AS u(kk, rr, dd, mm, gg)
    WHERE gg IS NOT NULL
    ON CONFLICT (idem_key) DO NOTHING;
    GET DIAGNOSTICS wrote = ROW_COUNT;
    -- A key inserted meanwhile by another transaction (the same leg re-sent concurrently) would
    -- leave our in-memory totals wrong: have the client retry, it will then see the key.
    IF wrote <> want THEN
        RAISE EXCEPTION 'a key of the batch was credited concurrently; retry'
            USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN wrote;
END $$;

CREATE FUNCTION credit_serializable(r text[], d int[], m text[], g bigint[], k text[])
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'serializable' THEN
        RAISE EXCEPTION 'credit_serializable needs a SERIALIZABLE transaction';
    END IF;
    RETURN credit_batch_rci(r, d, m, g, k);
END $$;

CREATE FUNCTION credit_advisory(r text[], d int[], m text[], g bigint[], k text[])
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- One transaction-scoped lock per distinct rider-day, taken in a fixed (sorted) order so that
    -- two batches never wait on each other in a cycle. A hash collision only over-serializes.
    PERFORM pg_advisory_xact_lock(h)
    FROM (SELECT DISTINCT hashtextextended(rr || ':' || dd, 0) AS h
          FROM unnest(r, d) AS u(rr, dd) ORDER BY 1) AS locks;
    -- READ COMMITTED: the reads below take a new snapshot, after the locks are held.
    RETURN credit_batch_rci(r, d, m, g, k);
END $$;

CREATE FUNCTION credit_serial(r text[], d int[], m text[], g bigint[], k text[])
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1);
    RETURN credit_batch_rci(r, d, m, g, k);
END $$;

-- add_capped(rider, day, mode, x, cap): adds up to x grams to a counter row without passing cap
-- and returns what it added. Fast path: the upsert with `WHERE grams + x <= cap` (all or
-- nothing). When that WHERE is false, ON CONFLICT DO UPDATE has still locked the row, so a new
-- READ COMMITTED statement reads its latest value and the remainder (cap - grams) is added.
-- (x is first clipped to cap, so that a fresh row never starts above it.)
CREATE FUNCTION add_capped(p_rider text, p_day int, p_mode text, x bigint, cap bigint)
RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE cur bigint; part bigint;
BEGIN
    x := least(x, cap);
    IF x <= 0 THEN RETURN 0; END IF;
    INSERT INTO rider_day_totals AS t (rider, day, mode, grams)
    VALUES (p_rider, p_day, p_mode, x)
    ON CONFLICT (rider, day, mode) DO UPDATE SET grams = t.grams + excluded.grams
        WHERE t.grams + excluded.grams <= cap;
    IF FOUND THEN RETURN x; END IF;
    SELECT grams INTO cur FROM rider_day_totals
    WHERE rider = p_rider AND day = p_day AND mode = p_mode;
    part := greatest(0, cap - cur);
    IF part > 0 THEN
        UPDATE rider_day_totals SET grams = grams + part
        WHERE rider = p_rider AND day = p_day AND mode = p_mode;
    END IF;
    RETURN part;
END $$;

-- totals: per leg, in (rider, day, batch order) order:
--   1. day grant  gd = add_capped(R, D, '*', G, 5000)   -- locks the rider-day's '*' row
--   2. mode grant gm = add_capped(R, D, M, gd, 3000)     -- only while holding the '*' row lock
--   3. if gm < gd, give the difference back to the '*' row (we hold its lock)
-- The '*' row lock serializes a rider-day's writers, so both caps hold; taking '*' before any
-- mode row, and rider-days in sorted order, rules out deadlocks. Then one set-based entry insert.
CREATE FUNCTION credit_totals(r text[], d int[], m text[], g bigint[], k text[])
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n int := cardinality(k);
    seen jsonb;
    grant_g bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    gd bigint; gm bigint; i int; want int := 0; wrote int;
BEGIN
    SELECT coalesce(jsonb_object_agg(idem_key, true), '{}') INTO seen
    FROM entries WHERE idem_key = ANY (k);
    FOR i IN SELECT o FROM unnest(r, d) WITH ORDINALITY AS u(rr, dd, o) ORDER BY rr, dd, o LOOP
        CONTINUE WHEN seen ? k[i];
        seen := seen || jsonb_build_object(k[i], true);
        want := want + 1;
        gd := add_capped(r[i], d[i], '*', g[i], 5000);
        gm := 0;
        IF gd > 0 THEN
            gm := add_capped(r[i], d[i], m[i], gd, 3000);
            IF gm < gd THEN
                UPDATE rider_day_totals SET grams = grams - (gd - gm)
                WHERE rider = r[i] AND day = d[i] AND mode = '*';
            END IF;
        END IF;
        grant_g[i] := gm;
    END LOOP;
    INSERT INTO entries (kind, idem_key, rider, mode, day, grams, points)
    SELECT 'credit', kk, rr, mm, dd, gg, gg / 100
    FROM unnest(k, r, d, m, grant_g) AS u(kk, rr, dd, mm, gg)
    WHERE gg IS NOT NULL
    ON CONFLICT (idem_key) DO NOTHING;
    GET DIAGNOSTICS wrote = ROW_COUNT;
    IF wrote <> want THEN   -- concurrent re-send: the counters were raised for nothing; retry
        RAISE EXCEPTION 'a key of the batch was credited concurrently; retry'
            USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN wrote;
END $$;

-- totals_modeonly (UNSAFE, for comparison): only per-mode rows. The leg is added to its mode row
-- with the same upsert, capped at min(3000, 5000 - other modes' grams): the mode row's lock makes
-- the mode cap exact, but "other modes' grams" comes from a plain (unlocked, statement-snapshot)
-- SELECT, so two batches crediting different modes of one rider-day can together pass 5000.
CREATE FUNCTION credit_totals_modeonly(r text[], d int[], m text[], g bigint[], k text[])
RETURNS int LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    n int := cardinality(k);
    seen jsonb;
    grant_g bigint[] := array_fill(NULL::bigint, ARRAY[n]);
    other bigint; x bigint; i int; want int := 0; wrote int;
BEGIN
    SELECT coalesce(jsonb_object_agg(idem_key, true), '{}') INTO seen
    FROM entries WHERE idem_key = ANY (k);
    FOR i IN SELECT o FROM unnest(r, d) WITH ORDINALITY AS u(rr, dd, o) ORDER BY rr, dd, o LOOP
        CONTINUE WHEN seen ? k[i];
        seen := seen || jsonb_build_object(k[i], true);
        want := want + 1;
        SELECT coalesce(sum(grams), 0) INTO other FROM rider_day_totals
        WHERE rider = r[i] AND day = d[i] AND mode <> m[i];
        x := add_capped(r[i], d[i], m[i], g[i], least(3000, 5000 - other));
        grant_g[i] := x;
    END LOOP;
    INSERT INTO entries (kind, idem_key, rider, mode, day, grams, points)
    SELECT 'credit', kk, rr, mm, dd, gg, gg / 100
    FROM unnest(k, r, d, m, grant_g) AS u(kk, rr, dd, mm, gg)
    WHERE gg IS NOT NULL
    ON CONFLICT (idem_key) DO NOTHING;
    GET DIAGNOSTICS wrote = ROW_COUNT;
    IF wrote <> want THEN
        RAISE EXCEPTION 'a key of the batch was credited concurrently; retry'
            USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN wrote;
END $$;
SQL

# Correctness check, run after every run (over the whole ledger, history included). One line:
# day>cap mode>cap dupkeys badrows zero!cap mode-rows-mismatch star-rows-mismatch day-1-entries.
# The mismatches compare the counter rows with the entries (per mode; '*' with the rider-day sum);
# they only mean something for the totals strategies (totals_modeonly keeps no day-1 '*' rows).
cat >"$tmp/verify.sql" <<'SQL'
WITH per_day AS (SELECT rider, day, sum(grams) AS s FROM entries GROUP BY rider, day),
     per_mode AS (SELECT rider, day, mode, sum(grams) AS s FROM entries GROUP BY rider, day, mode),
     expect AS (SELECT rider, day, mode, s FROM per_mode
                UNION ALL SELECT rider, day, '*', s FROM per_day)
SELECT concat_ws(' ',
    (SELECT count(*) FROM per_day WHERE s > 5000),
    (SELECT count(*) FROM per_mode WHERE s > 3000),
    (SELECT count(*) FROM (SELECT 1 FROM entries GROUP BY idem_key HAVING count(*) > 1) AS dup),
    (SELECT count(*) FROM entries WHERE grams < 0 OR points <> grams / 100),
    (SELECT count(*) FROM entries e
       JOIN per_day pd USING (rider, day)
       JOIN per_mode pm USING (rider, day, mode)
     WHERE e.grams = 0 AND pd.s < 5000 AND pm.s < 3000),
    (SELECT count(*) FILTER (WHERE mode <> '*') || ' ' || count(*) FILTER (WHERE mode = '*')
     FROM expect FULL JOIN rider_day_totals t USING (rider, day, mode)
     WHERE coalesce(expect.s, 0) <> coalesce(t.grams, 0)),
    (SELECT count(*) FROM entries WHERE day = 1));
SQL

# One pgbench script per strategy. A transaction = one batch. The SELECT returns the batch's keys
# (\gset stores them in :cand); only once COMMIT has succeeded are they copied to :prev, the keys
# the next transaction of the same client re-sends. (A serialization failure often comes at
# COMMIT, after \gset: copying at once would re-send keys of a batch that was rolled back.)
# -M extended makes :prev and :cand bound parameters.
for s in $STRATEGIES; do
    case $s in
        serializable) begin="BEGIN ISOLATION LEVEL SERIALIZABLE;" ;;
        advisory|totals|serial|totals_modeonly) begin="BEGIN ISOLATION LEVEL READ COMMITTED;" ;;
        *) echo "error: unknown strategy $s" >&2; exit 2 ;;
    esac
    cat >"$tmp/$s.pgbench" <<EOF
$begin
SELECT credit_$s(b.r, b.d, b.m, b.g, b.k) AS credited, b.k::text AS cand FROM make_batch(:prev::text[], $BATCH, $RIDERS, $RESEND) AS b \gset
COMMIT;
SELECT :cand::text AS prev \gset
EOF
done

sql -f "$tmp/schema.sql" >/dev/null

load1() { cut -d' ' -f1 /proc/loadavg; }
raw=$tmp/runs.tsv
printf 'round\tstrategy\tclients\ttps\tlat_ms\ttx\tretries\tretried_tx\tfailed\tload_before\tload_after\tverify\n' >"$raw"

echo "== $(date -u +%FT%TZ) database $DB; $(nproc) cores; $($PGBENCH --version)" >&2
echo "== $REPEATS round(s) x clients {$CLIENTS} x {$STRATEGIES}, ${DURATION}s each, $THREADS threads" >&2
for round in $(seq 1 "$REPEATS"); do
    for c in $CLIENTS; do
        for s in $STRATEGIES; do
            # A fresh ledger each run: emptied, refilled with the history, analyzed.
            sql -c "TRUNCATE entries, rider_day_totals RESTART IDENTITY" \
                -c "SELECT seed_history($RIDERS, $HISTORY_DAYS)" -c "ANALYZE entries, rider_day_totals" >/dev/null
            sql -c "CHECKPOINT" >/dev/null
            lb=$(load1)
            "$PGBENCH" -n -M extended -c "$c" -j "$THREADS" -T "$DURATION" --max-tries=100 \
                -D 'prev={}' -f "$tmp/$s.pgbench" "$DBURL" >"$tmp/out.txt" 2>"$tmp/err.txt" || {
                echo "error: pgbench failed for $s c=$c:" >&2; cat "$tmp/err.txt" "$tmp/out.txt" >&2; exit 1; }
            la=$(load1)
            v=$(sql -f "$tmp/verify.sql")
            o=$tmp/out.txt
            tps=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$o")
            lat=$(sed -nE 's/^latency average = ([0-9.]+) ms.*/\1/p' "$o")
            tx=$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' "$o")
            fails=$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' "$o")
            retried=$(sed -nE 's/^number of transactions retried: ([0-9]+).*/\1/p' "$o")
            retries=$(sed -nE 's/^total number of retries: ([0-9]+).*/\1/p' "$o")
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$s" "$c" "$tps" "$lat" \
                "$tx" "${retries:-0}" "${retried:-0}" "${fails:-0}" "$lb" "$la" "$v" >>"$raw"
            echo "   round $round  c=$c  $s: tps $tps, ${lat} ms, retries ${retries:-0}, failed ${fails:-0}, load $lb->$la, check [$v]" >&2
        done
    done
done
[ -z "${KEEP_TSV:-}" ] || cp "$raw" "$KEEP_TSV"

# Why serializable retries so much: the predicate (SIRead) locks one batch holds. With the default
# max_pred_locks_per_relation (-2: max_pred_locks_per_transaction / 2 = 32), reading ~50 rider-days
# promotes them to whole-relation locks, so any two concurrent batches conflict.
siread=$(sql <<'SQL'
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT count(*) FROM (SELECT credit_serializable(b.r, b.d, b.m, b.g, b.k)
                      FROM make_batch('{}', 50, 2000, 0.05) AS b) AS one_batch \g /dev/null
SELECT string_agg(format('%s %s: %s', l.locktype, coalesce(c.relname, '?'), l.n), '; ' ORDER BY c.relname, l.locktype)
FROM (SELECT locktype, relation, count(*) AS n FROM pg_locks
      WHERE mode = 'SIReadLock' AND pid = pg_backend_pid() GROUP BY 1, 2) AS l
LEFT JOIN pg_class AS c ON c.oid = l.relation;
ROLLBACK;
SQL
)

# Markdown: every run, then medians.
python3 - "$raw" "$BATCH" "$STRATEGIES" "$CLIENTS" <<'PY'
import csv, statistics, sys
path, batch = sys.argv[1], int(sys.argv[2])
order, clients = sys.argv[3].split(), [int(c) for c in sys.argv[4].split()]
rows = list(csv.DictReader(open(path), delimiter='\t'))
names = ['day>cap', 'mode>cap', 'dupkeys', 'badrows', 'zero!cap', 'totals!=', 'star!=']

def check(r):
    v = [int(x) for x in r['verify'].split()]
    counts = dict(zip(names, v[:7]))
    if r['strategy'] != 'totals':
        counts.pop('star!=')          # only `totals` keeps '*' rows for day 1
    if r['strategy'] not in ('totals', 'totals_modeonly'):
        counts.pop('totals!=')        # the others do not use the counter rows at all
    bad = {k: n for k, n in counts.items() if n}
    return ('PASS' if not bad else 'FAIL ' + ', '.join(f'{k} {n}' for k, n in bad.items())), v[7]

print('### Every run\n')
print('| round | strategy | clients | tps | legs/s | latency ms | retries (retried tx) | failed tx '
      '| entries/legs | load 1m before→after | check |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
for r in rows:
    verdict, entries = check(r)
    legs = int(r['tx']) * batch
    print(f"| {r['round']} | {r['strategy']} | {r['clients']} | {float(r['tps']):.1f} "
          f"| {float(r['tps']) * batch:.0f} | {float(r['lat_ms']):.1f} | {r['retries']} ({r['retried_tx']}) "
          f"| {r['failed']} | {entries}/{legs} ({entries / max(legs, 1):.1%}) "
          f"| {r['load_before']}→{r['load_after']} | {verdict} |")

print('\n### Medians over the rounds\n')
print('| strategy | clients | median tps | median legs/s | median latency ms | retries per round '
      '(median) | failed tx (all rounds) | checks passed |')
print('|---|---|---|---|---|---|---|---|')
for c in clients:
    for s in order:
        rs = [r for r in rows if r['strategy'] == s and int(r['clients']) == c]
        if not rs:
            continue
        tps = statistics.median(float(r['tps']) for r in rs)
        lat = statistics.median(float(r['lat_ms']) for r in rs)
        ret = statistics.median(int(r['retries']) for r in rs)
        fail = sum(int(r['failed']) for r in rs)
        ok = sum(check(r)[0] == 'PASS' for r in rs)
        print(f"| {s} | {c} | {tps:.1f} | {tps * batch:.0f} | {lat:.1f} | {ret:g} | {fail} | {ok}/{len(rs)} |")
PY
echo
echo "SIRead locks held by one serializable batch on the last run's ledger ($(sql -c 'SELECT count(*) FROM entries') entries): ${siread:-none}"
echo "(settings: max_pred_locks_per_transaction=$(sql -c 'SHOW max_pred_locks_per_transaction'), max_pred_locks_per_relation=$(sql -c 'SHOW max_pred_locks_per_relation'))"
