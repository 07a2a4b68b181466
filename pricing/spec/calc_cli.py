"""``pricing calc``: run one calculation of the spec on your own inputs.

The same entry point the notebooks and the worked examples use
(:func:`pricing.engine.calcs.run_calc`): inputs are parsed and validated against the
calculation's declared inputs, the catalog is read as of the calculation's moment, and the
result is printed with its derivation, its outputs, the readings (policies) it used and the
catalog versions it read.
"""
from __future__ import annotations

import difflib
import json
import sys
import tomllib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from pricing.engine import calcs
from pricing.engine.catalog import ORIGIN, load
from pricing.engine.errors import InputError, PricingError
from pricing.engine.policies import POLICIES
from pricing.engine.results import Result, show


def _now_beijing() -> datetime:
    return datetime.now(timezone(timedelta(hours=8))).replace(tzinfo=None, microsecond=0)


def _plain(v: Any) -> Any:
    """JSON form at full precision: Decimals as exact strings, instants as ISO text."""
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        items = [_plain(x) for x in v]
        return sorted(items, key=str) if isinstance(v, (set, frozenset)) else items
    if isinstance(v, (str, int, bool)) or v is None:
        return v
    return show(v)


def _effective(d: datetime) -> str:
    return "origin" if d == ORIGIN else d.isoformat(sep=" ")


