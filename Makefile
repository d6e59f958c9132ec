# The two commands: `make site` builds the site, `make test` runs every test.
# Both create .venv and install the package into it when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: site test ingest build clean

site: $(INSTALLED)
	$(BIN)/ncg-digest ingest
	$(BIN)/ncg-digest build

test: $(INSTALLED)
	$(BIN)/python -m pytest

ingest: $(INSTALLED)
	$(BIN)/ncg-digest ingest

build: $(INSTALLED)
	$(BIN)/ncg-digest build

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

clean:
	rm -rf _site .cache
