"""欠费说明 · Arrears of a monthly plan.

A renewal reminder goes out ``cloudbase.arrears.reminder_before`` ahead of expiry. From the expiry
instant the environment is isolated (停服 / 隔离期): online service stops and the console cannot
operate it, but a renewal restores it, and the renewed term counts from the original expiry, not
from the renewal. At 00:00 of day ``cloudbase.arrears.release_day`` the environment is released
(释放): data erased, nothing recoverable. Separately, an account whose balance is in arrears while
its plan is still running keeps working but can neither renew nor change plan until the debt is
paid.

The windows after an expiry are those in force at the expiry instant (a plan that expired under
a shorter isolation keeps it); a renewal is an order priced at its own instant.

The day numbers ("day 1", "day 16") need a convention (pricing.lifecycle.DAY_ONE), and the alerts
section places the suspension on day 1 after expiry while this section places it at the expiry
instant: both are named policies.
"""
from __future__ import annotations

from datetime import timedelta

from pricing.engine.calcs import calc, choice, flag, items, moment, money, whole as whole_input
from pricing.engine.catalog import CatalogView as Catalog
from pricing.engine.errors import InputError, RuleError
from pricing.engine.lifecycle import DAY_ONE, Lifecycle, day_start
from pricing.engine.periods import as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.inputs import flag as _flag
from pricing.rules.conventions import MONTH_END, month_end
from .cycle import CYCLE_POLICIES
from .lineup import plan_choices

SUSPEND_AT = policy(
    "cloudbase.arrears.suspend_at",
    "When is an unrenewed plan suspended?",
    {"expiry-instant": "at the expiry instant itself (欠费说明: 到期时间点开始停服)",
     "day-one": "at 00:00 of day 1 after expiry (告警与通知 › 停服通知: 到期后第1天), day 1 under cloudbase.arrears.day_one"},
    "expiry-instant", "CB-ALERTS-SUSPEND")

DAY_ONE_POLICY = policy(
    "cloudbase.arrears.day_one",
    "Counting days after expiry, which calendar date is day 1?",
    DAY_ONE,
    "expiry-date", "CB-ARREARS-DAY16")

OPERATIONS = {"renew": "续费", "upgrade": "升配", "downgrade": "降配", "change": "变更套餐"}




def guard_account(inputs: dict, op: str) -> None:
    """An account in arrears (negative balance) may not renew or change plan while the plan runs."""
    if op not in OPERATIONS:
        raise InputError("operation", op, ", ".join(OPERATIONS))
    if _flag(inputs, "account_in_arrears"):
        raise RuleError("account_in_arrears", f"the account is in arrears: the environment keeps working, but it cannot "
                                              f"{op} ({OPERATIONS[op]}) until the arrears are paid and the balance is back above zero")


def lifecycle(cat: Catalog, expiry: object, policies: dict | None = None) -> tuple[Lifecycle, dict]:
    """The lifecycle around ``expiry``, with the windows in force at the expiry instant."""
    e = as_datetime(expiry, "expiry")
    cat = cat.at(e)
    used = {SUSPEND_AT.name: choose(policies, SUSPEND_AT), DAY_ONE_POLICY.name: choose(policies, DAY_ONE_POLICY)}
    day_one = used[DAY_ONE_POLICY.name]
    if used[SUSPEND_AT.name] == "expiry-instant":
        suspend = e
    else:
        suspend = max(e, day_start(e, int(cat.dec("cloudbase.alerts.suspend_day")), day_one))
    release = day_start(e, int(cat.dec("cloudbase.arrears.release_day")), day_one)
    reminder = e - cat.timedelta("cloudbase.arrears.reminder_before")
    return Lifecycle(e, suspend, release, (reminder,)), used


EXPIRY = moment("expiry", help="the plan's expiry instant: the windows in force then apply")
MONTHS = whole_input("months", "months", "1", "months renewed", minimum=1, maximum=1200)
ARREARS = flag("account_in_arrears", False, "the account's balance is negative (账户欠费)")


