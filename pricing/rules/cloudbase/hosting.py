"""微信云托管说明 · WeChat Cloud Hosting.

Cloud Hosting bills containers (CPU, memory, build time, public traffic), MySQL (compute in CCU
hours, storage), object storage (capacity, download and upload operations, CDN and CDN
origin-pull traffic) and static resource storage (capacity, traffic) at list prices (刊例价). The
first environment receives a free quota of each item except static storage, valid for a number of
months from its creation (``cloudbase.hosting.free_validity``); usage beyond the quota, and all
usage after it lapses, is billed at list price.

Units: a resource·hour is one unit of resource for one hour, or two units for half an hour (the
catalog's table of time units). Object-storage operations are billed in whole blocks
(``cloudbase.hosting.ops_block``), a part block counting as a full one.

Prices over time: each usage record is priced at its own instant (``cat.at(record.at)``), so a bill
whose records straddle a price change is split there: the records before it are priced (and their
operations rounded to blocks) apart from those after it. The free quota is the one granted at the
environment's creation: its amounts and validity are read at ``created``. The items, their billing
basis and the time units are dated tables; an item not billed at a record's instant is refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, drawdown, make_pool
from pricing.engine.errors import InputError
from pricing.engine.calcs import calc, choice, count, flag, items as items_input, moment, number
from pricing.engine.money import ZERO, D, nonneg
from pricing.engine.periods import Window, add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.statement import DEBIT_ROUNDING, line as statement_line, settle
from pricing.engine.units import parse_count
from pricing.rules.conventions import DATA_BASE, MONTH_END, binary_memory, convert as convert_data, month_end

ITEMS = "cloudbase.hosting.items"
TIME_UNITS = "cloudbase.hosting.time_units"
USAGE_RULES = "cloudbase.hosting.usage_rules"
OPS_BLOCK = "cloudbase.hosting.ops_block"

FREE_SCOPE = policy(
    "cloudbase.hosting.free_scope",
    "Is each free quota one allowance for its whole validity, or a monthly allowance for each of its months?",
    {"one-pool": "one allowance per item, usable any time while the quota is valid (免费额度（有效期…个月）)",
     "per-month": "the allowance renews in each month of the validity after creation"},
    "one-pool", "CB-HOST-FREE-SCOPE")

CAPACITY_FREE = policy(
    "cloudbase.hosting.capacity_free",
    "The object-storage free capacity is given in GB while capacity is priced per GB·day: GB stored free, or GB·days?",
    {"standing": "the quota's GB may be stored free on every day of its validity (that many GB·days per day)",
     "gb-days": "a single allowance of that many GB·days"},
    "standing", "CB-HOST-STORAGE-UNITS")

OPS_ROUNDING = policy(
    "cloudbase.hosting.ops_rounding",
    "Over what does 'a part block of operations counts as a full one' apply?",
    {"daily-bill": "each day's operations (one daily bill) are added up, then rounded up to whole blocks",
     "whole-bill": "the operations of the whole record set are added up, then rounded up once"},
    "daily-bill", "CB-HOST-OPS-PERIOD")


def items(cat: CatalogView) -> dict[str, dict]:
    """The billed items in force at ``cat.moment``, in the section's order."""
    return {r["item"]: r for r in cat.rows(ITEMS)}


def item_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["item"] for r in cat.rows(ITEMS))


def unit_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["unit"] for r in cat.rows(TIME_UNITS))


def action_ids(cat: CatalogView) -> tuple[str, ...]:
    return tuple(r["action"] for r in cat.rows(USAGE_RULES))


def item(cat: CatalogView, name: str, field: str = "item") -> dict:
    its = items(cat)
    if name not in its:
        raise InputError(field, name, f"an item billed on {cat.moment:%Y-%m-%d}: " + ", ".join(its))
    return its[name]


def price(cat: CatalogView, name: str) -> tuple[Decimal, Decimal]:
    """(price, per) in force at ``cat.moment``: the fee of q units is q × price / per."""
    item(cat, name)
    e = cat.entry(f"cloudbase.hosting.price.{name}")
    return e.value, e.per or Decimal(1)


def free_quota(cat: CatalogView, name: str) -> Decimal | None:
    """The first environment's free quota of ``name`` as granted at ``cat.moment`` (None: no quota)."""
    if item(cat, name)["free"] != "yes":
        return None
    return cat.dec(f"cloudbase.hosting.free.{name}")


# ------------------------------------------------------------------ units
def per_hour(cat: CatalogView, unit: str, field: str = "unit") -> Decimal:
    rows = {r["unit"]: r for r in cat.rows(TIME_UNITS)}
    if unit not in rows:
        raise InputError(field, unit, " or ".join(rows))
    return D(rows[unit]["per_hour"])


