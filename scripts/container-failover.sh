#!/usr/bin/env bash
# Replicated mode in containers: two Storage Element containers share one data volume (each with its own
# WAL volume) behind a jwks-mock, all HTTPS. Checks: exactly one leader; an upload through the follower is
# proxied to the leader; after `podman kill` (SIGKILL) of the leader the other container becomes leader,
# the file uploaded before is still served, and uploads work again.
#
# Env: IMAGE_TAG (default dev), SMOKE_TIMEOUT seconds per wait (default 120).
set -euo pipefail
# shellcheck source=scripts/container/run-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/container/run-lib.sh"
ID=failover-$$
NET=$ID-net; MOCK=$ID-jwks
CERTS=$CONTAINER_WORK/certs
declare -A PORT

container_setup
for img in "$SE_IMAGE" "$MOCK_IMAGE"; do
  podman image exists "$img" || die "$img not found: run scripts/build-images.sh first"
done

cleanup() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    for c in "$MOCK" se-a se-b; do
      echo "----- logs of $ID-$c (last 30 lines)" >&2; podman logs "$ID-$c" 2>&1 | tail -30 >&2 || true
    done
  fi
  podman rm -f -t 2 "$MOCK" "$ID-se-a" "$ID-se-b" >/dev/null 2>&1 || true
  podman volume rm -f "$ID-data" "$ID-wal-a" "$ID-wal-b" >/dev/null 2>&1 || true
  podman network rm -f "$NET" >/dev/null 2>&1 || true
  rm -rf "$CERTS"
  container_work_cleanup
  exit $rc
}
trap cleanup EXIT

start_replica() {  # start_replica NAME: se-a or se-b, sharing $ID-data
  local name=$1
  podman run -d --name "$ID-$name" --network "$NET" --network-alias "$name" -p 127.0.0.1::8010 \
    -v "$CERTS:/certs:ro" -v "$ID-data:/data" -v "$ID-wal-$name:/wal" \
    -e SE_STORAGE_ID=se-failover -e SE_MODE=edit -e SE_REPLICA_MODE=replicated \
    -e SE_ADVERTISED_ADDRESS="$name:8010" -e SE_PEER_ADDRESSES=se-a:8010,se-b:8010 \
    -e SE_ELECTION_RETRY_INTERVAL=1s -e SE_LEADER_HEARTBEAT_INTERVAL=500ms \
    -e SE_MAX_FILE_SIZE=10485760 -e SE_MAX_CAPACITY=104857600 \
    -e SE_JWKS_URL=https://jwks-mock:8080/jwks -e SE_CA_CERT_PATH=/certs/ca.crt \
    -e SE_TLS_CERT=/certs/tls.crt -e SE_TLS_KEY=/certs/tls.key \
    "$SE_IMAGE" >/dev/null
  PORT[$name]=$(host_port "$ID-$name" 8010)
}

se() { local name=$1; shift; curl_as "$name" "${PORT[$name]}" "$@"; }
role() { se "$1" /api/v1/info -f | jq -r .role; }
is_leader() { [ "$(role "$1")" = leader ]; }

make_certs se-a se-b jwks-mock
podman network create "$NET" >/dev/null
start_mock "$MOCK" "$NET"
start_replica se-a
wait_for "se-a live" se se-a /health/live -f
wait_for "se-a to lead" is_leader se-a       # started alone first, so the roles are known
start_replica se-b
wait_for "se-b live" se se-b /health/live -f
[ "$(role se-b)" = follower ] || die "se-b is $(role se-b), expected follower"
log "ok: one leader (se-a), one follower (se-b)"

TOKEN=$(mock_token failover '["files:read","files:write"]')
head -c 65536 /dev/urandom >"$CERTS/before.bin"
FILE_ID=$(se se-b /api/v1/files/upload -f -H "Authorization: Bearer $TOKEN" -F "file=@$CERTS/before.bin" \
  | jq -r .file_id)
if [ -z "$FILE_ID" ] || [ "$FILE_ID" = null ]; then die "upload through the follower failed"; fi
log "ok: upload through the follower (proxied to the leader): $FILE_ID"

t0=$SECONDS
podman kill -s KILL "$ID-se-a" >/dev/null
wait_for "se-b to take over" is_leader se-b
log "ok: se-b leads $((SECONDS - t0)) s after the leader container was killed"

se se-b "/api/v1/files/$FILE_ID/download" -f -H "Authorization: Bearer $TOKEN" -o "$CERTS/back.bin"
cmp -s "$CERTS/before.bin" "$CERTS/back.bin" || die "the file uploaded before the failover differs"
head -c 65536 /dev/urandom >"$CERTS/after.bin"
AFTER=$(se se-b /api/v1/files/upload -f -H "Authorization: Bearer $TOKEN" -F "file=@$CERTS/after.bin" | jq -r .file_id)
if [ -z "$AFTER" ] || [ "$AFTER" = null ]; then die "upload after the failover failed"; fi
log "ok: the earlier file is intact and uploads work on the new leader"
log "container failover test passed"
