"""pricing.engine.periods: moments in Beijing time, day counts, windows, anniversary months, hours."""
from datetime import date, datetime, timedelta, timezone

import pytest

from pricing.engine.errors import InputError
from pricing.engine.periods import (BEIJING, CALENDAR, DAY_COUNTS, INCLUSIVE, MAX_MOMENT, MIN_MOMENT, MONTH_END_POLICIES,
                                    Window, add_months, anniversary_periods, as_date, as_datetime, day_periods,
                                    days_window, hour_floor, hourly_windows, ordered, seconds_between)

ISO = ("an ISO date or date-time such as '2023-02-01' or '2023-02-01T08:00:00' (Beijing time, or with an offset "
       "such as +00:00)")
BOUNDS = "a moment from 2000-01-01 to before 2100-01-01"


def parts(e):
    return e.value.field, e.value.got, e.value.allowed


# -- as_datetime / as_date ---------------------------------------------------------------------------
@pytest.mark.parametrize("raw, want", [
    ("2023-02-01", datetime(2023, 2, 1)),
    ("2023-02-01T08:30:05", datetime(2023, 2, 1, 8, 30, 5)),
    ("  2023-02-01 08:30  ", datetime(2023, 2, 1, 8, 30)),
    ("2023-02-01T00:00:00Z", datetime(2023, 2, 1, 8)),          # UTC midnight is 08:00 in Beijing
    ("2023-02-01T00:00:00z", datetime(2023, 2, 1, 8)),
    ("2023-02-01T00:00:00+00:00", datetime(2023, 2, 1, 8)),
    ("2023-02-01T10:00:00+08:00", datetime(2023, 2, 1, 10)),
    ("2023-01-31T20:00:00-05:00", datetime(2023, 2, 1, 9)),
    (date(2023, 2, 1), datetime(2023, 2, 1)),
    (datetime(2023, 2, 1, 7), datetime(2023, 2, 1, 7)),
    (datetime(2023, 2, 1, tzinfo=timezone.utc), datetime(2023, 2, 1, 8)),
])
def test_as_datetime_gives_naive_beijing_time(raw, want):
    out = as_datetime(raw, "at")
    assert out == want and out.tzinfo is None


def test_beijing_is_utc_plus_eight():
    assert BEIJING.utcoffset(None) == timedelta(hours=8)


@pytest.mark.parametrize("raw", ["yesterday", "", "2023-13-01", "2023-02-30", "Z", 20230201, None, 1.5, ["2023-02-01"]])
def test_as_datetime_refuses_anything_else_naming_the_field(raw):
    with pytest.raises(InputError) as e:
        as_datetime(raw, "order_at")
    assert parts(e) == ("order_at", raw, ISO)


@pytest.mark.parametrize("raw", ["2000-01-01", "2000-01-01T00:00:00", "2099-12-31T23:59:59", "2000-01-01T08:00:00+08:00",
                                 "1999-12-31T16:00:00Z"])
def test_moments_inside_the_bounds(raw):
    assert MIN_MOMENT <= as_datetime(raw, "at") < MAX_MOMENT


@pytest.mark.parametrize("raw", ["1999-12-31T23:59:59", "2100-01-01", "2100-01-01T00:00:00", "9999-12-31",
                                 "1999-12-31T15:59:59+00:00"])
def test_moments_outside_the_bounds(raw):
    with pytest.raises(InputError) as e:
        as_datetime(raw, "at")
    assert parts(e) == ("at", raw, BOUNDS)


@pytest.mark.parametrize("raw, want", [("2023-02-01T23:59:59", date(2023, 2, 1)), (date(2023, 2, 1), date(2023, 2, 1)),
                                       (datetime(2023, 2, 1, 23), date(2023, 2, 1)),
                                       ("2023-02-01T20:00:00Z", date(2023, 2, 2))])
def test_as_date(raw, want):
    assert as_date(raw, "day") == want


def test_as_date_names_the_field():
    with pytest.raises(InputError) as e:
        as_date("soon", "day")
    assert parts(e) == ("day", "soon", ISO)


