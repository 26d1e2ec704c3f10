#!/usr/bin/env bash
# Shared library of the Storage Element scenario scripts (the test stand's init and scenario runs). Source it; do not run it.
#
# Design rules (they avoid the script defects an earlier implementation had):
# - no `set -e`: an assertion failure must be counted, never abort the run;
# - counters are incremented with VAR=$((VAR + 1)) (the `((VAR++))` form returns 1 when VAR was 0);
# - every request goes through http_request, which records status, headers and body in files, so
#   assertions never re-issue a request.
#
# Environment (defaults follow the kubectl port-forward mapping in README.md):
#   JWKS_MOCK_URL   https://localhost:18080      SE_EDIT_1_URL  https://localhost:18010
#   SE_EDIT_2_URL   https://localhost:18011      SE_RW_1_URL    https://localhost:18012
#   SE_RW_2_URL     https://localhost:18013      SE_RO_URL      https://localhost:18014
#   SE_AR_URL       https://localhost:18015
#   CURL_OPTS       -k -s --connect-timeout 5 --max-time 60
#   NO_COLOR        set to disable colours in log_* output

: "${JWKS_MOCK_URL:=https://localhost:18080}"
: "${SE_EDIT_1_URL:=https://localhost:18010}"
: "${SE_EDIT_2_URL:=https://localhost:18011}"
: "${SE_RW_1_URL:=https://localhost:18012}"
: "${SE_RW_2_URL:=https://localhost:18013}"
: "${SE_RO_URL:=https://localhost:18014}"
: "${SE_AR_URL:=https://localhost:18015}"
: "${CURL_OPTS:=-k -s --connect-timeout 5 --max-time 60}"
export JWKS_MOCK_URL SE_EDIT_1_URL SE_EDIT_2_URL SE_RW_1_URL SE_RW_2_URL SE_RO_URL SE_AR_URL CURL_OPTS

read -r -a CURL_ARGS <<< "$CURL_OPTS"

# Scopes used by the scripts (JSON arrays, the format the jwks-mock /token endpoint takes).
# shellcheck disable=SC2034 # used by the scripts that source this file
SCOPES_ALL='["files:read","files:write","storage:write"]'
# shellcheck disable=SC2034
SCOPES_READ_ONLY='["files:read"]'

PASS_COUNT=0
FAIL_COUNT=0
FAIL_REASON=""

LIB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/se-scripts.XXXXXX")
trap 'rm -rf "$LIB_TMP"' EXIT
HTTP_BODY_FILE="$LIB_TMP/body"
HTTP_HEADERS_FILE="$LIB_TMP/headers"
HTTP_STATUS="000"

# ---------------------------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------------------------
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  _C_BLUE=$'\033[34m'; _C_GREEN=$'\033[32m'; _C_RED=$'\033[31m'; _C_OFF=$'\033[0m'
else
  _C_BLUE=""; _C_GREEN=""; _C_RED=""; _C_OFF=""
fi
log_info() { printf '%s[INFO]%s %s\n' "$_C_BLUE" "$_C_OFF" "$*" >&2; }
log_ok()   { printf '%s[ OK ]%s %s\n' "$_C_GREEN" "$_C_OFF" "$*" >&2; }
log_fail() { printf '%s[FAIL]%s %s\n' "$_C_RED" "$_C_OFF" "$*" >&2; }

# ---------------------------------------------------------------------------------------------
# Counting scenarios
# ---------------------------------------------------------------------------------------------
pass() { # pass N NAME
  PASS_COUNT=$((PASS_COUNT + 1))
  printf 'PASS %s %s\n' "$1" "$2"
}
fail() { # fail N NAME REASON
  FAIL_COUNT=$((FAIL_COUNT + 1))
  printf 'FAIL %s %s: %s\n' "$1" "$2" "$3"
}

# scenario N NAME FUNCTION: runs FUNCTION; it returns 0 for success or sets FAIL_REASON and returns 1.
scenario() {
  local n=$1 name=$2 fn=$3
  FAIL_REASON=""
  log_info "scenario $n: $name"
  if "$fn"; then
    pass "$n" "$name"
  else
    fail "$n" "$name" "${FAIL_REASON:-failed without a reason}"
  fi
}

# Prints the summary line and exits non-zero when anything failed.
finish() {
  printf '%d passed, %d failed\n' "$PASS_COUNT" "$FAIL_COUNT"
  [ "$FAIL_COUNT" -eq 0 ]
  exit $?
}

# reject REASON: sets FAIL_REASON and returns 1; scenarios use `check || { reject "why"; return 1; }`.
reject() {
  FAIL_REASON="$*"
  return 1
}

# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------
# http_request METHOD URL [curl args...]: sets HTTP_STATUS ("000" when no response) and fills
# HTTP_BODY_FILE / HTTP_HEADERS_FILE.
http_request() {
  local method=$1 url=$2
  shift 2
  : > "$HTTP_BODY_FILE"
  : > "$HTTP_HEADERS_FILE"
  HTTP_STATUS=$(curl "${CURL_ARGS[@]}" -X "$method" -o "$HTTP_BODY_FILE" -D "$HTTP_HEADERS_FILE" \
    -w '%{http_code}' "$@" "$url" 2>/dev/null)
  [ -n "$HTTP_STATUS" ] || HTTP_STATUS="000"
}

# http_auth METHOD URL TOKEN [curl args...]
http_auth() {
  local method=$1 url=$2 token=$3
  shift 3
  http_request "$method" "$url" -H "Authorization: Bearer $token" "$@"
}

