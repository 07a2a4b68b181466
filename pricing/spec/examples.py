"""Worked examples and the discrepancy register, as data (``spec_examples/``), and the runner
that checks each against the package.

An example names a calculation (a function registered with :func:`calc`), its inputs, the
output to compare, the figure as the guide prints it, and the policies it uses. A register
entry names the place, what the text says, each reading, and (through a calculation) what each
reading gives in numbers; tests hold every reading to its recorded figure.
"""
from __future__ import annotations

import importlib
import pkgutil
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from pricing.engine import calcs as _calcs
from pricing.engine.calcs import CALCS, calc  # noqa: F401 (re-exported)
from pricing.rules import load_all as load_rules
from pricing.engine.catalog import Catalog
from pricing.engine.errors import CatalogError, InputError
from pricing.engine.money import D, round_at
from pricing.engine.policies import check_known
from pricing.engine.results import Result, show

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "spec_examples"
def run_calc(name: str, cat, inputs: dict | None = None, policies: dict | None = None, as_of: object = None) -> Result:
    """Run a registered calculation (importing the rules first); see :func:`pricing.engine.calcs.run_calc`."""
    load_rules()
    return _calcs.run_calc(name, cat, inputs, policies, as_of)


def section_date(cat: Catalog, section: str) -> str:
    """The revision stamp of a section: the as-of moment of its examples that carry no date of their own."""
    s = cat.sections.get(section) or cat.sections.get(section.rsplit(".", 1)[0])
    if s is None:
        raise InputError("section", section, "a section declared in the catalog")
    return s.revised


EXAMPLE_KEYS = {"id", "section", "title", "calc", "output", "printed", "unit", "precision", "inputs", "policies",
                "discrepancies", "expected", "note", "as_of"}
DISCREPANCY_KEYS = {"id", "section", "title", "where", "says", "policy", "default", "why", "reading", "kind"}
READING_KEYS = {"name", "summary", "calc", "inputs", "policies", "output", "gives", "unit", "precision", "as_of"}


@dataclass(frozen=True)
class Example:
    id: str
    section: str
    title: str
    calc: str
    output: str
    printed: str
    unit: str = ""
    precision: str = ""
    inputs: dict = field(default_factory=dict)
    policies: dict = field(default_factory=dict)
    discrepancies: tuple[str, ...] = ()
    expected: str = ""
    note: str = ""
    file: str = ""
    as_of: str = ""  # the example's own date; empty: its section's revision date


@dataclass(frozen=True)
class Reading:
    name: str
    summary: str
    calc: str = ""
    inputs: dict = field(default_factory=dict)
    policies: dict = field(default_factory=dict)
    output: str = ""
    gives: str = ""
    unit: str = ""
    precision: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class Discrepancy:
    id: str
    section: str
    title: str
    where: str
    says: str
    readings: tuple[Reading, ...]
    default: str
    why: str
    policy: str = ""
    kind: str = "ambiguity"
    file: str = ""


def _table(file: str, where: str, raw: dict, allowed: set, required: set) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise CatalogError(file, f"{where}.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(sorted(allowed))}")
    missing = required - set(raw)
    if missing:
        raise CatalogError(file, f"{where}.{sorted(missing)[0]}", "missing required key")


def _strings(file: str, where: str, d: dict) -> dict:
    for k, v in d.items():
        if isinstance(v, float):
            raise CatalogError(file, f"{where}.{k}", f"float {v!r}: write numbers as strings")
    return dict(d)


