"""测试账单 · Test bills: the bill export of a fictional account, written from the spec's own rules.

:func:`generate` bills a fictional account for one or more months, line by line, with the rules'
own functions (graduated call tiers at the month's position, the free quota and a call pack drawn
down in time order, regional egress prices, the dedicated hourly price with its discount, CloudBase
plan, overage, pack and reserved-package prices), each priced at its own moment under the catalog
given. It adds the monthly precision line (月度计费精度差异) so that each month's debit is a whole
number of fen, and writes the export as ``DescribeBillDetail`` JSON pages and as CSV.

Errors of known kinds can be injected, one line each; :func:`generate` says which line carries
which error, so a test can require that reconciliation finds exactly those:

- ``wrong-tier``: a calls line beyond the first tier billed at the first tier's price;
- ``missed-free-quota``: a calls line the free quota covers, billed in full;
- ``pack-outside-window``: a calls line before the call pack starts, shown as covered by it;
- ``rounding-slip``: a line's real cost off by one unit of the 8th decimal;
- ``old-price``: an egress line after a dated price change, billed at the price before it (the
  catalog given must carry the change: a copy with a dated version).

An injected error changes only the line it is on: the running state (tier position, pools) stays
the rules' own, as when a billing system slips on one line.
"""
from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta

from pricing.engine.catalog import Catalog
from pricing.engine.drawdown import drawdown
from pricing.engine.money import ZERO, fmt
from .kinds import LINE_8DP, debit
from .lines import FIELDS

ERRORS = ("wrong-tier", "missed-free-quota", "pack-outside-window", "rounding-slip", "old-price")
ACCOUNT_UIN = "100012345678"
SERVICE = "service-fic0001"
DEDICATED = "apigw-ded0001"
ENV = "env-fic0001"
OTHER = "ins-fic0001"
ACTIVATED = "2026-10-10T10:00:00"   # the API Gateway service's activation: the free quota starts then
PACK_START = "2026-10-20T00:00:00"  # a 5,000,000-call pack bound to the service
PACK_CALLS = "5000000"
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
            "FeeBeginTime": f"{begin:%Y-%m-%d %H:%M:%S}", "FeeEndTime": f"{end:%Y-%m-%d %H:%M:%S}", "Formula": "-"}


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


def _calls_components(cat: Catalog, at: datetime, calls: int, pos: dict, pools: list, inject: str | None) -> tuple[list[dict], list]:
    """One hour's calls of the shared service: drawn through the pools, the rest rated at the month's position."""
    from pricing.rules.apigw.shared import call_fee
    view = cat.as_of(at)
    total = Decimal(calls)
    led = drawdown("calls", total, at, pools, None)
    pools = list(led.pools_after)
    covered = led.covered
    used = total - covered
    charge = call_fee(view, used, pos["billed"], pos["covered"] + covered)
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
        cost = LINE_8DP(amount)
        out.append(_component(("v_apigateway_calls", "调用次数"), ("sv_apigateway_calls", "API网关-调用次数"), p_wan, "元/万次",
                              used_q / 10000, "万次", Decimal(1), "小时", cost, Decimal(1),
                              real_total / 10000, ded / 10000))
    pos["covered"] += covered
    pos["billed"] += used
    return out, pools


