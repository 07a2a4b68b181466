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
from dataclasses import dataclass, field, replace
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
                "discrepancies", "expected", "note", "as_of", "lines", "pin_why"}
DISCREPANCY_KEYS = {"id", "section", "title", "where", "says", "policy", "default", "why", "reading", "kind",
                    "severity", "affects", "scenario", "spread", "lines", "evidence", "confidence", "basis", "merges",
                    "also"}
DISCREPANCY_REQUIRED = {"id", "section", "title", "where", "says", "reading", "default", "why", "severity", "affects",
                        "scenario", "spread", "lines", "confidence", "basis"}
READING_KEYS = {"name", "summary", "calc", "inputs", "policies", "output", "gives", "unit", "precision", "as_of"}
LOCATOR_KEYS = {"file", "section", "ranges", "term"}
SPREAD_KEYS = {"cny", "from", "note"}
EVIDENCE_KEYS = {"title", "url", "supports", "reading"}

SEVERITIES = ("high", "medium", "low")
"""high: changes amounts in common cases; medium: amounts in specific cases, or dates; low: wording only."""
CONFIDENCES = ("high", "medium", "low")
"""How well the default is supported: high = an official page outside the guides (or the guide's own printed
figures) settles it; medium = the guide's wording favours it; low = nothing found settles it."""
BASES = ("two-places", "one-place")
"""two-places: two places of the guides disagree; one-place: one place admits readings with different numbers."""
SPREAD_FROM = ("readings", "stated")
"""readings: the spread is the largest difference between the readings' computed CNY figures (tests hold it);
stated: the spread is stated with its note (dates, or a reading no calculation computes)."""


@dataclass(frozen=True)
class Locator:
    """Where in a guide's text: the seed file (empty: the guide of the record's section), the guide's
    section path as cited, inclusive line ranges of the seed, and a key term the cited lines contain."""
    file: str
    section: str
    ranges: tuple[tuple[int, int], ...]
    term: str = ""

    def text(self) -> str:
        r = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in self.ranges)
        return f"{self.section}, lines {r}" if self.section else f"lines {r}"


@dataclass(frozen=True)
class Spread:
    cny: str    # the largest money difference between the readings on the scenario: a decimal, "0" or "n/a"
    basis: str  # 'readings' (computed, held by tests) | 'stated'
    note: str = ""

    @property
    def value(self) -> Decimal | None:
        return None if self.cny == "n/a" else D(self.cny)


@dataclass(frozen=True)
class Evidence:
    title: str
    url: str
    supports: str
    reading: str = ""  # the reading the page supports (empty: context only)


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
    lines: tuple[Locator, ...] = ()
    pin_why: str = ""  # why the example pins a reading that is not the policy default


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
    severity: str = ""
    affects: tuple[str, ...] = ()
    scenario: str = ""
    spread: Spread | None = None
    lines: tuple[Locator, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    confidence: str = ""
    basis: str = ""
    merges: tuple[str, ...] = ()  # register ids this entry absorbed (old references resolve to it)
    also: tuple[str, ...] = ()    # other sections the same question governs

    @property
    def reading_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.readings)


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


def _one_of(file: str, where: str, value: object, allowed: tuple) -> str:
    if value not in allowed:
        raise CatalogError(file, where, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _ranges(file: str, where: str, raw: object) -> tuple[tuple[int, int], ...]:
    if not isinstance(raw, list) or not raw:
        raise CatalogError(file, where, "a non-empty list of [first, last] line ranges")
    out = []
    for i, r in enumerate(raw):
        if (not isinstance(r, list) or len(r) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in r)
                or not 1 <= r[0] <= r[1]):
            raise CatalogError(file, f"{where}[{i}]", f"{r!r}: a range [first, last] of line numbers, 1 <= first <= last")
        out.append((r[0], r[1]))
    return tuple(out)


