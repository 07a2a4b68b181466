# Two entry points; each creates or updates .venv/ from pyproject.toml by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB    := $(VENV)/.lab-installed

.PHONY: spec test venv clean bench lab mutation

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

# Mutation testing of the engine (not part of `make test`; see docs/MUTATION.md). Every
# pricing/engine/*.py but __init__ by default; narrow it with MUTATION_MODULES=pricing/engine/money.py.
# Fresh each time: mutants/ is deleted first. Fails when a module scores below MUTATION_MIN percent.
MUTATION_MODULES ?= $(filter-out pricing/engine/__init__.py,$(sort $(wildcard pricing/engine/*.py)))
MUTATION_MIN     ?= 85
MUTATION_STAMP   := $(VENV)/.installed-mutation

$(MUTATION_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,mutation]'
	touch $(MUTATION_STAMP)

mutation: $(MUTATION_STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 $(foreach m,$(MUTATION_MODULES),'$(subst /,.,$(m:.py=)).*')
	$(BIN)/python tools/mutation_report.py --min $(MUTATION_MIN) $(MUTATION_MODULES)

clean:
	rm -rf build .venv .pricing-cache .pricing-refresh mutants
