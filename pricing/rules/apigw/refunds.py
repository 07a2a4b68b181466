"""专享实例计费·退费说明 · Dedicated-instance refunds.

Pay-as-you-go instances are not refunded: releasing one stops its billing, and the seconds it ran
are settled as usual. A monthly (prepaid) instance can be returned:

* **No-reason refund (五天无理由退还).** Each customer (主体) may return as many dedicated instances as
  ``apigw.dedicated.refund.no_reason_per_customer`` allows, within the window
  ``apigw.dedicated.refund.no_reason_days`` after the new purchase (its last day included), and gets
  back everything paid from the balances ``apigw.dedicated.refund.payment`` marks as refunded
  (现金 / 收益转入 / 赠送账户).
* **Otherwise, pro rata.** The value of the time already used is deducted and the rest comes back.
* Vouchers and deductions (代金券 / 抵扣) never come back. Refunds go to the account balance.
* After a refund the instance is isolated (隔离中) for ``apigw.dedicated.refund.isolation`` and then destroyed.

The guide leaves open how the days of the window are counted, in what unit "time used" is measured,
how a voucher shares in the used value, and how the minimum term of the rules section bears on a
refund; each is a named policy below, with its register entry.

Moments: a refund is an order placed at ``refund_at``: the no-reason window, the number of
no-reason refunds per customer, which order type qualifies, what each means of payment gets back
and the isolation period are read then. The refunded order itself is priced at its purchase
instant, its term and minimum term read then.
"""
from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc, choice, moment, money, whole
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.periods import ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .common import DAY, EDITIONS, ORDER_TYPES, SECOND, whole_seconds
from pricing.engine.statement import DEBIT_ROUNDING
from pricing.rules.conventions import MONTH_END, TERM_PRICE
from .dedicated import (PRICE_TIME, RENEWAL_PRICE, UNIT_PRICE, _moment, monthly_order, months_of, order_row,
                        payg_bill, shown, term_end)

WINDOW = policy(
    "apigw.dedicated.refund.window",
    "How are the days of the no-reason refund window counted?",
    {"calendar-days": "calendar days with the purchase day as day 1: the window closes at the end of its last day",
     "120-hours": "the window's days as whole 24-hour days from the purchase instant, the last instant included"},
    "calendar-days", "APIGW-DED-REFUND-WINDOW")

TIME_UNIT = policy(
    "apigw.dedicated.refund.time_unit",
    "In what unit is the time already used measured for a pro-rata refund?",
    {"seconds": "exact seconds from the purchase to the refund, over the term's seconds",
     "started-days": "every started day (counted from the purchase instant) is a whole day used, over the term's days",
     "whole-days": "only completed days count as used, over the term's days"},
    "started-days", "APIGW-DED-REFUND-UNIT")

VOUCHER = policy(
    "apigw.dedicated.refund.voucher",
    "How does a voucher share in the value already used when an order is refunded pro rata?",
    {"proportional": "the amount paid from balances is refunded in the share of the term not yet used",
     "voucher-first": "the used value is taken from the voucher first; balances come back in full while the voucher covers it",
     "voucher-deducted": "the unused value of the whole order is computed, then the voucher is subtracted from it"},
    "voucher-deducted", "APIGW-DED-REFUND-VOUCHER")

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


def window_last(cat: CatalogView, bought: datetime, policies: dict | None = None) -> datetime:
    """The last instant at which a no-reason refund of an order bought at ``bought`` is still in time,
    under the window ``apigw.dedicated.refund.no_reason_days`` in force at the view's moment (the refund)."""
    window = cat.timedelta("apigw.dedicated.refund.no_reason_days")
    if choose(policies, WINDOW) == "calendar-days":
        return datetime.combine(bought.date(), time()) + window - SECOND
    return bought + window


