#!/usr/bin/env bash
# Prints the home of a JDK 21+ : JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
# Source it ("source scripts/find-jdk.sh") to export JAVA_HOME, or run it to print the path.
_jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}' | cut -d. -f1; }
_find_jdk() {
  local c best="" bestv=0 v
  for c in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* /opt/java/* 2>/dev/null); do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    v=$(_jdk_major "$c"); [ -n "$v" ] || continue
    if [ "$c" = "${JAVA_HOME:-}" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
    if [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$c; bestv=$v; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}
if jdk=$(_find_jdk); then
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "$JAVA_HOME"; fi
  true
else
  echo "No JDK 21+ found: set JAVA_HOME to a JDK 21 or newer." >&2
  [ "${BASH_SOURCE[0]}" = "$0" ] && exit 1 || return 1
fi
