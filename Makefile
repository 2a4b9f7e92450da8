# Two commands for a fresh machine: `make demo` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check fmt lint types install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Generate a demo Beijing, load it into the embedded Redis and serve on http://127.0.0.1:8000.
demo: $(STAMP)
	$(BIN)/renggang demo

## Install and run the whole suite.
test: $(STAMP)
	$(BIN)/python -m pytest -q

fmt: $(STAMP)
	$(BIN)/ruff format .

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy

## Format check, lint, types, tests, in that order.
check: lint types test

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
