#!/usr/bin/env bash
# Export at scale: a warehouse of about 1 M events built in minutes, and the events export
# timed on it as CSV and XLSX.
#
#   Benchmarks/export-scale.sh [--work DIR] [--copies N] [--onegrid BINARY] [--runs N]
#
# The warehouse is built once in DIR (default /tmp/onegrid-export-scale) and reused by later
# runs, so two binaries can be timed on the same data: a 100 k-row hotline sample
# (`onegrid sample --seed 8 --days 1 --records 100000`) is imported once (about 101 k events
# with their parties, people and places), then event and event_party rows are cloned in SQL
# COPIES − 1 times (default 10 copies, about 1.01 M events) with new ids and source keys
# (`<key>#<copy>`). Payloads (event_version) are not cloned, so `--pii clear` does not work
# on the clones; masked and token exports do.
# Prints rows/s, output bytes and peak RSS (/usr/bin/time -v) per format; the median of
# RUNS runs (default 1).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=/tmp/onegrid-export-scale
COPIES=10
ONEGRID=
RUNS=1
while [ $# -gt 0 ]; do
    case "$1" in
        --work) WORK=$2; shift ;;
        --copies) COPIES=$2; shift ;;
        --onegrid) ONEGRID=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "export-scale.sh: unknown option $1" >&2; exit 64 ;;
    esac
    shift
done
command -v sqlite3 >/dev/null || { echo "export-scale.sh: please install the Debian package sqlite3" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "export-scale.sh: please install the Debian package time" >&2; exit 69; }

if [ -z "$ONEGRID" ]; then
    echo "export-scale.sh: building release…" >&2
    (cd "$ROOT" && swift build -c release --product onegrid ${SWIFT_BUILD_ARGS:-} >/dev/null)
    ONEGRID="$(cd "$ROOT" && swift build -c release ${SWIFT_BUILD_ARGS:-} --show-bin-path)/onegrid"
fi

mkdir -p "$WORK"
DB="$WORK/w/onegrid.sqlite"
if [ ! -f "$WORK/w/.complete-$COPIES" ]; then
    rm -rf "$WORK/w" "$WORK/feeds"
    echo "export-scale.sh: sample and import of 100 k hotline rows…" >&2
    "$ONEGRID" sample --out "$WORK/feeds" --seed 8 --days 1 --records 100000 >/dev/null
    mkdir -p "$WORK/w"
    "$ONEGRID" init --warehouse "$DB" >/dev/null
    "$ONEGRID" reference load --warehouse "$DB" "$WORK/feeds/reference" >/dev/null
    "$ONEGRID" import --warehouse "$DB" --mappings "$ROOT/Mappings" --feed hotline12345 "$WORK"/feeds/hotline/*.csv >/dev/null
    echo "export-scale.sh: cloning events ×$COPIES…" >&2
    # Every column but id and source_key, in table order.
    cols=$(sqlite3 "$DB" "SELECT group_concat(name, ', ') FROM pragma_table_info('event') WHERE name NOT IN ('id', 'source_key')")
    {
        echo "BEGIN;"
        echo "CREATE TEMP TABLE base AS SELECT max(id) AS m FROM event;"
        for ((k = 1; k < COPIES; k++)); do
            echo "INSERT INTO event (id, source_key, $cols)
                  SELECT id + $k * (SELECT m FROM base), source_key || '#$k', $cols FROM event WHERE id <= (SELECT m FROM base);"
            echo "INSERT INTO event_party (event_id, ordinal, person_id, role, is_lead, worker_id, masked_name)
                  SELECT event_id + $k * (SELECT m FROM base), ordinal, person_id, role, is_lead, worker_id, masked_name
                  FROM event_party WHERE event_id <= (SELECT m FROM base);"
        done
        echo "COMMIT;"
        echo "PRAGMA wal_checkpoint(TRUNCATE);"
    } | sqlite3 "$DB" >/dev/null
    touch "$WORK/w/.complete-$COPIES"
fi
EVENTS=$(sqlite3 "$DB" "SELECT count(*) FROM event")
PARTIES=$(sqlite3 "$DB" "SELECT count(*) FROM event_party")
echo "export-scale.sh: $EVENTS events, $PARTIES parties in $DB ($(du -m "$DB" | cut -f1) MB)" >&2

printf '| format | rows | seconds | rows/s | output MB | peak RSS MB |\n| --- | ---: | ---: | ---: | ---: | ---: |\n'
for format in csv xlsx; do
    out="$WORK/events.$format"
    times=() peak=0
    for ((i = 1; i <= RUNS; i++)); do
        rm -f "$out"
        /usr/bin/time -v -o "$WORK/time.txt" "$ONEGRID" export events --warehouse "$DB" --format "$format" --out "$out" >/dev/null
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s }' "$WORK/time.txt")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
        times+=("$wall")
        [ "$kb" -gt "$peak" ] && peak=$kb
    done
    secs=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    rows=$(sed -n 's/.*"rows" : \([0-9]*\).*/\1/p' "$out.manifest.json")
    awk -v f="$format" -v n="$rows" -v s="$secs" -v b="$(stat -c %s "$out")" -v k="$peak" \
        'BEGIN { printf "| %s | %d | %.2f | %.0f | %.1f | %.0f |\n", f, n, s, n / s, b / 1048576, k / 1024 }'
done
