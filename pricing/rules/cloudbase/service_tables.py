"""The tables of three light CloudBase sections (计费能力项说明, 服务指引, 专家服务说明), and their look-ups.

The capability items, the support boundary, channels and schedules, the expert services and their
delivery modes are tables of the catalog (``pricing/catalog/cloudbase-services.toml``), always read
as in force at a moment; the sections also read the price list's capability table (价格文档) rather
than repeat its figures. An unknown id raises :class:`~pricing.engine.errors.InputError` naming the
field and listing the ids in force then. The rules are in :mod:`.capabilities`, :mod:`.service_guide`
and :mod:`.expert`.
"""
from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import CatalogError, InputError
from pricing.engine.calcs import choice, moment
from pricing.engine.money import D
from .lineup import plan_choices, plan_ids, plan_row

ITEMS = "cloudbase.cap.items"
BOUNDARY = "cloudbase.svc.boundary"
CHANNELS = "cloudbase.svc.channels"
SCHEDULES = "cloudbase.svc.schedules"
SERVICES = "cloudbase.expert.services"
MODES = "cloudbase.expert.modes"
SESSION_DAYS = "cloudbase.expert.training.days"
DEFAULT_CHANNEL = "realtime_group"  # the input default of in_hours: the real-time group's hours

# ---------------------------------------------------------------------------------------------- lookups

YES, NO = True, False


def _row(cat: CatalogView, entry: str, key: str, value: object, field: str) -> dict:
    """The row of table ``entry`` (in force at ``cat.moment``) whose ``key`` is ``value``; an
    :class:`InputError` naming ``field`` lists the values in force at that date otherwise."""
    rows = cat.rows(entry)
    for r in rows:
        if r[key] == value:
            return r
    raise InputError(field, value, f"one in force on {cat.moment:%Y-%m-%d}: " + " | ".join(r[key] for r in rows))


def topics(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["topic"] for r in cat.rows(BOUNDARY))


def channel_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["channel"] for r in cat.rows(CHANNELS))


def services(cat: CatalogView) -> list[str]:
    """The expert services on sale at ``cat.moment``, in the guide's order."""
    return [r["service"] for r in cat.rows(SERVICES)]


def modes(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["mode"] for r in cat.rows(MODES))


def item_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["item"] for r in cat.rows(ITEMS))


# The price list's capability table (owned by 价格文档, cloudbase-pricelist.toml): one row per item,
# one cell per plan, "—" = not offered. These sections read it rather than repeat its figures.
PRICELIST_TABLE = "cloudbase.pricelist.capabilities"
NOT_OFFERED = ("—", "-")


def pricelist_row(cat: CatalogView, item: str) -> dict:
    """The price-list row whose item label starts with ``item`` (its Chinese name, e.g. '数据回档')."""
    for r in cat.rows(PRICELIST_TABLE):
        if r["item"].startswith(item):
            return r
    raise CatalogError(PRICELIST_TABLE, item, "no row with this item in the price list's capability table")


def pricelist_cell(cat: CatalogView, item: str, plan: str) -> str:
    row = pricelist_row(cat, item)
    if plan not in row:
        raise CatalogError(PRICELIST_TABLE, f"{item}.{plan}", "the price list's row has no cell for this plan")
    return row[plan]


def pricelist_min_plan(cat: CatalogView, item: str) -> str:
    """The lowest plan of the lineup in force whose cell in the price-list row ``item`` is not '—'."""
    row = pricelist_row(cat, item)
    for p in plan_ids(cat):
        if row.get(p, NOT_OFFERED[0]) not in NOT_OFFERED:
            return p
    raise CatalogError(PRICELIST_TABLE, item, "no plan offers this item")


def _hm(text: str) -> time:
    h, m = (int(x) for x in text.split(":"))
    return time(23, 59, 59, 999999) if h == 24 else time(h, m)


def _hours_a_day(row: dict) -> Decimal:
    """closes − opens of a schedule row, in hours (24:00 = the end of the day)."""
    o, c = row["opens"], row["closes"]
    return D(int(c[:2]) * 60 + int(c[3:]) - int(o[:2]) * 60 - int(o[3:])) / 60


def _minutes(td: timedelta) -> int:
    """Whole minutes of a span, exactly (no float): seconds are dropped."""
    return (td.days * 86400 + td.seconds) // 60


def _plan_text(cat: CatalogView, plan: str) -> str:
    return f"{plan} ({plan_row(cat, plan)['zh']})"



PLAN = choice("plan", plan_choices, help="a plan of the lineup in force at the moment")
AT = moment("at", None, "the moment asked about (default: the as-of date)")
