"""API Gateway: the free quota as packs (计费概述), resource-pack rules and refunds, and arrears.

Every figure asserted here is either printed by the guide or follows from its prices and
durations by the arithmetic shown in the notebooks (01, 06, 07, 08)."""
from datetime import datetime
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.rules.apigw import arrears, pack_refunds, packs
from pricing.engine.errors import InputError, RuleError
from pricing.spec.examples import run_calc

CATALOG = catalog.load()
CAT = CATALOG.as_of(CATALOG.latest_change())  # the prices in force now (every guide example is also checked at its own date in test_examples)

SCOPE = {"pack_amount": "500万", "obtained": "2020-10-12T23:59:59", "window_start": "2023-02-01T00:00:00",
         "window_end": "2023-03-03T00:00:00", "at": "2023-02-15T10:00:00",
         "usage": ["guangzhou calls 300万", "guangzhou egress_gb 10", "hongkong calls 50万", "hongkong egress_gb 3"]}


def calc(name, inputs, policies=None):
    return run_calc(name, CAT, inputs, policies or {})


# ---------------------------------------------------------------- 资源包生效范围 · the scope example

EXAMPLE_WINDOW = {"apigw.packs.scope_window": "example-window"}  # the example pins its own window (presentation)


def test_scope_example_pack_covers_both_regions_calls_and_no_egress():
    r = calc("apigw.packs.scope_example", SCOPE, EXAMPLE_WINDOW)
    assert r["covered_guangzhou_calls"] == Decimal("3000000")
    assert r["covered_hongkong_calls"] == Decimal("500000")
    assert r["covered_guangzhou_egress_gb"] == 0 and r["covered_hongkong_egress_gb"] == 0
    assert r["egress_fee_guangzhou"] == Decimal("8.00")      # 10 GB × 0.80
    assert r["egress_fee_hongkong"] == Decimal("3.00")       # 3 GB × 1.00
    assert r["call_fee"] == Decimal("0.00")
    assert r["total"] == Decimal("11.00")
    assert r["covered_calls_value"] == Decimal("21.00")      # 350万 × 0.06 / 万


def test_scope_example_strict_reading_bills_the_calls_too():
    r = calc("apigw.packs.scope_example", SCOPE)  # default: the pack's own validity from the day it was obtained
    assert r["pack_lapses_at"] == datetime(2020, 11, 12)  # through the settlement hour in which the validity ends
    assert r["covered_calls"] == 0
    assert r["call_fee"] == Decimal("21.00")
    assert r["total"] == Decimal("32.00")


@pytest.mark.parametrize("change, field", [
    ({"at": "2023-03-03T00:00:00"}, "at"),                                   # window is half-open
    ({"window_end": "2023-01-31T00:00:00"}, "window_end"),
    ({"usage": ["guangzhou calls -5"]}, "usage[0].quantity"),
    ({"usage": ["mars calls 5"]}, "region"),
    ({"usage": ["guangzhou bandwidth 5"]}, "metric"),
    ({"usage": ["guangzhou calls"]}, "usage[0]"),
])
def test_scope_example_refuses_bad_input(change, field):
    with pytest.raises(InputError) as e:
        calc("apigw.packs.scope_example", {**SCOPE, **change})
    assert e.value.field == field


def test_float_pack_amount_is_refused_on_the_money_path():
    with pytest.raises(TypeError):
        packs.pack_pool(CAT, "p", "call", 5000000.0, "2023-02-01T08:00:00")


# ---------------------------------------------------------------- 资源包有效期 · validity

def test_validity_printed_example():
    r = packs.validity(CAT, "2023-02-01T08:00:00", policies={"apigw.pack.window_end": "exact-30-days"})
    assert r["start"] == datetime(2023, 2, 1, 8)
    assert r["lapses_at"] == datetime(2023, 3, 3, 8)
    assert r["last_second"] == datetime(2023, 3, 3, 7, 59, 59)
    assert r["days"] == 30


def test_validity_other_readings():
    day = packs.validity(CAT, "2023-02-01T08:00:00", policies={"apigw.packs.effective_from": "purchase-day",
                                                               "apigw.pack.window_end": "exact-30-days"})
    assert (day["start"], day["lapses_at"]) == (datetime(2023, 2, 1), datetime(2023, 3, 3))
    hour = packs.validity(CAT, "2023-02-01T08:00:00")  # default: through the settlement hour, for every source
    assert hour["last_second"] == datetime(2023, 3, 3, 8, 59, 59)


