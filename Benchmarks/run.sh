#!/usr/bin/env bash
# OneGrid benchmarks against real baselines, in the same run on the same machine.
#
#   Benchmarks/run.sh            1 M hotline rows (GB18030, plain and gzipped), 200 k petitions
#                                (some large attachments), 1 M patrol lines; each case 3 times
#   Benchmarks/run.sh --quick    100 k records in all (40 k hotline rows, 10 k petitions, 50 k patrol
#                                lines), once each, without the gzip and --force cases: about a minute
#
# Options: --runs N (times each case is measured; the median is reported), --work DIR (where
# samples and warehouses go; default a temporary folder, removed at the end unless --keep).
# ONEGRID_BIN=path/to/onegrid measures that binary and skips the build.
# Writes the table to Benchmarks/results/latest.md (or quick.md with --quick) and prints it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=full
RUNS=
WORK=
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) MODE=quick ;;
        --runs) RUNS=$2; shift ;;
        --work) WORK=$2; shift ;;
        --keep) KEEP=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 64 ;;
    esac
    shift
done

if [ "$MODE" = quick ]; then
    HOTLINE=40000; PETITIONS=10000; PATROL=50000; ATTACH_BYTES=262144; ATTACH_RATE=0.001; RUNS=${RUNS:-1}
    RESULT="$ROOT/Benchmarks/results/quick.md"
else
    HOTLINE=1000000; PETITIONS=200000; PATROL=1000000; ATTACH_BYTES=1048576; ATTACH_RATE=0.0005; RUNS=${RUNS:-3}
    RESULT="$ROOT/Benchmarks/results/latest.md"
fi

# --- Tools -------------------------------------------------------------------------------
install_package() {
    echo "run.sh: installing $1" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y -q "$1" >/dev/null
    elif sudo -n true 2>/dev/null; then sudo apt-get install -y -q "$1" >/dev/null
    else echo "run.sh: please install the Debian package $1" >&2; exit 69; fi
}
command -v xmllint >/dev/null || install_package libxml2-utils
command -v sqlite3 >/dev/null || install_package sqlite3
[ -x /usr/bin/time ] || install_package time
command -v iconv >/dev/null || install_package libc-bin

# ONEGRID_BIN: measure that binary instead of building (e.g. a copy of an earlier commit's
# release build, to compare two commits on the same inputs).
if [ -n "${ONEGRID_BIN:-}" ]; then
    ONEGRID=$(cd "$(dirname "$ONEGRID_BIN")" && pwd)/$(basename "$ONEGRID_BIN")
else
    echo "run.sh: building release…" >&2
    # SWIFT_BUILD_ARGS: extra arguments for swift build (e.g. --scratch-path DIR).
    (cd "$ROOT" && swift build -c release --product onegrid ${SWIFT_BUILD_ARGS:-} >/dev/null)
    ONEGRID="$(cd "$ROOT" && swift build -c release ${SWIFT_BUILD_ARGS:-} --show-bin-path)/onegrid"
fi

