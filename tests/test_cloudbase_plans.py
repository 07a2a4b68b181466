"""CloudBase plan operations, monthly plans, alerts and arrears: figures of the guide, errors, edge cases."""
from datetime import datetime
from decimal import Decimal

import pytest

from pricing.engine.money import BILLED

from pricing.engine import catalog
from pricing.rules.cloudbase import alerts, arrears, plans
from pricing.engine.errors import InputError, RuleError
from pricing.spec.examples import run_calc
from pricing.engine.lifecycle import ISOLATED, RELEASED, ACTIVE, Lifecycle, day_start

CATALOG = catalog.load()
CAT = CATALOG.as_of(CATALOG.latest_change())  # the prices in force now (every guide example is also checked at its own date in test_examples)
DOWN = {"old_price": "1000", "new_price": "100", "months": "3", "start": "2022-11-01", "at": "2022-12-15"}
UP = {"old_price": "100", "new_price": "1000", "at": "2022-12-15", "expiry": "2023-02-01"}


def calc(name, inputs, policies=None):
    return run_calc(name, CAT, inputs, policies)


# ---------------------------------------------------------------- upgrade


def test_upgrade_fee_reproduces_1420_27():
    r = calc("cloudbase.plans.upgrade_fee", UP)
    assert r["days"] == 48 and r["diff"] == Decimal("900")
    assert r["fee"] == Decimal("1420.27")
    assert abs(r["fee_exact"] * Decimal(365) - Decimal(900 * 48 * 12)) < Decimal("1e-40")  # 518400/365, to 50 digits


def test_upgrade_days_decomposition_is_the_guides_31_16_1():
    steps = {s.label: s.note for s in calc("cloudbase.plans.upgrade_fee", UP).steps}
    note = steps["upgrade days (升配天数) = expiry − now"]
    assert "16 (2022-12) + 31 (2023-01) + 1 (2023-02) = 48" in note


def test_upgrade_does_not_move_expiry_and_starts_on_the_change():
    r = calc("cloudbase.plans.upgrade_window", {"old_plan": "personal", "new_plan": "standard", "start": "2022-07-01",
                                                 "expiry": "2022-10-01", "at": "2022-08-23"})
    assert str(r["new_start_date"]) == "2022-08-23" and str(r["new_end_date"]) == "2022-10-01"
    assert r["fee"] == Decimal("229.64")  # (199 − 19.9) × 39 / (365/12)


def test_upgrade_quota_start_readings():
    inp = {"old_plan": "personal", "new_plan": "standard", "start": "2022-07-01", "expiry": "2022-10-01",
           "at": "2022-08-23T15:30:00"}
    assert calc("cloudbase.plans.upgrade_window", inp)["new_start"] == datetime(2022, 8, 23, 15, 30)
    od = calc("cloudbase.plans.upgrade_window", inp, {"cloudbase.plans.upgrade_quota_start": "order-day"})
    assert od["new_start"] == datetime(2022, 8, 23)


def test_upgrade_to_premium_from_plans_names_the_plan():
    inp = {"old_plan": "enterprise", "new_plan": "enterprise_premium", "at": "2022-12-15", "expiry": "2023-02-01"}
    with pytest.raises(RuleError) as e:
        calc("cloudbase.plans.upgrade_fee", inp)
    assert e.value.field == "new_plan" and "企业高级版" in str(e.value)


def test_upgrade_bad_inputs():
    with pytest.raises(InputError, match="old_plan"):
        calc("cloudbase.plans.upgrade_fee", {"old_plan": "team", "new_plan": "standard", "at": "2022-12-15",
                                             "expiry": "2023-02-01"})
    with pytest.raises(RuleError, match="downgrade"):
        calc("cloudbase.plans.upgrade_fee", {**UP, "new_price": "50"})
    with pytest.raises(InputError, match="expiry"):
        calc("cloudbase.plans.upgrade_fee", {**UP, "at": "2023-03-01"})
    with pytest.raises(InputError, match="old_price"):
        calc("cloudbase.plans.upgrade_fee", {**UP, "old_price": "-5"})
    with pytest.raises(InputError, match="discount"):
        calc("cloudbase.plans.upgrade_fee", {**UP, "discount": "1.5"})
    with pytest.raises(RuleError, match="not above"):
        calc("cloudbase.plans.upgrade_window", {"old_plan": "standard", "new_plan": "personal", "start": "2022-07-01",
                                                 "expiry": "2022-10-01", "at": "2022-08-23"})


