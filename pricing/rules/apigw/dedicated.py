"""实例规格 and 专享实例计费·计费规则 · Instance specifications and dedicated-instance billing.

A dedicated instance (专享实例) is billed on two items: the **instance fee** (实例费用), either
prepaid per month (包年包月) or pay-as-you-go (按量计费: counted per second, settled on each whole
hour), and **internet egress** (外网出流量) at the same regional prices as a shared instance, with
egress packs and the free quota drawn down first (see :mod:`pricing.apigw.billing`).

Prices come from the catalog: each priced edition has a monthly and an hourly list price and a
discount factor (上云折扣) with two versions, 1 until 2022-03-24 18:00:00 and the cut factor from
then on. A price is list × discount, rounded to the fen at one named point. The flagship edition
(旗舰版) has no list price: it is quoted by ticket, and pricing it is an error.

The module also holds the lookups of the specs section (QPS caps, SLA ranges) because they read
the same editions table.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from pricing.engine.catalog import ORIGIN, Catalog
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, ZERO, RoundingPolicy, nonneg
from pricing.engine.periods import add_months, as_datetime, hour_floor, hourly_windows, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result, show
from .common import region_group
from pricing.engine.inputs import whole_number

# ------------------------------------------------------------------------------- policies

DISCOUNT_ROUNDING = policy(
    "apigw.dedicated.discount.rounding",
    "How is list price × discount brought to the fen?",
    {"half-up": "half-up to 0.01 yuan (every printed discounted price agrees)",
     "half-even": "banker's rounding to 0.01 yuan (agrees too: no product ends exactly on half a fen)",
     "truncate": "cut after the second decimal (enterprise hourly 22.5988 → 22.59, platinum hourly 41.526 → 41.52)"},
    "half-up", "APIGW-DED-DISCOUNT-ROUNDING")

PAYG_ROUNDING = policy(
    "apigw.dedicated.payg.rounding",
    "Where is a pay-as-you-go instance fee rounded to the fen: on each hourly settlement, or once on the whole run?",
    {"each-settlement": "each hourly settlement (hourly price × seconds / 3600) is rounded, then the settlements add up",
     "whole-run": "the exact per-second fees are added over the run and rounded once"},
    "each-settlement", "APIGW-DED-PAYG-ROUNDING")

PRICE_TIME = policy(
    "apigw.dedicated.payg.price_time",
    "Which price applies to the pay-as-you-go seconds of an hour: the price in force when they are used, "
    "or the price in force when the hour is settled?",
    {"usage-time": "each second at the price in force at that second (17:00-18:00 on 2022-03-24 at the old price)",
     "settlement-time": "the whole hour at the price in force at its settlement instant (the hour settled at 18:00:00 at the new price)"},
    "usage-time", "APIGW-DED-PAYG-CHANGE-HOUR")

RENEWAL_PRICE = policy(
    "apigw.dedicated.renewal.price_at",
    "A monthly renewal: is it priced when it is ordered, or when the renewed period starts?",
    {"order-instant": "the price in force at the moment the renewal is ordered and paid",
     "period-start": "the price in force when the renewed period begins (the old term's end)"},
    "order-instant", "APIGW-DED-RENEWAL-PRICE")

QPS_RANGE = policy(
    "apigw.specs.qps_range",
    "Does the dedicated QPS range of the comparison table cover the flagship edition?",
    {"priced-editions": "the range runs over the editions with a numeric cap (2500 to 50000 QPS)",
     "all-editions": "the flagship edition (custom, above 50000 QPS) is a dedicated edition too, so the range has no fixed top"},
    "priced-editions", "APIGW-SPECS-QPS-RANGE")

ROUNDINGS = {
    "half-up": BILLED,
    "half-even": RoundingPolicy("fen-half-even", Decimal("0.01"), ROUND_HALF_EVEN, "Half-even to 0.01 yuan."),
    "truncate": RoundingPolicy("fen-truncate", Decimal("0.01"), ROUND_DOWN, "Truncate to 0.01 yuan."),
}

KINDS = ("monthly", "hourly")

# ------------------------------------------------------------------------------- editions


def editions(cat: Catalog) -> tuple[dict, ...]:
    return cat.value("apigw.dedicated.editions")


def edition_row(cat: Catalog, edition: str) -> dict:
    for row in editions(cat):
        if row["edition"] == edition:
            return row
    allowed = ", ".join(f"{r['edition']} ({r['zh']})" for r in editions(cat))
    raise InputError("edition", edition, allowed)


def is_priced(cat: Catalog, edition: str) -> bool:
    return cat.has(f"apigw.dedicated.{edition}.monthly")


def require_priced(cat: Catalog, edition: str) -> dict:
    row = edition_row(cat, edition)
    if not is_priced(cat, edition):
        priced = ", ".join(r["edition"] for r in editions(cat) if is_priced(cat, r["edition"]))
        raise RuleError("edition", f"{edition} ({row['zh']}) has no list price: it is quoted by ticket (工单), "
                                   f"so no fee can be computed for it; priced editions: {priced}")
    return row


def shown(x: Decimal) -> str:
    """A long exact quotient for display in a step: six decimals and an ellipsis (the output keeps it exact)."""
    if -x.as_tuple().exponent > 6:
        q = x.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
        if q != x:
            return f"{q}…"
    return str(x)


def need(inputs: dict, field: str, allowed: str):
    """A required input, or an error naming it."""
    v = inputs.get(field)
    if v in (None, ""):
        raise InputError(field, v, allowed)
    return v


def _moment(value, field: str) -> datetime:
    m = as_datetime(value, field)
    if m.microsecond:
        raise InputError(field, value, "a moment to the whole second (billed time is counted in seconds)")
    return m


def price(cat: Catalog, edition: str, kind: str, at: datetime | None, policies: dict | None = None) -> dict:
    """List price, discount and discounted price of one edition (``kind`` monthly or hourly) at a moment."""
    if kind not in KINDS:
        raise InputError("kind", kind, " or ".join(KINDS))
    require_priced(cat, edition)
    view = cat.at(at) if at is not None else cat
    lst = view.dec(f"apigw.dedicated.{edition}.{kind}")
    disc = view.dec(f"apigw.dedicated.{edition}.discount")
    exact = lst * disc
    reading = choose(policies, DISCOUNT_ROUNDING)
    return {"list": lst, "discount": disc, "exact": exact, "price": ROUNDINGS[reading](exact), "rounding": reading}


def change_instants(cat: Catalog, edition: str) -> list[datetime]:
    """Every moment at which one of the edition's prices or discounts takes a new version."""
    out = set()
    for id in (f"apigw.dedicated.{edition}.monthly", f"apigw.dedicated.{edition}.hourly",
               f"apigw.dedicated.{edition}.discount"):
        out |= {v.effective for v in cat.catalog.versions(id) if v.effective != ORIGIN}
    return sorted(out)


