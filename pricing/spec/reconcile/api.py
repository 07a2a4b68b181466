"""One call that reconciles bill files: :func:`reconcile` (what ``pricing reconcile`` runs)."""
from __future__ import annotations

from pathlib import Path

from pricing.engine.catalog import Catalog, load
from . import engine as en
from .lines import CHUNK_LINES, prefetch, read_chunks
from .mapping import load_mapping
from .output import Collect, HtmlSink, JsonSink, Tee, TextSink, stamp as make_stamp

ENGINES = ("auto", "fast", "reference")


def _count_lines(files) -> int | None:
    """Lines of the CSV files (newlines less the header), for the progress bar's total; None for JSON."""
    total = 0
    for f in files:
        p = Path(f)
        if p.suffix.lower() != ".csv" or not p.is_file():
            return None
        with p.open("rb") as fh:
            total += sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 22), b"")) - 1
    return max(total, 0)


def _progress(files):
    """A rich progress bar on stderr: lines done of the lines in the files, rate, time left."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    prog = Progress(TextColumn("reconcile"), BarColumn(), MofNCompleteColumn(), TextColumn("lines"),
                    TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True))
    task = prog.add_task("lines", total=_count_lines(files))

    def advance(n: int):
        prog.update(task, advance=n)
    return prog, advance


def reconcile(files, catalog: Catalog | str | Path | None = None, account: str | Path | None = None,
              period_type: str = "byUsedTime", engine: str = "auto", mapping: str | Path | None = None,
              policies: dict | None = None, json_out=None, html_dir: Path | None = None, text: bool = False,
              collect: bool = False, progress: bool = False, chunk_lines: int = CHUNK_LINES) -> dict:
    """Reconcile ``files`` (DescribeBillDetail JSON pages or CSV exports, in order).

    Returns ``{"totals", "months", "engine", "stamp"}`` and, when asked, ``"lines"`` (``collect``),
    ``"text"`` (``text``) and ``"html"`` (the page written into ``html_dir``); ``json_out`` (a text
    stream) receives the JSON document as the lines come. Raises :class:`PricingError` subclasses
    with one-line messages for unreadable files or lines."""
    if engine not in ENGINES:
        raise en.InputError("engine", engine, " | ".join(ENGINES))
    from .lines import BillFileError
    for f in files:
        if not Path(f).is_file():
            raise BillFileError(f, "", "no such file" if not Path(f).exists() else "not a file; give bill files (.json or .csv)")
    cat = catalog if isinstance(catalog, Catalog) else load(catalog)
    from pricing.rules import load_all
    load_all()
    mp = load_mapping(mapping)
    opts = en.Options(cat, mp, None, period_type, dict(policies or {}))
    opts.account = en.load_account(account, cat, policies)
    acc = opts.account
    all_lines = collect or json_out is not None or html_dir is not None
    columns = None
    if engine == "auto":
        from pricing.rules.apigw.shared import TIER_KIND
        engine = "fast" if opts.readings[TIER_KIND.name] == "graduated" else "reference"
    if engine == "reference":
        rec = en.Reconciler(opts)
    else:
        from .fast import FastReconciler
        rec = FastReconciler(opts, "all" if all_lines else "differs")
        columns = rec.columns
    st = make_stamp(files, cat, mp, acc, period_type, rec.engine, opts.readings, hashes=all_lines)
    col = Collect() if collect else None
    tx = TextSink() if text else None
    js = JsonSink(json_out, st) if json_out is not None else None
    ht = HtmlSink() if html_dir is not None else None
    prog, advance = _progress(files) if progress else (None, None)
    try:
        if prog:
            prog.start()
        chunks = read_chunks(files, mp.columns, chunk_lines, columns)
        summary = en.run(prefetch(chunks) if columns is not None else chunks, rec, Tee(col, tx, js, ht), advance)
    finally:
        if prog:
            prog.stop()
    if not summary["totals"]["lines"]:
        raise BillFileError(", ".join(str(f) for f in files), "",
                            "no bill lines; expected at least one line of a DescribeBillDetail page or a console CSV export")
    summary["stamp"] = st
    summary["checked"] = getattr(rec, "checked", None)
    summary["fallbacks"] = getattr(rec, "fallbacks", None)
    if js is not None:
        js.close(summary)
    if col is not None:
        summary["lines"] = sorted(col.lines, key=lambda r: r["seq"])
    if tx is not None:
        from .output import text as render_text
        summary["text"] = render_text(summary, tx)
    if ht is not None:
        from .output import html
        ht.rows.sort(key=lambda r: r["seq"])
        summary["html"] = str(html(summary, st, ht, Path(html_dir)))
    return summary
