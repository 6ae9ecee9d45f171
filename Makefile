# One entry point for people and CI. Needs only Python 3.11, git and make.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run test test-sqlite test-postgres test-e2e lint typecheck mypy-baseline format migrations-check lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps -e .

## Install, create and migrate the embedded database, and serve on http://$(HOST):$(PORT)
run: install
	$(BIN)/learnloop migrate --no-input
	$(BIN)/learnloop serve --host $(HOST) --port $(PORT)

## Install the test dependencies and run everything CI runs
test: install-test lint typecheck migrations-check test-sqlite test-postgres test-e2e

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## mypy, strict for new code; old errors are held to mypy-baseline.json, which only shrinks
typecheck:
	$(BIN)/python scripts/mypy_baseline.py

mypy-baseline:
	$(BIN)/python scripts/mypy_baseline.py --update

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check:
	LEARNLOOP_DATA_DIR=$$(mktemp -d) $(BIN)/learnloop makemigrations --check --dry-run

test-sqlite:
	$(BIN)/pytest -m "not e2e" -n 2 -q

test-postgres:
	$(BIN)/python scripts/with_postgres.py $(BIN)/pytest -m "not e2e" -n 2 -q

test-e2e:
	$(BIN)/pytest -m e2e -q

lock:
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile -q --strip-extras --generate-hashes -o requirements.lock pyproject.toml
	$(BIN)/pip-compile -q --extra test --strip-extras --generate-hashes -o requirements-test.lock pyproject.toml

clean:
	rm -rf $(VENV) build *.egg-info
