"""The pricing core: money, units, periods, tiers, drawdown."""
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from pricing.engine.drawdown import drawdown, make_pool
from pricing.engine.errors import InputError
from pricing.engine.money import BILLED, TENTH, WHOLE_DAYS_DOWN, D, fmt, nonneg, round_at, yuan
from pricing.engine.periods import (CALENDAR, INCLUSIVE, add_months, anniversary_periods, day_periods, days_window,
                             hourly_windows, seconds_between)
from pricing.engine.tiers import Tier, TierSchedule
from pricing.engine.units import convert_size, gb_seconds, parse_count


# -- money ---------------------------------------------------------------------------------
def test_D_builds_exact_decimals_from_strings_and_ints():
    assert D("0.06") * 3 == Decimal("0.18")
    assert D(5) == Decimal(5)
    assert D("1_234.50") == Decimal("1234.50")


@pytest.mark.parametrize("text", ["0,06", "1,234.50", "1,000", "6，5"])
def test_commas_are_refused_never_guessed(text):
    # '0,06' read as 6 (or '1,000' as 1) would be a wrong number with no error: refuse, name the field
    with pytest.raises(InputError) as e:
        D(text, "price")
    assert e.value.field == "price" and "comma" in e.value.allowed


@pytest.mark.parametrize("bad", [0.1, 1.0, float("nan")])
def test_float_on_the_money_path_is_a_type_error(bad):
    with pytest.raises(TypeError, match="float"):
        D(bad, "price")


def test_rounding_policies_are_half_up_at_named_points():
    assert BILLED(D("15.255")) == D("15.26")       # half-up, not banker's (15.26, not 15.26 by luck)
    assert BILLED(D("0.125")) == D("0.13")          # half-even would give 0.12
    assert BILLED(D("1420.273972")) == D("1420.27")
    assert TENTH(D("157.8082")) == D("157.8")
    assert WHOLE_DAYS_DOWN(D("1.875")) == 1         # 1 day 21 hours -> 1 day
    with pytest.raises(TypeError):
        BILLED(0.5)


def test_stable_formatting():
    assert yuan(D("45.256")) == "45.26"
    assert fmt(D("1E+2")) == "100"
    assert round_at(D("14.305"), "0.1") == D("14.3")


@pytest.mark.parametrize("bad, field", [("-1", "calls"), ("abc", "calls"), ("", "calls")])
def test_negative_or_non_numeric_quantities_name_the_field(bad, field):
    with pytest.raises(InputError, match=field):
        nonneg(bad, field)


# -- units -----------------------------------------------------------------------------------
def test_data_sizes_are_1024_based():
    assert convert_size("15000000", "KB", "GB") == D("14.30511474609375")
    assert convert_size("1", "TB", "GB") == 1024
    with pytest.raises(InputError, match="from_unit"):
        convert_size("1", "KiB", "GB")


def test_counts_in_wan_and_yi():
    assert parse_count("500万") == 5000000
    assert parse_count("1亿") == 100000000
    assert parse_count("1千万") == 10000000
    with pytest.raises(InputError, match="calls"):
        parse_count("five", "calls")


def test_gb_seconds_is_memory_times_seconds():
    assert gb_seconds("512", "100") == D("50")  # a workflow at 512 MB for 100 s


# -- periods ---------------------------------------------------------------------------------
def test_day_counts_are_named_conventions():
    assert CALENDAR.days("2022-12-15", "2023-02-01") == 48   # the upgrade example
    assert INCLUSIVE.days("2022-11-01", "2022-12-15") == 45  # the downgrade example's used days
    assert INCLUSIVE.days("2022-11-01", "2023-02-01") == 93
    with pytest.raises(InputError, match="end"):
        CALENDAR.days("2023-02-01", "2022-12-15")


def test_thirty_day_window_from_an_instant():
    w = days_window("2023-02-01T08:00:00", 30)
    assert w.end == datetime(2023, 3, 3, 8, 0)
    assert w.last_second == datetime(2023, 3, 3, 7, 59, 59)


def test_anniversary_months_count_from_the_anchor_and_clamp():
    assert add_months("2023-01-31", 1) == datetime(2023, 2, 28)
    assert add_months("2023-01-31", 2) == datetime(2023, 3, 31)   # from the anchor, not Feb 28 + 1 month
    assert add_months("2024-01-31", 1) == datetime(2024, 2, 29)
    assert add_months("2023-01-31", 1, "roll-forward") == datetime(2023, 3, 1)
    ps = anniversary_periods("2019-11-10", 12)
    assert ps[-1].end == datetime(2020, 11, 10)


