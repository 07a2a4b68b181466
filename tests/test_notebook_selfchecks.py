"""The notebooks' self-checks can fail: a sympy formula that disagrees with the package's Decimal
figure fails its cell (and so the build and nbval), and no committed page shows a mismatch or names a
register entry that does not exist."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest
import sympy as sp

from pricing.engine import money  # noqa: F401  (sets the package's Decimal precision)
from pricing.spec import examples as exmod
from pricing.spec import formulas, nbtools
from pricing.spec.formulas import FormulaMismatch
from pricing.spec.notebook import formula

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted(p.with_suffix(".ipynb") for p in nbtools.sources())
x, y = sp.symbols("x y", positive=True)


# ------------------------------------------------------------------ formula() and check()

def test_formula_raises_on_a_planted_mismatch_naming_label_value_and_figure():
    with pytest.raises(FormulaMismatch) as e:
        formula("F", x * y, {x: 11, y: 1}, Decimal("32.00"), "Billed: the egress no pack covers")
    msg = str(e.value)
    assert "Billed: the egress no pack covers" in msg and "sympy gives 11" in msg and "32.00" in msg


def test_check_raises_too_and_returns_the_value_when_equal():
    with pytest.raises(FormulaMismatch, match=r"sympy gives 139059, the package's Decimal figure is 139058\.00"):
        formulas.check(x, {x: 139059}, Decimal("139058.00"), "refund")
    assert formulas.check(x * y, {x: formulas.R("1420.27"), y: 100}, Decimal("142027.00")) == (sp.Integer(142027), True)


def test_formula_accepts_a_non_terminating_rational_at_the_figures_precision():
    exact = Decimal(400697) / Decimal(75)          # what the package's Decimal division gives
    assert str(exact) == "5342.6266666666666666666666666666666666666666666667"
    view = formula("R", x * (30 - y) / 30, {x: formulas.R("7285.40"), y: 8}, exact, "Pro-rata refund")
    assert "sympy gives **400697/75**" in view.md and "equal at the figure's precision (half-up to 10^-46) ✔" in view.md
    formula("R", x / 75, {x: 400697}, Decimal("5342.63"))      # to the fen, half-up: agrees
    with pytest.raises(FormulaMismatch, match=r"400697/75 ≈ 5342\.63, the package's Decimal figure is 5342\.62"):
        formula("R", x / 75, {x: 400697}, Decimal("5342.62"))  # truncated, not rounded
    with pytest.raises(FormulaMismatch):
        formula("R", x / 75, {x: 400697}, Decimal("5342.626"))  # one digit short of the half-up figure


def test_a_terminating_value_is_compared_exactly_not_rounded():
    assert formulas.agrees(sp.Integer(32), Decimal("32.00"))
    assert not formulas.agrees(sp.Rational(1, 8), Decimal("0.13"))   # 0.125 is exact: no rounding allowed
    assert not formulas.agrees(sp.Rational(1, 8), Decimal("0.12"))


def test_half_up_is_away_from_zero_and_exact():
    assert formulas.round_half_up(sp.Rational(-400697, 75), -2) == Decimal("-5342.63")
    assert formulas.round_half_up(sp.Rational(5, 2), 0) == Decimal("3")
    assert formulas.round_half_up(sp.Rational(-5, 2), 0) == Decimal("-3")
    assert formulas.agrees(sp.Rational(-2, 3), Decimal("-0.67"))
    assert not formulas.agrees(sp.Rational(-2, 3), Decimal("-0.66"))


def test_a_formula_left_with_a_symbol_or_given_a_float_fails():
    with pytest.raises(FormulaMismatch, match="not an exact number"):
        formula("F", x * y, {x: 2}, Decimal("2"), "unsubstituted")
    with pytest.raises(TypeError):
        formula("F", x, {x: sp.Float("0.1")}, Decimal("0.1"))
    with pytest.raises(TypeError):
        formula("F", x, {x: 1}, 1.0)


def test_a_mismatch_fails_the_executed_cell(tmp_path):
    """The cell itself fails (what stops ``pricing build``/``refresh`` and nbval), not only the helper."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(
        "import sympy as sp\nfrom decimal import Decimal\nfrom pricing.spec.notebook import formula\n"
        "n = sp.Symbol('n')\nformula('F', n * 1000000, {n: 12}, Decimal('13000000'), 'Free calls in the first year')")]
    src, out = tmp_path / "planted.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, src)
    with pytest.raises(PapermillExecutionError) as e:
        pm.execute_notebook(str(src), str(out), kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    assert e.value.ename == "FormulaMismatch"
    assert "Free calls in the first year" in e.value.evalue and "12000000" in e.value.evalue


# ------------------------------------------------------------------ the committed notebooks

def _cell_texts(path: Path):
    """(cell index, text) for what a built page shows: Markdown cells and every code cell's outputs
    (the code too: a page shows the input of every cell but the hidden prose)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, c in enumerate(nb["cells"]):
        yield i, "".join(c["source"])
        for o in c.get("outputs", []):
            for value in (o.get("data") or {}).values():
                yield i, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if "text" in o:
                yield i, "".join(o["text"])


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_committed_notebook_shows_a_formula_mismatch(nb):
    bad = [i for i, text in _cell_texts(nb) if "NOT equal" in text]
    assert bad == [], f"{nb.relative_to(ROOT)}: cells {bad} print a formula mismatch"


def _known_ids() -> set[str]:
    ds = exmod.discrepancies()
    return {d.id for d in ds} | {m for d in ds for m in d.merges}


def _id_pattern(known: set[str]) -> re.Pattern:
    prefixes = sorted({k.split("-")[0] for k in known})
    return re.compile(r"\b(?:" + "|".join(prefixes) + r")-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")


def unknown_register_ids(text: str, known: set[str]) -> list[str]:
    return sorted({m for m in _id_pattern(known).findall(text) if m not in known})


def test_the_register_id_scan_finds_a_removed_id():
    known = _known_ids()
    assert "APIGW-FREE-PERIOD" in known and "RECON-DEBIT-ROUNDING" in known  # an entry, a merged id
    text = "(`APIGW-PACK-SCOPE-DATE`, see APIGW-FREE-PERIOD and RECON-DEBIT-ROUNDING)"
    assert unknown_register_ids(text, known) == ["APIGW-PACK-SCOPE-DATE"]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_name_only_register_entries_that_exist(nb):
    known = _known_ids()
    bad = {i: ids for i, text in _cell_texts(nb) if (ids := unknown_register_ids(text, known))}
    assert bad == {}, f"{nb.relative_to(ROOT)}: cells name ids that are neither an entry nor merged: {bad}"


def test_register_texts_examples_and_catalog_name_only_register_entries_that_exist():
    """The register's texts (rendered), the worked examples' notes and pins, and the catalog's texts."""
    known = _known_ids()
    bad = {}
    for d in exmod.discrepancies():
        if ids := unknown_register_ids(repr(d), known):
            bad[d.id] = ids
    for root in ("spec_examples", "pricing/catalog"):
        for p in sorted((ROOT / root).rglob("*.toml")):
            if ids := unknown_register_ids(p.read_text(encoding="utf-8"), known):
                bad[str(p.relative_to(ROOT))] = ids
    assert bad == {}
