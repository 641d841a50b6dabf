# Every entry point of the project. `make dev` and `make test` do all set-up themselves on a fresh
# machine (scripts/setup.sh is idempotent: a second run reuses what the first installed).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Build outputs and installed tools live outside the clone so fresh clones on a warm machine reuse
# them; override either to relocate.
export MEDSPA_CACHE ?= $(HOME)/.cache/medspa-triage
export CARGO_TARGET_DIR ?= $(MEDSPA_CACHE)/target
PORT ?= 8787
# scripts/env.sh puts the project's Node, wrangler and the wasm tools first on PATH.
ENV := source scripts/env.sh &&

.PHONY: help setup dev sms test lint unit wasm-test build-worker e2e load split validate gates eval train bench bench-wasm

help:
	@echo "make dev    - run the Worker in workerd on 127.0.0.1:$(PORT) with local D1 and Durable Objects"
	@echo "make sms    - BODY=\"...\" [FROM=+1...]: a signed SMS to the running make dev; prints its answer and the replies sent"
	@echo "make test   - every test: fmt, clippy (native+wasm32), unit, wasm parity, fixtures, gates, end-to-end"
	@echo "make eval   - score the triage on the fixtures' test split and print the summary"
	@echo "make train  - retrain the intent model from the fixtures' train split into models/"
	@echo "make bench  - criterion benches of the triage core"
	@echo "make bench-wasm - the triage core's start-up as wasm32 under V8 (release profile)"
	@echo "make load   - signed webhooks at LOAD_RATE/s for LOAD_SECONDS s against the local Worker (default 100/s, 60 s)"

setup:
	bash scripts/setup.sh

dev: setup
	$(ENV) bash scripts/dev.sh $(PORT)

# A signed inbound SMS to the Worker that `make dev` runs, then its answer and the messages it sent
# through the local Twilio. `$(value ...)` and single quotes pass BODY and FROM through unexpanded,
# so `$`, quotes and backticks in a message reach the script as typed.
sms:
	$(ENV) node scripts/sms.mjs --port='$(PORT)' --body='$(subst ','\'',$(value BODY))' --from='$(subst ','\'',$(value FROM))'

test: setup lint unit wasm-test validate gates e2e
	@echo "make test: all checks passed"

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p medspa-worker -p desk -p classifier --target wasm32-unknown-unknown -- -D warnings

unit:
	cargo test --workspace

wasm-test:
	$(ENV) bash scripts/wasm-test.sh

build-worker:
	$(ENV) bash scripts/build-worker.sh

e2e: build-worker
	$(ENV) bash scripts/e2e.sh

# Method and figures: tests/load/load.mjs and BENCHMARKS.md. Not part of `make test`: it measures.
LOAD_RATE ?= 100
LOAD_SECONDS ?= 60
load: setup build-worker
	$(ENV) SKIP_WORKER_BUILD=1 node tests/load/load.mjs --rate $(LOAD_RATE) --seconds $(LOAD_SECONDS) --patients 50 $(LOAD_ARGS)

split:
	cargo run -q -p evals -- split --authors fixtures/authors --test-author d,s,t,u --dev-share 0.15 --out fixtures

validate:
	cargo run -q -p evals -- validate fixtures

# CI's gates: every promise at its promised value (evals/gates.json, as `make eval`): no urgent
# message missed, no unsafe automatic reply, no structured identifier leaked, name recall,
# over-redaction, automation and macro-F1. The dev profile: scoring ~1,800 conversations takes
# seconds unoptimised, and reusing the test build saves CI an optimised build of candle.
gates:
	cargo run -q -p evals -- run --fixtures fixtures/test.jsonl --out $(MEDSPA_CACHE)/eval-gates --gates evals/gates.json

# The promised thresholds: exits non-zero while a promise is unmet, after printing the summary.
eval:
	status=0; cargo run -q --profile native -p evals -- run --fixtures fixtures/test.jsonl --out eval-out --gates evals/gates.json || status=$$?; \
	cat eval-out/summary.txt; exit $$status

train:
	cargo run --profile native -p trainer -- --train fixtures/train.jsonl --dev fixtures/dev.jsonl --test fixtures/test.jsonl --out models/intent --include-dev
	@echo "retrained: regenerate the parity golden with: cargo run -q -p classifier-wasm-parity --bin parity-golden"

bench:
	cargo bench -p classifier

bench-wasm: setup
	$(ENV) bash scripts/bench-wasm-start.sh
