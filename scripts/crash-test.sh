#!/usr/bin/env bash
# Proofs for unattended `onegrid run` (README: "Unattended imports"):
#  1. crash test: a multi-file inbox imported while SIGKILLing the run at random moments
#     (KILLS times, half of them the moment the run starts writing the database file,
#     i.e. during a WAL checkpoint), re-running after each kill; the final warehouse must
#     equal, table by table (`onegrid status --digest`), the warehouse of one
#     uninterrupted run;
#  2. two concurrent runs: exactly one loads, the other exits 75 naming the holder's PID;
#  3. re-running over 100 already-loaded files: exit 0, nothing loaded; prints the time;
#  4. exports killed with SIGKILL at random moments: a manifest beside an export always
#     describes the data file there (its sha256), never another export's.
# Usage: scripts/crash-test.sh   (env: KILLS=20 RECORDS=1500 DAYS=6 SEED=11)
set -euo pipefail
cd "$(dirname "$0")/.."
KILLS=${KILLS:-20}
RECORDS=${RECORDS:-1500}
DAYS=${DAYS:-6}
SEED=${SEED:-11}

swift build --product onegrid >/dev/null
BIN="$(swift build --show-bin-path)/onegrid"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/onegrid-crash.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
now() { date +%s.%N; }

"$BIN" sample --out "$WORK/feeds" --seed "$SEED" --records "$RECORDS" --days "$DAYS" >/dev/null

# A warehouse with reference data and an inbox holding every sample feed file; every
# warehouse shares one key so their person tokens (and digests) are comparable.
setup() {
  local dir=$1
  mkdir -p "$dir/inbox"
  cp -r "$WORK/feeds/hotline" "$WORK/feeds/petition" "$WORK/feeds/patrol" "$dir/inbox/"
  [ -f "$WORK/shared.key" ] && cp "$WORK/shared.key" "$dir/onegrid.key"
  cat > "$dir/onegrid.yaml" <<EOF
warehouse: onegrid.sqlite
mappings: $PWD/Mappings
processed: archive
reject_threshold: {max_share: 20%}
feeds:
  hotline12345: {inbox: inbox/hotline, pattern: "12345_*.csv*"}
  petition: {inbox: inbox/petition, pattern: "xf_*.xml*"}
  patrol: {inbox: inbox/patrol, pattern: "dlq_*.jsonl*"}
EOF
  "$BIN" init --warehouse "$dir/onegrid.sqlite" >/dev/null
  [ -f "$WORK/shared.key" ] || cp "$dir/onegrid.key" "$WORK/shared.key"
  "$BIN" reference load --warehouse "$dir/onegrid.sqlite" "$WORK/feeds/reference" >/dev/null
}

run_to_end() { "$BIN" run --config "$1/onegrid.yaml" --log-format json >/dev/null 2>>"$1/log.jsonl" || [ $? -eq 1 ]; }

echo "== 1. crash test: $KILLS SIGKILLs"
setup "$WORK/reference"
t0=$(now); run_to_end "$WORK/reference"; t1=$(now)
full=$(echo "$t1 - $t0" | bc)
echo "uninterrupted run: $(ls "$WORK/reference/inbox/archive/"* | grep -vc ':$') files archived in ${full} s"

setup "$WORK/crash"
db="$WORK/crash/onegrid.sqlite"
kills=0; during_checkpoint=0; attempts=0
while [ "$kills" -lt "$KILLS" ] && [ "$attempts" -lt $((KILLS * 10)) ]; do
  attempts=$((attempts + 1))
  "$BIN" run --config "$WORK/crash/onegrid.yaml" --log-format json >/dev/null 2>>"$WORK/crash/log.jsonl" &
  pid=$!
  if [ $((attempts % 2)) -eq 0 ]; then
    # Kill the moment the main database file changes: only a checkpoint writes it in WAL mode.
    before=$(stat -c '%s %.9Y' "$db")
    deadline=$(echo "$(now) + $full + 2" | bc)
    while kill -0 "$pid" 2>/dev/null && [ "$(stat -c '%s %.9Y' "$db")" = "$before" ] \
          && [ "$(echo "$(now) < $deadline" | bc)" -eq 1 ]; do :; done
    mode=checkpoint
  else
    sleep "$(awk -v s="$RANDOM" -v f="$full" 'BEGIN { srand(s); printf "%.3f", 0.05 + rand() * (f / 6 + 0.2) }')"
    mode=random
  fi
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    kills=$((kills + 1))
    [ "$mode" = checkpoint ] && [ "$(stat -c '%s %.9Y' "$db")" != "$before" ] && during_checkpoint=$((during_checkpoint + 1))
  else
    wait "$pid" 2>/dev/null || true
  fi
done
echo "kills: $kills of $attempts attempts ($during_checkpoint while the run was writing the database file: checkpoints)"
run_to_end "$WORK/crash"
"$BIN" status --digest --warehouse "$WORK/reference/onegrid.sqlite" > "$WORK/reference.digest"
"$BIN" status --digest --warehouse "$WORK/crash/onegrid.sqlite" > "$WORK/crash.digest"
if ! diff "$WORK/reference.digest" "$WORK/crash.digest"; then
  echo "FAIL: the killed-and-rerun warehouse differs from the uninterrupted one"; exit 1
