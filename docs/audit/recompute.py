"""Audit helper (docs/audit): re-run every worked example with a tracking input table, and compute
the money spread of each audited question on its stated scenario.

    .venv/bin/python docs/audit/recompute.py examples   # example id, status, inputs never read
    .venv/bin/python docs/audit/recompute.py spreads    # scenario figures per reading (JSON)

Read-only: it imports the package and runs registered calculations; it writes nothing.
"""
from __future__ import annotations

import json
import sys
from decimal import Decimal

from pricing.engine import calcs as C
from pricing.engine.catalog import load
from pricing.engine.policies import check_known
from pricing.rules import load_all
from pricing.spec.examples import example_as_of, examples, same

load_all()
CAT = load()


class Tracked(dict):
    """A dict that remembers which keys a calculation read."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self.read = set()

    def __getitem__(self, k):
        self.read.add(k)
        return super().__getitem__(k)

    def get(self, k, d=None):
        self.read.add(k)
        return super().get(k, d)

    def __contains__(self, k):
        self.read.add(k)
        return super().__contains__(k)

    def items(self):
        self.read.update(self.keys())
        return super().items()

    def __iter__(self):
        self.read.update(self.keys())
        return super().__iter__()


def run_tracked(name, inputs, policies, as_of):
    c = C.get(name)
    check_known(policies)
    base = CAT.as_of(as_of, {})
    parsed = c.parse(inputs or {}, base)
    view = base.at(parsed[c.moment]) if c.moment and parsed.get(c.moment) is not None else base
    t = Tracked(parsed)
    res = c.fn(view, t, dict(policies or {}))
    return res, t.read


def cmd_examples():
    out = []
    for ex in examples():
        res, read = run_tracked(ex.calc, ex.inputs, ex.policies, example_as_of(ex, CAT))
        v = res.outputs[ex.output]
        given = set(ex.inputs)
        out.append({"id": ex.id, "match": same(v, ex.printed, ex.precision), "computed": str(v),
                    "printed": ex.printed, "ignored": sorted(given - read)})
    print(json.dumps(out, ensure_ascii=False, indent=1))


def fig(name, inputs, output, policies=None, as_of="2025-07-02"):
    res = C.run_calc(name, CAT, inputs, policies or {}, as_of)
    v = res.outputs[output]
    return str(v) if not isinstance(v, Decimal) else format(v, "f")


# ------------------------------------------------------------------------------- scenarios
# One common scenario per audited question: (calc, inputs, output, as_of, [(reading, policies)]).
# A reading that no calculation implements yet is computed by hand below (HAND), with its formula.

AS_OF = "2025-07-02"
MONTH_EX = {"calls": "500万", "response_kb": "3", "request_kb": "1", "region": "guangzhou", "backend_outside_region": "true"}
REFUND = {"edition": "professional", "bought_at": "2022-04-01T15:00:00"}
OVERAGE = {"plan": "personal", "day": "2025-06-10", "before": {"calls_wan": "25"}, "today": {"calls_wan": "5"}}
DOWN = {"old_price": "1000", "new_price": "100", "months": "3", "start": "2022-11-01", "at": "2022-12-15"}
HOST = "cloudbase.hosting.bill"

SCENARIOS = {
    "APIGW-ARREARS-GRACE": ("apigw.arrears.timeline", {"negative_at": "2023-05-10T08:30:00"}, "last_service_second", AS_OF,
                            [("instant-inclusive", {}), ("instant-exclusive", {"apigw.arrears.grace_boundary": "instant-exclusive"}),
                             ("whole-hours", {"apigw.arrears.grace_boundary": "whole-hours"})]),
    "APIGW-ARREARS-RESTORE": ("apigw.arrears.timeline", {"negative_at": "2023-05-10T08:30:00"}, "restore_deadline", AS_OF,
                              [("suspension", {}), ("arrears-start", {"apigw.arrears.restore_from": "arrears-start"}),
                               ("calendar-days", {"apigw.arrears.restore_from": "calendar-days"})]),
    "APIGW-ARREARS-NOTICE": ("apigw.arrears.timeline", {"negative_at": "2023-05-10T08:30:00"}, "notice_at", AS_OF,
                             [("at-suspension", {}), ("at-arrears-start", {"apigw.arrears.notice_at": "at-arrears-start"})]),
    "APIGW-ARREARS-TOPUP": ("apigw.arrears.timeline", {"negative_at": "2023-05-10T08:30:00", "topup_at": "2023-05-15T09:00:00",
                                                       "debt": "50", "topup": "30"}, "outcome", AS_OF,
                            [("clears-debt", {}), ("any-topup", {"apigw.arrears.topup": "any-topup"})]),
    "APIGW-DED-PAYG-CHANGE-HOUR": ("apigw.dedicated.payg_bill", {"edition": "diamond", "start": "2022-03-24T16:00:00",
                                                                 "end": "2022-03-24T20:00:00"}, "total", AS_OF,
                                   [("usage-time", {}), ("settlement-time", {"apigw.dedicated.payg.price_time": "settlement-time"})]),
    "APIGW-DED-RENEWAL-PRICE": ("apigw.dedicated.monthly_renewal", {"edition": "professional", "bought_at": "2022-03-01T10:00:00",
                                                                    "renewal_ordered_at": "2022-03-20T09:00:00"}, "renewal_amount", AS_OF,
                                [("order-instant", {}), ("period-start", {"apigw.dedicated.renewal.price_at": "period-start"})]),
    "APIGW-DED-REFUND-WINDOW": ("apigw.dedicated.refund.monthly", {**REFUND, "refund_at": "2022-04-06T10:00:00"}, "refund", AS_OF,
                                [("calendar-days", {}), ("120-hours", {"apigw.dedicated.refund.window": "120-hours"})]),
    "APIGW-DED-REFUND-UNIT": ("apigw.dedicated.refund.monthly", {**REFUND, "refund_at": "2022-04-11T20:00:00"}, "refund", AS_OF,
                              [("seconds", {}), ("started-days", {"apigw.dedicated.refund.time_unit": "started-days"}),
                               ("whole-days", {"apigw.dedicated.refund.time_unit": "whole-days"})]),
    "APIGW-DED-REFUND-VOUCHER": ("apigw.dedicated.refund.monthly", {**REFUND, "refund_at": "2022-04-11T15:00:00", "cash": "6285.40",
                                                                    "voucher": "1000"}, "refund", AS_OF,
                                 [("proportional", {}), ("voucher-first", {"apigw.dedicated.refund.voucher": "voucher-first"}),
                                  ("voucher-deducted", {"apigw.dedicated.refund.voucher": "voucher-deducted"})]),
    "APIGW-DED-MIN-TERM": ("apigw.dedicated.refund.monthly", {**REFUND, "refund_at": "2022-04-11T15:00:00"}, "refund", AS_OF,
                           [("pro-rata", {}), ("first-month-charged", {"apigw.dedicated.refund.min_term": "first-month-charged"})]),
    "APIGW-FREE-BOUNDARY": ("apigw.free_quota.calendar", {"activated": "2019-11-10T17:13:14"}, "second_grant", AS_OF,
                            [("midnight", {}), ("activation-instant", {"apigw.free_quota.boundary": "activation-instant"})]),
    "APIGW-FREE-RETRO": ("apigw.overview.free_packs_issued", {"activated": "2019-11-10T17:13:14"}, "free_calls_total", AS_OF,
                         [("retroactive", {}), ("from-adjustment", {"apigw.overview.adjustment": "from-adjustment"})]),
    "APIGW-FREE-EGRESS": ("apigw.overview.first_year_egress", {"activated": "2023-01-05T09:00:00", "at": "2023-01-10T10:00:00",
                                                               "region": "guangzhou", "egress_gb": "1"}, "fee", AS_OF,
                          [("calls-and-egress", {}), ("calls-only", {"apigw.overview.free_egress": "calls-only"})]),
    "APIGW-PACK-REFUND-REMAINING": ("apigw.pack_refunds.refund", {"source": "self-service", "purchased": "2023-02-01T08:00:00",
                                                                  "requested": "2023-02-11T08:00:00", "amount": "500万", "used": "350万",
                                                                  "cash": "80", "voucher": "20"}, "refund", AS_OF,
                                    [("unused-quantity", {}), ("unused-time", {"apigw.pack_refunds.remaining": "unused-time"})]),
    "APIGW-PACK-EFFECTIVE": ("apigw.packs.order", {"activated": "2021-01-01T00:00:00", "purchased": "2023-02-01T08:00:00",
                                                   "pack_calls": "500万", "at": "2023-02-01T05:00:00", "calls": "100万"}, "fee", AS_OF,
                             [("purchase-instant", {}), ("purchase-day", {"apigw.packs.effective_from": "purchase-day"})]),
    "APIGW-PACK-WINDOW": ("apigw.free_quota.pack_window", {"start": "2023-06-20T20:00:00", "source": "free-quota"}, "last_second", AS_OF,
                          [("through-settlement-hour", {}), ("exact-30-days", {"apigw.pack.window_end": "exact-30-days"})]),
    "APIGW-TIER-POSITION": ("apigw.shared.call_fee", {"calls": "1000万", "free_before": "500万"}, "fee", AS_OF,
                            [("all-calls", {}), ("billed-calls", {"apigw.tier.position": "billed-calls"})]),
    "APIGW-TIER-MONTH": ("apigw.shared.call_fee_periods", {"counts": ["6000000", "6000000"]}, "fee", AS_OF,
                         [("calendar-month", {})]),
    "APIGW-TIER-MONTH#reset": ("apigw.shared.call_fee_periods", {"counts": ["6000000", "6000000"], "resets": ["1"]}, "fee", AS_OF,
                               [("free-quota-period", {})]),
    "BILL-DEBIT-ROUNDING": ("apigw.shared.hourly_vs_monthly", {"hours": "720", "calls_per_hour": "6944"}, "fee", AS_OF,
                            [("per-settlement (hourly bill)", {}), ("once-per-month", {"apigw.rounding.point": "month"})]),
    "APIGW-BACKEND-TRAFFIC": ("apigw.shared.month_example", MONTH_EX, "total", AS_OF,
                              [("billed-by-path (backend reached over the internet)", {})]),
    "APIGW-BACKEND-TRAFFIC#note": ("apigw.shared.month_example", {**MONTH_EX, "backend_outside_region": "false"}, "total", AS_OF,
                                   [("billed-by-location (same-region backend free)", {})]),
    "APIGW-TIER-KIND": ("apigw.shared.call_fee", {"calls": "2000万"}, "fee", AS_OF, [("graduated", {})]),
    "CB-ALERTS-SUSPEND": ("cloudbase.arrears.timeline", {"expiry": "2023-01-01"}, "suspend_at", AS_OF,
                          [("expiry-instant", {}), ("day-one", {"cloudbase.arrears.suspend_at": "day-one",
                                                               "cloudbase.arrears.day_one": "day-after-expiry"})]),
    "CB-ALERTS-INTERVAL": ("cloudbase.alerts.expiry_notices", {"expiry": "2023-01-01"}, "count", AS_OF,
                           [("every-other-day", {}), ("daily", {"cloudbase.alerts.expiry_interval": "daily"})]),
    "CB-ALERTS-AUTORENEW": ("cloudbase.alerts.expiry_notices", {"expiry": "2023-01-01", "auto_renew": "true", "balance_ok": "true"},
                            "count", AS_OF, [("none", {}), ("reminder", {"cloudbase.alerts.autorenew_reminder": "reminder"})]),
    "CB-ARREARS-DAY16": ("cloudbase.arrears.timeline", {"expiry": "2023-01-01"}, "release_at", AS_OF,
                         [("expiry-date", {}), ("day-after-expiry", {"cloudbase.arrears.day_one": "day-after-expiry"})]),
    "CB-HOST-FREE-SCOPE": (HOST, {"created": "2025-01-01T00:00:00", "usage": ["2025-01-01 cpu 24 x90"]}, "total", AS_OF,
                           [("one-pool", {}), ("per-month", {"cloudbase.hosting.free_scope": "per-month"})]),
    "CB-HOST-STORAGE-UNITS": (HOST, {"created": "2025-01-01T00:00:00", "usage": ["2025-01-01 cos_capacity 10 x30"]}, "exact", AS_OF,
                              [("standing", {}), ("gb-days", {"cloudbase.hosting.capacity_free": "gb-days"})]),
    "CB-HOST-OPS-PERIOD": (HOST, {"created": "2025-01-01T00:00:00", "first_environment": "false",
                                  "usage": ["2025-05-01 cos_download 5000 x30"]}, "total", AS_OF,
                           [("bill (month of records)", {}), ("per-record (daily bill)", {"cloudbase.hosting.ops_rounding": "per-record"})]),
    "CB-MONTHLY-NEWPURCHASE": ("cloudbase.plans.downgrade_refund", DOWN, "refund", AS_OF,
                               [("average-month", {}), ("order-share-monthly", {"cloudbase.plans.new_purchase": "order-share-monthly"}),
                                ("order-share-term", {"cloudbase.plans.new_purchase": "order-share-term"})]),
    "CB-MONTHLY-DAYCOUNT": ("cloudbase.plans.downgrade_refund", DOWN, "refund", AS_OF,
                            [("inclusive", {}), ("calendar", {"cloudbase.plans.day_count": "calendar"})]),
    "CB-MONTHLY-QUOTASTART": ("cloudbase.plans.upgrade_window", {"old_plan": "personal", "new_plan": "standard", "start": "2022-07-01",
                                                                 "expiry": "2022-10-01", "at": "2022-08-23T15:30:00"}, "new_start", AS_OF,
                              [("change-instant", {}), ("order-day", {"cloudbase.plans.upgrade_quota_start": "order-day"})]),
    "CB-MONTHLY-MONTHEND": ("cloudbase.monthly.cycles", {"purchased": "2023-01-31", "months": "3"}, "first_reset_date", AS_OF,
                            [("clamp", {}), ("roll-forward", {"cloudbase.monthly.month_end": "roll-forward"})]),
    "CB-MONTHLY-ASYNC": ("cloudbase.monthly.async_request", {"enqueued": "2022-12-26", "suspended": "2023-01-01",
                                                             "restored": "2023-01-03"}, "fate", AS_OF,
                         [("request-age", {}), ("since-suspension", {"cloudbase.monthly.async_drop": "since-suspension"})]),
    "CB-REFUND-7DAY": ("cloudbase.pack_refunds.assess", {"purchased_at": "2025-05-26T15:55:42", "requested_at": "2025-06-05T10:00:00",
                                                         "used": "0", "cash": "350", "gift": "50"}, "refund", AS_OF,
                       [("seven-days", {}), ("no-limit", {"cloudbase.pack_refunds.window": "no-limit"})]),
    "CB-PLANOPS-LISTPRICE": ("cloudbase.plans.upgrade_window", {"old_plan": "personal", "new_plan": "standard", "start": "2022-07-01",
                                                                "expiry": "2022-10-01", "at": "2022-08-23"}, "fee", AS_OF, [("offer-price", {})]),
    "CB-PLANOPS-DISCOUNT": ("cloudbase.plans.upgrade_fee", {"old_price": "100", "new_price": "1000", "at": "2022-12-15",
                                                            "expiry": "2023-02-01"}, "fee", AS_OF, [("no-discount", {})]),
    "CB-PLANOPS-DISCOUNT#0.9": ("cloudbase.plans.upgrade_fee", {"old_price": "100", "new_price": "1000", "at": "2022-12-15",
                                                                "expiry": "2023-02-01", "discount": "0.9"}, "fee", AS_OF,
                                [("some-discount (0.9, hypothetical)", {})]),
    "CB-PL-PROMO-20T": ("cloudbase.pricelist.promo_rate", {"pack": "fn_25tb"}, "per_tb_day", AS_OF,
                        [("contents-25tb", {}), ("name-20tb", {"cloudbase.pricelist.promo_20t": "name-20tb"})]),
    "CB-PL-CALLS-PER-DAY": ("cloudbase.pricelist.overage_day", OVERAGE, "total", AS_OF,
                            [("settled-daily", {}), ("standing-daily", {"cloudbase.pricelist.calls_per_day": "standing-daily"})]),
    "CB-PL-CAPACITY-UNIT": ("cloudbase.pricelist.capacity_cycle", {"plan": "personal", "daily_gb": ["0"] * 15 + ["6"] * 15}, "fee", AS_OF,
                            [("ceiling", {}), ("gb-day-allowance", {"cloudbase.pricelist.capacity_quota": "gb-day-allowance"})]),
    "CB-PL-FREE-VS-TRIAL": ("cloudbase.pricelist.free_env_dates", {"created": "2025-03-01", "released": "2025-06-10"}, "expires", AS_OF,
                            [("campaign", {}), ("one-month-trial", {"cloudbase.pricelist.free_env_term": "one-month-trial"})]),
    "CB-PL-FREE-DAY15": ("cloudbase.pricelist.free_env_dates", {"created": "2025-03-01", "released": "2025-06-10"}, "expires", AS_OF,
                         [("release-plus-15", {}), ("release-is-day-1", {"cloudbase.pricelist.free_env_day15": "release-is-day-1"})]),
    "CB-PL-FREE-OVERAGE": ("cloudbase.pricelist.overage_day", {"plan": "free", "day": "2025-06-10", "before": {"calls_wan": "20"},
                                                               "today": {"calls_wan": "5"}}, "total", AS_OF,
                           [("payg-allowed", {}), ("refused", {"cloudbase.pricelist.free_env_overage": "refused"})]),
    "CB-PL-TOKENS": ("cloudbase.pricelist.token_allowance", {"plan": "standard", "created": "2025-03-01", "cycles": "6"}, "total", AS_OF,
                     [("once-plus-gift", {}), ("per-cycle-plus-gift", {"cloudbase.pricelist.plan_tokens": "per-cycle-plus-gift"}),
                      ("misprint-of-gift", {"cloudbase.pricelist.plan_tokens": "misprint-of-gift"})]),
    "CB-PL-STATIC-TRAFFIC": ("cloudbase.pricelist.storage_traffic", {"plan": "personal", "cdn_gb": "0", "static_gb": "5"}, "fee", AS_OF,
                             [("in-storage-quota", {}), ("outside-plan", {"cloudbase.pricelist.static_traffic": "outside-plan"})]),
    "CB-PL-PACK-30D": ("cloudbase.pricelist.overage_day", {"plan": "personal", "day": "2025-06-25", "before": {"calls_wan": "20"},
                                                           "today": {"calls_wan": "100"},
                                                           "packs": [{"pack": "calls_1000wan", "bought": "2025-05-26T15:55:42",
                                                                      "used": "9000000"}]}, "total", AS_OF,
                       [("natural-days", {}), ("30x24h", {"cloudbase.pricelist.pack_window": "30x24h"}),
                        ("calendar-month", {"cloudbase.pricelist.pack_window": "calendar-month"})]),
    "CB-PL-PACK-SAVING": ("cloudbase.pricelist.max_saving", {}, "max_saving_pct", AS_OF,
                          [("call-packs", {}), ("all-packs", {"cloudbase.pricelist.saving_scope": "all-packs"})]),
    "CB-RES-REFUND": ("cloudbase.reserved.refund", {"package": "fn_500gb", "days": "3", "bought_at": "2025-06-01T10:00:00",
                                                    "at": "2025-06-02T13:00:00"}, "refund", AS_OF,
                      [("remaining-whole-days", {}), ("amount-paid", {"cloudbase.reserved.refund": "amount-paid"})]),
    "CB-RES-INSTANCE-DAY": ("cloudbase.reserved.provisioned_cost", {"memory_mb": "256", "instances": "100", "days": "30"}, "total", AS_OF,
                            [("idle-price", {}), ("screen-per-day", {"cloudbase.reserved.instance_rate": "screen-per-day"}),
                             ("screen-per-gbs", {"cloudbase.reserved.instance_rate": "screen-per-gbs"})]),
    "CB-RES-COMBINE": ("cloudbase.reserved.quotas", {"packages": "fn_500gb,fn_500gb"}, "allowed", AS_OF,
                       [("one-per-kind", {}), ("stack", {"cloudbase.reserved.combine": "stack"})]),
    "CB-RES-WINDOW": ("cloudbase.reserved.purchase", {"package": "fn_500gb", "days": "1", "bought_at": "2025-06-01T20:00:00"},
                      "last_second", AS_OF,
                      [("from-start", {}), ("calendar-days", {"cloudbase.reserved.window": "calendar-days"})]),
    "CB-GW-TERM": ("cloudbase.gateway.purchase", {"edition": "test", "duration": "1y"}, "price", AS_OF, [("no-discount", {})]),
    "CB-GW-AUTO-TERM": ("cloudbase.gateway.renew", {"edition": "test", "expires_at": "2025-06-30T00:00:00", "mode": "auto",
                                                    "duration": "1mo"}, "price", AS_OF, [("one-month", {})]),
    "CB-GW-AUTO-TERM#1y": ("cloudbase.gateway.renew", {"edition": "test", "expires_at": "2025-06-30T00:00:00", "mode": "auto",
                                                       "duration": "1y"}, "price", AS_OF, [("previous-term (1 year)", {})]),
    "CB-EXP-INDICATIVE": ("cloudbase.expert.quote", {"service": "consulting", "quantity": "2"}, "amount", AS_OF, [("list-price", {})]),
    "CB-SVC-TRAINING-MODE": ("cloudbase.expert.quote", {"service": "training", "quantity": "1", "mode": "online"}, "amount", AS_OF,
                             [("same-price", {})]),
    "UNITS-DATA-BASE#hosting": (HOST, {"created": "2025-01-01T00:00:00", "usage": ["2025-01-10 memory 2000"]}, "total", AS_OF,
                                [("1024 (GiB billed as GB)", {}), ("1000 (convert GiB to decimal GB)", {"cloudbase.hosting.memory_unit": "convert"})]),
    "UNITS-DATA-BASE#packages": ("cloudbase.reserved.quotas", {"packages": "fn_500gb"}, "instances_256mb", AS_OF,
                                 [("1024", {}), ("1000", {"cloudbase.reserved.size_base": "1000"})]),
    "CB-MONTHLY-UPGRADE-DAYS": ("cloudbase.plans.upgrade_fee", {"old_price": "100", "new_price": "1000", "at": "2022-12-15T15:00:00",
                                                                "expiry": "2023-02-01"}, "fee", AS_OF, [("calendar-dates (code today)", {})]),
}


def _D(x):
    return Decimal(x)


def _hand():
    """Figures of readings no calculation implements yet: each with its formula."""
    avg = _D(365) / _D(12)
    out = {}
    out["APIGW-FREE-PERIOD"] = {
        "anniversary-month (12 grants)": ("12 × (100万 calls + 1 GB)", str(12 * (_D("6.00") + _D("0.80")))),
        "thirty-days, 12 grants (code today)": ("12 × (100万 calls + 1 GB)", str(12 * (_D("6.00") + _D("0.80")))),
        "thirty-days in the first year (13 grants)": ("13 × (100万 × 0.06/万 + 1 GB × 0.80)", str(13 * (_D("6.00") + _D("0.80")))),
        "natural-month (12 grants)": ("12 × (100万 calls + 1 GB)", str(12 * (_D("6.00") + _D("0.80")))),
    }
    kb = _D(15000000) / 1000 / 1024 + _D(5000000) / 1000 / 1024
    ex = _D(20000000) / 1024 / 1024
    out["UNITS-DATA-BASE"] = {
        "1024 at every step": ("30 + (2000万 KB / 1024²) × 0.80", str(_D("30") + (ex * _D("0.8")).quantize(_D("0.01")))),
        "1000 from KB to MB, 1024 above": ("30 + (2000万 KB / 1000 / 1024) × 0.80", str(_D("30") + (kb * _D("0.8")).quantize(_D("0.01"), rounding="ROUND_HALF_UP"))),
        "1000 at every step": ("30 + 20 GB × 0.80", str(_D("30") + _D("20") * _D("0.8"))),
    }
    out["APIGW-TIER-KIND"] = {"volume": ("2000万 × 0.04 / 万 (every call at the tier N reaches)", str(_D(2000) * _D("0.04")))}
    one = _D("6944") * _D("0.06") / _D("10000")
    out["BILL-DEBIT-ROUNDING"] = {"8-decimal lines summed, one debit": ("720 × 0.041664 = 29.99808 → fen",
                                                                        str((one * 720).quantize(_D("0.01"))))}
    rows = {}
    for ed, lst, disc, pr in (("professional", "16.11", "0.73", "11.76"), ("enterprise", "46.12", "0.49", "22.60"),
                              ("platinum", "92.28", "0.45", "41.53"), ("diamond", "230.75", "0.35", "80.76")):
        exact = _D(lst) * _D(disc)
        rows[ed] = {"printed-price": f"{pr} × 720 = {_D(pr) * 720}",
                    "exact-product": f"{exact} × 720 = {(exact * 720).quantize(_D('0.01'))}"}
    out["APIGW-DED-PAYG-UNIT-PRICE"] = rows
    out["CB-MONTHLY-UPGRADE-DAYS"] = {"exact duration": ("900 × 47.375 / (365/12)", str((_D(900) * _D("47.375") / avg).quantize(_D("0.01"))))}
    out["CB-PL-FREE-VS-TRIAL"] = {"value of the gap": ("19.9 × 85 days / (365/12)", str((_D("19.9") * 85 / avg).quantize(_D("0.01"))))}
    out["CB-PL-FREE-DAY15"] = {"value of one day": ("19.9 / (365/12)", str((_D("19.9") / avg).quantize(_D("0.01"))))}
    b = (_D(999999) * 3 + _D(999999)) / 1024 / 1024
    out["APIGW-FIRST-YEAR-FREE"] = {"egress per 30 days": (f"({b:.6f} GB − 1 GB free) × 0.80", str(((b - 1) * _D("0.8")).quantize(_D("0.01")))),
                                    "per first year (12 periods)": ("12 × the above", str(12 * ((b - 1) * _D("0.8")).quantize(_D("0.01"))))}
    out["CB-OVERAGE-DAILY-FEN"] = {"per day to the fen, 30 days": ("30 × fen(10000 GB·s × 0.00011108)",
                                                                   str(30 * (_D(10000) * _D("0.00011108")).quantize(_D("0.01")))),
                                   "once a month": ("fen(30 × 1.1108)", str((30 * _D(10000) * _D("0.00011108")).quantize(_D("0.01"))))}
    cyc = {}
    for reading in ("settled-daily", "standing-daily"):
        total = _D(0)
        for day in range(1, 31):  # personal plan (20万), 1万 calls a day: 10万 over the quota by day 30
            total += _D(fig("cloudbase.pricelist.overage_day", {"plan": "personal", "day": f"2025-06-{day:02d}",
                                                                "before": {"calls_wan": str(day - 1)}, "today": {"calls_wan": "1"}},
                            "total", {"cloudbase.pricelist.calls_per_day": reading}, AS_OF))
        cyc[reading] = ("Σ over 30 days of overage_day(before = (day−1)万, today = 1万)", str(total))
    out["CB-PL-CALLS-PER-DAY#cycle"] = cyc
    return out


def cmd_spreads(only=None):
    out = {}
    for key, (name, inputs, output, as_of, readings) in SCENARIOS.items():
        if only and not key.startswith(only):
            continue
        rows = []
        for reading, pol in readings:
            rows.append({"reading": reading, "gives": fig(name, inputs, output, pol, as_of), "calc": name, "inputs": inputs,
                         "policies": pol, "output": output, "as_of": as_of})
        out[key] = rows
    for key, v in _hand().items():
        if not only or key.startswith(only):
            out.setdefault(key + "#hand", v)
    print(json.dumps(out, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "examples":
        cmd_examples()
    else:
        cmd_spreads(sys.argv[2] if len(sys.argv) > 2 else None)
