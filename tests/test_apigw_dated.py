"""Prices that change over time (API Gateway): a new version of any entry the rules read changes
the result only from its effective date on, and a span that crosses the date is split there.

Each test copies the shipped catalog, appends dated versions to apigw.toml (a later version of an
entry is a new [[entry]] block with the same id and its own ``effective``), and prices on both sides
of the date."""
from __future__ import annotations

import shutil
from datetime import datetime
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.engine.errors import InputError, RuleError
from pricing.rules.apigw import arrears, free_quota, packs
from pricing.rules.apigw.billing import bill, usage
from pricing.spec import examples as ex

D = Decimal
_CACHE: dict[str, catalog.Catalog] = {}


def version(id: str, section: str, kind: str, effective: str, body: str) -> str:
    return f'\n[[entry]]\nid = "{id}"\nsection = "{section}"\nkind = "{kind}"\neffective = "{effective}"\n{body}\n'


def dur(id: str, section: str, value: str, effective: str = "2026-01-01") -> str:
    return version(id, section, "duration", effective, f'value = "{value}"')


@pytest.fixture(scope="session")
def dated(tmp_path_factory):
    """dated(name, *blocks): the shipped catalog with ``blocks`` appended to apigw.toml (cached per name)."""
    def make(name: str, *blocks: str) -> catalog.Catalog:
        if name not in _CACHE:
            folder = tmp_path_factory.mktemp(name.replace(".", "_")) / "catalog"
            shutil.copytree(catalog.SHIPPED, folder)
            with open(folder / "apigw.toml", "a", encoding="utf-8") as f:
                f.write("".join(blocks))
            _CACHE[name] = catalog.load(folder)
        return _CACHE[name]
    return make


def run(cat, name, inputs, policies=None, as_of="2025-03-17T17:50:52"):
    return ex.run_calc(name, cat, inputs, policies or {}, as_of)


def all_examples_hold(cat) -> list[str]:
    bad = []
    for e in ex.examples():
        r = ex.run_example(e, cat)
        if r.status not in ("match", "known"):
            bad.append(f"{e.id}: {r.status} {r.computed_text} {r.error}")
    return bad


# ------------------------------------------------------------------ the acceptance case: egress 0.85 from 2026

EGRESS_085 = version("apigw.egress.price.group_a", "apigw.shared", "price", "2026-01-01",
                     'value = "0.85"\nunit = "CNY/GB"')


@pytest.fixture(scope="session")
def egress_085(dated):
    return dated("egress_085", EGRESS_085)


def test_a_later_egress_price_leaves_every_example_of_both_guides_reproduced(egress_085):
    assert all_examples_hold(egress_085) == []


def test_the_2023_egress_example_still_costs_8(egress_085):
    r = ex.run_example(ex.example("apigw.shared.egress-8"), egress_085)
    assert (r.status, r.computed) == ("match", D("8.00"))


def test_an_egress_hour_of_february_2026_pays_the_new_price(egress_085):
    r = run(egress_085, "apigw.shared.egress_hour", {"hour": "2026-02-01T07:00:00", "egress_gb": "10"})
    assert (r["price"], r["fee"]) == (D("0.85"), D("8.50"))
    # the day before the change the same hour still costs 8.00
    assert run(egress_085, "apigw.shared.egress_hour", {"hour": "2025-12-31T23:59:59", "egress_gb": "10"})["fee"] == D("8.00")


def test_a_bill_across_the_change_prices_each_record_at_its_instant(egress_085):
    recs = [usage("2025-12-31T23:00:00", "guangzhou", "egress_gb", "1"),
            usage("2026-01-01T01:00:00", "guangzhou", "egress_gb", "1")]
    r = bill(egress_085.as_of("2025-06-01"), recs, [])
    notes = [s.note for s in r.steps if "egress billed" in s.label]
    assert notes == ["1 GB × 0.80", "1 GB × 0.85"]
    assert r["egress_fee"] == D("1.65")
    # whatever the date of the view passed in: each record is read at its own instant
    assert bill(egress_085.as_of("2030-01-01"), recs, [])["egress_fee"] == D("1.65")


