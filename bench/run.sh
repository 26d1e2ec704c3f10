#!/usr/bin/env bash
# The benchmark suite of issue 8, in one run on one disk (see docs/performance.md):
#   1. physical limits: dd sequential write with fsync, 4 KiB O_DSYNC writes/s (1 and 32 writers), the JDK's
#      SHA-256 speed, loopback TCP throughput;
#   2. the baseline: Debian's nginx with WebDAV PUT/GET over HTTPS (same self-signed cert as the SE);
#   3. the SE standalone with production settings (TLS, fsync on) and a jwks-mock, driven by the same load
#      generator as nginx: 256 MiB up/downloads (1 and 4 clients), 4 KiB up/downloads (1 and 32 clients);
#   4. a replicated pair on one data dir: how soon a follower lists a file uploaded through the leader;
#   5. a large store: BENCH_LARGE_FILES sidecars generated on disk, cold start time and heap per file, and
#      list pages of 1000 (a full sync of the store, p99).
# Writes $OUT/results.json and $OUT/results.md and prints the table. Everything listens on 127.0.0.1; every
# step is bounded; nginx, the SE and the mock are stopped and the work dir removed on exit.
#
# Knobs (environment): BENCH_WORK (work dir, default <repo>/.bench-work, i.e. the repo's disk), BENCH_OUT
# (default bench/results/<utc timestamp>), BENCH_LARGE_FILES (default 1000000; 0 skips the large store),
# BENCH_SMALL_DURATION (default 15s per 4 KiB run), BENCH_BIG_OPS (256 MiB transfers per client, default 2),
# BENCH_BIG_SIZE (default 256m), BENCH_DD_MIB (default 1024), BENCH_SKIP_BUILD=1, BENCH_KEEP_WORK=1 (keep the work dir for inspection),
# BENCH_JFR=1 (record a JFR profile of the SE during the workloads into $OUT/se.jfr).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck disable=SC1091
source scripts/find-jdk.sh

WORK=${BENCH_WORK:-$ROOT/.bench-work}
OUT=${BENCH_OUT:-$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}
LARGE_FILES=${BENCH_LARGE_FILES:-1000000}
SMALL_DURATION=${BENCH_SMALL_DURATION:-15s}
BIG_OPS=${BENCH_BIG_OPS:-2}
BIG_SIZE=${BENCH_BIG_SIZE:-256m}
DD_MIB=${BENCH_DD_MIB:-1024}
RAW=$OUT/raw
SE_JAR_CP="storage-element/target/storage-element-1.0.0-SNAPSHOT.jar:storage-element/target/libs/*"
E2E_CP="e2e/target/e2e-1.0.0-SNAPSHOT.jar:e2e/target/libs/*"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
record() { printf '%s\t%s\n' "$1" "$2" >>"$RAW/scalars.tsv"; }

