"""``pricing diff OLD NEW``: what a catalog change does to the spec.

Three kinds of change are kept apart, because an auditor signs them off differently:

1. **Catalog entries** (a price changed): every entry whose value, unit, section or wording
   differs, every version added or removed (Kill Bill's versioned catalogs: a price change is a
   new version with its effective date, not an edit), old → new, with the difference.
2. **Worked examples** (a printed figure of a guide moves): every example whose computed figure
   changes, old → new, the difference, its status under each catalog, and the changed entries
   it reads.
3. **Register readings** (a rule's reading changed): every figure a discrepancy-register reading
   gives that changes. These are not the guides' printed figures but the figures of our own
   alternative readings; a price update can move them without moving any example.

Which entries a calculation reads is found by tracing the catalog lookups it makes
(``Result.catalog_reads``, recorded by the dated view), not declared by hand, so the "because" column cannot go stale.
"""
from __future__ import annotations

import subprocess
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pricing.spec import examples as exmod
from pricing.engine.catalog import ORIGIN, SHIPPED, Catalog, Entry, load
from pricing.engine.errors import CatalogError
from pricing.engine.results import show
from pricing.spec.labels import STATUS_LABEL

ROOT = Path(__file__).resolve().parents[2]


# tracing ---------------------------------------------------------------------------------------

def read_list(reads: dict) -> list[dict]:
    """The catalog entries a calculation read, each with the effective dates of the versions used."""
    return [{"id": i, "effective": [_eff(d) for d in sorted(ds)]} for i, ds in sorted(reads.items())]


def _eff(d: datetime) -> str:
    return "origin" if d == ORIGIN else d.isoformat(sep=" ")


def traced_example(ex: exmod.Example, cat: Catalog) -> tuple[exmod.ExampleRun, list[dict]]:
    run = exmod.run_example(ex, cat)
    return run, read_list(run.result.catalog_reads if run.result is not None else {})


def traced_reading(r: exmod.Reading, cat: Catalog, section: str) -> tuple[str, bool, str, list[dict]]:
    """(what the reading gives as text, still the recorded figure, error, entries read)."""
    if not r.calc:
        return show(r.gives), True, "", []
    try:
        res = exmod.run_calc(r.calc, cat, r.inputs, r.policies, r.as_of or exmod.section_date(cat, section))
        v = res.outputs[r.output]
        ok = exmod.same(v, r.gives, r.precision)
    except Exception as e:  # reported, never hidden
        return "error", False, f"{type(e).__name__}: {e}", []
    if r.calc and isinstance(v, Decimal) and r.precision:
        from pricing.engine.money import round_at
        v = round_at(v, r.precision)
    return show(v), ok, "", read_list(res.catalog_reads)


# catalog arguments -----------------------------------------------------------------------------

def resolve(arg: str | Path | None, workdir: Path) -> tuple[Path | None, str]:
    """A catalog argument: a file or folder, ``git:REV`` (the shipped catalog as committed at
    REV, e.g. ``git:HEAD``), or None (the shipped catalog). Returns (path, label)."""
    if arg is None:
        return None, "shipped catalog (pricing/catalog)"
    s = str(arg)
    if s.startswith("git:"):
        rev = s[4:] or "HEAD"
        return catalog_at_revision(rev, workdir / f"rev-{len(list(workdir.iterdir()))}"), f"pricing/catalog at {rev}"
    return Path(s), s


