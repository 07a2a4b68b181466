"""资源包退费说明 · Resource-pack refunds.

A CloudBase resource pack (资源包) that has not been touched can be returned; once any of it has
been used, however little, it cannot. An eligible refund gives back everything the purchase
consumed from the cash, income-transfer and gift balances; deductions and vouchers (抵扣 / 代金券)
are kept. Tencent Cloud may turn down a request it suspects to be abnormal or abusive.

The heading calls this a seven-day no-questions-asked refund (7天无理由退款), yet the rules
themselves set no deadline: policy ``cloudbase.pack_refunds.window`` names both readings.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pricing.engine.catalog import Catalog
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import ZERO, nonneg
from pricing.engine.periods import add_months, as_datetime, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.inputs import flag as _flag

WINDOW = policy(
    "cloudbase.pack_refunds.window",
    "Must an unused pack be returned within seven days of purchase?",
    {"seven-days": "only within 7 × 24 hours of the purchase instant (the heading: 7天无理由退款)",
     "no-limit": "at any time while it is unused (the rules list no deadline)"},
    "seven-days", "CB-REFUND-7DAY")

VALIDITY = policy(
    "cloudbase.pack_refunds.validity",
    "How long is the pack in the screenshot valid: one calendar month, or the 30 days the price list gives extension packs?",
    {"one-month": "start + 1 month, as the screenshot prints it (2025-05-26 15:55:42 → 2025-06-26 15:55:42)",
     "thirty-days": "start + 30 × 24 hours",
     "thirty-natural-days": "30 natural days counting the purchase day as day 1 (价格文档 › 扩展资源包有效期), "
                            "through 23:59:59 of day 30"},
    "one-month", "CB-REFUND-SCREEN-DATES")


def balances(cat: Catalog) -> dict[str, dict]:
    return {r["balance"]: r for r in cat.value("cloudbase.pack_refunds.balances")}




def assess(cat: Catalog, purchased_at: object, requested_at: object, used: object, paid: dict | None = None,
           suspicious: bool = False, policies: dict | None = None) -> Result:
    """Whether a pack can be returned and what comes back. Never raises for an ineligible pack:
    ``eligible`` says no and ``reason`` says why (see :func:`refund` for the raising form)."""
    bought = as_datetime(purchased_at, "purchased_at")
    asked = as_datetime(requested_at, "requested_at")
    if asked < bought:
        raise InputError("requested_at", str(asked), f"a moment at or after purchased_at ({bought})")
    usage = nonneg(used, "used")
    table = balances(cat)
    amounts = {}
    for k, v in (paid or {}).items():
        if k not in table:
            raise InputError("paid", k, "a balance: " + ", ".join(table))
        amounts[k] = nonneg(v, f"paid.{k}")
    reading = choose(policies, WINDOW)
    res = Result({}, policies={WINDOW.name: reading})
    res.step("purchased", bought)
    res.step("refund requested", asked, f"{asked - bought} after purchase")
    res.step("pack usage so far", usage, "any use at all rules a refund out")
    reason, blocker = "", ""
    if usage > 0:
        blocker = "used"
        reason = f"the pack has been used ({usage}); a used pack is never refunded, however little was used"
    else:
        window = cat.duration("cloudbase.pack_refunds.no_reason_window")
        limit = bought + window
        if reading == "seven-days":
            res.step("no-reason window ends", limit, f"purchase + {window.days} × 24 hours")
            if asked >= limit:
                blocker = "requested_at"
                reason = f"requested {asked - bought} after purchase, past the {window.days}-day no-reason window"
        else:
            res.step("no-reason window", "none applied", "reading 'no-limit': the rules name no deadline")
        if not reason and suspicious:
            blocker = "suspicious"
            reason = "Tencent Cloud may refuse a request it suspects to be abnormal or malicious"
    refunded = kept = ZERO
    for k, amt in amounts.items():
        row = table[k]
        back = row["refunded"] == "yes"
        res.step(f"paid from {k} ({row['zh']})", amt, "returned if eligible" if back else "kept: vouchers and deductions are not returned")
        if back:
            refunded += amt
        else:
            kept += amt
    eligible = not reason
    if not eligible:
        res.step("eligible", False, reason)
        kept, refunded = kept + refunded, ZERO
    else:
        res.step("eligible", True, "unused pack")
    res.step("refunded to the Tencent Cloud account", refunded, cat.value("cloudbase.pack_refunds.destination"))
    res.outputs.update(eligible=eligible, reason=reason or "unused pack", refused_by=blocker, refund=refunded, kept=kept)
    return res


def refund(cat: Catalog, purchased_at: object, requested_at: object, used: object, paid: dict | None = None,
           suspicious: bool = False, policies: dict | None = None) -> Result:
    """The refund of an eligible pack; an ineligible request is a :class:`RuleError` saying why."""
    res = assess(cat, purchased_at, requested_at, used, paid, suspicious, policies)
    if not res["eligible"]:
        raise RuleError(res["refused_by"], res["reason"])
    return res


def _paid(inputs: dict) -> dict:
    return {k: inputs[k] for k in ("cash", "income", "gift", "voucher") if k in inputs}


@calc("cloudbase.pack_refunds.assess")
def _assess(cat, inputs, policies):
    return assess(cat, inputs["purchased_at"], inputs["requested_at"], inputs.get("used", "0"), _paid(inputs),
                  _flag(inputs, "suspicious"), policies)


@calc("cloudbase.pack_refunds.refund")
def _refund(cat, inputs, policies):
    return refund(cat, inputs["purchased_at"], inputs["requested_at"], inputs.get("used", "0"), _paid(inputs),
                  _flag(inputs, "suspicious"), policies)


# The price list's figures this section is compared with (they belong to 价格文档, not to this section).
PACK_VALIDITY = "cloudbase.pricelist.pack.validity"
GIFT_VALIDITY = "cloudbase.pricelist.tokens.gift_validity"


def _price_list_duration(cat: Catalog, id: str, field: str):
    if not cat.has(id):
        raise InputError(field, None, f"a value, or the price list's catalog entry {id} (absent from this catalog)")
    return cat.duration(id)


def validity_end(cat: Catalog, start: object, policies: dict | None = None, days: object = None,
                 months: object = None) -> tuple[datetime, datetime, str, str]:
    """(lapses at, last second, reading, where the length came from) of a pack starting at ``start``."""
    s = as_datetime(start, "start")
    reading = choose(policies, VALIDITY)
    if reading == "one-month":
        m = int(nonneg(months if months is not None else 1, "months"))
        if m < 1:
            raise InputError("months", months, "a whole number of months >= 1")
        return add_months(s, m), add_months(s, m) - timedelta(seconds=1), reading, f"{m} month(s) from the start"
    if days is None:
        d, source = _price_list_duration(cat, PACK_VALIDITY, "validity_days").days, f"{PACK_VALIDITY} (价格文档)"
    else:
        d, source = int(nonneg(days, "validity_days")), "input"
    if d < 1:
        raise InputError("validity_days", days, "a whole number of days >= 1")
    if reading == "thirty-days":
        end = s + timedelta(days=d)
    else:
        end = datetime.combine(s.date(), datetime.min.time()) + timedelta(days=d)
    return end, end - timedelta(seconds=1), reading, f"{d} days from {source}"


@calc("cloudbase.pack_refunds.validity")
def _validity(cat, inputs, policies):
    months = inputs.get("months")
    if inputs.get("pack") == "token-gift":
        months = str(_price_list_duration(cat, GIFT_VALIDITY, "months").months)
    elif inputs.get("pack", "extension") != "extension":
        raise InputError("pack", inputs["pack"], "extension or token-gift")
    end, last, reading, source = validity_end(cat, inputs["start"], policies, inputs.get("validity_days"), months)
    s = as_datetime(inputs["start"], "start")
    res = Result({}, policies={VALIDITY.name: reading})
    res.step("starts", s)
    res.step("length", source)
    res.step("ends", end, VALIDITY.choices[reading])
    span = end - s
    res.step("span", f"{span.days} days {span.seconds // 3600} h {span.seconds % 3600 // 60} min {span.seconds % 60} s")
    # a console prints the end as the same clock time (the screenshot does); the last second is one before it
    res.outputs.update(end=end, last_second=last, days=span.days, span_hours=span.days * 24 + span.seconds // 3600)
    return res


@calc("cloudbase.pack_refunds.screenshot")
def _screenshot(cat, inputs, policies):
    """The screenshot row read as data: its span, and how its start compares with the section's revision stamp."""
    row = cat.value("cloudbase.pack_refunds.screenshot")[0]
    start, end = as_datetime(row["start"], "screenshot.start"), as_datetime(row["end"], "screenshot.end")
    ordered(start, end, "screenshot.start", "screenshot.end")
    revised = as_datetime(cat.section("cloudbase.pack_refunds").revised, "section.revised")
    res = Result({})
    res.step("pack", f"{row['id']} {row['type']}, {row['status']}, spec {row['spec']}, used {row['used']}")
    res.step("effective → expires", f"{start:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S}")
    span = end - start
    res.step("span", span.days, "days")
    res.step("section revised", revised, "same instant as the pack's start" if revised == start else "")
    res.outputs.update(days=span.days, start=start, end=end, start_is_revision_stamp=revised == start,
                       unused=row["used"] == "0", spec=nonneg(row["spec"], "screenshot.spec"))
    return res
