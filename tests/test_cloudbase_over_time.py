"""Prices that change over time, for the CloudBase sections 服务指引 / 专家服务说明 / 计费能力项说明,
资源包退费说明, 预留资源, 云开发网关 and 微信云托管说明.

A copy of the shipped catalog (a tmp folder, shared by the module) gets one extra file of dated
versions, all effective 2026-07-01 00:00:00 (after every instant a worked example prices at): a
price of each module, some durations, and new versions of the id tables (an edition, a package, an
item, a service and a balance added). The tests check that each version changes results only from
its effective date, that an order placed before a change keeps the old price, that a span crossing
the change is split there, that an unknown id is refused naming the field and listing the ids in
force at that date, and that every worked example and register reading still gives what it gave."""
from __future__ import annotations

import shutil
from datetime import datetime
from decimal import Decimal

import pytest

from pricing.engine.catalog import SHIPPED, load
from pricing.engine.errors import InputError, RuleError
from pricing.rules.cloudbase import gateway, hosting, pack_refunds, reserved, service_guide as guide
from pricing.spec import examples as ex
from pricing.spec.examples import run_calc as _run_calc

D = Decimal
CHANGE = datetime(2026, 7, 1)
BEFORE, AFTER = "2026-06-30T23:59:59", "2026-07-01T00:00:00"
SHIPPED_CAT = load(None)
TODAY = "2026-11-30"  # after the change: where a calculation has a moment input, that input decides, not as_of


def run_calc(name, cat, inputs, policies=None, as_of=TODAY):
    return _run_calc(name, cat, inputs, policies, as_of)


def _toml(v) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_toml(x)}" for k, x in v.items()) + " }"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _version(id: str, **fields) -> str:
    """A new version of ``id``, effective at CHANGE: the shipped entry's section and kind, new fields."""
    e = SHIPPED_CAT.versions(id)[-1]
    lines = ["[[entry]]", f'id = "{id}"', f'section = "{e.section}"', f'kind = "{e.kind}"',
             f'effective = {CHANGE:%Y-%m-%dT%H:%M:%S}']
    if e.unit and e.kind != "table":
        lines.append(f"unit = {_toml(e.unit)}")
    if e.per is not None and "per" not in fields:
        lines.append(f"per = {_toml(e.per)}")
    for k, v in fields.items():
        if k == "rows":
            lines.append("rows = [\n" + "".join(f"  {_toml(r)},\n" for r in v) + "]")
        else:
            lines.append(f"{k} = {_toml(v)}")
    return "\n".join(lines) + "\n"


def _new(id: str, section: str, kind: str, value: str, unit: str, per: str | None = None) -> str:
    return "\n".join(["[[entry]]", f'id = "{id}"', f'section = "{section}"', f'kind = "{kind}"', f'value = "{value}"',
                      f'unit = "{unit}"', *([f'per = "{per}"'] if per else []),
                      f'effective = {CHANGE:%Y-%m-%dT%H:%M:%S}']) + "\n"


def _rows(id: str) -> list[dict]:
    return [dict(r) for r in SHIPPED_CAT.versions(id)[-1].value]


