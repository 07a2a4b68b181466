"""测试账单 · Test bills: the bill export of a fictional account, written from the spec's own rules.

:func:`generate` bills a fictional account for one or more months with the rules' own functions,
each line priced at its own moment under the catalog given and the readings given (the defaults
unless told): graduated call tiers at the month's position of the account (``apigw.tier.scope``),
the free quota and a call pack drawn down in time order (:func:`pricing.engine.drawdown.drawdown`),
regional egress prices, the dedicated hourly price under ``apigw.dedicated.payg.unit_price``, and a
CloudBase environment billed by the cycle engine (:mod:`pricing.rules.cloudbase.cycle`: its plan
quota, then its extension pack, then overage, one run per billing cycle), with its plan, pack and
reserved-package orders. It adds the monthly precision line (月度计费精度差异) the engine's statement
gives (:func:`pricing.engine.statement.settle`, ``billing.debit_rounding``), and writes the export as
``DescribeBillDetail`` JSON pages and as CSV.

Errors of known kinds can be injected, one line each; :func:`generate` says which line carries
which error, so a test can require that reconciliation finds exactly those:

- ``wrong-tier``: a calls line beyond the first tier billed at the first tier's price;
- ``missed-free-quota``: a calls line the free quota covers, billed in full;
- ``pack-outside-window``: a calls line before the call pack starts, shown as covered by it;
- ``rounding-slip``: a line's real cost off by one unit of the 8th decimal;
- ``old-price``: an egress line after a dated price change, billed at the price before it (the
  catalog given must carry the change: a copy with a dated version);
- ``missed-plan-quota``: a CloudBase overage line (a day's calls) the plan quota covers, billed as
  if nothing were covered.

An injected error changes only the line it is on: the running state (tier position, pools, the
cycle's quota) stays the rules' own, as when a billing system slips on one line.
"""
from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta

from pricing.engine.catalog import Catalog
from pricing.engine.drawdown import drawdown
from pricing.engine.money import ZERO, fmt
from pricing.engine.policies import choose
from .kinds import LINE_8DP, debit, month_due
from .lines import COMPONENT_FIELDS, FIELDS, ROW_FIELDS

ERRORS = ("wrong-tier", "missed-free-quota", "pack-outside-window", "rounding-slip", "old-price", "missed-plan-quota")
ACCOUNT_UIN = "100012345678"
SERVICE = "service-fic0001"
DEDICATED = "apigw-ded0001"
ENV = "env-fic0001"
OTHER = "ins-fic0001"
ACTIVATED = "2026-10-10T10:00:00"   # the account's API Gateway activation: the free quota starts then
PACK_START = "2026-10-20T00:00:00"  # a 5,000,000-call pack of the account
PACK_CALLS = "5000000"
CB_PLAN = "standard"                # the CloudBase environment's plan (a row of cloudbase.plans)
CB_PACK = "calls_1000wan"           # its extension pack, bought each month (a row of cloudbase.pricelist.packs)
E8 = Decimal("1E-8")


def money(d: Decimal) -> str:
    """A bill's money text: 8 decimals, '0.04166400'."""
    return fmt(d.quantize(E8))


def qty(d: Decimal) -> str:
    """A bill's quantity text, without trailing zeros: '0.6944', '1'."""
    d = d.normalize()
    return fmt(d.quantize(Decimal(1))) if d == d.to_integral_value() else fmt(d)


@dataclass
class Bill:
    lines: list[dict] = field(default_factory=list)
    injected: dict[str, str] = field(default_factory=dict)   # line key (BillId#component index) -> error kind
    account: str = ""                                         # the account facts file (TOML text)

    def months(self, period_type: str = "byUsedTime") -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for ln in self.lines:
            t = ln["PayTime"] if period_type == "byPayTime" else ln["FeeBeginTime"]
            out.setdefault(t[:7], []).append(ln)
        return out


def key(line: dict) -> str:
    return f"{line['BillId']}#{line['_component']}"


