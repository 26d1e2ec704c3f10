#!/usr/bin/env bash
# Scenarios 27-30 (plan §6.4, test-errors): authentication, authorisation and size errors on se-rw-1,
# each checked for its status and its ErrorResponse code.
#   MAX_FILE_SIZE   SE_MAX_FILE_SIZE of the element under test (default 10485760, the test env value)
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

: "${MAX_FILE_SIZE:=10485760}"
SE_URL=$SE_RW_1_URL
TOKEN=$(get_token "$JWKS_MOCK_URL" "e2e-errors" "$SCOPES_ALL" 3600) || TOKEN="no-token"
READ_TOKEN=$(get_token "$JWKS_MOCK_URL" "e2e-errors-reader" "$SCOPES_READ_ONLY" 3600) || READ_TOKEN="no-token"
SMALL_FILE="$LIB_TMP/small.bin"
make_random_file "$SMALL_FILE" 256

s27_no_token() {
  http_request GET "$SE_URL/api/v1/files"
  expect_error 401 UNAUTHORIZED || return 1
  expect_header_match WWW-Authenticate '^Bearer'
}

# A garbage token and a real token with a tampered signature must both be refused.
s28_invalid_token() {
  local head sig first tampered
  http_auth GET "$SE_URL/api/v1/files" "not.a.jwt"
  expect_error 401 UNAUTHORIZED || { FAIL_REASON="garbage token: $FAIL_REASON"; return 1; }
  head=${TOKEN%.*}
  sig=${TOKEN##*.}
  first=${sig:0:1}
  if [ "$first" = "A" ]; then first="B"; else first="A"; fi
  tampered="$head.$first${sig:1}"
  http_auth GET "$SE_URL/api/v1/files" "$tampered"
  expect_error 401 UNAUTHORIZED || { FAIL_REASON="tampered signature: $FAIL_REASON"; return 1; }
}

s29_missing_scope() {
  http_auth GET "$SE_URL/api/v1/files?limit=1" "$READ_TOKEN"
  expect_status 200 || { FAIL_REASON="the read-only token must still list: $FAIL_REASON"; return 1; }
  upload_file "$SE_URL" "$READ_TOKEN" "$SMALL_FILE" application/octet-stream
  expect_error 403 FORBIDDEN
}

# The refused upload must leave nothing behind: the listing total is unchanged.
s30_file_too_large() {
  local big="$LIB_TMP/too-large.bin" before after
  http_auth GET "$SE_URL/api/v1/files?limit=1" "$TOKEN"
  before=$(body_jq '.total')
  make_random_file "$big" $((MAX_FILE_SIZE + 1024))
  upload_file "$SE_URL" "$TOKEN" "$big" application/octet-stream
  rm -f "$big"
  expect_error 413 FILE_TOO_LARGE || return 1
  http_auth GET "$SE_URL/api/v1/files?limit=1" "$TOKEN"
  after=$(body_jq '.total')
  expect_equal "$after" "$before" "listing total after the refused upload"
}

scenario 27 "no-token-401" s27_no_token
scenario 28 "invalid-token-401" s28_invalid_token
scenario 29 "missing-scope-403" s29_missing_scope
scenario 30 "file-too-large-413" s30_file_too_large
finish
