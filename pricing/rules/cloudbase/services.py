"""计费能力项说明 · 服务指引 · 专家服务说明: capability items, the service guide, expert services.

Three light sections of the CloudBase guide, answered from the catalog
(``pricing/catalog/cloudbase-services.toml``), always as in force at a moment:

* **Capability items** (计费能力项说明): database rollback (回档) and exclusive database access
  (独占). :func:`capability` says what a plan includes; :func:`rollback_check` whether a moment
  can still be restored (the range in force when the rollback is asked for); :func:`sla_downtime`
  what the claimed availability allows.
* **Service guide** (服务指引): the support boundary and the channels. :func:`channels` lists what a
  plan gets and, for a moment, which channels are staffed; :func:`in_service_hours` tests a
  channel's window; :func:`scope` answers whether a topic is supported on a channel.
* **Expert services** (专家服务说明): :func:`quote` prices a service by person-day or session at
  the order instant (list prices, which the guide calls indicative); :func:`sla` states the
  delivery SLA.

Plans come from the dated lineup (:mod:`pricing.rules.cloudbase.lineup`); channels, schedules,
boundary topics, services and delivery modes are tables of the catalog. Every function takes a
:class:`~pricing.engine.catalog.CatalogView`; an unknown id raises
:class:`~pricing.engine.errors.InputError` naming the field and listing the ids in force then.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from decimal import ROUND_CEILING, Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import CatalogError, InputError, RuleError
from pricing.engine.calcs import calc, choice, items, moment, number
from pricing.engine.money import D, ZERO, positive
from pricing.engine.periods import as_date, as_datetime, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .lineup import plan_choices, plan_ids, plan_rank, plan_row

ITEMS = "cloudbase.cap.items"
BOUNDARY = "cloudbase.svc.boundary"
CHANNELS = "cloudbase.svc.channels"
SCHEDULES = "cloudbase.svc.schedules"
SERVICES = "cloudbase.expert.services"
MODES = "cloudbase.expert.modes"
SESSION_DAYS = "cloudbase.expert.training.days"
DEFAULT_CHANNEL = "realtime_group"  # the input default of in_hours: the real-time group's hours

# ---------------------------------------------------------------------------------------------- policies

CAP_PRICING = policy(
    "cloudbase.cap.pricing_basis",
    "The section is titled 'billed capability items' (计费能力项) but prices neither item: how is rollback paid for?",
    {"included-in-plan": "rollback comes with the plan fee, as the price list's quota row (数据回档) suggests: no extra charge",
     "billed-separately": "the title means each item carries its own charge, which the guide does not give"},
    "included-in-plan", "CB-CAP-UNPRICED")

ONE_ON_ONE_AFTER = policy(
    "cloudbase.svc.one_on_one_after",
    "What does the enterprise plan's 1v1 group (限免, free for now) cost after the promised date (cloudbase.pricelist.offers.until)?",
    {"until-notice": "it stays free until a change is announced, and a change takes effect no sooner than the notice period (cloudbase.pricelist.notice) after it",
     "guarantee-only": "only the promise through the promised date is given; afterwards the cost is unknown"},
    "until-notice", "CB-SVC-ONE-ON-ONE-FREE")

TRAINING_MODE = policy(
    "cloudbase.svc.training_mode",
    "Is online training priced like the on-site session?",
    {"same-price": "online and offline training (服务指引: 线上/线下) both cost one session price",
     "on-site-only": "the price is for the on-site session the expert section describes (现场培训); online training has no price"},
    "same-price", "CB-SVC-TRAINING-MODE")

# ---------------------------------------------------------------------------------------------- lookups

YES, NO = True, False


def _row(cat: CatalogView, entry: str, key: str, value: object, field: str) -> dict:
    """The row of table ``entry`` (in force at ``cat.moment``) whose ``key`` is ``value``; an
    :class:`InputError` naming ``field`` lists the values in force at that date otherwise."""
    rows = cat.rows(entry)
    for r in rows:
        if r[key] == value:
            return r
    raise InputError(field, value, f"one in force on {cat.moment:%Y-%m-%d}: " + " | ".join(r[key] for r in rows))


def topics(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["topic"] for r in cat.rows(BOUNDARY))


def channel_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["channel"] for r in cat.rows(CHANNELS))


def services(cat: CatalogView) -> list[str]:
    """The expert services on sale at ``cat.moment``, in the guide's order."""
    return [r["service"] for r in cat.rows(SERVICES)]