def generate(cat: Catalog, start: str = "2026-10", months: int = 1, errors: tuple[str, ...] = (), seed: int = 7,
             period_type: str = "byUsedTime", days=None) -> Bill:
    """The fictional account's bill lines for ``months`` months from ``start`` (``YYYY-MM``), in time order
    within each resource, with one precision line per bill month, and ``errors`` injected one line each.
    ``days``: bill the shared service's hours only on these days of the month (a number N: the first N days;
    or a collection of day numbers), for smaller bills."""
    from pricing.rules.apigw.billing import pack
    from pricing.rules.apigw.common import egress_price
    from pricing.rules.apigw.dedicated import price as dedicated_price
    from pricing.rules.apigw.free_quota import free_pools
    from pricing.rules.cloudbase import lineup, pricelist, reserved
    for e in errors:
        if e not in ERRORS:
            raise ValueError(f"error kind {e!r}; allowed: {', '.join(ERRORS)}")
    rnd = random.Random(seed)
    t0 = datetime.fromisoformat(start + "-01")
    t1 = t0 + relativedelta(months=months)
    bill = Bill()
    bill.account = (f'[[free_quota]]\nresource = "{SERVICE}"\nactivated = "{ACTIVATED}"\n\n'
                    f'[[pack]]\nresource = "{SERVICE}"\nid = "calls-pack"\nmetric = "calls"\namount = "{PACK_CALLS}"\nstart = "{PACK_START}"\n')
    act = datetime.fromisoformat(ACTIVATED)
    pools = free_pools(cat.as_of(act), act) + [pack(cat.as_of(PACK_START), "calls-pack", "calls", PACK_CALLS, datetime.fromisoformat(PACK_START))]
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
        calls = rnd.randrange(15_000, 26_000)
        p = pos.setdefault(f"{h:%Y-%m}", {"billed": ZERO, "covered": ZERO})
        comps, calls_pools = _calls_components(cat, h, calls, p, calls_pools, None)
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
        pr = dedicated_price(cat.as_of(h), "professional", "hourly")
        cost = LINE_8DP(pr["list"])
        comps = [_component(("v_apigateway_dedicated", "专享实例"), ("sv_apigateway_dedicated_pro", "API网关专享实例-专业版"),
                            pr["list"], "元/个/小时", Decimal(1), "个", Decimal(1), "小时", cost, pr["discount"])]
        rows.append((_row(bill_id(h, "D"), DEDICATED, APIGW, DEDI, "按量计费", HOURLY, SHANGHAI, h,
                          h + timedelta(minutes=59, seconds=59), h + timedelta(hours=1, minutes=10)), comps))
        h += timedelta(hours=1)

    # CloudBase environment: the plan, a pack, a reserved package, daily overage ---------------------
    for m in range(months):
        ms = t0 + relativedelta(months=m)
        view = cat.as_of(ms)
        price = lineup.plan_price(view, "standard")
        rows.append((_row(bill_id(ms, "P"), ENV, TCB, ("sp_tcb_plan", "云开发-套餐"), "包年包月", PURCHASE, SHANGHAI, ms,
                          ms + relativedelta(months=1) - timedelta(seconds=1), ms),
                     [_component(("v_tcb_plan", "套餐"), ("sv_tcb_plan_standard", "云开发-标准版"), price, "元/个/月",
                                 Decimal(1), "个", Decimal(1), "月", LINE_8DP(price), Decimal(1))]))
        pk = ms + timedelta(days=2, hours=9)
        row = pricelist.pack_row(cat.as_of(pk), "calls_1000wan")
        rows.append((_row(bill_id(pk, "K"), ENV, TCB, ("sp_tcb_pack", "云开发-资源包"), "包年包月", PURCHASE, SHANGHAI, pk,
                          pk + timedelta(days=30), pk),
                     [_component(("v_tcb_pack", "扩展资源包"), ("sv_tcb_pack_calls", f"云开发-{row.zh}"), row.price, "元/个",
                                 Decimal(1), "个", Decimal(1), "个", LINE_8DP(row.price), Decimal(1))]))
        rv = ms + timedelta(days=11, hours=20)
        daily = reserved.daily_yuan(cat.as_of(rv), "fn_500gb")
        rows.append((_row(bill_id(rv, "R"), ENV, TCB, ("sp_tcb_reserved", "云开发-预留资源"), "包年包月", PURCHASE, SHANGHAI, rv,
                          rv + timedelta(days=2), rv),
                     [_component(("v_tcb_reserved", "预留资源"), ("sv_tcb_reserved_fn", "云开发-预置并发内存500GB"), daily, "元/个/天",
                                 Decimal(1), "个", Decimal(2), "天", LINE_8DP(daily * 2), Decimal("0.9"))]))
        for d in range(3, 9):
            day = ms + timedelta(days=d)
            v = cat.as_of(day)
            wan = Decimal(rnd.randrange(10, 90))
            ded = Decimal(rnd.randrange(0, 10))
            pr_, per = pricelist.overage_price(v, "calls_wan")
            fee = pricelist.overage_fee(v, "calls_wan", wan - ded)
            comps = [_component(("v_tcb_overage_calls", "调用次数(超限)"), ("sv_tcb_overage_calls", "云开发-调用次数超限"),
                                pricelist.BILLED_METRICS["calls_wan"] * pr_ / per, "元/万次", wan - ded, "万次", Decimal(1), "天",
                                LINE_8DP(fee), Decimal(1), wan, ded)]
            rows.append((_row(bill_id(day, "O"), ENV, TCB, ("sp_tcb_overage", "云开发-超限"), "按量计费", DAILY, SHANGHAI, day,
                              day + timedelta(hours=23, minutes=59, seconds=59), day + timedelta(days=1, hours=2)), comps))

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
    # keep lines in time order overall (as an export lists them), resources interleaved
    lines.sort(key=lambda ln: (ln["FeeBeginTime"], ln["ResourceId"], ln["BillId"], ln["_component"]))
    bill.lines = [ln for ln in lines if (ln["PayTime"] if period_type == "byPayTime" else ln["FeeBeginTime"]) < f"{t1:%Y-%m-%d}"]
    _precision(bill, period_type)
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
            ln = next(ln for ln in calls if Decimal(ln["SinglePrice"]) != Decimal("0.06") and Decimal(ln["UsedAmount"]) > 0
                      and key(ln) not in bill.injected)
            _money_fields(ln, LINE_8DP(Decimal(ln["UsedAmount"]) * Decimal("0.06")), Decimal("0.06"))
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
        bill.injected[key(ln)] = e


