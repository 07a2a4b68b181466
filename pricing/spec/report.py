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
# register severities, most serious first; an entry without one sorts last ("not rated")
SEVERITIES = ("high", "medium", "low")
SEVERITY_LABEL = {"high": "high", "medium": "medium", "low": "low", "": "not rated"}
STATUS_MARK = {"match": "✔", "differs": "✘", "known": "◆", "unexpected": "✘", "error": "⚠"}


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


def line_range(raw: Any) -> list[int] | None:
    """An optional ``lines`` field (``[first, last]``, or one line) as ``[first, last]``; None when absent
    or unreadable (the loaders validate; the report only shows)."""
    if raw is None or raw == "" or raw == () or raw == []:
        return None
    try:
        vals = [int(x) for x in (raw if isinstance(raw, (list, tuple)) else [raw])]
    except (TypeError, ValueError):
        return None
    if len(vals) == 1:
        vals = vals * 2
    return vals[:2] if len(vals) >= 2 and 1 <= vals[0] <= vals[1] else None


def _source(cat: Catalog, section: str, own_lines: Any = None) -> dict:
    """The guide locator of a figure: document, section, and the line range in the guide's text
    (the example's or register entry's own ``lines`` when it has them, else its section's)."""
    s = cat.sections.get(section)
    if s is None:
        return {"doc": "", "document_zh": "", "document_en": "", "seed": "", "section_zh": section, "section_en": "",
                "lines": line_range(own_lines), "lines_of": "own" if line_range(own_lines) else "", "section_lines": None}
    d = cat.documents.get(s.doc, {})
    sec_lines = list(s.lines) if getattr(s, "lines", None) else None
    own = line_range(own_lines)
    return {"doc": s.doc, "document_zh": d.get("title_zh", ""), "document_en": d.get("title_en", ""),
            "seed": d.get("seed", ""), "section_zh": s.zh, "section_en": s.en, "revised": s.revised,
            "lines": own or sec_lines, "lines_of": "own" if own else ("section" if sec_lines else ""),
            "section_lines": sec_lines}


def _opt(obj: Any, name: str) -> Any:
    """An optional field of an example or register entry (absent on older data)."""
    v = getattr(obj, name, None)
    return v if v not in (None, "") else None


def severity_rank(sev: str) -> int:
    return SEVERITIES.index(sev) if sev in SEVERITIES else len(SEVERITIES)


def _shown_in(sources: list[tuple[str, str]]) -> dict[str, str]:
    """example id -> notebook source (relative) that displays it, from the jupytext sources."""
    import re
    found: dict[str, str] = {}
    for rel, text in sources:
        for m in re.finditer(r'spec\.example\(\s*["\']([^"\']+)["\']', text):
            found.setdefault(m.group(1), rel)
    return found


def _severity(d: Any) -> str:
    sev = str(_opt(d, "severity") or "").strip().lower()
    return sev if sev in SEVERITIES else ""


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
    dis = {d.id: d for d in exmod.discrepancies(catalog=cat)}  # texts rendered from the catalog built against
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
        rows.append({
            "id": ex.id, "section": ex.section, "title": ex.title, "file": f"spec_examples/{ex.file}",
            "inputs": [[k, _text(v)] for k, v in sorted(ex.inputs.items())],
            "policies": [[k, _text(v)] for k, v in sorted(ex.policies.items())],
            "printed": ex.printed, "computed": run.computed_text, "unit": ex.unit, "precision": ex.precision,
            "expected": ex.expected, "status": status, "error": run.error, "check": check, "note": ex.note,
            "discrepancies": [{"id": d, "title": dis[d].title if d in dis else "(not in the register)",
                               "why": dis[d].why if d in dis else "", "kind": dis[d].kind if d in dis else "",
                               "severity": _severity(dis[d]) if d in dis else ""}
                              for d in ex.discrepancies],
            "reads": entries,
            "source": _source(cat, ex.section, _opt(ex, "lines")),
            "severity": min((_severity(dis[d]) for d in ex.discrepancies if d in dis and _severity(dis[d])),
                            key=severity_rank, default=""),
            "notebook": {"source": page["source"] if page else shown.get(ex.id, ""),
                         "html": f"{page['html']}#{ex.id}" if page and ex.id in page.get("tags", []) else
                         (page["html"] if page else "")},
        })

    register = []
    row_of = {r["id"]: r for r in rows}
    for d in sorted(dis.values(), key=lambda d: (severity_rank(_severity(d)), d.id)):
        readings = []
        for r in d.readings:
            gives, ok, err, reads = traced_reading(r, cat, d.section)
            readings.append({"name": r.name, "summary": r.summary, "default": r.name == d.default,
                             "computed": bool(r.calc), "gives": gives, "recorded": r.gives, "unit": r.unit,
                             "still_recorded": ok, "error": err, "reads": [x["id"] for x in reads]})
        cited = [e.id for e in exs if d.id in e.discrepancies]
        register.append({"id": d.id, "section": d.section, "kind": d.kind, "title": d.title, "where": d.where,
                         "says": d.says, "policy": d.policy, "default": d.default, "why": d.why,
                         "severity": _severity(d), "affects": _text(_opt(d, "affects") or ""),
                         "spread": _text(_opt(d, "spread") or ""),
                         "file": f"spec_examples/{d.file}", "source": _source(cat, d.section, _opt(d, "lines")),
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
                         "register": sum(1 for d in register if d["section"] == key),
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
