"""价格文档 › 套餐操作 and 包年包月套餐说明 · Plan operations: upgrade, downgrade, destroy, trial.

- An upgrade (升配) costs the monthly price difference for the days left; a downgrade (降配)
  refunds the unused share of the order minus the cost of the cheaper plan for the days left;
  either is refused while usage exceeds the target plan's quota (:mod:`.monthly`).
- Which way a change between two plans goes is the lineup's rank (:mod:`.lineup`), not the
  prices: a move to a plan ranked higher is an upgrade even at the same price (its fee is then 0).
  With illustrative prices and no plans (the guide's worked examples), the prices decide.
- Destroying the environment (停用退费) refunds the plan fee pro rata to the time left.
- Every operation is priced at its order instant (the ``at`` input): the lineup, the prices and
  the discount in force then; what was paid for an order is its price at the order's own start.

The worked examples leave several choices open (day counts, intermediate rounding, the formula
for the new-purchase cost). Each is a named policy whose default reproduces the printed figure.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pricing.engine.calcs import calc, choice, flag, moment, money, number, table, whole as whole_input
from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.money import BILLED, TENTH, ZERO, nonneg
from pricing.engine.periods import AVERAGE_MONTH_DAYS, CALENDAR, INCLUSIVE, add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result, Step
from pricing.engine.units import parse_count
from . import lineup
from .lineup import has_price, plan_choices, plan_label, plan_price, plan_rank, plan_row
from .free_env import FREE_TERM
from .monthly import MONTH_END, metric_class, metric_table, require_change_allowed, target_limits
from pricing.rules.conventions import month_end

def guard_account(inputs: dict, op: str) -> None:
    """:func:`.arrears.guard_account` (an account in arrears may not change plan), imported when called:
    the arrears section bills a plan's cycles, which price plan changes here."""
    from .arrears import guard_account as guard
    guard(inputs, op)


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
    "Presentation: are the downgrade's parts shown rounded as the worked example prints them before they are "
    "subtracted?",
    {"as-printed": "the refund of resources to the fen and the new-purchase cost to the jiao (one decimal), then subtract "
                   "(the worked example's derivation)",
     "exact": "subtract the exact parts and round the refund once to the fen (one payment: what a bill does)"},
    "exact", "")

QUOTA_START = policy(
    "cloudbase.plans.upgrade_quota_start",
    "From when does the upgraded plan's quota apply?",
    {"change-instant": "from the moment of the change, for the rest of the old plan's term (价格文档: 旧套餐剩余时长; "
                       "包年包月: 套餐变更后即时生效)",
     "order-day": "from 00:00 of the day the upgrade order completes (包年包月: 升配订单完成当日)"},
    "change-instant", "CB-MONTHLY-QUOTASTART")

UPGRADE_DAYS = policy(
    "cloudbase.plans.upgrade_days",
    "Upgrade days are 'expiry time − current time': counted on calendar dates, as the exact time left, or in "
    "started days?",
    {"calendar-dates": "the expiry's date minus the change's date (the time of day is dropped)",
     "exact-duration": "the exact time left, in days and fractions of a day",
     "started-days": "the exact time left, every started day counted as a whole day"},
    "started-days", "CB-MONTHLY-UPGRADE-DAYS")


# ------------------------------------------------------------------------------------ inputs
def _plan_input(name: str, help: str):
    return choice(name, plan_choices, None, help)


OLD_PLAN = _plan_input("old_plan", "the current plan (a plan of the lineup in force at the order instant)")
NEW_PLAN = _plan_input("new_plan", "the target plan (a plan of the lineup in force at the order instant)")
OLD_PRICE = money("old_price", None, "an illustrative monthly price of the current plan, instead of old_plan", minimum="0")
NEW_PRICE = money("new_price", None, "an illustrative monthly price of the target plan, instead of new_plan", minimum="0")
ORDER_AT = moment("at", help="the order instant of the change: the lineup, prices and discount in force then")
ARREARS = flag("account_in_arrears", False, "the account's balance is negative (账户欠费)")


