#!/usr/bin/env bash
# Machine-level setup for the @gdl monorepo (CI and README commands).
#
# Target: a fresh Debian machine with Node 20 + npm, run as root (or with sudo
# available for apt). Only the npm registry and Debian's apt repositories are
# reachable; nothing is downloaded from anywhere else.
#
# Usage: scripts/setup.sh [--browser] [--peers] [--no-install] [-h|--help]
#   --browser     install Debian's chromium (/usr/bin/chromium) for browser tests
#   --peers       install python3-torch python3-numpy libopenblas0-openmp
#                 (reference peers; run them with /usr/bin/python3, not whatever
#                 python3 is first on PATH, and with OMP_WAIT_POLICY=passive)
#   --no-install  skip `pnpm install` (machine-level setup only)
#
# Idempotent: each step is skipped when already satisfied. Prints the time each
# step took.
set -euo pipefail

PNPM_VERSION="12.21.0"
export TURBO_TELEMETRY_DISABLED=1
export DEBIAN_FRONTEND=noninteractive

want_browser=0
want_peers=0
do_install=1
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --peers) want_peers=1 ;;
    --no-install) do_install=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "setup: unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[setup] %s\n' "$*"; }

# step NAME CMD...: run CMD and print its wall time.
step() {
  local name="$1"; shift
  local t0=${EPOCHREALTIME/,/.}
  "$@"
  local t1=${EPOCHREALTIME/,/.}
  awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "[setup] %-26s %7.1f s\n", n ":", b - a }'
}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

# Run a quiet command; show its output only if it fails.
quiet() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    echo "[setup] failed: $*" >&2
    return 1
  fi
}

# --- pnpm -------------------------------------------------------------------
install_pnpm() {
  quiet npm install -g --no-fund --no-audit "pnpm@${PNPM_VERSION}"
  hash -r
  local v; v="$(pnpm --version)"
  [ "$v" = "$PNPM_VERSION" ] || { echo "[setup] pnpm is $v after install, expected $PNPM_VERSION" >&2; return 1; }
}
current_pnpm="$(pnpm --version 2>/dev/null || true)"
if [ "$current_pnpm" = "$PNPM_VERSION" ]; then
  log "pnpm $PNPM_VERSION already installed"
else
  log "installing pnpm@$PNPM_VERSION (found: ${current_pnpm:-none})"
  step "pnpm (npm i -g)" install_pnpm
fi

# --- apt packages -------------------------------------------------------------
apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    step "apt-get update" quiet $SUDO apt-get update -q
    apt_updated=1
  fi
}
is_installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }
apt_install() {  # apt_install LABEL PKG...
  local label="$1"; shift
  local missing=() p
  for p in "$@"; do is_installed "$p" || missing+=("$p"); done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "$label already installed ($*)"
    return 0
  fi
  apt_update_once
  log "installing ${missing[*]}"
  step "apt install $label" quiet $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
}

if [ "$want_browser" -eq 1 ]; then
  apt_install chromium chromium
  log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: --version failed')"
fi
if [ "$want_peers" -eq 1 ]; then
  # libopenblas0-openmp: without it (python3-torch only Recommends a BLAS, via
  # libtorch-dev) torch links Debian's reference BLAS and a 1024^3 matmul runs at
  # ~4 GFLOP/s instead of ~100 per thread. The OpenMP build follows
  # torch.set_num_threads(); the pthread build would ignore it.
  apt_install peers python3-torch python3-numpy libopenblas0-openmp
  log "BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
  log "torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') at /usr/bin/python3"
fi

# --- workspace dependencies ---------------------------------------------------
if [ "$do_install" -eq 1 ]; then
  cd "$ROOT"
  if [ -f pnpm-lock.yaml ]; then
    step "pnpm install (frozen)" pnpm install --frozen-lockfile
  else
    log "no pnpm-lock.yaml: running a non-frozen install"
    step "pnpm install" pnpm install
  fi
fi
log "done"
