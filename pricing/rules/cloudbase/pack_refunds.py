"""资源包退费说明 · Resource-pack refunds.

A CloudBase resource pack (资源包) that has not been touched can be returned; once any of it has
been used, however little, it cannot. An eligible refund gives back everything the purchase
consumed from the refundable balances (the catalog's table: cash, income transfer, gift); deductions
and vouchers (抵扣 / 代金券) are kept. Tencent Cloud may turn down a request it suspects to be
abnormal or abusive.

The heading calls this a no-questions-asked refund within a number of days (7天无理由退款), yet the
rules themselves set no deadline: policy ``cloudbase.pack_refunds.window`` names both readings.

Prices over time: a refund is judged under the terms in force when the pack was bought (its
``purchased_at`` dates the view): a window shortened later does not reach a pack bought before the
change. A pack's validity is the one in force at its start.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc, choice, count, flag, moment, table, whole
from pricing.engine.money import ZERO, nonneg
from pricing.engine.periods import add_months, as_datetime, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.inputs import whole_number
from pricing.rules.conventions import MONTH_END, month_end
from .pricelist import PACK_WINDOW

BALANCES = "cloudbase.pack_refunds.balances"
PACK_KINDS = "cloudbase.pack_refunds.pack_kinds"
SCREENSHOT = "cloudbase.pack_refunds.screenshot"
SCREENSHOT_VALIDITY = "cloudbase.pack_refunds.screenshot_validity"

WINDOW = policy(
    "cloudbase.pack_refunds.window",
    "Must an unused pack be returned within the heading's no-reason window (7天无理由退款) of purchase?",
    {"seven-days": "only within the window (cloudbase.pack_refunds.no_reason_window) of the purchase instant, counted in 24-hour days",
     "no-limit": "at any time while it is unused (the rules list no deadline)"},
    "seven-days", "CB-REFUND-7DAY")

# how long an extension pack lasts is one question for the price list and this section (CB-PL-PACK-30D)
VALIDITY = PACK_WINDOW


def balances(cat: CatalogView) -> dict[str, dict]:
    """The balances a pack may be paid from (in force at ``cat.moment``), and whether each is refunded."""
    return {r["balance"]: r for r in cat.rows(BALANCES)}


def pack_kinds(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["pack"] for r in cat.rows(PACK_KINDS))


def assess(cat: CatalogView, purchased_at: object, requested_at: object, used: object, paid: dict | None = None,
           suspicious: bool = False, policies: dict | None = None) -> Result:
    """Whether a pack can be returned and what comes back, under the terms in force at the purchase
    (the window and the refundable balances are read at ``purchased_at``). Never raises for an
    ineligible pack: ``eligible`` says no and ``reason`` says why (see :func:`refund` for the raising form)."""
    bought = as_datetime(purchased_at, "purchased_at")
    asked = as_datetime(requested_at, "requested_at")
    if asked < bought:
        raise InputError("requested_at", str(asked), f"a moment at or after purchased_at ({bought})")
    cat = cat.at(bought)
    usage = nonneg(used, "used")
    table = balances(cat)
    amounts = {}
    if paid is not None and not isinstance(paid, dict):
        raise InputError("paid", paid, "a table of amounts by balance, e.g. {\"cash\": \"350\"}")
    for k, v in (paid or {}).items():
        if k not in table:
            raise InputError("paid", k, f"a balance in force on {cat.moment:%Y-%m-%d}: " + ", ".join(table))
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
        window = cat.timedelta("cloudbase.pack_refunds.no_reason_window")
        limit = bought + window
        if reading == "seven-days":
            res.step("no-reason window ends", limit, f"purchase + {window.days} × 24 hours (the window in force at the purchase)")
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


def refund(cat: CatalogView, purchased_at: object, requested_at: object, used: object, paid: dict | None = None,
           suspicious: bool = False, policies: dict | None = None) -> Result:
    """The refund of an eligible pack; an ineligible request is a :class:`RuleError` saying why."""
    res = assess(cat, purchased_at, requested_at, used, paid, suspicious, policies)
    if not res["eligible"]:
        raise RuleError(res["refused_by"], res["reason"])
    return res


REQUEST = [moment("purchased_at", help="when the pack was bought (the terms in force then apply)"),
           moment("requested_at", help="when the refund is asked for"),
           count("used", "units", "0", "how much of the pack has been used", minimum=0),
           table("paid", "CNY", {}, "what the order took from each balance, e.g. {\"cash\": \"350\", \"gift\": \"50\"}"),
           flag("suspicious", False, "Tencent Cloud suspects an abnormal or abusive request")]


@calc("cloudbase.pack_refunds.assess", "Whether a resource pack can be returned, and what comes back",
      REQUEST, moment="purchased_at", policies=[WINDOW])
def _assess(cat, inputs, policies):
    return assess(cat, inputs["purchased_at"], inputs["requested_at"], inputs["used"], inputs["paid"],
                  inputs["suspicious"], policies)


@calc("cloudbase.pack_refunds.refund", "The refund of an eligible resource pack (an ineligible one is refused)",
      REQUEST, moment="purchased_at", policies=[WINDOW])
def _refund(cat, inputs, policies):
    return refund(cat, inputs["purchased_at"], inputs["requested_at"], inputs["used"], inputs["paid"],
                  inputs["suspicious"], policies)


def _price_list_duration(cat: CatalogView, id: str, field: str):
    if not cat.has(id):
        raise InputError(field, None, f"a value, or the price list's catalog entry {id} (not in force on {cat.moment:%Y-%m-%d})")
    return cat.duration(id)


def validity_end(cat: CatalogView, start: object, policies: dict | None = None, days: object = None,
                 months: object = None, pack: str = "extension") -> tuple[datetime, datetime, str, str]:
    """(lapses at, last second, reading, where the length came from) of a ``pack`` starting at ``start``,
    with the lengths in force at ``start``. A pack whose validity is in months runs start + months;
    one in days follows the reading of ``cloudbase.pricelist.pack_window`` (CB-PL-PACK-30D)."""
    s = as_datetime(start, "start")
    cat = cat.at(s)
    row = next((r for r in cat.rows(PACK_KINDS) if r["pack"] == pack), None)
    if row is None:
        raise InputError("pack", pack, f"a kind of pack on {cat.moment:%Y-%m-%d}: " + " | ".join(pack_kinds(cat)))
    dur = _price_list_duration(cat, row["validity"], "validity_days")
    reading = choose(policies, VALIDITY)
    me = month_end(policies)
    if dur.months or dur.years:
        m = whole_number(months, "months", 1) if months is not None else dur.months + 12 * dur.years
        end = add_months(s, m, me)
        return end, end - timedelta(seconds=1), "", f"{m} month(s) from {row['validity']} (价格文档)"
    if reading == "calendar-month":
        if months is not None:
            m, source = whole_number(months, "months", 1, "a whole number of months >= 1"), "input"
        else:
            m, source = cat.duration(SCREENSHOT_VALIDITY).months, SCREENSHOT_VALIDITY
        end = add_months(s, m, me)
        return end, end - timedelta(seconds=1), reading, f"{m} month(s) from the start ({source})"
    if days is None:
        d, source = dur.days, f"{row['validity']} (价格文档)"
    else:
        d, source = whole_number(days, "validity_days", 1, "a whole number of days >= 1"), "input"
    if reading == "30x24h":
        end = s + timedelta(days=d)
    else:
        end = datetime.combine(s.date(), datetime.min.time()) + timedelta(days=d)
    return end, end - timedelta(seconds=1), reading, f"{d} days from {source}"


@calc("cloudbase.pack_refunds.validity", "When a pack bought at a moment lapses",
      [moment("start", help="when the pack takes effect (the validity in force then applies)"),
       choice("pack", pack_kinds, "extension", "the kind of pack"),
       whole("validity_days", "days", None, "days of validity (default: the price list's)", minimum=1),
       whole("months", "months", None, "months of validity (default: the screenshot's, or the pack's own)", minimum=1)],
      moment="start", policies=[VALIDITY, MONTH_END])
def _validity(cat, inputs, policies):
    end, last, reading, source = validity_end(cat, inputs["start"], policies, inputs["validity_days"], inputs["months"],
                                              inputs["pack"])
    s = inputs["start"]
    res = Result({}, policies={VALIDITY.name: reading} if reading else {})
    res.step("starts", s)
    res.step("length", source)
    res.step("ends", end, VALIDITY.choices[reading] if reading else "months from the start, clamped to the month's last day")
    span = end - s
    res.step("span", f"{span.days} days {span.seconds // 3600} h {span.seconds % 3600 // 60} min {span.seconds % 60} s")
    # a console prints the end as the same clock time (the screenshot does); the last second is one before it
    res.outputs.update(end=end, last_second=last, days=span.days, span_hours=span.days * 24 + span.seconds // 3600)
    return res


@calc("cloudbase.pack_refunds.screenshot",
      "The screenshot row read as data: its span, and how its start compares with the section's revision stamp",
      [moment("at", None, "the catalog's moment (default: the as-of date)")], moment="at")
def _screenshot(cat, inputs, policies):
    """The screenshot row read as data: its span, and how its start compares with the section's revision stamp."""
    row = cat.rows(SCREENSHOT)[0]
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