if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/onegrid-bench.XXXXXX); else mkdir -p "$WORK"; fi
cleanup() { [ "$KEEP" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT
MAPPINGS="$ROOT/Mappings"

# --- Samples -----------------------------------------------------------------------------
echo "run.sh: generating $HOTLINE hotline rows, $PETITIONS petitions, $PATROL patrol tickets in $WORK…" >&2
"$ONEGRID" sample --out "$WORK/feeds" --seed 8 --days 1 --records "$HOTLINE" --petitions "$PETITIONS" \
    --patrol-tickets "$PATROL" --attachment-bytes "$ATTACH_BYTES" --attachment-rate "$ATTACH_RATE" > "$WORK/sample.txt"
HOT=$(ls "$WORK"/feeds/hotline/*.csv | head -1)
gzip -c -1 "$HOT" > "$HOT.gz"
PET=$(ls "$WORK"/feeds/petition/*.xml | grep -v truncated | head -1)
PAT=$(ls "$WORK"/feeds/patrol/*.jsonl | head -1)
# Rows: physical records of each file, as the generator counted them.
HOT_ROWS=$(sed -n 's/.*hotline rows \([0-9]*\).*/\1/p' "$WORK/sample.txt")
PET_ROWS=$(sed -n 's/.*petitions \([0-9]*\).*/\1/p' "$WORK/sample.txt")
PAT_ROWS=$(sed -n 's/.*patrol lines \([0-9]*\).*/\1/p' "$WORK/sample.txt")
size() { stat -c %s "$1"; }

# A warehouse with the reference registers loaded, copied for every fresh import.
mkdir -p "$WORK/ref"
"$ONEGRID" init --warehouse "$WORK/ref/onegrid.sqlite" >/dev/null
"$ONEGRID" reference load --warehouse "$WORK/ref/onegrid.sqlite" "$WORK/feeds/reference" >/dev/null
fresh() { rm -rf "$WORK/$1"; cp -a "$WORK/ref" "$WORK/$1"; }

# --- Measurement -------------------------------------------------------------------------
# measure NAME ROWS BYTES PREPARE COMMAND…: runs PREPARE (untimed) then COMMAND under
# /usr/bin/time -v, RUNS times; keeps the median wall time and the largest peak RSS.
declare -A SECS RSS NROWS NBYTES
ORDER=()
measure() {
    local name=$1 rows=$2 bytes=$3 prepare=$4; shift 4
    local times=() peak=0 i
    for ((i = 1; i <= RUNS; i++)); do
        eval "$prepare"
        if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt"; then
            echo "run.sh: $name failed:" >&2; tail -n 5 "$WORK/err.txt" "$WORK/out.txt" >&2; exit 1
        fi
        local wall kb
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s }' "$WORK/time.txt")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
        times+=("$wall")
        [ "$kb" -gt "$peak" ] && peak=$kb
        echo "  $name run $i: ${wall} s, ${kb} KB" >&2
    done
    SECS[$name]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    RSS[$name]=$peak
    NROWS[$name]=$rows
    NBYTES[$name]=$bytes
    ORDER+=("$name")
}

echo "run.sh: measuring ($RUNS run(s) each)…" >&2
HOT_UTF8="$WORK/hotline-utf8.csv"
measure "baseline: iconv GB18030→UTF-8" "$HOT_ROWS" "$(size "$HOT")" "rm -f '$HOT_UTF8'" \
    bash -c "iconv -f GB18030 -t UTF-8 '$HOT' > '$HOT_UTF8'"
measure "baseline: iconv + sqlite3 .import --csv" "$HOT_ROWS" "$(size "$HOT")" "rm -f '$WORK/raw.sqlite' '$HOT_UTF8'" \
    bash -c "iconv -f GB18030 -t UTF-8 '$HOT' > '$HOT_UTF8' && sqlite3 '$WORK/raw.sqlite' '.import --csv $HOT_UTF8 hotline' 2>/dev/null"
measure "baseline: gzip -dc" "$HOT_ROWS" "$(size "$HOT.gz")" "" bash -c "gzip -dc '$HOT.gz' > /dev/null"
measure "baseline: xmllint --stream" "$PET_ROWS" "$(size "$PET")" "" xmllint --stream --noout "$PET"


# --quick leaves out the gzipped hotline import and the --force reloads (same paths as the
# plain import) to stay near a minute.
FEEDS="hotline12345 hotline-gz petition patrol"
[ "$MODE" = quick ] && FEEDS="hotline12345 petition patrol"
for feed in $FEEDS; do
    case $feed in
        hotline12345) file=$HOT; rows=$HOT_ROWS; mapping=hotline12345 ;;
        hotline-gz) file=$HOT.gz; rows=$HOT_ROWS; mapping=hotline12345 ;;
        petition) file=$PET; rows=$PET_ROWS; mapping=petition ;;
        patrol) file=$PAT; rows=$PAT_ROWS; mapping=patrol ;;
    esac
    bytes=$(size "$file")
    import=("$ONEGRID" import --warehouse "$WORK/w-$feed/onegrid.sqlite" --mappings "$MAPPINGS" --feed "$mapping" "$file")
    measure "$feed: import (fresh)" "$rows" "$bytes" "fresh w-$feed" "${import[@]}"
    [ "$feed" = hotline-gz ] && { rm -rf "$WORK/w-$feed"; continue; }
    measure "$feed: dry-run" "$rows" "$bytes" "" \
        "$ONEGRID" dry-run --warehouse "$WORK/ref/onegrid.sqlite" --mappings "$MAPPINGS" --feed "$mapping" --format json "$file"
    measure "$feed: re-import (unchanged)" "$rows" "$bytes" "" "${import[@]}"
    [ "$MODE" = quick ] || measure "$feed: import --force" "$rows" "$bytes" "" "${import[@]}" --force
    [ "$feed" = hotline12345 ] || rm -rf "$WORK/w-$feed"
done

EVENTS=$(sqlite3 "$WORK/w-hotline12345/onegrid.sqlite" "SELECT count(*) FROM event")
for format in csv xlsx; do
    out="$WORK/events.$format"
    # The warehouse is read into the page cache first: after the other feeds' runs a 2.5 GB
    # warehouse may be on disk only, and a cold read measures the disk, not the export.
    measure "export events --format $format" "$EVENTS" 0 "rm -f '$out'; cat '$WORK/w-hotline12345/onegrid.sqlite' > /dev/null" \
        "$ONEGRID" export events --warehouse "$WORK/w-hotline12345/onegrid.sqlite" --format "$format" --out "$out"
    NBYTES["export events --format $format"]=$(size "$out")
done

# --- Table -------------------------------------------------------------------------------
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "—" }'; }
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { if (s > 0 && b > 0) printf "%.1f", b / 1048576 / s; else print "—" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "—" }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "met" : "MISSED" }'; }
s() { echo "${SECS[$1]}"; }
rows_per_s() { rate "${NROWS[$1]}" "${SECS[$1]}"; }
mb_per_s() { mbps "${NBYTES[$1]}" "${SECS[$1]}"; }

