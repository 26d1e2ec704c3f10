#!/usr/bin/env bash
# Shared helpers for the se-test scripts (plan §6.3): curl + jq against the Storage Element API.
# Source it. Environment:
#   CA_CERT    CA bundle to verify the services' certificates (default: none -> curl -k)
#   CURL_OPTS  extra curl options (default: -sS --connect-timeout 5 --max-time 60)

CURL_OPTS=${CURL_OPTS:--sS --connect-timeout 5 --max-time 60}
if [ -n "${CA_CERT:-}" ] && [ -f "$CA_CERT" ]; then TLS_OPTS=(--cacert "$CA_CERT"); else TLS_OPTS=(-k); fi

if [ -t 1 ]; then C_INFO=$'\e[36m' C_OK=$'\e[32m' C_FAIL=$'\e[31m' C_END=$'\e[0m'; else C_INFO='' C_OK='' C_FAIL='' C_END=''; fi
log_info() { echo "${C_INFO}[INFO]${C_END} $(date +%T) $*"; }
log_ok()   { echo "${C_OK}[ OK ]${C_END} $(date +%T) $*"; }
log_fail() { echo "${C_FAIL}[FAIL]${C_END} $(date +%T) $*" >&2; }

# http METHOD URL [curl args...]: prints the body, then the status code on the last line.
http() {
  local method=$1 url=$2; shift 2
  # shellcheck disable=SC2086
  curl $CURL_OPTS "${TLS_OPTS[@]}" -X "$method" -w '\n%{http_code}' "$@" "$url"
}
status_of() { tail -n1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }

# assert_status RESPONSE EXPECTED DESCRIPTION: fails (return 1) with the body when the status differs.
assert_status() {
  local got; got=$(status_of "$1")
  if [ "$got" != "$2" ]; then
    log_fail "$3: HTTP $got, expected $2: $(body_of "$1" | head -c 500)"
    return 1
  fi
}

# wait_http URL TIMEOUT_SECONDS: until URL answers 200.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2)) r
  while :; do
    r=$(http GET "$url" 2>/dev/null) && [ "$(status_of "$r")" = 200 ] && return 0
    if [ $SECONDS -ge $deadline ]; then log_fail "$url not answering 200 after $2 s"; return 1; fi
    sleep 2
  done
}

# wait_ready SE_URL TIMEOUT_SECONDS
wait_ready() { wait_http "$1/health/ready" "$2"; }

# get_token MOCK_URL SUB SCOPES_JSON_ARRAY TTL_SECONDS: prints a JWT from the jwks-mock.
get_token() {
  local r body
  body=$(jq -cn --arg sub "$2" --argjson scopes "$3" --argjson ttl "$4" '{sub: $sub, scopes: $scopes, ttl_seconds: $ttl}')
  r=$(http POST "$1/token" -H 'Content-Type: application/json' -d "$body") || return 1
  assert_status "$r" 200 "token for $2" || return 1
  body_of "$r" | jq -er .token
}

# upload_file SE_URL TOKEN PATH [CONTENT_TYPE]: prints the new file_id.
upload_file() {
  local r
  r=$(http POST "$1/api/v1/files/upload" -H "Authorization: Bearer $2" \
      -F "file=@$3;type=${4:-application/octet-stream}") || return 1
  assert_status "$r" 201 "upload $(basename "$3") to $1" || return 1
  body_of "$r" | jq -er .file_id
}

# transition_mode SE_URL TOKEN TARGET_MODE [CONFIRM=false]
transition_mode() {
  local r
  r=$(http POST "$1/api/v1/mode/transition" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' \
      -d "$(jq -cn --arg m "$3" --argjson c "${4:-false}" '{target_mode: $m, confirm: $c}')") || return 1
  assert_status "$r" 200 "transition $1 to $3"
}

# current_mode SE_URL: the mode /api/v1/info reports.
current_mode() {
  local r
  r=$(http GET "$1/api/v1/info") || return 1
  assert_status "$r" 200 "info of $1" || return 1
  body_of "$r" | jq -er .mode
}

# file_count SE_URL TOKEN: total files the element lists (every status).
file_count() {
  local r
  r=$(http GET "$1/api/v1/files?limit=1" -H "Authorization: Bearer $2") || return 1
  assert_status "$r" 200 "list $1" || return 1
  body_of "$r" | jq -er .total
}