def _row(bill_id: str, resource: str, business: tuple[str, str], product: tuple[str, str], pay_mode: str,
         action: tuple[str, str], region: tuple[str, str], begin: datetime, end: datetime, paid: datetime) -> dict:
    return {"BillId": bill_id, "OrderId": bill_id, "BusinessCode": business[0], "BusinessCodeName": business[1],
            "ProductCode": product[0], "ProductCodeName": product[1], "PayModeName": pay_mode,
            "ActionType": action[0], "ActionTypeName": action[1], "RegionId": region[0], "RegionName": region[1],
            "ZoneName": "其他", "ResourceId": resource, "ResourceName": resource, "PayTime": f"{paid:%Y-%m-%d %H:%M:%S}",
            "FeeBeginTime": f"{begin:%Y-%m-%d %H:%M:%S}", "FeeEndTime": f"{end:%Y-%m-%d %H:%M:%S}", "Formula": "-",
            "OwnerUin": ACCOUNT_UIN}


def _component(code: tuple[str, str], item: tuple[str, str], price: Decimal, price_unit: str, used: Decimal,
               used_unit: str, span: Decimal, span_unit: str, cost: Decimal, discount: Decimal,
               real_total: Decimal | None = None, deducted: Decimal | None = None, real_cost: Decimal | None = None) -> dict:
    rc = LINE_8DP(cost * discount) if real_cost is None else real_cost
    return {"ComponentCode": code[0], "ComponentCodeName": code[1], "ItemCode": item[0], "ItemCodeName": item[1],
            "SinglePrice": money(price), "PriceUnit": price_unit, "UsedAmount": qty(used), "UsedAmountUnit": used_unit,
            "RealTotalMeasure": "-" if real_total is None else qty(real_total),
            "DeductedMeasure": "-" if deducted is None else qty(deducted),
            "TimeSpan": qty(span), "TimeUnitName": span_unit, "Cost": money(cost), "Discount": qty(discount),
            "RealCost": money(rc), "OriginalCostWithRI": money(ZERO), "OriginalCostWithSP": money(ZERO),
            "CashPayAmount": money(rc), "IncentivePayAmount": money(ZERO), "VoucherPayAmount": money(ZERO),
            "TransferPayAmount": money(ZERO)}


APIGW = ("p_apigateway", "API网关")
SHARED = ("sp_apigateway_shared", "API网关-共享实例")
DEDI = ("sp_apigateway_dedicated", "API网关-专享实例")
TCB = ("p_tcb", "云开发CloudBase")
HOURLY = ("postpay_deduct_h", "按量计费小时结")
DAILY = ("postpay_deduct_d", "按量计费日结")
PURCHASE = ("prepay_purchase", "包年包月新购")
GUANGZHOU = ("1", "华南地区（广州）")
SHANGHAI = ("4", "华东地区（上海）")
CALLS_CODE = (("v_apigateway_calls", "调用次数"), ("sv_apigateway_calls", "API网关-调用次数"))


def _calls_components(cat: Catalog, at: datetime, calls: int, pos: dict, pools: list,
                      policies: dict | None = None) -> tuple[list[dict], list]:
    """One hour's calls of a shared service: drawn through the pools, the rest rated at the position of
    its scope and month (``pos``: calls billed and covered before it, moved here)."""
    from pricing.rules.apigw.shared import call_fee
    view = cat.as_of(at)
    total = Decimal(calls)
    led = drawdown("calls", total, at, pools, None)
    pools = list(led.pools_after)
    covered = led.covered
    used = total - covered
    charge = call_fee(view, used, pos["billed"], pos["covered"] + covered, policies)
    tiers = view.tiers("apigw.shared.call_tiers")
    comps = []
    slices = charge.slices or ()
    if not slices:  # fully covered: one line at the tier the next call would be in
        t = next(i for i, t in enumerate(tiers.tiers) if t.up_to is None or t.up_to > charge.already)
        comps.append((tiers.tiers[t].price, ZERO, ZERO, total, covered))
    for j, s in enumerate(slices):  # a line per tier the hour's billed calls fall in (the first carries the covered calls)
        ded = covered if j == 0 else ZERO
        comps.append((s.price, s.quantity, s.amount, s.quantity + ded, ded))
    out = []
    for price, used_q, amount, real_total, ded in comps:
        p_wan = price * Decimal(10000) / tiers.unit
        out.append(_component(*CALLS_CODE, p_wan, "元/万次", used_q / 10000, "万次", Decimal(1), "小时", LINE_8DP(amount),
                              Decimal(1), real_total / 10000, ded / 10000))
    pos["covered"] += covered
    pos["billed"] += used
    return out, pools