def _locators(file: str, where: str, raw: object) -> tuple[Locator, ...]:
    """``lines``: bare ranges (``[[245, 249]]``, in the guide of the record's section) or a list of
    ``{file, section, ranges, term}`` tables."""
    if not isinstance(raw, list) or not raw:
        raise CatalogError(file, where, "a locator: [[first, last], ...] or [{file, section, ranges, term}, ...]")
    if all(isinstance(x, list) for x in raw):
        return (Locator("", "", _ranges(file, where, raw)),)
    out = []
    for i, loc in enumerate(raw):
        w = f"{where}[{i}]"
        if not isinstance(loc, dict):
            raise CatalogError(file, w, "a table {file, section, ranges, term}")
        _table(file, w, loc, LOCATOR_KEYS, {"ranges"})
        out.append(Locator(str(loc.get("file", "")), str(loc.get("section", "")), _ranges(file, w + ".ranges", loc["ranges"]),
                           str(loc.get("term", ""))))
    return tuple(out)


def _spread(file: str, where: str, raw: object) -> Spread:
    if not isinstance(raw, dict):
        raise CatalogError(file, where, "a table {cny, from, note}")
    _table(file, where, raw, SPREAD_KEYS, {"cny", "from"})
    cny = str(raw["cny"])
    if cny != "n/a":
        try:
            if D(cny) < 0:
                raise ValueError
        except Exception:
            raise CatalogError(file, where + ".cny", f"{cny!r}: a decimal string >= 0, or 'n/a'") from None
    basis = _one_of(file, where + ".from", raw["from"], SPREAD_FROM)
    note = str(raw.get("note", ""))
    if basis == "stated" and not note:
        raise CatalogError(file, where + ".note", "a stated spread needs its note (how it was found)")
    return Spread(cny, basis, note)


def _evidence(file: str, where: str, raw: object) -> tuple[Evidence, ...]:
    if not isinstance(raw, list):
        raise CatalogError(file, where, "a list of {title, url, supports}")
    out = []
    for i, e in enumerate(raw):
        w = f"{where}[{i}]"
        _table(file, w, e, EVIDENCE_KEYS, {"title", "url", "supports"})
        if not str(e["url"]).startswith("https://"):
            raise CatalogError(file, w + ".url", f"{e['url']!r}: an https address")
        out.append(Evidence(e["title"], e["url"], e["supports"], e.get("reading", "")))
    return tuple(out)


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
            _table(name, w, e, EXAMPLE_KEYS, {"id", "section", "title", "calc", "output", "printed", "lines"})
            exs.append(Example(e["id"], e["section"], e["title"], e["calc"], e["output"], str(e["printed"]),
                               e.get("unit", ""), e.get("precision", ""), _strings(name, w + ".inputs", e.get("inputs", {})),
                               dict(e.get("policies", {})), tuple(e.get("discrepancies", ())), e.get("expected", ""),
                               e.get("note", ""), name, str(e.get("as_of", "")), _locators(name, w + ".lines", e["lines"]),
                               e.get("pin_why", "")))
        for i, d in enumerate(raw.get("discrepancy", [])):
            w = f"discrepancy[{i}]"
            _table(name, w, d, DISCREPANCY_KEYS, DISCREPANCY_REQUIRED)
            rs = []
            for j, r in enumerate(d["reading"]):
                _table(name, f"{w}.reading[{j}]", r, READING_KEYS, {"name", "summary", "gives"})
                rs.append(Reading(r["name"], r["summary"], r.get("calc", ""), _strings(name, f"{w}.reading[{j}].inputs", r.get("inputs", {})),
                                  dict(r.get("policies", {})), r.get("output", ""), str(r["gives"]), r.get("unit", ""),
                                  r.get("precision", ""), str(r.get("as_of", ""))))
            if d["default"] not in {r.name for r in rs}:
                raise CatalogError(name, f"{w}.default", f"{d['default']!r} is not one of its readings")
            affects = d["affects"]
            if not isinstance(affects, list) or not affects or not all(isinstance(a, str) and a for a in affects):
                raise CatalogError(name, f"{w}.affects", "a non-empty list of what the question changes (calculations, items)")
            if not str(d["scenario"]).strip():
                raise CatalogError(name, f"{w}.scenario", "one common scenario, stated")
            ev = _evidence(name, f"{w}.evidence", d.get("evidence", []))
            for k, e in enumerate(ev):
                if e.reading and e.reading not in {r.name for r in rs}:
                    raise CatalogError(name, f"{w}.evidence[{k}].reading", f"{e.reading!r} is not one of its readings")
            ds.append(Discrepancy(d["id"], d["section"], d["title"], d["where"], d["says"], tuple(rs), d["default"],
                                  d["why"], d.get("policy", ""), d.get("kind", "ambiguity"), name,
                                  _one_of(name, f"{w}.severity", d["severity"], SEVERITIES), tuple(affects),
                                  d["scenario"], _spread(name, f"{w}.spread", d["spread"]),
                                  _locators(name, f"{w}.lines", d["lines"]), ev,
                                  _one_of(name, f"{w}.confidence", d["confidence"], CONFIDENCES),
                                  _one_of(name, f"{w}.basis", d["basis"], BASES), tuple(d.get("merges", ())),
                                  tuple(d.get("also", ()))))
    seen = set()
    for x in [*exs, *ds]:
        if x.id in seen:
            raise CatalogError(x.file, x.id, "id used twice")
        seen.add(x.id)
    merged = {m: d.id for d in ds for m in d.merges}
    for m, into in merged.items():
        if m in seen:
            raise CatalogError(next(d.file for d in ds if d.id == into), f"{into}.merges", f"{m} is merged but still an entry")
    return tuple(exs), tuple(ds)