def _precision(bill: Bill, period_type: str) -> None:
    """One 月度计费精度差异 line per bill month: Σ debits (per transaction, in fen) − Σ lines."""
    for month, lines in sorted(bill.months(period_type).items()):
        tx: dict[str, Decimal] = {}
        for ln in lines:
            tx[ln["BillId"]] = tx.get(ln["BillId"], ZERO) + Decimal(ln["RealCost"])
        total = sum(tx.values(), ZERO)
        diff = sum((debit(v) for v in tx.values()), ZERO) - total
        t = datetime.fromisoformat(month + "-01")
        end = t + relativedelta(months=1) - timedelta(seconds=1)
        row = {f: "-" for f in FIELDS}
        row.update(BillId=f"billVirtualId{t:%Y%m}", OrderId="-", BusinessCode="billVirtualId", BusinessCodeName="月度计费精度差异",
                   ProductCode="billVirtualId", ProductCodeName="月度计费精度差异", PayModeName="按量计费",
                   ActionType="billVirtualId", ActionTypeName="月度计费精度差异", RegionId="0", RegionName="其他", ZoneName="其他",
                   ResourceId="billVirtualId", ResourceName="扣费精度补偿", PayTime=f"{end:%Y-%m-%d %H:%M:%S}",
                   FeeBeginTime=f"{t:%Y-%m-%d %H:%M:%S}", FeeEndTime=f"{end:%Y-%m-%d %H:%M:%S}",
                   ComponentCode="billVirtualId", ComponentCodeName="月度计费精度差异", ItemCode="billVirtualId",
                   ItemCodeName="月度计费精度差异", RealCost=money(diff), CashPayAmount=money(diff),
                   IncentivePayAmount=money(ZERO), VoucherPayAmount=money(ZERO), TransferPayAmount=money(ZERO))
        row["_component"] = 0
        bill.lines.append(row)


