"""服务指引 · The service guide: the support boundary and the channels.

:func:`channels` lists what a plan gets and, for a moment, which channels are staffed;
:func:`in_service_hours` tests a channel's window; :func:`schedule` gives a channel's hours;
:func:`scope` answers whether a topic is supported on a channel. Plans come from the dated lineup,
channels, schedules and boundary topics from the catalog's tables (:mod:`.service_tables`).
"""
from __future__ import annotations

from datetime import date

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import CatalogError, InputError, RuleError
from pricing.engine.calcs import calc, choice, items, moment
from pricing.engine.money import D
from pricing.engine.periods import as_date, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .expert import sla
from .lineup import plan_rank, plan_row
from .service_tables import (AT, BOUNDARY, CHANNELS, DEFAULT_CHANNEL, NO, PLAN, SCHEDULES, YES, _hm, _hours_a_day,
                             _plan_text, _row, channel_ids, pricelist_cell, pricelist_min_plan, topics)

ONE_ON_ONE_AFTER = policy(
    "cloudbase.svc.one_on_one_after",
    "What does the enterprise plan's 1v1 group (限免, free for now) cost after the promised date (cloudbase.pricelist.offers.until)?",
    {"until-notice": "it stays free until a change is announced, and a change takes effect no sooner than the notice period (cloudbase.pricelist.notice) after it",
     "guarantee-only": "only the promise through the promised date is given; afterwards the cost is unknown"},
    "until-notice", "CB-SVC-ONE-ON-ONE-FREE")


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
