"""``pricing build``, ``pricing refresh`` and ``pricing update``: run the notebooks, render them,
check the figures, write the auditor's report.

- **As of a date.** The current-price tables and prose of the notebooks show the versions in force
  at one as-of moment: ``--as-of DATE``, by default the catalog's latest change
  (:meth:`Catalog.latest_change`, deterministic). The build writes it into each notebook's
  ``as_of = ...`` parameter line (as it does the ``catalog = ...`` line; no cell is injected, so
  cell numbers stay those of the source) and records it in the report's stamp and results.json.
  Worked examples are priced as of their own dates whatever the as-of date.
- **In parallel, dying with the parent.** Notebooks execute in a process pool (``--jobs``
  workers, one kernel each). A worker asks Linux to kill it when the command dies
  (``PR_SET_PDEATHSIG``), and its kernel follows (ipykernel's parent poller), so a killed command
  leaves no process behind. Each worker also renders its notebook's HTML.
- **Cached.** An executed notebook is reused when its source, the package, the tools, the as-of
  date and the catalog entries it read are unchanged (:mod:`pricing.spec.cache`).
- **Refresh is all or nothing**, even under SIGKILL (:mod:`pricing.spec.journal`), and never
  writes another catalog or as-of date into tracked notebooks.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import click
import nbformat

from pricing.spec import cache as cachemod
from pricing.spec import diff as diffmod
from pricing.spec import journal, nbtools, report
from pricing.spec.labels import FAILING, STATUSES, plural, totals_line
from pricing.engine.catalog import SHIPPED, catalog_hash, load
from pricing.engine.errors import PricingError
from .notebook import RESULTS_MIME

BUILD_FILES = ("index.html", "report.html", "register.html", "report.json", "results.json", "diff.txt", "diff.json",
               "moved.json")


class RefusedError(PricingError):
    """A command that would do something unsafe (write another catalog into tracked notebooks)."""


# as-of ------------------------------------------------------------------------------------------

def resolve_as_of(cat, as_of: str | None) -> datetime:
    """The build's as-of moment: ``--as-of`` (a date or date-time, Beijing time), else the
    catalog's latest change (its newest effective date or section revision)."""
    from pricing.engine.periods import as_datetime
    return as_datetime(as_of, "--as-of") if as_of else cat.latest_change()


def as_of_text(moment: datetime) -> str:
    return moment.isoformat(sep=" ")


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


def _dumps(nb: nbformat.NotebookNode) -> str:
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _write_bytes(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)


def _html(dest_nb: Path, html_dest: Path, cache_dir: Path | None) -> None:
    """Render the executed notebook's page, or reuse the page rendered from the same bytes."""
    data = dest_nb.read_bytes()
    page = cachemod.html_lookup(cache_dir, data) if cache_dir else None
    if page is not None:
        _write_bytes(html_dest, page)
        return
    render_html(dest_nb, html_dest)
    if cache_dir:
        cachemod.html_store(cache_dir, data, html_dest.read_bytes())


def _inputs_stamp(cat_path: Path) -> str:
    """The catalog's and the worked examples' bytes, to see that neither changed during a run."""
    return cachemod.tree_hash(cat_path if cat_path.is_dir() else cat_path.parent) + cachemod.tree_hash(cachemod.EXAMPLES)


