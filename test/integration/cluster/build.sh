#!/usr/bin/env bash
# Build (once) the integration-test control plane from the committed Go modules:
#   kube-apiserver, kube-controller-manager, kube-scheduler and kubectl (modules/kubernetes),
#   etcd (modules/etcd) and kwok (modules/kwok).
# With --kubernetes 1.MINOR (an older minor pinned in versions-1.MINOR.env): kube-apiserver,
#   kube-controller-manager and kube-scheduler of that minor (modules/kubernetes-1.MINOR), beside
#   links to the same etcd and kwok as the main build (built into the main cache dir if missing).
# Hermetic: every module version and checksum is fixed by the committed go.mod and go.sum, and
# every build runs with -mod=readonly, so nothing is resolved at build time and a release
# published tomorrow cannot change what is built. modules/update.sh regenerates the modules
# when versions.env changes (by hand, never here).
# Binaries go to a cache outside the repo, keyed by the versions and by a hash of versions.env
# and the committed go.mod/go.sum files, and are reused when present. Prints the bin directory
# as its last line.
# Usage: build.sh [--kubernetes 1.MINOR]              build what is missing, print the bin directory
#        build.sh [--kubernetes 1.MINOR] --print-key  print the cache key only (binaries.ts computes the same one)
# Env: PODSCOPE_CLUSTER_CACHE (default ~/.cache/podscope-cluster),
#      BUILD_STEP_TIMEOUT (seconds per step, default 2700).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
older="" print_key=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kubernetes) older="${2:-}"; shift 2 || { echo "build.sh: --kubernetes needs 1.MINOR" >&2; exit 2; } ;;
    --print-key) print_key=1; shift ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=versions.env
source "$here/versions.env"
modules="$here/modules"

# The files that fix what is built, in the order binaries.ts hashes them.
pinned=(versions.env
        modules/kubernetes/go.mod modules/kubernetes/go.sum
        modules/etcd/go.mod modules/etcd/go.sum
        modules/kwok/go.mod modules/kwok/go.sum)
