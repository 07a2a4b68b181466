"""专享实例计费·退费说明 · Dedicated-instance refunds.

Pay-as-you-go instances are not refunded: releasing one stops its billing, and the seconds it ran
are settled as usual. A monthly (prepaid) instance can be returned:

* **No-reason refund (五天无理由退还).** Each customer (主体) may return one dedicated instance
  within five days of its new purchase, the fifth day included, and gets back everything paid for
  it from the cash, income-transfer and gift balances (现金 / 收益转入 / 赠送账户).
* **Otherwise, pro rata.** The value of the time already used is deducted and the rest comes back.
* Vouchers and deductions (代金券 / 抵扣) never come back. Refunds go to the account balance.
* After a refund the instance is isolated (隔离中) for seven days from the refund and then destroyed.

The guide leaves open how the five days are counted, in what unit "time used" is measured, how a
voucher shares in the used value, and how the one-month minimum term of the rules section bears on a
refund; each is a named policy below, with its register entry.
"""
from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from decimal import Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.periods import add_months, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .dedicated import _moment, monthly_order, months_of, need, payg_bill, shown
from pricing.engine.inputs import whole_number

WINDOW = policy(
    "apigw.dedicated.refund.window",
    "How are the five days of the no-reason refund counted?",
    {"calendar-days": "calendar days with the purchase day as day 1: the window closes at the end of the fifth day",
     "120-hours": "5 × 24 hours from the purchase instant, the last instant included"},
    "calendar-days", "APIGW-DED-REFUND-WINDOW")

TIME_UNIT = policy(
    "apigw.dedicated.refund.time_unit",
    "In what unit is the time already used measured for a pro-rata refund?",
    {"seconds": "exact seconds from the purchase to the refund, over the term's seconds",
     "started-days": "every started 24-hour day counts as a whole day used, over the term's days",
     "whole-days": "only completed 24-hour days count as used, over the term's days"},
    "seconds", "APIGW-DED-REFUND-UNIT")

VOUCHER = policy(
    "apigw.dedicated.refund.voucher",
    "How does a voucher share in the value already used when an order is refunded pro rata?",
    {"proportional": "the amount paid from balances is refunded in the share of the term not yet used",
     "voucher-first": "the used value is taken from the voucher first; balances come back in full while the voucher covers it",
     "voucher-deducted": "the unused value of the whole order is computed, then the voucher is subtracted from it"},
    "proportional", "APIGW-DED-REFUND-VOUCHER")

MIN_TERM = policy(
    "apigw.dedicated.refund.min_term",
    "Does the one-month minimum term of a monthly instance limit a pro-rata refund?",
    {"pro-rata": "no: the refund section governs, the time used is deducted and the rest comes back",
     "first-month-charged": "yes: at least the first month counts as used, so a one-month order returned after the "
                            "no-reason window gets nothing back"},
    "pro-rata", "APIGW-DED-MIN-TERM")

CLAIMS = {"auto": "no-reason when the order qualifies, else pro rata",
          "no-reason": "insist on the no-reason refund (an error when the order does not qualify)",
          "pro-rata": "a pro-rata refund"}
BALANCES = ("cash", "income", "gift")  # 现金账户, 收益转入账户, 赠送账户: all refunded
DAY = 86400


def window_last(cat: Catalog, bought: datetime, policies: dict | None = None) -> datetime:
    """The last instant at which a no-reason refund is still in time."""
    days = cat.duration("apigw.dedicated.refund.no_reason_days").days
    if choose(policies, WINDOW) == "calendar-days":
        return datetime.combine(bought.date(), time()) + timedelta(days=days) - timedelta(seconds=1)
    return bought + timedelta(days=days)