def modes(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["mode"] for r in cat.rows(MODES))


def item_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["item"] for r in cat.rows(ITEMS))


# The price list's capability table (owned by 价格文档, cloudbase-pricelist.toml): one row per item,
# one cell per plan, "—" = not offered. These sections read it rather than repeat its figures.
PRICELIST_TABLE = "cloudbase.pricelist.capabilities"
NOT_OFFERED = ("—", "-")


def pricelist_row(cat: CatalogView, item: str) -> dict:
    """The price-list row whose item label starts with ``item`` (its Chinese name, e.g. '数据回档')."""
    for r in cat.rows(PRICELIST_TABLE):
        if r["item"].startswith(item):
            return r
    raise CatalogError(PRICELIST_TABLE, item, "no row with this item in the price list's capability table")


def pricelist_cell(cat: CatalogView, item: str, plan: str) -> str:
    row = pricelist_row(cat, item)
    if plan not in row:
        raise CatalogError(PRICELIST_TABLE, f"{item}.{plan}", "the price list's row has no cell for this plan")
    return row[plan]


def pricelist_min_plan(cat: CatalogView, item: str) -> str:
    """The lowest plan of the lineup in force whose cell in the price-list row ``item`` is not '—'."""
    row = pricelist_row(cat, item)
    for p in plan_ids(cat):
        if row.get(p, NOT_OFFERED[0]) not in NOT_OFFERED:
            return p
    raise CatalogError(PRICELIST_TABLE, item, "no plan offers this item")


def _hm(text: str) -> time:
    h, m = (int(x) for x in text.split(":"))
    return time(23, 59, 59, 999999) if h == 24 else time(h, m)


def _hours_a_day(row: dict) -> Decimal:
    """closes − opens of a schedule row, in hours (24:00 = the end of the day)."""
    o, c = row["opens"], row["closes"]
    return D(int(c[:2]) * 60 + int(c[3:]) - int(o[:2]) * 60 - int(o[3:])) / 60


def _minutes(td: timedelta) -> int:
    """Whole minutes of a span, exactly (no float): seconds are dropped."""
    return (td.days * 86400 + td.seconds) // 60


def _plan_text(cat: CatalogView, plan: str) -> str:
    return f"{plan} ({plan_row(cat, plan)['zh']})"


# ====================================================================== 计费能力项说明 · capability items

def capability(cat: CatalogView, plan: str, item: str, policies: dict | None = None) -> Result:
    """What ``plan`` includes of capability ``item`` (rollback | exclusive) at ``cat.moment``, from the
    price list's capability table: the item's row there (its ``pricelist_row``), or none."""
    plan_row(cat, plan)
    row = _row(cat, ITEMS, "item", item, "item")
    basis = choose(policies, CAP_PRICING)
    res = Result({}, policies={CAP_PRICING.name: basis})
    res.step("item", f"{row['item']} · {row['zh']}", row["what"])
    res.step("plan", _plan_text(cat, plan))
    listed = any(r["item"].startswith(row["pricelist_row"]) for r in cat.rows(PRICELIST_TABLE))
    if listed:
        cell = pricelist_cell(cat, row["pricelist_row"], plan)
        included = cell not in NOT_OFFERED
        res.step(f"price list, {row['pricelist_row']} row", cell,
                 "rollback range" if included else "not included (the guide prints '-')")
        if included:
            m = re.match(r"\s*(\d+)\s*days?\b", cell)
            if not m:
                raise CatalogError(PRICELIST_TABLE, f"{row['pricelist_row']}.{plan}", f"{cell!r} is not a number of days")
            days = D(m.group(1))
        else:
            days = "-"
        if not included:
            extra = "n/a (not included)"
        elif basis == "included-in-plan":
            extra = ZERO
        else:
            extra = "not given in the guide"
        res.outputs.update(included=included, rollback_days=days)
    else:
        res.step("price list", "no row", "the item appears in no plan table and no price list of the guide")
        included, extra = "not listed", "not given in the guide"
        res.outputs.update(included=included, rollback_days="n/a")
    res.step("extra charge beyond the plan fee", extra, f"reading {basis}")
    res.outputs.update(extra_price=extra, pricelist_row=row["pricelist_row"])
    return res


