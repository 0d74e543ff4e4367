# EndoSpine: `make run` to try it, `make test` to check it. Needs only Python 3.11.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint format typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## make run: set up, migrate, load content and demo data, start the worker, serve on :8000
run: setup
	@ENDOSPINE_STAFF_REQUIRE_2FA=$${ENDOSPINE_STAFF_REQUIRE_2FA:-false} bash scripts/run.sh $(HOST) $(PORT)

## make test: lint, format check, the whole suite on SQLite (with browser tests) and on PostgreSQL
test: setup
	@bash scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: setup
	$(BIN)/mypy endospine

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