SE_PID="" MOCK_PID="" NGINX_CONF="" REPLICA_PIDS=""
cleanup() {
  set +e
  [ -n "$SE_PID" ] && kill "$SE_PID" 2>/dev/null && wait "$SE_PID" 2>/dev/null
  for p in $REPLICA_PIDS; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ -n "$MOCK_PID" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null
  [ -n "$NGINX_CONF" ] && nginx -p "$WORK/nginx" -c "$NGINX_CONF" -e "$WORK/nginx/error.log" -s stop 2>/dev/null
  if [ "${BENCH_KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -e "$WORK" ]; then log "work dir $WORK exists (a previous run?): removing it"; rm -rf "$WORK"; fi
mkdir -p "$WORK" "$RAW"
: >"$RAW/scalars.tsv"
record big_size "$BIG_SIZE"
record date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
record machine "$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(df -hT "$WORK" | awk 'NR==2 {print $2 " on " $1}')"
record load_before "$(cut -d' ' -f1-3 /proc/loadavg)"
record clk_tck "$(getconf CLK_TCK)"
record java "$(java -version 2>&1 | head -1)"
record commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f e2e/target/e2e-1.0.0-SNAPSHOT.jar ]; then
  log "building (package, no tests)"
  ./mvnw -B -ntp -q -pl e2e -am package -DskipTests
fi

# ---------------------------------------------------------------- physical limits
dd_seconds() { awk -F', ' '/copied/ {split($(NF-1), a, " "); print a[1]}'; }
log "physical: dd ${DD_MIB} MiB sequential write, conv=fsync"
secs=$(dd if=/dev/zero of="$WORK/dd-seq.bin" bs=1M count="$DD_MIB" conv=fsync 2>&1 | dd_seconds)
record dd_mib "$DD_MIB"
record dd_seq_write_fsync_mbps "$(python3 -c "print(round($DD_MIB*1048576/$secs/1e6,1))")"
rm -f "$WORK/dd-seq.bin"
log "physical: 4 KiB writes with oflag=dsync, 1 writer and 32 writers"
secs=$(dd if=/dev/zero of="$WORK/dd-dsync.bin" bs=4k count=1000 oflag=dsync 2>&1 | dd_seconds)
record dsync_4k_writes_per_s_1 "$(python3 -c "print(round(1000/$secs,1))")"
start=$(date +%s.%N)
for i in $(seq 32); do dd if=/dev/zero of="$WORK/dd-dsync-$i.bin" bs=4k count=100 oflag=dsync 2>/dev/null & done
wait
record dsync_4k_writes_per_s_32 "$(python3 -c "print(round(3200/($(date +%s.%N)-$start),1))")"
rm -f "$WORK"/dd-dsync*.bin
log "physical: JDK SHA-256 and loopback TCP"
record sha256_mbps "$(java bench/PhysicalLimits.java sha256 1024)"
record tcp_loopback_mbps "$(java bench/PhysicalLimits.java tcp 4096)"

# ---------------------------------------------------------------- TLS material (shared by nginx and the SE)
mkdir -p "$WORK/certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$WORK/certs/tls.key" -out "$WORK/certs/tls.crt" 2>/dev/null

# ---------------------------------------------------------------- nginx WebDAV baseline
if ! command -v nginx >/dev/null; then
  log "installing Debian's nginx"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null
fi
NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/dav" "$WORK/nginx/tmp" "$WORK/nginx/logs"
NGINX_CONF=$WORK/nginx/nginx.conf
cat >"$NGINX_CONF" <<EOF
# same disk, same TLS as the SE; no access log (the SE logs one JSON line per upload)
user root;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  client_body_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT ssl;
    ssl_certificate $WORK/certs/tls.crt;
    ssl_certificate_key $WORK/certs/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location /dav/ {
      root $WORK/nginx;
      dav_methods PUT;
      create_full_put_path on;
      client_max_body_size 0;
    }
  }
}
EOF
log "starting nginx on 127.0.0.1:$NGINX_PORT"
nginx -p "$WORK/nginx" -c "$NGINX_CONF" -e "$WORK/nginx/error.log"
record nginx_version "$(nginx -v 2>&1 | cut -d/ -f2)"

# ---------------------------------------------------------------- jwks-mock and the SE
MOCK_PORT=$(free_port)
java -cp "$E2E_CP" io.artsore.e2e.jwksmock.JwksMock MOCK_PORT="$MOCK_PORT" >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$MOCK_PORT/jwks" >/dev/null && break; sleep 0.5; done
SE_PORT=$(free_port)
SE_URL=https://127.0.0.1:$SE_PORT

# start_se DATA_DIR WAL_DIR LOG [extra env...]: starts the element in the background, sets SE_PID
start_se() {
  local data=$1 wal=$2 logf=$3; shift 3
  local jfr=()
  if [ "${BENCH_JFR:-0}" = 1 ] && [ "$logf" = "$WORK/se.log" ]; then
    jfr=("-XX:StartFlightRecording=filename=$OUT/se.jfr,settings=profile")
  fi
  env SE_STORAGE_ID=se-bench SE_DATA_DIR="$data" SE_WAL_DIR="$wal" SE_MAX_CAPACITY=$((60 << 30)) \
    SE_BIND_ADDRESS=127.0.0.1 SE_PORT="$SE_PORT" SE_JWKS_URL="http://127.0.0.1:$MOCK_PORT/jwks" \
    SE_TLS_CERT="$WORK/certs/tls.crt" SE_TLS_KEY="$WORK/certs/tls.key" "$@" \
    java -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError "${jfr[@]}" -cp "$SE_JAR_CP" io.artsore.se.server.Main \
    >"$logf" 2>&1 &
  SE_PID=$!
}
# wait_ready SECONDS: polls /health/ready until 200
wait_ready() {
  local deadline=$((SECONDS + $1))
  until curl -ks -o /dev/null -w '%{http_code}' "$SE_URL/health/ready" | grep -q 200; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$SE_PID" 2>/dev/null; then
      log "the SE did not become ready; see its log"; return 1
    fi
    sleep 0.1
  done
}
stop_se() { kill "$SE_PID"; wait "$SE_PID" || true; SE_PID=""; }
# heap_used_bytes: heap in use after a full GC
heap_used_bytes() {
  jcmd "$SE_PID" GC.run >/dev/null
  jcmd "$SE_PID" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i+1); sub(/K,?$/, "", v); print v * 1024; exit}}'
}

