# Two commands for a fresh machine:
#   make lab    set up .venv (first time only) and open the course in JupyterLab
#   make test   set up .venv with the test tools (first time only) and run every test
# Set PYTHON=/path/to/python3.11 if your default python3 is older than 3.11.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# what learners need: the course, JupyterLab, the planner, slides, grading
STAMP  := $(VENV)/.installed
# the same plus the test tools (pytest, nbval, ruff, Playwright): only for make test
TEST_STAMP := $(VENV)/.installed-test
PORT   ?= 8888

.PHONY: help setup lab test lint format clean

help:
	@echo "make lab    - set up .venv and open the course in JupyterLab"
	@echo "make test   - set up .venv with the test tools and run every test"
	@echo "make clean  - remove .venv and caches"

setup: $(STAMP)

# Re-run the install whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "This kit needs Python 3.11 or newer; run e.g. make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(TEST_STAMP)

# consortia lab makes (or updates) your own copy of the course in my_course/, then
# starts JupyterLab on it; the address it prints opens course/00_start_here.ipynb.
lab: $(STAMP)
	$(BIN)/consortia lab --port $(PORT)

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

format: $(TEST_STAMP)
	$(BIN)/ruff format src tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist src/*.egg-info
