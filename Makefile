# The two commands a newcomer needs:
#   make figures   create .venv if missing, install, regenerate every figure
#   make test      create .venv if missing, install, run ruff, mypy and pytest
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONSTRAINTS := .ci/constraints.txt

.PHONY: test figures lint typecheck pytest slow bench clean lab

LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP): pyproject.toml $(CONSTRAINTS) notebooks/jupyterlab-settings.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[dev,gibbs]"
	@# JupyterLab opens notebooks/*.py (jupytext percent files) as notebooks
	@mkdir -p $(dir $(LAB_SETTINGS)) && cp notebooks/jupyterlab-settings.json $(LAB_SETTINGS)
	@touch $(STAMP)

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check topics tests benchmarks notebooks
	$(BIN)/ruff format --check topics tests benchmarks notebooks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

# Long checks on the full shared corpora (not part of `make test`).
slow: $(STAMP)
	$(BIN)/pytest -q -m slow

figures: $(STAMP)
	$(BIN)/topics figures

# JupyterLab on the notebooks (they open as notebooks; outputs go to build/)
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