def dated_versions() -> str:
    blocks = [
        # 专家服务说明: one price, the SLA's response limit, and a new service on sale
        _version("cloudbase.expert.price.consulting", value="28000"),
        _version("cloudbase.expert.sla.response_minutes", value="20"),
        _version("cloudbase.expert.services", rows=_rows("cloudbase.expert.services") + [
            {"service": "audit", "zh": "架构评审", "unit": "person-day", "delivers": "an architecture review"}]),
        _new("cloudbase.expert.price.audit", "cloudbase.expert", "price", "20000", "CNY/person-day"),
        # 计费能力项说明: the claimed availability
        _version("cloudbase.cap.exclusive.sla", value="99.95"),
        # 云开发网关: one monthly price and a new edition
        _version("cloudbase.gateway.price.basic", value="39999"),
        _version("cloudbase.gateway.editions", rows=_rows("cloudbase.gateway.editions") + [
            {"edition": "ultimate", "zh": "旗舰版", "qps": "400000", "bandwidth_mbps": "10000"}]),
        _new("cloudbase.gateway.price.ultimate", "cloudbase.gateway", "price", "1299999", "CNY/month"),
        # 微信云托管说明: two list prices, one free quota, the operations block and a new item
        _version("cloudbase.hosting.price.cpu", value="0.06"),
        _version("cloudbase.hosting.price.cos_download", value="0.02"),
        _version("cloudbase.hosting.free.cpu", value="1000"),
        _version("cloudbase.hosting.items", rows=_rows("cloudbase.hosting.items") + [
            {"item": "gpu", "feature": "容器(服务)", "param": "GPU使用量", "en": "container GPU", "measured": "card·hour",
             "free": "none", "basis": "usage"}]),
        _new("cloudbase.hosting.price.gpu", "cloudbase.hosting", "price", "8", "CNY per card·hour"),
        # 预留资源: one package price, the idle price it falls back to, the lead time and a new package
        _version("cloudbase.reserved.price.fn_500gb", value="0.3"),
        _version("cloudbase.pricelist.other.idle_concurrency", value="0.00006"),
        _version("cloudbase.reserved.lead_time", value="4h"),
        _version("cloudbase.reserved.function_packages", rows=_rows("cloudbase.reserved.function_packages") + [
            {"package": "fn_50tb", "zh": "预置并发内存50TB", "memory": "50", "memory_unit": "TB", "max_instances": "100000",
             "scale_out_per_min": "5000", "env_qps": "300000"}]),
        _new("cloudbase.reserved.price.fn_50tb", "cloudbase.reserved", "price", "22", "万元 (per day)"),
        # 资源包退费说明: the no-reason window and a new refundable balance
        _version("cloudbase.pack_refunds.no_reason_window", value="5d"),
        _version("cloudbase.pack_refunds.balances", rows=_rows("cloudbase.pack_refunds.balances") + [
            {"balance": "credit", "zh": "信用账户", "refunded": "yes", "note": ""}]),
    ]
    return "# dated versions for tests/test_cloudbase_over_time.py\n\n" + "\n".join(blocks)


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalog") / "catalog"
    shutil.copytree(SHIPPED, folder)
    (folder / "zz-dated-versions.toml").write_text(dated_versions(), encoding="utf-8")
    return load(folder)


def at(cat, moment):
    return cat.as_of(moment)


# ------------------------------------------------------------------ every example still gives what it gave

MY_SECTIONS = ("cloudbase.capabilities", "cloudbase.service_guide", "cloudbase.expert", "cloudbase.pack_refunds",
               "cloudbase.reserved", "cloudbase.gateway", "cloudbase.hosting")


def test_the_copy_holds_the_new_versions(dated):
    assert len(dated.versions("cloudbase.gateway.price.basic")) == 2
    assert dated.effective_dates(["cloudbase.hosting.price.cpu"]) == [CHANGE]


def test_every_example_and_reading_gives_the_same_under_the_dated_copy(dated):
    moved = []
    for e in ex.examples():
        a, b = ex.run_example(e, SHIPPED_CAT), ex.run_example(e, dated)
        assert b.status in ("match", "known"), (e.id, b.computed_text, b.error)
        if a.computed_text != b.computed_text:
            moved.append(e.id)
    for d in ex.discrepancies():
        for r in d.readings:
            va, _ = ex.run_reading(r, SHIPPED_CAT, d.section)
            vb, ok = ex.run_reading(r, dated, d.section)
            assert ok and va == vb, (d.id, r.name, va, vb)
    assert moved == []
    assert {e.section for e in ex.examples()} >= set(MY_SECTIONS)


# ------------------------------------------------------------------ 专家服务说明 / 服务指引 / 计费能力项说明

def test_expert_price_changes_only_from_its_effective_date(dated):
    q = lambda m: run_calc("cloudbase.expert.quote", dated, {"service": "consulting", "quantity": "2", "ordered_at": m})
    assert q(BEFORE)["amount"] == D("50000") and q(BEFORE)["unit_price"] == D("25000")
    assert q(AFTER)["amount"] == D("56000") and q(AFTER)["per_hour"] == D("3500")
    assert q(BEFORE).catalog_reads["cloudbase.expert.price.consulting"] == [datetime.min]
    assert q(AFTER).catalog_reads["cloudbase.expert.price.consulting"] == [CHANGE]
    # without an order instant the quote is priced at the as-of date
    assert run_calc("cloudbase.expert.quote", dated, {"service": "consulting", "quantity": "1"}, as_of="2026-12-01")["amount"] == 28000
    assert run_calc("cloudbase.expert.quote", dated, {"service": "consulting", "quantity": "1"}, as_of="2024-06-11")["amount"] == 25000