# ------------------------------------------------------------------------------------------ rendering
# Register texts are prose templates (pricing.spec.prose): catalog figures are placeholders, rendered as
# of the entry's section revision date (a reading's summary at the reading's own date when it has one).

def _render(text: str, view) -> str:
    if "{{" not in text and "{%" not in text:
        return text
    from . import prose
    return prose.render(text, view)


def seed_of(cat: Catalog, section: str) -> str:
    """The seed file of the guide a section belongs to (catalog ``documents.<doc>.seed``)."""
    s = cat.sections.get(section) or cat.sections.get(section.rsplit(".", 1)[0])
    return cat.documents.get(s.doc, {}).get("seed", "") if s is not None else ""


def _resolved(locs: tuple[Locator, ...], cat: Catalog, section: str) -> tuple[Locator, ...]:
    s = cat.sections.get(section)
    out = []
    for loc in locs:
        out.append(Locator(loc.file or seed_of(cat, section), loc.section or (s.zh if s is not None else ""),
                           loc.ranges, loc.term))
    return tuple(out)


def rendered(d: Discrepancy, cat: Catalog) -> Discrepancy:
    """The entry with its texts rendered against ``cat`` at its section's revision date, its locators resolved."""
    view = cat.as_of(section_date(cat, d.section))
    rs = tuple(replace(r, summary=_render(r.summary, cat.as_of(r.as_of) if r.as_of else view)) for r in d.readings)
    sp = replace(d.spread, note=_render(d.spread.note, view)) if d.spread else None
    return replace(d, title=_render(d.title, view), where=_render(d.where, view), says=_render(d.says, view),
                   why=_render(d.why, view), scenario=_render(d.scenario, view), spread=sp, readings=rs,
                   lines=_resolved(d.lines, cat, d.section),
                   evidence=tuple(replace(e, supports=_render(e.supports, view)) for e in d.evidence))


_RENDERED: dict[tuple[str, int], tuple[Catalog, tuple[Discrepancy, ...]]] = {}


