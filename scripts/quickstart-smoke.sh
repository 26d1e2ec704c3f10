#!/usr/bin/env bash
# Proves the README's quick start: runs scripts/dev-run.sh exactly as a user would, then does an
# upload / list / download round trip over HTTPS with the token it printed. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
home=$(mktemp -d)
port=${SE_PORT:-18443}
log="$home/dev-run.log"
SE_PORT=$port scripts/dev-run.sh "$home" >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 1 180); do
  [ -s "$home/url" ] && break
  kill -0 $pid 2>/dev/null || { echo "dev-run exited early:"; cat "$log"; exit 1; }
  sleep 1
done
[ -s "$home/url" ] || { echo "dev-run did not come up in 180 s:"; cat "$log"; exit 1; }
url=$(cat "$home/url")
curl_se() { curl -sS --fail-with-body --cacert "$home/certs/tls.crt" -H "Authorization: Bearer $(cat "$home/token")" "$@"; }
head -c 100000 /dev/urandom > "$home/payload.bin"
id=$(curl_se -F "file=@$home/payload.bin" "$url/api/v1/files/upload" | jq -r .file_id)
[ -n "$id" ] && [ "$id" != null ] || { echo "upload failed"; exit 1; }
total=$(curl_se "$url/api/v1/files?limit=10" | jq .total)
[ "$total" = 1 ] || { echo "list total $total, expected 1"; exit 1; }
curl_se -o "$home/back.bin" "$url/api/v1/files/$id/download"
cmp "$home/payload.bin" "$home/back.bin" || { echo "downloaded content differs"; exit 1; }
echo "quick start OK: $url upload/list/download round trip of file $id"