def _dedicated_component(cat: Catalog, at: datetime, policies: dict | None) -> dict:
    """One hour of a professional-edition instance under ``apigw.dedicated.payg.unit_price``: the list price
    and the 上云折扣 with their exact product (exact-product), or the printed discounted price (printed-price)."""
    from pricing.rules.apigw.dedicated import UNIT_PRICE, price as dedicated_price
    pr = dedicated_price(cat.as_of(at), "professional", "hourly", policies)
    code = (("v_apigateway_dedicated", "专享实例"), ("sv_apigateway_dedicated_pro", "API网关专享实例-专业版"))
    if choose(policies, UNIT_PRICE) == "exact-product":
        return _component(*code, pr["list"], "元/个/小时", Decimal(1), "个", Decimal(1), "小时", LINE_8DP(pr["list"]), pr["discount"])
    return _component(*code, pr["price"], "元/个/小时", Decimal(1), "个", Decimal(1), "小时", LINE_8DP(pr["price"]), Decimal(1))


def _cloudbase(cat: Catalog, t0: datetime, months: int, rnd: random.Random, policies: dict | None, bill_id) -> list:
    """The environment's months: each month a plan bought at its start (a one-month term), an extension
    pack on its 3rd day, a reserved package on its 12th, and one overage line per day of the cycle with
    the day's calls, rated by the cycle engine over the whole cycle at once (the packs still held carried
    from the cycle before)."""
    from pricing.rules.cloudbase import cycle, lineup, packs, pricelist, reserved
    rows = []
    packs_bought: list[dict] = []
    held: dict[str, object] = {}
    for m in range(months):
        ms = t0 + relativedelta(months=m)
        view = cat.as_of(ms)
        price = lineup.plan_price(view, CB_PLAN)
        zh = lineup.plan_row(view, CB_PLAN)["zh"]
        rows.append((_row(bill_id(ms, "P"), ENV, TCB, ("sp_tcb_plan", "云开发-套餐"), "包年包月", PURCHASE, SHANGHAI, ms,
                          ms + relativedelta(months=1) - timedelta(seconds=1), ms),
                     [_component(("v_tcb_plan", "套餐"), (f"sv_tcb_plan_{CB_PLAN}", f"云开发-{zh}"), price, "元/个/月",
                                 Decimal(1), "个", Decimal(1), "月", LINE_8DP(price), Decimal(1))]))
        pk = ms + timedelta(days=2, hours=9)
        row = packs.pack_row(cat.as_of(pk), CB_PACK)
        rows.append((_row(bill_id(pk, "K"), ENV, TCB, ("sp_tcb_pack", "云开发-资源包"), "包年包月", PURCHASE, SHANGHAI, pk,
                          pk + timedelta(days=30), pk),
                     [_component(("v_tcb_pack", "扩展资源包"), ("sv_tcb_pack_calls", f"云开发-{row.zh}"), row.price, "元/个",
                                 Decimal(1), "个", Decimal(1), "个", LINE_8DP(row.price), Decimal(1))]))
        packs_bought.append({"pack": CB_PACK, "bought": pk})
        rv = ms + timedelta(days=11, hours=20)
        daily = reserved.daily_yuan(cat.as_of(rv), "fn_500gb")
        rows.append((_row(bill_id(rv, "R"), ENV, TCB, ("sp_tcb_reserved", "云开发-预留资源"), "包年包月", PURCHASE, SHANGHAI, rv,
                          rv + timedelta(days=2), rv),
                     [_component(("v_tcb_reserved", "预留资源"), ("sv_tcb_reserved_fn", "云开发-预置并发内存500GB"), daily, "元/个/天",
                                 Decimal(1), "个", Decimal(2), "天", LINE_8DP(daily * 2), Decimal("0.9"))]))
        # the cycle: the plan quota, the packs held (earlier ones as they were left), then overage
        term = cycle.term(view, CB_PLAN, ms, 1, packs=packs_bought, policies=policies)
        snap = cycle.start(term)
        snap = replace(snap, pools=tuple(held.get(p.id, p) for p in snap.pools))
        days = (term.expiry - ms).days
        recs = [cycle.record(view, ms + timedelta(days=d), pricelist.CALLS, Decimal(rnd.randrange(600_000, 1_100_000)))
                for d in range(days)]
        r = cycle.run(view, term, snap, recs, term.expiry, policies)
        held = {p.id: p for p in r.snapshot.pools if p.kind != "plan-quota"}
        for h in r.history:
            day = h.record.at
            v = cat.as_of(day)
            price_, per = pricelist.overage_price(v, pricelist.CALLS)
            f = lineup.factor(v, pricelist.CALLS)
            total, covered = h.record.quantity / f, h.ledger.covered / f
            comps = [_component(("v_tcb_overage_calls", "调用次数(超限)"), ("sv_tcb_overage_calls", "云开发-调用次数超限"),
                                f * price_ / per, "元/万次", total - covered, "万次", Decimal(1), "天",
                                LINE_8DP(h.rating.exact), Decimal(1), total, covered)]
            comps[0]["_plan_covered"] = str(sum((ln.covered for ln in h.ledger.lines if ln.kind == "plan-quota"), ZERO))
            rows.append((_row(bill_id(day, "O"), ENV, TCB, ("sp_tcb_overage", "云开发-超限"), "按量计费", DAILY, SHANGHAI, day,
                              day + timedelta(hours=23, minutes=59, seconds=59), day + timedelta(days=1, hours=2)), comps))
    return rows


