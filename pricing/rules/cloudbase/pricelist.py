"""价格文档 · Price list (CloudBase): plans, quotas, overage, other resources, and which plan pays.

A CloudBase environment buys a monthly plan (套餐) with quotas per metric. Beyond a quota the
environment either stops serving that metric or, with "keep serving beyond quota" (超限不停服) on,
pays as you go (按量付费) for the excess, settled the day after. Extension packs (扩展资源包,
:mod:`.packs`) are drawn after the plan quota and before pay-as-you-go. The free environment and
the token gift are in :mod:`.free_env`.

Which plans exist, their rank and price, the metrics, their units and factors, and the quotas are
catalog data read at the moment priced (:mod:`.lineup`): a usage day is priced with the plans,
quotas and prices in force that day; an order at its order instant; a span that crosses an
effective date of an entry it reads is split there.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pricing.engine.calcs import choice, count, day, flag, items, moment, number, table, whole as whole_input
from pricing.engine.calcs import calc
from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, drawdown, make_pool
from pricing.engine.errors import InputError, RuleError
from pricing.engine.money import BILLED, ZERO, integral, nonneg
from pricing.engine.periods import as_date, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from . import lineup
from .lineup import (billed_metric_ids, factor, metric_row, metrics_accruing, overage_id, plan_choices, plan_price,
                     plan_row, priced_plans)

FREE = "free"  # the free environment of the 免费体验活动: the quotas of cloudbase.pricelist.free_env.quota_plan
CALLS = "calls_wan"        # the calls metric: SMS and AI conversations convert into it
CAPACITY = "capacity_gb"   # the capacity metric: held, priced per GB per day

whole = integral  # an exact count without a spurious decimal (2000.0 -> 2000)
SECONDS_A_DAY = Decimal(86400)  # a unit conversion: 24 × 3600

# ---------------------------------------------------------------------------------- policies
FLOW_PER_DAY = policy(
    "cloudbase.pricelist.flow_per_day",
    "What does 'per day' (/天, /日) mean on the price of a flow (calls beyond the quota, log writes, index reads, "
    "log reads), which is used up rather than held?",
    {"settled-daily": "a flow is paid once, on the bill of the day it happens; '/天' names the daily settlement",
     "standing-daily": "the price is paid again on every day the flow stands: calls beyond the quota every day the "
                       "cycle's count stays above it, a log flow once per day of the span priced"},
    "settled-daily", "CB-PL-CALLS-PER-DAY")
CALLS_PER_DAY = FLOW_PER_DAY  # the calls overage is one of the flows

CAPACITY_QUOTA = policy(
    "cloudbase.pricelist.capacity_quota",
    "Capacity is quoted in GB/月 but its overage is priced per GB per day: what is the quota?",
    {"ceiling": "a ceiling on the GB held at any time: each day, the GB above it are paid at the per-day price",
     "gb-day-allowance": "a monthly allowance of quota × cycle-days GB·days: only GB·days beyond it are paid"},
    "ceiling", "CB-PL-CAPACITY-UNIT")

PACK_WINDOW = policy(
    "cloudbase.pricelist.pack_window",
    "An extension pack is sold with a validity in natural days, and the refund section's console row runs one "
    "calendar month: when does it lapse?",
    {"natural-days": "the validity's days as whole natural days, the purchase day counted as day 1 (lapses at 00:00 "
                     "of the day after the last)",
     "30x24h": "the validity's days × 24 hours from the moment of purchase",
     "calendar-month": "one calendar month from the moment of purchase (the console row in 资源包退费说明)"},
    "calendar-month", "CB-PL-PACK-30D")

FREE_OVERAGE = policy(
    "cloudbase.pricelist.free_env_overage",
    "May a free environment pay as you go beyond its (personal) quotas?",
    {"payg-allowed": "yes, like the 新购 trial: only resource packs are refused (不支持资源额外加购)",
     "refused": "no: nothing beyond the quota can be bought, the excess is refused"},
    "payg-allowed", "CB-PL-FREE-OVERAGE")


# ---------------------------------------------------------------------------------- plans and quotas
def plan_or_free(cat: CatalogView) -> tuple[str, ...]:
    """Allowed values of a ``plan`` input that may name the free environment: the lineup in force, and 'free'."""
    return plan_choices(cat) + (FREE,)


def quota_plan(cat: CatalogView, plan: str, field: str = "plan") -> str:
    """The plan whose quotas an environment has at ``cat.moment``: the free environment has those of
    ``cloudbase.pricelist.free_env.quota_plan``; any other plan must be in the lineup in force."""
    p = cat.value("cloudbase.pricelist.free_env.quota_plan") if plan == FREE else plan
    plan_row(cat, p, field)
    return p


def quota(cat: CatalogView, plan: object, metric: object, policies: dict | None = None) -> Decimal:
    """A plan's quota of one metric at ``cat.moment``, in the metric's quota unit (10,000 calls for
    calls_wan, 10,000 GB·s for gbs_wan). A 'custom' cell (单独定制: set per customer) is refused."""
    p = quota_plan(cat, plan)
    metric_row(cat, metric)
    raw = lineup.quota_cell(cat, p, metric)
    if raw == lineup.CUSTOM:
        raise RuleError(f"quota[{plan}][{metric}]", "单独定制: set per customer, no figure in the guide")
    return nonneg(raw, "quota")


def overage_price(cat: CatalogView, metric: str) -> tuple[Decimal, Decimal]:
    """(price, per) of one metric's overage at ``cat.moment``; fee = quantity in the base unit × price / per."""
    if metric not in billed_metric_ids(cat):
        raise InputError("metric", metric, " | ".join(billed_metric_ids(cat)) + " (the other metrics have no overage price)")
    e = cat.entry(overage_id(metric))
    return e.value, e.per or Decimal(1)


