#!/usr/bin/env bash
# Scenarios 4-11 (plan §6.4, test-files): the file life cycle on se-edit-1 (edit mode allows every
# operation): upload, download (full, ranged, conditional), list, metadata, update, delete.
# Each scenario builds on the file uploaded in scenario 4; when 4 fails the others fail with a reason.
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

SE_URL=$SE_EDIT_1_URL
SUB="e2e-files"
TOKEN=$(get_token "$JWKS_MOCK_URL" "$SUB" "$SCOPES_ALL" 3600) || TOKEN="no-token"
FILE="$LIB_TMP/files-test.bin"
make_random_file "$FILE" 1024
FILE_SHA=$(sha256_of "$FILE")
FILE_ID=""
ETAG=""

need_file() { [ -n "$FILE_ID" ] || { reject "no file: scenario 4 failed"; return 1; }; }

s04_upload() {
  upload_file "$SE_URL" "$TOKEN" "$FILE" application/octet-stream
  expect_status 201 || return 1
  FILE_ID=$(body_jq '.file_id // empty')
  [[ "$FILE_ID" =~ $UUID_RE ]] || { reject "file_id '$FILE_ID' is not a UUID"; FILE_ID=""; return 1; }
  expect_jq ".size == 1024 and .checksum == \"$FILE_SHA\" and .uploaded_by == \"$SUB\"
             and .original_filename == \"files-test.bin\" and .status == \"active\"
             and .retention_policy == \"temporary\" and (.expires_at | type == \"string\")" \
    "size, checksum, uploaded_by, original_filename, status, temporary retention" || return 1
}

s05_download() {
  need_file || return 1
  http_auth GET "$SE_URL/api/v1/files/$FILE_ID/download" "$TOKEN"
  expect_status 200 || return 1
  expect_header_match Content-Type '^application/octet-stream' || return 1
  expect_header Content-Length 1024 || return 1
  expect_header Accept-Ranges bytes || return 1
  expect_header ETag "\"$FILE_SHA\"" || return 1
  expect_header_match Content-Disposition '^attachment; filename="files-test.bin"' || return 1
  expect_equal "$(sha256_of "$HTTP_BODY_FILE")" "$FILE_SHA" "sha256 of the downloaded body" || return 1
  ETAG=$(header_value ETag)
}

s06_range() {
  need_file || return 1
  http_auth GET "$SE_URL/api/v1/files/$FILE_ID/download" "$TOKEN" -H 'Range: bytes=0-99'
  expect_status 206 || return 1
  expect_header Content-Range 'bytes 0-99/1024' || return 1
  expect_equal "$(sha256_of "$HTTP_BODY_FILE")" "$(head -c 100 "$FILE" | sha256sum | awk '{print $1}')" \
    "sha256 of the first 100 bytes" || return 1
}

s07_if_none_match() {
  need_file || return 1
  [ -n "$ETAG" ] || ETAG="\"$FILE_SHA\""
  http_auth GET "$SE_URL/api/v1/files/$FILE_ID/download" "$TOKEN" -H "If-None-Match: $ETAG"
  expect_status 304 || return 1
  [ ! -s "$HTTP_BODY_FILE" ] || { reject "304 carried a body"; return 1; }
}

s08_list() {
  http_auth GET "$SE_URL/api/v1/files?limit=2&offset=0" "$TOKEN"
  expect_status 200 || return 1
  expect_jq '(.items | type == "array" and length <= 2) and .limit == 2 and .offset == 0
             and (.total | type == "number" and . >= 1) and (.has_more | type == "boolean")
             and (.has_more == (.total > (.offset + (.items | length))))' \
    "items (<= 2), total >= 1, limit, offset, has_more consistent" || return 1
}

s09_metadata() {
  need_file || return 1
  http_auth GET "$SE_URL/api/v1/files/$FILE_ID" "$TOKEN"
  expect_status 200 || return 1
  expect_jq ".file_id == \"$FILE_ID\" and .size == 1024 and .checksum == \"$FILE_SHA\"
             and .content_type == \"application/octet-stream\" and (.uploaded_at | type == \"string\")" \
    "metadata of the uploaded file" || return 1
}

s10_update() {
  need_file || return 1
  http_auth PATCH "$SE_URL/api/v1/files/$FILE_ID" "$TOKEN" -H 'Content-Type: application/json' \
    --data-binary '{"description":"updated by e2e","tags":["e2e","files"]}'
  expect_status 200 || return 1
  expect_jq '.description == "updated by e2e" and .tags == ["e2e","files"]' "description and tags updated" || return 1
  http_auth GET "$SE_URL/api/v1/files/$FILE_ID" "$TOKEN"
  expect_status 200 || return 1
  expect_jq '.description == "updated by e2e" and .tags == ["e2e","files"]' "update visible on re-read" || return 1
}

s11_delete() {
  need_file || return 1
  http_auth DELETE "$SE_URL/api/v1/files/$FILE_ID" "$TOKEN"
  expect_status 204 || return 1
  [ ! -s "$HTTP_BODY_FILE" ] || { reject "204 carried a body"; return 1; }
  http_auth GET "$SE_URL/api/v1/files/$FILE_ID" "$TOKEN"
  expect_status 200 || return 1
  expect_jq '.status == "deleted"' "metadata status deleted after DELETE" || return 1
  http_auth GET "$SE_URL/api/v1/files/$FILE_ID/download" "$TOKEN"
  expect_error 404 NOT_FOUND || { FAIL_REASON="download of a deleted file: $FAIL_REASON"; return 1; }
}

scenario 4 "upload" s04_upload
scenario 5 "download" s05_download
scenario 6 "download-range" s06_range
scenario 7 "download-if-none-match" s07_if_none_match
scenario 8 "list-paging" s08_list
scenario 9 "metadata" s09_metadata
scenario 10 "update-metadata" s10_update
scenario 11 "delete" s11_delete
finish
