#!/usr/bin/env bash
# Local Docker for multiprocessing4j CI on Debian 12 (root, no systemd, no container registry).
#
# Meant to be sourced by .ci/run:
#     source .ci/docker.sh
#     mp4j_docker_prepare            # install docker.io + debootstrap, start dockerd, JRE base image
#     ... mvn package ...            # builds manager-server/target/manager-server.jar
#     mp4j_build_manager_image       # multiprocessing4j-manager:local
#     mp4j_docker_env >/dev/null     # exports TESTCONTAINERS_* and MP4J_DOCKER_API_VERSION
#     mvn verify -Dapi.version="$MP4J_DOCKER_API_VERSION"
# Sourcing only defines variables and functions; it runs nothing and changes no shell options.
# Executed directly (bash .ci/docker.sh) it runs mp4j_docker_prepare, and also builds the
# manager image when the jar already exists.
#
# Every function returns non-zero with a message on stderr when Docker is unusable: CI must fail,
# never skip, when Docker is missing. Each function checks its own state first, so calling it
# again is cheap (running daemon and existing base image are reused).
#
# Nothing here contacts a container registry: the base image comes from debootstrap (Debian
# packages) + `docker import`, and images are built with the classic builder from that local
# image. `docker.io` below is the Debian package name, not a host.

: "${MP4J_CI_WORK:=${TMPDIR:-/tmp}/mp4j-ci}"                 # logs + temporary rootfs
: "${MP4J_JRE_BASE_IMAGE:=mp4j-jre17:local}"                 # locally imported JRE 17 base
: "${MP4J_MANAGER_IMAGE:=multiprocessing4j-manager:local}"   # manager sidecar image
: "${MP4J_PROJECT_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${MP4J_DOCKERD_EXTRA_ARGS:=}"      # e.g. "--iptables=false" on a kernel without netfilter
: "${MP4J_DEBOOTSTRAP_MIRROR:=}"      # empty = debootstrap's default Debian mirror
: "${MP4J_DOCKERD_WAIT_SECONDS:=60}"  # how long to wait for dockerd to answer