def overage_fee(cat: CatalogView, metric: str, excess: Decimal) -> Decimal:
    """Fee for ``excess`` (in the metric's quota unit) at the price in force at ``cat.moment``, unrounded."""
    price, per = overage_price(cat, metric)
    return excess * factor(cat, metric) * price / per


def price_text(cat: CatalogView, metric: str) -> str:
    """'0.5 per 10000 calls', '0.8 per GB': the overage price as a step note."""
    price, per = overage_price(cat, metric)
    base = metric_row(cat, metric)["base_unit"]
    return f"{price} per {integral(per)} {base}" if per != 1 else f"{price} per {base}"


def quantities(raw: object, field: str, allowed) -> dict[str, Decimal]:
    """A table ``{metric: quantity}`` in the metrics' quota units, keys among ``allowed``."""
    allowed = tuple(allowed)
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise InputError(field, raw, "a table of metric = quantity, metrics: " + ", ".join(allowed))
    out = {}
    for k, v in raw.items():
        if k not in allowed:
            raise InputError(f"{field}.{k}", k, " | ".join(allowed))
        out[k] = nonneg(v, f"{field}.{k}")
    return out


def plan_pool(metric: str, remaining: Decimal, plan: str) -> Pool:
    return make_pool(f"plan-quota:{plan}", "plan-quota", metric, remaining, 0, source="套餐配额")


def ledger_steps(res: Result, ledger, unit: str) -> None:
    for ln in ledger.lines:
        res.step(f"{ledger.metric}: {ln.pool} covers", ln.covered, f"{unit}; {ln.before} → {ln.after} left")
    for sk in ledger.skipped:
        res.step(f"{ledger.metric}: {sk.pool} skipped", "0", sk.reason)


def day_start(d: date) -> datetime:
    return datetime.combine(d, time())


def pieces(cat: CatalogView, ids, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """[start, end) split at every effective date of ``ids`` strictly inside it: each piece is priced
    at its own start."""
    cuts = [start, *cat.changes(ids, start, end), end]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]