# -- ordered -----------------------------------------------------------------------------------------
def test_ordered_allows_equal_moments_and_refuses_an_end_before_its_start():
    ordered(datetime(2023, 1, 1), datetime(2023, 1, 1))
    with pytest.raises(InputError) as e:
        ordered(datetime(2023, 1, 2), datetime(2023, 1, 1))
    assert parts(e) == ("end", "2023-01-01 00:00:00", "a moment at or after start (2023-01-02 00:00:00)")
    with pytest.raises(InputError) as e:
        ordered(date(2023, 1, 2), date(2023, 1, 1), "bought", "refunded")
    assert parts(e) == ("refunded", "2023-01-01", "a moment at or after bought (2023-01-02)")


# -- day counts --------------------------------------------------------------------------------------
def test_day_counts():
    assert CALENDAR.days("2022-12-15", "2023-02-01") == 48
    assert INCLUSIVE.days("2022-12-15", "2023-02-01") == 49
    assert CALENDAR.days("2023-01-01", "2023-01-01") == 0
    assert INCLUSIVE.days("2023-01-01", "2023-01-01") == 1
    assert CALENDAR.days("2023-01-01T23:00:00", "2023-01-02T01:00:00") == 1   # calendar dates, not hours
    assert DAY_COUNTS == {"calendar-difference": CALENDAR, "inclusive-both-ends": INCLUSIVE}


def test_day_counts_name_their_inputs():
    with pytest.raises(InputError) as e:
        CALENDAR.days("x", "2023-01-01")
    assert e.value.field == "start"
    with pytest.raises(InputError) as e:
        CALENDAR.days("2023-01-01", "y")
    assert e.value.field == "end"
    with pytest.raises(InputError) as e:
        INCLUSIVE.days("2023-01-02", "2023-01-01")
    assert parts(e) == ("end", "2023-01-01", "a moment at or after start (2023-01-02)")


# -- windows -----------------------------------------------------------------------------------------
def test_window_is_half_open_with_a_last_second():
    win = Window(datetime(2023, 2, 1, 8), datetime(2023, 3, 3, 8))
    assert win.last_second == datetime(2023, 3, 3, 7, 59, 59)
    assert win.contains(win.start) and win.contains(win.last_second)
    assert not win.contains(win.end) and not win.contains(win.start - timedelta(seconds=1))


def test_an_empty_window_contains_nothing_and_a_reversed_one_is_refused():
    t = datetime(2023, 1, 1)
    assert not Window(t, t).contains(t)
    with pytest.raises(InputError) as e:
        Window(t, t - timedelta(seconds=1))
    assert parts(e) == ("end", "2022-12-31 23:59:59", "a moment at or after start (2023-01-01 00:00:00)")


@pytest.mark.parametrize("a, b, want", [
    ((1, 3), (3, 5), False),   # touching: [1,3) and [3,5) share no instant
    ((3, 5), (1, 3), False),
    ((1, 3), (2, 5), True),
    ((2, 5), (1, 3), True),
    ((1, 5), (2, 3), True),
    ((1, 2), (4, 5), False),
    ((4, 5), (1, 2), False),
])
def test_window_overlaps(a, b, want):
    def win(x):
        return Window(datetime(2023, 1, x[0]), datetime(2023, 1, x[1]))
    assert win(a).overlaps(win(b)) is want


def test_days_window_defaults_to_thirty_days_of_24_hours():
    win = days_window("2023-02-01T08:00:00")
    assert win == Window(datetime(2023, 2, 1, 8), datetime(2023, 3, 3, 8))
    assert days_window("2023-02-01", 1).end == datetime(2023, 2, 2)


@pytest.mark.parametrize("days", [0, -1, "30", None])
def test_days_window_needs_a_whole_positive_number_of_days(days):
    with pytest.raises(InputError) as e:
        days_window("2023-02-01", days)
    assert parts(e) == ("days", days, "a whole number of days > 0")


def test_days_window_names_its_start_field():
    with pytest.raises(InputError) as e:
        days_window("later")
    assert e.value.field == "start"
    with pytest.raises(InputError) as e:
        days_window("later", 30, "bought_at")
    assert e.value.field == "bought_at"


# -- months ------------------------------------------------------------------------------------------
def test_add_months_keeps_the_time_of_day_under_both_policies():
    assert add_months("2023-01-15T10:30:15", 1) == datetime(2023, 2, 15, 10, 30, 15)
    assert add_months("2023-01-31T10:30:15", 1, "roll-forward") == datetime(2023, 3, 1, 10, 30, 15)
    assert add_months("2023-01-31T10:30:15", 1, "clamp") == datetime(2023, 2, 28, 10, 30, 15)


