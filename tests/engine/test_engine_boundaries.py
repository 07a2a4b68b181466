"""Boundaries, one test id each (Lago's and Kill Bill's proration suites give every edge its own case).

- every tier break of every shipped tier table, read from the catalog (at, one below, one above);
- every window edge (the opening and closing instants and one second either side) of days_window,
  Window.contains, anniversary periods and a pack's validity in a drawdown;
- month-end anchors (31 January, 29 February, 30 April) under both month-end policies;
- every rounding at an exact half (each named policy, round_at, fmt);
- every deduction order where a pool is exactly used up.
"""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.engine.drawdown import drawdown, make_pool
from pricing.engine.money import BILLED, ROUNDINGS, TENTH, TRUNCATE_FEN, UNROUNDED, WHOLE_DAYS_DOWN, D, fmt, round_at, yuan
from pricing.engine.periods import Window, add_months, anniversary_periods, days_window

SECOND = timedelta(seconds=1)


# -- tier breaks, from the shipped catalog -------------------------------------------------------------
def _shipped_breaks():
    cat = catalog.load()
    out = []
    for id in cat.all_ids():
        for v in cat.versions(id):
            if v.kind != "tiers" or v.retired:
                continue
            for i, b in enumerate(v.value.breaks()):
                for name, q, tier in (("below", b - 1, i), ("at", b, i), ("above", b + 1, i + 1)):
                    out.append(pytest.param(v.value, q, tier, id=f"{id}@{v.effective_text}:break{i + 1}={b}:{name}"))
    return out


BREAKS = _shipped_breaks()


def test_the_shipped_catalog_has_tier_breaks_to_check():
    assert len(BREAKS) >= 6   # the shared-instance call tiers: two breaks, three positions each


@pytest.mark.parametrize("sched, q, tier", BREAKS)
def test_tier_break(sched, q, tier):
    price = sched.tiers[tier].price
    # the q-th unit alone is priced in the tier that holds position q
    last = sched.rate(1, already=q - 1)
    assert [(s.tier, s.start, s.end, s.price) for s in last.slices] == [(tier, q - 1, q, price)]
    # and the bill for q units is the bill for q - 1 plus that one unit
    assert sched.rate(q).amount == sched.rate(q - 1).amount + price / sched.unit
    # the slices of q units end at q, in that tier, and cover every unit once
    c = sched.rate(q)
    assert c.slices[-1].tier == tier and c.slices[-1].end == q
    assert sum(s.quantity for s in c.slices) == q


# -- window edges --------------------------------------------------------------------------------------
EDGES = [("opening-1s", -1, 0, False), ("opening", 0, 0, True), ("opening+1s", 1, 0, True),
         ("closing-1s", -1, 1, True), ("closing", 0, 1, False), ("closing+1s", 1, 1, False)]


@pytest.mark.parametrize("offset, edge, inside", [pytest.param(o, e, i, id=n) for n, o, e, i in EDGES])
def test_days_window_edge(offset, edge, inside):
    win = days_window("2023-02-01T08:00:00", 30)
    at = (win.start, win.end)[edge] + offset * SECOND
    assert win.contains(at) is inside
    assert (win.start, win.end) == (datetime(2023, 2, 1, 8), datetime(2023, 3, 3, 8))


@pytest.mark.parametrize("offset, edge, inside", [pytest.param(o, e, i, id=n) for n, o, e, i in EDGES])
def test_window_contains_edge(offset, edge, inside):
    win = Window(datetime(2022, 12, 31, 23, 59, 59), datetime(2023, 1, 1, 0, 0, 1))   # two seconds across a year end
    at = (win.start, win.end)[edge] + offset * SECOND
    assert win.contains(at) is inside


@pytest.mark.parametrize("offset, edge, inside", [pytest.param(o, e, i, id=n) for n, o, e, i in EDGES])
def test_pack_validity_edge_in_a_drawdown(offset, edge, inside):
    pack = make_pool("pack", "resource-pack", "calls", "10", 1, days_window("2023-02-01T08:00:00", 30))
    at = (pack.window.start, pack.window.end)[edge] + offset * SECOND
    led = drawdown("calls", "4", at, [pack])
    assert (led.covered, led.uncovered) == ((4, 0) if inside else (0, 4))


