"""价格文档 · Price list (CloudBase): plans, quotas, overage, other resources, packs, promotions,
the free environment and the token gift.

A CloudBase environment buys a monthly plan (套餐) with quotas per metric. Beyond a quota the
environment either stops serving that metric or, with "keep serving beyond quota" (超限不停服) on,
pays as you go (按量付费) for the excess, settled the next day. Extension packs (扩展资源包) are
drawn after the plan quota and before pay-as-you-go; promotion packs (大促资源包) are bought per
day. Everything priced here comes from ``cloudbase-pricelist.toml`` and ``cloudbase.toml``.

Metric ids (shared by every CloudBase rule) and the unit their quantities are given in — the unit
of the quota table: capacity_gb (GB), gbs_wan (万 GB·s), egress_gb, storage_traffic_gb,
cdn_origin_gb (GB), domains, qps, calls_wan (万 calls).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.drawdown import Pool, drawdown, make_pool
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, ZERO, integral, nonneg, positive
from pricing.engine.periods import Window, add_months, as_date, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import WAN, convert_size, parse_count
from pricing.engine.inputs import flag, whole_number

PLANS = ("personal", "standard", "enterprise", "enterprise_premium")
FREE = "free"  # the free environment of the 免费体验活动 (personal-plan quotas)
METRICS = ("capacity_gb", "gbs_wan", "egress_gb", "storage_traffic_gb", "cdn_origin_gb", "domains", "qps", "calls_wan")
# metrics with an overage price; the factor turns a quantity in the quota's unit into the price's unit
BILLED_METRICS = {"calls_wan": WAN, "capacity_gb": Decimal(1), "gbs_wan": WAN, "egress_gb": Decimal(1),
                  "storage_traffic_gb": Decimal(1), "cdn_origin_gb": Decimal(1)}
QUOTA_UNIT = {"calls_wan": "万 calls", "gbs_wan": "万 GB·s", "capacity_gb": "GB", "egress_gb": "GB",
              "storage_traffic_gb": "GB", "cdn_origin_gb": "GB"}
BASE_UNIT = {**QUOTA_UNIT, "calls_wan": "calls", "gbs_wan": "GB·s"}
FLOW_METRICS = ("calls_wan", "gbs_wan", "egress_gb", "storage_traffic_gb", "cdn_origin_gb")  # cumulate over the cycle
STOCK_METRICS = ("capacity_gb",)  # held, priced per day

# ---------------------------------------------------------------------------------- policies
CALLS_PER_DAY = policy(
    "cloudbase.pricelist.calls_per_day",
    "What does the '/天' in the calls overage price 0.5 元/万次/天 mean?",
    {"settled-daily": "each 10,000 calls beyond the quota are paid once, on the bill of the day they were made",
     "standing-daily": "every day, each 10,000 calls by which the cycle's count stands above the quota cost 0.5 again"},
    "settled-daily", "CB-PL-CALLS-PER-DAY")

CAPACITY_QUOTA = policy(
    "cloudbase.pricelist.capacity_quota",
    "Capacity is quoted in GB/月 but its overage is priced per GB per day: what is the quota?",
    {"ceiling": "a ceiling on the GB held at any time: each day, the GB above it cost 0.1",
     "gb-day-allowance": "a monthly allowance of quota × cycle-days GB·days: only GB·days beyond it cost 0.1 each"},
    "ceiling", "CB-PL-CAPACITY-UNIT")

PREMIUM_QPS = policy(
    "cloudbase.pricelist.premium_qps",
    "What QPS does the 企业高级版 have (quota table: 单独定制)?",
    {"custom": "negotiated per customer: no figure, a lookup is refused",
     "enterprise-floor": "assume at least the enterprise plan's figure"},
    "custom", "CB-PL-PREMIUM-QPS")

FREE_OVERAGE = policy(
    "cloudbase.pricelist.free_env_overage",
    "May a free environment pay as you go beyond its (personal) quotas?",
    {"payg-allowed": "yes, like the 新购 trial: only resource packs are refused (不支持资源额外加购)",
     "refused": "no: nothing beyond the quota can be bought, the excess is refused"},
    "payg-allowed", "CB-PL-FREE-OVERAGE")


# ---------------------------------------------------------------------------------- helpers
whole = integral  # an exact count without a spurious decimal (2000.0 -> 2000); see pricing.money.integral




def check_plan(plan: object, allow_free: bool = False) -> str:
    allowed = PLANS + ((FREE,) if allow_free else ())
    if plan not in allowed:
        raise InputError("plan", plan, " | ".join(allowed))
    return plan


def check_metric(metric: object, billed_only: bool = False) -> str:
    allowed = tuple(BILLED_METRICS) if billed_only else METRICS
    if metric not in allowed:
        raise InputError("metric", metric, " | ".join(allowed) + ("" if not billed_only else
                                                                 " (domains and qps have no overage price)"))
    return metric


def quota_plan(cat: Catalog, plan: str) -> str:
    """The plan whose quotas an environment has: the free environment has the personal plan's."""
    return cat.value("cloudbase.pricelist.free_env.quota_plan") if plan == FREE else plan


