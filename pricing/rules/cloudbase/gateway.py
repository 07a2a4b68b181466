"""云开发网关 · CloudBase gateway.

The gateway is sold as editions (版本), each with a ceiling on QPS and on bandwidth, prepaid by
the month (包年包月) for one of a fixed set of durations (the catalog's table). A purchase costs the
monthly price times the months bought; the section states no discount for longer terms (register
CB-GW-TERM). Time is extended by a manual renewal made before expiry, or by auto-renewal at expiry.

Prices over time: a purchase is an order, priced by the monthly price in force at its order
instant for the whole term it buys (an order placed before a price change keeps the old price);
a renewal is a new order, priced at the instant it is made (manual) or at expiry (auto). The
editions, durations and renewal modes are dated tables of the catalog: an edition that is not on
sale at the order instant is refused with the editions on sale then.
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc, choice, moment, number
from pricing.engine.money import BILLED, D, nonneg
from pricing.engine.periods import add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.rules.conventions import MONTH_END, TERM_PRICE, month_end, term_amount

AUTO_TERM = policy(
    "cloudbase.gateway.auto_term",
    "Auto-renewal is offered with no term: for how long does an automatic renewal extend the edition?",
    {"one-month": "the shortest duration on sale (one month), whatever was bought before",
     "previous-term": "the duration bought last time (given as the input duration)"},
    "one-month", "CB-GW-AUTO-TERM")

EDITIONS = "cloudbase.gateway.editions"
DURATIONS = "cloudbase.gateway.durations"
RENEWAL = "cloudbase.gateway.renewal"


def editions(cat: CatalogView) -> list[dict]:
    """The editions on sale at ``cat.moment``, smallest first."""
    return [dict(r) for r in cat.rows(EDITIONS)]


def edition_choices(cat: CatalogView) -> tuple[str, ...]:
    """Allowed values of an ``edition`` input: each edition's id and its Chinese name."""
    return tuple(x for r in cat.rows(EDITIONS) for x in (r["edition"], r["zh"]))


def duration_choices(cat: CatalogView) -> tuple[str, ...]:
    return tuple(x for r in cat.rows(DURATIONS) for x in (r["duration"], r["zh"]))


def mode_choices(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["mode"] for r in cat.rows(RENEWAL))


def edition(cat: CatalogView, name: str) -> dict:
    """An edition by id (``basic``) or Chinese name (``基础版``), as on sale at ``cat.moment``."""
    for r in editions(cat):
        if name in (r["edition"], r["zh"]):
            return r
    raise InputError("edition", name, f"an edition on sale on {cat.moment:%Y-%m-%d}: "
                     + ", ".join(f"{r['edition']} ({r['zh']})" for r in editions(cat)))


def monthly_price(cat: CatalogView, name: str) -> Decimal:
    return cat.dec(f"cloudbase.gateway.price.{edition(cat, name)['edition']}")


def months_of(cat: CatalogView, duration: object) -> int:
    """Months in a purchasable duration ('3mo', '6mo' / '半年', '1y' / '1年' ...); anything else is refused."""
    rows = cat.rows(DURATIONS)
    for r in rows:
        if duration in (r["duration"], r["zh"]):
            return int(r["months"])
    raise InputError("duration", duration, f"a duration on sale on {cat.moment:%Y-%m-%d}: "
                     + ", ".join(f"{r['duration']} ({r['zh']})" for r in rows))


def purchase(cat: CatalogView, name: str, duration: object, start: object = None, policies: dict | None = None,
             inputs: dict | None = None) -> Result:
    """A prepaid order of ``name`` for ``duration``. Priced at ``start`` (the order instant) when
    given, else at ``cat.moment``; the amount under ``prepaid.term_price`` (CB-GW-TERM); the expiry is
    start + months, counted from the start (``periods.month_end``)."""
    s = as_datetime(start, "start") if start is not None else None
    if s is not None:
        cat = cat.at(s)
    e = edition(cat, name)
    m = months_of(cat, duration)
    price = monthly_price(cat, name)
    total, how = term_amount(price, m, inputs, policies)
    res = Result({}, policies={TERM_PRICE.name: choose(policies, TERM_PRICE)})
    res.step("edition", f"{e['zh']} ({e['edition']})", f"max {e['qps']} QPS, {e['bandwidth_mbps']} Mbps")
    res.step("duration", m, f"months ({duration})")
    res.step("monthly price in force at the order", price, f"{cat.moment:%Y-%m-%d %H:%M:%S}")
    res.step("price for the term", total, how)
    res.outputs.update(price=total, months=m, monthly=price, edition=e["edition"], priced_at=cat.moment)
    if s is not None:
        end = add_months(s, m, month_end(policies))
        res.policies[MONTH_END.name] = month_end(policies)
        res.step("valid", f"{s:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S}", f"start + {m} months, counted from the start")
        res.outputs.update(start=s, expires=end)
    return res


EDITION = choice("edition", edition_choices, help="an edition on sale at the order instant, by id or Chinese name")
DURATION = choice("duration", duration_choices, "1mo", help="a purchasable duration, by id or Chinese name")
TERM_DISCOUNT = number("term_discount", "ratio", None, "a term discount as a ratio, read only under "
                       "prepaid.term_price = term-discount (the guides publish none)", minimum=0)


@calc("cloudbase.gateway.purchase", "A prepaid gateway order: monthly price × months, and its expiry",
      [EDITION, DURATION, moment("start", None, "the order instant, when the edition starts (default: the as-of date, "
                                                "and no expiry is computed)"), TERM_DISCOUNT],
      moment="start", policies=[TERM_PRICE, MONTH_END])
