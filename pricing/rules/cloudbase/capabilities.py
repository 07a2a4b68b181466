"""计费能力项说明 · Capability items: database rollback (回档) and exclusive database access (独占).

:func:`capability` says what a plan includes, from the price list's capability table;
:func:`rollback_check` whether a moment can still be restored (the range in force when the rollback
is asked for); :func:`sla_downtime` what the claimed availability allows. The tables are read
through :mod:`.service_tables`, as in force at a moment.
"""
from __future__ import annotations

import re
from datetime import timedelta

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import CatalogError
from pricing.engine.calcs import calc, choice, moment, number
from pricing.engine.money import D, ZERO, positive
from pricing.engine.periods import as_datetime, ordered
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .lineup import plan_row
from .service_tables import (AT, ITEMS, NO, NOT_OFFERED, PLAN, PRICELIST_TABLE, _minutes, _plan_text, _row, item_ids,
                             pricelist_cell)

CAP_PRICING = policy(
    "cloudbase.cap.pricing_basis",
    "The section is titled 'billed capability items' (计费能力项) but prices neither item: how is rollback paid for?",
    {"included-in-plan": "rollback comes with the plan fee, as the price list's quota row (数据回档) suggests: no extra charge",
     "billed-separately": "the title means each item carries its own charge, which the guide does not give"},
    "included-in-plan", "CB-CAP-UNPRICED")


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
