"""专家服务说明 · Expert services.

:func:`quote` prices a service by person-day, hour, day or session at the order instant (list
prices, which the guide calls indicative); :func:`sla` states the delivery SLA and whether a
response met it. Services and delivery modes are tables of the catalog (:mod:`.service_tables`).
"""
from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc, choice, moment, number
from pricing.engine.money import D, positive
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .lineup import plan_choices, plan_rank, plan_row
from .service_tables import MODES, SERVICES, SESSION_DAYS, YES, _row, modes, pricelist_min_plan, services

TRAINING_MODE = policy(
    "cloudbase.svc.training_mode",
    "Is online training priced like the on-site session?",
    {"same-price": "online and offline training (服务指引: 线上/线下) both cost one session price",
     "on-site-only": "the price is for the on-site session the expert section describes (现场培训); online training has no price"},
    "same-price", "CB-SVC-TRAINING-MODE")


def service_row(cat: CatalogView, service: str) -> dict:
    return _row(cat, SERVICES, "service", service, "service")


def unit_price(cat: CatalogView, service: str) -> Decimal:
    service_row(cat, service)
    return cat.dec(f"cloudbase.expert.price.{service}")


def equivalents(cat: CatalogView, service: str) -> tuple[Decimal, Decimal]:
    """(per day, per hour) of a service's list price: person-day prices / the person-day's hours;
    session prices / the session's days / the same hours."""
    price = unit_price(cat, service)
    hours = cat.dec("cloudbase.expert.day_hours")
    per_day = price / cat.dec(SESSION_DAYS) if service_row(cat, service)["unit"] == "session" else price
    return per_day, per_day / hours


def expert_min_plan(cat: CatalogView) -> str:
    """The lowest plan the price list lets buy expert service (its 可增购 row)."""
    return pricelist_min_plan(cat, cat.value("cloudbase.expert.pricelist_row"))


def quote(cat: CatalogView, service: str, quantity: object = None, hours: object = None, days: object = None,
          plan: str | None = None, mode: str | None = None, policies: dict | None = None) -> Result:
    """List-price amount for ``service`` at ``cat.moment`` (the order instant): give exactly one of
    ``quantity`` (person-days, or sessions for a session-priced service), ``hours`` (person-day
    services: the person-day's hours) or ``days``."""
    row = service_row(cat, service)
    price = unit_price(cat, service)
    given = {k: v for k, v in (("quantity", quantity), ("hours", hours), ("days", days)) if v not in (None, "")}
    if len(given) != 1:
        raise InputError("quantity", ", ".join(sorted(given)) or "nothing",
                         "exactly one of quantity (person-days or sessions), hours, days")
    (field, raw), = given.items()
    qty = positive(raw, field)
    day_hours = cat.dec("cloudbase.expert.day_hours")
    res = Result({})
    res.step("service", f"{row['zh']} · {service}", row["delivers"])
    res.step("list price", price, f"CNY per {row['unit']}, in force {cat.moment:%Y-%m-%d}")
    if plan not in (None, ""):
        plan_row(cat, plan)
        least = expert_min_plan(cat)
        if plan_rank(cat, plan) < plan_rank(cat, least):
            raise RuleError("plan", f"{plan} cannot buy expert service "
                                    f"(price list {cat.value('cloudbase.expert.pricelist_row')}: 可增购 from {least} up)")
        res.step("plan may buy expert service", YES, f"{plan} (price list: 可增购 from {least} up)")
    session = row["unit"] == "session"
    if session:
        mrow = _row(cat, MODES, "mode", mode or modes(cat)[0], "mode")
        tm = choose(policies, TRAINING_MODE)
        res.policies[TRAINING_MODE.name] = tm
        if mrow["priced"] != "yes":
            if tm == "on-site-only":
                raise RuleError("mode", f"{mrow['mode']} ({mrow['zh']}) has no price under reading on-site-only "
                                        "(the price is for 现场培训)")
            res.step("mode", f"{mrow['mode']} ({mrow['zh']})", "priced as an on-site session (reading same-price)")
        sess_days = cat.dec(SESSION_DAYS)
        if field == "hours":
            raise InputError("hours", raw, "for a session-priced service give quantity (sessions) or days: "
                                           "the guide states no hours for a training day")
        billed = _whole_units(res, qty, sess_days if field == "days" else None, "sessions", "days", "days per session",
                              "training is sold by the session")
        unit = "session"
    else:
        if mode not in (None, ""):
            raise InputError("mode", mode, f"no mode: {service} is priced per person-day")
        billed = _whole_units(res, qty, day_hours if field == "hours" else None, "person-days", "hours",
                              "hours per person-day", "services are sold by the person-day")
        unit = "person-day"
    amount = price * billed
    res.step("amount = unit price × quantity", amount, f"{price} × {billed}")
    per_day, per_hour = equivalents(cat, service)
    if session:
        res.step("per day = session price / days per session", per_day, "equivalent, not a price the guide offers")
        res.step("per hour = per day / hours per person-day", per_hour, "assumes a training day as long as a person-day, "
                                                                        "which the guide does not state")
    else:
        res.step("per hour = price per person-day / hours per person-day", per_hour, "equivalent")
    res.step("basis", "indicative list price", "the guide says the actual price follows the workload, agreed with sales (CB-EXP-INDICATIVE)")
    res.outputs.update(amount=amount, unit_price=price, quantity_billed=billed, unit=unit, per_day=per_day,
                       per_hour=per_hour, day_hours=day_hours, basis="indicative list price")
    if session:
        res.outputs["session_days"] = sess_days
    return res


