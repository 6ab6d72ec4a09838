# Two entry points for people: `make demo` (set up and run the main job) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-slow lint bench

$(BIN)/tropewatch: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

setup: $(BIN)/tropewatch

# The main job: scan the bundled example posts (verdicts in var/), load them into a demo
# organisation (prints an admin login once), then serve the web interface on 127.0.0.1:8000.
demo: setup
	mkdir -p var
	$(BIN)/tropewatch scan examples/posts.csv --text-column text --id-column id --output var/examples-scanned.jsonl
	$(BIN)/tropewatch explain "The Rothschilds own the banks and the media, wake up."
	$(BIN)/tropewatch demo
	$(BIN)/tropewatch serve

lint: setup
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest

# Rebuilding the shipped model from ../shared/data takes minutes: CI runs it, `make test` not.
test-slow: setup
	$(BIN)/pytest -m slow

bench: setup
	$(BIN)/python bench/bench_scan.py
	$(BIN)/python bench/bench_import.py --posts 100000
