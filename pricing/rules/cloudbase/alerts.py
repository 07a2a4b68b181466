"""告警与通知 · Alerts and notifications.

Four monthly-plan metrics (CDN origin traffic, storage traffic, GB·s of function use, internet
egress: ``cloudbase.alerts.metrics``) raise a usage warning when they reach each level of the quota
(``cloudbase.alerts.levels``) and an
over-quota notice when the quota is exceeded. Events in the life of a plan or a resource pack
(delivery, renewal, plan change, expiry, suspension, release; pack delivery, pack used up, pack
about to expire, pack expired) each send a notice, by SMS, in-site message and WeChat.

The expiry notice repeats (``cloudbase.alerts.expiry_interval``) and depends on auto-renewal and
the balance. When the series starts is not said here; it is taken from the arrears section (the
renewal reminder ``cloudbase.arrears.reminder_before`` ahead of expiry). The arrears section sends
that reminder regardless of auto-renewal, this section sends nothing to a funded auto-renewing
account: a named policy.

The levels, metrics and events are catalog tables read at the moment of the usage or event; the
notice schedule before an expiry is read at the expiry, each repeat at its own instant.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from pricing.engine.calcs import calc, catalog_column, choice, count, flag, moment
from pricing.engine.catalog import CatalogView as Catalog
from pricing.engine.errors import InputError
from pricing.engine.money import D, nonneg, round_at, trim
from pricing.engine.periods import as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .lineup import plan_choices
from .monthly import CLASS_METRICS, metric_class, quota_limit

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
     "reminder": "yes, the renewal reminder ahead of expiry (欠费说明 says it is sent, without exception)"},
    "none", "CB-ALERTS-AUTORENEW")


def levels(cat: Catalog) -> list[Decimal]:
    return sorted(D(r["ratio"]) for r in cat.rows("cloudbase.alerts.levels"))


def alerted(cat: Catalog) -> dict[str, str]:
    return {r["metric"]: r["zh"] for r in cat.rows("cloudbase.alerts.metrics")}


def channels(cat: Catalog) -> str:
    return ", ".join(f"{r['channel']} ({r['zh']})" for r in cat.rows("cloudbase.alerts.channels"))


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
    if p <= q < u:  # sent once usage is above the quota (使用超限)
        out.append(("over-quota", Decimal(1)))
    return out


@calc("cloudbase.alerts.usage", "The usage notices a metric's use sends within a billing cycle",
      [choice("metric", CLASS_METRICS, help="a plan metric (cloudbase.monthly.metric_classes)"),
       count("used", "quota unit", help="usage this cycle, after the change"),
       count("previous", "quota unit", "0", "usage this cycle before the change"),
       count("limit", "quota unit", None, "the quota (default: the plan's)"),
       choice("plan", plan_choices, None, "a plan of the lineup in force (its quota is the limit)"),
       moment("at", None, "when the usage is reached (default: the as-of date): levels and quotas in force then")],
      moment="at")
def _usage(cat, inputs, policies):
    metric = inputs["metric"]
    metric_class(cat, metric)
    limit = quota_limit(cat, inputs["limit"], inputs["plan"], metric)
    used, prev = inputs["used"], inputs["previous"]
    ns = usage_notices(cat, metric, used, limit, prev, policies)
    res = Result({"alerted": metric in alerted(cat), "levels": ", ".join(pct(l) for l in levels(cat)) if metric in alerted(cat) else "none",
                  "notices": ", ".join(f"{k} {pct(l)}" if k == "warning" else k for k, l in ns) or "none",
                  "count": len(ns), "channels": channels(cat)})
    res.step("metric", metric, "alerted" if metric in alerted(cat) else "no usage alerts for this metric")
    res.step("usage / quota", f"{prev} → {used} of {limit}", f"{pct(used / D(limit))} of the quota")
    for k, l in ns:
        if k == "warning":
            res.step(f"usage warning at {pct(l)}", trim(l * D(limit)), "threshold reached")
        else:
            res.step("over-quota notice", f"usage > {limit}", "the quota is exceeded")
    return res


# ------------------------------------------------------------------------------------ events

def events(cat: Catalog) -> dict[str, dict]:
    return {r["event"]: r for r in cat.rows("cloudbase.alerts.events")}


def event_notice(cat: Catalog, event: str, auto_renew: bool = False, balance_ok: bool = True) -> str:
    """The notice an event sends ('' when none)."""
    evs = events(cat)
    if event not in evs:
        raise InputError("event", event, ", ".join(evs))
    row = evs[event]
    if event != "expiring":
        return f"{row['zh']} ({event})"
    every = f"every {cat.timedelta('cloudbase.alerts.expiry_interval').days} days"
    if not auto_renew:
        return f"到期通知: renewal reminder ({every})"
    if not balance_ok:
        return f"到期通知: auto-renewal lacks balance, top up ({every})"
    return ""


@calc("cloudbase.alerts.event", "The notice an event of a plan or a pack sends",
      [choice("event", catalog_column("cloudbase.alerts.events", "event"), help="an event of cloudbase.alerts.events"),
       flag("auto_renew", False, "auto-renewal (自动续费) is on"), flag("balance_ok", True, "the balance covers the renewal"),
       moment("at", None, "when the event happens (default: the as-of date)")], moment="at")
def _event(cat, inputs, policies):
    n = event_notice(cat, inputs["event"], inputs["auto_renew"], inputs["balance_ok"])
    res = Result({"notice": n or "none", "sent": bool(n), "channels": channels(cat) if n else "none"})
    res.step("event", inputs["event"], events(cat)[inputs["event"]]["when"])
    res.step("notice", n or "none", f"by {channels(cat)}" if n else "")
    return res


def expiry_schedule(cat: Catalog, expiry: object, auto_renew: bool, balance_ok: bool,
                    policies: dict | None = None) -> tuple[list[datetime], str, dict]:
    """The moments of the expiry notices before ``expiry``, and which notice they carry. The first
    notice comes the reminder lead (in force at the expiry) ahead; each repeat follows after the
    interval in force at the previous notice."""
    e = as_datetime(expiry, "expiry")
    cat = cat.at(e)
    used = {INTERVAL.name: choose(policies, INTERVAL), AUTORENEW.name: choose(policies, AUTORENEW)}
    first = e - cat.timedelta("cloudbase.arrears.reminder_before")
    notice = event_notice(cat, "expiring", auto_renew, balance_ok)
    if not notice:
        if used[AUTORENEW.name] == "reminder":
            return [first], "续费提醒 (renewal reminder of 欠费说明)", used
        return [], "none", used
    out, t = [], first
    while t < e:
        out.append(t)
        t += cat.at(t).timedelta("cloudbase.alerts.expiry_interval") if used[INTERVAL.name] == "every-other-day" else timedelta(days=1)
    return out, notice, used


@calc("cloudbase.alerts.expiry_notices", "The expiry notices before a plan's expiry",
      [moment("expiry", help="the plan's expiry"), flag("auto_renew", False, "auto-renewal (自动续费) is on"),
       flag("balance_ok", True, "the balance covers the renewal")],
      moment="expiry", policies=[INTERVAL, AUTORENEW])
def _expiry_notices(cat, inputs, policies):
    ms, notice, used = expiry_schedule(cat, inputs["expiry"], inputs["auto_renew"], inputs["balance_ok"], policies)
    lead = cat.timedelta("cloudbase.arrears.reminder_before").days
    res = Result({"count": len(ms), "notice": notice, "dates": ", ".join(f"{m:%m-%d}" for m in ms) or "none",
                  "first": ms[0] if ms else None}, policies=used)
    res.step("auto-renew / balance sufficient", f"{'yes' if inputs['auto_renew'] else 'no'} / "
                                                f"{'yes' if inputs['balance_ok'] else 'no'}")
    res.step("first notice", ms[0] if ms else "none", f"expiry − {lead} days (the renewal reminder of 欠费说明)")
    for m in ms[1:]:
        res.step("repeat", m, used[INTERVAL.name])
    res.step("notices before expiry", len(ms), notice)
    return res


@calc("cloudbase.alerts.pack", "The notices of one resource pack: delivery, used up, expiring soon, expired",
      [moment("delivered", help="when the pack was delivered (its order instant)"), moment("expires", help="when it lapses"),
       moment("used_up", None, "when any of its metrics was used up (empty: never)")], moment="delivered")
def _pack(cat, inputs, policies):
    """The warning lead is the one in force when the pack was bought (its order instant)."""
    bought, ends = inputs["delivered"], inputs["expires"]
    if ends <= bought:
        raise InputError("expires", str(ends), f"a moment after delivered ({bought})")
    before = cat.timedelta("cloudbase.alerts.pack_expiring_before")
    evs = [(bought, "pack_delivered")]
    if inputs["used_up"] is not None:
        u = inputs["used_up"]
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
