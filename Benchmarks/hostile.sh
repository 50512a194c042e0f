#!/usr/bin/env bash
# Hostile inputs of issue #12, generated into a work folder, each measured twice with peak
# RSS and wall time from /usr/bin/time -v:
# 1. read by the feed readers alone (the reader-only probe test `ReadFileProbe`, run straight
#    from the test binary so SwiftPM's own memory is not counted);
# 2. through a whole `onegrid import` (mapping, resolution, sealing, the warehouse write) into a
#    fresh warehouse, with the small mappings in Benchmarks/hostile/.
#
#   Benchmarks/hostile.sh [work-folder [case-pattern [reader|import]]]
#   (default /tmp/onegrid-hostile, all cases, both measurements)
#
# Needs a built test binary and onegrid (swift build --build-tests; release ones if
# ONEGRID_BUILD=release). Inputs take ~2 GB of disk and are left in the folder for reuse.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-/tmp/onegrid-hostile}"
only="${2:-}"
which="${3:-both}"
config="${ONEGRID_BUILD:-debug}"
mkdir -p "$work"
bin=$(ls -d .build/"$config"/*.xctest 2>/dev/null | head -1)
[ -n "$bin" ] || { echo "no test binary in .build/$config: run swift build --build-tests first" >&2; exit 1; }

repeat_bytes() { # count byte → that many copies of one ASCII byte on stdout
    head -c "$1" /dev/zero | tr '\0' "$2"
}

gen() { # name, generator function
    [ -s "$work/$1" ] || { echo "generating $1" >&2; "$2" > "$work/$1.part" && mv "$work/$1.part" "$work/$1"; }
}

field_1g_gz()   { { printf 'id,text\n1,'; repeat_bytes $((1 << 30)) A; printf '\n2,ok\n'; } | gzip -1; }
field_200m()    { printf 'id,text\n1,"'; repeat_bytes $((200 << 20)) B; printf '"\n2,ok\n'; }
line_500m()     { printf '{"id":"X1","d":"'; repeat_bytes $((500 << 20)) C; printf '"}\n{"id":"X2"}\n'; }
steps_3m()      {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<XFExport><Petition id="A"><Handling>\n'
    python3 -c 'import sys; sys.stdout.write("<Step at=\"2020-06-23 10:00\" action=\"x\"/>\n" * 3000000)'
    printf '</Handling></Petition>\n<Petition id="B"><Form>x</Form></Petition></XFExport>\n'
}
newlines_1g_gz() { { printf 'id,text\n'; repeat_bytes $((1 << 30)) '\n'; } | gzip -1; }
text_20m() {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<XFExport><Petition id="A"><Content>\n'
    head -c $((15 << 20)) /dev/urandom | base64
    printf '</Content><Status>x</Status></Petition>\n<Petition id="B"><Form>ok</Form></Petition></XFExport>\n'
}
attachment_20m() {
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<XFExport><Petition id="A"><Attachments><File name="a.jpg">\n'
    head -c $((15 << 20)) /dev/urandom | base64
    printf '</File></Attachments><Status>x</Status></Petition></XFExport>\n'
}

gen field-1g.csv.gz field_1g_gz
gen field-200m.csv field_200m
gen line-500m.jsonl line_500m
gen steps-3m.xml steps_3m
gen newlines-1g.csv.gz newlines_1g_gz
gen attachment-20m.xml attachment_20m
gen text-20m.xml text_20m

if [ "$which" != import ]; then
printf '| input | on disk | outcome | peak RSS | time |\n| --- | --- | --- | --- | --- |\n'
for case in field-1g.csv.gz:csv field-200m.csv:csv line-500m.jsonl:jsonl steps-3m.xml:xml newlines-1g.csv.gz:csv attachment-20m.xml:xml text-20m.xml:xml; do
    file="${case%%:*}"; format="${case##*:}"
    [[ -z "$only" || "$file" == *$only* ]] || continue
    log="$work/$file.time"
    ONEGRID_READ_FILE="$work/$file" ONEGRID_READ_FORMAT="$format" \
        /usr/bin/time -v "$bin" --testing-library swift-testing --filter ReadFileProbe > "$work/$file.out" 2> "$log" || true
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    outcome=$(grep -o 'probe .*' "$work/$file.out" | sed "s|probe $work/$file: ||" | head -1)
    size=$(du -h "$work/$file" | cut -f1)
    printf '| %s | %s | %s | %d MB | %s |\n' "$file" "$size" "${outcome:-see $work/$file.out}" $((rss_kb / 1024)) "$elapsed"
done
fi
[ "$which" != reader ] || exit 0

onegrid=".build/$config/onegrid"
[ -x "$onegrid" ] || { echo "no $onegrid: run swift build first" >&2; exit 1; }
printf '\nWhole import (`onegrid import --mapping Benchmarks/hostile/hostile-FORMAT.yaml`, fresh warehouse):\n\n'
printf '| input | exit | outcome | peak RSS | time |\n| --- | --- | --- | --- | --- |\n'
for case in field-1g.csv.gz:csv field-200m.csv:csv line-500m.jsonl:jsonl steps-3m.xml:xml newlines-1g.csv.gz:csv attachment-20m.xml:xml text-20m.xml:xml; do
    file="${case%%:*}"; format="${case##*:}"
    [[ -z "$only" || "$file" == *$only* ]] || continue
    log="$work/$file.import.time"
    rm -f "$work/import.sqlite" "$work/import.sqlite-wal" "$work/import.sqlite-shm"
    "$onegrid" init --warehouse "$work/import.sqlite" > /dev/null
    status=0
    /usr/bin/time -v "$onegrid" import --warehouse "$work/import.sqlite" --json \
        --mapping "Benchmarks/hostile/hostile-$format.yaml" "$work/$file" > "$work/$file.import.json" 2> "$log" || status=$?
    rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    counts=$(python3 -c 'import json, sys
try:
    files = json.load(open(sys.argv[1]))
    print("; ".join("%s: %d new, %d rejected%s" % (f["state"], f["counts"]["new"], f["counts"]["rejected"],
                    (" (" + f["message"][:90] + ")") if f.get("message") else "") for f in files))
except Exception:
    print("see " + sys.argv[1])' "$work/$file.import.json")
    printf '| %s | %d | %s | %d MB | %s |\n' "$file" "$status" "$counts" $((rss_kb / 1024)) "$elapsed"
done
