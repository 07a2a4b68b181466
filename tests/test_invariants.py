"""Product-level invariants under hypothesis (1,000 examples each; the engine-level ones are in
test_rating.py): the API Gateway hourly bill and the CloudBase cycle bill never charge less for more
usage under the default reading; a bill's lines add up to its total; a refund never exceeds what was
paid, payments below a fen included; an upgrade fee is never negative; drawdown conserves usage; a
bill split into two runs equals the bill run once; pools are drawn by priority, then soonest expiry."""
from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from pricing.engine import rating
from pricing.engine.catalog import load
from pricing.engine.money import ZERO
from pricing.engine.policies import POLICIES
from pricing.engine.statement import settle
from pricing.rules import load_all
from pricing.rules.apigw import billing
from pricing.rules.apigw.free_quota import free_pools
from pricing.rules.cloudbase import cycle, plans
from pricing.spec.examples import run_calc

load_all()
CATALOG = load()
CAT = CATALOG.as_of("2026-11-30")
MANY = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
READINGS = ["line-8dp-debit-fen", "per-bill-fen", "exact"]

# -- API Gateway: the hourly bill ------------------------------------------------------------------
T0 = datetime(2021, 3, 1)
APIGW_FREE = tuple(p for p in free_pools(CAT, "2021-01-01T00:00:00") if p.window.contains(T0))
hour_use = st.tuples(st.integers(0, 5), st.sampled_from(["guangzhou", "hongkong"]), st.sampled_from(["calls", "egress_gb"]),
                     st.integers(0, 12_000_000))
hour_uses = st.lists(hour_use, min_size=1, max_size=5)


def apigw_records(uses):
    return [billing.usage(T0 + timedelta(hours=h), region, metric, str(q) if metric == "calls" else str(Decimal(q) / 10**6))
            for h, region, metric, q in uses]


def apigw_total(uses, policies=None):
    return billing.bill(CAT, apigw_records(uses), list(APIGW_FREE), policies)["total"]


@MANY
@given(hour_uses, st.integers(0, 4), st.integers(1, 3_000_000))
def test_apigw_fees_never_fall_as_usage_rises(uses, i, extra):
    i %= len(uses)
    more = list(uses)
    h, region, metric, q = more[i]
    more[i] = (h, region, metric, q + extra)
    assert apigw_total(more) >= apigw_total(uses)


@MANY
@given(hour_uses, st.sampled_from(READINGS))
def test_apigw_lines_add_up_to_the_total(uses, reading):
    r = billing.bill(CAT, apigw_records(uses), list(APIGW_FREE), {"billing.debit_rounding": reading})
    assert r["call_fee"] + r["egress_fee"] + r["precision"] == r["total"]
    if reading != "exact":
        assert sum(r["bills"].values(), ZERO) == r["total"] == r["total"].quantize(Decimal("0.01"))


@MANY
@given(hour_uses, st.integers(0, 6))
def test_apigw_bill_split_into_two_runs_equals_one_run(uses, cut):
    recs = apigw_records(uses)
    end, mid = T0 + timedelta(hours=6), T0 + timedelta(hours=cut)
    s0 = rating.Snapshot(T0, APIGW_FREE)
    whole = billing.run_bill(CAT, recs, s0, end)
    a = billing.run_bill(CAT, [u for u in recs if u.at < mid], s0, mid)
    b = billing.run_bill(CAT, [u for u in recs if u.at >= mid], a.snapshot, end)
    assert b.snapshot == whole.snapshot
    assert [h.rating.exact for h in a.history + b.history] == [h.rating.exact for h in whole.history]
    assert settle(a.lines() + b.lines()) == settle(whole.lines())
    for h in whole.history:  # drawdown conserves usage
        assert h.ledger.covered + h.ledger.uncovered == h.record.quantity


# -- CloudBase: the cycle bill ---------------------------------------------------------------------
P0 = datetime(2026, 3, 5, 10)
METRICS = ["calls_wan", "calls_wan", "egress_gb", "capacity_gb", "sms", "gbs_wan", "storage_traffic_gb"]
SCALE = {"calls_wan": 1000, "egress_gb": 1, "capacity_gb": 1, "sms": 1, "gbs_wan": 1000, "storage_traffic_gb": 1}
SPAN = 6 * 24  # the invariants bill the first six days of the cycle (until P0 + SPAN hours)
use = st.tuples(st.integers(0, SPAN - 1), st.sampled_from(METRICS), st.integers(0, 300))
uses = st.lists(use, min_size=1, max_size=6)
pack_buy = st.lists(st.tuples(st.sampled_from(["calls_1000wan", "capacity_100gb", "sms_1000"]), st.integers(0, SPAN)),
                    max_size=2)
upgrade = st.one_of(st.none(), st.integers(1, SPAN))
UNTIL = P0 + timedelta(hours=SPAN)
window = st.sampled_from(["natural-days", "30x24h", "calendar-month"])


