"""计费能力项说明 · 服务指引 · 专家服务说明: capability items, support channels, expert services."""
from datetime import date, datetime
from decimal import Decimal

import pytest
import sympy as sp

from pricing.engine import catalog
from pricing.spec import formulas
from pricing.rules.cloudbase import capabilities as cap, expert, service_guide as guide, service_tables as tables
from pricing.engine.errors import InputError, RuleError

CATALOG = catalog.load()
CAT = CATALOG.as_of(CATALOG.latest_change())  # the prices in force now (every guide example is also checked at its own date in test_examples)
PLANS = ["personal", "standard", "enterprise", "enterprise_premium"]


# ------------------------------------------------------------------ capability items

@pytest.mark.parametrize("plan,days", [("standard", 14), ("enterprise", 14), ("enterprise_premium", 14)])
def test_rollback_14_days_on_standard_and_above(plan, days):
    r = cap.capability(CAT, plan, "rollback")
    assert r["included"] is True and r["rollback_days"] == Decimal(days)
    assert r["extra_price"] == 0


def test_personal_plan_has_no_rollback():
    r = cap.capability(CAT, "personal", "rollback")
    assert r["included"] is False and r["rollback_days"] == "-"


def test_exclusive_access_is_in_no_plan_and_unpriced():
    for p in PLANS:
        r = cap.capability(CAT, p, "exclusive")
        assert r["included"] == "not listed" and r["extra_price"] == "not given in the guide"


def test_rollback_billed_separately_reading_has_no_price():
    r = cap.capability(CAT, "standard", "rollback", {"cloudbase.cap.pricing_basis": "billed-separately"})
    assert r["extra_price"] == "not given in the guide"


@pytest.mark.parametrize("plan,item,field", [("gold", "rollback", "plan"), ("standard", "backup", "item"), ("", "rollback", "plan")])
def test_capability_unknown_plan_or_item_names_the_field(plan, item, field):
    with pytest.raises(InputError) as e:
        cap.capability(CAT, plan, item)
    assert e.value.field == field
    assert ("enterprise_premium" if field == "plan" else "exclusive") in e.value.allowed


def test_rollback_scenario_ten_minutes_back():
    r = cap.rollback_check(CAT, "standard", "2025-07-15T10:05:00", "2025-07-15T09:55:00")
    assert r["restorable"] is True and r["minutes_back"] == 10
    assert cap.rollback_check(CAT, "personal", "2025-07-15T10:05:00", "2025-07-15T09:55:00")["restorable"] is False


def test_rollback_window_readings():
    now, target = "2025-07-15T10:00:00", "2025-07-01T12:00:00"
    rolling = cap.rollback_check(CAT, "enterprise", now, target)
    assert rolling["earliest"] == datetime(2025, 7, 1, 10, 0) and rolling["restorable"] is True
    # just outside the rolling 14 × 24 h
    assert cap.rollback_check(CAT, "enterprise", now, "2025-07-01T09:59:00")["restorable"] is False


def test_rollback_grain():
    args = ("standard", "2025-07-15T10:05:00", "2025-07-15T09:54:30")
    assert cap.rollback_check(CAT, *args)["restore_point"] == datetime(2025, 7, 15, 9, 54)


def test_rollback_target_after_now_is_refused():
    with pytest.raises(InputError) as e:
        cap.rollback_check(CAT, "standard", "2025-07-15T10:00:00", "2025-07-15T10:01:00")
    assert e.value.field == "now"


@pytest.mark.parametrize("days,minutes", [("30", "4.32"), ("365", "52.56")])
def test_sla_99_99_downtime(days, minutes):
    r = cap.sla_downtime(CAT, days)
    assert r["sla_percent"] == Decimal("99.99")
    assert r["downtime_minutes"] == Decimal(minutes)


# ------------------------------------------------------------------ service guide

@pytest.mark.parametrize("plan,count,which", [
    ("personal", 2, "community, ticket"),
    ("standard", 3, "community, realtime_group, ticket"),
    ("enterprise", 5, "community, realtime_group, one_on_one_group, expert, ticket"),
    ("enterprise_premium", 5, "community, realtime_group, one_on_one_group, expert, ticket"),
])
def test_channels_per_plan(plan, count, which):
    r = guide.channels(CAT, plan)
    assert r["count"] == count and r["available"] == which