mp4j_log() { printf '[mp4j-docker %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

mp4j_die() { mp4j_log "ERROR: $*"; return 1; }

_mp4j_elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f s", b-a}'; }

# Run a step and log its wall time (and failure). Returns the step's exit code. The step runs in
# an `||` context, so the caller's `set -e` does not cut it short; steps check every command.
mp4j_step() {
  local name=$1 t0=$EPOCHREALTIME rc=0; shift
  "$@" || rc=$?
  if ((rc == 0)); then
    mp4j_log "$name: $(_mp4j_elapsed "$t0")"
  else
    mp4j_log "$name: FAILED (exit $rc) after $(_mp4j_elapsed "$t0")"
  fi
  return "$rc"
}

_mp4j_workdir() {
  mkdir -p "$MP4J_CI_WORK" || mp4j_die "cannot create work dir $MP4J_CI_WORK"
}

# Fail loudly unless the docker CLI exists and a daemon answers.
mp4j_require_docker() {
  command -v docker >/dev/null 2>&1 ||
    { mp4j_die "docker CLI not found (run mp4j_install_docker)"; return 1; }
  local err
  if ! err=$(docker info 2>&1 >/dev/null); then
    mp4j_die "Docker daemon is not usable (run mp4j_start_dockerd): ${err:-docker info failed}"
    return 1
  fi
}

# ---------------------------------------------------------------------------------------------
# 1. Packages: docker.io (daemon, CLI, containerd, runc) and debootstrap.
_mp4j_install_docker() {
  _mp4j_workdir || return 1
  if command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 &&
     command -v debootstrap >/dev/null 2>&1; then
    mp4j_log "docker.io/debootstrap already installed"; return 0
  fi
  mp4j_log "installing docker.io and debootstrap (log: $MP4J_CI_WORK/apt.log)"
  # No recommends (git, apparmor, needrestart, ...), but gpgv + the archive keyring explicitly:
  # debootstrap only recommends them, and without them it would not verify the Release signature.
  if ! apt-get update -qq >"$MP4J_CI_WORK/apt.log" 2>&1 ||
     ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
         docker.io debootstrap gpgv debian-archive-keyring >>"$MP4J_CI_WORK/apt.log" 2>&1; then
    tail -n 30 "$MP4J_CI_WORK/apt.log" >&2 || true
    mp4j_die "apt-get could not install docker.io/debootstrap"; return 1
  fi
  local c
  for c in dockerd docker debootstrap; do
    command -v "$c" >/dev/null 2>&1 || { mp4j_die "$c missing after installation"; return 1; }
  done
}
mp4j_install_docker() { mp4j_step "install docker.io/debootstrap" _mp4j_install_docker; }

# ---------------------------------------------------------------------------------------------
# 2. Daemon, started without systemd. Reuses any daemon that answers `docker info`.

# True if a dockerd process is alive. Zombies do not count: PID 1 of some CI VMs reaps orphans
# late, and a killed dockerd can linger as <defunct> (pgrep would still match it).
_mp4j_dockerd_alive() { ps -C dockerd -o stat= 2>/dev/null | grep -qv '^Z'; }

_mp4j_start_dockerd() {
  local i p pidf tries
  _mp4j_workdir || return 1
  if docker info >/dev/null 2>&1; then mp4j_log "reusing running Docker daemon"; return 0; fi
  command -v dockerd >/dev/null 2>&1 ||
    { mp4j_die "dockerd not installed (run mp4j_install_docker)"; return 1; }
  if _mp4j_dockerd_alive; then
    mp4j_log "a dockerd process exists but is not answering yet; waiting for it"
  else
    # Pidfiles naming a dead or zombie process (daemon killed with SIGKILL) make dockerd refuse
    # to start, or wait 60 s for a "running" containerd that is really a zombie.
    for pidf in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
      [[ -f $pidf ]] || continue
      p=$(cat "$pidf" 2>/dev/null)
      if [[ -z $p || ! -d /proc/$p ]] || grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null; then
        rm -f "$pidf"
      fi
    done
    # --bip gives the default bridge an explicit Gateway in its IPAM config, so Testcontainers
    # never runs an (unpullable) alpine container to find the host address.
    mp4j_log "starting dockerd (log: $MP4J_CI_WORK/dockerd.log)"
    # shellcheck disable=SC2086
    setsid dockerd --bip 172.17.0.1/16 $MP4J_DOCKERD_EXTRA_ARGS \
        >"$MP4J_CI_WORK/dockerd.log" 2>&1 </dev/null &
  fi
  tries=$((MP4J_DOCKERD_WAIT_SECONDS * 2))
  for ((i = 0; i < tries; i++)); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  mp4j_log "dockerd did not answer within ${MP4J_DOCKERD_WAIT_SECONDS} s; last log lines:"
  tail -n 40 "$MP4J_CI_WORK/dockerd.log" >&2 || true
  mp4j_die "Docker daemon is not usable"
}
mp4j_start_dockerd() { mp4j_step "dockerd" _mp4j_start_dockerd; }

# ---------------------------------------------------------------------------------------------
# 3. JRE 17 base image: Debian bookworm minbase + openjdk-17-jre-headless, `docker import`ed.

# Remove a debootstrap tree safely (never follow into a still-mounted /proc or /sys).
_mp4j_rm_rootfs() {
  local root=$1 m
  for m in $(awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" || true
  done
  rm -rf --one-file-system "$root"
}

_mp4j_build_jre_base() {
  _mp4j_workdir || return 1
  mp4j_require_docker || return 1
  if docker image inspect "$MP4J_JRE_BASE_IMAGE" >/dev/null 2>&1; then
    mp4j_log "base image $MP4J_JRE_BASE_IMAGE already present"; return 0
  fi
  command -v debootstrap >/dev/null 2>&1 ||
    { mp4j_die "debootstrap not installed (run mp4j_install_docker)"; return 1; }
  local root out
  root=$(mktemp -d "$MP4J_CI_WORK/rootfs.XXXXXX") || { mp4j_die "mktemp failed"; return 1; }
  mp4j_log "debootstrap bookworm + openjdk-17-jre-headless (log: $MP4J_CI_WORK/debootstrap.log)"
  # shellcheck disable=SC2086
  if ! debootstrap --variant=minbase --include=openjdk-17-jre-headless \
        bookworm "$root" $MP4J_DEBOOTSTRAP_MIRROR >"$MP4J_CI_WORK/debootstrap.log" 2>&1; then
    tail -n 20 "$MP4J_CI_WORK/debootstrap.log" >&2
    _mp4j_rm_rootfs "$root"
    mp4j_die "debootstrap failed"; return 1
  fi
  # Trim: .deb cache, apt lists, docs (copyright files kept), man pages, translations.
  ( cd "$root" &&
    rm -rf var/cache/apt/archives/*.deb var/cache/apt/*.bin var/lib/apt/lists/* var/log/*.log &&
    find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete &&
    find usr/share/doc -mindepth 1 -type d -empty -delete &&
    rm -rf usr/share/man/* usr/share/info/* usr/share/lintian &&
    find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + ) ||
    mp4j_log "warning: trimming the rootfs failed partly; importing it anyway"
  tar -C "$root" -c . | docker import \
      --change 'ENV LANG=C.UTF-8' \
      --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
      --change 'CMD ["java", "-version"]' \
      - "$MP4J_JRE_BASE_IMAGE" >/dev/null
  local st=("${PIPESTATUS[@]}")
  _mp4j_rm_rootfs "$root"
  if ((st[0] != 0 || st[1] != 0)); then
    docker image rm -f "$MP4J_JRE_BASE_IMAGE" >/dev/null 2>&1 || true
    mp4j_die "docker import of $MP4J_JRE_BASE_IMAGE failed (tar=${st[0]}, import=${st[1]})"
    return 1
  fi
  if ! out=$(docker run --rm "$MP4J_JRE_BASE_IMAGE" java -version 2>&1); then
    printf '%s\n' "$out" >&2
    docker image rm -f "$MP4J_JRE_BASE_IMAGE" >/dev/null 2>&1 || true
    mp4j_die "java -version fails in $MP4J_JRE_BASE_IMAGE; image removed"; return 1
  fi
  mp4j_log "$MP4J_JRE_BASE_IMAGE: ${out%%$'\n'*}"
}
mp4j_build_jre_base() { mp4j_step "JRE base image $MP4J_JRE_BASE_IMAGE" _mp4j_build_jre_base; }

# install + dockerd + base image, each timed.
mp4j_docker_prepare() {
  local t0=$EPOCHREALTIME
  mp4j_install_docker && mp4j_start_dockerd && mp4j_build_jre_base ||
    { mp4j_die "Docker preparation failed after $(_mp4j_elapsed "$t0")"; return 1; }
  mp4j_log "Docker ready: $(_mp4j_elapsed "$t0") total"
}

# ---------------------------------------------------------------------------------------------
# 4. Manager sidecar image from the project's Dockerfile (the jar must already be built).
# DOCKER_BUILDKIT=0 = classic builder: works with the Debian 20.10 CLI and with a newer CLI that
# has no buildx plugin; it resolves the local base image and never contacts a registry.
_mp4j_build_manager_image() {
  _mp4j_workdir || return 1
  mp4j_require_docker || return 1
  local jar="$MP4J_PROJECT_DIR/manager-server/target/manager-server.jar"
  [[ -f $jar ]] || { mp4j_die "$jar not found: build it with Maven first"; return 1; }
  docker image inspect "$MP4J_JRE_BASE_IMAGE" >/dev/null 2>&1 ||
    { mp4j_die "base image $MP4J_JRE_BASE_IMAGE missing (run mp4j_build_jre_base)"; return 1; }
  local old_id new_id
  old_id=$(docker image inspect -f '{{.Id}}' "$MP4J_MANAGER_IMAGE" 2>/dev/null) || old_id=
  if ! (cd "$MP4J_PROJECT_DIR" &&
        DOCKER_BUILDKIT=0 docker build --build-arg BASE_IMAGE="$MP4J_JRE_BASE_IMAGE" \
            -t "$MP4J_MANAGER_IMAGE" .) >"$MP4J_CI_WORK/manager-build.log" 2>&1; then
    tail -n 30 "$MP4J_CI_WORK/manager-build.log" >&2 || true
    mp4j_die "docker build of $MP4J_MANAGER_IMAGE failed"; return 1
  fi
  new_id=$(docker image inspect -f '{{.Id}}' "$MP4J_MANAGER_IMAGE") ||
    { mp4j_die "$MP4J_MANAGER_IMAGE missing after docker build"; return 1; }
  # The previous build, if this rebuild left it without any tag: remove it (fails harmlessly if
  # a container still uses it).
  if [[ -n $old_id && $old_id != "$new_id" &&
        $(docker image inspect -f '{{len .RepoTags}}' "$old_id" 2>/dev/null) == 0 ]]; then
    docker image rm "$old_id" >/dev/null 2>&1 || true
  fi
  mp4j_log "built $MP4J_MANAGER_IMAGE (${new_id:7:12})"
}
mp4j_build_manager_image() { mp4j_step "manager image $MP4J_MANAGER_IMAGE" _mp4j_build_manager_image; }

# ---------------------------------------------------------------------------------------------
# 5. Environment for Testcontainers.
# Prints the daemon API version (for mvn -Dapi.version=...) on stdout and exports it as
# MP4J_DOCKER_API_VERSION. Call it WITHOUT command substitution ($(...) runs in a subshell and the
# exports would be lost), e.g. `mp4j_docker_env >/dev/null`, then use $MP4J_DOCKER_API_VERSION.
# TESTCONTAINERS_RYUK_DISABLED: otherwise Testcontainers pulls testcontainers/ryuk.
# TESTCONTAINERS_HOST_OVERRIDE: /.dockerenv exists on CI VMs; without it TC runs alpine to find
#                               the gateway (pull attempt).
# TESTCONTAINERS_PULL_TIMEOUT:  an accidental pull fails after 10 s instead of 120 s.
# Ryuk is off, so containers of a JVM killed mid-test stay behind: mp4j_docker_cleanup removes them.
mp4j_docker_env() {
  mp4j_require_docker || return 1
  local api
  api=$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null)
  [[ $api =~ ^[0-9]+\.[0-9]+$ ]] ||
    { mp4j_die "cannot read the Docker daemon API version (got '${api}')"; return 1; }
  export TESTCONTAINERS_RYUK_DISABLED=true
  export TESTCONTAINERS_CHECKS_DISABLE=true
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
  export TESTCONTAINERS_PULL_TIMEOUT=10
  export MP4J_DOCKER_API_VERSION=$api
  mp4j_log "Testcontainers env exported; daemon API version $api"
  printf '%s\n' "$api"
}

# Remove containers left by Testcontainers (label org.testcontainers=true; Ryuk is disabled)
# and dangling images from ImageFromDockerfile rebuilds. Safe before and after the tests.
mp4j_docker_cleanup() {
  mp4j_require_docker || return 1
  local ids
  ids=$(docker ps -aq --filter label=org.testcontainers=true) ||
    { mp4j_die "docker ps failed"; return 1; }
  if [[ -n $ids ]]; then
    # shellcheck disable=SC2086
    docker rm -f $ids >/dev/null || { mp4j_die "could not remove leftover test containers"; return 1; }
  fi
  docker image prune -f --filter label=org.testcontainers=true >/dev/null 2>&1 || true
}

# ---------------------------------------------------------------------------------------------
_mp4j_docker_main() {
  set -euo pipefail
  mp4j_docker_prepare
  if [[ -f $MP4J_PROJECT_DIR/manager-server/target/manager-server.jar ]]; then
    mp4j_build_manager_image
  else
    mp4j_log "manager-server jar not built yet; skipping the manager image"
  fi
  mp4j_docker_env >/dev/null
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then _mp4j_docker_main "$@"; fi