PLAN = choice("plan", plan_choices, help="a plan of the lineup in force at the moment")
AT = moment("at", None, "the moment asked about (default: the as-of date)")


@calc("cloudbase.cap.capability", "What a plan includes of a capability item (rollback, exclusive access)",
      [PLAN, choice("item", item_ids, help="a capability item of 计费能力项说明"), AT], moment="at", policies=[CAP_PRICING])
def _capability(cat, inputs, policies):
    return capability(cat, inputs["plan"], inputs["item"], policies)


def rollback_check(cat: CatalogView, plan: str, now: object, target: object, policies: dict | None = None) -> Result:
    """Can ``plan`` roll its database back, at ``now``, to the state at ``target``? The rollback range
    is the one in force at ``now`` (the view moves there)."""
    n, t = as_datetime(now, "now"), as_datetime(target, "target")
    ordered(t, n, "target", "now")
    cat = cat.at(n)
    cap = capability(cat, plan, "rollback", policies)
    res = Result({}, policies=dict(cap.policies))
    res.step("rollback range on this plan", cap["rollback_days"], f"days (价格文档 数据回档, in force {n:%Y-%m-%d})")
    # restore points are whole minutes (分钟级 versions) and the range runs back from the present moment;
    # the audit removed the register entries on these (no amount or billing date depends on them)
    point = t.replace(second=0, microsecond=0)
    res.step("restore point", point, "target truncated to the minute (分钟级)")
    back = D(_minutes(n - point))
    res.step("how far back", f"{back} min", f"now {n:%Y-%m-%d %H:%M:%S}")
    if not cap["included"]:
        res.step("restorable", NO, "the plan has no rollback")
        res.outputs.update(restorable=NO, earliest="n/a", restore_point=point, minutes_back=back)
        return res
    days = int(cap["rollback_days"])
    earliest = n - timedelta(days=days)
    res.step("earliest restorable moment", earliest, f"now − {days} days")
    ok = point >= earliest
    res.step("restorable", ok)
    res.outputs.update(restorable=ok, earliest=earliest, restore_point=point, minutes_back=back)
    return res


@calc("cloudbase.cap.rollback", "Whether a database can be rolled back, now, to the state at a target moment",
      [PLAN, moment("now", help="when the rollback is asked for; the rollback range in force then applies"),
       moment("target", help="the moment whose state is wanted back (at or before now)")],
      moment="now", policies=[CAP_PRICING])
def _rollback(cat, inputs, policies):
    return rollback_check(cat, inputs["plan"], inputs["now"], inputs["target"], policies)


MINUTES_PER_DAY = D(1440)  # a unit conversion: 24 × 60


def sla_downtime(cat: CatalogView, days: object = 30, policies: dict | None = None) -> Result:
    """The most downtime the claimed availability of exclusive access leaves in a period of ``days``
    days (minutes). The guide names no measuring period: ``days`` is the caller's illustration."""
    pct = cat.dec("cloudbase.cap.exclusive.sla")
    days = positive(days, "days")
    minutes = days * MINUTES_PER_DAY
    res = Result({})
    res.step("claimed availability", f"{pct}%", "独占: 以上 (at least)")
    res.step("minutes in the period", minutes, f"{days} days × 1440 min (the period is our illustration)")
    down = (D(100) - pct) / D(100) * minutes
    res.step("allowed downtime = (100% − availability) × period", down, "minutes, at most")
    res.outputs.update(sla_percent=pct, period_minutes=minutes, downtime_minutes=down)
    return res