def plan_price(cat: Catalog, plan: object) -> Decimal:
    """Monthly list price of a plan. 企业高级版 has none (联系我们): pricing it is refused."""
    check_plan(plan)
    if plan == "enterprise_premium":
        raise RuleError("plan", "enterprise_premium (企业高级版) has no list price: the guide says 联系我们 "
                                "(contact sales); choose personal, standard or enterprise")
    return cat.dec(f"cloudbase.plan.{plan}.price")


def quota(cat: Catalog, plan: object, metric: object, policies: dict | None = None) -> Decimal:
    """A plan's quota of one metric, in the quota table's unit (calls_wan in 万 calls, gbs_wan in 万 GB·s)."""
    plan = check_plan(plan, allow_free=True)
    metric = check_metric(metric)
    row = next(r for r in cat.value("cloudbase.quotas") if r["metric"] == metric)
    raw = row[quota_plan(cat, plan)]
    if raw == "custom":
        if choose(policies, PREMIUM_QPS) == "enterprise-floor":
            return nonneg(row["enterprise"], "quota")
        raise RuleError(f"quota[{plan}][{metric}]", "单独定制: set per customer, no figure in the guide "
                                                    "(policy cloudbase.pricelist.premium_qps = enterprise-floor assumes the enterprise figure)")
    return nonneg(raw, "quota")


def overage_price(cat: Catalog, metric: str) -> tuple[Decimal, Decimal]:
    """(price, per) of one metric's overage; price × quantity / per, quantity in the price's unit."""
    e = cat.entry(f"cloudbase.pricelist.overage.{check_metric(metric, billed_only=True)}")
    return e.value, e.per or Decimal(1)


def overage_fee(cat: Catalog, metric: str, excess: Decimal) -> Decimal:
    """Fee for ``excess`` (in the quota's unit) of one metric, unrounded."""
    price, per = overage_price(cat, metric)
    return excess * BILLED_METRICS[metric] * price / per


def quantities(raw: object, field: str, allowed=tuple(BILLED_METRICS)) -> dict[str, Decimal]:
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


# ---------------------------------------------------------------------------------- packs
PACK_WINDOW = policy(
    "cloudbase.pricelist.pack_window",
    "When does a 30-natural-day extension pack lapse?",
    {"natural-days": "it covers the purchase day and the 29 days after it, whole days (lapses at 00:00 of day 31)",
     "30x24h": "30 × 24 hours from the moment of purchase",
     "calendar-month": "one calendar month from the moment of purchase, as the console listing in 资源包退费说明 shows"},
    "natural-days", "CB-PL-PACK-30D")


@dataclass(frozen=True)
class PackRow:
    pack: str
    zh: str
    metric: str
    amount: Decimal
    unit: str
    price: Decimal


def pack_row(cat: Catalog, pack: object) -> PackRow:
    rows = cat.value("cloudbase.pricelist.packs")
    for r in rows:
        if r["pack"] == pack:
            return PackRow(r["pack"], r["zh"], r["metric"], nonneg(r["amount"], "amount"), r["unit"],
                           nonneg(r["price"], "price"))
    raise InputError("pack", pack, " | ".join(r["pack"] for r in rows))


def pack_window(cat: Catalog, bought: object, policies: dict | None = None) -> tuple[Window, str]:
    reading = choose(policies, PACK_WINDOW)
    t = as_datetime(bought, "bought")
    days = cat.duration("cloudbase.pricelist.pack.validity").days
    if reading == "natural-days":
        start = datetime.combine(t.date(), time())
        return Window(start, start + timedelta(days=days)), reading
    if reading == "30x24h":
        return Window(t, t + timedelta(days=days)), reading
    return Window(t, add_months(t, 1)), reading


def pack_pool(cat: Catalog, spec: dict, policies: dict | None = None, index: int = 0) -> Pool:
    """A held extension pack as a drawdown pool (priority 1, after the plan quota).
    ``spec``: pack id, bought (date), used (in the pack's own unit, default 0). Call packs are
    drawn in 万 calls; capacity packs raise the capacity ceiling while valid."""
    if not isinstance(spec, dict) or "pack" not in spec or "bought" not in spec:
        raise InputError(f"packs[{index}]", spec, "a table with pack, bought and optionally used")
    row = pack_row(cat, spec["pack"])
    used = nonneg(spec.get("used", "0"), f"packs[{index}].used")
    if used > row.amount:
        raise InputError(f"packs[{index}].used", spec.get("used"), f"at most the pack's {row.amount} {row.unit}")
    if row.metric == "capacity_gb" and used:
        raise InputError(f"packs[{index}].used", spec.get("used"), "0: a capacity pack is a ceiling, not used up")
    left = row.amount - used
    if row.metric == "calls_wan":
        left = left / WAN
    w, _ = pack_window(cat, spec["bought"], policies)
    return make_pool(f"{row.pack}#{index + 1}", "resource-pack", row.metric, left, 1, w, source=f"扩展资源包 {row.zh}")


