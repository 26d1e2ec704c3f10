#!/usr/bin/env bash
# Helpers for running the project's containers in smoke and failover scripts: sources lib.sh and sets the
# image names and wait timeout every such script uses (env IMAGE_TAG, default dev; SMOKE_TIMEOUT seconds per
# wait, default 120). The helpers expect CERTS (a scratch dir).
# shellcheck source=scripts/container/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE_TAG=${IMAGE_TAG:-dev}
SMOKE_TIMEOUT=${SMOKE_TIMEOUT:-120}
SE_IMAGE=localhost/artsore/storage-element:$IMAGE_TAG
MOCK_IMAGE=localhost/artsore/jwks-mock:$IMAGE_TAG

# make_certs NAME...: a throwaway CA and one leaf certificate for the given network names (plus localhost),
# in $CERTS, readable by the containers' uid 10001.
make_certs() {
  local san="DNS:localhost,IP:127.0.0.1" n
  for n in "$@"; do san="DNS:$n,$san"; done
  mkdir -p "$CERTS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=artsore-smoke-ca" \
    -keyout "$CERTS/ca.key" -out "$CERTS/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=se-smoke" \
    -keyout "$CERTS/tls.key" -out "$CERTS/tls.csr" 2>/dev/null
  printf 'subjectAltName=%s\n' "$san" >"$CERTS/san.ext"
  openssl x509 -req -in "$CERTS/tls.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" -CAcreateserial \
    -days 1 -extfile "$CERTS/san.ext" -out "$CERTS/tls.crt" 2>/dev/null
  rm -f "$CERTS/ca.key" "$CERTS/tls.csr" "$CERTS/san.ext"
  chmod 0644 "$CERTS"/*   # the containers run as uid 10001; this key is throwaway
}

host_port() { podman port "$1" "$2" | head -1 | awk -F: '{print $NF}'; }

# curl_as NAME PORT PATH [curl args...]: HTTPS to a container's published port, verified against the CA.
curl_as() { local n=$1 port=$2 p=$3; shift 3; curl -sS --cacert "$CERTS/ca.crt" --resolve "$n:$port:127.0.0.1" "$@" "https://$n:$port$p"; }

wait_for() {  # wait_for DESCRIPTION COMMAND...
  local what=$1; shift
  local deadline=$((SECONDS + SMOKE_TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${SMOKE_TIMEOUT}s waiting for $what"
    sleep 1
  done
}

healthcheck() {  # podman never runs HEALTHCHECK itself without systemd: run it by hand until healthy
  local c=$1
  for _ in $(seq 1 20); do podman healthcheck run "$c" >/dev/null 2>&1 && return 0; sleep 1; done
  return 1
}


# start_mock CONTAINER NETWORK: the jwks-mock image on HTTPS (alias jwks-mock); sets MOCK_PORT on the host.
start_mock() {
  log "starting $MOCK_IMAGE"
  podman run -d --name "$1" --network "$2" --network-alias jwks-mock -p 127.0.0.1::8080 \
    -v "$CERTS:/certs:ro" -e MOCK_TLS_CERT=/certs/tls.crt -e MOCK_TLS_KEY=/certs/tls.key \
    "$MOCK_IMAGE" >/dev/null
  MOCK_PORT=$(host_port "$1" 8080)
  wait_for "jwks-mock /jwks" curl -fsS --cacert "$CERTS/ca.crt" "https://localhost:$MOCK_PORT/jwks"
}

# mock_token SUBJECT SCOPES_JSON: a 10-minute token from the running jwks-mock.
mock_token() {
  local token
  token=$(curl -fsS --cacert "$CERTS/ca.crt" -H 'Content-Type: application/json' \
    -d "{\"sub\":\"$1\",\"scopes\":$2,\"ttl_seconds\":600}" "https://localhost:$MOCK_PORT/token" | jq -r .token)
  if [ -z "$token" ] || [ "$token" = null ]; then die "no token from jwks-mock"; fi
  echo "$token"
}