def _rendered_all(root: str, cat: Catalog) -> tuple[Discrepancy, ...]:
    key = (root, id(cat))
    hit = _RENDERED.get(key)
    if hit is None or hit[0] is not cat:
        hit = (cat, tuple(rendered(d, cat) for d in _load_all(root)[1]))
        _RENDERED[key] = hit
    return hit[1]


def examples(section: str | None = None, root: Path | str = EXAMPLES_DIR) -> list[Example]:
    exs = _load_all(str(root))[0]
    return [e for e in exs if section is None or e.section == section or e.section.startswith(section + ".")]


def discrepancies(section: str | None = None, root: Path | str = EXAMPLES_DIR, catalog: Catalog | None = None,
                  raw: bool = False) -> list[Discrepancy]:
    """The register entries (of ``section`` and its subsections), their texts rendered against ``catalog``
    (default: the shipped catalog); ``raw``: the templates as written."""
    if raw:
        ds = _load_all(str(root))[1]
    else:
        from pricing.engine.catalog import load
        ds = _rendered_all(str(root), catalog if catalog is not None else load())
    return [d for d in ds if section is None or d.section == section or d.section.startswith(section + ".")]


def resolve_id(id: str, root: Path | str = EXAMPLES_DIR) -> str:
    """A register id, or the id of the entry that absorbed it (``merges``); unknown ids come back unchanged."""
    for d in _load_all(str(root))[1]:
        if id == d.id or id in d.merges:
            return d.id
    return id


def severity_rank(d: Discrepancy) -> int:
    return SEVERITIES.index(d.severity) if d.severity in SEVERITIES else len(SEVERITIES)


def ranked(ds) -> list[Discrepancy]:
    """Most serious first: severity (high first), then the spread (largest first; not computable after
    every computed one), then the id."""
    def key(d: Discrepancy):
        v = d.spread.value if d.spread else None
        return (severity_rank(d), v is None, -(v if v is not None else 0), d.id)
    return sorted(ds, key=key)


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


def register_record(d: Discrepancy, cat: Catalog) -> dict:
    """Every field of a (rendered) register entry as JSON-ready data, each reading recomputed under ``cat``."""
    from pricing.engine.results import show
    rs = []
    for r in d.readings:
        v, ok = run_reading(r, cat, d.section)
        if r.calc and isinstance(v, Decimal) and r.precision:
            v = round_at(v, r.precision)
        rs.append({"name": r.name, "summary": r.summary, "default": r.name == d.default, "calc": r.calc,
                   "inputs": r.inputs, "policies": r.policies, "output": r.output, "unit": r.unit,
                   "precision": r.precision, "as_of": r.as_of, "gives": show(v), "recorded": r.gives,
                   "computed": bool(r.calc), "still_recorded": ok})
    sp = d.spread
    return {"id": d.id, "section": d.section, "also": list(d.also), "kind": d.kind, "severity": d.severity,
            "basis": d.basis, "title": d.title, "where": d.where, "says": d.says, "policy": d.policy,
            "default": d.default, "why": d.why, "confidence": d.confidence, "affects": list(d.affects),
            "scenario": d.scenario,
            "spread": {"cny": sp.cny, "from": sp.basis, "note": sp.note} if sp else None,
            "lines": [{"file": l.file, "section": l.section, "ranges": [list(r) for r in l.ranges], "term": l.term}
                      for l in d.lines],
            "evidence": [{"title": e.title, "url": e.url, "supports": e.supports, "reading": e.reading} for e in d.evidence],
            "merges": list(d.merges), "file": f"spec_examples/{d.file}", "readings": rs}


def run_reading(r: Reading, cat: Catalog, section: str) -> tuple[Any, bool]:
    """What a reading gives under this catalog, and whether that is still the recorded figure.
    A reading is priced as of its own date, or else the revision date of its entry's section."""
    if not r.calc:
        return r.gives, True
    res = run_calc(r.calc, cat, r.inputs, r.policies, r.as_of or section_date(cat, section))
    v = res.outputs[r.output]
    return v, same(v, r.gives, r.precision)
