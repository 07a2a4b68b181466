"""包年包月套餐说明 · Monthly plans: billing cycle, quota exhaustion, expiry, change restrictions.

- the billing cycle: the purchase day is the billing day (账期日); monthly quotas reset on each
  billing day, counted from the purchase as anchor + n months;
- what running out of a quota does, by metric class (``cloudbase.monthly.metric_classes``:
  capacity, flow, connection);
- after expiry, queued asynchronous function requests are kept for
  ``cloudbase.monthly.async_retention``;
- a plan change is refused while usage exceeds the target plan's quota (capacity: until cleaned
  up; flow: until the next billing cycle).

The upgrade fee and the downgrade refund are in :mod:`.plans`. Quotas are read from the quota
table in force at the moment of the check (:mod:`.lineup`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from pricing.engine.calcs import calc, catalog_column, choice, count, flag, moment, table, whole as whole_input
from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.money import D, nonneg
from pricing.engine.periods import add_months, anniversary_periods, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import parse_count
from pricing.rules import conventions as _conventions
from . import lineup

CLASSES = "cloudbase.monthly.metric_classes"
CLASS_METRICS = catalog_column(CLASSES, "metric")

# the month-end rule of the billing day is the package-wide one (periods.month_end, CB-MONTHLY-MONTHEND)
MONTH_END = _conventions.MONTH_END

ASYNC_DROP = policy(
    "cloudbase.monthly.async_drop",
    "After expiry, from when is the retention of a queued asynchronous request (cloudbase.monthly.async_retention) counted?",
    {"request-age": "from the moment the request entered the queue (从请求入队列开始)",
     "since-suspension": "from the suspension (自欠费后)"},
    "request-age", "CB-MONTHLY-ASYNC")


# ------------------------------------------------------------------------------------ quotas and classes
def plan_quota(cat: CatalogView, plan: str, metric: str, field: str = "plan") -> Decimal | None:
    """A plan's quota for a metric of the quota table in force; None where the table says 'custom'."""
    lineup.plan_row(cat, plan, field)
    if metric not in lineup.metric_ids(cat):
        raise InputError("metric", metric, f"a metric of the quota table: {' | '.join(lineup.metric_ids(cat))}")
    v = lineup.quota_cell(cat, plan, metric)
    return None if v == lineup.CUSTOM else D(v)


def quota_limit(cat: CatalogView, limit: Decimal | None, plan: str | None, metric: str) -> Decimal:
    """The limit a usage is measured against: ``limit`` when given, else ``plan``'s quota for
    ``metric`` in force. :class:`InputError` when neither is given; :class:`RuleError` for a plan
    whose quota is 'custom' (单独定制: set per customer, so the caller must pass it)."""
    if limit is not None:
        return limit
    if plan is None:
        raise InputError("limit", None, "a figure, or a plan whose quota gives it")
    quota = plan_quota(cat, plan, metric)
    if quota is None:
        raise RuleError("limit", f"plan {plan} has a custom quota for {metric}: pass limit")
    return quota


def metric_classes(cat: CatalogView) -> dict[str, dict]:
    return {r["metric"]: r for r in cat.rows(CLASSES)}


def metric_class(cat: CatalogView, metric: str, field: str = "metric") -> dict:
    rows = metric_classes(cat)
    if metric not in rows:
        raise InputError(field, metric, " | ".join(rows))
    return rows[metric]


# ------------------------------------------------------------------------------------ billing cycle
def cycles(purchased: object, months: int, month_end: str = "clamp"):
    """The billing cycles of a plan bought at ``purchased`` for ``months`` months."""
    return anniversary_periods(purchased, months, month_end)


def next_reset(purchased: object, at: object, month_end: str = "clamp") -> datetime:
    """The first billing day after ``at`` (anchor + n months, never repeated addition)."""
    p, t = as_datetime(purchased, "purchased"), as_datetime(at, "at")
    if t < p:
        raise InputError("at", str(t), f"a moment at or after the purchase ({p})")
    n = 1
    while add_months(p, n, month_end) <= t:
        n += 1
    return add_months(p, n, month_end)


