#!/usr/bin/env bash
# The whole test suite: lint, types, unit tests, integration tests on a real local cluster and real
# PostgreSQL/PGlite, the console's production build, and end-to-end tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# Sourced, so that the PATH it may extend (Go in /usr/local/go) holds for the commands below.
source scripts/ensure-deps.sh test
export NEXT_TELEMETRY_DISABLED=1
results=$(mktemp -d)

step() { echo; echo "==> $*"; }
step "local cluster binaries (built once, then cached)"
npx tsx local-cluster/cli.ts build
step "lint"
npx eslint .
step "typecheck"
npx tsc --noEmit
step "unit and integration tests"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
step "console build"
npx next build
step "end-to-end tests"
PLAYWRIGHT_JSON_OUTPUT_NAME="$results/playwright.json" npx playwright test --reporter=list,json
node scripts/test-summary.mjs "$results/vitest.json" "$results/playwright.json"