SQL_BASE="baseline: iconv + sqlite3 .import --csv"
XML_BASE="baseline: xmllint --stream"
declare -A RATIO TARGET
RATIO["hotline12345: import (fresh)"]=$(ratio "$(rows_per_s "hotline12345: import (fresh)")" "$(rows_per_s "$SQL_BASE")")
TARGET["hotline12345: import (fresh)"]="≥ 0.28 × sqlite3 .import rows/s"
if [ -n "${SECS["hotline-gz: import (fresh)"]:-}" ]; then
    RATIO["hotline-gz: import (fresh)"]=$(ratio "$(rows_per_s "hotline-gz: import (fresh)")" "$(rows_per_s "$SQL_BASE")")
    TARGET["hotline-gz: import (fresh)"]="≥ 0.28 × sqlite3 .import rows/s"
fi
RATIO["petition: import (fresh)"]=$(ratio "$(mb_per_s "petition: import (fresh)")" "$(mb_per_s "$XML_BASE")")
TARGET["petition: import (fresh)"]="≥ 0.30 × xmllint MB/s"
# Patrol JSON Lines: at least the hotline import's records/s (issue #16).
RATIO["patrol: import (fresh)"]=$(ratio "$(rows_per_s "patrol: import (fresh)")" "$(rows_per_s "hotline12345: import (fresh)")")
TARGET["patrol: import (fresh)"]="≥ 1.00 × hotline import rows/s"
for feed in hotline12345 petition patrol; do
    RATIO["$feed: dry-run"]=$(ratio "$(s "$feed: dry-run")" "$(s "$feed: import (fresh)")")
    TARGET["$feed: dry-run"]="≤ 1.00 × import time"
    RATIO["$feed: re-import (unchanged)"]=$(ratio "$(s "$feed: re-import (unchanged)")" "$(s "$feed: import (fresh)")")
    TARGET["$feed: re-import (unchanged)"]="≤ 0.01 × import time"
done
# 1 M events to CSV in ≤ 1.5 s warm (issue #16): a rate of 666,667 rows/s.
RATIO["export events --format csv"]=$(ratio "$(rows_per_s "export events --format csv")" 666667)
TARGET["export events --format csv"]="≥ 1.00 × 667 k rows/s (1 M in 1.5 s)"

check() {
    local name=$1 t=${TARGET[$1]:-} r=${RATIO[$1]:-}
    local rss_ok
    rss_ok=$(verdict "${RSS[$name]}" "<=" 153600)
    if [ -z "$t" ]; then
        case "$name" in baseline*) echo "" ;; *) echo "RSS $rss_ok" ;; esac
        return
    fi
    local op=">=" bound
    case "$t" in "≤"*) op="<=" ;; esac
    bound=$(echo "$t" | sed 's/^[^0-9]*\([0-9.]*\).*/\1/')
    echo "$(verdict "$r" "$op" "$bound"), RSS $rss_ok"
}

mkdir -p "$(dirname "$RESULT")"
{
    echo "# OneGrid benchmarks ($MODE)"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC') · $(nproc) cores (nproc) · $(uname -m) · $(swift --version 2>/dev/null | head -1)"
    echo "· load average at start: $(cut -d' ' -f1-3 /proc/loadavg) · $RUNS run(s) per case, median wall time, largest peak RSS"
    echo
    echo "Inputs (\`onegrid sample --seed 8 --days 1\`): hotline $HOT_ROWS rows GB18030 CRLF ($(mbps "$(size "$HOT")" 1) MB, gzip -1 $(mbps "$(size "$HOT.gz")" 1) MB);"
    echo "petitions $PET_ROWS ($(mbps "$(size "$PET")" 1) MB, attachments of $ATTACH_BYTES bytes on $ATTACH_RATE of them); patrol $PAT_ROWS lines ($(mbps "$(size "$PAT")" 1) MB)."
    echo
    echo "| case | rows | seconds | rows/s | MB/s | peak RSS MB | ratio | target | verdict |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    for name in "${ORDER[@]}"; do
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "${NROWS[$name]}" "$(s "$name")" \
            "$(rows_per_s "$name")" "$(mb_per_s "$name")" "$(awk -v k="${RSS[$name]}" 'BEGIN { printf "%.0f", k / 1024 }')" \
            "${RATIO[$name]:-}" "${TARGET[$name]:-}" "$(check "$name")"
    done
    echo
    echo "Peak memory target: ≤ 150 MB for every OneGrid case. MB/s counts the input file as stored"
    echo "(the gzipped size for gzip cases; the output size for exports)."
    echo
    # The profile behind the figures and the reasons for any target missed (kept by hand).
    cat "$ROOT/Benchmarks/profile.md"
} > "$RESULT.tmp"
mv "$RESULT.tmp" "$RESULT"
cat "$RESULT"
