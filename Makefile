# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run console migrate test lint types unit install clean image-rehearsal

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)  ## migrate and start every channel with a token; the console when there is none
	$(BIN)/python -m bot

console: $(STAMP)
	$(BIN)/python -m bot console

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint types unit

image-rehearsal: $(STAMP)  ## by hand, as root, without Docker: the Dockerfile's steps in a Debian root (deploy/)
	$(BIN)/python -m deploy.rehearse_image

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