def cb_records(us):
    return [cycle.record(CAT, P0 + timedelta(hours=h), m, str(q * SCALE[m])) for h, m, q in us]


def cb_term(buys, up, pol):
    packs = [f"{p} {(P0 + timedelta(hours=h)).isoformat()}" for p, h in buys]
    changes = [] if up is None else [f"{(P0 + timedelta(hours=up)).isoformat()} standard"]
    return cycle.term(CAT, "personal", P0, 1, changes, packs, True, pol)


@MANY
@given(uses, pack_buy, upgrade, window, st.integers(0, 5), st.integers(1, 200))
def test_cloudbase_fees_never_fall_as_usage_rises(us, buys, up, win, i, extra):
    pol = {"cloudbase.pricelist.pack_window": win}
    t = cb_term(buys, up, pol)
    i %= len(us)
    more = list(us)
    more[i] = (us[i][0], us[i][1], us[i][2] + extra)
    a = cycle.cycle_bill(CAT, t, cb_records(us), UNTIL, pol).statement
    b = cycle.cycle_bill(CAT, t, cb_records(more), UNTIL, pol).statement
    assert b.due >= a.due and b.exact >= a.exact


@MANY
@given(uses, pack_buy, upgrade, st.sampled_from(READINGS))
def test_cloudbase_lines_add_up_and_drawdown_conserves_usage(us, buys, up, reading):
    pol = {"billing.debit_rounding": reading}
    b = cycle.cycle_bill(CAT, cb_term(buys, up, pol), cb_records(us), UNTIL, pol)
    s = b.statement
    assert sum((ln.amount for ln in s.lines), ZERO) + s.precision == s.due
    if reading != "exact":
        assert sum(s.bills.values(), ZERO) == s.due == s.due.quantize(Decimal("0.01"))
    for h in b.history:
        assert h.ledger.covered + h.ledger.uncovered == h.record.quantity
        if h.record.metric == "sms":  # SMS no SMS pack covered become calls, drawn next
            assert h.rating.convert == ("calls_wan", h.ledger.uncovered * 2000)


@MANY
@given(uses, pack_buy, upgrade, st.integers(0, SPAN))
def test_cloudbase_cycle_split_into_two_runs_equals_one_run(us, buys, up, cut_h):
    t = cb_term(buys, up, None)
    recs = cb_records(us)
    cut = P0 + timedelta(hours=cut_h, minutes=30)
    whole = cycle.run(CAT, t, cycle.start(t), recs, UNTIL + timedelta(hours=1))
    a = cycle.run(CAT, t, cycle.start(t), [r for r in recs if r.at < cut], cut)
    b = cycle.run(CAT, t, a.snapshot, [r for r in recs if r.at >= cut], UNTIL + timedelta(hours=1))
    assert b.snapshot == whole.snapshot
    one, two = cycle.bill_of(CAT, t, whole), cycle.bill_of(CAT, t, cycle.CycleRun(b.snapshot, a.history + b.history))
    assert two.statement == one.statement and two.days == one.days


@MANY
@given(uses, pack_buy, upgrade, window)
def test_cloudbase_pools_are_drawn_by_priority_then_soonest_expiry(us, buys, up, win):
    pol = {"cloudbase.pricelist.pack_window": win}
    t = cb_term(buys, up, pol)
    b = cycle.cycle_bill(CAT, t, cb_records(us), UNTIL, pol)
    for h in b.history:
        drawn = [ln.pool for ln in h.ledger.lines]
        valid = {ln.pool for ln in h.ledger.lines} | {s.pool for s in h.ledger.skipped if s.reason == "used up"}
        pools = {p.pool.id: p.pool for p in t.packs}
        prio = {pid: (0, datetime.max, pid) if pid.startswith("plan-quota") else
                (pools[pid].priority, pools[pid].window.end, pid) for pid in valid}
        assert drawn == sorted(drawn, key=lambda pid: prio[pid])
        for ln in h.ledger.lines[:-1]:  # a later pool is drawn only once the earlier ones are used up
            assert ln.covered == ln.before


# -- refunds never exceed what was paid ------------------------------------------------------------
fen_or_less = st.integers(0, 2_000_000).map(lambda n: Decimal(n) / 1000)  # 0.000 .. 2000.000 CNY


def readings(*names):
    """One reading of each named policy, drawn."""
    return st.fixed_dictionaries({n: st.sampled_from(sorted(POLICIES[n].choices)) for n in names})


@MANY
@given(fen_or_less, fen_or_less, fen_or_less, fen_or_less, st.integers(0, 29 * 24 * 60),
       readings("apigw.dedicated.refund.time_unit", "apigw.dedicated.refund.voucher", "apigw.dedicated.refund.min_term"))
