"""``pricing build`` and ``pricing refresh``: run the notebooks, render them, check the figures."""
from __future__ import annotations

import html
import json
import os
import subprocess
from pathlib import Path

import click
import nbformat

from . import examples as exmod
from . import nbtools
from .catalog import SHIPPED, catalog_hash, load
from .notebook import RESULTS_MIME


def _execute_one(py: str, params: dict | None, catalog_literal: str | None, dest: str) -> tuple[str, str | None, str]:
    """Worker: execute one notebook source into ``dest``; return (source, error or None, dest)."""
    p = Path(py)
    try:
        nb = nbtools.read_source(p)
        if catalog_literal is not None:
            nb = nbtools.set_catalog(nb, catalog_literal)
        out = nbtools.clean(nbtools.execute(nb, p.parent, params))
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        nbtools.write(out, Path(dest))
        return py, None, dest
    except Exception as e:  # papermill's message names the failing cell ("In [n]") and the exception
        lines = [l for l in str(e).strip().splitlines() if l.strip()]
        return py, f"{type(e).__name__}: " + "\n".join(lines[:15]), ""


def run_all(jobs: list[tuple], workers: int, label: str) -> list[tuple[str, str | None, str]]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    results = {}
    prog = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[current]}"), console=Console(stderr=True))
    with prog:
        task = prog.add_task(label, total=len(jobs), current="")
        if workers <= 1:
            for j in jobs:
                prog.update(task, current=Path(j[0]).name)
                r = _execute_one(*j)
                results[r[0]] = r
                prog.advance(task)
        else:
            with ProcessPoolExecutor(max_workers=workers) as ex:
                futs = [ex.submit(_execute_one, *j) for j in jobs]
                for f in as_completed(futs):
                    r = f.result()
                    results[r[0]] = r
                    prog.update(task, current=Path(r[0]).name)
                    prog.advance(task)
    return [results[j[0]] for j in jobs]


def notebook_results(path: Path) -> list[dict]:
    nb = nbformat.read(path, as_version=4)
    found = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            if RESULTS_MIME in data:
                found.extend(data[RESULTS_MIME]["examples"])
    return found


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=nbtools.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except Exception:
        return "unknown"


def tool_versions() -> dict[str, str]:
    from importlib.metadata import version
    import platform
    names = ["pricing-spec", "papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "jupytext", "sympy",
             "matplotlib", "python-dateutil"]
    out = {"python": platform.python_version()}
    for n in names:
        try:
            out[n] = version(n)
        except Exception:
            out[n] = "not installed"
    return out


def moved_figures(catalog: Path) -> list[dict]:
    """Every example whose computed figure differs between the shipped catalog and ``catalog``."""
    old, new = load(None), load(catalog)
    moved = []
    for e in exmod.examples():
        a, b = exmod.run_example(e, old), exmod.run_example(e, new)
        if a.computed_text != b.computed_text:
            moved.append({"id": e.id, "section": e.section, "old": a.computed_text, "new": b.computed_text,
                          "printed": e.printed, "status": b.status})
    return moved


def render_html(nb_path: Path, dest: Path) -> None:
    from nbconvert import HTMLExporter
    body, _ = HTMLExporter(template_name="lab").from_filename(str(nb_path))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(body, encoding="utf-8")