# ---------------------------------------------------------------------------------- overage: one day
def day_overage(cat: CatalogView, plan: object, day_: object, before: object = None, today: object = None,
                keep_serving: bool = True, packs: object = None, policies: dict | None = None) -> Result:
    """One day's overage bill of an environment, priced with the plans, quotas and prices in force
    on that day (packs with the terms in force when each was bought).

    ``before``: the cycle's usage of each cumulative metric before this day; ``today``: this day's
    usage of each cumulative metric, and the amount held of each held metric (capacity). Quantities
    in the metrics' quota units. Each metric is drawn through the plan quota left, then held packs,
    and the rest is paid as you go (if keep serving is on) at the overage price, settled after
    ``cloudbase.pricelist.overage.settle_after``."""
    from .packs import pack_pools, pack_row
    d = as_date(day_, "day")
    at = day_start(d)
    cat = cat.at(at)
    qp = quota_plan(cat, plan)
    billed = billed_metric_ids(cat)
    held_metrics = metrics_accruing(cat, "held")
    bef = quantities(before, "before", [m for m in billed if m not in held_metrics])
    tod = quantities(today, "today", billed)
    calls_reading = choose(policies, CALLS_PER_DAY)
    if choose(policies, CAPACITY_QUOTA) != "ceiling":
        raise RuleError("policies", "the gb-day-allowance reading needs the whole cycle: use calc cloudbase.pricelist.capacity_cycle")
    free_reading = choose(policies, FREE_OVERAGE)
    pools = pack_pools(cat, plan, packs, policies)
    res = Result({}, policies={CALLS_PER_DAY.name: calls_reading, PACK_WINDOW.name: choose(policies, PACK_WINDOW)})
    res.step("priced with the catalog in force on", d, f"plan {lineup.plan_label(cat, qp)}")
    if plan == FREE:
        res.policies[FREE_OVERAGE.name] = free_reading
        res.step("free environment", f"quotas of the {qp} plan")
        if free_reading == "refused":
            keep_serving = False
    res.step("keep serving beyond quota (超限不停服)", "on" if keep_serving else "off",
             "the excess is paid as you go" if keep_serving else "the excess is refused, nothing is billed")
    total, fees, refused = ZERO, {}, {}
    held = {p.id: p for p in pools}
    for m in billed:
        unit = metric_row(cat, m)["unit"].replace("/month", "")
        q = quota(cat, plan, m, policies)
        use = tod.get(m, ZERO)
        if m in held_metrics:
            left_q = q
            if not use:
                continue
            res.step(f"{m}: held today / quota", f"{use} / {q}", f"{unit}; a ceiling, priced per day held")
        else:
            b = bef.get(m, ZERO)
            left_q = max(ZERO, q - b)
            if not use and not (m == CALLS and calls_reading == "standing-daily" and b > q):
                continue
            res.step(f"{m}: used before today / quota / quota left", f"{b} / {q} / {left_q}")
        mine = [p for p in held.values() if m in p.metrics]
        led = drawdown(m, use, at, [plan_pool(m, left_q, qp), *mine])
        ledger_steps(res, led, unit)
        if m not in held_metrics:  # a capacity pack is a ceiling: it is not used up
            held.update({p.id: p for p in led.pools_after if p.id in held})
        excess = led.uncovered
        if m == CALLS and calls_reading == "standing-daily":
            pack_used_before = sum((nonneg(p.get("used", "0"), "used") / factor(cat, m) for p in (packs or [])
                                    if pack_row(cat.at(p["bought"]), p["pack"]).metric == m), ZERO)
            standing = max(ZERO, bef.get(m, ZERO) - q - pack_used_before)
            res.step(f"{m}: excess standing from earlier days (standing-daily reading)", standing, unit)
            excess += standing
        if not keep_serving:
            if excess:
                refused[m] = excess
                res.step(f"{m}: refused (not served)", excess)
            continue
        fee = overage_fee(cat, m, excess) if excess else ZERO
        if excess:
            base = excess * factor(cat, m)
            how = f"{whole(base)} {metric_row(cat, m)['base_unit']} at {price_text(cat, m)}"
            res.step(f"{m}: pay as you go", fee, how)
        fees[m] = fee
        total += fee
    res.outputs["packs_after"] = tuple(held.values())
    billed_total = BILLED(total)
    settle = cat.duration("cloudbase.pricelist.overage.settle_after")
    res.step("day's overage, rounded to the fen", billed_total)
    res.step("settled on", d + settle)
    res.outputs.update({f"fee_{m}": v for m, v in fees.items()})
    res.outputs.update({f"refused_{m}": v for m, v in refused.items()})
    res.outputs.update(total=billed_total, unrounded=total, settled_on=d + settle)
    return res


