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

from datetime import datetime, time

from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, make_pool
from pricing.engine.calcs import calc, choice, moment
from pricing.engine.periods import Window, add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .common import PACK_SOURCES, first_in_force, row_by_key, settlement_window

PERIOD = policy(
    "apigw.free_quota.period",
    "How long is one free-quota period?",
    {"anniversary-month": "a non-natural month: from day D of one month to day D of the next (计费概述: 每月(非自然月))",
     "thirty-days": "30 calendar days each (共享实例计费: 每30个自然日)"},
    "anniversary-month", "APIGW-FREE-PERIOD")

BOUNDARY = policy(
    "apigw.free_quota.boundary",
    "At what time of day does a new period begin?",
    {"midnight": "at 00:00:00 of the anniversary day (the guide's example: 2019-12-10 00:00:00)",
     "activation-instant": "at the activation time of day (17:13:14 in the example)"},
    "midnight", "APIGW-FREE-BOUNDARY")

END = policy(
    "apigw.free_quota.end",
    "When does the free year end?",
    {"end-of-anniversary-day": "at the last second of the activation date one year on (the guide prints 2020-11-10 23:59:59)",
     "end-of-twelfth-period": "when the twelfth period ends (2020-11-09 23:59:59 under anniversary months)"},
    "end-of-anniversary-day", "APIGW-FREE-END")

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
    """The free-quota periods of an account and the last second of free use."""
    act = as_datetime(activated, "activated")
    used = {p.name: choose(policies, p) for p in (PERIOD, BOUNDARY, END)}
    n = periods(cat, act)
    base = act if used[BOUNDARY.name] == "activation-instant" else datetime.combine(act.date(), time())
    if used[PERIOD.name] == "anniversary-month":
        starts = [add_months(base, k) for k in range(n + 1)]
    else:  # each period lasts the length in force when it opens, counted from the previous boundary
        starts = [base]
        for k in range(n):
            opens = act if k == 0 else starts[k]
            starts.append(starts[k] + cat.at(opens).timedelta("apigw.shared.free_period_days"))
    starts[0] = act  # the first period starts at activation itself
    windows = [Window(starts[k], starts[k + 1]) for k in range(n)]
    if used[END.name] == "end-of-anniversary-day":
        last = datetime.combine(add_months(act, n).date(), time(23, 59, 59))
    else:
        last = windows[-1].last_second
    return windows, last, used


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
      [ACTIVATED], moment="activated", policies=[PERIOD, BOUNDARY, END])
def _calendar(cat, inputs, policies):
    windows, last, used = calendar(cat, inputs["activated"], policies)
    res = Result({}, policies=used)
    for k, w in enumerate(windows, 1):
        _, calls, gb = grant(cat, w)
        res.step(f"period {k}", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.last_second:%Y-%m-%d %H:%M:%S}",
                 f"{calls} calls, {gb} GB")
    res.step("last second of free use", last)
    res.outputs.update(second_grant=windows[1].start if len(windows) > 1 else None, twelfth_start=windows[-1].start,
                       free_until=last, first_period_last_second=windows[0].last_second, periods=len(windows))
    return res


WINDOW_END = policy(
    "apigw.pack.window_end",
    "Where does a 30-day pack window end: exactly 30 × 24 hours after it starts, or at the end of the settlement hour that starts then?",
    {"exact-30-days": "the pack lapses at start + 30 days (资源包计费: bought 2023-02-01 08:00:00, lapses 2023-03-03 08:00:00)",
     "through-settlement-hour": "the pack still covers the hourly bill that begins at start + 30 days (共享实例计费: 2023-06-20 20:00:00 to 2023-07-20 20:59:59)"},
    "through-settlement-hour", "APIGW-PACK-WINDOW")


def pack_window(cat: CatalogView, start: object, source: str = "free-quota", policies: dict | None = None) -> Result:
    """The validity of one pack obtained at ``start`` from ``source``: ``apigw.packs.validity`` read at
    ``start``; under 'through-settlement-hour' it runs to the end of the settlement hour in which that
    validity ends (the settlement period read then)."""
    s = as_datetime(start, "start")
    view = cat.at(s)
    row = row_by_key(view, "apigw.packs.sources", "source", source, "source")
    # The guide prints the free-quota grant through the settlement hour and the bought pack to the
    # exact instant; each source's default reproduces its own section's figure.
    default = "through-settlement-hour" if row["pool"] == FREE_POOL else "exact-30-days"
    reading = (policies or {}).get(WINDOW_END.name, default)
    if reading not in WINDOW_END.choices:
        from pricing.engine.errors import InputError
        raise InputError(f"policies[{WINDOW_END.name!r}]", reading, " | ".join(WINDOW_END.choices))
    validity = view.timedelta("apigw.packs.validity")
    w = Window(s, s + validity)
    res = Result({}, policies={WINDOW_END.name: reading})
    res.step("starts", w.start)
    res.step(f"start + {validity.days} days (apigw.packs.validity)", w.end)
    if reading == "through-settlement-hour":
        hour = settlement_window(cat, w.end)
        last, lapses = hour.last_second, hour.end
        res.step("last second covered (end of the settlement hour in which the validity ends)", last)
    else:
        last, lapses = w.last_second, w.end
        res.step("lapses at", lapses)
    res.outputs.update(start=w.start, last_second=last, lapses_at=lapses, days=validity.days)
    return res


@calc("apigw.free_quota.pack_window", "The validity window of one pack: the free-quota grant or a bought pack",
      [moment("start", help="when the pack is issued or bought; its validity is read then"),
       choice("source", PACK_SOURCES, "free-quota", "where the pack comes from (apigw.packs.sources)")],
      moment="start", policies=[WINDOW_END])
def _pack_window(cat, inputs, policies):
    return pack_window(cat, inputs["start"], inputs["source"], policies)