def _execute_one(py: str, catalog_literal: str | None, as_of_literal: str | None, dest: str, html_dest: str | None,
                 cache_dir: str | None) -> tuple[str, str | None, str, bool]:
    """Worker: execute one notebook source into ``dest`` (and render ``html_dest``), or reuse
    the cached run; return (source, error or None, dest, whether a kernel ran it)."""
    import tempfile
    p = Path(py)
    nb = None
    cdir = Path(cache_dir) if cache_dir else None
    try:
        text = p.read_text(encoding="utf-8")
        nb = nbtools.set_parameters(nbtools.read_source(p), catalog_literal, as_of_literal)
        params_source = nbtools.parameters_cell(nb).source
        lit = cachemod.parameters(params_source)
        cat_path = cachemod.resolve_catalog(lit.get("catalog", ""), p.parent)
        as_of_value = json.loads(lit["as_of"]) if lit.get("as_of") else ""
        moment = resolve_as_of(load(cat_path), as_of_value) if cat_path.exists() else None
        key = cachemod.key(text, cat_path, as_of_text(moment) if moment else as_of_value)
        hit = cachemod.lookup(cdir, key) if cdir and moment else None
        executed = hit is None
        if hit is not None:
            out = nbformat.reads(hit.decode("utf-8"), as_version=4)
            nbtools.parameters_cell(out).source = params_source
        else:
            inputs = _inputs_stamp(cat_path) if cdir and moment else None
            with tempfile.TemporaryDirectory(prefix="pricing-reads-") as tmp:
                reads_file = Path(tmp) / "reads.json"
                out = nbtools.clean(nbtools.execute(nb, p.parent, reads_file=reads_file if cdir else None))
                # stored only if the catalog and the examples did not change while it ran
                if inputs and reads_file.exists() and _inputs_stamp(cat_path) == inputs:
                    reads = json.loads(reads_file.read_text(encoding="utf-8"))
                    cachemod.store(cdir, key, reads, _dumps(out).encode("utf-8"), str(p))
        _write_bytes(Path(dest), _dumps(out).encode("utf-8"))
        if html_dest:
            _html(Path(dest), Path(html_dest), cdir)
        return py, None, dest, executed
    except Exception as e:  # reported with the notebook and cell, never hidden
        return py, _failure(p, nb, e), "", True


def _render_one(nb: str, html_dest: str, cache_dir: str | None) -> tuple[str, str | None, str, bool]:
    try:
        _html(Path(nb), Path(html_dest), Path(cache_dir) if cache_dir else None)
        return nb, None, nb, False
    except Exception as e:
        return nb, f"{type(e).__name__}: {e}", "", False


# the pool ---------------------------------------------------------------------------------------

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Pool initializer: have Linux SIGKILL this worker when its parent dies (``prctl``), and
    exit at once if the parent is already gone. The worker's kernels watch their own parent
    (ipykernel's parent poller, through ``JPY_PARENT_PID``) and exit within a second of it."""
    import signal
    if sys.platform.startswith("linux"):
        import ctypes
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)


