"""Shared-instance rules and the hourly billing engine (API Gateway › 共享实例计费, 计费概述)."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.rules.apigw.billing import bill, pack, usage
from pricing.rules.apigw.free_quota import calendar, free_pools
from pricing.rules.apigw.shared import call_fee, egress_fee
from pricing.engine.errors import InputError
from pricing.spec.examples import run_calc

CATALOG = catalog.load()
CAT = CATALOG.as_of("2025-03-17 17:50:52")  # the section's revision date


def test_45_26_derivation_parts():
    r = run_calc("apigw.shared.month_example", CAT, {"calls": "500万", "response_kb": "3", "request_kb": "1"},
                 {"apigw.example.gb_rounding": "as-printed"})
    assert (r["call_fee"], r["traffic_fee"], r["total"]) == (Decimal("30.00"), Decimal("15.26"), Decimal("45.26"))
    assert r["response_gb"] == Decimal("14.30511474609375")
    assert r["traffic_unrounded"] == Decimal("15.2560")
    exact = run_calc("apigw.shared.month_example", CAT, {"calls": "500万", "response_kb": "3", "request_kb": "1"})
    assert exact["traffic_unrounded"] == Decimal("15.2587890625") and exact["total"] == Decimal("45.26")


def test_same_region_backend_pays_no_request_traffic():
    r = run_calc("apigw.shared.month_example", CAT, {"calls": "500万", "response_kb": "3", "request_kb": "1",
                                                     "backend_outside_region": "false", "backend_public": "false"})
    assert r["request_gb"] == 0 and r["traffic_fee"] == Decimal("11.44")  # 14.3 GB × 0.80: over the intranet
    r = run_calc("apigw.shared.month_example", CAT, {"calls": "500万", "response_kb": "3", "request_kb": "1",
                                                     "backend_outside_region": "false"},
                 {"apigw.traffic.backend_billed": "by-location"})
    assert r["request_gb"] == 0 and r["total"] == Decimal("41.44")


def test_websocket_backend_pays_no_call_fee():
    r = run_calc("apigw.shared.month_example", CAT, {"calls": "500万", "response_kb": "3", "request_kb": "1",
                                                     "websocket_backend": "true"})
    assert (r["call_fee"], r["total"]) == (0, Decimal("15.26"))
    recs = [usage("2023-01-01T10:00:00", "guangzhou", "calls", "5000000", websocket=True)]
    assert bill(CAT, recs, [])["total"] == 0


@pytest.mark.parametrize("region, price", [("guangzhou", "0.80"), ("frankfurt", "0.80"), ("hongkong", "1.00"),
                                           ("virginia", "0.50")])
def test_egress_price_by_region(region, price):
    assert egress_fee(CAT, region, "10")[1] == Decimal(price) * 10


def test_unknown_region_names_the_allowed_ones():
    with pytest.raises(InputError) as e:
        egress_fee(CAT, "mars", "1")
    assert e.value.field == "region" and "hongkong" in e.value.allowed


@pytest.mark.parametrize("calls", ["-1", "lots", "1.5e3x"])
def test_bad_call_counts(calls):
    with pytest.raises(InputError, match="calls"):
        call_fee(CAT, calls)


def test_tier_breaks_at_10m_and_100m():
    assert call_fee(CAT, "10000000").amount == 60
    assert call_fee(CAT, "10000001").amount == Decimal("60.000004")
    assert call_fee(CAT, "100000000").amount == 60 + 360
    assert call_fee(CAT, "100010000").amount == 60 + 360 + Decimal("0.03")


def test_hourly_rating_uses_the_months_cumulative_position():
    recs = [usage(datetime(2023, 5, 1) + timedelta(hours=h), "guangzhou", "calls", "3000000") for h in range(4)]
    r = bill(CAT, recs, [])
    # 12,000,000 calls in the month: 10M at 0.06 and 2M at 0.04, whichever hour they fall in
    assert r["call_fee"] == Decimal("68.00")


def test_tier_count_restarts_each_calendar_month():
    recs = [usage("2023-05-31T23:00:00", "guangzhou", "calls", "10000000"),
            usage("2023-06-01T00:00:00", "guangzhou", "calls", "1000000")]
    assert bill(CAT, recs, [])["call_fee"] == Decimal("66.00")  # June restarts on tier 1


def test_free_quota_then_pack_then_pay_as_you_go():
    act = "2021-01-01T00:00:00"
    pools = free_pools(CAT, act) + [pack(CAT, "p1", "calls", "500000", "2021-01-03T00:00:00")]
    r = bill(CAT, [usage("2021-01-05T10:00:00", "hongkong", "calls", "2000000")], pools)
    assert r["covered"] == {"free-01-calls": Decimal("1000000"), "p1": Decimal("500000")}
    # 500,000 billed at positions 1..500,000 (billed-calls; 1,500,001..2,000,000 under all-calls): 0.06 per 10k
    assert r["call_fee"] == Decimal("3.00")


def test_free_quota_egress_and_no_carry_over():
    act = "2021-01-01T00:00:00"
    pools = free_pools(CAT, act)
    r = bill(CAT, [usage("2021-01-05T10:00:00", "hongkong", "egress_gb", "0.5"),
                   usage("2021-02-05T10:00:00", "hongkong", "egress_gb", "1.5")], pools)
    # January leaves 0.5 GB unused; it does not carry over: February covers 1 GB and bills 0.5 GB at 1.00
    assert r["egress_fee"] == Decimal("0.50")


def test_free_quota_ends_after_the_first_year():
    windows, last, _ = calendar(CAT, "2019-11-10T17:13:14")  # a grant every 30 days through the first year
    assert len(windows) == 13 and last == datetime(2020, 11, 10, 23, 59, 59)
    pools = free_pools(CAT, "2019-11-10T17:13:14")
    r = bill(CAT, [usage("2020-11-20T10:00:00", "guangzhou", "calls", "1000000")], pools)
    assert r["call_fee"] == Decimal("6.00")


def test_activation_date_out_of_order_and_bad_metric():
    with pytest.raises(InputError, match="activated"):
        calendar(CAT, "not a date")
    with pytest.raises(InputError, match="metric"):
        usage("2021-01-01", "guangzhou", "bandwidth", "1")


# ------------------------------------------------------------------ the bill reads the tier and pool policies
# (docs/audit/handoff.md items 2, 3, 5): apigw.tier.kind, apigw.tier.scope, apigw.pack.region_order
TWO_REGIONS = [usage("2023-03-01T10:00:00", "guangzhou", "calls", "800万"),
               usage("2023-03-01T11:00:00", "hongkong", "calls", "400万")]


def test_bill_tier_kind_graduated_or_volume():
    # graduated: 800万 at 0.06/万 = 48; then 200万 more at 0.06 (to 1000万) = 12 and 200万 at 0.04 = 8
    r = bill(CAT, TWO_REGIONS, [])
    assert r["total"] == Decimal("68.00") and r.policies["apigw.tier.kind"] == "graduated"
    # volume: the second hour reprices the month: 1200万 × 0.04 − 800万 × 0.06 = 48 − 48 = 0
    v = bill(CAT, TWO_REGIONS, [], {"apigw.tier.kind": "volume"})
    assert v["total"] == Decimal("48.00") and v["bills"] == {"2023-03-01 10:00": Decimal("48.00"),
                                                              "2023-03-01 11:00": Decimal("0.00")}


def test_bill_tier_scope_account_wide_or_per_region():
    # per region: Hong Kong starts its own count, all 400万 at the first tier: 48 + 24
    r = bill(CAT, TWO_REGIONS, [], {"apigw.tier.scope": "per-region"})
    assert r["total"] == Decimal("72.00") and r.policies["apigw.tier.scope"] == "per-region"
    assert bill(CAT, TWO_REGIONS, [])["total"] == Decimal("68.00")


@pytest.mark.parametrize("reading, fee, hk_covered", [("pro-rata", "0.75", "0.5"), ("region-id", "1.00", "0"),
                                                      ("dearest-first", "0.50", "1"), ("cheapest-first", "1.00", "0")])
def test_bill_shares_the_free_gb_between_regions_of_one_hour(reading, fee, hk_covered):
    """One free GB left, 1 GB of Hong Kong (1.00/GB) and 1 GB of Bangkok (0.50/GB) egress in one hour: the
    figures of the register's readings (APIGW-EGRESS-REGION-ORDER, apigw.overview.region_order_hour)."""
    at = datetime(2023, 1, 10, 10)
    pools = [p for p in free_pools(CAT, "2023-01-05T09:00:00") if p.window.contains(at)]
    recs = [usage(at, "hongkong", "egress_gb", "1"), usage(at, "bangkok", "egress_gb", "1")]
    r = bill(CAT, recs, pools, {"apigw.pack.region_order": reading})
    assert r["total"] == Decimal(fee) and r["covered"]["free-01-egress"] == 1
    hk = [s for s in r.steps if s.label.endswith("hongkong egress_gb: pool free-01-egress")]
    assert Decimal(hk[0].value if hk else "0") == Decimal(hk_covered)
    assert r.policies["apigw.pack.region_order"] == reading
    same = run_calc("apigw.overview.region_order_hour", CAT, {"activated": "2023-01-05T09:00:00", "at": at.isoformat(),
                                                              "usage": ["hongkong 1", "bangkok 1"]},
                    {"apigw.pack.region_order": reading}, as_of="2023-01-10")
    assert same["fee"] == r["total"]


