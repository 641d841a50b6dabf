#!/usr/bin/env bash
# Builds the Worker's wasm (worker/build/index.js + index_bg.wasm) with the tools setup installed.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
t0=$SECONDS
(cd worker && worker-build --release)
wasm=worker/build/index_bg.wasm
# Keeps the function names (what a stack trace shows) and drops the other name subsections,
# which no one reads at run time and which cost over 100 KB of the 3 MB compressed limit.
node scripts/trim-names.mjs "$wasm"
printf 'build-worker: %s is %s bytes (%s bytes gzip) in %s s\n' "$wasm" "$(wc -c <"$wasm")" \
  "$(gzip -9c "$wasm" | wc -c)" "$((SECONDS - t0))"
