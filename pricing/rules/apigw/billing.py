"""The shared-instance billing engine: hourly usage in, a ledger and a statement out.

Each usage record (one settlement hour, one region, one metric) is rated by the drawdown core
(:func:`pricing.engine.rating.run`): it is deducted through the pools valid at its own instant in
the order the guide gives (free quota > resource packs > pay-as-you-go, 免费额度 > 资源包 > 按量计费),
and what no pool covers is priced at the record's instant: calls on the graduated tiers at the
month's cumulative position (``apigw.tier.position``: by default N counts the billed calls, the
tier table's 月累计超过次数), egress at the region's price. Each record becomes a bill line; the
lines are settled into a :class:`~pricing.engine.statement.Statement` under
``billing.debit_rounding`` (default: lines at 8 decimals, each hourly settlement debited in whole
fen on the running total, a 月度计费精度差异 precision line), so the lines always add up to the total.

A run carries its state (pools left, tier positions) in a :class:`~pricing.engine.rating.Snapshot`,
so a month billed in two runs equals the month billed at once (:func:`run_bill`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from pricing.engine import rating
from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, make_pool
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc, choice, count, moment, whole
from pricing.engine.money import BILLED, ZERO
from pricing.engine.periods import Window, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.statement import DEBIT_ROUNDING, Statement, settle
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

ROUNDING_POINT = DEBIT_ROUNDING
"""The question the old ``apigw.rounding.point`` asked (each hourly bill, or the month?) is now
``billing.debit_rounding``: its 'hourly-bill' is 'per-bill-fen', its 'month' the default
'line-8dp-debit-fen' (see :data:`pricing.engine.policies.RENAMED`)."""

METRICS = {"calls", "egress_gb"}
WEBSOCKET_CALLS = "calls:websocket"  # calls of a WebSocket backend: no pool covers them, no fee, no tier position
ITEMS = {"calls": ("calls", "calls"), "egress_gb": ("egress", "GB"), WEBSOCKET_CALLS: ("calls (WebSocket backend)", "calls")}


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


def record(u: Usage) -> rating.Record:
    """A usage record for the rating engine (WebSocket calls under their own metric, which no pool covers)."""
    metric = WEBSOCKET_CALLS if (u.metric == "calls" and u.websocket) else u.metric
    return rating.Record(u.at, metric, u.quantity, u.region)


def rater(cat: CatalogView, policies: dict | None = None, period_of=None) -> rating.Rater:
    """The shared-instance rater: prices what no pool covered at the record's instant.

    Calls: graduated tiers at the position N of the tier month (``apigw.tier.month``); under
    'billed-calls' N counts the uncovered calls only, under 'all-calls' every call (the covered
    calls of the same record first). Egress: the region's price per GB. The settlement a line
    belongs to is its settlement window (the hour)."""
    month_reading = choose(policies, TIER_MONTH)
    position = choose(policies, TIER_POSITION)

    def rate(r: rating.Record, led, snap: rating.Snapshot) -> rating.Rating:
        view = cat.at(r.at)
        region_group(view, r.region)  # validates the region at the record's instant
        w = settlement_window(view, r.at)
        hour = f"{w.start:%Y-%m-%d %H:%M}"
        item, unit = ITEMS[r.metric]
        if r.metric == WEBSOCKET_CALLS:
            return rating.Rating(ZERO, hour, item, unit, (), None, ZERO, "WebSocket backend: no call fee")
        if r.metric == "calls":
            if month_reading == "calendar-month":
                key = ("calls", f"{r.at:%Y-%m}")
            else:
                key = ("calls", str(period_of(r.at)) if period_of else "")
            n = snap.position(key) + (led.covered if position == "all-calls" else ZERO)
            charge = view.tiers("apigw.shared.call_tiers").rate(led.uncovered, n)
            add = r.quantity if position == "all-calls" else led.uncovered
            return rating.Rating(charge.amount, hour, item, unit, charge.slices, key, add)
        price = egress_price(view, r.region)
        return rating.Rating(led.uncovered * price, hour, item, unit, (price,), None, ZERO, f"{led.uncovered} GB × {price}")

    return rate


def run_bill(cat: CatalogView, records: list[Usage], snapshot: rating.Snapshot, until: object,
             policies: dict | None = None, period_of=None) -> rating.Run:
    """Rate ``records`` in ``[snapshot.at, until)`` from ``snapshot`` (pools left, tier positions).
    ``run_bill(run_bill(s, A, t).snapshot, B, u)`` rates as ``run_bill(s, A + B, u)``."""
    return rating.run(snapshot, [record(u) for u in records], until, rater(cat, policies, period_of))


def statement(run: rating.Run, policies: dict | None = None) -> Statement:
    """The run's lines settled under ``billing.debit_rounding``."""
    reading = choose(policies, DEBIT_ROUNDING)
    return settle(run.lines(reading), policies)