def _used(unit: str, used_s: int, total_s: int) -> tuple[Decimal, Decimal, str]:
    """(time used, term length, unit name) in the policy's unit; whole days by integer arithmetic."""
    if unit == "seconds":
        return Decimal(used_s), Decimal(total_s), "s"
    day = whole_seconds(DAY)
    if total_s % day:
        raise RuleError("term", f"{total_s} s is not a whole number of days; choose the 'seconds' reading")
    days = -(-used_s // day) if unit == "started-days" else used_s // day
    return Decimal(min(days, total_s // day)), Decimal(total_s // day), "d"


def payment(cat: CatalogView) -> tuple[list[str], list[str]]:
    """(means refunded, means kept) from ``apigw.dedicated.refund.payment`` at the view's moment."""
    rows = cat.rows("apigw.dedicated.refund.payment")
    return [r["means"] for r in rows if r["refunded"] == "yes"], [r["means"] for r in rows if r["refunded"] != "yes"]


def monthly_refund(cat: CatalogView, inputs: dict, policies: dict | None = None) -> Result:
    """The refund of a monthly order (parsed inputs, as declared by ``apigw.dedicated.refund.monthly``)."""
    bought = _moment(inputs["bought_at"], "bought_at")
    at = _moment(inputs["refund_at"], "refund_at")
    ordered(bought, at, "bought_at", "refund_at")
    order_view, view = cat.at(bought), cat.at(at)  # the order at its purchase; the refund at its own instant
    n = months_of(order_view, inputs.get("months", 1))
    order_type = inputs.get("order_type") or "new"
    row = order_row(order_view, order_type)
    claim = inputs.get("claim") or "auto"
    if claim not in CLAIMS:
        raise InputError("claim", claim, " | ".join(CLAIMS))
    prior = Decimal(inputs.get("prior_no_reason") or 0)
    used = {k: choose(policies, p) for k, p in (("window", WINDOW), ("unit", TIME_UNIT), ("voucher", VOUCHER),
                                                  ("min_term", MIN_TERM))}
    res = Result({}, policies={WINDOW.name: used["window"], TIME_UNIT.name: used["unit"], VOUCHER.name: used["voucher"],
                               MIN_TERM.name: used["min_term"]})

    # what was paid, and how
    back, kept = payment(view)
    means = back + kept
    given = [k for k in means if inputs.get(k) not in (None, "")]
    paid = {k: nonneg(inputs.get(k) or "0", k) for k in means}
    edition = inputs.get("edition")
    if edition:
        o = monthly_order(cat, edition, bought, n, order_type, None, policies)
        res.steps += o.steps
        res.policies.update(o.policies)
        if not given:
            paid[back[0]] = o["amount"]
        elif sum(paid.values(), ZERO) != o["amount"]:
            raise InputError(" + ".join(means), str(sum(paid.values(), ZERO)),
                             f"the order's price {o['amount']} ({edition}, {n} month(s) at {bought})")
    elif not given:
        raise InputError("edition", None, f"an edition (to price the order) or the amounts paid ({', '.join(means)})")
    order = sum(paid.values(), ZERO)
    refundable = sum((paid[k] for k in back), ZERO)
    voucher = sum((paid[k] for k in kept), ZERO)
    res.step("paid: " + " / ".join(means), " / ".join(str(paid[k]) for k in means), f"order total {order}")

    end = term_end(bought, n, policies)
    if at >= end:
        raise RuleError("refund_at", f"the term ended at {end:%Y-%m-%d %H:%M:%S}; an expired order has nothing left to refund")
    if not edition:
        res.step("term", f"{bought:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S}", f"{n} month(s)")
    res.step("refund requested", at)

    # the no-reason refund, under the rules in force at the refund
    last = window_last(view, bought, policies)
    limit = view.dec("apigw.dedicated.refund.no_reason_per_customer")
    qualifying = order_row(view, view.value("apigw.dedicated.refund.no_reason_order_type"))
    reasons = []
    if order_type != qualifying["type"]:
        reasons.append(f"only a {qualifying['type']} order ({qualifying['zh']}) qualifies, this is a {order_type} ({row['zh']})")
    if at > last:
        reasons.append(f"the window closed at {last:%Y-%m-%d %H:%M:%S} ({used['window']})")
    if prior >= limit:
        reasons.append(f"the customer has used {prior} of {limit} no-reason refund(s) allowed per customer (主体)")
    res.step("no-reason window: last instant", last,
             f"{used['window']}; window {view.timedelta('apigw.dedicated.refund.no_reason_days').days} days")
    res.step("qualifies for the no-reason refund", not reasons, "; ".join(reasons))
    if claim == "no-reason" and reasons:
        raise RuleError("claim", "no-reason refund refused: " + "; ".join(reasons))
    kind = "no-reason" if (claim in ("auto", "no-reason") and not reasons) else "pro-rata"

    if kind == "no-reason":
        exact = refundable
        for k in back:
            res.step(f"refund from the {k} balance", paid[k], "everything paid from it comes back")
    else:
        used_s = whole_seconds(at - bought)
        total_s = whole_seconds(end - bought)
        u, t, unit = _used(used["unit"], used_s, total_s)
        res.step("time used", f"{u} {unit}", f"of {t} {unit} ({used['unit']})")
        if used["min_term"] == "first-month-charged":
            least = bought + order_view.duration("apigw.dedicated.monthly.min_term")
            first, _, _ = _used(used["unit"], whole_seconds(min(least, end) - bought), total_s)
            if first > u:
                res.step("time charged: at least the minimum term", f"{first} {unit}", "apigw.dedicated.monthly.min_term")
                u = first
        left = t - u
        res.outputs.update(time_used=u, term_length=t, time_unit=unit)
        remaining = left / t
        res.step("share of the term not used", shown(remaining), f"({t} − {u}) / {t}")
        if used["voucher"] == "proportional":
            exact = refundable * left / t
            res.step("refund = paid from balances × unused share", shown(exact), f"{refundable} × {left} / {t}")
        elif used["voucher"] == "voucher-first":
            consumed = order * u / t
            exact = refundable - max(consumed - voucher, ZERO)
            res.step("used value = order × used share", shown(consumed), f"{order} × {u} / {t}")
            res.step("refund = balances − the used value the voucher does not cover", shown(exact),
                     f"{refundable} − max({shown(consumed)} − {voucher}, 0)")
        else:
            exact = max(order * left / t - voucher, ZERO)
            res.step("refund = order × unused share − voucher", shown(exact), f"{order} × {left} / {t} − {voucher}")
    refund = min(BILLED(exact), refundable)  # rounding never returns more than was paid (a payment below a fen)
    res.step("vouchers and deductions kept", voucher, "never refunded: " + ", ".join(kept))
    res.step("refund, to the fen, to the account balance", refund, kind)

    iso = view.duration("apigw.dedicated.refund.isolation")
    destroyed = at + iso
    res.step("isolated (隔离中) from", at)
    res.step("destroyed at", destroyed, f"{iso.days} days after the refund")
    res.outputs.update(refund=refund, exact=exact, kind=kind, window_last=last,
                       isolated_from=at, destroyed_at=destroyed, isolation_days=Decimal(iso.days),
                       kept=voucher, order=order)
    return res


def _paid(name: str, what: str):
    return money(name, None, f"paid from {what} (empty: the whole price from cash when an edition is given)", minimum=0)


@calc("apigw.dedicated.refund.monthly", "The refund of a monthly (prepaid) order: no-reason or pro rata",
      [choice("edition", EDITIONS, None, "the edition bought (prices the order); empty: give the amounts paid"),
       moment("bought_at", help="when the order was placed (it is priced then)"),
       moment("refund_at", help="when the refund is requested (the refund rules in force then apply)"),
       whole("months", "months", "1", "how many months the order bought", minimum=1),
       choice("order_type", ORDER_TYPES, "new", "the refunded order's type (apigw.dedicated.order_types)"),
       choice("claim", tuple(CLAIMS), "auto", "; ".join(f"{k}: {v}" for k, v in CLAIMS.items())),
       whole("prior_no_reason", "refunds", "0", "no-reason refunds the customer (主体) has already had"),
       _paid("cash", "the cash balance (现金账户)"), _paid("income", "the income-transfer balance (收益转入账户)"),
       _paid("gift", "the gift balance (赠送账户)"), _paid("voucher", "vouchers or deductions (代金券 / 抵扣)")],
      moment="refund_at", policies=[WINDOW, TIME_UNIT, VOUCHER, MIN_TERM, RENEWAL_PRICE, TERM_PRICE, MONTH_END])
def _monthly_refund(cat, inputs, policies):
    return monthly_refund(cat, inputs, policies)


@calc("apigw.dedicated.refund.payg_release", "A pay-as-you-go instance released: the run is settled, nothing refunded",
      [choice("edition", EDITIONS, help="the edition of the instance"),
       moment("start", help="when the instance was created (billing started)"),
       moment("release_at", help="when the instance is released (billing stops)")],
      moment="start", policies=[PRICE_TIME, UNIT_PRICE, DEBIT_ROUNDING])
def _payg_release(cat, inputs, policies):
    """A pay-as-you-go instance released at ``release_at``: billing stops, the run is settled, nothing is refunded."""
    r = payg_bill(cat, inputs["edition"], inputs["start"], inputs["release_at"], policies)
    res = Result({}, steps=list(r.steps), policies=r.policies)
    res.step("billing stops at the release", inputs["release_at"])
    res.step("refund", ZERO, "pay-as-you-go has no refund process: only the seconds used are billed")
    res.outputs.update(refund=ZERO, billed=r["total"], last_settlement=r["last_settlement"])
    return res