def test_the_dedicated_egress_hour_follows_the_same_version(egress_085):
    after = run(egress_085, "apigw.dedicated.egress", {"hour": "2026-03-01T10:20:00", "egress_gb": "10"})
    assert (after["fee"], after["settled_at"]) == (D("8.50"), datetime(2026, 3, 1, 11))


# ------------------------------------------------------------------ a call-tier version mid-month

TIERS_2026 = version("apigw.shared.call_tiers", "apigw.shared", "tiers", "2026-01-15", '''unit = "CNY per 10,000 calls"
per = "10000"
tiers = [
  { up_to = "10000000", price = "0.07" },
  { up_to = "100000000", price = "0.05" },
  { up_to = "open", price = "0.04" },
]''')


@pytest.fixture(scope="session")
def tiers_2026(dated):
    return dated("tiers_2026", TIERS_2026)


def test_call_tier_version_keeps_the_examples(tiers_2026):
    assert all_examples_hold(tiers_2026) == []


def test_the_months_position_runs_on_across_a_tier_price_change(tiers_2026):
    recs = [usage("2026-01-10T10:00:00", "guangzhou", "calls", "8000000"),
            usage("2026-01-20T10:00:00", "guangzhou", "calls", "4000000")]
    r = bill(tiers_2026.as_of("2025-01-01"), recs, [])
    # 8M at the old tier 1 (48.00); then positions 8M..12M at the new prices: 2M × 0.07 + 2M × 0.05
    assert r["call_fee"] == D("48.00") + D("14.00") + D("10.00")


def test_call_fee_dated_by_as_of(tiers_2026):
    assert run(tiers_2026, "apigw.shared.call_fee", {"calls": "15000000"}, as_of="2026-01-14T23:59:59")["fee"] == D("80.00")
    assert run(tiers_2026, "apigw.shared.call_fee", {"calls": "15000000"}, as_of="2026-01-15")["fee"] == D("95.00")


# ------------------------------------------------------------------ a dedicated price version mid-span

BASIC_600 = version("apigw.dedicated.basic.hourly", "apigw.dedicated", "price", "2026-01-01T10:30:00",
                    'value = "6.00"\nunit = "CNY/hour"')
BASIC_MONTH = version("apigw.dedicated.basic.monthly", "apigw.dedicated", "price", "2026-01-01T10:30:00",
                      'value = "3800.00"\nunit = "CNY/month"')
PRO_DISCOUNT = version("apigw.dedicated.professional.discount", "apigw.dedicated", "ratio", "2026-01-01T10:30:00",
                       'value = "0.50"\nunit = "factor on list price"')


@pytest.fixture(scope="session")
def basic_600(dated):
    return dated("basic_600", BASIC_600, BASIC_MONTH, PRO_DISCOUNT)


def test_dedicated_version_keeps_the_examples(basic_600):
    assert all_examples_hold(basic_600) == []


def test_payg_run_is_split_at_a_price_version_inside_a_settlement_hour(basic_600):
    span = {"edition": "basic", "start": "2026-01-01T09:00:00", "end": "2026-01-01T12:00:00"}
    r = run(basic_600, "apigw.dedicated.payg_bill", span)
    # 09-10 at 5.94; 10:00-10:30 at 5.94 and 10:30-11:00 at 6.00 (2.97 + 3.00); 11-12 at 6.00
    assert r["total"] == D("17.91")
    assert r["by_rate"] == {"5.94": 5400, "6.00": 5400}
    settled = run(basic_600, "apigw.dedicated.payg_bill", span, {"apigw.dedicated.payg.price_time": "settlement-time"})
    assert settled["total"] == D("17.94")  # the 10-11 hour settled at 11:00 at 6.00


def test_discount_version_splits_too(basic_600):
    r = run(basic_600, "apigw.dedicated.payg_bill", {"edition": "professional", "start": "2026-01-01T10:00:00",
                                                     "end": "2026-01-01T11:00:00"})
    # 1800 s at 16.11 × 0.73 = 11.76, 1800 s at 16.11 × 0.50 = 8.055 → 8.06
    assert r["total"] == D("9.91")