def test_expert_service_from_the_price_lists_lowest_plan():
    assert guide.channels(CAT, "standard")["available.expert"] is False
    assert guide.channels(CAT, "enterprise")["available.expert"] is True


def test_one_on_one_free_until_and_after():
    r = guide.channels(CAT, "enterprise", at="2025-12-31T18:00:00")
    assert r["free_until"] == date(2025, 12, 31) and r["cost.one_on_one_group"].startswith("free for now")
    after = guide.channels(CAT, "enterprise", at="2026-01-05T11:00:00")
    assert "3 months' notice" in after["cost.one_on_one_group"]
    g = guide.channels(CAT, "enterprise", at="2026-01-05T11:00:00", policies={"cloudbase.svc.one_on_one_after": "guarantee-only"})
    assert g["cost.one_on_one_group"] == "unknown after 2025-12-31"
    assert guide.channels(CAT, "enterprise_premium")["cost.one_on_one_group"] == "included"


@pytest.mark.parametrize("moment,expected", [
    ("2025-07-01T10:00:00", True),    # Tuesday, opening minute
    ("2025-07-01T09:59:59", False),
    ("2025-07-01T18:59:59", True),
    ("2025-07-01T19:00:00", False),   # half-open window
    ("2025-07-05T11:00:00", False),   # Saturday
])
def test_workday_hours(moment, expected):
    assert guide.in_service_hours(CAT, moment)[0] is expected


def test_holidays_and_make_up_days_given_by_the_caller():
    assert guide.in_service_hours(CAT, "2025-10-01T11:00:00")[0] is True
    assert guide.in_service_hours(CAT, "2025-10-01T11:00:00", holidays=["2025-10-01"])[0] is False
    assert guide.in_service_hours(CAT, "2025-09-28T11:00:00", workdays=["2025-09-28"])[0] is True
    with pytest.raises(InputError) as e:
        guide.in_service_hours(CAT, "2025-10-01T11:00:00", holidays=["2025-10-01"], workdays=["2025-10-01"])
    assert e.value.field == "workdays"


def test_staffed_channels_at_a_moment():
    r = guide.channels(CAT, "enterprise", at="2025-07-05T11:00:00")  # Saturday
    assert r["staffed"] == "ticket" and r["open.workdays"] is False
    r = guide.channels(CAT, "enterprise", at="2025-07-01T11:00:00")
    assert r["staffed"] == "realtime_group, one_on_one_group, ticket"


@pytest.mark.parametrize("channel,window,per_day,per_week", [
    ("realtime_group", "10:00 ~ 19:00", 9, 45), ("one_on_one_group", "10:00 ~ 19:00", 9, 45), ("ticket", "00:00 ~ 24:00", 24, 168)])
def test_schedules(channel, window, per_day, per_week):
    s = guide.schedule(CAT, channel)
    assert (s["window"], s["hours_per_day"], s["hours_per_week"]) == (window, per_day, per_week)


def test_bad_channel_plan_and_moment_inputs():
    with pytest.raises(InputError) as e:
        guide.channels(CAT, "vip")
    assert e.value.field == "plan"
    with pytest.raises(InputError) as e:
        guide.channels(CAT, "standard", at="next tuesday")
    assert e.value.field == "at"
    with pytest.raises(InputError) as e:
        guide.schedule(CAT, "phone")
    assert e.value.field == "channel"


def test_scope_boundary():
    assert guide.scope(CAT, "product", "community")["supported"] == "yes"
    assert guide.scope(CAT, "solution_design", "one_on_one_group")["supported"] == "no"
    assert guide.scope(CAT, "solution_design", "expert")["supported"].startswith("covered")
    with pytest.raises(InputError) as e:
        guide.scope(CAT, "css", "ticket")
    assert e.value.field == "topic"


# ------------------------------------------------------------------ expert services

@pytest.mark.parametrize("service,price,per_hour", [
    ("consulting", 25000, 3125), ("training", 160000, 10000), ("escort", 18000, 2250),
    ("load_standard", 30000, 3750), ("load_custom", 50000, 6250)])
def test_expert_list_prices(service, price, per_hour):
    q = expert.quote(CAT, service, quantity="1")
    assert q["amount"] == price and q["unit_price"] == price and q["per_hour"] == per_hour


