"""The CloudBase plan lineup as dated data.

Under a test catalog whose earlier lineup (six invented plans, other prices and quotas, a 7-day
isolation after expiry, a dearer capacity overage) is in force until 2021-07-01 and the shipped
lineup from then on, every rule prices with the lineup in force at its moment: a purchase, an
upgrade, a downgrade, a day's overage, a renewal window. The figures are computed by hand in the
comments. A plan of one lineup named at a moment of the other is an InputError naming the plan and
the date."""
from __future__ import annotations

import inspect
from datetime import date, datetime
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.engine.calcs import CALCS
from pricing.engine.errors import InputError, RuleError
from pricing.rules import load_all
from pricing.rules.cloudbase import lineup
from pricing.spec.examples import run_calc

EARLY, LATE = "2021-03-01", "2022-03-01"
SIX = ("starter", "basic", "advanced", "team", "business", "flagship")
FOUR = ("personal", "standard", "enterprise", "enterprise_premium")
AS_OF = "2025-07-02"  # the calculations carry their own moment; this only dates inputs without one


@pytest.fixture(scope="module")
def cat(earlier_lineup):
    return catalog.load(earlier_lineup)


def calc(cat, name, inputs, policies=None):
    return run_calc(name, cat, inputs, policies, AS_OF)


# ------------------------------------------------------------------ the lineup in force
def test_the_lineup_is_the_one_in_force_at_the_moment(cat):
    assert lineup.plan_ids(cat.as_of(EARLY)) == SIX
    assert lineup.plan_ids(cat.as_of("2021-06-30T23:59:59")) == SIX
    assert lineup.plan_ids(cat.as_of("2021-07-01")) == FOUR
    assert lineup.priced_plans(cat.as_of(EARLY)) == SIX[:5]  # flagship: contact us
    assert lineup.plan_rank(cat.as_of(EARLY), "advanced") == 2
    for moment in (EARLY, "2021-07-01", LATE, AS_OF):
        assert lineup.check(cat.as_of(moment)) == []


def test_tables_have_a_column_per_plan_in_force(cat):
    head, rows = lineup.quota_table(cat.as_of(EARLY))
    assert head == ["metric", "中文", "unit", *SIX]
    calls = next(r for r in rows if r[0] == "calls_wan")
    assert calls[3:] == ["5", "50", "100", "400", "3000", "10000"]
    head, rows = lineup.capability_table(cat.as_of(EARLY))
    assert head[2:-1] == list(SIX) and len(rows) == 7
    head, rows = lineup.quota_table(cat.as_of(LATE))
    assert head[3:] == list(FOUR)
    head, rows = lineup.plan_table(cat.as_of(EARLY))
    assert [r[1] for r in rows] == list(SIX) and rows[5][4] == "contact us 联系我们" and rows[1][4] == Decimal("29.9")


def test_a_plan_of_the_other_lineup_is_an_input_error_naming_plan_and_date(cat):
    with pytest.raises(InputError) as e:
        calc(cat, "cloudbase.pricelist.plan_price", {"plan": "basic", "at": "2022-01-01"})
    assert e.value.field == "plan" and "basic" in str(e.value) and "2022-01-01" in str(e.value)
    with pytest.raises(InputError) as e:
        calc(cat, "cloudbase.pricelist.plan_price", {"plan": "personal", "at": "2021-06-30T12:00:00"})
    assert "personal" in str(e.value) and "2021-06-30" in str(e.value) and "starter" in str(e.value)
    with pytest.raises(InputError) as e:
        lineup.plan_row(cat.as_of("2021-07-01"), "team")
    assert "team" in str(e.value) and "2021-07-01" in str(e.value)
    with pytest.raises(InputError, match="2021-05-10"):
        calc(cat, "cloudbase.plans.upgrade_fee", {"old_plan": "basic", "new_plan": "standard", "at": "2021-05-10",
                                                  "expiry": "2021-06-01"})


