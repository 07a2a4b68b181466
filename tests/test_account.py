"""Accounts of both products: a balance run through the bills into arrears, the grace bills charged,
suspension, the restore deadline, and what a top-up restores (figures by hand)."""
from datetime import datetime
from decimal import Decimal

import pytest

from pricing.engine import account
from pricing.engine.catalog import load
from pricing.engine.errors import InputError
from pricing.rules import load_all
from pricing.rules.apigw.arrears import arrears_rule as apigw_rule
from pricing.rules.cloudbase.arrears import arrears_rule as cloudbase_rule
from pricing.spec.examples import run_calc

load_all()
CATALOG = load()

# API Gateway: 30 CNY, then 2,000,000 calls an hour from 06:00 to 11:00 (12.00 an hour on tier 1 up to
# 10,000,000 calls, 8.00 for the 11:00 hour on tier 2), and 1,000,000 calls at 08:00 and 09:00 the next
# day (4.00 each); each hour's bill is debited 30 minutes after it closes (apigw.settlement.bill_delay).
APIGW = {"start": "2023-05-10T00:00:00", "opening": "30",
         "usage": [f"2023-05-10T{h:02d}:00:00 guangzhou calls 2000000" for h in range(6, 12)]
         + ["2023-05-11T08:00:00 guangzhou calls 1000000", "2023-05-11T09:00:00 guangzhou calls 1000000"],
         "until": "2023-05-30T00:00:00"}


def apigw(**over):
    return run_calc("apigw.arrears.account", CATALOG, {**APIGW, **over}, as_of="2024-11-05")


def test_apigw_balance_runs_into_arrears_grace_bills_are_charged_then_calls_stop():
    r = apigw()
    assert r["negative_at"] == datetime(2023, 5, 10, 9, 30)       # 30 − 12 − 12 − 12 = −6.00 at the 08:00 bill
    assert r["grace_charged"] == Decimal("12.00") * 2 + Decimal("8.00") + Decimal("4.00")  # 10:30, 11:30, 12:30, next 09:30
    assert r["last_service_second"] == datetime(2023, 5, 11, 9, 30)  # 24 h, the last included: the 09:30 bill is charged
    assert r["suspended_at"] == datetime(2023, 5, 11, 9, 30, 1)
    assert (r["charged"], r["not_served"]) == (Decimal("72.00"), Decimal("4.00"))  # the 09:00 hour (bill at 10:30) is not served
    assert r["balance"] == Decimal("30") - Decimal("72.00") == Decimal("-42.00")
    assert r["restore_deadline"] == datetime(2023, 5, 18, 9, 30)   # 7 × 24 h after the suspension
    assert (r["released_at"], r["state"]) == (datetime(2023, 5, 18, 9, 30, 1), "released")


@pytest.mark.parametrize("at, amount, policies, outcome", [
    ("2023-05-10T20:00:00", None, {}, "no-suspension"),            # the debt (38.00 then) paid within the grace
    ("2023-05-15T09:00:00", None, {}, "restored"),                 # 42.00 paid within the restore window
    ("2023-05-15T09:00:00", "20", {}, "still-suspended"),          # leaves −22.00: the debt is not cleared
    ("2023-05-15T09:00:00", "20", {"apigw.arrears.topup": "any-topup"}, "restored"),
    ("2023-05-18T09:30:00", None, {}, "restored"),                 # the deadline itself
    ("2023-05-18T09:30:01", None, {}, "too-late"),
    ("2023-05-10T08:00:00", None, {}, "not-in-arrears"),
])
def test_apigw_what_a_topup_restores(at, amount, policies, outcome):
    inputs = {**APIGW, "topup_at": at} | ({"topup": amount} if amount else {})
    r = run_calc("apigw.arrears.account", CATALOG, inputs, policies, as_of="2024-11-05")
    assert r["outcome"] == outcome


def test_apigw_a_topup_in_the_run_restores_and_later_bills_are_charged():
    r = apigw(topups=["2023-05-11T12:00:00 42"])
    # suspended 09:30:01; 42.00 clears −42.00 at 12:00: restored, the balance is 0
    assert (r["restored_at"], r["balance"], r["state"]) == (datetime(2023, 5, 11, 12), Decimal("0.00"), "active")
    assert r["not_served"] == Decimal("4.00")  # the bill of 10:30 fell inside the suspension