def generate(cat: Catalog, start: str = "2026-10", months: int = 1, errors: tuple[str, ...] = (), seed: int = 7,
             period_type: str = "byUsedTime", days=None, policies: dict | None = None) -> Bill:
    """The fictional account's bill lines for ``months`` months from ``start`` (``YYYY-MM``), in time order,
    with one precision line per bill month, and ``errors`` injected one line each, billed under
    ``policies`` (the defaults unless given). ``days``: bill the shared service's hours only on these days
    of the month (a number N: the first N days; or a collection of day numbers), for smaller bills."""
    from pricing.rules.apigw.billing import pack
    from pricing.rules.apigw.common import egress_price
    from pricing.rules.apigw.free_quota import free_pools
    for e in errors:
        if e not in ERRORS:
            raise ValueError(f"error kind {e!r}; allowed: {', '.join(ERRORS)}")
    rnd = random.Random(seed)
    t0 = datetime.fromisoformat(start + "-01")
    t1 = t0 + relativedelta(months=months)
    bill = Bill()
    bill.account = (f'[[free_quota]]\nactivated = "{ACTIVATED}"\n\n'
                    f'[[pack]]\nid = "calls-pack"\nmetric = "calls"\namount = "{PACK_CALLS}"\nstart = "{PACK_START}"\n')
    act = datetime.fromisoformat(ACTIVATED)
    pools = free_pools(cat.as_of(act), act, policies) + [pack(cat.as_of(PACK_START), "calls-pack", "calls", PACK_CALLS,
                                                              datetime.fromisoformat(PACK_START))]
    calls_pools = [p for p in pools if "calls" in p.metrics]
    egress_pools = [p for p in pools if "egress_gb" in p.metrics]
    rows: list[tuple[dict, list[dict]]] = []
    n = 0

    def bill_id(t: datetime, tag: str) -> str:
        nonlocal n
        n += 1
        return f"{t:%Y%m%d%H}{tag}{n:06d}"

    # API Gateway shared service: hourly calls and egress ------------------------------------------
    pos: dict[str, dict] = {}
    h = t0
    while h < t1:
        if days is not None and (h.day > days if isinstance(days, int) else h.day not in days):
            h += timedelta(hours=1)
            continue
        view = cat.as_of(h)
        calls = rnd.randrange(20_000, 36_000)
        p = pos.setdefault(f"{h:%Y-%m}", {"billed": ZERO, "covered": ZERO})  # the account's position (one service)
        comps, calls_pools = _calls_components(cat, h, calls, p, calls_pools, policies)
        gb = Decimal(rnd.randrange(5_000, 60_000)) / Decimal(1_000_000)
        led = drawdown("egress_gb", gb, h, egress_pools, None)
        egress_pools = list(led.pools_after)
        price = egress_price(view, "guangzhou")
        used = gb - led.covered
        comps.append(_component(("v_apigateway_egress", "外网出流量"), ("sv_apigateway_egress", "API网关-外网出流量"), price, "元/GB",
                                used, "GB", Decimal(1), "小时", LINE_8DP(price * used), Decimal(1), gb, led.covered))
        rows.append((_row(bill_id(h, "S"), SERVICE, APIGW, SHARED, "按量计费", HOURLY, GUANGZHOU, h,
                          h + timedelta(minutes=59, seconds=59), h + timedelta(hours=1, minutes=15)), comps))
        h += timedelta(hours=1)

    # a dedicated instance, pay-as-you-go, 100 hours -------------------------------------------------
    h = t0 + timedelta(days=4)
    for _ in range(100):
        rows.append((_row(bill_id(h, "D"), DEDICATED, APIGW, DEDI, "按量计费", HOURLY, SHANGHAI, h,
                          h + timedelta(minutes=59, seconds=59), h + timedelta(hours=1, minutes=10)),
                     [_dedicated_component(cat, h, policies)]))
        h += timedelta(hours=1)

    # CloudBase environment ---------------------------------------------------------------------------
    rows += _cloudbase(cat, t0, months, rnd, policies, bill_id)

    # a product the guides do not price ---------------------------------------------------------------
    cvm = t0 + timedelta(days=1)
    rows.append((_row(bill_id(cvm, "C"), OTHER, ("p_cvm", "云服务器CVM"), ("sp_cvm_s5", "云服务器CVM-标准型S5"), "包年包月", PURCHASE,
                      GUANGZHOU, cvm, cvm + relativedelta(months=1) - timedelta(seconds=1), cvm),
                 [_component(("v_cvm_compute", "运算组件"), ("sv_cvm_compute_s5", "运算组件-标准型S5-2核4G"), Decimal("95.6"), "元/个/月",
                             Decimal(1), "个", Decimal(1), "月", Decimal("95.6"), Decimal("0.88"))]))

    lines = []
    for r, comps in rows:
        for j, c in enumerate(comps):
            lines.append({**r, **c, "_component": j})
    lines.sort(key=lambda ln: (ln["ResourceId"], ln["FeeBeginTime"], ln["BillId"], ln["_component"]))
    _inject(cat, lines, errors, bill)
    # keep lines in time order overall (as an export lists them), resources interleaved; at one instant an
    # order (a plan bought at the start of its first cycle) before the usage it covers
    lines.sort(key=lambda ln: (ln["FeeBeginTime"], ln["ActionType"] != PURCHASE[0], ln["ResourceId"], ln["BillId"], ln["_component"]))
    bill.lines = [ln for ln in lines if (ln["PayTime"] if period_type == "byPayTime" else ln["FeeBeginTime"]) < f"{t1:%Y-%m-%d}"]
    _precision(bill, period_type, policies)
    return bill