@lru_cache(maxsize=4)
def _load_all(root: str) -> tuple[tuple[Example, ...], tuple[Discrepancy, ...]]:
    exs, ds = [], []
    for f in sorted(Path(root).rglob("*.toml")):
        name = str(f.relative_to(root))
        try:
            raw = tomllib.loads(f.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise CatalogError(name, "<syntax>", str(e)) from None
        if set(raw) - {"example", "discrepancy"}:
            raise CatalogError(name, sorted(set(raw) - {"example", "discrepancy"})[0], "unknown top-level key; allowed: example, discrepancy")
        for i, e in enumerate(raw.get("example", [])):
            w = f"example[{i}]"
            _table(name, w, e, EXAMPLE_KEYS, {"id", "section", "title", "calc", "output", "printed"})
            exs.append(Example(e["id"], e["section"], e["title"], e["calc"], e["output"], str(e["printed"]),
                               e.get("unit", ""), e.get("precision", ""), _strings(name, w + ".inputs", e.get("inputs", {})),
                               dict(e.get("policies", {})), tuple(e.get("discrepancies", ())), e.get("expected", ""),
                               e.get("note", ""), name, str(e.get("as_of", ""))))
        for i, d in enumerate(raw.get("discrepancy", [])):
            w = f"discrepancy[{i}]"
            _table(name, w, d, DISCREPANCY_KEYS, {"id", "section", "title", "where", "says", "reading", "default", "why"})
            rs = []
            for j, r in enumerate(d["reading"]):
                _table(name, f"{w}.reading[{j}]", r, READING_KEYS, {"name", "summary", "gives"})
                rs.append(Reading(r["name"], r["summary"], r.get("calc", ""), _strings(name, f"{w}.reading[{j}].inputs", r.get("inputs", {})),
                                  dict(r.get("policies", {})), r.get("output", ""), str(r["gives"]), r.get("unit", ""),
                                  r.get("precision", ""), str(r.get("as_of", ""))))
            if d["default"] not in {r.name for r in rs}:
                raise CatalogError(name, f"{w}.default", f"{d['default']!r} is not one of its readings")
            ds.append(Discrepancy(d["id"], d["section"], d["title"], d["where"], d["says"], tuple(rs), d["default"],
                                  d["why"], d.get("policy", ""), d.get("kind", "ambiguity"), name))
    seen = set()
    for x in [*exs, *ds]:
        if x.id in seen:
            raise CatalogError(x.file, x.id, "id used twice")
        seen.add(x.id)
    return tuple(exs), tuple(ds)


def examples(section: str | None = None, root: Path | str = EXAMPLES_DIR) -> list[Example]:
    exs = _load_all(str(root))[0]
    return [e for e in exs if section is None or e.section == section or e.section.startswith(section + ".")]


def discrepancies(section: str | None = None, root: Path | str = EXAMPLES_DIR) -> list[Discrepancy]:
    ds = _load_all(str(root))[1]
    return [d for d in ds if section is None or d.section == section or d.section.startswith(section + ".")]


def example(id: str, root: Path | str = EXAMPLES_DIR) -> Example:
    for e in examples(root=root):
        if e.id == id:
            return e
    raise InputError("example id", id, "an id from spec_examples/")


def same(computed: Any, printed: str, precision: str = "") -> bool:
    """The comparison rule: Decimals compare exactly, or at the stated precision (half-up)
    when the example says the guide prints a rounded figure; everything else compares as text."""
    if isinstance(computed, Decimal):
        try:
            p = D(printed.replace(",", ""))  # a printed figure keeps the guide's thousands separators
        except Exception:
            return False
        return (round_at(computed, precision) if precision else computed) == p
    return show(computed) == printed


@dataclass(frozen=True)
class ExampleRun:
    example: Example
    result: Result | None
    computed: Any
    status: str  # 'match' | 'differs' | 'known' | 'unexpected' | 'error' (see status_of)
    error: str = ""

    @property
    def computed_text(self) -> str:
        if self.error:
            return "error"
        if isinstance(self.computed, Decimal) and self.example.precision:
            return show(round_at(self.computed, self.example.precision))
        return show(self.computed)


def example_as_of(ex: Example, cat: Catalog) -> str:
    """A worked example is priced as of its own date, or else its section's revision date."""
    return ex.as_of or section_date(cat, ex.section)


def run_example(ex: Example, cat: Catalog) -> ExampleRun:
    try:
        res = run_calc(ex.calc, cat, ex.inputs, ex.policies, example_as_of(ex, cat))
        value = res.outputs[ex.output]
    except Exception as e:  # reported, never hidden: the status says 'error' and names it
        return ExampleRun(ex, None, None, "error", f"{type(e).__name__}: {e}")
    return ExampleRun(ex, res, value, status_of(ex, value))


def status_of(ex: Example, value: Any) -> str:
    """The status of a computed figure against the example (Concordion's ExpectedToFail):

    - ``match``: the guide's printed figure is reproduced;
    - ``known``: a known discrepancy (``expected`` set): we compute the recorded other figure;
    - ``unexpected``: a known discrepancy whose figure now matches the printed one: the register
      entry is stale, so this fails like ``differs`` until the example drops ``expected``;
    - ``differs``: anything else.
    """
    matches = same(value, ex.printed, ex.precision)
    if ex.expected:
        if matches:
            return "unexpected"
        return "known" if same(value, ex.expected, ex.precision) else "differs"
    return "match" if matches else "differs"


def run_reading(r: Reading, cat: Catalog, section: str) -> tuple[Any, bool]:
    """What a reading gives under this catalog, and whether that is still the recorded figure.
    A reading is priced as of its own date, or else the revision date of its entry's section."""
    if not r.calc:
        return r.gives, True
    res = run_calc(r.calc, cat, r.inputs, r.policies, r.as_of or section_date(cat, section))
    v = res.outputs[r.output]
    return v, same(v, r.gives, r.precision)
