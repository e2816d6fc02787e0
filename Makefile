# The two commands a newcomer needs:
#   make figures   create .venv if missing, install, regenerate every figure
#   make test      create .venv if missing, install (and Chromium for the browser test), run
#                  ruff, mypy and pytest
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONSTRAINTS := .ci/constraints.txt
CHROMIUM := /usr/bin/chromium
# pytest runs in this many processes (pytest-xdist): one a core, at most 4 (tests start their
# own Dask workers, Jupyter kernels and browsers); `make test TEST_WORKERS=0` runs in one process
TEST_WORKERS ?= auto --maxprocesses 4

.PHONY: install test figures lint typecheck pytest slow bench clean lab browser screenshot

LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

$(STAMP): pyproject.toml $(CONSTRAINTS) notebooks/jupyterlab-settings.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e ".[dev,gibbs]"
	@# JupyterLab opens notebooks/*.py (jupytext percent files) as notebooks
	@mkdir -p $(dir $(LAB_SETTINGS)) && cp notebooks/jupyterlab-settings.json $(LAB_SETTINGS)
	@touch $(STAMP)

# Install only: .venv with the pinned versions and the JupyterLab settings, nothing run.
install: $(STAMP)

test: $(STAMP) browser lint typecheck pytest

# The explorer's browser test drives Debian's Chromium through Playwright (`playwright install`
# is never run: it downloads a browser build). Installed here when missing, as root with apt-get;
# elsewhere the test skips with the reason — except under CI (CI set), where this step fails.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the explorer's browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends chromium chromium-driver >/dev/null \
	      || { echo "chromium could not be installed: the browser test will skip"; [ -z "$$CI" ]; }; \
	  else \
	    echo "no $(CHROMIUM) and no apt-get as root: the browser test will skip"; [ -z "$$CI" ]; \
	  fi; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check topics tests benchmarks notebooks
	$(BIN)/ruff format --check topics tests benchmarks notebooks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) browser
	$(BIN)/pytest -q -n $(TEST_WORKERS)

# Long checks on the full shared corpora (not part of `make test`).
slow: $(STAMP)
	$(BIN)/pytest -q -n $(TEST_WORKERS) -m slow

figures: $(STAMP)
	$(BIN)/topics figures

# JupyterLab on the notebooks (they open as notebooks; outputs go to build/). As root (a
# container, a cloud notebook) JupyterLab refuses to start without --allow-root, so it is added.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# The README's explorer screenshot: the UN speeches' explorer (made by the browser test from
# ../shared) in headless Chromium → figures/explorer.png + its manifest.
screenshot: $(STAMP) browser
	$(BIN)/pytest -q tests/plots/test_explorer_browser.py -k "ungd_explorer and not full"
	$(BIN)/python tests/browser.py build/explorer-test/ungd-24/explorer.html figures/explorer.png

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