log "starting the SE on $SE_URL (TLS, fsync on)"
start_se "$WORK/se/data" "$WORK/se/wal" "$WORK/se.log"
wait_ready 120
record se_heap_empty_bytes "$(heap_used_bytes)"

# ---------------------------------------------------------------- workloads: SE and nginx back to back
loadgen() { # NAME ARGS...: one LoadGen run, JSON into $RAW/NAME.json
  local name=$1; shift
  log "loadgen $name"
  java -cp "$E2E_CP" io.artsore.e2e.loadgen.LoadGen --insecure --json "$RAW/$name.json" "$@" >"$RAW/$name.txt" 2>&1 \
    || log "  $name reported errors (see $RAW/$name.txt)"
}
# cpu_ticks PID...: user+system CPU clock ticks of these processes so far. CPU per operation is the number that
# survives a loaded machine: a server that is starved of CPU is slower but does not use more CPU per request.
cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
nginx_workers() { pgrep -P "$(cat "$WORK/nginx/nginx.pid")"; }
measured() { # NAME PIDS -- LOADGEN ARGS...: a run plus the server's CPU ticks during it (prepare included)
  local name=$1 pids=$2 before; shift 3
  # shellcheck disable=SC2086
  before=$(cpu_ticks $pids)
  loadgen "$name" "$@"
  # shellcheck disable=SC2086
  record "cpu_ticks_$name" $(($(cpu_ticks $pids) - before))
}
both() { # NAME ARGS...: the same workload against the SE, then nginx
  local name=$1; shift
  measured "se-$name" "$SE_PID" -- --url "$SE_URL" --jwks-mock "http://127.0.0.1:$MOCK_PORT" "$@"
  measured "nginx-$name" "$(nginx_workers | tr '\n' ' ')" -- --target webdav --url "https://127.0.0.1:$NGINX_PORT/dav/" "$@"
}
both upload-big-c1 --workload upload --size "$BIG_SIZE" --clients 1 --ops "$BIG_OPS" --duration 300s
both upload-big-c4 --workload upload --size "$BIG_SIZE" --clients 4 --ops $((2 * BIG_OPS)) --duration 300s
both download-big-c1 --workload download --size "$BIG_SIZE" --prepare 1 --clients 1 --ops "$BIG_OPS" --duration 300s
both download-big-c4 --workload download --size "$BIG_SIZE" --prepare 4 --clients 4 --ops $((2 * BIG_OPS)) --duration 300s
both upload-4k-c1 --workload upload --size 4k --clients 1 --duration "$SMALL_DURATION"
both upload-4k-c32 --workload upload --size 4k --clients 32 --duration "$SMALL_DURATION"
both download-4k-c1 --workload download --size 4k --prepare 256 --clients 1 --duration "$SMALL_DURATION"
both download-4k-c32 --workload download --size 4k --prepare 256 --clients 32 --duration "$SMALL_DURATION"
stop_se
rm -rf "$WORK/se" "$WORK/nginx/dav"