def test_add_months_zero_and_negative():
    assert add_months("2023-03-31", 0) == datetime(2023, 3, 31)
    assert add_months("2023-03-31", -1) == datetime(2023, 2, 28)
    assert add_months("2023-03-31", -1, "roll-forward") == datetime(2023, 3, 1)


def test_add_months_refuses_an_unknown_month_end_policy():
    with pytest.raises(InputError) as e:
        add_months("2023-01-31", 1, "nearest")
    assert parts(e) == ("month_end", "nearest", "clamp or roll-forward")
    assert list(MONTH_END_POLICIES) == ["clamp", "roll-forward"]


def test_add_months_names_its_anchor():
    with pytest.raises(InputError) as e:
        add_months("someday", 1)
    assert e.value.field == "anchor"


def test_anniversary_periods_follow_the_month_end_policy():
    assert anniversary_periods("2023-01-31", 3) == [
        Window(datetime(2023, 1, 31), datetime(2023, 2, 28)),
        Window(datetime(2023, 2, 28), datetime(2023, 3, 31)),
        Window(datetime(2023, 3, 31), datetime(2023, 4, 30)),
    ]
    assert anniversary_periods("2023-01-31", 3, "roll-forward") == [
        Window(datetime(2023, 1, 31), datetime(2023, 3, 1)),
        Window(datetime(2023, 3, 1), datetime(2023, 3, 31)),
        Window(datetime(2023, 3, 31), datetime(2023, 5, 1)),
    ]
    assert anniversary_periods("2023-01-31", 0) == []


def test_day_periods():
    assert day_periods("2023-01-01T12:00:00", 2, 7) == [
        Window(datetime(2023, 1, 1, 12), datetime(2023, 1, 8, 12)),
        Window(datetime(2023, 1, 8, 12), datetime(2023, 1, 15, 12)),
    ]
    assert day_periods("2023-01-01", 1) == [Window(datetime(2023, 1, 1), datetime(2023, 1, 31))]
    with pytest.raises(InputError) as e:
        day_periods("never", 1)
    assert e.value.field == "anchor"


# -- hours -------------------------------------------------------------------------------------------
def test_hour_floor_clears_minutes_seconds_and_microseconds():
    assert hour_floor(datetime(2023, 1, 1, 16, 59, 59, 999999)) == datetime(2023, 1, 1, 16)
    assert hour_floor(datetime(2023, 1, 1, 16)) == datetime(2023, 1, 1, 16)


def test_hourly_windows_touched_by_a_span():
    ws = hourly_windows("2022-03-24T16:30:00", "2022-03-24T18:00:01")
    assert ws == [Window(datetime(2022, 3, 24, h), datetime(2022, 3, 24, h + 1)) for h in (16, 17, 18)]
    assert hourly_windows("2022-03-24T16:00:00", "2022-03-24T17:00:00") == [
        Window(datetime(2022, 3, 24, 16), datetime(2022, 3, 24, 17))]
    assert hourly_windows("2022-03-24T16:30:00", "2022-03-24T16:30:00") == []   # an empty span touches no hour
    assert hourly_windows("2022-03-24T16:00:00", "2022-03-24T16:00:00") == []


def test_hourly_windows_name_their_inputs():
    for args, field in ((("x", "2022-03-24"), "start"), (("2022-03-24", "y"), "end"),
                        (("2022-03-24T02:00:00", "2022-03-24T01:00:00"), "end")):
        with pytest.raises(InputError) as e:
            hourly_windows(*args)
        assert e.value.field == field


def test_seconds_between():
    assert seconds_between("2022-03-24T16:00:00", "2022-03-24T20:00:01") == 14401
    assert seconds_between("2022-03-24T16:00:00", "2022-03-24T16:00:00") == 0
    assert isinstance(seconds_between("2022-03-24", "2022-03-25"), int)
    for args, field in ((("x", "2022-03-24"), "start"), (("2022-03-24", "y"), "end"),
                        (("2022-03-25", "2022-03-24"), "end")):
        with pytest.raises(InputError) as e:
            seconds_between(*args)
        assert e.value.field == field
