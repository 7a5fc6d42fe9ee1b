# Deskbridge developer entry points. Every target installs what it needs into .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PROTOS := $(shell find protos/deskbridge -name '*.proto' | sort)
PYTEST_ARGS ?=

.PHONY: install gen gen-check lint fmt test test-fast up bench bench-smoke fuzz breaking clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## create .venv and install Deskbridge with its dev tools (nats-server, buf)

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

test: $(STAMP) lint gen-check ## everything CI runs
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
