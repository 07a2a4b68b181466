"""Notebook hygiene: paired with a jupytext source, clean metadata, tagged, parameterised."""
import json

import pytest

from pricing.spec import nbtools
from pricing.spec.notebook import PLAIN

SOURCES = nbtools.sources()


@pytest.mark.parametrize("py", SOURCES, ids=[p.stem for p in SOURCES])
def test_notebook_in_sync_with_source(py):
    nb = py.with_suffix(".ipynb")
    assert nb.exists(), f"{nb} missing: run `pricing refresh --only {py}`"
    assert nbtools.in_sync(py, nb) == []


@pytest.mark.parametrize("py", SOURCES, ids=[p.stem for p in SOURCES])
def test_notebook_is_clean_and_parameterised(py):
    nb = json.loads(py.with_suffix(".ipynb").read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "papermill" not in nb["metadata"]
    assert nb["metadata"].get("language_info") == {"name": "python"}
    params = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1 and "catalog" in "".join(params[0]["source"])
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code[1:]), "notebook not executed"
    for c in code:
        for o in c.get("outputs", []):
            assert o["output_type"] != "error"
            assert not (o["output_type"] == "stream" and o["name"] == "stderr"), "stderr output (warnings) in notebook"
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "·" in "".join(first["source"]).splitlines()[0], \
        "first cell must be the Chinese · English title"
    assert any(RESULTS in json.dumps(c.get("outputs", [])) for c in code), "no example summary table"
    params = "".join(params[0]["source"])
    assert params == nbtools.SHIPPED_PARAMETERS, f"parameters cell is not the shipped one: {params!r}"
    for c in code:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if "text/markdown" in data:  # each figure stored once: the plain-text twin carries none
                assert "".join(data.get("text/plain", "")) == PLAIN, "text/plain repeats the Markdown"


RESULTS = "application/vnd.pricing-spec.results+json"