def bill(cat: CatalogView, records: list[Usage], pools: list[Pool], policies: dict | None = None,
         period_of=None) -> Result:
    """Bill usage records in time order through ``pools``. Each record is priced at its own instant
    (``cat.at(u.at)``), so a month that spans a price change splits at the change. ``period_of(at)``
    gives the free-quota period key when the tier month follows the free-quota period.

    Outputs: ``call_fee`` and ``egress_fee`` (the lines of each item, 8 decimals under the default
    reading), ``precision`` (月度计费精度差异), ``total`` (what is debited: Σ lines + precision),
    ``bills`` (the debit of each settlement hour), ``covered`` (per pool), ``pools_after``, ``hours``."""
    res = Result({}, policies={TIER_MONTH.name: choose(policies, TIER_MONTH),
                               DEBIT_ROUNDING.name: choose(policies, DEBIT_ROUNDING),
                               TIER_POSITION.name: choose(policies, TIER_POSITION)})
    recs = list(records)
    if recs:
        start = min(u.at for u in recs)
        end = max(u.at for u in recs) + timedelta(seconds=1)
        r = run_bill(cat, recs, rating.Snapshot(start, tuple(pools)), end, policies, period_of)
    else:
        r = rating.Run(rating.Snapshot(datetime(2000, 1, 1), tuple(pools)))
    st = statement(r, policies)
    for h in r.history:
        u, led = h.record, h.ledger
        head = f"{u.at:%Y-%m-%d %H:00} {u.region}"
        if u.metric == WEBSOCKET_CALLS:
            res.step(f"{head} calls {u.quantity}", "0", "WebSocket backend: no call fee")
            continue
        for ln in led.lines:
            res.step(f"{head} {u.metric}: pool {ln.pool}", ln.covered, f"{ln.kind}; {ln.before} → {ln.after} left")
        if u.metric == "calls":
            per = cat.at(u.at).tiers("apigw.shared.call_tiers").unit
            for s in h.rating.parts:
                res.step(f"{head} calls billed: {s.label}", s.amount, f"calls {s.start + 1}..{s.end} × {s.price} / {per}")
        elif led.uncovered:
            res.step(f"{head} egress billed", h.rating.exact, h.rating.note)
    items = st.by_item()
    call_fee, egress_fee = items.get(ITEMS["calls"][0], ZERO), items.get(ITEMS["egress_gb"][0], ZERO)
    res.step("call fee (lines)", call_fee)
    res.step("egress fee (lines)", egress_fee)
    res.step("precision line (月度计费精度差异)", st.precision, f"reading {st.reading}")
    res.step("total debited", st.due, "Σ lines + precision")
    res.outputs.update(call_fee=call_fee, egress_fee=egress_fee, precision=st.precision, total=st.due,
                       bills=dict(st.bills), covered=r.covered(), pools_after=list(r.snapshot.pools),
                       hours=len({h.rating.bill for h in r.history}))
    return res


@calc("apigw.shared.hourly_vs_monthly", "The same calls spread evenly over many hourly bills",
      [whole("hours", "hours", minimum=1, maximum=24 * 366, help="how many consecutive hourly bills"),
       count("calls_per_hour", "calls", help="calls in each hour"),
       moment("start", "2021-03-01T00:00:00", "the first hour; each hour is priced at its own instant"),
       choice("region", REGIONS, "guangzhou", "the region of the calls")],
      moment="start", policies=[DEBIT_ROUNDING, TIER_MONTH, TIER_POSITION])
def _hourly_vs_monthly(cat, inputs, policies):
    """The same calls spread evenly over many hourly bills: where the fen is met matters
    (``billing.debit_rounding``: each hourly bill rounded, or the lines debited on their running total)."""
    hours = inputs["hours"]
    per_hour = inputs["calls_per_hour"]
    start = inputs["start"]
    recs = [usage(start + timedelta(hours=h), inputs["region"], "calls", per_hour) for h in range(hours)]
    r = bill(cat, recs, [], policies)
    res = Result({"fee": r.outputs["total"], "calls": per_hour * hours, "lines": r.outputs["call_fee"],
                  "precision": r.outputs["precision"]}, policies=r.policies)
    res.step("calls", per_hour * hours, f"{hours} hourly bills × {per_hour}")
    one = cat.at(start).tiers("apigw.shared.call_tiers").rate(per_hour).amount
    res.step("one hourly bill, exact", one)
    res.step("one hourly bill, rounded to the fen", BILLED(one))
    res.step("the month's lines", r.outputs["call_fee"])
    res.step("precision line (月度计费精度差异)", r.outputs["precision"])
    res.step("month's call fee debited", r.outputs["total"], f"reading: {r.policies[DEBIT_ROUNDING.name]}")
    return res


@calc("apigw.shared.first_year_period", "Calls in one first-year free-quota period: the free pack covers the first million",
      [moment("activated", "2021-01-01T00:00:00", "when the service was activated"),
       count("calls", "calls", help="calls made in one settlement hour of the period"),
       moment("at", None, "when the calls are made (default: the activation instant); they are priced then"),
       choice("region", REGIONS, "guangzhou", "the region of the calls")],
      moment="at", policies=[DEBIT_ROUNDING, TIER_MONTH, TIER_POSITION, FREE_PERIOD, FREE_BOUNDARY, FREE_END])
def _first_year_period(cat, inputs, policies):
    """Calls in one first-year free-quota period: the period's free pack covers the first calls."""
    from .free_quota import free_pools
    act = inputs["activated"]
    calls = inputs["calls"]
    at = inputs["at"] or act
    pools = [p for p in free_pools(cat, act, policies) if p.window.contains(at)]
    r = bill(cat, [usage(at, inputs["region"], "calls", calls)], pools, policies)
    res = Result({"fee": r.outputs["total"], "free_covered": sum(r.outputs["covered"].values(), ZERO)},
                 steps=r.steps, policies=r.policies)
    return res
