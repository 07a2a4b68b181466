"""Every worked example of both guides, and every reading in the discrepancy register, checked
against the package under the shipped catalog."""
import pytest

from pricing.engine import catalog
from pricing.spec import examples as ex

CAT = catalog.load()
EXAMPLES = ex.examples()
READINGS = [(d, r) for d in ex.discrepancies() for r in d.readings if r.calc]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_example_reproduces_guide_figure(example):
    run = ex.run_example(example, CAT)
    assert run.error == ""
    assert run.status in ("match", "known"), f"{example.id}: guide prints {example.printed}, computed {run.computed_text}"
    if run.status == "known":
        assert example.discrepancies, f"{example.id}: a known discrepancy must name its register entry"


@pytest.mark.parametrize("case", READINGS, ids=[f"{d.id}:{r.name}" for d, r in READINGS])
def test_register_reading_gives_recorded_figure(case):
    d, r = case
    value, ok = ex.run_reading(r, CAT, d.section)
    assert ok, f"{d.id} reading {r.name}: recorded {r.gives}, computed {value}"


def test_examples_and_register_reference_each_other():
    ids = {d.id for d in ex.discrepancies()}
    for e in EXAMPLES:
        for d in e.discrepancies:
            assert d in ids, f"{e.id} names unknown register entry {d}"
    for d in ex.discrepancies():
        assert d.section in CAT.sections, f"{d.id}: unknown section {d.section}"
        assert len(d.readings) >= 2, f"{d.id}: a register entry needs at least two readings"
    for e in EXAMPLES:
        assert e.section in CAT.sections, f"{e.id}: unknown section {e.section}"


def test_every_section_has_examples_or_register_entries_and_a_notebook():
    from pricing.spec import nbtools
    text = "\n".join(p.read_text(encoding="utf-8") for p in nbtools.sources())
    for key in CAT.sections:
        assert f'"{key}"' in text, f"no notebook opens a Spec for section {key}"


def test_every_example_is_shown_in_a_notebook():
    from pricing.spec import nbtools
    text = "\n".join(p.read_text(encoding="utf-8") for p in nbtools.sources())
    missing = [e.id for e in EXAMPLES if f'spec.example("{e.id}")' not in text]
    assert not missing, f"examples not displayed in any notebook: {missing}"


def test_readings_with_a_default_reproduce_the_example_that_cites_them():
    # the default reading of every register entry must be one of its readings (checked on load)
    for d in ex.discrepancies():
        assert d.default in {r.name for r in d.readings}
