"""Notebook plumbing: pair, execute, clean.

Each notebook has a jupytext twin (percent-format ``.py``) that is the reviewable source; the
``.ipynb`` beside it is the executed, committed form that nbval re-checks. ``clean`` removes
everything that varies between runs or machines (papermill's timings and paths, execution
timestamps, the Python patch version), so that a re-run changes only the figures that changed.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "python3"
PARAM_LINE = re.compile(r"^catalog\s*=.*$", re.M)


def sources(root: Path = NOTEBOOKS) -> list[Path]:
    """The jupytext sources, in spec order (document folder, then file name)."""
    return sorted(p for p in root.rglob("*.py") if ".ipynb_checkpoints" not in p.parts and p.name[0].isdigit())


def notebooks(root: Path = NOTEBOOKS) -> list[Path]:
    return [p.with_suffix(".ipynb") for p in sources(root)]


def read_source(py: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(py, fmt="py:percent")
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    nb.metadata.pop("jupytext", None)
    return nb


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    md = nb.metadata
    md.pop("papermill", None)
    md.pop("widgets", None)
    md.pop("jupytext", None)
    md["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    md["language_info"] = {"name": "python"}
    for c in nb.cells:
        c.metadata.pop("papermill", None)
        c.metadata.pop("execution", None)
        c.metadata.pop("collapsed", None)
        c.metadata.pop("scrolled", None)
        c.pop("id", None)
        if c.cell_type == "code":
            for o in c.get("outputs", []):
                o.get("metadata", {}).pop("execution", None)
    nb.nbformat, nb.nbformat_minor = 4, 4
    for c in nb.cells:  # nbformat 4.4 has no cell ids
        c.pop("id", None)
    return nb


SHIPPED_CATALOG_LITERAL = '"../../pricing/catalog"'
SHIPPED_PARAMETERS = f"catalog = {SHIPPED_CATALOG_LITERAL}\nas_of = \"\""
AS_OF_LINE = re.compile(r"^as_of\s*=.*$", re.M)


def parameters_cell(nb: nbformat.NotebookNode):
    for c in nb.cells:
        if "parameters" in c.metadata.get("tags", []):
            return c
    return None


def set_parameters(nb: nbformat.NotebookNode, catalog_literal: str | None = None,
                   as_of_literal: str | None = None) -> nbformat.NotebookNode:
    """Rewrite the ``catalog = ...`` and ``as_of = ...`` lines of the parameters cell (a copy);
    no cell is added, so cell numbers stay those of the source. None leaves a line as it is."""
    nb = copy.deepcopy(nb)
    c = parameters_cell(nb)
    if c is None:
        raise ValueError("notebook has no cell tagged 'parameters'")
    if catalog_literal is not None:
        c.source = PARAM_LINE.sub(lambda m: f"catalog = {catalog_literal}", c.source, count=1)
    if as_of_literal is not None:
        if AS_OF_LINE.search(c.source):
            c.source = AS_OF_LINE.sub(lambda m: f"as_of = {as_of_literal}", c.source, count=1)
        else:
            raise ValueError("the parameters cell has no `as_of = ...` line")
    return nb


def set_catalog(nb: nbformat.NotebookNode, catalog_literal: str) -> nbformat.NotebookNode:
    """Rewrite the ``catalog = ...`` line of the parameters cell."""
    return set_parameters(nb, catalog_literal)


def parameters_problem(nb: nbformat.NotebookNode, name: str) -> str:
    """'' when the parameters cell is the shipped one (the shipped catalog, the default as-of
    date), else a one-line account of what differs."""
    c = parameters_cell(nb)
    if c is None:
        return f"{name}: no cell tagged 'parameters'"
    text = c.source.strip()
    if text == SHIPPED_PARAMETERS:
        return ""
    lines = "; ".join(l.strip() for l in text.splitlines() if l.strip())
    return (f"{name}: parameters cell is not the shipped one ({lines}); it must read "
            + SHIPPED_PARAMETERS.replace(chr(10), "; "))


def execute(nb: nbformat.NotebookNode, cwd: Path, parameters: dict | None = None, timeout: int = 300,
            reads_file: Path | None = None) -> nbformat.NotebookNode:
    """Run a notebook with papermill in ``cwd`` (the notebook's own folder) and return it.

    With ``reads_file``, the kernel records the catalog entries the notebook reads and writes
    them there after every cell (:mod:`pricing.spec.readlog`), through a start-up line of the
    kernel: no cell is added."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError
    # the kernel logs a TCP-transport warning at start-up and, now and then,
    # a KeyboardInterrupt at shutdown; cell errors reach us through papermill
    extra = ["--IPKernelApp.log_level=CRITICAL"]
    if reads_file is not None:
        extra.append("--IPKernelApp.exec_lines=__import__('pricing.spec.readlog').spec.readlog.install(%r)"
                      % str(reads_file))
    for attempt in (1, 2):
        try:
            return pm.execute_notebook(nb, None, parameters=parameters or None, kernel_name=KERNEL, cwd=str(cwd),
                                       progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                                       execution_timeout=timeout, start_timeout=30, extra_arguments=extra)
        except PapermillExecutionError:
            raise  # a cell failed: that is the notebook's answer, never retried
        except Exception:
            # Kernels started side by side can race for the same ZMQ port and die at start-up
            # (papermill issue #511); the notebook is deterministic, so one fresh start is safe.
            if attempt == 2:
                raise


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    text = nbformat.writes(nb, version=4)
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text, encoding="utf-8")