def test_the_instance_fee_beside_an_egress_pack_is_split_as_well(basic_600):
    r = run(basic_600, "apigw.packs.other_fees", {"edition": "basic", "at": "2026-01-01T10:00:00", "hours": "2",
                                                  "purchased": "2025-12-20T08:00:00", "pack_gb": "100", "egress_gb": "10"})
    assert r["instance_fee"] == D("5.97") + D("6.00")


def test_monthly_orders_are_priced_at_their_order_instant(basic_600):
    before = run(basic_600, "apigw.dedicated.monthly_order", {"edition": "basic", "ordered_at": "2026-01-01T10:29:59"})
    after = run(basic_600, "apigw.dedicated.monthly_order", {"edition": "basic", "ordered_at": "2026-01-01T10:30:00"})
    assert (before["amount"], after["amount"]) == (D("3680.00"), D("3800.00"))
    renew = run(basic_600, "apigw.dedicated.monthly_renewal", {"edition": "basic", "bought_at": "2025-12-15T10:00:00",
                                                               "renewal_ordered_at": "2026-01-10T09:00:00"})
    assert (renew["first_amount"], renew["renewal_amount"]) == (D("3680.00"), D("3800.00"))


# ------------------------------------------------------------------ durations and thresholds, dated

def test_grace_period(dated):
    cat = dated("grace", dur("apigw.arrears.grace", "apigw.arrears", "48h"))
    t = lambda at: run(cat, "apigw.arrears.timeline", {"negative_at": at})
    assert t("2025-12-31T23:00:00")["grace_hours"] == 24      # read when the balance went negative
    assert t("2025-12-31T23:00:00")["suspended_from"] == datetime(2026, 1, 1, 23, 0, 1)
    assert t("2026-01-01T00:00:00")["grace_hours"] == 48
    assert t("2026-01-01T00:00:00")["suspended_from"] == datetime(2026, 1, 3, 0, 0, 1)


def test_restore_window(dated):
    cat = dated("restore", dur("apigw.arrears.restore_window", "apigw.arrears", "15d"))
    t = lambda at, pol=None: run(cat, "apigw.arrears.timeline", {"negative_at": at}, pol)
    assert t("2025-12-30T12:00:00")["restore_days"] == 7       # suspended 2025-12-31 12:00: the old window
    r = t("2025-12-31T12:00:00")                                # suspended 2026-01-01 12:00: the new window
    assert (r["restore_days"], r["restore_deadline"]) == (15, datetime(2026, 1, 16, 12, 0))
    # counted from the arrears start (2025-12-31), the window is the one in force then
    assert t("2025-12-31T12:00:00", {"apigw.arrears.restore_from": "arrears-start"})["restore_days"] == 7


def test_bill_delay_and_settlement_period(dated):
    cat = dated("settle", dur("apigw.settlement.bill_delay", "apigw.shared", "60min"),
                dur("apigw.settlement.period", "apigw.shared", "2h"))
    p = lambda at: run(cat, "apigw.arrears.billing_periods", {"at": at})
    assert (p("2025-12-31")["bill_delay_minutes"], p("2025-12-31")["calls_period_hours"]) == (30, 1)
    assert (p("2026-01-01")["bill_delay_minutes"], p("2026-01-01")["calls_period_hours"]) == (60, 2)
    h = lambda at: run(cat, "apigw.shared.egress_hour", {"hour": at, "egress_gb": "1"})["settled_at"]
    assert h("2025-12-31T07:30:00") == datetime(2025, 12, 31, 8)
    assert h("2026-01-02T07:30:00") == datetime(2026, 1, 2, 8)   # window 06:00-08:00
    assert h("2026-01-02T08:30:00") == datetime(2026, 1, 2, 10)
    # the free-quota grant that runs through the settlement window in which its 30 days end
    w = lambda start: run(cat, "apigw.free_quota.pack_window", {"start": start})["last_second"]
    assert w("2025-11-20T20:00:00") == datetime(2025, 12, 20, 20, 59, 59)
    assert w("2025-12-20T20:00:00") == datetime(2026, 1, 19, 21, 59, 59)