# key FILES...: the cache key of the current KUBERNETES_VERSION over FILES.
key_of() {
  local f
  for f in "$@"; do
    [[ -f "$here/$f" ]] || { echo "build.sh: $f is missing; run modules/update.sh" >&2; exit 1; }
  done
  echo "k8s-${KUBERNETES_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_$(cd "$here" && cat "$@" | sha256sum | cut -c1-12)"
}
main_key="$(key_of "${pinned[@]}")"
key="$main_key"
k8s_module=kubernetes
bins=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)
if [[ -n "$older" && "$older" != "${KUBERNETES_VERSION#v}" && "$older" != "$(cut -d. -f1,2 <<<"${KUBERNETES_VERSION#v}")" ]]; then
  [[ "$older" =~ ^1\.[0-9]+$ && -f "$here/versions-$older.env" ]] ||
    { echo "build.sh: no versions-$older.env for --kubernetes $older" >&2; exit 2; }
  # shellcheck source=versions-1.32.env
  source "$here/versions-$older.env"
  k8s_module="kubernetes-$older"
  key="$(key_of versions.env "versions-$older.env" "modules/$k8s_module/go.mod" "modules/$k8s_module/go.sum" \
    modules/etcd/go.mod modules/etcd/go.sum modules/kwok/go.mod modules/kwok/go.sum)"
  bins=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)
fi
if [[ -n "$print_key" ]]; then
  echo "$key"
  exit 0
fi

# CI may run without HOME; Go needs it for its caches.
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
cache_root="${PODSCOPE_CLUSTER_CACHE:-$HOME/.cache/podscope-cluster}"
out="$cache_root/$key"
bin="$out/bin"
step_timeout="${BUILD_STEP_TIMEOUT:-2700}"
# etcd, kwok and kwok's manifests always live in the main build's dir; an older minor links them.
main_bin="$cache_root/$main_key/bin"
share="$cache_root/$main_key/share/kwok"

# -mod=readonly: a go.mod or go.sum that does not already hold every version and checksum the
# build needs is an error, never an update. GOTOOLCHAIN=local: never download another Go.
export CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly" GOTOOLCHAIN=local

log() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# step NAME CMD...: run CMD under `timeout`, print how long it took.
step() {
  local name="$1"; shift
  local start=$SECONDS
  log "$name: start"
  if ! timeout "$step_timeout" "$@"; then
    log "$name: FAILED after $((SECONDS - start))s"
    return 1
  fi
  log "$name: done in $((SECONDS - start))s"
}

have_all() {
  local b
  for b in "${bins[@]}"; do [[ -x "$bin/$b" ]] || return 1; done
  [[ -f "$out/share/kwok/.complete" ]]
}

if have_all; then
  log "reusing $bin"
  echo "$bin"
  exit 0
fi
mkdir -p "$bin" "$main_bin"
total_start=$SECONDS

# --- Kubernetes: the wrapper module replaces each k8s.io/* staging module with its v0.Y.Z tag.
build_kubernetes() {
  local minor="${KUBERNETES_VERSION#v1.}"
  minor="${minor%%.*}"
  local pkgs=() b
  for b in "${bins[@]}"; do [[ "$b" == kube* ]] && pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  local v=k8s.io/component-base/version cv=k8s.io/client-go/pkg/version ld="-s -w" p
  for p in "$v" "$cv"; do
    ld+=" -X $p.gitVersion=$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  cd "$modules/$k8s_module"
  step "$k8s_module go mod download" go mod download
  step "$k8s_module go build" go build -p 2 -trimpath -ldflags "$ld" -o "$bin/" "${pkgs[@]}"
}

# --- etcd: server/v3 has relative replace directives, hence a wrapper module too.
build_etcd() {
  cd "$modules/etcd"
  step "etcd go build" go build -p 2 -trimpath -ldflags "-s -w" -o "$main_bin/etcd" go.etcd.io/etcd/server/v3
}

# --- kwok.
build_kwok() {
  cd "$modules/kwok"
  step "kwok go build" go build -p 2 -trimpath -ldflags "-s -w" -o "$main_bin/kwok" sigs.k8s.io/kwok/cmd/kwok
}

# --- kwok's own Stage and CRD manifests, taken from the same module version as the binary.
copy_kwok_assets() {
  local dir
  dir="$(cd "$modules/kwok" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
    sed -n 's/.*"Dir": "\(.*\)".*/\1/p')" || return 1
  [[ -d "$dir/kustomize" ]] || { log "kwok module dir not found"; return 1; }
  mkdir -p "$share" &&
  cp "$dir"/kustomize/stage/node/fast/node-initialize.yaml \
     "$dir"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
     "$dir"/kustomize/stage/pod/fast/pod-ready.yaml \
     "$dir"/kustomize/stage/pod/fast/pod-complete.yaml \
     "$dir"/kustomize/crd/bases/kwok.x-k8s.io_metrics.yaml "$share/" &&
  # The general pod-delete stage waits (1s up to the grace period) before deleting, like a kubelet.
  cp "$dir"/kustomize/stage/pod/general/pod-delete.yaml "$share/pod-delete.yaml" &&
  chmod u+w "$share"/*.yaml &&
  touch "$share/.complete"
}

if [[ ! -f "$share/.complete" ]]; then
  copy_kwok_assets || { log "copying kwok assets failed"; exit 1; }
  log "kwok assets copied to $share"
fi
[[ -x "$main_bin/etcd" ]] || build_etcd
[[ -x "$main_bin/kwok" ]] || build_kwok
if [[ "$out" != "$cache_root/$main_key" ]]; then
  ln -sfn "$main_bin/etcd" "$bin/etcd"
  ln -sfn "$main_bin/kwok" "$bin/kwok"
  mkdir -p "$out/share" && ln -sfn "$share" "$out/share/kwok"
fi
kube_missing() {
  local b
  for b in "${bins[@]}"; do [[ "$b" != kube* || -x "$bin/$b" ]] || return 0; done
  return 1
}
if kube_missing; then build_kubernetes; fi

have_all || { log "missing binaries in $bin"; exit 1; }
"$bin/kube-apiserver" --version >&2
if [[ -x "$bin/kubectl" ]]; then "$bin/kubectl" version --client >&2; fi
log "all binaries built in $((SECONDS - total_start))s -> $bin"
echo "$bin"
