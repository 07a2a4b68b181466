"""The ``pricing`` command.

Every command answers bad input (a catalog that does not load, an unknown section, a malformed
date) with one line on stderr, ``Error: <file>: <key>: <problem>``, and exit status 2; never a
traceback.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from pricing.spec import nbtools
from pricing.spec.labels import FAILING, STATUS_LABEL, STATUSES, plural, totals_line
from pricing.engine.catalog import load
from pricing.engine.errors import PricingError


class OneLineError(click.ClickException):
    """A refused input: one line on stderr, exit status 2."""
    exit_code = 2

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class Group(click.Group):
    """Turns every PricingError (and an unreadable file) raised by any command into one line, and
    click's own usage errors (a bad option value, a missing argument) too: no usage block, no traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help() if e.ctx is not None else e.format_message())
            sys.exit(0)
        except click.UsageError as e:
            where = e.ctx.command_path if e.ctx is not None else "pricing"
            text = " ".join(e.format_message().split())
            click.echo(f"Error: {where}: {text} (see {where} --help)", err=True)
            sys.exit(2)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except (click.Abort, EOFError):
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PricingError as e:
            raise OneLineError(str(e)) from None
        except OSError as e:
            raise OneLineError(f"{e.filename or ''}: {e.strerror or e}".lstrip(": ")) from None


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pricing-spec")
def main():
    """Executable specification of the Tencent Cloud API Gateway and CloudBase billing guides.

    Prices live in the catalog (pricing/catalog/*.toml); rules live in the package; the
    notebooks in notebooks/ restate each section of the guides and reproduce their figures.
    """


def _catalog_option(f):
    return click.option("--catalog", "catalog", type=click.Path(path_type=Path), default=None,
                        help="A catalog file or folder of catalog files (default: the shipped catalog).")(f)


def _as_of_option(f):
    return click.option("--as-of", "as_of", default=None, metavar="DATE",
                        help="The moment the notebooks' current-price tables and prose are read at (a date or "
                             "date-time, Beijing time). Default: the catalog's latest change (its newest effective "
                             "date or section revision). Worked examples are always priced as of their own dates.")(f)


def _cache_option(f):
    return click.option("--no-cache", "no_cache", is_flag=True,
                        help="Execute every notebook, ignoring the cache of executed notebooks (.pricing-cache/).")(f)


def _jobs_option(f):
    return click.option("--jobs", "-j", type=click.IntRange(1, 64), default=(os.cpu_count() or 1) + 1, show_default=True,
                        help="Notebooks executed in parallel (default: one per core, plus one to use the time "
                             "kernels spend starting up).")(f)


def _notebooks_option(f):
    return click.option("--notebooks", "notebooks", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        default=None, help="Folder of notebook sources (default: the repository's notebooks/).")(f)


def _only_option(help: str):
    def deco(f):
        return click.option("--only", "only", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                            help=help)(f)
    return deco


def _out_option(f):
    return click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("build"),
                        show_default=True,
                        help="Output folder for executed notebooks, HTML pages and the report.")(f)


@main.command()
@_catalog_option
@_as_of_option
@_out_option
@_jobs_option
@_notebooks_option
@_only_option("Build only these notebook sources (.py or .ipynb); repeatable. The report still lists every example.")
@_cache_option
def build(catalog: Path | None, as_of: str | None, out: Path, jobs: int, notebooks: Path | None,
          only: tuple[Path, ...], no_cache: bool):
    """Execute every notebook against a catalog, render HTML, write the auditor's report.

    Writes OUT/index.html, OUT/report.html (+ report.json), OUT/register.html, the executed
    notebooks and their HTML pages. Exits non-zero if, under the shipped catalog, a figure the
    guides print is no longer reproduced, if a known discrepancy unexpectedly matches, or if a
    notebook fails. Under another catalog it also writes what moved against the shipped one
    (OUT/diff.txt, diff.json, moved.json). Notebooks whose inputs did not change are taken from
    the cache instead of being executed again.
    """
    from .build import build as do_build
    sys.exit(do_build(catalog, out, jobs, notebooks, [p.resolve().with_suffix(".py") for p in only] or None, as_of,
                      not no_cache))


@main.command()
@_catalog_option
@_as_of_option
@_jobs_option
@_notebooks_option
@_only_option("Refresh only these notebook sources (.py or .ipynb); repeatable.")
@_cache_option
def refresh(catalog: Path | None, as_of: str | None, jobs: int, notebooks: Path | None, only: tuple[Path, ...],
            no_cache: bool):
    """Re-execute the committed notebooks in place, all or nothing, stripped of run metadata.

    If any notebook fails, none is overwritten, and the failing notebook and cell are named; a
    refresh killed half-way is finished or undone by the next command. The committed notebooks
    keep the shipped parameters (the shipped catalog, as of its latest change): --catalog and
    --as-of are refused for notebooks git tracks (use `pricing build --catalog X --as-of D`) and
    are written into the parameters cells of an untracked copy (--notebooks DIR).
    """
    from .build import refresh as do_refresh
    sys.exit(do_refresh(catalog, jobs, [p.resolve().with_suffix(".py") for p in only] or None, notebooks, as_of,
                        not no_cache))


