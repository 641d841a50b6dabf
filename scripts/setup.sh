#!/usr/bin/env bash
# Installs everything `make dev` and `make test` need, under $MEDSPA_CACHE and node_modules.
# Idempotent and fast when warm: each step checks what is installed and skips if it matches.
set -euo pipefail
cd "$(dirname "$0")/.."
export MEDSPA_CACHE="${MEDSPA_CACHE:-$HOME/.cache/medspa-triage}"
mkdir -p "$MEDSPA_CACHE/cargo"
# shellcheck source=scripts/env.sh
source scripts/env.sh

step() { printf 'setup: %s\n' "$*"; }
t0=$SECONDS

# 1. The wasm32 target (rustup's auto-install is off on our machines).
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. worker-build, pinned to the worker crate's version.
want_wb=0.8.7
if [ "$("$MEDSPA_CACHE/cargo/bin/worker-build" --version 2>/dev/null | awk '{print $NF}')" != "$want_wb" ]; then
  step "installing worker-build $want_wb (about 6 min cold)"
  cargo install --locked --root "$MEDSPA_CACHE/cargo" "worker-build@$want_wb"
fi

# 3. The wasm-bindgen CLI matching Cargo.lock exactly (the CLI and the crate must agree).
# --locked does not build for 0.2.130, so it is omitted.
want_wbg=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
if [ -z "$want_wbg" ]; then
  echo "setup: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$("$WASM_BINDGEN_BIN" --version 2>/dev/null | awk '{print $2}')" != "$want_wbg" ]; then
  step "installing wasm-bindgen-cli $want_wbg (about 4 min cold)"
  cargo install --force --root "$MEDSPA_CACHE/cargo" "wasm-bindgen-cli@$want_wbg"
fi

# 4. Node packages (Node 22, wrangler, binaryen's wasm-opt, the Twilio SDK): npm ci only when
# package-lock.json changed since the last install.
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing npm from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
  else
    echo "setup: npm is needed to bootstrap Node 22; install Debian's npm package" >&2
    exit 1
  fi
fi
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.medspa-lock.sha256
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  step "npm ci (package-lock.json changed or first run)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >"$stamp"
fi

# 5. Check what the rest of the build relies on.
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 22 ]; then
  echo "setup: Node $(node --version) is first on PATH; wrangler needs >= 22.12" >&2
  exit 1
fi
"$WASM_OPT_BIN" --version >/dev/null
step "ready in $((SECONDS - t0)) s (node $(node --version), wrangler $(wrangler --version 2>/dev/null | tail -n 1), wasm-bindgen $want_wbg, worker-build $want_wb)"