def _used(unit: str, used_s: int, total_s: int) -> tuple[Decimal, Decimal, str]:
    """(time used, term length, unit name) in the policy's unit."""
    if unit == "seconds":
        return Decimal(used_s), Decimal(total_s), "s"
    if total_s % DAY:
        raise RuleError("term", f"{total_s} s is not a whole number of days; choose the 'seconds' reading")
    days = math.ceil(used_s / DAY) if unit == "started-days" else used_s // DAY
    return Decimal(min(days, total_s // DAY)), Decimal(total_s // DAY), "d"


def monthly_refund(cat: Catalog, inputs: dict, policies: dict | None = None) -> Result:
    bought = _moment(need(inputs, "bought_at", "the moment the order was placed, e.g. '2022-04-01T15:00:00'"), "bought_at")
    at = _moment(need(inputs, "refund_at", "the moment the refund is requested"), "refund_at")
    ordered(bought, at, "bought_at", "refund_at")
    n = months_of(inputs.get("months", "1"))
    order_type = inputs.get("order_type", "new")
    if order_type not in ("new", "renewal"):
        raise InputError("order_type", order_type, "new or renewal")
    claim = inputs.get("claim", "auto")
    if claim not in CLAIMS:
        raise InputError("claim", claim, " | ".join(CLAIMS))
    prior = Decimal(whole_number(inputs.get("prior_no_reason", "0"), "prior_no_reason", 0,
                                 "a whole number of earlier no-reason refunds (0, 1, ...)"))
    used = {k: choose(policies, p) for k, p in (("window", WINDOW), ("unit", TIME_UNIT), ("voucher", VOUCHER),
                                                  ("min_term", MIN_TERM))}
    res = Result({}, policies={WINDOW.name: used["window"], TIME_UNIT.name: used["unit"], VOUCHER.name: used["voucher"],
                               MIN_TERM.name: used["min_term"]})

    # what was paid, and how
    given = [k for k in (*BALANCES, "voucher") if inputs.get(k) not in (None, "")]
    paid = {k: nonneg(inputs.get(k, "0") or "0", k) for k in (*BALANCES, "voucher")}
    if inputs.get("edition"):
        o = monthly_order(cat, inputs["edition"], bought, n, order_type, None, policies)
        res.steps += o.steps
        if not given:
            paid["cash"] = o["amount"]
        elif sum(paid.values(), ZERO) != o["amount"]:
            raise InputError("cash + income + gift + voucher", str(sum(paid.values(), ZERO)),
                             f"the order's price {o['amount']} ({inputs['edition']}, {n} month(s) at {bought})")
    elif not given:
        raise InputError("edition", None, "an edition (to price the order) or the amounts paid (cash, income, gift, voucher)")
    order = sum(paid.values(), ZERO)
    refundable = sum((paid[k] for k in BALANCES), ZERO)
    res.step("paid: cash / income-transfer / gift / voucher",
             f"{paid['cash']} / {paid['income']} / {paid['gift']} / {paid['voucher']}", f"order total {order}")

    end = add_months(bought, n)
    if at >= end:
        raise RuleError("refund_at", f"the term ended at {end:%Y-%m-%d %H:%M:%S}; an expired order has nothing left to refund")
    if not inputs.get("edition"):
        res.step("term", f"{bought:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S}", f"{n} month(s)")
    res.step("refund requested", at)

    # the no-reason refund
    last = window_last(cat, bought, policies)
    limit = cat.dec("apigw.dedicated.refund.no_reason_per_customer")
    reasons = []
    if order_type != "new":
        reasons.append("only a new purchase (新购) qualifies, this is a renewal")
    if at > last:
        reasons.append(f"the window closed at {last:%Y-%m-%d %H:%M:%S} ({used['window']})")
    if prior >= limit:
        reasons.append(f"the customer has used {prior} of {limit} no-reason refund(s) allowed per customer (主体)")
    res.step("no-reason window: last instant", last, used["window"])
    res.step("qualifies for the no-reason refund", not reasons, "; ".join(reasons))
    if claim == "no-reason" and reasons:
        raise RuleError("claim", "no-reason refund refused: " + "; ".join(reasons))
    kind = "no-reason" if (claim in ("auto", "no-reason") and not reasons) else "pro-rata"

    if kind == "no-reason":
        exact = refundable
        for k in BALANCES:
            res.step(f"refund from the {k} balance", paid[k], "everything paid from it comes back")
    else:
        used_s = int((at - bought).total_seconds())
        total_s = int((end - bought).total_seconds())
        u, t, unit = _used(used["unit"], used_s, total_s)
        res.step("time used", f"{u} {unit}", f"of {t} {unit} ({used['unit']})")
        if used["min_term"] == "first-month-charged":
            first, _, _ = _used(used["unit"], int((add_months(bought, 1) - bought).total_seconds()), total_s)
            if first > u:
                res.step("time charged: at least the first month", f"{first} {unit}", "one-month minimum term")
                u = first
        left = t - u
        remaining = left / t
        res.step("share of the term not used", shown(remaining), f"({t} − {u}) / {t}")
        if used["voucher"] == "proportional":
            exact = refundable * left / t
            res.step("refund = paid from balances × unused share", shown(exact), f"{refundable} × {left} / {t}")
        elif used["voucher"] == "voucher-first":
            consumed = order * u / t
            exact = refundable - max(consumed - paid["voucher"], ZERO)
            res.step("used value = order × used share", shown(consumed), f"{order} × {u} / {t}")
            res.step("refund = balances − the used value the voucher does not cover", shown(exact),
                     f"{refundable} − max({shown(consumed)} − {paid['voucher']}, 0)")
        else:
            exact = max(order * left / t - paid["voucher"], ZERO)
            res.step("refund = order × unused share − voucher", shown(exact), f"{order} × {left} / {t} − {paid['voucher']}")
    refund = BILLED(exact)
    res.step("vouchers and deductions kept", paid["voucher"], "never refunded")
    res.step("refund, to the fen, to the account balance", refund, kind)

    iso = cat.duration("apigw.dedicated.refund.isolation")
    destroyed = at + iso
    res.step("isolated (隔离中) from", at)
    res.step("destroyed at", destroyed, f"{iso.days} days after the refund")
    res.outputs.update(refund=refund, exact=exact, kind=kind, window_last=last,
                       isolated_from=at, destroyed_at=destroyed, isolation_days=Decimal(iso.days),
                       kept=paid["voucher"], order=order)
    return res


@calc("apigw.dedicated.refund.monthly")
def _monthly_refund(cat, inputs, policies):
    return monthly_refund(cat, inputs, policies)


@calc("apigw.dedicated.refund.payg_release")
def _payg_release(cat, inputs, policies):
    """A pay-as-you-go instance released at ``release_at``: billing stops, the run is settled, nothing is refunded."""
    r = payg_bill(cat, inputs.get("edition", ""), inputs.get("start"), need(inputs, "release_at", "the moment the instance is released"),
                  policies)
    res = Result({}, steps=list(r.steps), policies=r.policies)
    res.step("billing stops at the release", _moment(inputs["release_at"], "release_at"))
    res.step("refund", ZERO, "pay-as-you-go has no refund process: only the seconds used are billed")
    res.outputs.update(refund=ZERO, billed=r["total"], last_settlement=r["last_settlement"])
    return res
