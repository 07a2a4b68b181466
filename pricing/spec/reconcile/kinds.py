"""How each kind of bill line is recomputed from the usage on it (the Decimal reference).

:func:`price_line` is the reference for one line: it reads prices through the rules' own helpers on
the catalog dated at the line's start (``catalog.as_of(FeeBeginTime)``), takes the line's tier
position and what the free quota and packs covered (from the caller's running state), and returns
the recomputed fields, the derivation steps and the checks. :func:`relations` checks the Billing
API's own relations on any line, covered or not. Everything is ``Decimal``; a product that needs
more than 8 decimals is brought to the bill's 8 decimals by :data:`LINE_8DP`, the one rounding point.

Kinds (``mapping.toml`` ``kind``):

- ``apigw.calls`` 调用次数: graduated tiers ``apigw.shared.call_tiers`` at the position of the line's tier
  scope and month (:func:`pricing.rules.apigw.shared.call_fee`; policies ``apigw.tier.position``,
  ``apigw.tier.scope``, ``apigw.tier.kind``);
- ``apigw.egress`` 外网出流量: GB × the region's price (:func:`pricing.rules.apigw.common.egress_price`);
- ``apigw.dedicated`` 专享实例 按量计费: the hourly price × hours (:func:`pricing.rules.apigw.dedicated.price`),
  under ``apigw.dedicated.payg.unit_price``: the list price and the 上云折扣 with their exact product, or
  the printed discounted price;
- ``cloudbase.plan`` 套餐: :func:`pricing.rules.cloudbase.lineup.plan_price` × months;
- ``cloudbase.overage`` 超限: what the cycle engine (:mod:`pricing.rules.cloudbase.cycle`) left of the day's
  usage after the plan quota and packs, at :func:`pricing.rules.cloudbase.pricelist.overage_price`;
- ``cloudbase.pack`` 扩展资源包: the pack table's price; ``cloudbase.reserved`` 预留资源: the package's daily price × days.

Reconcile declares no policy of its own (:func:`policies_read` lists those it reads), and the month's
debit is the engine's statement (:func:`month_due`, ``billing.debit_rounding``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import InputError, PricingError, RuleError
from pricing.engine.money import ONE, ZERO, D, fmt
from pricing.engine.periods import as_datetime
from pricing.engine.policies import choose
from pricing.engine.results import Step, show
from pricing.engine.statement import DEBIT, LINE
from .lines import NOT_AVAILABLE, available
from .mapping import Rule, find_param

LINE_8DP = LINE
"""A bill line's amount: half-up to 1e-8 yuan, the 8 decimals the Billing API prints. It is the
engine's own line rounding (:data:`pricing.engine.statement.LINE`), the one rounding point of a line."""

POSITION_METRIC = {"apigw.calls": "calls", "apigw.egress": "egress_gb"}
"""Kinds whose usage is drawn through the free quota and resource packs (metric of the pools)."""


class LineError(PricingError):
    """A field of a line that cannot be read: names the line's source, the field and the value."""

    def __init__(self, source: str, field: str, got: str, allowed: str):
        super().__init__(f"{source}: {field}: got {got!r}; allowed: {allowed}")


NUMERIC = ("SinglePrice", "UsedAmount", "RealTotalMeasure", "DeductedMeasure", "TimeSpan", "Cost", "Discount",
           "RealCost", "OriginalCostWithRI", "OriginalCostWithSP", "CashPayAmount", "IncentivePayAmount",
           "VoucherPayAmount", "TransferPayAmount")
"""The numeric fields of a line (money and quantities) in the export's order, each read by :func:`number`
on both engines, and every one of them on every line (:func:`check_numbers`)."""


def number(text: str, f: str) -> Decimal | None:
    """The one reading of a numeric field's text (both engines): None when not available ("-"), else
    :func:`pricing.engine.money.D` (no comma, NaN or infinity refused, ``-0`` normalised to 0), raising
    :class:`InputError` naming ``f``."""
    if not available(text):
        return None
    return D(text.strip(), f)


def when(text: str, f: str) -> datetime | None:
    """The one reading of a time field's text (both engines; FeeBeginTime, and PayTime where it is read:
    FeeEndTime is not read, a line's span being its TimeSpan): None when not available, else a moment in
    Beijing time by :func:`pricing.engine.periods.as_datetime` (an offset converted, 2000..2100),
    raising :class:`InputError` naming ``f``."""
    if not available(text):
        return None
    return as_datetime(text.strip(), f)


