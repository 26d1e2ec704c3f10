#!/usr/bin/env bash
# Scenarios 12-18 (plan §6.4, test-modes): operations refused by the mode, and mode transitions.
# Needs init-data.sh to have put se-ro in ro and se-ar in ar. Scenarios 15-17 take se-rw-2 through
# rw → ro → rw; if an earlier interrupted run left it in ro, it is restored to rw first (with confirm).
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

TOKEN=$(get_token "$JWKS_MOCK_URL" "e2e-modes" "$SCOPES_ALL" 3600) || TOKEN="no-token"
FILE="$LIB_TMP/modes-test.bin"
make_random_file "$FILE" 512

s12_upload_on_ro() {
  upload_file "$SE_RO_URL" "$TOKEN" "$FILE" application/octet-stream
  expect_error 409 MODE_NOT_ALLOWED
}

s13_download_on_ar() {
  local id
  http_auth GET "$SE_AR_URL/api/v1/files?limit=1" "$TOKEN"
  expect_status 200 || return 1
  id=$(body_jq '.items[0].file_id // empty')
  [ -n "$id" ] || { reject "se-ar lists no file to download (did init-data.sh run?)"; return 1; }
  http_auth GET "$SE_AR_URL/api/v1/files/$id/download" "$TOKEN"
  expect_error 409 MODE_NOT_ALLOWED
}

s14_delete_on_rw() {
  local id
  upload_file "$SE_RW_1_URL" "$TOKEN" "$FILE" application/octet-stream
  expect_status 201 || { FAIL_REASON="setup upload to se-rw-1: $FAIL_REASON"; return 1; }
  id=$(body_jq '.file_id')
  http_auth DELETE "$SE_RW_1_URL/api/v1/files/$id" "$TOKEN"
  expect_error 409 MODE_NOT_ALLOWED || return 1
  http_auth GET "$SE_RW_1_URL/api/v1/files/$id" "$TOKEN"
  expect_status 200 || return 1
  expect_jq '.status == "active" and .retention_policy == "permanent"' "file still active and permanent" || return 1
}

expect_mode() { # expect_mode URL MODE: /api/v1/info reports MODE
  local mode
  mode=$(current_mode "$1")
  expect_equal "$mode" "$2" "mode of $1 in /api/v1/info"
}

s15_rw_to_ro() {
  transition_mode "$SE_RW_2_URL" "$TOKEN" ro false
  expect_status 200 || return 1
  expect_jq '.previous_mode == "rw" and .current_mode == "ro" and (.transitioned_at | type == "string")' \
    "previous_mode rw, current_mode ro, transitioned_at" || return 1
  expect_mode "$SE_RW_2_URL" ro
}

s16_ro_to_rw_needs_confirm() {
  transition_mode "$SE_RW_2_URL" "$TOKEN" rw false
  expect_error 409 CONFIRMATION_REQUIRED || return 1
  expect_mode "$SE_RW_2_URL" ro
}

s17_ro_to_rw_confirmed() {
  transition_mode "$SE_RW_2_URL" "$TOKEN" rw true
  expect_status 200 || return 1
  expect_jq '.previous_mode == "ro" and .current_mode == "rw"' "previous_mode ro, current_mode rw" || return 1
  expect_mode "$SE_RW_2_URL" rw
}

s18_edit_is_isolated() {
  transition_mode "$SE_EDIT_1_URL" "$TOKEN" rw false
  expect_error 409 INVALID_TRANSITION || return 1
  expect_mode "$SE_EDIT_1_URL" edit
}

if [ "$(current_mode "$SE_RW_2_URL")" = "ro" ]; then
  log_info "se-rw-2 is in ro (interrupted earlier run): restoring rw before scenarios 15-17"
  transition_mode "$SE_RW_2_URL" "$TOKEN" rw true
fi

scenario 12 "upload-refused-in-ro" s12_upload_on_ro
scenario 13 "download-refused-in-ar" s13_download_on_ar
scenario 14 "delete-refused-in-rw" s14_delete_on_rw
scenario 15 "transition-rw-to-ro" s15_rw_to_ro
scenario 16 "transition-ro-to-rw-needs-confirm" s16_ro_to_rw_needs_confirm
scenario 17 "transition-ro-to-rw-confirmed" s17_ro_to_rw_confirmed
scenario 18 "transition-out-of-edit-refused" s18_edit_is_isolated
finish
