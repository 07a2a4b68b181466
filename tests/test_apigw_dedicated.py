"""API Gateway dedicated instances (专享实例): prices, the 2022-03-24 18:00:00 price cut,
pay-as-you-go settlement, monthly orders, egress and refunds, against the guide's figures."""
from datetime import datetime
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.engine.errors import InputError, RuleError
from pricing.spec.examples import run_calc

CATALOG = catalog.load()
CAT = CATALOG.as_of(CATALOG.latest_change())  # the prices in force now (every guide example is also checked at its own date in test_examples)
CUT = "2022-03-24T18:00:00"


def calc(name, inputs=None, policies=None):
    return run_calc(name, CAT, inputs or {}, policies or {})


# ------------------------------------------------------------------ prices

PRINTED = {  # edition: (discounted monthly, discounted hourly) as the price table prints them
    "basic": ("3680.00", "5.94"),
    "professional": ("7285.40", "11.76"),
    "enterprise": ("14004.20", "22.60"),
    "platinum": ("25731.00", "41.53"),
    "diamond": ("50043.00", "80.76"),
}
LIST = {"basic": ("3680.00", "5.94"), "professional": ("9980.00", "16.11"), "enterprise": ("28580.00", "46.12"),
        "platinum": ("57180.00", "92.28"), "diamond": ("142980.00", "230.75")}


@pytest.mark.parametrize("edition", sorted(PRINTED))
def test_discounted_prices_after_the_cut(edition):
    r = calc("apigw.dedicated.price", {"edition": edition, "at": CUT})
    assert (str(r["monthly"]), str(r["hourly"])) == PRINTED[edition]
    assert r["monthly"] == (r["monthly_list"] * r["discount"]).quantize(Decimal("0.01"))


@pytest.mark.parametrize("edition", sorted(LIST))
def test_list_prices_before_the_cut(edition):
    r = calc("apigw.dedicated.price", {"edition": edition, "at": "2022-03-24T17:59:59"})
    assert (str(r["monthly"]), str(r["hourly"])) == LIST[edition]
    assert r["discount"] == 1


def test_printed_prices_are_the_products_half_up_and_a_second_may_cost_the_exact_product():
    # the printed prices settle how list × discount met the fen (half-up; truncation would print 22.59 and 41.52)
    r = calc("apigw.dedicated.price", {"edition": "enterprise", "at": CUT})
    assert (r["hourly_exact"], r["hourly"]) == (Decimal("22.5988"), Decimal("22.60"))
    # what a pay-as-you-go second costs is APIGW-DED-PAYG-UNIT-PRICE: 720 hours of platinum
    month = {"edition": "platinum", "start": "2022-04-01T00:00:00", "end": "2022-05-01T00:00:00"}
    assert calc("apigw.dedicated.payg_bill", month)["total"] == Decimal("29901.60")
    assert calc("apigw.dedicated.payg_bill", month, {"apigw.dedicated.payg.unit_price": "exact-product"})["total"] == Decimal("29898.72")


def test_flagship_is_quote_only():
    with pytest.raises(RuleError, match="flagship.*ticket"):
        calc("apigw.dedicated.price", {"edition": "flagship", "at": CUT})
    with pytest.raises(RuleError, match="edition"):
        calc("apigw.dedicated.payg_bill", {"edition": "flagship", "start": CUT, "end": "2022-03-24T19:00:00"})


def test_unknown_edition_names_the_allowed_ones():
    with pytest.raises(InputError, match="edition.*professional"):
        calc("apigw.dedicated.price", {"edition": "gold"})


def test_editions_announced_vs_listed():
    r = calc("apigw.dedicated.edition_count")
    assert (r["stated"], r["priced"], r["rows"]) == (5, 5, 6)


# ------------------------------------------------------------------ pay-as-you-go

def test_payg_run_across_the_cut_is_55_74():
    r = calc("apigw.dedicated.payg_bill", {"edition": "professional", "start": "2022-03-24T16:00:00",
                                          "end": "2022-03-24T20:00:00"})
    assert r["total"] == Decimal("55.74")  # 2 × 16.11 + 2 × 11.76
    assert r["by_rate"] == {"16.11": 7200, "11.76": 7200}
    assert r["settlements"] == 4 and r["last_settlement"] == datetime(2022, 3, 24, 20)


