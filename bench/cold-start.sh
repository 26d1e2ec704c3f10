#!/usr/bin/env bash
# Cold start with a large store, with and without the index checkpoint (issue 19; docs/performance.md, "Index
# checkpoint"). One run on one generated store (bench/GenSidecars.java), each start timed from process launch to
# /health/ready 200:
#   1. first start: no checkpoint, every sidecar is read (what every start did before the checkpoint);
#   2. restart after a clean shutdown (SIGTERM: the element saves its checkpoint while stopping);
#   3. restart after kill -9 with nothing changed since the last checkpoint;
#   4. restart after kill -9 with BENCH_CHANGED_SHARDS shard directories changed since the last checkpoint (a file
#      created and removed in each, so each is re-read in full);
# and the CPU the element used until ready; plus the heap per indexed file after a full GC (jcmd), against the same configuration on an empty store.
# Knobs: BENCH_LARGE_FILES (default 1000000), BENCH_WORK (default /tmp/se-cold-start), BENCH_CHANGED_SHARDS
# (default 26 of 256, ~10 %), BENCH_SKIP_BUILD=1, BENCH_KEEP_WORK=1 (keep the generated store for a re-run).
# Plain HTTP (development opt-in) on 127.0.0.1 and an unreachable JWKS URL: neither affects the index build.
# Every wait is bounded; the element is stopped and the work dir removed on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck disable=SC1091
source scripts/find-jdk.sh

FILES=${BENCH_LARGE_FILES:-1000000}
WORK=${BENCH_WORK:-/tmp/se-cold-start}
CHANGED_SHARDS=${BENCH_CHANGED_SHARDS:-26}
SE_JAR_CP="storage-element/target/storage-element-1.0.0-SNAPSHOT.jar:storage-element/target/libs/*"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

SE_PID=""
cleanup() {
  set +e
  [ -n "$SE_PID" ] && kill -9 "$SE_PID" 2>/dev/null && wait "$SE_PID" 2>/dev/null
  if [ "${BENCH_KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f storage-element/target/storage-element-1.0.0-SNAPSHOT.jar ]; then
  log "building the element (package, no tests)"
  ./mvnw -B -ntp -q -o -pl storage-element package -DskipTests
fi
mkdir -p "$WORK"
if [ ! -d "$WORK/data" ]; then
  log "generating $FILES stored files (data + attr.json) in $WORK/data"
  java -Xmx1g bench/GenSidecars.java "$WORK/data" "$FILES"
  sync
fi
PORT=$(free_port)

# start_se DATA WAL LOG: the element in the background, sets SE_PID
start_se() {
  env SE_STORAGE_ID=se-cold-start SE_DATA_DIR="$1" SE_WAL_DIR="$2" SE_MAX_CAPACITY=$((60 << 30)) \
    SE_BIND_ADDRESS=127.0.0.1 SE_PORT="$PORT" SE_JWKS_URL=http://127.0.0.1:1/jwks SE_DEV_INSECURE_HTTP=true \
    SE_SCRUB_BYTES_PER_SEC=0 \
    java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -cp "$SE_JAR_CP" io.artsore.se.server.Main >"$3" 2>&1 &
  SE_PID=$!
}
wait_ready() {
  local deadline=$((SECONDS + 900))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready")" = 200 ]; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$SE_PID" 2>/dev/null; then log "the element did not become ready"; exit 1; fi
    sleep 0.05
  done
}
# timed_start NAME: starts on the large store, prints "NAME seconds" and the element's index_loaded event
timed_start() {
  local t0
  t0=$(now)
  start_se "$WORK/data" "$WORK/wal" "$WORK/se-$1.log"
  wait_ready
  local wall cpu
  wall=$(since "$t0")
  # CPU the element used up to ready (user + system): what a busy machine does not inflate
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$SE_PID/stat")
  printf '%-34s %6s s (CPU %6s s)   %s\n' "$1" "$wall" "$cpu" "$(grep -o '"msg":"index_loaded".*' "$WORK/se-$1.log" | head -1 | cut -c1-260)"
}
stop_clean() {
  local t0
  t0=$(now)
  kill "$SE_PID"
  wait "$SE_PID" || true
  SE_PID=""
  printf '%-34s %6s s\n' "  (clean shutdown, checkpoint saved)" "$(since "$t0")"
}
stop_crash() { kill -9 "$SE_PID"; wait "$SE_PID" 2>/dev/null || true; SE_PID=""; }
heap_used_bytes() {
  jcmd "$SE_PID" GC.run >/dev/null
  jcmd "$SE_PID" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i+1); sub(/K,?$/, "", v); print v * 1024; exit}}'
}

rm -rf "$WORK/wal" "$WORK/empty"
log "empty store (heap baseline)"
start_se "$WORK/empty/data" "$WORK/empty/wal" "$WORK/se-empty.log"
wait_ready
empty_heap=$(heap_used_bytes)
stop_crash

log "cold starts with $FILES files ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
timed_start "1. first start (no checkpoint)"
large_heap=$(heap_used_bytes)
stop_clean
timed_start "2. after a clean shutdown"
stop_crash
timed_start "3. after kill -9, nothing changed"
stop_crash
for shard in $(seq 0 $((CHANGED_SHARDS - 1))); do
  d="$WORK/data/$(printf '%02x' "$shard")"
  touch "$d/.changed" && rm "$d/.changed"
done
timed_start "4. after kill -9, $CHANGED_SHARDS shards changed"
stop_clean
printf '%-34s %6s B\n' "heap per indexed file" "$(awk -v a="$large_heap" -v b="$empty_heap" -v n="$FILES" 'BEGIN { printf "%.1f", (a - b) / n }')"
printf '%-34s %6s MB\n' "checkpoint file" "$(du -m "$WORK/wal/index.checkpoint" | cut -f1)"
