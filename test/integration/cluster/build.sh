#!/usr/bin/env bash
# Build (once) the integration-test control plane from Go modules:
#   kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes),
#   etcd (go.etcd.io/etcd/server/v3) and kwok (sigs.k8s.io/kwok/cmd/kwok).
# Binaries go to a cache outside the repo, keyed by the versions in versions.env, and are
# reused when present. Prints the bin directory as its last line.
# Env: PODSCOPE_CLUSTER_CACHE (default ~/.cache/podscope-cluster),
#      BUILD_STEP_TIMEOUT (seconds per step, default 2700).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

# CI may run without HOME; Go needs it for its caches.
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
cache_root="${PODSCOPE_CLUSTER_CACHE:-$HOME/.cache/podscope-cluster}"
key="k8s-${K8S_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}"
out="$cache_root/$key"
bin="$out/bin"
share="$out/share/kwok"
step_timeout="${BUILD_STEP_TIMEOUT:-2700}"
bins=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)

export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local

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
  [[ -f "$share/.complete" ]]
}

if have_all; then
  log "reusing $bin"
  echo "$bin"
  exit 0
fi
mkdir -p "$bin" "$out/src"
total_start=$SECONDS

# --- Kubernetes: throw-away wrapper module replacing each staging module with its v0.Y.Z tag.
build_kubernetes() {
  local w="$out/src/kubernetes" minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  local staging="v0.${K8S_VERSION#v1.}"
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  go mod init podscope.invalid/cluster-kubernetes >/dev/null 2>&1
  local gomod
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  local mods
  mods="$(sed -n 's|^[[:space:]]*\(k8s.io/[^[:space:]]*\) => ./staging/.*|\1|p' "$gomod")"
  [[ -n "$mods" ]] || { log "no staging replaces found in $gomod"; return 1; }
  local m args=()
  for m in $mods; do args+=("-replace=$m=$m@$staging"); done
  go mod edit "${args[@]}" "-require=k8s.io/kubernetes@$K8S_VERSION"
  log "kubernetes: $(wc -w <<<"$mods") staging modules replaced with $staging"
  local pkgs=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
              k8s.io/kubernetes/cmd/kube-scheduler)
  step "kubernetes go get" go get "${pkgs[@]}"
  local v=k8s.io/component-base/version cv=k8s.io/client-go/pkg/version ld="-s -w" p
  for p in "$v" "$cv"; do
    ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor"
    ld+=" -X $p.gitTreeState=clean -X $p.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  step "kubernetes go build" go build -p 2 -trimpath -ldflags "$ld" -o "$bin/" "${pkgs[@]}"
}

# --- etcd: server/v3 has relative replace directives, so the same wrapper trick.
build_etcd() {
  local w="$out/src/etcd"
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  go mod init podscope.invalid/cluster-etcd >/dev/null 2>&1
  step "etcd go get" go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  step "etcd go build" go build -p 2 -trimpath -ldflags "-s -w" -o "$bin/etcd" go.etcd.io/etcd/server/v3
}

# --- kwok: no replace directives, a plain go install.
build_kwok() {
  step "kwok go install" env GOBIN="$bin" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
}

# --- kwok's own Stage and CRD manifests, taken from the same module version as the binary.
copy_kwok_assets() {
  local dir
  dir="$(cd "$out/src" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
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
[[ -x "$bin/etcd" ]] || build_etcd
[[ -x "$bin/kwok" ]] || build_kwok
[[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/kube-scheduler" ]] || build_kubernetes

have_all || { log "missing binaries in $bin"; exit 1; }
"$bin/kube-apiserver" --version >&2
log "all binaries built in $((SECONDS - total_start))s -> $bin"
echo "$bin"
