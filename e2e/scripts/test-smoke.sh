#!/usr/bin/env bash
# Scenarios 1-3 (plan §6.4, test-smoke): health and info endpoints of all six storage elements.
# Public endpoints only: no token needed.
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

ALL_SE_URLS=("$SE_EDIT_1_URL" "$SE_EDIT_2_URL" "$SE_RW_1_URL" "$SE_RW_2_URL" "$SE_RO_URL" "$SE_AR_URL")

s01_health_live() {
  local url
  for url in "${ALL_SE_URLS[@]}"; do
    http_request GET "$url/health/live"
    expect_status 200 || { FAIL_REASON="$url: $FAIL_REASON"; return 1; }
    expect_jq '.status == "ok" and .service == "storage-element" and (.version | type == "string")' \
      "$url: status ok, service storage-element, version" || return 1
  done
}

s02_health_ready() {
  local url
  for url in "${ALL_SE_URLS[@]}"; do
    http_request GET "$url/health/ready"
    expect_status 200 || { FAIL_REASON="$url: $FAIL_REASON"; return 1; }
    expect_jq '.checks.filesystem.status == "ok" and (.checks.wal.status | IN("ok","degraded"))' \
      "$url: checks.filesystem.status == ok and checks.wal present" || return 1
  done
}

# allowed_operations for a mode, in the contract's fixed order (§4, §9).
expected_operations() {
  case $1 in
    edit) echo '["upload","download","update","delete","list"]' ;;
    rw) echo '["upload","download","update","list"]' ;;
    ro) echo '["download","list"]' ;;
    ar) echo '["list"]' ;;
    *) echo 'null' ;;
  esac
}

s03_info_and_metrics() {
  local url mode
  for url in "${ALL_SE_URLS[@]}"; do
    http_request GET "$url/api/v1/info"
    expect_status 200 || { FAIL_REASON="$url: $FAIL_REASON"; return 1; }
    expect_jq '(.storage_id | type == "string" and length > 0)
               and (.mode | IN("edit","rw","ro","ar"))
               and (.status | IN("online","offline","degraded","maintenance"))
               and (.capacity.total_bytes | type == "number")
               and (.capacity.available_bytes == ([0, .capacity.total_bytes - .capacity.used_bytes] | max))' \
      "$url: storage_id, mode, status, capacity" || return 1
    mode=$(body_jq '.mode')
    expect_jq ".allowed_operations == $(expected_operations "$mode")" \
      "$url: allowed_operations match mode $mode in contract order" || return 1
  done
  http_request GET "$SE_RW_1_URL/metrics"
  expect_status 200 || return 1
  grep -q '^se_http_requests_total' "$HTTP_BODY_FILE" || { reject "/metrics has no se_http_requests_total"; return 1; }
}

scenario 1 "health-live" s01_health_live
scenario 2 "health-ready" s02_health_ready
scenario 3 "info-and-metrics" s03_info_and_metrics
finish