ANNIVERSARY = {  # anchor 31 January 10:00, three months, under each month-end policy
    "clamp": [datetime(2023, 1, 31, 10), datetime(2023, 2, 28, 10), datetime(2023, 3, 31, 10), datetime(2023, 4, 30, 10)],
    "roll-forward": [datetime(2023, 1, 31, 10), datetime(2023, 3, 1, 10), datetime(2023, 3, 31, 10), datetime(2023, 5, 1, 10)],
}


def _anniversary_edges():
    out = []
    for policy, cuts in ANNIVERSARY.items():
        for k, cut in enumerate(cuts):
            for name, offset in (("-1s", -1), ("", 0), ("+1s", 1)):
                at = cut + offset * SECOND
                # the period holding `at`: the one opening at this cut, or the one before for the second before
                want = k if offset >= 0 else k - 1
                want = want if 0 <= want < 3 else None
                out.append(pytest.param(policy, at, want, id=f"{policy}:cut{k}{name}"))
    return out


@pytest.mark.parametrize("policy, at, want", _anniversary_edges())
def test_anniversary_period_edge(policy, at, want):
    periods = anniversary_periods("2023-01-31T10:00:00", 3, policy)
    assert [(p.start, p.end) for p in periods] == list(zip(ANNIVERSARY[policy], ANNIVERSARY[policy][1:]))
    holding = [k for k, p in enumerate(periods) if p.contains(at)]
    assert holding == ([] if want is None else [want])


# -- month-end anchors ---------------------------------------------------------------------------------
MONTH_ENDS = [
    # anchor, months, clamp, roll-forward
    ("2023-01-31", 1, "2023-02-28", "2023-03-01"),
    ("2024-01-31", 1, "2024-02-29", "2024-03-01"),
    ("2023-01-31", 2, "2023-03-31", "2023-03-31"),
    ("2023-01-31", 3, "2023-04-30", "2023-05-01"),
    ("2023-01-31", 13, "2024-02-29", "2024-03-01"),
    ("2023-01-30", 1, "2023-02-28", "2023-03-01"),
    ("2024-01-29", 1, "2024-02-29", "2024-02-29"),
    ("2024-02-29", 1, "2024-03-29", "2024-03-29"),
    ("2024-02-29", 12, "2025-02-28", "2025-03-01"),
    ("2024-02-29", 48, "2028-02-29", "2028-02-29"),
    ("2024-02-29", -12, "2023-02-28", "2023-03-01"),
    ("2023-04-30", 1, "2023-05-30", "2023-05-30"),
    ("2023-04-30", 10, "2024-02-29", "2024-03-01"),
    ("2023-03-31", 1, "2023-04-30", "2023-05-01"),
    ("2023-12-31", 2, "2024-02-29", "2024-03-01"),
]


@pytest.mark.parametrize("anchor, n, clamp, roll", [pytest.param(*c, id=f"{c[0]}+{c[1]}mo") for c in MONTH_ENDS])
@pytest.mark.parametrize("policy", ["clamp", "roll-forward"])
def test_month_end_anchor(anchor, n, clamp, roll, policy):
    want = datetime.fromisoformat(clamp if policy == "clamp" else roll)
    assert add_months(anchor, n, policy) == want
    assert add_months(anchor + "T23:59:59", n, policy) == want.replace(hour=23, minute=59, second=59)


# -- rounding at an exact half -------------------------------------------------------------------------
HALVES = [
    # policy, amount at an exact half of its quantum, result
    (BILLED, "0.005", "0.01"), (BILLED, "14.255", "14.26"), (BILLED, "-0.005", "-0.01"),
    (TENTH, "14.25", "14.3"), (TENTH, "0.05", "0.1"),
    (WHOLE_DAYS_DOWN, "2.5", "2"), (WHOLE_DAYS_DOWN, "0.5", "0"),
    (TRUNCATE_FEN, "0.005", "0.00"), (TRUNCATE_FEN, "14.255", "14.25"),
    # UNROUNDED keeps 28 places and breaks a tie at the 28th to the even digit
    (UNROUNDED, "0.00000000000000000000000000005", "0E-28"), (UNROUNDED, "0.00000000000000000000000000015", "2E-28"),
]


