"""告警与通知 · Alerts and notifications.

Four monthly-plan metrics (CDN origin traffic, storage traffic, GB·s of function use, internet
egress) raise a usage warning when they reach each level of the quota (80 % and 90 %) and an
over-quota notice when the quota is exceeded. Events in the life of a plan or a resource pack
(delivery, renewal, plan change, expiry, suspension, release; pack delivery, pack used up, pack
about to expire, pack expired) each send a notice, by SMS, in-site message and WeChat.

The expiry notice repeats "every other day" and depends on auto-renewal and the balance. When
the series starts is not said here; it is taken from the arrears section (the renewal reminder
seven days before expiry). The arrears section sends that reminder regardless of auto-renewal,
this section sends nothing to a funded auto-renewing account: a named policy.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc
from pricing.engine.money import D, nonneg, round_at, trim
from pricing.engine.periods import as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import parse_count
from .plans import flag, quota

LIMIT_NOTICE = policy(
    "cloudbase.alerts.limit_notice",
    "Is the over-quota notice sent when usage reaches the quota, or only once it exceeds it?",
    {"over": "only when usage is above the quota (使用超限)",
     "at-limit": "already when usage equals the quota (the quota is used up)"},
    "over", "CB-ALERTS-ATLIMIT")

INTERVAL = policy(
    "cloudbase.alerts.expiry_interval",
    "How often is the expiry notice repeated (每隔一天)?",
    {"every-other-day": "every second day (one day skipped between notices)",
     "daily": "every day"},
    "every-other-day", "CB-ALERTS-INTERVAL")

AUTORENEW = policy(
    "cloudbase.alerts.autorenew_reminder",
    "Does an auto-renewing account with enough balance get an expiry reminder?",
    {"none": "no (告警与通知: no expiry reminder is sent)",
     "reminder": "yes, the renewal reminder seven days before expiry (欠费说明 says it is sent, without exception)"},
    "none", "CB-ALERTS-AUTORENEW")


def levels(cat: Catalog) -> list[Decimal]:
    return sorted(D(r["ratio"]) for r in cat.value("cloudbase.alerts.levels"))


def alerted(cat: Catalog) -> dict[str, str]:
    return {r["metric"]: r["zh"] for r in cat.value("cloudbase.alerts.metrics")}


def channels(cat: Catalog) -> str:
    return ", ".join(f"{r['channel']} ({r['zh']})" for r in cat.value("cloudbase.alerts.channels"))


def pct(ratio: Decimal) -> str:
    """A ratio as a percentage, to 0.01 % at most: 0.8 -> '80%', 301/300 -> '100.33%'."""
    return f"{round_at(ratio * 100, '0.01').normalize():f}%"


def usage_notices(cat: Catalog, metric: str, used: object, limit: object, previous: object = 0,
                  policies: dict | None = None) -> list[tuple[str, Decimal]]:
    """The notices crossed when usage moves from ``previous`` to ``used``: ('warning', level) and ('over-quota', 1)."""
    q = nonneg(limit, "limit")
    if q == 0:
        raise InputError("limit", limit, "a quota > 0")
    u, p = nonneg(used, "used"), nonneg(previous, "previous")
    if u < p:
        raise InputError("used", str(u), f"a usage at or above previous ({p}): monthly usage only grows within a cycle")
    if metric not in alerted(cat):
        return []
    out = [("warning", lv) for lv in levels(cat) if p < lv * q <= u]
    over_at = choose(policies, LIMIT_NOTICE)
    crossed = (p <= q < u) if over_at == "over" else (p < q <= u)
    if crossed:
        out.append(("over-quota", Decimal(1)))
    return out


@calc("cloudbase.alerts.usage")
def _usage(cat, inputs, policies):
    metric = inputs["metric"]
    from .plans import metric_class
    metric_class(cat, metric)
    limit = inputs["limit"] if "limit" in inputs else quota(cat, inputs["plan"], metric)
    if limit is None:
        raise InputError("limit", None, f"a figure: plan {inputs.get('plan')} has a custom quota for {metric}")
    used = parse_count(inputs["used"], "used")
    prev = parse_count(inputs.get("previous", "0"), "previous")
    ns = usage_notices(cat, metric, used, limit, prev, policies)
    res = Result({"alerted": metric in alerted(cat), "levels": ", ".join(pct(l) for l in levels(cat)) if metric in alerted(cat) else "none",
                  "notices": ", ".join(f"{k} {pct(l)}" if k == "warning" else k for k, l in ns) or "none",
                  "count": len(ns), "channels": channels(cat)},
                 policies={LIMIT_NOTICE.name: choose(policies, LIMIT_NOTICE)})
    res.step("metric", metric, "alerted" if metric in alerted(cat) else "no usage alerts for this metric")
    res.step("usage / quota", f"{prev} → {used} of {limit}", f"{pct(used / D(limit))} of the quota")
    for k, l in ns:
        if k == "warning":
            res.step(f"usage warning at {pct(l)}", trim(l * D(limit)), "threshold reached")
        else:
            sign = ">" if res.policies[LIMIT_NOTICE.name] == "over" else ">="
            res.step("over-quota notice", f"usage {sign} {limit}", "the quota is exceeded" if sign == ">" else "the quota is used up")
    return res


# ------------------------------------------------------------------------------------ events

def events(cat: Catalog) -> dict[str, dict]:
    return {r["event"]: r for r in cat.value("cloudbase.alerts.events")}


def event_notice(cat: Catalog, event: str, auto_renew: bool = False, balance_ok: bool = True) -> str:
    """The notice an event sends ('' when none)."""
    evs = events(cat)
    if event not in evs:
        raise InputError("event", event, ", ".join(evs))
    row = evs[event]
    if event != "expiring":
        return f"{row['zh']} ({event})"
    if not auto_renew:
        return "到期通知: renewal reminder (every other day)"
    if not balance_ok:
        return "到期通知: auto-renewal lacks balance, top up (every other day)"
    return ""


@calc("cloudbase.alerts.event")
def _event(cat, inputs, policies):
    n = event_notice(cat, inputs["event"], flag(inputs, "auto_renew"), flag(inputs, "balance_ok", True))
    res = Result({"notice": n or "none", "sent": bool(n), "channels": channels(cat) if n else "none"})
    res.step("event", inputs["event"], events(cat)[inputs["event"]]["when"])
    res.step("notice", n or "none", f"by {channels(cat)}" if n else "")
    return res


def expiry_schedule(cat: Catalog, expiry: object, auto_renew: bool, balance_ok: bool,
                    policies: dict | None = None) -> tuple[list[datetime], str, dict]:
    """The moments of the expiry notices before ``expiry``, and which notice they carry."""
    e = as_datetime(expiry, "expiry")
    used = {INTERVAL.name: choose(policies, INTERVAL), AUTORENEW.name: choose(policies, AUTORENEW)}
    first = e - cat.duration("cloudbase.arrears.reminder_before")
    notice = event_notice(cat, "expiring", auto_renew, balance_ok)
    if not notice:
        if used[AUTORENEW.name] == "reminder":
            return [first], "续费提醒 (renewal reminder of 欠费说明)", used
        return [], "none", used
    step = cat.duration("cloudbase.alerts.expiry_interval") if used[INTERVAL.name] == "every-other-day" else timedelta(days=1)
    out, k = [], 0
    while first + step * k < e:
        out.append(first + step * k)
        k += 1
    return out, notice, used


@calc("cloudbase.alerts.expiry_notices")
def _expiry_notices(cat, inputs, policies):
    ms, notice, used = expiry_schedule(cat, inputs["expiry"], flag(inputs, "auto_renew"), flag(inputs, "balance_ok", True), policies)
    res = Result({"count": len(ms), "notice": notice, "dates": ", ".join(f"{m:%m-%d}" for m in ms) or "none",
                  "first": ms[0] if ms else None}, policies=used)
    res.step("auto-renew / balance sufficient", f"{'yes' if flag(inputs, 'auto_renew') else 'no'} / "
                                                f"{'yes' if flag(inputs, 'balance_ok', True) else 'no'}")
    res.step("first notice", ms[0] if ms else "none", "expiry − 7 days (the renewal reminder of 欠费说明)")
    for m in ms[1:]:
        res.step("repeat", m, used[INTERVAL.name])
    res.step("notices before expiry", len(ms), notice)
    return res


@calc("cloudbase.alerts.pack")
def _pack(cat, inputs, policies):
    """The notices of one resource pack: delivery, used up (if it is), expiring soon, expired."""
    bought = as_datetime(inputs["delivered"], "delivered")
    ends = as_datetime(inputs["expires"], "expires")
    if ends <= bought:
        raise InputError("expires", str(ends), f"a moment after delivered ({bought})")
    before = cat.duration("cloudbase.alerts.pack_expiring_before")
    evs = [(bought, "pack_delivered")]
    if inputs.get("used_up"):
        u = as_datetime(inputs["used_up"], "used_up")
        if not bought <= u <= ends:
            raise InputError("used_up", str(u), f"a moment within the pack's validity [{bought}, {ends}]")
        evs.append((u, "pack_used_up"))
    warn = max(bought, ends - before)
    evs += [(warn, "pack_expiring"), (ends, "pack_expired")]
    evs.sort()
    res = Result({"expiring_at": warn, "expired_at": ends, "days_before": (ends - warn).days, "count": len(evs)})
    for at, ev in evs:
        res.step(event_notice(cat, ev), at, events(cat)[ev]["when"])
    return res
