# Two entry points; each creates or updates .venv/ from pyproject.toml by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB    := $(VENV)/.lab-installed

.PHONY: spec test venv clean bench
.PHONY: lab

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

# JupyterLab (the `lab` extra) on top of the test install; `make test` installs it too, so that
# tests/test_lab.py runs a real Jupyter server (measured: ~18 s of pip once, nothing afterwards).
$(LAB): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,lab]'
	touch $(LAB)

# JupyterLab on the notebooks, with their jupytext pairing (notebooks/jupytext.toml)
lab: $(LAB)
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) notebooks/

spec: $(STAMP)
	$(BIN)/pricing build

test: $(STAMP) $(LAB)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pytest tests/bench -n 0 --benchmark-enable --benchmark-only

clean:
	rm -rf build .venv .pricing-cache .pricing-refresh
