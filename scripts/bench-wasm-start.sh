#!/usr/bin/env bash
# `make bench-wasm`: the triage core's start-up as wasm32 under V8 (Node), on the release profile
# the Worker ships with (opt-level "s", fat LTO: a few minutes to build on two cores). Prints the
# cold `Triage::bundled()` (what a Worker's new isolate pays, wasm compilation included), each
# stage's warm median and the first and warm triage. The method is in
# classifier/wasm-parity/tests/startup.rs. The figure the budget is judged by is the one the
# Worker itself logs in workerd (`triage engine built ms=`, printed by `make e2e`); this bench
# says where the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh
command -v wasm-bindgen-test-runner >/dev/null 2>&1 ||
  { echo "bench-wasm: wasm-bindgen-test-runner is not on PATH: run \`make setup\`" >&2; exit 1; }
unset WASM_BINDGEN_USE_BROWSER WASM_BINDGEN_USE_DENO WASM_BINDGEN_TEST_ONLY_WEB
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --release -p classifier-wasm-parity --target wasm32-unknown-unknown --test startup \
  -- --nocapture >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 30 "$log" >&2
  echo "bench-wasm: the start-up bench failed (exit $status); its output's end is above" >&2
  exit 1
fi
grep -E '^startup ' "$log" || { echo "bench-wasm: the start-up bench printed no figures" >&2; exit 1; }
