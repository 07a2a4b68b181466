"""The shared-instance billing engine: hourly usage in, a ledger and a statement out.

Each usage record (one settlement hour, one region, one metric) is rated by the drawdown core
(:func:`pricing.engine.rating.run`): it is deducted through the pools valid at its own instant in
the order the guide gives (free quota > resource packs > pay-as-you-go, 免费额度 > 资源包 > 按量计费),
and what no pool covers is priced at the record's instant: calls on the call tiers at the
month's cumulative position (``apigw.tier.position``: by default N counts the billed calls, the
tier table's 月累计超过次数; ``apigw.tier.kind``: graduated by default; ``apigw.tier.scope``: one
count for the account by default), egress at the region's price. When several regions' usage of
one metric in one settlement hour competes for what the account-level pools (the free quota, an
all-region pack) hold, the pools are shared under ``apigw.pack.region_order`` (default: pro rata
to each region's usage). Each record becomes a bill line; the
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

from dataclasses import replace

from pricing.engine import rating
from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, drawdown, make_pool
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc, choice, count, moment
from pricing.engine.money import ZERO
from pricing.engine.periods import Window, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.statement import DEBIT_ROUNDING, Statement, settle
from pricing.engine.units import parse_count
from .common import REGIONS, egress_price, region_group, row_by_key, settlement_window
from .free_quota import BOUNDARY as FREE_BOUNDARY, PERIOD as FREE_PERIOD, REGION_ORDER, hour_shares
from .shared import TIER_KIND, TIER_POSITION, TIER_SCOPE, call_fee, tier_price_at

TIER_MONTH = policy(
    "apigw.tier.month",
    "Over which month does the cumulative count N of the tier table run?",
    {"calendar-month": "the natural month of the bill (月累计 read as the calendar month)",
     "free-quota-period": "the same 30-day / non-natural month as the free quota (当月 read as that period)"},
    "calendar-month", "APIGW-TIER-MONTH")

BILL_POLICIES = (DEBIT_ROUNDING, TIER_MONTH, TIER_POSITION, TIER_KIND, TIER_SCOPE, REGION_ORDER)
"""Every policy :func:`bill` reads; a calculation that bills through it lists them all. (The old
``apigw.rounding.point`` is ``billing.debit_rounding``: :data:`pricing.engine.policies.RENAMED`.)"""

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


def position_key(r: rating.Record, policies: dict | None = None, period_of=None) -> tuple:
    """The cumulative count a call record moves: its tier month (``apigw.tier.month``), and under
    ``apigw.tier.scope`` = per-region its region too."""
    if choose(policies, TIER_MONTH) == "calendar-month":
        month = f"{r.at:%Y-%m}"
    else:
        month = str(period_of(r.at)) if period_of else ""
    return ("calls", month) if choose(policies, TIER_SCOPE) == "account-wide" else ("calls", month, r.region)


def rater(cat: CatalogView, policies: dict | None = None, period_of=None) -> rating.Rater:
    """The shared-instance rater: prices what no pool covered at the record's instant.

    Calls: the call tiers (``apigw.tier.kind``: graduated or volume, :func:`.shared.call_fee`) at
    the position N of the tier month (``apigw.tier.month``), counted for the account or per region
    (``apigw.tier.scope``); under 'billed-calls' N counts the uncovered calls only, under
    'all-calls' every call (the covered calls of the same record first). Egress: the region's
    price per GB. The settlement a line belongs to is its settlement window (the hour)."""
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
            key = position_key(r, policies, period_of)
            n = snap.position(key) + (led.covered if position == "all-calls" else ZERO)
            charge = call_fee(view, led.uncovered, n, 0, policies)  # n already holds the covered calls under 'all-calls'
            add = r.quantity if position == "all-calls" else led.uncovered
            return rating.Rating(charge.amount, hour, item, unit, charge.slices, key, add)
        price = egress_price(view, r.region)
        return rating.Rating(led.uncovered * price, hour, item, unit, (price,), None, ZERO, f"{led.uncovered} GB × {price}")

    return rate


def _hour_price(cat: CatalogView, r: rating.Record, snap: rating.Snapshot, policies, period_of) -> Decimal:
    """The unit price a region's usage would pay in the hour (what ``apigw.pack.region_order`` ranks by):
    egress at the region's price per GB; calls at the price of the tier their count has reached."""
    view = cat.at(r.at)
    if r.metric == "calls":
        schedule = view.tiers("apigw.shared.call_tiers")
        return tier_price_at(schedule, snap.position(position_key(r, policies, period_of)))[1]
    return egress_price(view, r.region)


