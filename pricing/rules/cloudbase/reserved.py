"""预留资源 · Reserved resources (promotion packages, 大促套餐).

For traffic peaks an environment can reserve capacity by the day: **function packages** raise the
provisioned-concurrency memory (预置并发内存), the per-function instance cap, the account's
scale-out speed and the environment QPS; **database packages** raise concurrent and online
connections and the environment QPS. Packages are prepaid per whole day (at least
``cloudbase.reserved.min_days``), can be bought alone or together, renewed and upgraded (升配) but
not downgraded (降配), and refunded for their remaining time floored to whole days.

While a package is valid, the pay-as-you-go items it replaces are not billed: idle provisioned
concurrency (预置并发闲置量) for functions, reads and writes for databases. After it expires
they are billed again, idle concurrency at the idle price per GBs.

Prices over time: a purchase is an order priced at its order instant (``bought_at``) for all the
days it buys, and its refund returns what that order paid, under the terms in force when it was
bought. Idle concurrency is usage: each stretch of idle seconds is priced at its own instant, and
a stretch that crosses a change of the idle price (or the package's expiry) is split there. The
package kinds, the packages and their quotas are dated tables; a package not on sale at the order
instant is refused with the packages on sale then.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc, choice, money, moment, number, text, whole
from pricing.engine.money import BILLED, WHOLE_DAYS_DOWN, ZERO, D, integral, nonneg
from pricing.engine.periods import Window, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import WAN, convert_size
from pricing.rules.conventions import DATA_BASE, convert as convert_data
from pricing.engine.inputs import whole_number

REFUND = policy(
    "cloudbase.reserved.refund",
    "What does a refund of a reserved-resource package return?",
    {"remaining-whole-days": "the remaining validity floored to whole days, priced at what was paid per day "
                             "(操作指南 4: a part day left is not refunded)",
     "amount-paid": "the amount actually paid for the purchase, less discounts and vouchers (购买说明 3: 按购买实付金额退还)"},
    "remaining-whole-days", "CB-RES-REFUND")

COMBINE = policy(
    "cloudbase.reserved.combine",
    "Packages 'can be combined' (可组合购买): across kinds only, or can packages of one kind be stacked?",
    {"one-per-kind": "at most one function and one database package at a time; more capacity means an upgrade (升配)",
     "stack": "packages of one kind add up (two equal function packages reserve twice the memory)"},
    "one-per-kind", "CB-RES-COMBINE")

WINDOW = policy(
    "cloudbase.reserved.window",
    "What does one bought day of a reserved-resource or promotion package cover: 24 hours from the purchase, or "
    "the calendar day of purchase?",
    {"from-start": "N days = N × 24 hours from the moment the package takes effect (全天预留: a whole day reserved)",
     "calendar-days": "the day of purchase is day 1 (大促资源包: 当天生效); the package ends at 23:59:59 of day N"},
    "from-start", "CB-RES-WINDOW")

INSTANCE_RATE = policy(
    "cloudbase.reserved.instance_rate",
    "What does one provisioned instance cost per day?",
    {"idle-price": "memory (GB) × 86,400 s × the idle price per GBs (价格文档 › 其他资源, cloudbase.pricelist.other.idle_concurrency)",
     "screen-per-day": "the provisioning screen's daily cost of one instance (cloudbase.reserved.screen.*), taken at its word",
     "screen-per-gbs": "the screen's figure read as a price per GBs, billed for every second of the day"},
    "idle-price", "CB-RES-INSTANCE-DAY")

# The idle price belongs to 价格文档 › 其他资源 (常驻云函数); this section only points to it.
IDLE_PRICE = "cloudbase.pricelist.other.idle_concurrency"

KINDS = "cloudbase.reserved.kinds"
SECONDS_PER_DAY = Decimal(86400)  # a unit conversion: 24 × 3600


def _seconds(td: timedelta) -> int:
    """Whole seconds of a span, exactly (no float)."""
    return td.days * 86400 + td.seconds


def _span_text(td: timedelta) -> str:
    """A fixed-length span as text: '2 h', '1 d 21 h 30 min'."""
    s = _seconds(td)
    parts = [(s // 86400, "d"), (s % 86400 // 3600, "h"), (s % 3600 // 60, "min"), (s % 60, "s")]
    return " ".join(f"{n} {u}" for n, u in parts if n) or "0 s"


# ------------------------------------------------------------------ packages and prices
def kinds(cat: CatalogView) -> tuple[dict, ...]:
    """The package kinds in force at ``cat.moment`` (function, database), each naming its table."""
    return cat.rows(KINDS)


def packages(cat: CatalogView) -> dict[str, dict]:
    """Every package on sale at ``cat.moment``, by id, with its kind."""
    out = {}
    for k in kinds(cat):
        for row in cat.rows(k["packages"]):
            out[row["package"]] = dict(row, kind=k["kind"])
    return out


def package_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(packages(cat))


def package(cat: CatalogView, pid: str, field: str = "package") -> dict:
    ps = packages(cat)
    if pid not in ps:
        raise InputError(field, pid, f"a package on sale on {cat.moment:%Y-%m-%d}: "
                         + ", ".join(f"{k} ({v['zh']})" for k, v in ps.items()))
    return ps[pid]


def price_wan(cat: CatalogView, pid: str) -> Decimal:
    package(cat, pid)
    return cat.dec(f"cloudbase.reserved.price.{pid}")


def clean(d: Decimal) -> Decimal:
    """The same value without spurious trailing zeros (0.24 × 10,000 = 2400, not 2400.00)."""
    return integral(d) if d == d.to_integral_value() else d.normalize()


def daily_yuan(cat: CatalogView, pid: str) -> Decimal:
    """The package's price in 元 per day: the section's 万元 figure × 10,000."""
    return clean(price_wan(cat, pid) * WAN)


def memory_mb(cat: CatalogView, pid: str, policies: dict | None = None) -> Decimal:
    """The provisioned memory a package reserves, in MB (packages of a kind without memory are refused)."""
    row = package(cat, pid)
    if "memory" not in row:
        raise InputError("package", pid, "a package that reserves provisioned memory: "
                         + ", ".join(k for k, v in packages(cat).items() if "memory" in v))
    return clean(convert_data(row["memory"], row["memory_unit"], "MB", policies))


def package_list(value: object, cat: CatalogView | None = None) -> list[str]:
    """Package ids from a comma-separated text or a list; with ``cat``, each must be on sale then."""
    if value is None or value == "" or value == []:
        out = []
    elif isinstance(value, str):
        out = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, (list, tuple)):
        out = [str(v) for v in value]
    else:
        raise InputError("packages", value, "a package id or a list of package ids")
    if cat is not None:
        for p in out:
            package(cat, p, "packages")
    return out


def whole_days(value: object, field: str = "days") -> int:
    return whole_number(value, field, 0, "a whole number of days (packages are sold by the day)")


def _pids(cat: CatalogView, inputs: dict) -> list[str]:
    one, many = inputs.get("package"), inputs.get("packages")
    if one and many:
        raise InputError("packages", many, "either package or packages, not both")
    return package_list(many if many else one, cat)


AT = moment("at", None, "the moment asked about (default: the as-of date)")
PACKAGE = choice("package", package_ids, None, "a package on sale at the moment")
PACKAGES = text("packages", None, "several packages held together, comma-separated (e.g. fn_2_5tb,db_1w)")


@calc("cloudbase.reserved.daily_price", "A package's price in 万元 as this section prints it, and in 元 per day",
      [choice("package", package_ids, help="a package on sale at the moment"), AT], moment="at")
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
def combination(cat: CatalogView, pids: list[str], policies: dict | None = None) -> Result:
    """Quotas and daily price of a set of packages held together at ``cat.moment``; ``allowed`` says
    whether the set is permitted. Packages with memory raise the function quotas, packages with
    connections the database ones; without a memory package the defaults in force apply."""
    reading = choose(policies, COMBINE)
    res = Result({}, policies={COMBINE.name: reading, DATA_BASE.name: choose(policies, DATA_BASE)})
    rows = [package(cat, p) for p in pids]
    by_kind: dict[str, list[dict]] = {k["kind"]: [] for k in kinds(cat)}
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
    fn = [r for r in rows if "memory" in r]
    per = cat.dec("cloudbase.reserved.default.instance_memory_mb")
    if fn:
        mem = sum((memory_mb(cat, r["package"], policies) for r in fn), ZERO)
        res.step("provisioned memory", mem, " + ".join(f"{r['memory']} {r['memory_unit']}" for r in fn) + " in MB")
        caps = max(D(r["max_instances"]) for r in fn)
        speed = max(D(r["scale_out_per_min"]) for r in fn)
    else:
        n = cat.dec("cloudbase.reserved.default.instances")
        mem = per * n
        res.step("provisioned memory, no function package", mem, f"system quota {per} MB × {n}")
        caps = cat.dec("cloudbase.reserved.default.max_instances_per_function")
        speed = cat.dec("cloudbase.reserved.default.scale_out_per_min")
    res.step("max concurrent instances per function", caps, "package" if fn else "default")
    res.step("account scale-out speed", speed, "instances/min, " + ("package" if fn else "default"))
    db = [r for r in rows if "connections" in r]
    conns = sum((D(r["connections"]) for r in db), ZERO)
    online = sum((D(r["online"]) for r in db), ZERO)
    if db:
        res.step("database concurrent connections", conns)
        res.step("database online connections", online)
    qpss = [D(r["env_qps"]) for r in rows]
    qps = None
    if qpss:
        qps = max(qpss)  # each package states the environment QPS it gives: the environment has the largest
        res.step("environment QPS", qps, "the package's figure" if len(qpss) == 1 else
                 "the largest of the packages' figures: " + ", ".join(str(q) for q in qpss))
    res.step("daily price", daily, "元/天, sum of the packages")
    res.step("allowed", allowed, reason or f"reading '{reading}'")
    res.outputs.update(allowed=allowed, reason=reason, provisioned_memory_mb=mem, max_instances=caps,
                       scale_out_per_min=speed, db_connections=conns, db_online=online, daily_price=daily,
                       instances_256mb=clean(mem / per))
    if qps is not None:
        res.outputs["env_qps"] = qps
    return res


@calc("cloudbase.reserved.quotas", "Quotas and daily price of the packages held together (none: the defaults)",
      [PACKAGES, AT], moment="at", policies=[COMBINE, DATA_BASE])
def _quotas(cat, inputs, policies):
    return combination(cat, package_list(inputs["packages"], cat), policies)


# ------------------------------------------------------------------ buying
def window(bought_at: object, days: int, policies: dict | None = None) -> Window:
    s = as_datetime(bought_at, "bought_at")
    if choose(policies, WINDOW) == "calendar-days":
        return Window(s, datetime.combine(s.date(), time()) + timedelta(days=days))
    return Window(s, s + timedelta(days=days))


def purchase(cat: CatalogView, pids: list[str], days: object, bought_at: object, needed_at: object = None,
             voucher: object = "0", policies: dict | None = None) -> Result:
    """An order of ``pids`` for ``days`` whole days, priced at ``bought_at`` (the order instant) for
    every day it buys: a later price change does not reach an order placed before it."""
    s = as_datetime(bought_at, "bought_at")
    cat = cat.at(s)
    if not pids:
        raise InputError("packages", pids, "at least one package id")
    n = whole_days(days)
    least = cat.dec("cloudbase.reserved.min_days")
    if n < least:
        raise InputError("days", days, f"a whole number of days >= {least}")
    combo = combination(cat, pids, policies)
    if not combo["allowed"]:
        raise RuleError("packages", combo["reason"])
    lead = cat.timedelta("cloudbase.reserved.lead_time")
    ready = s + lead
    res = Result({}, policies={**combo.policies, WINDOW.name: choose(policies, WINDOW)})
    res.steps.extend(combo.steps)
    if needed_at is not None:
        need = as_datetime(needed_at, "needed_at")
        if need < ready:
            raise RuleError("needed_at", f"{need} is less than {_span_text(lead)} after the purchase at {s}; "
                                         f"buy by {need - lead} at the latest")
        res.step("needed at", need, f"bought {_span_text(need - s)} ahead (at least {_span_text(lead)} required)")
    w = window(s, n, policies)
    res.step("valid", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.last_second:%Y-%m-%d %H:%M:%S}", WINDOW.choices[choose(policies, WINDOW)])
    total = ZERO
    for p in pids:
        d = daily_yuan(cat, p)
        amt = d * n  # 万元 per day: 购买说明 bills by the day and 大促资源包 prints the same packages in 元/天
        res.step(f"{p}: {price_wan(cat, p)} 万元 × {n} days", amt,
                 f"price in force at the order, {s:%Y-%m-%d %H:%M:%S}")
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


ORDER_INPUTS = [PACKAGE, PACKAGES, whole("days", "days", help="whole days bought (at least the minimum in force)"),
                moment("bought_at", help="the order instant: the package starts then, priced by the prices in force then")]
VOUCHER = money("voucher", "0", "discounts and vouchers used on the order", minimum=0)


@calc("cloudbase.reserved.purchase", "A reserved-resource order: list amount, paid amount and validity",
      [*ORDER_INPUTS, moment("needed_at", None, "when the capacity is needed (checks the lead time)"), VOUCHER],
      moment="bought_at", policies=[COMBINE, DATA_BASE, WINDOW])
def _purchase(cat, inputs, policies):
    return purchase(cat, _pids(cat, inputs), inputs["days"], inputs["bought_at"], inputs["needed_at"],
                    inputs["voucher"], policies)


# ------------------------------------------------------------------ refund
def refund(cat: CatalogView, pids: list[str], days: object, bought_at: object, at: object, voucher: object = "0",
           policies: dict | None = None) -> Result:
    """The refund of an order, asked for at ``at``: what the order paid (priced at ``bought_at``),
    under the refund terms in force when it was bought."""
    bought = purchase(cat, pids, days, bought_at, None, voucher, policies)
    cat = cat.at(bought["start"])
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
    left_days = D(_seconds(left)) / SECONDS_PER_DAY
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


@calc("cloudbase.reserved.refund", "The refund of a reserved-resource order, floored to whole days left",
      [*ORDER_INPUTS, moment("at", help="when the refund is asked for"), VOUCHER],
      moment="bought_at", policies=[COMBINE, DATA_BASE, WINDOW, REFUND])
def _refund(cat, inputs, policies):
    return refund(cat, _pids(cat, inputs), inputs["days"], inputs["bought_at"], inputs["at"], inputs["voucher"], policies)


# ------------------------------------------------------------------ renew / upgrade / downgrade
def change(cat: CatalogView, current: str, target: str) -> str:
    """Classify a change of package at ``cat.moment``: 'renew' (same package), 'upgrade' (a dearer
    package of the same kind); a downgrade is refused when the table of changes forbids it."""
    a, b = package(cat, current, "current"), package(cat, target, "target")
    if a["kind"] != b["kind"]:
        raise InputError("target", target, f"a {a['kind']} package (a {b['kind']} package is bought alongside, not changed to)")
    allowed = {r["change"]: r["allowed"] == "yes" for r in cat.rows("cloudbase.reserved.changes")}
    pa, pb = price_wan(cat, current), price_wan(cat, target)
    kind = "renew" if current == target else ("upgrade" if pb > pa else "downgrade")
    if not allowed[kind]:
        raise RuleError("target", f"{current} → {target} is a downgrade (降配), which reserved packages do not allow")
    return kind


# ------------------------------------------------------------------ provisioned concurrency: cost per day
def _instance_day(cat: CatalogView, gb: Decimal, reading: str) -> tuple[Decimal, str]:
    """(cost of one instance of ``gb`` GB for one day, how) at ``cat.moment``."""
    if reading == "idle-price":
        price = cat.dec(IDLE_PRICE)
        return gb * SECONDS_PER_DAY * price, f"{gb} GB × 86,400 s × {price} 元/GBs"
    screen = cat.dec("cloudbase.reserved.screen.instance_day_cost")
    if reading == "screen-per-gbs":
        return gb * SECONDS_PER_DAY * screen, f"{gb} GB × 86,400 s × {screen} read as 元/GBs"
    mem = convert_size(cat.dec("cloudbase.reserved.screen.instance_memory_mb"), "MB", "GB")
    return screen * gb / mem, f"the screen's {screen} 元 per {mem} GB instance, scaled by memory"


RATE_IDS = {"idle-price": (IDLE_PRICE,),
            "screen-per-gbs": ("cloudbase.reserved.screen.instance_day_cost",),
            "screen-per-day": ("cloudbase.reserved.screen.instance_day_cost", "cloudbase.reserved.screen.instance_memory_mb")}


def instance_day_cost(cat: CatalogView, memory: object = None, instances: object = 1, days: object = 1,
                      policies: dict | None = None, start: object = None) -> Result:
    """Provisioned instances kept for ``days`` from ``start`` (default ``cat.moment``): each stretch is
    priced at the rate in force when it begins, the span split where that rate changes."""
    reading = choose(policies, INSTANCE_RATE)
    s = as_datetime(start, "start") if start not in (None, "") else cat.moment
    cat = cat.at(s)
    mb = nonneg(memory, "memory_mb") if memory not in (None, "") else cat.dec("cloudbase.reserved.screen.instance_memory_mb")
    n = nonneg(instances, "instances")
    d = nonneg(days, "days")
    gb = convert_data(mb, "MB", "GB", policies)
    res = Result({}, policies={INSTANCE_RATE.name: reading, DATA_BASE.name: choose(policies, DATA_BASE)})
    res.step("instance memory", gb, f"GB ({mb} MB; units.data_base: {res.policies[DATA_BASE.name]})")
    per, how = _instance_day(cat, gb, reading)
    res.step("one instance, one day", per, how)
    # split [s, s + d days) where the rate's entries change
    whole_s = int((d * SECONDS_PER_DAY).to_integral_value(rounding=ROUND_FLOOR))
    end = s + timedelta(seconds=whole_s)
    cuts = cat.changes(RATE_IDS[reading], s, end)
    total, left, a = ZERO, d, s
    for c in cuts:
        piece = D(_seconds(c - a)) / SECONDS_PER_DAY
        rate, _ = _instance_day(cat.at(a), gb, reading)
        total += rate * piece * n
        res.step(f"from {a:%Y-%m-%d %H:%M:%S}", rate * piece * n, f"{piece} days × {n} instances × {rate}")
        left, a = left - piece, c
    rate, _ = _instance_day(cat.at(a), gb, reading)
    total += rate * left * n
    label = "total = per instance-day × instances × days" if not cuts else f"from {a:%Y-%m-%d %H:%M:%S}"
    res.step(label, rate * left * n if cuts else total, f"{n} instances × {left} days × {rate}")
    if cuts:
        res.step("total", total, f"{len(cuts) + 1} stretches, split at each change of the rate")
    res.outputs.update(per_instance_day=per, total=total, billed=BILLED(total))
    return res


MEMORY = number("memory_mb", "MB", None, "memory of one instance (default: the provisioning screen's instance)", minimum=0)


@calc("cloudbase.reserved.provisioned_cost", "What provisioned instances cost, per instance-day and in all",
      [MEMORY, number("instances", "instances", "1", minimum=0), number("days", "days", "1", minimum=0),
       moment("start", None, "when the instances are provisioned (default: the as-of date)")],
      moment="start", policies=[INSTANCE_RATE, DATA_BASE])
def _provisioned_cost(cat, inputs, policies):
    return instance_day_cost(cat, inputs["memory_mb"], inputs["instances"], inputs["days"], policies, inputs["start"])


@calc("cloudbase.reserved.instances_for_budget", "How many instances a daily amount pays for",
      [MEMORY, money("daily_amount", help="an amount per day", minimum=0), AT], moment="at", policies=[INSTANCE_RATE])
def _instances_for_budget(cat, inputs, policies):
    """How many instances a daily amount pays for (used to read the screen's stray '10')."""
    r = instance_day_cost(cat, inputs["memory_mb"], "1", "1", policies)
    amount = inputs["daily_amount"]
    n = amount / r["per_instance_day"]
    res = Result({}, r.steps, r.policies)
    res.step("instances = daily amount / cost of one instance-day", n, f"{amount} / {r['per_instance_day']}")
    cap = cat.dec("cloudbase.reserved.default.instances")
    res.step("within the default quota of instances", n <= cap, f"{cap} instances")
    res.outputs.update(instances=n, within_quota=n <= cap)
    return res


# ------------------------------------------------------------------ after expiry
def idle_charge(cat: CatalogView, memory: object, instances: object, seconds: object, at: object,
                package_window: Window | None) -> Result:
    """Idle provisioned concurrency for ``seconds`` from ``at``: nothing while a function package is
    valid, pay-as-you-go at the idle price otherwise. The stretch is split where the package's validity
    starts or ends and where the idle price changes; each part is priced at its own start."""
    a = as_datetime(at, "at")
    secs = nonneg(seconds, "seconds")
    if secs != secs.to_integral_value():
        raise InputError("seconds", seconds, "a whole number of seconds")
    per_s = convert_size(nonneg(memory, "memory_mb"), "MB", "GB") * nonneg(instances, "instances")
    gbs = clean(per_s * secs)
    end = a + timedelta(seconds=int(secs))
    res = Result({})
    res.step("idle volume", gbs, "GBs = GB × instances × seconds")
    cuts = set(cat.changes([IDLE_PRICE], a, end))
    if package_window is not None:
        cuts |= {t for t in (package_window.start, package_window.end) if a < t < end}
    bounds = [a, *sorted(cuts), end]
    fee = ZERO
    for lo, hi in zip(bounds, bounds[1:]):
        part = clean(per_s * D(_seconds(hi - lo)))
        where = f"{lo:%Y-%m-%d %H:%M:%S} → {hi:%Y-%m-%d %H:%M:%S}"
        if package_window is not None and package_window.contains(lo):
            res.step(f"inside the package's validity, {where}", "not pushed", f"{part} GBs; a valid function package replaces pay-as-you-go")
        else:
            price = cat.at(lo).dec(IDLE_PRICE)
            fee += part * price
            res.step(f"no valid package: pay-as-you-go, {where}", part * price, f"{part} GBs × {price} 元/GBs")
    res.outputs.update(gbs=gbs, fee=fee, billed=BILLED(fee))
    return res


@calc("cloudbase.reserved.idle_charge", "Idle provisioned concurrency: free while a function package is valid, else billed",
      [MEMORY, number("instances", "instances", "1", minimum=0), number("seconds", "s", help="idle seconds", minimum=0),
       moment("at", help="when the idle stretch begins (usage instant)"),
       moment("bought_at", None, "when a function package was bought (optional)"),
       whole("days", "days", None, "the package's days (with bought_at)")],
      moment="at", policies=[WINDOW])
def _idle_charge(cat, inputs, policies):
    w = None
    if inputs["bought_at"] is not None:
        if inputs["days"] is None:
            raise InputError("days", None, "the package's whole days, with bought_at")
        w = window(inputs["bought_at"], inputs["days"], policies)
    mem = inputs["memory_mb"] if inputs["memory_mb"] is not None else cat.dec("cloudbase.reserved.screen.instance_memory_mb")
    res = idle_charge(cat, mem, inputs["instances"], inputs["seconds"], inputs["at"], w)
    if w is not None:
        res.policies[WINDOW.name] = choose(policies, WINDOW)
    return res