# ------------------------------------------------------------------ purchase, quota
def test_purchase_is_priced_at_its_order_instant(cat):
    early = calc(cat, "cloudbase.pricelist.plan_price", {"plan": "basic", "months": "3", "at": EARLY})
    assert (early["price"], early["fee"]) == (Decimal("29.9"), Decimal("89.70"))  # 29.9 × 3
    late = calc(cat, "cloudbase.pricelist.plan_price", {"plan": "standard", "months": "3", "at": LATE})
    assert late["fee"] == Decimal("597.00")  # 199 × 3
    with pytest.raises(RuleError, match="联系我们"):
        calc(cat, "cloudbase.pricelist.plan_price", {"plan": "flagship", "at": EARLY})


def test_quota_of_the_lineup_in_force(cat):
    r = calc(cat, "cloudbase.pricelist.quota", {"plan": "basic", "metric": "calls_wan", "on": EARLY})
    assert (r["quota"], r["base"]) == (50, 500000)  # 50万 calls
    assert calc(cat, "cloudbase.pricelist.quota", {"plan": "standard", "metric": "calls_wan", "on": LATE})["quota"] == 800
    # the free environment has the quotas of the plan the catalog names at that moment
    assert calc(cat, "cloudbase.pricelist.quota", {"plan": "free", "metric": "calls_wan", "on": EARLY})["quota"] == 5
    assert calc(cat, "cloudbase.pricelist.quota", {"plan": "free", "metric": "calls_wan", "on": LATE})["quota"] == 20


# ------------------------------------------------------------------ upgrade and downgrade
def test_upgrade_at_an_earlier_date_uses_the_earlier_prices(cat):
    r = calc(cat, "cloudbase.plans.upgrade_fee", {"old_plan": "basic", "new_plan": "team", "at": "2021-05-10",
                                                   "expiry": "2021-06-01"})
    # (99 − 29.9) × 22 days / (365/12) = 69.1 × 22 × 12 / 365 = 18242.4 / 365 = 49.979… → 49.98
    assert (r["diff"], r["days"], r["fee"]) == (Decimal("69.1"), 22, Decimal("49.98"))
    r = calc(cat, "cloudbase.plans.upgrade_fee", {"old_plan": "personal", "new_plan": "standard", "at": "2022-05-10",
                                                   "expiry": "2022-06-01"})
    # (199 − 19.9) × 22 × 12 / 365 = 47281.2 / 365 = 129.537… → 129.54
    assert r["fee"] == Decimal("129.54")


def test_a_same_price_move_is_judged_by_rank(cat):
    up = calc(cat, "cloudbase.plans.upgrade_fee", {"old_plan": "basic", "new_plan": "advanced", "at": "2021-05-10",
                                                    "expiry": "2021-06-01"})
    assert (up["diff"], up["fee"]) == (0, 0)  # same price, a higher rank: an upgrade that costs nothing
    with pytest.raises(RuleError, match="ranked below"):
        calc(cat, "cloudbase.plans.upgrade_fee", {"old_plan": "advanced", "new_plan": "basic", "at": "2021-05-10",
                                                  "expiry": "2021-06-01"})
    w = calc(cat, "cloudbase.plans.upgrade_window", {"old_plan": "basic", "new_plan": "advanced", "start": "2021-04-01",
                                                      "expiry": "2021-06-01", "at": "2021-05-10"})
    assert w["fee"] == 0 and w["new_end_date"] == date(2021, 6, 1)
    with pytest.raises(RuleError, match="ranked above"):
        calc(cat, "cloudbase.plans.downgrade_refund", {"old_plan": "basic", "new_plan": "advanced", "months": "3",
                                                       "start": "2021-03-01", "at": "2021-04-15"})


