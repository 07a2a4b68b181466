"""``pricing build``, ``pricing refresh`` and ``pricing update``: run the notebooks, render them,
check the figures, write the auditor's report.

Notebooks execute in a process pool (one kernel per worker, ``--jobs`` workers, default: one per
core); each worker also renders its notebook's HTML, so the only serial work is the report.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import click
import nbformat

from pricing.spec import diff as diffmod
from pricing.spec import nbtools, report
from pricing.engine.catalog import SHIPPED, catalog_hash, load
from .notebook import RESULTS_MIME

BUILD_FILES = ("index.html", "report.html", "register.html", "report.json", "results.json", "diff.txt", "diff.json",
               "moved.json")


# one notebook ----------------------------------------------------------------------------------

def _failure(py: Path, nb: nbformat.NotebookNode | None, e: Exception) -> str:
    """Name the notebook, the cell (number, source line, tag) and the error."""
    from papermill.exceptions import PapermillExecutionError
    if isinstance(e, PapermillExecutionError) and nb is not None:
        i = e.cell_index
        cell = nb.cells[i] if 0 <= i < len(nb.cells) else None
        where = f"cell {i + 1} of {len(nb.cells)}"
        line = nbtools.cell_line(py, i)
        if line:
            where += f" ({py.name} line {line})"
        tags = [t for t in (cell.metadata.get("tags", []) if cell else []) if t != "parameters"]
        if tags:
            where += f" [{', '.join(tags)}]"
        first = next((l for l in (e.source or "").splitlines() if l.strip()), "")
        return f"{where}: {e.ename}: {e.evalue}\n    {first}"
    lines = [l for l in str(e).strip().splitlines() if l.strip()]
    return f"{type(e).__name__}: " + "\n".join(lines[:15])


def _execute_one(py: str, catalog_literal: str | None, dest: str, html_dest: str | None) -> tuple[str, str | None, str]:
    """Worker: execute one notebook source into ``dest`` (and render ``html_dest``); return
    (source, error or None, dest)."""
    p = Path(py)
    nb = None
    try:
        nb = nbtools.read_source(p)
        if catalog_literal is not None:
            nb = nbtools.set_catalog(nb, catalog_literal)
        out = nbtools.clean(nbtools.execute(nb, p.parent))
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        nbtools.write(out, Path(dest))
        if html_dest:
            render_html(Path(dest), Path(html_dest))
        return py, None, dest
    except Exception as e:  # reported with the notebook and cell, never hidden
        return py, _failure(p, nb, e), ""


def _render_one(nb: str, html_dest: str) -> tuple[str, str | None, str]:
    try:
        render_html(Path(nb), Path(html_dest))
        return nb, None, nb
    except Exception as e:
        return nb, f"{type(e).__name__}: {e}", ""


def run_all(fn, jobs: list[tuple], workers: int, label: str) -> list[tuple[str, str | None, str]]:
    """Run ``fn(*job)`` for every job, in a process pool when ``workers`` > 1, with a progress bar."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    results = {}
    prog = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[current]}"), console=Console(stderr=True))
    with prog:
        task = prog.add_task(label, total=len(jobs), current="")
        if workers <= 1 or len(jobs) <= 1:
            for j in jobs:
                prog.update(task, current=Path(j[0]).name)
                r = fn(*j)
                results[r[0]] = r
                prog.advance(task)
        else:
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as ex:
                futs = [ex.submit(fn, *j) for j in jobs]
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


def example_tags(path: Path) -> list[str]:
    """The example ids that tag cells of an executed notebook (anchors in its HTML page)."""
    from pricing.spec import examples as exmod
    ids = {e.id for e in exmod.examples()}
    nb = nbformat.read(path, as_version=4)
    return [t for c in nb.cells for t in c.metadata.get("tags", []) if t in ids]


def render_html(nb_path: Path, dest: Path) -> None:
    """The executed notebook as an offline HTML page (nbconvert's lab look; math as MathML, no
    script from a CDN), with an ``id`` on every cell tagged with an example id so that the report
    can link straight to the cell, and links to the index, the report and the register: see
    :mod:`pricing.spec.nbhtml`."""
    from pricing.spec import nbhtml
    nbhtml.render(nb_path, dest)


# helpers ---------------------------------------------------------------------------------------

def _root(notebooks: Path | None) -> Path:
    return (notebooks or nbtools.NOTEBOOKS).resolve()


