#!/usr/bin/env bash
# The test command: all set-up on a fresh machine (pnpm, Debian's chromium for browser tests, the PyTorch peer the
# bench app's agreement tests compare against, dependencies), then
# every package's tests through turbo, then one closing line adding them up.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --browser --peers
export TURBO_TELEMETRY_DISABLED=1
if [ -z "${GDL_DATA_DIR:-}" ] && [ -d "$ROOT/../shared/data" ]; then export GDL_DATA_DIR="$(cd "$ROOT/../shared/data" && pwd)"; fi
find packages apps -maxdepth 2 -name .vitest-results.json -delete 2>/dev/null || true
status=0
pnpm exec turbo run test --concurrency=1 --output-logs=full "$@" || status=$?
node scripts/summarize-tests.mjs || status=1
exit $status
