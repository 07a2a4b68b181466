"""计费概述 › 免费额度 · The free quota.

For the first year after activation an account gets a number of calls and of GB of internet
egress per period (``apigw.free_quota.*``), issued as a resource pack that is used before any
other pack and does not carry over. The guide describes the period two ways (a non-natural month,
and every ``apigw.shared.free_period_days``) and prints a calendar for an account opened
2019-11-10 17:13:14; the policies below name each reading, and the defaults reproduce the printed dates.

Moments: the number of periods is read when the account is activated; each period's grant (calls,
GB) and, under the 30-day reading, each period's length are read when that period begins. The free
quota in its present form took effect at the adjustment of 2020-10-12 23:59:59 and was issued then
to accounts already running (计费概述 › 免费额度调整): a period that began before its entries were in
force is granted what was in force when they took effect.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, make_pool
from pricing.engine.calcs import calc, choice, moment
from pricing.engine.periods import Window, add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .common import PACK_SOURCES, REGIONS, first_in_force, row_by_key, settlement_window

PERIOD = policy(
    "apigw.free_quota.period",
    "What is one free-quota period of the first year, and how many grants does the year hold?",
    {"anniversary-month": "a non-natural month from the activation day (计费概述: 每月(非自然月)); as many periods as "
                          "the table counts; free use ends with the last period",
     "thirty-days": "periods of the pack validity each (共享实例计费: 每…个自然日), as many as the table counts; free "
                    "use ends with the last period, before the anniversary",
     "thirty-days-first-year": "a grant at activation and at every period length after it while the first year "
                               "runs, the last one cut at the end of the anniversary day (one grant more than the "
                               "table counts)",
     "natural-month": "calendar months, the opening month counted as the first (the overview example's 11月当月)"},
    "thirty-days-first-year", "APIGW-FREE-PERIOD")

BOUNDARY = policy(
    "apigw.free_quota.boundary",
    "At what time of day does a new period begin?",
    {"midnight": "at 00:00:00 of the day the period begins (the overview example's second grant starts at midnight)",
     "activation-instant": "at the activation's time of day"},
    "midnight", "APIGW-FREE-BOUNDARY")

REGION_ORDER = policy(
    "apigw.pack.region_order",
    "Several regions' usage in one settlement hour draws on one account-level pool (the free quota, an "
    "all-region pack) that cannot cover it all: which region's usage is covered?",
    {"region-id": "region by region in the order of their ids: the answer depends on the regions' names",
     "dearest-first": "the usage with the highest unit price first (the most favourable to the customer)",
     "cheapest-first": "the usage with the lowest unit price first",
     "pro-rata": "the pool is shared in proportion to each region's usage in the hour"},
    "pro-rata", "APIGW-EGRESS-REGION-ORDER")


SHARE_QUANTUM = Decimal("1E-8")
"""The finest part of a usage quantity a pro-rata share is cut to (10^-8 of the usage unit, a bill line's
precision): shares stay terminating decimals, so a bill's lines add up exactly."""


def hour_shares(usage: list[tuple[str, object, object]], available: object, policies: dict | None = None) -> dict[str, object]:
    """How much of ``available`` (what the account-level pools hold for the hour) covers each region's
    usage under ``apigw.pack.region_order``. ``usage``: (region, quantity, unit price), one per region.
    Returns region -> covered quantity; the covered quantities add up to exactly min(available, Σ usage).

    Pro rata: each region's share is its proportion cut down to :data:`SHARE_QUANTUM`; what the cuts
    leave is handed out a quantum at a time (the last piece may be smaller), largest cut first, then
    by region id."""
    from pricing.engine.money import ZERO, nonneg
    reading = choose(policies, REGION_ORDER)
    left = nonneg(available, "available")
    total = sum((nonneg(q, f"usage {r}") for r, q, _ in usage), ZERO)
    if reading == "pro-rata":
        if total == 0:
            return {r: ZERO for r, _, _ in usage}
        share = min(left, total)
        qty = {r: nonneg(q, r) for r, q, _ in usage}
        exact = {r: share * qty[r] / total for r in qty}
        out = {r: min(qty[r], (exact[r] / SHARE_QUANTUM).to_integral_value(ROUND_FLOOR) * SHARE_QUANTUM) for r in qty}
        rest = share - sum(out.values(), ZERO)
        for r in sorted(qty, key=lambda r: (-(exact[r] - out[r]), r)):
            if rest <= 0:
                break
            add = min(SHARE_QUANTUM, rest, qty[r] - out[r])
            out[r] += add
            rest -= add
        for r in sorted(qty):  # a remainder finer than the cuts (quantities below the quantum) goes where room is left
            add = min(rest, qty[r] - out[r])
            out[r] += add
            rest -= add
        return out
    keyed = {"region-id": lambda u: u[0], "dearest-first": lambda u: (-u[2], u[0]),
             "cheapest-first": lambda u: (u[2], u[0])}[reading]
    out = {}
    for r, q, _ in sorted(usage, key=keyed):
        take = min(left, nonneg(q, r))
        out[r] = take
        left -= take
    return out