def resource_hours(cat: CatalogView, amount: object, duration: object, unit: str = "minute") -> Decimal:
    """Cores (or GiB) × running time, in resource·hours: 2 cores for 30 minutes = 1 core·hour."""
    return nonneg(amount, "amount") * nonneg(duration, "duration") / per_hour(cat, unit)


def convert(cat: CatalogView, quantity: object, from_unit: str, to_unit: str) -> Decimal:
    """A resource·time quantity from one time unit to another (1 resource·hour = 60 resource·minutes)."""
    return nonneg(quantity, "quantity") * per_hour(cat, to_unit, "to") / per_hour(cat, from_unit, "from")


@calc("cloudbase.hosting.resource_hours", "Cores (or GiB) × running time, in resource·hours",
      [number("amount", "cores or GiB", help="how many cores (or GiB) run", minimum=0),
       number("duration", "time units", help="how long they run", minimum=0),
       choice("unit", unit_ids, "minute", "the time unit of duration")])
def _resource_hours(cat, inputs, policies):
    unit = inputs["unit"]
    rh = resource_hours(cat, inputs["amount"], inputs["duration"], unit)
    res = Result({})
    res.step("resource·hours = amount × duration / (units per hour)", rh,
             f"{inputs['amount']} × {inputs['duration']} {unit}s / {per_hour(cat, unit)}")
    res.outputs.update(resource_hours=rh)
    return res


@calc("cloudbase.hosting.convert", "A resource·time quantity in another time unit",
      [number("quantity", "resource·time", help="the quantity to convert", minimum=0),
       choice("from", unit_ids, "hour", "its time unit"), choice("to", unit_ids, help="the time unit wanted")])
def _convert(cat, inputs, policies):
    q = convert(cat, inputs["quantity"], inputs["from"], inputs["to"])
    res = Result({})
    res.step(f"{inputs['quantity']} resource·{inputs['from']} in resource·{inputs['to']}s", q)
    res.outputs.update(value=q)
    return res


def ops_blocks(cat: CatalogView, count: object) -> Decimal:
    """Whole blocks of operations (the block size in force at ``cat.moment``), a part block counting in full."""
    block = cat.dec(OPS_BLOCK)
    return (parse_count(count, "count") / block).to_integral_value(rounding=ROUND_CEILING)


@calc("cloudbase.hosting.ops_blocks", "Object-storage operations in billed blocks",
      [count("count", "operations", help="downloads or uploads counted, successful or not", minimum=0),
       moment("at", None, "when the operations are made (default: the as-of date)")], moment="at")
def _ops_blocks(cat, inputs, policies):
    block = cat.dec(OPS_BLOCK)
    n = ops_blocks(cat, inputs["count"])
    res = Result({})
    res.step("blocks = ⌈count / block⌉", n, f"⌈{inputs['count']} / {block}⌉; a part block counts in full")
    res.outputs.update(blocks=n, billed_ops=n * block)
    return res


def mysql_storage_mb(cat: CatalogView, data_mb: object, policies: dict | None = None) -> Decimal:
    """Billed MySQL storage: business data plus the system tables' storage (the remark adds them)."""
    return nonneg(data_mb, "data_mb") + cat.dec("cloudbase.hosting.mysql_system_mb")


@calc("cloudbase.hosting.mysql_storage", "MySQL storage billed: business data and the system tables, in GB·hours",
      [number("data_mb", "MB", "0", "business data stored", minimum=0),
       number("hours", "hours", "1", "how long it is stored", minimum=0),
       moment("at", None, "when it is stored (default: the as-of date)")],
      moment="at", policies=[DATA_BASE])
def _mysql_storage(cat, inputs, policies):
    mb = mysql_storage_mb(cat, inputs["data_mb"], policies)
    hours = inputs["hours"]
    gbh = convert_data(mb, "MB", "GB", policies) * hours
    res = Result({}, policies={DATA_BASE.name: choose(policies, DATA_BASE)})
    res.step("billed storage", mb, "MB; business data + the system tables' storage")
    res.step("GB·hours = MB in GB × hours", gbh, f"{hours} hours (units.data_base: {res.policies[DATA_BASE.name]})")
    res.outputs.update(billed_mb=mb, gb_hours=gbh)
    return res


# ------------------------------------------------------------------ free quota window
def free_window(cat: CatalogView, created: object, policies: dict | None = None) -> Window:
    """The first environment's free quota: from creation to creation + the validity in force at the
    creation (months from the anchor; a missing day under ``periods.month_end``)."""
    c = as_datetime(created, "created")
    months = cat.at(c).duration("cloudbase.hosting.free_validity").months
    return Window(c, add_months(c, months, month_end(policies)))