def test_no_pack_before_launch_and_unknown_source():
    with pytest.raises(RuleError):
        packs.validity(CAT, "2020-10-12T23:59:58")
    assert packs.validity(CAT, "2020-10-12T23:59:59")["lapses_at"] == datetime(2020, 11, 12)
    with pytest.raises(InputError) as e:
        packs.validity(CAT, "2023-02-01T08:00:00", source="gift")
    assert e.value.field == "source"


def test_purchase_day_reading_covers_calls_made_before_the_purchase_time():
    early = {"activated": "2020-01-01T00:00:00", "purchased": "2023-02-01T08:00:00", "pack_calls": "100万",
             "calls": "200000", "at": "2023-02-01T05:00:00"}
    assert calc("apigw.packs.order", early)["fee"] == Decimal("1.20")
    assert calc("apigw.packs.order", early, {"apigw.packs.effective_from": "purchase-day"})["fee"] == Decimal("0.00")


# ---------------------------------------------------------------- types, order, balance

@pytest.mark.parametrize("pack, instance, item, ok", [
    ("call", "shared", "calls", True),
    ("call", "shared", "egress_gb", False),
    ("egress", "shared", "egress_gb", True),
    ("egress", "dedicated", "egress_gb", True),
    ("egress", "dedicated", "instance_fee", False),
])
def test_what_each_pack_type_covers(pack, instance, item, ok):
    assert packs.covers(CAT, pack, instance, item)[0] is ok


def test_covers_refuses_items_not_billed_on_the_instance():
    with pytest.raises(InputError) as e:
        packs.covers(CAT, "call", "dedicated", "calls")
    assert e.value.field == "item"
    with pytest.raises(InputError):
        packs.covers(CAT, "bandwidth", "shared", "calls")


def test_order_free_quota_then_pack_then_pay_as_you_go():
    base = {"activated": "2023-01-05T09:00:00", "purchased": "2023-02-01T08:00:00", "pack_calls": "500万",
            "at": "2023-02-10T10:00:00"}
    r = calc("apigw.packs.order", {**base, "calls": "1200000"})
    assert (r["free_covered"], r["pack_covered"], r["billed_calls"], r["fee"]) == (1000000, 200000, 0, Decimal("0.00"))
    r = calc("apigw.packs.order", {**base, "calls": "6500000"})
    assert (r["free_covered"], r["pack_covered"], r["billed_calls"], r["fee"]) == (1000000, 5000000, 500000, Decimal("3.00"))


def test_free_quota_does_not_carry_over_but_a_bought_pack_keeps_its_balance():
    free = calc("apigw.packs.carry_over", {"source": "free-quota", "start": "2023-01-05T09:00:00",
                                           "uses": ["2023-01-20T10:00:00 600000", "2023-02-10T10:00:00 1400000"]})
    assert (free["covered"], free["billed_calls"], free["fee"]) == (1600000, 400000, Decimal("2.40"))
    bought = calc("apigw.packs.carry_over", {"source": "self-service", "start": "2023-02-01T08:00:00", "amount": "1000000",
                                             "uses": ["2023-02-03T10:00:00 600000", "2023-02-28T10:00:00 400000"]})
    assert (bought["covered"], bought["billed_calls"]) == (1000000, 0)
    after = calc("apigw.packs.carry_over", {"source": "self-service", "start": "2023-02-01T08:00:00", "amount": "1000000",
                                            "uses": ["2023-02-03T10:00:00 600000", "2023-03-03T08:00:00 400000"]},
                 {"apigw.pack.window_end": "exact-30-days"})
    assert after["billed_calls"] == 400000          # lapsed at 2023-03-03 08:00:00 exactly


def test_other_fees_are_not_covered():
    r = calc("apigw.packs.other_fees", {"edition": "basic", "at": "2023-02-10T10:00:00", "purchased": "2023-02-01T08:00:00",
                                        "pack_gb": "100", "egress_gb": "10"})
    assert (r["egress_covered"], r["egress_fee"], r["instance_fee"], r["total"]) == (10, Decimal("0.00"), Decimal("5.94"), Decimal("5.94"))
    with pytest.raises(InputError) as e:
        calc("apigw.packs.other_fees", {"edition": "flagship", "at": "2023-02-10T10:00:00",
                                        "purchased": "2023-02-01T08:00:00", "pack_gb": "1", "egress_gb": "1"})
    assert e.value.field == "edition"


# ---------------------------------------------------------------- 计费概述 · free quota readings