def test_apigw_rule_reads_the_durations_when_the_balance_goes_negative():
    rule = apigw_rule(CATALOG.as_of("2024-11-05"))
    ms = rule.timeline(datetime(2023, 5, 10, 8, 30))
    assert [(m.state, m.at) for m in ms] == [("suspended", datetime(2023, 5, 11, 8, 30, 1)),
                                             ("released", datetime(2023, 5, 18, 8, 30, 1))]


# CloudBase: the personal plan bought 2026-03-05 10:00 and 20 CNY left; 10 GB of egress a day from
# 03-06 to 03-30 (4 GB quota: 6 GB × 0.8 = 4.80 on the first day, then 8.00 a day), each day debited at
# 00:00 the next day (cloudbase.pricelist.overage.settle_after).
CB = {"purchased": "2026-03-05T10:00:00", "plan": "personal", "opening": "20",
      "usage": [f"2026-03-{d:02d}T10:00:00 egress_gb 10" for d in range(6, 31)], "until": "2026-04-30T00:00:00"}


def cloudbase(**over):
    return run_calc("cloudbase.arrears.account", CATALOG, {**CB, **over}, as_of="2026-11-30")


def test_cloudbase_balance_runs_negative_the_environment_works_on_until_the_expiry():
    r = cloudbase()
    assert r["negative_at"] == datetime(2026, 3, 9)  # 20 − 4.80 − 8.00 − 8.00 = −0.80
    assert r["charged"] == Decimal("4.80") + 24 * Decimal("8.00") == Decimal("196.80")  # every daily bill is charged
    assert r["grace_charged"] == 22 * Decimal("8.00")
    assert r["suspended_at"] == r["expiry"] == datetime(2026, 4, 5, 10)  # unrenewable in arrears: isolated at expiry
    assert r["released_at"] == datetime(2026, 4, 20)                     # 00:00 of day 16 (the expiry date is day 1)
    assert r["restore_deadline"] == datetime(2026, 4, 19, 23, 59, 59)
    assert (r["balance"], r["state"]) == (Decimal("-176.80"), "released")


@pytest.mark.parametrize("at, amount, outcome", [
    ("2026-03-20T09:00:00", None, "no-suspension"),   # the debt (88.80) paid before the expiry
    ("2026-04-10T09:00:00", "200", "restored"),       # 176.80 debt + a month's renewal at 19.9 = 196.70
    ("2026-04-10T09:00:00", "196.69", "still-suspended"),
    ("2026-04-10T09:00:00", "196.70", "restored"),
    ("2026-04-20T00:00:00", "500", "too-late"),
])
def test_cloudbase_what_a_topup_restores(at, amount, outcome):
    r = cloudbase(topup_at=at, **({"topup": amount} if amount else {}))
    assert r["outcome"] == outcome


def test_cloudbase_a_renewal_restores_the_isolated_environment():
    r = cloudbase(topups=["2026-04-10T09:00:00 200"])
    assert (r["restored_at"], r["state"]) == (datetime(2026, 4, 10, 9), "active")
    assert r["balance"] == Decimal("200") - Decimal("176.80") - Decimal("19.9") == Decimal("3.30")
    rule = cloudbase_rule(CATALOG.as_of("2026-11-30"), "2026-04-05T10:00:00", "personal")
    assert rule.renewal(datetime(2026, 4, 10, 9))[0] == Decimal("19.9")
    # after the renewal, arrears run to the renewed expiry: the original + 1 month
    assert rule.timeline(datetime(2026, 4, 12))[0].at == datetime(2026, 5, 5, 10)


def test_bad_account_input_names_the_field():
    with pytest.raises(InputError) as e:
        apigw(topups=["2023-05-11T12:00:00"])
    assert e.value.field == "topups[0]"
    with pytest.raises(InputError) as e:
        apigw(start="2023-05-11T00:00:00")
    assert e.value.field == "usage[0].at" and "at or after start (2023-05-11 00:00:00)" in str(e.value)   # usage before the balance is known
    with pytest.raises(InputError):
        account.event("2023-05-11T00:00:00", "bill", "-1")
