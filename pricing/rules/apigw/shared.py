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
from pricing.engine.calcs import calc, count, flag as flag_input, moment, number, choice, items, whole
from pricing.engine.money import BILLED, ZERO, nonneg, round_at
from pricing.engine.policies import choose, policy
from pricing.engine.statement import DEBIT_ROUNDING, line as statement_line, settle
from pricing.engine.results import Result
from pricing.engine.tiers import Slice, TierCharge, TierSchedule
from pricing.engine.units import parse_count
from pricing.engine.inputs import flag
from pricing.rules.conventions import DATA_BASE
from .common import REGIONS, egress_price, kb_to_gb, region_group, settlement_window

TIER_POSITION = policy(
    "apigw.tier.position",
    "Does the cumulative count N that picks the call tier include calls the free quota or a pack covered?",
    {"all-calls": "N counts every call of the month, free or paid: covered calls use up the first tier too",
     "billed-calls": "N counts only billed calls: the first tier is measured in billed calls (the tier column "
                     "is the month's count beyond the free calls)"},
    "billed-calls", "APIGW-TIER-POSITION")

TIER_KIND = policy(
    "apigw.tier.kind",
    "Are the call tiers graduated (each call at the price of the tier its position falls in) or volume "
    "(every call of the month at the price of the tier the month reaches)?",
    {"graduated": "each slice of positions at its own tier's price; an hour that crosses a bound is split",
     "volume": "the month's calls to date all at the price of the tier their count reaches; the calls billed "
               "earlier in the month are repriced (credited and charged again) when a bound is crossed"},
    "graduated", "APIGW-TIER-KIND")

TIER_SCOPE = policy(
    "apigw.tier.scope",
    "Over what does the cumulative count N run: the whole account, or each region on its own?",
    {"account-wide": "one count for the account, all regions together (the free quota and packs are account-level)",
     "per-region": "each region counts its own calls"},
    "account-wide", "APIGW-TIER-SCOPE")

BACKEND_BILLED = policy(
    "apigw.traffic.backend_billed",
    "Is traffic the gateway sends to a backend billed by its path (over the internet) or by the backend's "
    "location (another region or outside Tencent Cloud)?",
    {"by-path": "billed whenever the gateway reaches the backend over the public network, in any region "
                "(the outbound-traffic table); intranet traffic is free",
     "by-location": "billed only when the backend is in another region or outside Tencent Cloud (the note under "
                    "the table); a same-region backend on a public address is free"},
    "by-path", "APIGW-BACKEND-TRAFFIC")

GB_ROUNDING = policy(
    "apigw.example.gb_rounding",
    "Presentation: are the worked example's data volumes shown rounded as printed before they are priced?",
    {"as-printed": "round each volume to the precision the guide prints it at, then price (the printed derivation)",
     "exact": "price the exact volumes; round only the billed fee (what a bill does)"},
    "exact", "")


def call_fee(cat: CatalogView, calls: object, already: object = 0, free_before: object = 0,
             policies: dict | None = None) -> TierCharge:
    """Rate ``calls`` billed calls. ``already`` billed calls came earlier this month; ``free_before``
    more calls this month were covered by the free quota or packs (they move N under 'all-calls').
    Under ``apigw.tier.kind`` = volume the charge reprices the month to date (see :func:`volume_charge`)."""
    reading = choose(policies, TIER_POSITION)
    n = nonneg(already, "already") + (nonneg(free_before, "free_before") if reading == "all-calls" else ZERO)
    schedule = cat.tiers("apigw.shared.call_tiers")
    q = parse_count(calls, "calls")
    if choose(policies, TIER_KIND) == "volume":
        return volume_charge(schedule, q, n)
    return schedule.rate(q, n)


def tier_price_at(schedule: TierSchedule, position: Decimal) -> tuple[int, Decimal]:
    """(index, price) of the tier that holds ``position`` (position 0 is in the first tier)."""
    for i, t in enumerate(schedule.tiers):
        if t.up_to is None or position <= t.up_to:
            return i, t.price
    raise AssertionError("a schedule always ends with an open-ended tier")


