"""计费概述 · The overview's readings of the free quota, as the packs the engine draws on.

The free quota is issued as packs (:mod:`pricing.rules.apigw.free_quota`); here are the overview's
further readings of that calendar: the calendar under each reading of 'month', one period's packs,
how many packs an account receives given the adjustment of the free quota (免费额度调整), whether the
free GB cover the billed egress, and how one hour's egress of several regions shares the
account-level free GB (``apigw.pack.region_order``).

Moments: each calendar is read at the activation, each grant when its period opens, each hour's
usage at its own instant (through :func:`pricing.rules.apigw.billing.bill`).
"""
from __future__ import annotations

from pricing.engine.calcs import calc, items, moment, number, whole
from pricing.engine.errors import InputError
from pricing.engine.money import BILLED, ZERO, nonneg
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from .billing import BILL_POLICIES, bill, usage
from .common import egress_price, first_in_force
from .free_quota import REGION_ORDER, calendar, free_pools, grant, hour_shares
from .packs import ACTIVATED, FREE_POLICIES, REGION

ADJUSTMENT = policy(
    "apigw.overview.adjustment",
    "Does the free quota in its adjusted form (免费额度调整) reach back to periods that ended before the adjustment?",
    {"retroactive": "the whole first-year calendar counts from activation, as the example's account (opened before the "
                    "adjustment) shows",
     "from-adjustment": "only periods still running at the adjustment, or starting later, are issued as packs"},
    "retroactive", "APIGW-FREE-RETRO")

FREE_EGRESS = policy(
    "apigw.overview.free_egress",
    "Does the free quota include GB of the billed internet egress (外网出流量)?",
    {"calls-and-egress": "yes: the overview's free GB of 公网出流量 are the billed 外网出流量",
     "calls-only": "no: the shared-instance section's free tier issues an all-region call pack only"},
    "calls-and-egress", "APIGW-FREE-EGRESS")


@calc("apigw.overview.free_calendar", "The free-quota calendar under the overview's readings of 'month'",
      [ACTIVATED], moment="activated", policies=FREE_POLICIES)
def _free_calendar(cat, inputs, policies):
    """The free-quota calendar under the period reading (non-natural month, 30 days, natural month)."""
    windows, last, used = calendar(cat, inputs["activated"], policies)
    res = Result({}, policies=used)
    grants = [grant(cat, w)[1:] for w in windows]
    for k, (w, (calls, gb)) in enumerate(zip(windows, grants), 1):
        res.step(f"period {k}", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.last_second:%Y-%m-%d %H:%M:%S}", f"{calls} calls, {gb} GB")
    res.step("last second of free use", last)
    res.outputs.update(second_grant=windows[1].start, twelfth_start=windows[min(11, len(windows) - 1)].start,
                       free_until=last, periods=len(windows), calls_per_period=grants[0][0],
                       egress_gb_per_period=grants[0][1], windows=windows)
    return res


@calc("apigw.overview.region_order_hour", "One settlement hour of several regions' egress against the account-level free GB",
      [ACTIVATED, moment("at", help="the settlement hour; priced then"),
       items("usage", help="lines '<region> <GB>', one per region, e.g. 'hongkong 1'")],
      moment="at", policies=[REGION_ORDER, *FREE_POLICIES])
def _region_order_hour(cat, inputs, policies):
    """Which region's egress the account-level free quota covers when it cannot cover every region's
    egress of one hour (``apigw.pack.region_order``); the rest is billed at each region's price."""
    at = inputs["at"]
    pools = [p for p in free_pools(cat, inputs["activated"], policies)
             if "egress_gb" in p.metrics and p.window.contains(at)]
    available = sum((p.remaining for p in pools), ZERO)
    usage_ = []
    for i, line in enumerate(inputs["usage"]):
        parts = str(line).split()
        if len(parts) != 2:
            raise InputError(f"usage[{i}]", line, "'<region> <GB>', e.g. 'hongkong 1'")
        usage_.append((parts[0], nonneg(parts[1], f"usage[{i}].GB"), egress_price(cat, parts[0])))
    if len({r for r, _, _ in usage_}) != len(usage_):
        raise InputError("usage", inputs["usage"], "one line per region")
    covered = hour_shares(usage_, available, policies)
    res = Result({}, policies={REGION_ORDER.name: choose(policies, REGION_ORDER)})
    res.step("free GB counting in the hour", available, ", ".join(sorted(p.id for p in pools)) or "none")
    fee = ZERO
    for region, gb, price in usage_:
        billed = gb - covered[region]
        fee += billed * price
        res.step(f"{region}: {gb} GB, covered", covered[region], f"billed {billed} GB × {price}")
    res.step("egress fee of the hour", BILLED(fee))
    res.outputs.update(fee=BILLED(fee), covered={r: c for r, c in covered.items()})
    return res