def test_one_region_or_enough_free_gb_is_never_shared():
    at = datetime(2023, 1, 10, 10)
    pools = [p for p in free_pools(CAT, "2023-01-05T09:00:00") if p.window.contains(at)]
    recs = [usage(at, "hongkong", "egress_gb", "0.25"), usage(at, "bangkok", "egress_gb", "0.5")]
    for reading in ("pro-rata", "region-id"):
        r = bill(CAT, recs, pools, {"apigw.pack.region_order": reading})
        assert r["total"] == Decimal("0.00") and r["covered"]["free-01-egress"] == Decimal("0.75")


def test_pro_rata_shares_are_cut_to_the_quantum_and_add_up_exactly():
    from pricing.rules.apigw.free_quota import hour_shares
    three = [("a", "1", "1"), ("b", "1", "1"), ("c", "1", "1")]
    s = hour_shares(three, "1")
    assert s == {"a": Decimal("0.33333334"), "b": Decimal("0.33333333"), "c": Decimal("0.33333333")}
    assert sum(s.values()) == 1
    # a pool finer than the quantum: the last piece is smaller, never more than a region used
    s = hour_shares([("a", "0.000000005", "1"), ("b", "1", "1")], "0.500000001")
    assert sum(s.values()) == Decimal("0.500000001") and s["a"] <= Decimal("0.000000005")
    assert hour_shares(three, "5") == {"a": 1, "b": 1, "c": 1}   # enough for all: everything covered
