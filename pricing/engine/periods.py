"""Periods: day-count conventions, validity windows, anniversary months and hourly windows.

Following QuantLib's day counters, each convention is a small named object with its rule
written beside it. Dates are always counted from an anchor (anchor + n months, or anchor + 30·k
days); a month is never added repeatedly, so month-end clamping cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .errors import InputError


BEIJING = timezone(timedelta(hours=8), "UTC+08:00")
"""Every moment the rules see is Beijing time (UTC+8, no daylight saving), held as a naive datetime."""
MIN_MOMENT = datetime(2000, 1, 1)
MAX_MOMENT = datetime(2100, 1, 1)
"""Moments are bounded: the guides price nothing before 2000, and a bound keeps a loop over hours or
days from running for ever on a typo such as year 9999."""


def as_datetime(value: object, field: str) -> datetime:
    """A moment in Beijing time from a datetime, a date (its 00:00:00) or an ISO string.

    An aware datetime (or an ISO string with an offset such as ``Z`` or ``+00:00``) is converted to
    Beijing time; a naive one is taken as Beijing time already. Raises :class:`InputError` naming
    ``field`` for anything else, or for a moment outside 2000-01-01 .. 2100-01-01."""
    out = None
    if isinstance(value, datetime):
        out = value
    elif isinstance(value, date):
        out = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            out = datetime.fromisoformat(text)
        except ValueError:
            pass
    if out is None:
        raise InputError(field, value, "an ISO date or date-time such as '2023-02-01' or '2023-02-01T08:00:00' "
                                       "(Beijing time, or with an offset such as +00:00)")
    if out.tzinfo is not None:
        out = out.astimezone(BEIJING).replace(tzinfo=None)
    if not MIN_MOMENT <= out < MAX_MOMENT:
        raise InputError(field, value, f"a moment from {MIN_MOMENT:%Y-%m-%d} to before {MAX_MOMENT:%Y-%m-%d}")
    return out


def as_date(value: object, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return as_datetime(value, field).date()


def ordered(start: datetime | date, end: datetime | date, start_field: str = "start", end_field: str = "end") -> None:
    """Refuse an end before its start, naming both fields."""
    if end < start:
        raise InputError(end_field, str(end), f"a moment at or after {start_field} ({start})")


@dataclass(frozen=True)
class DayCount:
    """A day-count convention. ``include_end`` says whether the last calendar day is counted."""

    name: str
    include_end: bool
    rule: str

    def days(self, start: object, end: object) -> int:
        s, e = as_date(start, "start"), as_date(end, "end")
        ordered(s, e)
        return (e - s).days + (1 if self.include_end else 0)


CALENDAR = DayCount("calendar-difference", False,
                    "Days = end date - start date. 2022-12-15 to 2023-02-01 is 48 days.")
INCLUSIVE = DayCount("inclusive-both-ends", True,
                     "Days = end date - start date + 1: both the first and the last calendar day count. "
                     "2022-11-01 to 2022-12-15 is 45 days.")
DAY_COUNTS = {c.name: c for c in (CALENDAR, INCLUSIVE)}

AVERAGE_MONTH_DAYS = Decimal(365) / Decimal(12)  # the (365/12) of the CloudBase plan formulas


@dataclass(frozen=True)
class Window:
    """A half-open window [start, end). ``last_second`` is how a console prints its end."""

    start: datetime
    end: datetime

    def __post_init__(self):
        ordered(self.start, self.end)

    @property
    def last_second(self) -> datetime:
        return self.end - timedelta(seconds=1)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def overlaps(self, other: "Window") -> bool:
        return self.start < other.end and other.start < self.end


def days_window(start: object, days: int = 30, field: str = "start") -> Window:
    """A validity window of ``days`` × 24 hours from an instant (resource packs: 30 days)."""
    s = as_datetime(start, field)
    if not isinstance(days, int) or days <= 0:
        raise InputError("days", days, "a whole number of days > 0")
    return Window(s, s + timedelta(days=days))


MONTH_END_POLICIES = {
    "clamp": "anchor + n months; a day that the target month lacks becomes that month's last day (Jan 31 + 1 month = Feb 28/29)",
    "roll-forward": "a day that the target month lacks rolls to the 1st of the following month (Jan 31 + 1 month = Mar 1)",
}


def add_months(anchor: object, n: int, month_end: str = "clamp") -> datetime:
    """anchor + n months, computed from the anchor (never by repeated addition)."""
    a = as_datetime(anchor, "anchor")
    if month_end not in MONTH_END_POLICIES:
        raise InputError("month_end", month_end, " or ".join(MONTH_END_POLICIES))
    out = a + relativedelta(months=n)
    if month_end == "roll-forward" and out.day != a.day:
        out = (out + relativedelta(days=1)).replace(hour=a.hour, minute=a.minute, second=a.second)
    return out


def anniversary_periods(anchor: object, count: int, month_end: str = "clamp") -> list[Window]:
    """``count`` consecutive non-natural (anniversary) months: [anchor + k months, anchor + k+1 months)."""
    return [Window(add_months(anchor, k, month_end), add_months(anchor, k + 1, month_end)) for k in range(count)]


def day_periods(anchor: object, count: int, days: int = 30) -> list[Window]:
    """``count`` consecutive windows of ``days`` days each, from the anchor: [anchor + k·days, anchor + (k+1)·days)."""
    a = as_datetime(anchor, "anchor")
    return [Window(a + timedelta(days=days * k), a + timedelta(days=days * (k + 1))) for k in range(count)]


def hour_floor(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def hourly_windows(start: object, end: object) -> list[Window]:
    """The hourly settlement windows that [start, end) touches; each is settled at its end (the next whole hour)."""
    s, e = as_datetime(start, "start"), as_datetime(end, "end")
    ordered(s, e)
    if s == e:  # an empty span [s, s) touches no hour
        return []
    out, h = [], hour_floor(s)
    while h < e:
        out.append(Window(h, h + timedelta(hours=1)))
        h += timedelta(hours=1)
    return out


def seconds_between(start: object, end: object) -> int:
    s, e = as_datetime(start, "start"), as_datetime(end, "end")
    ordered(s, e)
    return int((e - s).total_seconds())
