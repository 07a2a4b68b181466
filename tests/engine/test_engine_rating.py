"""pricing.engine.rating: records, snapshots and run(snapshot, records, until) -> (snapshot, history).

A toy rater prices what no pool covered at 0.0123 a unit and moves the month's position of its
metric; no catalog is read, so each figure here is worked by hand.
"""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from pricing.engine import rating
from pricing.engine.drawdown import Ledger, make_pool
from pricing.engine.errors import InputError
from pricing.engine.periods import Window
from pricing.engine.rating import Rated, Rating, Record, Run, Snapshot, record, run
from pricing.engine.statement import Line

T0 = datetime(2023, 3, 1)
H = timedelta(hours=1)
PRICE = Decimal("0.0123")


def parts(e):
    return e.value.field, e.value.got, e.value.allowed


def month_key(r: Record):
    return (r.metric, r.at.strftime("%Y-%m"))


def rater(r: Record, led: Ledger, snap: Snapshot) -> Rating:
    """0.0123 a unit of what no pool covered; the month's position of the metric moves by it."""
    return Rating(led.uncovered * PRICE, r.at.strftime("%Y-%m-%d %H:00"), r.metric, "units",
                  (f"{led.uncovered} × {PRICE}",), month_key(r), led.uncovered, note=r.source)


def seen(log):
    """A rater that logs what it is given: the record, the ledger, and the snapshot it sees."""
    def rate(r, led, snap):
        log.append((r, led, snap))
        return rater(r, led, snap)
    return rate


# -- record(): user input to a record; errors name the field ------------------------------------
def test_record_parses_its_instant_and_quantity():
    r = record("2023-03-01T10:00:00+00:00", "calls", "1_000", "guangzhou", ["websocket"], "export.csv")
    assert r == Record(datetime(2023, 3, 1, 18), "calls", Decimal(1000), "guangzhou", frozenset({"websocket"}),
                       "export.csv")
    assert record(T0, "calls", 5) == Record(T0, "calls", Decimal(5), None, frozenset(), "")


@pytest.mark.parametrize("metric", ["", None, 7])
def test_record_refuses_a_metric_that_is_not_a_name(metric):
    with pytest.raises(InputError) as e:
        record(T0, metric, "1")
    assert parts(e) == ("metric", metric, "a metric name such as 'calls' or 'egress_gb'")


def test_record_errors_name_the_instant_and_the_quantity():
    with pytest.raises(InputError) as e:
        record("yesterday", "calls", "1")
    assert e.value.field == "at" and e.value.got == "yesterday"
    with pytest.raises(InputError) as e:
        record(T0, "calls", "-1")
    assert parts(e) == ("quantity", "-1", "a number >= 0")
    with pytest.raises(InputError) as e:
        record(T0, "calls", "lots")
    assert e.value.field == "quantity"
    with pytest.raises(TypeError):
        record(T0, "calls", 1.5)


# -- the order records are rated in ----------------------------------------------------------------
@pytest.mark.parametrize("first, second", [
    (Record(T0 + H, "a", Decimal(1)), Record(T0, "b", Decimal(1))),                           # the instant
    (Record(T0, "b", Decimal(1), "a", source="a"), Record(T0, "a", Decimal(2), "b", source="b")),  # the metric
    (Record(T0, "m", Decimal(2), "b", source="a"), Record(T0, "m", Decimal(1), "a", source="b")),  # the region
    (Record(T0, "m", Decimal(1), "A"), Record(T0, "m", Decimal(2), None)),                    # no region sorts first
    (Record(T0, "m", Decimal(1), None, source="b"), Record(T0, "m", Decimal(2), None, source="a")),  # the source
    (Record(T0, "m", Decimal(2), "r", source="s"), Record(T0, "m", Decimal(1), "r", source="s")),  # the quantity
])
def test_records_are_rated_by_instant_metric_region_source_then_quantity(first, second):
    # given in the wrong order; the run rates `second` first
    r = run(Snapshot(T0), [first, second], T0 + 2 * H, rater)
    assert [h.record for h in r.history] == [second, first]
    assert sorted([first, second], key=Record.key) == [second, first]