def _at(inputs: dict, field: str = "at") -> datetime | None:
    return _moment(inputs[field], field) if inputs.get(field) else None


@calc("apigw.dedicated.price")
def _price(cat, inputs, policies):
    """Monthly and hourly prices of one edition at a moment (latest catalog version if no moment is given)."""
    edition = inputs.get("edition", "")
    at = _at(inputs)
    m = price(cat, edition, "monthly", at, policies)
    h = price(cat, edition, "hourly", at, policies)
    row = edition_row(cat, edition)
    res = Result({}, policies={DISCOUNT_ROUNDING.name: m["rounding"]})
    res.step("edition", f"{edition} ({row['zh']}), {row['qps']} QPS, SLA {row['sla']}")
    res.step("priced at", at if at else "latest catalog version")
    res.step("discount factor (上云折扣)", m["discount"], "1 = no discount")
    res.step("monthly: list × discount", m["exact"], f"{m['list']} × {m['discount']}")
    res.step("monthly, to the fen", m["price"], m["rounding"])
    res.step("hourly: list × discount", h["exact"], f"{h['list']} × {h['discount']}")
    res.step("hourly, to the fen", h["price"], h["rounding"])
    res.outputs.update(monthly=m["price"], hourly=h["price"], monthly_list=m["list"], hourly_list=h["list"],
                       discount=m["discount"], monthly_exact=m["exact"], hourly_exact=h["exact"])
    return res


@calc("apigw.dedicated.edition_count")
def _edition_count(cat, inputs, policies):
    """How many editions the prose announces, how many rows the tables hold, how many carry a price."""
    rows = editions(cat)
    priced = [r for r in rows if is_priced(cat, r["edition"])]
    res = Result({})
    res.step("editions announced in the prose", cat.dec("apigw.dedicated.editions_stated"))
    res.step("rows of the editions table", len(rows), ", ".join(r["zh"] for r in rows))
    res.step("rows with a list price", len(priced), ", ".join(r["zh"] for r in priced))
    res.outputs.update(stated=cat.dec("apigw.dedicated.editions_stated"), rows=Decimal(len(rows)),
                       priced=Decimal(len(priced)))
    return res


# ------------------------------------------------------------------------------- pay-as-you-go