def test_downgrade_at_an_earlier_date(cat):
    r = calc(cat, "cloudbase.plans.downgrade_refund", {"old_plan": "team", "new_plan": "basic", "months": "3",
                                                        "start": "2021-03-01", "at": "2021-04-15"},
             {"cloudbase.plans.downgrade_rounding": "as-printed"})
    # paid 99 × 3 = 297; inclusive days: 2021-03-01 → 2021-06-01 is 93, used to 04-15 is 46, remaining 47
    # refund of resources = 297 − 46/93 × 297 = 150.0967… → 150.10
    # new purchase = 47 / (365/12) × 29.9 = 16863.6 / 365 = 46.2016… → 46.2 (to 0.1, as printed)
    assert (r["paid"], r["total_days"], r["used_days"], r["remaining_days"]) == (297, 93, 46, 47)
    assert (r["resource_refund"], r["new_purchase"], r["refund"]) == (Decimal("150.10"), Decimal("46.2"), Decimal("103.90"))
    # the target's quotas of the lineup in force block the change: 60万 calls used, basic allows 50万
    with pytest.raises(RuleError, match="calls_wan usage 60 exceeds basic"):
        calc(cat, "cloudbase.plans.downgrade_refund", {"old_plan": "team", "new_plan": "basic", "months": "3",
                                                       "start": "2021-03-01", "at": "2021-04-15", "used": {"calls_wan": "60"}})


def test_destroy_refund_prices_what_was_paid_at_the_orders_start(cat):
    r = calc(cat, "cloudbase.plans.destroy_refund", {"plan": "team", "start": "2021-03-01", "months": "1", "at": "2021-03-16"})
    # paid 99; inclusive: 2021-03-01 → 2021-04-01 is 32 days, used 16, remaining 16: 99 × 16/32 = 49.50
    assert r["refund"] == Decimal("49.50")


# ------------------------------------------------------------------ a day's overage, a cycle, the cheapest plan
def test_overage_day_uses_the_quotas_and_prices_of_the_day(cat):
    early = calc(cat, "cloudbase.pricelist.overage_day", {"plan": "basic", "day": "2021-03-10",
                                                          "before": {"calls_wan": "50"}, "today": {"calls_wan": "10", "capacity_gb": "8"}})
    # calls: quota 50万 used up, 10万 × 0.5 per 万 = 5.00; capacity: 8 − 5 GB × 0.12 = 0.36
    assert (early["fee_calls_wan"], early["fee_capacity_gb"], early["total"]) == (5, Decimal("0.36"), Decimal("5.36"))
    late = calc(cat, "cloudbase.pricelist.overage_day", {"plan": "standard", "day": "2022-03-10",
                                                         "before": {"calls_wan": "800"}, "today": {"calls_wan": "10", "capacity_gb": "103"}})
    # calls 10万 × 0.5 = 5.00; capacity (103 − 100) GB × 0.1 = 0.30
    assert late["total"] == Decimal("5.30")
    free = calc(cat, "cloudbase.pricelist.overage_day", {"plan": "free", "day": "2021-03-10", "today": {"calls_wan": "6"}})
    assert free["total"] == Decimal("0.50")  # the free environment had the starter quota then: (6 − 5)万 × 0.5


def test_a_span_crossing_a_price_change_is_split_there(cat):
    r = calc(cat, "cloudbase.pricelist.price_item", {"item": "overage.capacity_gb", "quantity": "10", "days": "4",
                                                      "start": "2021-06-29"})
    # 06-29, 06-30 at 0.12; 07-01, 07-02 at 0.1: 10 × 0.12 × 2 + 10 × 0.1 × 2 = 2.4 + 2.0
    assert r["fee"] == Decimal("4.40")
    assert sum(1 for s in r.steps if "→" in s.label) == 2


def test_cheapest_plan_compares_the_priced_plans_in_force(cat):
    r = calc(cat, "cloudbase.pricelist.cheapest_plan", {"usage": {"calls_wan": "100"}, "start": EARLY})
    # starter 6.9 + 95 × 0.5 = 54.40; basic 29.9 + 50 × 0.5 = 54.90; advanced 29.9 (100万 within quota)
    assert (r["cost_starter"], r["cost_basic"], r["cost_advanced"]) == (Decimal("54.40"), Decimal("54.90"), Decimal("29.90"))
    assert r["cheapest"] == "advanced" and "cost_flagship" not in r.outputs
    late = calc(cat, "cloudbase.pricelist.cheapest_plan", {"usage": {"calls_wan": "100"}, "start": LATE})
    assert late["cheapest"] == "personal" and late["cost"] == Decimal("59.90")  # 19.9 + 80 × 0.5
    with pytest.raises(RuleError, match="2021-07-01"):
        calc(cat, "cloudbase.pricelist.cheapest_plan", {"usage": {"calls_wan": "100"}, "start": "2021-06-20"})


