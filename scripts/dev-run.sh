#!/usr/bin/env bash
# One command for a working local storage element: builds (first run), then starts a jwks-mock and an
# HTTPS storage element on 127.0.0.1 with data under .dev/, and prints a token and curl examples.
# Any SE_* variable set in the environment overrides the defaults (e.g. SE_PORT=9443 SE_MODE=rw).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/find-jdk.sh
jar=e2e/target/e2e-1.0.0-SNAPSHOT.jar
if [ ! -f "$jar" ] || [ -n "$(find storage-element/src e2e/src -newer "$jar" -type f -print -quit 2>/dev/null)" ]; then
  ./mvnw -B -q -ntp -DskipTests -pl e2e -am package
fi
exec java -cp "$jar:e2e/target/libs/*" io.artsore.e2e.dev.DevRun "${1:-.dev}"
