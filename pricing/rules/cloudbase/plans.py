"""价格文档 › 套餐操作 and 包年包月套餐说明 · Plan operations and monthly plans.

A CloudBase environment runs on a monthly plan (包年包月套餐: personal, standard, enterprise,
enterprise premium). This module holds the rules of its life between purchase and expiry:

- the billing cycle: the purchase day is the billing day (账期日); monthly quotas reset on each
  billing day, counted from the purchase as anchor + n months;
- what running out of a quota does, by metric class (capacity, flow, connection);
- plan changes: an upgrade (升配) costs the monthly price difference for the days left; a
  downgrade (降配) refunds the unused share of the order minus the cost of the cheaper plan for
  the days left; either is refused while usage exceeds the target plan's quota;
- destroying the environment (停用退费) refunds the plan fee pro rata to the time left.

The worked examples leave several choices open (day counts, intermediate rounding, the formula
for the new-purchase cost). Each is a named policy whose default reproduces the printed figure.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, TENTH, ZERO, D, nonneg, positive
from pricing.engine.periods import AVERAGE_MONTH_DAYS, CALENDAR, INCLUSIVE, add_months, anniversary_periods, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result, Step
from pricing.engine.units import parse_count
from .arrears import guard_account
from pricing.engine.inputs import flag, whole_number

# ------------------------------------------------------------------------------------ policies
DAY_COUNT = policy(
    "cloudbase.plans.day_count",
    "How are the used, remaining and total days of an order counted for a refund?",
    {"inclusive": "both ends count (INCLUSIVE): 2022-11-01 → 2022-12-15 is 45 days used, the 3-month order 93 days; "
                  "remaining = total − used = 48 (the worked example: 30 + 15 and 30 + 31×2 + 1)",
     "calendar": "end − start (CALENDAR): 44 days used of 92; remaining 48"},
    "inclusive", "CB-MONTHLY-DAYCOUNT")

NEW_PURCHASE = policy(
    "cloudbase.plans.new_purchase",
    "How is the cost of the cheaper plan for the remaining days (资源新购费用) computed on a downgrade?",
    {"average-month": "remaining days / (365/12) × new monthly price (the worked example: 48 / (365/12) × 100)",
     "order-share-monthly": "remaining / order total days × the new plan's price, read as its monthly price (the prose formula)",
     "order-share-term": "remaining / order total days × the new plan's price for the order's term (months × monthly price)"},
    "average-month", "CB-MONTHLY-NEWPURCHASE")

ROUNDING = policy(
    "cloudbase.plans.downgrade_rounding",
    "Where is the downgrade refund rounded?",
    {"as-printed": "refund of resources to the fen, new-purchase cost to 0.1 yuan, then subtract (the example: 1548.39 − 157.8)",
     "fen-each": "each part to the fen, then subtract (1548.39 − 157.81)",
     "exact": "subtract the exact parts, round once to the fen"},
    "as-printed", "CB-MONTHLY-ROUNDING")

QUOTA_START = policy(
    "cloudbase.plans.upgrade_quota_start",
    "From when does the upgraded plan's quota apply?",
    {"change-instant": "from the moment of the change, for the rest of the old plan's term (价格文档: 旧套餐剩余时长; "
                       "包年包月: 套餐变更后即时生效)",
     "order-day": "from 00:00 of the day the upgrade order completes (包年包月: 升配订单完成当日)"},
    "change-instant", "CB-MONTHLY-QUOTASTART")

MONTH_END = policy(
    "cloudbase.monthly.month_end",
    "A plan bought on a day some months lack (the 29th–31st): when do its quotas reset in a shorter month?",
    {"clamp": "on that month's last day (anchor + n months, clamped)",
     "roll-forward": "on the 1st of the following month"},
    "clamp", "CB-MONTHLY-MONTHEND")

UNLISTED = policy(
    "cloudbase.monthly.unlisted_change",
    "Do quotas the change restrictions do not name (custom domains) block a plan change?",
    {"not-checked": "no: only capacity, collections and the flow metrics are named as restrictions",
     "like-capacity": "yes, like capacity: more domains than the target allows block the change until some are removed"},
    "not-checked", "CB-MONTHLY-UNLISTED")

ASYNC_DROP = policy(
    "cloudbase.monthly.async_drop",
    "After expiry, from when are the 7×24 hours of a queued asynchronous request counted?",
    {"request-age": "from the moment the request entered the queue (从请求入队列开始)",
     "since-suspension": "from the suspension (自欠费后)"},
    "request-age", "CB-MONTHLY-ASYNC")

# ------------------------------------------------------------------------------------ the plans


def plan_rows(cat: Catalog) -> list[dict]:
    return list(cat.value("cloudbase.plans"))


def plan_row(cat: Catalog, plan: str, field: str = "plan") -> dict:
    for r in plan_rows(cat):
        if r["plan"] == plan:
            return r
    raise InputError(field, plan, ", ".join(r["plan"] for r in plan_rows(cat)))


def plan_rank(cat: Catalog, plan: str, field: str = "plan") -> int:
    plan_row(cat, plan, field)
    return [r["plan"] for r in plan_rows(cat)].index(plan)


def plan_price(cat: Catalog, plan: str, field: str = "plan") -> Decimal:
    """The monthly list price; a plan sold on request ('contact us') has none and is refused."""
    row = plan_row(cat, plan, field)
    pid = f"cloudbase.plan.{plan}.price"
    if not cat.has(pid):
        raise RuleError(field, f"{plan} ({row['zh']}) has no list price (联系我们 / contact us): "
                               "its fees and refunds cannot be computed from the guide; ask Tencent Cloud for a quote")
    return cat.dec(pid)


def quota(cat: Catalog, plan: str, metric: str) -> Decimal | None:
    """A plan's quota for a metric of the quota table; None where the table says 'custom'."""
    plan_row(cat, plan)
    for r in cat.value("cloudbase.quotas"):
        if r["metric"] == metric:
            v = r[plan]
            return None if v == "custom" else D(v)
    raise InputError("metric", metric, ", ".join(r["metric"] for r in cat.value("cloudbase.quotas")))


