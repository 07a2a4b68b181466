"""CloudBase › 价格文档 (price list): plans, quotas, overage, packs, SMS, promotions, free environment, tokens."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.rules.cloudbase.packs import pack_saving
from pricing.rules.cloudbase.pricelist import breakeven_calls, month_cost, plan_price, quota
from pricing.engine.errors import InputError, RuleError
from pricing.spec.examples import run_calc

CATALOG = catalog.load()
CAT = CATALOG.as_of(CATALOG.latest_change())  # the prices in force now (every guide example is also checked at its own date in test_examples)


def calc(name, inputs=None, policies=None):
    return run_calc(f"cloudbase.pricelist.{name}", CAT, inputs or {}, policies or {})


# ------------------------------------------------------------------ plans and quotas
@pytest.mark.parametrize("plan, price", [("personal", "19.9"), ("standard", "199"), ("enterprise", "999")])
def test_plan_prices(plan, price):
    assert plan_price(CAT, plan) == Decimal(price)
    assert calc("plan_price", {"plan": plan, "months": "3"})["fee"] == Decimal(price) * 3


def test_premium_plan_has_no_price():
    with pytest.raises(RuleError, match="联系我们"):
        plan_price(CAT, "enterprise_premium")


@pytest.mark.parametrize("plan", ["team", "", "free"])
def test_unknown_plan_names_the_allowed(plan):
    with pytest.raises(InputError) as e:
        plan_price(CAT, plan)
    assert e.value.field == "plan" and "enterprise_premium" in e.value.allowed


@pytest.mark.parametrize("plan, metric, value", [
    ("personal", "calls_wan", "20"), ("standard", "calls_wan", "800"), ("enterprise", "calls_wan", "5000"),
    ("enterprise_premium", "calls_wan", "20000"), ("personal", "capacity_gb", "3"), ("enterprise", "gbs_wan", "150"),
    ("standard", "storage_traffic_gb", "300"), ("enterprise_premium", "cdn_origin_gb", "2000"), ("standard", "qps", "500"),
    ("free", "calls_wan", "20"), ("free", "capacity_gb", "3")])
def test_quotas(plan, metric, value):
    assert quota(CAT, plan, metric) == Decimal(value)


def test_premium_qps_is_custom():
    with pytest.raises(RuleError, match="单独定制"):
        quota(CAT, "enterprise_premium", "qps")  # set per customer: refused (register entry removed, docs/AUDIT.md)


def test_quota_in_base_units():
    r = calc("quota", {"plan": "standard", "metric": "calls_wan"})
    assert r["base"] == 8000000


def test_capability_table_is_complete():
    rows = CAT.value("cloudbase.pricelist.capabilities")
    assert len(rows) == 38
    for r in rows:
        for p in ("personal", "standard", "enterprise", "enterprise_premium"):
            assert r[p], f"{r['item']} has no cell for {p}"
    approval = next(r for r in rows if r["item"].startswith("审批流"))
    assert [approval[p] for p in ("personal", "standard", "enterprise")] == ["—", "—", "yes"]
    rollback = next(r for r in rows if r["item"].startswith("数据回档"))
    assert rollback["standard"] == "14 days" and rollback["personal"] == "—"
    apps = next(r for r in rows if r["item"].startswith("可发布应用数"))
    assert [apps[p] for p in ("personal", "standard", "enterprise", "enterprise_premium")] == ["3", "10", "50", "50"]


# ------------------------------------------------------------------ metrics
def test_call_conversions():
    assert calc("calls_count", {"sse_conversations": "3"})["calls"] == 150
    assert calc("calls_count", {"sms_without_pack": "2"})["calls"] == 4000
    r = calc("calls_count", {"database_calls": "12000", "sse_conversations": "40", "sms_without_pack": "3"})
    assert r["calls"] == 12000 + 2000 + 6000 and r["calls_wan"] == Decimal("2")


def test_unknown_call_source():
    with pytest.raises(InputError, match="websocket"):
        calc("calls_count", {"websocket": "1"})


def test_gb_seconds():
    assert calc("gbs", {"kind": "workflow", "seconds": "100"})["gbs"] == 50
    assert calc("gbs", {"kind": "function", "memory_mb": "256", "seconds": "3600"})["gbs"] == 900
    assert calc("gbs", {"kind": "mysql", "memory_mb": "2048", "seconds": "10"})["gbs"] == 20


def test_gb_seconds_bad_input():
    with pytest.raises(InputError, match="memory_mb"):
        calc("gbs", {"kind": "workflow", "memory_mb": "1024", "seconds": "1"})
    with pytest.raises(InputError, match="memory_mb"):
        calc("gbs", {"kind": "function", "seconds": "1"})
    with pytest.raises(InputError, match="kind"):
        calc("gbs", {"kind": "container", "memory_mb": "1", "seconds": "1"})
    with pytest.raises(InputError, match="seconds"):
        calc("gbs", {"kind": "workflow", "seconds": "-1"})


# ------------------------------------------------------------------ overage
def day(plan="personal", before=None, today=None, policies=None, **kw):
    return calc("overage_day", {"plan": plan, "day": "2025-06-10", "before": before or {}, "today": today or {}, **kw}, policies)


def test_overage_only_beyond_quota():
    r = day(before={"calls_wan": "18"}, today={"calls_wan": "5"})  # 2 of today's 5 still in quota
    assert r["total"] == Decimal("1.50")
    assert day(before={"calls_wan": "10"}, today={"calls_wan": "5"})["total"] == 0


def test_overage_every_metric():
    r = day(plan="standard", before={"gbs_wan": "60", "egress_gb": "20", "storage_traffic_gb": "300", "cdn_origin_gb": "120"},
            today={"gbs_wan": "1", "egress_gb": "10", "storage_traffic_gb": "10", "cdn_origin_gb": "10", "capacity_gb": "110"})
    assert r["fee_gbs_wan"] == Decimal("1.1108")
    assert r["fee_egress_gb"] == 8 and r["fee_storage_traffic_gb"] == Decimal("2.1")
    assert r["fee_cdn_origin_gb"] == Decimal("1.5") and r["fee_capacity_gb"] == 1
    assert r["total"] == Decimal("13.71")  # 13.7108 rounded to the fen once, on the day's total
    assert r["settled_on"] == date(2025, 6, 11)


def test_calls_per_day_readings():
    assert day(before={"calls_wan": "25"}, today={"calls_wan": "5"})["total"] == Decimal("2.50")
    standing = {"cloudbase.pricelist.flow_per_day": "standing-daily"}
    assert day(before={"calls_wan": "25"}, today={"calls_wan": "5"}, policies=standing)["total"] == Decimal("5.00")
    # a day with no new calls still costs the standing excess under that reading, nothing under the default
    assert day(before={"calls_wan": "25"}, policies=standing)["total"] == Decimal("2.50")
    assert day(before={"calls_wan": "25"})["total"] == 0


def test_keep_serving_off_refuses_the_excess():
    r = day(before={"calls_wan": "25"}, today={"calls_wan": "5", "capacity_gb": "5"}, keep_serving="false")
    assert r["total"] == 0 and r["refused_calls_wan"] == 5 and r["refused_capacity_gb"] == 2


def test_overage_bad_input():
    with pytest.raises(InputError, match="today.domains"):
        day(today={"domains": "2"})
    with pytest.raises(InputError, match="today.calls_wan"):
        day(today={"calls_wan": "-1"})
    with pytest.raises(TypeError):
        day(today={"calls_wan": 5.0})
    with pytest.raises(InputError, match="keep_serving"):
        day(today={"calls_wan": "1"}, keep_serving="maybe")
    with pytest.raises(RuleError, match="capacity_cycle"):
        day(today={"capacity_gb": "5"}, policies={"cloudbase.pricelist.capacity_quota": "gb-day-allowance"})


def test_capacity_cycle_readings():
    days = ["0"] * 15 + ["6"] * 15
    assert calc("capacity_cycle", {"plan": "personal", "daily_gb": days})["fee"] == Decimal("4.50")
    allowance = {"cloudbase.pricelist.capacity_quota": "gb-day-allowance"}
    assert calc("capacity_cycle", {"plan": "personal", "daily_gb": days}, allowance)["fee"] == 0
    assert calc("capacity_cycle", {"plan": "personal", "daily_gb": ["5"] * 30}, allowance)["fee"] == Decimal("6.00")
    assert calc("capacity_cycle", {"plan": "personal", "daily_gb": ["5"] * 30})["fee"] == Decimal("6.00")


# ------------------------------------------------------------------ packs
def test_plan_quota_then_pack_then_payg():
    packs = [{"pack": "calls_1000wan", "bought": "2025-06-01", "used": "9990000"}]  # 1万 calls left
    r = day(before={"calls_wan": "18"}, today={"calls_wan": "5"}, packs=packs)
    # 2万 from the plan, 1万 from the pack, 2万 paid
    assert r["fee_calls_wan"] == 1
    left = {p.id: p.remaining for p in r["packs_after"]}
    assert left == {"calls_1000wan#1": 0}


def test_soonest_lapsing_pack_first_and_lapsed_pack_skipped():
    packs = [{"pack": "calls_1yi", "bought": "2025-06-05"}, {"pack": "calls_1000wan", "bought": "2025-05-20"},
             {"pack": "calls_5000wan", "bought": "2025-05-01"}]  # the last lapsed on 2025-05-31
    r = day(before={"calls_wan": "20"}, today={"calls_wan": "5"}, packs=packs)
    left = {p.id: p.remaining for p in r["packs_after"]}
    assert left == {"calls_1yi#1": 10000, "calls_1000wan#2": 995, "calls_5000wan#3": 5000}
    assert r["total"] == 0
    assert any("outside its validity window" in s.note for s in r.steps)


def test_capacity_pack_raises_the_ceiling_while_valid():
    packs = [{"pack": "capacity_100gb", "bought": "2025-06-01"}]
    assert day(today={"capacity_gb": "103"}, packs=packs)["total"] == 0
    assert day(today={"capacity_gb": "110"}, packs=packs)["total"] == Decimal("0.70")
    with pytest.raises(InputError, match="used"):
        day(today={"capacity_gb": "1"}, packs=[{"pack": "capacity_100gb", "bought": "2025-06-01", "used": "5"}])


def test_free_environment_cannot_buy_packs():
    with pytest.raises(RuleError, match="免费环境"):
        day(plan="free", today={"calls_wan": "1"}, packs=[{"pack": "calls_1000wan", "bought": "2025-06-01"}])


def test_pack_bad_input():
    with pytest.raises(InputError, match="pack"):
        day(today={"calls_wan": "1"}, packs=[{"pack": "calls_2yi", "bought": "2025-06-01"}])
    with pytest.raises(InputError, match="used"):
        day(today={"calls_wan": "1"}, packs=[{"pack": "calls_1000wan", "bought": "2025-06-01", "used": "20000000"}])
    with pytest.raises(InputError, match="bought"):
        day(today={"calls_wan": "1"}, packs=[{"pack": "calls_1000wan", "bought": "last week"}])


@pytest.mark.parametrize("reading, lapses", [("natural-days", datetime(2025, 6, 25)),
                                             ("30x24h", datetime(2025, 6, 25, 15, 55, 42)),
                                             ("calendar-month", datetime(2025, 6, 26, 15, 55, 42))])
def test_pack_window_readings(reading, lapses):
    r = calc("pack_window", {"bought": "2025-05-26T15:55:42"}, {"cloudbase.pricelist.pack_window": reading})
    assert r["lapses_at"] == lapses


def test_natural_day_pack_covers_the_morning_of_its_purchase_day():
    r = calc("pack_window", {"bought": "2025-05-26T15:55:42"}, {"cloudbase.pricelist.pack_window": "natural-days"})
    assert r["start"] == datetime(2025, 5, 26) and r["last_day"] == date(2025, 6, 24) and r["days"] == 30


def test_pack_window_default_is_the_console_calendar_month():
    r = calc("pack_window", {"bought": "2025-05-26T15:55:42"})
    assert r["start"] == datetime(2025, 5, 26, 15, 55, 42) and r["lapses_at"] == datetime(2025, 6, 26, 15, 55, 42)
    r = calc("pack_window", {"bought": "2025-01-31T10:00:00"})
    assert r["lapses_at"] == datetime(2025, 2, 28, 10, 0)  # periods.month_end: clamp
    r = calc("pack_window", {"bought": "2025-01-31T10:00:00"}, {"periods.month_end": "roll-forward"})
    assert r["lapses_at"] == datetime(2025, 3, 1, 10, 0)


def test_log_flows_priced_per_day_only_under_standing_daily():
    r = calc("price_item", {"item": "other.log.write_traffic", "quantity": "10", "days": "3"})
    assert r["fee"] == Decimal("1.80")
    r = calc("price_item", {"item": "other.log.write_traffic", "quantity": "10", "days": "3"},
             {"cloudbase.pricelist.flow_per_day": "standing-daily"})
    assert r["fee"] == Decimal("5.40")
    r = calc("price_item", {"item": "other.log.log_storage", "quantity": "10", "days": "3"})
    assert r["fee"] == Decimal("0.345")  # storage is held: per day under either reading


@pytest.mark.parametrize("pack, payg, saving", [
    ("calls_1000wan", "500", "0.2"), ("calls_5000wan", "2500", "0.4"), ("calls_1yi", "5000", "0.5"),
    ("sms_1000", "100", "0.5"), ("sms_1wan", "1000", "0.53"), ("sms_10wan", "10000", "0.58"),
    ("capacity_100gb", "300", "0.77")])
def test_pack_saving(pack, payg, saving):
    p, s, _ = pack_saving(CAT, pack)
    assert (p, s) == (Decimal(payg), Decimal(saving))


def test_saving_claim():
    assert calc("max_saving")["max_saving_pct"] == 50
    assert calc("max_saving")["within_claim"] is True
    r = calc("max_saving", {}, {"cloudbase.pricelist.saving_scope": "all-packs"})
    assert r["pack"] == "capacity_300gb" and r["within_claim"] is False


# ------------------------------------------------------------------ SMS
def sms(**kw):
    return calc("sms", {"plan": "personal", "day": "2025-06-01", **kw})


def test_sms_order_and_ledger():
    packs = [{"pack": "sms_1000", "bought": "2025-05-20", "used": "900"},
             {"pack": "calls_1000wan", "bought": "2025-05-20", "used": "9999000"}]
    r = sms(submitted="1000", calls_before="19.9", packs=packs)
    assert r["from_sms_pack"] == 100
    assert r["calls_needed"] == 1800000
    assert (r["calls_from_plan"], r["calls_from_packs"], r["calls_payg"]) == (1000, 1000, 1798000)
    assert r["fee"] == Decimal("89.90")


def test_sms_pack_first_then_plan_calls():
    r = sms(submitted="5", packs=[{"pack": "sms_1000", "bought": "2025-05-20"}])
    assert r["from_sms_pack"] == 5 and r["calls_needed"] == 0 and r["fee"] == 0
    r = sms(submitted="5")
    assert r["calls_from_plan"] == 10000 and r["fee"] == 0


def test_sms_failed_delivery_still_charged():
    assert sms(submitted="10", delivery_failed="4", calls_before="20")["fee"] == Decimal("1.00")
    with pytest.raises(InputError, match="delivery_failed"):
        sms(submitted="3", delivery_failed="4")


def test_sms_keep_serving_off():
    r = sms(submitted="10", calls_before="20", keep_serving="false")
    assert r["fee"] == 0 and r["calls_refused"] == 20000


# ------------------------------------------------------------------ other resources
@pytest.mark.parametrize("item, quantity, fee", [
    ("overage.calls_wan", "3万", "1.5"), ("overage.gbs_wan", "10000", "1.1108"), ("other.log.requests", "300万", "0.45"),
    ("other.idle_concurrency", "100000", "5.471"), ("other.static_capacity", "10", "0.05")])
def test_price_item(item, quantity, fee):
    assert calc("price_item", {"item": item, "quantity": quantity})["fee"] == Decimal(fee)


def test_per_day_items_take_days():
    assert calc("price_item", {"item": "overage.capacity_gb", "quantity": "2", "days": "30"})["fee"] == 6
    assert calc("price_item", {"item": "other.log.partitions", "quantity": "3", "days": "10"})["fee"] == Decimal("1.2")


def test_price_item_bad_input():
    with pytest.raises(InputError, match="item"):
        calc("price_item", {"item": "overage.domains"})
    with pytest.raises(InputError, match="quantity"):
        calc("price_item", {"item": "overage.egress_gb", "quantity": "lots"})


def test_hosting():
    r = calc("hosting", {"cores": "0.5", "memory_gb": "1", "instances": "2", "hours": "24"})
    assert r["core_hours"] == 24 and r["gb_hours"] == 48
    assert r["fee"] == Decimal("2.86")  # 24 × 0.055 + 48 × 0.032 = 1.32 + 1.536


# ------------------------------------------------------------------ promotion packs
def test_promo_prices_follow_reserved_section():
    for r in CAT.value("cloudbase.pricelist.promo_packs"):
        wan = CAT.dec(f"cloudbase.reserved.price.{r['pack']}")
        assert calc("promo_cost", {"pack": r["pack"], "days": "1"})["fee"] == wan * 10000


def test_promo_days():
    assert calc("promo_cost", {"pack": "db_1w", "days": "3"})["fee"] == 6720
    for bad in ("0", "1.5", "-2"):
        with pytest.raises(InputError, match="days"):
            calc("promo_cost", {"pack": "db_1w", "days": bad})


def test_promo_20t():
    assert calc("promo_rate", {"pack": "fn_25tb"})["per_tb_day"] == 4640
    assert calc("promo_rate", {"pack": "fn_10tb"})["per_tb_day"] == 4640
    assert calc("promo_rate", {"pack": "fn_25tb"}, {"cloudbase.pricelist.promo_20t": "name-20tb"})["per_tb_day"] == 5800
    with pytest.raises(InputError, match="database"):
        calc("promo_rate", {"pack": "db_1w"})


def test_promo_day_readings():
    # one question with the reserved packages (CB-RES-WINDOW, cloudbase.reserved.window): 24 hours by default
    r = calc("promo_cost", {"pack": "fn_500gb", "days": "2", "bought": "2025-11-10T20:00:00"})
    assert r["last_second"] == datetime(2025, 11, 12, 19, 59, 59) and r["fee"] == 4800
    r = calc("promo_cost", {"pack": "fn_500gb", "days": "2", "bought": "2025-11-10T20:00:00"},
             {"cloudbase.reserved.window": "calendar-days"})
    assert r["last_second"] == datetime(2025, 11, 11, 23, 59, 59)


# ------------------------------------------------------------------ free environment
def test_free_env_dates():
    r = calc("free_env_dates", {"created": "2025-03-01", "released": "2025-06-10"})
    assert (r["expires"], r["isolated_from"], r["deleted_on"]) == (date(2025, 6, 25), date(2025, 6, 25), date(2025, 7, 10))
    r = calc("free_env_dates", {"created": "2025-03-01", "released": "2025-06-10"}, {"cloudbase.pricelist.free_env_day15": "release-is-day-1"})
    assert (r["expires"], r["deleted_on"]) == (date(2025, 6, 24), date(2025, 7, 9))
    r = calc("free_env_dates", {"created": "2025-03-31"}, {"cloudbase.pricelist.free_env_term": "one-month-trial"})
    assert r["expires"] == date(2025, 4, 30)


def test_free_env_date_errors():
    with pytest.raises(InputError, match="created"):
        calc("free_env_dates", {"created": "2025-02-18"})
    with pytest.raises(RuleError, match="created"):
        calc("free_env_dates", {"created": "2026-01-01"})
    with pytest.raises(InputError, match="released"):
        calc("free_env_dates", {"created": "2025-06-01", "released": "2025-05-31"})


@pytest.mark.parametrize("inputs, eligible", [
    ({"on": "2025-02-18"}, False), ({"on": "2025-02-19"}, True), ({"on": "2025-12-31"}, True), ({"on": "2026-01-01"}, False),
    ({"on": "2025-05-01", "environments": "1"}, False),
    ({"on": "2025-04-10", "last_cancelled": "2025-03-10"}, False), ({"on": "2025-04-11", "last_cancelled": "2025-03-10"}, True),
])
def test_free_env_eligibility(inputs, eligible):
    assert calc("free_env_eligible", inputs)["eligible"] is eligible


def test_free_env_overage_readings():
    assert day(plan="free", before={"calls_wan": "20"}, today={"calls_wan": "5"})["total"] == Decimal("2.50")
    r = day(plan="free", before={"calls_wan": "20"}, today={"calls_wan": "5"}, policies={"cloudbase.pricelist.free_env_overage": "refused"})
    assert r["total"] == 0 and r["refused_calls_wan"] == 5


# ------------------------------------------------------------------ tokens
@pytest.mark.parametrize("created, starts, lapses", [
    ("2024-06-01", date(2025, 2, 14), date(2025, 8, 14)), ("2025-02-13", date(2025, 2, 14), date(2025, 8, 14)),
    ("2025-02-14", date(2025, 2, 14), date(2025, 8, 14)), ("2025-03-10", date(2025, 3, 10), date(2025, 9, 10)),
    ("2025-08-31", date(2025, 8, 31), date(2026, 2, 28)), ("2025-12-31", date(2025, 12, 31), date(2026, 6, 30))])
def test_token_gift_windows(created, starts, lapses):
    r = calc("token_gift", {"created": created})
    assert (r["tokens"], r["starts"], r["lapses"]) == (1000000, starts, lapses)


def test_no_gift_after_campaign():
    r = calc("token_gift", {"created": "2026-01-01"})
    assert r["tokens"] == 0 and r["has_gift"] is False and r["starts"] == "no gift"


@pytest.mark.parametrize("reading, total", [("once-plus-gift", 1100000), ("per-cycle-plus-gift", 1600000),
                                            ("misprint-of-gift", 1000000)])
def test_token_allowance_readings(reading, total):
    r = calc("token_allowance", {"plan": "standard", "created": "2025-03-01", "cycles": "6"},
             {"cloudbase.pricelist.plan_tokens": reading})
    assert r["total"] == total


def test_token_allowance_bad_cycles():
    with pytest.raises(InputError, match="cycles"):
        calc("token_allowance", {"plan": "standard", "created": "2025-03-01", "cycles": "0"})


# ------------------------------------------------------------------ which plan pays
def test_breakeven_calls():
    assert breakeven_calls(CAT, "personal", "standard") == Decimal("378.2")
    assert breakeven_calls(CAT, "standard", "enterprise") == 2400
    assert breakeven_calls(CAT, "personal", "enterprise") == Decimal("1978.2")
    c = Decimal("378.2")
    assert month_cost(CAT, "personal", {"calls_wan": c})[0] == month_cost(CAT, "standard", {"calls_wan": c})[0] == 199


def test_cheapest_plan():
    assert calc("cheapest_plan", {"usage": {"calls_wan": "300"}})["cheapest"] == "personal"
    assert calc("cheapest_plan", {"usage": {"calls_wan": "400"}})["cheapest"] == "standard"
    assert calc("cheapest_plan", {"usage": {"calls_wan": "2500"}})["cheapest"] == "enterprise"
    r = calc("cheapest_plan", {"usage": {"calls_wan": "1000", "capacity_gb": "80", "storage_traffic_gb": "150"}})
    assert (r["cost_personal"], r["cost_standard"], r["cheapest"]) == (Decimal("770.30"), Decimal("299.00"), "standard")


def test_static_traffic_readings():
    assert calc("storage_traffic", {"plan": "personal", "static_gb": "5"})["fee"] == 0
    assert calc("storage_traffic", {"plan": "personal", "static_gb": "5"},
                {"cloudbase.pricelist.static_traffic": "outside-plan"})["fee"] == Decimal("1.05")
    assert calc("storage_traffic", {"plan": "personal", "cdn_gb": "8", "static_gb": "5"})["fee"] == Decimal("0.63")
