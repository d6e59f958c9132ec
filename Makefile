# The two commands: `make site` builds the site, `make test` runs every test.
# Both create .venv and install the package into it when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: site test ingest build bench bench-smoke clean audit node-tools

site: $(INSTALLED)
	$(BIN)/ncg-digest ingest
	$(BIN)/ncg-digest build

test: $(INSTALLED) node-tools
	$(BIN)/python -m pytest

ingest: $(INSTALLED)
	$(BIN)/ncg-digest ingest

build: $(INSTALLED)
	$(BIN)/ncg-digest build

# The benchmark against Pelican (docs/benchmarks.md): 1,000 and 10,000 articles; takes a while.
bench: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run.py

# The same script on 50 articles, as the test suite runs it.
bench-smoke: $(INSTALLED)
	$(BIN)/python -m pytest -m bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The package is byte-compiled once here: where the environment forbids writing bytecode
# (PYTHONDONTWRITEBYTECODE), every command would otherwise compile its source again.
$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q src/ncg_digest
	touch $(INSTALLED)

clean:
	rm -rf _site .cache

# Lighthouse on the timeline, a meeting and an article of a fresh build (needs Chromium and Node).
audit: build node_modules/.package-lock.json
	$(BIN)/python scripts/audit.py

# The Node tools that check the site (axe-core, vnu-jar, Lighthouse), exactly as
# package-lock.json pins them. Without npm the checks that need them are skipped.
node-tools:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node_modules/.package-lock.json; \
	else echo "npm not found: checks needing axe-core or the Nu HTML Checker will be skipped"; fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