def test_record_key():
    assert Record(T0, "calls", Decimal(3), None, source="x").key() == (T0, "calls", "", "x", Decimal(3))
    assert Record(T0, "calls", Decimal(3), "gz").key() == (T0, "calls", "gz", "", Decimal(3))


def test_pools_are_drawn_in_time_order_whatever_order_the_records_come_in():
    pack = make_pool("pack", "resource-pack", "calls", "100", 1)
    late, early = record(T0 + H, "calls", "80"), record(T0, "calls", "70")
    r = run(Snapshot(T0, (pack,)), [late, early], T0 + 2 * H, rater)
    assert [(h.record, h.ledger.covered, h.ledger.uncovered) for h in r.history] == \
        [(early, 70, 0), (late, 30, 50)]


# -- Snapshot: positions and pools ------------------------------------------------------------------
def test_position_is_zero_until_moved_then_the_sum_of_the_moves():
    s = Snapshot(T0)
    assert s.position("calls") == 0 and s.positions == ()
    s = s.moved("calls", Decimal(5)).moved("other", Decimal(1)).moved("calls", Decimal(7))
    assert s.position("calls") == 12 and s.position("other") == 1 and s.position("none") == 0
    assert s.positions == (("calls", Decimal(12)), ("other", Decimal(1)))


def test_positions_are_kept_sorted_so_equal_states_compare_equal():
    a = Snapshot(T0).moved("b", Decimal(1)).moved("a", Decimal(2))
    b = Snapshot(T0).moved("a", Decimal(2)).moved("b", Decimal(1))
    assert a.positions == b.positions == (("a", Decimal(2)), ("b", Decimal(1)))
    assert a == b
    k = (("calls", "2023-03"), Decimal(1)), (("calls", "2023-02"), Decimal(4))
    s = Snapshot(T0).moved(*k[0]).moved(*k[1])
    assert s.positions == (k[1], k[0])   # tuples sort by their repr: February before March


def test_moved_leaves_the_snapshot_it_came_from_alone():
    s = Snapshot(T0, (), (("calls", Decimal(3)),))
    t = s.moved("calls", Decimal(2))
    assert s.position("calls") == 3 and t.position("calls") == 5
    assert t.at == T0


def test_pool_by_id():
    a = make_pool("a", "free-quota", "calls", "10", 0)
    b = make_pool("b", "resource-pack", "calls", "20", 1)
    s = Snapshot(T0, (a, b))
    assert s.pool("a") is a and s.pool("b") is b
    with pytest.raises(InputError) as e:
        s.pool("c")
    assert parts(e) == ("pool", "c", "a, b")
    with pytest.raises(InputError) as e:
        Snapshot(T0).pool("a")
    assert parts(e) == ("pool", "a", "(no pools)")


# -- run(): the span, the snapshot after, the history ---------------------------------------------
def test_run_rates_records_through_pools_then_the_rater():
    free = make_pool("free", "free-quota", "calls", "100", 0)
    pack = make_pool("pack", "resource-pack", "calls", "150", 1, Window(T0, T0 + 2 * H))
    recs = [record(T0, "calls", "120"), record(T0 + H, "calls", "200"), record(T0 + 2 * H, "calls", "10")]
    log = []
    r = run(Snapshot(T0, (free, pack)), recs, T0 + 3 * H, seen(log))
    assert isinstance(r, Run) and r.snapshot.at == T0 + 3 * H
    # 120: free 100 + pack 20; 200: pack 130, 70 to pay; 10 at 02:00: the pack has lapsed, all to pay
    assert [(h.ledger.covered_by("free"), h.ledger.covered_by("pack"), h.ledger.uncovered) for h in r.history] == \
        [(100, 20, 0), (0, 130, 70), (0, 0, 10)]
    assert [h.rating.exact for h in r.history] == [0, Decimal("0.8610"), Decimal("0.1230")]
    assert [h.position_before for h in r.history] == [0, 0, 70]
    assert r.snapshot.position(("calls", "2023-03")) == 80
    assert r.snapshot.pool("free").remaining == 0 and r.snapshot.pool("pack").remaining == 0
    assert r.covered() == {"free": Decimal(100), "pack": Decimal(150)}
    # the rater sees the record, its ledger, and the pools after the record's drawdown
    assert [x[0] for x in log] == recs
    assert [x[1] for x in log] == [h.ledger for h in r.history]
    assert [x[2].pool("pack").remaining for x in log] == [130, 0, 0]
    assert [x[2].position(("calls", "2023-03")) for x in log] == [0, 0, 70]   # before the record's own move
    assert r.history[0] == Rated(recs[0], r.history[0].ledger, r.history[0].rating, Decimal(0))


