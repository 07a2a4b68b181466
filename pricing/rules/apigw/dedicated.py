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

Moments: a price is read at the moment asked for (``at``, else the caller's ``as_of``); a
pay-as-you-go run is cut at every settlement and at every effective date of the edition's hourly
price or discount inside it, each piece priced at its own start (or, under the settlement-time
reading, at its settlement); a monthly order is priced at its order instant (a renewal, under the
period-start reading, when its term begins), its term and minimum term read then; an hour of egress
is priced when it opens.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc, choice, moment, number, whole
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.periods import as_datetime, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.statement import DEBIT_ROUNDING, line as statement_line, settle
from pricing.engine.periods import add_months
from pricing.rules.conventions import MONTH_END, TERM_PRICE, month_end, term_amount
from pricing.engine.results import Result, show
from .billing import BILL_POLICIES, bill, pack, usage
from .free_quota import BOUNDARY as FREE_BOUNDARY, PERIOD as FREE_PERIOD, free_pools
from .common import (EDITIONS, ORDER_TYPES, REGIONS, SECOND, region_group, row_by_key, settlement_window,
                     settlement_windows, split, whole_seconds)

# ------------------------------------------------------------------------------- policies

UNIT_PRICE = policy(
    "apigw.dedicated.payg.unit_price",
    "A pay-as-you-go instance is billed by the second at an hourly price printed to the fen after the discount: "
    "is a second charged at the printed price or at the exact list price × discount?",
    {"printed-price": "the discounted hourly price as printed (list × discount, half-up to the fen), per second",
     "exact-product": "list × discount unrounded, per second; only the settlement meets the fen"},
    "printed-price", "APIGW-DED-PAYG-UNIT-PRICE")

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

FLAGSHIP = policy(
    "apigw.dedicated.flagship_counted",
    "Is the edition with a custom cap and no listed price one of the dedicated editions when they are counted "
    "or their QPS range is given?",
    {"priced-editions": "no: the editions are those with a listed price and a numeric cap (the count the prose announces)",
     "all-editions": "yes: every row of the editions table, so the QPS range has no fixed top"},
    "priced-editions", "APIGW-DED-EDITIONS")

HOUR_SECONDS = whole_seconds(timedelta(hours=1))  # the hourly list prices are per hour (CNY/hour)

# ------------------------------------------------------------------------------- editions


def editions(cat: CatalogView) -> tuple[dict, ...]:
    """The editions in force at the view's moment, in the table's row order."""
    return cat.rows("apigw.dedicated.editions")


def edition_row(cat: CatalogView, edition: str) -> dict:
    return row_by_key(cat, "apigw.dedicated.editions", "edition", edition, "edition")


def price_ids(edition: str, kind: str) -> tuple[str, str]:
    """The entries a price of ``edition`` reads: its list price (``kind`` monthly or hourly) and its discount."""
    return f"apigw.dedicated.{edition}.{kind}", f"apigw.dedicated.{edition}.discount"


def is_priced(cat: CatalogView, edition: str) -> bool:
    return all(cat.has(i) for i in (*price_ids(edition, "monthly"), *price_ids(edition, "hourly")))


def priced_editions(cat: CatalogView) -> list[str]:
    return [r["edition"] for r in editions(cat) if is_priced(cat, r["edition"])]


def require_priced(cat: CatalogView, edition: str) -> dict:
    row = edition_row(cat, edition)
    if not is_priced(cat, edition):
        raise RuleError("edition", f"{edition} ({row['zh']}) has no list price at {cat.moment:%Y-%m-%d %H:%M:%S}: "
                                   f"it is quoted by ticket (工单), so no fee can be computed for it; "
                                   f"priced editions: {', '.join(priced_editions(cat))}")
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


def price(cat: CatalogView, edition: str, kind: str, policies: dict | None = None) -> dict:
    """List price, discount and discounted price of one edition (``kind`` monthly or hourly), as in
    force at the view's moment (move the view with ``cat.at(moment)``)."""
    require_priced(cat, edition)
    list_id, disc_id = price_ids(edition, kind)
    lst = cat.dec(list_id)
    disc = cat.dec(disc_id)
    exact = lst * disc
    # the printed discounted prices are list × discount half-up to the fen (every one of them agrees)
    return {"list": lst, "discount": disc, "exact": exact, "price": BILLED(exact), "rounding": "half-up", "at": cat.moment}


EDITION = choice("edition", EDITIONS, help="a dedicated edition (apigw.dedicated.editions)")
AT = moment("at", None, "the moment whose prices apply (default: the as-of date)")


@calc("apigw.dedicated.price", "Monthly and hourly prices of one edition at a moment",
      [EDITION, AT], moment="at")
def _price(cat, inputs, policies):
    """Monthly and hourly prices of one edition as in force at ``at`` (or the as-of date)."""
    edition = inputs["edition"]
    m = price(cat, edition, "monthly", policies)
    h = price(cat, edition, "hourly", policies)
    row = edition_row(cat, edition)
    res = Result({})
    res.step("edition", f"{edition} ({row['zh']}), {row['qps']} QPS, SLA {row['sla']}")
    res.step("priced at", cat.moment)
    res.step("discount factor (上云折扣)", m["discount"], "1 = no discount")
    res.step("monthly: list × discount", m["exact"], f"{m['list']} × {m['discount']}")
    res.step("monthly, to the fen", m["price"], m["rounding"])
    res.step("hourly: list × discount", h["exact"], f"{h['list']} × {h['discount']}")
    res.step("hourly, to the fen", h["price"], h["rounding"])
    res.outputs.update(monthly=m["price"], hourly=h["price"], monthly_list=m["list"], hourly_list=h["list"],
                       discount=m["discount"], monthly_exact=m["exact"], hourly_exact=h["exact"])
    return res


@calc("apigw.dedicated.edition_count", "Editions announced in the prose, rows of the editions table, rows with a price",
      [], policies=[FLAGSHIP])
def _edition_count(cat, inputs, policies):
    """How many editions the prose announces, how many rows the tables hold, how many carry a price;
    ``count`` is the number of dedicated editions under ``apigw.dedicated.flagship_counted``."""
    rows = editions(cat)
    priced = [r for r in rows if is_priced(cat, r["edition"])]
    reading = choose(policies, FLAGSHIP)
    res = Result({}, policies={FLAGSHIP.name: reading})
    res.step("editions announced in the prose", cat.dec("apigw.dedicated.editions_stated"))
    res.step("rows of the editions table", len(rows), ", ".join(r["zh"] for r in rows))
    res.step("rows with a list price", len(priced), ", ".join(r["zh"] for r in priced))
    count = Decimal(len(priced) if reading == "priced-editions" else len(rows))
    res.step("dedicated editions counted", count, reading)
    res.outputs.update(stated=cat.dec("apigw.dedicated.editions_stated"), rows=Decimal(len(rows)),
                       priced=Decimal(len(priced)), count=count)
    return res


# ------------------------------------------------------------------------------- pay-as-you-go

def check_billing_unit(cat: CatalogView) -> None:
    """The rule counts billed time in whole seconds: the catalog's billing unit must be one second."""
    unit = cat.timedelta("apigw.dedicated.payg.billing_unit")
    if unit != SECOND:
        raise RuleError("apigw.dedicated.payg.billing_unit", f"a billing unit of {unit} at {cat.moment}: "
                                                             "the rule bills whole seconds (元/秒)")


def payg_bill(cat: CatalogView, edition: str, start, end, policies: dict | None = None) -> Result:
    """The pay-as-you-go instance fee of one instance running from ``start`` until it is released at ``end``.

    The run is cut into the settlement windows of ``apigw.dedicated.payg.settlement`` (each of the
    period in force when it opens); under 'usage-time' each window is cut again at every effective
    date of the edition's hourly price or discount inside it, each piece priced at its own start."""
    s, e = _moment(start, "start"), _moment(end, "end")
    ordered(s, e, "start", "end")
    if e == s:
        raise InputError("end", str(e), f"a moment after start ({s})")
    require_priced(cat.at(s), edition)
    when = choose(policies, PRICE_TIME)
    unit = choose(policies, UNIT_PRICE)
    rounding = choose(policies, DEBIT_ROUNDING)
    ids = price_ids(edition, "hourly")
    res = Result({}, policies={PRICE_TIME.name: when, UNIT_PRICE.name: unit, DEBIT_ROUNDING.name: rounding})
    seconds = 0
    by_rate: dict[Decimal, int] = {}
    rates = []
    lines = []
    per = Decimal(HOUR_SECONDS)
    for w in settlement_windows(cat, s, e, "apigw.dedicated.payg.settlement"):
        a, b = max(w.start, s), min(w.end, e)
        if when == "usage-time":
            pieces = [(x, y, x) for x, y in split(cat, ids, a, b)]
        else:
            pieces = [(a, b, w.end)]
        fee = ZERO
        for x, y, priced_at in pieces:
            view = cat.at(priced_at)
            check_billing_unit(view)
            p = price(view, edition, "hourly", policies)
            rate = p["price"] if unit == "printed-price" else p["exact"]
            secs = whole_seconds(y - x)
            part = rate * secs / per
            fee += part
            seconds += secs
            by_rate[rate] = by_rate.get(rate, 0) + secs
            rates.append(rate)
            res.step(f"{x:%Y-%m-%d %H:%M:%S} – {y:%H:%M:%S}", shown(part),
                     f"{secs} s × {rate} / {per} (hourly price at {priced_at:%Y-%m-%d %H:%M:%S}: "
                     f"{p['list']} × {p['discount']}{'' if unit == 'printed-price' else ', unrounded'})")
        lines.append(statement_line(f"{w.end:%Y-%m-%d %H:%M:%S}", "instance_fee", fee, Decimal(whole_seconds(b - a)),
                                    "s", w.end, reading=rounding))
    st = settle(lines, policies)
    for l in lines:
        debit = st.bills.get(l.bill, l.amount)
        res.step(f"settlement at {l.bill}", shown(debit),
                 {"line-8dp-debit-fen": f"line {l.amount}; debited in fen on the running total",
                  "per-bill-fen": "the settlement rounded to the fen", "exact": "kept exact"}[rounding])
    for r, secs in sorted(by_rate.items(), reverse=True):
        res.step(f"time billed at {shown(r)} CNY/hour", f"{Decimal(secs) / per} h", f"{secs} s")
    res.step("instance fee for the run", st.due, f"{len(lines)} settlements (billing.debit_rounding: {rounding})")
    res.outputs.update(total=st.due, exact=st.exact, seconds=Decimal(seconds), settlements=Decimal(len(lines)),
                       first_rate=rates[0], last_rate=rates[-1], last_settlement=lines[-1].at,
                       by_rate={str(k): v for k, v in by_rate.items()}, precision=st.precision)
    return res


RUN_START = moment("start", help="when the instance is created (billing starts); whole seconds")


@calc("apigw.dedicated.payg_bill", "The pay-as-you-go instance fee of one run, settled every hour",
      [EDITION, RUN_START, moment("end", help="when the instance is released (billing stops); whole seconds")],
      moment="start", policies=[PRICE_TIME, UNIT_PRICE, DEBIT_ROUNDING])
def _payg_bill(cat, inputs, policies):
    return payg_bill(cat, inputs["edition"], inputs["start"], inputs["end"], policies)


@calc("apigw.dedicated.payg_vs_monthly", "How many pay-as-you-go hours cost as much as one prepaid month",
      [EDITION, AT, whole("hours", "hours", "720", "pay-as-you-go hours to set against one prepaid month "
                          "(720: 30 days round the clock, our illustration)", minimum=1)],
      moment="at")
def _payg_vs_monthly(cat, inputs, policies):
    """How many hours of pay-as-you-go cost as much as one month prepaid, at a moment's prices."""
    edition = inputs["edition"]
    m = price(cat, edition, "monthly", policies)
    h = price(cat, edition, "hourly", policies)
    n = inputs["hours"]
    hours = m["price"] / h["price"]
    payg = h["price"] * n
    res = Result({})
    res.step("monthly price", m["price"])
    res.step("hourly price", h["price"])
    res.step("break-even hours = monthly / hourly", shown(hours), f"{shown(hours / 24)} days of round-the-clock use")
    res.step(f"pay-as-you-go for {n} hours", payg)
    res.step(f"premium of {n} pay-as-you-go hours over one month", shown(payg / m["price"] - 1))
    res.outputs.update(break_even_hours=hours, payg_hours=payg, monthly=m["price"], hourly=h["price"])
    return res


# ------------------------------------------------------------------------------- monthly


def _months(rd: relativedelta, id: str) -> int:
    if rd.days or rd.hours or rd.minutes or rd.seconds:
        raise RuleError(id, f"{rd} is not a whole number of months")
    return rd.years * 12 + rd.months


def months_of(cat: CatalogView, value, field: str = "months") -> int:
    """A whole number of months that covers the minimum term (``apigw.dedicated.monthly.min_term``),
    read at the view's moment (the order). The monthly fee is billed by the month
    (``apigw.dedicated.monthly.billing_unit``); any other unit is refused rather than misread."""
    from pricing.engine.inputs import whole_number
    unit_id = "apigw.dedicated.monthly.billing_unit"
    if _months(cat.duration(unit_id), unit_id) != 1:
        raise RuleError(unit_id, f"a billing unit of {cat.duration(unit_id)} at {cat.moment}: "
                                 "the rule bills whole months at a price per month (元/月)")
    least = _months(cat.duration("apigw.dedicated.monthly.min_term"), "apigw.dedicated.monthly.min_term")
    return whole_number(value, field, max(1, least),
                        f"a whole number of months, at least the minimum term of {least} (a year is 12)")


def term_end(start: datetime, n: int, policies: dict | None = None) -> datetime:
    """The end of ``n`` months from ``start`` (anchor + n months; a missing day under ``periods.month_end``)."""
    return add_months(start, n, month_end(policies))


def order_row(cat: CatalogView, order_type: str) -> dict:
    return row_by_key(cat, "apigw.dedicated.order_types", "type", order_type, "order_type")


def monthly_order(cat: CatalogView, edition: str, ordered_at, months=1, order_type: str = "new", period_start=None,
                  policies: dict | None = None, label: str = "order", inputs: dict | None = None) -> Result:
    """One prepaid order placed at ``ordered_at``: a new purchase (its term starts then), or a renewal
    whose term starts at ``period_start``. The order types, the unit, the minimum term and the price
    are read at the order instant (a renewal's price at its term's start under 'period-start')."""
    o = _moment(ordered_at, "ordered_at")
    view = cat.at(o)
    row = order_row(view, order_type)
    n = months_of(view, months)
    if row["starts"] == "at-order":
        if period_start not in (None, "") and _moment(period_start, "period_start") != o:
            raise InputError("period_start", period_start,
                             f"empty for a {order_type} order ({row['zh']}): its term starts when it is ordered")
        start = o
    else:
        start = _moment(period_start, "period_start") if period_start not in (None, "") else o
    reading = choose(policies, RENEWAL_PRICE)
    later = row["starts"] != "at-order"
    priced_at = start if (later and reading == "period-start") else o
    p = price(cat.at(priced_at), edition, "monthly", policies)
    amount, how = term_amount(p["price"], n, inputs, policies)
    end = term_end(start, n, policies)
    res = Result({}, policies={RENEWAL_PRICE.name: reading, TERM_PRICE.name: choose(policies, TERM_PRICE),
                               MONTH_END.name: month_end(policies)})
    res.step(f"{label}: {order_type} order ({row['zh']}) placed", o)
    res.step(f"{label}: term", f"{start:%Y-%m-%d %H:%M:%S} → {end:%Y-%m-%d %H:%M:%S}", f"{n} month(s), from its start")
    res.step(f"{label}: priced at", priced_at, reading if later else "an order that starts at once is priced when placed")
    res.step(f"{label}: monthly price = list × discount", p["price"], f"{p['list']} × {p['discount']} = {show(p['exact'])}")
    res.step(f"{label}: amount for the term", amount, how)
    res.outputs.update(amount=amount, monthly_price=p["price"], discount=p["discount"], term_start=start, term_end=end,
                       priced_at=priced_at, months=Decimal(n))
    return res


MONTHS = whole("months", "months", "1", "how many months the order buys (a year is 12)", minimum=1)
TERM_DISCOUNT = number("term_discount", "ratio", None, "a term discount as a ratio, read only under "
                       "prepaid.term_price = term-discount (the guides publish none)", minimum=0)


@calc("apigw.dedicated.monthly_order", "One prepaid (monthly) order, priced at its order instant",
      [EDITION, moment("ordered_at", help="when the order is placed and paid"), MONTHS,
       choice("order_type", ORDER_TYPES, "new", "new (新购) or renewal (续费): apigw.dedicated.order_types"),
       moment("period_start", None, "a renewal's term start (the current term's end); empty for a new order"),
       TERM_DISCOUNT],
      moment="ordered_at", policies=[RENEWAL_PRICE, TERM_PRICE, MONTH_END])
def _monthly_order(cat, inputs, policies):
    return monthly_order(cat, inputs["edition"], inputs["ordered_at"], inputs["months"], inputs["order_type"],
                         inputs["period_start"], policies, inputs=inputs)


@calc("apigw.dedicated.monthly_renewal", "A monthly instance bought, then renewed by a later order",
      [EDITION, moment("bought_at", help="when the instance was bought (a new order)"),
       moment("renewal_ordered_at", help="when the renewal is ordered; its term starts when the current one ends"),
       MONTHS, whole("renewal_months", "months", "1", "how many months the renewal buys", minimum=1), TERM_DISCOUNT],
      moment="bought_at", policies=[RENEWAL_PRICE, TERM_PRICE, MONTH_END])
def _monthly_renewal(cat, inputs, policies):
    """A monthly instance bought at ``bought_at``, renewed by an order placed at ``renewal_ordered_at``
    for a period that starts when the current term ends. The first order is never repriced."""
    edition = inputs["edition"]
    kinds = {r["starts"]: r["type"] for r in cat.rows("apigw.dedicated.order_types")}
    new, renewal = kinds["at-order"], kinds["after-current-term"]
    first = monthly_order(cat, edition, inputs["bought_at"], inputs["months"], new, None, policies, "purchase", inputs)
    ro = _moment(inputs["renewal_ordered_at"], "renewal_ordered_at")
    ordered(first["term_start"], ro, "bought_at", "renewal_ordered_at")
    second = monthly_order(cat, edition, ro, inputs["renewal_months"], renewal, first["term_end"], policies, "renewal",
                           inputs)
    res = Result({}, steps=first.steps + second.steps, policies={**first.policies, **second.policies})
    res.step("already paid orders keep their price", first["amount"], "a later price change does not reprice or refund them")
    total = first["amount"] + second["amount"]
    res.step("paid in total", total)
    res.outputs.update(first_amount=first["amount"], renewal_amount=second["amount"], total=total,
                       renewal_priced_at=second["priced_at"], renewal_start=second["term_start"],
                       renewal_end=second["term_end"])
    return res


# ------------------------------------------------------------------------------- egress

@calc("apigw.dedicated.egress", "One settlement hour of a dedicated instance's internet egress",
      [choice("region", REGIONS, "guangzhou", "the region the instance serves from (its egress price group)"),
       moment("hour", help="any instant in the settlement hour; priced when the hour opens"),
       number("egress_gb", "GB", help="internet egress in the hour", minimum=0),
       moment("activated", None, "when the account was activated (its free quota counts first); empty: none"),
       number("pack_gb", "GB", None, "an egress pack's size (drawn after the free quota); empty: none", minimum=0),
       moment("pack_start", None, "when the egress pack was bought (default: the hour's start)")],
      moment="hour", policies=[*BILL_POLICIES, FREE_PERIOD, FREE_BOUNDARY])
def _egress(cat, inputs, policies):
    """One settlement hour of a dedicated instance's internet egress: free quota, then an egress pack, then
    pay-as-you-go at the region's price (the same prices as a shared instance)."""
    w = settlement_window(cat, _moment(inputs["hour"], "hour"))
    view = cat.at(w.start)
    region = inputs["region"]
    group, zh = region_group(view, region)
    pools = []
    if inputs["activated"] is not None:
        pools += [p for p in free_pools(cat, inputs["activated"], policies) if p.window.contains(w.start)]
    if inputs["pack_gb"]:
        pools.append(pack(cat, "egress-pack", "egress_gb", inputs["pack_gb"], inputs["pack_start"] or w.start))
    gb = inputs["egress_gb"]
    r = bill(cat, [usage(w.start, region, "egress_gb", gb)], pools, policies)
    res = Result({}, policies={DEBIT_ROUNDING.name: r.policies[DEBIT_ROUNDING.name]})
    res.step("region and its price group", f"{region} ({zh}), {group}")
    res.step("settlement window", f"{w.start:%H:%M:%S} - {w.last_second:%H:%M:%S}")
    res.steps += [s for s in r.steps if s.label not in ("call fee", "total billed")]  # egress only: no calls here
    covered = sum(r.outputs["covered"].values(), ZERO)
    res.outputs.update(fee=r.outputs["egress_fee"], covered_gb=covered, billed_gb=gb - covered, settled_at=w.end)
    return res


# ------------------------------------------------------------------------------- specs section

def _percent(text: str) -> Decimal:
    return nonneg(text.strip().rstrip("%"), "sla")


def _numeric(text: str) -> bool:
    return text.strip().isdigit()


@calc("apigw.specs.dedicated_ranges", "The dedicated QPS and SLA ranges implied by the editions table",
      [], policies=[FLAGSHIP])
def _dedicated_ranges(cat, inputs, policies):
    """The dedicated QPS and SLA ranges as the editions table implies them, beside the comparison table's."""
    reading = choose(policies, FLAGSHIP)
    rows = editions(cat)
    num = [r for r in rows if _numeric(r["qps"])]
    custom = [r for r in rows if not _numeric(r["qps"])]
    comp = {r["item"]: r for r in cat.value("apigw.specs.comparison")}
    res = Result({}, policies={FLAGSHIP.name: reading})
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


SHARED = "shared"
"""The shared instance (共享实例): its caps are the ``apigw.specs.shared.*`` entries."""


def instances(view: CatalogView) -> tuple:
    """The instance kinds whose QPS cap can be checked: the shared instance, then the editions in force."""
    return (SHARED, *EDITIONS(view))


@calc("apigw.specs.qps_check", "A request rate against the QPS cap of an instance",
      [choice("instance", instances, SHARED, "'shared' or a dedicated edition (apigw.dedicated.editions)"),
       number("qps", "requests per second", help="the request rate per service or API", minimum=0)])
def _qps_check(cat, inputs, policies):
    """Compare a request rate with the cap of an instance type ('shared' or a dedicated edition). Requests far
    above the cap may be dropped; the guide gives no rate at which that starts, so the result says only how far over it is."""
    inst = inputs["instance"]
    qps = inputs["qps"]
    if inst == SHARED:
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
