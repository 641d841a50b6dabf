#!/usr/bin/env bash
# Native/wasm parity (`make wasm-test`): runs classifier/wasm-parity's test as wasm32 under Node 22
# with wasm-bindgen-test-runner. The test triages every conversation of fixtures/test.jsonl with
# the bundled model and compares the verdicts with the native golden
# (classifier/wasm-parity/golden.tsv); `cargo test -p classifier-wasm-parity` runs the same test
# natively. Node only: no browser, no WebDriver, nothing downloaded.
#
# Built with the dev profile: unoptimised candle, regex and tokenizers still triage the ~1,000
# conversations in about 5 s under Node, and a debug build compiles faster than any optimised one
# (`--release` is opt-level "s" with fat LTO and one codegen unit: minutes of linking on two
# cores). WASM_PARITY_PROFILE=release (or another profile) overrides it.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

die() {
  printf 'wasm-test: %s\n' "$*" >&2
  exit 1
}

# The tools `make setup` installs; say so instead of failing somewhere inside cargo.
command -v wasm-bindgen-test-runner >/dev/null 2>&1 ||
  die "wasm-bindgen-test-runner is not on PATH (expected in $MEDSPA_CACHE/cargo/bin): run \`make setup\`"
want_wbg=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
have_wbg=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')
[ "$have_wbg" = "$want_wbg" ] ||
  die "wasm-bindgen-test-runner is ${have_wbg:-unknown}, Cargo.lock has wasm-bindgen $want_wbg: run \`make setup\`"
command -v node >/dev/null 2>&1 || die "node is not on PATH: run \`make setup\` (installs Node 22 into node_modules)"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 22 ] ||
  die "node $(node --version 2>/dev/null) is first on PATH; wasm-bindgen $want_wbg's output needs Node >= 22 (wasm GC types): run \`make setup\`"
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
  die "the wasm32-unknown-unknown target is not installed: run \`make setup\`"

# Node mode only: clear anything that would select a browser, Deno or a worker, or make the
# runner skip the Node tests.
unset WASM_BINDGEN_USE_BROWSER WASM_BINDGEN_USE_DEDICATED_WORKER WASM_BINDGEN_USE_SHARED_WORKER \
  WASM_BINDGEN_USE_SERVICE_WORKER WASM_BINDGEN_USE_DENO WASM_BINDGEN_USE_NODE_EXPERIMENTAL \
  WASM_BINDGEN_USE_EMSCRIPTEN WASM_BINDGEN_TEST_ONLY_WEB WASM_BINDGEN_TEST_ONLY_NODE
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

profile="${WASM_PARITY_PROFILE:-dev}"

t0=$SECONDS
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --profile "$profile" -p classifier-wasm-parity --target wasm32-unknown-unknown \
  --test parity -- --nocapture 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  die "failed after $((SECONDS - t0)) s (profile $profile); if the native run fails too, the golden is stale or the triage changed: \`cargo test -p classifier-wasm-parity\` says which"
fi
# A run that compared nothing (a skipped suite, a filtered test) must not pass silently.
grep -q 'wasm-parity (wasm32): [1-9][0-9]* verdicts compared' "$log" ||
  die "the wasm32 parity test did not report its comparison (was it skipped?)"
printf 'wasm-test: native/wasm32 parity passed in %s s (profile %s)\n' "$((SECONDS - t0))" "$profile"
