"""``pricing reconcile``: check a Tencent Cloud bill export line by line against the spec's rules.

Registered on the ``pricing`` group by one line in :mod:`pricing.spec.cli`."""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from pricing.engine.errors import PricingError


class BadInput(click.ClickException):
    exit_code = 2


@click.command("reconcile")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--catalog", "catalog", type=click.Path(exists=True, path_type=Path), default=None,
              help="A catalog file or folder (default: the shipped catalog).")
@click.option("--account", "account", type=click.Path(path_type=Path), default=None,
              help="Account facts (TOML): each resource's free quota and resource packs, so that deductions are verified. "
                   "Without it, deductions are taken as billed.")
@click.option("--period-type", "period_type", type=click.Choice(["byUsedTime", "byPayTime"]), default="byUsedTime",
              show_default=True, help="Attribute lines to months by use time or by debit time (as the export was made).")
@click.option("--json", "as_json", is_flag=True, help="Write the JSON document (every line) to stdout.")
@click.option("--html", "html_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write DIR/reconcile.html in the report's style.")
@click.option("--engine", type=click.Choice(["auto", "fast", "reference"]), default="auto", show_default=True,
              help="fast: vectorised integers (checked against the reference on a sample); reference: Decimal, line by line.")
@click.option("--mapping", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Another mapping table (default: pricing/spec/reconcile/mapping.toml).")
@click.option("--policy", "policies", multiple=True, metavar="NAME=CHOICE",
              help="Reconcile under another reading of a policy (repeatable), e.g. apigw.dedicated.payg.unit_price=exact-product.")
@click.option("--progress/--no-progress", default=None, help="A progress bar on stderr (default: when stderr is a terminal).")
def reconcile(files, catalog, account, period_type, as_json, html_dir, engine, mapping, policies, progress):
    """Reconcile bill exports (DescribeBillDetail JSON pages or the console's CSV) line by line.

    Each line is mapped to the rule of the guides that prices it, recomputed from the usage on it
    under the catalog in force at the line's start, and given a status: match, differs, or not
    covered (a product the guides do not price). The Billing API's relations are checked on every
    line, and each month's debit against its lines and the precision line (月度计费精度差异).
    Exits 1 when a line or a month differs, 2 for a file that cannot be read.
    """
    if as_json and html_dir:
        raise click.UsageError("--json and --html are exclusive: choose one")
    from pricing.spec.reconcile.api import reconcile as run
    show = progress if progress is not None else sys.stderr.isatty()
    chosen = {}
    for p in policies:
        name, sep, choice = p.partition("=")
        if not sep or not name or not choice:
            raise BadInput(f"--policy: got {p!r}; allowed: NAME=CHOICE, e.g. billing.debit_rounding=per-bill-fen")
        chosen[name.strip()] = choice.strip()
    try:
        out = run(list(files), catalog, account, period_type, engine, mapping, policies=chosen,
                  json_out=sys.stdout if as_json else None, html_dir=html_dir, text=not as_json, progress=show)
    except PricingError as e:
        raise BadInput(str(e).splitlines()[0])
    if not as_json:
        click.echo(out["text"], nl=False)
        if html_dir:
            click.echo(f"wrote {out['html']}")
    t = out["totals"]
    sys.exit(1 if t["differs"] or t["months_differ"] else 0)


@click.command("sample-bill")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--start", default="2026-10", show_default=True, metavar="YYYY-MM",
              help="The first bill month (the fictional account opens on 2026-10-10; the months billed run from 2026-10 "
                   "to 2099-11 at the latest: a bill ends before 2100-01-01).")
@click.option("--months", type=click.IntRange(1, 12), default=1, show_default=True, help="How many bill months.")
@click.option("--error", "errors", multiple=True, metavar="KIND",
              help="Inject one wrong line of this kind (repeatable): wrong-tier, missed-free-quota, "
                   "pack-outside-window, rounding-slip, missed-plan-quota.")
@click.option("--catalog", "catalog", type=click.Path(exists=True, path_type=Path), default=None,
              help="A catalog file or folder to bill from (default: the shipped catalog).")
def sample_bill(out, start, months, errors, catalog):
    """Write a fictional account's bill export to OUT, to try `pricing reconcile` on.

    The account has an API Gateway service (free quota, a call pack), a dedicated instance, a
    CloudBase environment on a monthly plan with packs, and a CVM instance the guides do not price.
    Its lines are billed by the spec's own rules: OUT/bill-YYYY-MM.json (DescribeBillDetail pages),
    OUT/bill-YYYY-MM.csv (the console's export) and OUT/account.toml (its free quota and packs).

    \b
    Example:
      pricing sample-bill /tmp/bill --error wrong-tier
      pricing reconcile /tmp/bill/bill-2026-10.csv --account /tmp/bill/account.toml
    """
    import re
    from dateutil.relativedelta import relativedelta
    from pricing.engine.catalog import load
    from pricing.engine.periods import MAX_MOMENT
    from pricing.spec.labels import plural
    from pricing.spec.reconcile import generate as gen
    last = MAX_MOMENT - relativedelta(months=2)  # the last month whose end (the next month's start) is before MAX_MOMENT
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", start) or start < "2026-10":
        raise BadInput(f"--start: got {start!r}; allowed: a month YYYY-MM from 2026-10 on (the account opens on 2026-10-10)")
    first = datetime.strptime(start, "%Y-%m")
    if first + relativedelta(months=months) >= MAX_MOMENT:
        end = first + relativedelta(months=months - 1)
        raise BadInput(f"--start/--months: got {start} for {plural(months, 'month')} (to {end:%Y-%m}); allowed: "
                       f"bill months from 2026-10 to {last:%Y-%m} (the bill's end, the first instant after its last month, "
                       f"must be before {MAX_MOMENT:%Y-%m-%d})")
    offered = [e for e in gen.ERRORS if e != "old-price"]   # old-price needs a catalog with a dated change
    for e in errors:
        if e not in offered:
            raise BadInput(f"--error: got {e!r}; allowed: {', '.join(offered)}")
    try:
        bill = gen.generate(load(catalog), start=start, months=months, errors=tuple(errors))
        files = gen.write(bill, out)
    except PricingError as e:
        raise BadInput(str(e).splitlines()[0])
    except OSError as e:
        raise BadInput(f"OUT: cannot write {out}: {e.strerror}")
    for month, paths in files.items():
        click.echo(f"{month}: " + ", ".join(str(p) for p in paths))
    click.echo(f"account: {out / 'account.toml'}")
