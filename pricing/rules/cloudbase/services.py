"""计费能力项说明 · 服务指引 · 专家服务说明: capability items, the service guide, expert services.

Three light sections of the CloudBase guide, answered from the catalog
(``pricing/catalog/cloudbase-services.toml``):

* **Capability items** (计费能力项说明): database rollback (回档) and exclusive database access
  (独占). :func:`capability` says what a plan includes; :func:`rollback_check` whether a moment
  can still be restored; :func:`sla_downtime` what the claimed availability allows.
* **Service guide** (服务指引): the support boundary and the five channels. :func:`channels` lists
  what a plan gets and, for a moment, which channels are staffed; :func:`in_service_hours` tests
  the workday window; :func:`scope` answers whether a topic is supported on a channel.
* **Expert services** (专家服务说明): :func:`quote` prices a service by person-day or session
  (list prices, which the guide calls indicative); :func:`sla` states the delivery SLA.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.errors import CatalogError, InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import D, ZERO, positive
from pricing.engine.periods import as_date, as_datetime, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result

# ---------------------------------------------------------------------------------------------- policies

CAP_PRICING = policy(
    "cloudbase.cap.pricing_basis",
    "The section is titled 'billed capability items' (计费能力项) but prices neither item: how is rollback paid for?",
    {"included-in-plan": "rollback comes with the plan fee, as the price list's quota row (数据回档 14天) suggests: no extra charge",
     "billed-separately": "the title means each item carries its own charge, which the guide does not give"},
    "included-in-plan", "CB-CAP-UNPRICED")

SLA_PERIOD = policy(
    "cloudbase.cap.sla_period",
    "Over what period is the 99.99% availability of exclusive access measured?",
    {"month-30d": "a 30-day month (43,200 minutes)",
     "month-average": "an average month of 365/12 days (43,800 minutes)",
     "year-365d": "a 365-day year (525,600 minutes)"},
    "month-30d", "CB-CAP-SLA-PERIOD")

ROLLBACK_GRAIN = policy(
    "cloudbase.cap.rollback_grain",
    "How finely can a rollback target be chosen: to the minute (分钟级) or to the second (秒级)?",
    {"minute": "restore points are whole minutes; a target inside a minute falls back to the minute's start",
     "second": "any second can be the restore point"},
    "minute", "CB-CAP-ROLLBACK-GRAIN")

ROLLBACK_WINDOW = policy(
    "cloudbase.cap.rollback_window",
    "How is the 14-day rollback range (数据回档 14天) counted back from now?",
    {"rolling": "14 × 24 hours back from the present moment",
     "calendar-days": "today and the 13 calendar days before it, from 00:00 of the earliest day"},
    "rolling", "CB-CAP-ROLLBACK-WINDOW")

EXPERT_PLAN = policy(
    "cloudbase.svc.expert_plan",
    "Which plans may buy expert service?",
    {"enterprise-and-above": "only enterprise and enterprise premium, as the price list's row shows (可增购; '-' below)",
     "any-plan": "any plan: neither 服务指引 nor 专家服务说明 states a plan requirement"},
    "enterprise-and-above", "CB-SVC-EXPERT-PLAN")

GROUP_LADDER = policy(
    "cloudbase.svc.group_ladder",
    "Does an enterprise plan get the real-time issue group as well as its 1v1 group?",
    {"cumulative": "yes: the service guide opens the real-time group to 标准版及以上 (standard and above)",
     "price-list-row": "no: the price list's 产研直通车 row gives each plan one group (standard real-time, enterprise and above 1V1)"},
    "cumulative", "CB-SVC-GROUP-LADDER")

HOLIDAYS = policy(
    "cloudbase.svc.holidays",
    "Which days are 工作日 (workdays) for the groups' service hours?",
    {"mon-fri": "Monday to Friday; public holidays are not mentioned by the guide, so they are not excluded",
     "working-calendar": "China's working calendar: statutory holidays are off and make-up working days (调休) on weekends are on; the caller supplies the dates"},
    "mon-fri", "CB-SVC-HOLIDAYS")

HOURS_END = policy(
    "cloudbase.svc.hours_end",
    "Is 19:00 itself inside '10:00 ~ 19:00'?",
    {"half-open": "the window is [10:00, 19:00): at 19:00:00 the group is closed",
     "inclusive": "the window is [10:00, 19:00]: 19:00:00 is still served"},
    "half-open", "CB-SVC-HOURS-END")

ONE_ON_ONE_AFTER = policy(
    "cloudbase.svc.one_on_one_after",
    "What does the enterprise plan's 1v1 group (限免, free for now) cost after 2025-12-31?",
    {"until-notice": "it stays free until a change is announced, and a change takes effect no sooner than 3 months after notice",
     "guarantee-only": "only the promise through 2025-12-31 is given; afterwards the cost is unknown"},
    "until-notice", "CB-SVC-ONE-ON-ONE-FREE")

BOUNDARY_SCOPE = policy(
    "cloudbase.svc.boundary_scope",
    "Does the service boundary (服务边界说明) also bind the paid expert service?",
    {"standard-channels": "no: it limits the standard channels (标准支持范围); expert service covers what its own section lists",
     "all-channels": "yes: every channel, expert service included, refuses the four out-of-scope topics"},
    "standard-channels", "CB-SVC-BOUNDARY-EXPERT")

TRAINING_MODE = policy(
    "cloudbase.svc.training_mode",
    "Is online training priced like the on-site session?",
    {"same-price": "online and offline training (服务指引: 线上/线下) both cost one session price",
     "on-site-only": "the price is for the on-site session the expert section describes (现场培训); online training has no price"},
    "same-price", "CB-SVC-TRAINING-MODE")

SLA_WINDOW = policy(
    "cloudbase.expert.sla_window",
    "What hours does the expert SLA's '7 × 8 小时' service window cover?",
    {"seven-by-eight": "7 days a week, 8 hours a day (56 h/week); which 8 hours is not stated",
     "workday-hours": "the same hours as the support groups: workdays 10:00 ~ 19:00 (5 × 9 = 45 h/week)"},
    "seven-by-eight", "CB-EXP-SLA-WINDOW")

TRAINING_UNIT = policy(
    "cloudbase.expert.training_unit",
    "Training is priced per 2-day session, the other services per person-day: how is a training of other length priced?",
    {"whole-sessions": "in whole sessions: the days are divided by 2 and rounded up",
     "pro-rata-days": "pro rata: the session price divided by 2 per day, times the days"},
    "whole-sessions", "CB-EXP-TRAINING-UNIT")

PART_DAYS = policy(
    "cloudbase.expert.part_days",
    "How are hours that do not fill whole 8-hour person-days billed?",
    {"whole-days-up": "in whole person-days, rounded up",
     "exact": "pro rata: hours / 8 person-days"},
    "whole-days-up", "CB-EXP-PART-DAYS")

# ---------------------------------------------------------------------------------------------- lookups

YES, NO = True, False


def plan_ids(cat: Catalog) -> list[str]:
    """The plan ids in ascending order (personal < standard < enterprise < enterprise_premium)."""
    return [r["plan"] for r in cat.value("cloudbase.plans")]


def plan_rank(cat: Catalog, plan: object, field: str = "plan") -> int:
    ids = plan_ids(cat)
    if plan not in ids:
        raise InputError(field, plan, " | ".join(ids))
    return ids.index(plan)


def _row(cat: Catalog, entry: str, key: str, value: object, field: str) -> dict:
    rows = cat.value(entry)
    for r in rows:
        if r[key] == value:
            return r
    raise InputError(field, value, " | ".join(r[key] for r in rows))


# The price list's capability table (owned by 价格文档, cloudbase-pricelist.toml): one row per item,
# one cell per plan, "—" = not offered. These sections read it rather than repeat its figures.
PRICELIST_TABLE = "cloudbase.pricelist.capabilities"
NOT_OFFERED = ("—", "-")


def pricelist_row(cat: Catalog, item: str) -> dict:
    """The price-list row whose item label starts with ``item`` (its Chinese name, e.g. '数据回档')."""
    for r in cat.value(PRICELIST_TABLE):
        if r["item"].startswith(item):
            return r
    raise CatalogError(PRICELIST_TABLE, item, "no row with this item in the price list's capability table")


def pricelist_min_plan(cat: Catalog, item: str) -> str:
    """The lowest plan whose cell in the price-list row ``item`` is not '—'."""
    row = pricelist_row(cat, item)
    for p in plan_ids(cat):
        if row[p] not in NOT_OFFERED:
            return p
    raise CatalogError(PRICELIST_TABLE, item, "no plan offers this item")


def _hm(text: str) -> time:
    h, m = (int(x) for x in text.split(":"))
    return time(23, 59, 59, 999999) if h == 24 else time(h, m)


# ====================================================================== 计费能力项说明 · capability items

def capability(cat: Catalog, plan: str, item: str, policies: dict | None = None) -> Result:
    """What ``plan`` includes of capability ``item`` (rollback | exclusive), from the price list's quota table."""
    rank = plan_rank(cat, plan)
    row = _row(cat, "cloudbase.cap.items", "item", item, "item")
    basis = choose(policies, CAP_PRICING)
    res = Result({}, policies={CAP_PRICING.name: basis})
    res.step("item", f"{row['item']} · {row['zh']}", row["what"])
    res.step("plan", f"{plan} ({cat.value('cloudbase.plans')[rank]['zh']})")
    if item == "rollback":
        import re
        cell = pricelist_row(cat, row["pricelist_row"])[plan]
        included = cell not in NOT_OFFERED
        res.step("price list, 数据回档 row", cell, "rollback range" if included else "not included (the guide prints '-')")
        if included:
            m = re.match(r"\s*(\d+)\s*days?\b", cell)
            if not m:
                raise CatalogError(PRICELIST_TABLE, f"数据回档.{plan}", f"{cell!r} is not a number of days")
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
        res.step("price list", "no row", "exclusive access appears in no plan table and no price list of the guide")
        included, extra = "not listed", "not given in the guide"
        res.outputs.update(included=included, rollback_days="n/a")
    res.step("extra charge beyond the plan fee", extra, f"reading {basis}")
    res.outputs.update(extra_price=extra, pricelist_row=row["pricelist_row"])
    return res


