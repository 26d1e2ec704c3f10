#!/usr/bin/env bash
# Scenarios 25-26 (plan §6.4, test-gc-reconcile): garbage collection and reconciliation.
#
# Scenario 25 and TTL: the plan uploads "a file with a short TTL" and waits for GC. The contract's
# smallest TTL is 1 day (ttl_days 1..365), so no file can expire during a test run. The scenario
# therefore checks the other half of GC: a soft-deleted file is physically removed. It uploads to
# se-edit-2 with ttl_days=1 (checks the additive form field), deletes the file (soft), sees its
# metadata with status "deleted", then polls until GC has removed it (metadata → 404 NOT_FOUND).
# The test environment runs se-edit-2 with SE_GC_INTERVAL=30s and SE_GC_GRACE_DELETED=0s.
#   GC_WAIT_SECONDS   how long to wait for GC (default 40: one 30 s interval plus slack)
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

: "${GC_WAIT_SECONDS:=40}"
TOKEN=$(get_token "$JWKS_MOCK_URL" "e2e-gc" "$SCOPES_ALL" 3600) || TOKEN="no-token"
FILE="$LIB_TMP/gc-test.bin"
make_random_file "$FILE" 1024

s25_gc_removes_deleted_file() {
  local id deadline
  upload_file "$SE_EDIT_2_URL" "$TOKEN" "$FILE" application/octet-stream -F ttl_days=1
  expect_status 201 || return 1
  expect_jq '.retention_policy == "temporary" and .ttl_days == 1 and (.expires_at | type == "string")' \
    "temporary retention with ttl_days 1" || return 1
  id=$(body_jq '.file_id')
  http_auth DELETE "$SE_EDIT_2_URL/api/v1/files/$id" "$TOKEN"
  expect_status 204 || return 1
  http_auth GET "$SE_EDIT_2_URL/api/v1/files/$id" "$TOKEN"
  if [ "$HTTP_STATUS" = "200" ]; then
    expect_jq '.status == "deleted"' "metadata status deleted before GC" || return 1
  fi
  deadline=$(( $(date +%s) + GC_WAIT_SECONDS ))
  while [ "$HTTP_STATUS" = "200" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 2
    http_auth GET "$SE_EDIT_2_URL/api/v1/files/$id" "$TOKEN"
  done
  expect_error 404 NOT_FOUND || { FAIL_REASON="after ${GC_WAIT_SECONDS}s of GC: $FAIL_REASON"; return 1; }
}

s26_reconcile() {
  local deadline
  deadline=$(( $(date +%s) + 30 ))
  while :; do
    http_auth POST "$SE_RW_1_URL/api/v1/maintenance/reconcile" "$TOKEN"
    if [ "$HTTP_STATUS" != "409" ] || [ "$(body_jq '.error.code')" != "RECONCILE_IN_PROGRESS" ] \
      || [ "$(date +%s)" -ge "$deadline" ]; then
      break
    fi
    sleep 2
  done
  expect_status 200 || return 1
  expect_jq '(.issues | type == "array") and (.files_checked | type == "number")
             and (.started_at | type == "string") and (.completed_at | type == "string")
             and ([.summary.ok, .summary.orphaned_files, .summary.missing_files,
                   .summary.checksum_mismatches, .summary.size_mismatches] | all(type == "number"))' \
    "issues array, files_checked, started_at, completed_at, summary numbers" || return 1
  expect_jq '.issues == [] and ([.summary.orphaned_files, .summary.missing_files,
             .summary.checksum_mismatches, .summary.size_mismatches] | all(. == 0))' "a clean element reports no issues"
}

scenario 25 "gc-removes-deleted-file" s25_gc_removes_deleted_file
scenario 26 "reconcile" s26_reconcile
finish