@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--exit-code", "exit_code", is_flag=True, help="Exit 1 when anything changed (as git diff --exit-code).")
def diff(old: str | None, new: str | None, as_json: bool, exit_code: bool):
    """What changes between two catalogs: entries, worked examples, register readings.

    OLD and NEW are catalog files or folders, or git:REV for the shipped catalog as committed at
    REV. Defaults: OLD = git:HEAD, NEW = the shipped catalog as it is now, so that after editing
    pricing/catalog/*.toml a bare `pricing diff` says what the edit does.
    """
    from pricing.spec import diff as diffmod
    d = diffmod.run(old if old is not None else "git:HEAD", new)
    if as_json:
        click.echo(json.dumps(d, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        click.echo(diffmod.text(d), nl=False)
    changed = d["entries"] or d["sections"] or d["examples"] or d["readings"]
    sys.exit(1 if exit_code and changed else 0)


@main.command()
@_catalog_option
@_as_of_option
@_out_option
@_jobs_option
@_notebooks_option
@click.option("--since", default="HEAD", show_default=True, help="Git revision whose catalog the changes are counted from.")
@_cache_option
def update(catalog: Path | None, as_of: str | None, out: Path, jobs: int, notebooks: Path | None, since: str,
           no_cache: bool):
    """After a price change: refresh the notebooks, say what changed, write the report.

    One command for the maintainer: re-executes the committed notebooks in place (as `refresh`),
    prints what changed against the catalog at git revision --since (as `diff`, also written to
    OUT/diff.txt and diff.json), and writes the auditor's report from the refreshed notebooks
    (as `build`, without running them twice). Exits non-zero as `build` does.
    """
    from .build import update as do_update
    sys.exit(do_update(catalog, out, jobs, since, notebooks, as_of, not no_cache))


def check_section(cat, section: str | None) -> None:
    """An unknown --section is an error that lists the sections (and the two documents)."""
    if section is None:
        return
    keys = set(cat.sections)
    docs = {k.split(".")[0] for k in keys}
    if section in keys or section in docs or any(k.startswith(section + ".") for k in keys):
        return
    from pricing.engine.errors import InputError
    raise InputError("--section", section, ", ".join(sorted(docs | keys)))


@main.command()
@_catalog_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--section", default=None, help="Only this section (e.g. apigw.shared) or document (apigw, cloudbase).")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Show only examples with this status; repeatable. The totals still count every example checked.")
def examples(catalog: Path | None, as_json: bool, section: str | None, statuses: tuple[str, ...]):
    """Check every worked example of the guides against the package.

    One line per example: status, id, the figure the guide prints, ours, and for an error or a
    known discrepancy the reason. Ends with the totals per status. Exits 1 when an example
    differs, errs or unexpectedly matches.
    """
    from pricing.spec import examples as ex
    cat = load(catalog)
    check_section(cat, section)
    runs = [ex.run_example(e, cat) for e in ex.examples(section)]
    shown = [r for r in runs if not statuses or r.status in statuses]
    counts = {s: sum(r.status == s for r in runs) for s in STATUSES}
    if as_json:
        click.echo(json.dumps([{"id": r.example.id, "section": r.example.section, "printed": r.example.printed,
                                "computed": r.computed_text, "status": r.status, "error": r.error,
                                "expected": r.example.expected, "discrepancies": list(r.example.discrepancies)}
                               for r in shown], ensure_ascii=False, indent=2))
    else:
        width = max((len(r.example.id) for r in shown), default=0)
        for r in shown:
            line = (f"{STATUS_LABEL[r.status]:20} {r.example.id:{width}}  printed {r.example.printed:>14}  "
                    f"computed {r.computed_text}")
            if r.error:
                line += f"  — {r.error}"
            elif r.status == "known":
                line += f"  — known discrepancy {', '.join(r.example.discrepancies)} (expected {r.example.expected})"
            elif r.status == "unexpected":
                line += (f"  — recorded as a known discrepancy (expected {r.example.expected}) but now matches the guide:"
                         f" remove `expected` in spec_examples/{r.example.file}")
            click.echo(line.rstrip())
        tail = totals_line(counts)
        if statuses:
            tail += f" (showing {plural(len(shown), 'example')} with status {' or '.join(statuses)})"
        click.echo(tail)
    sys.exit(1 if any(r.status in FAILING for r in runs) else 0)


@main.command()
@_catalog_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output: every field of every entry.")
@click.option("--id", "ids", multiple=True, help="Only this entry (repeatable); an id merged into another finds that one.")
@click.option("--section", default=None, help="Only entries of this section or that name it among theirs (e.g. apigw.shared).")
@click.option("--severity", "severities", multiple=True, type=click.Choice(["high", "medium", "low"]),
              help="Only entries of this severity (repeatable).")
@click.option("--top", type=click.IntRange(1, None), default=None, help="Only the first N entries of the ranking.")
def register(catalog: Path | None, as_json: bool, ids: tuple[str, ...], section: str | None,
             severities: tuple[str, ...], top: int | None):
    """The discrepancy register, most serious first: severity (high, medium, low), then the money spread
    between the readings (largest first), then the id. Each reading is recomputed under the catalog."""
    from pricing.spec import examples as ex
    # a catalog that does not load is a PricingError: the command group turns it into one line, exit 2
    cat = load(catalog)
    entries = ex.discrepancies(catalog=cat)
    known = {d.id for d in entries}
    wanted = {ex.resolve_id(i) for i in ids}
    unknown = sorted(i for i in wanted if i not in known)
    if unknown:
        raise OneLineError(f"--id: got {unknown[0]!r}; allowed: a register id (pricing register lists them)")
    if section and not any(d.section == section or section in d.also for d in entries) and section not in cat.sections:
        raise OneLineError(f"--section: got {section!r}; allowed: " + ", ".join(sorted(cat.sections)))
    chosen = [d for d in ex.ranked(entries)
              if (not wanted or d.id in wanted)
              and (not section or d.section == section or d.section.startswith(section + ".") or section in d.also)
              and (not severities or d.severity in severities)]
    if top:
        chosen = chosen[:top]
    out = [ex.register_record(d, cat) for d in chosen]
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for i in ids:
        if ex.resolve_id(i) != i:
            click.echo(f"{i} was merged into {ex.resolve_id(i)} (the same question): showing that entry")
    for rank, d in enumerate(out, 1):
        sp = d["spread"]
        money = "no money" if sp["cny"] == "0" else ("not computable" if sp["cny"] == "n/a" else f"{sp['cny']} CNY")
        click.echo(f"{rank:>2}. [{d['severity']}] {d['id']}  spread {money}  ({d['section']})")
        click.echo(f"    {d['title']}")
        click.echo(f"    scenario: {d['scenario']}")
        for r in d["readings"]:
            mark = "*" if r["name"] == d["default"] else " "
            stale = "" if r["still_recorded"] else f"  (recorded {r['recorded']})"
            click.echo(f"    {mark} {r['name']:28} {r['gives']}{(' ' + r['unit']) if r['unit'] else ''}{stale}")
        pol = f"policy {d['policy']}, " if d["policy"] else ""
        click.echo(f"    default {d['default']} ({pol}confidence {d['confidence']}); "
                   + "; ".join(f"{l['file'][:3]}:{','.join(f'{a}-{b}' for a, b in l['ranges'])}" for l in d["lines"]))
        click.echo("")


@main.command("check-sync")
@_notebooks_option
def check_sync(notebooks: Path | None):
    """Check that every notebook matches its jupytext source and keeps the shipped parameters cell.

    Says what it checked ("20 notebooks match their sources"); otherwise lists each difference,
    including a parameters cell that points at another catalog or as-of date, and exits 1.
    """
    from pricing.spec import journal
    root = notebooks or nbtools.NOTEBOOKS
    journal.recover(root)
    srcs = nbtools.sources(root)
    problems, bad = [], 0
    for py in srcs:
        nb = py.with_suffix(".ipynb")
        mine = [f"{nb}: missing (run `pricing refresh --only {py}`)"] if not nb.exists() else nbtools.in_sync(py, nb)
        problems += mine
        bad += bool(mine)
    for p in problems:
        click.echo(p, err=True)
    if not srcs:
        click.echo(f"no notebook sources under {root}", err=True)
        sys.exit(1)
    if bad:
        click.echo(f"{bad} of {plural(len(srcs), 'notebook')} differ from their sources or parameters", err=True)
        sys.exit(1)
    n = len(srcs)
    click.echo(f"{plural(n, 'notebook')} {'matches its source' if n == 1 else 'match their sources'} "
               "(cells, tags, the shipped parameters cell)")
    sys.exit(0)


from .calc_cli import calc_command  # noqa: E402  (registered below)

main.add_command(calc_command)

from .cli_reconcile import reconcile, sample_bill  # noqa: E402  (registered below)

main.add_command(reconcile)
main.add_command(sample_bill)

if __name__ == "__main__":
    main()