@calc("cloudbase.cap.sla_downtime", "Downtime the claimed availability of exclusive access allows in one period",
      [AT, number("days", "days", "30", "the measuring period in days (the guide names none: our illustration)",
                  minimum=1)], moment="at")
def _sla_downtime(cat, inputs, policies):
    return sla_downtime(cat, inputs["days"], policies)


# ====================================================================== 服务指引 · service guide

def _dates(values: object, field: str) -> set[date]:
    if values in (None, ""):
        return set()
    if isinstance(values, (str, date)):
        values = [values]
    if not isinstance(values, (list, tuple, set)):
        raise InputError(field, values, "a list of ISO dates such as ['2025-10-01']")
    return {as_date(v, field) for v in values}


def _window_text(row: dict, end: str) -> str:
    return f"[{row['opens']}, {row['closes']}{')' if end == 'half-open' else ']'}"


def schedule_row(cat: CatalogView, channel: str) -> dict:
    row = _row(cat, CHANNELS, "channel", channel, "channel")
    return _row(cat, SCHEDULES, "schedule", row["schedule"], "schedule")


def in_service_hours(cat: CatalogView, moment: object, holidays: object = (), workdays: object = (),
                     policies: dict | None = None, channel: str = DEFAULT_CHANNEL) -> tuple[bool, list[tuple[str, object, str]]]:
    """Is ``moment`` inside the service hours of ``channel`` (by default the groups' 工作日 window)?
    Returns (answer, steps). The schedule is the one in force at ``moment``."""
    m = as_datetime(moment, "moment")
    cat = cat.at(m)
    row = schedule_row(cat, channel)
    if row["kind"] != "hours":
        raise RuleError("channel", f"{channel} has no daily service hours ({row['zh']}): it cannot be open or closed at a moment")
    end = "half-open"  # the closing minute is outside the window (no register entry: nothing billed on it)
    hol, extra = _dates(holidays, "holidays"), _dates(workdays, "workdays")
    both = hol & extra
    if both:
        raise InputError("workdays", sorted(d.isoformat() for d in both)[0], "a date that is not also listed in holidays")
    steps = []
    d = m.date()
    if row["days"] == "every-day":
        working, why = True, f"{d:%A}; {row['zh']}"
    elif row["days"] == "mon-fri":
        # Monday to Friday, with the statutory holidays and make-up working days (调休) the caller lists
        weekday = d.weekday() < 5
        working = d in extra or (weekday and d not in hol)
        why = f"{d:%A}" + (", a statutory holiday" if d in hol else "") + (", a make-up working day (调休)" if d in extra else "")
    else:
        raise CatalogError(SCHEDULES, f"{row['schedule']}.days", f"{row['days']!r} is not mon-fri or every-day")
    steps.append((f"working day ({row['zh']})", working, why))
    opens, closes = _hm(row["opens"]), _hm(row["closes"])
    t = m.time()
    inside = opens <= t < closes
    steps.append((f"inside {row['opens']} ~ {row['closes']}", inside, f"{t:%H:%M:%S}; window {_window_text(row, end)}"))
    return working and inside, steps


def _gate(cat: CatalogView, row: dict, plan: str) -> tuple[bool, str]:
    """Whether ``plan`` gets the channel ``row``, and why: from the channel's least plan, or else from the
    lowest plan the price list's row marks (the service guide's ladder; 专家服务: the 可增购 row)."""
    if row["min_plan"]:
        least, why = row["min_plan"], row["basis"]
    else:
        least, why = pricelist_min_plan(cat, row["pricelist_item"]), row["basis"]
    return plan_rank(cat, plan) >= plan_rank(cat, least, "min_plan"), f"from {least} ({why})"