def catalog_at_revision(rev: str, dest: Path) -> Path:
    rel = SHIPPED.relative_to(ROOT).as_posix()
    try:
        names = subprocess.run(["git", "ls-tree", "--name-only", f"{rev}:{rel}"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.split()
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        raise CatalogError(f"git:{rev}", rel, f"cannot read the catalog at revision {rev!r}: "
                           f"{getattr(e, 'stderr', '') or e}".strip()) from None
    names = [n for n in names if n.endswith(".toml")]
    if not names:
        raise CatalogError(f"git:{rev}", rel, "no *.toml catalog files at that revision")
    dest.mkdir(parents=True)
    for n in names:
        blob = subprocess.run(["git", "show", f"{rev}:{rel}/{n}"], cwd=ROOT, capture_output=True, check=True).stdout
        (dest / n).write_bytes(blob)
    return dest


# catalog entries -------------------------------------------------------------------------------

def value_text(e: Entry, short: bool = False) -> str:
    """An entry's value as text; ``short`` gives a table's size rather than its rows."""
    v = e.value
    if e.retired:
        return "retired"
    if e.kind == "tiers":
        return "; ".join(f"{'≤' + show(t.up_to) if t.up_to is not None else 'open'}: {show(t.price)}" for t in v.tiers)
    if e.kind == "duration":
        return f"{v[0]} {v[1]}"
    if e.kind == "table":
        if short:
            return f"table of {len(v)} rows"
        return "; ".join(", ".join(f"{k}={x}" for k, x in r.items()) for r in v)
    return show(v)


def _difference(a: Any, b: Any) -> str:
    """new − old as signed text for numbers and instants; '' where a difference means nothing."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        d = b - a
        return ("+" if d > 0 else "") + show(d)
    if isinstance(a, datetime) and isinstance(b, datetime):
        d = b - a
        return ("+" if d.total_seconds() > 0 else "") + str(d)
    return ""


def _num(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except Exception:
        return None


def _tier_details(a: Entry, b: Entry) -> list[str]:
    ta, tb = a.value.tiers, b.value.tiers
    out = []
    if a.value.unit != b.value.unit:
        out.append(f"per {show(a.value.unit)} → per {show(b.value.unit)}")
    for i in range(max(len(ta), len(tb))):
        x, y = (ta[i] if i < len(ta) else None), (tb[i] if i < len(tb) else None)
        bound = lambda t: "open" if t.up_to is None else "≤" + show(t.up_to)  # noqa: E731
        if x is None:
            out.append(f"tier {i + 1} added: {bound(y)} at {show(y.price)}")
        elif y is None:
            out.append(f"tier {i + 1} removed: {bound(x)} at {show(x.price)}")
        else:
            if x.up_to != y.up_to:
                out.append(f"tier {i + 1} bound {bound(x)} → {bound(y)}")
            if x.price != y.price:
                out.append(f"tier {i + 1} ({bound(y)}) price {show(x.price)} → {show(y.price)} ({_difference(x.price, y.price)})")
    return out


def _row_text(r: dict) -> str:
    return ", ".join(f"{k}={x}" for k, x in r.items())


def _row_key(rows_a: tuple, rows_b: tuple) -> str | None:
    """The first column whose values name every row of both tables uniquely, if any."""
    if not rows_a or not rows_b:
        return None
    for col in rows_a[0]:
        va = [r.get(col) for r in rows_a]
        vb = [r.get(col) for r in rows_b]
        if None not in va + vb and len(set(va)) == len(va) and len(set(vb)) == len(vb):
            return col
    return None


def table_details(a_rows: tuple, b_rows: tuple) -> list[str]:
    """A table's change row by row: ``~ region=hongkong: price 1.00 → 1.20`` for a changed row,
    ``+ region=..., ...`` / ``- region=..., ...`` for a row added or removed. Rows are matched by
    their first column that names each row uniquely (else by position: ``row 3``)."""
    a_rows, b_rows = tuple(a_rows or ()), tuple(b_rows or ())
    col = _row_key(a_rows, b_rows)
    name = (lambda i, r: f"row {i + 1}") if col is None else (lambda i, r: f"{col}={r[col]}")
    ka = {name(i, r): r for i, r in enumerate(a_rows)}
    kb = {name(i, r): r for i, r in enumerate(b_rows)}
    out = []
    for k, r in ka.items():
        if k not in kb:
            out.append(f"- {_row_text(r)}")
            continue
        n = kb[k]
        cells = [f"{c} {r.get(c, '')} → {n.get(c, '')}" for c in dict.fromkeys([*r, *n]) if r.get(c) != n.get(c)]
        if cells:
            out.append(f"~ {k}: " + ", ".join(cells))
    out += [f"+ {_row_text(n)}" for k, n in kb.items() if k not in ka]
    return out


def _details(a: Entry | None, b: Entry) -> list[str]:
    """Tier by tier or row by row, when both versions are tiers or tables."""
    if a is None or a.retired or b.retired or a.kind != b.kind:
        return []
    if b.kind == "tiers" and a.value != b.value:
        return _tier_details(a, b)
    if b.kind == "table" and a.value != b.value:
        return table_details(a.value, b.value)
    return []


# Each change belongs to one of three groups, printed apart: a removal is not a price change.
GROUP = {"added": "added", "version added": "added", "removed": "removed", "version removed": "removed",
         "retired": "removed", "changed": "changed", "effective date moved": "changed",
         "described differently": "changed"}
GROUP_TITLE = {"added": "Added (a new entry, or a new dated version of one)",
               "removed": "Removed (an entry or version no longer in the catalog, or retired from a date)",
               "changed": "Changed in place (a price changed)"}

FIELDS = ("value", "unit", "per", "kind", "section", "zh", "en", "note")


def _version(e: Entry, cat: Catalog) -> dict:
    sec = cat.sections.get(e.section)
    return {"effective": e.effective_text, "value": value_text(e), "unit": e.unit, "section": e.section,
            "section_title": sec.title if sec else e.section}


def _change(id: str, change: str, effective: str, a: Entry | None, b: Entry | None, fields=(), details=()) -> dict:
    """One line of the entries account; ``a`` is the old version (or the one a new version
    replaces), ``b`` the new one. ``old``/``new`` hold the whole value (a table's every row);
    ``old_short``/``new_short`` the size of a table, for a terminal."""
    e = b or a
    numeric = a is not None and b is not None and e.kind in ("price", "quantity", "ratio") and not (a.retired or b.retired)
    gone = change in ("removed", "version removed")
    return {"id": id, "change": change, "group": GROUP[change], "kind": e.kind, "effective": effective,
            "old": value_text(a) if a is not None else "", "new": "" if gone or b is None else value_text(b),
            "old_short": value_text(a, short=True) if a is not None else "",
            "new_short": "" if gone or b is None else value_text(b, short=True),
            "unit": e.unit, "section": e.section, "fields": list(fields), "details": list(details),
            "difference": _difference(a.value, b.value) if numeric else ""}


def entry_changes(old: Catalog, new: Catalog) -> list[dict]:
    """Every entry or version that differs between two catalogs (see :data:`GROUP`)."""
    out = []
    for id in sorted(set(old.entries) | set(new.entries)):
        vo = {v.effective: v for v in old.entries.get(id, [])}
        vn = {v.effective: v for v in new.entries.get(id, [])}
        if not vo:
            out += [_change(id, "added", v.effective_text, None, v) for v in vn.values()]
            continue
        if not vn:
            out += [_change(id, "removed", v.effective_text, v, None) for v in vo.values()]
            continue
        gone = sorted(set(vo) - set(vn))
        came = sorted(set(vn) - set(vo))
        if len(gone) == 1 and len(came) == 1:
            a, b = vo[gone[0]], vn[came[0]]
            out.append(_change(id, "effective date moved", f"{a.effective_text} → {b.effective_text}", a, b,
                               ["effective"] + [f for f in FIELDS if _field(a, f) != _field(b, f)], _details(a, b)))
            gone, came = [], []
        out += [_change(id, "version removed", vo[d].effective_text, vo[d], None) for d in gone]
        for d in came:
            v = vn[d]
            prev = [x for x in new.entries[id] if x.effective < d]
            base = prev[-1] if prev else None
            if base is None:
                details = [f"first version, effective {v.effective_text}"]
            elif v.retired:
                details = [f"not in force from {v.effective_text}"]
            else:
                details = [f"replaces, from {v.effective_text}, the version effective {base.effective_text}"] + _details(base, v)
            out.append(_change(id, "retired" if v.retired else "version added", v.effective_text, base, v, (), details))
        for d in sorted(set(vo) & set(vn)):
            a, b = vo[d], vn[d]
            changed = [f for f in FIELDS if _field(a, f) != _field(b, f)]
            if not changed:
                continue
            out.append(_change(id, "changed" if "value" in changed else "described differently", a.effective_text, a, b,
                               changed, _details(a, b) if "value" in changed else []))
    return out


def _field(e: Entry, f: str):
    return getattr(e, f)


def section_changes(old: Catalog, new: Catalog) -> list[dict]:
    out = []
    for key in sorted(set(old.sections) | set(new.sections)):
        a, b = old.sections.get(key), new.sections.get(key)
        if a == b:
            continue
        fields = [f for f in ("doc", "zh", "en", "revised", "order", "lines") if getattr(a, f, None) != getattr(b, f, None)]
        out.append({"section": key, "change": "added" if a is None else "removed" if b is None else "changed",
                    "fields": fields, "old": {f: str(getattr(a, f)) for f in fields} if a else {},
                    "new": {f: str(getattr(b, f)) for f in fields} if b else {}})
    return out


# examples and readings -------------------------------------------------------------------------

def _reads_ids(reads: list[dict]) -> set[str]:
    return {r["id"] for r in reads}


def example_changes(old: Catalog, new: Catalog, changed_ids: set[str]) -> tuple[list[dict], int]:
    out, n = [], 0
    for ex in exmod.examples():
        n += 1
        a, ra = traced_example(ex, old)
        b, rb = traced_example(ex, new)
        if a.computed_text == b.computed_text and a.status == b.status and a.error == b.error:
            continue
        diff = ""
        if not a.error and not b.error:
            x, y = _num(a.computed_text), _num(b.computed_text)
            diff = _difference(x, y) if x is not None and y is not None else _difference(a.computed, b.computed)
        out.append({"id": ex.id, "section": ex.section, "title": ex.title, "printed": ex.printed, "unit": ex.unit,
                    "old": a.computed_text, "new": b.computed_text, "difference": diff,
                    "old_status": a.status, "new_status": b.status, "error": b.error,
                    "because": sorted((_reads_ids(ra) | _reads_ids(rb)) & changed_ids),
                    "reads": sorted(_reads_ids(ra) | _reads_ids(rb))})
    return out, n


def reading_changes(old: Catalog, new: Catalog, changed_ids: set[str]) -> tuple[list[dict], int]:
    out, n = [], 0
    for d in exmod.discrepancies():
        for r in d.readings:
            if not r.calc:
                continue
            n += 1
            ga, _, ea, ra = traced_reading(r, old, d.section)
            gb, okb, eb, rb = traced_reading(r, new, d.section)
            if ga == gb and ea == eb:
                continue
            x, y = _num(ga), _num(gb)
            out.append({"discrepancy": d.id, "reading": r.name, "section": d.section, "default": r.name == d.default,
                        "summary": r.summary, "old": ga, "new": gb, "unit": r.unit,
                        "difference": _difference(x, y) if x is not None and y is not None else "",
                        "recorded": r.gives, "still_recorded": okb, "error": eb,
                        "because": sorted((_reads_ids(ra) | _reads_ids(rb)) & changed_ids)})
    return out, n


def diff(old_path: Path | None, new_path: Path | None, old_label: str = "", new_label: str = "") -> dict:
    """The whole account of what changes between two catalogs (JSON-ready, stable order)."""
    old, new = load(old_path), load(new_path)
    entries = entry_changes(old, new)
    changed_ids = {e["id"] for e in entries if e["change"] != "described differently"}
    exs, n_ex = example_changes(old, new, changed_ids)
    rds, n_rd = reading_changes(old, new, changed_ids)
    return {
        "old": {"catalog": old_label or str(old_path or "shipped"), "sha256": old.sha256},
        "new": {"catalog": new_label or str(new_path or "shipped"), "sha256": new.sha256},
        "identical": old.sha256 == new.sha256,
        "entries": entries,
        "sections": section_changes(old, new),
        "examples": exs,
        "readings": rds,
        "counts": {"entries": len(entries), **{g: sum(e["group"] == g for e in entries) for g in GROUP_TITLE},
                   "examples": len(exs), "examples_checked": n_ex,
                   "readings": len(rds), "readings_checked": n_rd},
    }


def _entry_lines(e: dict) -> list[str]:
    unit = f" {e['unit']}" if e["unit"] else ""
    head = f"    {e['id']}  [{e['section']}]  {e['change']}, effective {e['effective']}"
    short = {"old": e.get("old_short", e["old"]), "new": e.get("new_short", e["new"])} if e.get("kind") == "table" else e
    if e["change"] in ("added", "version added") and not e["old"]:
        line = f"{head}: {short['new']}{unit}"
    elif e["change"] in ("removed", "version removed"):
        line = f"{head}: was {short['old']}{unit}"
    elif e["change"] == "retired":
        line = f"{head}: was {e['old']}{unit}" if e["old"] else head
    else:
        diff = f" ({e['difference']})" if e["difference"] else ""
        line = f"{head}: {short['old']} → {short['new']}{unit}{diff}"
        if e["change"] == "described differently":
            line += f"  [fields: {', '.join(e['fields'])}]"
    return [line] + [f"        {x}" for x in e["details"]]


def text(d: dict) -> str:
    """The plain-text account, for a terminal or a review comment. Entries are grouped as
    added, removed and changed in place (only the last is "a price changed"); statuses use the
    words of ``pricing build`` and ``update`` (:mod:`pricing.spec.labels`)."""
    L = ["pricing diff", f"  old: {d['old']['catalog']}  sha256 {d['old']['sha256']}",
         f"  new: {d['new']['catalog']}  sha256 {d['new']['sha256']}", ""]
    c = d["counts"]
    groups = {g: [e for e in d["entries"] if e.get("group", GROUP.get(e["change"])) == g] for g in GROUP_TITLE}
    parts = [f"{len(groups['changed'])} changed in place", f"{len(groups['added'])} added", f"{len(groups['removed'])} removed"]
    L.append(f"Catalog entries: {', '.join(parts)}")
    for g in ("changed", "added", "removed"):
        if groups[g]:
            L.append(f"  {GROUP_TITLE[g]}:")
            for e in groups[g]:
                L += _entry_lines(e)
    for s in d["sections"]:
        L.append(f"  section {s['section']} {s['change']}: " + ", ".join(
            f"{f} {s['old'].get(f, '')!s} → {s['new'].get(f, '')!s}" for f in s["fields"]))
    L += ["", f"Worked examples whose figure moves: {c['examples']} of {c['examples_checked']}"]
    for e in d["examples"]:
        unit = f" {e['unit']}" if e["unit"] else ""
        diff = f" ({e['difference']})" if e["difference"] else ""
        L.append(f"  {e['id']}  [{e['section']}]  {e['old']} → {e['new']}{unit}{diff}; guide prints {e['printed']}; "
                 f"{STATUS_LABEL.get(e['old_status'], e['old_status'])} → {STATUS_LABEL.get(e['new_status'], e['new_status'])}"
                 + (f"; reads {', '.join(e['because'])}" if e["because"] else ""))
        if e["error"]:
            L.append(f"      error: {e['error']}")
    L += ["", f"Register readings whose figure moves: {c['readings']} of {c['readings_checked']} (a rule's reading, not a printed figure)"]
    for r in d["readings"]:
        unit = f" {r['unit']}" if r["unit"] else ""
        diff = f" ({r['difference']})" if r["difference"] else ""
        mark = " (default)" if r["default"] else ""
        L.append(f"  {r['discrepancy']} / {r['reading']}{mark}  [{r['section']}]  {r['old']} → {r['new']}{unit}{diff}; "
                 f"register records {r['recorded']}" + (f"; reads {', '.join(r['because'])}" if r["because"] else ""))
    if d["identical"]:
        L += ["", "The two catalogs are byte-identical."]
    return "\n".join(L) + "\n"


def run(old_arg: str | None, new_arg: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="pricing-diff-") as tmp:
        op, ol = resolve(old_arg, Path(tmp))
        np_, nl = resolve(new_arg, Path(tmp))
        return diff(op, np_, ol, nl)
