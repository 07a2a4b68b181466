"""pricing.engine.drawdown: held pools (a ceiling at each instant, never used up) beside pools
that are used up, and a pool used up exactly."""
from datetime import datetime, timedelta

from pricing.engine.drawdown import LedgerLine, Skip, drawdown, make_pool
from pricing.engine.money import D

AT = datetime(2023, 2, 5, 10)


def test_make_pool_is_not_held_unless_asked():
    assert make_pool("p", "resource-pack", "calls", "5").held is False
    assert make_pool("cap", "capacity-quota", "storage_gb", "5", 0, held=True).held is True


def test_a_held_pool_covers_up_to_its_amount_and_is_left_whole():
    cap = make_pool("cap", "capacity-quota", "storage_gb", "5", 0, held=True)
    led = drawdown("storage_gb", "3", AT, [cap])
    assert led.lines == (LedgerLine("cap", "capacity-quota", D(3), D(5), D(5)),)
    assert led.uncovered == 0 and led.pools_after == (cap,) and led.pools_after[0] is cap
    led = drawdown("storage_gb", "8", AT, led.pools_after)
    assert led.lines == (LedgerLine("cap", "capacity-quota", D(5), D(5), D(5)),)
    assert led.uncovered == 3 and led.pools_after[0].remaining == 5


def test_a_held_pool_at_exactly_its_amount():
    cap = make_pool("cap", "capacity-quota", "storage_gb", "5", 0, held=True)
    led = drawdown("storage_gb", "5", AT, [cap])
    assert (led.covered, led.uncovered, led.pools_after[0].remaining) == (5, 0, 5)
    again = drawdown("storage_gb", "5", AT + timedelta(hours=1), led.pools_after)
    assert again.covered == 5 and again.skipped == ()


def test_a_held_pool_of_nothing_is_skipped_as_used_up():
    cap = make_pool("cap", "capacity-quota", "storage_gb", "0", 0, held=True)
    led = drawdown("storage_gb", "1", AT, [cap])
    assert led.skipped == (Skip("cap", "used up"),) and led.uncovered == 1


def test_a_held_quota_then_a_pack_that_is_used_up():
    cap = make_pool("cap", "capacity-quota", "storage_gb", "5", 0, held=True)
    pack = make_pool("pack", "capacity-pack", "storage_gb", "4", 1)
    led = drawdown("storage_gb", "7", AT, [pack, cap])
    assert led.lines == (LedgerLine("cap", "capacity-quota", D(5), D(5), D(5)),
                         LedgerLine("pack", "capacity-pack", D(2), D(4), D(2)))
    after = {p.id: p.remaining for p in led.pools_after}
    assert after == {"cap": 5, "pack": 2}
    led = drawdown("storage_gb", "7", AT, led.pools_after)
    assert [(l.pool, l.covered, l.after) for l in led.lines] == [("cap", 5, 5), ("pack", 2, 0)]
    assert led.uncovered == 0


def test_a_pool_used_up_exactly_is_skipped_by_the_next_record():
    pack = make_pool("pack", "resource-pack", "calls", "10", 1)
    led = drawdown("calls", "10", AT, [pack])
    assert led.lines == (LedgerLine("pack", "resource-pack", D(10), D(10), D(0)),) and led.uncovered == 0
    nxt = drawdown("calls", "1", AT, led.pools_after)
    assert nxt.skipped == (Skip("pack", "used up"),) and nxt.uncovered == 1 and nxt.lines == ()
