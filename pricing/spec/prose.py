"""Prose from data: the sentences of the notebooks and the register name catalog figures through
placeholders, never by typing them, so that a price change moves the sentence with the figure.

A prose text is a Jinja template rendered against a dated catalog view. Inside it:

- ``{{ v("apigw.egress.price.group_a") }}`` — an entry's value as text: a price or quantity as
  written in the catalog (``0.80``), a duration as ``30 days`` / ``24 hours``, an instant as
  ``2022-03-24 18:00:00``, a text entry as its text.
- ``{{ v("id", at="2022-01-01") }}`` — the value in force at another moment (a worked example's date).
- ``{{ unit("id") }}`` — the entry's unit.
- ``{{ tier("apigw.shared.call_tiers", 0) }}`` — a tier's price; ``tier(id, 0, "up_to")`` its bound.
- ``{{ tiers("id") }}`` — a whole tier table as one phrase (``0.06 up to 10,000,000; ...``).
- ``{{ cell("cloudbase.quotas", "metric", "calls_wan", "standard") }}`` — one cell of a table entry.
- ``{{ column("cloudbase.plans", "plan") }}`` — one column of a table entry, as a list.
- filters: ``|n`` (thousands separators: 10,000,000), ``|wan`` (in 万/亿: 1000万), ``|pct`` (a ratio
  as a percentage: 0.8 → 80%), ``|yuan`` (two decimals), ``|trim`` (no trailing zeros).

Unknown names are errors (``StrictUndefined``), so a typo fails the notebook rather than printing
an empty string. The rendered text is deterministic: no dates of rendering, no dict order.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import jinja2

from pricing.engine.catalog import CatalogView
from pricing.engine.money import BILLED, D, fmt, trim
from pricing.engine.results import show

PROSE_MIME = "application/vnd.pricing-spec.prose+json"


def _text(v: Any) -> str:
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], int):  # a duration (n, unit)
        n, unit = v
        return f"{n} {unit[:-1] if n == 1 else unit}"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S") if v.time() != datetime.min.time() else v.strftime("%Y-%m-%d")
    return show(v)


def thousands(x: Any) -> str:
    """10000000 -> '10,000,000'; 0.5 -> '0.5' (a display format for prose only; inputs refuse commas)."""
    d = D(x) if not isinstance(x, Decimal) else x
    whole, _, frac = format(d.normalize() if d == d.to_integral_value() else d, "f").partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ",".join(groups or ["0"]) + (f".{frac}" if frac else "")


def wan(x: Any) -> str:
    """A count in the guides' units: 10000000 -> '1000万', 100000000 -> '1亿', 5000 -> '5000'."""
    d = D(x) if not isinstance(x, Decimal) else x
    if d >= 10 ** 8 and d % 10 ** 8 == 0:
        return f"{trim(d / 10 ** 8)}亿"
    if d >= 10 ** 4 and d % 10 ** 4 == 0:
        return f"{trim(d / 10 ** 4)}万"
    return trim(d)


def pct(x: Any) -> str:
    d = D(x) if not isinstance(x, Decimal) else x
    return f"{trim(d * 100)}%"


def environment(view: CatalogView) -> jinja2.Environment:
    """A Jinja environment whose functions read ``view`` (and other moments through ``at=``)."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)

    def at(moment):
        return view if moment is None else view.at(moment)

    def v(id: str, at_: Any = None, **kw) -> str:
        return _text(at(kw.get("at", at_)).value(id))

    def unit(id: str, **kw) -> str:
        return at(kw.get("at")).entry(id).unit

    def tier(id: str, i: int, field: str = "price", **kw) -> str:
        t = at(kw.get("at")).tiers(id).tiers[i]
        val = getattr(t, field)
        return "open" if val is None else _text(val)

    def tiers(id: str, **kw) -> str:
        ts = at(kw.get("at")).tiers(id)
        parts = []
        for t in ts.tiers:
            bound = "beyond" if t.up_to is None else f"up to {thousands(t.up_to)}"
            parts.append(f"{_text(t.price)} {bound}")
        return "; ".join(parts)

    def rows(id: str, **kw):
        return at(kw.get("at")).rows(id)

    def cell(id: str, key_col: str, key: str, col: str, **kw) -> str:
        for r in at(kw.get("at")).rows(id):
            if r.get(key_col) == key:
                return r[col]
        raise KeyError(f"{id}: no row with {key_col} = {key!r}")

    def column(id: str, col: str, **kw) -> list:
        return [r[col] for r in at(kw.get("at")).rows(id)]

    def dec(id: str, **kw) -> Decimal:
        return at(kw.get("at")).dec(id)

    env.globals.update(v=v, unit=unit, tier=tier, tiers=tiers, rows=rows, cell=cell, column=column, dec=dec,
                       as_of=view.moment.strftime("%Y-%m-%d"))
    env.filters.update(n=thousands, wan=wan, pct=pct, trim=lambda x: trim(D(x) if not isinstance(x, Decimal) else x),
                       yuan=lambda x: fmt(BILLED(D(x) if not isinstance(x, Decimal) else x)))
    return env


def render(template: str, view: CatalogView, **names: Any) -> str:
    """Render one prose template against ``view``; ``names`` adds values (computed figures)."""
    return environment(view).from_string(template).render(**names)


__all__ = ["PROSE_MIME", "render", "environment", "thousands", "wan", "pct", "date"]