QUOTA_IDS = ("apigw.free_quota.calls", "apigw.free_quota.egress_gb", "apigw.free_quota.periods")
FREE_POOL = "free-quota"
"""The drawdown pool kind of the free quota; its deduction order is its row of ``apigw.packs.sources``."""


def issue_view(cat: CatalogView, at: datetime) -> CatalogView:
    """The catalog as the free quota of a period opening at ``at`` is granted: at ``at``, or, for a
    period that opened before the free-quota entries were in force, at the instant they took effect."""
    return cat.at(max(at, first_in_force(cat, QUOTA_IDS)))


def periods(cat: CatalogView, activated: datetime) -> int:
    """How many free-quota periods an account activated at ``activated`` receives."""
    n = issue_view(cat, activated).dec("apigw.free_quota.periods")
    if n != n.to_integral_value() or n < 1:
        from pricing.engine.errors import RuleError
        raise RuleError("apigw.free_quota.periods", f"{n} is not a whole number of periods >= 1")
    return int(n)


def calendar(cat: CatalogView, activated: object, policies: dict | None = None) -> tuple[list[Window], datetime, dict]:
    """The free-quota periods of an account (one grant each) and the last second of free use, under
    ``apigw.free_quota.period`` and ``apigw.free_quota.boundary``; months are counted under ``periods.month_end``."""
    from dateutil.relativedelta import relativedelta
    from pricing.rules.conventions import MONTH_END, month_end
    act = as_datetime(activated, "activated")
    used = {p.name: choose(policies, p) for p in (PERIOD, BOUNDARY)}
    me = month_end(policies)
    n = periods(cat, act)
    base = act if used[BOUNDARY.name] == "activation-instant" else datetime.combine(act.date(), time())
    reading = used[PERIOD.name]
    if reading == "anniversary-month":
        starts = [add_months(base, k, me) for k in range(n + 1)]
        used[MONTH_END.name] = me
    elif reading == "natural-month":
        first = datetime(act.year, act.month, 1)
        starts = [base] + [first + relativedelta(months=k) for k in range(1, n + 1)]
    else:  # each period lasts the length in force when it opens, counted from the previous boundary
        year_end = datetime.combine(add_months(act, n, me).date(), time()) + timedelta(days=1)
        used[MONTH_END.name] = me
        starts = [base]
        k = 0
        while True:
            opens = act if k == 0 else starts[k]
            nxt = starts[k] + cat.at(opens).timedelta("apigw.shared.free_period_days")
            if reading == "thirty-days":
                starts.append(nxt)
                if len(starts) == n + 1:
                    break
            elif nxt < add_months(act, n, me):  # another grant starts inside the first year
                starts.append(nxt)
            else:  # the last grant is cut at the end of the anniversary day
                starts.append(min(nxt, year_end))
                break
            k += 1
    starts[0] = act  # the first period starts at activation itself
    windows = [Window(starts[k], starts[k + 1]) for k in range(len(starts) - 1)]
    return windows, windows[-1].last_second, used


def grant(cat: CatalogView, w: Window) -> tuple[CatalogView, object, object]:
    """(view, calls, GB) of the free quota granted for the period ``w``, read when it is issued."""
    v = issue_view(cat, w.start)
    return v, v.dec("apigw.free_quota.calls"), v.dec("apigw.free_quota.egress_gb")


def free_pools(cat: CatalogView, activated: object, policies: dict | None = None) -> list[Pool]:
    """The free quota as resource packs, one per period and metric, each holding the grant in force
    when its period opens; deducted in the free quota's order (``apigw.packs.sources``: before any bought pack)."""
    windows, _, _ = calendar(cat, activated, policies)
    pools = []
    for k, w in enumerate(windows, 1):
        v, calls, gb = grant(cat, w)
        row = next(r for r in v.rows("apigw.packs.sources") if r["pool"] == FREE_POOL)
        prio = int(row["priority"])
        pools.append(make_pool(f"free-{k:02d}-calls", FREE_POOL, "calls", calls, prio, w, source="计费概述 › 免费额度"))
        pools.append(make_pool(f"free-{k:02d}-egress", FREE_POOL, "egress_gb", gb, prio, w, source="计费概述 › 免费额度"))
    return pools


