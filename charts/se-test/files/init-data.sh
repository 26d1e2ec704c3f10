#!/usr/bin/env bash
# Prepares the test environment (plan §6.3), as the Helm post-install job or by hand:
#   1. wait for the jwks-mock (GET /jwks, up to MOCK_TIMEOUT, default 60 s)
#   2. get a token with files:read files:write storage:write
#   3. wait for all six elements (GET /health/ready, up to READY_TIMEOUT, default 120 s)
#   4. upload RO_FILES (4) files to se-ro
#   5. upload AR_FILES (200) files of ~1 KiB to se-ar
#   6. transition se-ro rw → ro
#   7. transition se-ar rw → ro → ar
#   8. print a summary
# Idempotent: an element already in its target mode is skipped; an element still in rw only gets the
# files it is missing (an interrupted run is completed, not duplicated); se-ar found in ro continues to ar.
# Exits non-zero on the first step that fails (the environment is then unusable for the scenarios).
set -u -o pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/lib.sh
source "$SCRIPT_DIR/lib.sh"

: "${MOCK_TIMEOUT:=60}"
: "${READY_TIMEOUT:=120}"
: "${RO_FILES:=4}"
: "${AR_FILES:=200}"

die() { log_fail "$*"; exit 1; }

# list_total URL: number of files on the element.
list_total() {
  http_auth GET "$1/api/v1/files?limit=1" "$TOKEN"
  [ "$HTTP_STATUS" = "200" ] || die "listing $1 answered $HTTP_STATUS"
  body_jq '.total'
}

# fill URL PREFIX WANTED SIZE CONTENT_TYPE: uploads files until the element holds WANTED files.
fill() {
  local url=$1 prefix=$2 wanted=$3 size=$4 content_type=$5 have i file
  have=$(list_total "$url") || exit 1
  log_info "$url holds $have files, wants $wanted"
  for ((i = have + 1; i <= wanted; i++)); do
    file="$LIB_TMP/$(printf '%s-%03d.bin' "$prefix" "$i")"
    make_random_file "$file" "$size"
    upload_file "$url" "$TOKEN" "$file" "$content_type" -F "description=init-data $prefix $i" -F 'tags=["init-data"]'
    [ "$HTTP_STATUS" = "201" ] || die "upload $i to $url answered HTTP $HTTP_STATUS: $(head -c 200 "$HTTP_BODY_FILE")"
    rm -f "$file"
  done
}

# transition URL TARGET: rw→ro or ro→ar, failing loudly.
transition() {
  transition_mode "$1" "$TOKEN" "$2" false
  [ "$HTTP_STATUS" = "200" ] || die "transition of $1 to $2 answered $HTTP_STATUS: $(head -c 200 "$HTTP_BODY_FILE")"
  log_ok "$1 → $2"
}

log_info "step 1: waiting for jwks-mock at $JWKS_MOCK_URL"
wait_http "$JWKS_MOCK_URL/jwks" "$MOCK_TIMEOUT" || die "jwks-mock not ready within ${MOCK_TIMEOUT}s"

log_info "step 2: token"
TOKEN=$(get_token "$JWKS_MOCK_URL" "init-data" "$SCOPES_ALL" 3600) || die "no token from jwks-mock"

log_info "step 3: waiting for the six elements"
for url in "$SE_EDIT_1_URL" "$SE_EDIT_2_URL" "$SE_RW_1_URL" "$SE_RW_2_URL" "$SE_RO_URL" "$SE_AR_URL"; do
  wait_ready "$url" "$READY_TIMEOUT" || die "$url/health/ready not answering 200 within ${READY_TIMEOUT}s (HTTP $HTTP_STATUS)"
  log_ok "$url ready"
done

ro_mode=$(current_mode "$SE_RO_URL")
case $ro_mode in
  rw)
    log_info "steps 4 and 6: se-ro"
    fill "$SE_RO_URL" ro-file "$RO_FILES" 4096 application/octet-stream
    transition "$SE_RO_URL" ro ;;
  ro) log_info "se-ro already in ro: skipped" ;;
  *) die "se-ro is in unexpected mode '$ro_mode'" ;;
esac

ar_mode=$(current_mode "$SE_AR_URL")
case $ar_mode in
  rw)
    log_info "steps 5 and 7: se-ar"
    fill "$SE_AR_URL" ar-file "$AR_FILES" 1024 application/octet-stream
    transition "$SE_AR_URL" ro
    transition "$SE_AR_URL" ar ;;
  ro)
    log_info "se-ar found in ro (interrupted run): continuing to ar"
    transition "$SE_AR_URL" ar ;;
  ar) log_info "se-ar already in ar: skipped" ;;
  *) die "se-ar is in unexpected mode '$ar_mode'" ;;
esac

log_info "step 8: summary"
printf 'se-ro: mode %s, %s files\n' "$(current_mode "$SE_RO_URL")" "$(list_total "$SE_RO_URL")"
printf 'se-ar: mode %s, %s files\n' "$(current_mode "$SE_AR_URL")" "$(list_total "$SE_AR_URL")"
log_ok "init-data done"