def test_upgrade_fee_refuses_floats():
    with pytest.raises(TypeError):
        plans.upgrade_fee(CAT, Decimal(100), Decimal(1000), "2022-12-15", "2023-02-01", discount=0.9)


# ---------------------------------------------------------------- downgrade


AS_PRINTED = {"cloudbase.plans.downgrade_rounding": "as-printed"}  # the worked example pins its printed parts


def test_downgrade_reproduces_every_printed_figure():
    r = calc("cloudbase.plans.downgrade_refund", DOWN, AS_PRINTED)
    assert (r["used_days"], r["total_days"], r["remaining_days"]) == (45, 93, 48)
    assert r["resource_refund"] == Decimal("1548.39")
    assert r["new_purchase"] == Decimal("157.8")
    assert r["refund"] == Decimal("1390.59")


def test_downgrade_calendar_days_44_92():
    r = calc("cloudbase.plans.downgrade_refund", DOWN, {"cloudbase.plans.day_count": "calendar", **AS_PRINTED})
    assert (r["used_days"], r["total_days"], r["remaining_days"]) == (44, 92, 48)
    assert r["resource_refund"] == Decimal("1565.22") and r["refund"] == Decimal("1407.42")
    assert calc("cloudbase.plans.downgrade_refund", DOWN, {"cloudbase.plans.day_count": "calendar"})["refund"] == Decimal("1407.41")


@pytest.mark.parametrize("reading, figure", [("average-month", "157.81"), ("order-share-monthly", "51.61"),
                                             ("order-share-term", "154.84")])
def test_downgrade_new_purchase_readings(reading, figure):
    r = calc("cloudbase.plans.downgrade_refund", DOWN, {"cloudbase.plans.new_purchase": reading})
    assert BILLED(r["new_purchase"]) == Decimal(figure)


@pytest.mark.parametrize("rounding, figure", [("as-printed", "1390.59"), ("exact", "1390.58")])
def test_downgrade_rounding_readings(rounding, figure):
    assert calc("cloudbase.plans.downgrade_refund", DOWN, {"cloudbase.plans.downgrade_rounding": rounding})["refund"] == Decimal(figure)


def test_downgrade_refund_not_above_zero_downgrades_without_refund():
    # paid almost nothing in cash (vouchers): the new-purchase cost exceeds the refund of resources
    r = calc("cloudbase.plans.downgrade_refund", {**DOWN, "paid": "100"})
    assert r["refund"] == 0 and r["downgraded"] is True
    assert r["resource_refund"] - r["new_purchase"] < 0


def test_downgrade_blocked_by_usage_names_metric_and_remedy():
    with pytest.raises(RuleError) as e:
        plans.downgrade(CAT, "enterprise", "standard", 3, "2022-11-01", "2022-11-15", used={"storage_traffic_gb": "400"})
    assert e.value.field == "used.storage_traffic_gb"
    assert "next billing cycle" in str(e.value) and "2022-12-01" in str(e.value)
    with pytest.raises(RuleError) as e:
        plans.downgrade(CAT, "enterprise", "standard", 3, "2022-11-01", "2022-11-15", used={"capacity_gb": "120"})
    assert e.value.field == "used.capacity_gb" and "clean up" in str(e.value)


def test_downgrade_within_quotas_goes_through():
    r = plans.downgrade(CAT, "enterprise", "standard", 3, "2022-11-01", "2022-12-15",
                        used={"storage_traffic_gb": "145", "capacity_gb": "95", "calls_wan": "200"})
    # 999 × 3 paid, 45/93 used; 48 / (365/12) × 199
    assert BILLED(r["resource_refund"]) == Decimal("1546.84") and BILLED(r["new_purchase"]) == Decimal("314.04")
    assert r["refund"] == Decimal("1232.80")  # the exact parts subtracted, the refund rounded once