ACTIVATED = moment("activated", help="when the API Gateway service was activated (Beijing time)")


@calc("apigw.free_quota.calendar", "The free-quota periods of an account and the last second of free use",
      [ACTIVATED, choice("region", REGIONS, "guangzhou", "the region whose egress price values the free GB")],
      moment="activated", policies=[PERIOD, BOUNDARY])
def _calendar(cat, inputs, policies):
    """Each grant of the first year, what it is worth at pay-as-you-go prices (its calls at the first
    tier's price, its GB at the region's egress price, read when the grant opens), and the end of free use."""
    from pricing.engine.money import BILLED, ZERO
    from .common import egress_price
    windows, last, used = calendar(cat, inputs["activated"], policies)
    res = Result({}, policies=used)
    value = ZERO
    for k, w in enumerate(windows, 1):
        v, calls, gb = grant(cat, w)
        worth = v.tiers("apigw.shared.call_tiers").rate(calls).amount + gb * egress_price(v, inputs["region"])
        value += worth
        res.step(f"period {k}", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.last_second:%Y-%m-%d %H:%M:%S}",
                 f"{calls} calls, {gb} GB; worth {BILLED(worth)} CNY at pay-as-you-go prices")
    res.step("last second of free use", last)
    res.step("free use in all, at pay-as-you-go prices", BILLED(value), f"{len(windows)} grants")
    res.outputs.update(second_grant=windows[1].start if len(windows) > 1 else None,
                       twelfth_start=windows[min(11, len(windows) - 1)].start, last_grant=windows[-1].start,
                       free_until=last, first_period_last_second=windows[0].last_second, periods=len(windows),
                       free_value=BILLED(value))
    return res


WINDOW_END = policy(
    "apigw.pack.window_end",
    "Where does a pack's validity end: exactly when its validity has run from the start, or at the end of the "
    "settlement hour that begins then?",
    {"exact-30-days": "the pack lapses when its validity has run (资源包计费's bought-pack example)",
     "through-settlement-hour": "the pack still covers the hourly bill that begins when its validity has run "
                                "(共享实例计费's free-quota grant, printed to the end of that hour)"},
    "through-settlement-hour", "APIGW-PACK-WINDOW")


def pack_window(cat: CatalogView, start: object, source: str = "free-quota", policies: dict | None = None) -> Result:
    """The validity of one pack obtained at ``start`` from ``source``: ``apigw.packs.validity`` read at
    ``start``; under 'through-settlement-hour' it runs to the end of the settlement hour in which that
    validity ends (the settlement period read then)."""
    s = as_datetime(start, "start")
    view = cat.at(s)
    row_by_key(view, "apigw.packs.sources", "source", source, "source")  # validates the source
    reading = choose(policies, WINDOW_END)  # one default for every source (APIGW-PACK-WINDOW)
    validity = view.timedelta("apigw.packs.validity")
    w = Window(s, s + validity)
    res = Result({}, policies={WINDOW_END.name: reading})
    res.step("starts", w.start)
    res.step(f"start + {validity.days} days (apigw.packs.validity)", w.end)
    # one convention in every step: the instant the pack lapses (the first it no longer covers, the
    # window's exclusive end); the last second it covers is derived from it, and named as such
    if reading == "through-settlement-hour":
        hour = settlement_window(cat, w.end)
        lapses = hour.end
        res.step("lapses at", lapses, f"{WINDOW_END.name} = {reading}: the end of the settlement hour in which the validity ends")
    else:
        lapses = w.end
        res.step("lapses at", lapses, f"{WINDOW_END.name} = {reading}: when the validity has run")
    last = lapses - timedelta(seconds=1)
    res.step("last second covered", last, "lapses at − 1 s")
    res.outputs.update(start=w.start, last_second=last, lapses_at=lapses, days=validity.days)
    return res


@calc("apigw.free_quota.pack_window", "The validity window of one pack: the free-quota grant or a bought pack",
      [moment("start", help="when the pack is issued or bought; its validity is read then"),
       choice("source", PACK_SOURCES, "free-quota", "where the pack comes from (apigw.packs.sources)")],
      moment="start", policies=[WINDOW_END])
def _pack_window(cat, inputs, policies):
    return pack_window(cat, inputs["start"], inputs["source"], policies)