def metric_classes(cat: Catalog) -> dict[str, dict]:
    return {r["metric"]: r for r in cat.value("cloudbase.monthly.metric_classes")}


def metric_class(cat: Catalog, metric: str) -> dict:
    rows = metric_classes(cat)
    if metric not in rows:
        raise InputError("metric", metric, ", ".join(rows))
    return rows[metric]




def whole(value: object, field: str, minimum: int = 1) -> int:
    return whole_number(value, field, minimum)


def _price(cat: Catalog, inputs: dict, which: str) -> tuple[Decimal, str]:
    """A monthly price from ``<which>_plan`` (catalog) or ``<which>_price`` (an illustrative figure)."""
    if f"{which}_plan" in inputs:
        plan = inputs[f"{which}_plan"]
        return plan_price(cat, plan, f"{which}_plan"), f"{plan} ({plan_row(cat, plan)['zh']})"
    if f"{which}_price" in inputs:
        return positive(inputs[f"{which}_price"], f"{which}_price"), "illustrative price"
    raise InputError(f"{which}_plan", None, f"a plan id ({', '.join(r['plan'] for r in plan_rows(cat))}) or {which}_price")


# ------------------------------------------------------------------------------------ days


def month_split(first: date, last: date) -> list[tuple[str, int]]:
    """The days first..last (both included) split by calendar month: [('2022-12', 16), ('2023-01', 31), ...]."""
    out: list[tuple[str, int]] = []
    d = first
    while d <= last:
        nxt = (d.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(last, nxt - timedelta(days=1))
        out.append((f"{d:%Y-%m}", (end - d).days + 1))
        d = end + timedelta(days=1)
    return out


def split_text(parts: list[tuple[str, int]]) -> str:
    return " + ".join(f"{n} ({m})" for m, n in parts) + f" = {sum(n for _, n in parts)}"


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


@calc("cloudbase.monthly.cycles")
def _cycles(cat, inputs, policies):
    """Billing day, quota resets and expiry of a plan bought for some months."""
    bought = as_datetime(inputs["purchased"], "purchased")
    months = whole(inputs["months"], "months")
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


def exhaustion(cat: Catalog, metric: str, used: object, limit: object, at: object, purchased: object,
               pay_as_you_go: bool = False, policies: dict | None = None) -> Result:
    """What happens to a metric at ``used`` of a ``limit`` quota, at moment ``at`` of a plan bought at ``purchased``."""
    row = metric_class(cat, metric)
    u, q = nonneg(used, "used"), nonneg(limit, "limit")
    t = as_datetime(at, "at")
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
        settle = datetime.combine(t.date(), time()) + cat.duration("cloudbase.monthly.overage_settlement")
        res.step("pay-as-you-go is on", "use continues", "the part beyond the quota is billed as overage")
        res.step("overage settled", settle, "the next day")
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


@calc("cloudbase.monthly.exhausted")
def _exhausted(cat, inputs, policies):
    metric = inputs["metric"]
    limit = inputs["limit"] if "limit" in inputs else quota(cat, inputs["plan"], metric)
    if limit is None:
        raise RuleError("limit", f"{inputs['plan']} has a custom quota for {metric}; pass limit")
    return exhaustion(cat, metric, parse_count(inputs["used"], "used"), limit, inputs["at"], inputs["purchased"],
                      flag(inputs, "pay_as_you_go"), policies)


@calc("cloudbase.monthly.async_request")
def _async_request(cat, inputs, policies):
    """Fate of an unprocessed asynchronous function request once the plan has expired."""
    queued = as_datetime(inputs["enqueued"], "enqueued")
    stopped = as_datetime(inputs["suspended"], "suspended")
    back = as_datetime(inputs["restored"], "restored")
    if stopped < queued:
        raise InputError("suspended", str(stopped), f"a moment at or after enqueued ({queued}): no new request is queued after suspension")
    if back < stopped:
        raise InputError("restored", str(back), f"a moment at or after suspended ({stopped})")
    keep = cat.duration("cloudbase.monthly.async_retention")
    reading = choose(policies, ASYNC_DROP)
    clock = queued if reading == "request-age" else stopped
    drop_at = clock + keep
    dropped = back > drop_at
    res = Result({"drop_at": drop_at, "fate": "dropped" if dropped else "processed after restore"},
                 policies={ASYNC_DROP.name: reading})
    res.step("request queued", queued)
    res.step("service suspended (queue paused)", stopped)
    res.step("service restored", back)
    res.step("7×24 h counted from", clock, reading)
    res.step("dropped from", drop_at, f"{clock:%Y-%m-%d %H:%M:%S} + {keep.days} days {keep.hours} h".replace(" 0 h", ""))
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


def target_limits(cat: Catalog, inputs: dict) -> tuple[dict[str, Decimal | None], str]:
    """The target's limits: a plan id (the quota table), or ``limit_<metric>`` figures (the guide's hypothetical 低配版)."""
    limits: dict[str, Decimal | None] = {}
    if "target" in inputs:
        plan = inputs["target"]
        for r in cat.value("cloudbase.quotas"):
            limits[r["metric"]] = quota(cat, plan, r["metric"])
        label = f"{plan} ({plan_row(cat, plan)['zh']})"
    else:
        label = "the example's lower plan (低配版)"
    for k, v in inputs.items():
        if k.startswith("limit_"):
            m = k[len("limit_"):]
            metric_class(cat, m)
            limits[m] = parse_count(v, k)
    if not limits:
        raise InputError("target", None, "a plan id or limit_<metric> figures")
    return limits, label


def usages(cat: Catalog, inputs: dict) -> dict[str, Decimal]:
    out = {}
    for k, v in inputs.items():
        if k.startswith("used_"):
            m = k[len("used_"):]
            metric_class(cat, m)
            out[m] = parse_count(v, k)
    return out


def change_blocks(cat: Catalog, used: dict[str, Decimal], limits: dict[str, Decimal | None],
                  policies: dict | None = None) -> list[Block]:
    """Every metric whose current usage exceeds the target's quota and that restricts a change."""
    unlisted = choose(policies, UNLISTED)
    blocks = []
    for m, u in sorted(used.items()):
        row = metric_class(cat, m)
        lim = limits.get(m)
        if lim is None or u <= lim:
            continue
        if row["change"] == "blocks":
            blocks.append(Block(m, u, lim, row["class"], "clean-up" if row["class"] == "capacity" else "wait-next-cycle"))
        elif unlisted == "like-capacity" and m == "domains":
            blocks.append(Block(m, u, lim, "capacity", "clean-up"))
    return blocks


def remedy_text(b: Block, reset: datetime | None) -> str:
    if b.remedy == "clean-up":
        return f"clean up until usage is at most {b.limit}, then retry"
    when = f" (from {reset:%Y-%m-%d %H:%M:%S})" if reset else ""
    return f"used flow cannot be given back: retry in the next billing cycle{when}"


def require_change_allowed(cat: Catalog, used: dict[str, Decimal], limits: dict[str, Decimal | None], label: str,
                           at: object = None, purchased: object = None, policies: dict | None = None) -> None:
    """Raise a RuleError naming each blocking metric and its remedy; return quietly if the change is allowed."""
    blocks = change_blocks(cat, used, limits, policies)
    if not blocks:
        return
    reset = next_reset(purchased, at, choose(policies, MONTH_END)) if at is not None and purchased is not None else None
    parts = [f"{b.metric} usage {b.used} exceeds {label}'s quota {b.limit} ({b.cls}: {remedy_text(b, reset)})" for b in blocks]
    raise RuleError("usage." + ",".join(b.metric for b in blocks), "plan change refused: " + "; ".join(parts))


@calc("cloudbase.monthly.change_check")
def _change_check(cat, inputs, policies):
    """Whether a plan change is allowed now, and if not, what must happen first."""
    used = usages(cat, inputs)
    limits, label = target_limits(cat, inputs)
    at = as_datetime(inputs["at"], "at")
    bought = as_datetime(inputs["purchased"], "purchased")
    me = choose(policies, MONTH_END)
    blocks = change_blocks(cat, used, limits, policies)
    res = Result({}, policies={MONTH_END.name: me, UNLISTED.name: choose(policies, UNLISTED)})
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


# ------------------------------------------------------------------------------------ upgrade


def upgrade_fee(cat: Catalog, old_price: Decimal, new_price: Decimal, at: object, expiry: object,
                discount: object = None) -> Result:
    """升配费用 = monthly price difference × upgrade days / (365/12) × discount; days = expiry − now."""
    t, e = as_datetime(at, "at"), as_datetime(expiry, "expiry")
    if e <= t:
        raise InputError("expiry", str(e), f"a moment after the upgrade ({t}): an expired plan is renewed, not upgraded")
    if new_price <= old_price:
        raise RuleError("new_price", f"{new_price} is not dearer than {old_price}: a change that costs nothing "
                                     "is a downgrade (refund rule), not an upgrade")
    k = nonneg(discount if discount is not None else cat.dec("cloudbase.plan_ops.upgrade_discount"), "discount")
    if k > 1 or k == 0:
        raise InputError("discount", str(k), "a factor in (0, 1]")
    days = CALENDAR.days(t, e)
    diff = new_price - old_price
    exact = diff * days / AVERAGE_MONTH_DAYS * k
    fee = BILLED(exact)
    res = Result({"diff": diff, "days": days, "discount": k, "fee_exact": exact, "fee": fee})
    res.step("monthly price difference (按月升配差价)", diff, f"{new_price} − {old_price}")
    res.step("upgrade days (升配天数) = expiry − now", days,
             f"{e:%Y-%m-%d} − {t:%Y-%m-%d}; by month, the days after the change through the expiry day: "
             + split_text(month_split(t.date() + timedelta(days=1), e.date())))
    res.step("average month (365/12)", AVERAGE_MONTH_DAYS)
    res.step("discount (适用折扣)", k, "the discount table is not given; default 1")
    res.step("fee, exact", exact, f"{diff} × {days} / (365/12) × {k}")
    res.step("fee, billed", fee, "half-up to the fen")
    return res


@calc("cloudbase.plans.upgrade_fee")
def _upgrade_fee(cat, inputs, policies):
    guard_account(inputs, "upgrade")
    old, old_label = _price(cat, inputs, "old")
    new, new_label = _price(cat, inputs, "new")
    r = upgrade_fee(cat, old, new, inputs["at"], inputs["expiry"], inputs.get("discount"))
    r.steps.insert(0, Step("from → to", f"{old_label} {old}/month → {new_label} {new}/month"))
    return r


@calc("cloudbase.plans.upgrade_window")
def _upgrade_window(cat, inputs, policies):
    """The upgraded plan's term: from the change to the old plan's unchanged expiry."""
    guard_account(inputs, "upgrade")
    start = as_datetime(inputs["start"], "start")
    expiry = as_datetime(inputs["expiry"], "expiry")
    at = as_datetime(inputs["at"], "at")
    if not start <= at < expiry:
        raise InputError("at", str(at), f"a moment within the plan's term [{start}, {expiry})")
    old, new = inputs["old_plan"], inputs["new_plan"]
    if plan_rank(cat, new, "new_plan") <= plan_rank(cat, old, "old_plan"):
        raise RuleError("new_plan", f"{new} is not above {old}: choose a higher plan to upgrade")
    reading = choose(policies, QUOTA_START)
    begins = at if reading == "change-instant" else datetime.combine(at.date(), time())
    res = Result({"new_start": begins, "new_start_date": begins.date(), "new_end": expiry, "new_end_date": expiry.date(),
                  "expiry_moved": False}, policies={QUOTA_START.name: reading})
    res.step("old plan", f"{old} ({plan_row(cat, old)['zh']})", f"{start:%Y-%m-%d} → {expiry:%Y-%m-%d}")
    res.step("change ordered", at)
    res.step(f"new plan {new} ({plan_row(cat, new)['zh']}) quota from", begins, reading)
    res.step("new plan runs until", expiry, "the old expiry: an upgrade never moves it, and no duration is chosen")
    if new != "enterprise_premium":
        fee = upgrade_fee(cat, plan_price(cat, old, "old_plan"), plan_price(cat, new, "new_plan"), at, expiry)
        res.outputs["fee"] = fee.outputs["fee"]
        res.step("upgrade fee at list prices", fee.outputs["fee"],
                 f"({fee.outputs['diff']}) × {fee.outputs['days']} / (365/12)")
    return res


# ------------------------------------------------------------------------------------ downgrade


def downgrade_refund(cat: Catalog, old_price: Decimal, new_price: Decimal, months: int, start: object, at: object,
                     paid: object = None, unstarted: object = 0, policies: dict | None = None) -> Result:
    """降配退还费用 = refund of resources − new-purchase cost; nothing is paid out when it is <= 0."""
    used_pol = {p.name: choose(policies, p) for p in (DAY_COUNT, NEW_PURCHASE, ROUNDING)}
    dc = INCLUSIVE if used_pol[DAY_COUNT.name] == "inclusive" else CALENDAR
    s, t = as_datetime(start, "start"), as_datetime(at, "at")
    expiry = add_months(s, months)
    if not s <= t < expiry:
        raise InputError("at", str(t), f"a moment within the order's term [{s}, {expiry})")
    if new_price >= old_price:
        raise RuleError("new_price", f"{new_price} is not cheaper than {old_price}: that is an upgrade")
    amount = nonneg(paid, "paid") if paid is not None else old_price * months
    later = nonneg(unstarted, "unstarted")
    total = dc.days(s, expiry)
    used = dc.days(s, t)
    remaining = total - used
    consumed = Decimal(used) / Decimal(total) * amount
    refund_of_resources = amount + later - consumed
    np = used_pol[NEW_PURCHASE.name]
    if np == "average-month":
        new_cost = Decimal(remaining) / AVERAGE_MONTH_DAYS * new_price
        how = f"{remaining} / (365/12) × {new_price}"
    elif np == "order-share-monthly":
        new_cost = Decimal(remaining) / Decimal(total) * new_price
        how = f"{remaining} / {total} × {new_price}"
    else:
        new_cost = Decimal(remaining) / Decimal(total) * new_price * months
        how = f"{remaining} / {total} × {new_price} × {months}"
    rounding = used_pol[ROUNDING.name]
    if rounding == "as-printed":
        rr, nc = BILLED(refund_of_resources), TENTH(new_cost)
    elif rounding == "fen-each":
        rr, nc = BILLED(refund_of_resources), BILLED(new_cost)
    else:
        rr, nc = refund_of_resources, new_cost
    raw = rr - nc
    refund = BILLED(raw) if raw > 0 else ZERO
    res = Result({"total_days": total, "used_days": used, "remaining_days": remaining, "paid": amount,
                  "consumed": consumed, "resource_refund": rr, "new_purchase": nc,
                  "resource_refund_exact": refund_of_resources, "new_purchase_exact": new_cost,
                  "refund_exact": refund_of_resources - new_cost, "refund": refund, "expiry": expiry,
                  "downgraded": True}, policies=used_pol)
    res.step("order", f"{months} months × {old_price} = {old_price * months}", f"{s:%Y-%m-%d} → {expiry:%Y-%m-%d}")
    res.step("order amount (订单总金额, cash paid)", amount, "vouchers and discounts are not part of it and never come back")
    if later:
        res.step("orders not yet started (未开始订单金额)", later, "price-list wording: refunded in full")
    res.step("total days (订单总时长)", total, f"{dc.name}: " + split_text(month_split(s.date(), expiry.date() if dc.include_end else expiry.date() - timedelta(days=1))))
    res.step("used days (已使用时长)", used, f"{dc.name}: " + split_text(month_split(s.date(), t.date() if dc.include_end else t.date() - timedelta(days=1))))
    res.step("remaining days (剩余时长)", remaining, "total − used")
    res.step("consumed (资源已消费金额)", consumed, f"{used} / {total} × {amount}")
    res.step("refund of resources (资源清退退款)", rr, f"{amount}{' + ' + str(later) if later else ''} − consumed; {rounding}")
    res.step("new-purchase cost (资源新购费用)", nc, f"{how}; {np}, {rounding}")
    res.step("refund (降配退还费用)", refund if raw > 0 else raw,
             f"{rr} − {nc}" + ("" if raw > 0 else ": not above 0, so the plan is downgraded without a refund"))
    return res


@calc("cloudbase.plans.downgrade_refund")
def _downgrade_refund(cat, inputs, policies):
    guard_account(inputs, "downgrade")
    old, _ = _price(cat, inputs, "old")
    new, _ = _price(cat, inputs, "new")
    if "new_plan" in inputs and any(k.startswith("used_") for k in inputs):
        limits, label = target_limits(cat, {"target": inputs["new_plan"]})
        require_change_allowed(cat, usages(cat, inputs), limits, label, inputs["at"], inputs["start"], policies)
    return downgrade_refund(cat, old, new, whole(inputs["months"], "months"), inputs["start"], inputs["at"],
                            inputs.get("paid"), inputs.get("unstarted", "0"), policies)


def downgrade(cat: Catalog, old_plan: str, new_plan: str, months: int, start: object, at: object,
              used: dict | None = None, account_in_arrears: bool = False, policies: dict | None = None) -> Result:
    """A downgrade between list plans: refused (RuleError) while usage exceeds the target's quota."""
    guard_account({"account_in_arrears": account_in_arrears}, "downgrade")
    if plan_rank(cat, new_plan, "new_plan") >= plan_rank(cat, old_plan, "old_plan"):
        raise RuleError("new_plan", f"{new_plan} is not below {old_plan}: choose a lower plan to downgrade")
    old, new = plan_price(cat, old_plan, "old_plan"), plan_price(cat, new_plan, "new_plan")
    limits, label = target_limits(cat, {"target": new_plan})
    u = {k: parse_count(v, f"used.{k}") for k, v in (used or {}).items()}
    for k in u:
        metric_class(cat, k)
    require_change_allowed(cat, u, limits, label, at, start, policies)
    return downgrade_refund(cat, old, new, months, start, at, policies=policies)


# ------------------------------------------------------------------------------------ destroy (停用退费)


def destroy_refund(cat: Catalog, paid: object, start: object, expiry: object, at: object,
                   payg_fees: object = 0, policies: dict | None = None) -> Result:
    """Destroying the environment refunds the plan fee × remaining / current validity; pay-as-you-go fees stay."""
    reading = choose(policies, DAY_COUNT)
    dc = INCLUSIVE if reading == "inclusive" else CALENDAR
    s, e, t = as_datetime(start, "start"), as_datetime(expiry, "expiry"), as_datetime(at, "at")
    if not s <= t < e:
        raise InputError("at", str(t), f"a moment within the plan's term [{s}, {e})")
    amount = nonneg(paid, "paid")
    total, used = dc.days(s, e), dc.days(s, t)
    remaining = total - used
    exact = Decimal(remaining) / Decimal(total) * amount
    res = Result({"total_days": total, "remaining_days": remaining, "refund_exact": exact, "refund": BILLED(exact),
                  "payg_refunded": ZERO}, policies={DAY_COUNT.name: reading})
    res.step("plan fee paid (cash)", amount)
    res.step("current validity (当前有效期)", total, f"{s:%Y-%m-%d} → {e:%Y-%m-%d}, {dc.name}")
    res.step("remaining valid time (剩余有效时间)", remaining, f"total − used ({used})")
    res.step("refund", BILLED(exact), f"{remaining} / {total} × {amount}")
    res.step("pay-as-you-go fees already incurred", nonneg(payg_fees, "payg_fees"), "not refunded")
    return res


@calc("cloudbase.plans.destroy_refund")
def _destroy(cat, inputs, policies):
    if "paid" in inputs:
        paid = inputs["paid"]
    else:
        paid = plan_price(cat, inputs["plan"]) * whole(inputs["months"], "months")
    expiry = inputs.get("expiry") or add_months(inputs["start"], whole(inputs["months"], "months"))
    return destroy_refund(cat, paid, inputs["start"], expiry, inputs["at"], inputs.get("payg_fees", "0"), policies)


# ------------------------------------------------------------------------------------ new purchase (新购)

TRIAL = policy(
    "cloudbase.plan_ops.trial",
    "How long does a new user's free environment last?",
    {"one-month": "one month from creation (价格文档 › 套餐操作 › 新购)",
     "until-launch": "through development until the mini program goes live, then to a fixed day after launch "
                     "(价格文档 › 免费体验活动); not computable here without a launch date"},
    "one-month", "CB-PLANOPS-TRIAL")


@calc("cloudbase.plan_ops.trial")
def _trial(cat, inputs, policies):
    created = as_datetime(inputs["created"], "created")
    reading = choose(policies, TRIAL)
    if reading != "one-month":
        raise RuleError("policies", "the until-launch reading needs the launch date and the free-trial activity's rule, "
                                    "which belong to 价格文档 › 免费体验活动")
    n, unit = cat.value("cloudbase.plan_ops.trial")
    ends = add_months(created, n) if unit == "months" else created + cat.duration("cloudbase.plan_ops.trial")
    plan = cat.value("cloudbase.plan_ops.trial_plan")
    res = Result({"trial_end": ends, "quota_plan": plan}, policies={TRIAL.name: reading})
    res.step("environment created", created)
    res.step("free trial ends", ends, f"created + {n} {unit}")
    res.step("quotas", f"as {plan} ({plan_row(cat, plan)['zh']})", "overage beyond them optional")
    return res
