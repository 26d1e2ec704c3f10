#!/usr/bin/env bash
# Prepares the se-test environment (plan §6.3): files in se-ro and se-ar, then se-ro rw -> ro and
# se-ar rw -> ro -> ar. Safe to re-run (a retried Job): it tops files up to the target counts and skips
# transitions already done.
# Environment: JWKS_MOCK_URL, SE_EDIT_1_URL, SE_EDIT_2_URL, SE_RW_1_URL, SE_RW_2_URL, SE_RO_URL, SE_AR_URL,
#   RO_FILES (default 4), AR_FILES (default 200), MOCK_TIMEOUT (60), SE_TIMEOUT (120), CA_CERT.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RO_FILES=${RO_FILES:-4}
AR_FILES=${AR_FILES:-200}
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

declare -A ELEMENTS=([se-edit-1]=${SE_EDIT_1_URL:?} [se-edit-2]=${SE_EDIT_2_URL:?} [se-rw-1]=${SE_RW_1_URL:?}
                     [se-rw-2]=${SE_RW_2_URL:?} [se-ro]=${SE_RO_URL:?} [se-ar]=${SE_AR_URL:?})

# fill SE_URL TOKEN TARGET PREFIX SIZE_BYTES: uploads random files until the element lists TARGET.
fill() {
  local url=$1 token=$2 target=$3 prefix=$4 size=$5 have i
  have=$(file_count "$url" "$token")
  for ((i = have + 1; i <= target; i++)); do
    dd if=/dev/urandom of="$WORK/$prefix-$i.bin" bs="$size" count=1 status=none
    upload_file "$url" "$token" "$WORK/$prefix-$i.bin" >/dev/null
    rm -f "$WORK/$prefix-$i.bin"
    if ((i % 50 == 0)); then log_info "$prefix: $i/$target"; fi
  done
  log_ok "$prefix: $(file_count "$url" "$token") files (target $target, had $have)"
}

# walk_to SE_URL TOKEN MODE...: applies each transition unless the element is already at or past it.
walk_to() {
  local url=$1 token=$2 mode; shift 2
  for mode in "$@"; do
    local now; now=$(current_mode "$url")
    case "$now>$mode" in
      rw\>ro | ro\>ar) transition_mode "$url" "$token" "$mode"; log_ok "$url: $now -> $mode" ;;
      ro\>ro | ar\>ro | ar\>ar) log_info "$url already $now" ;;
      *) log_fail "$url is $now, cannot go to $mode"; return 1 ;;
    esac
  done
}

log_info "1. waiting for jwks-mock ($JWKS_MOCK_URL)"
wait_http "${JWKS_MOCK_URL:?}/jwks" "${MOCK_TIMEOUT:-60}"
log_ok "jwks-mock answers"

log_info "2. token with files:read files:write storage:write"
TOKEN=$(get_token "$JWKS_MOCK_URL" init-job '["files:read","files:write","storage:write"]' 3600)

log_info "3. waiting for the six elements"
for name in "${!ELEMENTS[@]}"; do
  wait_ready "${ELEMENTS[$name]}" "${SE_TIMEOUT:-120}"
  log_ok "$name ready"
done

if [ "$(current_mode "$SE_RO_URL")" = rw ]; then
  log_info "4. $RO_FILES files into se-ro"
  fill "$SE_RO_URL" "$TOKEN" "$RO_FILES" ro-file 4096
fi
if [ "$(current_mode "$SE_AR_URL")" = rw ]; then
  log_info "5. $AR_FILES files into se-ar"
  fill "$SE_AR_URL" "$TOKEN" "$AR_FILES" ar-file 1024
fi

log_info "6. se-ro: rw -> ro"
walk_to "$SE_RO_URL" "$TOKEN" ro
log_info "7. se-ar: rw -> ro -> ar"
walk_to "$SE_AR_URL" "$TOKEN" ro ar

log_info "8. summary"
for name in se-ro se-ar; do
  log_ok "$name: mode $(current_mode "${ELEMENTS[$name]}"), $(file_count "${ELEMENTS[$name]}" "$TOKEN") files"
done