def test_downgrade_bad_inputs():
    with pytest.raises(RuleError, match="upgrade"):
        calc("cloudbase.plans.downgrade_refund", {**DOWN, "new_price": "2000"})
    with pytest.raises(InputError, match="at"):
        calc("cloudbase.plans.downgrade_refund", {**DOWN, "at": "2023-03-01"})
    with pytest.raises(InputError, match="months"):
        calc("cloudbase.plans.downgrade_refund", {**DOWN, "months": "1.5"})
    with pytest.raises(RuleError, match="not below"):
        plans.downgrade(CAT, "standard", "enterprise", 3, "2022-11-01", "2022-12-15")
    with pytest.raises(InputError, match="policies"):
        calc("cloudbase.plans.downgrade_refund", DOWN, {"cloudbase.plans.day_count": "actual/360"})


def test_account_in_arrears_cannot_change_plan():
    with pytest.raises(RuleError) as e:
        calc("cloudbase.plans.downgrade_refund", {**DOWN, "account_in_arrears": "true"})
    assert e.value.field == "account_in_arrears" and "downgrade" in str(e.value)
    with pytest.raises(RuleError, match="upgrade"):
        calc("cloudbase.plans.upgrade_fee", {**UP, "account_in_arrears": "true"})


# ---------------------------------------------------------------- destroy


def test_destroy_refund_matches_the_downgrades_refund_of_resources():
    r = calc("cloudbase.plans.destroy_refund", {"paid": "3000", "start": "2022-11-01", "months": "3", "at": "2022-12-15",
                                                "payg_fees": "57.30"})
    assert r["refund"] == Decimal("1548.39") and r["payg_refunded"] == 0
    r = calc("cloudbase.plans.destroy_refund", {"plan": "standard", "start": "2022-11-01", "months": "1", "at": "2022-11-01"})
    assert r["refund"] == Decimal("192.58")  # 30 / 31 × 199, the first day counted as used


# ---------------------------------------------------------------- billing cycle, exhaustion, change checks


def test_billing_cycle_example():
    r = calc("cloudbase.monthly.cycles", {"purchased": "2022-11-01", "months": "2"})
    assert str(r["expiry_date"]) == "2023-01-01" and str(r["first_reset_date"]) == "2022-12-01" and r["billing_day"] == 1


def test_billing_cycles_from_the_31st_are_anchored_not_drifting():
    r = calc("cloudbase.monthly.cycles", {"purchased": "2023-01-31", "months": "3"})
    assert r["resets"] == "2023-02-28, 2023-03-31" and str(r["expiry_date"]) == "2023-04-30"
    r = calc("cloudbase.monthly.cycles", {"purchased": "2023-01-31", "months": "3"}, {"periods.month_end": "roll-forward"})
    assert r["resets"] == "2023-03-01, 2023-03-31"


@pytest.mark.parametrize("used, remedy", [
    ({"used": {"storage_traffic_gb": "145"}, "limits": {"storage_traffic_gb": "50"}}, "wait-next-cycle"),
    ({"used": {"capacity_gb": "95"}, "limits": {"capacity_gb": "50"}}, "clean-up"),
    ({"used": {"calls_wan": "200万"}, "limits": {"calls_wan": "100万"}}, "wait-next-cycle")])
def test_three_change_cases(used, remedy):
    r = calc("cloudbase.monthly.change_check", {"purchased": "2022-11-01", "at": "2022-11-15", **used})
    assert r["allowed"] is False and r["remedy"] == remedy


def test_the_cases_usage_fits_the_real_standard_plan():
    r = calc("cloudbase.monthly.change_check", {"purchased": "2022-11-01", "at": "2022-11-15", "target": "standard",
                                                "used": {"storage_traffic_gb": "145", "capacity_gb": "95", "calls_wan": "200"}})
    assert r["allowed"] is True and r["blocked_by"] == "none"