PLAN_OR_FREE = choice("plan", plan_or_free, help="a plan of the lineup in force on the day, or 'free' (the free environment)")
USAGE_DAY = day("day", None, "the usage day (default: the as-of date); priced with the catalog in force that day")
PACKS = items("packs", "", [], "held extension packs: a list of {pack, bought, used}; used in the pack's own unit")


@calc("cloudbase.pricelist.overage_day", "One day's overage bill of an environment (plan quota, packs, pay-as-you-go)",
      [PLAN_OR_FREE, USAGE_DAY,
       table("before", "quota units", {}, "the cycle's usage of each cumulative metric before this day, e.g. {calls_wan = \"25\"}"),
       table("today", "quota units", {}, "this day's usage of each cumulative metric, and the amount held of each held one"),
       flag("keep_serving", True, "keep serving beyond quota (超限不停服): pay the excess as you go"), PACKS],
      moment="day", policies=[FLOW_PER_DAY, CAPACITY_QUOTA, FREE_OVERAGE, PACK_WINDOW])
def _overage_day(cat, inputs, policies):
    return day_overage(cat, inputs["plan"], inputs["day"] or cat.moment.date(), inputs["before"], inputs["today"],
                       inputs["keep_serving"], inputs["packs"], policies)


@calc("cloudbase.pricelist.calls_cycle", "Calls over the days of a cycle: each day's overage bill, and the cycle's total",
      [PLAN_OR_FREE, items("daily_wan", "万 calls", help="the calls made on each day of the cycle, in order, in 万"),
       day("start", None, "the cycle's first day (default: the as-of date); each day is priced with the catalog in force that day")],
      moment="start", policies=[FLOW_PER_DAY, FREE_OVERAGE])
def _calls_cycle(cat, inputs, policies):
    """Calls made day after day in one billing cycle: each day's overage bill (``overage_day``) under
    ``cloudbase.pricelist.flow_per_day``, and their sum (CB-PL-CALLS-PER-DAY)."""
    start = inputs["start"] or cat.moment.date()
    res = Result({}, policies={FLOW_PER_DAY.name: choose(policies, FLOW_PER_DAY)})
    before, total = ZERO, ZERO
    for k, raw in enumerate(inputs["daily_wan"]):
        d = start + timedelta(days=k)
        n = nonneg(raw, f"daily_wan[{k}]")
        day_bill = day_overage(cat, inputs["plan"], d, {CALLS: str(before)}, {CALLS: str(n)}, True, [], policies)
        res.step(f"{d}: {n} 万 calls, {before} 万 before", day_bill["total"])
        total += day_bill["total"]
        before += n
    res.step("the cycle's overage, the days' bills added", total)
    res.outputs.update(fee=total, calls_wan=before)
    return res


@calc("cloudbase.pricelist.capacity_cycle", "Capacity over a billing cycle: the GB held on each day against the quota",
      [PLAN_OR_FREE, items("daily_gb", "GB", help="the GB held on each day of the cycle, in order"),
       day("start", None, "the cycle's first day (default: the as-of date); each day is priced with the catalog in force that day")],
      moment="start", policies=[CAPACITY_QUOTA])
