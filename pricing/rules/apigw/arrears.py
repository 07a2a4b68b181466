"""欠费说明 · Arrears: what happens after the account balance goes below zero.

Calls and egress are billed every settlement period; when a bill leaves the balance negative the
account is in arrears (欠费). Service carries on for a grace period (``apigw.arrears.grace``, its
last hour included); then calls stop and the account's creator and collaborators are told by mail
and SMS. A top-up within the restore window (``apigw.arrears.restore_window``) brings the service
back by itself; past it, the gateway may clear the API configuration. A resource pack that is still
valid changes none of this.

The guide prints no dates for this section; the instants here come from the caller. Where the
wording leaves a boundary open, a named policy picks a reading and the others stay computable.

Moments: each duration is read when the span it measures begins: the grace when the balance goes
negative, the restore window when it starts to run (the suspension, or the arrears start under
that reading), the settlement period (whole-hours reading) at the arrears start.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc, items, moment, money
from pricing.engine.money import nonneg
from pricing.engine.periods import as_datetime
from .common import settlement_window, whole_seconds
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result

GRACE = policy(
    "apigw.arrears.grace_boundary",
    "Where exactly does the grace period of continued service, its end included, end?",
    {"instant-inclusive": "service runs through the instant the grace period ends after the balance went negative; "
                          "calls stop the second after",
     "instant-exclusive": "calls stop at the instant the grace period ends",
     "whole-hours": "the grace period in whole settlement hours, counted from the first whole hour after the balance "
                    "went negative"},
    "instant-inclusive", "APIGW-ARREARS-GRACE")

RESTORE_FROM = policy(
    "apigw.arrears.restore_from",
    "From when does the window in which a top-up restores service count?",
    {"suspension": "the window's days as whole days from the suspension",
     "arrears-start": "the window's days as whole days from the moment the balance went negative",
     "calendar-days": "to the end of the window's last calendar day after the day of the suspension"},
    "suspension", "APIGW-ARREARS-RESTORE")

NOTICE = policy(
    "apigw.arrears.notice_at",
    "When are the account's creator and collaborators told?",
    {"at-suspension": "when calls stop (the sentence: if still unpaid after the grace period, calls stop and we notify)",
     "at-arrears-start": "when the balance goes negative, ahead of the stop (the heading calls it a warning, 欠费预警)"},
    "at-suspension", "APIGW-ARREARS-NOTICE")

TOPUP = policy(
    "apigw.arrears.topup",
    "Which top-up restores a suspended service?",
    {"clears-debt": "one that brings the balance back to zero or above",
     "any-topup": "any successful top-up, even one that leaves the balance negative"},
    "clears-debt", "APIGW-ARREARS-TOPUP")

SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


def _hours(d) -> Decimal:
    """A duration (relativedelta) in hours: a unit conversion."""
    return Decimal(d.days * 24 + d.hours) + Decimal(d.minutes) / 60


def timeline(cat: CatalogView, negative_at: object, policies: dict | None = None) -> Result:
    """The arrears timeline from the instant the balance goes negative."""
    t0 = as_datetime(negative_at, "negative_at")
    grace_r, restore_r, notice_r = choose(policies, GRACE), choose(policies, RESTORE_FROM), choose(policies, NOTICE)
    at0 = cat.at(t0)
    grace = at0.duration("apigw.arrears.grace")
    res = Result({}, policies={GRACE.name: grace_r, RESTORE_FROM.name: restore_r, NOTICE.name: notice_r})
    res.step("balance goes negative (arrears start)", t0)
    if grace_r == "whole-hours":
        w = settlement_window(at0, t0)
        first = t0 if t0 == w.start else w.end
        grace_end = first + grace
        res.step("grace counted from the next settlement boundary", first)
        last, stop = grace_end - SECOND, grace_end
    else:
        grace_end = t0 + grace
        last, stop = (grace_end, grace_end + SECOND) if grace_r == "instant-inclusive" else (grace_end - SECOND, grace_end)
    res.step(f"grace of {_hours(grace)} h ends", grace_end)
    res.step("last second with service", last)
    res.step("calls stopped from", stop)
    notice = grace_end if notice_r == "at-suspension" else t0
    res.step("mail and SMS to the creator and all collaborators", notice)
    anchor = t0 if restore_r == "arrears-start" else grace_end
    window = cat.at(anchor).duration("apigw.arrears.restore_window")
    days = window.days
    if restore_r == "suspension":
        deadline = anchor + window
        note = f"suspension + {days} days"
    elif restore_r == "arrears-start":
        deadline = anchor + window
        note = f"arrears start + {days} days"
    else:
        deadline = datetime.combine((anchor + window).date(), time(23, 59, 59))
        note = f"end of calendar day {days} after the suspension day"
    res.step("last moment a top-up restores service", deadline, note)
    res.step("after this the API configuration may be cleared", deadline + SECOND,
             cat.at(deadline + SECOND).value("apigw.arrears.after_window"))
    res.outputs.update(negative_at=t0, grace_ends=grace_end, last_service_second=last, suspended_from=stop,
                       notice_at=notice, restore_deadline=deadline, destroy_eligible_from=deadline + SECOND,
                       grace_hours=_hours(grace), restore_days=Decimal(days))
    return res


def state_at(res: Result, at: datetime) -> str:
    """'in service' | 'suspended' | 'may be destroyed' at a moment, from a timeline."""
    if at < res["negative_at"]:
        raise InputError("at", at, f"a moment at or after the arrears start ({res['negative_at']})")
    if at < res["suspended_from"]:
        return "in service"
    if at <= res["restore_deadline"]:
        return "suspended"
    return "may be destroyed"


LEVEL = {"in service": 2, "suspended": 1, "may be destroyed": 0}


def state_curve(res: Result, hours: int, step: int = 1) -> tuple[list[int], list[int]]:
    """Hours since the arrears start, and the service level (2 in service, 1 suspended, 0 may be destroyed)."""
    xs = list(range(0, hours + 1, step))
    return xs, [LEVEL[state_at(res, res["negative_at"] + timedelta(hours=h))] for h in xs]


@calc("apigw.arrears.timeline", "The arrears timeline, and what a top-up does",
      [moment("negative_at", help="when an hourly bill left the balance below zero"),
       moment("topup_at", None, "when the account is topped up (empty: no top-up)"),
       money("debt", "0", "the debt at the top-up, CNY", minimum=0),
       money("topup", None, "the amount topped up, CNY (default: the debt)", minimum=0)],
      moment="negative_at", policies=[GRACE, RESTORE_FROM, NOTICE, TOPUP])
def _timeline(cat, inputs, policies):
    res = timeline(cat, inputs["negative_at"], policies)
    if inputs["topup_at"] is None:
        return res
    reading = choose(policies, TOPUP)
    res.policies[TOPUP.name] = reading
    at = inputs["topup_at"]
    if at < res["negative_at"]:
        raise InputError("topup_at", at.isoformat(), f"a moment at or after negative_at ({res['negative_at']})")
    debt = nonneg(inputs["debt"], "debt")
    amount = debt if inputs["topup"] is None else nonneg(inputs["topup"], "topup")
    clears = amount >= debt
    res.step("top-up", at, f"{amount} CNY against a debt of {debt} CNY: " + ("clears it" if clears else "balance stays negative"))
    restores = clears or reading == "any-topup"
    state = state_at(res, at)
    if state == "may be destroyed":
        outcome = "too-late"
    elif not restores:
        outcome = "still-suspended" if state == "suspended" else "still-in-arrears"
    else:
        outcome = "restored" if state == "suspended" else "no-suspension"
    res.step("outcome", outcome, f"state at the top-up: {state}")
    res.outputs.update(outcome=outcome, state_at_topup=state)
    return res


@calc("apigw.arrears.billing_periods", "The billing period of each billed item, and the bill's delay",
      [moment("at", None, "the moment whose rules apply (default: the as-of date)")], moment="at")
def _billing_periods(cat, inputs, policies):
    res = Result({})
    for row in cat.rows("apigw.arrears.billing_periods"):
        h = _hours(cat.duration(row["period_entry"]))
        res.step(f"{row['item']} ({row['zh']})", f"{h} h", f"from {row['period_entry']}")
        res.outputs[f"{row['item']}_period_hours"] = h
    delay = cat.timedelta("apigw.settlement.bill_delay")
    minutes = whole_seconds(delay) // whole_seconds(MINUTE)
    res.step("bill issued (and deducted) at the latest", f"{minutes} min after the period ends", "apigw.settlement.bill_delay")
    res.outputs["bill_delay_minutes"] = Decimal(minutes)
    return res


# ------------------------------------------------------------------------------ the account
def arrears_rule(cat: CatalogView, policies: dict | None = None):
    """The section's rules as an :class:`~pricing.engine.account.ArrearsRule`: from the instant a bill
    leaves the balance below zero, service goes on through the grace (bills charged), calls stop at
    ``suspended_from``, and after the restore deadline the configuration may be cleared (released).
    Each duration is read when the balance goes negative (:func:`timeline`); a top-up restores under
    ``apigw.arrears.topup``."""
    from pricing.engine import account

    def milestones(t0: datetime) -> list:
        r = timeline(cat.at(t0), t0, policies)
        sent = r["notice_at"]
        notice = ("mail and SMS now" if sent >= r["suspended_from"] - SECOND else
                  f"mail and SMS sent at {sent:%Y-%m-%d %H:%M:%S}") + f" ({NOTICE.name} = {choose(policies, NOTICE)})"
        return [account.Milestone(r["suspended_from"], account.SUSPENDED, "suspended", f"calls stopped; {notice}"),
                account.Milestone(r["destroy_eligible_from"], account.RELEASED, "released",
                                  "past the restore window: the API configuration may be cleared")]

    return account.ArrearsRule("API 网关 欠费说明", milestones, choose(policies, TOPUP))


def hourly_bills(cat: CatalogView, raw_usage, policies: dict | None = None, not_before: datetime | None = None) -> list:
    """Usage lines '<at> <region> <calls|egress_gb> <quantity>' billed hour by hour (:mod:`.billing`,
    no free quota or pack): each settlement hour's debit is taken when its bill is issued, at the
    hour's end plus ``apigw.settlement.bill_delay``. A line before ``not_before`` is an
    :class:`InputError` (usage before the balance is known cannot be debited from it)."""
    from pricing.engine import account
    from .billing import run_bill, statement, usage
    from pricing.engine import rating
    recs = []
    for i, x in enumerate(raw_usage or []):
        parts = str(x).split()
        if len(parts) != 4:
            raise InputError(f"usage[{i}]", x, "'<at> <region> <calls|egress_gb> <quantity>'")
        at = as_datetime(parts[0], f"usage[{i}].at")
        if not_before is not None and at < not_before:
            raise InputError(f"usage[{i}].at", parts[0], f"a moment at or after start ({not_before:%Y-%m-%d %H:%M:%S})")
        recs.append(usage(at, parts[1], parts[2], parts[3]))
    if not recs:
        return []
    start = min(u.at for u in recs)
    r = run_bill(cat, recs, rating.Snapshot(start), max(u.at for u in recs) + SECOND, policies)
    st = statement(r, policies)
    out = []
    for hour, debit in st.bills.items():
        h = datetime.strptime(hour, "%Y-%m-%d %H:%M")
        w = settlement_window(cat.at(h), h)
        at = w.end + cat.at(w.end).timedelta("apigw.settlement.bill_delay")
        if debit:
            out.append(account.event(at, "bill", debit, f"bill {hour}"))
    return out


@calc("apigw.arrears.account", "An account balance run through hourly bills and top-ups: arrears, grace, suspension, restore",
      [moment("start", help="the instant the opening balance is known"),
       money("opening", "0", "the balance at start, CNY (not below zero: for an account already in arrears, start "
                             "before the bill that took it below zero)", minimum=0),
       items("usage", "", [], "usage lines '<at> <region> <calls|egress_gb> <quantity>', billed hour by hour"),
       items("bills", "", [], "further bills '<at> <amount>' (debited at that instant)"),
       items("topups", "", [], "top-ups '<at> <amount>'"),
       moment("until", None, "the state at this instant (default: the last event, or topup_at if later)"),
       moment("topup_at", None, "a top-up asked about: what would it restore at this instant?"),
       money("topup", None, "its amount, CNY (default: the debt at that instant)", minimum=0)],
      moment="start", policies=[GRACE, RESTORE_FROM, NOTICE, TOPUP])
def _account(cat, inputs, policies):
    """The balance from ``start``: each hourly bill is debited when issued; the first bill that leaves
    it below zero starts the arrears timeline of this section, read at that instant."""
    from pricing.engine import account
    from pricing.engine.statement import DEBIT_ROUNDING
    rule = arrears_rule(cat, policies)
    evs = [*hourly_bills(cat, inputs["usage"], policies, inputs["start"]), *account.money_events(inputs["bills"], "bills", "bill"),
           *account.money_events(inputs["topups"], "topups", "topup")]
    for e in evs:
        if e.at < inputs["start"]:
            raise InputError(e.ref, e.at.isoformat(), f"a moment at or after start ({inputs['start']})")
    until = account.shown_until(inputs["until"], evs, inputs["topup_at"])
    run = account.run(inputs["opening"], evs, rule, until)
    res = account.result(run, {GRACE.name: choose(policies, GRACE), RESTORE_FROM.name: choose(policies, RESTORE_FROM),
                               NOTICE.name: choose(policies, NOTICE), TOPUP.name: choose(policies, TOPUP),
                               DEBIT_ROUNDING.name: choose(policies, DEBIT_ROUNDING)})
    if run.arrears:
        t = timeline(cat.at(run.arrears[0]), run.arrears[0], policies)
        res.step("last moment a top-up restores service", t["restore_deadline"],
                 f"{RESTORE_FROM.name} = {choose(policies, RESTORE_FROM)}: "
                 f"{RESTORE_FROM.choices[choose(policies, RESTORE_FROM)]}; first arrears {run.arrears[0]:%Y-%m-%d %H:%M:%S}")
        res.outputs.update(restore_deadline=t["restore_deadline"], last_service_second=t["last_service_second"])
    if inputs["topup_at"] is not None:
        account.ask(res, inputs["opening"], evs, rule, inputs["topup_at"], inputs["topup"], until)
    return res
