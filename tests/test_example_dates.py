"""Cells beside a worked example stay with the example when a price changes from a date.

A worked example is priced as of its own date (its ``as_of``, else its section's revision date), so
a new dated version of a price moves no example (README, "A new price from a date"). The cells that
restate or derive an example (a formula's substitutions, a side calculation, a chart, a sentence
about it) must read the catalog at that same date, through ``spec.at_example(id)``, and are tagged
``from-example:<id>``; the current-price tables and prose stay at the notebook's as-of date.

- structure (no execution): every cell that uses a view from ``spec.at_example(id)`` carries the tag
  ``from-example:<id>``, and every such tag names an example its notebook shows;
- behaviour: one build of the notebooks that have such cells, under a copy of the catalog with a new
  version, effective 2027-01-01, of every price, quantity, ratio and duration
  (``fixtures.catalog_edit.add_dated_versions``): every cell tagged with an example id or
  ``from-example:<id>`` shows exactly its committed output, while the current-price tables moved.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from fixtures.catalog_edit import add_dated_versions, copy_catalog
from pricing.spec import examples as exmod
from pricing.spec import nbtools

ROOT = Path(__file__).resolve().parent.parent
EFFECTIVE = "2027-01-01"
TAG = "from-example:"
IDS = {e.id for e in exmod.examples()}
VIEW = re.compile(r"""(\w+)\s*=\s*spec\.at_example\("([^"]+)"\)""")
INLINE = re.compile(r"""spec\.at_example\("([^"]+)"\)""")


def _cells(py: Path):
    return nbtools.read_source(py).cells


def _held(cell) -> list[str]:
    """The example ids a cell is held to: its example tag, or its from-example tags."""
    tags = cell.metadata.get("tags", [])
    return [t for t in tags if t in IDS] + [t[len(TAG):] for t in tags if t.startswith(TAG)]


DERIVED = [py for py in nbtools.sources() if any(t.startswith(TAG) for c in _cells(py) for t in c.metadata.get("tags", []))]


# ------------------------------------------------------------------ structure
@pytest.mark.parametrize("py", nbtools.sources(), ids=lambda p: p.stem)
def test_cells_that_read_at_an_examples_date_are_tagged_with_it(py):
    cells = _cells(py)
    text = "\n".join(c.source for c in cells)
    views: dict[str, str] = {}
    for c in cells:
        if c.cell_type != "code":
            continue
        views.update({name: ex for name, ex in VIEW.findall(c.source)})
        used = set(INLINE.findall(c.source))
        used |= {ex for name, ex in views.items() if re.search(rf"\b{name}\.[A-Za-z_]", c.source)}
        tags = {t[len(TAG):] for t in c.metadata.get("tags", []) if t.startswith(TAG)}
        assert used <= tags, f"{py.name}: a cell reads at the date of {sorted(used - tags)} but is not tagged {TAG}<id>:\n{c.source[:300]}"
        for ex in tags:
            assert ex in IDS, f"{py.name}: {TAG}{ex} names no worked example"
            assert f'spec.example("{ex}")' in text, f"{py.name}: {TAG}{ex}, an example this notebook does not show"


def test_at_example_dates_a_view_at_the_examples_own_date():
    from datetime import datetime
    from pricing.spec.notebook import Spec
    spec = Spec(None, "apigw.shared", "2027-06-01")
    worked = spec.at_example("apigw.shared.fee-45.26")
    assert spec.as_of == spec.cat.moment == datetime(2027, 6, 1)          # the notebook keeps its own date
    assert worked.as_of == worked.cat.moment == datetime(2025, 3, 17, 17, 50, 52)  # the section's revision
    assert worked.example_id == "apigw.shared.fee-45.26" and spec.example_id is None
    assert worked.calc("apigw.shared.call_fee", {"calls": "5000000"}).as_of == worked.as_of
    assert worked.md("{{ as_of }}").md == "2025-03-17"
    assert worked.runs is spec.runs                                    # one summary for the notebook
    with pytest.raises(Exception, match="example id"):
        spec.at_example("no.such.example")


# ------------------------------------------------------------------ behaviour under a new dated version
@pytest.fixture(scope="session")
def dated_build(tmp_path_factory):
    cat = copy_catalog(tmp_path_factory.mktemp("dated") / "catalog")
    added = add_dated_versions(cat, EFFECTIVE)
    out = tmp_path_factory.mktemp("dated-build")
    only = [a for py in DERIVED for a in ("--only", str(py))]
    proc = subprocess.run([sys.executable, "-m", "pricing.spec.cli", "build", "--catalog", str(cat), "--out", str(out),
                           "-j", "2", "--no-cache", *only], capture_output=True, text=True, cwd=ROOT, timeout=900)
    return proc, out, added


def _outputs(cell) -> str:
    """A cell's displayed outputs: Markdown as rendered, a chart's PNG bytes."""
    parts = []
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        for kind in ("text/markdown", "image/png"):
            if kind in data:
                parts.append(f"{kind}: {''.join(data[kind])}")
    return "\n".join(parts)


def test_the_dated_catalog_changes_what_the_derived_cells_read(dated_build):
    _, _, added = dated_build
    for i in ("apigw.egress.price.group_a", "apigw.free_quota.calls", "apigw.shared.free_period_days",
              "cloudbase.pricelist.gbs.workflow_memory_mb", "cloudbase.cap.exclusive.sla",
              "cloudbase.expert.sla.response_minutes", "cloudbase.hosting.mysql_system_mb",
              "cloudbase.reserved.default.instances", "cloudbase.pricelist.other.idle_concurrency"):
        assert i in added, i


def test_no_cell_beside_a_worked_example_moves(dated_build):
    proc, out, _ = dated_build
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert f"as of {EFFECTIVE} 00:00:00" in proc.stdout
    held = moved_current = 0
    for py in DERIVED:
        rel = py.relative_to(nbtools.NOTEBOOKS).with_suffix(".ipynb")
        committed = nbformat.read(py.with_suffix(".ipynb"), as_version=4)
        built = nbformat.read(out / "notebooks" / rel, as_version=4)
        assert len(committed.cells) == len(built.cells), rel
        for i, (a, b) in enumerate(zip(committed.cells, built.cells)):
            if a.cell_type != "code" or "parameters" in a.metadata.get("tags", []):
                continue
            assert a.source == b.source, f"{rel} cell {i}: the committed notebook is stale (pricing refresh)"
            if _held(a):
                held += 1
                assert _outputs(a) == _outputs(b), (
                    f"{rel} cell {i} {_held(a)} moved under a price version effective {EFFECTIVE}: it reads the "
                    f"catalog at the notebook's as-of date, not at the example's (use spec.at_example):\n{a.source[:300]}")
            elif _outputs(a) != _outputs(b):
                moved_current += 1
    assert held > 200, held                 # example cells and the cells derived from them
    assert moved_current > 20, moved_current  # the current-price tables and prose did move: the catalog took


def test_the_moved_current_tables_show_the_new_version(dated_build):
    _, out, _ = dated_build
    nb = json.loads((out / "notebooks" / "apigw" / "03_shared.ipynb").read_text(encoding="utf-8"))
    text = json.dumps(nb, ensure_ascii=False)
    assert "| `apigw.egress.price.group_a` |" in text and f"| 1.096 | CNY/GB | {EFFECTIVE} 00:00:00 |" in text
    committed = (nbtools.NOTEBOOKS / "apigw" / "03_shared.ipynb").read_text(encoding="utf-8")
    assert "p = \\\\frac{4}{5}" in committed and "p = \\\\frac{4}{5}" in text  # the worked month's price, both times