def test_payg_settlement_period_and_billing_unit(dated):
    cat = dated("payg_settle", dur("apigw.dedicated.payg.settlement", "apigw.dedicated", "2h"),
                dur("apigw.dedicated.payg.billing_unit", "apigw.dedicated", "1min", "2027-01-01"))
    r = lambda s, e: run(cat, "apigw.dedicated.payg_bill", {"edition": "basic", "start": s, "end": e})
    assert r("2025-12-31T08:00:00", "2025-12-31T12:00:00")["settlements"] == 4
    two = r("2026-01-01T08:00:00", "2026-01-01T12:00:00")
    assert (two["settlements"], two["total"]) == (2, D("23.76"))
    with pytest.raises(RuleError, match="billing_unit"):
        r("2027-01-01T08:00:00", "2027-01-01T09:00:00")


def test_no_reason_window(dated):
    cat = dated("no_reason", dur("apigw.dedicated.refund.no_reason_days", "apigw.dedicated_refunds", "7d"))
    f = lambda bought, at: run(cat, "apigw.dedicated.refund.monthly",
                               {"edition": "basic", "bought_at": bought, "refund_at": at})
    assert f("2025-12-01T10:00:00", "2025-12-07T10:00:00")["kind"] == "pro-rata"   # day 7, five-day window
    r = f("2026-01-02T10:00:00", "2026-01-08T10:00:00")                            # day 7, seven-day window
    assert (r["kind"], r["refund"]) == ("no-reason", D("3680.00"))


def test_no_reason_refunds_per_customer(dated):
    cat = dated("per_customer", version("apigw.dedicated.refund.no_reason_per_customer", "apigw.dedicated_refunds",
                                        "quantity", "2026-01-01", 'value = "2"\nunit = "instances per customer"'))
    f = lambda bought, at: run(cat, "apigw.dedicated.refund.monthly",
                               {"edition": "basic", "bought_at": bought, "refund_at": at, "prior_no_reason": "1"})
    assert f("2025-12-01T10:00:00", "2025-12-02T10:00:00")["kind"] == "pro-rata"
    assert f("2026-01-01T10:00:00", "2026-01-02T10:00:00")["kind"] == "no-reason"


def test_isolation(dated):
    cat = dated("isolation", dur("apigw.dedicated.refund.isolation", "apigw.dedicated_refunds", "15d"))
    f = lambda at: run(cat, "apigw.dedicated.refund.monthly",
                       {"edition": "basic", "bought_at": "2025-12-20T10:00:00", "refund_at": at})
    assert f("2025-12-31T10:00:00")["destroyed_at"] == datetime(2026, 1, 7, 10)
    assert f("2026-01-01T10:00:00")["destroyed_at"] == datetime(2026, 1, 16, 10)


def test_minimum_term_and_monthly_unit(dated):
    cat = dated("min_term", dur("apigw.dedicated.monthly.min_term", "apigw.dedicated", "3mo"),
                dur("apigw.dedicated.monthly.billing_unit", "apigw.dedicated", "1y", "2027-01-01"))
    o = lambda at, n="1": run(cat, "apigw.dedicated.monthly_order", {"edition": "basic", "ordered_at": at, "months": n})
    assert o("2025-12-31T10:00:00")["amount"] == D("3680.00")
    with pytest.raises(InputError) as e:
        o("2026-01-01T10:00:00")
    assert e.value.field == "months" and "3" in e.value.allowed
    assert o("2026-01-01T10:00:00", "3")["amount"] == D("11040.00")
    with pytest.raises(RuleError, match="billing_unit"):
        o("2027-01-01T10:00:00", "3")
    # the first-month-charged reading charges the minimum term of the order's date
    f = lambda bought, at: run(cat, "apigw.dedicated.refund.monthly",
                               {"edition": "basic", "bought_at": bought, "refund_at": at, "months": "3"},
                               {"apigw.dedicated.refund.min_term": "first-month-charged"})
    # bought 2025-10-01 for three months (92 days): the one-month minimum charges October (31 days)
    assert f("2025-10-01T10:00:00", "2025-10-11T10:00:00")["refund"] == D("7320.00")   # 11040 × 61 / 92
    # bought 2026-02-01 under the three-month minimum: the whole order is charged
    assert f("2026-02-01T10:00:00", "2026-02-11T10:00:00")["refund"] == 0


