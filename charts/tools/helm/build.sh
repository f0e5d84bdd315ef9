#!/usr/bin/env bash
# Builds the Helm binary the chart's tests render with, from the Go module pinned here (go.mod,
# go.sum), the way local-cluster/build.ts builds the Kubernetes binaries: GOTOOLCHAIN=local, written
# under a temporary name and renamed, cached by version under ~/.cache/xlss/bin/helm-<version>/
# (XLSS_CACHE_DIR moves the root). Prints the binary's path. A cached binary costs nothing; a cold
# build takes about 3.5 CPU-minutes plus the module download.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="$(sed -nE 's#^\s*helm\.sh/helm/v4 (v[0-9.]+).*#\1#p' "$here/go.mod")"
[ -n "$version" ] || { echo "error: no helm.sh/helm/v4 version in $here/go.mod" >&2; exit 1; }
cache_root="${XLSS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xlss}"
bin="$cache_root/bin/helm-$version/helm"
if [ ! -x "$bin" ]; then
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
  command -v go >/dev/null || { echo "error: Go 1.26+ is needed to build Helm (none on PATH)" >&2; exit 1; }
  mkdir -p "$(dirname "$bin")"
  echo "building Helm $version into $(dirname "$bin") (once; a few minutes)" >&2
  started=$SECONDS
  tmp="$bin.partial-$$"
  trap 'rm -f "$tmp"' EXIT
  (cd "$here" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$version -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
    -o "$tmp" helm.sh/helm/v4/cmd/helm)
  mv "$tmp" "$bin"
  echo "Helm $version built in $((SECONDS - started)) s" >&2
fi
echo "$bin"