def _capacity_cycle(cat, inputs, policies):
    """Each day of the cycle is read at its own date: the quota and the per-day price in force then."""
    days = inputs["daily_gb"]
    if not days:
        raise InputError("daily_gb", days, "a non-empty list of the GB held on each day of the cycle")
    held = [nonneg(v, f"daily_gb[{i}]") for i, v in enumerate(days)]
    start = inputs["start"] or cat.moment.date()
    plan = inputs["plan"]
    views = [cat.at(day_start(start + timedelta(days=i))) for i in range(len(held))]
    quotas = [quota(v, plan, CAPACITY) for v in views]
    prices = [v.dec(overage_id(CAPACITY)) for v in views]
    reading = choose(policies, CAPACITY_QUOTA)
    res = Result({}, policies={CAPACITY_QUOTA.name: reading})
    res.step("cycle", f"{start} → {start + timedelta(days=len(held) - 1)}", f"{len(held)} days")
    for i in range(1, len(held)):
        if (quotas[i], prices[i]) != (quotas[i - 1], prices[i - 1]):
            res.step(f"from {start + timedelta(days=i)}", f"quota {quotas[i]} GB, {prices[i]} per GB per day",
                     "an effective date inside the cycle: the days are priced apart")
    res.step("quota / price on the first day", f"{quotas[0]} GB / {prices[0]} per GB per day")
    used_gb_days = sum(held, ZERO)
    res.step("GB·days held", used_gb_days)
    if reading == "ceiling":
        over = [max(ZERO, h - q) for h, q in zip(held, quotas)]
        res.step("GB·days above the ceiling (each day: max(0, held − quota))", sum(over, ZERO))
    else:
        allowance = sum(quotas, ZERO)
        res.step("allowance = Σ quota over the cycle's days", allowance, "GB·days")
        over, cum = [], ZERO
        for h in held:  # the allowance is drawn in day order; what is beyond it accrues on the day it is held
            over.append(max(ZERO, cum + h - allowance) - max(ZERO, cum - allowance))
            cum += h
        res.step("GB·days beyond the allowance", sum(over, ZERO))
    fee = sum((o * p for o, p in zip(over, prices)), ZERO)
    res.step("fee = Σ GB·days × the day's price", fee)
    res.outputs.update(gb_days_over=sum(over, ZERO), fee=BILLED(fee))
    return res


# ---------------------------------------------------------------------------------- plan, quota, prices
PLAN = choice("plan", plan_choices, help="a plan of the lineup in force at the moment")
ORDER_AT = moment("at", None, "the order instant (default: the as-of date): the plan and its price in force then")


@calc("cloudbase.pricelist.plan_price", "A plan's monthly list price and the fee of an order of some months",
      [PLAN, whole_input("months", "months", "1", "months ordered", minimum=1), ORDER_AT], moment="at")
def _plan_price(cat, inputs, policies):
    """An order is priced at its order instant: the lineup and price in force then, for every month ordered."""
    plan, months = inputs["plan"], inputs["months"]
    price = plan_price(cat, plan)
    res = Result({})
    res.step("order instant", cat.moment, f"plan {lineup.plan_label(cat, plan)}, rank {lineup.plan_rank(cat, plan)}")
    res.step(f"{plan} monthly price", price, "CNY/month")
    res.step("months", months)
    res.outputs.update(price=price, fee=BILLED(price * months))
    return res


@calc("cloudbase.pricelist.quota", "A plan's quota of one metric",
      [choice("plan", plan_or_free, help="a plan of the lineup in force, or 'free'"),
       choice("metric", lineup.metric_choices, help="a metric of cloudbase.metrics"),
       day("on", None, "the day (default: the as-of date): the quota table in force then")],
      moment="on")
