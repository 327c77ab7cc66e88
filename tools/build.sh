#!/usr/bin/env bash
# Builds one pinned Go tool (kube-score for the bench; krew and actionlint for tests) from its
# committed wrapper module: tools/<name>/go.mod and go.sum fix the tool's version and every
# dependency's checksum, and tools/<name>/tool.env says what to build. The build runs with
# -mod=readonly and GOTOOLCHAIN=local, so nothing is resolved at build time and a release
# published tomorrow cannot change it. The binary goes to a cache outside the repo, keyed by the
# tool's version and a hash of its three files, and is reused when present.
# Usage: tools/build.sh NAME   (prints the binary's path as its last line; exits non-zero, with
# the reason on stderr, when Go is missing or the build fails).
# Env: PODSCOPE_TOOLS_CACHE (default ~/.cache/podscope-tools).
set -euo pipefail
name="${1:?usage: tools/build.sh NAME}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$name"
[[ -f "$here/tool.env" && -f "$here/go.mod" && -f "$here/go.sum" ]] || { echo "tools/build.sh: no tool '$name' (tools/$name needs tool.env, go.mod, go.sum)" >&2; exit 2; }
command -v go >/dev/null || [[ ! -x /usr/local/go/bin/go ]] || export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "$name build: go is not installed" >&2; exit 1; }
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
export HOME
# shellcheck source=/dev/null
source "$here/tool.env"
hash="$(cd "$here" && cat tool.env go.mod go.sum | sha256sum | cut -c1-12)"
out="${PODSCOPE_TOOLS_CACHE:-$HOME/.cache/podscope-tools}/${TOOL_NAME}-${TOOL_VERSION}_$hash"
if [[ -x "$out/$TOOL_NAME" ]]; then
  echo "$out/$TOOL_NAME"
  exit 0
fi
mkdir -p "$out"
export CGO_ENABLED=0 GOFLAGS="-buildvcs=false -mod=readonly" GOTOOLCHAIN=local
cd "$here"
t0=$(date +%s)
nice go build -trimpath -ldflags "-s -w ${TOOL_LDFLAGS:-}" -o "$out/$TOOL_NAME.tmp" "$TOOL_PACKAGE" >&2
mv "$out/$TOOL_NAME.tmp" "$out/$TOOL_NAME"
echo "$TOOL_NAME $TOOL_VERSION built in $(( $(date +%s) - t0 )) s" >&2
echo "$out/$TOOL_NAME"