@calc("cloudbase.cap.capability")
def _capability(cat, inputs, policies):
    return capability(cat, inputs.get("plan", ""), inputs.get("item", ""), policies)


def rollback_check(cat: Catalog, plan: str, now: object, target: object, policies: dict | None = None) -> Result:
    """Can ``plan`` roll its database back, at ``now``, to the state at ``target``?"""
    n, t = as_datetime(now, "now"), as_datetime(target, "target")
    ordered(t, n, "target", "now")
    cap = capability(cat, plan, "rollback", policies)
    used = {ROLLBACK_GRAIN.name: choose(policies, ROLLBACK_GRAIN), ROLLBACK_WINDOW.name: choose(policies, ROLLBACK_WINDOW)}
    res = Result({}, policies=used)
    res.step("rollback range on this plan", cap["rollback_days"], "days (价格文档 数据回档)")
    point = t.replace(second=0, microsecond=0) if used[ROLLBACK_GRAIN.name] == "minute" else t.replace(microsecond=0)
    res.step("restore point", point, "target truncated to the minute" if used[ROLLBACK_GRAIN.name] == "minute" else "target to the second")
    back = n - point
    res.step("how far back", f"{int(back.total_seconds()) // 60} min", f"now {n:%Y-%m-%d %H:%M:%S}")
    if not cap["included"]:
        res.step("restorable", NO, "the plan has no rollback")
        res.outputs.update(restorable=NO, earliest="n/a", restore_point=point, minutes_back=D(int(back.total_seconds()) // 60))
        return res
    days = int(cap["rollback_days"])
    if used[ROLLBACK_WINDOW.name] == "rolling":
        earliest = n - timedelta(days=days)
        note = f"now − {days} × 24 h"
    else:
        earliest = datetime.combine(n.date() - timedelta(days=days - 1), time())
        note = f"00:00 of today − {days - 1} days (today is day 1 of {days})"
    res.step("earliest restorable moment", earliest, note)
    ok = point >= earliest
    res.step("restorable", ok)
    res.outputs.update(restorable=ok, earliest=earliest, restore_point=point, minutes_back=D(int(back.total_seconds()) // 60))
    return res


@calc("cloudbase.cap.rollback")
def _rollback(cat, inputs, policies):
    return rollback_check(cat, inputs.get("plan", ""), inputs.get("now"), inputs.get("target"), policies)


PERIOD_MINUTES = {"month-30d": (D(30) * 1440, "30 days × 1440 min"),
                  "month-average": (D(365) / D(12) * 1440, "(365/12) days × 1440 min"),
                  "year-365d": (D(365) * 1440, "365 days × 1440 min")}


def sla_downtime(cat: Catalog, policies: dict | None = None) -> Result:
    """The most downtime the claimed availability of exclusive access leaves in one period."""
    reading = choose(policies, SLA_PERIOD)
    pct = cat.dec("cloudbase.cap.exclusive.sla")
    minutes, how = PERIOD_MINUTES[reading]
    res = Result({}, policies={SLA_PERIOD.name: reading})
    res.step("claimed availability", f"{pct}%", "独占: 99.99% 以上 (at least)")
    res.step("minutes in the period", minutes, how)
    down = (D(100) - pct) / D(100) * minutes
    res.step("allowed downtime = (100% − availability) × period", down, "minutes, at most")
    res.outputs.update(sla_percent=pct, period_minutes=minutes, downtime_minutes=down)
    return res


@calc("cloudbase.cap.sla_downtime")
def _sla_downtime(cat, inputs, policies):
    return sla_downtime(cat, policies)


# ====================================================================== 服务指引 · service guide

def _dates(values: object, field: str) -> set[date]:
    if values in (None, ""):
        return set()
    if isinstance(values, (str, date)):
        values = [values]
    if not isinstance(values, (list, tuple, set)):
        raise InputError(field, values, "a list of ISO dates such as ['2025-10-01']")
    return {as_date(v, field) for v in values}


def in_service_hours(cat: Catalog, moment: object, holidays: object = (), workdays: object = (),
                     policies: dict | None = None) -> tuple[bool, list[tuple[str, object, str]]]:
    """Is ``moment`` inside the groups' service hours (工作日 10:00 ~ 19:00)? Returns (answer, steps)."""
    m = as_datetime(moment, "moment")
    row = _row(cat, "cloudbase.svc.schedules", "schedule", "workdays", "schedule")
    cal, end = choose(policies, HOLIDAYS), choose(policies, HOURS_END)
    hol, extra = _dates(holidays, "holidays"), _dates(workdays, "workdays")
    both = hol & extra
    if both:
        raise InputError("workdays", sorted(d.isoformat() for d in both)[0], "a date that is not also listed in holidays")
    steps = []
    d = m.date()
    weekday = d.weekday() < 5
    if cal == "mon-fri":
        working = weekday
        why = f"{d:%A}" + ("" if not (hol or extra) else "; the holiday/make-up dates given are ignored under mon-fri")
    else:
        working = d in extra or (weekday and d not in hol)
        why = f"{d:%A}" + (", a statutory holiday" if d in hol else "") + (", a make-up working day (调休)" if d in extra else "")
    steps.append(("working day (工作日)", working, why))
    opens, closes = _hm(row["opens"]), _hm(row["closes"])
    t = m.time()
    inside = opens <= t < closes if end == "half-open" else opens <= t <= closes
    steps.append(("inside " + f"{row['opens']} ~ {row['closes']}", inside,
                  f"{t:%H:%M:%S}; window {'[10:00, 19:00)' if end == 'half-open' else '[10:00, 19:00]'}"))
    return working and inside, steps


def channels(cat: Catalog, plan: str, at: object = None, holidays: object = (), workdays: object = (),
             policies: dict | None = None) -> Result:
    """The support channels ``plan`` gets; for a moment ``at``, which of them are staffed then."""
    rank = plan_rank(cat, plan)
    ids = plan_ids(cat)
    m = as_datetime(at, "at") if at not in (None, "") else None
    used = {p.name: choose(policies, p) for p in (EXPERT_PLAN, GROUP_LADDER, ONE_ON_ONE_AFTER)}
    if m is not None:
        used.update({p.name: choose(policies, p) for p in (HOLIDAYS, HOURS_END)})
    res = Result({}, policies=used)
    res.step("plan", f"{plan} ({cat.value('cloudbase.plans')[rank]['zh']})")
    open_hours = None
    if m is not None:
        open_hours, hsteps = in_service_hours(cat, m, holidays, workdays, policies)
        for label, v, note in hsteps:
            res.step(label, v, note)
    free_until = cat.value("cloudbase.pricelist.offers.until")
    notice = cat.duration("cloudbase.pricelist.notice")
    got, staffed = [], []
    one_cost = "n/a"
    for row in cat.value("cloudbase.svc.channels"):
        ch = row["channel"]
        least = pricelist_min_plan(cat, row["pricelist_item"]) if row["min_plan"] == "pricelist" else row["min_plan"]
        ok = rank >= ids.index(least)
        why = f"from {least} ({row['basis']})"
        cell = pricelist_row(cat, row["pricelist_item"])[plan]
        if ch == "expert" and used[EXPERT_PLAN.name] == "any-plan":
            ok, why = True, "any plan (no requirement stated in 服务指引 / 专家服务说明)"
        if ch == "realtime_group" and used[GROUP_LADDER.name] == "price-list-row":
            ok = "realtime" in cell.lower() or "实时" in cell
            why = f"price list 产研直通车 cell for {plan}: {cell}"
        cost = row["cost"]
        if ok and ch == "one_on_one_group" and "free" in cell.lower():
            if m is None or m.date() <= free_until.date():
                cost = f"free for now (限免), promised through {free_until:%Y-%m-%d}"
            elif used[ONE_ON_ONE_AFTER.name] == "until-notice":
                cost = (f"free (限免) unless a change was announced; a change needs {notice.months} months' notice")
            else:
                cost = f"unknown after {free_until:%Y-%m-%d}"
            one_cost = cost
        elif ok and ch == "one_on_one_group":
            one_cost = "included"
        sched = row["schedule"]
        if not ok:
            res.step(f"{row['zh']} {ch}", "—", why)
            continue
        got.append(ch)
        state = ""
        if m is not None:
            if sched == "workdays":
                state = "staffed" if open_hours else "closed (outside 工作日 10:00 ~ 19:00)"
            elif sched == "always":
                state = "staffed (7 × 24)"
            elif sched == "contract":
                state = "per contract (SLA window 7 × 8)"
            else:
                state = "hours not stated"
            if state.startswith("staffed"):
                staffed.append(ch)
        res.step(f"{row['zh']} {ch}", "yes", "; ".join(x for x in (why, cost, state) if x))
    res.outputs.update(available=", ".join(got), count=D(len(got)), expert_available=("expert" in got),
                       realtime_group=("realtime_group" in got), one_on_one=("one_on_one_group" in got),
                       one_on_one_cost=one_cost, free_until=free_until.date())
    if m is not None:
        res.outputs.update(in_workday_hours=open_hours, staffed=", ".join(staffed))
    return res


@calc("cloudbase.svc.channels")
def _channels(cat, inputs, policies):
    return channels(cat, inputs.get("plan", ""), inputs.get("at"), inputs.get("holidays", ()),
                    inputs.get("workdays", ()), policies)


@calc("cloudbase.svc.in_hours")
def _in_hours(cat, inputs, policies):
    ok, steps = in_service_hours(cat, inputs.get("moment"), inputs.get("holidays", ()), inputs.get("workdays", ()), policies)
    res = Result({}, policies={HOLIDAYS.name: choose(policies, HOLIDAYS), HOURS_END.name: choose(policies, HOURS_END)})
    for label, v, note in steps:
        res.step(label, v, note)
    res.step("within service hours", ok)
    res.outputs.update(in_hours=ok)
    return res


def schedule(cat: Catalog, channel: str, policies: dict | None = None) -> Result:
    """A channel's service hours: window, days a week, hours a day and a week."""
    row = _row(cat, "cloudbase.svc.channels", "channel", channel, "channel")
    srow = _row(cat, "cloudbase.svc.schedules", "schedule", row["schedule"], "schedule")
    res = Result({})
    res.step("channel", f"{row['zh']} {channel}", f"schedule '{srow['schedule']}': {srow['zh']}")
    if srow["schedule"] == "contract":
        s = sla(cat, policies=policies)
        res.policies.update(s.policies)
        days, hours, window = s["days_per_week"], s["hours_per_day"], s["window"]
        res.step("from the expert SLA", f"{days} days × {hours} h", "专家服务说明 › 服务 SLA")
    elif srow["schedule"] == "unstated":
        res.step("hours", "not stated", "the guide gives no hours for this channel")
        res.outputs.update(window="not stated", days_per_week="not stated", hours_per_day="not stated",
                           hours_per_week="not stated")
        return res
    else:
        days = D(srow["days_per_week"])
        o, c = srow["opens"], srow["closes"]
        hours = D(int(c[:2]) * 60 + int(c[3:]) - int(o[:2]) * 60 - int(o[3:])) / 60
        window = f"{o} ~ {c}"
        res.step("hours a day = closes − opens", hours, f"{c} − {o}")
    week = days * hours
    res.step("hours a week = days × hours a day", week, f"{days} × {hours}")
    res.outputs.update(window=window, days_per_week=days, hours_per_day=hours, hours_per_week=week)
    return res


@calc("cloudbase.svc.schedule")
def _schedule(cat, inputs, policies):
    return schedule(cat, inputs.get("channel", ""), policies)


STANDARD_CHANNELS = ("community", "realtime_group", "one_on_one_group", "ticket")


def scope(cat: Catalog, topic: str, channel: str, policies: dict | None = None) -> Result:
    """Is ``topic`` supported on ``channel``? topic 'product' = a question about CloudBase itself."""
    chans = [r["channel"] for r in cat.value("cloudbase.svc.channels")]
    if channel not in chans:
        raise InputError("channel", channel, " | ".join(chans))
    topics = ["product"] + [r["topic"] for r in cat.value("cloudbase.svc.boundary")]
    if topic not in topics:
        raise InputError("topic", topic, " | ".join(topics))
    reading = choose(policies, BOUNDARY_SCOPE)
    res = Result({}, policies={BOUNDARY_SCOPE.name: reading})
    if topic == "product":
        answer = "yes"
        res.step("topic", "a CloudBase product question", "the boundary admits questions directly about the product")
    else:
        row = _row(cat, "cloudbase.svc.boundary", "topic", topic, "topic")
        res.step("topic", f"{row['zh']} · {row['en']}", row["examples"])
        if channel in STANDARD_CHANNELS or reading == "all-channels":
            answer = "no"
            res.step("boundary applies to this channel", YES,
                     "standard channel" if channel in STANDARD_CHANNELS else f"reading {reading}")
        else:
            answer = row["expert"]
            res.step("boundary applies to this channel", NO, "expert service follows its own scope (专家服务说明)")
    res.step("supported", answer)
    res.outputs.update(supported=answer)
    return res


@calc("cloudbase.svc.scope")
def _scope(cat, inputs, policies):
    return scope(cat, inputs.get("topic", ""), inputs.get("channel", ""), policies)


# ====================================================================== 专家服务说明 · expert services

def services(cat: Catalog) -> list[str]:
    return [r["service"] for r in cat.value("cloudbase.expert.services")]


def unit_price(cat: Catalog, service: str) -> Decimal:
    if service not in services(cat):
        raise InputError("service", service, " | ".join(services(cat)))
    return cat.dec(f"cloudbase.expert.price.{service}")


def equivalents(cat: Catalog, service: str) -> tuple[Decimal, Decimal]:
    """(per day, per hour) of a service's list price: person-day prices / 8 h; training / 2 days / 8 h."""
    price = unit_price(cat, service)
    hours = cat.dec("cloudbase.expert.day_hours")
    per_day = price / cat.dec("cloudbase.expert.training.days") if service == "training" else price
    return per_day, per_day / hours


def quote(cat: Catalog, service: str, quantity: object = None, hours: object = None, days: object = None,
          plan: str | None = None, mode: str = "on-site", policies: dict | None = None) -> Result:
    """List-price amount for ``service``: give exactly one of ``quantity`` (person-days, or sessions
    for training), ``hours`` (person-day services: 8 h a day) or ``days``."""
    price = unit_price(cat, service)
    given = {k: v for k, v in (("quantity", quantity), ("hours", hours), ("days", days)) if v not in (None, "")}
    if len(given) != 1:
        raise InputError("quantity", ", ".join(sorted(given)) or "nothing",
                         "exactly one of quantity (person-days or sessions), hours, days")
    (field, raw), = given.items()
    qty = positive(raw, field)
    day_hours = cat.dec("cloudbase.expert.day_hours")
    res = Result({})
    row = _row(cat, "cloudbase.expert.services", "service", service, "service")
    res.step("service", f"{row['zh']} · {service}", row["delivers"])
    res.step("list price", price, f"CNY per {row['unit']}")
    if plan not in (None, ""):
        rank = plan_rank(cat, plan)
        elig = choose(policies, EXPERT_PLAN)
        res.policies[EXPERT_PLAN.name] = elig
        if elig == "enterprise-and-above" and rank < plan_ids(cat).index("enterprise"):
            raise RuleError("plan", f"{plan} cannot buy expert service under reading {elig} "
                                    "(price list: 可增购 only for enterprise and enterprise_premium)")
        res.step("plan may buy expert service", YES, f"{plan}, reading {elig}")
    if service == "training":
        if mode not in ("on-site", "online"):
            raise InputError("mode", mode, "on-site | online")
        tm = choose(policies, TRAINING_MODE)
        res.policies[TRAINING_MODE.name] = tm
        if mode == "online":
            if tm == "on-site-only":
                raise RuleError("mode", "online training has no price under reading on-site-only (the price is for 现场培训)")
            res.step("mode", "online", "priced as an on-site session (reading same-price)")
        sess_days = cat.dec("cloudbase.expert.training.days")
        if field == "hours":
            raise InputError("hours", raw, "for training give quantity (sessions) or days: the guide states no hours for a training day")
        if field == "days":
            reading = choose(policies, TRAINING_UNIT)
            res.policies[TRAINING_UNIT.name] = reading
            exact = qty / sess_days
            res.step("sessions = days / days per session", exact, f"{qty} / {sess_days}")
            billed = exact.to_integral_value(rounding=ROUND_CEILING) if reading == "whole-sessions" else exact
            res.step("sessions billed", billed, "rounded up to whole sessions" if reading == "whole-sessions" else "pro rata")
        else:
            billed = qty
            res.step("sessions billed", billed)
        unit = "session"
    else:
        if field == "hours":
            reading = choose(policies, PART_DAYS)
            res.policies[PART_DAYS.name] = reading
            exact = qty / day_hours
            res.step("person-days = hours / 8", exact, f"{qty} / {day_hours} (每天8个小时工作制)")
            billed = exact.to_integral_value(rounding=ROUND_CEILING) if reading == "whole-days-up" else exact
            res.step("person-days billed", billed, "rounded up to whole person-days" if reading == "whole-days-up" else "pro rata")
        else:
            billed = qty
            res.step("person-days billed", billed)
        unit = "person-day"
    amount = price * billed
    res.step("amount = unit price × quantity", amount, f"{price} × {billed}")
    per_day, per_hour = equivalents(cat, service)
    if service == "training":
        res.step("per day = session price / 2 days", per_day, "equivalent, not a price the guide offers")
        res.step("per hour = per day / 8 h", per_hour, "assumes an 8-hour training day, which the guide does not state")
    else:
        res.step("per hour = price per person-day / 8 h", per_hour, "equivalent")
    res.step("basis", "indicative list price", "the guide says the actual price follows the workload, agreed with sales (CB-EXP-INDICATIVE)")
    res.outputs.update(amount=amount, unit_price=price, quantity_billed=billed, unit=unit, per_day=per_day,
                       per_hour=per_hour, day_hours=day_hours, basis="indicative list price")
    if service == "training":
        res.outputs["session_days"] = cat.dec("cloudbase.expert.training.days")
    return res


@calc("cloudbase.expert.quote")
def _quote(cat, inputs, policies):
    return quote(cat, inputs.get("service", ""), inputs.get("quantity"), inputs.get("hours"), inputs.get("days"),
                 inputs.get("plan"), inputs.get("mode", "on-site"), policies)


def sla(cat: Catalog, response_minutes: object = None, policies: dict | None = None) -> Result:
    """The expert SLA: response under 30 minutes, a 7 × 8 hour service window."""
    reading = choose(policies, SLA_WINDOW)
    limit = cat.dec("cloudbase.expert.sla.response_minutes")
    res = Result({}, policies={SLA_WINDOW.name: reading})
    res.step("response limit", limit, "minutes; the response must come in under it (小于)")
    if reading == "seven-by-eight":
        days, hours = cat.dec("cloudbase.expert.sla.days_per_week"), cat.dec("cloudbase.expert.sla.hours_per_day")
        window = "8 hours a day, hours of day not stated"
        res.step("service window", f"{days} × {hours}", "days a week × hours a day, as printed (7 × 8)")
    else:
        s = schedule(cat, "realtime_group")
        days, hours, window = s["days_per_week"], s["hours_per_day"], s["window"]
        res.step("service window", f"{days} × {hours}", f"read as the groups' 工作日 {window}")
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


@calc("cloudbase.expert.sla")
def _sla(cat, inputs, policies):
    return sla(cat, inputs.get("response_minutes"), policies)