def pack_pools(cat: Catalog, plan: str, raw: object, policies: dict | None = None) -> list[Pool]:
    if raw in (None, "", []):
        return []
    if plan == FREE:
        raise RuleError("packs", "a free environment cannot buy extension packs (免费环境不支持资源额外加购)")
    if not isinstance(raw, list):
        raise InputError("packs", raw, "a list of tables {pack, bought, used}")
    return [pack_pool(cat, p, policies, i) for i, p in enumerate(raw)]


def plan_pool(metric: str, remaining: Decimal, plan: str) -> Pool:
    return make_pool(f"plan-quota:{plan}", "plan-quota", metric, remaining, 0, source="套餐配额")


def ledger_steps(res: Result, ledger, unit: str) -> None:
    for ln in ledger.lines:
        res.step(f"{ledger.metric}: {ln.pool} covers", ln.covered, f"{unit}; {ln.before} → {ln.after} left")
    for sk in ledger.skipped:
        res.step(f"{ledger.metric}: {sk.pool} skipped", "0", sk.reason)


# ---------------------------------------------------------------------------------- overage: one day
def day_overage(cat: Catalog, plan: object, day: object, before: object = None, today: object = None,
                keep_serving: bool = True, packs: object = None, policies: dict | None = None) -> Result:
    """One day's overage bill of an environment.

    ``before``: the cycle's usage of each flow metric before this day; ``today``: this day's usage
    of each flow metric, and the GB held (capacity_gb). Quantities in the quota table's units.
    Each metric is drawn through the plan quota left, then held packs, and the rest is paid as you
    go (if keep serving is on) at the overage price, settled the next day."""
    plan = check_plan(plan, allow_free=True)
    d = as_date(day, "day")
    at = datetime.combine(d, time())
    bef = quantities(before, "before", FLOW_METRICS)
    tod = quantities(today, "today")
    calls_reading = choose(policies, CALLS_PER_DAY)
    if choose(policies, CAPACITY_QUOTA) != "ceiling":
        raise RuleError("policies", "the gb-day-allowance reading needs the whole cycle: use calc cloudbase.pricelist.capacity_cycle")
    free_reading = choose(policies, FREE_OVERAGE)
    pools = pack_pools(cat, plan, packs, policies)
    res = Result({}, policies={CALLS_PER_DAY.name: calls_reading, PACK_WINDOW.name: choose(policies, PACK_WINDOW)})
    if plan == FREE:
        res.policies[FREE_OVERAGE.name] = free_reading
        res.step("free environment", f"quotas of the {quota_plan(cat, plan)} plan")
        if free_reading == "refused":
            keep_serving = False
    res.step("keep serving beyond quota (超限不停服)", "on" if keep_serving else "off",
             "the excess is paid as you go" if keep_serving else "the excess is refused, nothing is billed")
    total, fees, refused = ZERO, {}, {}
    held = {p.id: p for p in pools}
    for m in BILLED_METRICS:
        q = quota(cat, plan, m, policies)
        use = tod.get(m, ZERO)
        if m in STOCK_METRICS:
            left_q = q
            if not use:
                continue
            res.step(f"{m}: held today / quota", f"{use} / {q}", "GB; a ceiling, priced per GB per day")
        else:
            b = bef.get(m, ZERO)
            left_q = max(ZERO, q - b)
            if not use and not (m == "calls_wan" and calls_reading == "standing-daily" and b > q):
                continue
            res.step(f"{m}: used before today / quota / quota left", f"{b} / {q} / {left_q}")
        mine = [p for p in held.values() if m in p.metrics]
        led = drawdown(m, use, at, [plan_pool(m, left_q, plan), *mine])
        ledger_steps(res, led, QUOTA_UNIT[m])
        if m not in STOCK_METRICS:  # a capacity pack is a ceiling: it is not used up
            held.update({p.id: p for p in led.pools_after if p.id in held})
        excess = led.uncovered
        if m == "calls_wan" and calls_reading == "standing-daily":
            pack_used_before = sum((nonneg(p.get("used", "0"), "used") / WAN for p in (packs or [])
                                    if pack_row(cat, p["pack"]).metric == "calls_wan"), ZERO)
            standing = max(ZERO, bef.get(m, ZERO) - q - pack_used_before)
            res.step("calls_wan: excess standing from earlier days (standing-daily reading)", standing, "万 calls")
            excess += standing
        if not keep_serving:
            if excess:
                refused[m] = excess
                res.step(f"{m}: refused (not served)", excess)
            continue
        fee = overage_fee(cat, m, excess) if excess else ZERO
        price, per = overage_price(cat, m)
        if excess:
            base = excess * BILLED_METRICS[m]
            how = (f"{whole(base)} {BASE_UNIT[m]} × {price}" + (f" / {per}" if per != 1 else "")
                   + (f" ({excess} 万 × 10000)" if BILLED_METRICS[m] != 1 else ""))
            res.step(f"{m}: pay as you go", fee, how)
        fees[m] = fee
        total += fee
    res.outputs["packs_after"] = tuple(held.values())
    billed = BILLED(total)
    settle = cat.duration("cloudbase.pricelist.overage.settle_after")
    res.step("day's overage, rounded to the fen", billed)
    res.step("settled on", d + settle)
    res.outputs.update({f"fee_{m}": v for m, v in fees.items()})
    res.outputs.update({f"refused_{m}": v for m, v in refused.items()})
    res.outputs.update(total=billed, unrounded=total, settled_on=d + settle)
    return res