def test_free_calendar_readings():
    act = {"activated": "2019-11-10T17:13:14"}
    r = calc("apigw.overview.free_calendar", act)  # grants every period through the first year: 13
    assert (r["second_grant"], r["twelfth_start"], r["free_until"], r["periods"]) == (
        datetime(2019, 12, 10), datetime(2020, 10, 5), datetime(2020, 11, 10, 23, 59, 59), 13)
    a = calc("apigw.overview.free_calendar", act, {"apigw.free_quota.period": "anniversary-month"})
    assert (a["twelfth_start"], a["free_until"], a["periods"]) == (datetime(2020, 10, 10), datetime(2020, 11, 9, 23, 59, 59), 12)
    n = calc("apigw.overview.free_calendar", act, {"apigw.free_quota.period": "natural-month"})
    assert (n["second_grant"], n["twelfth_start"], n["free_until"], n["periods"]) == (
        datetime(2019, 12, 1), datetime(2020, 10, 1), datetime(2020, 10, 31, 23, 59, 59), 12)
    t = calc("apigw.overview.free_calendar", act, {"apigw.free_quota.period": "thirty-days"})
    assert t["twelfth_start"] == datetime(2020, 10, 5)


def test_free_pack_and_adjustment():
    p = calc("apigw.overview.free_pack", {"activated": "2019-11-10T17:13:14"})
    assert (p["calls"], p["egress_gb"], p["priority"]) == (1000000, 1, 0)
    assert p["last_second"] == datetime(2019, 12, 9, 23, 59, 59)
    last = calc("apigw.overview.free_pack", {"activated": "2019-11-10T17:13:14", "period": "13"})
    assert (last["starts"], last["last_second"]) == (datetime(2020, 11, 4), datetime(2020, 11, 10, 23, 59, 59))
    with pytest.raises(InputError):
        calc("apigw.overview.free_pack", {"activated": "2019-11-10T17:13:14", "period": "14"})
    assert calc("apigw.overview.free_packs_issued", {"activated": "2019-11-10T17:13:14"})["free_calls_total"] == 13000000
    late = calc("apigw.overview.free_packs_issued", {"activated": "2019-11-10T17:13:14"}, {"apigw.overview.adjustment": "from-adjustment"})
    assert (late["packs_issued"], late["first_period_issued"], late["free_value"]) == (2, 12, Decimal("13.60"))


def test_free_egress():
    base = {"activated": "2023-01-05T09:00:00", "at": "2023-01-10T10:00:00", "egress_gb": "1.5"}
    assert calc("apigw.overview.first_year_egress", base)["fee"] == Decimal("0.40")
    assert calc("apigw.overview.first_year_egress", base, {"apigw.overview.free_egress": "calls-only"})["fee"] == Decimal("1.20")


# ---------------------------------------------------------------- 退费说明 · refunds

PACK = {"source": "self-service", "order_type": "new", "purchased": "2023-02-01T08:00:00",
        "requested": "2023-02-02T08:00:00", "amount": "500万", "used": "0", "cash": "80", "gift": "5", "voucher": "20"}


def test_self_service_refund_returns_all_but_vouchers():
    r = pack_refunds.refund(CAT, PACK)
    assert (r["route"], r["failing"], r["refund_cash"], r["refund_gift"], r["voucher_refunded"], r["refund"]) == (
        "self-service", "none", Decimal("80.00"), Decimal("5.00"), Decimal("0.00"), Decimal("85.00"))


@pytest.mark.parametrize("change, failing, route", [
    ({"source": "free-quota"}, "not-free-quota", "none"),
    ({"order_type": "other"}, "new-purchase", "ticket"),
    ({"used": "1"}, "unused", "ticket"),
    ({"requested": "2023-03-03T09:00:00"}, "within-validity", "none"),
    ({"requested": "2023-03-03T07:59:59"}, "none", "self-service"),
    ({"source": "free-quota", "used": "1", "requested": "2023-04-01T00:00:00"}, "not-free-quota, unused, within-validity", "none"),
])
def test_each_condition_is_reported_when_it_fails(change, failing, route):
    r = pack_refunds.refund(CAT, {**PACK, **change})
    assert (r["failing"], r["route"]) == (failing, route)


