"""共享实例计费 · Shared-instance billing.

Two billed items: the call fee (调用次数费用), graduated over the month's cumulative call count,
and internet egress (外网出流量), priced per GB by region. Both settle hourly. The free quota and
resource packs are drawn down first (see :mod:`pricing.rules.apigw.billing`).

Moments: an hour of egress is priced at the prices in force when it opens; the call fee of a month
(``call_fee``, ``month_example``) carries no date of its own and is priced at the caller's ``as_of``;
a bill over many hours (:func:`pricing.rules.apigw.billing.bill`) prices each record at its instant.
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.calcs import calc, count, flag as flag_input, moment, number, choice, items
from pricing.engine.money import BILLED, ZERO, nonneg, round_at
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.tiers import TierCharge
from pricing.engine.units import parse_count
from pricing.engine.inputs import flag
from .common import REGIONS, egress_price, kb_to_gb, region_group, settlement_window

TIER_POSITION = policy(
    "apigw.tier.position",
    "Does the cumulative count N that picks the call tier include calls the free quota or a pack covered?",
    {"all-calls": "N counts every call of the month, free or paid: tier 1 ends at the 10,000,000th call overall",
     "billed-calls": "N counts only billed calls: tier 1 covers the first 10,000,000 billed calls (the table's "
                     "月累计超过次数, the calls beyond the free quota and packs; fees never fall as usage rises)"},
    "billed-calls", "APIGW-TIER-POSITION")

GB_ROUNDING = policy(
    "apigw.example.gb_rounding",
    "Are the example's data volumes rounded before they are priced (14.3 GB, 4.77 GB as printed)?",
    {"as-printed": "round each volume as the guide prints it (14.3 GB to 0.1, 4.77 GB to 0.01), then price",
     "exact": "price the exact 1024-based volumes; round only the billed fee (real bills; the worked example pins "
              "as-printed for its derivation)"},
    "exact", "APIGW-EXAMPLE-GB")


def call_fee(cat: CatalogView, calls: object, already: object = 0, free_before: object = 0,
             policies: dict | None = None) -> TierCharge:
    """Rate ``calls`` billed calls. ``already`` billed calls came earlier this month; ``free_before``
    more calls this month were covered by the free quota or packs (they move N under 'all-calls')."""
    reading = choose(policies, TIER_POSITION)
    n = nonneg(already, "already") + (nonneg(free_before, "free_before") if reading == "all-calls" else ZERO)
    return cat.tiers("apigw.shared.call_tiers").rate(parse_count(calls, "calls"), n)


def add_tier_steps(res: Result, charge: TierCharge, label: str = "call fee") -> None:
    for s in charge.slices:
        res.step(f"{label}: {s.label}", s.amount,
                 f"calls {s.start + 1}..{s.end} = {s.quantity} × {s.price} / {charge.unit}")


CALLS = count("calls", "calls", "0", "calls to rate (billed calls, after the free quota and packs)")
ALREADY = count("already", "calls", "0", "billed calls earlier in the same month (they set the tier position)")
FREE_BEFORE = count("free_before", "calls", "0",
                    "calls earlier this month that the free quota or a pack covered (move the position under 'all-calls')")


@calc("apigw.shared.call_fee", "Call fee: calls rated on the graduated tiers at the month's position",
      [CALLS, ALREADY, FREE_BEFORE], policies=[TIER_POSITION])
def _call_fee(cat, inputs, policies):
    ch = call_fee(cat, inputs.get("calls", "0"), inputs.get("already", "0"), inputs.get("free_before", "0"), policies)
    res = Result({}, policies={TIER_POSITION.name: choose(policies, TIER_POSITION)})
    add_tier_steps(res, ch)
    fee = BILLED(ch.amount)
    res.step("call fee, rounded to the fen", fee)
    res.outputs.update(fee=fee, unrounded=ch.amount)
    return res


@calc("apigw.shared.call_fee_periods", "Call fee over consecutive stretches, the position restarting where told",
      [items("counts", "calls", help="the calls of each stretch, in order"),
       items("resets", "", [], "indexes (0-based) of the stretches at which the cumulative count restarts")],
      policies=[TIER_POSITION])
def _call_fee_periods(cat, inputs, policies):
    """Several consecutive stretches of calls; ``reset`` lists after which stretches N restarts."""
    counts = [parse_count(c, "counts") for c in inputs["counts"]]
    resets = {int(i) for i in inputs.get("resets", [])}
    res = Result({}, policies={TIER_POSITION.name: choose(policies, TIER_POSITION)})
    total, n = ZERO, ZERO
    for i, c in enumerate(counts):
        if i in resets:
            n = ZERO
            res.step(f"stretch {i + 1}: cumulative count restarts", "0")
        ch = call_fee(cat, c, n, 0, policies)
        add_tier_steps(res, ch, f"stretch {i + 1}")
        n += c
        total += ch.amount
    res.step("total, rounded to the fen", BILLED(total))
    res.outputs.update(fee=BILLED(total))
    return res


def egress_fee(cat: CatalogView, region: str, gb: object) -> tuple[Decimal, Decimal]:
    """(unit price, unrounded fee) of ``gb`` internet egress in ``region``."""
    price = egress_price(cat, region)
    return price, price * nonneg(gb, "egress_gb")


@calc("apigw.shared.egress_hour", "One settlement hour of internet egress in one region",
      [moment("hour", help="any instant in the settlement hour; priced at the prices in force when the hour opens"),
       number("egress_gb", "GB", help="internet egress in the hour", minimum=0),
       choice("region", REGIONS, "guangzhou", "the region the gateway serves from (its egress price group)")],
      moment="hour")
def _egress_hour(cat, inputs, policies):
    """One settlement hour of egress (the period ``apigw.settlement.period``), settled when it ends."""
    w = settlement_window(cat, inputs["hour"])
    cat = cat.at(w.start)  # the hour is priced at the prices in force when it opens
    region = inputs["region"]
    group, zh = region_group(cat, region)
    price, fee = egress_fee(cat, region, inputs["egress_gb"])
    res = Result({})
    res.step("region and its price group", f"{region} ({zh}), {group}")
    res.step("settlement window", f"{w.start:%H:%M:%S} - {w.last_second:%H:%M:%S}")
    res.step("unit price", price, "CNY/GB")
    res.step("fee = price × GB", fee, f"{price} × {inputs['egress_gb']}")
    res.outputs.update(fee=BILLED(fee), settled_at=w.end, price=price)
    return res


@calc("apigw.shared.month_example", "A shared-instance month: call fee plus response and backend-request traffic",
      [count("calls", "calls", help="calls in the month"),
       number("response_kb", "KB", help="size of one response", minimum=0),
       number("request_kb", "KB", help="size of one request forwarded to the backend", minimum=0),
       choice("region", REGIONS, "guangzhou", "the region the gateway serves from (its egress price group)"),
       flag_input("backend_outside_region", True, "the backend is in another region or outside Tencent Cloud"),
       flag_input("websocket_backend", False, "the API's backend is a WebSocket (no call fee)"),
       ALREADY, FREE_BEFORE], policies=[GB_ROUNDING, TIER_POSITION])
def _month_example(cat, inputs, policies):
    """The guide's shared-instance month: calls, response and backend-request sizes, one region."""
    calls = parse_count(inputs["calls"], "calls")
    region = inputs.get("region", "guangzhou")
    outside = flag(inputs, "backend_outside_region", True)
    websocket = flag(inputs, "websocket_backend", False)
    reading = choose(policies, GB_ROUNDING)
    res = Result({}, policies={GB_ROUNDING.name: reading, TIER_POSITION.name: choose(policies, TIER_POSITION)})
    if websocket:
        fee = ZERO
        res.step("call fee", fee, "WebSocket backends pay no call fee")
    else:
        ch = call_fee(cat, calls, inputs.get("already", "0"), inputs.get("free_before", "0"), policies)
        add_tier_steps(res, ch)
        fee = BILLED(ch.amount)
    resp_gb = kb_to_gb(cat, calls * nonneg(inputs["response_kb"], "response_kb"))
    req_gb = kb_to_gb(cat, calls * nonneg(inputs["request_kb"], "request_kb")) if outside else ZERO
    res.step("response volume = calls × response KB / 1024²", resp_gb, "GB")
    res.step("backend request volume = calls × request KB / 1024²", req_gb,
             "GB; billed because the backend is outside the region" if outside else "GB; free, same-region backend")
    if reading == "as-printed":
        resp_priced, req_priced = round_at(resp_gb, "0.1"), round_at(req_gb, "0.01")
        res.step("volumes as the guide prints them", f"{resp_priced} GB, {req_priced} GB", "14.3 to 0.1, 4.77 to 0.01")
    else:
        resp_priced, req_priced = resp_gb, req_gb
    price = egress_price(cat, region)
    traffic = price * resp_priced + price * req_priced
    res.step("traffic fee = (response + request GB) × price", traffic, f"price {price} CNY/GB")
    traffic_b = BILLED(traffic)
    res.step("traffic fee, rounded to the fen", traffic_b)
    total = fee + traffic_b
    res.step("total = call fee + traffic fee", total)
    res.outputs.update(call_fee=fee, response_gb=resp_gb, request_gb=req_gb, traffic_fee=traffic_b,
                       traffic_unrounded=traffic, total=total)
    return res
