#!/usr/bin/env bash
# Resolution quality and speed on the sample generator's noisy data.
#
#   Benchmarks/resolution.sh [EVENTS] [DAYS] [WORKDIR]
#
# Builds the release binary (or uses $ONEGRID_BIN), writes a sample of about EVENTS events (default 100000; hotline
# orders are EVENTS / 1.7, petitions a fifth and patrol tickets half of them) over DAYS daily
# files (default 60), loads it into a fresh warehouse, prints the import speed per feed and
# in all, then `onegrid evaluate` against the sample's ground truth.
set -euo pipefail
events=${1:-100000}
days=${2:-60}
work=${3:-/tmp/onegrid-bench-$events}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -n "${ONEGRID_BIN:-}" ] || swift build -c release --product onegrid >/dev/null
bin=${ONEGRID_BIN:-$(swift build -c release --show-bin-path)/onegrid}
records=$(( (events * 10 + 16) / 17 ))

rm -rf "$work" && mkdir -p "$work"
now() { date +%s.%N; }
t0=$(now)
"$bin" sample --out "$work/sample" --records "$records" --days "$days" --seed 20200623
t1=$(now)
wh="$work/onegrid.sqlite"
"$bin" init --warehouse "$wh" >/dev/null
"$bin" reference load "$work/sample/reference" --warehouse "$wh" >/dev/null
total=0
start=$(now)
for feed in hotline12345:hotline petition:petition patrol:patrol; do
    name=${feed%%:*}; dir=${feed##*:}
    a=$(now)
    "$bin" import --feed "$name" --warehouse "$wh" --mappings "$root/Mappings" "$work/sample/$dir"/* >"$work/import-$name.log" || true
    b=$(now)
    n=$(sqlite3 "$wh" "SELECT count(*) FROM event WHERE source = '$name'")
    total=$((total + n))
    printf '%-13s %8d events in %7.1f s  = %8.0f events/s\n' "$name" "$n" "$(echo "$b - $a" | bc)" "$(echo "$n / ($b - $a)" | bc -l)"
done
end=$(now)
printf '%-13s %8d events in %7.1f s  = %8.0f events/s  (sample written in %.1f s)\n' all "$total" \
    "$(echo "$end - $start" | bc)" "$(echo "$total / ($end - $start)" | bc -l)" "$(echo "$t1 - $t0" | bc)"
"$bin" evaluate --truth "$work/sample/truth" --warehouse "$wh"