def _price(cat: CatalogView, inputs: dict, which: str, priced_at: CatalogView | None = None) -> tuple[Decimal, str]:
    """A monthly price from ``<which>_plan`` (the catalog at ``priced_at``, default ``cat``) or
    ``<which>_price`` (an illustrative figure)."""
    plan = inputs.get(f"{which}_plan")
    if plan is not None:
        view = priced_at or cat
        return plan_price(view, plan, f"{which}_plan"), plan_label(view, plan, f"{which}_plan")
    if inputs.get(f"{which}_price") is not None:
        v = inputs[f"{which}_price"]
        if v <= 0:
            raise InputError(f"{which}_price", str(v), "a price > 0")
        return v, "illustrative price"
    raise InputError(f"{which}_plan", None, f"a plan id ({' | '.join(lineup.plan_ids(cat))}) or {which}_price")


def direction(cat: CatalogView, old_plan: str, new_plan: str) -> int:
    """+1 for an upgrade (the new plan ranks higher in the lineup in force), -1 for a downgrade;
    a move to the same plan is refused."""
    a, b = plan_rank(cat, old_plan, "old_plan"), plan_rank(cat, new_plan, "new_plan")
    if a == b:
        raise RuleError("new_plan", f"{new_plan} is the current plan: nothing to change")
    return 1 if b > a else -1


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


