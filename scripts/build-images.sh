#!/usr/bin/env bash
# Builds the project's images with podman on a local base (no registry needed):
#   localhost/artsore/storage-element:$IMAGE_TAG            (Dockerfile.se)
#   localhost/artsore/storage-element-operator:$IMAGE_TAG   (Dockerfile.operator)
#   localhost/artsore/jwks-mock:$IMAGE_TAG                  (Dockerfile.jwks-mock)
#   localhost/artsore/se-test-tools:$IMAGE_TAG              (Dockerfile.se-test-tools: bash, curl, jq; only on request)
# The base is Debian bookworm (debootstrap) + a jlink'ed JRE from the JDK that scripts/find-jdk.sh picks;
# it is built once and reused. Runs `./mvnw -B -ntp -DskipTests package` when the jars are missing.
#
# Usage: scripts/build-images.sh [se|operator|jwks-mock|se-test-tools ...]    (default: se operator jwks-mock)
# Env: IMAGE_TAG (default dev), APP_VERSION (default 1.0.0-SNAPSHOT), BASE_IMAGE (skip the local base and
#      use this one, e.g. eclipse-temurin:21-jre where a registry is reachable), plus scripts/container/lib.sh knobs.
set -euo pipefail
# shellcheck source=scripts/container/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/container/lib.sh"
cd "$REPO_ROOT"
trap container_work_cleanup EXIT

IMAGE_TAG=${IMAGE_TAG:-dev}
APP_VERSION=${APP_VERSION:-1.0.0-SNAPSHOT}
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(se operator jwks-mock)

# image name | Dockerfile | artefacts the Dockerfile copies
declare -A IMAGE=([se]=storage-element [operator]=storage-element-operator [jwks-mock]=jwks-mock
                  [se-test-tools]=se-test-tools)
declare -A DOCKERFILE=([se]=Dockerfile.se [operator]=Dockerfile.operator [jwks-mock]=Dockerfile.jwks-mock
                       [se-test-tools]=Dockerfile.se-test-tools)
declare -A ARTEFACTS=(
  [se]="storage-element/target/storage-element-$APP_VERSION.jar storage-element/target/libs"
  [operator]="operator/target/operator.jar operator/target/libs"
  [jwks-mock]="e2e/target/e2e-$APP_VERSION.jar e2e/target/libs"
  [se-test-tools]=""
)

artefacts_present() {
  local t a
  for t in "${targets[@]}"; do
    [ -n "${IMAGE[$t]:-}" ] || die "unknown image '$t' (se, operator, jwks-mock, se-test-tools)"
    for a in ${ARTEFACTS[$t]}; do [ -e "$a" ] || return 1; done
  done
}

if ! artefacts_present; then
  log "artefacts missing: ./mvnw -B -ntp -DskipTests package"
  JAVA_HOME=$(bash scripts/find-jdk.sh) || die "no JDK 21+ found: set JAVA_HOME"
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
  ./mvnw -B -ntp -q -DskipTests package
  for t in "${targets[@]}"; do
    for a in ${ARTEFACTS[$t]}; do [ -e "$a" ] || die "$a is still missing after the Maven build"; done
  done
fi

container_setup
if [ -z "${BASE_IMAGE:-}" ]; then
  t0=$SECONDS; ensure_jre_base; log "base image $JRE_BASE ready ($((SECONDS - t0)) s)"
  BASE_IMAGE=$JRE_BASE
fi

for t in "${targets[@]}"; do
  ref=localhost/artsore/${IMAGE[$t]}:$IMAGE_TAG
  t0=$SECONDS
  podman build -q --format docker \
    --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg APP_VERSION="$APP_VERSION" \
    -f "${DOCKERFILE[$t]}" -t "$ref" . >/dev/null
  log "built $ref ($((SECONDS - t0)) s, $(podman image inspect -f '{{.Size}}' "$ref" | awk '{printf "%d MB", $1/1000000}'))"
  echo "$ref"
done
