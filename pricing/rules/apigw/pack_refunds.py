"""资源包计费 · 退费说明 · Resource-pack refunds.

The conditions of a self-service refund (``apigw.pack_refunds.conditions``), the order types a
self-service refund accepts, the means of payment and which come back (vouchers never do), and
otherwise a ticket refund of what remains (``apigw.pack_refunds.remaining``). A refund is read at
the instant it is requested; the pack's source and validity at its purchase (:mod:`.packs`).
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.calcs import calc, choice, count, moment, money
from pricing.engine.errors import InputError
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.periods import as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import parse_count
from .common import DAY, PACK_ORDER_TYPES, row_by_key, whole_seconds
from .free_quota import FREE_POOL, WINDOW_END
from .packs import PURCHASED, SOURCE, VALIDITY_POLICIES, source_row, validity

REMAINING = policy(
    "apigw.pack_refunds.remaining",
    "A ticket refund returns the pack's remaining value: remaining by quantity, or by time?",
    {"unused-quantity": "the unused share of the pack's amount (calls or GB not yet drawn)",
     "unused-time": "the unexpired share of the pack's validity"},
    "unused-quantity", "APIGW-PACK-REFUND-REMAINING")


def refund(cat: CatalogView, inputs: dict, policies: dict | None = None) -> Result:
    """A pack refund requested at ``requested``: the conditions, routes and means of payment in force
    then decide it; the pack's validity is read at its purchase."""
    purchased = as_datetime(inputs["purchased"], "purchased")
    requested = as_datetime(inputs["requested"], "requested")
    if requested < purchased:
        raise InputError("requested", inputs["requested"], f"a moment at or after purchased ({purchased:%Y-%m-%d %H:%M:%S})")
    view = cat.at(requested)
    source = inputs.get("source") or "self-service"
    srow = source_row(cat.at(purchased), source)
    order_type = inputs.get("order_type") or "new"
    orow = row_by_key(view, "apigw.pack_refunds.order_types", "type", order_type, "order_type")
    amount = parse_count(inputs["amount"], "amount")
    if amount <= 0:
        raise InputError("amount", inputs["amount"], "a pack amount > 0")
    used = parse_count(inputs.get("used") or "0", "used")
    if used > amount:
        raise InputError("used", inputs["used"], f"at most the pack's amount ({amount})")
    pay = view.rows("apigw.pack_refunds.payment")
    paid = {r["means"]: nonneg(inputs.get(r["means"]) or "0", r["means"]) for r in pay}
    v = validity(cat, purchased, source, policies)
    res = Result({}, policies=dict(v.policies))
    res.step("pack counts", f"from {v['start']:%Y-%m-%d %H:%M:%S}, lapses at {v['lapses_at']:%Y-%m-%d %H:%M:%S}",
             f"{WINDOW_END.name} = {v.policies[WINDOW_END.name]}")
    within = v["start"] <= requested < v["lapses_at"]
    checks = {"not-free-quota": srow["pool"] != FREE_POOL, "new-purchase": orow["self_service"] == "allowed",
              "unused": used == 0, "within-validity": within}
    labels = {r["key"]: r for r in view.rows("apigw.pack_refunds.conditions")}
    for key, ok in checks.items():
        res.step(f"condition: {labels[key]['en']} ({labels[key]['zh']})", ok, key)
    failing = [k for k, ok in checks.items() if not ok]
    refundable = [r["means"] for r in pay if r["refunded"] == "yes"]
    kept = [r["means"] for r in pay if r["refunded"] != "yes"]
    base = {m: paid[m] for m in refundable}
    shown: object = None
    if not failing:
        route, share, after = "self-service", Decimal(1), "destroyed"
        res.step("route", route, "every condition holds: every non-voucher yuan back to the paying account")
    elif srow["pool"] == FREE_POOL:
        route, share, after = "none", ZERO, "kept"
        res.step("route", route, "a free-quota pack is never refunded (资源包来源: 不支持退费); nothing was paid")
    else:
        reading = choose(policies, REMAINING)
        res.policies[REMAINING.name] = reading
        route, after = "ticket", "lapses"
        if not within:
            route, share, after = "none", ZERO, "lapsed"
            res.step("remaining share", share, "the pack has lapsed: nothing remains to refund")
        elif reading == "unused-quantity":
            share = (amount - used) / amount
            res.step("remaining share = unused / amount", share, f"({amount} - {used}) / {amount}")
        else:
            total = Decimal(whole_seconds(v["lapses_at"] - v["start"]))
            rest = Decimal(whole_seconds(v["lapses_at"] - requested))
            share = rest / total
            frac = f"{tidy_days(rest)}/{tidy_days(total)} days"
            res.step("remaining share = time left / validity", frac, "kept as an exact fraction")
            shown = frac
        if route == "ticket":
            res.step("route", route, "self-service refused (" + ", ".join(failing) + "): a ticket refunds what remains")
        else:
            res.step("route", route, "self-service refused (" + ", ".join(failing) + "); a ticket would return nothing")
    back = {m: min(BILLED(base[m] * share), base[m]) for m in refundable}  # never more than was paid (below a fen)
    shown = shown or share
    for m in refundable:
        res.step(f"refund of {m}, to the fen", back[m], f"{paid[m]} × {shown}")
    for m in kept:
        res.step(f"{m} refunded", BILLED(ZERO), f"{paid[m]} paid by {m}: never refunded")
    total = sum(back.values(), ZERO)
    res.step("refund in all", total)
    res.step("pack afterwards", after)
    res.outputs.update(failing=", ".join(failing) or "none", route=route, refund=total,
                       refund_cash=back.get("cash", ZERO), refund_gift=back.get("gift", ZERO),
                       voucher_refunded=BILLED(ZERO), pack_after=after)
    return res


def tidy_days(seconds: Decimal) -> str:
    from pricing.engine.money import trim
    return trim(seconds / whole_seconds(DAY))


@calc("apigw.pack_refunds.refund", "A pack refund: which conditions fail, which route, how much comes back",
      [SOURCE, choice("order_type", PACK_ORDER_TYPES, "new", "the pack order's type (apigw.pack_refunds.order_types)"),
       PURCHASED, moment("requested", help="when the refund is asked for (the refund rules in force then apply)"),
       count("amount", "calls or GB", help="the pack's size"), count("used", "calls or GB", "0", "how much was drawn from it"),
       money("cash", "0", "paid in cash (现金)", minimum=0), money("gift", "0", "paid in gift credit (赠送金)", minimum=0),
       money("voucher", "0", "paid by voucher (代金券)", minimum=0)],
      moment="requested", policies=[REMAINING, *VALIDITY_POLICIES])
def _refund(cat, inputs, policies):
    return refund(cat, inputs, policies)