# ------------------------------------------------------------------------------------ upgrade
def upgrade_days(t: datetime, e: datetime, policies: dict | None = None) -> tuple[Decimal, str]:
    """(days, how) from ``t`` to ``e`` under ``cloudbase.plans.upgrade_days``; integer arithmetic on seconds."""
    reading = choose(policies, UPGRADE_DAYS)
    if reading == "calendar-dates":
        return Decimal(CALENDAR.days(t, e)), f"{e:%Y-%m-%d} − {t:%Y-%m-%d} (dates)"
    day = 24 * 60 * 60
    secs = (e - t) // timedelta(seconds=1)
    if reading == "exact-duration":
        return Decimal(secs) / Decimal(day), f"({e:%Y-%m-%d %H:%M:%S} − {t:%Y-%m-%d %H:%M:%S}) in days"
    return Decimal(-(-secs // day)), f"{e:%Y-%m-%d %H:%M:%S} − {t:%Y-%m-%d %H:%M:%S}, a started day counted whole"


def upgrade_fee(cat: CatalogView, old_price: Decimal, new_price: Decimal, at: object, expiry: object,
                discount: object = None, by_rank: bool = False, policies: dict | None = None) -> Result:
    """升配费用 = monthly price difference × upgrade days / (365/12) × discount; days = expiry − now.

    ``by_rank``: the direction was settled by the lineup's rank (two plans), so a zero difference
    is an upgrade that costs nothing; with illustrative prices the new price must be dearer. The
    default discount is the one in force at ``at``."""
    t, e = as_datetime(at, "at"), as_datetime(expiry, "expiry")
    cat = cat.at(t)
    if e <= t:
        raise InputError("expiry", str(e), f"a moment after the upgrade ({t}): an expired plan is renewed, not upgraded")
    if new_price < old_price or (new_price == old_price and not by_rank):
        raise RuleError("new_price", f"{new_price} is not dearer than {old_price}: a change that returns money "
                                     "is a downgrade (refund rule), not an upgrade")
    k = nonneg(discount if discount is not None else cat.dec("cloudbase.plan_ops.upgrade_discount"), "discount")
    if k > 1 or k == 0:
        raise InputError("discount", str(k), "a factor in (0, 1]")
    days, how = upgrade_days(t, e, policies)
    diff = new_price - old_price
    exact = diff * days / AVERAGE_MONTH_DAYS * k
    fee = BILLED(exact)
    res = Result({"diff": diff, "days": days, "discount": k, "fee_exact": exact, "fee": fee},
                 policies={UPGRADE_DAYS.name: choose(policies, UPGRADE_DAYS)})
    res.step("monthly price difference (按月升配差价)", diff, f"{new_price} − {old_price}"
             + ("; same price, a higher rank: the upgrade costs nothing" if not diff else ""))
    res.step("upgrade days (升配天数) = expiry − now", days,
             f"{how}; by month, the days after the change through the expiry day: "
             + split_text(month_split(t.date() + timedelta(days=1), e.date())))
    res.step("average month (365/12)", AVERAGE_MONTH_DAYS)
    res.step("discount (适用折扣)", k, "given" if discount is not None else f"the discount in force on {t:%Y-%m-%d} (no table is given)")
    res.step("fee, exact", exact, f"{diff} × {days} / (365/12) × {k}")
    res.step("fee, billed", fee, "half-up to the fen")
    return res


@calc("cloudbase.plans.upgrade_fee", "The upgrade fee (升配费用) for the days left to the unchanged expiry",
      [OLD_PLAN, NEW_PLAN, OLD_PRICE, NEW_PRICE, ORDER_AT, moment("expiry", help="the plan's expiry (it does not move)"),
       number("discount", "factor", None, "a discount factor in (0, 1]; default: the catalog's", minimum="0"), ARREARS],
      moment="at", policies=[UPGRADE_DAYS])
def _upgrade_fee(cat, inputs, policies):
    guard_account(inputs, "upgrade")
    by_rank = inputs["old_plan"] is not None and inputs["new_plan"] is not None
    if by_rank and direction(cat, inputs["old_plan"], inputs["new_plan"]) < 0:
        raise RuleError("new_plan", f"{inputs['new_plan']} is ranked below {inputs['old_plan']} in the lineup in force on "
                                    f"{cat.moment:%Y-%m-%d}: that is a downgrade")
    old, old_label = _price(cat, inputs, "old")
    new, new_label = _price(cat, inputs, "new")
    r = upgrade_fee(cat, old, new, inputs["at"], inputs["expiry"], inputs["discount"], by_rank, policies)
    r.steps.insert(0, Step("from → to", f"{old_label} {old}/month → {new_label} {new}/month",
                           f"rank {plan_rank(cat, inputs['old_plan'])} → {plan_rank(cat, inputs['new_plan'])} "
                           f"in the lineup in force on {cat.moment:%Y-%m-%d}" if by_rank else ""))
    return r


@calc("cloudbase.plans.upgrade_window", "The upgraded plan's term: from the change to the old plan's unchanged expiry",
      [choice("old_plan", plan_choices, help="the current plan"), choice("new_plan", plan_choices, help="a plan ranked higher"),
       moment("start", help="when the current term started"), moment("expiry", help="the current term's expiry"),
       ORDER_AT, ARREARS], moment="at", policies=[QUOTA_START, UPGRADE_DAYS])
def _upgrade_window(cat, inputs, policies):
    guard_account(inputs, "upgrade")
    start, expiry, at = inputs["start"], inputs["expiry"], inputs["at"]
    if not start <= at < expiry:
        raise InputError("at", str(at), f"a moment within the plan's term [{start}, {expiry})")
    old, new = inputs["old_plan"], inputs["new_plan"]
    if plan_rank(cat, new, "new_plan") <= plan_rank(cat, old, "old_plan"):
        raise RuleError("new_plan", f"{new} is not above {old} in the lineup in force on {cat.moment:%Y-%m-%d}: "
                                    "choose a higher plan to upgrade")
    reading = choose(policies, QUOTA_START)
    begins = at if reading == "change-instant" else datetime.combine(at.date(), datetime.min.time())
    res = Result({"new_start": begins, "new_start_date": begins.date(), "new_end": expiry, "new_end_date": expiry.date(),
                  "expiry_moved": False}, policies={QUOTA_START.name: reading})
    res.step("old plan", plan_label(cat, old), f"{start:%Y-%m-%d} → {expiry:%Y-%m-%d}")
    res.step("change ordered", at)
    res.step(f"new plan {plan_label(cat, new)} quota from", begins, reading)
    res.step("new plan runs until", expiry, "the old expiry: an upgrade never moves it, and no duration is chosen")
    if has_price(cat, old) and has_price(cat, new):
        fee = upgrade_fee(cat, plan_price(cat, old, "old_plan"), plan_price(cat, new, "new_plan"), at, expiry, by_rank=True,
                          policies=policies)
        res.policies.update(fee.policies)
        res.outputs["fee"] = fee.outputs["fee"]
        res.step("upgrade fee at list prices", fee.outputs["fee"],
                 f"({fee.outputs['diff']}) × {fee.outputs['days']} / (365/12), prices in force on {at:%Y-%m-%d}")
    return res


# ------------------------------------------------------------------------------------ downgrade
def downgrade_refund(cat: CatalogView, old_price: Decimal, new_price: Decimal, months: int, start: object, at: object,
                     paid: object = None, unstarted: object = 0, policies: dict | None = None,
                     by_rank: bool = False) -> Result:
    """降配退还费用 = refund of resources − new-purchase cost; nothing is paid out when it is <= 0.
    ``by_rank``: the direction was settled by the lineup's rank, so equal prices are allowed."""
    used_pol = {p.name: choose(policies, p) for p in (DAY_COUNT, NEW_PURCHASE, ROUNDING)}
    dc = INCLUSIVE if used_pol[DAY_COUNT.name] == "inclusive" else CALENDAR
    s, t = as_datetime(start, "start"), as_datetime(at, "at")
    expiry = add_months(s, months, month_end(policies))
    if not s <= t < expiry:
        raise InputError("at", str(t), f"a moment within the order's term [{s}, {expiry})")
    if new_price > old_price or (new_price == old_price and not by_rank):
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
    if rounding == "as-printed":  # the worked example's presentation of its parts
        rr, nc = BILLED(refund_of_resources), TENTH(new_cost)
    else:
        rr, nc = refund_of_resources, new_cost
    raw = rr - nc
    refund = min(BILLED(raw), amount + later) if raw > 0 else ZERO  # never more than was paid (below a fen)
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


@calc("cloudbase.plans.downgrade_refund", "The downgrade refund (降配退还费用)",
      [OLD_PLAN, NEW_PLAN, OLD_PRICE, NEW_PRICE,
       whole_input("months", "months", help="months of the current order", minimum=1, maximum=1200),
       moment("start", help="when the current order started (the plan's price then is what was paid)"), ORDER_AT,
       money("paid", None, "the cash actually paid for the order (default: months × the old price)", minimum="0"),
       money("unstarted", "0", "cash of renewals paid but not started yet (未开始订单)", minimum="0"),
       table("used", "quota units", {}, "current usage per metric; checked against the target plan's quotas"), ARREARS],
      moment="at", policies=[DAY_COUNT, NEW_PURCHASE, ROUNDING, MONTH_END])
def _downgrade_refund(cat, inputs, policies):
    guard_account(inputs, "downgrade")
    by_rank = inputs["old_plan"] is not None and inputs["new_plan"] is not None
    if by_rank and direction(cat, inputs["old_plan"], inputs["new_plan"]) > 0:
        raise RuleError("new_plan", f"{inputs['new_plan']} is ranked above {inputs['old_plan']} in the lineup in force on "
                                    f"{cat.moment:%Y-%m-%d}: that is an upgrade")
    old, _ = _price(cat, inputs, "old", cat.at(inputs["start"]))
    new, _ = _price(cat, inputs, "new")
    used = metric_table(cat, inputs["used"], "used")
    if inputs["new_plan"] is not None and used:
        limits, label = target_limits(cat, inputs["new_plan"])
        require_change_allowed(cat, used, limits, label, inputs["at"], inputs["start"], policies)
    return downgrade_refund(cat, old, new, inputs["months"], inputs["start"], inputs["at"],
                            inputs["paid"], inputs["unstarted"], policies, by_rank)


def downgrade(cat: CatalogView, old_plan: str, new_plan: str, months: int, start: object, at: object,
              used: dict | None = None, account_in_arrears: bool = False, policies: dict | None = None) -> Result:
    """A downgrade between list plans of the lineup in force at ``at``: refused (RuleError) while
    usage exceeds the target's quota. The old plan's price is the one in force at ``start``."""
    guard_account({"account_in_arrears": account_in_arrears}, "downgrade")
    cat = cat.at(as_datetime(at, "at"))
    if direction(cat, old_plan, new_plan) > 0:
        raise RuleError("new_plan", f"{new_plan} is not below {old_plan}: choose a lower plan to downgrade")
    old = plan_price(cat.at(as_datetime(start, "start")), old_plan, "old_plan")
    new = plan_price(cat, new_plan, "new_plan")
    limits, label = target_limits(cat, new_plan)
    u = {k: parse_count(v, f"used.{k}") for k, v in (used or {}).items()}
    for k in u:
        metric_class(cat, k)
    require_change_allowed(cat, u, limits, label, at, start, policies)
    return downgrade_refund(cat, old, new, months, start, at, policies=policies, by_rank=True)


# ------------------------------------------------------------------------------------ destroy (停用退费)
def destroy_refund(cat: CatalogView, paid: object, start: object, expiry: object, at: object,
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
    res = Result({"total_days": total, "remaining_days": remaining, "refund_exact": exact, "refund": min(BILLED(exact), amount),
                  "payg_refunded": ZERO}, policies={DAY_COUNT.name: reading})
    res.step("plan fee paid (cash)", amount)
    res.step("current validity (当前有效期)", total, f"{s:%Y-%m-%d} → {e:%Y-%m-%d}, {dc.name}")
    res.step("remaining valid time (剩余有效时间)", remaining, f"total − used ({used})")
    res.step("refund", min(BILLED(exact), amount), f"{remaining} / {total} × {amount}")
    res.step("pay-as-you-go fees already incurred", nonneg(payg_fees, "payg_fees"), "not refunded")
    return res


@calc("cloudbase.plans.destroy_refund", "The refund when the environment is destroyed (停用退费)",
      [choice("plan", plan_choices, None, "the plan bought (its price at start is what was paid), instead of paid"),
       money("paid", None, "the cash paid for the current validity", minimum="0"),
       moment("start", help="when the current validity started"),
       whole_input("months", "months", None, "months bought (gives the expiry and, with plan, the amount paid)", minimum=1),
       moment("expiry", None, "the current validity's end (default: start + months)"),
       moment("at", help="the order instant of the destruction (the refund)"),
       money("payg_fees", "0", "pay-as-you-go fees already incurred (never refunded)", minimum="0")],
      moment="at", policies=[DAY_COUNT, MONTH_END])
def _destroy(cat, inputs, policies):
    start, months = inputs["start"], inputs["months"]
    if inputs["paid"] is not None:
        paid = inputs["paid"]
    elif inputs["plan"] is not None and months is not None:
        paid = plan_price(cat.at(start), inputs["plan"]) * months
    else:
        raise InputError("paid", None, "the cash paid, or a plan and months")
    if inputs["expiry"] is not None:
        expiry = inputs["expiry"]
    elif months is not None:
        expiry = add_months(start, months, month_end(policies))
    else:
        raise InputError("expiry", None, "the validity's end, or months")
    return destroy_refund(cat, paid, start, expiry, inputs["at"], inputs["payg_fees"], policies)


# ------------------------------------------------------------------------------------ new purchase (新购)
@calc("cloudbase.plan_ops.trial", "A new user's free trial environment: when it ends and whose quotas it has",
      [moment("created", help="when the environment was created")], moment="created", policies=[FREE_TERM, MONTH_END])
def _trial(cat, inputs, policies):
    """The trial's length and quota plan are those in force at creation; how long it is free is the
    question CB-PL-FREE-VS-TRIAL (policy ``cloudbase.pricelist.free_env_term``)."""
    created = inputs["created"]
    reading = choose(policies, FREE_TERM)
    plan = cat.value("cloudbase.plan_ops.trial_plan")
    res = Result({"quota_plan": plan}, policies={FREE_TERM.name: reading})
    res.step("environment created", created)
    if reading == "one-month-trial":
        n, unit = cat.value("cloudbase.plan_ops.trial")
        ends = add_months(created, n, month_end(policies)) if unit == "months" else created + cat.timedelta("cloudbase.plan_ops.trial")
        res.step("free trial ends", ends, f"created + {n} {unit} (套餐操作 › 新购)")
    else:
        ends = "free until the mini program is released, then to a day after release (cloudbase.pricelist.free_env_dates)"
        res.step("free trial ends", "after release", "免费体验活动: the release date decides")
    res.outputs["trial_end"] = ends
    res.step("quotas", f"as {plan_label(cat, plan, 'cloudbase.plan_ops.trial_plan')}", "overage beyond them optional")
    return res