def _money_fields(ln: dict, cost: Decimal, price: Decimal | None = None):
    if price is not None:
        ln["SinglePrice"] = money(price)
    ln["Cost"] = money(cost)
    rc = LINE_8DP(cost * Decimal(ln["Discount"]))
    ln["RealCost"] = ln["CashPayAmount"] = money(rc)


def _inject(cat: Catalog, lines: list[dict], errors, bill: Bill) -> None:
    calls = [ln for ln in lines if ln["ComponentCode"] == "v_apigateway_calls"]
    act, pack_start = ACTIVATED.replace("T", " "), PACK_START.replace("T", " ")
    for e in errors:
        if e == "wrong-tier":
            def first_tier(ln):
                t = cat.as_of(datetime.fromisoformat(ln["FeeBeginTime"])).tiers("apigw.shared.call_tiers")
                return t.tiers[0].price * Decimal(10000) / t.unit
            ln = next(ln for ln in calls if Decimal(ln["SinglePrice"]) != first_tier(ln) and Decimal(ln["UsedAmount"]) > 0
                      and key(ln) not in bill.injected)
            p1 = first_tier(ln)
            _money_fields(ln, LINE_8DP(Decimal(ln["UsedAmount"]) * p1), p1)
        elif e == "missed-free-quota":
            ln = next(ln for ln in calls if ln["FeeBeginTime"] > act and Decimal(ln["DeductedMeasure"]) == Decimal(ln["RealTotalMeasure"])
                      and key(ln) not in bill.injected)
            ln["UsedAmount"], ln["DeductedMeasure"] = ln["RealTotalMeasure"], "0"
            _money_fields(ln, LINE_8DP(Decimal(ln["UsedAmount"]) * Decimal(ln["SinglePrice"])))
        elif e == "pack-outside-window":
            ln = [ln for ln in calls if ln["FeeBeginTime"] < pack_start and Decimal(ln["DeductedMeasure"]) == 0
                  and key(ln) not in bill.injected][-1]
            ln["UsedAmount"], ln["DeductedMeasure"] = "0", ln["RealTotalMeasure"]
            _money_fields(ln, ZERO)
        elif e == "rounding-slip":
            ln = next(ln for ln in lines if ln["ComponentCode"] == "v_apigateway_egress" and Decimal(ln["RealCost"]) > 0
                      and key(ln) not in bill.injected)
            ln["RealCost"] = ln["CashPayAmount"] = money(Decimal(ln["RealCost"]) + E8)
        elif e == "old-price":
            egress = [ln for ln in lines if ln["ComponentCode"] == "v_apigateway_egress"]
            first = datetime.fromisoformat(egress[0]["FeeBeginTime"])
            last = datetime.fromisoformat(egress[-1]["FeeBeginTime"])
            ids = cat.all_ids("apigw.egress.price.")
            changes = cat.as_of(first).changes(ids, first, last)
            if not changes:
                raise ValueError("old-price: the catalog has no dated egress price change inside the bill's span")
            ch = changes[0]
            ln = next(ln for ln in egress if datetime.fromisoformat(ln["FeeBeginTime"]) >= ch and Decimal(ln["UsedAmount"]) > 0)
            from pricing.rules.apigw.common import egress_price
            old = egress_price(cat.as_of(ch - timedelta(seconds=1)), "guangzhou")
            _money_fields(ln, LINE_8DP(old * Decimal(ln["UsedAmount"])), old)
        elif e == "missed-plan-quota":
            ln = next(ln for ln in lines if ln["ComponentCode"] == "v_tcb_overage_calls" and Decimal(ln.get("_plan_covered", "0")) > 0
                      and key(ln) not in bill.injected)
            ln["UsedAmount"], ln["DeductedMeasure"] = ln["RealTotalMeasure"], "0"
            _money_fields(ln, LINE_8DP(Decimal(ln["UsedAmount"]) * Decimal(ln["SinglePrice"])))
        bill.injected[key(ln)] = e