def _seconds(rd) -> int:
    """A catalog duration of hours/minutes/seconds as whole seconds."""
    if rd.months or rd.years or rd.days:
        raise InputError("duration", str(rd), "a duration in hours, minutes or seconds")
    return rd.hours * 3600 + rd.minutes * 60 + rd.seconds


def settlement_seconds(cat: Catalog) -> int:
    unit = _seconds(cat.duration("apigw.dedicated.payg.billing_unit"))
    period = _seconds(cat.duration("apigw.dedicated.payg.settlement"))
    if unit != 1 or period != 3600:
        raise InputError("apigw.dedicated.payg", f"unit {unit}s, settlement {period}s",
                         "a one-second billing unit and an hourly settlement (the hourly windows are whole hours)")
    return period


def payg_bill(cat: Catalog, edition: str, start, end, policies: dict | None = None) -> Result:
    """The pay-as-you-go instance fee of one instance running from ``start`` until it is released at ``end``."""
    require_priced(cat, edition)
    s, e = _moment(start, "start"), _moment(end, "end")
    ordered(s, e, "start", "end")
    if e == s:
        raise InputError("end", str(e), f"a moment after start ({s})")
    per = Decimal(settlement_seconds(cat))
    when = choose(policies, PRICE_TIME)
    rounding = choose(policies, PAYG_ROUNDING)
    changes = change_instants(cat, edition)
    res = Result({}, policies={PRICE_TIME.name: when, PAYG_ROUNDING.name: rounding,
                               DISCOUNT_ROUNDING.name: choose(policies, DISCOUNT_ROUNDING)})
    total, exact_total, seconds = ZERO, ZERO, 0
    by_rate: dict[Decimal, int] = {}
    rates = []
    settlements = []
    for w in hourly_windows(s, e):
        a, b = max(w.start, s), min(w.end, e)
        if when == "usage-time":
            cuts = [a] + [c for c in changes if a < c < b] + [b]
            pieces = [(cuts[i], cuts[i + 1], cuts[i]) for i in range(len(cuts) - 1)]
        else:
            pieces = [(a, b, w.end)]
        fee = ZERO
        for x, y, priced_at in pieces:
            p = price(cat, edition, "hourly", priced_at, policies)
            secs = int((y - x).total_seconds())
            part = p["price"] * secs / per
            fee += part
            seconds += secs
            by_rate[p["price"]] = by_rate.get(p["price"], 0) + secs
            rates.append(p["price"])
            res.step(f"{x:%Y-%m-%d %H:%M:%S} – {y:%H:%M:%S}", shown(part),
                     f"{secs} s × {p['price']} / {per} (hourly price at {priced_at:%Y-%m-%d %H:%M:%S}: "
                     f"{p['list']} × {p['discount']})")
        billed = BILLED(fee) if rounding == "each-settlement" else fee
        res.step(f"settlement at {w.end:%Y-%m-%d %H:%M:%S}", shown(billed),
                 "rounded to the fen" if rounding == "each-settlement" else "kept exact until the run ends")
        settlements.append((w.end, billed))
        total += billed
        exact_total += fee
    for r, secs in sorted(by_rate.items(), reverse=True):
        res.step(f"time billed at {r} CNY/hour", f"{Decimal(secs) / per} h", f"{secs} s")
    billed_total = BILLED(total)
    res.step("instance fee for the run", billed_total, f"{len(settlements)} hourly settlements")
    res.outputs.update(total=billed_total, exact=exact_total, seconds=Decimal(seconds), settlements=Decimal(len(settlements)),
                       first_rate=rates[0], last_rate=rates[-1], last_settlement=settlements[-1][0],
                       by_rate={str(k): v for k, v in by_rate.items()})
    return res


@calc("apigw.dedicated.payg_bill")
def _payg_bill(cat, inputs, policies):
    return payg_bill(cat, inputs.get("edition", ""), inputs.get("start"), inputs.get("end"), policies)


@calc("apigw.dedicated.payg_vs_monthly")
def _payg_vs_monthly(cat, inputs, policies):
    """How many hours of pay-as-you-go cost as much as one month prepaid, at a moment's prices."""
    edition = inputs.get("edition", "")
    at = _at(inputs)
    m = price(cat, edition, "monthly", at, policies)
    h = price(cat, edition, "hourly", at, policies)
    hours = m["price"] / h["price"]
    per_30_days = h["price"] * 720
    res = Result({}, policies={DISCOUNT_ROUNDING.name: m["rounding"]})
    res.step("monthly price", m["price"])
    res.step("hourly price", h["price"])
    res.step("break-even hours = monthly / hourly", shown(hours), f"{shown(hours / 24)} days of round-the-clock use")
    res.step("pay-as-you-go for 30 × 24 = 720 hours", per_30_days)
    res.step("premium of 720 pay-as-you-go hours over one month", shown(per_30_days / m["price"] - 1))
    res.outputs.update(break_even_hours=hours, payg_720h=per_30_days, monthly=m["price"], hourly=h["price"])
    return res