@calc("cloudbase.arrears.timeline", "The lifecycle of a plan around its expiry: reminder, isolation, release",
      [EXPIRY, moment("at", None, "a moment whose state to report"),
       moment("renewed_at", None, "a renewal's order instant"), MONTHS, ARREARS],
      moment="expiry", policies=[SUSPEND_AT, DAY_ONE_POLICY, MONTH_END])
def _timeline(cat, inputs, policies):
    """The lifecycle of a plan around its expiry; optionally a renewal (renewed_at, months) and a state query (at)."""
    lc, used = lifecycle(cat, inputs["expiry"], policies)
    res = Result({}, policies=used)
    for m in lc.milestones():
        res.step(m.event, m.at, f"state from here: {m.state}")
    iso = lc.isolation
    declared = cat.timedelta("cloudbase.arrears.isolation")
    res.step("isolation lasts", f"{iso.days} days {iso.seconds // 3600} h", f"the section says {declared.days} days")
    res.outputs.update(reminder_at=lc.reminders[0], reminder_days=(lc.expiry - lc.reminders[0]).days,
                       suspend_at=lc.suspend_at, release_at=lc.release_at, release_date=lc.release_at.date(),
                       isolation_days=iso.days, isolation_exact=iso == declared)
    if inputs["at"] is not None:
        res.outputs["state"] = lc.state_at(inputs["at"])
        res.step("state at", res.outputs["state"], f"{inputs['at']:%Y-%m-%d %H:%M:%S}")
    if inputs["renewed_at"] is not None:
        r = renew(cat, inputs["expiry"], inputs["renewed_at"], inputs["months"], inputs, policies)
        res.steps.extend(r.steps)
        res.outputs.update(new_expiry=r.outputs["new_expiry"], new_expiry_date=r.outputs["new_expiry"].date(),
                           restored=r.outputs["restored"])
        res.policies.update(r.policies)
    return res


def renew(cat: Catalog, expiry: object, renewed_at: object, months: object, account: dict | None = None,
          policies: dict | None = None) -> Result:
    """A renewal: before expiry it extends the term; during isolation it restores the environment;
    either way the new term counts from the original expiry (whole months under ``periods.month_end``).
    After release it is refused."""
    guard_account(account or {}, "renew")
    lc, used = lifecycle(cat, expiry, policies)
    from pricing.engine.inputs import whole_number
    m = whole_number(months, "months", 1, "a whole number of months >= 1")
    t = as_datetime(renewed_at, "renewed_at")
    state = lc.state_at(t)
    me = month_end(policies)
    new = lc.renew(t, int(m), month_end=me)
    res = Result({"new_expiry": new, "new_expiry_date": new.date(), "state_when_renewed": state,
                  "restored": state == "isolated"}, policies={**used, MONTH_END.name: me})
    res.step("renewed", t, f"state then: {state}")
    res.step("new expiry", new, f"original expiry {lc.expiry:%Y-%m-%d %H:%M:%S} + {int(m)} month(s), not the renewal date + {int(m)}")
    if state == "isolated":
        res.step("environment restored", t, "the isolated days are paid for by the renewal")
    return res


@calc("cloudbase.arrears.renew", "A renewal before or after expiry: the new expiry, and whether it restores the plan",
      [EXPIRY, moment("renewed_at", help="the renewal's order instant"), MONTHS, ARREARS],
      moment="renewed_at", policies=[SUSPEND_AT, DAY_ONE_POLICY, MONTH_END])
def _renew(cat, inputs, policies):
    return renew(cat, inputs["expiry"], inputs["renewed_at"], inputs["months"], inputs, policies)