@calc("cloudbase.pricelist.overage_day")
def _overage_day(cat, inputs, policies):
    return day_overage(cat, inputs.get("plan"), inputs.get("day", "2025-06-01"), inputs.get("before"),
                       inputs.get("today"), flag(inputs, "keep_serving", True), inputs.get("packs"), policies)


@calc("cloudbase.pricelist.capacity_cycle")
def _capacity_cycle(cat, inputs, policies):
    """Capacity over a billing cycle: ``daily_gb`` lists the GB held on each day of the cycle."""
    plan = check_plan(inputs.get("plan"), allow_free=True)
    days = inputs.get("daily_gb")
    if not isinstance(days, list) or not days:
        raise InputError("daily_gb", days, "a non-empty list of the GB held on each day of the cycle")
    held = [nonneg(v, f"daily_gb[{i}]") for i, v in enumerate(days)]
    q = quota(cat, plan, "capacity_gb")
    price = cat.dec("cloudbase.pricelist.overage.capacity_gb")
    reading = choose(policies, CAPACITY_QUOTA)
    res = Result({}, policies={CAPACITY_QUOTA.name: reading})
    res.step("cycle days / quota", f"{len(held)} / {q} GB")
    used_gb_days = sum(held, ZERO)
    res.step("GB·days held", used_gb_days)
    if reading == "ceiling":
        over = sum((max(ZERO, h - q) for h in held), ZERO)
        res.step("GB·days above the ceiling (each day: max(0, held − quota))", over)
    else:
        allowance = q * len(held)
        over = max(ZERO, used_gb_days - allowance)
        res.step("allowance = quota × cycle days", allowance, "GB·days")
        res.step("GB·days beyond the allowance", over)
    fee = over * price
    res.step("fee = GB·days × price", fee, f"{over} × {price}")
    res.outputs.update(gb_days_over=over, fee=BILLED(fee))
    return res


# ---------------------------------------------------------------------------------- plan, quota, prices
@calc("cloudbase.pricelist.plan_price")
def _plan_price(cat, inputs, policies):
    plan = inputs.get("plan")
    months = positive(inputs.get("months", "1"), "months")
    price = plan_price(cat, plan)
    res = Result({})
    res.step(f"{plan} monthly price", price, "CNY/month")
    res.step("months", months)
    res.outputs.update(price=price, fee=BILLED(price * months))
    return res


@calc("cloudbase.pricelist.quota")
def _quota(cat, inputs, policies):
    plan, metric = inputs.get("plan"), inputs.get("metric")
    q = quota(cat, plan, metric, policies)
    row = next(r for r in cat.value("cloudbase.quotas") if r["metric"] == metric)
    res = Result({}, policies={PREMIUM_QPS.name: choose(policies, PREMIUM_QPS)} if plan == "enterprise_premium" else {})
    res.step(f"{plan}: {row['zh']} ({metric})", q, row["unit"])
    base = q * BILLED_METRICS.get(metric, Decimal(1))
    if metric in ("calls_wan", "gbs_wan"):
        res.step("in base units (× 10,000)", base, "calls" if metric == "calls_wan" else "GB·s")
    res.outputs.update(quota=q, base=base)
    return res


PRICE_ITEMS = ("overage.calls_wan", "overage.capacity_gb", "overage.gbs_wan", "overage.egress_gb",
               "overage.storage_traffic_gb", "overage.cdn_origin_gb", "other.static_capacity", "other.static_traffic",
               "other.idle_concurrency", "other.log.index_storage", "other.log.log_storage", "other.log.index_traffic",
               "other.log.write_traffic", "other.log.requests", "other.log.partitions", "other.hosting.cpu",
               "other.hosting.memory")


@calc("cloudbase.pricelist.price_item")
def _price_item(cat, inputs, policies):
    """Price a quantity of one pay-as-you-go item (overage or other resources). ``quantity`` is in
    the item's own unit (calls for calls, reads for log reads, GB, GB·s, core-hours …); items priced
    per day take ``days`` (default 1)."""
    item = inputs.get("item")
    if item not in PRICE_ITEMS:
        raise InputError("item", item, " | ".join(PRICE_ITEMS))
    e = cat.entry(f"cloudbase.pricelist.{item}")
    q = parse_count(inputs.get("quantity", "1"), "quantity")
    days = positive(inputs.get("days", "1"), "days")
    per = e.per or Decimal(1)
    daily = any(s in e.unit for s in ("per day", "/日", "/天"))
    fee = e.value * q / per * (days if daily else 1)
    res = Result({})
    res.step(f"{e.zh}", e.value, e.unit)
    res.step("quantity", q, f"per {per}" if per != 1 else "")
    if daily and days != 1:
        res.step("days", days)
    res.step("fee", fee, f"{e.value} × {q}" + (f" / {per}" if per != 1 else "") + (f" × {days}" if daily and days != 1 else ""))
    res.outputs.update(fee=fee, billed=BILLED(fee), price=e.value)
    return res