def dec(line: dict, f: str) -> Decimal | None:
    """A decimal field, or None when the bill says it is not available ("-")."""
    try:
        return number(line[f], f)
    except InputError as e:
        raise LineError(line["Source"], f, line[f], f"{e.allowed}, or '-'") from None


def moment(line: dict, f: str) -> datetime | None:
    """A time field in Beijing time, or None when not available (see :func:`when`)."""
    try:
        return when(line[f], f)
    except InputError as e:
        raise LineError(line["Source"], f, line[f], f"{e.allowed}, or '-'") from None


def check_numbers(line: dict) -> None:
    """Every numeric field of a line read by :func:`number`, in the export's order, whether a check uses
    it or not: a bad value is refused wherever it is (the fast engine parses every one of them too)."""
    for f in NUMERIC:
        dec(line, f)


def canon(d: Decimal | None) -> Decimal | None:
    """One spelling per value, whatever the path that computed it: 20305.00 -> 20305, 0.000000 -> 0."""
    if d is None:
        return None
    return d.quantize(ONE) if d == d.to_integral_value() else d.normalize()


MONEY = ("SinglePrice", "Cost", "RealCost")


def text_of(field_name: str, d: Decimal | None) -> str:
    """A recomputed field as the bill writes it: money at 8 decimals, quantities without trailing zeros."""
    if d is None:
        return "-"
    if field_name in MONEY and -canon(d).as_tuple().exponent <= 8:
        return fmt(d.quantize(Decimal("1E-8")))
    return fmt(canon(d))


def per_of(price_unit: str) -> Decimal:
    """The quantity a price is for, from the PriceUnit text: '元/100个/小时' -> 100, '元/万次' -> 1."""
    m = re.match(r"\s*元/(\d+)", price_unit or "")
    return Decimal(m.group(1)) if m else ONE


@dataclass
class Check:
    name: str
    ok: bool | None          # None: not checkable (a field is "-")
    billed: str = ""
    expected: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "ok": self.ok, "billed": self.billed, "expected": self.expected, "note": self.note}


def _same(name: str, billed: Decimal | None, expected: Decimal | None, note: str = "") -> Check:
    if billed is None or expected is None:
        return Check(name, None, text_of(name, billed), text_of(name, expected), note or "not available on the line")
    return Check(name, billed == expected, text_of(name, billed), text_of(name, expected), note)


def relations(line: dict) -> list[Check]:
    """The Billing API's relations between a line's own fields (checked on every line)."""
    used, real, ded = dec(line, "UsedAmount"), dec(line, "RealTotalMeasure"), dec(line, "DeductedMeasure")
    price, cost, disc, rc = dec(line, "SinglePrice"), dec(line, "Cost"), dec(line, "Discount"), dec(line, "RealCost")
    span = dec(line, "TimeSpan")
    out = []
    if used is not None and real is not None and ded is not None:
        out.append(_same("UsedAmount = RealTotalMeasure − DeductedMeasure", used, real - ded))
    if price is not None and used is not None and cost is not None:
        per = per_of(line["PriceUnit"])
        exp = LINE_8DP(price * used * (span if span is not None else ONE) / per)
        out.append(_same("Cost = SinglePrice × UsedAmount × TimeSpan", cost, exp,
                         f"per {per} in the price unit {line['PriceUnit']}" if per != ONE else ""))
    if cost is not None and disc is not None and rc is not None:
        ri, sp = dec(line, "OriginalCostWithRI") or ZERO, dec(line, "OriginalCostWithSP") or ZERO
        out.append(_same("RealCost = (Cost − OriginalCostWithRI − OriginalCostWithSP) × Discount", rc,
                         LINE_8DP((cost - ri - sp) * disc)))
    pays = [dec(line, f) for f in ("CashPayAmount", "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount")]
    if rc is not None and any(p is not None for p in pays):
        out.append(_same("Cash + Incentive + Voucher + Transfer = RealCost", sum((p for p in pays if p is not None), ZERO), rc))
    return out


