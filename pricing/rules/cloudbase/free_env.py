"""价格文档 › 免费体验活动 / 100万 token 赠送活动 · The free environment and the token gift (CloudBase).

A new account (or one whose last environment was cancelled long enough ago) may create one free
environment, with the quotas of ``cloudbase.pricelist.free_env.quota_plan``; it stays free while
its mini program is in development and expires a fixed number of days after release, then is
isolated and deleted if not paid. Every environment also receives a one-off token gift.

Each rule number is read when the event it governs happens: the campaign's window and the gift at
the creation day, the days after release at the release day, the deletion delay at the expiry.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from pricing.engine.calcs import calc, choice, day, whole as whole_input
from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.money import ZERO
from pricing.engine.periods import add_months, as_date
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.rules.conventions import MONTH_END, month_end
from .lineup import plan_choices, plan_label
from .pricelist import day_start

FREE_TERM = policy(
    "cloudbase.pricelist.free_env_term",
    "How long is a new user's free environment free?",
    {"campaign": "免费体验活动: until the mini program is released, then to a numbered day after release",
     "one-month-trial": "套餐操作 › 新购: the trial length from creation"},
    "campaign", "CB-PL-FREE-VS-TRIAL")

FREE_DAY15 = policy(
    "cloudbase.pricelist.free_env_day15",
    "Which date is 'day N after release' (上线后的第…天, N = cloudbase.pricelist.free_env.after_release)?",
    {"release-plus-15": "the day after release is day 1: release date + N days",
     "release-is-day-1": "the release day is day 1: release date + N − 1 days"},
    "release-plus-15", "CB-PL-FREE-DAY15")

FREE_GAP = policy(
    "cloudbase.pricelist.free_env_gap",
    "An account whose last environment was cancelled 'more than' the stated gap ago may create a free environment "
    "again: from which day?",
    {"next-day": "from the day after the gap has run (超过: the anniversary day itself is not 'more than')",
     "anniversary": "from the day the gap has run"},
    "next-day", "CB-PL-FREE-ELIGIBLE-GAP")

PLAN_TOKENS = policy(
    "cloudbase.pricelist.plan_tokens",
    "How do the plans' free tokens (免费 token 额度) and the one-off token gift add up?",
    {"once-plus-gift": "the plan's free tokens are granted once, on top of the gift",
     "per-cycle-plus-gift": "the plan's free tokens are granted every billing cycle, on top of the gift",
     "misprint-of-gift": "the table's figure stands for the gift itself (misprinted): only the gift"},
    "once-plus-gift", "CB-PL-TOKENS")


def months_of(cat: CatalogView, id: str) -> int:
    """A duration entry stated in months (``6mo``), as a whole number of months."""
    n, unit = cat.value(id)
    if unit != "months":
        raise InputError("catalog entry", id, f"a duration in months (it is {n} {unit})")
    return n


def campaign(cat: CatalogView) -> tuple[date, date]:
    """The free-environment campaign's first and last day, as stated at ``cat.moment``."""
    return (cat.value("cloudbase.pricelist.free_env.from").date(),
            cat.value("cloudbase.pricelist.free_env.campaign_end").date())


@calc("cloudbase.pricelist.free_env_dates", "Expiry, isolation and deletion of an unpaid free environment",
      [day("created", help="the day the free environment was created"),
       day("released", None, "the day its mini program was released (empty: not released yet)")],
      moment="created", policies=[FREE_TERM, FREE_DAY15])
def _free_env_dates(cat, inputs, policies):
    """The campaign's terms are those in force at creation; the days after release are read at the
    release day; the deletion delay at the expiry."""
    created = inputs["created"]
    first, last = campaign(cat)
    if created < first:
        raise InputError("created", str(created), f"a day on or after {first}, when these free-environment rules start")
    if created > last:
        raise RuleError("created", f"{created} is after the campaign's last day {last} (unless the campaign is extended)")
    term = choose(policies, FREE_TERM)
    res = Result({}, policies={FREE_TERM.name: term})
    res.step("created", created)
    if term == "one-month-trial":
        n = months_of(cat, "cloudbase.plan_ops.trial")
        expires = add_months(created, n, month_end(policies)).date()
        res.step(f"expires = created + {n} month(s) (新购 trial)", expires)
    else:
        reading = choose(policies, FREE_DAY15)
        res.policies[FREE_DAY15.name] = reading
        if inputs["released"] is None:
            res.step("not released", "free while in development", "no expiry yet")
            res.outputs.update(expires="not yet: free until release", isolated_from="—", deleted_on="—")
            return res
        released = inputs["released"]
        if released < created:
            raise InputError("released", str(released), f"a day on or after created ({created})")
        n = int(cat.at(day_start(released)).dec("cloudbase.pricelist.free_env.after_release"))
        expires = released + timedelta(days=n if reading == "release-plus-15" else n - 1)
        res.step("released", released)
        res.step(f"expires on day {n} after release", expires,
                 f"release + {n} days" if reading == "release-plus-15" else f"release day counted as day 1: release + {n - 1} days")
    gap = cat.at(day_start(expires)).duration("cloudbase.pricelist.free_env.delete_after")
    deleted = expires + gap
    res.step("isolated from (if not paid)", expires)
    res.step(f"deleted on (isolation + {gap.days} days)", deleted)
    res.outputs.update(expires=expires, isolated_from=expires, deleted_on=deleted, free_days=Decimal((expires - created).days))
    return res