# ------------------------------------------------------------------ the windows after expiry
def test_isolation_window_is_the_one_in_force_at_expiry(cat):
    early = calc(cat, "cloudbase.arrears.timeline", {"expiry": EARLY})
    # 7 days of isolation, released at 00:00 of day 8 (day 1 = the expiry's date): 2021-03-08
    assert (early["isolation_days"], early["release_at"], early["isolation_exact"]) == (7, datetime(2021, 3, 8), True)
    late = calc(cat, "cloudbase.arrears.timeline", {"expiry": LATE})
    assert (late["isolation_days"], late["release_at"]) == (15, datetime(2022, 3, 16))
    # a plan that expired under the short window stays released even if renewed after the change
    with pytest.raises(RuleError, match="released"):
        calc(cat, "cloudbase.arrears.renew", {"expiry": "2021-06-28", "renewed_at": "2021-07-06", "months": "1"})
    assert calc(cat, "cloudbase.arrears.renew", {"expiry": "2021-06-28", "renewed_at": "2021-07-04"})["restored"] is True


def test_trial_quota_plan_follows_the_lineup(cat):
    assert calc(cat, "cloudbase.plan_ops.trial", {"created": EARLY})["quota_plan"] == "starter"
    assert calc(cat, "cloudbase.plan_ops.trial", {"created": LATE})["quota_plan"] == "personal"


# ------------------------------------------------------------------ the shipped catalog
def test_shipped_lineup_holds_no_prices_and_fits_its_tables():
    cat = catalog.load()
    for moment in [datetime(2001, 1, 1), *cat.effective_dates(), cat.latest_change()]:
        view = cat.as_of(moment)
        assert lineup.check(view) == [], moment
        assert not any("price" in r for r in lineup.plan_rows(view))
    view = cat.as_of(cat.latest_change())
    assert lineup.plan_ids(view) == FOUR and lineup.priced_plans(view) == FOUR[:3]
    assert lineup.billed_metric_ids(view) == ("capacity_gb", "gbs_wan", "egress_gb", "storage_traffic_gb", "cdn_origin_gb",
                                              "calls_wan")


def test_check_names_a_missing_column(cat, tmp_path):
    import shutil
    dest = tmp_path / "cat"
    shutil.copytree(cat.path, dest)
    f = dest / "cloudbase-lineup-2021.toml"
    f.write_text(f.read_text(encoding="utf-8").replace(', flagship = "1000" }', " }", 1), encoding="utf-8")
    problems = lineup.check(catalog.load(dest).as_of(EARLY))
    assert problems == ["cloudbase.quotas [capacity_gb]: no column for flagship"]


def test_every_calculation_of_the_price_list_and_plans_declares_its_inputs():
    load_all()
    mine = ("pricelist", "plans", "monthly", "metrics", "sms", "alerts", "arrears", "packs", "free_env", "lineup", "cycle")
    calcs = [c for c in CALCS.values() if inspect.getmodule(c.fn).__name__.rsplit(".", 1)[1] in mine
             and inspect.getmodule(c.fn).__name__.startswith("pricing.rules.cloudbase.")]
    assert len(calcs) == 40  # with cloudbase.arrears.account, cloudbase.cycle.bill and calls_cycle
    for c in calcs:
        assert not c.open_inputs, c.id
        assert c.moment, c.id
        for i in c.inputs:
            assert i.help or i.unit or i.type in ("choice", "flag"), (c.id, i.name)
            assert not (i.type == "choice" and i.name in ("plan", "old_plan", "new_plan", "target", "low", "high", "pack",
                                                          "metric", "item", "event") and not callable(i.choices)), (c.id, i.name)
