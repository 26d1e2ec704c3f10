#!/usr/bin/env bash
# Scenarios 23-24 (plan §6.4, test-data): the data init-data.sh put into se-ro and se-ar is listed
# completely after their transitions to ro and ar.
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

TOKEN=$(get_token "$JWKS_MOCK_URL" "e2e-data" "$SCOPES_ALL" 3600) || TOKEN="no-token"
: "${AR_EXPECTED_FILES:=200}"

s23_ro_has_data() {
  http_auth GET "$SE_RO_URL/api/v1/files?limit=100" "$TOKEN"
  expect_status 200 || return 1
  expect_jq '.total >= 3 and (.items | length) == ([.total, 100] | min)' "total >= 3 and every item on the page" || return 1
}

# Pages through se-ar with offset += len(items) and checks every file is seen exactly once
# (docs/contract.md §8: total, stable ordering, no skips or repeats).
s24_ar_has_all_files() {
  local offset=0 count total ids="$LIB_TMP/ar-ids"
  : > "$ids"
  while :; do
    http_auth GET "$SE_AR_URL/api/v1/files?limit=64&offset=$offset" "$TOKEN"
    expect_status 200 || return 1
    body_jq '.items[].file_id' >> "$ids"
    count=$(body_jq '.items | length')
    total=$(body_jq '.total')
    [ "$count" -gt 0 ] || break
    offset=$((offset + count))
    [ "$(body_jq '.has_more')" = "true" ] || break
    [ "$offset" -le 100000 ] || { reject "paging did not end"; return 1; }
  done
  expect_equal "$total" "$AR_EXPECTED_FILES" "total of se-ar" || return 1
  expect_equal "$(sort -u "$ids" | wc -l)" "$AR_EXPECTED_FILES" "distinct file_ids seen while paging" || return 1
  expect_equal "$(wc -l < "$ids")" "$AR_EXPECTED_FILES" "file_ids seen while paging (repeats counted)"
}

scenario 23 "ro-lists-init-data" s23_ro_has_data
scenario 24 "ar-lists-all-200-files" s24_ar_has_all_files
finish