def channels(cat: CatalogView, plan: str, at: object = None, holidays: object = (), workdays: object = (),
             policies: dict | None = None) -> Result:
    """The support channels ``plan`` gets; for a moment ``at``, which of them are staffed then. The
    channels, plans and price-list rows are those in force at ``at`` (else at ``cat.moment``)."""
    m = as_datetime(at, "at") if at not in (None, "") else None
    if m is not None:
        cat = cat.at(m)
    plan_row(cat, plan)
    used = {ONE_ON_ONE_AFTER.name: choose(policies, ONE_ON_ONE_AFTER)}
    res = Result({}, policies=used)
    res.step("plan", _plan_text(cat, plan))
    free_until = cat.value("cloudbase.pricelist.offers.until")
    notice = cat.duration("cloudbase.pricelist.notice")
    got, staffed, open_at = [], [], {}
    for row in cat.rows(CHANNELS):
        ch = row["channel"]
        ok, why = _gate(cat, row, plan)
        res.outputs[f"available.{ch}"] = ok
        if not ok:
            res.step(f"{row['zh']} {ch}", "—", why)
            continue
        cell = pricelist_cell(cat, row["pricelist_item"], plan)
        cost = row["cost"]
        if row["offer_marker"] and row["offer_marker"] in cell.lower():
            if m is None or m.date() <= free_until.date():
                cost = f"free for now (限免), promised through {free_until:%Y-%m-%d}"
            elif used[ONE_ON_ONE_AFTER.name] == "until-notice":
                cost = f"free (限免) unless a change was announced; a change needs {notice.months} months' notice"
            else:
                cost = f"unknown after {free_until:%Y-%m-%d}"
        res.outputs[f"cost.{ch}"] = cost
        got.append(ch)
        srow = _row(cat, SCHEDULES, "schedule", row["schedule"], "schedule")
        state = ""
        if m is not None:
            if srow["kind"] == "hours":
                if srow["schedule"] not in open_at:
                    open_at[srow["schedule"]], hsteps = in_service_hours(cat, m, holidays, workdays, policies, ch)
                    for label, v, note in hsteps:
                        res.step(f"{srow['schedule']}: {label}", v, note)
                open_now = open_at[srow["schedule"]]
                state = "staffed" if open_now else f"closed (outside {srow['zh']} {srow['opens']} ~ {srow['closes']})"
            elif srow["kind"] == "contract":
                state = f"per contract ({srow['zh']})"
            else:
                state = "hours not stated"
            if state == "staffed":
                staffed.append(ch)
        res.step(f"{row['zh']} {ch}", "yes", "; ".join(x for x in (why, cost, state) if x))
    res.outputs.update(available=", ".join(got), count=D(len(got)), free_until=free_until.date())
    if m is not None:
        res.outputs["staffed"] = ", ".join(staffed)
        res.outputs.update({f"open.{k}": v for k, v in open_at.items()})
    return res


HOLIDAY_INPUTS = [items("holidays", "dates", [], "statutory holidays that fall on weekdays, e.g. [\"2025-10-01\"]"),
                  items("workdays", "dates", [], "make-up working days on weekends (调休)")]


@calc("cloudbase.svc.channels", "The support channels a plan gets and, at a moment, which are staffed",
      [PLAN, moment("at", None, "a moment to say which channels are staffed (default: none; plans as of the as-of date)"),
       *HOLIDAY_INPUTS], moment="at", policies=[ONE_ON_ONE_AFTER])
def _channels(cat, inputs, policies):
    return channels(cat, inputs["plan"], inputs["at"], inputs["holidays"], inputs["workdays"], policies)


@calc("cloudbase.svc.in_hours", "Whether a moment falls inside a channel's service hours",
      [moment("moment", help="the moment to test (Beijing time)"), *HOLIDAY_INPUTS,
       choice("channel", channel_ids, DEFAULT_CHANNEL, "a channel with daily service hours")],
      moment="moment")
def _in_hours(cat, inputs, policies):
    ok, steps = in_service_hours(cat, inputs["moment"], inputs["holidays"], inputs["workdays"], policies, inputs["channel"])
    res = Result({})
    for label, v, note in steps:
        res.step(label, v, note)
    res.step("within service hours", ok)
    res.outputs.update(in_hours=ok)
    return res


