"""套餐 · The plan lineup (CloudBase): which plans exist is a dated fact of the catalog.

The lineup is the table entry ``cloudbase.plans``, one row per plan in ascending order (the row
order is the plan's rank: a move to a later row is an upgrade, 升配; to an earlier one a
downgrade, 降配). A lineup change (a plan added, retired or renamed) is a new dated version of
that table, with the quota and capability tables versioned beside it; every rule reads the lineup
in force at its own moment, so no list of plan ids lives in code.

The data model, one fact in one place:

- ``cloudbase.plans`` (table): ``plan`` id, ``zh`` and ``en`` names, ``note``; the row order is
  the rank. It carries no price.
- ``cloudbase.plan.<plan>.price`` (price, CNY/month): the monthly list price of each plan that
  has one. A plan sold on request (联系我们, "contact us") has no such entry in force.
- ``cloudbase.metrics`` (table): the plan metrics: ``metric`` id, ``zh``, the ``unit`` its quota
  is stated in, the ``base_unit`` its overage is priced in, the ``factor`` from the first to the
  second (万 = 10000), and how it ``accrues`` over a billing cycle (``cumulative``: used amounts
  add up over the cycle; ``held``: an amount stored, priced per day held; ``limit``: a rate or a
  count, never billed as overage). A metric is billed beyond its quota when its overage price
  ``cloudbase.pricelist.overage.<metric>`` is in force.
- ``cloudbase.quotas`` (table): one row per metric of ``cloudbase.metrics``, one column per plan
  of the lineup in force (``custom`` = 单独定制, set per customer).
- ``cloudbase.pricelist.capabilities`` (table): one row per capability item, one column per plan.

Every function takes a :class:`~pricing.engine.catalog.CatalogView` (the catalog at a moment) and
raises :class:`~pricing.engine.errors.InputError` naming the field, the plan, the date and the
plans in force then, for a plan that is not in the lineup at that moment.
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import CatalogError, InputError, RuleError
from pricing.engine.money import D

LINEUP = "cloudbase.plans"
METRICS = "cloudbase.metrics"
QUOTAS = "cloudbase.quotas"
CAPABILITIES = "cloudbase.pricelist.capabilities"
CUSTOM = "custom"  # a quota cell set per customer (单独定制)
ACCRUALS = ("cumulative", "held", "limit")


# ---------------------------------------------------------------------------------- the plans
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


def price_id(plan: str) -> str:
    return f"cloudbase.plan.{plan}.price"


def has_price(cat: CatalogView, plan: object, field: str = "plan") -> bool:
    """Whether a plan of the lineup in force has a list price (False: sold on request, 联系我们)."""
    plan_row(cat, plan, field)
    return cat.has(price_id(plan))


def plan_price(cat: CatalogView, plan: object, field: str = "plan") -> Decimal:
    """The monthly list price in force at ``cat.moment``; a plan sold on request (联系我们) has
    no price entry and is refused with :class:`RuleError`."""
    row = plan_row(cat, plan, field)
    pid = price_id(plan)
    if not cat.has(pid):
        raise RuleError(field, f"{plan} ({row['zh']}) has no list price (联系我们 / contact us): "
                               "its fees and refunds cannot be computed from the guide; ask Tencent Cloud for a quote")
    return cat.dec(pid)


def priced_plans(cat: CatalogView) -> tuple[str, ...]:
    """The plans of the lineup in force that have a list price, in rank order."""
    return tuple(p for p in plan_ids(cat) if cat.has(price_id(p)))


def plan_label(cat: CatalogView, plan: object, field: str = "plan") -> str:
    """``standard (标准版)``."""
    return f"{plan} ({plan_row(cat, plan, field)['zh']})"


def plan_table(cat: CatalogView) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the lineup in force, with each plan's list price read from its price entry
    ('contact us 联系我们' where there is none)."""
    rows = []
    for r in plan_rows(cat):
        p = r["plan"]
        priced = cat.has(price_id(p))
        price = cat.dec(price_id(p)) if priced else "contact us 联系我们"
        note = cat.entry(price_id(p)).note if priced else ""
        rows.append([str(plan_rank(cat, p)), p, r["zh"], r.get("en", ""), price,
                     "; ".join(x for x in (note, r.get("note", "")) if x)])
    return ["rank", "plan", "中文", "English", "CNY/month", "note"], rows


# ---------------------------------------------------------------------------------- the metrics
def metric_rows(cat: CatalogView) -> tuple[dict, ...]:
    """The plan metrics in force: id, names, quota unit, base unit, factor, accrual."""
    return cat.rows(METRICS)


def metric_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["metric"] for r in metric_rows(cat))


def metric_choices(cat: CatalogView) -> tuple[str, ...]:
    """Allowed values of a ``metric`` input: every metric of the quota table in force."""
    return metric_ids(cat)


