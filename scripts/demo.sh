#!/usr/bin/env bash
# `npm run demo`: the local cluster plus everything built so far, with the console on
# http://127.0.0.1:3000. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh demo
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
export NEXT_TELEMETRY_DISABLED=1
exec npx tsx scripts/demo.ts "$@"