def _precision(bill: Bill, period_type: str, policies: dict | None = None) -> None:
    """One 月度计费精度差异 line per bill month: what the engine's statement debits for the month's lines
    (``billing.debit_rounding``; each transaction is one settlement) less the lines."""
    from pricing.engine.statement import DEBIT_ROUNDING, line, settle
    reading = choose(policies, DEBIT_ROUNDING)
    for month, lines in sorted(bill.months(period_type).items()):
        st = settle([line(ln["BillId"], ln["ComponentCode"], Decimal(ln["RealCost"]), at=datetime.fromisoformat(ln["PayTime"]),
                          reading=reading) for ln in lines], policies)
        diff = st.precision
        t = datetime.fromisoformat(month + "-01")
        end = t + relativedelta(months=1) - timedelta(seconds=1)
        row = {f: "-" for f in FIELDS}
        row.update(BillId=f"billVirtualId{t:%Y%m}", OrderId="-", BusinessCode="billVirtualId", BusinessCodeName="月度计费精度差异",
                   ProductCode="billVirtualId", ProductCodeName="月度计费精度差异", PayModeName="按量计费",
                   ActionType="billVirtualId", ActionTypeName="月度计费精度差异", RegionId="0", RegionName="其他", ZoneName="其他",
                   ResourceId="billVirtualId", ResourceName="扣费精度补偿", PayTime=f"{end:%Y-%m-%d %H:%M:%S}",
                   FeeBeginTime=f"{t:%Y-%m-%d %H:%M:%S}", FeeEndTime=f"{end:%Y-%m-%d %H:%M:%S}", OwnerUin=ACCOUNT_UIN,
                   ComponentCode="billVirtualId", ComponentCodeName="月度计费精度差异", ItemCode="billVirtualId",
                   ItemCodeName="月度计费精度差异", RealCost=money(diff), CashPayAmount=money(diff),
                   IncentivePayAmount=money(ZERO), VoucherPayAmount=money(ZERO), TransferPayAmount=money(ZERO))
        row["_component"] = 0
        bill.lines.append(row)