def test_exhaustion_by_class():
    base = {"at": "2022-11-15T10:00:00", "purchased": "2022-11-01", "plan": "personal"}
    flow = calc("cloudbase.monthly.exhausted", {**base, "metric": "storage_traffic_gb", "used": "10"})
    assert flow["blocked"] is True and flow["until"] == datetime(2022, 12, 1)
    cap = calc("cloudbase.monthly.exhausted", {**base, "metric": "capacity_gb", "used": "3"})
    assert cap["blocked"] is True and cap["until"] == "cleaned up below the quota"
    conn = calc("cloudbase.monthly.exhausted", {"at": "2022-11-15", "purchased": "2022-11-01", "metric": "realtime_connections",
                                                "limit": "10", "used": "10"})
    assert conn["blocked"] is False and "refused" in conn["effect"]
    payg = calc("cloudbase.monthly.exhausted", {**base, "metric": "storage_traffic_gb", "used": "12", "pay_as_you_go": "true"})
    assert payg["blocked"] is False and payg["settled_at"] == datetime(2022, 11, 16)
    within = calc("cloudbase.monthly.exhausted", {**base, "metric": "calls_wan", "used": "19"})
    assert within["exhausted"] is False
    with pytest.raises(InputError, match="metric"):
        calc("cloudbase.monthly.exhausted", {**base, "metric": "bandwidth", "used": "1"})
    with pytest.raises(InputError, match="used"):
        calc("cloudbase.monthly.exhausted", {**base, "metric": "calls_wan", "used": "-1"})


def test_async_queue_readings():
    inp = {"enqueued": "2022-12-26", "suspended": "2023-01-01", "restored": "2023-01-03"}
    assert calc("cloudbase.monthly.async_request", inp)["fate"] == "dropped"
    assert calc("cloudbase.monthly.async_request", inp, {"cloudbase.monthly.async_drop": "since-suspension"})["fate"] == "processed after restore"
    with pytest.raises(InputError, match="restored"):
        calc("cloudbase.monthly.async_request", {**inp, "restored": "2022-12-31"})


# ---------------------------------------------------------------- alerts


def test_usage_alerts():
    r = calc("cloudbase.alerts.usage", {"metric": "storage_traffic_gb", "plan": "standard", "used": "250", "previous": "200"})
    assert r["notices"] == "warning 80%"  # 240 crossed, 270 not yet
    r = calc("cloudbase.alerts.usage", {"metric": "calls_wan", "plan": "standard", "used": "900"})
    assert r["alerted"] is False and r["count"] == 0
    with pytest.raises(InputError, match="used"):
        calc("cloudbase.alerts.usage", {"metric": "egress_gb", "plan": "standard", "used": "5", "previous": "10"})


def test_event_notices():
    assert calc("cloudbase.alerts.event", {"event": "expiring", "auto_renew": "true", "balance_ok": "true"})["sent"] is False
    assert "top up" in calc("cloudbase.alerts.event", {"event": "expiring", "auto_renew": "true", "balance_ok": "false"})["notice"]
    assert calc("cloudbase.alerts.event", {"event": "released"})["notice"].startswith("释放通知")
    with pytest.raises(InputError, match="event"):
        calc("cloudbase.alerts.event", {"event": "birthday"})


def test_expiry_notice_schedule():
    r = calc("cloudbase.alerts.expiry_notices", {"expiry": "2023-01-01"})
    assert r["dates"] == "12-25, 12-27, 12-29, 12-31"
    r = calc("cloudbase.alerts.expiry_notices", {"expiry": "2023-01-01", "auto_renew": "true", "balance_ok": "false"})
    assert r["count"] == 4 and "top up" in r["notice"]


def test_pack_notices():
    r = calc("cloudbase.alerts.pack", {"delivered": "2023-03-01", "expires": "2023-03-31", "used_up": "2023-03-20"})
    assert r["expiring_at"] == datetime(2023, 3, 24) and r["count"] == 4
    with pytest.raises(InputError, match="used_up"):
        calc("cloudbase.alerts.pack", {"delivered": "2023-03-01", "expires": "2023-03-31", "used_up": "2023-04-20"})


