#!/usr/bin/env bash
# The main job: all set-up on a fresh machine (pnpm, PyTorch peer from Debian, dependencies), then the bench app on
# its built-in default. Extra arguments go to gdl-bench (e.g. --full, --tasks matmul, --threads 2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh --peers
export TURBO_TELEMETRY_DISABLED=1
if [ -z "${GDL_DATA_DIR:-}" ] && [ -d "$ROOT/../shared/data" ]; then export GDL_DATA_DIR="$(cd "$ROOT/../shared/data" && pwd)"; fi
cd apps/bench
exec node bin/gdl-bench.mjs --out "$ROOT/bench-out" "$@"