def test_ticket_refund_remaining_value_readings():
    used = {**PACK, "requested": "2023-02-11T08:00:00", "used": "350万", "gift": "0"}
    assert pack_refunds.refund(CAT, used)["refund"] == Decimal("24.00")
    assert pack_refunds.refund(CAT, used, {"apigw.pack_refunds.remaining": "unused-time"})["refund"] == Decimal("53.37")
    free = pack_refunds.refund(CAT, {**PACK, "source": "free-quota"})  # never refunded (资源包来源: 不支持退费)
    assert (free["route"], free["refund"], free["pack_after"]) == ("none", Decimal("0.00"), "kept")


@pytest.mark.parametrize("change, field", [
    ({"requested": "2023-01-31T08:00:00"}, "requested"),
    ({"used": "600万"}, "used"),
    ({"amount": "0"}, "amount"),
    ({"cash": "-1"}, "cash"),
    ({"order_type": "renewal"}, "order_type"),
])
def test_refund_refuses_bad_input(change, field):
    with pytest.raises(InputError) as e:
        pack_refunds.refund(CAT, {**PACK, **change})
    assert e.value.field == field


# ---------------------------------------------------------------- 欠费说明 · arrears

def test_arrears_timeline_default():
    t = arrears.timeline(CAT, "2023-05-10T08:30:00")
    assert t["grace_hours"] == 24 and t["restore_days"] == 7
    assert t["last_service_second"] == datetime(2023, 5, 11, 8, 30)
    assert t["suspended_from"] == datetime(2023, 5, 11, 8, 30, 1)
    assert t["notice_at"] == datetime(2023, 5, 11, 8, 30)
    assert t["restore_deadline"] == datetime(2023, 5, 18, 8, 30)
    assert t["destroy_eligible_from"] == datetime(2023, 5, 18, 8, 30, 1)


@pytest.mark.parametrize("policies, key, expected", [
    ({"apigw.arrears.grace_boundary": "instant-exclusive"}, "last_service_second", datetime(2023, 5, 11, 8, 29, 59)),
    ({"apigw.arrears.grace_boundary": "whole-hours"}, "suspended_from", datetime(2023, 5, 11, 9)),
    ({"apigw.arrears.restore_from": "arrears-start"}, "restore_deadline", datetime(2023, 5, 17, 8, 30)),
    ({"apigw.arrears.restore_from": "calendar-days"}, "restore_deadline", datetime(2023, 5, 18, 23, 59, 59)),
    ({"apigw.arrears.notice_at": "at-arrears-start"}, "notice_at", datetime(2023, 5, 10, 8, 30)),
])
def test_arrears_timeline_readings(policies, key, expected):
    assert arrears.timeline(CAT, "2023-05-10T08:30:00", policies)[key] == expected


def test_whole_hours_on_the_hour_equals_the_instant():
    t = arrears.timeline(CAT, "2023-05-10T08:00:00", {"apigw.arrears.grace_boundary": "whole-hours"})
    assert t["suspended_from"] == datetime(2023, 5, 11, 8)


@pytest.mark.parametrize("topup_at, topup, outcome", [
    ("2023-05-11T04:30:00", "50", "no-suspension"),
    ("2023-05-11T04:30:00", "30", "still-in-arrears"),
    ("2023-05-15T09:00:00", "50", "restored"),
    ("2023-05-15T09:00:00", "30", "still-suspended"),
    ("2023-05-18T08:30:00", "50", "restored"),        # the deadline itself still restores
    ("2023-05-18T08:30:01", "50", "too-late"),
])
def test_topup_outcomes(topup_at, topup, outcome):
    r = calc("apigw.arrears.timeline", {"negative_at": "2023-05-10T08:30:00", "topup_at": topup_at, "debt": "50", "topup": topup})
    assert r["outcome"] == outcome


def test_arrears_bad_input_and_state():
    with pytest.raises(InputError) as e:
        calc("apigw.arrears.timeline", {"negative_at": "2023-05-10T08:30:00", "topup_at": "2023-05-09T08:00:00"})
    assert e.value.field == "topup_at"
    with pytest.raises(InputError) as e:
        calc("apigw.arrears.timeline", {"negative_at": "yesterday"})
    assert e.value.field == "negative_at"
    t = arrears.timeline(CAT, "2023-05-10T08:30:00")
    xs, ys = arrears.state_curve(t, 200)
    assert (ys[0], ys[24], ys[25], ys[192], ys[193]) == (2, 2, 1, 1, 0)


def test_billing_periods_are_hourly():
    r = calc("apigw.arrears.billing_periods", {})
    assert (r["calls_period_hours"], r["egress_gb_period_hours"], r["bill_delay_minutes"]) == (1, 1, 30)