# ---------------------------------------------------------------- replicated: when a follower sees a new file
# role_of PORT: the role /api/v1/info reports (empty while the replica does not answer)
role_of() { curl -ks "https://127.0.0.1:$1/api/v1/info" | python3 -c 'import json,sys; print(json.load(sys.stdin)["role"])' 2>/dev/null || true; }
await_role() { # PORT ROLE SECONDS
  local deadline=$((SECONDS + $3))
  until [ "$(role_of "$1")" = "$2" ]; do
    [ $SECONDS -lt $deadline ] || { log "replica on port $1 is not $2 after $3 s"; return 1; }
    sleep 0.2
  done
}
log "replicated pair on one data dir: how soon a follower lists a file uploaded through the leader"
LEADER_PORT=$(free_port) FOLLOWER_PORT=$(free_port)
start_se "$WORK/rep/data" "$WORK/rep/wal-0" "$WORK/se-rep-0.log" SE_REPLICA_MODE=replicated SE_PORT="$LEADER_PORT" SE_SCRUB_BYTES_PER_SEC=0
REPLICA_PIDS="$SE_PID"
await_role "$LEADER_PORT" leader 120
start_se "$WORK/rep/data" "$WORK/rep/wal-1" "$WORK/se-rep-1.log" SE_REPLICA_MODE=replicated SE_PORT="$FOLLOWER_PORT" SE_SCRUB_BYTES_PER_SEC=0
REPLICA_PIDS="$REPLICA_PIDS $SE_PID"
await_role "$FOLLOWER_PORT" follower 120
read -r vis_p50 vis_p90 vis_max < <(java bench/FollowerVisibility.java "https://127.0.0.1:$LEADER_PORT" \
  "https://127.0.0.1:$FOLLOWER_PORT" "$WORK/certs/tls.crt" "http://127.0.0.1:$MOCK_PORT" 50)
record follower_visibility_p50_ms "$vis_p50"
record follower_visibility_p90_ms "$vis_p90"
record follower_visibility_max_ms "$vis_max"
for p in $REPLICA_PIDS; do kill "$p"; wait "$p" || true; done
REPLICA_PIDS="" SE_PID=""
rm -rf "$WORK/rep"

# ---------------------------------------------------------------- large store
if [ "$LARGE_FILES" -gt 0 ]; then
  log "generating $LARGE_FILES stored files (data + attr.json) in $WORK/large"
  start=$SECONDS
  java -Xmx1g bench/GenSidecars.java "$WORK/large/data" "$LARGE_FILES"
  sync
  record large_generate_seconds $((SECONDS - start))
  # the empty-store heap of this configuration, for heap per file
  t0=$(date +%s.%N)
  start_se "$WORK/empty/data" "$WORK/empty/wal" "$WORK/se-empty.log" SE_SCRUB_BYTES_PER_SEC=0
  wait_ready 120
  record cold_start_empty_seconds "$(python3 -c "print(round($(date +%s.%N)-$t0,2))")"
  record se_heap_empty_large_cfg_bytes "$(heap_used_bytes)"
  stop_se
  log "cold start of the SE with $LARGE_FILES files"
  t0=$(date +%s.%N)
  start_se "$WORK/large/data" "$WORK/large/wal" "$WORK/se-large.log" SE_SCRUB_BYTES_PER_SEC=0
  wait_ready 900
  record large_files "$LARGE_FILES"
  record cold_start_seconds "$(python3 -c "print(round($(date +%s.%N)-$t0,2))")"
  record se_heap_large_bytes "$(heap_used_bytes)"
  # a full sync of the store the way the Admin Module pages it: offset += 1000 from 0 to the end
  loadgen se-list-1000-c1 --url "$SE_URL" --jwks-mock "http://127.0.0.1:$MOCK_PORT" --workload list \
    --list-limit 1000 --clients 1 --ops $(((LARGE_FILES + 999) / 1000)) --duration 300s
  # the same sync with a minimal client (no JSON decoding, no client JVM): the element's share of a page's time
  read -r lp50 lp90 lp99 lmax < <(python3 bench/list_pages.py "$SE_URL" "http://127.0.0.1:$MOCK_PORT" "$LARGE_FILES")
  record list_min_client_p50_ms "$lp50"
  record list_min_client_p90_ms "$lp90"
  record list_min_client_p99_ms "$lp99"
  record list_min_client_max_ms "$lmax"
  stop_se
fi
record load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

python3 bench/report.py "$OUT"
log "results in $OUT (results.json, results.md, raw/)"