def test_the_drawdown_sees_each_records_instant_and_region():
    gz = make_pool("gz", "resource-pack", "egress_gb", "5", 1, Window(T0 + H, T0 + 2 * H), regions=["guangzhou"])
    recs = [record(T0, "egress_gb", "1", "guangzhou"), record(T0 + H, "egress_gb", "2", "guangzhou"),
            record(T0 + H, "egress_gb", "4", "hongkong"), record(T0 + H, "calls", "3", "guangzhou")]
    r = run(Snapshot(T0, (gz,)), recs, T0 + 2 * H, rater)
    got = {(h.record.at, h.record.metric, h.record.region): h.ledger.covered for h in r.history}
    assert got == {(T0, "egress_gb", "guangzhou"): 0,          # before the window opens
                   (T0 + H, "egress_gb", "guangzhou"): 2,
                   (T0 + H, "egress_gb", "hongkong"): 0,      # not its region
                   (T0 + H, "calls", "guangzhou"): 0}         # not its metric
    assert r.snapshot.pool("gz").remaining == 3


def test_a_record_at_the_snapshot_instant_and_one_a_second_before_until_are_in_the_run():
    end = T0 + H
    recs = [record(T0, "calls", "1"), record(end - timedelta(seconds=1), "calls", "2")]
    r = run(Snapshot(T0), recs, end, rater)
    assert [h.record for h in r.history] == recs


def test_a_record_at_until_belongs_to_the_next_run():
    end = T0 + H
    with pytest.raises(InputError) as e:
        run(Snapshot(T0), [record(T0, "calls", "1"), record(end, "calls", "1")], end, rater)
    assert parts(e) == ("record.at", "2023-03-01T01:00:00",
                        "a moment in [2023-03-01T00:00:00, 2023-03-01T01:00:00) — the span of this run")


def test_a_record_before_the_snapshot_was_rated_already():
    with pytest.raises(InputError) as e:
        run(Snapshot(T0), [record(T0 - timedelta(seconds=1), "calls", "1")], T0 + H, rater)
    assert parts(e) == ("record.at", "2023-02-28T23:59:59",
                        "a moment in [2023-03-01T00:00:00, 2023-03-01T01:00:00) — the span of this run")


def test_until_before_the_snapshot_is_refused_and_until_at_it_is_an_empty_run():
    with pytest.raises(InputError) as e:
        run(Snapshot(T0), [], T0 - timedelta(seconds=1), rater)
    assert parts(e) == ("until", "2023-02-28T23:59:59", "a moment at or after the snapshot (2023-03-01T00:00:00)")
    s = Snapshot(T0, (make_pool("p", "pack", "calls", "1", 1),), (("k", Decimal(1)),))
    r = run(s, [], "2023-03-01", rater)
    assert r.snapshot == s and r.history == () and r.lines() == [] and r.covered() == {}


def test_until_is_parsed_and_named():
    r = run(Snapshot(T0), [], "2023-02-28T16:00:00+00:00", rater)   # 00:00 in Beijing
    assert r.snapshot.at == T0
    with pytest.raises(InputError) as e:
        run(Snapshot(T0), [], "soon", rater)
    assert e.value.field == "until" and e.value.got == "soon"


def test_the_snapshot_after_carries_pools_positions_and_the_end():
    pack = make_pool("pack", "resource-pack", "calls", "10", 1)
    r = run(Snapshot(T0, (pack,), (("x", Decimal(9)),)), [record(T0, "calls", "25")], T0 + H, rater)
    assert r.snapshot == Snapshot(T0 + H, (make_pool("pack", "resource-pack", "calls", "0", 1),),
                                  (("x", Decimal(9)), (("calls", "2023-03"), Decimal(15))))


