"""微信云托管说明 · WeChat Cloud Hosting.

Cloud Hosting bills containers (CPU, memory, build time, public traffic), MySQL (compute in CCU
hours, storage), object storage (capacity, download and upload operations, CDN and CDN
origin-pull traffic) and static resource storage (capacity, traffic) at list prices (刊例价). The
first environment receives a free quota of each item except static storage, valid three months from
its creation; usage beyond the quota, and all usage after the three months, is billed at list price.

Units: a resource·hour is one unit of resource for one hour, or two units for half an hour;
1 resource·hour = 60 resource·minutes = 3600 resource·seconds. Object-storage operations are billed
in whole blocks of 10,000, a part block counting as a full one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal

from pricing.engine.catalog import Catalog
from pricing.engine.drawdown import Pool, drawdown, make_pool
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc
from pricing.engine.money import BILLED, ZERO, D, nonneg
from pricing.engine.periods import Window, add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import convert_size, parse_count

FREE_SCOPE = policy(
    "cloudbase.hosting.free_scope",
    "Is each free quota one allowance for the whole three months, or a monthly allowance for three months?",
    {"one-pool": "one allowance per item, usable any time in the three months (免费额度（有效期3个月）)",
     "per-month": "the allowance renews in each of the three months after creation"},
    "one-pool", "CB-HOST-FREE-SCOPE")

MEMORY_UNIT = policy(
    "cloudbase.hosting.memory_unit",
    "Memory is priced per GB·hour but measured in GiB·hours: is a GiB·hour billed as one GB·hour?",
    {"gib-as-gb": "one GiB·hour is billed as one GB·hour (the labels are loose; the numbers are the same)",
     "convert": "GiB·hours are converted to GB·hours at 1.073741824 (2^30 / 10^9) before the free quota and price"},
    "gib-as-gb", "CB-HOST-GIB")

CAPACITY_FREE = policy(
    "cloudbase.hosting.capacity_free",
    "The object-storage free capacity is '5GB' while capacity is priced per GB·day: 5 GB stored free, or 5 GB·days?",
    {"standing": "5 GB may be stored free on every day of the three months (5 GB·days per day)",
     "gb-days": "a single allowance of 5 GB·days"},
    "standing", "CB-HOST-STORAGE-UNITS")

OPS_ROUNDING = policy(
    "cloudbase.hosting.ops_rounding",
    "Over what does 'a part block of 10,000 counts as a full one' apply?",
    {"bill": "the operations billed on one bill are added up, then rounded up to whole 10,000s",
     "per-record": "each usage record (e.g. each day's count) is rounded up on its own"},
    "bill", "CB-HOST-OPS-PERIOD")

ROUNDING = policy(
    "cloudbase.hosting.rounding",
    "Where is a bill rounded to the fen?",
    {"bill-total": "once, on the bill's total",
     "per-item": "each item's fee, then the rounded fees are added"},
    "bill-total", "CB-HOST-ROUNDING")

MYSQL_SYSTEM = policy(
    "cloudbase.hosting.mysql_system",
    "Do the system tables' 28 MB come on top of business data, or only as a minimum?",
    {"on-top": "billed storage = business data + 28 MB of system tables",
     "floor": "billed storage = the larger of business data and 28 MB"},
    "on-top", "CB-HOST-MYSQL-MIN")

OPS_ITEMS = {"cos_download", "cos_upload"}
CAPACITY_ITEMS = {"cos_capacity", "static_capacity"}
GIB_TO_GB = Decimal(1024) ** 3 / Decimal(1000) ** 3


def items(cat: Catalog) -> dict[str, dict]:
    return {r["item"]: r for r in cat.value("cloudbase.hosting.items")}


def item(cat: Catalog, name: str) -> dict:
    its = items(cat)
    if name not in its:
        raise InputError("item", name, ", ".join(its))
    return its[name]


def price(cat: Catalog, name: str) -> tuple[Decimal, Decimal]:
    """(price, per): the fee of q units is q × price / per."""
    item(cat, name)
    e = cat.entry(f"cloudbase.hosting.price.{name}")
    return e.value, e.per or Decimal(1)


def free_quota(cat: Catalog, name: str) -> Decimal | None:
    if item(cat, name)["free"] != "yes":
        return None
    return cat.dec(f"cloudbase.hosting.free.{name}")


# ------------------------------------------------------------------ units
def per_hour(cat: Catalog, unit: str) -> Decimal:
    rows = {r["unit"]: r for r in cat.value("cloudbase.hosting.time_units")}
    if unit not in rows:
        raise InputError("unit", unit, " or ".join(rows))
    return D(rows[unit]["per_hour"])


def resource_hours(cat: Catalog, amount: object, duration: object, unit: str = "minute") -> Decimal:
    """Cores (or GiB) × running time, in resource·hours: 2 cores for 30 minutes = 1 core·hour."""
    return nonneg(amount, "amount") * nonneg(duration, "duration") / per_hour(cat, unit)


def convert(cat: Catalog, quantity: object, from_unit: str, to_unit: str) -> Decimal:
    """A resource·time quantity from one time unit to another (1 core·hour = 60 core·minutes = 3600 core·seconds)."""
    return nonneg(quantity, "quantity") * per_hour(cat, to_unit) / per_hour(cat, from_unit)


@calc("cloudbase.hosting.resource_hours")
def _resource_hours(cat, inputs, policies):
    unit = inputs.get("unit", "minute")
    rh = resource_hours(cat, inputs["amount"], inputs["duration"], unit)
    res = Result({})
    res.step("resource·hours = amount × duration / (units per hour)", rh,
             f"{inputs['amount']} × {inputs['duration']} {unit}s / {per_hour(cat, unit)}")
    res.outputs.update(resource_hours=rh)
    return res


@calc("cloudbase.hosting.convert")
def _convert(cat, inputs, policies):
    q = convert(cat, inputs["quantity"], inputs.get("from", "hour"), inputs["to"])
    res = Result({})
    res.step(f"{inputs['quantity']} resource·{inputs.get('from', 'hour')} in resource·{inputs['to']}s", q)
    res.outputs.update(value=q)
    return res


def ops_blocks(cat: Catalog, count: object) -> Decimal:
    block = cat.dec("cloudbase.hosting.ops_block")
    return (parse_count(count, "count") / block).to_integral_value(rounding=ROUND_CEILING)


@calc("cloudbase.hosting.ops_blocks")
def _ops_blocks(cat, inputs, policies):
    block = cat.dec("cloudbase.hosting.ops_block")
    n = ops_blocks(cat, inputs["count"])
    res = Result({})
    res.step("blocks = ⌈count / 10,000⌉", n, f"⌈{parse_count(inputs['count'])} / {block}⌉; a part block counts in full")
    res.outputs.update(blocks=n, billed_ops=n * block)
    return res


def mysql_storage_mb(cat: Catalog, data_mb: object, policies: dict | None = None) -> Decimal:
    data = nonneg(data_mb, "data_mb")
    system = cat.dec("cloudbase.hosting.mysql_system_mb")
    return data + system if choose(policies, MYSQL_SYSTEM) == "on-top" else max(data, system)


@calc("cloudbase.hosting.mysql_storage")
def _mysql_storage(cat, inputs, policies):
    reading = choose(policies, MYSQL_SYSTEM)
    mb = mysql_storage_mb(cat, inputs.get("data_mb", "0"), policies)
    hours = nonneg(inputs.get("hours", "1"), "hours")
    gbh = convert_size(mb, "MB", "GB") * hours
    res = Result({}, policies={MYSQL_SYSTEM.name: reading})
    res.step("billed storage", mb, f"MB; {MYSQL_SYSTEM.choices[reading]}")
    res.step("GB·hours = MB / 1024 × hours", gbh, f"{hours} hours")
    res.outputs.update(billed_mb=mb, gb_hours=gbh)
    return res


# ------------------------------------------------------------------ free quota window
def free_window(cat: Catalog, created: object) -> Window:
    """The first environment's free quota: from creation to creation + 3 months (from the anchor, clamped)."""
    c = as_datetime(created, "created")
    months = cat.duration("cloudbase.hosting.free_validity").months
    return Window(c, add_months(c, months))