def test_payg_run_priced_at_settlement_instant():
    r = calc("apigw.dedicated.payg_bill", {"edition": "professional", "start": "2022-03-24T16:00:00",
                                          "end": "2022-03-24T20:00:00"},
             {"apigw.dedicated.payg.price_time": "settlement-time"})
    assert r["total"] == Decimal("51.39")  # 16.11 + 3 × 11.76


def test_payg_mid_hour_change_is_split_by_seconds():
    # a run inside one hour stays at one price when no version starts inside it
    r = calc("apigw.dedicated.payg_bill", {"edition": "basic", "start": "2022-04-01T10:00:00", "end": "2022-04-01T10:20:00"})
    assert r["total"] == Decimal("1.98")  # 5.94 × 1200 / 3600


def test_payg_rounding_point():
    run = {"edition": "professional", "start": "2022-04-01T10:00:20", "end": "2022-04-01T12:00:40"}
    # billing.debit_rounding (BILL-DEBIT-ROUNDING): each settlement debited in fen on the running total by default
    assert calc("apigw.dedicated.payg_bill", run)["total"] == Decimal("23.59")
    assert calc("apigw.dedicated.payg_bill", run, {"billing.debit_rounding": "per-bill-fen"})["total"] == Decimal("23.58")


def test_payg_bad_dates():
    with pytest.raises(InputError, match="end"):
        calc("apigw.dedicated.payg_bill", {"edition": "basic", "start": "2022-04-01T10:00:00", "end": "2022-04-01T09:00:00"})
    with pytest.raises(InputError, match="end"):
        calc("apigw.dedicated.payg_bill", {"edition": "basic", "start": "2022-04-01T10:00:00", "end": "2022-04-01T10:00:00"})
    with pytest.raises(InputError, match="start"):
        calc("apigw.dedicated.payg_bill", {"edition": "basic", "start": "yesterday", "end": "2022-04-01T10:00:00"})


def test_break_even_is_about_620_hours():
    r = calc("apigw.dedicated.payg_vs_monthly", {"edition": "professional", "at": CUT})
    assert Decimal("619.5") < r["break_even_hours"] < Decimal("619.6")
    assert r["payg_hours"] == Decimal("8467.20")  # 720 h (the default) × 11.76


# ------------------------------------------------------------------ monthly

def test_monthly_bought_before_keeps_price_and_renewal_after_pays_new():
    r = calc("apigw.dedicated.monthly_renewal", {"edition": "professional", "bought_at": "2022-03-01T10:00:00",
                                                "renewal_ordered_at": "2022-03-28T09:00:00"})
    assert (r["first_amount"], r["renewal_amount"], r["total"]) == (Decimal("9980.00"), Decimal("7285.40"), Decimal("17265.40"))
    assert r["renewal_start"] == datetime(2022, 4, 1, 10) and r["renewal_end"] == datetime(2022, 5, 1, 10)


def test_renewal_ordered_before_the_cut():
    inp = {"edition": "professional", "bought_at": "2022-03-01T10:00:00", "renewal_ordered_at": "2022-03-20T09:00:00"}
    assert calc("apigw.dedicated.monthly_renewal", inp)["renewal_amount"] == Decimal("9980.00")
    assert calc("apigw.dedicated.monthly_renewal", inp, {"apigw.dedicated.renewal.price_at": "period-start"})[
        "renewal_amount"] == Decimal("7285.40")


def test_new_monthly_order_at_the_instant_gets_the_discount():
    r = calc("apigw.dedicated.monthly_order", {"edition": "diamond", "ordered_at": CUT, "months": "12"})
    assert r["amount"] == Decimal("600516.00")  # 50043.00 × 12
    assert r["term_end"] == datetime(2023, 3, 24, 18)


def test_monthly_order_bad_input():
    with pytest.raises(InputError, match="months"):
        calc("apigw.dedicated.monthly_order", {"edition": "basic", "ordered_at": CUT, "months": "1.5"})
    with pytest.raises(InputError, match="order_type"):
        calc("apigw.dedicated.monthly_order", {"edition": "basic", "ordered_at": CUT, "order_type": "upgrade"})
    with pytest.raises(InputError, match="renewal_ordered_at"):
        calc("apigw.dedicated.monthly_renewal", {"edition": "basic", "bought_at": "2022-03-01T10:00:00",
                                                "renewal_ordered_at": "2022-02-01T10:00:00"})