def test_pack_validity(dated):
    cat = dated("validity", dur("apigw.packs.validity", "apigw.packs", "60d"),
                dur("apigw.packs.validity_label", "apigw.packs", "2mo"))
    exact = {"apigw.pack.window_end": "exact-30-days"}
    v = lambda at, pol=exact: run(cat, "apigw.packs.validity", {"purchased": at}, pol)
    assert v("2025-12-31T08:00:00")["lapses_at"] == datetime(2026, 1, 30, 8)
    assert v("2026-01-01T08:00:00")["lapses_at"] == datetime(2026, 3, 2, 8)
    assert v("2026-01-01T08:00:00", {})["lapses_at"] == datetime(2026, 3, 2, 9)  # default: through the settlement hour
    # a pack bought before the change keeps its 30 days when drawn after it
    use = lambda at: run(cat, "apigw.packs.carry_over", {"source": "self-service", "start": "2025-12-31T08:00:00",
                                                         "amount": "1000000", "uses": [f"{at} 100000"]}, exact)["billed_calls"]
    assert (use("2026-01-30T07:00:00"), use("2026-01-30T08:00:00")) == (0, 100000)


def test_free_quota_amounts_are_granted_per_period(dated):
    cat = dated("free_calls", version("apigw.free_quota.calls", "apigw.overview", "quantity", "2026-03-01",
                                      'value = "2000000"\nunit = "calls per free-quota period"'),
                version("apigw.free_quota.egress_gb", "apigw.overview", "quantity", "2026-03-01",
                        'value = "2"\nunit = "GB per free-quota period"'))
    calls = lambda at: run(cat, "apigw.shared.first_year_period",
                           {"activated": "2026-01-10T09:00:00", "at": at, "calls": "1500000"})["fee"]
    assert calls("2026-02-20T10:00:00") == D("3.00")      # period from 2026-02-10: 1,000,000 free
    assert calls("2026-03-15T10:00:00") == D("0.00")      # period from 2026-03-10: 2,000,000 free
    gb = lambda at: run(cat, "apigw.overview.first_year_egress", {"activated": "2026-01-10T09:00:00", "at": at,
                                                                 "egress_gb": "2"})["fee"]
    assert (gb("2026-02-20T10:00:00"), gb("2026-03-15T10:00:00")) == (D("0.80"), D("0.00"))
    issued = run(cat, "apigw.overview.free_packs_issued", {"activated": "2026-01-10T09:00:00"})
    # grants every 30 days through the first year (13): two open before the change, eleven after it
    assert issued["free_calls_total"] == 2 * 1000000 + 11 * 2000000


def test_free_quota_periods_and_period_length(dated):
    cat = dated("free_periods", version("apigw.free_quota.periods", "apigw.overview", "quantity", "2026-01-01",
                                        'value = "6"\nunit = "periods"'),
                dur("apigw.shared.free_period_days", "apigw.shared", "31d", "2026-03-01"))
    n = lambda act: run(cat, "apigw.free_quota.calendar", {"activated": act})["periods"]
    assert (n("2025-12-31T10:00:00"), n("2026-01-01T10:00:00")) == (12, 6)
    windows, _, _ = free_quota.calendar(cat.as_of("2026-01-15"), "2026-01-15T09:00:00",
                                        {"apigw.free_quota.period": "thirty-days"})
    starts = [w.start for w in windows[:4]]
    # 30 days while the periods open before 2026-03-01, 31 days for the period that opens after it
    assert starts == [datetime(2026, 1, 15, 9), datetime(2026, 2, 14), datetime(2026, 3, 16), datetime(2026, 4, 16)]


def test_free_quota_before_its_entries_took_effect_is_granted_at_the_adjustment():
    cat = catalog.load().as_of("2025-01-01")
    pools = free_quota.free_pools(cat, "2019-11-10T17:13:14")
    assert pools[0].remaining == 1000000 and pools[0].window.start == datetime(2019, 11, 10, 17, 13, 14)


# ------------------------------------------------------------------ ids in force at a date

