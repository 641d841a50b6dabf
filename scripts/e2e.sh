#!/usr/bin/env bash
# End-to-end tests: the built Worker in workerd (wrangler dev), driven with webhooks signed by the
# official Twilio SDK. Expects scripts/env.sh to be sourced and the Worker built (make e2e does).
set -euo pipefail
cd "$(dirname "$0")/.."
test -f worker/build/index.js || bash scripts/build-worker.sh
t0=$SECONDS
SKIP_WORKER_BUILD=1 node --no-warnings=ExperimentalWarning --test --test-concurrency=1 'tests/e2e/*.test.mjs'
echo "e2e: passed in $((SECONDS - t0)) s"