def build(catalog: Path | None, out: Path, jobs: int) -> int:
    cat = load(catalog)  # validates the catalog before any kernel starts
    shipped = catalog is None or cat.sha256 == catalog_hash(SHIPPED)
    out = out.resolve()
    srcs = nbtools.sources()
    params = {"catalog": str(Path(catalog).resolve())} if catalog else None
    jobs_list = [(str(s), params, None, str(out / "notebooks" / s.relative_to(nbtools.NOTEBOOKS).with_suffix(".ipynb")))
                 for s in srcs]
    results = run_all(jobs_list, jobs, "executing notebooks")
    failed = [(s, err) for s, err, _ in results if err]
    for s, err in failed:
        click.echo(f"FAILED {Path(s).relative_to(nbtools.ROOT)}\n{err}", err=True)
    pages, all_examples = [], []
    for s, err, dest in results:
        if err:
            continue
        rel = Path(dest).relative_to(out / "notebooks")
        html_path = out / "html" / rel.with_suffix(".html")
        render_html(Path(dest), html_path)
        exs = notebook_results(Path(dest))
        all_examples += exs
        pages.append({"notebook": str(rel), "html": str(html_path.relative_to(out)), "examples": exs})
    stamp = {"catalog": str(cat.path if catalog else "shipped"), "catalog_sha256": cat.sha256, "git_commit": git_commit(),
             "tools": tool_versions()}
    summary = {"stamp": stamp, "pages": pages}
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    write_index(out, cat, pages, stamp)
    bad = [e for e in all_examples if e["status"] in ("differs", "error")]
    click.echo(f"built {len(pages)}/{len(srcs)} notebooks into {out}; {len(all_examples)} examples, "
               f"{sum(e['status'] == 'match' for e in all_examples)} match, "
               f"{sum(e['status'] == 'known' for e in all_examples)} known discrepancies, {len(bad)} not reproduced")
    if shipped:
        for e in bad:
            click.echo(f"NOT REPRODUCED {e['id']}: guide prints {e['printed']}, computed {e['computed']}", err=True)
        return 1 if (bad or failed) else 0
    moved = moved_figures(catalog)
    (out / "moved.json").write_text(json.dumps(moved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"{len(moved)} figures moved under {catalog}:")
    for m in moved:
        click.echo(f"  {m['id']}: {m['old']} -> {m['new']} (guide prints {m['printed']})")
    return 1 if failed else 0


def write_index(out: Path, cat, pages: list[dict], stamp: dict) -> None:
    rows = []
    for p in pages:
        exs = p["examples"]
        sec = exs[0]["section"] if exs else ""
        title = cat.sections[sec].title if sec in cat.sections else p["notebook"]
        counts = {s: sum(e["status"] == s for e in exs) for s in ("match", "known", "differs", "error")}
        rows.append(f"<tr><td><a href=\"{html.escape(p['html'])}\">{html.escape(title)}</a></td>"
                    f"<td>{len(exs)}</td><td class=match>{counts['match']}</td><td class=known>{counts['known']}</td>"
                    f"<td class=differs>{counts['differs'] + counts['error']}</td></tr>")
    tools = ", ".join(f"{k} {v}" for k, v in stamp["tools"].items())
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pricing-spec</title>
<style>body{{font-family:"Noto Sans CJK SC","Noto Sans",sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .6em}}.match{{background:#dfd}}.known{{background:#ffd}}.differs{{background:#fdd}}</style>
</head><body><h1>pricing-spec: 购买指南 executable specification</h1>
<table><tr><th>section 章节</th><th>examples</th><th>match</th><th>known</th><th>differs</th></tr>
{''.join(rows)}</table>
<p class=stamp>catalog sha256 <code>{stamp['catalog_sha256']}</code> · commit <code>{stamp['git_commit']}</code> · {html.escape(tools)}</p>
</body></html>
"""
    (out / "index.html").write_text(page, encoding="utf-8")


def refresh(catalog: Path | None, jobs: int, only: list[Path] | None = None) -> int:
    """Execute every notebook source; replace the committed notebooks only if all succeed."""
    if catalog is not None:
        load(catalog)
    srcs = only or nbtools.sources()
    jobs_list, literals = [], {}
    for s in srcs:
        lit = None
        if catalog is not None:
            lit = repr(os.path.relpath(Path(catalog).resolve(), s.parent.resolve()))
            literals[s] = lit
        jobs_list.append((str(s), None, lit, str(s.with_suffix(".ipynb.new"))))
    results = run_all(jobs_list, jobs, "refreshing notebooks")
    failed = [(s, err) for s, err, _ in results if err]
    if failed:
        for _, _, dest in results:
            if dest:
                Path(dest).unlink(missing_ok=True)
        for s, err in failed:
            click.echo(f"FAILED {Path(s).relative_to(nbtools.ROOT)} (no notebook was overwritten)\n{err}", err=True)
        return 1
    for s, _, dest in results:
        src = Path(s)
        if src in literals:
            src.write_text(nbtools.PARAM_LINE.sub(f"catalog = {literals[src]}", src.read_text(encoding="utf-8"), count=1),
                           encoding="utf-8")
        os.replace(dest, src.with_suffix(".ipynb"))
    click.echo(f"refreshed {len(results)} notebooks")
    return 0