def test_expert_prices_are_stored_once():
    values = {"25000", "160000", "18000", "30000", "50000"}
    hits = [i for i in CAT.ids("cloudbase.") if CAT.entry(i).kind == "price" and str(CAT.entry(i).value) in values]
    assert sorted(hits) == sorted(f"cloudbase.expert.price.{s}" for s in tables.services(CAT))


def test_training_per_day_and_session_days():
    q = expert.quote(CAT, "training", quantity="1")
    assert q["per_day"] == 80000 and q["session_days"] == 2


def test_training_days_readings():
    assert expert.quote(CAT, "training", days="3")["amount"] == 320000
    assert expert.quote(CAT, "training", days="4")["amount"] == 320000


def test_part_day_readings():
    assert expert.quote(CAT, "consulting", hours="12")["amount"] == 50000
    assert expert.quote(CAT, "escort", hours="16")["quantity_billed"] == 2


def test_quote_multi_day_and_sympy_formula():
    q = expert.quote(CAT, "load_custom", quantity="3")
    assert q["amount"] == 150000
    p, n = sp.symbols("p n", positive=True)
    value, ok = formulas.check(p * n, {p: formulas.R(q["unit_price"]), n: formulas.R(q["quantity_billed"])}, q["amount"])
    assert ok and value == 150000


@pytest.mark.parametrize("kwargs,field", [
    ({"quantity": "-1"}, "quantity"), ({"quantity": "0"}, "quantity"), ({"quantity": "two"}, "quantity"),
    ({"quantity": "1", "hours": "8"}, "quantity"), ({}, "quantity"), ({"hours": "-8"}, "hours")])
def test_quote_bad_quantities(kwargs, field):
    with pytest.raises(InputError) as e:
        expert.quote(CAT, "consulting", **kwargs)
    assert e.value.field == field


def test_quote_refuses_floats_unknown_services_and_training_hours():
    with pytest.raises(TypeError):
        expert.quote(CAT, "consulting", quantity=1.5)
    with pytest.raises(InputError) as e:
        expert.quote(CAT, "audit", quantity="1")
    assert e.value.field == "service" and "load_custom" in e.value.allowed
    with pytest.raises(InputError) as e:
        expert.quote(CAT, "training", hours="16")
    assert e.value.field == "hours"


def test_quote_plan_gate_and_training_mode():
    with pytest.raises(RuleError) as e:
        expert.quote(CAT, "consulting", quantity="1", plan="standard")
    assert e.value.field == "plan"
    assert expert.quote(CAT, "consulting", quantity="1", plan="enterprise")["amount"] == 25000
    assert expert.quote(CAT, "training", quantity="1", mode="online")["amount"] == 160000
    with pytest.raises(RuleError):
        expert.quote(CAT, "training", quantity="1", mode="online", policies={"cloudbase.svc.training_mode": "on-site-only"})
    with pytest.raises(InputError):
        expert.quote(CAT, "training", quantity="1", mode="hybrid")


def test_expert_sla():
    s = expert.sla(CAT)
    assert s["response_limit_minutes"] == 30 and (s["days_per_week"], s["hours_per_day"], s["hours_per_week"]) == (7, 8, 56)
    assert expert.sla(CAT, "29")["met"] is True and expert.sla(CAT, "30")["met"] is False
    with pytest.raises(InputError):
        expert.sla(CAT, "-1")


def test_tables_as_data():
    assert [r["step"] for r in CAT.value("cloudbase.expert.purchase_steps")] == ["1", "2", "3", "4", "5"]
    assert {r["party"] for r in CAT.value("cloudbase.expert.responsibilities")} == {"both", "customer", "cloudbase"}
    assert [r["topic"] for r in CAT.value("cloudbase.svc.boundary")] == ["product", "non_product", "page_building", "business_code", "solution_design"]


def test_price_list_rows_are_read_not_repeated():
    assert tables.pricelist_min_plan(CAT, "专家服务") == "enterprise"
    assert tables.pricelist_min_plan(CAT, "社群服务") == "personal"
    assert CAT.value("cloudbase.pricelist.offers.until") == datetime(2025, 12, 31)
    assert not [i for i in CAT.ids("cloudbase.svc.") + CAT.ids("cloudbase.cap.") if CAT.entry(i).kind == "instant"]