def test_hourly_settlement_windows():
    ws = hourly_windows("2022-03-24T16:30:00", "2022-03-24T19:00:00")
    assert [w.start.hour for w in ws] == [16, 17, 18]
    assert seconds_between("2022-03-24T16:00:00", "2022-03-24T20:00:00") == 14400


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2095, 1, 1)), st.integers(0, 48))
def test_add_months_never_drifts(anchor, n):
    import calendar
    out = add_months(anchor, n)
    assert out.day == min(anchor.day, calendar.monthrange(out.year, out.month)[1])
    months = (out.year - anchor.year) * 12 + out.month - anchor.month
    assert months == n


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2095, 1, 1)), st.integers(1, 24))
def test_day_periods_are_contiguous(anchor, n):
    ps = day_periods(anchor, n)
    assert all(a.end == b.start for a, b in zip(ps, ps[1:]))
    assert (ps[-1].end - ps[0].start).days == 30 * n


# -- tiers -----------------------------------------------------------------------------------
CALL_TIERS = TierSchedule((Tier(D("10000000"), D("0.06")), Tier(D("100000000"), D("0.04")), Tier(None, D("0.03"))),
                          D(10000))


def test_graduated_tiers_show_their_slices():
    c = CALL_TIERS.rate("15000000")
    assert [(s.quantity, s.amount) for s in c.slices] == [(D(10000000), D(60)), (D(5000000), D(20))]
    assert c.amount == 80


def test_rating_one_hour_given_the_months_cumulative_count():
    c = CALL_TIERS.rate("2000000", already="9000000")
    assert [s.quantity for s in c.slices] == [D(1000000), D(1000000)]
    assert c.amount == D("6") + D("4")


@pytest.mark.parametrize("tiers, msg", [
    ((Tier(D(10), D(1)),), "exactly one tier without up_to"),
    ((Tier(None, D(1)), Tier(D(10), D(1))), "open-ended tier last"),
    ((Tier(D(10), D(1)), Tier(D(10), D(1)), Tier(None, D(1))), "sorted and unique"),
    ((Tier(D(10), D(-1)), Tier(None, D(1))), "price >= 0"),
])
def test_tier_validation(tiers, msg):
    with pytest.raises(InputError, match=msg):
        TierSchedule(tiers)


@given(st.integers(0, 3 * 10**8), st.integers(0, 3 * 10**8), st.integers(0, 3 * 10**8))
@settings(max_examples=200)
def test_tiers_are_additive_over_any_split(a, b, already):
    whole = CALL_TIERS.rate(a + b, already).amount
    parts = CALL_TIERS.rate(a, already).amount + CALL_TIERS.rate(b, already + a).amount
    assert whole == parts


# -- drawdown --------------------------------------------------------------------------------
def _pools():
    return [
        make_pool("pack-b", "resource-pack", "calls", "500", 1, days_window("2023-02-01", 30)),
        make_pool("free", "free-quota", ["calls", "egress_gb"], "100", 0, days_window("2023-02-01", 30)),
        make_pool("pack-a", "resource-pack", "calls", "300", 1, days_window("2023-01-20", 30)),
        make_pool("egress", "resource-pack", "egress_gb", "10", 1, days_window("2023-02-01", 30)),
        make_pool("gz-only", "resource-pack", "calls", "1000", 1, days_window("2023-02-01", 30), regions=["guangzhou"]),
    ]


def test_drawdown_order_free_first_then_soonest_expiry():
    led = drawdown("calls", "700", "2023-02-05T10:00:00", _pools(), "hongkong")
    assert [(l.pool, l.covered) for l in led.lines] == [("free", 100), ("pack-a", 300), ("pack-b", 300)]
    assert led.uncovered == 0
    assert {s.pool for s in led.skipped} == {"egress", "gz-only"}  # egress pack: calls not covered; region scope


def test_drawdown_respects_validity_windows():
    led = drawdown("calls", "700", "2023-02-25T10:00:00", _pools(), "hongkong")  # pack-a lapsed 2023-02-19
    assert [l.pool for l in led.lines] == ["free", "pack-b"]
    assert led.uncovered == 100


@given(st.integers(0, 5000), st.sampled_from(["calls", "egress_gb"]), st.sampled_from(["guangzhou", "hongkong"]),
       st.integers(0, 40))
def test_drawdown_conserves_usage(q, metric, region, day):
    from datetime import timedelta
    at = datetime(2023, 1, 20) + timedelta(days=day)
    led = drawdown(metric, q, at, _pools(), region)
    assert led.covered + led.uncovered == q
    before = {p.id: p.remaining for p in _pools()}
    for p in led.pools_after:
        assert before[p.id] - p.remaining == led.covered_by(p.id)
        assert p.remaining >= 0


def test_drawdown_bad_input():
    with pytest.raises(InputError, match="usage"):
        drawdown("calls", "-5", "2023-02-01", [])
    with pytest.raises(InputError, match="at"):
        drawdown("calls", "5", "yesterday", [])
