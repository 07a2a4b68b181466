"""Shared API Gateway look-ups: regions and their egress price, data sizes, the ids the inputs
accept (all read from the dated catalog), settlement windows, and the splitting of a span at the
effective dates of the entries it reads."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Callable, Iterable

from pricing.engine.calcs import catalog_column
from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.periods import Window

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


def key_of(text: str) -> str:
    """The id of a catalog row whose label reads '<id> <中文>' (``'call pack 调用次数包'`` → ``'call'``)."""
    return text.split()[0]


def catalog_keys(entry_id: str, column: str) -> Callable[[CatalogView], tuple]:
    """Allowed values: the ids (first words) of one column of a table entry, at the calculation's moment."""
    def values(view: CatalogView) -> tuple:
        return tuple(key_of(r[column]) for r in view.rows(entry_id))
    values.__qualname__ = f"catalog_keys({entry_id!r}, {column!r})"
    return values


REGIONS = catalog_column("apigw.egress.regions", "region")
"""The allowed ``region`` input values: the region ids of the catalog at the calculation's moment."""
EDITIONS = catalog_column("apigw.dedicated.editions", "edition")
"""The dedicated editions in force, in the row order of the editions table."""
ORDER_TYPES = catalog_column("apigw.dedicated.order_types", "type")
"""The order types of a monthly dedicated instance (新购, 续费)."""
PACK_TYPES = catalog_keys("apigw.packs.types", "pack")
PACK_SOURCES = catalog_keys("apigw.packs.sources", "source")
PACK_ORDER_TYPES = catalog_column("apigw.pack_refunds.order_types", "type")


def row_by_key(cat: CatalogView, entry_id: str, column: str, key: str, field: str) -> dict:
    """The row of a table entry whose ``column`` has the id ``key``; unknown ids name the ids in force."""
    rows = cat.rows(entry_id)
    for r in rows:
        if key_of(r[column]) == key:
            return r
    raise InputError(field, key, " | ".join(key_of(r[column]) for r in rows)
                     + f" (in force at {cat.moment:%Y-%m-%d %H:%M:%S})")


def region_group(cat: CatalogView, region: str) -> tuple[str, str]:
    """(price group, Chinese name) of a region id; unknown regions name the ids in force at the view's moment."""
    r = row_by_key(cat, "apigw.egress.regions", "region", region, "region")
    return r["group"], r["zh"]


def egress_price(cat: CatalogView, region: str) -> Decimal:
    group, _ = region_group(cat, region)
    return cat.dec(f"apigw.egress.price.{group}")


def kb_to_gb(cat: CatalogView, kb: object, policies: dict | None = None) -> Decimal:
    """KB to GB: the catalog's declared factor (``apigw.data.factor``) at each step the policy
    ``units.data_base`` reads as binary (UNITS-DATA-BASE)."""
    from pricing.rules.conventions import convert
    return convert(kb, "KB", "GB", policies, cat.dec("apigw.data.factor"))


# time ------------------------------------------------------------------------------------------

def whole_seconds(span: timedelta) -> int:
    """A span in whole seconds, by integer arithmetic (no float on the way)."""
    if span % SECOND:
        raise InputError("moment", str(span), "moments to the whole second (billed time is counted in seconds)")
    return span // SECOND


def settlement_window(cat: CatalogView, at: datetime, entry_id: str = "apigw.settlement.period") -> Window:
    """The settlement window that holds ``at``: windows of the catalog's settlement period (read at
    ``at``), counted from the day's 00:00:00 (one hour: 07:00:00 - 07:59:59 is settled at 08:00:00)."""
    period = cat.at(at).timedelta(entry_id)
    if period <= timedelta(0) or DAY % period:
        raise RuleError(entry_id, f"a settlement period of {period} does not divide a day into whole windows")
    day = datetime.combine(at.date(), time())
    start = day + ((at - day) // period) * period
    return Window(start, start + period)


def settlement_windows(cat: CatalogView, start: datetime, end: datetime,
                       entry_id: str = "apigw.settlement.period") -> list[Window]:
    """The settlement windows that [start, end) touches, each of the period in force when it opens."""
    out, at = [], start
    while at < end:
        w = settlement_window(cat, at, entry_id)
        out.append(w)
        at = w.end
    return out


def split(cat: CatalogView, ids: Iterable[str], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """[start, end) cut at every effective date of ``ids`` strictly inside it: each piece lies
    within one version of every entry it reads, and is priced at its own start."""
    cuts = [start, *cat.changes(list(ids), start, end), end]
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]


def first_in_force(cat: CatalogView, ids: Iterable[str]) -> datetime:
    """The first instant at which every one of ``ids`` has a version (its earliest effective date)."""
    return max(cat.catalog.versions(i)[0].effective for i in ids)
