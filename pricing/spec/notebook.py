"""Helpers the notebooks call. Everything they display is plain Markdown rendered by this module
(nbval compares the ``text/markdown`` output itself): no pandas HTML, no timestamps, no object
addresses. The ``text/plain`` form is a figure-free stub, so that a figure that moves shows once
in ``git diff notebooks/``, not twice."""
from __future__ import annotations

import copy
import os
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from pricing.spec import examples as exmod
from pricing.spec.labels import plural
from pricing.engine.catalog import Catalog, CatalogView, load
from pricing.engine.periods import as_datetime
from pricing.engine.results import Result, readable, show

RESULTS_MIME = "application/vnd.pricing-spec.results+json"
# The register page as seen from a notebook: notebooks sit at <root>/<doc>/NN_name.ipynb, their
# executed copies at <build>/notebooks/<doc>/ and their pages at <build>/html/<doc>/, so this
# relative link reaches <build>/register.html from both built forms.
REGISTER_PAGE = "../../register.html"
REPORT_PAGE = "../../report.html"
INDEX_PAGE = "../../index.html"
SOURCE_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
STATUS = {"match": "✔ match", "differs": "✘ differs", "known": "◆ known discrepancy", "error": "✘ error",
          "unexpected": "✘ unexpectedly matches"}

PLAIN = "(Markdown output)"  # text/plain: no figures, so that each figure is stored once


def register_link(id: str) -> str:
    """A Markdown link to a register entry (see ``REGISTER_PAGE``)."""
    return f"[`{id}`]({REGISTER_PAGE}#{id})"


def resolve_catalog(catalog: str | None, cwd: Path | None = None) -> str | None:
    """A notebook's ``catalog`` parameter as a path to load.

    A relative path is relative to the notebook's folder (the kernel's working directory). An
    executed copy under ``<build>/notebooks/<doc>/`` keeps its source's parameter
    (``"../../pricing/catalog"``), which does not exist from there; such a path is then read as its
    source notebook would read it, from ``notebooks/<doc>/`` of this repository, so the copy re-runs
    where it is. A path that exists from neither is returned unchanged (loading it names it)."""
    if not catalog:
        return None
    p = Path(catalog)
    here = Path(cwd) if cwd is not None else Path.cwd()
    if p.is_absolute() or (here / p).exists():
        return catalog
    mirrored = Path(os.path.normpath(SOURCE_NOTEBOOKS / here.name / p))
    return str(mirrored) if mirrored.exists() else catalog


class View:
    """A display object: Markdown for people and nbval, optional JSON for tools."""

    def __init__(self, md: str, data: Any = None, prose_text: str | None = None):
        self.md, self.data, self.prose_text = md, data, prose_text

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/markdown": self.md, "text/plain": PLAIN}
        if self.data is not None:
            bundle[RESULTS_MIME] = self.data
        if self.prose_text is not None:
            from .prose import PROSE_MIME
            bundle[PROSE_MIME] = {"text": self.prose_text}
        return bundle

    def __repr__(self):
        return self.md


def _scalar(v: Any) -> bool:
    return not isinstance(v, (list, tuple, dict, set, frozenset))


def cell(v: Any) -> str:
    return readable(v).replace("|", "\\|").replace("\n", " ")


def table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def md_table(header, rows) -> View:
    return View(table(header, rows))


def derivation(res: Result) -> str:
    rows = [(i, s.label, s.value, s.note) for i, s in enumerate(res.steps, 1)]
    out = table(["#", "step", "value", "note"], rows)
    if res.policies:
        out += "\n\nReadings used: " + ", ".join(f"`{k}` = `{v}`" for k, v in sorted(res.policies.items()))
    return out


