#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, or stops with a message naming exactly
# what to install. Usage: scripts/ensure-deps.sh [demo|test]  (test also needs Chromium and PostgreSQL)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
purpose="${1:-test}"

die() { echo "error: $*" >&2; exit 1; }

# Node.js: the console and every component run on it.
command -v node >/dev/null || die "Node.js 20.19+ is required (none on PATH); install it, e.g. apt-get install nodejs, or from nodejs.org"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
  || die "Node.js 20.19+ is required, found $(node --version)"

# Go builds the local cluster's binaries (etcd, Kubernetes, KWOK) once; Debian's golang is too old.
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
command -v go >/dev/null || die "Go 1.26+ is required to build the local cluster (none on PATH); install it from https://go.dev/dl into /usr/local/go"
go_minor=$(GOTOOLCHAIN=local go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
[ "$go_minor" -ge 26 ] 2>/dev/null || die "Go 1.26+ is required, found $(GOTOOLCHAIN=local go env GOVERSION)"

# Debian packages: restic (backups), and for the tests Chromium, a PostgreSQL server and promtool.
packages=()
command -v restic >/dev/null || packages+=(restic)
if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  # A CJK font, so the Simplified Chinese pages render (and their docs screenshots show text, not boxes).
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || packages+=(fonts-wqy-microhei)
  compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || packages+=(postgresql-15)
  # promtool checks the Helm chart's alert rules.
  command -v promtool >/dev/null || packages+=(prometheus)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "installing Debian packages: ${packages[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -q
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
  else
    die "missing Debian packages: ${packages[*]}; install them with: sudo apt-get install ${packages[*]}"
  fi
fi

# npm packages, exactly as locked; skipped when node_modules already matches the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Helm, which the chart's tests render with: built once from its Go module, then cached.
if [ "$purpose" = test ]; then bash charts/tools/helm/build.sh >/dev/null; fi
# The OpenID provider the console's end-to-end tests sign in through: built once from its Go module, then cached.
if [ "$purpose" = test ]; then bash e2e/oidc-provider/build.sh >/dev/null; fi
