#!/usr/bin/env bash
# Sets up the checkout, then builds and serves the demo tenant (see `npm run hydramem -- demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/hydramem.cjs demo "$@"
