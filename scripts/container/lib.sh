#!/usr/bin/env bash
# Shared helpers for building and running the project's images with Debian's podman when no registry is
# reachable (recipe and machine quirks: ../shared/research/container-build.md). Source it; do not run it.
#
# Knobs (environment):
#   CONTAINER_WORK  scratch dir for containers.conf, debootstrap rootfs, jlink output (default: a fresh temp dir)
#   BASE_TAG        tag of the local base images (default: bookworm-jlink)
#   MIRROR          Debian mirror for debootstrap (default: the first one in the machine's apt sources)
#   JRE_MODULES     modules jlink puts into the JRE (default below; checked with jdeps against target/libs)

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ -z "${CONTAINER_WORK:-}" ]; then
  CONTAINER_WORK=$(mktemp -d -t artsore-containers.XXXXXX)
  CONTAINER_WORK_OWNED=1   # ours to delete: container_work_cleanup
fi
BASE_TAG=${BASE_TAG:-bookworm-jlink}
DEBIAN_BASE=localhost/debian-base:bookworm
JRE_BASE=localhost/jre-base:$BASE_TAG
# Checked with `jdeps --print-module-deps` over the SE and operator runtime libs (Helidon 4.5, nimbus 10.10,
# Jackson 2.21, JOSDK 5.2.3, fabric8 7.5.2, vertx 4.5): java.sql is required by nimbus-jose-jwt's module;
# java.desktop (java.beans in jackson-databind, commons-lang3) and java.compiler (JOSDK's annotation
# processor, javapoet) are optional or compile-time only and stay out. jdk.crypto.ec is kept for a JDK 21
# (on 22+ it is an empty module).
JRE_MODULES=${JRE_MODULES:-java.base,java.logging,java.net.http,java.management,jdk.management,jdk.crypto.ec,jdk.httpserver,java.naming,java.sql,jdk.unsupported}

# Removes the scratch dir when this script created it (a CONTAINER_WORK given by the caller is kept).
container_work_cleanup() { if [ -n "${CONTAINER_WORK_OWNED:-}" ]; then rm -rf "$CONTAINER_WORK"; fi; }

log() { echo "[$(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Installs podman, runc and debootstrap when missing, and points podman at a containers.conf that works on
# these VMs: runc (crun refuses hybrid cgroups), ulimits within the hard limits (no CAP_SYS_RESOURCE),
# cgroupfs manager and file events logger (no systemd).
container_setup() {
  mkdir -p "$CONTAINER_WORK"
  if ! { command -v podman && command -v runc && command -v debootstrap; } >/dev/null; then
    log "installing podman runc debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq podman runc debootstrap >/dev/null
  fi
  local nproc nofile
  nproc=$(ulimit -Hu); if [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; then nproc=32768; fi
  nofile=$(ulimit -Hn); if [ "$nofile" = unlimited ]; then nofile=1048576; fi
  cat > "$CONTAINER_WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
  export CONTAINERS_CONF="$CONTAINER_WORK/containers.conf"
  # HEALTHCHECK is dropped by the OCI format; docker format keeps it.
  export BUILDAH_FORMAT=docker
}

# Builds localhost/debian-base:bookworm (debootstrap minbase) once; later runs reuse it.
ensure_debian_base() {
  podman image exists "$DEBIAN_BASE" && return 0
  local mirror rootfs=$CONTAINER_WORK/rootfs
  mirror=${MIRROR:-$( (grep -h -E '^(deb |URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null || true) \
                      | awk 'NR == 1 {print $2}')}
  [ -n "$mirror" ] || die "no Debian mirror found in the apt sources; set MIRROR"
  log "debootstrap bookworm from $mirror"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$CONTAINER_WORK/debootstrap.log" \
    || die "debootstrap failed, see $CONTAINER_WORK/debootstrap.log"
  rm -rf "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" --numeric-owner -c . | podman import -q --change 'CMD ["/bin/bash"]' - "$DEBIAN_BASE" >/dev/null
  rm -rf "$rootfs"
}

# Builds localhost/jre-base:$BASE_TAG: the Debian base plus a jlink'ed JRE from the JDK find-jdk.sh picks.
ensure_jre_base() {
  podman image exists "$JRE_BASE" && return 0
  ensure_debian_base
  local jdk ctx=$CONTAINER_WORK/jre-ctx
  jdk=$(bash "$REPO_ROOT/scripts/find-jdk.sh") || die "no JDK 21+ found"
  log "jlink ($JRE_MODULES) from $jdk"
  rm -rf "$ctx"; mkdir -p "$ctx"
  "$jdk/bin/jlink" --add-modules "$JRE_MODULES" --output "$ctx/jre" \
    --strip-debug --no-header-files --no-man-pages
  # shellcheck disable=SC2016  # ${BASE_IMAGE} is for the Dockerfile, not the shell
  printf '%s\n' 'ARG BASE_IMAGE' 'FROM ${BASE_IMAGE}' 'COPY jre /opt/java' \
    'ENV JAVA_HOME=/opt/java PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    >"$ctx/Dockerfile"
  podman build -q --format docker --build-arg BASE_IMAGE="$DEBIAN_BASE" -t "$JRE_BASE" "$ctx" >/dev/null
  rm -rf "$ctx"
}