def _whole_units(res: Result, qty: Decimal, per: Decimal | None, units: str, given: str, per_label: str,
                 why: str) -> Decimal:
    """The units billed: ``qty`` itself, or ``qty`` given in another measure (``per`` of it to a unit)
    rounded up to whole units, each step recorded."""
    if per is None:
        res.step(f"{units} billed", qty)
        return qty
    exact = qty / per
    res.step(f"{units} = {given} / {per_label}", exact, f"{qty} / {per}")
    billed = exact.to_integral_value(rounding=ROUND_CEILING)
    res.step(f"{units} billed", billed, f"whole {units} ({why})")
    return billed


@calc("cloudbase.expert.quote", "List-price amount of an expert service, by person-day, hour, day or session",
      [choice("service", services, help="an expert service on sale at the order instant"),
       number("quantity", "person-days or sessions", None, "person-days, or sessions for a session-priced service"),
       number("hours", "hours", None, "working hours (person-day services only)"),
       number("days", "days", None, "days of work"),
       choice("plan", plan_choices, None, "the buyer's plan (checks who may buy expert service)"),
       choice("mode", modes, None, "delivery mode of a session (default: the first, on site)"),
       moment("ordered_at", None, "when the service is ordered (contract signed): the prices in force then apply; "
                                  "default: the as-of date")],
      moment="ordered_at", policies=[TRAINING_MODE])
def _quote(cat, inputs, policies):
    return quote(cat, inputs["service"], inputs["quantity"], inputs["hours"], inputs["days"], inputs["plan"],
                 inputs["mode"], policies)


def sla(cat: CatalogView, response_minutes: object = None, policies: dict | None = None) -> Result:
    """The expert SLA in force at ``cat.moment``: the response limit and the service window."""
    limit = cat.dec("cloudbase.expert.sla.response_minutes")
    res = Result({})
    res.step("response limit", limit, "minutes; the response must come in under it (小于)")
    days, hours = cat.dec("cloudbase.expert.sla.days_per_week"), cat.dec("cloudbase.expert.sla.hours_per_day")
    window = f"{hours} hours a day, hours of day not stated"
    res.step("service window", f"{days} × {hours}", "days a week × hours a day, as printed")
    week = days * hours
    res.step("hours a week", week, f"{days} × {hours}")
    res.outputs.update(response_limit_minutes=limit, days_per_week=days, hours_per_day=hours,
                       hours_per_week=week, window=window)
    if response_minutes not in (None, ""):
        r = D(response_minutes, "response_minutes")
        if r < 0:
            raise InputError("response_minutes", response_minutes, "a number of minutes >= 0")
        met = r < limit
        res.step("response within SLA", met, f"{r} < {limit}")
        res.outputs["met"] = met
    return res


@calc("cloudbase.expert.sla", "The expert-service SLA: response limit and service window; whether a response met it",
      [number("response_minutes", "minutes", None, "how long a response took (optional)", minimum=0),
       moment("at", None, "when the contract was signed: the SLA in force then applies (default: the as-of date)")],
      moment="at")
def _sla(cat, inputs, policies):
    return sla(cat, inputs["response_minutes"], policies)
