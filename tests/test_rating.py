"""The rating engine, statements and the account: worked figures and invariants under hypothesis
(each at 1,000 examples or more)."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pricing.engine import account, rating, statement
from pricing.engine.catalog import load
from pricing.engine.drawdown import drawdown, make_pool
from pricing.engine.errors import InputError
from pricing.engine.money import ZERO
from pricing.engine.periods import Window

CAT = load()
T0 = datetime(2023, 3, 1)
MANY = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def call_rater(record, ledger, snap):
    """Calls on the shipped graduated tiers at the calendar month's position of billed calls (the
    default reading: N counts the calls beyond the free quota and packs, 月累计超过次数)."""
    view = CAT.as_of(record.at)
    key = ("calls", record.at.strftime("%Y-%m"))
    charge = view.tiers("apigw.shared.call_tiers").rate(ledger.uncovered, snap.position(key))
    return rating.Rating(charge.amount, record.at.strftime("%Y-%m-%d %H:00"), "calls", "calls", charge.slices, key,
                         ledger.uncovered)


def hours(counts, start=T0):
    return [rating.record(start + timedelta(hours=i), "calls", str(c)) for i, c in enumerate(counts)]


# -- worked figures ------------------------------------------------------------------------------

def test_a_month_of_small_hours_bills_its_lines_not_zero():
    # 744 hours of 390 calls: each hour 0.00234 yuan, 0.00 when every hourly bill is rounded to the fen
    recs = hours([390] * 744)
    r = rating.run(rating.Snapshot(T0), recs, T0 + timedelta(days=31), call_rater)
    default = statement.settle(r.lines())
    assert default.subtotal == Decimal("1.74096") and default.due == Decimal("1.74")
    assert default.precision == Decimal("-0.00096")
    # every settlement is debited in whole fen on the running total; the debits add up to the due
    assert all(d == d.quantize(Decimal("0.01")) for d in default.bills.values())
    assert sum(default.bills.values()) == default.due
    assert list(default.bills.values())[:5] == [0, 0, Decimal("0.01"), 0, 0]  # 0.00702 rounds to 0.01 at hour 3
    per_bill = statement.settle(r.lines("line-8dp-debit-fen"), {"billing.debit_rounding": "per-bill-fen"})
    assert per_bill.due == 0 and per_bill.precision == Decimal("-1.74096")


def test_fee_does_not_fall_as_usage_rises_under_the_default_reading():
    def due(first):
        r = rating.run(rating.Snapshot(T0), hours([first, 1245]), T0 + timedelta(hours=2), call_rater)
        return statement.settle(r.lines()).due, statement.settle(r.lines(), {"billing.debit_rounding": "per-bill-fen"}).due
    assert due(9999990) == (Decimal("60.00"), Decimal("60.01"))
    assert due(9999991) == (Decimal("60.00"), Decimal("60.00"))  # per-bill rounding: a fee fell as usage rose


def test_lines_add_up_to_the_total():
    r = rating.run(rating.Snapshot(T0), hours(["400", "650000", "1"]), T0 + timedelta(hours=3), call_rater)
    s = statement.settle(r.lines())
    assert [l.amount for l in s.lines] == [Decimal("0.00240000"), Decimal("3.90000000"), Decimal("0.00000600")]
    assert s.subtotal + s.precision == s.due == Decimal("3.90")


def test_a_pack_covers_only_inside_its_window():
    pack = make_pool("pack", "resource-pack", "calls", "1000", 1, Window(datetime(2023, 3, 1), datetime(2023, 3, 1, 14)))
    recs = [rating.record("2023-03-01T13:00:00", "calls", "500"), rating.record("2023-03-01T15:00:00", "calls", "500")]
    r = rating.run(rating.Snapshot(T0, (pack,)), recs, "2023-03-02", call_rater)
    assert [h.ledger.covered for h in r.history] == [Decimal(500), 0]
    assert r.snapshot.pool("pack").remaining == Decimal(500)  # lapsed with 500 left, not used at 15:00


def test_records_outside_the_run_are_refused():
    with pytest.raises(InputError) as e:
        rating.run(rating.Snapshot(T0), hours([1], start=T0 - timedelta(hours=1)), T0 + timedelta(hours=1), call_rater)
    assert e.value.field == "record.at"


# -- invariants ------------------------------------------------------------------------------------

counts = st.lists(st.integers(0, 30_000_000), min_size=1, max_size=6)
pool_specs = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 5_000_000), st.integers(1, 96)), max_size=3)


def make_pools(specs):
    return tuple(make_pool(f"p{i}", "pack", "calls", str(a), pr, Window(T0, T0 + timedelta(hours=h)))
                 for i, (pr, a, h) in enumerate(specs))


@MANY
@given(counts, st.integers(0, 5), st.integers(1, 2_000_000), pool_specs)
def test_fees_never_fall_as_usage_rises(cs, i, extra, specs):
    i = i % len(cs)
    more = list(cs)
    more[i] += extra
    end = T0 + timedelta(hours=len(cs))
    a = statement.settle(rating.run(rating.Snapshot(T0, make_pools(specs)), hours(cs), end, call_rater).lines())
    b = statement.settle(rating.run(rating.Snapshot(T0, make_pools(specs)), hours(more), end, call_rater).lines())
    assert b.due >= a.due
    assert b.exact >= a.exact


@MANY
@given(counts, pool_specs, st.sampled_from(["line-8dp-debit-fen", "per-bill-fen", "exact"]))
def test_a_bills_lines_add_up_to_its_total(cs, specs, reading):
    r = rating.run(rating.Snapshot(T0, make_pools(specs)), hours(cs), T0 + timedelta(hours=len(cs)), call_rater)
    s = statement.settle(r.lines(reading), {"billing.debit_rounding": reading})
    assert sum((l.amount for l in s.lines), ZERO) + s.precision == s.due
    if reading != "exact":
        assert s.due == s.due.quantize(Decimal("0.01"))
        assert all(l.amount == l.amount.quantize(Decimal("1E-8")) for l in s.lines)
        assert sum(s.bills.values(), ZERO) == s.due  # the settlements' debits add up to the total


@MANY
@given(counts, pool_specs, st.integers(0, 6))
def test_one_bill_split_into_two_runs_equals_the_bill_run_once(cs, specs, cut):
    recs = hours(cs)
    end = T0 + timedelta(hours=len(cs))
    mid = T0 + timedelta(hours=min(cut, len(cs)))
    whole = rating.run(rating.Snapshot(T0, make_pools(specs)), recs, end, call_rater)
    first = rating.run(rating.Snapshot(T0, make_pools(specs)), [r for r in recs if r.at < mid], mid, call_rater)
    second = rating.run(first.snapshot, [r for r in recs if r.at >= mid], end, call_rater)
    assert [h.rating.exact for h in first.history + second.history] == [h.rating.exact for h in whole.history]
    assert second.snapshot == whole.snapshot
    assert statement.settle(first.lines() + second.lines()).due == statement.settle(whole.lines()).due


@MANY
@given(st.integers(0, 10_000_000), pool_specs, st.integers(0, 95))
def test_drawdown_conserves_usage(usage, specs, h):
    at = T0 + timedelta(hours=h)
    led = drawdown("calls", str(usage), at, make_pools(specs))
    assert led.covered + led.uncovered == usage
    before = {p.id: p.remaining for p in make_pools(specs)}
    assert all(before[l.pool] - l.covered == l.after for l in led.lines)
    assert sum(before.values()) - sum(p.remaining for p in led.pools_after) == led.covered


@MANY
@given(st.integers(1, 10_000_000), pool_specs, st.integers(0, 95))
def test_pools_are_drawn_by_priority_then_soonest_expiry(usage, specs, h):
    at = T0 + timedelta(hours=h)
    pools = make_pools(specs)
    led = drawdown("calls", str(usage), at, pools)
    valid = [p for p in pools if p.window.contains(at) and p.remaining > 0]
    order = sorted(valid, key=lambda p: (p.priority, p.window.end, p.id))
    drawn = [l.pool for l in led.lines]
    assert drawn == [p.id for p in order][:len(drawn)]
    # every pool before the last one drawn is used up; no later pool is touched while an earlier has some left
    for l in led.lines[:-1]:
        assert l.after == 0


# -- the account -------------------------------------------------------------------------------------

def grace_rule(grace_h=24, release_d=7):
    def timeline(t):
        return [account.Milestone(t + timedelta(hours=grace_h), account.SUSPENDED, "suspended"),
                account.Milestone(t + timedelta(hours=grace_h, days=release_d), account.RELEASED, "released")]
    return account.ArrearsRule("test rule", timeline)


def bills(n, amount="1.00", start=T0):
    return [account.event(start + timedelta(hours=i), "bill", amount, f"h{i}") for i in range(n)]


def test_balance_goes_negative_grace_bills_are_charged_then_service_stops():
    run = account.run("2.50", bills(40), grace_rule(), until=T0 + timedelta(days=10))
    assert run.arrears == (T0 + timedelta(hours=2),)          # the third bill takes the balance to -0.50
    assert run.charged == Decimal(27)                          # hours 0..26: 3 before arrears + 24 in grace
    assert run.not_served == Decimal(13)
    assert run.state_at(T0 + timedelta(hours=26) - timedelta(seconds=1)) == account.ARREARS
    assert run.state_at(T0 + timedelta(hours=26)) == account.SUSPENDED
    assert run.state_at(T0 + timedelta(days=8, hours=2)) == account.RELEASED
    assert run.balance == Decimal("-24.50")


def test_a_topup_restores_only_once_the_debt_is_cleared():
    evs = bills(30)
    before, after = account.topup_effect("0", evs, grace_rule(), T0 + timedelta(days=2), "10", T0 + timedelta(days=3))
    assert before.balance == Decimal(-25)  # hours 0..24 charged: the bill settled at the suspension instant too
    assert before.state == account.SUSPENDED and after.state == account.SUSPENDED  # -25 + 10 is still a debt
    _, short = account.topup_effect("0", evs, grace_rule(), T0 + timedelta(days=2), "24.99", T0 + timedelta(days=3))
    assert short.state == account.SUSPENDED
    _, cleared = account.topup_effect("0", evs, grace_rule(), T0 + timedelta(days=2), "25", T0 + timedelta(days=3))
    assert cleared.state == account.ACTIVE and cleared.restored == (T0 + timedelta(days=2),)
    _, late = account.topup_effect("0", evs, grace_rule(), T0 + timedelta(days=9), "100", T0 + timedelta(days=10))
    assert late.state == account.RELEASED and late.balance == Decimal(75)  # credited, restores nothing


@MANY
@given(st.integers(0, 50), st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["bill", "topup", "refund"]),
                                              st.integers(1, 500)), max_size=30))
def test_the_account_conserves_money(opening, evs):
    es = [account.event(T0 + timedelta(hours=h), k, Decimal(a) / 100) for h, k, a in evs]
    r = account.run(str(opening), es, grace_rule(), until=T0 + timedelta(days=30))
    credits = sum((e.amount for e in es if e.kind != "bill"), ZERO)
    billed = sum((e.amount for e in es if e.kind == "bill"), ZERO)
    assert r.charged + r.not_served == billed
    assert r.balance == Decimal(opening) + credits - r.charged


# -- a share of competing usage (Record.cover, drawdown's limit) ---------------------------------
def test_a_record_covers_at_most_its_share_and_usage_is_conserved():
    pool = make_pool("p", "resource-pack", "egress_gb", "1", 0)
    led = drawdown("egress_gb", "1", T0, [pool], "hongkong", Decimal("0.25"))
    assert (led.covered, led.uncovered, led.pools_after[0].remaining) == (Decimal("0.25"), Decimal("0.75"), Decimal("0.75"))
    assert drawdown("egress_gb", "0.5", T0, [pool], "hongkong", Decimal("3")).uncovered == 0  # a share above the usage
    assert drawdown("egress_gb", "2", T0, [pool], "hongkong", None).uncovered == 1            # no share: the pool's all
    with pytest.raises(InputError) as e:
        drawdown("egress_gb", "1", T0, [pool], "hongkong", "-1")
    assert e.value.field == "limit"
    recs = [rating.Record(T0, "egress_gb", Decimal("1"), "hongkong", cover=Decimal("0.5")),
            rating.Record(T0, "egress_gb", Decimal("1"), "bangkok", cover=Decimal("0.5"))]
    r = rating.run(rating.Snapshot(T0, (pool,)), recs, T0 + timedelta(hours=1),
                   lambda rec, led, snap: rating.Rating(led.uncovered, "h", "egress", "GB"))
    assert [h.ledger.covered for h in r.history] == [Decimal("0.5"), Decimal("0.5")]
    assert r.snapshot.pools[0].remaining == 0