def test_a_service_not_yet_on_sale_is_refused_with_the_services_then(dated):
    with pytest.raises(InputError) as e:
        run_calc("cloudbase.expert.quote", dated, {"service": "audit", "quantity": "1", "ordered_at": BEFORE})
    assert e.value.field == "service"
    assert e.value.allowed.endswith(": consulting | training | escort | load_standard | load_custom")
    ok = run_calc("cloudbase.expert.quote", dated, {"service": "audit", "quantity": "3", "ordered_at": AFTER}, as_of="2024-06-11")
    assert ok["amount"] == D("60000")


def test_sla_response_limit_and_availability_are_dated(dated):
    assert run_calc("cloudbase.expert.sla", dated, {"response_minutes": "25", "at": BEFORE})["met"] is True
    after = run_calc("cloudbase.expert.sla", dated, {"response_minutes": "25", "at": AFTER})
    assert after["met"] is False and after["response_limit_minutes"] == 20
    assert run_calc("cloudbase.cap.sla_downtime", dated, {"at": BEFORE})["downtime_minutes"] == D("4.32")
    assert run_calc("cloudbase.cap.sla_downtime", dated, {"at": AFTER})["downtime_minutes"] == D("21.6")


def test_unknown_plan_lists_the_plans_in_force(dated):
    with pytest.raises(InputError) as e:
        run_calc("cloudbase.svc.channels", dated, {"plan": "gold", "at": AFTER})
    assert e.value.field == "plan" and "enterprise_premium" in e.value.allowed and "gold" not in e.value.allowed
    with pytest.raises(InputError) as e:
        guide.channels(at(dated, AFTER), "gold")
    assert e.value.field == "plan" and "2026-07-01" in e.value.allowed


# ------------------------------------------------------------------ 云开发网关

def test_gateway_order_before_a_change_keeps_its_price_for_the_whole_term(dated):
    before = run_calc("cloudbase.gateway.purchase", dated, {"edition": "basic", "duration": "1y", "start": "2026-06-15T10:00:00"})
    assert before["price"] == D("419988") and before["monthly"] == D("34999")  # 12 × 34999, though 11 months fall after the change
    assert before["expires"] == datetime(2027, 6, 15, 10)
    after = run_calc("cloudbase.gateway.purchase", dated, {"edition": "基础版", "duration": "1y", "start": AFTER})
    assert after["price"] == D("479988")
    # the other editions are untouched
    assert run_calc("cloudbase.gateway.purchase", dated, {"edition": "test", "start": AFTER})["price"] == 899


def test_gateway_renewal_is_priced_when_it_happens(dated):
    manual = lambda m: run_calc("cloudbase.gateway.renew", dated, {"edition": "basic", "expires_at": "2026-08-01T00:00:00",
                                                                   "at": m, "duration": "1mo"})
    assert manual("2026-06-20T09:00:00")["price"] == D("34999")
    assert manual("2026-07-20T09:00:00")["price"] == D("39999")
    auto = lambda exp: run_calc("cloudbase.gateway.renew", dated, {"edition": "basic", "expires_at": exp, "mode": "auto",
                                                                   "duration": "1mo"}, as_of="2024-05-21")
    assert auto(BEFORE)["price"] == D("34999") and auto(AFTER)["price"] == D("39999")


def test_gateway_edition_not_yet_on_sale(dated):
    with pytest.raises(InputError) as e:
        run_calc("cloudbase.gateway.purchase", dated, {"edition": "ultimate", "start": BEFORE})
    assert e.value.field == "edition" and "ultimate" not in e.value.allowed and "enterprise" in e.value.allowed
    with pytest.raises(InputError) as e:
        gateway.purchase(at(dated, BEFORE), "ultimate", "1mo")
    assert e.value.field == "edition" and "on sale on 2026-06-30" in e.value.allowed
    assert "ultimate (旗舰版)" not in e.value.allowed
    r = run_calc("cloudbase.gateway.purchase", dated, {"edition": "旗舰版", "start": AFTER}, as_of="2024-05-21")
    assert r["price"] == D("1299999")
    cheapest = run_calc("cloudbase.gateway.cheapest", dated, {"qps": "300000", "bandwidth_mbps": "1", "at": AFTER})
    assert cheapest["edition"] == "ultimate"
    with pytest.raises(RuleError):
        run_calc("cloudbase.gateway.cheapest", dated, {"qps": "300000", "bandwidth_mbps": "1", "at": BEFORE})


# ------------------------------------------------------------------ 微信云托管说明