# -- what a rating moves --------------------------------------------------------------------------
def fixed(**kw):
    def rate(r, led, snap):
        return Rating(Decimal(1), "b", r.metric, **kw)
    return rate


def test_a_rating_without_a_position_key_moves_nothing():
    r = run(Snapshot(T0, (), (("k", Decimal(4)),)), [record(T0, "calls", "3")], T0 + H,
            fixed(position_key=None, position_add=Decimal(5)))
    assert r.snapshot.positions == (("k", Decimal(4)),)
    assert r.history[0].position_before == 0


def test_a_rating_without_a_position_key_reads_no_position_even_one_kept_under_none():
    # `also` may move any key, None included; a rating without a key still starts from zero
    r = run(Snapshot(T0), [record(T0, "calls", "1"), record(T0 + H, "calls", "1")], T0 + 2 * H,
            fixed(position_key=None, also=((None, Decimal(7)),)))
    assert r.snapshot.position(None) == 14
    assert [h.position_before for h in r.history] == [0, 0]


def test_a_rating_that_adds_zero_creates_no_position():
    r = run(Snapshot(T0), [record(T0, "calls", "3")], T0 + H, fixed(position_key="k", position_add=Decimal(0)))
    assert r.snapshot.positions == ()
    r = run(Snapshot(T0, (), (("k", Decimal(4)),)), [record(T0, "calls", "3")], T0 + H,
            fixed(position_key="k", position_add=Decimal(0)))
    assert r.snapshot.positions == (("k", Decimal(4)),) and r.history[0].position_before == 4


def test_further_positions_move_by_also_and_zero_moves_are_dropped():
    rate = fixed(position_key="calls", position_add=Decimal(2),
                 also=(("billed", Decimal(3)), ("free", Decimal(0)), ("billed", Decimal(1))))
    r = run(Snapshot(T0), [record(T0, "calls", "2"), record(T0 + H, "calls", "2")], T0 + 2 * H, rate)
    assert r.snapshot.positions == (("billed", Decimal(8)), ("calls", Decimal(4)))
    assert [h.position_before for h in r.history] == [0, 2]


def test_a_conversion_is_drawn_and_rated_at_the_same_instant_next():
    sms_pack = make_pool("sms", "resource-pack", "sms", "10", 1)
    call_pack = make_pool("calls", "resource-pack", "calls", "100", 1)

    def rate(r, led, snap):
        if r.metric == "sms":   # an SMS no pack covered becomes 30 calls each
            return Rating(Decimal(0), "h", "sms", convert=("calls", led.uncovered * 30))
        return rater(r, led, snap)
    sms = record(T0 + H, "sms", "14", "gz", ["bulk"], "log")
    later = record(T0 + 2 * H, "calls", "5")
    r = run(Snapshot(T0, (sms_pack, call_pack)), [later, sms], T0 + 3 * H, rate)
    assert [h.record for h in r.history] == [
        sms, Record(T0 + H, "calls", Decimal(120), "gz", frozenset({"bulk"}), "log→sms"), later]
    assert [h.ledger.uncovered for h in r.history] == [4, 20, 5]     # 4 SMS → 120 calls: 100 from the pack
    assert r.snapshot.position(("calls", "2023-03")) == 25
    assert r.covered() == {"sms": Decimal(10), "calls": Decimal(100)}


@pytest.mark.parametrize("qty, more", [(Decimal(0), 0), (Decimal(1), 1), (Decimal("0.5"), 1)])
def test_a_conversion_of_nothing_adds_no_record(qty, more):
    def rate(r, led, snap):
        return Rating(Decimal(0), "h", r.metric, convert=("calls", qty) if r.metric == "sms" else None)
    r = run(Snapshot(T0), [record(T0, "sms", "1")], T0 + H, rate)
    assert len(r.history) == 1 + more


def test_a_conversion_of_a_conversion():
    def rate(r, led, snap):
        nxt = {"a": "b", "b": "c"}.get(r.metric)
        return Rating(Decimal(0), "h", r.metric, convert=(nxt, r.quantity + 1) if nxt else None)
    r = run(Snapshot(T0), [record(T0, "a", "1", source="s")], T0 + H, rate)
    assert [(h.record.metric, h.record.quantity, h.record.source) for h in r.history] == \
        [("a", 1, "s"), ("b", 2, "s→a"), ("c", 3, "s→a→b")]