@dataclass
class Priced:
    """The recomputation of one line: fields, derivation, checks."""

    recomputed: dict[str, Decimal | None] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    param: str = ""

    def step(self, label: str, value, note: str = "") -> None:
        self.steps.append(Step(label, show(value) if not isinstance(value, str) else value, note))


def _factor(units: dict, unit: str, field_name: str, source: str) -> Decimal:
    if unit in units:
        return units[unit]
    raise LineError(source, field_name, unit, " | ".join(units) or "(no unit declared in mapping.toml)")


def quantities(line: dict, rule: Rule) -> tuple[Decimal, Decimal | None, Decimal]:
    """(total before deduction, billed deduction or None, factor) in the rule's unit."""
    f = _factor(rule.quantity_units, line["UsedAmountUnit"], "UsedAmountUnit", line["Source"])
    used, real, ded = dec(line, "UsedAmount"), dec(line, "RealTotalMeasure"), dec(line, "DeductedMeasure")
    if real is None:
        if used is None:
            raise LineError(line["Source"], "UsedAmount", line["UsedAmount"], "a quantity (the line has neither UsedAmount nor RealTotalMeasure)")
        real = used + (ded or ZERO)
    return real * f, (ded * f if ded is not None else None), f


def hours_or_span(line: dict, rule: Rule) -> Decimal:
    span = dec(line, "TimeSpan")
    if span is None:
        return ONE
    if rule.time_units:
        return span * _factor(rule.time_units, line["TimeUnitName"], "TimeUnitName", line["Source"])
    return span



# ---------------------------------------------------------------------------------- the readings
def policies_read() -> tuple:
    """Every named policy a reconciliation reads (its stamp lists each with the reading used). One
    question, one policy: reconcile declares none of its own; each is the rules' or the engine's."""
    from pricing.engine.statement import DEBIT_ROUNDING
    from pricing.rules.apigw import billing, dedicated, free_quota, shared
    from pricing.rules.cloudbase import cycle, monthly, plans, pricelist
    return (shared.TIER_POSITION, shared.TIER_KIND, shared.TIER_SCOPE, billing.TIER_MONTH, free_quota.PERIOD,
            free_quota.BOUNDARY, dedicated.UNIT_PRICE, DEBIT_ROUNDING, pricelist.PACK_WINDOW, pricelist.FLOW_PER_DAY,
            pricelist.CAPACITY_QUOTA, cycle.HELD_DAY, plans.QUOTA_START, monthly.MONTH_END)


UNSUPPORTED = {
    "apigw.tier.month": {"free-quota-period": "reconcile runs the tier position over the calendar month of use; "
                                              "the free-quota period's position needs the periods of the account"},
}
"""Readings a reconciliation cannot follow: choosing one is refused, naming it (never a silent other reading)."""


def check_policies(policies: dict | None) -> dict:
    """The readings of every policy reconcile reads (validated; unknown names and unsupported readings refused)."""
    read = policies_read()
    names = [p.name for p in read]
    for k in policies or {}:
        if k not in names:
            raise InputError("policies", k, "a policy reconcile reads: " + ", ".join(names))
    out = {}
    for p in read:
        r = choose(policies, p)
        if r in UNSUPPORTED.get(p.name, {}):
            raise InputError(f"policies[{p.name!r}]", r, " | ".join(c for c in p.choices if c not in UNSUPPORTED[p.name])
                             + f" ({UNSUPPORTED[p.name][r]})")
        out[p.name] = r
    return out


def norm(text: str) -> str:
    """A key's text: trimmed, and '-' for 'not available'."""
    t = (text or "").strip()
    return "-" if t in NOT_AVAILABLE else t


def scope_key(line: dict, use_month: str, policies: dict | None) -> tuple:
    """The tier position's key of a calls line (policy ``apigw.tier.scope``): the account (OwnerUin,
    '-' when the export does not say) and the month of use, and the region under 'per-region'."""
    from pricing.rules.apigw.shared import TIER_SCOPE
    owner = norm(line.get("OwnerUin", "-"))
    if choose(policies, TIER_SCOPE) == "per-region":
        return (owner, norm(line["RegionName"]), use_month)
    return (owner, use_month)


