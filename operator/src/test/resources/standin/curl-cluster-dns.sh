#!/usr/bin/env bash
# curl as seen from inside the cluster, for the scenario scripts the se-test flow runs on the host: the host of
# every URL argument is looked up in the stand-in's hosts file (STANDIN_HOSTS, kept up to date by ServiceDns:
# Service names to their ready pods) and handed to the real curl (STANDIN_CURL) as --resolve, because curl
# cannot read the JDK hosts file the rest of the stand-in uses. Hosts that are not in the file resolve as usual.
set -u
resolve=()
for arg in "$@"; do
  if [[ $arg =~ ^https?://([^/:]+):([0-9]+) ]]; then
    host=${BASH_REMATCH[1]} port=${BASH_REMATCH[2]}
    ip=$(awk -v h="$host" '$2 == h {print $1; exit}' "$STANDIN_HOSTS")
    [ -n "$ip" ] && resolve+=(--resolve "$host:$port:$ip")
  fi
done
exec "$STANDIN_CURL" "${resolve[@]}" "$@"
