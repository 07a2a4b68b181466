"""The auditor's report: every worked example of both guides, with its status, as an HTML page and
a JSON twin (``report.html`` / ``report.json``), a page for the discrepancy register
(``register.html``) and an index with totals per section (``index.html``).

Statuses are coloured as Concordion and FitNesse colour them: a figure that matches the guide
is green; one that differs is red, with the guide's figure struck through and ours beside it; a
known discrepancy has its own colour and names its register entry and the reason. The stamp gives
the catalog's SHA-256, the git commit, the tool versions and, on every row, the document and
section the figure comes from and the catalog entries (with the effective date of the version
used) that produced it.

The pages are a pure function of the catalog, the spec, the notebooks' results and the stamp:
no timestamps, stable ordering, so two builds of the same state are byte-identical.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from pricing.spec import examples as exmod
from pricing.engine.catalog import Catalog
from .diff import traced_example, traced_reading, value_text

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).parent / "templates"
STATUSES = ("match", "differs", "known", "unexpected", "error")
STATUS_LABEL = {"match": "match", "differs": "differs", "known": "known discrepancy", "unexpected": "unexpectedly matches",
                "error": "error"}
TOOLS = ["pricing-spec", "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupytext", "jinja2", "sympy",
         "matplotlib", "python-dateutil", "latex2mathml"]
# register severities, most serious first (every entry has one: examples.SEVERITIES); a report row takes the
# most serious of the entries it cites, "" when it cites none
SEVERITIES = exmod.SEVERITIES
SEVERITY_LABEL = {"high": "high", "medium": "medium", "low": "low", "": "none"}
STATUS_MARK = {"match": "✔", "differs": "✘", "known": "◆", "unexpected": "◇", "error": "⚠"}  # each its own


# stamp -----------------------------------------------------------------------------------------

def git_commit() -> dict:
    """HEAD and whether tracked files differ from it (untracked files, such as build/, do not count)."""
    def run(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    try:
        head = run("rev-parse", "HEAD")
        dirty = run("status", "--porcelain", "--untracked-files=no") != ""
    except Exception:
        return {"commit": "unknown", "modified": False}
    return {"commit": head, "modified": dirty}


def tool_versions() -> dict[str, str]:
    from importlib.metadata import version
    import platform
    out = {"python": platform.python_version()}
    for n in TOOLS:
        try:
            out[n] = version(n)
        except Exception:
            out[n] = "not installed"
    return dict(sorted(out.items()))  # sorted, so the JSON twin and the page agree


def tree_hash(root: Path, pattern: str = "*.toml") -> str:
    h = hashlib.sha256()
    for f in sorted(root.rglob(pattern)):
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def stamp(cat: Catalog, catalog_label: str, as_of: str = "") -> dict:
    g = git_commit()
    return {
        "catalog": catalog_label,
        "as_of": as_of,  # the moment the notebooks' current-price tables and prose are read at
        "catalog_sha256": cat.sha256,
        "catalog_files": [{"name": f.name, "sha256": hashlib.sha256(f.read_bytes()).hexdigest()} for f in cat.files],
        "spec_examples_sha256": tree_hash(exmod.EXAMPLES_DIR),
        "git_commit": g["commit"],
        "git_modified": g["modified"],
        "tools": tool_versions(),
        "documents": [{"id": k, "title_zh": d["title_zh"], "title_en": d["title_en"], "seed": d["seed"]}
                      for k, d in cat.documents.items()],
    }


# collection ------------------------------------------------------------------------------------

def _text(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_text(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_text(x)}" for k, x in v.items()) + "}"
    return str(v)


def section_order(cat: Catalog) -> list[str]:
    docs = list(cat.documents)
    return sorted(cat.sections, key=lambda k: (docs.index(cat.sections[k].doc) if cat.sections[k].doc in docs else 99,
                                               cat.sections[k].order, k))


def ranges_text(ranges) -> str:
    """Inclusive line ranges as read: "line 268", "lines 277–283", "lines 245–249, 253"."""
    rs = [(int(a), int(b)) for a, b in ranges]
    word = "line" if len(rs) == 1 and rs[0][0] == rs[0][1] else "lines"
    return word + " " + ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in rs)


def locators(cat: Catalog, section: str, locs) -> list[dict]:
    """The guide locators of an example or register entry (``lines``: ``examples.Locator``), resolved
    as the loader resolves them (no file: the guide of the record's section; no section path: the
    section's Chinese title), each with its guide's title and its ranges as read."""
    seeds = {d.get("seed", ""): d for d in cat.documents.values()}
    s = cat.sections.get(section)
    out = []
    for loc in locs:
        file = loc.file or exmod.seed_of(cat, section)
        doc = seeds.get(file, {})
        out.append({"file": file, "document_zh": doc.get("title_zh", ""), "document_en": doc.get("title_en", ""),
                    "section": loc.section or (s.zh if s is not None else ""), "ranges": [list(r) for r in loc.ranges],
                    "term": loc.term, "text": ranges_text(loc.ranges)})
    return out


def _source(cat: Catalog, section: str, locs=()) -> dict:
    """The guide locator of a figure: document, section, the section's line range in the guide's
    text, and the example's or register entry's own locators (guide › section path › line ranges)."""
    s = cat.sections.get(section)
    if s is None:
        return {"doc": "", "document_zh": "", "document_en": "", "seed": "", "section_zh": section, "section_en": "",
                "revised": "", "section_lines": None, "locators": []}
    d = cat.documents.get(s.doc, {})
    return {"doc": s.doc, "document_zh": d.get("title_zh", ""), "document_en": d.get("title_en", ""),
            "seed": d.get("seed", ""), "section_zh": s.zh, "section_en": s.en, "revised": s.revised,
            "section_lines": list(s.lines) if s.lines else None, "locators": locators(cat, section, locs)}


def severity_rank(sev: str) -> int:
    return SEVERITIES.index(sev) if sev in SEVERITIES else len(SEVERITIES)


def spread_text(cny: str) -> str:
    """A register entry's money spread as read: "106.19 CNY", "no money" ("0"), "not computable" ("n/a")."""
    return {"0": "no money", "n/a": "not computable"}.get(cny, f"{cny} CNY")


def _shown_in(sources: list[tuple[str, str]]) -> dict[str, str]:
    """example id -> notebook source (relative) that displays it, from the jupytext sources."""
    import re
    found: dict[str, str] = {}
    for rel, text in sources:
        for m in re.finditer(r'spec\.example\(\s*["\']([^"\']+)["\']', text):
            found.setdefault(m.group(1), rel)
    return found


def collect(cat: Catalog, catalog_label: str, pages: list[dict], failures: list[dict],
            sources: list[tuple[str, str]], as_of: str = "") -> dict:
    """Everything the report shows, as JSON-ready data.

    ``pages``: the notebooks built in this run, each ``{"source", "notebook", "html", "results",
    "tags"}`` (``results`` is the notebook's own summary data, ``tags`` its example-cell tags).
    ``failures``: ``{"source", "error"}`` for notebooks that did not run. ``sources``: (relative
    path, text) of every notebook source, to say where an example is shown when its notebook was
    not built in this run.
    """
    order = section_order(cat)
    rank = {k: i for i, k in enumerate(order)}
    by_tag, nb_result, section_page = {}, {}, {}
    for p in pages:
        for t in p.get("tags", []):
            by_tag.setdefault(t, p)
        for r in p.get("results", []):
            nb_result.setdefault(r["id"], r)
            section_page.setdefault(r["section"], p)
    shown = _shown_in(sources)

    exs = sorted(exmod.examples(), key=lambda e: rank.get(e.section, len(rank)))  # stable: file order within a section
    # the register, its texts rendered under this catalog (as the notebooks render them), most serious first
    ranked = exmod.ranked(exmod.discrepancies(catalog=cat))
    dis = {d.id: d for d in ranked}

    def cites(ex) -> list[str]:
        """The register ids an example cites, a merged id read as the entry that absorbed it."""
        out = []
        for i in ex.discrepancies:
            r = exmod.resolve_id(i)
            if r not in out:
                out.append(r)
        return out

    rows = []
    for ex in exs:
        run, reads = traced_example(ex, cat)
        status, check = run.status, ""
        nr = nb_result.get(ex.id)
        if nr is not None and (nr.get("computed") != run.computed_text or nr.get("status") != run.status):
            check = (f"the notebook shows {nr.get('computed')} ({nr.get('status')}) but the package computes "
                     f"{run.computed_text} ({run.status})")
            status = "error"
        page = by_tag.get(ex.id)
        if page is None and nr is not None:
            page = next((p for p in pages if any(r["id"] == ex.id for r in p.get("results", []))), None)
        entries = []
        for r in reads:
            vs = cat.entries.get(r["id"], [])
            used = [v for v in vs if v.effective_text in r["effective"]]
            entries.append({"id": r["id"], "effective": r["effective"],
                            "value": "; ".join(value_text(v, short=True) for v in used) if used else "",
                            "unit": vs[-1].unit if vs else "", "versions": len(vs)})
        cited = cites(ex)
        rows.append({
            "id": ex.id, "section": ex.section, "title": ex.title, "file": f"spec_examples/{ex.file}",
            "inputs": [[k, _text(v)] for k, v in sorted(ex.inputs.items())],
            "policies": [[k, _text(v)] for k, v in sorted(ex.policies.items())],
            "pin_why": ex.pin_why,
            "printed": ex.printed, "computed": run.computed_text, "unit": ex.unit, "precision": ex.precision,
            "expected": ex.expected, "status": status, "error": run.error, "check": check, "note": ex.note,
            "discrepancies": [{"id": d, "title": dis[d].title if d in dis else "(not in the register)",
                               "why": dis[d].why if d in dis else "", "kind": dis[d].kind if d in dis else "",
                               "severity": dis[d].severity if d in dis else "",
                               "spread": spread_text(dis[d].spread.cny) if d in dis and dis[d].spread else ""}
                              for d in cited],
            "reads": entries,
            "source": _source(cat, ex.section, ex.lines),
            "severity": min((dis[d].severity for d in cited if d in dis and dis[d].severity in SEVERITIES),
                            key=severity_rank, default=""),
            "notebook": {"source": page["source"] if page else shown.get(ex.id, ""),
                         "html": f"{page['html']}#{ex.id}" if page and ex.id in page.get("tags", []) else
                         (page["html"] if page else "")},
        })

    register = []
    row_of = {r["id"]: r for r in rows}
    for d in ranked:
        readings = []
        for r in d.readings:
            gives, ok, err, reads = traced_reading(r, cat, d.section)
            readings.append({"name": r.name, "summary": r.summary, "default": r.name == d.default,
                             "computed": bool(r.calc), "gives": gives, "recorded": r.gives, "unit": r.unit,
                             "still_recorded": ok, "error": err, "reads": [x["id"] for x in reads]})
        cited = [r["id"] for r in rows if any(x["id"] == d.id for x in r["discrepancies"])]
        sp = d.spread
        register.append({"id": d.id, "section": d.section, "also": list(d.also), "kind": d.kind, "basis": d.basis,
                         "title": d.title, "where": d.where, "says": d.says, "policy": d.policy, "default": d.default,
                         "why": d.why, "confidence": d.confidence, "severity": d.severity,
                         "affects": list(d.affects), "scenario": d.scenario,
                         "spread": {"cny": sp.cny, "from": sp.basis, "note": sp.note, "text": spread_text(sp.cny)}
                         if sp else None,
                         "evidence": [{"title": e.title, "url": e.url, "supports": e.supports, "reading": e.reading}
                                      for e in d.evidence],
                         "merges": list(d.merges),
                         "file": f"spec_examples/{d.file}", "source": _source(cat, d.section, d.lines),
                         "readings": readings, "examples": cited,
                         "cited_by": [{"id": e, "status": row_of[e]["status"], "notebook": row_of[e]["notebook"]["html"]}
                                      for e in cited],
                         "holds": all(r["still_recorded"] for r in readings)})

    sections = []
    for key in order:
        s = cat.sections[key]
        mine = [r for r in rows if r["section"] == key]
        counts = {st: sum(r["status"] == st for r in mine) for st in STATUSES}
        page = section_page.get(key) or next((by_tag[r["id"]] for r in mine if r["id"] in by_tag), None)
        sections.append({"key": key, "doc": s.doc, "zh": s.zh, "en": s.en, "revised": s.revised,
                         "lines": list(s.lines) if getattr(s, "lines", None) else None,
                         "examples": len(mine), "counts": counts,
                         # entries of the section and those that name it among theirs (``also``): the register
                         # page's section filter shows exactly these
                         "register": sum(1 for d in register if d["section"] == key or key in d["also"]),
                         "notebook": page["html"] if page else "", "source": _source(cat, key)})
    for key in sorted({r["section"] for r in rows} - set(cat.sections)):  # an example naming an unknown section
        mine = [r for r in rows if r["section"] == key]
        sections.append({"key": key, "doc": "", "zh": key, "en": "(section not declared in the catalog)", "revised": "",
                         "lines": None, "examples": len(mine), "counts": {st: sum(r["status"] == st for r in mine) for st in STATUSES},
                         "register": 0, "notebook": "", "source": _source(cat, key)})

    versions = []
    for id in cat.all_ids():
        vs = cat.versions(id)
        if len(vs) > 1:
            versions.append({"id": id, "section": vs[-1].section, "unit": vs[-1].unit,
                             "versions": [{"effective": v.effective_text, "value": value_text(v, short=True)} for v in vs]})

    totals = {st: sum(r["status"] == st for r in rows) for st in STATUSES}
    totals["examples"] = len(rows)
    docs = []
    for k, d in cat.documents.items():
        secs = [s for s in sections if s["doc"] == k]
        docs.append({"id": k, "title_zh": d["title_zh"], "title_en": d["title_en"], "seed": d["seed"],
                     "sections": [s["key"] for s in secs],
                     "counts": {st: sum(s["counts"][st] for s in secs) for st in STATUSES},
                     "examples": sum(s["examples"] for s in secs)})
    return {
        "stamp": stamp(cat, catalog_label, as_of),
        "totals": totals,
        "documents": docs,
        "sections": sections,
        "examples": rows,
        "register": register,
        "versions": versions,
        "notebooks": [{"source": p["source"], "html": p["html"], "notebook": p["notebook"],
                       "examples": len(p.get("results", []))} for p in pages],
        "failures": failures,
    }


# rendering -------------------------------------------------------------------------------------

def _env():
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.globals["STATUSES"] = STATUSES
    env.globals["LABEL"] = STATUS_LABEL
    env.globals["MARK"] = STATUS_MARK
    from .labels import status_count
    env.globals["status_count"] = status_count
    env.globals["SEVERITIES"] = SEVERITIES
    env.globals["SEVERITY_LABEL"] = SEVERITY_LABEL
    return env


def render(data: dict, extra: dict | None = None) -> dict[str, str]:
    """The report's files as text: name -> content."""
    env = _env()
    ctx = {"d": data, "extra": extra or {}}
    files = {
        "report.html": env.get_template("report.html.j2").render(**ctx),
        "register.html": env.get_template("register.html.j2").render(**ctx),
        "index.html": env.get_template("index.html.j2").render(**ctx),
        "report.json": json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    }
    return files


def write(out: Path, data: dict, extra: dict | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(data, extra).items():
        p = out / name
        p.write_text(text, encoding="utf-8")
        written.append(p)
    return written