fi
[ "$kills" -ge "$KILLS" ] || { echo "FAIL: only $kills kills landed while a run was alive"; exit 1; }
echo "OK: every table equal ($(wc -l < "$WORK/crash.digest") tables, $(awk '$1=="event"{print $2}' "$WORK/crash.digest") events)"

echo "== 2. two concurrent runs"
setup "$WORK/concurrent"
"$BIN" run --config "$WORK/concurrent/onegrid.yaml" --log-format json >/dev/null 2>"$WORK/a.log" & a=$!
until [ "$(cat "$WORK/concurrent/onegrid.sqlite.lock" 2>/dev/null)" = "$a" ]; do
  kill -0 "$a" 2>/dev/null || { echo "FAIL: the first run ended before taking the lock"; exit 1; }
done
set +e
"$BIN" run --config "$WORK/concurrent/onegrid.yaml" --log-format json >/dev/null 2>"$WORK/b.log"; b_exit=$?
wait "$a"; a_exit=$?
set -e
echo "first run exit $a_exit, second run exit $b_exit: $(cat "$WORK/b.log")"
[ "$b_exit" -eq 75 ] && grep -q "pid $a" "$WORK/b.log" && [ "$a_exit" -le 1 ] || { echo "FAIL"; exit 1; }
"$BIN" status --digest --warehouse "$WORK/concurrent/onegrid.sqlite" | grep -v '^source_file' > "$WORK/concurrent.digest"
grep -v '^source_file' "$WORK/reference.digest" | diff - "$WORK/concurrent.digest" || { echo "FAIL: concurrent warehouse differs"; exit 1; }
echo "OK: exactly one run loaded, nothing twice"

echo "== 3. re-running over 100 already-loaded files"
dir="$WORK/hundred"
mkdir -p "$dir/inbox/patrol"
cp "$WORK/shared.key" "$dir/onegrid.key"
"$BIN" init --warehouse "$dir/onegrid.sqlite" >/dev/null
"$BIN" reference load --warehouse "$dir/onegrid.sqlite" "$WORK/feeds/reference" >/dev/null
awk '/^\{/ && n++ < 300' "$WORK/feeds/patrol/"*.jsonl | split -l 3 -d -a 3 - "$dir/inbox/patrol/part"
i=0; for f in "$dir/inbox/patrol/part"*; do mv "$f" "$dir/inbox/patrol/dlq_202007$(printf %02d $((i % 28 + 1)))_$i.jsonl"; i=$((i + 1)); done
printf 'warehouse: onegrid.sqlite\nmappings: %s\nfeeds:\n  patrol: {inbox: inbox/patrol, pattern: "dlq_*.jsonl"}\n' "$PWD/Mappings" > "$dir/onegrid.yaml"
"$BIN" run --config "$dir/onegrid.yaml" --log-format json --json 2>/dev/null > "$dir/first.json" || true
t0=$(now)
set +e
"$BIN" run --config "$dir/onegrid.yaml" --log-format json --json 2>/dev/null > "$dir/second.json"; code=$?
set -e
t1=$(now)
echo "files: $(ls "$dir/inbox/patrol" | wc -l); first run loaded $(grep -c '"state" : "loaded"' "$dir/first.json"); second run: exit $code, already loaded $(grep -c '"state" : "already_loaded"' "$dir/second.json"), loaded $(grep -c '"state" : "loaded"' "$dir/second.json"), $(echo "$t1 - $t0" | bc) s wall clock (process start to exit)"
[ "$code" -eq 0 ] && [ "$(grep -c '"state" : "already_loaded"' "$dir/second.json")" -eq 100 ] || { echo "FAIL"; exit 1; }
echo "OK"

echo "== 4. exports killed at random moments: a manifest always describes its data file"
E="$WORK/exports"; mkdir -p "$E"
W="$WORK/reference/onegrid.sqlite"
export_events() { "$BIN" export events --warehouse "$W" --source "$1" --format csv --out "$E/ev.csv" >/dev/null 2>&1; }
check_pair() {
  [ -f "$E/ev.csv.manifest.json" ] || return 0   # the stale manifest went first: allowed
  python3 - "$E/ev.csv" "$E/ev.csv.manifest.json" <<'PY' || { echo "FAIL: $1"; exit 1; }
import hashlib, json, sys
data = open(sys.argv[1], "rb").read()
manifest = json.load(open(sys.argv[2]))
sys.exit(0 if manifest.get("sha256") == hashlib.sha256(data).hexdigest() else 1)
PY
}
export_events hotline12345
t0=$(now); export_events patrol; t1=$(now)
span=$(echo "($t1 - $t0) * 1000" | bc | cut -d. -f1)
EXPORT_KILLS=${EXPORT_KILLS:-20}
for i in $(seq 1 "$EXPORT_KILLS"); do
  source=$([ $((i % 2)) -eq 0 ] && echo patrol || echo hotline12345)
  "$BIN" export events --warehouse "$W" --source "$source" --format csv --out "$E/ev.csv" >/dev/null 2>&1 &
  pid=$!
  sleep "$(echo "scale=3; $((RANDOM % (span + 1))) / 1000" | bc)"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  check_pair "after kill $i"
  export_events "$source"; check_pair "after the export following kill $i"
done
echo "OK: $EXPORT_KILLS exports killed within ${span} ms; every manifest left matched its data file"