# body_jq EXPR: jq -r EXPR on the last response body (empty output when the body is not JSON).
body_jq() { jq -r "$1" "$HTTP_BODY_FILE" 2>/dev/null; }

# header_value NAME: value of a header of the final response (case-insensitive name, CR stripped).
header_value() {
  awk -v name="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" '
    /^HTTP\// { found = ""; value = ""; next }
    {
      line = $0; sub(/\r$/, "", line)
      i = index(line, ":")
      if (i > 0 && tolower(substr(line, 1, i - 1)) == name) {
        v = substr(line, i + 1); sub(/^[ \t]+/, "", v); value = v; found = 1
      }
    }
    END { if (found) print value }' "$HTTP_HEADERS_FILE"
}

# get_token JWKS_URL SUB SCOPES_JSON TTL_SECONDS: prints a signed JWT from the jwks-mock.
get_token() {
  local jwks_url=$1 sub=$2 scopes=$3 ttl=$4 req token
  req=$(jq -cn --arg sub "$sub" --argjson scopes "$scopes" --argjson ttl "$ttl" \
    '{sub: $sub, scopes: $scopes, ttl_seconds: $ttl}') || return 1
  http_request POST "$jwks_url/token" -H 'Content-Type: application/json' --data-binary "$req"
  if [ "$HTTP_STATUS" != "200" ]; then
    log_fail "token request to $jwks_url/token answered $HTTP_STATUS"
    return 1
  fi
  token=$(body_jq '.token // empty')
  [ -n "$token" ] || { log_fail "token response has no .token"; return 1; }
  printf '%s\n' "$token"
}

# wait_http URL TIMEOUT_SECONDS [EXPECTED_STATUS]: polls until URL answers the status (default 200).
wait_http() {
  local url=$1 timeout=$2 expected=${3:-200} deadline
  deadline=$(( $(date +%s) + timeout ))
  while :; do
    http_request GET "$url"
    [ "$HTTP_STATUS" = "$expected" ] && return 0
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 2
  done
}

# wait_ready SE_URL TIMEOUT_SECONDS: waits for GET /health/ready → 200.
wait_ready() { wait_http "$1/health/ready" "$2" 200; }

# upload_file SE_URL TOKEN FILE CONTENT_TYPE [extra curl -F args...]
# e.g. upload_file "$url" "$t" f.bin application/octet-stream -F description=x -F 'tags=["a"]'
upload_file() {
  local url=$1 token=$2 file=$3 content_type=$4
  shift 4
  http_auth POST "$url/api/v1/files/upload" "$token" -F "file=@$file;type=$content_type" "$@"
}

# transition_mode SE_URL TOKEN TARGET_MODE CONFIRM(true|false)
transition_mode() {
  local url=$1 token=$2 target=$3 confirm=${4:-false} req
  req=$(jq -cn --arg t "$target" --argjson c "$confirm" '{target_mode: $t, confirm: $c}')
  http_auth POST "$url/api/v1/mode/transition" "$token" -H 'Content-Type: application/json' --data-binary "$req"
}

# current_mode SE_URL: prints the mode from the public /api/v1/info (empty when unreachable).
current_mode() {
  http_request GET "$1/api/v1/info"
  [ "$HTTP_STATUS" = "200" ] && body_jq '.mode // empty'
}

# make_random_file PATH SIZE_BYTES
make_random_file() { head -c "$2" /dev/urandom > "$1"; }

sha256_of() { sha256sum "$1" | awk '{print $1}'; }

# ---------------------------------------------------------------------------------------------
# Assertions: return 0, or set FAIL_REASON and return 1. Use as `expect_status 200 || return 1`.
# ---------------------------------------------------------------------------------------------
_body_excerpt() { head -c 200 "$HTTP_BODY_FILE" | tr '\n' ' '; }

expect_status() { # expect_status CODE [CODE...]
  local code
  for code in "$@"; do
    [ "$HTTP_STATUS" = "$code" ] && return 0
  done
  reject "expected HTTP $*, got $HTTP_STATUS (body: $(_body_excerpt))"
}

expect_jq() { # expect_jq JQ_EXPR [WHAT]: the expression must evaluate to true on the body
  if jq -e "$1" "$HTTP_BODY_FILE" > /dev/null 2>&1; then
    return 0
  fi
  reject "${2:-$1} does not hold (body: $(_body_excerpt))"
}

expect_header() { # expect_header NAME [EXPECTED_VALUE]
  local value
  value=$(header_value "$1")
  if [ -z "$value" ] && ! grep -qi "^$1:" "$HTTP_HEADERS_FILE"; then
    reject "header $1 missing"
    return 1
  fi
  if [ $# -ge 2 ] && [ "$value" != "$2" ]; then
    reject "header $1 is '$value', expected '$2'"
    return 1
  fi
}

expect_header_match() { # expect_header_match NAME EXTENDED_REGEX
  local value
  value=$(header_value "$1")
  [[ "$value" =~ $2 ]] || reject "header $1 is '$value', expected to match /$2/"
}

# expect_error STATUS CODE: status, JSON content type and .error.code/.error.message of an ErrorResponse.
expect_error() {
  expect_status "$1" || return 1
  expect_header_match Content-Type '^application/json' || return 1
  expect_jq ".error.code == \"$2\"" ".error.code == $2" || return 1
  expect_jq '.error.message | type == "string"' '.error.message is a string'
}

# expect_equal ACTUAL EXPECTED WHAT
expect_equal() {
  [ "$1" = "$2" ] || reject "$3 is '$1', expected '$2'"
}

# shellcheck disable=SC2034 # used by the scripts that source this file
UUID_RE='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