@calc("apigw.overview.free_pack", "The free quota of one period, as the packs the engine draws on",
      [ACTIVATED, whole("period", "", "1", "which period (1 = the opening one)", minimum=1)],
      moment="activated", policies=FREE_POLICIES)
def _free_pack(cat, inputs, policies):
    """The free quota of one period, as the packs the engine draws on (before any bought pack)."""
    k = inputs["period"]
    pools = free_pools(cat, inputs["activated"], policies)
    n = len(calendar(cat, inputs["activated"], policies)[0])  # the grants under apigw.free_quota.period
    if not 1 <= k <= n:
        raise InputError("period", k, f"a period number from 1 to {n}")
    mine = [p for p in pools if p.id.startswith(f"free-{k:02d}-")]
    res = Result({})
    for p in mine:
        (metric,) = p.metrics
        res.step(f"pack {p.id}", p.remaining, f"{metric}; priority {p.priority}; all regions; "
                 f"{p.window.start:%Y-%m-%d %H:%M:%S} → {p.window.last_second:%Y-%m-%d %H:%M:%S}")
        res.outputs[metric] = p.remaining
    res.outputs.update(priority=min(p.priority for p in mine), starts=mine[0].window.start,
                       last_second=mine[0].window.last_second)
    return res


@calc("apigw.overview.free_packs_issued", "How many free-quota packs an account receives, given the adjustment date",
      [ACTIVATED, REGION], moment="activated", policies=[ADJUSTMENT, *FREE_POLICIES])
def _free_packs_issued(cat, inputs, policies):
    """How many free-quota packs an account receives, given when the 12-month rule took effect."""
    reading = choose(policies, ADJUSTMENT)
    windows, _, used = calendar(cat, inputs["activated"], policies)
    adj_id = "apigw.free_quota.adjusted_at"
    adjusted = cat.at(max(inputs["activated"], first_in_force(cat, [adj_id]))).value(adj_id)
    res = Result({}, policies={ADJUSTMENT.name: reading, **used})
    issued, total, value = [], ZERO, ZERO
    for k, w in enumerate(windows, 1):
        live = reading == "retroactive" or w.end > adjusted
        res.step(f"period {k}: {w.start:%Y-%m-%d} → {w.last_second:%Y-%m-%d}", "pack" if live else "no pack",
                 "" if reading == "retroactive" else ("ends after the adjustment" if live else "over before the adjustment"))
        if live:
            issued.append(k)
            v, calls, gb = grant(cat, w)
            total += calls
            value += v.tiers("apigw.shared.call_tiers").rate(calls).amount + gb * egress_price(v, inputs["region"])
    res.step("packs issued", len(issued))
    res.step("free calls in all", total, "each period's grant as in force when it is issued")
    res.step("free use in all, at pay-as-you-go prices", BILLED(value), f"calls at the first tier, GB in {inputs['region']}")
    res.outputs.update(packs_issued=len(issued), free_calls_total=total, first_period_issued=issued[0],
                       adjusted_at=adjusted, free_value=BILLED(value))
    return res


@calc("apigw.overview.first_year_egress", "Egress in one first-year free-quota period: does the free quota cover it?",
      [ACTIVATED, moment("at", help="the settlement hour of the egress; priced then"), REGION,
       number("egress_gb", "GB", help="egress in the hour", minimum=0)],
      moment="at", policies=[FREE_EGRESS, *FREE_POLICIES, *BILL_POLICIES])
def _first_year_egress(cat, inputs, policies):
    """Egress in one first-year free-quota period: does the free quota cover it?"""
    reading = choose(policies, FREE_EGRESS)
    at = inputs["at"]
    pools = [p for p in free_pools(cat, inputs["activated"], policies) if p.window.contains(at)]
    if reading == "calls-only":
        pools = [p for p in pools if "calls" in p.metrics]
    b = bill(cat, [usage(at, inputs["region"], "egress_gb", inputs["egress_gb"])], pools, policies)
    res = Result({}, steps=list(b.steps), policies={FREE_EGRESS.name: reading, **b.policies})
    res.step("free pools counting then", ", ".join(sorted(p.id for p in pools)) or "none")
    # fee: what the hour debits (the egress lines settled under billing.debit_rounding; in fen by default)
    res.outputs.update(fee=b["total"], egress_lines=b["egress_fee"], free_covered=sum(b["covered"].values(), ZERO))
    return res