@calc("cloudbase.hosting.free_window", "When the first environment's free quota lapses",
      [moment("created", help="when the first environment was created")], moment="created", policies=[MONTH_END])
def _free_window(cat, inputs, policies):
    w = free_window(cat, inputs["created"], policies)
    months = cat.duration("cloudbase.hosting.free_validity").months
    me = month_end(policies)
    res = Result({}, policies={MONTH_END.name: me})
    res.step("first environment created", w.start)
    res.step(f"free quota lapses = created + {months} months", w.end,
             "a day the month lacks becomes its last day" if me == "clamp" else "a day the month lacks rolls to the 1st")
    res.outputs.update(expires=w.end, last_second=w.last_second, months=D(months), days=D((w.end - w.start).days))
    return res


# ------------------------------------------------------------------ what generates usage
def usage_for(cat: CatalogView, action: str) -> dict:
    rows = {r["action"]: r for r in cat.rows(USAGE_RULES)}
    if action not in rows:
        raise InputError("action", action, ", ".join(rows))
    r = rows[action]
    return {"items": r["item"].split(","), "generates": r["generates"] == "yes", "why": r["en"]}


@calc("cloudbase.hosting.usage_for", "Whether an action generates usage, and of which item",
      [choice("action", action_ids, help="an action of the section's usage conditions"),
       moment("at", None, "when (default: the as-of date)")], moment="at")
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


def parse_usage(cat: CatalogView, records) -> list[Usage]:
    """Records as text: 'YYYY-MM-DD[THH:MM] item quantity [xN]' (xN: the same quantity on N consecutive
    days). Each record's item must be billed at the record's own instant."""
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
        q = parse_count(m.group(3), f"usage[{i}].quantity")
        for k in range(int(m.group(4) or 1)):
            u = Usage(at + timedelta(days=k), m.group(2), q)
            item(cat.at(u.at), u.item)
            out.append(u)
    return out


def _daily_ops(cat: CatalogView, recs: list[Usage]) -> list[Usage]:
    """Operations records added up per item and calendar day (one record per daily bill), others unchanged."""
    out, days = [], {}
    for u in recs:
        if item(cat.at(u.at), u.item)["basis"] != "ops-blocks":
            out.append(u)
            continue
        key = (u.item, u.at.date())
        if key not in days:
            days[key] = Usage(u.at, u.item, ZERO)
            out.append(key)
        days[key] = Usage(days[key].at, u.item, days[key].quantity + u.quantity)
    return sorted((days[x] if isinstance(x, tuple) else x for x in out), key=lambda u: (u.at, u.item))


def free_pools(cat: CatalogView, created: object, policies: dict | None = None) -> list[Pool]:
    """The free quota's pools, as granted at ``created`` (amounts and validity read then)."""
    w = free_window(cat, created, policies)
    grant = cat.at(w.start)
    me = month_end(policies)
    scope = choose(policies, FREE_SCOPE)
    cap = choose(policies, CAPACITY_FREE)
    months = grant.duration("cloudbase.hosting.free_validity").months
    pools = []
    for name, row in items(grant).items():
        q = free_quota(grant, name)
        if q is None:
            continue
        if row["basis"] == "capacity-days" and cap == "standing":
            k, day = 0, w.start
            while day < w.end:
                nxt = min(w.start + timedelta(days=k + 1), w.end)
                pools.append(make_pool(f"free-{name}-d{k + 1:03d}", "free-quota", name, q, 0, Window(day, nxt)))
                k, day = k + 1, nxt
        elif scope == "per-month":
            for k in range(months):
                pools.append(make_pool(f"free-{name}-m{k + 1}", "free-quota", name, q, 0,
                                       Window(add_months(w.start, k, me), add_months(w.start, k + 1, me))))
        else:
            pools.append(make_pool(f"free-{name}", "free-quota", name, q, 0, w))
    return pools


@dataclass
class _Segment:
    """The usage of one item priced at one set of catalog versions (a bill splits where they change)."""
    item: str
    since: datetime
    price: Decimal
    per: Decimal
    block: Decimal
    basis: str
    param: str
    uncovered: Decimal = ZERO