PURCHASED = moment("purchased", help="the purchase instant (its day is the billing day, 账期日)")


@calc("cloudbase.monthly.cycles", "Billing day, quota resets and expiry of a plan bought for some months",
      [PURCHASED, whole_input("months", "months", help="months bought", minimum=1, maximum=1200)],
      moment="purchased", policies=[MONTH_END])
def _cycles(cat, inputs, policies):
    bought, months = inputs["purchased"], inputs["months"]
    me = choose(policies, MONTH_END)
    ws = cycles(bought, months, me)
    res = Result({}, policies={MONTH_END.name: me})
    res.step("purchased (账期日 = the purchase day)", bought, f"billing day: day {bought.day} of each month")
    for k, w in enumerate(ws, 1):
        res.step(f"billing cycle {k}", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.end:%Y-%m-%d %H:%M:%S}",
                 "purchase + %d month(s) → purchase + %d month(s)" % (k - 1, k))
    expiry = add_months(bought, months, me)
    res.step("expiry", expiry, f"purchase + {months} months")
    resets = [w.start for w in ws[1:]]
    res.outputs.update(expiry=expiry, expiry_date=expiry.date(), billing_day=bought.day, cycles=len(ws),
                       first_reset=resets[0] if resets else None,
                       first_reset_date=resets[0].date() if resets else None,
                       resets=", ".join(f"{r:%Y-%m-%d}" for r in resets) or "none")
    return res


# ------------------------------------------------------------------------------------ exhaustion
EFFECTS = {
    "capacity": ("no more data can be stored or processed", "clean data up below the quota, or upgrade"),
    "flow": ("the resource cannot be used until the next billing day", "wait for the next billing cycle, or upgrade"),
    "connection": ("open connections go on; new ones are refused", "wait until some connections close"),
    "unlisted": ("the section does not say", "—"),
}


def exhaustion(cat: CatalogView, metric: str, used: object, limit: object, at: object, purchased: object,
               pay_as_you_go: bool = False, policies: dict | None = None) -> Result:
    """What happens to a metric at ``used`` of a ``limit`` quota, at moment ``at`` of a plan bought
    at ``purchased`` (the settlement delay in force at ``at``)."""
    t = as_datetime(at, "at")
    cat = cat.at(t)
    row = metric_class(cat, metric)
    u, q = nonneg(used, "used"), nonneg(limit, "limit")
    me = choose(policies, MONTH_END)
    res = Result({}, policies={MONTH_END.name: me})
    cls = row["class"]
    res.step("metric", f"{metric} ({row['zh']})", f"class: {cls}")
    res.step("usage / quota", f"{u} / {q}")
    exhausted = u >= q
    out = {"metric": metric, "class": cls, "exhausted": exhausted, "blocked": False, "until": "—", "settled_at": None}
    if not exhausted:
        res.step("state", "within quota")
        out["effect"] = "none"
    elif pay_as_you_go and cls in ("capacity", "flow"):
        delay = cat.duration("cloudbase.monthly.overage_settlement")
        settle = datetime.combine(t.date(), time()) + delay
        res.step("pay-as-you-go is on", "use continues", "the part beyond the quota is billed as overage")
        res.step("overage settled", settle, f"the day's overage, {delay.days} day(s) after the day")
        out.update(effect="billed as overage", settled_at=settle)
    else:
        effect, remedy = EFFECTS[cls]
        out.update(effect=effect, blocked=cls in ("capacity", "flow"), remedy=remedy)
        if pay_as_you_go:
            res.step("pay-as-you-go is on", "not applied",
                     "the section offers pay-as-you-go for used-up amounts; it says nothing of it for connection limits")
        if cls == "flow":
            reset = next_reset(purchased, t, me)
            out["until"] = reset
            res.step("blocked until", reset, "the next billing day (quotas reset)")
        elif cls == "capacity":
            out["until"] = "cleaned up below the quota"
        res.step("effect", effect, remedy)
    res.outputs.update(out)
    return res


