"""价格文档 › 扩展资源包 / 大促资源包 · Extension packs and promotion packs (CloudBase).

Extension packs (扩展资源包: calls, capacity, SMS) are bought for one environment, take effect on
the day they are bought and lapse after ``cloudbase.pricelist.pack.validity``; once packs are held,
usage is drawn from the plan quota, then the packs (soonest-lapsing first), then paid as you go.
Promotion packs (大促资源包) are bought by the day for peaks beyond the plan's QPS or connection
limits; their contents and prices are those of the reserved-resources section.

A pack is an order: its price, contents and validity are those in force at the instant it is
bought, whatever the day it is drawn on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from pricing.engine.calcs import calc, catalog_column, choice, day, moment, whole as whole_input
from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, make_pool
from pricing.engine.errors import InputError, RuleError
from pricing.engine.money import integral, nonneg
from pricing.engine.periods import Window, add_months, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.units import WAN, convert_size
from . import lineup
from pricing.rules.conventions import month_end
from .pricelist import CALLS, FREE, PACK_WINDOW, overage_fee, overage_id, price_text
from .reserved import WINDOW as PACKAGE_DAY

PACKS = "cloudbase.pricelist.packs"
PROMOS = "cloudbase.pricelist.promo_packs"
RESERVED_CONTENTS = ("cloudbase.reserved.function_packages", "cloudbase.reserved.database_packages")

SAVING_SCOPE = policy(
    "cloudbase.pricelist.saving_scope",
    "Which packs does 'buying packs saves up to' the claimed share speak of?",
    {"call-packs": "the call packs (the largest saves exactly the claimed share)",
     "all-packs": "every extension pack, capacity and SMS packs included"},
    "call-packs", "CB-PL-PACK-SAVING")

PROMO_20T = policy(
    "cloudbase.pricelist.promo_20t",
    "The largest function promotion pack is named 预置并发内存 20T but its contents say 25TB: how much memory?",
    {"contents-25tb": "25 TB, as its contents and the 预留资源 section (预置并发内存25TB) say",
     "name-20tb": "20 TB, as its name says"},
    "contents-25tb", "CB-PL-PROMO-20T")

PACK_IDS = catalog_column(PACKS, "pack")
SECONDS_AN_HOUR = Decimal(3600)  # a unit conversion: 60 × 60
PROMO_IDS = catalog_column(PROMOS, "pack")


# ---------------------------------------------------------------------------------- extension packs
@dataclass(frozen=True)
class PackRow:
    pack: str
    zh: str
    metric: str
    amount: Decimal
    unit: str
    price: Decimal


def pack_row(cat: CatalogView, pack: object) -> PackRow:
    """An extension pack as sold at ``cat.moment`` (its order instant)."""
    rows = cat.rows(PACKS)
    for r in rows:
        if r["pack"] == pack:
            return PackRow(r["pack"], r["zh"], r["metric"], nonneg(r["amount"], "amount"), r["unit"],
                           nonneg(r["price"], "price"))
    raise InputError("pack", pack, f"a pack sold on {cat.moment:%Y-%m-%d}: " + " | ".join(r["pack"] for r in rows))


def pack_window(cat: CatalogView, bought: object, policies: dict | None = None) -> tuple[Window, str]:
    """The validity window of a pack bought at ``bought``, with the validity in force then."""
    reading = choose(policies, PACK_WINDOW)
    t = as_datetime(bought, "bought")
    days = cat.at(t).timedelta("cloudbase.pricelist.pack.validity")
    if reading == "natural-days":
        start = datetime.combine(t.date(), time())
        return Window(start, start + days), reading
    if reading == "30x24h":
        return Window(t, t + days), reading
    # one calendar month, as the refund section's console row (its validity: cloudbase.pack_refunds.screenshot_validity)
    months = cat.at(t).duration("cloudbase.pack_refunds.screenshot_validity").months
    return Window(t, add_months(t, months, month_end(policies))), reading


def in_quota_unit(cat: CatalogView, metric: str, amount: Decimal) -> Decimal:
    """A pack amount (in the metric's base unit) in the metric's quota unit (÷ 10000 for 万)."""
    return amount / lineup.factor(cat, metric) if metric in lineup.metric_ids(cat) else amount


def pack_pool(cat: CatalogView, spec: dict, policies: dict | None = None, index: int = 0) -> Pool:
    """A held extension pack as a drawdown pool (priority 1, after the plan quota).
    ``spec``: pack id, bought (date), used (in the pack's own unit, default 0). The pack's contents
    and validity are those in force when it was bought. Call packs are drawn in the calls quota
    unit; capacity (held) packs raise the ceiling while valid."""
    if not isinstance(spec, dict) or "pack" not in spec or "bought" not in spec:
        raise InputError(f"packs[{index}]", spec, "a table with pack, bought and optionally used")
    bought = as_datetime(spec["bought"], f"packs[{index}].bought")
    at_order = cat.at(bought)
    row = pack_row(at_order, spec["pack"])
    used = nonneg(spec.get("used", "0"), f"packs[{index}].used")
    if used > row.amount:
        raise InputError(f"packs[{index}].used", spec.get("used"), f"at most the pack's {row.amount} {row.unit}")
    held = row.metric in lineup.metric_ids(at_order) and lineup.accrual(at_order, row.metric) == "held"
    if held and used:
        raise InputError(f"packs[{index}].used", spec.get("used"), "0: a capacity pack is a ceiling, not used up")
    left = in_quota_unit(at_order, row.metric, row.amount - used)
    w, _ = pack_window(cat, bought, policies)
    return make_pool(f"{row.pack}#{index + 1}", "resource-pack", row.metric, left, 1, w, source=f"扩展资源包 {row.zh}")


def pack_pools(cat: CatalogView, plan: str, raw: object, policies: dict | None = None) -> list[Pool]:
    if raw in (None, "", []):
        return []
    if plan == FREE:
        raise RuleError("packs", "a free environment cannot buy extension packs (免费环境不支持资源额外加购)")
    if not isinstance(raw, list):
        raise InputError("packs", raw, "a list of tables {pack, bought, used}")
    return [pack_pool(cat, p, policies, i) for i, p in enumerate(raw)]


BOUGHT = moment("bought", None, "the order instant (default: the as-of date): the pack as sold then")


@calc("cloudbase.pricelist.pack_price", "An extension pack's price, for one or more packs",
      [choice("pack", PACK_IDS, help="an extension pack of cloudbase.pricelist.packs"),
       whole_input("count", "packs", "1", minimum=1), BOUGHT], moment="bought")
def _pack_price(cat, inputs, policies):
    row = pack_row(cat, inputs["pack"])
    n = inputs["count"]
    res = Result({})
    res.step(f"{row.zh} ({row.pack})", row.price, f"CNY per pack of {row.amount} {row.unit}, as sold on {cat.moment:%Y-%m-%d}")
    res.step("packs", n)
    res.outputs.update(price=row.price, fee=row.price * n, amount=row.amount * n)
    return res


@calc("cloudbase.pricelist.pack_window", "When an extension pack bought at a moment covers usage, and when it lapses",
      [moment("bought", help="the order instant")], moment="bought", policies=[PACK_WINDOW])
def _pack_window(cat, inputs, policies):
    w, reading = pack_window(cat, inputs["bought"], policies)
    res = Result({}, policies={PACK_WINDOW.name: reading})
    res.step("bought", inputs["bought"], f"validity in force then: {cat.timedelta('cloudbase.pricelist.pack.validity').days} days")
    res.step("covers from", w.start)
    res.step("last second covered", w.last_second)
    res.step("lapses at", w.end)
    span = w.end - w.start
    res.outputs.update(start=w.start, last_second=w.last_second, lapses_at=w.end, last_day=w.last_second.date(),
                       days=Decimal(span.days) + Decimal(span.seconds) / 86400)
    return res


def pack_saving(cat: CatalogView, pack: str) -> tuple[Decimal, Decimal, str]:
    """(pay-as-you-go cost of the pack's full contents, saving share, how) for one extension pack,
    at ``cat.moment``. Calls: at the calls overage price; SMS: as cloudbase.pricelist.calls.per_sms
    calls each; a held metric (capacity): the amount held above the quota for the pack's validity
    at the per-day price."""
    row = pack_row(cat, pack)
    if row.metric == CALLS:
        payg = overage_fee(cat, CALLS, in_quota_unit(cat, CALLS, row.amount))
        how = f"{row.amount} calls at {price_text(cat, CALLS)}"
    elif row.metric in lineup.metric_ids(cat) and lineup.accrual(cat, row.metric) == "held":
        days = cat.timedelta("cloudbase.pricelist.pack.validity").days
        price = cat.dec(overage_id(row.metric))
        payg = row.amount * price * days
        how = f"{row.amount} {row.unit} × {price} × {days} days"
    elif row.metric in lineup.metric_ids(cat):
        payg = overage_fee(cat, row.metric, in_quota_unit(cat, row.metric, row.amount))
        how = f"{row.amount} {row.unit} at {price_text(cat, row.metric)}"
    else:  # SMS: each one becomes calls
        per_sms = cat.dec("cloudbase.pricelist.calls.per_sms")
        calls = row.amount * per_sms
        payg = overage_fee(cat, CALLS, in_quota_unit(cat, CALLS, calls))
        how = f"{row.amount} SMS × {integral(per_sms)} calls = {calls} calls at {price_text(cat, CALLS)}"
    return payg, 1 - row.price / payg, how


ON = day("on", None, "the day (default: the as-of date): the packs and prices in force then")


@calc("cloudbase.pricelist.pack_saving", "One extension pack against paying its contents as you go",
      [choice("pack", PACK_IDS), ON], moment="on")
def _pack_saving(cat, inputs, policies):
    row = pack_row(cat, inputs["pack"])
    payg, saving, how = pack_saving(cat, row.pack)
    res = Result({})
    res.step("pay-as-you-go cost of the contents", payg, how)
    res.step("pack price", row.price)
    res.step("saving = 1 − price / pay-as-you-go", saving)
    res.outputs.update(payg=integral(payg), price=row.price, saving=saving, saving_pct=integral(saving * 100))
    return res


@calc("cloudbase.pricelist.max_saving", "The largest saving of any pack, against the claim of the pack-refund section",
      [ON], moment="on", policies=[SAVING_SCOPE])
def _max_saving(cat, inputs, policies):
    scope = choose(policies, SAVING_SCOPE)
    res = Result({}, policies={SAVING_SCOPE.name: scope})
    best, best_pack = None, ""
    for r in cat.rows(PACKS):
        if scope == "call-packs" and r["metric"] != CALLS:
            continue
        payg, saving, how = pack_saving(cat, r["pack"])
        res.step(f"{r['zh']}: saving", (saving * 100), f"% — {r['price']} vs {payg} ({how})")
        if best is None or saving > best:
            best, best_pack = saving, r["pack"]
    claim = cat.dec("cloudbase.pack_refunds.max_saving")
    res.step("largest saving", best * 100, f"% ({best_pack}); the guide claims at most {claim * 100}%")
    res.outputs.update(max_saving_pct=integral(best * 100), pack=best_pack, within_claim=best <= claim)
    return res


# ---------------------------------------------------------------------------------- promotion packs
def promo_row(cat: CatalogView, pack: object) -> dict:
    """A promotion pack as sold at ``cat.moment``: its name as 价格文档 prints it, with contents and
    price (CNY per day) taken from the 预留资源 entries (which print the price in 万元)."""
    rows = cat.rows(PROMOS)
    for r in rows:
        if r["pack"] == pack:
            contents = next((c for t in RESERVED_CONTENTS for c in cat.rows(t) if c["package"] == pack), None)
            if contents is None:
                raise InputError("pack", pack, "a pack whose contents the 预留资源 tables list")
            price = integral(cat.dec(f"cloudbase.reserved.price.{pack}") * WAN)
            return {**contents, **r, "price": price}
    raise InputError("pack", pack, f"a promotion pack sold on {cat.moment:%Y-%m-%d}: " + " | ".join(r["pack"] for r in rows))


def promo_memory_tb(cat: CatalogView, row: dict, policies: dict | None = None) -> Decimal:
    """Provisioned memory of a function pack in TB (1 TB = 1024 GB): its contents, or its name under 'name-20tb'."""
    if "memory" not in row:
        raise InputError("pack", row["pack"], "a function pack (预置并发内存 …): database packs hold no memory")
    if choose(policies, PROMO_20T) == "name-20tb" and row["name_memory_tb"]:
        return nonneg(row["name_memory_tb"], "name_memory_tb")
    return convert_size(row["memory"], row["memory_unit"], "TB")


@calc("cloudbase.pricelist.promo_cost", "A promotion pack bought for whole days",
      [choice("pack", PROMO_IDS),
       whole_input("days", "days", "1", "whole days bought (promotion packs are bought per day)", minimum=1),
       moment("bought", None, "the order instant (default: the as-of date, and no coverage window is shown)")],
      moment="bought", policies=[PACKAGE_DAY])
def _promo_cost(cat, inputs, policies):
    """An order of a promotion pack for ``days`` whole days, priced at its order instant; what a bought
    day covers is the reserved packages' question (``cloudbase.reserved.window``, CB-RES-WINDOW)."""
    from .reserved import window as package_window
    row = promo_row(cat, inputs["pack"])
    days = Decimal(inputs["days"])
    price = row["price"]
    reading = choose(policies, PACKAGE_DAY)
    res = Result({}, policies={PACKAGE_DAY.name: reading})
    res.step(f"{row['name']} ({row['group']})", price, f"CNY per day (预留资源: {row['price'] / WAN} 万元)")
    res.step("days bought", days)
    fee = price * days
    res.step("fee = price × days", fee)
    res.outputs.update(price=price, fee=fee, env_qps=nonneg(row["env_qps"], "env_qps"))
    if inputs["bought"] is not None:
        t = inputs["bought"]
        w = package_window(t, int(days), policies)
        end = w.end
        res.step("effective from", t, "the day of purchase (当天生效)")
        res.step("last second covered", end - timedelta(seconds=1), PACKAGE_DAY.choices[reading])
        res.outputs.update(start=t, last_second=end - timedelta(seconds=1),
                           hours_covered=Decimal((end - t) // timedelta(seconds=1)) / SECONDS_AN_HOUR)
    return res


@calc("cloudbase.pricelist.promo_rate", "A function promotion pack's price per TB of provisioned memory per day",
      [choice("pack", PROMO_IDS), ON],
      moment="on", policies=[PROMO_20T])
def _promo_rate(cat, inputs, policies):
    row = promo_row(cat, inputs["pack"])
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
