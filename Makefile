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

# The optional editor interface (Decap CMS), from the npm package pinned in package-lock.json.
# Installed only when the editor is switched on (TIE_EDITOR=1), or asked for with `make editor`.
EDITOR_STAMP := node_modules/.installed
$(EDITOR_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(EDITOR_STAMP)

editor: $(EDITOR_STAMP) ## install the optional editor interface (Decap CMS); build it with TIE_EDITOR=1

# The Nu Html Checker (vnu.jar, run with Java), which the tests run over every page; pinned in tests/vnu/package-lock.json,
# apart from the optional editor's packages.
VNU_STAMP := tests/vnu/node_modules/.installed
$(VNU_STAMP): tests/vnu/package.json tests/vnu/package-lock.json
	npm ci --prefix tests/vnu --ignore-scripts --no-audit --no-fund
	touch $(VNU_STAMP)

check: $(STAMP) ## check content and questionnaire (tie check)
	$(BIN)/tie check

build: $(STAMP) $(if $(filter 1,$(TIE_EDITOR)),$(EDITOR_STAMP)) ## check, then build the site into site/ (tie build)
	$(BIN)/tie build

run: build ## set up, build and serve site and app on http://127.0.0.1:$(PORT)
	$(BIN)/tie serve

demo: $(STAMP) ## fill the database with synthetic responses (tie demo), publish their benchmarks, build and serve, to see everything at once
	$(BIN)/tie demo
	$(BIN)/tie nightly --demo --quiet
	$(BIN)/tie build
	$(BIN)/tie serve

test: $(STAMP) $(VNU_STAMP) ## set up and run every test (the HTML checker needs Java)
	$(BIN)/ruff check model generator functions tests benchmarks
	$(BIN)/pytest -q -n 2

test-fast: $(STAMP) ## the quick tier while working: no browser, no site builds, fewer property cases
	$(BIN)/ruff check model generator functions tests benchmarks
	TIE_TEST_TIER=fast $(BIN)/pytest -q -m "not slow" -n 2

lint: $(STAMP) ## lint the code (ruff check)
	$(BIN)/ruff check model generator functions tests benchmarks

bench-build: $(STAMP) ## measure the site build and a first search at 100, 1,000 and 5,000 resources (slow)
	$(BIN)/python -m benchmarks.build_scale

bench-nightly: $(STAMP) ## tie nightly at 400 councils and 3 editions, and the rebuild it triggers, against a plain build (a few minutes)
	$(BIN)/python -m benchmarks.nightly_scale

bench-lighthouse: $(STAMP) ## Lighthouse's mobile performance score for four pages of a running `make run` (npm lighthouse in .lighthouse/)
	test -x .lighthouse/node_modules/.bin/lighthouse || npm install --prefix .lighthouse --no-audit --no-fund --no-save lighthouse@12.8.2
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python -m benchmarks.lighthouse http://127.0.0.1:$(PORT)

bench-load: $(STAMP) ## saving answers under load against a bare insert, SQLite and PostgreSQL (a few minutes)
	$(BIN)/python -m benchmarks.load

bench-consensus: $(STAMP) ## record 40 consensus answers in Chromium, without and with JavaScript: page loads and time
	$(BIN)/python -m benchmarks.consensus_meeting

bench-results: $(STAMP) ## the official results page with and without its comparisons with similar councils (50 requests each)
	$(BIN)/python -m benchmarks.results_comparisons

durability: $(STAMP) ## kill the app (and PostgreSQL) under load; check no acknowledged save is lost (a few minutes)
	$(BIN)/python -m benchmarks.durability

.PHONY: bench-nightly bench-lighthouse bench-load bench-consensus bench-results durability

lock: ## re-pin requirements.lock from requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-header --output-file requirements.lock requirements.in

clean: ## remove what builds and runs leave behind (keeps data/)
	rm -rf build site .pytest_cache

.PHONY: help setup editor check build run demo test lint bench-build lock clean
