"""套餐 · The plan lineup (CloudBase): which plans exist is a dated fact of the catalog.

The lineup is the table entry ``cloudbase.plans``, one row per plan in ascending order (the row
order is the plan's rank: a move to a later row is an upgrade, 升配; to an earlier one a
downgrade, 降配). A lineup change (a plan added, retired or renamed) is a new dated version of
that table, with the quota and capability tables versioned beside it; every rule reads the lineup
in force at its own moment, so no list of plan ids lives in code.

Every function takes a :class:`~pricing.engine.catalog.CatalogView` (the catalog at a moment) and
raises :class:`~pricing.engine.errors.InputError` naming the field, the plan, the date and the
plans in force then, for a plan that is not in the lineup at that moment.
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError

LINEUP = "cloudbase.plans"


def plan_rows(cat: CatalogView) -> tuple[dict, ...]:
    """The lineup in force at ``cat.moment``: one row per plan, in ascending order."""
    return cat.rows(LINEUP)


def plan_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["plan"] for r in plan_rows(cat))


def plan_choices(cat: CatalogView) -> tuple[str, ...]:
    """Allowed values of a ``plan`` input (for :func:`pricing.engine.calcs.choice`)."""
    return plan_ids(cat)


def plan_row(cat: CatalogView, plan: object, field: str = "plan") -> dict:
    for r in plan_rows(cat):
        if r["plan"] == plan:
            return r
    raise InputError(field, plan, f"a plan in force on {cat.moment:%Y-%m-%d}: " + " | ".join(plan_ids(cat)))


def plan_rank(cat: CatalogView, plan: object, field: str = "plan") -> int:
    """0 for the lowest plan of the lineup in force, 1 for the next, ..."""
    plan_row(cat, plan, field)
    return plan_ids(cat).index(plan)


def plan_price(cat: CatalogView, plan: object, field: str = "plan") -> Decimal:
    """The monthly list price in force at ``cat.moment``; a plan sold on request (联系我们) has
    no price entry and is refused with :class:`RuleError`."""
    row = plan_row(cat, plan, field)
    pid = f"cloudbase.plan.{plan}.price"
    if not cat.has(pid):
        raise RuleError(field, f"{plan} ({row['zh']}) has no list price (联系我们 / contact us): "
                               "its fees and refunds cannot be computed from the guide; ask Tencent Cloud for a quote")
    return cat.dec(pid)