# ------------------------------------------------------------------------------- monthly

ORDER_TYPES = ("new", "renewal")


def months_of(value, field: str = "months") -> int:
    return whole_number(value, field, 1, "a whole number of months >= 1 (a year is 12)")


def monthly_order(cat: Catalog, edition: str, ordered_at, months=1, order_type: str = "new", period_start=None,
                  policies: dict | None = None, label: str = "order") -> Result:
    """One prepaid order: a new purchase, or a renewal whose period starts at ``period_start``."""
    if order_type not in ORDER_TYPES:
        raise InputError("order_type", order_type, " or ".join(ORDER_TYPES))
    o = _moment(ordered_at, "ordered_at")
    n = months_of(months)
    if order_type == "new":
        if period_start not in (None, "") and _moment(period_start, "period_start") != o:
            raise InputError("period_start", period_start, "empty for a new purchase (its term starts when it is ordered)")
        start = o
    else:
        start = _moment(period_start, "period_start") if period_start not in (None, "") else o
    reading = choose(policies, RENEWAL_PRICE)
    priced_at = start if (order_type == "renewal" and reading == "period-start") else o
    p = price(cat, edition, "monthly", priced_at, policies)
    amount = p["price"] * n
    end = add_months(start, n)
    res = Result({}, policies={RENEWAL_PRICE.name: reading, DISCOUNT_ROUNDING.name: p["rounding"]})
    res.step(f"{label}: {order_type} order placed", o)
    res.step(f"{label}: term", f"{start:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S}", f"{n} month(s), from its start")
    res.step(f"{label}: priced at", priced_at, reading if order_type == "renewal" else "a new order is priced when placed")
    res.step(f"{label}: monthly price = list × discount", p["price"], f"{p['list']} × {p['discount']} = {show(p['exact'])}")
    res.step(f"{label}: amount = monthly price × months", amount, f"{p['price']} × {n}")
    res.outputs.update(amount=amount, monthly_price=p["price"], discount=p["discount"], term_start=start, term_end=end,
                       priced_at=priced_at, months=Decimal(n))
    return res


@calc("apigw.dedicated.monthly_order")
def _monthly_order(cat, inputs, policies):
    return monthly_order(cat, inputs.get("edition", ""), inputs.get("ordered_at"), inputs.get("months", "1"),
                         inputs.get("order_type", "new"), inputs.get("period_start"), policies)


@calc("apigw.dedicated.monthly_renewal")
def _monthly_renewal(cat, inputs, policies):
    """A monthly instance bought at ``bought_at``, renewed by an order placed at ``renewal_ordered_at``
    for a period that starts when the current term ends. The first order is never repriced."""
    edition = inputs.get("edition", "")
    first = monthly_order(cat, edition, inputs.get("bought_at"), inputs.get("months", "1"), "new", None, policies, "purchase")
    ro = _moment(inputs.get("renewal_ordered_at"), "renewal_ordered_at")
    ordered(first["term_start"], ro, "bought_at", "renewal_ordered_at")
    second = monthly_order(cat, edition, ro, inputs.get("renewal_months", "1"), "renewal", first["term_end"], policies,
                           "renewal")
    res = Result({}, steps=first.steps + second.steps, policies={**first.policies, **second.policies})
    res.step("already paid orders keep their price", first["amount"], "the price cut does not reprice or refund them")
    total = first["amount"] + second["amount"]
    res.step("paid in total", total)
    res.outputs.update(first_amount=first["amount"], renewal_amount=second["amount"], total=total,
                       renewal_priced_at=second["priced_at"], renewal_start=second["term_start"],
                       renewal_end=second["term_end"])
    return res


# ------------------------------------------------------------------------------- egress

