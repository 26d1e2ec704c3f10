#!/usr/bin/env bash
# Scenarios 19-22 (plan §6.4, test-replica): replicated se-edit-1 — one leader, writes through a
# follower, failover when the leader dies, and a new replica joining as follower.
#
# Environment:
#   SE_EDIT_1_URLS     space-separated URLs of the individual se-edit-1 replicas (at least two), e.g.
#                      "https://localhost:18020 https://localhost:18021" (one port-forward per pod)
#   KILL_LEADER_CMD    bash command run as `bash -c "$KILL_LEADER_CMD" kill-leader LEADER_URL`, so the
#                      leader URL is "$1"; it must kill that replica, e.g.
#                      'kubectl -n se-test delete pod --wait=false "$(./pod-for-url.sh "$1")"'
#                      or 'kill "$(cat "/tmp/se-pids/${1##*:}")"' for local processes
#   START_REPLICA_CMD  bash command that starts a new se-edit-1 replica and prints its URL as the last
#                      line of stdout (e.g. a scale-up plus a port-forward, or a new local process)
#   FAILOVER_TIMEOUT   seconds to wait for a surviving replica to report role leader (default 30)
#   READY_TIMEOUT      seconds to wait for the new replica's /health/ready (default 60)
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

: "${SE_EDIT_1_URLS:=}"
: "${KILL_LEADER_CMD:=}"
: "${START_REPLICA_CMD:=}"
: "${FAILOVER_TIMEOUT:=30}"
: "${READY_TIMEOUT:=60}"
read -r -a REPLICA_URLS <<< "$SE_EDIT_1_URLS"

TOKEN=$(get_token "$JWKS_MOCK_URL" "e2e-replica" "$SCOPES_ALL" 3600) || TOKEN="no-token"
FILE="$LIB_TMP/replica-test.bin"
make_random_file "$FILE" 2048
FILE_SHA=$(sha256_of "$FILE")

LEADER_URL=""
FOLLOWER_URLS=()
FILE_ID_BEFORE_FAILOVER=""
FILE_ID_AFTER_FAILOVER=""

role_of() { # role_of URL: prints the role from /api/v1/info (empty when unreachable)
  http_request GET "$1/api/v1/info"
  [ "$HTTP_STATUS" = "200" ] && body_jq '.role // empty'
}

# expect_file_visible URL FILE_ID: metadata answers 200 with the uploaded checksum.
expect_file_visible() {
  http_auth GET "$1/api/v1/files/$2" "$TOKEN"
  expect_status 200 || { FAIL_REASON="metadata of $2 on $1: $FAIL_REASON"; return 1; }
  expect_jq ".checksum == \"$FILE_SHA\"" "checksum of $2 on $1"
}

s19_one_leader() {
  local url role leaders=0
  [ "${#REPLICA_URLS[@]}" -ge 2 ] || { reject "SE_EDIT_1_URLS must list at least two replica URLs"; return 1; }
  for url in "${REPLICA_URLS[@]}"; do
    http_request GET "$url/api/v1/info"
    expect_status 200 || { FAIL_REASON="$url: $FAIL_REASON"; return 1; }
    expect_jq '.replica_mode == "replicated" and (.role | IN("leader","follower"))' \
      "$url: replica_mode replicated, role leader|follower" || return 1
    role=$(body_jq '.role')
    if [ "$role" = "leader" ]; then
      leaders=$((leaders + 1))
      LEADER_URL=$url
    else
      FOLLOWER_URLS+=("$url")
    fi
  done
  [ "$leaders" -eq 1 ] || { reject "expected exactly one leader, found $leaders"; LEADER_URL=""; return 1; }
}

s20_upload_through_follower() {
  if [ -z "$LEADER_URL" ] || [ "${#FOLLOWER_URLS[@]}" -eq 0 ]; then
    reject "no leader/follower: scenario 19 failed"
    return 1
  fi
  upload_file "${FOLLOWER_URLS[0]}" "$TOKEN" "$FILE" application/octet-stream
  expect_status 201 || return 1
  FILE_ID_BEFORE_FAILOVER=$(body_jq '.file_id // empty')
  expect_file_visible "$LEADER_URL" "$FILE_ID_BEFORE_FAILOVER" || return 1
  # The follower must not answer 404 for a file its index has not picked up yet (docs/contract.md §6).
  http_auth GET "${FOLLOWER_URLS[0]}/api/v1/files/$FILE_ID_BEFORE_FAILOVER/download" "$TOKEN"
  expect_status 200 || { FAIL_REASON="download on the follower: $FAIL_REASON"; return 1; }
  expect_equal "$(sha256_of "$HTTP_BODY_FILE")" "$FILE_SHA" "sha256 downloaded from the follower"
}

s21_failover() {
  local deadline url new_leader=""
  [ -n "$LEADER_URL" ] || { reject "no leader: scenario 19 failed"; return 1; }
  [ -n "$KILL_LEADER_CMD" ] || { reject "KILL_LEADER_CMD is not set"; return 1; }
  bash -c "$KILL_LEADER_CMD" kill-leader "$LEADER_URL" >&2 || { reject "KILL_LEADER_CMD failed for $LEADER_URL"; return 1; }
  deadline=$(( $(date +%s) + FAILOVER_TIMEOUT ))
  while [ -z "$new_leader" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    for url in "${FOLLOWER_URLS[@]}"; do
      [ "$(role_of "$url")" = "leader" ] && new_leader=$url && break
    done
    [ -n "$new_leader" ] || sleep 1
  done
  [ -n "$new_leader" ] || { reject "no surviving replica became leader within ${FAILOVER_TIMEOUT}s"; return 1; }
  log_info "new leader: $new_leader"
  LEADER_URL=$new_leader
  upload_file "$LEADER_URL" "$TOKEN" "$FILE" application/octet-stream
  expect_status 201 || { FAIL_REASON="upload to the new leader: $FAIL_REASON"; return 1; }
  FILE_ID_AFTER_FAILOVER=$(body_jq '.file_id // empty')
  [ -z "$FILE_ID_BEFORE_FAILOVER" ] || expect_file_visible "$LEADER_URL" "$FILE_ID_BEFORE_FAILOVER"
}

s22_new_replica_follows() {
  local new_url id
  [ -n "$START_REPLICA_CMD" ] || { reject "START_REPLICA_CMD is not set"; return 1; }
  new_url=$(bash -c "$START_REPLICA_CMD" start-replica | tail -n 1)
  [ -n "$new_url" ] || { reject "START_REPLICA_CMD printed no URL"; return 1; }
  wait_ready "$new_url" "$READY_TIMEOUT" || { reject "$new_url not ready within ${READY_TIMEOUT}s (HTTP $HTTP_STATUS)"; return 1; }
  http_request GET "$new_url/api/v1/info"
  expect_status 200 || return 1
  expect_jq '.replica_mode == "replicated" and .role == "follower"' "$new_url: replicated follower" || return 1
  for id in "$FILE_ID_BEFORE_FAILOVER" "$FILE_ID_AFTER_FAILOVER"; do
    [ -z "$id" ] || expect_file_visible "$new_url" "$id" || return 1
  done
}

scenario 19 "one-leader-one-follower" s19_one_leader
scenario 20 "upload-through-follower" s20_upload_through_follower
scenario 21 "failover-to-follower" s21_failover
scenario 22 "new-replica-joins-as-follower" s22_new_replica_follows
finish