def test_hosting_bill_splits_at_the_price_change(dated):
    r = run_calc("cloudbase.hosting.bill", dated, {"created": "2026-01-01T00:00:00", "first_environment": "false",
                                                   "usage": ["2026-06-29 cpu 24 x4"]})
    # two days at 0.055, two at 0.06
    assert r["fee.cpu"] == D("48") * D("0.055") + D("48") * D("0.06")
    assert r["total"] == D("5.52")
    labels = [s.label for s in r.steps if s.label.startswith("CPU")]
    assert labels == ["CPU使用量 (cpu), priced from 2026-06-29 00:00:00", "CPU使用量 (cpu), priced from 2026-07-01 00:00:00"]
    assert r.catalog_reads["cloudbase.hosting.price.cpu"] == [datetime.min, CHANGE]
    # a bill wholly before the change is priced as before
    old = run_calc("cloudbase.hosting.bill", SHIPPED_CAT, {"created": "2026-01-01T00:00:00", "first_environment": "false",
                                                          "usage": ["2026-06-29 cpu 24 x2"]})
    new = run_calc("cloudbase.hosting.bill", dated, {"created": "2026-01-01T00:00:00", "first_environment": "false",
                                                    "usage": ["2026-06-29 cpu 24 x2"]})
    assert old["total"] == new["total"] == D("2.64")


def test_hosting_operations_are_rounded_to_blocks_on_each_side_of_the_change(dated):
    whole_bill = {"cloudbase.hosting.ops_rounding": "whole-bill"}  # the default rounds each day's bill on its own
    r = run_calc("cloudbase.hosting.bill", dated, {"created": "2026-01-01T00:00:00", "first_environment": "false",
                                                   "usage": ["2026-06-29 cos_download 5000 x4"]}, whole_bill)
    # 10,000 ops before (one block at 0.01) and 10,000 after (one block at 0.02)
    assert r["billed.cos_download"] == 20000 and r["exact"] == D("0.03")
    whole = run_calc("cloudbase.hosting.bill", SHIPPED_CAT, {"created": "2026-01-01T00:00:00", "first_environment": "false",
                                                            "usage": ["2026-06-29 cos_download 5000 x4"]}, whole_bill)
    assert whole["billed.cos_download"] == 20000 and whole["exact"] == D("0.02")
    daily = run_calc("cloudbase.hosting.bill", SHIPPED_CAT, {"created": "2026-01-01T00:00:00", "first_environment": "false",
                                                            "usage": ["2026-06-29 cos_download 5000 x4"]})
    assert daily["billed.cos_download"] == 40000 and daily["exact"] == D("0.04")  # four daily bills, a block each


def test_hosting_free_quota_is_the_one_granted_at_creation(dated):
    usage = ["2026-07-10 cpu 900"]
    old = run_calc("cloudbase.hosting.bill", dated, {"created": BEFORE, "usage": usage})
    new = run_calc("cloudbase.hosting.bill", dated, {"created": AFTER, "usage": usage})
    assert old["free.cpu"] == 720 and old["exact"] == D("180") * D("0.06")   # used after the change: new price
    assert new["free.cpu"] == 900 and new["exact"] == 0


def test_hosting_item_not_yet_billed(dated):
    with pytest.raises(InputError) as e:
        hosting.bill(at(dated, "2026-01-01"), "2026-01-01", ["2026-06-30 gpu 2"])
    assert e.value.field == "item" and "gpu" not in e.value.allowed and "static_traffic" in e.value.allowed
    assert "2026-06-30" in e.value.allowed
    r = run_calc("cloudbase.hosting.bill", dated, {"created": "2026-01-01T00:00:00", "usage": ["2026-07-01 gpu 2"]})
    assert r["total"] == D("16.00")


# ------------------------------------------------------------------ 预留资源

def test_reserved_order_before_the_change_keeps_its_price(dated):
    buy = lambda m: run_calc("cloudbase.reserved.purchase", dated, {"package": "fn_500gb", "days": "5", "bought_at": m})
    assert buy("2026-06-30T10:00:00")["paid"] == D("12000")   # 5 × 2400, though 4 of the days fall after the change
    assert buy("2026-07-01T10:00:00")["paid"] == D("15000")   # 5 × 3000
    refund = run_calc("cloudbase.reserved.refund", dated, {"package": "fn_500gb", "days": "5", "bought_at": "2026-06-30T10:00:00",
                                                           "at": "2026-07-02T09:00:00"})
    assert refund["refunded_days"] == 3 and refund["refund"] == D("7200")  # 3/5 of what was paid, not of the new price
    q = run_calc("cloudbase.reserved.daily_price", dated, {"package": "fn_500gb", "at": AFTER})
    assert q["yuan_per_day"] == 3000