class Spec:
    """One notebook's view of the spec: its catalog, its section's examples and register entries."""

    def __init__(self, catalog: str | None, section: str, as_of: str | None = None):
        self.catalog: Catalog = load(resolve_catalog(catalog))
        self.section = section
        self.as_of = as_datetime(as_of, "as_of") if as_of else self.catalog.latest_change()
        self.cat: CatalogView = self.catalog.as_of(self.as_of)  # the prices in force at the build's as-of date
        self.runs: dict[str, exmod.ExampleRun] = {}
        self.example_id: str | None = None  # set on the views at_example() returns

    def at_example(self, id: str) -> "Spec":
        """This notebook's helpers dated at worked example ``id``'s own date: its ``as_of``, else its
        section's revision date (:func:`pricing.spec.examples.example_as_of`), the moment the example
        itself is priced at.

        A cell that restates or derives a worked example (a formula's substitutions, a side calculation,
        a chart, a sentence about it) reads the catalog through this, so that a new dated version of a
        price (README, "A new price from a date") moves none of it, as it moves no example. The result
        is a ``Spec`` whose ``cat`` is the catalog at that date and whose ``calc``/``md``/``rows``/``show``
        default to it (``as_of`` is that date; ``example_id`` names the example); the notebook's own
        ``spec`` keeps the current-price tables and prose at the notebook's as-of date. Cells that use
        it are tagged ``from-example:<id>`` (tests/test_example_dates.py holds them still under a new
        dated version). Raises ``InputError`` for an unknown example id."""
        ex = exmod.example(id)
        dated = copy.copy(self)
        dated.as_of = as_datetime(exmod.example_as_of(ex, self.catalog), "as_of")
        dated.cat = self.catalog.as_of(dated.as_of)
        dated.example_id = id
        return dated

    # rules -------------------------------------------------------------------------------
    def calc(self, name: str, inputs: dict | None = None, policies: dict | None = None, as_of: object = None) -> Result:
        """Run a calculation as ``pricing calc`` does, as of ``as_of`` (default: the notebook's as-of date)."""
        return exmod.run_calc(name, self.catalog, inputs or {}, policies or {}, as_of or self.as_of)

    def md(self, template: str, at: object = None, **names) -> View:
        """Prose from data: render a Markdown template whose catalog figures are placeholders
        (see :mod:`pricing.spec.prose`), as of the notebook's as-of date or ``at``. The cell is
        tagged ``prose``: its input is hidden in the rendered pages, and the prose scan reads it."""
        from . import prose
        view = self.cat if at is None else self.cat.at(at)
        text = prose.render(template.strip("\n"), view, **names)
        return View(text, prose_text=text)

    def show(self, res: Result, title: str = "") -> View:
        head = f"**{title}**\n\n" if title else ""
        outs = table(["output", "value"], [(k, v) for k, v in sorted(res.outputs.items()) if _scalar(v)])
        return View(head + derivation(res) + "\n\n" + outs)

    # examples ----------------------------------------------------------------------------
    def example(self, id: str) -> View:
        ex = exmod.example(id)
        run = exmod.run_example(ex, self.catalog)
        self.runs[id] = run
        parts = [f"**Example `{ex.id}`** — {ex.title}", ""]
        if ex.inputs:
            parts += [table(["input", "value"], sorted(ex.inputs.items())), ""]
        if run.result is not None:
            parts += [derivation(run.result), ""]
        unit = f" {ex.unit}" if ex.unit else ""
        prec = f" (compared at {ex.precision})" if ex.precision else ""
        parts.append(table(["", "guide prints", "computed", "status"],
                           [[ex.output, ex.printed + unit, run.computed_text + unit + prec, STATUS[run.status]]]))
        if run.error:
            parts += ["", f"Error: `{run.error}`"]
        if ex.discrepancies:
            parts += ["", "See register: " + ", ".join(register_link(d) for d in ex.discrepancies)]
        if ex.note:
            parts += ["", ex.note]
        return View("\n".join(parts))

    def summary(self) -> View:
        """The closing table: every example of the section, the guide's figure, ours, the status."""
        rows, data = [], []
        for ex in exmod.examples(self.section):
            run = self.runs.get(ex.id) or exmod.run_example(ex, self.catalog)
            unit = f" {ex.unit}" if ex.unit else ""
            rows.append([f"`{ex.id}`", ex.title, ex.printed + unit, run.computed_text + unit, STATUS[run.status]])
            data.append({"id": ex.id, "section": ex.section, "printed": ex.printed, "computed": run.computed_text,
                         "status": run.status, "unit": ex.unit})
        counts = {s: sum(1 for d in data if d["status"] == s) for s in ("match", "known", "differs", "unexpected", "error")}
        tail = f"\n\n{plural(len(data), 'example')}: " + ", ".join(f"{n} {STATUS[s]}" for s, n in counts.items() if n)
        tail += (f"\n\nIn the built spec: [index]({INDEX_PAGE}) · [this section's rows of the auditor's report]"
                 f"({REPORT_PAGE}#section={self.section}) · [its register entries]({REGISTER_PAGE}#section={self.section})")
        return View(table(["example", "what", "guide prints", "computed", "status"], rows) + tail,
                    {"section": self.section, "examples": data})

    # register ----------------------------------------------------------------------------
    def register(self, id: str | None = None) -> View:
        """The register entries of this notebook's section (and those that name it among theirs), most
        serious first, each with its severity, scenario, the readings' figures recomputed under the
        notebook's catalog, the money spread, the default and its confidence, evidence and guide lines."""
        entries = [d for d in exmod.ranked(exmod.discrepancies(catalog=self.catalog))
                   if d.section == self.section or d.section.startswith(self.section + ".") or self.section in d.also]
        if id:
            entries = [d for d in entries if d.id == exmod.resolve_id(id)]
        out = []
        for d in entries:
            rec = exmod.register_record(d, self.catalog)
            rows = [[f"`{r['name']}`" + (" (default)" if r["default"] else ""), r["summary"],
                     r["gives"] + (f" {r['unit']}" if r["unit"] else ""), "computed" if r["computed"] else "stated"]
                    for r in rec["readings"]]
            sp = d.spread
            money = {"0": "no money", "n/a": "not computable"}.get(sp.cny, f"{sp.cny} CNY")
            where = "; ".join(f"{l.section}, " + ("line " if len(l.ranges) == 1 and l.ranges[0][0] == l.ranges[0][1] else "lines ")
                              + ", ".join(f"{a}–{b}" if a != b else f"{a}" for a, b in l.ranges)
                              for l in d.lines)
            parts = [f"#### `{d.id}` — {d.title}", "",
                     f"*Severity:* {d.severity} · *spread:* {money}" + (f" ({sp.note})" if sp.note else "")
                     + (f" · *section:* `{d.section}`" if d.section != self.section else ""), "",
                     f"*Where:* {d.where}", "", f"*Guide lines:* {where}", "",
                     f"*What the text says:* {d.says}", "", f"*Scenario:* {d.scenario}", "",
                     table(["reading", "meaning", "gives", "how"], rows), "",
                     f"*Default:* `{d.default}`" + (f" (policy `{d.policy}`)" if d.policy else "")
                     + f", confidence {d.confidence} — {d.why}"]
            if d.evidence:
                parts += ["", "*Evidence:* " + "; ".join(f"[{e.title}]({e.url}): {e.supports}" for e in d.evidence)]
            out.append("\n".join(parts))
        return View("\n\n".join(out) if out else "_No register entries for this section._")

    # catalog -----------------------------------------------------------------------------
    def entries(self, prefix: str) -> View:
        rows = []
        for i in self.catalog.all_ids(prefix):
            for e in self.catalog.versions(i):
                v = e.value
                if e.kind == "tiers":
                    v = "; ".join(f"≤{show(t.up_to) if t.up_to is not None else '∞'}: {show(t.price)}" for t in v.tiers)
                elif e.kind == "duration":
                    v = f"{v[0]} {v[1]}"
                elif e.kind == "table":
                    v = f"{len(v)} rows"
                elif e.retired:
                    v = "retired"
                rows.append([f"`{e.id}`", e.zh or "", e.en or "", v, e.unit, e.effective_text])
        return View(table(["entry", "中文", "English", "value", "unit", "effective"], rows))

    def rows(self, id: str, columns: list[str] | None = None) -> View:
        e = self.cat.entry(id)  # the version in force at the notebook's as-of date
        cols = columns or list(e.value[0].keys())
        return View(table(cols, [[r.get(c, "") for c in cols] for r in e.value]))