def _quota(cat, inputs, policies):
    plan, metric = inputs["plan"], inputs["metric"]
    q = quota(cat, plan, metric, policies)
    row = metric_row(cat, metric)
    res = Result({})
    res.step(f"{plan}: {row['zh']} ({metric})", q, row["unit"])
    f = factor(cat, metric)
    base = q * f
    if f != 1:
        res.step(f"in base units (× {integral(f)})", base, row["base_unit"])
    res.outputs.update(quota=q, base=base)
    return res


PRICE_PREFIXES = ("cloudbase.pricelist.overage.", "cloudbase.pricelist.other.")


def price_items(cat: CatalogView) -> tuple[str, ...]:
    """The pay-as-you-go items in force: every price entry under cloudbase.pricelist.overage.* and
    .other.*, named without the ``cloudbase.pricelist.`` prefix (``overage.calls_wan``)."""
    out = []
    for prefix in PRICE_PREFIXES:
        out += [i[len("cloudbase.pricelist."):] for i in cat.ids(prefix) if cat.entry(i).kind == "price"]
    return tuple(out)


def is_daily(unit: str, policies: dict | None = None) -> bool:
    """Does the fee scale with the days? A price per day held (the catalog's unit says 'per day': 元/GB/天,
    元/个/日) always does; a flow whose Chinese unit only carries '/日' or '/天' (写流量 元/GB/日) does under
    ``cloudbase.pricelist.flow_per_day`` = standing-daily (CB-PL-CALLS-PER-DAY)."""
    if "per day" in unit:
        return True
    return choose(policies, FLOW_PER_DAY) == "standing-daily" and any(s in unit for s in ("/日", "/天"))


@calc("cloudbase.pricelist.price_item", "Price a quantity of one pay-as-you-go item (overage or other resources)",
      [choice("item", price_items, help="an overage or other-resource item, e.g. overage.calls_wan, other.log.requests"),
       count("quantity", "the item's unit", "1", "in the item's own unit (calls, reads, GB, GB·s, core-hours …)"),
       number("days", "days", "1", "days held, for items priced per day", minimum="0"),
       moment("start", None, "when the use starts (default: the as-of date); days crossing a price change are split")],
      moment="start", policies=[FLOW_PER_DAY])