@calc("cloudbase.pricelist.hosting")
def _hosting(cat, inputs, policies):
    """Cloud hosting / functions 2.0: cores × instances × hours, memory GB × instances × hours."""
    cores = nonneg(inputs.get("cores", "0"), "cores")
    mem = nonneg(inputs.get("memory_gb", "0"), "memory_gb")
    n = nonneg(inputs.get("instances", "1"), "instances")
    hours = nonneg(inputs.get("hours", "1"), "hours")
    cpu_p, mem_p = cat.dec("cloudbase.pricelist.other.hosting.cpu"), cat.dec("cloudbase.pricelist.other.hosting.memory")
    core_h, gb_h = cores * n * hours, mem * n * hours
    res = Result({})
    res.step("core-hours = cores × instances × hours", core_h, f"{cores} × {n} × {hours}")
    res.step("GB-hours = memory GB × instances × hours", gb_h, f"{mem} × {n} × {hours}")
    cpu_fee, mem_fee = core_h * cpu_p, gb_h * mem_p
    res.step("CPU fee", cpu_fee, f"{core_h} × {cpu_p}")
    res.step("memory fee", mem_fee, f"{gb_h} × {mem_p}")
    res.outputs.update(core_hours=core_h, gb_hours=gb_h, cpu_fee=cpu_fee, memory_fee=mem_fee,
                       fee=BILLED(cpu_fee + mem_fee))
    return res


@calc("cloudbase.pricelist.pack_price")
def _pack_price(cat, inputs, policies):
    row = pack_row(cat, inputs.get("pack"))
    n = positive(inputs.get("count", "1"), "count")
    res = Result({})
    res.step(f"{row.zh} ({row.pack})", row.price, f"CNY per pack of {row.amount} {row.unit}")
    res.step("packs", n)
    res.outputs.update(price=row.price, fee=row.price * n, amount=row.amount * n)
    return res


@calc("cloudbase.pricelist.pack_window")
def _pack_window(cat, inputs, policies):
    w, reading = pack_window(cat, inputs.get("bought"), policies)
    res = Result({}, policies={PACK_WINDOW.name: reading})
    res.step("bought", as_datetime(inputs.get("bought"), "bought"))
    res.step("covers from", w.start)
    res.step("last second covered", w.last_second)
    res.step("lapses at", w.end)
    span = w.end - w.start
    res.outputs.update(start=w.start, last_second=w.last_second, lapses_at=w.end, last_day=w.last_second.date(),
                       days=Decimal(span.days) + Decimal(span.seconds) / 86400)
    return res


# ---------------------------------------------------------------------------------- promotion packs
PROMO_20T = policy(
    "cloudbase.pricelist.promo_20t",
    "The largest function promotion pack is named 预置并发内存 20T but its contents say 25TB: how much memory?",
    {"contents-25tb": "25 TB, as its contents and the 预留资源 section (预置并发内存25TB) say",
     "name-20tb": "20 TB, as its name says"},
    "contents-25tb", "CB-PL-PROMO-20T")

PROMO_DAY = policy(
    "cloudbase.pricelist.promo_day",
    "A promotion pack takes effect on the day it is bought: what does one bought day cover?",
    {"calendar-day": "the purchase day is the first day: a 1-day pack bought at 20:00 ends at 23:59:59 the same day",
     "24h": "24 hours per day bought, from the moment of purchase"},
    "calendar-day", "CB-PL-PROMO-DAY")


def promo_row(cat: Catalog, pack: object) -> dict:
    """A promotion pack: its name as 价格文档 prints it, with contents and price (CNY per day)
    taken from the 预留资源 entries (which print the price in 万元)."""
    rows = cat.value("cloudbase.pricelist.promo_packs")
    for r in rows:
        if r["pack"] == pack:
            table = "function_packages" if pack.startswith("fn_") else "database_packages"
            contents = next(c for c in cat.value(f"cloudbase.reserved.{table}") if c["package"] == pack)
            price = whole(cat.dec(f"cloudbase.reserved.price.{pack}") * WAN)
            return {**contents, **r, "price": price}
    raise InputError("pack", pack, " | ".join(r["pack"] for r in rows))


def promo_memory_tb(cat: Catalog, row: dict, policies: dict | None = None) -> Decimal:
    """Provisioned memory of a function pack in TB (1 TB = 1024 GB): its contents, or its name under 'name-20tb'."""
    if "memory" not in row:
        raise InputError("pack", row["pack"], "a function pack (预置并发内存 …): database packs hold no memory")
    if choose(policies, PROMO_20T) == "name-20tb" and row["name_memory_tb"]:
        return nonneg(row["name_memory_tb"], "name_memory_tb")
    return convert_size(row["memory"], row["memory_unit"], "TB")


