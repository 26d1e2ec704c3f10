#!/usr/bin/env bash
# A cluster stand-in (docs/cluster-standin.md): the operator against the mock API server, and what it renders
# run as podman containers of the real images, driven through the flows a cluster user would run.
# The last line is "N passed, M failed"; the exit code is non-zero when a check failed.
#
# Usage: scripts/cluster-standin.sh [--keep] [--flows readme,mode,failover,rollout,se-test]
#   --flows  the flows to run, in this order (default: readme,mode,failover,rollout; se-test only when named)
#   --keep   leave the stand-in running after the flows (Ctrl-C stops it and removes its containers)
# Env: IMAGE_TAG (default dev; images are built by scripts/build-images.sh when missing),
#      STANDIN_TIMEOUT seconds for the whole run (default 600).
set -euo pipefail
# shellcheck source=scripts/container/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/container/lib.sh"
cd "$REPO_ROOT"
trap container_work_cleanup EXIT   # replaced by the full clean-up once the stand-in starts
IMAGE_TAG=${IMAGE_TAG:-dev}
STANDIN_TIMEOUT=${STANDIN_TIMEOUT:-600}
keep=0
for a in "$@"; do [ "$a" = --keep ] && keep=1; done

command -v podman >/dev/null || die "podman is missing: apt-get install -y podman runc (see shared research/container-build.md)"
container_setup
# build-images.sh target -> image
declare -A IMAGES=([se]=storage-element [jwks-mock]=jwks-mock)
[[ " $* " =~ --flows\ [^\ ]*se-test ]] && IMAGES[se-test-tools]=se-test-tools   # the se-test chart's init Job
missing=()
for t in "${!IMAGES[@]}"; do
  podman image exists "localhost/artsore/${IMAGES[$t]}:$IMAGE_TAG" || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "images missing: scripts/build-images.sh ${missing[*]}"
  IMAGE_TAG=$IMAGE_TAG bash scripts/build-images.sh "${missing[@]}"
fi

err=$(podman run --rm --network none --entrypoint true "localhost/artsore/storage-element:$IMAGE_TAG" 2>&1) \
  || die "podman cannot run containers here: $err (see shared research/container-build.md: runc, ulimits)"

JAVA_HOME=$(bash scripts/find-jdk.sh) || die "no JDK 21+ found: set JAVA_HOME"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
log "compiling the operator and its test classes"
# -am: the element's classes come from this checkout, not from ~/.m2 (CI's clean clone installs nothing there);
# every module writes the file in reactor order, the operator last
./mvnw -B -ntp -q -o -pl operator -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CONTAINER_WORK/classpath" >/dev/null
RUN_ID=s$$   # labels every container, volume and network of this run
pid=""
cleanup() {
  local rc=$?
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null   # the stand-in removes its containers on SIGTERM; one that hangs gets SIGKILL
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  fi
  # the stand-in removes its own containers; this catches a stand-in that was killed before it could
  for c in $(podman ps -aq --filter "label=artsore.standin.run=$RUN_ID"); do podman rm -f -t 0 "$c" >/dev/null 2>&1 || true; done
  for v in $(podman volume ls -q --filter "label=artsore.standin.run=$RUN_ID"); do podman volume rm -f "$v" >/dev/null 2>&1 || true; done
  for n in $(podman network ls -q --filter "label=artsore.standin.run=$RUN_ID"); do podman network rm -f "$n" >/dev/null 2>&1 || true; done
  podman untag "localhost/artsore/storage-element:$IMAGE_TAG" "localhost/artsore/storage-element:standin-$RUN_ID" \
    >/dev/null 2>&1 || true   # the second tag of the rollout flow
  container_work_cleanup
  exit $rc
}
trap cleanup EXIT INT TERM
touch "$CONTAINER_WORK/hosts"
cd operator
args=("$@")
if [ $keep = 1 ]; then timeout_cmd=(); else timeout_cmd=(timeout --foreground -s TERM -k 30 "$STANDIN_TIMEOUT"); fi
"${timeout_cmd[@]}" java -Djdk.net.hosts.file="$CONTAINER_WORK/hosts" \
  -Dsun.net.inetaddr.ttl=0 -Dsun.net.inetaddr.negative.ttl=0 \
  -Dstandin.work="$CONTAINER_WORK" -Dstandin.imageTag="$IMAGE_TAG" -Dstandin.runId="$RUN_ID" \
  -cp "target/test-classes:target/classes:$(cat "$CONTAINER_WORK/classpath")" \
  io.artsore.operator.standin.ClusterStandIn "${args[@]}" &
pid=$!
wait "$pid"
