#!/usr/bin/env bash
# Behaviour snapshot of one `onegrid` binary, to compare two builds byte for byte:
#   scripts/seam-compare.sh BINARY OUTDIR
#   diff -r OUTDIR-of-the-old-binary OUTDIR-of-the-new-binary
# With one fixed key it builds the demo warehouse from SampleData, records its digest,
# status and rejects; runs every dry-run format over every sample feed against an empty
# and a loaded warehouse; exports every table in every format (zh/en headers, masked and
# token people, a few filters); then builds a larger generated warehouse and digests it
# and its events export. Export times (manifests, XLSX zip entries) and run times are
# normalised so that two runs of the same binary compare equal.
# Env: RECORDS=2000 DAYS=3 (size of the larger warehouse).
set -euo pipefail
BIN=$(realpath "$1")
OUT=$(realpath -m "$2")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RECORDS=${RECORDS:-2000}
DAYS=${DAYS:-3}
rm -rf "$OUT"
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/seam-compare.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
export ONEGRID_MAPPINGS="$ROOT/Mappings"

# One key for every warehouse, so that person tokens are comparable between runs.
KEY="$WORK/fixed.key"
echo "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" >"$KEY"
chmod 600 "$KEY"

# Run ids, times and durations in text outputs.
normalise() {
  sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?/<TIME>/g' \
         -e 's/[0-9]+(\.[0-9]+)? ?(ms|s)\b/<DURATION>/g'
}
run() { # run NAME CMD... : stdout and stderr (normalised) and the exit code
  local name=$1; shift
  local rc=0
  "$@" >"$WORK/o" 2>"$WORK/e" || rc=$?
  normalise <"$WORK/o" >"$OUT/$name.out"
  normalise <"$WORK/e" >"$OUT/$name.err"
  echo "$rc" >"$OUT/$name.rc"
}
# Export files: manifests without their export time; XLSX unpacked entry by entry (the zip
# headers carry the export time).
keep_export() { # keep_export FILE NAME
  local file=$1 name=$2
  if [ -f "$file.manifest.json" ]; then
    grep -v '"exportedAt"' "$file.manifest.json" | sed -E "s#$WORK#<WORK>#g" >"$OUT/exports/$name.manifest.json"
  fi
  case "$file" in
    *.xlsx) python3 - "$file" "$OUT/exports/$name.xlsx.d" <<'PY'
import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1])
for info in z.infolist():
    target = os.path.join(sys.argv[2], info.filename)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    open(target, "wb").write(z.read(info))
open(os.path.join(sys.argv[2], "_entries"), "w").write("\n".join(f"{i.filename} {i.file_size} {i.compress_type}" for i in z.infolist()) + "\n")
PY
      ;;
    *) [ -f "$file" ] && cp "$file" "$OUT/exports/$name" ;;
  esac
}
mkdir -p "$OUT/exports"

# 1. The demo warehouse from the committed samples.
mkdir -p "$WORK/demo"
cp "$KEY" "$WORK/demo/onegrid.key"
(cd "$WORK" && run demo "$BIN" demo --sample-data "$ROOT/SampleData" --mappings "$ROOT/Mappings" --out "$WORK/demo")
sed -i -E "s#$WORK#<WORK>#g; s#$ROOT#<ROOT>#g" "$OUT/demo.out" "$OUT/demo.err"
keep_export "$WORK/demo/events.csv" demo-events.csv
W="$WORK/demo/onegrid.sqlite"
run demo-digest "$BIN" status --digest --warehouse "$W"
(cd "$WORK" && run demo-status "$BIN" status --warehouse "$W" --mappings "$ROOT/Mappings" --limit 100)
run rejects-text "$BIN" rejects --warehouse "$W" --limit 1000
run rejects-json "$BIN" rejects --warehouse "$W" --limit 1000 --json
run rejects-hotline "$BIN" rejects --warehouse "$W" --feed hotline12345 --limit 3
run rejects-reason "$BIN" rejects --warehouse "$W" --reason invalid_datetime
run rejects-csv "$BIN" rejects --warehouse "$W" --out "$WORK/rejects.csv"
cp "$WORK/rejects.csv" "$OUT/exports/rejects-sheet.csv"
sed -i -E "s#$WORK#<WORK>#g" "$OUT"/rejects-*.out

