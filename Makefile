# Two commands for a fresh machine:
#   make lab    set up .venv (first time only) and open the course in JupyterLab
#   make test   set up .venv (first time only) and run every test
# Set PYTHON=/path/to/python3.11 if your default python3 is older than 3.11.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# JupyterLab refuses to start as root unless told to (containers, some lab machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help setup lab test lint format clean

help:
	@echo "make lab    - set up .venv and open the course in JupyterLab"
	@echo "make test   - set up .venv and run every test (ruff, pytest, all notebooks)"
	@echo "make clean  - remove .venv and caches"

setup: $(STAMP)

# Re-run the install whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "This kit needs Python 3.11 or newer; run e.g. make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

lab: $(STAMP)
	@echo ""
	@echo "Starting JupyterLab. When it is ready it prints a URL with a token:"
	@echo "open it in your browser; course/00_start_here.ipynb opens first."
	@echo "Stop the server with Ctrl+C (twice)."
	@echo ""
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --ServerApp.port=$(PORT) $(ROOT_FLAG) course/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist src/*.egg-info