# ------------------------------------------------------------------ egress

def test_dedicated_egress_same_price_as_shared():
    r = calc("apigw.dedicated.egress", {"region": "guangzhou", "hour": "2023-01-01T07:00:00", "egress_gb": "10"})
    assert r["fee"] == Decimal("8.00")
    hk = calc("apigw.dedicated.egress", {"region": "hongkong", "hour": "2023-01-01T07:00:00", "egress_gb": "10"})
    assert hk["fee"] == Decimal("10.00")


def test_dedicated_egress_free_quota_then_pack_then_payg():
    r = calc("apigw.dedicated.egress", {"region": "guangzhou", "hour": "2023-01-01T07:00:00", "egress_gb": "10",
                                        "pack_gb": "6", "activated": "2022-06-01T00:00:00"})
    assert (r["covered_gb"], r["billed_gb"], r["fee"]) == (Decimal("7"), Decimal("3"), Decimal("2.40"))
    labels = [s.label for s in r.steps]
    assert labels.index(next(l for l in labels if "free-" in l)) < labels.index(next(l for l in labels if "egress-pack" in l))


def test_dedicated_egress_bad_input():
    with pytest.raises(InputError, match="region"):
        calc("apigw.dedicated.egress", {"region": "mars", "hour": "2023-01-01T07:00:00", "egress_gb": "1"})
    with pytest.raises(InputError, match="egress_gb"):
        calc("apigw.dedicated.egress", {"hour": "2023-01-01T07:00:00", "egress_gb": "-1"})


# ------------------------------------------------------------------ specs

def test_comparison_ranges_match_editions():
    r = calc("apigw.specs.dedicated_ranges")
    assert (r["qps_min"], r["qps_max"], r["sla_min"], r["sla_max"]) == (2500, 50000, Decimal("99.95"), Decimal("99.99"))


def test_qps_check():
    r = calc("apigw.specs.qps_check", {"instance": "shared", "qps": "600"})
    assert (r["cap"], r["over"], r["excess"]) == (500, True, 100)
    assert calc("apigw.specs.qps_check", {"instance": "platinum", "qps": "15000"})["over"] is False
    with pytest.raises(RuleError, match="custom"):
        calc("apigw.specs.qps_check", {"instance": "flagship", "qps": "60000"})
    with pytest.raises(InputError, match="qps"):
        calc("apigw.specs.qps_check", {"instance": "shared", "qps": "-1"})


# ------------------------------------------------------------------ refunds

BOUGHT = {"edition": "professional", "bought_at": "2022-04-01T15:00:00"}


def refund(at, policies=None, **more):
    return calc("apigw.dedicated.refund.monthly", {**BOUGHT, "refund_at": at, **more}, policies)


def test_no_reason_refund_returns_all_balances_not_vouchers():
    r = refund("2022-04-03T10:00:00", cash="5000", income="1285.40", gift="1000")
    assert (r["kind"], r["refund"]) == ("no-reason", Decimal("7285.40"))
    v = refund("2022-04-03T10:00:00", cash="6285.40", voucher="1000")
    assert (v["refund"], v["kept"]) == (Decimal("6285.40"), Decimal("1000"))


def test_no_reason_window_includes_the_fifth_day():
    assert refund("2022-04-05T23:59:59")["kind"] == "no-reason"
    assert refund("2022-04-06T00:00:00")["kind"] == "pro-rata"
    h = {"apigw.dedicated.refund.window": "120-hours"}
    assert refund("2022-04-06T15:00:00", h)["kind"] == "no-reason"
    assert refund("2022-04-06T15:00:01", h)["kind"] == "pro-rata"


def test_window_readings_disagree_on_day_six():
    assert refund("2022-04-06T10:00:00")["refund"] == Decimal("6071.17")  # pro rata, started days
    assert refund("2022-04-06T10:00:00", {"apigw.dedicated.refund.window": "120-hours"})["refund"] == Decimal("7285.40")


