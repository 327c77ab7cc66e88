#!/usr/bin/env bash
# Regenerate the committed wrapper modules (kubernetes, etcd, kwok) from versions.env, or with
# a minor (update.sh 1.32) only modules/kubernetes-1.32 from versions-1.32.env.
# Run this by hand only when bumping a version; build.sh never resolves
# anything and builds from the committed go.mod/go.sum with -mod=readonly.
# Every module and package below is named with an exact version: nothing floats.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
older="${1:-}"
if [[ -n "$older" ]]; then
  [[ "$older" =~ ^1\.[0-9]+$ ]] || { echo "usage: update.sh [1.MINOR]" >&2; exit 2; }
  # shellcheck source=../versions-1.32.env
  source "$here/../versions-$older.env"
else
  # shellcheck source=../versions.env
  source "$here/../versions.env"
fi
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local

# go mod init writes the local toolchain's version as the go line; start low instead so that
# go get raises it only to what the dependencies need (a CI machine may have an older 1.x.y).
fresh() {
  rm -rf "$here/$1" && mkdir -p "$here/$1" && cd "$here/$1" &&
    go mod init "podscope.invalid/cluster-$1" >/dev/null 2>&1 && go mod edit -go=1.22
}

# kubernetes: k8s.io/kubernetes replaces every k8s.io/* staging module with a local path, so the
# wrapper replaces each with its v0.Y.Z tag, derived from the downloaded go.mod (see
# kubernetes/autoscaler vertical-pod-autoscaler/e2e/go.mod for the same workaround).
# kubernetes_module DIR [kubectl]: kube-apiserver, kube-controller-manager, kube-scheduler, and
# kubectl when asked (the main version only: the older one needs no kubectl).
kubernetes_module() {
fresh "$1"
local with_kubectl="${2:-}"
gomod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
staging="v0.${KUBERNETES_VERSION#v1.}"
mods="$(sed -n 's|^[[:space:]]*\(k8s.io/[^[:space:]]*\) => ./staging/.*|\1|p' "$gomod")"
[[ -n "$mods" ]] || { echo "no staging replaces found in $gomod" >&2; exit 1; }
args=()
for m in $mods; do args+=("-replace=$m=$m@$staging"); done
# A staging module the proxy does not serve at $staging: STAGING_OVERRIDES (versions-1.MINOR.env)
# names another exact patch of the same minor; the later -replace wins.
local o
for o in ${STAGING_OVERRIDES:-}; do args+=("-replace=${o%@*}=$o"); done
go mod edit "${args[@]}" "-require=k8s.io/kubernetes@$KUBERNETES_VERSION"
go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" \
  "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBERNETES_VERSION" \
  "k8s.io/kubernetes/cmd/kube-scheduler@$KUBERNETES_VERSION"
if [[ "$with_kubectl" == kubectl ]]; then go get "k8s.io/kubernetes/cmd/kubectl@$KUBERNETES_VERSION"; fi
}
if [[ -n "$older" ]]; then
  kubernetes_module "kubernetes-$older"
  echo "kubernetes-$older: $(grep -c . "$here/kubernetes-$older/go.sum") go.sum lines"
  exit 0
fi
kubernetes_module kubernetes kubectl

# etcd: server/v3 has relative replace directives, so the same wrapper trick.
fresh etcd
go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"

# kwok: no replace directives; a wrapper keeps its go.sum in the repository like the others.
fresh kwok
go get "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"

cd "$here"
for m in kubernetes etcd kwok; do
  echo "$m: $(grep -c . "$m/go.sum") go.sum lines, go $(sed -n 's/^go //p' "$m/go.mod")"
done