def test_apigw_dedicated_refund_never_exceeds_what_was_paid(cash, income, gift, voucher, minutes, pol):
    assume(cash + income + gift + voucher > 0)
    bought = datetime(2022, 4, 1, 15)
    r = run_calc("apigw.dedicated.refund.monthly", CATALOG,
                 {"bought_at": bought.isoformat(), "refund_at": (bought + timedelta(minutes=minutes)).isoformat(),
                  "cash": str(cash), "income": str(income), "gift": str(gift), "voucher": str(voucher)}, pol,
                 as_of="2024-11-05")
    assert ZERO <= r["refund"] <= cash + income + gift


@MANY
@given(fen_or_less, fen_or_less, fen_or_less, st.integers(0, 40 * 24), st.integers(0, 100),
       readings("apigw.pack_refunds.remaining"))
def test_apigw_pack_refund_never_exceeds_what_was_paid(cash, gift, voucher, hours, used_pct, pol):
    r = run_calc("apigw.pack_refunds.refund", CATALOG,
                 {"purchased": "2023-01-01T00:00:00", "requested": (datetime(2023, 1, 1) + timedelta(hours=hours)).isoformat(),
                  "amount": "1000000", "used": str(used_pct * 10000), "cash": str(cash), "gift": str(gift),
                  "voucher": str(voucher)}, pol, as_of="2024-11-05")
    assert ZERO <= r["refund"] <= cash + gift
    assert r["refund_cash"] <= cash and r["refund_gift"] <= gift


@MANY
@given(fen_or_less, fen_or_less, st.integers(0, 10 * 24), st.integers(0, 50))
def test_cloudbase_pack_refund_never_exceeds_what_was_paid(cash, gift, hours, used):
    r = run_calc("cloudbase.pack_refunds.assess", CATALOG,
                 {"purchased_at": "2025-05-26T15:55:42", "requested_at": (datetime(2025, 5, 26, 15, 55, 42)
                                                                          + timedelta(hours=hours)).isoformat(),
                  "used": str(used), "paid": {"cash": str(cash), "gift": str(gift)}}, as_of="2025-06-01")
    assert ZERO <= r["refund"] <= cash + gift


@MANY
@given(fen_or_less, fen_or_less, st.integers(1, 12), st.integers(0, 400 * 24),
       # every reading the policies declare ('fen-each' was merged away by the register audit)
       st.sampled_from(sorted(POLICIES["cloudbase.plans.downgrade_rounding"].choices)),
       st.sampled_from(sorted(POLICIES["cloudbase.plans.day_count"].choices)))
def test_cloudbase_plan_refunds_never_exceed_what_was_paid(paid, new_price, months, hours, rounding, days):
    start = datetime(2022, 11, 1)
    at = start + timedelta(hours=hours)
    assume(at < start + timedelta(days=28 * months))
    old = paid / months + Decimal("0.001")
    assume(new_price < old)
    pol = {"cloudbase.plans.downgrade_rounding": rounding, "cloudbase.plans.day_count": days}
    r = plans.downgrade_refund(CAT, old, new_price, months, start, at, paid=paid, policies=pol)
    assert ZERO <= r["refund"] <= paid
    d = plans.destroy_refund(CAT, paid, start, start + timedelta(days=28 * months), at, policies=pol)
    assert ZERO <= d["refund"] <= paid


# -- upgrade fees --------------------------------------------------------------------------------------
@MANY
@given(fen_or_less, fen_or_less, st.integers(0, 60 * 24), st.integers(1, 400 * 24),
       st.one_of(st.none(), st.integers(1, 100).map(lambda n: Decimal(n) / 100)))
def test_cloudbase_upgrade_fee_is_never_negative(a, b, at_h, left_h, discount):
    old, new = min(a, b), max(a, b)
    at = datetime(2026, 1, 1) + timedelta(hours=at_h)
    r = plans.upgrade_fee(CAT, old, new, at, at + timedelta(hours=left_h), discount, by_rank=True)
    assert r["fee"] >= 0 and r["fee_exact"] >= 0


@MANY
@given(st.sampled_from(["personal", "standard", "enterprise"]), st.sampled_from(["personal", "standard", "enterprise"]),
       st.integers(0, 30 * 24), st.integers(1, 12))
def test_cloudbase_upgrades_between_list_plans_cost_at_least_zero(old, new, at_h, months):
    assume(old != new)
    start = datetime(2026, 1, 1)
    at = start + timedelta(hours=at_h)
    if plans.direction(CAT, old, new) < 0:
        return
    r = run_calc("cloudbase.plans.upgrade_fee", CATALOG, {"old_plan": old, "new_plan": new, "at": at.isoformat(),
                                                         "expiry": (start + timedelta(days=31 * months)).isoformat()},
                 as_of="2026-11-30")
    assert r["fee"] >= 0