def volume_charge(schedule: TierSchedule, quantity: Decimal, already: Decimal) -> TierCharge:
    """Volume pricing of positions already+1 .. already+quantity: the month to date at the price of the
    tier its count reaches, less what the earlier positions were charged at the tier they had reached."""
    end = already + quantity
    i, p = tier_price_at(schedule, end)
    slices = [Slice(i, schedule.tiers[i].label, ZERO, end, end, p, end / schedule.unit * p)]
    if already:
        j, q = tier_price_at(schedule, already)
        slices.append(Slice(j, f"less the earlier calls as charged ({schedule.tiers[j].label})", ZERO, already,
                            already, -q, -(already / schedule.unit * q)))
    return TierCharge(quantity, already, schedule.unit, tuple(slices))


def add_tier_steps(res: Result, charge: TierCharge, label: str = "call fee") -> None:
    for s in charge.slices:
        res.step(f"{label}: {s.label}", s.amount,
                 f"calls {s.start + 1}..{s.end} = {s.quantity} × {s.price} / {charge.unit}")


CALLS = count("calls", "calls", "0", "calls to rate (billed calls, after the free quota and packs)")
ALREADY = count("already", "calls", "0", "billed calls earlier in the same month (they set the tier position)")
FREE_BEFORE = count("free_before", "calls", "0",
                    "calls earlier this month that the free quota or a pack covered (move the position under 'all-calls')")


def _tier_policies(policies: dict | None) -> dict:
    return {p.name: choose(policies, p) for p in (TIER_POSITION, TIER_KIND)}


@calc("apigw.shared.call_fee", "Call fee: calls rated on the call tiers at the month's position",
      [CALLS, ALREADY, FREE_BEFORE], policies=[TIER_POSITION, TIER_KIND])
def _call_fee(cat, inputs, policies):
    ch = call_fee(cat, inputs.get("calls", "0"), inputs.get("already", "0"), inputs.get("free_before", "0"), policies)
    res = Result({}, policies=_tier_policies(policies))
    add_tier_steps(res, ch)
    fee = BILLED(ch.amount)
    res.step("call fee, rounded to the fen", fee)
    res.outputs.update(fee=fee, unrounded=ch.amount)
    return res


@calc("apigw.shared.call_fee_periods", "Call fee over consecutive stretches, the position restarting where told",
      [items("counts", "calls", help="the calls of each stretch, in order"),
       items("resets", "", [], "indexes (0-based) of the stretches at which the cumulative count restarts")],
      policies=[TIER_POSITION, TIER_KIND])
def _call_fee_periods(cat, inputs, policies):
    """Several consecutive stretches of calls; ``reset`` lists after which stretches N restarts."""
    counts = [parse_count(c, "counts") for c in inputs["counts"]]
    resets = {int(i) for i in inputs.get("resets", [])}
    res = Result({}, policies=_tier_policies(policies))
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


@calc("apigw.shared.call_fee_regions", "Call fee of several regions' calls in one month, counted account-wide or per region",
      [items("calls", help="lines '<region> <calls>' in the order the calls are made, e.g. 'guangzhou 600万'")],
      policies=[TIER_SCOPE, TIER_POSITION, TIER_KIND])
def _call_fee_regions(cat, inputs, policies):
    """Calls of several regions in one calendar month: one cumulative count for the account, or one per
    region (``apigw.tier.scope``); calls cost the same in every region."""
    scope = choose(policies, TIER_SCOPE)
    res = Result({}, policies={TIER_SCOPE.name: scope, **_tier_policies(policies)})
    counts: dict[str, Decimal] = {}
    total = ZERO
    for i, line in enumerate(inputs["calls"]):
        parts = str(line).split()
        if len(parts) != 2:
            from pricing.engine.errors import InputError
            raise InputError(f"calls[{i}]", line, "'<region> <calls>', e.g. 'guangzhou 600万'")
        region, n = parts[0], parse_count(parts[1], f"calls[{i}]")
        region_group(cat, region)  # validates the region
        key = "account" if scope == "account-wide" else region
        ch = call_fee(cat, n, counts.get(key, ZERO), 0, policies)
        add_tier_steps(res, ch, f"{region} ({'account count' if key == 'account' else 'its own count'})")
        counts[key] = counts.get(key, ZERO) + n
        total += ch.amount
    res.step("total, rounded to the fen", BILLED(total))
    res.outputs.update(fee=BILLED(total), unrounded=total)
    return res


