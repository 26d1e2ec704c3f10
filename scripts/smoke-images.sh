#!/usr/bin/env bash
# Smoke-tests the images scripts/build-images.sh made: a jwks-mock container and one Storage Element
# container on a private podman network, both on HTTPS with a throwaway CA (the SE trusts it through
# SE_CA_CERT_PATH to fetch the JWKS). Checks: /health/live and /health/ready, /api/v1/info, an
# authenticated upload + download round trip, `podman healthcheck run` on both, and a non-root user.
# The operator image is checked statically (user, HEALTHCHECK): it needs a Kubernetes API server to run.
# Cleans up containers, volumes, network and keys on exit, and prints container logs when a check fails.
#
# Env: IMAGE_TAG (default dev), SMOKE_TIMEOUT seconds to wait for readiness (default 120).
set -euo pipefail
# shellcheck source=scripts/container/run-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/container/run-lib.sh"
OPERATOR_IMAGE=localhost/artsore/storage-element-operator:$IMAGE_TAG
ID=smoke-$$
NET=$ID-net; SE=$ID-se; MOCK=$ID-jwks
CERTS=$CONTAINER_WORK/certs
PASSED=0

container_setup
# All three images: built, non-root by default, HEALTHCHECK kept (the OCI format would drop it).
# The operator needs a Kubernetes API server to run, so it is checked statically only.
for img in "$SE_IMAGE" "$MOCK_IMAGE" "$OPERATOR_IMAGE"; do
  podman image exists "$img" || die "$img not found: run scripts/build-images.sh first"
  [ "$(podman image inspect -f '{{.Config.User}}' "$img")" = 10001:10001 ] || die "$img does not run as 10001"
  podman image inspect -f '{{.HealthCheck}}' "$img" | grep -q CMD || die "$img has no HEALTHCHECK"
done

cleanup() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    for c in "$MOCK" "$SE"; do
      echo "----- logs of $c (last 40 lines)" >&2; podman logs "$c" 2>&1 | tail -40 >&2 || true
    done
  fi
  podman rm -f -t 2 "$SE" "$MOCK" >/dev/null 2>&1 || true
  podman volume rm -f "$ID-data" "$ID-wal" >/dev/null 2>&1 || true
  podman network rm -f "$NET" >/dev/null 2>&1 || true
  rm -rf "$CERTS"
  container_work_cleanup
  exit $rc
}
trap cleanup EXIT

ok() { PASSED=$((PASSED + 1)); log "ok: $*"; }

make_certs se-smoke jwks-mock
podman network create "$NET" >/dev/null

start_mock "$MOCK" "$NET"
ok "jwks-mock serves /jwks over TLS"

log "starting $SE_IMAGE"
podman run -d --name "$SE" --network "$NET" --network-alias se-smoke -p 127.0.0.1::8010 \
  -v "$CERTS:/certs:ro" -v "$ID-data:/data" -v "$ID-wal:/wal" \
  -e SE_STORAGE_ID=se-smoke -e SE_MODE=edit \
  -e SE_MAX_FILE_SIZE=10485760 -e SE_MAX_CAPACITY=104857600 \
  -e SE_JWKS_URL=https://jwks-mock:8080/jwks -e SE_CA_CERT_PATH=/certs/ca.crt \
  -e SE_TLS_CERT=/certs/tls.crt -e SE_TLS_KEY=/certs/tls.key -e SE_LOG_LEVEL=debug \
  "$SE_IMAGE" >/dev/null
SE_PORT=$(host_port "$SE" 8010)
curl_se() { curl_as se-smoke "$SE_PORT" "$@"; }

wait_for "SE /health/live" curl_se /health/live -f
[ "$(curl_se /health/live -f | jq -r .status)" = ok ] || die "/health/live status is not ok"
ok "/health/live answers ok over HTTPS"
wait_for "SE /health/ready" curl_se /health/ready -f
ok "/health/ready answers 200"
[ "$(curl_se /api/v1/info -f | jq -r .storage_id)" = se-smoke ] || die "/api/v1/info does not name se-smoke"
ok "/api/v1/info names the storage id"

TOKEN=$(mock_token smoke '["files:read","files:write"]')
head -c 4096 /dev/urandom >"$CERTS/payload.bin"
FILE_ID=$(curl_se /api/v1/files/upload -f -H "Authorization: Bearer $TOKEN" \
  -F "file=@$CERTS/payload.bin;type=application/octet-stream" | jq -r .file_id)
if [ -z "$FILE_ID" ] || [ "$FILE_ID" = null ]; then die "upload returned no file_id"; fi
curl_se "/api/v1/files/$FILE_ID/download" -f -H "Authorization: Bearer $TOKEN" -o "$CERTS/back.bin"
cmp -s "$CERTS/payload.bin" "$CERTS/back.bin" || die "downloaded bytes differ from the upload"
ok "upload + download round trip with a jwks-mock token (JWKS fetched over the podman network, CA trusted)"

for c in "$MOCK" "$SE"; do
  healthcheck "$c" || die "podman healthcheck run $c never reported healthy"
  ok "HEALTHCHECK of $c passes"
  uid=$(podman exec "$c" id -u)
  [ "$uid" != 0 ] || die "$c runs as root"
  ok "$c runs as uid $uid ($(podman inspect -f '{{.Config.User}}' "$c"))"
done

log "smoke test passed: $PASSED checks"