def formula(lhs: str, expr, subs: dict, expected, label: str = "") -> View:
    """Render a sympy formula, substitute the example's inputs and compare with the Decimal figure.

    The comparison is :func:`pricing.spec.formulas.agrees`: exact when the formula's value is a
    terminating decimal; a value that does not terminate (400697/75) is compared with the figure
    rounded half-up at the figure's own exponent. A mismatch raises
    :class:`pricing.spec.formulas.FormulaMismatch` naming ``label``, the sympy value and the figure,
    so the cell fails (and with it ``pricing build``/``refresh`` and nbval); nothing is rendered."""
    import sympy as sp
    from pricing.spec import formulas
    value, _ = formulas.check(expr, subs, expected, label)
    figure = formulas.as_figure(expected)
    shown = ", ".join(f"{sp.latex(k)} = {sp.latex(v)}" for k, v in subs.items())
    how = ("equal ✔" if formulas.terminates(value) else
           f"equal at the figure's precision (half-up to 10^{figure.as_tuple().exponent}) ✔")
    text = (f"$$ {formulas.latex(lhs, expr)} $$\n\n"
            f"Substituting {('$' + shown + '$') if subs else 'nothing'}: sympy gives **{value}**"
            f" = {show(formulas.to_decimal(value))}; the package's Decimal figure is **{show(expected)}**"
            f" — {how}")
    return View((f"**{label}**\n\n" if label else "") + text)
