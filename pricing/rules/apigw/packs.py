"""资源包计费 · 计费规则 · Resource packs: what they are, how long they count, what they cover.

The pack types (``apigw.packs.types``), their sources (``apigw.packs.sources``, with each source's
deduction order), a validity of ``apigw.packs.validity`` from the purchase, all regions, drawn down
after the free quota and before pay-as-you-go (the engine is :mod:`pricing.rules.apigw.billing`).
The overview's readings of the free quota are in :mod:`.overview`, the pack refunds in
:mod:`.pack_refunds`. Every figure and id comes from the catalog; every reading the text leaves open
is a named policy.

Moments: a pack's validity, launch date and source are read at its purchase; usage is priced at its
own instant (through :func:`pricing.rules.apigw.billing.bill`); the free quota is granted per period
(:mod:`pricing.rules.apigw.free_quota`).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, drawdown, make_pool
from pricing.engine.errors import InputError, RuleError
from pricing.engine.calcs import calc, choice, count, items, moment, number
from pricing.engine.money import BILLED, ZERO
from pricing.engine.periods import Window, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import parse_count
from .billing import BILL_POLICIES, bill, usage
from .common import (DAY, EDITIONS, PACK_SOURCES, PACK_TYPES, REGIONS, egress_price, first_in_force, key_of,
                     region_group, row_by_key, whole_seconds)
from .free_quota import BOUNDARY, FREE_POOL, PERIOD, WINDOW_END, free_pools, pack_window

# ------------------------------------------------------------------------------ policies

EFFECTIVE = policy(
    "apigw.packs.effective_from",
    "A bought pack counts from the purchase instant, or from 00:00 of the purchase day?",
    {"purchase-instant": "from the moment of purchase (the validity example: bought and effective 2023-02-01 08:00:00)",
     "purchase-day": "from 00:00:00 of the purchase day (当日 read as the whole day; the purchase day is the validity's day 1)"},
    "purchase-instant", "APIGW-PACK-EFFECTIVE")

SCOPE_WINDOW = policy(
    "apigw.packs.scope_window",
    "Presentation: the scope example's pack was obtained years before the usage it covers; does it count over "
    "the example's own window?",
    {"example-window": "as the example intends: the pack counts over the example's own window (effective at its start)",
     "obtained-date": "strictly: its validity runs from the date it was obtained, so it lapsed long before"},
    "obtained-date", "")

FREE_POLICIES = [PERIOD, BOUNDARY]
VALIDITY_POLICIES = [EFFECTIVE, WINDOW_END]

# ------------------------------------------------------------------------------ catalog views


def source_row(cat: CatalogView, source: str) -> dict:
    return row_by_key(cat, "apigw.packs.sources", "source", source, "source")


def type_row(cat: CatalogView, pack: str) -> dict:
    return row_by_key(cat, "apigw.packs.types", "pack", pack, "pack")


def billed_items(cat: CatalogView) -> dict[str, list[str]]:
    """instance type -> the items billed on it (from the overview's 计费说明 table)."""
    out: dict[str, list[str]] = {}
    for r in cat.rows("apigw.billing_items"):
        out.setdefault(key_of(r["instance"]), []).append(r["key"])
    return out


def _unique(values) -> tuple:
    return tuple(dict.fromkeys(values))


def instance_kinds(view: CatalogView) -> tuple:
    """The instance kinds of the overview's 计费说明 table, in its order."""
    return _unique(key_of(r["instance"]) for r in view.rows("apigw.billing_items"))


def item_keys(view: CatalogView) -> tuple:
    """The billed items of the overview's 计费说明 table, in its order."""
    return _unique(r["key"] for r in view.rows("apigw.billing_items"))


# ------------------------------------------------------------------------------ validity


def validity(cat: CatalogView, purchased: object, source: str = "self-service", policies: dict | None = None) -> Result:
    """When a pack obtained at ``purchased`` starts to count and when it lapses; the launch date, the
    source and the validity are read at the purchase instant."""
    bought = as_datetime(purchased, "purchased")
    view = cat.at(bought)
    row = source_row(view, source)
    launch_id = "apigw.packs.launched_at"
    launch = view.value(launch_id) if view.has(launch_id) else first_in_force(view, [launch_id])
    if row["pool"] != FREE_POOL and bought < launch:
        raise RuleError("purchased", f"{bought:%Y-%m-%d %H:%M:%S} is before resource packs launched "
                                     f"({launch:%Y-%m-%d %H:%M:%S}); no pack could be obtained then")
    eff = choose(policies, EFFECTIVE)
    start = bought if eff == "purchase-instant" else datetime.combine(bought.date(), time())
    res = Result({}, policies={EFFECTIVE.name: eff})
    res.step("obtained", bought, f"source: {source}")
    res.step("counts from", start, "the purchase instant" if eff == "purchase-instant" else "00:00 of the purchase day")
    # the one-month label is the validity in days (资源包计费: 购买须知 and 资源包有效期 both say so)
    w = pack_window(view, start, source, policies)
    res.steps.extend(w.steps[1:])
    res.policies.update(w.policies)
    lapses, last = w["lapses_at"], w["last_second"]
    days = Decimal(whole_seconds(lapses - start)) / whole_seconds(DAY)
    res.step("validity in days", days, "from the start to the instant it lapses")
    res.outputs.update(start=start, lapses_at=lapses, last_second=last, days=days)
    return res


def pack_pool(cat: CatalogView, id: str, pack: str, amount: object, purchased: object, source: str = "self-service",
              policies: dict | None = None) -> Pool:
    """A resource pack as a drawdown pool: its type fixes the metric, its validity the window, its
    source the deduction order (all read at the purchase); all regions."""
    view = cat.at(as_datetime(purchased, "purchased"))
    metric = type_row(view, pack)["covers"]
    row = source_row(view, source)
    v = validity(cat, purchased, source, policies)
    return make_pool(id, row["pool"], metric, parse_count(amount, f"pack {id}.amount"), int(row["priority"]),
                     Window(v["start"], v["lapses_at"]), None, source)


PURCHASED = moment("purchased", help="when the pack was bought or issued")
SOURCE = choice("source", PACK_SOURCES, "self-service", "where the pack comes from (apigw.packs.sources)")
REGION = choice("region", REGIONS, "guangzhou", "the region of the usage")


@calc("apigw.packs.validity", "When a pack starts to count and when it lapses",
      [PURCHASED, SOURCE], moment="purchased", policies=VALIDITY_POLICIES)
def _validity(cat, inputs, policies):
    return validity(cat, inputs["purchased"], inputs["source"], policies)


# ------------------------------------------------------------------------------ what a pack covers


def covers(cat: CatalogView, pack: str, instance: str, item: str) -> tuple[bool, str]:
    row = type_row(cat, pack)
    items_ = billed_items(cat)
    if instance not in items_:
        raise InputError("instance", instance, " | ".join(items_))
    if item not in items_[instance]:
        raise InputError("item", item, f"an item billed on a {instance} instance: {' | '.join(items_[instance])}")
    metered = {r["covers"] for r in cat.rows("apigw.packs.types")}
    if item not in metered:
        return False, "packs cover only the metered pay-as-you-go items (calls, egress); this fee has its own price list"
    if row["covers"] != item:
        return False, f"the {row['pack']} covers {row['covers']} only"
    if instance not in row["instances"]:
        return False, f"the {row['pack']} applies to {row['instances']} instances"
    return True, f"the {row['pack']} covers {item} on {row['instances']} instances"


@calc("apigw.packs.covers", "Whether a pack type pays for an item billed on an instance",
      [choice("pack", PACK_TYPES, help="the pack type (apigw.packs.types)"),
       choice("instance", instance_kinds, help="the instance kind (apigw.billing_items)"),
       choice("item", item_keys, help="the billed item (apigw.billing_items)"), REGION])
def _covers(cat, inputs, policies):
    region = inputs["region"]
    group, zh = region_group(cat, region)
    ok, why = covers(cat, inputs["pack"], inputs["instance"], inputs["item"])
    res = Result({"covers": ok})
    res.step("pack type", type_row(cat, inputs["pack"])["pack"])
    res.step("instance, item", f"{inputs['instance']}, {inputs['item']}")
    res.step("region", f"{region} ({zh}), packs are all-region (全地域通用): the region never decides")
    res.step("covered?", ok, why)
    return res


# ------------------------------------------------------------------------------ the scope example


def _parse_usage(lines, at: datetime) -> list:
    out = []
    for i, line in enumerate(lines):
        parts = str(line).split()
        if len(parts) != 3:
            raise InputError(f"usage[{i}]", line, "'<region> <calls|egress_gb> <quantity>', e.g. 'guangzhou calls 300万'")
        out.append(usage(at, parts[0], parts[1], parse_count(parts[2], f"usage[{i}].quantity")))
    return out


@calc("apigw.packs.scope_example", "A pack and several regions' usage inside one window: what the pack covers",
      [count("pack_amount", "calls or GB", help="the pack's size"),
       moment("obtained", help="when the pack was obtained, as the example states"),
       moment("window_start", help="the usage window's start"), moment("window_end", help="the usage window's end"),
       moment("at", help="the settlement hour inside the window where each region's totals are placed"),
       items("usage", help="lines '<region> <calls|egress_gb> <quantity>'"),
       choice("pack", PACK_TYPES, "call", "the pack type (apigw.packs.types)"), SOURCE],
      moment="at", policies=[SCOPE_WINDOW, *VALIDITY_POLICIES, *BILL_POLICIES])
def _scope_example(cat, inputs, policies):
    """A call pack and several regions' usage inside one window: what the pack covers, what is billed."""
    reading = choose(policies, SCOPE_WINDOW)
    w_start, w_end = inputs["window_start"], inputs["window_end"]
    if w_end <= w_start:
        raise InputError("window_end", w_end.isoformat(), f"a moment after window_start ({w_start})")
    at = inputs["at"]
    if not (w_start <= at < w_end):
        raise InputError("at", at.isoformat(), f"a moment inside the usage window {w_start} .. {w_end}")
    obtained = inputs["obtained"]
    start = w_start if reading == "example-window" else obtained
    res = Result({}, policies={SCOPE_WINDOW.name: reading})
    res.step("pack obtained", obtained, "as the example states")
    v = validity(cat, start, inputs["source"], policies)
    res.policies.update(v.policies)
    res.step("pack counts", f"from {v['start']:%Y-%m-%d %H:%M:%S}, lapses at {v['lapses_at']:%Y-%m-%d %H:%M:%S}",
             ("the example's own window" if reading == "example-window" else "from the day it was obtained")
             + f"; {WINDOW_END.name} = {v.policies[WINDOW_END.name]}")
    pool = pack_pool(cat, "scope-pack", inputs["pack"], inputs["pack_amount"], start, inputs["source"], policies)
    records = _parse_usage(inputs["usage"], at)
    # which pool covered what, record by record, in the engine's own order
    pools, outs = [pool], {}
    for u in sorted(records, key=lambda r: (r.at, r.region, r.metric)):
        led = drawdown(u.metric, u.quantity, u.at, pools, u.region)
        pools = list(led.pools_after)
        outs[f"covered_{u.region}_{u.metric}"] = led.covered
        why = "; ".join(f"{s.pool}: {s.reason}" for s in led.skipped) or "within the pack's scope"
        res.step(f"{u.region} {u.metric} {u.quantity}: covered by the pack", led.covered, why)
        if u.metric == "egress_gb":
            price = egress_price(cat.at(u.at), u.region)
            outs[f"egress_fee_{u.region}"] = BILLED(led.uncovered * price)
            res.step(f"{u.region} egress billed pay-as-you-go", BILLED(led.uncovered * price), f"{led.uncovered} GB × {price}")
    b = bill(cat, records, [pool], policies)
    res.policies.update(b.policies)
    covered_calls = sum((v for k, v in outs.items() if k.startswith("covered_") and k.endswith("_calls")), ZERO)
    value = cat.at(at).tiers("apigw.shared.call_tiers").rate(covered_calls).amount
    res.step("call fee billed", b["call_fee"])
    res.step("egress fee billed", b["egress_fee"])
    res.step("total billed", b["total"])
    res.step("what the covered calls would have cost pay-as-you-go", BILLED(value),
             f"{covered_calls} calls on the call tiers")
    outs.update(call_fee=b["call_fee"], egress_fee=b["egress_fee"], total=b["total"], covered_calls=covered_calls,
                covered_calls_value=BILLED(value), pack_lapses_at=v["lapses_at"])
    res.outputs.update(outs)
    return res


# ------------------------------------------------------------------------------ order and balance

ACTIVATED = moment("activated", help="when the API Gateway service was activated (its free quota)")


@calc("apigw.packs.order", "Free quota first, then a bought call pack, then pay-as-you-go, for one hour's calls",
      [moment("at", help="the settlement hour of the calls; priced then"), ACTIVATED,
       moment("purchased", help="when the call pack was bought"),
       count("pack_calls", "calls", help="the bought call pack's size"), count("calls", "calls", help="calls in the hour"),
       REGION, SOURCE],
      moment="at", policies=[*VALIDITY_POLICIES, *FREE_POLICIES, *BILL_POLICIES])
def _order(cat, inputs, policies):
    """Free quota first, then the bought pack, then pay-as-you-go, for one hour's calls."""
    at = inputs["at"]
    free = [p for p in free_pools(cat, inputs["activated"], policies) if p.window.contains(at)]
    call = next(key_of(r["pack"]) for r in cat.rows("apigw.packs.types") if r["covers"] == "calls")
    bought = pack_pool(cat, "bought-pack", call, inputs["pack_calls"], inputs["purchased"], inputs["source"], policies)
    b = bill(cat, [usage(at, inputs["region"], "calls", inputs["calls"])], free + [bought], policies)
    cov = b["covered"]
    free_cov = sum((v for k, v in cov.items() if k.startswith("free-")), ZERO)
    pack_cov = cov.get("bought-pack", ZERO)
    calls = inputs["calls"]
    res = Result({}, steps=list(b.steps), policies=b.policies)
    res.step(f"covered by the free quota (priority {free[0].priority if free else '-'})", free_cov)
    res.step(f"covered by the bought pack (priority {bought.priority})", pack_cov)
    res.step("billed pay-as-you-go", calls - free_cov - pack_cov)
    res.outputs.update(free_covered=free_cov, pack_covered=pack_cov, billed_calls=calls - free_cov - pack_cov,
                       fee=b["call_fee"])
    return res


def _uses(lines) -> list[tuple[datetime, Decimal]]:
    out = []
    for i, line in enumerate(lines):
        parts = str(line).split()
        if len(parts) != 2:
            raise InputError(f"uses[{i}]", line, "'<ISO date-time> <calls>', e.g. '2023-02-03T10:00:00 600000'")
        out.append((as_datetime(parts[0], f"uses[{i}].at"), parse_count(parts[1], f"uses[{i}].calls")))
    return out


@calc("apigw.packs.carry_over", "Calls drawn at several moments from the free quota or from one bought pack",
      [choice("source", PACK_SOURCES, help="free quota (renewed each period) or a bought pack's source"),
       moment("start", help="the activation (free quota) or the purchase (bought pack)"),
       count("amount", "calls", None, "the bought pack's size (not used for the free quota)"),
       items("uses", help="lines '<ISO date-time> <calls>', each priced at its own instant"), REGION],
      moment="start", policies=[*VALIDITY_POLICIES, *FREE_POLICIES, *BILL_POLICIES])
def _carry_over(cat, inputs, policies):
    """Calls drawn at several moments from either the free quota (per period, no carry-over) or one bought pack."""
    source = inputs["source"]
    region = inputs["region"]
    if source_row(cat, source)["pool"] == FREE_POOL:
        pools = free_pools(cat, inputs["start"], policies)
    else:
        if inputs["amount"] is None:
            raise InputError("amount", None, f"the size of the {source} pack, in calls")
        call = next(key_of(r["pack"]) for r in cat.rows("apigw.packs.types") if r["covers"] == "calls")
        pools = [pack_pool(cat, "bought-pack", call, inputs["amount"], inputs["start"], source, policies)]
    res = Result({})
    covered, billed, fee, left = ZERO, ZERO, ZERO, []
    for i, (at, calls) in enumerate(_uses(inputs["uses"]), 1):
        b = bill(cat, [usage(at, region, "calls", calls)], pools, policies)
        pools = list(b["pools_after"])
        c = sum(b["covered"].values(), ZERO)
        live = [p for p in pools if "calls" in p.metrics and (p.window is None or p.window.contains(at))]
        rem = sum((p.remaining for p in live), ZERO)
        res.step(f"use {i}: {at:%Y-%m-%d %H:%M:%S}, {calls} calls", c,
                 f"covered; {calls - c} billed ({b['call_fee']} CNY); {rem} left in the pack(s) counting then")
        covered, billed, fee = covered + c, billed + calls - c, fee + b["call_fee"]
        left.append(rem)
        res.outputs[f"covered_{i}"] = c
    res.step("covered in all", covered)
    res.step("billed calls in all", billed)
    res.outputs.update(covered=covered, billed_calls=billed, fee=fee, left_after=left)
    return res


@calc("apigw.packs.other_fees", "A dedicated instance with an egress pack: the egress is covered, the instance fee is not",
      [moment("at", help="when the pay-as-you-go run starts (the egress hour)"),
       choice("edition", EDITIONS, "basic", "a priced dedicated edition"),
       number("hours", "hours", "1", "how long the instance runs pay-as-you-go from 'at'", minimum=0),
       REGION, moment("purchased", help="when the egress pack was bought"),
       number("pack_gb", "GB", help="the egress pack's size", minimum=0),
       number("egress_gb", "GB", help="egress in the hour", minimum=0)],
      moment="at", policies=[*VALIDITY_POLICIES, *BILL_POLICIES])
def _other_fees(cat, inputs, policies):
    """An hour of a dedicated instance that holds an egress pack: the egress is covered, the instance fee is not."""
    from .dedicated import is_priced, payg_bill, priced_editions
    at = inputs["at"]
    edition = inputs["edition"]
    if not is_priced(cat, edition):
        raise InputError("edition", edition, " | ".join(priced_editions(cat)) + " (others have no listed price)")
    hours = inputs["hours"]
    secs = hours * whole_seconds(timedelta(hours=1))
    if hours <= 0 or secs != secs.to_integral_value():
        raise InputError("hours", str(hours), "a number of hours > 0 that is a whole number of seconds")
    region = inputs["region"]
    egress = next(key_of(r["pack"]) for r in cat.rows("apigw.packs.types") if r["covers"] == "egress_gb")
    dedicated = next(k for k, v in billed_items(cat).items() if "instance_fee" in v)
    fee_ok, why = covers(cat, egress, dedicated, "instance_fee")
    run = payg_bill(cat, edition, at, at + timedelta(seconds=int(secs)), policies)
    instance_fee = run["total"]
    pool = pack_pool(cat, "egress-pack", egress, inputs["pack_gb"], inputs["purchased"], "self-service", policies)
    b = bill(cat, [usage(at, region, "egress_gb", inputs["egress_gb"])], [pool], policies)
    res = Result({}, steps=list(b.steps), policies={**b.policies, **run.policies})
    res.step(f"instance fee, {edition}, pay-as-you-go", instance_fee,
             f"{hours} h from {at:%Y-%m-%d %H:%M:%S}, settled hourly (first rate {run['first_rate']} CNY/h); "
             f"the egress pack does not cover it ({why})")
    res.outputs.update(egress_covered=sum(b["covered"].values(), ZERO), egress_fee=b["egress_fee"],
                       instance_fee=instance_fee, total=instance_fee + b["total"])
    res.step("total billed", instance_fee + b["total"])
    return res
