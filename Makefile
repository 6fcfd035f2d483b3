# The Exchange's commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT

.DEFAULT_GOAL := help

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP) ## create the environment from the lock file

check: $(STAMP) ## check content and questionnaire (tie check)
	$(BIN)/tie check

build: $(STAMP) ## check, then build the site into site/ (tie build)
	$(BIN)/tie build

run: build ## set up, build and serve site and app on http://127.0.0.1:$(PORT)
	$(BIN)/tie serve

test: $(STAMP) ## set up and run every test
	$(BIN)/ruff check generator functions tests benchmarks
	$(BIN)/pytest -q

lint: $(STAMP) ## lint and check formatting
	$(BIN)/ruff check generator functions tests benchmarks

lock: ## re-pin requirements.lock from requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-header --output-file requirements.lock requirements.in

clean: ## remove what builds and runs leave behind (keeps data/)
	rm -rf build site .pytest_cache

.PHONY: help setup check build run test lint lock clean