def bill(cat: CatalogView, created: object, records, policies: dict | None = None, first_environment: bool = True) -> Result:
    """Σ over items of max(0, usage − free quota in force) × price, with the section's units. Each
    record is priced at its own instant; an item's usage under two price versions is billed in two
    parts, each from the first record it covers."""
    used = {p.name: choose(policies, p) for p in (FREE_SCOPE, DATA_BASE, CAPACITY_FREE, OPS_ROUNDING, DEBIT_ROUNDING,
                                                  MONTH_END)}
    recs = sorted(parse_usage(cat, records), key=lambda u: (u.at, u.item))
    if used[OPS_ROUNDING.name] == "daily-bill":
        recs = _daily_ops(cat, recs)
    w = free_window(cat, created, policies)
    pools = free_pools(cat, created, policies) if first_environment else []
    res = Result({}, policies=used)
    res.step("free quota window", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.end:%Y-%m-%d %H:%M:%S}",
             "first environment" if first_environment else "not the first environment: no free quota")
    usage, free, order = {}, {}, []
    segments: dict[tuple, _Segment] = {}
    for u in recs:
        if u.at < w.start and first_environment:
            raise InputError("usage.at", str(u.at), f"a moment at or after the environment's creation ({w.start})")
        view = cat.at(u.at)
        row = item(view, u.item)
        pe = view.entry(f"cloudbase.hosting.price.{u.item}")
        be = view.entry(OPS_BLOCK)
        q = u.quantity
        if row["basis"] == "gib-hours":
            q = q * binary_memory(policies)  # a GiB·hour is billed as a GB·hour unless the base is decimal
        if row["basis"] == "ops-blocks" and used[OPS_ROUNDING.name] == "daily-bill":
            q = (q / be.value).to_integral_value(rounding=ROUND_CEILING) * be.value
        led = drawdown(u.item, q, u.at, pools)
        pools = list(led.pools_after)
        if u.item not in usage:
            order.append(u.item)
        usage[u.item] = usage.get(u.item, ZERO) + q
        free[u.item] = free.get(u.item, ZERO) + led.covered
        key = (u.item, pe.effective, be.effective if row["basis"] == "ops-blocks" else None)
        if key not in segments:
            segments[key] = _Segment(u.item, u.at, pe.value, pe.per or Decimal(1), be.value, row["basis"], row["param"])
        segments[key].uncovered += led.uncovered
    rank = {k: i for i, k in enumerate(items(cat.at(w.start)))}
    order.sort(key=lambda k: (rank.get(k, len(rank)), k))  # the section's order of items
    total, fees, billed_q = ZERO, {}, {}
    for name in order:
        parts = [s for k, s in segments.items() if k[0] == name]
        for s in parts:
            billed = s.uncovered
            note = f"{usage[name]} used − {free[name]} free" if len(parts) == 1 else f"{s.uncovered} not covered by the free quota"
            if s.basis == "ops-blocks" and used[OPS_ROUNDING.name] == "whole-bill":
                billed = (billed / s.block).to_integral_value(rounding=ROUND_CEILING) * s.block
                note += f", rounded up to whole {s.block}s"
            if s.basis == "ops-blocks" and used[OPS_ROUNDING.name] == "daily-bill":
                note += f" (each day rounded up to whole {s.block}s)"
            if s.basis == "gib-hours" and used[DATA_BASE.name] == "decimal":
                note = f"in decimal GB·hours (GiB × {binary_memory(policies)}): " + note
            fee = billed * s.price / s.per
            label = f"{s.param} ({name})" + (f", priced from {s.since:%Y-%m-%d %H:%M:%S}" if len(parts) > 1 else "")
            res.step(label, fee, f"{note} = {billed} billed × {s.price}" + (f" / {s.per}" if s.per != 1 else ""))
            fees[name] = fees.get(name, ZERO) + fee
            billed_q[name] = billed_q.get(name, ZERO) + billed
        total += fees[name]
    st = settle([statement_line("bill", k, v, reading=used[DEBIT_ROUNDING.name]) for k, v in fees.items()], policies)
    amount = st.due
    res.step("total, exact", total)
    res.step("billed", amount, f"billing.debit_rounding: {used[DEBIT_ROUNDING.name]} (the record set is one bill)")
    res.outputs.update(total=amount, exact=total, free_expires=w.end,
                       **{f"fee.{k}": v for k, v in fees.items()},
                       **{f"free.{k}": v for k, v in free.items()},
                       **{f"used.{k}": usage[k] for k in usage},
                       **{f"billed.{k}": billed_q[k] for k in billed_q})
    return res


@calc("cloudbase.hosting.bill", "A Cloud Hosting bill: usage records less the free quota, each priced at its instant",
      [moment("created", help="when the environment was created (the free quota is granted then)"),
       items_input("usage", "records", [], "records 'YYYY-MM-DD[THH:MM] item quantity [xN]'"),
       flag("first_environment", True, "the account's first environment (only it has the free quota)")],
      moment="created", policies=[FREE_SCOPE, DATA_BASE, CAPACITY_FREE, OPS_ROUNDING, DEBIT_ROUNDING, MONTH_END])
def _bill(cat, inputs, policies):
    return bill(cat, inputs["created"], inputs["usage"], policies, inputs["first_environment"])
