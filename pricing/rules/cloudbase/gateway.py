"""云开发网关 · CloudBase gateway.

The gateway is sold as editions (版本), each with a ceiling on QPS and on bandwidth, prepaid by
the month (包年包月) for one of a fixed set of durations: 1 to 5 months, half a year, or 1 to 4
years. A purchase costs the monthly price times the months bought; the section states no discount
for longer terms (register CB-GW-TERM). Time is extended by a manual renewal made before expiry,
or by auto-renewal.
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import D, nonneg
from pricing.engine.periods import add_months, as_datetime
from pricing.engine.results import Result


def editions(cat: Catalog) -> list[dict]:
    return [dict(r) for r in cat.value("cloudbase.gateway.editions")]


def edition(cat: Catalog, name: str) -> dict:
    """An edition by id (``basic``) or Chinese name (``基础版``)."""
    for r in editions(cat):
        if name in (r["edition"], r["zh"]):
            return r
    raise InputError("edition", name, ", ".join(f"{r['edition']} ({r['zh']})" for r in editions(cat)))


def monthly_price(cat: Catalog, name: str) -> Decimal:
    return cat.dec(f"cloudbase.gateway.price.{edition(cat, name)['edition']}")


def months_of(cat: Catalog, duration: object) -> int:
    """Months in a purchasable duration ('3mo', '6mo' / '半年', '1y' / '1年' ...); anything else is refused."""
    rows = cat.value("cloudbase.gateway.durations")
    for r in rows:
        if duration in (r["duration"], r["zh"]):
            return int(r["months"])
    raise InputError("duration", duration, ", ".join(f"{r['duration']} ({r['zh']})" for r in rows))


def purchase(cat: Catalog, name: str, duration: object, start: object = None) -> Result:
    e = edition(cat, name)
    m = months_of(cat, duration)
    price = monthly_price(cat, name)
    total = price * m
    res = Result({})
    res.step("edition", f"{e['zh']} ({e['edition']})", f"max {e['qps']} QPS, {e['bandwidth_mbps']} Mbps")
    res.step("duration", m, f"months ({duration})")
    res.step("price = monthly price × months", total, f"{price} × {m}; no term discount stated")
    res.outputs.update(price=total, months=m, monthly=price, edition=e["edition"])
    if start is not None:
        s = as_datetime(start, "start")
        end = add_months(s, m)
        res.step("valid", f"{s:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S}", f"start + {m} months, counted from the start")
        res.outputs.update(start=s, expires=end)
    return res


@calc("cloudbase.gateway.purchase")
def _purchase(cat, inputs, policies):
    return purchase(cat, inputs["edition"], inputs.get("duration", "1mo"), inputs.get("start"))


def cheapest(cat: Catalog, qps: object, bandwidth_mbps: object) -> Result:
    """The cheapest edition whose ceilings cover the required QPS and bandwidth."""
    q, b = nonneg(qps, "qps"), nonneg(bandwidth_mbps, "bandwidth_mbps")
    res = Result({})
    res.step("required", f"{q} QPS, {b} Mbps")
    fits = [e for e in editions(cat) if D(e["qps"]) >= q and D(e["bandwidth_mbps"]) >= b]
    if not fits:
        top = max(editions(cat), key=lambda e: D(e["qps"]))
        raise RuleError("qps/bandwidth_mbps", f"{q} QPS and {b} Mbps exceed every edition; the largest, {top['zh']}, "
                                              f"allows {top['qps']} QPS and {top['bandwidth_mbps']} Mbps")
    for e in editions(cat):
        ok = e in fits
        res.step(f"{e['zh']}", monthly_price(cat, e["edition"]),
                 f"{e['qps']} QPS, {e['bandwidth_mbps']} Mbps: " + ("fits" if ok else "too small"))
    best = min(fits, key=lambda e: monthly_price(cat, e["edition"]))
    res.step("cheapest that fits", f"{best['zh']} ({best['edition']})", f"{monthly_price(cat, best['edition'])} 元/月")
    res.outputs.update(edition=best["edition"], zh=best["zh"], monthly=monthly_price(cat, best["edition"]))
    return res


@calc("cloudbase.gateway.cheapest")
def _cheapest(cat, inputs, policies):
    return cheapest(cat, inputs.get("qps", "0"), inputs.get("bandwidth_mbps", "0"))


def renew(cat: Catalog, name: str, expires_at: object, at: object, duration: object, mode: str = "manual") -> Result:
    """Extend a gateway: a manual renewal must come before expiry; auto-renewal happens at expiry."""
    modes = {r["mode"]: r for r in cat.value("cloudbase.gateway.renewal")}
    if mode not in modes:
        raise InputError("mode", mode, " or ".join(modes))
    exp = as_datetime(expires_at, "expires_at")
    when = as_datetime(at, "at") if mode == "manual" else exp
    if mode == "manual" and when >= exp:
        raise RuleError("at", f"a manual renewal must be made before the edition expires ({exp}); it is {when}")
    bought = purchase(cat, name, duration)
    m = bought["months"]
    end = add_months(exp, m)
    res = Result({}, steps=list(bought.steps))
    res.step(f"{modes[mode]['zh']} at", when)
    res.step("new expiry = old expiry + months", end, f"{exp:%Y-%m-%d %H:%M:%S} + {m} months")
    res.outputs.update(price=bought["price"], expires=end)
    return res


@calc("cloudbase.gateway.renew")
def _renew(cat, inputs, policies):
    return renew(cat, inputs["edition"], inputs["expires_at"], inputs.get("at", inputs["expires_at"]),
                 inputs.get("duration", "1mo"), inputs.get("mode", "manual"))


@calc("cloudbase.gateway.unit_prices")
def _unit_prices(cat, inputs, policies):
    """Monthly price per QPS and per Mbps of each edition (what a buyer pays for each unit of ceiling)."""
    res = Result({})
    for e in editions(cat):
        p = monthly_price(cat, e["edition"])
        res.step(e["zh"], f"{(p / D(e['qps'])).quantize(D('0.01'))} 元 per QPS; {(p / D(e['bandwidth_mbps'])).quantize(D('0.01'))} 元 per Mbps")
        res.outputs[f"per_qps.{e['edition']}"] = p / D(e["qps"])
        res.outputs[f"per_mbps.{e['edition']}"] = p / D(e["bandwidth_mbps"])
    return res
