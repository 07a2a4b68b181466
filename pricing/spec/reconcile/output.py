"""What a reconciliation says: text with totals per status, a JSON document, an HTML page.

Each is a *sink* that takes the results chunk by chunk, so that memory stays bounded: the JSON
document is written as the lines come (the totals and months follow the lines), the text keeps
only the lines that differ (up to a limit, then counts), the HTML page keeps every line up to
:data:`HTML_ROWS` and after that only the lines that differ or are not covered (it says so).

Outputs are a pure function of the inputs, the catalog and the mapping: no timestamps, stable order.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import IO

from pricing.spec.labels import plural, status_count, totals_line

from .engine import STATUS_LABEL, STATUSES

TEXT_DIFFERS = 200
HTML_ROWS = 20_000
ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _label(p: Path) -> str:
    """A path as the stamp shows it: relative to the repository when inside it (machine-independent)."""
    p = Path(p).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.name


def stamp(files, cat, mapping, account, period_type: str, engine: str, readings: dict, hashes: bool = True) -> dict:
    """What a reconciliation was run on: the files, catalog and mapping (with their hashes; the files'
    only when ``hashes``: the JSON and HTML outputs carry them, the text does not show them), the account
    facts, how months are attributed, the engine, and the reading of every policy it reads."""
    return {
        "files": [{"name": Path(f).name, **({"sha256": file_sha256(Path(f))} if hashes else {})} for f in files],
        "catalog": _label(cat.path), "catalog_sha256": cat.sha256,
        "mapping": mapping.path.name, "mapping_sha256": file_sha256(mapping.path),
        "account": Path(account.path).name if account else "", "period_type": period_type, "engine": engine,
        "policies": dict(sorted(readings.items())),
    }


class Collect:
    """Keeps every result (tests, small bills)."""

    def __init__(self):
        self.lines: list[dict] = []

    def __call__(self, results: list[dict]) -> None:
        self.lines.extend(results)


class JsonSink:
    """Streams ``{"stamp", "lines": [...], "months", "totals"}`` to a text stream."""

    def __init__(self, out: IO[str], stamp: dict):
        self.out, self.first = out, True
        out.write('{\n"stamp": ' + json.dumps(stamp, ensure_ascii=False, sort_keys=True) + ',\n"lines": [')

    def __call__(self, results: list[dict]) -> None:
        for r in results:
            self.out.write(("\n" if self.first else ",\n") + json.dumps(r, ensure_ascii=False, sort_keys=True))
            self.first = False

    def close(self, summary: dict) -> None:
        self.out.write('\n],\n"months": ' + json.dumps(summary["months"], ensure_ascii=False, sort_keys=True)
                       + ',\n"totals": ' + json.dumps(summary["totals"], ensure_ascii=False, sort_keys=True) + "\n}\n")


class TextSink:
    """Keeps the lines that differ (up to ``limit``) for the text report."""

    def __init__(self, limit: int = TEXT_DIFFERS):
        self.limit, self.differs, self.more = limit, [], 0

    def __call__(self, results: list[dict]) -> None:
        for r in results:
            if r["status"] == "differs":
                if len(self.differs) < self.limit:
                    self.differs.append(r)
                else:
                    self.more += 1


class HtmlSink:
    def __init__(self, limit: int = HTML_ROWS):
        self.limit, self.rows, self.dropped = limit, [], 0

    def __call__(self, results: list[dict]) -> None:
        for r in results:
            if len(self.rows) < self.limit or r["status"] != "match":
                self.rows.append(r)
            else:
                self.dropped += 1


class Tee:
    def __init__(self, *sinks):
        self.sinks = [s for s in sinks if s is not None]

    def __call__(self, results: list[dict]) -> None:
        for s in self.sinks:
            s(results)


def text(summary: dict, sink: TextSink) -> str:
    t = summary["totals"]
    out = [totals_line(t, t["lines"], "line", STATUSES, zeros=True)]
    for m in summary["months"]:
        out.append(f"month {m['month']}: {plural(m['lines'], 'line')}, Σ real cost {m['lines_real_cost']}, precision line "
                   f"{m['precision_line']} (expected {m['expected_precision_line']}), debit {m['debit']}: {m['status']}")
    for r in sink.differs:
        out.append("")
        out.append(f"differs  {r['source']}  {r['resource']}  {r['start']}  {r['product']} / {r['component']}"
                   + (f"  [{r['rule']}]" if r["rule"] else ""))
        out.append(f"  real cost billed {r['billed']['RealCost']}, recomputed {r['recomputed'].get('RealCost', '-')}, "
                   f"difference {r['difference']}")
        for c in r["checks"]:
            if c["ok"] is False:
                out.append(f"  ✗ {c['name']}: billed {c['billed']}, expected {c['expected']}" + (f" ({c['note']})" if c["note"] else ""))
        for s in r["steps"]:
            out.append(f"    {s['label']}: {s['value']}" + (f"  ({s['note']})" if s["note"] else ""))
    if sink.more:
        out.append(f"\n… and {sink.more} more lines that differ (use --json for all)")
    return "\n".join(out) + "\n"


def html(summary: dict, stamp: dict, sink: HtmlSink, out_dir: Path) -> Path:
    """Write ``out_dir/reconcile.html`` in the report's style; rows link to the rule's rendered notebook."""
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    out_dir.mkdir(parents=True, exist_ok=True)
    build = ROOT / "build"
    links = {}
    for r in sink.rows:
        nb = r["notebook"]
        if nb and nb not in links:
            links[nb] = Path(os.path.relpath(build / nb, out_dir.resolve())).as_posix()
    page = env.get_template("reconcile.html.j2").render(
        s=summary, stamp=stamp, rows=sink.rows, dropped=sink.dropped, limit=sink.limit, links=links, STATUSES=STATUSES, LABEL=STATUS_LABEL,
        count=status_count, plural=plural)
    p = out_dir / "reconcile.html"
    p.write_text(page, encoding="utf-8")
    return p