def metric_row(cat: CatalogView, metric: object, field: str = "metric") -> dict:
    for r in metric_rows(cat):
        if r["metric"] == metric:
            return r
    raise InputError(field, metric, " | ".join(metric_ids(cat)))


def overage_id(metric: str) -> str:
    return f"cloudbase.pricelist.overage.{metric}"


def billed_metric_ids(cat: CatalogView) -> tuple[str, ...]:
    """The metrics with an overage price in force (a quota beyond which use is paid as you go)."""
    return tuple(m for m in metric_ids(cat) if cat.has(overage_id(m)))


def billed_metric_choices(cat: CatalogView) -> tuple[str, ...]:
    return billed_metric_ids(cat)


def factor(cat: CatalogView, metric: object) -> Decimal:
    """Base units per quota unit (10000 for quotas stated in 万)."""
    return D(metric_row(cat, metric)["factor"], f"{METRICS}.{metric}.factor")


def accrual(cat: CatalogView, metric: object) -> str:
    return metric_row(cat, metric)["accrues"]


def metrics_accruing(cat: CatalogView, how: str) -> tuple[str, ...]:
    return tuple(r["metric"] for r in metric_rows(cat) if r["accrues"] == how)


# ---------------------------------------------------------------------------------- the quotas
def quota_cell(cat: CatalogView, plan: object, metric: object) -> str:
    """The quota table's cell for a plan and a metric, as written (``custom`` = 单独定制)."""
    plan_row(cat, plan)
    metric_row(cat, metric)
    for r in cat.rows(QUOTAS):
        if r["metric"] == metric:
            if plan not in r:
                raise CatalogError(QUOTAS, f"{metric}.{plan}", f"no column for plan {plan} in force on {cat.moment:%Y-%m-%d}")
            return r[plan]
    raise CatalogError(QUOTAS, metric, f"no row for metric {metric} in force on {cat.moment:%Y-%m-%d}")


def quota_table(cat: CatalogView) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the quota table in force: metric, names and unit, then one column per plan
    of the lineup in force, in rank order."""
    plans = plan_ids(cat)
    rows = [[m["metric"], m["zh"], m["unit"]] + [quota_cell(cat, p, m["metric"]) for p in plans] for m in metric_rows(cat)]
    return ["metric", "中文", "unit", *plans], rows


def capability_table(cat: CatalogView) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of the capability table in force, one column per plan of the lineup in force."""
    plans = plan_ids(cat)
    out = []
    for r in cat.rows(CAPABILITIES):
        missing = [p for p in plans if p not in r]
        if missing:
            raise CatalogError(CAPABILITIES, r["item"], f"no column for plan {missing[0]} in force on {cat.moment:%Y-%m-%d}")
        out.append([r["area"], r["item"], *[r[p] for p in plans], r.get("note", "")])
    return ["area", "item", *plans, "note"], out


def check(cat: CatalogView) -> list[str]:
    """Every inconsistency between the lineup in force and the tables that depend on it (empty
    when none): a quota or capability table without a column for a plan of the lineup, or with a
    column for a plan not in it; a quota row for a metric not in ``cloudbase.metrics`` or missing
    one; a metric with an unknown accrual or factor."""
    problems = []
    plans = set(plan_ids(cat))
    if len(plans) != len(plan_ids(cat)):
        problems.append(f"{LINEUP}: a plan id appears twice")
    meta = {"metric", "zh", "unit", "area", "item", "note"}
    ids = metric_ids(cat)
    for r in metric_rows(cat):
        if r.get("accrues") not in ACCRUALS:
            problems.append(f"{METRICS}.{r['metric']}: accrues {r.get('accrues')!r} is not one of {', '.join(ACCRUALS)}")
        try:
            D(r.get("factor", ""), "factor")
        except Exception:
            problems.append(f"{METRICS}.{r['metric']}: factor {r.get('factor')!r} is not a number")
    quota_metrics = [r["metric"] for r in cat.rows(QUOTAS)]
    if sorted(quota_metrics) != sorted(ids):
        problems.append(f"{QUOTAS}: rows {', '.join(quota_metrics)} differ from the metrics {', '.join(ids)}")
    for table in (QUOTAS, CAPABILITIES):
        for r in cat.rows(table):
            cols = set(r) - meta
            key = r.get("metric") or r.get("item")
            if cols != plans:
                missing, extra = sorted(plans - cols), sorted(cols - plans)
                problems.append(f"{table} [{key}]: " + "; ".join(
                    x for x in (f"no column for {', '.join(missing)}" if missing else "",
                                f"columns for plans not in the lineup: {', '.join(extra)}" if extra else "") if x))
    priced = {i.split(".")[2] for i in cat.ids("cloudbase.plan.") if i.endswith(".price")}
    for p in sorted(priced - plans):
        problems.append(f"{price_id(p)} is in force but {p} is not in the lineup on {cat.moment:%Y-%m-%d}")
    return problems