@calc("apigw.dedicated.egress")
def _egress(cat, inputs, policies):
    """One settlement hour of a dedicated instance's internet egress: free quota, then an egress pack, then
    pay-as-you-go at the region's price (the same prices as a shared instance)."""
    from .billing import bill, pack, usage
    from .free_quota import free_pools
    region = inputs.get("region", "guangzhou")
    group, zh = region_group(cat, region)
    hour = hour_floor(_moment(inputs.get("hour"), "hour"))
    pools = []
    if inputs.get("activated"):
        pools += [p for p in free_pools(cat, inputs["activated"], policies) if p.window.contains(hour)]
    if inputs.get("pack_gb"):
        pools.append(pack(cat, "egress-pack", "egress_gb", inputs["pack_gb"], inputs.get("pack_start", hour)))
    gb = nonneg(need(inputs, "egress_gb", "GB of egress in the hour, e.g. '10'"), "egress_gb")
    r = bill(cat, [usage(hour, region, "egress_gb", gb)], pools, policies)
    from .billing import ROUNDING_POINT
    res = Result({}, policies={ROUNDING_POINT.name: r.policies[ROUNDING_POINT.name]})
    res.step("region and its price group", f"{region} ({zh}), {group}")
    res.step("settlement window", f"{hour:%H:%M:%S} - {hour + timedelta(hours=1) - timedelta(seconds=1):%H:%M:%S}")
    res.steps += [s for s in r.steps if s.label not in ("call fee", "total billed")]  # egress only: no calls here
    covered = sum(r.outputs["covered"].values(), ZERO)
    res.outputs.update(fee=r.outputs["egress_fee"], covered_gb=covered, billed_gb=gb - covered,
                       settled_at=hour + timedelta(hours=1))
    return res


# ------------------------------------------------------------------------------- specs section

def _percent(text: str) -> Decimal:
    return nonneg(text.strip().rstrip("%"), "sla")


def _numeric(text: str) -> bool:
    return text.strip().isdigit()


@calc("apigw.specs.dedicated_ranges")
def _dedicated_ranges(cat, inputs, policies):
    """The dedicated QPS and SLA ranges as the editions table implies them, beside the comparison table's."""
    reading = choose(policies, QPS_RANGE)
    rows = editions(cat)
    num = [r for r in rows if _numeric(r["qps"])]
    custom = [r for r in rows if not _numeric(r["qps"])]
    comp = {r["item"]: r for r in cat.value("apigw.specs.comparison")}
    res = Result({}, policies={QPS_RANGE.name: reading})
    res.step("editions with a numeric cap: QPS", ", ".join(f"{r['zh']} {r['qps']}" for r in num))
    res.step("their SLA", ", ".join(f"{r['zh']} {r['sla']}" for r in num))
    for r in custom:
        res.step(f"{r['edition']} ({r['zh']})", f"QPS: {r['qps']}; SLA: {r['sla']}")
    qmin = min(Decimal(r["qps"]) for r in num)
    qmax = max(Decimal(r["qps"]) for r in num)
    slas = [_percent(r["sla"]) for r in rows if r["sla"].endswith("%")]
    upper = qmax if reading == "priced-editions" else f"none: {', '.join(r['zh'] for r in custom)} is custom, above {qmax}"
    res.step("QPS range over the editions", f"{qmin} – {upper}")
    res.step("comparison table says", comp["QPS cap per service or API 单个服务、API QPS 上限"]["dedicated"])
    res.step("SLA range over the editions", f"{min(slas)}% – {max(slas)}%")
    res.step("comparison table says", comp["SLA"]["dedicated"])
    res.outputs.update(qps_min=qmin, qps_max=upper, sla_min=min(slas), sla_max=max(slas),
                       shared_qps=cat.dec("apigw.specs.shared.qps_cap"), shared_sla=cat.dec("apigw.specs.shared.sla") * 100)
    return res


@calc("apigw.specs.qps_check")
def _qps_check(cat, inputs, policies):
    """Compare a request rate with the cap of an instance type ('shared' or a dedicated edition). Requests far
    above the cap may be dropped; the guide gives no rate at which that starts, so the result says only how far over it is."""
    inst = inputs.get("instance", "shared")
    qps = nonneg(need(inputs, "qps", "requests per second, e.g. '600'"), "qps")
    if inst == "shared":
        cap, name = cat.dec("apigw.specs.shared.qps_cap"), "shared (共享实例)"
    else:
        row = edition_row(cat, inst)
        if not _numeric(row["qps"]):
            raise RuleError("instance", f"{inst} ({row['zh']}) has a custom cap agreed by ticket: {row['qps']}")
        cap, name = Decimal(row["qps"]), f"dedicated {inst} ({row['zh']})"
    over = qps > cap
    res = Result({})
    res.step("instance", name)
    res.step("QPS cap per service or API", cap)
    res.step("requested", qps)
    res.step("above the cap" if over else "within the cap", qps - cap if over else cap - qps,
             "requests beyond the cap may be dropped, and a shared instance also suffers from its neighbours' load"
             if over else "headroom")
    res.outputs.update(cap=cap, over=over, excess=max(qps - cap, ZERO))
    return res