def test_pro_rata_units():
    assert refund("2022-04-11T20:00:00", {"apigw.dedicated.refund.time_unit": "seconds"})["refund"] == Decimal("4806.34")
    assert refund("2022-04-11T20:00:00")["refund"] == Decimal("4614.09")  # default: started days
    assert refund("2022-04-11T20:00:00", {"apigw.dedicated.refund.time_unit": "whole-days"})["refund"] == Decimal("4856.93")


def test_pro_rata_exact_quarter():
    r = refund("2022-04-09T03:00:00", {"apigw.dedicated.refund.time_unit": "seconds"})  # 7.5 of 30 days used
    assert r["exact"] == Decimal("5464.05") and r["refund"] == Decimal("5464.05")


def test_voucher_readings():
    args = dict(cash="6285.40", voucher="1000")
    assert refund("2022-04-11T15:00:00", **args)["refund"] == Decimal("3856.93")  # default: voucher-deducted
    assert refund("2022-04-11T15:00:00", {"apigw.dedicated.refund.voucher": "proportional"}, **args)["refund"] == Decimal("4190.27")
    assert refund("2022-04-11T15:00:00", {"apigw.dedicated.refund.voucher": "voucher-first"}, **args)["refund"] == Decimal("4856.93")
    assert refund("2022-04-11T15:00:00", {"apigw.dedicated.refund.voucher": "voucher-deducted"}, **args)["refund"] == Decimal("3856.93")


def test_min_term_reading():
    assert refund("2022-04-11T15:00:00")["refund"] == Decimal("4856.93")
    assert refund("2022-04-11T15:00:00", {"apigw.dedicated.refund.min_term": "first-month-charged"})["refund"] == 0
    # a three-month order (2022-04-01 → 07-01, 91 days) keeps 61 of 91 days' worth: April is charged whole
    r = calc("apigw.dedicated.refund.monthly", {**BOUGHT, "months": "3", "refund_at": "2022-04-11T15:00:00"},
             {"apigw.dedicated.refund.min_term": "first-month-charged"})
    assert r["order"] == Decimal("21856.20") and r["refund"] == Decimal("14650.86")


def test_isolation_timeline_from_the_refund():
    r = refund("2022-04-06T10:00:00")
    assert (r["isolated_from"], r["destroyed_at"]) == (datetime(2022, 4, 6, 10), datetime(2022, 4, 13, 10))


def test_second_no_reason_refund_for_the_same_customer():
    with pytest.raises(RuleError, match="claim.*per customer"):
        refund("2022-04-02T15:00:00", prior_no_reason="1", claim="no-reason")
    r = refund("2022-04-02T15:00:00", prior_no_reason="1")
    assert r["kind"] == "pro-rata" and r["refund"] == Decimal("7042.55")  # 29 of 30 days back


def test_renewal_orders_do_not_qualify():
    with pytest.raises(RuleError, match="renewal"):
        refund("2022-04-02T15:00:00", order_type="renewal", claim="no-reason")


def test_refund_bad_input():
    with pytest.raises(InputError, match="refund_at"):
        refund("2022-03-31T15:00:00")
    with pytest.raises(InputError, match="cash"):
        refund("2022-04-02T15:00:00", cash="-5")
    with pytest.raises(InputError, match="price 7285.40"):
        refund("2022-04-02T15:00:00", cash="5")
    with pytest.raises(InputError, match="prior_no_reason"):
        refund("2022-04-02T15:00:00", prior_no_reason="0.5")
    with pytest.raises(InputError, match="claim"):
        refund("2022-04-02T15:00:00", claim="please")
    with pytest.raises(RuleError, match="term ended"):
        refund("2022-05-01T15:00:00")
    with pytest.raises(TypeError):
        refund("2022-04-02T15:00:00", cash=100.0)


def test_payg_release_refunds_nothing():
    r = calc("apigw.dedicated.refund.payg_release", {"edition": "basic", "start": "2022-04-01T10:00:00",
                                                     "release_at": "2022-04-01T11:30:00"})
    assert (r["refund"], r["billed"], r["last_settlement"]) == (0, Decimal("8.91"), datetime(2022, 4, 1, 12))
