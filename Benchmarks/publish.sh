#!/usr/bin/env bash
# Publish throughput against psql's \copy, in one run on one machine.
#
#   Benchmarks/publish.sh [EVENTS]     default 200000 hotline work orders (1000000 for the issue's target)
#
# Generates EVENTS hotline records (`onegrid sample`), imports them into a fresh warehouse,
# starts a throwaway PostgreSQL (scripts/test-postgres.sh), then measures:
#   1. `onegrid publish` of the whole warehouse (every published table) into schema `pub`;
#   2. the baseline: the same rows, dumped from `pub` to CSV files beforehand, loaded with
#      `psql \copy` into schema `base`, whose tables are `LIKE pub.* INCLUDING ALL` (same keys
#      and indexes).
# Prints rows/s of both, their ratio (target ≥ 0.5) and publish's peak RSS (target ≤ 150 MB).
# PUBLISH_ARGS adds options to the publish (e.g. "--batch-size 10000").
# WAREHOUSE=FILE publishes that warehouse instead of generating one; REPLICATE=N first copies
# its events (with parties and steps) N-1 more times under new source keys, by SQL, to reach
# a million events without a million-record import.
# Uses the release build (built if missing); BUILD=debug uses the debug build as it is.
# WORK=DIR keeps the files there.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVENTS=${1:-200000}

[ -x /usr/bin/time ] || { echo "publish.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 69; }
if [ "${BUILD:-release}" = debug ]; then
  ONEGRID="$ROOT/.build/debug/onegrid"
else
  (cd "$ROOT" && swift build -c release --product onegrid ${SWIFT_BUILD_ARGS:-} >/dev/null)
  ONEGRID="$(cd "$ROOT" && swift build -c release ${SWIFT_BUILD_ARGS:-} --show-bin-path)/onegrid"
fi

if [ -z "${WORK:-}" ]; then WORK=$(mktemp -d /tmp/onegrid-publish-bench.XXXXXX); CLEAN=1; else mkdir -p "$WORK"; CLEAN=0; fi
TEST_POSTGRES_PLAIN=no source "$ROOT/scripts/test-postgres.sh"
trap '_og_stop; [ "$CLEAN" = 1 ] && rm -rf "$WORK"' EXIT
export PGPASSWORD="$ONEGRID_TEST_POSTGRES_PASSWORD"
PSQL=("$ONEGRID_TEST_POSTGRES_BIN/psql" "$ONEGRID_TEST_POSTGRES" -v ON_ERROR_STOP=1 -q -X)
[ "$(id -u)" = 0 ] && chmod 755 "$WORK"

W="$WORK/onegrid.sqlite"
if [ -n "${WAREHOUSE:-}" ]; then
  cp "$WAREHOUSE" "$W"
else
  echo "publish.sh: $EVENTS hotline records in $WORK" >&2
  "$ONEGRID" sample --out "$WORK/feeds" --seed 17 --days 1 --records "$EVENTS" --petitions 0 --patrol-tickets 0 >/dev/null
  "$ONEGRID" init --warehouse "$W" >/dev/null
  "$ONEGRID" reference load --warehouse "$W" "$WORK/feeds/reference" >/dev/null
  "$ONEGRID" import --warehouse "$W" --mappings "$ROOT/Mappings" --feed hotline12345 "$WORK"/feeds/hotline/*.csv >/dev/null
fi
if [ "${REPLICATE:-1}" -gt 1 ]; then
  "$ONEGRID" status --warehouse "$W" >/dev/null 2>&1 || true   # migrations (the change-log triggers) first
  M=$(sqlite3 "$W" "SELECT max(id) FROM event")
  COLS=$(sqlite3 "$W" "SELECT group_concat(name, ', ') FROM pragma_table_info('event') WHERE name NOT IN ('id', 'source_key')")
  for k in $(seq 1 $((REPLICATE - 1))); do
    sqlite3 "$W" "BEGIN;
      INSERT INTO event (id, source_key, $COLS) SELECT id + $k * $M, source_key || '#$k', $COLS FROM event WHERE id <= $M;
      INSERT INTO event_party SELECT event_id + $k * $M, ordinal, person_id, role, is_lead, worker_id, masked_name FROM event_party WHERE event_id <= $M;
      INSERT INTO event_step SELECT event_id + $k * $M, ordinal, at, action, unit, result FROM event_step WHERE event_id <= $M;
      COMMIT;"
  done
fi
EVENT_ROWS=$(sqlite3 "$W" "SELECT count(*) FROM event")

# 1. publish
/usr/bin/time -f '%e %M %U %S' -o "$WORK/publish.time" \
  "$ONEGRID" publish --warehouse "$W" --to "$ONEGRID_TEST_POSTGRES" --schema pub ${PUBLISH_ARGS:-} > "$WORK/publish.out"
read -r PUB_SECS PUB_KB PUB_USER PUB_SYS < "$WORK/publish.time"
TABLES=$("${PSQL[@]}" -At -c "SELECT string_agg(table_name, ' ') FROM information_schema.tables WHERE table_schema = 'pub' AND table_type = 'BASE TABLE' AND table_name NOT IN ('onegrid_schema', 'publish_watermark')")
ROWS=0
for t in $TABLES; do ROWS=$((ROWS + $("${PSQL[@]}" -At -c "SELECT count(*) FROM pub.$t"))); done

# 2. baseline: the same rows from CSV with psql \copy
mkdir -p "$WORK/csv" && [ "$(id -u)" = 0 ] && chmod 777 "$WORK/csv"
"${PSQL[@]}" -c "CREATE SCHEMA base"
for t in $TABLES; do
  "${PSQL[@]}" -c "\\copy pub.$t TO '$WORK/csv/$t.csv' CSV"
  "${PSQL[@]}" -c "CREATE TABLE base.$t (LIKE pub.$t INCLUDING ALL)"
done
COPY_SCRIPT="$WORK/copy.sql"
: > "$COPY_SCRIPT"
for t in $TABLES; do echo "\\copy base.$t FROM '$WORK/csv/$t.csv' CSV" >> "$COPY_SCRIPT"; done
/usr/bin/time -f '%e' -o "$WORK/copy.time" "${PSQL[@]}" -f "$COPY_SCRIPT"
COPY_SECS=$(cat "$WORK/copy.time")

awk -v rows="$ROWS" -v events="$EVENT_ROWS" -v ps="$PUB_SECS" -v cs="$COPY_SECS" -v kb="$PUB_KB" -v pu="$PUB_USER" -v psys="$PUB_SYS" 'BEGIN {
  pr = rows / ps; cr = rows / cs
  printf "events %d, rows in all published tables %d\n", events, rows
  printf "onegrid publish: %.2f s, %.0f rows/s (%.0f events/s), peak RSS %.1f MB, CPU of onegrid %.2f s user + %.2f s sys\n", ps, pr, events / ps, kb / 1024, pu, psys
  printf "psql \\copy from CSV: %.2f s, %.0f rows/s\n", cs, cr
  printf "ratio publish / \\copy: %.2f (target >= 0.5); peak RSS target <= 150 MB\n", pr / cr
}'
cat "$WORK/publish.out"
