"""计费概述 › 免费额度 · The free quota.

For the first year after activation an account gets 1,000,000 calls and 1 GB of internet
egress per period, issued as a resource pack that is used before any other pack and does not
carry over. The guide describes the period two ways (a non-natural month, and every 30 calendar
days) and prints a calendar for an account opened 2019-11-10 17:13:14; the policies below name
each reading, and the defaults reproduce the printed dates.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from pricing.engine.catalog import Catalog
from pricing.engine.drawdown import Pool, make_pool
from pricing.engine.calcs import calc
from pricing.engine.periods import Window, add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result

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


def calendar(cat: Catalog, activated: object, policies: dict | None = None) -> tuple[list[Window], datetime, dict]:
    """The free-quota periods of an account and the last second of free use."""
    act = as_datetime(activated, "activated")
    used = {p.name: choose(policies, p) for p in (PERIOD, BOUNDARY, END)}
    n = int(cat.dec("apigw.free_quota.periods"))
    base = act if used[BOUNDARY.name] == "activation-instant" else datetime.combine(act.date(), time())
    if used[PERIOD.name] == "anniversary-month":
        starts = [add_months(base, k) for k in range(n + 1)]
    else:
        days = cat.duration("apigw.shared.free_period_days").days
        starts = [base + timedelta(days=days * k) for k in range(n + 1)]
    starts[0] = act  # the first period starts at activation itself
    windows = [Window(starts[k], starts[k + 1]) for k in range(n)]
    if used[END.name] == "end-of-anniversary-day":
        last = datetime.combine(add_months(act, n).date(), time(23, 59, 59))
    else:
        last = windows[-1].last_second
    return windows, last, used


def free_pools(cat: Catalog, activated: object, policies: dict | None = None) -> list[Pool]:
    """The free quota as resource packs (priority 0: used before any other pack), one per period and metric."""
    windows, _, _ = calendar(cat, activated, policies)
    pools = []
    for k, w in enumerate(windows, 1):
        pools.append(make_pool(f"free-{k:02d}-calls", "free-quota", "calls", cat.dec("apigw.free_quota.calls"), 0, w,
                               source="计费概述 › 免费额度"))
        pools.append(make_pool(f"free-{k:02d}-egress", "free-quota", "egress_gb", cat.dec("apigw.free_quota.egress_gb"), 0, w,
                               source="计费概述 › 免费额度"))
    return pools


@calc("apigw.free_quota.calendar")
def _calendar(cat, inputs, policies):
    windows, last, used = calendar(cat, inputs["activated"], policies)
    res = Result({}, policies=used)
    for k, w in enumerate(windows, 1):
        res.step(f"period {k}", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.last_second:%Y-%m-%d %H:%M:%S}",
                 f"{cat.dec('apigw.free_quota.calls')} calls, {cat.dec('apigw.free_quota.egress_gb')} GB")
    res.step("last second of free use", last)
    res.outputs.update(second_grant=windows[1].start, twelfth_start=windows[-1].start, free_until=last,
                       first_period_last_second=windows[0].last_second, periods=len(windows))
    return res


WINDOW_END = policy(
    "apigw.pack.window_end",
    "Where does a 30-day pack window end: exactly 30 × 24 hours after it starts, or at the end of the settlement hour that starts then?",
    {"exact-30-days": "the pack lapses at start + 30 days (资源包计费: bought 2023-02-01 08:00:00, lapses 2023-03-03 08:00:00)",
     "through-settlement-hour": "the pack still covers the hourly bill that begins at start + 30 days (共享实例计费: 2023-06-20 20:00:00 to 2023-07-20 20:59:59)"},
    "through-settlement-hour", "APIGW-PACK-WINDOW")


@calc("apigw.free_quota.pack_window")
def _pack_window(cat, inputs, policies):
    """The validity of one 30-day pack: the free-quota grant or a bought pack (``source``)."""
    from pricing.engine.periods import days_window
    source = inputs.get("source", "free-quota")
    # The guide prints the free-quota grant through the settlement hour and the bought pack to the
    # exact instant; each source's default reproduces its own section's figure.
    default = "through-settlement-hour" if source == "free-quota" else "exact-30-days"
    reading = (policies or {}).get(WINDOW_END.name, default)
    if reading not in WINDOW_END.choices:
        from pricing.engine.errors import InputError
        raise InputError(f"policies[{WINDOW_END.name!r}]", reading, " | ".join(WINDOW_END.choices))
    days = cat.duration("apigw.packs.validity").days
    w = days_window(inputs["start"], days)
    res = Result({}, policies={WINDOW_END.name: reading})
    res.step("starts", w.start)
    res.step(f"start + {days} days", w.end)
    if reading == "through-settlement-hour":
        from datetime import timedelta
        last = w.end + timedelta(hours=1) - timedelta(seconds=1)
        res.step("last second covered (end of the settlement hour that starts then)", last)
        lapses = last + timedelta(seconds=1)
    else:
        last, lapses = w.last_second, w.end
        res.step("lapses at", lapses)
    res.outputs.update(start=w.start, last_second=last, lapses_at=lapses, days=days)
    return res
