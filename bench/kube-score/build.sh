#!/usr/bin/env bash
# Builds kube-score (the reference of bench/files.bench.js) from this committed wrapper module:
# its version and every dependency's checksum are fixed by go.mod/go.sum, and the build runs with
# -mod=readonly and GOTOOLCHAIN=local, so nothing is resolved at build time. The binary goes to a
# cache outside the repo keyed by a hash of go.mod/go.sum and is reused when present.
# Prints the binary's path as its last line; exits non-zero (with the reason on stderr) when Go
# is missing or the build fails.
# Env: PODSCOPE_BENCH_CACHE (default ~/.cache/podscope-bench).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v go >/dev/null || { echo "kube-score build: go is not installed" >&2; exit 1; }
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
hash="$(cd "$here" && cat go.mod go.sum | sha256sum | cut -c1-12)"
out="${PODSCOPE_BENCH_CACHE:-$HOME/.cache/podscope-bench}/kube-score-v1.20.0_$hash"
if [[ -x "$out/kube-score" ]]; then
  echo "$out/kube-score"
  exit 0
fi
mkdir -p "$out"
export CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly" GOTOOLCHAIN=local
cd "$here"
nice go build -trimpath -ldflags "-s -w -X main.version=v1.20.0" -o "$out/kube-score.tmp" github.com/zegl/kube-score/cmd/kube-score >&2
mv "$out/kube-score.tmp" "$out/kube-score"
echo "$out/kube-score"