@calc("cloudbase.pricelist.promo_cost")
def _promo_cost(cat, inputs, policies):
    """A promotion pack bought for ``days`` whole days (at least 1), from ``bought``."""
    row = promo_row(cat, inputs.get("pack"))
    days = Decimal(whole_number(inputs.get("days", "1"), "days", 1,
                                "a whole number of days >= 1 (promotion packs are bought per day)"))
    price = row["price"]
    reading = choose(policies, PROMO_DAY)
    res = Result({}, policies={PROMO_DAY.name: reading})
    res.step(f"{row['name']} ({row['group']})", price, f"CNY per day (预留资源: {row['price'] / WAN} 万元)")
    res.step("days bought", days)
    fee = price * days
    res.step("fee = price × days", fee)
    res.outputs.update(price=price, fee=fee, env_qps=nonneg(row["env_qps"], "env_qps"))
    if inputs.get("bought"):
        t = as_datetime(inputs["bought"], "bought")
        n = int(days)
        end = (datetime.combine(t.date(), time()) + timedelta(days=n)) if reading == "calendar-day" else t + timedelta(days=n)
        res.step("effective from", t, "the day of purchase (当天生效)")
        res.step("last second covered", end - timedelta(seconds=1))
        res.outputs.update(start=t, last_second=end - timedelta(seconds=1),
                           hours_covered=Decimal(int((end - t).total_seconds())) / 3600)
    return res


@calc("cloudbase.pricelist.promo_rate")
def _promo_rate(cat, inputs, policies):
    """A function promotion pack's price per TB of provisioned memory per day."""
    row = promo_row(cat, inputs.get("pack"))
    tb = promo_memory_tb(cat, row, policies)
    price = row["price"]
    reading = choose(policies, PROMO_20T)
    res = Result({}, policies={PROMO_20T.name: reading})
    res.step(f"{row['name']}: memory", tb, "TB, " + ("from the pack's name" if reading == "name-20tb" else
                                                     f"from its contents ({row['memory']} {row['memory_unit']})"))
    res.step("price", price, "CNY per day")
    rate = price / tb
    res.step("price per TB per day", rate)
    res.outputs.update(memory_tb=tb, per_tb_day=rate)
    return res


# ---------------------------------------------------------------------------------- free environment
FREE_TERM = policy(
    "cloudbase.pricelist.free_env_term",
    "How long is a new user's free environment free?",
    {"campaign": "免费体验活动: until the mini program is released, then to the 15th day after release",
     "one-month-trial": "套餐操作 › 新购: one month from creation"},
    "campaign", "CB-PL-FREE-VS-TRIAL")

FREE_DAY15 = policy(
    "cloudbase.pricelist.free_env_day15",
    "Which date is 'the 15th day after release' (上线后的第15天)?",
    {"release-plus-15": "the day after release is day 1: release date + 15 days",
     "release-is-day-1": "the release day is day 1: release date + 14 days"},
    "release-plus-15", "CB-PL-FREE-DAY15")


@calc("cloudbase.pricelist.free_env_dates")
def _free_env_dates(cat, inputs, policies):
    """Expiry, isolation and deletion of a free environment created on ``created`` whose mini program
    is released on ``released`` (empty: not yet released), if the developer does not pay."""
    created = as_date(inputs.get("created"), "created")
    first = cat.value("cloudbase.pricelist.free_env.from").date()
    last = cat.value("cloudbase.pricelist.free_env.campaign_end").date()
    if created < first:
        raise InputError("created", str(created), f"a day on or after {first}, when these free-environment rules start")
    if created > last:
        raise RuleError("created", f"{created} is after the campaign's last day {last} (unless the campaign is extended)")
    term = choose(policies, FREE_TERM)
    res = Result({}, policies={FREE_TERM.name: term})
    res.step("created", created)
    if term == "one-month-trial":
        expires = add_months(created, cat.duration("cloudbase.plan_ops.trial").months).date()
        res.step("expires = created + one month (新购 trial)", expires)
    else:
        reading = choose(policies, FREE_DAY15)
        res.policies[FREE_DAY15.name] = reading
        if not inputs.get("released"):
            res.step("not released", "free while in development", "no expiry yet")
            res.outputs.update(expires="not yet: free until release", isolated_from="—", deleted_on="—")
            return res
        released = as_date(inputs["released"], "released")
        if released < created:
            raise InputError("released", str(released), f"a day on or after created ({created})")
        n = int(cat.dec("cloudbase.pricelist.free_env.after_release"))
        expires = released + timedelta(days=n if reading == "release-plus-15" else n - 1)
        res.step("released", released)
        res.step(f"expires on day {n} after release", expires,
                 "release + 15 days" if reading == "release-plus-15" else "release day counted as day 1: release + 14 days")
    gap = cat.duration("cloudbase.pricelist.free_env.delete_after")
    deleted = expires + gap
    res.step("isolated from (if not paid)", expires)
    res.step("deleted on (isolation + 15 days)", deleted)
    res.outputs.update(expires=expires, isolated_from=expires, deleted_on=deleted, free_days=Decimal((expires - created).days))
    return res


