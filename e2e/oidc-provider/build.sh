#!/usr/bin/env bash
# Builds the end-to-end tests' OpenID provider (main.go here, on zitadel/oidc pinned by go.mod and
# go.sum) the way charts/tools/helm/build.sh builds Helm: GOTOOLCHAIN=local, written under a
# temporary name and renamed, cached under ~/.cache/xlss/bin/oidc-provider-<hash>/ (XLSS_CACHE_DIR
# moves the root), the hash taken over go.mod, go.sum and main.go so an edit builds afresh. Prints
# the binary's path. A cold build takes about half a minute plus the module download.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
key="$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-16)"
cache_root="${XLSS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xlss}"
bin="$cache_root/bin/oidc-provider-$key/oidc-provider"
if [ ! -x "$bin" ]; then
  if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
  command -v go >/dev/null || { echo "error: Go 1.26+ is needed to build the test OpenID provider (none on PATH)" >&2; exit 1; }
  mkdir -p "$(dirname "$bin")"
  echo "building the test OpenID provider into $(dirname "$bin") (once)" >&2
  started=$SECONDS
  tmp="$bin.partial-$$"
  trap 'rm -f "$tmp"' EXIT
  (cd "$here" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp" .)
  mv "$tmp" "$bin"
  echo "test OpenID provider built in $((SECONDS - started)) s" >&2
fi
echo "$bin"