# writers -------------------------------------------------------------------------------------------

def to_json(lines: list[dict], path: Path, page_rows: int = 100) -> Path:
    """DescribeBillDetail response pages: one row per transaction, its components in ComponentSet."""
    rows: list[dict] = []
    by_id: dict[str, dict] = {}
    for ln in lines:
        r = by_id.get(ln["BillId"])
        if r is None:
            r = {f: ln[f] for f in ROW_FIELDS}
            r["OperateUin"] = r["PayerUin"] = ACCOUNT_UIN
            r["ComponentSet"] = []
            by_id[ln["BillId"]] = r
            rows.append(r)
        r["ComponentSet"].append({f: ln[f] for f in COMPONENT_FIELDS})
    pages = [{"Response": {"DetailSet": rows[i:i + page_rows], "Total": len(rows), "RequestId": f"fictional-{i // page_rows + 1:04d}"}}
             for i in range(0, len(rows), page_rows)] or [{"Response": {"DetailSet": [], "Total": 0, "RequestId": "fictional-0001"}}]
    path.write_text(json.dumps(pages if len(pages) > 1 else pages[0], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def to_csv(lines: list[dict], path: Path, chinese: bool = False) -> Path:
    """The console's CSV export: one row per line, headed with the API's field names or in Chinese."""
    headers = list(FIELDS)
    if chinese:
        from .mapping import load_mapping
        back = {}
        for zh, f in load_mapping().columns.items():
            back.setdefault(f, zh)
        headers = [back.get(f, f) for f in FIELDS]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for ln in lines:
            w.writerow([ln[f] for f in FIELDS])
    return path


def write(bill: Bill, out: Path, period_type: str = "byUsedTime") -> dict[str, list[Path]]:
    """Write each bill month as ``bill-YYYY-MM.json`` and ``bill-YYYY-MM.csv``, and ``account.toml``."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {}
    for month, lines in sorted(bill.months(period_type).items()):
        files[month] = [to_json(lines, out / f"bill-{month}.json"), to_csv(lines, out / f"bill-{month}.csv")]
    (out / "account.toml").write_text(bill.account, encoding="utf-8")
    return files


# scale ---------------------------------------------------------------------------------------------

def write_scale(cat: Catalog, path: Path, resources: int, hours: int, start: str = "2026-01", patterns: int = 8,
                seed: int = 11) -> dict:
    """A large CSV export for the benchmark: ``resources`` shared-instance services of one account,
    ``hours`` hourly calls lines each from ``start``, in time order (resources interleaved), and one
    precision line per month. Every line is priced by the rules at the account's position of its month
    (``apigw.tier.scope`` = account-wide): the calls of ``patterns`` usage series repeat across the
    resources, and a line that stays inside one tier is priced once per (calls, tier, tier table) by
    :func:`pricing.rules.apigw.shared.call_fee` and reused, so that 8.8 million lines are written in
    minutes. Returns {"lines", "months"}."""
    from pricing.engine.statement import DEBIT_ROUNDING
    from pricing.rules.apigw.shared import call_fee
    rnd = random.Random(seed)
    t0 = datetime.fromisoformat(start + "-01")
    series = [[rnd.randrange(8_000, 30_000) for _ in range(hours)] for _ in range(patterns)]
    cache: dict[tuple, list[list[str]]] = {}
    sums: dict[str, list[int]] = {}
    comp_fields = list(COMPONENT_FIELDS)
    rc_at = comp_fields.index("RealCost")
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        fixed = ["按量计费", HOURLY[0], HOURLY[1], GUANGZHOU[0], GUANGZHOU[1], "其他"]
        position, month = ZERO, ""
        for h in range(hours):
            at = t0 + timedelta(hours=h)
            if f"{at:%Y-%m}" != month:
                month, position = f"{at:%Y-%m}", ZERO
            view = cat.as_of(at)
            tiers = view.tiers("apigw.shared.call_tiers")
            bounds = tuple(t.up_to for t in tiers.tiers if t.up_to is not None)
            s = sums.setdefault(month, [0, 0])
            begin = f"{at:%Y-%m-%d %H:%M:%S}"
            end = f"{at + timedelta(minutes=59, seconds=59):%Y-%m-%d %H:%M:%S}"
            paid = f"{at + timedelta(hours=1, minutes=15):%Y-%m-%d %H:%M:%S}"
            for r in range(resources):
                calls = series[r % patterns][h]
                tier = sum(position >= b for b in bounds)
                after = sum(position + calls > b for b in bounds)
                k = (calls, tier, id(tiers))
                if tier == after and k in cache:
                    comps = cache[k]
                else:
                    comps, _ = _calls_components(cat, at, calls, {"billed": position, "covered": ZERO}, [])
                    comps = [[c[f] for f in comp_fields] for c in comps]
                    if tier == after:
                        cache[k] = comps
                position += calls
                res = f"service-s{r:05d}"
                bid = f"{res}-{at:%Y%m%d%H}"
                tx = 0
                for c in comps:
                    w.writerow([bid, bid, APIGW[0], APIGW[1], SHARED[0], SHARED[1], *fixed, res, res, paid, begin, end, "-",
                                ACCOUNT_UIN, *c])
                    tx += int(Decimal(c[rc_at]).scaleb(8))
                    n += 1
                s[0] += tx
                s[1] += int(debit(Decimal(tx).scaleb(-8)).scaleb(8))
        reading = choose(None, DEBIT_ROUNDING)
        for m, (lines_sum, per_bill) in sorted(sums.items()):
            t = datetime.fromisoformat(m + "-01")
            total = Decimal(lines_sum).scaleb(-8)
            diff = money(month_due(reading, total, Decimal(per_bill).scaleb(-8)) - total)
            row = {f: "-" for f in FIELDS}
            row.update(BillId=f"billVirtualId{t:%Y%m}", BusinessCode="billVirtualId", BusinessCodeName="月度计费精度差异",
                       ResourceId="billVirtualId", FeeBeginTime=f"{t:%Y-%m-%d %H:%M:%S}", PayTime=f"{t:%Y-%m-%d %H:%M:%S}",
                       OwnerUin=ACCOUNT_UIN, ComponentCode="billVirtualId", ComponentCodeName="月度计费精度差异",
                       RealCost=diff, CashPayAmount=diff)
            w.writerow([row[f] for f in FIELDS])
            n += 1
    return {"lines": n, "months": sorted(sums)}