@calc("cloudbase.pricelist.free_env_eligible")
def _free_env_eligible(cat, inputs, policies):
    """May this account create a free environment on ``on``? ``environments``: how many it has now;
    ``last_cancelled``: when its last environment was cancelled (empty: never had one)."""
    on = as_date(inputs.get("on"), "on")
    n = nonneg(inputs.get("environments", "0"), "environments")
    first = cat.value("cloudbase.pricelist.free_env.from").date()
    last = cat.value("cloudbase.pricelist.free_env.campaign_end").date()
    gap = cat.duration("cloudbase.pricelist.free_env.cancel_gap")
    res = Result({})
    reason = "eligible"
    if on < first:
        reason = f"before {first}: these rules do not apply yet"
    elif on > last:
        reason = f"after {last}: the campaign has ended (unless extended)"
    elif n > 0:
        reason = "the account still has an environment"
    elif inputs.get("last_cancelled"):
        c = as_date(inputs["last_cancelled"], "last_cancelled")
        if c > on:
            raise InputError("last_cancelled", str(c), f"a day on or before on ({on})")
        from_day = (add_months(c, gap.months) + timedelta(days=1)).date()
        res.step("last environment cancelled", c)
        res.step("more than one month later: from", from_day)
        if on < from_day:
            reason = f"cancelled on {c}: not more than one month ago (eligible from {from_day})"
    res.step("campaign window", f"{first} → {last}")
    res.step("environments held", n)
    res.step("result", reason)
    res.outputs.update(eligible=(reason == "eligible"), reason=reason)
    return res


# ---------------------------------------------------------------------------------- tokens
PLAN_TOKENS = policy(
    "cloudbase.pricelist.plan_tokens",
    "How do the plans' 免费 token 额度 10万 and the one-off 100万 gift add up?",
    {"once-plus-gift": "the plan's 100,000 free tokens are granted once, on top of the gift",
     "per-cycle-plus-gift": "the plan's 100,000 are granted every billing cycle, on top of the gift",
     "misprint-of-gift": "the table's 10万 stands for the gift itself (100万 misprinted): only the gift"},
    "once-plus-gift", "CB-PL-TOKENS")


def token_gift(cat: Catalog, created: object) -> tuple[Decimal, date | None, date | None, str]:
    """(tokens, first day, lapse day, rule) of an environment's token gift, by its creation day."""
    c = as_date(created, "created")
    start = cat.value("cloudbase.pricelist.tokens.gift_start").date()
    end = cat.value("cloudbase.pricelist.tokens.campaign_end").date()
    gift = cat.dec("cloudbase.pricelist.tokens.gift")
    if c < start:
        return gift, start, cat.value("cloudbase.pricelist.tokens.gift_first_end").date(), f"created before {start}"
    if c <= end:
        months = cat.duration("cloudbase.pricelist.tokens.gift_validity").months
        return gift, c, add_months(c, months).date(), f"created {start} … {end}: from creation, {months} months"
    return ZERO, None, None, f"created after {end}: the gift campaign is over"


@calc("cloudbase.pricelist.token_gift")
def _token_gift(cat, inputs, policies):
    tokens, s, e, rule = token_gift(cat, inputs.get("created"))
    res = Result({})
    res.step("rule", rule)
    res.step("tokens", tokens)
    res.step("valid from", s or "—")
    res.step("lapses on", e or "—")
    if s and e:
        res.step("check: lapse = start + 6 months", add_months(s, cat.duration("cloudbase.pricelist.tokens.gift_validity").months).date() == e)
    res.outputs.update(tokens=tokens, starts=s or "no gift", lapses=e or "no gift", has_gift=bool(tokens))
    return res


@calc("cloudbase.pricelist.token_allowance")
def _token_allowance(cat, inputs, policies):
    """Free tokens an environment receives over its first ``cycles`` billing cycles (gift + plan)."""
    check_plan(inputs.get("plan", "personal"))
    cycles = Decimal(whole_number(inputs.get("cycles", "1"), "cycles", 1, "a whole number of billing cycles >= 1"))
    gift, s, e, rule = token_gift(cat, inputs.get("created"))
    per_plan = cat.dec("cloudbase.pricelist.tokens.plan_free")
    reading = choose(policies, PLAN_TOKENS)
    plan_part = {"once-plus-gift": per_plan, "per-cycle-plus-gift": per_plan * cycles, "misprint-of-gift": ZERO}[reading]
    res = Result({}, policies={PLAN_TOKENS.name: reading})
    res.step("gift", gift, rule)
    res.step("plan's free tokens", plan_part, {"once-plus-gift": "100,000 once",
                                               "per-cycle-plus-gift": f"100,000 × {cycles} cycles",
                                               "misprint-of-gift": "none beyond the gift"}[reading])
    res.step("total", gift + plan_part)
    res.outputs.update(total=gift + plan_part, gift=gift, plan_part=plan_part)
    return res


# ---------------------------------------------------------------------------------- packs vs pay-as-you-go
SAVING_SCOPE = policy(
    "cloudbase.pricelist.saving_scope",
    "Which packs does 'buying packs saves up to 50%' speak of?",
    {"call-packs": "the call packs (the 1亿 pack saves exactly 50%)",
     "all-packs": "every extension pack, capacity and SMS packs included"},
    "call-packs", "CB-PL-PACK-SAVING")