# ---------------------------------------------------------------- arrears and the lifecycle


def test_arrears_timeline_and_renewal():
    r = calc("cloudbase.arrears.timeline", {"expiry": "2023-01-01", "renewed_at": "2023-01-03", "at": "2023-01-10"})
    assert r["reminder_at"] == datetime(2022, 12, 25)
    assert r["suspend_at"] == datetime(2023, 1, 1) and r["release_at"] == datetime(2023, 1, 16)
    assert r["isolation_days"] == 15 and r["isolation_exact"] is True
    assert str(r["new_expiry_date"]) == "2023-02-01" and r["restored"] is True and r["state"] == ISOLATED


def test_renewal_before_expiry_extends_from_expiry():
    r = calc("cloudbase.arrears.renew", {"expiry": "2023-01-31", "renewed_at": "2023-01-20", "months": "1"})
    assert r["new_expiry"] == datetime(2023, 2, 28) and r["restored"] is False


def test_renewal_counts_months_under_the_month_end_policy():
    # periods.month_end (CB-MONTHLY-MONTHEND): the 31st + 1 month is clamped to 02-28, or rolls forward to 03-01
    ask = {"expiry": "2023-01-31T10:00:00", "renewed_at": "2023-01-20", "months": "1"}
    r = calc("cloudbase.arrears.renew", ask, {"periods.month_end": "roll-forward"})
    assert r["new_expiry"] == datetime(2023, 3, 1, 10) and r.policies["periods.month_end"] == "roll-forward"
    assert calc("cloudbase.arrears.renew", ask).policies["periods.month_end"] == "clamp"
    t = calc("cloudbase.arrears.timeline", {**ask, "renewed_at": "2023-02-02"}, {"periods.month_end": "roll-forward"})
    assert t["new_expiry"] == datetime(2023, 3, 1, 10) and t["restored"] is True


def test_renewal_after_release_or_in_arrears_is_refused():
    with pytest.raises(RuleError) as e:
        calc("cloudbase.arrears.renew", {"expiry": "2023-01-01", "renewed_at": "2023-01-16", "months": "1"})
    assert e.value.field == "renewed_at" and "released" in str(e.value)
    with pytest.raises(RuleError) as e:
        calc("cloudbase.arrears.renew", {"expiry": "2023-03-01", "renewed_at": "2023-01-16", "account_in_arrears": "true"})
    assert e.value.field == "account_in_arrears" and "renew" in str(e.value)
    with pytest.raises(InputError, match="months"):
        calc("cloudbase.arrears.renew", {"expiry": "2023-01-01", "renewed_at": "2023-01-03", "months": "0"})


def test_day16_readings_and_daytime_expiry():
    assert calc("cloudbase.arrears.timeline", {"expiry": "2023-01-01"},
                {"cloudbase.arrears.day_one": "day-after-expiry"})["release_at"] == datetime(2023, 1, 17)
    r = calc("cloudbase.arrears.timeline", {"expiry": "2023-01-01T10:00:00"})
    assert r["release_at"] == datetime(2023, 1, 16) and r["isolation_days"] == 14 and r["isolation_exact"] is False


def test_lifecycle_state_machine():
    lc = Lifecycle(datetime(2023, 1, 1), datetime(2023, 1, 1), datetime(2023, 1, 16))
    assert [lc.state_at(t) for t in ("2022-12-31T23:59:59", "2023-01-01", "2023-01-15T23:59:59", "2023-01-16")] == \
        [ACTIVE, ISOLATED, ISOLATED, RELEASED]
    assert [m.event for m in lc.milestones()] == ["expiry", "released"]
    assert day_start("2023-01-01T10:00", 16, "expiry-date") == datetime(2023, 1, 16)
    with pytest.raises(InputError, match="release_at"):
        Lifecycle(datetime(2023, 1, 1), datetime(2023, 1, 2), datetime(2023, 1, 2))
    with pytest.raises(InputError, match="day_one"):
        day_start("2023-01-01", 1, "day-zero")