def _rel(src: Path, root: Path) -> Path:
    try:
        return src.resolve().relative_to(root)
    except ValueError:
        return Path(src.name)


def _prepare_out(out: Path, root: Path) -> None:
    """Empty the notebook/HTML folders of a previous build so the output reflects this run only
    (never touching a folder that holds notebook sources)."""
    out.mkdir(parents=True, exist_ok=True)
    previous = (out / "results.json").exists() or (out / "report.json").exists()
    for sub in ("notebooks", "html"):
        d = (out / sub).resolve()
        if previous and d.is_dir() and d != root and not any(d.rglob("*.py")):
            shutil.rmtree(d)
    for name in BUILD_FILES:
        (out / name).unlink(missing_ok=True)


def _catalog_label(catalog: Path | None) -> str:
    return "pricing/catalog (shipped)" if catalog is None else str(catalog)


def _results_json(out: Path, cat, catalog: Path | None, pages: list[dict], st: dict) -> None:
    summary = {"stamp": {"catalog": str(cat.path if catalog else "shipped"), "catalog_sha256": cat.sha256,
                         "git_commit": st["git_commit"], "tools": st["tools"]},
               "pages": [{"notebook": p["notebook"], "html": p["html"], "examples": p["results"]} for p in pages]}
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")


def assemble(out: Path, cat, catalog: Path | None, root: Path, done: list[tuple[Path, Path, Path]],
             failures: list[dict], baseline: dict | None) -> dict:
    """Write results.json, the report, the register, the index (and the diff when given) from the
    executed notebooks ``done`` = [(source, executed .ipynb, html)]."""
    pages = []
    for src, nb, html in done:
        pages.append({"source": _rel(src, root).as_posix(), "notebook": nb.relative_to(out).as_posix(),
                      "html": html.relative_to(out).as_posix(), "results": notebook_results(nb), "tags": example_tags(nb)})
    sources = [(_rel(s, root).as_posix(), s.read_text(encoding="utf-8")) for s in nbtools.sources(root)]
    data = report.collect(cat, _catalog_label(catalog), pages, failures, sources)
    _results_json(out, cat, catalog, pages, data["stamp"])
    extra = {}
    if baseline is not None:
        (out / "diff.json").write_text(json.dumps(baseline, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
        (out / "diff.txt").write_text(diffmod.text(baseline), encoding="utf-8")
        extra["diff"] = baseline
    report.write(out, data, extra)
    return data


def _summary_line(out: Path, data: dict, built: int, total: int) -> str:
    t = data["totals"]
    return (f"built {built}/{total} notebooks into {out}; {t['examples']} examples: {t['match']} match, "
            f"{t['known']} known discrepancies, {t['differs']} differ, {t['error']} errors; "
            f"report {out / 'report.html'}")


# build -----------------------------------------------------------------------------------------

def build(catalog: Path | None, out: Path, jobs: int, notebooks: Path | None = None,
          only: list[Path] | None = None) -> int:
    """Execute every notebook (or ``only`` these) against a catalog into ``out``, render them,
    and write the report. Under the shipped catalog, exit 1 when a printed figure is not
    reproduced; under another, write what moved (diff.txt / diff.json / moved.json)."""
    cat = load(catalog)  # validates the catalog before any kernel starts
    shipped = catalog is None or cat.sha256 == catalog_hash(SHIPPED)
    root = _root(notebooks)
    out = out.resolve()
    srcs = [p.resolve() for p in only] if only else nbtools.sources(root)
    _prepare_out(out, root)
    lit = json.dumps(str(Path(catalog).resolve()), ensure_ascii=False) if catalog else None
    jobs_list = [(str(s), lit, str(out / "notebooks" / _rel(s, root).with_suffix(".ipynb")),
                  str(out / "html" / _rel(s, root).with_suffix(".html"))) for s in srcs]
    results = run_all(_execute_one, jobs_list, jobs, "executing notebooks")
    failures = [{"source": _rel(Path(s), root).as_posix(), "error": err} for s, err, _ in results if err]
    for f in failures:
        click.echo(f"FAILED {f['source']}: {f['error']}", err=True)
    done = [(Path(s), Path(d), Path(j[3])) for (s, err, d), j in zip(results, jobs_list) if not err]
    baseline = None if shipped else diffmod.diff(None, catalog, "shipped catalog (pricing/catalog)", str(catalog))
    data = assemble(out, cat, catalog, root, done, failures, baseline)
    click.echo(_summary_line(out, data, len(done), len(srcs)))
    bad = [r for r in data["examples"] if r["status"] in ("differs", "error")]
    if shipped:
        for r in bad:
            click.echo(f"NOT REPRODUCED {r['id']}: guide prints {r['printed']}, computed {r['computed']}"
                       + (f" ({r['error'] or r['check']})" if r["error"] or r["check"] else ""), err=True)
        return 1 if (bad or failures) else 0
    moved = [{"id": e["id"], "section": e["section"], "old": e["old"], "new": e["new"], "printed": e["printed"],
              "status": e["new_status"]} for e in baseline["examples"]]
    (out / "moved.json").write_text(json.dumps(moved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"{len(moved)} figures moved under {catalog} (details: {out / 'diff.txt'}):")
    for m in moved:
        click.echo(f"  {m['id']}: {m['old']} -> {m['new']} (guide prints {m['printed']})")
    return 1 if failures else 0


# refresh ---------------------------------------------------------------------------------------

def refresh(catalog: Path | None, jobs: int, only: list[Path] | None = None, notebooks: Path | None = None) -> int:
    """Execute every notebook source; replace the committed notebooks only if all succeed.

    With a catalog, each notebook's parameters cell (in the .py source and the .ipynb) is pointed
    at it, by a path relative to the notebook's folder, so that nbval re-checks against it.
    """
    if catalog is not None:
        load(catalog)
    root = _root(notebooks)
    srcs = [p.resolve() for p in only] if only else nbtools.sources(root)
    jobs_list, literals = [], {}
    for s in srcs:
        lit = None
        if catalog is not None:
            lit = json.dumps(os.path.relpath(Path(catalog).resolve(), s.parent.resolve()), ensure_ascii=False)
            literals[s] = lit
        jobs_list.append((str(s), lit, str(s.with_suffix(".ipynb.new")), None))
    results = run_all(_execute_one, jobs_list, jobs, "refreshing notebooks")
    failed = [(s, err) for s, err, _ in results if err]
    if failed:
        for _, _, dest in results:
            if dest:
                Path(dest).unlink(missing_ok=True)
        for s, err in failed:
            click.echo(f"FAILED {_rel(Path(s), root).as_posix()}: {err}", err=True)
        click.echo(f"{len(failed)} of {len(results)} notebooks failed; no notebook was overwritten", err=True)
        return 1
    for s, _, dest in results:
        src = Path(s)
        if src in literals:
            src.write_text(nbtools.PARAM_LINE.sub(f"catalog = {literals[src]}", src.read_text(encoding="utf-8"), count=1),
                           encoding="utf-8")
        os.replace(dest, src.with_suffix(".ipynb"))
    click.echo(f"refreshed {len(results)} notebooks")
    return 0


# update: the maintainer's one command ----------------------------------------------------------

def update(catalog: Path | None, out: Path, jobs: int, since: str, notebooks: Path | None = None) -> int:
    """Refresh the committed notebooks against the catalog, say what changed since the catalog
    at git revision ``since``, and write the report from the refreshed notebooks (no second run)."""
    import tempfile
    cat = load(catalog)
    code = refresh(catalog, jobs, None, notebooks)
    if code:
        return code
    root = _root(notebooks)
    out = out.resolve()
    _prepare_out(out, root)
    with tempfile.TemporaryDirectory(prefix="pricing-update-") as tmp:
        old, old_label = diffmod.resolve(f"git:{since}", Path(tmp))
        baseline = diffmod.diff(old, catalog, old_label, _catalog_label(catalog))
    srcs = nbtools.sources(root)
    jobs_list = []
    for s in srcs:
        nb = out / "notebooks" / _rel(s, root).with_suffix(".ipynb")
        nb.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(s.with_suffix(".ipynb"), nb)
        jobs_list.append((str(nb), str(out / "html" / _rel(s, root).with_suffix(".html"))))
    results = run_all(_render_one, jobs_list, jobs, "rendering notebooks")
    done = [(s, Path(r[2]), Path(j[1])) for s, r, j in zip(srcs, results, jobs_list) if not r[1]]
    failures = [{"source": _rel(s, root).as_posix(), "error": r[1]} for s, r in zip(srcs, results) if r[1]]
    data = assemble(out, cat, catalog, root, done, failures, baseline)
    click.echo(diffmod.text(baseline), nl=False)
    click.echo(_summary_line(out, data, len(done), len(srcs)))
    return 1 if failures else 0