def parse_assignments(pairs: tuple[str, ...], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in pairs:
        if "=" not in p:
            raise InputError(what, p, "NAME=VALUE")
        k, v = p.split("=", 1)
        k = k.strip()
        if not k:
            raise InputError(what, p, "NAME=VALUE with a name")
        if k in out:
            raise InputError(k, v, f"one value (given twice: {out[k]!r} and {v!r})")
        out[k] = v
    return out


def read_scenario(path: Path) -> tuple[dict, dict, str | None]:
    """A scenario file: TOML or JSON with ``inputs`` (a table), optional ``policies`` and ``as_of``;
    a flat table is taken as the inputs."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("--file", str(path), "a UTF-8 text file") from None
    except OSError as e:
        raise InputError("--file", str(path), f"a readable file ({e.strerror})") from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise InputError("--file", str(path), f"valid {'JSON' if path.suffix.lower() == '.json' else 'TOML'} "
                                               f"({str(e).splitlines()[0]})") from None
    if not isinstance(data, dict) or not data:
        raise InputError("--file", str(path), "a table with inputs (and optionally policies, as_of); this file has none")
    if "inputs" in data or "policies" in data:
        extra = set(data) - {"inputs", "policies", "as_of", "calc"}
        if extra:
            raise InputError(f"--file {sorted(extra)[0]}", str(path), "keys inputs, policies, as_of, calc")
        inputs, pols, as_of = data.get("inputs", {}), data.get("policies", {}), data.get("as_of")
    else:
        inputs, pols, as_of = data, {}, None
    for name, v in [*inputs.items(), *pols.items()]:
        if isinstance(v, float):
            raise InputError(name, v, f"a string such as \"{v}\" (numbers are read as text, never as floats)")
    return ({k: v if isinstance(v, (str, list, dict, bool)) else str(v) for k, v in inputs.items()},
            {k: str(v) for k, v in pols.items()}, None if as_of is None else str(as_of))


def check_policies(c: calcs.Calc, pols: dict) -> None:
    declared = {p.name: p for p in c.policies}
    for name, choice in pols.items():
        if name not in POLICIES:
            raise InputError("--policy", name, "a policy this calculation reads: " + (", ".join(declared) or "(none)"))
        if declared and name not in declared:
            raise InputError("--policy", name, f"a policy {c.id} reads: " + ", ".join(declared))
        if choice not in POLICIES[name].choices:
            raise InputError(f"--policy {name}", choice, " | ".join(POLICIES[name].choices))


def lookup(calc_id: str) -> calcs.Calc:
    if calc_id not in calcs.CALCS:
        near = difflib.get_close_matches(calc_id, list(calcs.CALCS), n=3, cutoff=0.5)
        raise InputError("calculation", calc_id, ("one of: " + ", ".join(near) + "; " if near else "")
                         + "see `pricing calc --list`")
    return calcs.CALCS[calc_id]


def result_json(c: calcs.Calc, res: Result, inputs: dict, given: dict) -> dict:
    steps = []
    for i, s in enumerate(res.steps, 1):
        raw = getattr(s, "raw", None)
        steps.append({"n": i, "label": s.label, "value": _plain(raw) if raw is not None else s.value, "note": s.note})
    return {
        "calc": c.id, "title": c.title, "as_of": res.as_of.isoformat() if res.as_of else None,
        # the input that dated the catalog view when it was given (or defaulted), else --as-of (default: now)
        "dated_by": c.moment if c.moment and c.moment != "as_of" and inputs.get(c.moment) is not None else "--as-of",
        "inputs": {k: _plain(v) for k, v in inputs.items()},
        "defaults_used": sorted(k for k in inputs if k not in given),
        "steps": steps,
        "outputs": {k: _plain(v) for k, v in sorted(res.outputs.items())},
        "policies": [{"name": k, "reading": v, "default": POLICIES[k].default if k in POLICIES else None,
                      "is_default": POLICIES[k].default == v if k in POLICIES else None}
                     for k, v in sorted(res.policies.items())],
        "catalog": [{"id": k, "effective": [_effective(d) for d in v]} for k, v in sorted(res.catalog_reads.items())],
    }


def _scalar(v: Any) -> bool:
    return not isinstance(v, (list, tuple, dict, set, frozenset))


def render_text(data: dict, markdown: bool = False) -> str:
    out = []
    if markdown:
        out += [f"### `{data['calc']}` — {data['title']}", "", f"Priced as of **{data['as_of']}** (Beijing time).", ""]
        out += ["| input | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in data["inputs"].items()] + [""]
        out += ["| # | step | value | note |", "|---|---|---|---|"]
        out += [f"| {s['n']} | {s['label']} | {s['value']} | {s['note']} |" for s in data["steps"]] + [""]
        out += ["| output | value |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in data["outputs"].items() if _scalar(v)] + [""]
        if data["policies"]:
            out += ["Readings used: " + ", ".join(f"`{p['name']}` = `{p['reading']}`"
                                                  + ("" if p["is_default"] else " (not the default)") for p in data["policies"]), ""]
        out += ["Catalog versions read: " + ", ".join(f"`{c['id']}` ({', '.join(c['effective'])})" for c in data["catalog"])]
        return "\n".join(out) + "\n"
    dated = (f"Beijing time, from the {data['dated_by']} input; a rule reads the catalog at the instant it prices, "
             "such as a settlement hour's start: the versions read are listed at the end") if data.get("dated_by", "--as-of") != "--as-of" else "Beijing time"
    out += [f"{data['calc']} — {data['title']}", f"priced as of {data['as_of']} ({dated})", "", "inputs:"]
    w = max((len(k) for k in data["inputs"]), default=0)
    out += [f"  {k:<{w}}  {v}" for k, v in data["inputs"].items()]
    out += ["", "derivation:"]
    for s in data["steps"]:
        note = f"   ({s['note']})" if s["note"] else ""
        out.append(f"  {s['n']:>2}. {s['label']}: {_short(s['value'])}{note}")
    out += ["", "outputs:"]
    ow = max((len(k) for k in data["outputs"]), default=0)
    out += [f"  {k:<{ow}}  {_short(v)}" for k, v in data["outputs"].items() if _scalar(v)]
    if data["policies"]:
        out += ["", "readings used:"]
        out += [f"  {p['name']} = {p['reading']}" + ("" if p["is_default"] else "   (not the default)") for p in data["policies"]]
    out += ["", "catalog versions read:"]
    out += [f"  {c['id']}  ({', '.join(c['effective'])})" for c in data["catalog"]]
    return "\n".join(out) + "\n"


def _short(v: Any) -> str:
    """Sensible precision for text: at most 8 decimals for a plain decimal string."""
    if isinstance(v, str):
        try:
            d = Decimal(v)
        except Exception:
            return v
        if d.is_finite() and d.as_tuple().exponent < -8:
            q = d.quantize(Decimal("1e-8")).normalize()
            return format(q, "f") + " …"
        return v
    return str(v)


def list_calcs(as_json: bool, as_of: datetime) -> str:
    from pricing.rules import load_all
    load_all()
    cat = load()
    view = cat.as_of(as_of)
    items = [calcs.CALCS[k].describe(view) for k in sorted(calcs.CALCS)]
    if as_json:
        return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    out = []
    for c in items:
        out.append(f"{c['id']} — {c['title']}")
        out.append(f"    priced as of: {'input ' + c['moment'] if c['moment'] != 'as_of' else '--as-of (default: now)'}")
        if not c["inputs"]:
            out.append("    inputs: (none)")
        for i in c["inputs"]:
            default = "required" if i["required"] else f"default {i['default']}"
            unit = f" [{i['unit']}]" if i["unit"] else ""
            out.append(f"    {i['name']}{unit}: {i['type']}, {default}; allowed: {i['allowed']}")
            if i["help"]:
                out.append(f"        {i['help']}")
        for p in c["policies"]:
            out.append(f"    policy {p['name']}: {' | '.join(p['choices'])} (default {p['default']})")
    return "\n".join(out) + "\n"


@click.command("calc", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("calc_id", required=False)
@click.argument("assignments", nargs=-1)
@click.option("--list", "list_", is_flag=True, help="List every calculation with its inputs and the policies it reads.")
@click.option("--policy", "policies", multiple=True, metavar="NAME=CHOICE", help="Choose a reading; repeatable.")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Price as of this date or date-time (Beijing time). Default: now. A calculation with a moment "
                   "input (an hour, an order instant) is priced at that moment instead.")
@click.option("--file", "scenario", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A scenario file (.toml or .json): inputs (a table), optionally policies and as_of.")
@click.option("--catalog", "catalog", type=click.Path(path_type=Path), default=None,
              help="A catalog file or folder (default: the shipped catalog).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output at full precision.")
@click.option("--markdown", "as_md", is_flag=True, help="Markdown tables, e.g. for a ticket or a notebook.")
def calc_command(calc_id, assignments, list_, policies, as_of, scenario, catalog, as_json, as_md):
    """Run one calculation of the spec on your own inputs.

    \b
    Examples:
      pricing calc --list
      pricing calc apigw.shared.call_fee calls=100000001 --json
      pricing calc apigw.shared.month_example calls=500万 response_kb=3 request_kb=1 \\
          --policy apigw.example.gb_rounding=exact
      pricing calc cloudbase.pricelist.plan_price --file case.toml

    Inputs are NAME=VALUE; numbers are written with a point and no commas (0.06, 5000000, 500万),
    moments as ISO date-times in Beijing time (an offset such as +00:00 is converted).
    """
    try:
        cat = load(catalog)  # a bad catalog is named first, whatever else is wrong
        if as_json and as_md:
            raise InputError("--json/--markdown", "both", "one output format")
        now = _now_beijing()
        if list_:
            if calc_id or assignments:
                raise InputError("--list", calc_id, "no calculation id or inputs with --list")
            click.echo(list_calcs(as_json, now), nl=False)
            return
        if not calc_id:
            raise InputError("calculation", None, "an id (see `pricing calc --list`)")
        from pricing.rules import load_all
        load_all()
        c = lookup(calc_id)
        inputs, pols, file_as_of = read_scenario(scenario) if scenario else ({}, {}, None)
        inputs.update(parse_assignments(assignments, "input"))
        pols.update(parse_assignments(policies, "--policy"))
        check_policies(c, pols)
        moment = as_of or file_as_of or now
        res = calcs.run_calc(c.id, cat, inputs, pols, moment)
        parsed = c.parse(inputs, cat.as_of(moment))
        data = result_json(c, res, parsed, inputs)
    except PricingError:
        raise  # the command group prints it as one line ("Error: field: got ...; allowed: ...") and exits 2
    except Exception as e:  # a defect of the spec, not of the input: still one line, never a traceback
        click.echo(f"Error: {calc_id}: internal error {type(e).__name__}: {e} (please report it)", err=True)
        sys.exit(3)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(data, markdown=as_md), nl=False)