def in_sync(py: Path, ipynb: Path, shipped: bool = True) -> list[str]:
    """Differences between a jupytext source and its notebook (cell kinds, sources, tags), and,
    with ``shipped``, a parameters cell in either that is not the shipped one (a catalog or as-of
    date left behind by a run against another catalog)."""
    a = read_source(py)
    b = nbformat.read(ipynb, as_version=4)
    problems = []
    if shipped:
        problems += [p for p in (parameters_problem(a, py.name), parameters_problem(b, ipynb.name)) if p]
    if len(a.cells) != len(b.cells):
        return [f"{ipynb.name}: {len(b.cells)} cells, its source {py.name} has {len(a.cells)}"]
    for i, (x, y) in enumerate(zip(a.cells, b.cells)):
        if x.cell_type != y.cell_type or x.source.strip() != y.source.strip():
            problems.append(f"{ipynb.name}: cell {i} differs from {py.name}")
        elif x.metadata.get("tags", []) != y.metadata.get("tags", []):
            problems.append(f"{ipynb.name}: cell {i} tags differ from {py.name}")
    return problems


def cell_line(py: Path, index: int) -> int | None:
    """The 1-based line of the jupytext source where cell ``index`` (0-based) starts, so that a
    failure can be named by file and line."""
    try:
        lines = py.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    starts = [i + 1 for i, l in enumerate(lines) if l.startswith("# %%")]
    return starts[index] if 0 <= index < len(starts) else None


_CELL_DIV = re.compile(r'<div class="(jp-Cell [^"]*)">')


def anchor_tagged_cells(html_text: str, ids: set[str]) -> str:
    """Give every rendered cell tagged with an example id that id as its HTML ``id`` (nbconvert
    marks tags as ``celltag_<tag>`` classes), so ``page.html#<example id>`` lands on the cell."""
    seen: set[str] = set()

    def add(m: re.Match) -> str:
        tags = [c[len("celltag_"):] for c in m.group(1).split() if c.startswith("celltag_")]
        hit = next((t for t in tags if t in ids and t not in seen), None)
        if hit is None:
            return m.group(0)
        seen.add(hit)
        return f'<div class="{m.group(1)}" id="{hit}">'

    return _CELL_DIV.sub(add, html_text)
