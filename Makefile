# Deskbridge developer entry points. Every target installs what it needs into .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Re-install when pyproject.toml or the dev lock changes.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements-dev.lock | sha1sum | cut -c1-12)
PROTOS := $(shell find protos/deskbridge -name '*.proto' | sort)
PYTEST_ARGS ?=
PIP := $(PY) -m pip --disable-pip-version-check

# The lock files, written by `make lock` from pyproject.toml (and api/pyproject.toml's build
# backend): requirements.lock is what production installs (deploy/Dockerfile),
# requirements-build.lock the build backend, requirements-dev.lock everything `make` installs.
LOCKS := requirements.lock requirements-build.lock requirements-dev.lock
UV := $(BIN)/uv
# LOCK_ARGS moves pins forward: `make lock LOCK_ARGS='--upgrade-package grpcio'` (or --upgrade).
LOCK_ARGS ?=
UV_COMPILE := $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(LOCK_ARGS)
BUILD_REQUIRES := $(PY) -c 'import sys, tomllib; \
	[print(r) for f in sys.argv[1:] for r in tomllib.load(open(f, "rb"))["build-system"]["requires"]]'
# $(call lock_into,DIR): compile the lock files into DIR, keeping the pins already there where
# pyproject.toml still allows them. The dev lock comes first and constrains the others, so
# production runs exactly the versions the tests ran.
lock_into = set -o pipefail && \
	$(BUILD_REQUIRES) pyproject.toml api/pyproject.toml \
	  | $(UV_COMPILE) - pyproject.toml --extra dev -o $(1)/requirements-dev.lock && \
	$(UV_COMPILE) pyproject.toml -c $(1)/requirements-dev.lock -o $(1)/requirements.lock && \
	$(BUILD_REQUIRES) pyproject.toml \
	  | $(UV_COMPILE) - -c $(1)/requirements-dev.lock -o $(1)/requirements-build.lock
# A lock file's pins and markers, without its comments and hashes (a wheel uploaded later for a
# pinned version adds a hash; that is not a stale lock).
PINS := sed -e '/^ *\#/d' -e '/^ *--hash=/d' -e 's/ *\\$$//'

.PHONY: install lock lock-check gen gen-check lint fmt test test-fast up bench bench-smoke fuzz \
	breaking clean

# Everything from the lock, hash-checked; then Deskbridge itself, editable, built by the locked
# hatchling (no build isolation: nothing unpinned is fetched).
$(STAMP): pyproject.toml requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install -q --require-hashes -r requirements-dev.lock
	@$(PIP) install -q --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-* && touch $@

$(UV):
	@$(MAKE) --no-print-directory install

install: $(STAMP) ## create .venv and install Deskbridge with its dev tools (nats-server, buf)

lock: $(UV) ## re-pin every dependency after editing pyproject.toml: rewrites requirements*.lock
	@$(call lock_into,.)
	@echo "lock: wrote $(LOCKS)"

lock-check: $(UV) ## fail when requirements*.lock are not what `make lock` would write
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; cp $(LOCKS) "$$tmp"/ && \
	$(call lock_into,"$$tmp") && \
	for f in $(LOCKS); do \
	  diff -u --label "$$f" --label "$$f (make lock)" <($(PINS) $$f) <($(PINS) "$$tmp/$$f") >&2 \
	  || { echo "$$f is stale (pyproject.toml changed): run 'make lock' and commit it" >&2; \
	       exit 1; }; \
	done; echo "lock-check: $(LOCKS) match pyproject.toml"

gen: $(STAMP) ## regenerate gen/ from protos/
	@scripts/gen.sh gen

gen-check: $(STAMP) ## fail when gen/ is not exactly what protos/ generate
	@scripts/gen-check.sh

lint: $(STAMP) ## buf lint, buf breaking, ruff
	@$(BIN)/buf lint
	@scripts/buf-breaking.sh
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

fmt: $(STAMP)
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

test: $(STAMP) lock-check lint gen-check ## everything CI runs
	@$(BIN)/pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	@$(BIN)/pytest -x -q $(PYTEST_ARGS)

up: $(STAMP) ## run NATS, the InvGate sandbox and every service in the foreground
	@$(BIN)/deskbridge up

bench: $(STAMP) ## the load harness (benchmarks/README.md)
	@$(PY) -m benchmarks.run

bench-smoke: $(STAMP)
	@$(PY) -m benchmarks.run --smoke

fuzz: $(STAMP) ## property-based fuzz of every RPC, 10,000 hostile requests (benchmarks/fuzz.py)
	@$(PY) -m benchmarks.fuzz

clean:
	rm -rf $(VENV) .deskbridge .pytest_cache .ruff_cache .hypothesis
