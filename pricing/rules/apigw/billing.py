"""The shared-instance billing engine: hourly usage in, a ledger out.

Each usage record (one settlement hour, one region, one metric) is deducted through the pools in
the order the guide gives (free quota > resource packs > pay-as-you-go, 免费额度 > 资源包 > 按量计费);
what no pool covers is priced: calls on the graduated tiers at the month's cumulative position,
egress at the region's price. Each hourly bill is rounded to the fen (policy below).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, drawdown, make_pool
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc, choice, count, moment, whole
from pricing.engine.money import BILLED, ZERO
from pricing.engine.periods import Window, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import parse_count
from .common import REGIONS, egress_price, region_group, row_by_key, settlement_window
from .free_quota import BOUNDARY as FREE_BOUNDARY, END as FREE_END, PERIOD as FREE_PERIOD
from .shared import TIER_POSITION

TIER_MONTH = policy(
    "apigw.tier.month",
    "Over which month does the cumulative count N of the tier table run?",
    {"calendar-month": "the natural month of the bill (月累计 read as the calendar month)",
     "free-quota-period": "the same 30-day / non-natural month as the free quota (当月 read as that period)"},
    "calendar-month", "APIGW-TIER-MONTH")

ROUNDING_POINT = policy(
    "apigw.rounding.point",
    "Where is the fee rounded to the fen: on each hourly bill, or once on the month?",
    {"hourly-bill": "each hourly bill is rounded to the fen, then the month sums the bills",
     "month": "the month's exact fee is rounded once"},
    "hourly-bill", "APIGW-ROUNDING-POINT")

METRICS = {"calls", "egress_gb"}


@dataclass(frozen=True)
class Usage:
    at: datetime
    region: str
    metric: str
    quantity: Decimal
    websocket: bool = False


def usage(at, region: str, metric: str, quantity, websocket: bool = False) -> Usage:
    if metric not in METRICS:
        raise InputError("metric", metric, " or ".join(sorted(METRICS)))
    return Usage(as_datetime(at, "at"), region, metric, parse_count(quantity, "quantity"), websocket)


def pack(cat: CatalogView, id: str, metric: str, amount, start, source: str = "self-service") -> Pool:
    """A resource pack obtained at ``start`` from ``source``: valid ``apigw.packs.validity`` from then,
    all regions, deducted in its source's order (``apigw.packs.sources``: after the free quota). The
    validity and the order are read at the purchase instant."""
    at = as_datetime(start, f"pack {id}.start")
    view = cat.at(at)
    row = row_by_key(view, "apigw.packs.sources", "source", source, "source")
    return make_pool(id, row["pool"], metric, parse_count(amount, f"pack {id}.amount"), int(row["priority"]),
                     Window(at, at + view.timedelta("apigw.packs.validity")), None, source)


def bill(cat: CatalogView, records: list[Usage], pools: list[Pool], policies: dict | None = None,
         period_of=None) -> Result:
    """Bill usage records in time order. Each record is priced at its own instant (``cat.at(u.at)``),
    so a month that spans a price change splits at the change. ``period_of(at)`` gives the
    free-quota period key when the tier month follows the free-quota period."""
    month_reading = choose(policies, TIER_MONTH)
    rounding = choose(policies, ROUNDING_POINT)
    res = Result({}, policies={TIER_MONTH.name: month_reading, ROUNDING_POINT.name: rounding,
                               TIER_POSITION.name: choose(policies, TIER_POSITION)})
    cum_all, cum_billed = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    fees = {"calls": ZERO, "egress_gb": ZERO}
    covered = defaultdict(lambda: ZERO)
    hourly = defaultdict(lambda: ZERO)
    for u in sorted(records, key=lambda r: (r.at, r.region, r.metric)):
        view = cat.at(u.at)
        region_group(view, u.region)  # validates the region
        if u.metric == "calls" and u.websocket:
            res.step(f"{u.at:%Y-%m-%d %H:00} {u.region} calls {u.quantity}", "0", "WebSocket backend: no call fee")
            continue
        led = drawdown(u.metric, u.quantity, u.at, pools, u.region)
        pools = list(led.pools_after)
        for line in led.lines:
            covered[line.pool] += line.covered
            res.step(f"{u.at:%Y-%m-%d %H:00} {u.region} {u.metric}: pool {line.pool}", line.covered,
                     f"{line.kind}; {line.before} → {line.after} left")
        if u.metric == "calls":
            key = (u.at.year, u.at.month) if month_reading == "calendar-month" else (period_of(u.at) if period_of else None)
            # under 'all-calls' the covered calls of this hour come first and move N too
            pos = cum_all[key] + led.covered if choose(policies, TIER_POSITION) == "all-calls" else cum_billed[key]
            charge = view.tiers("apigw.shared.call_tiers").rate(led.uncovered, pos)
            fee = charge.amount
            for s in charge.slices:
                res.step(f"{u.at:%Y-%m-%d %H:00} {u.region} calls billed: {s.label}", s.amount,
                         f"calls {s.start + 1}..{s.end} × {s.price} / {charge.unit}")
            cum_all[key] += u.quantity
            cum_billed[key] += led.uncovered
        else:
            price = egress_price(view, u.region)
            fee = led.uncovered * price
            if led.uncovered:
                res.step(f"{u.at:%Y-%m-%d %H:00} {u.region} egress billed", fee, f"{led.uncovered} GB × {price}")
        hourly[settlement_window(view, u.at).start] += fee
        fees[u.metric] += BILLED(fee) if rounding == "hourly-bill" else fee
    total = sum(fees.values(), ZERO)
    if rounding == "hourly-bill":
        total = sum((BILLED(v) for v in hourly.values()), ZERO)
    res.step("call fee", BILLED(fees["calls"]))
    res.step("egress fee", BILLED(fees["egress_gb"]))
    res.step("total billed", BILLED(total))
    res.outputs.update(call_fee=BILLED(fees["calls"]), egress_fee=BILLED(fees["egress_gb"]), total=BILLED(total),
                       covered=dict(covered), pools_after=pools, hours=len(hourly))
    return res


@calc("apigw.shared.hourly_vs_monthly", "The same calls spread evenly over many hourly bills",
      [whole("hours", "hours", minimum=1, maximum=24 * 366, help="how many consecutive hourly bills"),
       count("calls_per_hour", "calls", help="calls in each hour"),
       moment("start", "2021-03-01T00:00:00", "the first hour; each hour is priced at its own instant"),
       choice("region", REGIONS, "guangzhou", "the region of the calls")],
      moment="start", policies=[ROUNDING_POINT, TIER_MONTH, TIER_POSITION])
def _hourly_vs_monthly(cat, inputs, policies):
    """The same calls spread evenly over many hourly bills: where the rounding point sits matters."""
    hours = inputs["hours"]
    per_hour = inputs["calls_per_hour"]
    start = inputs["start"]
    from datetime import timedelta
    recs = [usage(start + timedelta(hours=h), inputs["region"], "calls", per_hour) for h in range(hours)]
    r = bill(cat, recs, [], policies)
    res = Result({"fee": r.outputs["call_fee"], "calls": per_hour * hours}, policies=r.policies)
    res.step("calls", per_hour * hours, f"{hours} hourly bills × {per_hour}")
    one = cat.at(start).tiers("apigw.shared.call_tiers").rate(per_hour).amount
    res.step("one hourly bill, exact", one)
    res.step("one hourly bill, rounded to the fen", BILLED(one))
    res.step("month's call fee", r.outputs["call_fee"], f"rounding point: {r.policies[ROUNDING_POINT.name]}")
    return res


@calc("apigw.shared.first_year_period", "Calls in one first-year free-quota period: the free pack covers the first million",
      [moment("activated", "2021-01-01T00:00:00", "when the service was activated"),
       count("calls", "calls", help="calls made in one settlement hour of the period"),
       moment("at", None, "when the calls are made (default: the activation instant); they are priced then"),
       choice("region", REGIONS, "guangzhou", "the region of the calls")],
      moment="at", policies=[ROUNDING_POINT, TIER_MONTH, TIER_POSITION, FREE_PERIOD, FREE_BOUNDARY, FREE_END])
def _first_year_period(cat, inputs, policies):
    """Calls in one first-year free-quota period: the period's free pack covers the first calls."""
    from .free_quota import free_pools
    act = inputs["activated"]
    calls = inputs["calls"]
    at = inputs["at"] or act
    pools = [p for p in free_pools(cat, act, policies) if p.window.contains(at)]
    r = bill(cat, [usage(at, inputs["region"], "calls", calls)], pools, policies)
    res = Result({"fee": r.outputs["call_fee"], "free_covered": sum(r.outputs["covered"].values(), ZERO)},
                 steps=r.steps, policies=r.policies)
    return res