# writers -------------------------------------------------------------------------------------------

def to_json(lines: list[dict], path: Path, page_rows: int = 100) -> Path:
    """DescribeBillDetail response pages: one row per transaction, its components in ComponentSet."""
    from .lines import COMPONENT_FIELDS, ROW_FIELDS
    rows: list[dict] = []
    by_id: dict[str, dict] = {}
    for ln in lines:
        r = by_id.get(ln["BillId"])
        if r is None:
            r = {f: ln[f] for f in ROW_FIELDS}
            r["OperateUin"] = r["OwnerUin"] = r["PayerUin"] = ACCOUNT_UIN
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
    """A large CSV export for the benchmark: ``resources`` shared-instance services, ``hours`` hourly
    calls lines each from ``start``, in time order (resources interleaved), and one precision line per
    month. Every line is priced by the rules (graduated tiers at each month's position, per resource):
    ``patterns`` distinct usage series are billed line by line with Decimal and repeated across the
    resources under their own ids, so that 8.8 million lines are written in minutes, not hours.
    Returns {"lines", "months"}."""
    rnd = random.Random(seed)
    t0 = datetime.fromisoformat(start + "-01")
    series = []
    sums: dict[str, list[Decimal]] = {}
    for k in range(patterns):
        pos: dict[str, dict] = {}
        rows = []
        for h in range(hours):
            at = t0 + timedelta(hours=h)
            p = pos.setdefault(f"{at:%Y-%m}", {"billed": ZERO, "covered": ZERO})
            comps, _ = _calls_components(cat, at, rnd.randrange(8_000, 30_000), p, [], None)
            rows.append((at, comps))
        series.append(rows)
    uses = [resources // patterns + (1 if k < resources % patterns else 0) for k in range(patterns)]
    for k, rows in enumerate(series):
        for at, comps in rows:
            m = f"{at:%Y-%m}"
            s = sums.setdefault(m, [ZERO, ZERO])
            tx = sum((Decimal(c["RealCost"]) for c in comps), ZERO)
            s[0] += tx * uses[k]
            s[1] += debit(tx) * uses[k]
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(FIELDS)
        fixed = ["按量计费", HOURLY[0], HOURLY[1], GUANGZHOU[0], GUANGZHOU[1], "其他"]
        for h in range(hours):
            for r in range(resources):
                at, comps = series[r % patterns][h]
                res = f"service-s{r:05d}"
                bid = f"{res}-{at:%Y%m%d%H}"
                begin = f"{at:%Y-%m-%d %H:%M:%S}"
                end = f"{at + timedelta(minutes=59, seconds=59):%Y-%m-%d %H:%M:%S}"
                paid = f"{at + timedelta(hours=1, minutes=15):%Y-%m-%d %H:%M:%S}"
                for c in comps:
                    w.writerow([bid, bid, APIGW[0], APIGW[1], SHARED[0], SHARED[1], *fixed, res, res, paid, begin, end, "-",
                                *(c[f] for f in FIELDS[18:])])
                    n += 1
        for m, (lines_sum, debits) in sorted(sums.items()):
            t = datetime.fromisoformat(m + "-01")
            diff = money(debits - lines_sum)
            row = {f: "-" for f in FIELDS}
            row.update(BillId=f"billVirtualId{t:%Y%m}", BusinessCode="billVirtualId", BusinessCodeName="月度计费精度差异",
                       ResourceId="billVirtualId", FeeBeginTime=f"{t:%Y-%m-%d %H:%M:%S}", PayTime=f"{t:%Y-%m-%d %H:%M:%S}",
                       ComponentCode="billVirtualId", ComponentCodeName="月度计费精度差异", RealCost=diff, CashPayAmount=diff)
            w.writerow([row[f] for f in FIELDS])
            n += 1
    return {"lines": n, "months": sorted(sums)}