# -- lines and what each pool covered -------------------------------------------------------------
def test_lines_are_one_per_rated_record_with_what_no_pool_covered():
    pack = make_pool("pack", "resource-pack", "calls", "100", 1)
    recs = [record(T0, "calls", "60"), record(T0 + H, "calls", "41.123"), record(T0 + 2 * H, "calls", "1")]
    r = run(Snapshot(T0, (pack,)), recs, T0 + 3 * H, rater)
    ls = r.lines()
    assert ls[0] == Line("2023-03-01 00:00", "calls", T0, Decimal(0), "units", Decimal(0), Decimal("0E-8"),
                         ("0 × 0.0123",))
    # 1.123 calls to pay × 0.0123 = 0.0138129: at 8 decimals 0.01381290
    assert ls[1] == Line("2023-03-01 01:00", "calls", T0 + H, Decimal("1.123"), "units", Decimal("0.0138129"),
                         Decimal("0.01381290"), ("1.123 × 0.0123",))
    assert [l.quantity for l in ls] == [0, Decimal("1.123"), 1]
    assert str(ls[1].amount) == "0.01381290"


def test_lines_under_the_exact_reading_keep_every_digit():
    def rate(r, led, snap):
        return Rating(Decimal("0.123456789123"), "b", "x")
    r = run(Snapshot(T0), [record(T0, "calls", "1")], T0 + H, rate)
    assert r.lines()[0].amount == Decimal("0.12345679")
    assert r.lines("per-bill-fen")[0].amount == Decimal("0.12345679")
    assert r.lines("exact")[0].amount == Decimal("0.123456789123")


def test_covered_sums_each_pool_over_the_run():
    a = make_pool("a", "free-quota", "calls", "5", 0)
    b = make_pool("b", "resource-pack", "calls", "50", 1)
    r = run(Snapshot(T0, (a, b)), [record(T0, "calls", "3"), record(T0 + H, "calls", "4"),
                                   record(T0 + 2 * H, "calls", "10")], T0 + 3 * H, rater)
    assert r.covered() == {"a": Decimal(5), "b": Decimal(12)}


# -- held pools in a run: a ceiling at each instant, never used up --------------------------------
def test_a_held_pool_covers_each_record_up_to_its_amount_and_stays_whole():
    cap = make_pool("cap", "capacity-quota", "storage_gb", "5", 0, held=True)
    recs = [record(T0, "storage_gb", "3"), record(T0 + H, "storage_gb", "5"), record(T0 + 2 * H, "storage_gb", "7")]
    r = run(Snapshot(T0, (cap,)), recs, T0 + 3 * H, rater)
    assert [h.ledger.uncovered for h in r.history] == [0, 0, 2]
    assert r.snapshot.pool("cap").remaining == 5
    assert r.covered() == {"cap": Decimal(13)}


# -- split runs equal one run ----------------------------------------------------------------------
@settings(max_examples=40)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=6), st.integers(0, 6),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 400), st.integers(1, 6), st.booleans()), max_size=3))
def test_a_run_split_in_two_equals_the_run_whole(counts, cut, specs):
    pools = tuple(make_pool(f"p{i}", "pack", "calls", str(a), pr, Window(T0, T0 + h * H), held=held)
                  for i, (pr, a, h, held) in enumerate(specs))
    recs = [record(T0 + i * H, "calls", str(c)) for i, c in enumerate(counts)]
    end, mid = T0 + len(counts) * H, T0 + min(cut, len(counts)) * H
    whole = run(Snapshot(T0, pools), recs, end, rater)
    first = run(Snapshot(T0, pools), [r for r in recs if r.at < mid], mid, rater)
    second = run(first.snapshot, [r for r in recs if r.at >= mid], end, rater)
    assert first.snapshot.at == mid
    assert second.snapshot == whole.snapshot
    assert first.history + second.history == whole.history
    assert sum(h.ledger.covered + h.ledger.uncovered for h in whole.history) == sum(counts)


def test_module_exports():
    assert set(rating.__all__) == {"Rated", "Rater", "Rating", "Record", "Run", "Snapshot", "record", "run"}