def _purchase(cat, inputs, policies):
    return purchase(cat, inputs["edition"], inputs["duration"], inputs["start"], policies, inputs)


def cheapest(cat: CatalogView, qps: object, bandwidth_mbps: object) -> Result:
    """The cheapest edition on sale at ``cat.moment`` whose ceilings cover the required QPS and bandwidth."""
    q, b = nonneg(qps, "qps"), nonneg(bandwidth_mbps, "bandwidth_mbps")
    res = Result({})
    res.step("required", f"{q} QPS, {b} Mbps")
    eds = editions(cat)
    fits = [e for e in eds if D(e["qps"]) >= q and D(e["bandwidth_mbps"]) >= b]
    if not fits:
        top = max(eds, key=lambda e: D(e["qps"]))
        raise RuleError("qps/bandwidth_mbps", f"{q} QPS and {b} Mbps exceed every edition; the largest, {top['zh']}, "
                                              f"allows {top['qps']} QPS and {top['bandwidth_mbps']} Mbps")
    for e in eds:
        ok = e in fits
        res.step(f"{e['zh']}", monthly_price(cat, e["edition"]),
                 f"{e['qps']} QPS, {e['bandwidth_mbps']} Mbps: " + ("fits" if ok else "too small"))
    best = min(fits, key=lambda e: monthly_price(cat, e["edition"]))
    res.step("cheapest that fits", f"{best['zh']} ({best['edition']})", f"{monthly_price(cat, best['edition'])} 元/月")
    res.outputs.update(edition=best["edition"], zh=best["zh"], monthly=monthly_price(cat, best["edition"]))
    return res


AT = moment("at", None, "when the editions are compared (default: the as-of date)")


@calc("cloudbase.gateway.cheapest", "The cheapest edition whose QPS and bandwidth ceilings cover a need",
      [number("qps", "QPS", "0", "the QPS needed", minimum=0),
       number("bandwidth_mbps", "Mbps", "0", "the bandwidth needed", minimum=0), AT], moment="at")
def _cheapest(cat, inputs, policies):
    return cheapest(cat, inputs["qps"], inputs["bandwidth_mbps"])


def renew(cat: CatalogView, name: str, expires_at: object, at: object, duration: object, mode: str = "manual",
          policies: dict | None = None, inputs: dict | None = None) -> Result:
    """Extend a gateway: a renewal whose timing is 'before-expiry' (manual) must come before expiry and
    is priced when made; one whose timing is 'at-expiry' (auto) happens, and is priced, at expiry, for
    the term ``cloudbase.gateway.auto_term`` gives (CB-GW-AUTO-TERM). The new expiry counts from the old one."""
    modes = {r["mode"]: r for r in cat.rows(RENEWAL)}
    if mode not in modes:
        raise InputError("mode", mode, f"a renewal mode in force on {cat.moment:%Y-%m-%d}: " + " | ".join(modes))
    row = modes[mode]
    exp = as_datetime(expires_at, "expires_at")
    if row["timing"] == "before-expiry":
        when = as_datetime(at, "at") if at not in (None, "") else exp
        if when >= exp:
            raise RuleError("at", f"a {row['zh']} ({mode}) renewal must be made before the edition expires ({exp}); it is {when}")
    else:
        when = exp
    cat = cat.at(when)
    term = None
    if row["timing"] != "before-expiry":
        term = choose(policies, AUTO_TERM)
        if term == "one-month":
            shortest = min(cat.rows(DURATIONS), key=lambda r: int(r["months"]))
            duration = shortest["duration"]
    bought = purchase(cat, name, duration, policies=policies, inputs=inputs)
    m = bought["months"]
    end = add_months(exp, m, month_end(policies))
    res = Result({}, steps=list(bought.steps), policies={**bought.policies, MONTH_END.name: month_end(policies)})
    if term is not None:
        res.policies[AUTO_TERM.name] = term
        res.step("auto-renewal term", f"{m} month(s)", AUTO_TERM.choices[term])
    res.step(f"{row['zh']} at", when, "the renewal is priced at this instant")
    res.step("new expiry = old expiry + months", end, f"{exp:%Y-%m-%d %H:%M:%S} + {m} months")
    res.outputs.update(price=bought["price"], monthly=bought["monthly"], expires=end, priced_at=when)
    return res


@calc("cloudbase.gateway.renew", "Renew a gateway edition: price and new expiry",
      [EDITION, moment("expires_at", help="when the current edition expires"),
       moment("at", None, "when a manual renewal is made (before expiry); an auto-renewal happens at expires_at"),
       DURATION, choice("mode", mode_choices, "manual", "how the renewal is made (续费方式)"), TERM_DISCOUNT],
      moment="at", policies=[AUTO_TERM, TERM_PRICE, MONTH_END])
def _renew(cat, inputs, policies):
    return renew(cat, inputs["edition"], inputs["expires_at"], inputs["at"], inputs["duration"], inputs["mode"],
                 policies, inputs)


@calc("cloudbase.gateway.unit_prices", "Monthly price per QPS and per Mbps of each edition", [AT], moment="at")
def _unit_prices(cat, inputs, policies):
    """Monthly price per QPS and per Mbps of each edition (what a buyer pays for each unit of ceiling)."""
    res = Result({})
    for e in editions(cat):
        p = monthly_price(cat, e["edition"])
        per_qps, per_mbps = p / D(e["qps"]), p / D(e["bandwidth_mbps"])
        res.step(e["zh"], f"{BILLED(per_qps)} 元 per QPS; {BILLED(per_mbps)} 元 per Mbps", "shown to the fen; outputs exact")
        res.outputs[f"per_qps.{e['edition']}"] = per_qps
        res.outputs[f"per_mbps.{e['edition']}"] = per_mbps
    return res