AT = moment("at", help="the moment of the check: the quota table in force then")
PLAN_OPT = choice("plan", lineup.plan_choices, None, "a plan of the lineup in force (its quota is the limit)")


@calc("cloudbase.monthly.exhausted", "What running out of a quota does to a metric",
      [choice("metric", CLASS_METRICS, help="a metric of cloudbase.monthly.metric_classes"),
       count("used", "quota unit", help="usage this cycle"),
       count("limit", "quota unit", None, "the quota (default: the plan's quota)"), PLAN_OPT, AT, PURCHASED,
       flag("pay_as_you_go", False, "pay-as-you-go beyond the quota (按量付费) is switched on")],
      moment="at", policies=[MONTH_END])
def _exhausted(cat, inputs, policies):
    metric = inputs["metric"]
    limit = quota_limit(cat, inputs["limit"], inputs["plan"], metric)
    return exhaustion(cat, metric, inputs["used"], limit, inputs["at"], inputs["purchased"], inputs["pay_as_you_go"], policies)


@calc("cloudbase.monthly.async_request", "Fate of a queued asynchronous function request once the plan has expired",
      [moment("enqueued", help="when the request entered the queue"),
       moment("suspended", help="when the plan was suspended (the queue paused)"),
       moment("restored", help="when service came back (a renewal)")],
      moment="suspended", policies=[ASYNC_DROP])
def _async_request(cat, inputs, policies):
    """The retention in force at the suspension applies."""
    queued, stopped, back = inputs["enqueued"], inputs["suspended"], inputs["restored"]
    if stopped < queued:
        raise InputError("suspended", str(stopped), f"a moment at or after enqueued ({queued}): no new request is queued after suspension")
    if back < stopped:
        raise InputError("restored", str(back), f"a moment at or after suspended ({stopped})")
    keep = cat.timedelta("cloudbase.monthly.async_retention")
    reading = choose(policies, ASYNC_DROP)
    clock = queued if reading == "request-age" else stopped
    drop_at = clock + keep
    dropped = back > drop_at
    res = Result({"drop_at": drop_at, "fate": "dropped" if dropped else "processed after restore"},
                 policies={ASYNC_DROP.name: reading})
    hours = int(keep.total_seconds()) // 3600
    res.step("request queued", queued)
    res.step("service suspended (queue paused)", stopped)
    res.step("service restored", back)
    res.step(f"{hours} h retention counted from", clock, reading)
    res.step("dropped from", drop_at, f"{clock:%Y-%m-%d %H:%M:%S} + {hours} h")
    res.step("fate", res.outputs["fate"])
    return res


# ------------------------------------------------------------------------------------ change restrictions
@dataclass(frozen=True)
class Block:
    metric: str
    used: Decimal
    limit: Decimal
    cls: str
    remedy: str  # 'clean-up' | 'wait-next-cycle'


