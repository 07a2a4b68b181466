"""pricing.engine.drawdown: the order pools are drawn in, what each may cover, and the ledger."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pricing.engine.drawdown import ALL, Ledger, LedgerLine, Pool, Skip, drawdown, make_pool, order
from pricing.engine.errors import InputError
from pricing.engine.money import D
from pricing.engine.periods import Window, days_window

AT = datetime(2023, 2, 5, 10)


def w(start, days=30):
    return days_window(start, days)


# -- order: priority, then soonest expiry, then id ------------------------------------------------
def test_soonest_expiry_first_even_when_its_id_sorts_last():
    # the pack expiring first has the id that sorts last: expiry, not the id, decides
    late = make_pool("a-late", "resource-pack", "calls", "100", 1, w("2023-02-01"))    # ends 2023-03-03
    soon = make_pool("z-soon", "resource-pack", "calls", "100", 1, w("2023-01-20"))    # ends 2023-02-19
    assert [p.id for p in order([late, soon])] == ["z-soon", "a-late"]
    led = drawdown("calls", "150", AT, [late, soon])
    assert [(l.pool, l.covered) for l in led.lines] == [("z-soon", 100), ("a-late", 50)]


def test_a_pool_without_window_expires_last():
    forever = make_pool("a-forever", "plan-quota", "calls", "100", 1)
    dated = make_pool("z-dated", "resource-pack", "calls", "100", 1, w("2023-02-01"))
    assert [p.id for p in order([forever, dated])] == ["z-dated", "a-forever"]


def test_priority_before_expiry():
    pack = make_pool("pack", "resource-pack", "calls", "100", 1, w("2023-01-20"))
    free = make_pool("free", "free-quota", "calls", "100", 0, w("2023-02-01"))
    assert [p.id for p in order([pack, free])] == ["free", "pack"]


def test_same_priority_and_expiry_fall_back_to_the_id():
    b = make_pool("b", "resource-pack", "calls", "1", 1, w("2023-02-01"))
    a = make_pool("a", "resource-pack", "calls", "1", 1, w("2023-02-01"))
    assert [p.id for p in order([b, a])] == ["a", "b"]


def test_the_order_does_not_depend_on_the_order_given():
    pools = [make_pool(f"p{i}", "resource-pack", "calls", "10", i % 2, w(datetime(2023, 1, 10 + i))) for i in range(6)]
    want = [p.id for p in order(pools)]
    assert want == ["p0", "p2", "p4", "p1", "p3", "p5"]
    assert [p.id for p in order(list(reversed(pools)))] == want


# -- the ledger: covered, before and after per pool; uncovered; pools after -------------------------
def test_ledger_lines_carry_the_balance_before_and_after():
    free = make_pool("free", "free-quota", "calls", "100", 0)
    pack = make_pool("pack", "resource-pack", "calls", "500", 1, w("2023-02-01"))
    led = drawdown("calls", "250", AT, [pack, free], "guangzhou")
    assert led.lines == (LedgerLine("free", "free-quota", D(100), D(100), D(0)),
                         LedgerLine("pack", "resource-pack", D(150), D(500), D(350)))
    assert (led.metric, led.usage, led.at, led.region) == ("calls", D(250), AT, "guangzhou")
    assert led.uncovered == 0 and led.covered == 250
    assert led.skipped == ()
    after = {p.id: p for p in led.pools_after}
    assert after["free"].remaining == 0 and after["pack"].remaining == 350
    assert after["pack"] == Pool("pack", "resource-pack", frozenset({"calls"}), D(350), 1, w("2023-02-01"), ALL, "")


def test_usage_beyond_every_pool_is_left_to_pay():
    pack = make_pool("pack", "resource-pack", "calls", "30", 1)
    led = drawdown("calls", "100", AT, [pack])
    assert led.lines == (LedgerLine("pack", "resource-pack", D(30), D(30), D(0)),)
    assert led.uncovered == 70 and led.covered == 30


def test_covered_by_sums_one_pools_lines_and_is_zero_for_others():
    pack = make_pool("pack", "resource-pack", "calls", "30", 1)
    led = drawdown("calls", "10", AT, [pack])
    assert led.covered_by("pack") == 10
    assert led.covered_by("other") == 0
    empty = drawdown("calls", "0", AT, [])
    assert empty.covered == 0 and empty.covered_by("pack") == 0 and empty.uncovered == 0
    assert isinstance(empty.covered_by("pack"), Decimal) and isinstance(empty.covered, Decimal)


def test_pools_not_needed_are_kept_unchanged_and_not_skipped():
    a = make_pool("a", "resource-pack", "calls", "100", 1)
    b = make_pool("b", "resource-pack", "calls", "100", 2)
    led = drawdown("calls", "100", AT, [a, b])
    assert [l.pool for l in led.lines] == ["a"]
    assert led.skipped == ()
    assert led.pools_after[1] is b


# -- what a pool may cover -------------------------------------------------------------------------
def test_a_pack_covers_its_own_regions_only():
    gz = make_pool("gz", "resource-pack", "calls", "100", 1, regions=["guangzhou", "shanghai"])
    led = drawdown("calls", "10", AT, [gz], "guangzhou")
    assert [(l.pool, l.covered) for l in led.lines] == [("gz", 10)]
    led = drawdown("calls", "10", AT, [gz], "hongkong")
    assert led.lines == () and led.uncovered == 10
    assert led.skipped == (Skip("gz", "not valid in region hongkong"),)
    led = drawdown("calls", "10", AT, [gz])  # no region given: a scoped pack cannot cover it
    assert led.skipped == (Skip("gz", "not valid in region None"),)


def test_an_unscoped_pool_covers_every_region():
    anywhere = make_pool("any", "resource-pack", "calls", "100", 1)
    assert anywhere.regions is ALL
    for region in ("guangzhou", "hongkong", None):
        assert drawdown("calls", "1", AT, [anywhere], region).covered == 1


def test_a_pool_covers_its_own_metrics_only():
    both = make_pool("both", "free-quota", ["egress_gb", "calls"], "5", 0)
    led = drawdown("storage_gb", "1", AT, [both])
    assert led.skipped == (Skip("both", "covers calls, egress_gb only"),)
    assert drawdown("egress_gb", "1", AT, [both]).covered == 1


def test_a_pool_counts_inside_its_window_only():
    pack = make_pool("pack", "resource-pack", "calls", "100", 1, Window(datetime(2023, 2, 1, 8), datetime(2023, 3, 3, 8)))
    reason = "outside its validity window 2023-02-01 08:00:00 to 2023-03-03 08:00:00"
    assert drawdown("calls", "1", datetime(2023, 2, 1, 7, 59, 59), [pack]).skipped == (Skip("pack", reason),)
    assert drawdown("calls", "1", datetime(2023, 2, 1, 8), [pack]).covered == 1
    assert drawdown("calls", "1", datetime(2023, 3, 3, 7, 59, 59), [pack]).covered == 1
    assert drawdown("calls", "1", datetime(2023, 3, 3, 8), [pack]).skipped == (Skip("pack", reason),)


def test_a_used_up_pool_is_skipped_as_used_up():
    empty = make_pool("empty", "resource-pack", "calls", "0", 1)
    led = drawdown("calls", "5", AT, [empty])
    assert led.skipped == (Skip("empty", "used up"),)
    assert empty.applies("calls", AT, None) == (False, "used up")


def test_a_pool_with_one_unit_left_still_applies():
    one = make_pool("one", "resource-pack", "calls", "1", 1)
    assert one.applies("calls", AT, None) == (True, "")
    assert drawdown("calls", "5", AT, [one]).covered == 1
    frac = make_pool("frac", "resource-pack", "calls", "0.5", 1)
    assert frac.applies("calls", AT, "x") == (True, "")


def test_the_first_failing_condition_is_the_reason():
    pack = make_pool("p", "resource-pack", "calls", "0", 1, w("2023-03-01"), regions=["guangzhou"])
    assert pack.applies("egress_gb", AT, "hongkong") == (False, "covers calls only")
    assert pack.applies("calls", AT, "hongkong")[1].startswith("outside its validity window")
    assert pack.applies("calls", datetime(2023, 3, 2), "hongkong") == (False, "not valid in region hongkong")
    assert pack.applies("calls", datetime(2023, 3, 2), "guangzhou") == (False, "used up")


# -- make_pool ------------------------------------------------------------------------------------
def test_make_pool_defaults_and_fields():
    p = make_pool("p1", "resource-pack", "calls", "500")
    assert p == Pool("p1", "resource-pack", frozenset({"calls"}), D(500), 1, None, None, "")
    q = make_pool("p2", "free-quota", ("a", "b"), 3, 0, w("2023-01-01"), {"gz"}, "catalog id")
    assert (q.kind, q.metrics, q.remaining, q.priority, q.regions, q.source) == \
        ("free-quota", frozenset({"a", "b"}), D(3), 0, frozenset({"gz"}), "catalog id")


def test_make_pool_refuses_no_metric_and_bad_amounts_by_pool():
    with pytest.raises(InputError) as e:
        make_pool("p1", "resource-pack", [], "5")
    assert (e.value.field, e.value.got, e.value.allowed) == ("pool p1.metrics", [], "at least one metric")
    with pytest.raises(InputError) as e:
        make_pool("p1", "resource-pack", "calls", "-5")
    assert (e.value.field, e.value.got, e.value.allowed) == ("pool p1.amount", "-5", "a number >= 0")


# -- drawdown's inputs ------------------------------------------------------------------------------
@pytest.mark.parametrize("metric", ["", None, 5])
def test_the_metric_must_be_a_name(metric):
    with pytest.raises(InputError) as e:
        drawdown(metric, "1", AT, [])
    assert (e.value.field, e.value.got, e.value.allowed) == ("metric", metric, "a metric name such as 'calls' or 'egress_gb'")


def test_usage_and_moment_are_checked_by_name():
    with pytest.raises(InputError) as e:
        drawdown("calls", "-5", AT, [])
    assert (e.value.field, e.value.got) == ("usage", "-5")
    with pytest.raises(InputError) as e:
        drawdown("calls", "5", "yesterday", [])
    assert (e.value.field, e.value.got) == ("at", "yesterday")


def test_the_moment_may_be_text():
    pack = make_pool("pack", "resource-pack", "calls", "10", 1, w("2023-02-01"))
    led = drawdown("calls", "1", "2023-02-05T10:00:00", [pack])
    assert led.at == AT and led.covered == 1


def test_a_pool_runs_out_at_its_last_unit():
    pack = make_pool("pack", "resource-pack", "calls", "10", 1)
    first = drawdown("calls", "9", AT, [pack])
    second = drawdown("calls", "2", AT + timedelta(hours=1), first.pools_after)
    assert second.lines == (LedgerLine("pack", "resource-pack", D(1), D(1), D(0)),)
    assert second.uncovered == 1