def schedule(cat: CatalogView, channel: str, policies: dict | None = None) -> Result:
    """A channel's service hours: window, days a week, hours a day and a week."""
    row = _row(cat, CHANNELS, "channel", channel, "channel")
    srow = _row(cat, SCHEDULES, "schedule", row["schedule"], "schedule")
    res = Result({})
    res.step("channel", f"{row['zh']} {channel}", f"schedule '{srow['schedule']}': {srow['zh']}")
    if srow["kind"] == "contract":
        s = sla(cat, policies=policies)
        res.policies.update(s.policies)
        days, hours, window = s["days_per_week"], s["hours_per_day"], s["window"]
        res.step("from the expert SLA", f"{days} days × {hours} h", "专家服务说明 › 服务 SLA")
    elif srow["kind"] != "hours":
        res.step("hours", "not stated", "the guide gives no hours for this channel")
        res.outputs.update(window="not stated", days_per_week="not stated", hours_per_day="not stated",
                           hours_per_week="not stated")
        return res
    else:
        days, hours = D(srow["days_per_week"]), _hours_a_day(srow)
        window = f"{srow['opens']} ~ {srow['closes']}"
        res.step("hours a day = closes − opens", hours, f"{srow['closes']} − {srow['opens']}")
    week = days * hours
    res.step("hours a week = days × hours a day", week, f"{days} × {hours}")
    res.outputs.update(window=window, days_per_week=days, hours_per_day=hours, hours_per_week=week)
    return res


@calc("cloudbase.svc.schedule", "A channel's service hours: window, days a week, hours a day and a week",
      [choice("channel", channel_ids, help="a support channel"), AT], moment="at")
def _schedule(cat, inputs, policies):
    return schedule(cat, inputs["channel"], policies)


def scope(cat: CatalogView, topic: str, channel: str, policies: dict | None = None) -> Result:
    """Is ``topic`` supported on ``channel``? The topics are the rows of the support boundary in force
    (``product`` = a question directly about CloudBase)."""
    crow = _row(cat, CHANNELS, "channel", channel, "channel")
    row = _row(cat, BOUNDARY, "topic", topic, "topic")
    res = Result({})
    res.step("topic", f"{row['zh']} · {row['en']}", row["examples"])
    # the boundary limits the standard support scope (标准支持范围); a paid channel follows its own section
    if crow["boundary"] == "standard":
        answer = row["standard"]
        res.step("boundary applies to this channel", YES, "standard channel")
    else:
        answer = row["expert"]
        res.step("boundary applies to this channel", NO, "the channel follows its own scope (专家服务说明)")
    res.step("supported", answer)
    res.outputs.update(supported=answer)
    return res


@calc("cloudbase.svc.scope", "Whether a topic is supported on a channel (the support boundary)",
      [choice("topic", topics, help="a row of the support boundary (product = a CloudBase question)"),
       choice("channel", channel_ids, help="a support channel"), AT], moment="at")
def _scope(cat, inputs, policies):
    return scope(cat, inputs["topic"], inputs["channel"], policies)


# ====================================================================== 专家服务说明 · expert services

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
        if field == "days":  # training is sold by the session: whole sessions
            exact = qty / sess_days
            res.step("sessions = days / days per session", exact, f"{qty} / {sess_days}")
            billed = exact.to_integral_value(rounding=ROUND_CEILING)
            res.step("sessions billed", billed, "whole sessions (training is sold by the session)")
        else:
            billed = qty
            res.step("sessions billed", billed)
        unit = "session"
    else:
        if mode not in (None, ""):
            raise InputError("mode", mode, f"no mode: {service} is priced per person-day")
        if field == "hours":  # services are sold by the person-day: whole person-days
            exact = qty / day_hours
            res.step("person-days = hours / hours per person-day", exact, f"{qty} / {day_hours}")
            billed = exact.to_integral_value(rounding=ROUND_CEILING)
            res.step("person-days billed", billed, "whole person-days (services are sold by the person-day)")
        else:
            billed = qty
            res.step("person-days billed", billed)
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