# ---------------------------------------------------------------------------------- one line
@dataclass
class CycleRating:
    """What the CloudBase cycle engine (:mod:`pricing.rules.cloudbase.cycle`) gives one overage line:
    in the metric's base unit, what the plan quota and packs covered and what is left, and its fee."""

    covered: Decimal
    uncovered: Decimal
    fee: Decimal
    steps: list


def price_line(view: CatalogView, line: dict, rule: Rule, policies: dict | None, position: dict | None = None,
               deducted: Decimal | None = None, pool_steps: list | None = None,
               cycle: CycleRating | None = None) -> Priced:
    """Recompute one covered line at ``view`` (the catalog at the line's start).

    ``position`` (calls lines): ``{"billed": calls billed earlier in the position's scope and month,
    "covered": calls the free quota or packs covered earlier}``. ``deducted``: what the pools cover
    of this line in the rule's unit (None: take the bill's DeductedMeasure, not verified). ``cycle``
    (CloudBase overage lines): the cycle engine's drawdown of the line (None: the deduction as
    billed, not verified). Raises :class:`LineError`, :class:`InputError` or :class:`RuleError` for
    a line the rule cannot price (the caller marks it)."""
    from pricing.rules.apigw import common, dedicated, shared
    from pricing.rules.cloudbase import lineup, packs, pricelist, reserved
    p = Priced()
    k = rule.kind
    billed = {f: dec(line, f) for f in ("SinglePrice", "UsedAmount", "DeductedMeasure", "Cost", "Discount", "RealCost")}
    ri, sp = dec(line, "OriginalCostWithRI") or ZERO, dec(line, "OriginalCostWithSP") or ZERO
    disc = billed["Discount"] if billed["Discount"] is not None else ONE
    p.step("priced as of", view.moment, "the line's start: the catalog version in force then")
    if k in POSITION_METRIC:
        total, billed_ded, f = quantities(line, rule)
        total = canon(total)
        deducted = canon(deducted)
        if deducted is None:
            deducted = canon(billed_ded) if billed_ded is not None else ZERO
            p.step("deducted by the free quota and packs", deducted, "as billed: no account facts given (--account), not verified")
        else:
            for s in pool_steps or []:
                p.steps.append(s)
            p.step("deducted by the free quota and packs", deducted, "drawn down through the account's pools in time order")
        deducted = canon(min(deducted, total))
        used = canon(total - deducted)
        p.recomputed["UsedAmount"] = used / f
        p.recomputed["DeductedMeasure"] = deducted / f
        if k == "apigw.calls":
            pos = {k_: canon(v) for k_, v in (position or {"billed": ZERO, "covered": ZERO}).items()}
            tiers = view.tiers("apigw.shared.call_tiers")
            reading = choose(policies, shared.TIER_POSITION)
            charge = shared.call_fee(view, used, pos["billed"], pos["covered"] + deducted, policies)
            start = charge.already
            p.step("calls on the line", total, f"{line['UsedAmount'] if billed_ded is None else line['RealTotalMeasure']} "
                                                f"{line['UsedAmountUnit']} × {f}")
            p.step("tier position before the billed calls", start,
                   f"policy apigw.tier.position = {reading}: the month's calls before this line in the position's scope "
                   f"(apigw.tier.scope = {choose(policies, shared.TIER_SCOPE)}), "
                   + ("free and billed, and this line's covered calls" if reading == "all-calls" else "billed only"))
            for s in charge.slices:
                p.step(f"tier {s.tier + 1} {s.label}", s.amount, f"calls {s.start + 1}..{s.end} = {s.quantity} × {s.price} / {charge.unit}")
            if len(charge.slices) == 1 or not charge.slices:
                t = charge.slices[0].tier if charge.slices else next(
                    (i for i, t in enumerate(tiers.tiers) if t.up_to is None or t.up_to > start), len(tiers.tiers) - 1)
                p.recomputed["SinglePrice"] = tiers.tiers[t].price * f / tiers.unit
            else:
                p.recomputed["SinglePrice"] = None
                p.step("unit price", "-", "the line's calls fall in two tiers (or are repriced): no single price, compared by cost")
            cost = LINE_8DP(charge.amount)
            p.step("cost = Σ tier slices", cost, "at 8 decimals")
        else:
            region, zh = find_param(view, rule.param, line[rule.param.field])
            p.param = region
            price = common.egress_price(view, region)
            group, _ = common.region_group(view, region)
            p.step("region and its price group", f"{region} ({zh}), {group}")
            p.recomputed["SinglePrice"] = price * f
            cost = LINE_8DP(price * used)
            p.step("cost = GB billed × price", cost, f"{used} GB × {price} CNY/GB")
        p.recomputed["Cost"] = cost
    elif k == "apigw.dedicated":
        edition, zh = find_param(view, rule.param, line[rule.param.field])
        p.param = edition
        pr = dedicated.price(view, edition, "hourly", policies)
        units = billed["UsedAmount"] if billed["UsedAmount"] is not None else ONE
        hours = hours_or_span(line, rule)
        reading = choose(policies, dedicated.UNIT_PRICE)
        p.step("edition", f"{edition} ({zh})")
        p.step("list hourly price · 上云折扣", f"{pr['list']} × {pr['discount']}", f"discounted {pr['exact']}, to the fen {pr['price']}")
        if reading == "exact-product":
            cost = LINE_8DP(pr["list"] * units * hours)
            p.step("cost = list price × instances × hours", cost, f"{pr['list']} × {units} × {hours}")
            disc = pr["discount"]
            p.recomputed.update(SinglePrice=pr["list"], Cost=cost, Discount=disc)
            note = ("policy apigw.dedicated.payg.unit_price = exact-product: the line shows the list price and the "
                    "上云折扣, and its real cost is their exact product at 8 decimals")
        else:
            cost = LINE_8DP(pr["price"] * units * hours)
            p.step("cost = printed hourly price × instances × hours", cost, f"{pr['price']} × {units} × {hours}")
            disc = ONE
            p.recomputed.update(SinglePrice=pr["price"], Cost=cost, Discount=ONE)
            note = ("policy apigw.dedicated.payg.unit_price = printed-price: each second at the printed discounted "
                    "price, so the line shows that price with no further discount")
        p.step("unit price read", reading, note)
        p.recomputed["UsedAmount"] = billed["UsedAmount"]
    elif k == "cloudbase.plan":
        plan, zh = find_param(view, rule.param, line[rule.param.field])
        p.param = plan
        price = lineup.plan_price(view, plan)
        units = billed["UsedAmount"] if billed["UsedAmount"] is not None else ONE
        months = hours_or_span(line, rule)
        cost = LINE_8DP(price * units * months)
        p.step("plan and its monthly list price", price, f"{plan} ({zh})")
        p.step("cost = price × plans × months", cost, f"{price} × {units} × {months}")
        p.recomputed.update(SinglePrice=price, UsedAmount=billed["UsedAmount"], Cost=cost)
    elif k == "cloudbase.overage":
        total, billed_ded, f = quantities(line, rule)
        p.param = rule.metric
        price, per = pricelist.overage_price(view, rule.metric)
        base = lineup.factor(view, rule.metric)
        days = hours_or_span(line, rule)
        p.step("overage price", price, f"per {canon(per)} {lineup.metric_row(view, rule.metric)['base_unit']}; "
                                       f"×{canon(base)} from the quota's unit")
        if cycle is None:
            ded = billed_ded if billed_ded is not None else ZERO
            used = total - ded
            fee = pricelist.overage_fee(view, rule.metric, used)
            cost = LINE_8DP(fee * days)
            p.step("usage beyond the plan quota and packs", used, f"{rule.metric}, in the quota's unit; deducted as billed: "
                                                                  "no plan purchase line of this environment before it")
            deducted = ded
        else:
            if days != ONE:
                raise RuleError("TimeSpan", f"{line['TimeSpan']} {line['TimeUnitName']}: an overage line is one day's "
                                            "usage (TimeSpan 1 天) when the plan quota is drawn down")
            for s in cycle.steps:
                p.steps.append(s)
            deducted, used = cycle.covered / base, cycle.uncovered / base
            cost = LINE_8DP(cycle.fee)
            p.step("usage beyond the plan quota and packs", used,
                   f"{rule.metric}, in the quota's unit: drawn through the cycle's plan quota, then the packs held")
        p.step("cost = usage × price" + (" × days" if days != ONE else ""), cost)
        p.recomputed.update(SinglePrice=base * f * price / per, UsedAmount=canon(used / f),
                            DeductedMeasure=canon(deducted / f), Cost=cost)
    elif k == "cloudbase.pack":
        pack, zh = find_param(view, rule.param, line[rule.param.field])
        p.param = pack
        row = packs.pack_row(view, pack)
        units = billed["UsedAmount"] if billed["UsedAmount"] is not None else ONE
        cost = LINE_8DP(row.price * units * hours_or_span(line, rule))
        p.step("pack and its price", row.price, f"{pack} ({zh}): {row.amount} {row.unit}")
        p.step("cost = price × packs", cost)
        p.recomputed.update(SinglePrice=row.price, UsedAmount=billed["UsedAmount"], Cost=cost)
    elif k == "cloudbase.reserved":
        pid, zh = find_param(view, rule.param, line[rule.param.field])
        p.param = pid
        daily = reserved.daily_yuan(view, pid)
        units = billed["UsedAmount"] if billed["UsedAmount"] is not None else ONE
        days = hours_or_span(line, rule)
        cost = LINE_8DP(daily * units * days)
        p.step("package and its daily price", daily, f"{pid} ({zh}): {reserved.price_wan(view, pid)} 万元 × 10000")
        p.step("cost = daily price × packages × days", cost, f"{daily} × {units} × {days}")
        p.recomputed.update(SinglePrice=daily, UsedAmount=billed["UsedAmount"], Cost=cost)
    else:
        raise RuleError("kind", f"{k} is not priced line by line")
    if "RealCost" not in p.recomputed:
        real = LINE_8DP((p.recomputed["Cost"] - ri - sp) * disc)
        p.step("real cost = (cost − RI − SP) × discount", real, f"discount {disc}" + (" (上云折扣)" if k == "apigw.dedicated" and disc != ONE else " (the line's)" if k != "apigw.dedicated" else ""))
        p.recomputed["RealCost"] = real
    for f in ("SinglePrice", "UsedAmount", "DeductedMeasure", "Cost", "Discount", "RealCost"):
        if f in p.recomputed and not (f == "SinglePrice" and p.recomputed[f] is None and k == "apigw.calls"):
            if f == "DeductedMeasure" and billed[f] is None and p.recomputed[f] == ZERO:
                continue  # "-": nothing deducted is not shown
            p.checks.append(_same(f, billed[f], p.recomputed[f]))
    return p