# ---------------------------------------------------------------------------------- the account
def arrears_rule(cat: Catalog, expiry: object, plan: str, policies: dict | None = None):
    """This section's rules as an :class:`~pricing.engine.account.ArrearsRule` for a plan expiring at
    ``expiry``. A balance below zero while the plan runs changes nothing for the service (daily
    bills are charged) but bars renewals and plan changes, so the plan runs out: at its expiry the
    environment is isolated (suspended, :data:`SUSPEND_AT`) and at 00:00 of day
    ``cloudbase.arrears.release_day`` it is released. A top-up that clears the debt before the
    expiry restores the account; during isolation only a renewal restores the environment (续费找回:
    one month at the plan's price in force then, debited when the top-up covers it). The windows are
    those in force at the expiry (:func:`lifecycle`); a negative balance after a renewal runs to the
    renewed expiry (the original expiry + whole months, under ``periods.month_end``)."""
    from pricing.engine import account
    from pricing.engine.periods import add_months
    from .lineup import plan_price
    e0 = as_datetime(expiry, "expiry")
    me = month_end(policies)

    def milestones(t0):
        e, k = e0, 0
        while e <= t0:  # renewals count from the original expiry, a month at a time
            k += 1
            e = add_months(e0, k, me)
        lc, _ = lifecycle(cat, e, policies)
        return [account.Milestone(lc.suspend_at, account.SUSPENDED, "isolated",
                                  "the plan expired unrenewed (an account in arrears cannot renew): service stops"),
                account.Milestone(lc.release_at, account.RELEASED, "released", "environment released, data erased")]

    def renewal(t):
        price = plan_price(cat.at(t), plan)
        return price, f"renewal of {plan}, 1 month at {price} (续费找回), counted from the original expiry"

    return account.ArrearsRule("云开发 欠费说明", milestones, "clears-debt", renewal)


@calc("cloudbase.arrears.account", "A balance run through a plan's daily overage bills and top-ups: arrears, isolation, release",
      [moment("purchased", help="the plan's purchase instant (its cycles are anniversary months of it)"),
       choice("plan", plan_choices, help="the plan bought"),
       whole_input("months", "months", "1", "months bought", minimum=1, maximum=120),
       money("opening", "0", "the balance after the plan was paid, CNY (not below zero)", minimum=0),
       items("usage", "base units", [], "usage records '<at> <metric> <quantity>' as for cloudbase.cycle.bill"),
       items("packs", "", [], "extension packs '<pack> <bought>' (paid at their order, not from this balance)"),
       items("topups", "", [], "top-ups '<at> <amount>'"),
       moment("until", None, "the state at this instant (default: the last event or milestone due, or topup_at if later)"),
       moment("topup_at", None, "a top-up asked about: what would it restore at this instant?"),
       money("topup", None, "its amount, CNY (default: the debt then)", minimum=0)],
      moment="purchased", policies=[SUSPEND_AT, DAY_ONE_POLICY, *CYCLE_POLICIES])
def _account(cat, inputs, policies):
    """Each day's overage bill (cloudbase.cycle.bill) is debited when it is settled; the first that
    leaves the balance below zero starts this section's timeline."""
    from pricing.engine import account
    from . import cycle
    t = cycle.term(cat, inputs["plan"], inputs["purchased"], inputs["months"], [], inputs["packs"], True, policies)
    b = cycle.cycle_bill(cat, t, cycle.records(cat, inputs["usage"]), None, policies)
    evs = [account.event(ln_at, "bill", debit, f"overage {day}")
           for day, debit, ln_at in daily_debits(b) if debit]
    evs += account.money_events(inputs["topups"], "topups", "topup")
    rule = arrears_rule(cat, t.expiry, t.plan, policies)
    until = account.shown_until(inputs["until"], evs, inputs["topup_at"])
    run = account.run(inputs["opening"], evs, rule, until)
    used = {SUSPEND_AT.name: choose(policies, SUSPEND_AT), DAY_ONE_POLICY.name: choose(policies, DAY_ONE_POLICY)}
    res = account.result(run, {**used, **cycle.used_policies(policies)})
    res.outputs["expiry"] = t.expiry
    if run.arrears:
        lc, _ = lifecycle(cat, t.expiry, policies)
        res.step("last moment a renewal restores the environment", lc.release_at - timedelta(seconds=1))
        res.outputs.update(restore_deadline=lc.release_at - timedelta(seconds=1))
    if inputs["topup_at"] is not None:
        account.ask(res, inputs["opening"], evs, rule, inputs["topup_at"], inputs["topup"], until)
    return res


def daily_debits(b) -> list:
    """(day, debit, settlement instant) of each day of a cycle bill, in time order."""
    at = {ln.bill: ln.at for ln in b.statement.lines}
    return [(day, debit, at[day]) for day, debit in b.statement.bills.items()]
