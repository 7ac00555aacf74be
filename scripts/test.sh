#!/usr/bin/env bash
# The whole test suite, from a fresh checkout: set-up, type check, lint, format check, tests.
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

mkdir -p test-results
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || status=$?

node -e '
  const fs = require("node:fs");
  const file = "test-results/vitest.json";
  if (!fs.existsSync(file)) { console.log("tests: 0 passed, 1 failed"); process.exit(0); }
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));'
exit "$status"