def metric_table(cat: CatalogView, raw: object, field: str) -> dict[str, Decimal]:
    """A table ``{metric: amount}`` whose metrics are those of the metric classes in force."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise InputError(field, raw, "a table of metric = amount, metrics: " + " | ".join(metric_classes(cat)))
    out = {}
    for k, v in raw.items():
        metric_class(cat, k, f"{field}.{k}")
        out[k] = parse_count(v, f"{field}.{k}")
    return out


def target_limits(cat: CatalogView, target: str | None, limits: object = None) -> tuple[dict[str, Decimal | None], str]:
    """The target's limits: a plan of the lineup in force (its quotas), and/or ``limits`` figures
    (the guide's hypothetical lower plan, 低配版), which override."""
    out: dict[str, Decimal | None] = {}
    if target is not None:
        for m in lineup.metric_ids(cat):
            out[m] = plan_quota(cat, target, m, "target")
        label = lineup.plan_label(cat, target, "target")
    else:
        label = "the example's lower plan (低配版)"
    out.update(metric_table(cat, limits, "limits"))
    if not out:
        raise InputError("target", None, "a plan id or limits figures")
    return out, label


def change_blocks(cat: CatalogView, used: dict[str, Decimal], limits: dict[str, Decimal | None],
                  policies: dict | None = None) -> list[Block]:
    """Every metric whose current usage exceeds the target's quota and that restricts a change."""
    blocks = []  # quotas the restrictions do not name (custom domains) do not block a change
    for m, u in sorted(used.items()):
        row = metric_class(cat, m)
        lim = limits.get(m)
        if lim is None or u <= lim:
            continue
        if row["change"] == "blocks":
            blocks.append(Block(m, u, lim, row["class"], "clean-up" if row["class"] == "capacity" else "wait-next-cycle"))
    return blocks


def remedy_text(b: Block, reset: datetime | None) -> str:
    if b.remedy == "clean-up":
        return f"clean up until usage is at most {b.limit}, then retry"
    when = f" (from {reset:%Y-%m-%d %H:%M:%S})" if reset else ""
    return f"used flow cannot be given back: retry in the next billing cycle{when}"


def require_change_allowed(cat: CatalogView, used: dict[str, Decimal], limits: dict[str, Decimal | None], label: str,
                           at: object = None, purchased: object = None, policies: dict | None = None) -> None:
    """Raise a RuleError naming each blocking metric and its remedy; return quietly if the change is allowed."""
    blocks = change_blocks(cat, used, limits, policies)
    if not blocks:
        return
    reset = next_reset(purchased, at, choose(policies, MONTH_END)) if at is not None and purchased is not None else None
    parts = [f"{b.metric} usage {b.used} exceeds {label}'s quota {b.limit} ({b.cls}: {remedy_text(b, reset)})" for b in blocks]
    raise RuleError("used." + ",".join(b.metric for b in blocks), "plan change refused: " + "; ".join(parts))


USED = table("used", "quota units", {}, "current usage per metric, e.g. {storage_traffic_gb = \"145\"}")


@calc("cloudbase.monthly.change_check", "Whether a plan change is allowed now, and if not, what must happen first",
      [choice("target", lineup.plan_choices, None, "the target plan (its quotas are the limits)"),
       table("limits", "quota units", {}, "limits per metric (the guide's hypothetical lower plan); override the target's"),
       USED, AT, PURCHASED],
      moment="at", policies=[MONTH_END])
def _change_check(cat, inputs, policies):
    used = metric_table(cat, inputs["used"], "used")
    limits, label = target_limits(cat, inputs["target"], inputs["limits"])
    at, bought = inputs["at"], inputs["purchased"]
    me = choose(policies, MONTH_END)
    blocks = change_blocks(cat, used, limits, policies)
    res = Result({}, policies={MONTH_END.name: me})
    res.step("target", label)
    for m, u in sorted(used.items()):
        lim = limits.get(m)
        row = metric_class(cat, m)
        verdict = "no limit in the target" if lim is None else ("within" if u <= lim else "exceeds")
        res.step(f"{m} ({row['zh']})", f"{u} / {lim if lim is not None else '—'}", f"{row['class']}: {verdict}")
    reset = next_reset(bought, at, me)
    remedies = sorted({b.remedy for b in blocks})
    res.outputs.update(allowed=not blocks, blocked_by=", ".join(b.metric for b in blocks) or "none",
                       remedy=" and ".join(remedies) or "none",
                       earliest=reset.date() if "wait-next-cycle" in remedies else (at.date() if not blocks else "after clean-up"))
    for b in blocks:
        res.step(f"blocked by {b.metric}", b.remedy, remedy_text(b, reset))
    if not blocks:
        res.step("outcome", "allowed")
    return res