@calc("apigw.shared.hourly_statement", "The same calls spread over many hourly bills, settled into one statement",
      [whole("hours", "hours", minimum=1, maximum=24 * 366, help="how many consecutive hourly bills"),
       count("calls_per_hour", "calls", help="billed calls in each hour"),
       moment("start", "2021-03-01T00:00:00", "the first hour; each hour is priced at its own instant")],
      moment="start", policies=[DEBIT_ROUNDING, TIER_POSITION, TIER_KIND])
def _hourly_statement(cat, inputs, policies):
    """Hourly call bills as statement lines (8 decimals), settled under ``billing.debit_rounding``
    (BILL-DEBIT-ROUNDING): what is debited over the period, and the precision line."""
    from datetime import timedelta
    reading = choose(policies, DEBIT_ROUNDING)
    hours, per_hour, start = inputs["hours"], inputs["calls_per_hour"], inputs["start"]
    lines, n = [], ZERO
    for h in range(hours):
        at = start + timedelta(hours=h)
        ch = call_fee(cat.at(at), per_hour, n, 0, policies)
        n += per_hour
        lines.append(statement_line(f"{at:%Y-%m-%d %H:00}", "calls", ch.amount, per_hour, "calls", at, reading=reading))
    st = settle(lines, policies)
    res = Result({}, policies={DEBIT_ROUNDING.name: reading, **_tier_policies(policies)})
    res.step("calls", per_hour * hours, f"{hours} hourly bills × {per_hour}")
    res.step("one hourly line", lines[0].amount, "kept at 8 decimals")
    res.step("first settlement debited", next(iter(st.bills.values()), ZERO) if st.bills else st.due)
    res.step("lines added up", st.subtotal)
    res.step("precision line (月度计费精度差异)", st.precision)
    res.step("debited over the period", st.due, f"reading {reading}")
    res.outputs.update(fee=st.due, subtotal=st.subtotal, precision=st.precision, calls=per_hour * hours)
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
       flag_input("backend_public", True, "the gateway reaches the backend over the public network (not the intranet)"),
       flag_input("websocket_backend", False, "the API's backend is a WebSocket (no call fee)"),
       ALREADY, FREE_BEFORE], policies=[GB_ROUNDING, BACKEND_BILLED, DATA_BASE, TIER_POSITION, TIER_KIND])
def _month_example(cat, inputs, policies):
    """The guide's shared-instance month: calls, response and backend-request sizes, one region."""
    calls = parse_count(inputs["calls"], "calls")
    region = inputs.get("region", "guangzhou")
    outside = flag(inputs, "backend_outside_region", True)
    public = flag(inputs, "backend_public", True)
    websocket = flag(inputs, "websocket_backend", False)
    reading = choose(policies, GB_ROUNDING)
    by = choose(policies, BACKEND_BILLED)
    billed = public if by == "by-path" else outside
    res = Result({}, policies={GB_ROUNDING.name: reading, BACKEND_BILLED.name: by,
                               DATA_BASE.name: choose(policies, DATA_BASE), **_tier_policies(policies)})
    if websocket:
        fee = ZERO
        res.step("call fee", fee, "WebSocket backends pay no call fee")
    else:
        ch = call_fee(cat, calls, inputs.get("already", "0"), inputs.get("free_before", "0"), policies)
        add_tier_steps(res, ch)
        fee = BILLED(ch.amount)
    resp_gb = kb_to_gb(cat, calls * nonneg(inputs["response_kb"], "response_kb"), policies)
    req_gb = kb_to_gb(cat, calls * nonneg(inputs["request_kb"], "request_kb"), policies) if billed else ZERO
    res.step("response volume = calls × response KB, in GB", resp_gb, f"GB (units.data_base: {res.policies[DATA_BASE.name]})")
    why = {("by-path", True): "billed: the backend is reached over the public network",
           ("by-path", False): "free: the backend is reached over the intranet",
           ("by-location", True): "billed: the backend is in another region or outside Tencent Cloud",
           ("by-location", False): "free: a same-region backend"}[(by, billed)]
    res.step("backend request volume = calls × request KB, in GB", req_gb, f"GB; {why}")
    if reading == "as-printed":
        resp_priced, req_priced = round_at(resp_gb, "0.1"), round_at(req_gb, "0.01")
        res.step("volumes as the guide prints them", f"{resp_priced} GB, {req_priced} GB",
                 "response to 0.1 GB, request to 0.01 GB (presentation)")
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
