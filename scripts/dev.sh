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
# One state directory per workerd version (state from another version can crash workerd).
state=".wrangler/state-${WORKERD_VERSION:?source scripts/env.sh first}"
CI=true wrangler d1 migrations apply DB --local --persist-to "$state"
exec wrangler dev --ip 127.0.0.1 --port "$port" --persist-to "$state"