REGIONS_2026 = version("apigw.egress.regions", "apigw.shared", "table", "2026-01-01", '''rows = [
  { region = "guangzhou", zh = "广州", group = "group_a" },
  { region = "hongkong", zh = "中国香港", group = "group_hk" },
  { region = "jinan", zh = "济南", group = "group_a" },
]''')
EDITIONS_2026 = version("apigw.dedicated.editions", "apigw.dedicated", "table", "2026-01-01", '''rows = [
  { edition = "basic", zh = "基础版", qps = "2500", sla = "99.95%" },
  { edition = "professional", zh = "专业版", qps = "5000", sla = "99.95%" },
]''')


@pytest.fixture(scope="session")
def ids_2026(dated):
    return dated("ids_2026", REGIONS_2026, EDITIONS_2026)


def test_unknown_region_lists_the_regions_in_force_at_the_calculations_moment(ids_2026):
    with pytest.raises(InputError) as e:
        run(ids_2026, "apigw.shared.egress_hour", {"hour": "2026-02-01T07:00:00", "egress_gb": "1", "region": "virginia"})
    assert e.value.field == "region" and e.value.allowed == "in force on 2026-02-01: guangzhou | hongkong | jinan"
    assert run(ids_2026, "apigw.shared.egress_hour", {"hour": "2025-02-01T07:00:00", "egress_gb": "1",
                                                      "region": "virginia"})["fee"] == D("0.50")
    with pytest.raises(InputError) as e:
        run(ids_2026, "apigw.shared.egress_hour", {"hour": "2025-02-01T07:00:00", "egress_gb": "1", "region": "jinan"})
    assert e.value.field == "region" and "virginia" in e.value.allowed and "jinan" not in e.value.allowed
    # the engine checks every record of a bill at its own instant
    with pytest.raises(InputError) as e:
        bill(ids_2026.as_of("2025-01-01"), [usage("2026-01-02T10:00:00", "virginia", "calls", "1")], [])
    assert e.value.field == "region" and "jinan" in e.value.allowed and "2026-01-02" in e.value.allowed


def test_unknown_edition_lists_the_editions_in_force(ids_2026):
    with pytest.raises(InputError) as e:
        run(ids_2026, "apigw.dedicated.price", {"edition": "diamond", "at": "2026-02-01T00:00:00"})
    assert e.value.field == "edition" and e.value.allowed.endswith(": basic | professional")
    assert run(ids_2026, "apigw.dedicated.price", {"edition": "diamond", "at": "2025-02-01T00:00:00"})["monthly"] == D("50043.00")
    with pytest.raises(InputError) as e:
        run(ids_2026, "apigw.dedicated.price", {"edition": "gold", "at": "2025-02-01T00:00:00"})
    assert e.value.field == "edition" and "flagship" in e.value.allowed


def test_unknown_pack_source_and_type(ids_2026):
    with pytest.raises(InputError) as e:
        run(ids_2026, "apigw.packs.validity", {"purchased": "2026-02-01T00:00:00", "source": "gift"})
    assert e.value.field == "source" and e.value.allowed.endswith(": free-quota | campaign | self-service")
    with pytest.raises(InputError) as e:
        run(ids_2026, "apigw.packs.covers", {"pack": "storage", "instance": "shared", "item": "calls"})
    assert e.value.field == "pack" and e.value.allowed.endswith(": call | egress")


def test_data_unit_factor(dated):
    cat = dated("factor", version("apigw.data.factor", "apigw.shared", "quantity", "2026-01-01",
                                  'value = "1000"\nunit = "per step KB→MB→GB→TB"'))
    month = {"calls": "500万", "response_kb": "3", "request_kb": "1"}
    assert run(cat, "apigw.shared.month_example", month, as_of="2025-12-31")["response_gb"] == D("14.30511474609375")
    assert run(cat, "apigw.shared.month_example", month, as_of="2026-01-01")["response_gb"] == D("15")


def test_pack_launch_date(dated):
    cat = dated("launch", version("apigw.packs.launched_at", "apigw.packs", "instant", "2019-01-01",
                                  'value = "2019-01-01T00:00:00"'))
    shipped = catalog.load()
    with pytest.raises(RuleError, match="launched"):
        run(shipped, "apigw.packs.validity", {"purchased": "2020-01-01T00:00:00"})
    assert run(cat, "apigw.packs.validity", {"purchased": "2020-01-01T00:00:00"},
               {"apigw.pack.window_end": "exact-30-days"})["lapses_at"] == datetime(2020, 1, 31)
