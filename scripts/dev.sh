#!/usr/bin/env bash
# `make dev`: the Worker under wrangler dev (workerd) on 127.0.0.1:$1 with local D1 and Durable
# Objects. Creates .dev.vars on first run and applies the D1 migrations every run (a no-op when
# they are applied). Expects scripts/env.sh to have been sourced (the Makefile does).
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8787}"
if [ ! -f .dev.vars ]; then
  cp .dev.vars.example .dev.vars
  echo "dev: created .dev.vars from .dev.vars.example (local settings; edit as needed)"
fi
# A setting added to the example since .dev.vars was made (IDENTITY_KEY, say) is appended with
# its example value, so an older .dev.vars does not leave the Worker misconfigured.
while IFS= read -r line; do
  name="${line%%=*}"
  if ! grep -q "^${name}=" .dev.vars; then
    printf '%s\n' "$line" >> .dev.vars
    echo "dev: added ${name} to .dev.vars from .dev.vars.example"
  fi
done < <(grep -E '^[A-Z_][A-Z0-9_]*=' .dev.vars.example)
args=(dev --ip 127.0.0.1 --port "$port")
# Status callbacks of the Worker's replies come back to this Worker unless .dev.vars says where
# Twilio reaches it.
if [ -z "$(sed -n 's/^PUBLIC_BASE_URL=//p' .dev.vars | tail -n 1)" ]; then
  args+=(--var "PUBLIC_BASE_URL:http://127.0.0.1:${port}")
fi
# The local Twilio (tests/twilio: Prism on Twilio's OpenAPI spec behind a fault proxy) receives the
# Worker's outbound REST calls, unless .dev.vars points TWILIO_API_BASE somewhere else. It starts
# now so Prism loads the spec (about 5 s) while the migrations run. wrangler runs as a child (not
# `exec`) that the shell waits for, so the traps stop both when dev stops: on Ctrl-C, on a signal
# to this shell alone, or when wrangler exits by itself.
dev_var() { sed -n "s/^$1=//p" .dev.vars | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' -e "s/^'\(.*\)'$/\1/"; }
twilio_pid=""
wrangler_pid=""
cleanup() {
  if [ -n "$wrangler_pid" ] && kill -0 "$wrangler_pid" 2>/dev/null; then
    kill -TERM "$wrangler_pid" 2>/dev/null || true
    wait "$wrangler_pid" 2>/dev/null || true
  fi
  if [ -n "$twilio_pid" ]; then
    kill -TERM "$twilio_pid" 2>/dev/null || true
    wait "$twilio_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
if [ -z "$(dev_var TWILIO_API_BASE)" ]; then
  twilio_base="http://127.0.0.1:${TWILIO_PORT:-4010}"
  twilio_log=".wrangler/twilio-mock.log"
  mkdir -p .wrangler
  TWILIO_AUTH_TOKEN="$(dev_var TWILIO_AUTH_TOKEN)" \
    node tests/twilio/mock.mjs --port "${TWILIO_PORT:-4010}" --callbacks > "$twilio_log" 2>&1 &
  twilio_pid=$!
  args+=(--var "TWILIO_API_BASE:${twilio_base}")
else
  echo "dev: TWILIO_API_BASE is set in .dev.vars: the Worker calls it; no local Twilio started"
fi
# One state directory per workerd version (state from another version can crash workerd).
state=".wrangler/state-${WORKERD_VERSION:?source scripts/env.sh first}"
CI=true wrangler d1 migrations apply DB --local --persist-to "$state"
args+=(--persist-to "$state")
if [ -n "$twilio_pid" ]; then
  # The mock prints its base URL once Prism answers.
  for _ in $(seq 1 600); do
    grep -q '^http://' "$twilio_log" && break
    if ! kill -0 "$twilio_pid" 2>/dev/null; then
      echo "dev: the local Twilio did not start (move it with TWILIO_PORT=..., or set TWILIO_API_BASE in .dev.vars):" >&2
      cat "$twilio_log" >&2
      exit 1
    fi
    sleep 0.1
  done
  if ! grep -q '^http://' "$twilio_log"; then
    echo "dev: the local Twilio did not answer within 60 s; its log: $twilio_log" >&2
    exit 1
  fi
  echo "dev: local Twilio (Prism + fault proxy, status callbacks on) at ${twilio_base}; log: ${twilio_log}"
fi
# `<&0` keeps the terminal as wrangler's stdin (a background job would get /dev/null), so its
# interactive keys still work.
wrangler "${args[@]}" <&0 &
wrangler_pid=$!
# The example clinic's facts and the default templates, once the Worker answers (a new version
# only when a file changed). Edit clinics/example.json and restart to see a change.
ADMIN_TOKEN="$(dev_var ADMIN_TOKEN)" node scripts/load-clinic.mjs --url "http://127.0.0.1:${port}" \
  --wait 120 || echo "dev: the example clinic was not loaded: automatic replies go to staff" >&2 &
wait "$wrangler_pid"