def allot(cat: CatalogView, recs: list[rating.Record], snap: rating.Snapshot, policies: dict | None = None,
          period_of=None) -> list[rating.Record]:
    """The records of one settlement hour, each with the share of the account-level pools it may use.

    For each metric used in two or more regions in the hour: what the pools in force can cover of the
    hour's usage (drawn in time order on the pools as they stand) is split between the regions under
    ``apigw.pack.region_order`` (:func:`.free_quota.hour_shares`), and each region's share goes to its
    records in time order (``Record.cover``). Where the pools cover everything, nothing is capped."""
    by_metric: dict[str, list[rating.Record]] = {}
    for r in recs:
        by_metric.setdefault(r.metric, []).append(r)
    out = []
    for metric, rs in by_metric.items():
        regions = sorted({r.region for r in rs})
        if len(regions) < 2 or metric == WEBSOCKET_CALLS:
            out += rs
            continue
        pools, can = snap.pools, ZERO
        for r in rs:
            led = drawdown(r.metric, r.quantity, r.at, pools, r.region)
            pools, can = led.pools_after, can + led.covered
        total = sum((r.quantity for r in rs), ZERO)
        if can == total:
            out += rs
            continue
        first = {reg: next(r for r in rs if r.region == reg) for reg in regions}
        usage = [(reg, sum((r.quantity for r in rs if r.region == reg), ZERO),
                  _hour_price(cat, first[reg], snap, policies, period_of)) for reg in regions]
        left = dict(hour_shares(usage, can, policies))
        for r in rs:
            share = min(r.quantity, left[r.region])
            left[r.region] -= share
            out.append(replace(r, cover=share))
    return sorted(out, key=rating.Record.key)


def run_bill(cat: CatalogView, records: list[Usage], snapshot: rating.Snapshot, until: object,
             policies: dict | None = None, period_of=None) -> rating.Run:
    """Rate ``records`` in ``[snapshot.at, until)`` from ``snapshot`` (pools left, tier positions),
    one settlement hour after another, each hour's competing regions sharing the account-level pools
    (:func:`allot`). ``run_bill(run_bill(s, A, t).snapshot, B, u)`` rates as ``run_bill(s, A + B, u)``
    when ``t`` is a settlement boundary."""
    rate = rater(cat, policies, period_of)
    recs = sorted((record(u) for u in records), key=rating.Record.key)
    end = as_datetime(until, "until")
    bad = [r for r in recs if not snapshot.at <= r.at < end]
    if not recs or bad or end < snapshot.at:
        return rating.run(snapshot, recs, end, rate)  # nothing to rate, or the engine's one-line refusal
    hours: dict[datetime, list[rating.Record]] = {}
    for r in recs:
        hours.setdefault(settlement_window(cat.at(r.at), r.at).start, []).append(r)
    starts = sorted(hours)
    snap, history = snapshot, []
    for i, h in enumerate(starts):
        bound = starts[i + 1] if i + 1 < len(starts) else end
        part = rating.run(snap, allot(cat, hours[h], snap, policies, period_of), bound, rate)
        snap, history = part.snapshot, history + list(part.history)
    return rating.Run(snap, tuple(history))


def statement(run: rating.Run, policies: dict | None = None) -> Statement:
    """The run's lines settled under ``billing.debit_rounding``."""
    reading = choose(policies, DEBIT_ROUNDING)
    return settle(run.lines(reading), policies)


def used_policies(policies: dict | None = None) -> dict:
    """The readings :func:`bill` uses, by policy name."""
    return {p.name: choose(policies, p) for p in BILL_POLICIES}


def bill(cat: CatalogView, records: list[Usage], pools: list[Pool], policies: dict | None = None,
         period_of=None) -> Result:
    """Bill usage records in time order through ``pools``. Each record is priced at its own instant
    (``cat.at(u.at)``), so a month that spans a price change splits at the change. ``period_of(at)``
    gives the free-quota period key when the tier month follows the free-quota period.

    Outputs: ``call_fee`` and ``egress_fee`` (the lines of each item, 8 decimals under the default
    reading), ``precision`` (月度计费精度差异), ``total`` (what is debited: Σ lines + precision),
    ``bills`` (the debit of each settlement hour), ``covered`` (per pool), ``pools_after``, ``hours``."""
    res = Result({}, policies=used_policies(policies))
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


@calc("apigw.shared.first_year_period", "Calls in one first-year free-quota period: the free pack covers the first million",
      [moment("activated", "2021-01-01T00:00:00", "when the service was activated"),
       count("calls", "calls", help="calls made in one settlement hour of the period"),
       moment("at", None, "when the calls are made (default: the activation instant); they are priced then"),
       choice("region", REGIONS, "guangzhou", "the region of the calls")],
      moment="at", policies=[*BILL_POLICIES, FREE_PERIOD, FREE_BOUNDARY])
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
