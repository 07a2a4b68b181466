"""预留资源 · Reserved resources (promotion packages, 大促套餐).

For traffic peaks an environment can reserve capacity by the day: **function packages** raise the
provisioned-concurrency memory (预置并发内存), the per-function instance cap, the account's
scale-out speed and the environment QPS; **database packages** raise concurrent and online
connections and the environment QPS. Packages are prepaid per whole day (at least one), can be
bought alone or together, renewed and upgraded (升配) but not downgraded (降配), and refunded for
their remaining time floored to whole days.

While a package is valid, the pay-as-you-go items it replaces are not billed: idle provisioned
concurrency (预置并发闲置量) for functions, reads and writes for databases. After it expires
they are billed again, idle concurrency at the idle price per GBs.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, WHOLE_DAYS_DOWN, ZERO, D, integral, nonneg
from pricing.engine.periods import Window, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import WAN, convert_size
from pricing.engine.inputs import whole_number

REFUND = policy(
    "cloudbase.reserved.refund",
    "What does a refund of a reserved-resource package return?",
    {"remaining-whole-days": "the remaining validity floored to whole days, priced at what was paid per day "
                             "(操作指南 4: 1 day 21 hours left → 1 day refunded)",
     "amount-paid": "the amount actually paid for the purchase, less discounts and vouchers (购买说明 3: 按购买实付金额退还)"},
    "remaining-whole-days", "CB-RES-REFUND")

PRICE_UNIT = policy(
    "cloudbase.reserved.price_unit",
    "The section's price column is headed 万元 with no time unit: a price per day, or per package bought?",
    {"per-day": "万元 per day, as 价格文档 › 大促资源包 prices the same packages in 元/天 and 购买说明 1 bills by the day",
     "per-purchase": "万元 once per package, whatever the number of days"},
    "per-day", "CB-RES-PRICE-UNIT")

COMBINE = policy(
    "cloudbase.reserved.combine",
    "Packages 'can be combined' (可组合购买): across kinds only, or can packages of one kind be stacked?",
    {"one-per-kind": "at most one function and one database package at a time; more capacity means an upgrade (升配)",
     "stack": "packages of one kind add up (two 500 GB packages reserve 1,000 GB)"},
    "one-per-kind", "CB-RES-COMBINE")

WINDOW = policy(
    "cloudbase.reserved.window",
    "What is a 'day' of a package: 24 hours from the purchase, or a calendar day?",
    {"from-start": "N days = N × 24 hours from the moment the package takes effect",
     "calendar-days": "the day of purchase is day 1 (大促资源包购买后当天生效); the package ends at 23:59:59 of day N"},
    "from-start", "CB-RES-WINDOW")

SIZE_BASE = policy(
    "cloudbase.reserved.size_base",
    "Is a package's GB/TB of memory 1024-based or 1000-based?",
    {"1024": "1 TB = 1024 GB, 1 GB = 1024 MB (the project's declared data factor)",
     "1000": "1 TB = 1000 GB, 1 GB = 1000 MB"},
    "1024", "CB-RES-SIZE-BASE")

INSTANCE_RATE = policy(
    "cloudbase.reserved.instance_rate",
    "What does one provisioned instance cost per day?",
    {"idle-price": "memory (GB) × 86,400 s × the idle price per GBs (价格文档 › 其他资源: 0.00005471 元/GBs)",
     "screen-per-day": "the provisioning screen's 0.0001 元 per 256 MB instance per day, taken at its word",
     "screen-per-gbs": "the screen's 0.0001 read as a price per GBs, billed for every second of the day"},
    "idle-price", "CB-RES-INSTANCE-DAY")

# The idle price belongs to 价格文档 › 其他资源 (常驻云函数); this section only points to it.
IDLE_PRICE = "cloudbase.pricelist.other.idle_concurrency"
ENV_QPS = policy(
    "cloudbase.reserved.env_qps",
    "A function package and a database package each state an environment QPS: which applies when both are held?",
    {"largest": "the environment's QPS ceiling is the larger of the two figures",
     "sum": "the two figures add up"},
    "largest", "CB-RES-ENV-QPS")

KINDS = {"function": "cloudbase.reserved.function_packages", "database": "cloudbase.reserved.database_packages"}
SECONDS_PER_DAY = Decimal(86400)


# ------------------------------------------------------------------ packages and prices
def packages(cat: Catalog) -> dict[str, dict]:
    out = {}
    for kind, tid in KINDS.items():
        for row in cat.value(tid):
            out[row["package"]] = dict(row, kind=kind)
    return out


def package(cat: Catalog, pid: str) -> dict:
    ps = packages(cat)
    if pid not in ps:
        raise InputError("package", pid, ", ".join(f"{k} ({v['zh']})" for k, v in ps.items()))
    return ps[pid]


def price_wan(cat: Catalog, pid: str) -> Decimal:
    package(cat, pid)
    return cat.dec(f"cloudbase.reserved.price.{pid}")


def clean(d: Decimal) -> Decimal:
    """The same value without spurious trailing zeros (0.24 × 10,000 = 2400, not 2400.00)."""
    return integral(d) if d == d.to_integral_value() else d.normalize()


def daily_yuan(cat: Catalog, pid: str) -> Decimal:
    """The package's price in 元 per day: the section's 万元 figure × 10,000."""
    return clean(price_wan(cat, pid) * WAN)


def memory_mb(cat: Catalog, pid: str, policies: dict | None = None) -> Decimal:
    row = package(cat, pid)
    if row["kind"] != "function":
        raise InputError("package", pid, "a function package (fn_...) to have provisioned memory")
    factor = D(choose(policies, SIZE_BASE))
    return clean(convert_size(row["memory"], row["memory_unit"], "MB", factor))


def package_list(value: object) -> list[str]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    raise InputError("packages", value, "a package id or a list of package ids")


def whole_days(value: object, field: str = "days") -> int:
    return whole_number(value, field, 0, "a whole number of days (packages are sold by the day)")


@calc("cloudbase.reserved.daily_price")
def _daily_price(cat, inputs, policies):
    pid = inputs["package"]
    row = package(cat, pid)
    wan = price_wan(cat, pid)
    res = Result({})
    res.step(f"{row['zh']}: price in this section", wan, "万元")
    y = daily_yuan(cat, pid)
    res.step("in 元 per day (× 10,000)", y, "as 价格文档 › 大促资源包 prints it")
    res.outputs.update(yuan_per_day=y, wan=wan)
    return res


# ------------------------------------------------------------------ what a set of packages gives
def combination(cat: Catalog, pids: list[str], policies: dict | None = None) -> Result:
    """Quotas and daily price of a set of packages held together; ``allowed`` says whether the set is permitted."""
    reading = choose(policies, COMBINE)
    qps_reading = choose(policies, ENV_QPS)
    res = Result({}, policies={COMBINE.name: reading, SIZE_BASE.name: choose(policies, SIZE_BASE), ENV_QPS.name: qps_reading})
    rows = [package(cat, p) for p in pids]
    by_kind: dict[str, list[dict]] = {"function": [], "database": []}
    for r in rows:
        by_kind[r["kind"]].append(r)
    allowed, reason = True, ""
    if reading == "one-per-kind":
        for kind, rs in by_kind.items():
            if len(rs) > 1:
                allowed = False
                reason = (f"{len(rs)} {kind} packages ({', '.join(r['package'] for r in rs)}); one per kind at a time, "
                          "a larger one is an upgrade (升配)")
    daily = sum((daily_yuan(cat, r["package"]) for r in rows), ZERO)
    fn = by_kind["function"]
    if fn:
        mem = sum((memory_mb(cat, r["package"], policies) for r in fn), ZERO)
        res.step("provisioned memory", mem, " + ".join(f"{r['memory']} {r['memory_unit']}" for r in fn) + " in MB")
        caps = max(D(r["max_instances"]) for r in fn)
        speed = max(D(r["scale_out_per_min"]) for r in fn)
    else:
        per = cat.dec("cloudbase.reserved.default.instance_memory_mb")
        n = cat.dec("cloudbase.reserved.default.instances")
        mem = per * n
        res.step("provisioned memory, no function package", mem, f"system quota {per} MB × {n}")
        caps = cat.dec("cloudbase.reserved.default.max_instances_per_function")
        speed = cat.dec("cloudbase.reserved.default.scale_out_per_min")
    res.step("max concurrent instances per function", caps, "package" if fn else "default")
    res.step("account scale-out speed", speed, "instances/min, " + ("package" if fn else "default"))
    db = by_kind["database"]
    conns = sum((D(r["connections"]) for r in db), ZERO)
    online = sum((D(r["online"]) for r in db), ZERO)
    if db:
        res.step("database concurrent connections", conns)
        res.step("database online connections", online)
    qpss = [D(r["env_qps"]) for r in rows]
    qps = None
    if qpss:
        qps = max(qpss) if qps_reading == "largest" else sum(qpss, ZERO)
        res.step("environment QPS", qps, "the package's figure" if len(qpss) == 1 else
                 f"{ENV_QPS.choices[qps_reading]}: " + ", ".join(str(q) for q in qpss))
    res.step("daily price", daily, "元/天, sum of the packages")
    res.step("allowed", allowed, reason or f"reading '{reading}'")
    res.outputs.update(allowed=allowed, reason=reason, provisioned_memory_mb=mem, max_instances=caps,
                       scale_out_per_min=speed, db_connections=conns, db_online=online, daily_price=daily,
                       instances_256mb=clean(mem / cat.dec("cloudbase.reserved.default.instance_memory_mb")))
    if qps is not None:
        res.outputs["env_qps"] = qps
    return res


@calc("cloudbase.reserved.quotas")
def _quotas(cat, inputs, policies):
    return combination(cat, package_list(inputs.get("packages")), policies)


# ------------------------------------------------------------------ buying
def window(bought_at: object, days: int, policies: dict | None = None) -> Window:
    s = as_datetime(bought_at, "bought_at")
    if choose(policies, WINDOW) == "calendar-days":
        return Window(s, datetime.combine(s.date(), time()) + timedelta(days=days))
    return Window(s, s + timedelta(days=days))


def purchase(cat: Catalog, pids: list[str], days: object, bought_at: object, needed_at: object = None,
             voucher: object = "0", policies: dict | None = None) -> Result:
    if not pids:
        raise InputError("packages", pids, "at least one package id")
    n = whole_days(days)
    least = int(cat.dec("cloudbase.reserved.min_days"))
    if n < least:
        raise InputError("days", days, f"a whole number of days >= {least}")
    combo = combination(cat, pids, policies)
    if not combo["allowed"]:
        raise RuleError("packages", combo["reason"])
    unit = choose(policies, PRICE_UNIT)
    s = as_datetime(bought_at, "bought_at")
    lead = cat.duration("cloudbase.reserved.lead_time")
    ready = s + lead
    res = Result({}, policies={**combo.policies, PRICE_UNIT.name: unit, WINDOW.name: choose(policies, WINDOW)})
    res.steps.extend(combo.steps)
    if needed_at is not None:
        need = as_datetime(needed_at, "needed_at")
        if need < ready:
            raise RuleError("needed_at", f"{need} is less than {lead.hours} hours after the purchase at {s}; "
                                         f"buy by {need - lead} at the latest")
        res.step("needed at", need, f"bought {need - s} ahead (at least {lead.hours} h required)")
    w = window(s, n, policies)
    res.step("valid", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.last_second:%Y-%m-%d %H:%M:%S}", WINDOW.choices[choose(policies, WINDOW)])
    total = ZERO
    for p in pids:
        d = daily_yuan(cat, p)
        amt = d * n if unit == "per-day" else d
        res.step(f"{p}: {price_wan(cat, p)} 万元" + (f" × {n} days" if unit == "per-day" else " once"), amt)
        total += amt
    v = nonneg(voucher, "voucher")
    if v > total:
        raise InputError("voucher", voucher, f"at most the list amount {total}")
    paid = total - v
    if v:
        res.step("vouchers / discounts", -v)
    res.step("paid", BILLED(paid))
    res.outputs.update(list_amount=total, paid=BILLED(paid), days=n, start=w.start, end=w.end,
                       last_second=w.last_second, ready_at=ready)
    return res


@calc("cloudbase.reserved.purchase")
def _purchase(cat, inputs, policies):
    return purchase(cat, package_list(inputs.get("packages", inputs.get("package"))), inputs["days"],
                    inputs["bought_at"], inputs.get("needed_at"), inputs.get("voucher", "0"), policies)


# ------------------------------------------------------------------ refund
def refund(cat: Catalog, pids: list[str], days: object, bought_at: object, at: object, voucher: object = "0",
           policies: dict | None = None) -> Result:
    bought = purchase(cat, pids, days, bought_at, None, voucher, policies)
    reading = choose(policies, REFUND)
    asked = as_datetime(at, "at")
    start, end, n = bought["start"], bought["end"], bought["days"]
    if asked < start:
        raise InputError("at", str(asked), f"a moment at or after the purchase ({start})")
    if asked >= end:
        raise RuleError("at", f"the package expired at {end}; nothing is left to refund")
    res = Result({}, policies={**bought.policies, REFUND.name: reading})
    res.step("bought", f"{n} days, {', '.join(pids)}", f"list {bought['list_amount']}, paid {bought['paid']}")
    res.step("valid until", end)
    left = end - asked
    left_days = D(int(left.total_seconds())) / SECONDS_PER_DAY
    res.step("remaining", f"{left.days} d {left.seconds // 3600} h {left.seconds % 3600 // 60} min",
             f"{left_days.quantize(D('0.0001'))} days")
    floored = WHOLE_DAYS_DOWN(left_days)
    res.step("remaining, floored to whole days", floored, "whole days only: the part of a day is kept")
    paid = bought["paid"]
    if reading == "remaining-whole-days":
        amount = BILLED(paid * floored / D(n))
        res.step("refund = whole days × paid / days bought", amount, f"{floored} × {paid} / {n}")
    else:
        amount = paid
        res.step("refund = amount actually paid", amount, cat.value("cloudbase.reserved.not_refunded"))
    res.outputs.update(refund=amount, refunded_days=floored, remaining_days=left_days, paid=paid)
    return res


@calc("cloudbase.reserved.refund")
def _refund(cat, inputs, policies):
    return refund(cat, package_list(inputs.get("packages", inputs.get("package"))), inputs["days"], inputs["bought_at"],
                  inputs["at"], inputs.get("voucher", "0"), policies)


# ------------------------------------------------------------------ renew / upgrade / downgrade
def change(cat: Catalog, current: str, target: str) -> str:
    """Classify a change of package: 'renew' (same package), 'upgrade'; a downgrade is refused."""
    a, b = package(cat, current), package(cat, target)
    if a["kind"] != b["kind"]:
        raise InputError("target", target, f"a {a['kind']} package (a {b['kind']} package is bought alongside, not changed to)")
    allowed = {r["change"]: r["allowed"] == "yes" for r in cat.value("cloudbase.reserved.changes")}
    pa, pb = price_wan(cat, current), price_wan(cat, target)
    kind = "renew" if current == target else ("upgrade" if pb > pa else "downgrade")
    if not allowed[kind]:
        raise RuleError("target", f"{current} → {target} is a downgrade (降配), which reserved packages do not allow")
    return kind


# ------------------------------------------------------------------ provisioned concurrency: cost per day
def instance_day_cost(cat: Catalog, memory: object, instances: object = 1, days: object = 1,
                      policies: dict | None = None) -> Result:
    reading = choose(policies, INSTANCE_RATE)
    mb = nonneg(memory, "memory_mb")
    n = nonneg(instances, "instances")
    d = nonneg(days, "days")
    gb = convert_size(mb, "MB", "GB")
    res = Result({}, policies={INSTANCE_RATE.name: reading})
    res.step("instance memory", gb, f"GB ({mb} MB / 1024)")
    if reading == "idle-price":
        price = cat.dec(IDLE_PRICE)
        per = gb * SECONDS_PER_DAY * price
        res.step("one instance, one day", per, f"{gb} GB × 86,400 s × {price} 元/GBs")
    elif reading == "screen-per-gbs":
        price = cat.dec("cloudbase.reserved.screen.instance_day_cost")
        per = gb * SECONDS_PER_DAY * price
        res.step("one instance, one day", per, f"{gb} GB × 86,400 s × {price} read as 元/GBs")
    else:
        per = cat.dec("cloudbase.reserved.screen.instance_day_cost") * gb / D("0.25")
        res.step("one instance, one day", per, "the screen's 0.0001 元 per 256 MB instance, scaled by memory")
    total = per * n * d
    res.step("total = per instance-day × instances × days", total, f"{n} instances × {d} days")
    res.outputs.update(per_instance_day=per, total=total, billed=BILLED(total))
    return res


@calc("cloudbase.reserved.provisioned_cost")
def _provisioned_cost(cat, inputs, policies):
    return instance_day_cost(cat, inputs.get("memory_mb", "256"), inputs.get("instances", "1"), inputs.get("days", "1"), policies)


@calc("cloudbase.reserved.instances_for_budget")
def _instances_for_budget(cat, inputs, policies):
    """How many instances a daily amount pays for (used to read the screen's stray '10')."""
    r = instance_day_cost(cat, inputs.get("memory_mb", "256"), "1", "1", policies)
    amount = nonneg(inputs["daily_amount"], "daily_amount")
    n = amount / r["per_instance_day"]
    res = Result({}, r.steps, r.policies)
    res.step("instances = daily amount / cost of one instance-day", n, f"{amount} / {r['per_instance_day']}")
    cap = cat.dec("cloudbase.reserved.default.instances")
    res.step("within the default quota of instances", n <= cap, f"{cap} instances of 256 MB")
    res.outputs.update(instances=n, within_quota=n <= cap)
    return res


# ------------------------------------------------------------------ after expiry
def idle_charge(cat: Catalog, memory: object, instances: object, seconds: object, at: object,
                package_window: Window | None) -> Result:
    """Idle provisioned concurrency for ``seconds`` at ``at``: nothing while a function package is valid,
    pay-as-you-go at the idle price otherwise."""
    moment = as_datetime(at, "at")
    gbs = clean(convert_size(nonneg(memory, "memory_mb"), "MB", "GB") * nonneg(instances, "instances") * nonneg(seconds, "seconds"))
    res = Result({})
    res.step("idle volume", gbs, "GBs = GB × instances × seconds")
    if package_window is not None and package_window.contains(moment):
        res.step("inside the package's validity", "not pushed", "a valid function package replaces pay-as-you-go")
        fee = ZERO
    else:
        price = cat.dec(IDLE_PRICE)
        fee = gbs * price
        res.step("no valid package: pay-as-you-go", fee, f"{gbs} GBs × {price} 元/GBs")
    res.outputs.update(gbs=gbs, fee=fee, billed=BILLED(fee))
    return res


@calc("cloudbase.reserved.idle_charge")
def _idle_charge(cat, inputs, policies):
    w = None
    if "bought_at" in inputs:
        w = window(inputs["bought_at"], whole_days(inputs["days"]), policies)
    return idle_charge(cat, inputs.get("memory_mb", "256"), inputs.get("instances", "1"), inputs["seconds"], inputs["at"], w)