# 2. Dry runs: every format, every feed, an empty and the loaded warehouse.
mkdir -p "$WORK/empty"
cp "$KEY" "$WORK/empty/onegrid.key"
"$BIN" init --warehouse "$WORK/empty/onegrid.sqlite" >/dev/null
for state in empty demo; do
  for pair in hotline12345:hotline petition:petition patrol:patrol citymgmt:citymgmt; do
    feed=${pair%%:*}; folder=${pair##*:}
    files=$(ls "$ROOT/SampleData/$folder"/* | grep -vE '\.(md|py)$')
    for format in text json; do
      # shellcheck disable=SC2086
      run "dry-$state-$feed-$format" "$BIN" dry-run --warehouse "$WORK/$state/onegrid.sqlite" --feed "$feed" --format $format $files
      sed -i "s#$ROOT#<ROOT>#g" "$OUT/dry-$state-$feed-$format.out"
    done
    # shellcheck disable=SC2086
    run "dry-$state-$feed-html" "$BIN" dry-run --warehouse "$WORK/$state/onegrid.sqlite" --feed "$feed" --format html --out "$WORK/dry.html" $files
    sed "s#$ROOT#<ROOT>#g" "$WORK/dry.html" >"$OUT/exports/dry-$state-$feed.html"
    sed -i "s#$WORK#<WORK>#g" "$OUT/dry-$state-$feed-html.out"
    # shellcheck disable=SC2086
    run "dry-$state-$feed-limit" "$BIN" dry-run --warehouse "$WORK/$state/onegrid.sqlite" --feed "$feed" --limit 3 $files
    sed -i "s#$ROOT#<ROOT>#g" "$OUT/dry-$state-$feed-limit.out"
  done
done

# 3. Exports: every table × format × headers × PII level; then a few filters.
tables="events incidents people places grids grid_monthly alerts rejects"
for table in $tables; do
  for format in csv jsonl xlsx; do
    for headers in zh en; do
      for pii in masked token; do
        name="$table-$headers-$pii.$format"
        run "export-$name" "$BIN" export "$table" --warehouse "$W" --format $format --headers $headers --pii $pii \
          --as-of 2020-07-31 --out "$WORK/x.$format"
        keep_export "$WORK/x.$format" "$name"
        sed -i "s#$WORK#<WORK>#g" "$OUT/export-$name.out"
        rm -f "$WORK/x.$format" "$WORK/x.$format.manifest.json"
      done
    done
  done
done
filtered() { # filtered NAME TABLE FORMAT ARGS...
  local name=$1 table=$2 format=$3; shift 3
  run "export-$name" "$BIN" export "$table" --warehouse "$W" --format "$format" --as-of 2020-07-31 --out "$WORK/f.$format" "$@"
  keep_export "$WORK/f.$format" "$name.$format"
  sed -i "s#$WORK#<WORK>#g" "$OUT/export-$name.out"
  rm -f "$WORK/f.$format" "$WORK/f.$format.manifest.json"
}
filtered events-since events csv --since 2020-06-24 --until 2020-06-25
filtered events-source events jsonl --source petition,patrol
filtered events-category events csv --category HB
filtered events-street events csv --street 320116006
filtered events-gb18030 events csv --encoding gb18030 --headers en
filtered incidents-district incidents jsonl --district 320116
filtered monthly-street grid_monthly csv --level street
filtered monthly-district grid_monthly xlsx --level district
filtered alerts-window alerts csv --alert-reports 2 --alert-days 10
filtered people-source people csv --source hotline12345
filtered rejects-source rejects csv --source petition

# 4. A larger generated warehouse, imported feed by feed.
run sample "$BIN" sample --out "$WORK/big-feeds" --seed 7 --records "$RECORDS" --days "$DAYS"
sed -i "s#$WORK#<WORK>#g" "$OUT/sample.out"
mkdir -p "$WORK/big"
cp "$KEY" "$WORK/big/onegrid.key"
B="$WORK/big/onegrid.sqlite"
"$BIN" init --warehouse "$B" >/dev/null
run big-reference "$BIN" reference load --warehouse "$B" "$WORK/big-feeds/reference"
run big-hotline "$BIN" import --warehouse "$B" --feed hotline12345 --json "$WORK/big-feeds/hotline/"*
run big-petition "$BIN" import --warehouse "$B" --feed petition "$WORK/big-feeds/petition/"*
run big-patrol "$BIN" import --warehouse "$B" --feed patrol "$WORK/big-feeds/patrol/"*
run big-patrol-again "$BIN" import --warehouse "$B" --feed patrol --force "$WORK/big-feeds/patrol/"*
sed -i -E "s#$WORK#<WORK>#g; s/\"(seconds|durationSeconds|elapsed[A-Za-z]*)\" : [0-9.e-]+/\"\\1\" : <DURATION>/g" "$OUT"/big-*.out
run big-digest "$BIN" status --digest --warehouse "$B"
run big-export "$BIN" export events --warehouse "$B" --format csv --pii token --as-of 2020-07-31 --out "$WORK/big-events.csv"
sed -i "s#$WORK#<WORK>#g" "$OUT/big-export.out"
sha256sum <"$WORK/big-events.csv" >"$OUT/exports/big-events.csv.sha256"
run big-dry "$BIN" dry-run --warehouse "$B" --feed hotline12345 --format json "$WORK/big-feeds/hotline/"*
sed -i "s#$WORK#<WORK>#g" "$OUT/big-dry.out"
# Last pass over everything kept: the temporary folder's name, and times stamped today
# (a reject's loaded_at) — the sample data's own times are years back and stay.
YEARS="$(date -u +%Y)|$(TZ=Asia/Shanghai date +%Y)"
find "$OUT" -type f -exec sed -i -E \
  -e "s#${TMPDIR:-/tmp}/seam-compare\.[A-Za-z0-9]+#<WORK>#g" \
  -e "s/($YEARS)-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}/<NOW>/g" {} +
# XLSX keeps load times as day serials (2024 onwards is above 45292); the rejects table's
# loaded_at is one, so its compressed size varies from run to run too.
find "$OUT" -type f -path '*sheet*.xml' -exec sed -i -E 's#<v>(4[5-9][0-9]{3}|[5-9][0-9]{4})\.[0-9]+</v>#<v><NOW></v>#g' {} +
find "$OUT" -type f -path '*rejects*xlsx*' -exec sed -i -E \
  -e 's/\([0-9]+ bytes\)/(<N> bytes)/; s/"bytes" : [0-9]+/"bytes" : <N>/' -e 's#^(xl/worksheets/sheet1.xml) [0-9]+#\1 <N>#' {} +
echo "snapshot in $OUT: $(find "$OUT" -type f | wc -l) files"
