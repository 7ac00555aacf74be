#!/usr/bin/env bash
# The whole test suite, from a fresh checkout: set-up, type check, lint, format check, unit and
# integration tests, browser tests.
# Ends with one "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "test: type check"
npx tsc --noEmit -p .
echo "test: lint"
npx eslint --max-warnings 0 .
echo "test: format"
npx prettier --check . > /dev/null || { echo "test: files are not formatted: run npm run format"; exit 1; }

bash scripts/system-deps.sh

mkdir -p test-results
rm -f test-results/vitest.json test-results/e2e.json
status=0
echo "test: unit and integration tests (Vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?
echo "test: browser tests (Playwright, Debian Chromium, production build)"
npx playwright test || status=$?

node scripts/test-summary.mjs test-results/vitest.json test-results/e2e.json
exit "$status"