@pytest.mark.parametrize("policy, amount, want", [pytest.param(*h, id=f"{h[0].name}:{h[1]}") for h in HALVES])
def test_rounding_policy_half(policy, amount, want):
    assert str(policy(Decimal(amount))) == want   # a computed amount: it may carry more places than an input


def test_every_rounding_policy_has_a_half_case():
    assert {h[0].name for h in HALVES} == set(ROUNDINGS)


@pytest.mark.parametrize("amount, places, want", [
    pytest.param("14.25", "0.1", "14.3", id="14.25@0.1"), pytest.param("0.005", "0.01", "0.01", id="0.005@0.01"),
    pytest.param("2.5", "1", "3", id="2.5@1"), pytest.param("0.5", "1", "1", id="0.5@1"),
    pytest.param("-2.5", "1", "-3", id="-2.5@1"), pytest.param("45.255", "0.01", "45.26", id="45.255@0.01"),
])
def test_round_at_half(amount, places, want):
    assert str(round_at(D(amount), places)) == want


@pytest.mark.parametrize("amount, places, want", [
    pytest.param("14.25", 1, "14.3", id="fmt-14.25"), pytest.param("0.005", 2, "0.01", id="fmt-0.005"),
    pytest.param("2.5", 0, "3", id="fmt-2.5"),
])
def test_fmt_half(amount, places, want):
    assert fmt(D(amount), places) == want


def test_yuan_half():
    assert yuan(D("0.005")) == "0.01" and yuan(D("45.255")) == "45.26"


# -- a pool exactly used up ------------------------------------------------------------------------------
def _two_pools():
    free = make_pool("free", "free-quota", "calls", "100", 0)
    pack = make_pool("pack", "resource-pack", "calls", "50", 1, days_window("2023-02-01", 30))
    return [pack, free]


@pytest.mark.parametrize("usage, lines, uncovered, left", [
    pytest.param("99", [("free", 99, 100, 1)], 0, {"free": 1, "pack": 50}, id="one-below-the-first-pool"),
    pytest.param("100", [("free", 100, 100, 0)], 0, {"free": 0, "pack": 50}, id="equal-to-the-first-pool"),
    pytest.param("101", [("free", 100, 100, 0), ("pack", 1, 50, 49)], 0, {"free": 0, "pack": 49},
                 id="one-above-the-first-pool"),
    pytest.param("149", [("free", 100, 100, 0), ("pack", 49, 50, 1)], 0, {"free": 0, "pack": 1},
                 id="one-below-both-pools"),
    pytest.param("150", [("free", 100, 100, 0), ("pack", 50, 50, 0)], 0, {"free": 0, "pack": 0},
                 id="equal-to-both-pools"),
    pytest.param("151", [("free", 100, 100, 0), ("pack", 50, 50, 0)], 1, {"free": 0, "pack": 0},
                 id="one-above-both-pools"),
])
def test_pool_exhaustion(usage, lines, uncovered, left):
    led = drawdown("calls", usage, datetime(2023, 2, 10), _two_pools())
    assert [(l.pool, l.covered, l.before, l.after) for l in led.lines] == lines
    assert led.uncovered == uncovered
    assert {p.id: p.remaining for p in led.pools_after} == left
    assert led.covered + led.uncovered == D(usage)


@pytest.mark.parametrize("usage, soon, late, uncovered", [
    pytest.param("30", 30, 0, 0, id="equal-to-the-sooner-pack"),
    pytest.param("31", 30, 1, 0, id="one-above-the-sooner-pack"),
    pytest.param("50", 30, 20, 0, id="equal-to-both-packs"),
    pytest.param("51", 30, 20, 1, id="one-above-both-packs"),
])
def test_pack_exhaustion_soonest_expiry_first(usage, soon, late, uncovered):
    # same priority: the pack that expires first is drawn first, although its id sorts last
    soon_pack = make_pool("z-soon", "resource-pack", "calls", "30", 1, days_window("2023-01-20", 30))
    late_pack = make_pool("a-late", "resource-pack", "calls", "20", 1, days_window("2023-02-01", 30))
    led = drawdown("calls", usage, datetime(2023, 2, 10), [late_pack, soon_pack])
    assert (led.covered_by("z-soon"), led.covered_by("a-late"), led.uncovered) == (soon, late, uncovered)
    assert [l.pool for l in led.lines] == ["z-soon", "a-late"][: 1 + (late > 0)]