def run_all(fn, jobs: list[tuple], workers: int, label: str) -> list[tuple]:
    """Run ``fn(*job)`` for every job, in a process pool when ``workers`` > 1, with a progress bar."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    cachemod.environment_key()  # computed once, inherited by the forked workers
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
            ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx, initializer=die_with_parent,
                                     initargs=(os.getpid(),)) as ex:
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


def _cache_dir(use_cache: bool) -> str | None:
    if not use_cache:
        return None
    d = cachemod.default_dir()
    d.mkdir(parents=True, exist_ok=True)
    return str(d)


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


def _results_json(out: Path, cat, catalog: Path | None, pages: list[dict], st: dict, as_of: str) -> None:
    summary = {"stamp": {"catalog": str(cat.path if catalog else "shipped"), "catalog_sha256": cat.sha256,
                         "as_of": as_of, "git_commit": st["git_commit"], "tools": st["tools"]},
               "pages": [{"notebook": p["notebook"], "html": p["html"], "examples": p["results"]} for p in pages]}
    (out / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")


def assemble(out: Path, cat, catalog: Path | None, root: Path, done: list[tuple[Path, Path, Path]],
             failures: list[dict], baseline: dict | None, as_of: str = "") -> dict:
    """Write results.json, the report, the register, the index (and the diff when given) from the
    executed notebooks ``done`` = [(source, executed .ipynb, html)]."""
    pages = []
    for src, nb, html in done:
        pages.append({"source": _rel(src, root).as_posix(), "notebook": nb.relative_to(out).as_posix(),
                      "html": html.relative_to(out).as_posix(), "results": notebook_results(nb), "tags": example_tags(nb)})
    sources = [(_rel(s, root).as_posix(), s.read_text(encoding="utf-8")) for s in nbtools.sources(root)]
    data = report.collect(cat, _catalog_label(catalog), pages, failures, sources, as_of=as_of)
    _results_json(out, cat, catalog, pages, data["stamp"], as_of)
    extra = {}
    if baseline is not None:
        (out / "diff.json").write_text(json.dumps(baseline, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
        (out / "diff.txt").write_text(diffmod.text(baseline), encoding="utf-8")
        extra["diff"] = baseline
    report.write(out, data, extra)
    return data


def status_counts(rows: list[dict]) -> dict[str, int]:
    return {s: sum(r["status"] == s for r in rows) for s in STATUSES}


def _executed_phrase(results: list[tuple]) -> str:
    ran = sum(1 for r in results if not r[1] and r[3])
    reused = sum(1 for r in results if not r[1] and not r[3])
    return f"{ran} executed, {reused} from the cache"


def _summary_line(out: Path, data: dict, built: int, total: int, how: str = "") -> str:
    return (f"built {built}/{plural(total, 'notebook')} into {out}" + (f" ({how})" if how else "")
            + f" as of {data['stamp'].get('as_of', '')}; {totals_line(status_counts(data['examples']))}; "
              f"report {out / 'report.html'}")


def verdict(data: dict, shipped: bool) -> list[str]:
    """The lines that fail a build: under the shipped catalog, every printed figure not
    reproduced; under any catalog, a known discrepancy that unexpectedly matches (its register
    link is stale: Concordion's ExpectedToFail)."""
    lines = []
    for r in data["examples"]:
        if r["status"] == "unexpected":
            lines.append(f"UNEXPECTEDLY MATCHES {r['id']}: a known discrepancy (expected {r['expected']}) now computes "
                         f"the printed {r['printed']}; remove its `expected` in {r['file']} (and resolve its register "
                         "entry) if the guide is now right")
        elif shipped and r["status"] in FAILING:
            lines.append(f"NOT REPRODUCED {r['id']}: guide prints {r['printed']}, computed {r['computed']}"
                         + (f" ({r['error'] or r['check']})" if r["error"] or r["check"] else ""))
    return lines


# build -----------------------------------------------------------------------------------------

def _build_jobs(srcs: list[Path], root: Path, out: Path, catalog: Path | None, moment: str, cdir: str | None) -> list[tuple]:
    """One job per source: its parameters (the catalog, relative to the notebook; the as-of
    moment), its executed notebook and HTML page under ``out``, the cache."""
    cat_path = Path(catalog).resolve() if catalog else SHIPPED
    return [(str(s), json.dumps(os.path.relpath(cat_path, s.parent), ensure_ascii=False), json.dumps(moment),
             str(out / "notebooks" / _rel(s, root).with_suffix(".ipynb")),
             str(out / "html" / _rel(s, root).with_suffix(".html")), cdir) for s in srcs]


def build(catalog: Path | None, out: Path, jobs: int, notebooks: Path | None = None,
          only: list[Path] | None = None, as_of: str | None = None, use_cache: bool = True) -> int:
    """Execute every notebook (or ``only`` these) against a catalog, as of a date, into ``out``,
    render them, and write the report. Exit 1 when, under the shipped catalog, a printed figure
    is not reproduced, or when a known discrepancy unexpectedly matches; under another catalog,
    write what moved (diff.txt / diff.json / moved.json)."""
    cat = load(catalog)  # validates the catalog before any kernel starts
    moment = as_of_text(resolve_as_of(cat, as_of))
    shipped = catalog is None or cat.sha256 == catalog_hash(SHIPPED)
    root = _root(notebooks)
    journal.recover(root)
    out = out.resolve()
    srcs = [p.resolve() for p in only] if only else nbtools.sources(root)
    _prepare_out(out, root)
    cdir = _cache_dir(use_cache)
    jobs_list = _build_jobs(srcs, root, out, catalog, moment, cdir)
    results = run_all(_execute_one, jobs_list, jobs, "executing notebooks")
    failures = [{"source": _rel(Path(r[0]), root).as_posix(), "error": r[1]} for r in results if r[1]]
    for f in failures:
        click.echo(f"FAILED {f['source']}: {f['error']}", err=True)
    done = [(Path(r[0]), Path(r[2]), Path(j[4])) for r, j in zip(results, jobs_list) if not r[1]]
    baseline = None if shipped else diffmod.diff(None, catalog, "shipped catalog (pricing/catalog)", str(catalog))
    data = assemble(out, cat, catalog, root, done, failures, baseline, moment)
    if cdir:
        cachemod.prune(Path(cdir))
    click.echo(_summary_line(out, data, len(done), len(srcs), _executed_phrase(results)))
    bad = verdict(data, shipped)
    for line in bad:
        click.echo(line, err=True)
    if shipped:
        return 1 if (bad or failures) else 0
    moved = [{"id": e["id"], "section": e["section"], "old": e["old"], "new": e["new"], "printed": e["printed"],
              "status": e["new_status"]} for e in baseline["examples"]]
    (out / "moved.json").write_text(json.dumps(moved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"{plural(len(moved), 'figure')} moved under {catalog} (details: {out / 'diff.txt'})" + (":" if moved else ""))
    for m in moved:
        click.echo(f"  {m['id']}: {m['old']} -> {m['new']} (guide prints {m['printed']})")
    return 1 if (failures or bad) else 0


# refresh ---------------------------------------------------------------------------------------

def tracked(root: Path, files: list[Path]) -> list[Path]:
    """Those of ``files`` that git tracks (none outside a git work tree)."""
    if not files:
        return []
    try:
        r = subprocess.run(["git", "ls-files", "-z", "--full-name", "--", *[str(f) for f in files]], cwd=root, capture_output=True,
                           check=True)
    except (subprocess.CalledProcessError, FileNotFoundError, NotADirectoryError):
        return []
    names = {n for n in r.stdout.decode().split("\0") if n}
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True).stdout.strip()
    return [f for f in files if top and os.path.relpath(f.resolve(), Path(top).resolve()) in names]


def refresh(catalog: Path | None, jobs: int, only: list[Path] | None = None, notebooks: Path | None = None,
            as_of: str | None = None, use_cache: bool = True) -> int:
    """Execute every notebook source and replace the committed notebooks, all or nothing.

    The committed notebooks always keep the shipped parameters cell (``catalog =
    "../../pricing/catalog"``, ``as_of = ""``: the shipped catalog as of its latest change); a
    plain refresh restores it where it was changed. ``catalog``/``as_of`` are refused for
    notebooks git tracks (:class:`RefusedError`: use ``pricing build --catalog X --as-of D``, which
    writes into build/); for an untracked copy of the notebooks they are written into its
    parameters cells, so that nbval re-checks the copy against them.
    """
    root = _root(notebooks)
    srcs = [p.resolve() for p in only] if only else nbtools.sources(root)
    cat = load(catalog)
    moment = resolve_as_of(cat, as_of) if as_of else None
    if catalog is not None or as_of:
        mine = tracked(root, srcs + [s.with_suffix(".ipynb") for s in srcs])
        if mine:
            what = " and ".join(x for x in (f"--catalog {catalog}" if catalog is not None else "",
                                            f"--as-of {as_of}" if as_of else "") if x)
            raise RefusedError(f"refresh keeps the committed notebooks on the shipped catalog as of its latest change "
                               f"and will not write {what} into {plural(len(mine), 'tracked file')}; run `pricing build "
                               f"{what}` instead (executed notebooks in build/notebooks)")
    cdir = _cache_dir(use_cache)
    restored = 0
    with journal.Journal(root) as j:
        jobs_list, new_sources = [], {}
        for s in srcs:
            cat_lit = (json.dumps(os.path.relpath(Path(catalog).resolve(), s.parent), ensure_ascii=False)
                       if catalog is not None else nbtools.SHIPPED_CATALOG_LITERAL)
            as_lit = json.dumps(as_of_text(moment)) if moment else '""'
            text = s.read_text(encoding="utf-8")
            new_text = nbtools.PARAM_LINE.sub(lambda m: f"catalog = {cat_lit}", text, count=1)
            new_text = nbtools.AS_OF_LINE.sub(lambda m: f"as_of = {as_lit}", new_text, count=1)
            if new_text != text:
                new_sources[s] = new_text
            jobs_list.append((str(s), cat_lit, as_lit, str(j.stage_path(s.with_suffix(".ipynb"))), None, cdir))
        results = run_all(_execute_one, jobs_list, jobs, "refreshing notebooks")
        failed = [(s, err) for s, err, _, _ in results if err]
        if failed:
            for s, err in failed:
                click.echo(f"FAILED {_rel(Path(s), root).as_posix()}: {err}", err=True)
            click.echo(f"{len(failed)} of {plural(len(results), 'notebook')} failed; no notebook was overwritten",
                       err=True)
            return 1
        for s, text in new_sources.items():
            j.stage_path(s).write_text(text, encoding="utf-8")
            restored += 1
        j.commit()
    if cdir:
        cachemod.prune(Path(cdir))
    extra = ""
    if restored:
        extra = (f"; wrote the parameters cell of {plural(restored, 'source')}" if (catalog is not None or as_of) else
                 f"; restored the shipped parameters cell of {plural(restored, 'source')}")
    click.echo(f"refreshed {plural(len(results), 'notebook')} ({_executed_phrase(results)}){extra}")
    return 0


# update: the maintainer's one command ----------------------------------------------------------

def update(catalog: Path | None, out: Path, jobs: int, since: str, notebooks: Path | None = None,
           as_of: str | None = None, use_cache: bool = True) -> int:
    """Refresh the committed notebooks against the catalog, say what changed since the catalog
    at git revision ``since``, and write the report from the refreshed notebooks (no second run).
    Exit 1 as ``build`` does when a printed figure is not reproduced."""
    import tempfile
    cat = load(catalog)
    moment = as_of_text(resolve_as_of(cat, as_of))
    shipped = catalog is None or cat.sha256 == catalog_hash(SHIPPED)
    code = refresh(catalog, jobs, None, notebooks, as_of, use_cache)
    if code:
        return code
    root = _root(notebooks)
    out = out.resolve()
    _prepare_out(out, root)
    with tempfile.TemporaryDirectory(prefix="pricing-update-") as tmp:
        old, old_label = diffmod.resolve(f"git:{since}", Path(tmp))
        baseline = diffmod.diff(old, catalog, old_label, _catalog_label(catalog))
    srcs = nbtools.sources(root)
    cdir = _cache_dir(use_cache)
    if cdir:
        # the report's notebooks are the build's (the as-of date written in): every one comes from
        # the runs the refresh just cached, so nothing executes twice and `make spec` afterwards
        # finds its notebooks and pages cached too
        jobs_list = _build_jobs(srcs, root, out, catalog, moment, cdir)
        results = run_all(_execute_one, jobs_list, jobs, "rendering notebooks")
        html = [Path(j[4]) for j in jobs_list]
    else:
        jobs_list = []
        for s in srcs:
            nb = out / "notebooks" / _rel(s, root).with_suffix(".ipynb")
            nb.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(s.with_suffix(".ipynb"), nb)
            jobs_list.append((str(nb), str(out / "html" / _rel(s, root).with_suffix(".html")), cdir))
        results = run_all(_render_one, jobs_list, jobs, "rendering notebooks")
        html = [Path(j[1]) for j in jobs_list]
    done = [(s, Path(r[2]), h) for s, r, h in zip(srcs, results, html) if not r[1]]
    failures = [{"source": _rel(s, root).as_posix(), "error": r[1]} for s, r in zip(srcs, results) if r[1]]
    data = assemble(out, cat, catalog, root, done, failures, baseline, moment)
    click.echo(diffmod.text(baseline), nl=False)
    click.echo(_summary_line(out, data, len(done), len(srcs)))
    bad = verdict(data, shipped)
    for line in bad:
        click.echo(line, err=True)
    return 1 if (failures or bad) else 0
