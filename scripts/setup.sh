#!/usr/bin/env bash
# Everything a fresh machine needs before HydraMem runs: a supported Node, the npm dependencies
# (installed from the lockfile), and the built CLI and dashboard. Safe to run again: it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export NEXT_TELEMETRY_DISABLED=1

node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (!((major === 20 && minor >= 19) || major >= 22)) {
    console.error(`HydraMem needs Node.js 20.19+ or 22+; this is ${process.version}.`);
    process.exit(1);
  }'

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci; better-sqlite3 compiles, about 90 s)"
  npm ci --no-audit --no-fund
fi

echo "setup: building the CLI and the dashboard"
npm run --silent build