def test_reserved_lead_time_is_the_one_in_force_at_the_order(dated):
    ok = run_calc("cloudbase.reserved.purchase", dated, {"package": "db_0_3w", "days": "1", "bought_at": "2026-06-30T10:00:00",
                                                         "needed_at": "2026-06-30T12:00:00"})
    assert ok["ready_at"] == datetime(2026, 6, 30, 12)
    with pytest.raises(RuleError) as e:
        run_calc("cloudbase.reserved.purchase", dated, {"package": "db_0_3w", "days": "1", "bought_at": "2026-07-01T10:00:00",
                                                        "needed_at": "2026-07-01T12:00:00"})
    assert e.value.field == "needed_at" and "4 h" in str(e.value)


def test_idle_concurrency_is_split_at_the_price_change_and_the_expiry(dated):
    # 256 MB × 1000 instances idle for 2 hours from 23:00 on 2026-06-30: one hour at each price
    r = run_calc("cloudbase.reserved.idle_charge", dated, {"memory_mb": "256", "instances": "1000", "seconds": "7200",
                                                           "at": "2026-06-30T23:00:00"})
    assert r["gbs"] == D("1800000")
    assert r["fee"] == D("900000") * D("0.00005471") + D("900000") * D("0.00006")
    # a package valid until 2026-06-30 23:30 covers the first half hour only
    w = run_calc("cloudbase.reserved.idle_charge", dated, {"memory_mb": "256", "instances": "1000", "seconds": "7200",
                                                           "at": "2026-06-30T23:00:00", "bought_at": "2026-06-29T23:30:00",
                                                           "days": "1"})
    assert w["fee"] == D("450000") * D("0.00005471") + D("900000") * D("0.00006")


def test_provisioned_cost_over_days_is_split_at_the_change(dated):
    r = run_calc("cloudbase.reserved.provisioned_cost", dated, {"memory_mb": "256", "instances": "10", "days": "2",
                                                                "start": "2026-06-30T00:00:00"})
    day_old, day_new = D("0.25") * 86400 * D("0.00005471"), D("0.25") * 86400 * D("0.00006")
    assert r["per_instance_day"] == day_old
    assert r["total"] == 10 * (day_old + day_new)


def test_reserved_package_not_yet_on_sale(dated):
    with pytest.raises(InputError) as e:
        run_calc("cloudbase.reserved.purchase", dated, {"package": "fn_50tb", "days": "1", "bought_at": BEFORE})
    assert e.value.field == "package" and "fn_50tb" not in e.value.allowed and "db_1_8w" in e.value.allowed
    with pytest.raises(InputError) as e:
        run_calc("cloudbase.reserved.quotas", dated, {"packages": "fn_50tb,db_1w", "at": BEFORE})
    assert e.value.field == "packages" and "on sale on 2026-06-30" in e.value.allowed
    q = run_calc("cloudbase.reserved.quotas", dated, {"packages": "fn_50tb,db_1w", "at": AFTER})
    assert q["max_instances"] == 100000 and q["daily_price"] == D("222240")


# ------------------------------------------------------------------ 资源包退费说明

def test_refund_window_is_the_one_in_force_at_the_purchase(dated):
    ask = lambda bought, asked: run_calc("cloudbase.pack_refunds.assess", dated,
                                         {"purchased_at": bought, "requested_at": asked, "paid": {"cash": "400"}})
    # bought before the change: seven days, even when asked after it
    assert ask("2026-06-30T10:00:00", "2026-07-06T10:00:00")["refund"] == 400
    # bought after it: five days
    late = ask("2026-07-01T10:00:00", "2026-07-07T10:00:00")
    assert late["eligible"] is False and late["refused_by"] == "requested_at" and "5-day" in late["reason"]
    assert ask("2026-07-01T10:00:00", "2026-07-06T09:59:59")["refund"] == 400


def test_unknown_balance_lists_the_balances_in_force_at_the_purchase(dated):
    with pytest.raises(InputError) as e:
        pack_refunds.assess(at(dated, BEFORE), BEFORE, "2026-07-02T00:00:00", "0", {"credit": "100"})
    assert e.value.field == "paid" and e.value.allowed == "a balance in force on 2026-06-30: cash, income, gift, voucher"
    r = run_calc("cloudbase.pack_refunds.refund", dated, {"purchased_at": AFTER, "requested_at": "2026-07-02T00:00:00",
                                                          "paid": {"credit": "100", "voucher": "20"}})
    assert r["refund"] == 100 and r["kept"] == 20