def _price_item(cat, inputs, policies):
    """Items priced per day take ``days``; a span of days that crosses an effective date of the
    item's price is split there and each piece priced at its own price."""
    item = inputs["item"]
    iid = f"cloudbase.pricelist.{item}"
    e = cat.entry(iid)
    q = inputs["quantity"]
    days = inputs["days"]
    if days <= 0:
        raise InputError("days", str(days), "a number of days > 0")
    per = e.per or Decimal(1)
    daily = is_daily(e.unit, policies)
    res = Result({}, policies={FLOW_PER_DAY.name: choose(policies, FLOW_PER_DAY)})
    res.step(f"{e.zh}", e.value, e.unit)
    res.step("quantity", q, f"per {per}" if per != 1 else "")
    if daily:
        start = cat.moment
        end = start + timedelta(seconds=int(days * SECONDS_A_DAY))
        fee = ZERO
        parts = pieces(cat, [iid], start, end)
        for a, b in parts:
            p = cat.at(a).entry(iid).value
            n = Decimal((b - a) // timedelta(seconds=1)) / SECONDS_A_DAY
            part = p * q / per * n
            if len(parts) > 1:
                res.step(f"{a:%Y-%m-%d %H:%M} → {b:%Y-%m-%d %H:%M}", part, f"{p} × {q}" + (f" / {per}" if per != 1 else "") + f" × {n} days")
            fee += part
        if days != 1 and len(parts) == 1:
            res.step("days", days)
        res.step("fee", fee, f"{e.value} × {q}" + (f" / {per}" if per != 1 else "") + (f" × {days}" if days != 1 else "")
                 if len(parts) == 1 else "sum of the pieces")
    else:
        fee = e.value * q / per
        res.step("fee", fee, f"{e.value} × {q}" + (f" / {per}" if per != 1 else ""))
    res.outputs.update(fee=fee, billed=BILLED(fee), price=e.value)
    return res


HOSTING = ("cloudbase.pricelist.other.hosting.cpu", "cloudbase.pricelist.other.hosting.memory")


@calc("cloudbase.pricelist.hosting", "Cloud hosting / functions 2.0: core-hours and GB-hours",
      [number("cores", "cores", "0", minimum="0"), number("memory_gb", "GB", "0", minimum="0"),
       number("instances", "instances", "1", minimum="0"), number("hours", "hours", "1", minimum="0"),
       moment("start", None, "when the instances start running (default: the as-of date); hours crossing a price change are split")],
      moment="start")
def _hosting(cat, inputs, policies):
    """cores × instances × hours and memory GB × instances × hours, each hour at the prices in force then."""
    cores, mem, n, hours = inputs["cores"], inputs["memory_gb"], inputs["instances"], inputs["hours"]
    start = cat.moment
    end = start + timedelta(seconds=int(hours * 3600))
    core_h, gb_h = cores * n * hours, mem * n * hours
    res = Result({})
    res.step("core-hours = cores × instances × hours", core_h, f"{cores} × {n} × {hours}")
    res.step("GB-hours = memory GB × instances × hours", gb_h, f"{mem} × {n} × {hours}")
    cpu_fee = mem_fee = ZERO
    parts = pieces(cat, HOSTING, start, end) if end > start else [(start, start)]
    for a, b in parts:
        v = cat.at(a)
        h = Decimal((b - a) // timedelta(seconds=1)) / (SECONDS_A_DAY / 24) if len(parts) > 1 else hours
        cpu_p, mem_p = v.dec(HOSTING[0]), v.dec(HOSTING[1])
        c, m = cores * n * h * cpu_p, mem * n * h * mem_p
        if len(parts) > 1:
            res.step(f"{a:%Y-%m-%d %H:%M} → {b:%Y-%m-%d %H:%M}", c + m, f"{h} h at {cpu_p} per core-hour, {mem_p} per GB-hour")
        cpu_fee += c
        mem_fee += m
    if len(parts) == 1:
        cpu_p, mem_p = cat.dec(HOSTING[0]), cat.dec(HOSTING[1])
        res.step("CPU fee", cpu_fee, f"{core_h} × {cpu_p}")
        res.step("memory fee", mem_fee, f"{gb_h} × {mem_p}")
    else:
        res.step("CPU fee", cpu_fee, "sum of the pieces")
        res.step("memory fee", mem_fee, "sum of the pieces")
    res.outputs.update(core_hours=core_h, gb_hours=gb_h, cpu_fee=cpu_fee, memory_fee=mem_fee,
                       fee=BILLED(cpu_fee + mem_fee))
    return res


# ---------------------------------------------------------------------------------- which plan is cheaper
def month_cost(cat: CatalogView, plan: str, usage: dict[str, Decimal], days: int = 30) -> tuple[Decimal, list[tuple[str, Decimal, Decimal]]]:
    """Plan price + overage of one cycle with the given monthly usage (held metrics held all
    cycle, at the per-day price), under the default readings, all at ``cat.moment`` (the cycle's
    start, its order instant). Returns (cost, [(metric, excess, fee)])."""
    cost, lines = plan_price(cat, plan), []
    held = metrics_accruing(cat, "held")
    for m, u in usage.items():
        q = quota(cat, plan, m)
        excess = max(ZERO, u - q)
        fee = overage_fee(cat, m, excess) * (days if m in held else 1)
        lines.append((m, excess, fee))
        cost += fee
    return cost, lines


def overage_ids(cat: CatalogView) -> list[str]:
    return [overage_id(m) for m in billed_metric_ids(cat)]


@calc("cloudbase.pricelist.cheapest_plan", "Each priced plan's cost for one cycle of the given usage, and the cheapest",
      [table("usage", "quota units", help="the cycle's usage per billed metric, e.g. {calls_wan = \"1000\"}"),
       whole_input("days", "days", "30", "days in the cycle (held metrics are priced per day)", minimum=1, maximum=31),
       day("start", None, "the cycle's first day (default: the as-of date): the plans, quotas and prices in force then")],
      moment="start")
def _cheapest_plan(cat, inputs, policies):
    """The plans with a list price in force at the cycle's start are compared (a plan sold on request
    has none). Ties go to the lower rank. A price or quota change inside the cycle is refused: the
    usage would have to be split by day (calc cloudbase.pricelist.overage_day)."""
    usage = quantities(inputs["usage"], "usage", billed_metric_ids(cat))
    days = inputs["days"]
    start = cat.moment
    end = start + timedelta(days=days)
    plans = priced_plans(cat)
    crossing = cat.changes([lineup.LINEUP, lineup.QUOTAS, *overage_ids(cat), *(lineup.price_id(p) for p in plans)], start, end)
    if crossing:
        raise RuleError("start", f"the cycle {start:%Y-%m-%d} → {end:%Y-%m-%d} crosses an effective date ({crossing[0]:%Y-%m-%d}): "
                                 "give each part's usage day by day (calc cloudbase.pricelist.overage_day)")
    res = Result({})
    costs = {}
    for p in plans:
        cost, lines = month_cost(cat, p, usage, days)
        detail = "; ".join(f"{m} +{e} → {fee}" for m, e, fee in lines if e)
        res.step(f"{p}: price + overage", cost, detail or "within quota")
        costs[p] = cost
    best = min(costs, key=lambda p: (costs[p], lineup.plan_rank(cat, p)))
    unpriced = [p for p in lineup.plan_ids(cat) if p not in plans]
    res.step("cheapest", best, f"{', '.join(unpriced)}: no list price (联系我们), left out" if unpriced else "")
    res.outputs.update({f"cost_{p}": BILLED(c) for p, c in costs.items()})
    res.outputs.update(cheapest=best, cost=BILLED(costs[best]))
    return res


def breakeven_calls(cat: CatalogView, low: str, high: str) -> Decimal | None:
    """The monthly calls (in the quota unit) at which the higher plan starts to cost no more than the
    lower one, looking at calls alone (None: never), at ``cat.moment``."""
    pl, ph = plan_price(cat, low, "low"), plan_price(cat, high, "high")
    ql, qh = quota(cat, low, CALLS), quota(cat, high, CALLS)
    price, per = overage_price(cat, CALLS)
    p = price * factor(cat, CALLS) / per  # CNY per quota unit of calls
    c = ql + (ph - pl) / p
    # beyond the higher plan's quota both pay the same price per call, so the lines never meet there
    return c if c <= qh else None


@calc("cloudbase.pricelist.breakeven_calls", "Monthly calls at which a higher plan costs no more than a lower one",
      [choice("low", plan_choices, help="the lower plan"), choice("high", plan_choices, help="the higher plan"),
       day("on", None, "the day (default: the as-of date): plans, quotas and prices in force then")],
      moment="on")
def _breakeven(cat, inputs, policies):
    low, high = inputs["low"], inputs["high"]
    if lineup.plan_rank(cat, high, "high") <= lineup.plan_rank(cat, low, "low"):
        raise RuleError("high", f"{high} is not ranked above {low} in the lineup in force on {cat.moment:%Y-%m-%d}")
    c = breakeven_calls(cat, low, high)
    price, per = overage_price(cat, CALLS)
    unit = metric_row(cat, CALLS)["unit"].replace("/month", "")
    res = Result({})
    res.step(f"{low} → {high}", f"quota_low + (price_high − price_low) / {price * factor(cat, CALLS) / per}",
             f"the lower plan's overage (CNY per {unit}) catches up with the price difference")
    res.step("break-even calls", c if c is not None else "never", f"{unit} per month")
    res.outputs.update(calls_wan=c if c is not None else "never")
    return res

