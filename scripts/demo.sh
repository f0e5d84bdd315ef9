#!/usr/bin/env bash
# `npm run demo`: the local cluster plus everything built so far, with the console on
# http://127.0.0.1:3000. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
# Sourced, so that the PATH it may extend (Go in /usr/local/go) holds for the commands below.
source scripts/ensure-deps.sh demo
export NEXT_TELEMETRY_DISABLED=1
exec npx tsx scripts/demo.ts "$@"