ALTERNATIVES = {"apigw.calls": ("apigw.tier.position", "apigw.tier.kind"), "apigw.dedicated": ("apigw.dedicated.payg.unit_price",)}
"""Per kind, the policies whose other readings are tried on a line that differs (a reading of a register
entry that reproduces the line is named beside it)."""


def readings_that_match(view: CatalogView, line: dict, rule: Rule, policies: dict | None, **state) -> list[dict]:
    """For a line that differs: each other reading of the kind's policies (:data:`ALTERNATIVES`), one at a
    time, under which every recomputed field equals the billed one. ``[{"policy", "reading", "register"}]``."""
    from pricing.engine.policies import POLICIES
    out = []
    for name in ALTERNATIVES.get(rule.kind, ()):
        pol = POLICIES[name]
        now = choose(policies, pol)
        for r in pol.choices:
            if r == now:
                continue
            try:
                alt = price_line(view, line, rule, {**(policies or {}), name: r}, **state)
            except PricingError:
                continue
            if all(c.ok is not False for c in alt.checks):
                out.append({"policy": name, "reading": r, "register": pol.discrepancy})
    return out


def debit(amount: Decimal) -> Decimal:
    """A debit in fen: half-up (away from zero for refunds), the engine's :data:`pricing.engine.statement.DEBIT`."""
    return DEBIT(amount)


def month_due(reading: str, lines: Decimal, per_bill: Decimal) -> Decimal:
    """What a month debits under ``billing.debit_rounding`` (:func:`pricing.engine.statement.settle`),
    from the month's Σ lines at 8 decimals and Σ of each settlement's (transaction's) sum in fen:
    'line-8dp-debit-fen' debits the running total in fen, so the month's debits add up to its lines
    rounded once; 'per-bill-fen' each settlement rounded; 'exact' the lines themselves."""
    if reading == "line-8dp-debit-fen":
        return DEBIT(lines)
    if reading == "per-bill-fen":
        return per_bill
    return lines