@calc("cloudbase.hosting.free_window")
def _free_window(cat, inputs, policies):
    w = free_window(cat, inputs["created"])
    months = cat.duration("cloudbase.hosting.free_validity").months
    res = Result({})
    res.step("first environment created", w.start)
    res.step(f"free quota lapses = created + {months} months", w.end, "a day the month lacks becomes its last day")
    res.outputs.update(expires=w.end, last_second=w.last_second, months=D(months), days=D((w.end - w.start).days))
    return res


# ------------------------------------------------------------------ what generates usage
def usage_for(cat: Catalog, action: str) -> dict:
    rows = {r["action"]: r for r in cat.value("cloudbase.hosting.usage_rules")}
    if action not in rows:
        raise InputError("action", action, ", ".join(rows))
    r = rows[action]
    return {"items": r["item"].split(","), "generates": r["generates"] == "yes", "why": r["en"]}


@calc("cloudbase.hosting.usage_for")
def _usage_for(cat, inputs, policies):
    u = usage_for(cat, inputs["action"])
    res = Result({})
    res.step(inputs["action"], "generates " + ", ".join(u["items"]) if u["generates"] else "no usage of " + ", ".join(u["items"]), u["why"])
    res.outputs.update(generates=u["generates"], items=", ".join(u["items"]))
    return res


# ------------------------------------------------------------------ the bill
@dataclass(frozen=True)
class Usage:
    at: datetime
    item: str
    quantity: Decimal


RECORD = re.compile(r"\s*(\S+)\s+(\S+)\s+(\S+)(?:\s+x(\d+))?\s*")