def pack_saving(cat: Catalog, pack: str) -> tuple[Decimal, Decimal, str]:
    """(pay-as-you-go cost of the pack's full contents, saving share, how) for one extension pack.
    Calls: at the overage price; SMS: as 2000 calls each; capacity: the GB held above the quota
    for the pack's 30 days at the per-day capacity price."""
    row = pack_row(cat, pack)
    if row.metric == "calls_wan":
        payg = overage_fee(cat, "calls_wan", row.amount / WAN)
        how = f"{row.amount} calls × 0.5 / 10,000"
    elif row.metric == "sms":
        calls = row.amount * cat.dec("cloudbase.pricelist.calls.per_sms")
        payg = overage_fee(cat, "calls_wan", calls / WAN)
        how = f"{row.amount} SMS × 2000 calls = {calls} calls × 0.5 / 10,000"
    else:
        days = cat.duration("cloudbase.pricelist.pack.validity").days
        payg = row.amount * cat.dec("cloudbase.pricelist.overage.capacity_gb") * days
        how = f"{row.amount} GB × 0.1 × {days} days"
    return payg, 1 - row.price / payg, how


@calc("cloudbase.pricelist.pack_saving")
def _pack_saving(cat, inputs, policies):
    row = pack_row(cat, inputs.get("pack"))
    payg, saving, how = pack_saving(cat, row.pack)
    res = Result({})
    res.step("pay-as-you-go cost of the contents", payg, how)
    res.step("pack price", row.price)
    res.step("saving = 1 − price / pay-as-you-go", saving)
    res.outputs.update(payg=whole(payg), price=row.price, saving=saving, saving_pct=whole(saving * 100))
    return res


@calc("cloudbase.pricelist.max_saving")
def _max_saving(cat, inputs, policies):
    scope = choose(policies, SAVING_SCOPE)
    res = Result({}, policies={SAVING_SCOPE.name: scope})
    best, best_pack = None, ""
    for r in cat.value("cloudbase.pricelist.packs"):
        if scope == "call-packs" and r["metric"] != "calls_wan":
            continue
        payg, saving, how = pack_saving(cat, r["pack"])
        res.step(f"{r['zh']}: saving", (saving * 100), f"% — {r['price']} vs {payg} ({how})")
        if best is None or saving > best:
            best, best_pack = saving, r["pack"]
    claim = cat.dec("cloudbase.pack_refunds.max_saving")
    res.step("largest saving", best * 100, f"% ({best_pack}); the guide claims at most {claim * 100}%")
    res.outputs.update(max_saving_pct=whole(best * 100), pack=best_pack, within_claim=best <= claim)
    return res


# ---------------------------------------------------------------------------------- which plan is cheaper
def month_cost(cat: Catalog, plan: str, usage: dict[str, Decimal], days: int = 30) -> tuple[Decimal, list[tuple[str, Decimal, Decimal]]]:
    """Plan price + overage of one cycle with the given monthly usage (capacity held all cycle),
    under the default readings. Returns (cost, [(metric, excess, fee)])."""
    cost, lines = plan_price(cat, plan), []
    for m, u in usage.items():
        q = quota(cat, plan, m)
        excess = max(ZERO, u - q)
        fee = overage_fee(cat, m, excess) * (days if m in STOCK_METRICS else 1)
        lines.append((m, excess, fee))
        cost += fee
    return cost, lines


@calc("cloudbase.pricelist.cheapest_plan")
def _cheapest_plan(cat, inputs, policies):
    """Each listed plan's cost for one cycle of the given usage, and the cheapest (企业高级版 has no price)."""
    usage = quantities(inputs.get("usage"), "usage")
    days = int(positive(inputs.get("days", "30"), "days"))
    res = Result({})
    costs = {}
    for p in PLANS[:3]:
        cost, lines = month_cost(cat, p, usage, days)
        detail = "; ".join(f"{m} +{e} → {fee}" for m, e, fee in lines if e)
        res.step(f"{p}: price + overage", cost, detail or "within quota")
        costs[p] = cost
    best = min(costs, key=lambda p: (costs[p], PLANS.index(p)))
    res.step("cheapest", best, "enterprise_premium has no list price (联系我们) and is left out")
    res.outputs.update({f"cost_{p}": BILLED(c) for p, c in costs.items()})
    res.outputs.update(cheapest=best, cost=BILLED(costs[best]))
    return res


def breakeven_calls(cat: Catalog, low: str, high: str) -> Decimal | None:
    """The monthly calls (万) at which the higher plan starts to cost no more than the lower one,
    looking at calls alone (None: never)."""
    pl, ph = plan_price(cat, low), plan_price(cat, high)
    ql, qh = quota(cat, low, "calls_wan"), quota(cat, high, "calls_wan")
    price, per = overage_price(cat, "calls_wan")
    p = price * WAN / per  # CNY per 万 calls
    c = ql + (ph - pl) / p
    # beyond the higher plan's quota both pay the same price per call, so the lines never meet there
    return c if c <= qh else None


@calc("cloudbase.pricelist.breakeven_calls")
def _breakeven(cat, inputs, policies):
    low, high = check_plan(inputs.get("low")), check_plan(inputs.get("high"))
    c = breakeven_calls(cat, low, high)
    res = Result({})
    res.step(f"{low} → {high}", "quota_low + (price_high − price_low) / 0.5",
             "the lower plan's overage catches up with the price difference")
    res.step("break-even calls", c if c is not None else "never", "万 calls per month")
    res.outputs.update(calls_wan=c if c is not None else "never")
    return res