@calc("cloudbase.pricelist.free_env_eligible", "May an account create a free environment on a given day?",
      [day("on", help="the day the account would create the free environment"),
       whole_input("environments", "environments", "0", "how many environments the account holds now"),
       day("last_cancelled", None, "when its last environment was cancelled (empty: never had one)")],
      moment="on", policies=[FREE_GAP, MONTH_END])
def _free_env_eligible(cat, inputs, policies):
    on = inputs["on"]
    n = Decimal(inputs["environments"])
    first, last = campaign(cat)
    gap = months_of(cat, "cloudbase.pricelist.free_env.cancel_gap")
    gap_reading = choose(policies, FREE_GAP)
    res = Result({}, policies={FREE_GAP.name: gap_reading})
    reason = "eligible"
    if on < first:
        reason = f"before {first}: these rules do not apply yet"
    elif on > last:
        reason = f"after {last}: the campaign has ended (unless extended)"
    elif n > 0:
        reason = "the account still has an environment"
    elif inputs["last_cancelled"] is not None:
        c = inputs["last_cancelled"]
        if c > on:
            raise InputError("last_cancelled", str(c), f"a day on or before on ({on})")
        ends = add_months(c, gap, month_end(policies))
        from_day = (ends + timedelta(days=1)).date() if gap_reading == "next-day" else ends.date()
        res.step("last environment cancelled", c)
        res.step(f"more than {gap} month(s) later: from", from_day, gap_reading)
        if on < from_day:
            reason = f"cancelled on {c}: not more than {gap} month(s) ago (eligible from {from_day})"
    res.step("campaign window", f"{first} → {last}")
    res.step("environments held", n)
    res.step("result", reason)
    res.outputs.update(eligible=(reason == "eligible"), reason=reason)
    return res


# ---------------------------------------------------------------------------------- tokens
def token_gift(cat: CatalogView, created: object, policies: dict | None = None) -> tuple[Decimal, date | None, date | None, str]:
    """(tokens, first day, lapse day, rule) of an environment's token gift, by its creation day,
    with the gift's terms in force on that day."""
    c = as_date(created, "created")
    cat = cat.at(day_start(c))
    start = cat.value("cloudbase.pricelist.tokens.gift_start").date()
    end = cat.value("cloudbase.pricelist.tokens.campaign_end").date()
    gift = cat.dec("cloudbase.pricelist.tokens.gift")
    if c < start:
        return gift, start, cat.value("cloudbase.pricelist.tokens.gift_first_end").date(), f"created before {start}"
    if c <= end:
        months = months_of(cat, "cloudbase.pricelist.tokens.gift_validity")
        return gift, c, add_months(c, months, month_end(policies)).date(), f"created {start} … {end}: from creation, {months} months"
    return ZERO, None, None, f"created after {end}: the gift campaign is over"


CREATED = day("created", help="the day the environment was created")


@calc("cloudbase.pricelist.token_gift", "An environment's one-off token gift: how many, from when, until when",
      [CREATED], moment="created", policies=[MONTH_END])
def _token_gift(cat, inputs, policies):
    tokens, s, e, rule = token_gift(cat, inputs["created"], policies)
    res = Result({})
    res.step("rule", rule)
    res.step("tokens", tokens)
    res.step("valid from", s or "—")
    res.step("lapses on", e or "—")
    if s and e:
        months = months_of(cat, "cloudbase.pricelist.tokens.gift_validity")
        res.step(f"check: lapse = start + {months} months", add_months(s, months, month_end(policies)).date() == e)
    res.outputs.update(tokens=tokens, starts=s or "no gift", lapses=e or "no gift", has_gift=bool(tokens))
    return res


@calc("cloudbase.pricelist.token_allowance", "Free tokens over an environment's first billing cycles (gift + plan)",
      [choice("plan", plan_choices, help="a plan of the lineup in force at creation"), CREATED,
       whole_input("cycles", "billing cycles", "1", minimum=1)],
      moment="created", policies=[PLAN_TOKENS])
def _token_allowance(cat, inputs, policies):
    """Under the per-cycle reading, each cycle's plan tokens are those in force at the cycle's start."""
    plan, created, cycles = inputs["plan"], inputs["created"], inputs["cycles"]
    label = plan_label(cat, plan)
    gift, s, e, rule = token_gift(cat, created, policies)
    reading = choose(policies, PLAN_TOKENS)
    once = cat.dec("cloudbase.pricelist.tokens.plan_free")
    if reading == "once-plus-gift":
        plan_part, how = once, f"{once} once"
    elif reading == "per-cycle-plus-gift":
        per = [cat.at(add_months(created, k)).dec("cloudbase.pricelist.tokens.plan_free") for k in range(cycles)]
        plan_part = sum(per, ZERO)
        how = f"{once} × {cycles} cycles" if len(set(per)) == 1 else " + ".join(str(x) for x in per)
    else:
        plan_part, how = ZERO, "none beyond the gift"
    res = Result({}, policies={PLAN_TOKENS.name: reading})
    res.step("plan", label)
    res.step("gift", gift, rule)
    res.step("plan's free tokens", plan_part, how)
    res.step("total", gift + plan_part)
    res.outputs.update(total=gift + plan_part, gift=gift, plan_part=plan_part)
    return res