def parse_usage(cat: Catalog, records) -> list[Usage]:
    """Records as text: 'YYYY-MM-DD[THH:MM] item quantity [xN]' (xN: the same quantity on N consecutive days)."""
    if isinstance(records, str):
        records = [records]
    out = []
    for i, text in enumerate(records):
        if isinstance(text, Usage):
            out.append(text)
            continue
        m = RECORD.fullmatch(str(text))
        if not m:
            raise InputError(f"usage[{i}]", text, "'YYYY-MM-DD item quantity', optionally followed by 'xN' for N daily records")
        at = as_datetime(m.group(1), f"usage[{i}].at")
        item(cat, m.group(2))
        q = parse_count(m.group(3), f"usage[{i}].quantity")
        for k in range(int(m.group(4) or 1)):
            out.append(Usage(at + timedelta(days=k), m.group(2), q))
    return out


def free_pools(cat: Catalog, created: object, policies: dict | None = None) -> list[Pool]:
    w = free_window(cat, created)
    scope = choose(policies, FREE_SCOPE)
    cap = choose(policies, CAPACITY_FREE)
    months = cat.duration("cloudbase.hosting.free_validity").months
    pools = []
    for name in items(cat):
        q = free_quota(cat, name)
        if q is None:
            continue
        if name in CAPACITY_ITEMS and cap == "standing":
            k, day = 0, w.start
            while day < w.end:
                nxt = min(w.start + timedelta(days=k + 1), w.end)
                pools.append(make_pool(f"free-{name}-d{k + 1:03d}", "free-quota", name, q, 0, Window(day, nxt)))
                k, day = k + 1, nxt
        elif scope == "per-month":
            for k in range(months):
                pools.append(make_pool(f"free-{name}-m{k + 1}", "free-quota", name, q, 0,
                                       Window(add_months(w.start, k), add_months(w.start, k + 1))))
        else:
            pools.append(make_pool(f"free-{name}", "free-quota", name, q, 0, w))
    return pools


def bill(cat: Catalog, created: object, records, policies: dict | None = None, first_environment: bool = True) -> Result:
    """Σ over items of max(0, usage − free quota in force) × price, with the section's units."""
    used = {p.name: choose(policies, p) for p in (FREE_SCOPE, MEMORY_UNIT, CAPACITY_FREE, OPS_ROUNDING, ROUNDING)}
    recs = sorted(parse_usage(cat, records), key=lambda u: (u.at, u.item))
    w = free_window(cat, created)
    pools = free_pools(cat, created, policies) if first_environment else []
    res = Result({}, policies=used)
    res.step("free quota window", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.end:%Y-%m-%d %H:%M:%S}",
             "first environment" if first_environment else "not the first environment: no free quota")
    block = cat.dec("cloudbase.hosting.ops_block")
    usage, free, over = {}, {}, {}
    for u in recs:
        if u.at < w.start and first_environment:
            raise InputError("usage.at", str(u.at), f"a moment at or after the environment's creation ({w.start})")
        q = u.quantity
        if u.item == "memory" and used[MEMORY_UNIT.name] == "convert":
            q = q * GIB_TO_GB
        if u.item in OPS_ITEMS and used[OPS_ROUNDING.name] == "per-record":
            q = (q / block).to_integral_value(rounding=ROUND_CEILING) * block
        led = drawdown(u.item, q, u.at, pools)
        pools = list(led.pools_after)
        usage[u.item] = usage.get(u.item, ZERO) + q
        free[u.item] = free.get(u.item, ZERO) + led.covered
        over[u.item] = over.get(u.item, ZERO) + led.uncovered
    total, rounded_sum, fees, billed_q = ZERO, ZERO, {}, {}
    for name in items(cat):
        if name not in usage:
            continue
        p, per = price(cat, name)
        billed = over[name]
        note = f"{usage[name]} used − {free[name]} free"
        if name in OPS_ITEMS and used[OPS_ROUNDING.name] == "bill":
            billed = (billed / block).to_integral_value(rounding=ROUND_CEILING) * block
            note += f", rounded up to whole {block}s"
        if name == "memory" and used[MEMORY_UNIT.name] == "convert":
            note = "in GB·hours (GiB × 1.073741824): " + note
        fee = billed * p / per
        fees[name] = fee
        billed_q[name] = billed
        res.step(f"{item(cat, name)['param']} ({name})", fee,
                 f"{note} = {billed} billed × {p}" + (f" / {per}" if per != 1 else ""))
        total += fee
        rounded_sum += BILLED(fee)
    amount = BILLED(total) if used[ROUNDING.name] == "bill-total" else rounded_sum
    res.step("total, exact", total)
    res.step("billed", amount, ROUNDING.choices[used[ROUNDING.name]])
    res.outputs.update(total=amount, exact=total, free_expires=w.end,
                       **{f"fee.{k}": v for k, v in fees.items()},
                       **{f"free.{k}": v for k, v in free.items()},
                       **{f"used.{k}": usage[k] for k in usage},
                       **{f"billed.{k}": billed_q[k] for k in billed_q})
    return res


@calc("cloudbase.hosting.bill")
def _bill(cat, inputs, policies):
    first = inputs.get("first_environment", "true")
    if first not in ("true", "false"):
        raise InputError("first_environment", first, "true or false")
    return bill(cat, inputs["created"], inputs.get("usage", []), policies, first == "true")
