"""Lifecycle of a prepaid resource: active → isolated (suspended) → released.

A prepaid plan runs until its expiry instant. If it is not renewed it is suspended (isolated:
service stops, data kept, renewal restores it) and, some days later, released (data erased, no
way back). Guides state the two moments in day numbers ("suspended on day 1", "released at
00:00 of day 16"), and whether the expiry's own date is day 1 or day 0 is a convention, named
here like a day counter: :data:`DAY_ONE`.

The machine is pure data: :class:`Lifecycle` holds the instants, :meth:`Lifecycle.state_at`
answers "what state at t", :meth:`Lifecycle.milestones` lists the transitions in time order,
and :meth:`Lifecycle.renew` returns the new expiry (counted from the old expiry, never from the
renewal moment) or raises :class:`RuleError` once the resource is released.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from .errors import InputError, RuleError
from .periods import add_months, as_datetime

ACTIVE, ISOLATED, RELEASED = "active", "isolated", "released"
STATES = (ACTIVE, ISOLATED, RELEASED)

DAY_ONE = {
    "expiry-date": "day 1 is the calendar date of the expiry (a plan expiring 01-01 00:00 is on day 1 all of 01-01)",
    "day-after-expiry": "the expiry's date is day 0 and day 1 is the next calendar date",
}


def day_start(expiry: object, n: int, day_one: str) -> datetime:
    """00:00 of day ``n`` after an expiry, under a :data:`DAY_ONE` convention."""
    e = as_datetime(expiry, "expiry")
    if day_one not in DAY_ONE:
        raise InputError("day_one", day_one, " or ".join(DAY_ONE))
    if not isinstance(n, int) or n < 0:
        raise InputError("day number", n, "a whole number >= 0")
    base = datetime.combine(e.date(), time())
    return base + timedelta(days=n - 1 if day_one == "expiry-date" else n)


@dataclass(frozen=True)
class Milestone:
    at: datetime
    event: str
    state: str  # the state from this moment on
    note: str = ""


@dataclass(frozen=True)
class Lifecycle:
    """The instants of one prepaid term. ``suspend_at`` <= ``release_at``; reminders come before expiry."""

    expiry: datetime
    suspend_at: datetime
    release_at: datetime
    reminders: tuple[datetime, ...] = ()

    def __post_init__(self):
        if self.release_at <= self.suspend_at:
            raise InputError("release_at", str(self.release_at), f"a moment after suspend_at ({self.suspend_at})")
        if self.suspend_at < self.expiry:
            raise InputError("suspend_at", str(self.suspend_at), f"a moment at or after expiry ({self.expiry})")

    def state_at(self, moment: object) -> str:
        t = as_datetime(moment, "at")
        if t < self.suspend_at:
            return ACTIVE
        if t < self.release_at:
            return ISOLATED
        return RELEASED

    @property
    def isolation(self) -> timedelta:
        return self.release_at - self.suspend_at

    def milestones(self) -> list[Milestone]:
        out = [Milestone(r, "reminder", ACTIVE) for r in self.reminders]
        out.append(Milestone(self.expiry, "expiry", ACTIVE if self.suspend_at > self.expiry else ISOLATED))
        if self.suspend_at > self.expiry:
            out.append(Milestone(self.suspend_at, "suspended", ISOLATED))
        out.append(Milestone(self.release_at, "released", RELEASED))
        return sorted(out, key=lambda m: (m.at, STATES.index(m.state)))

    def renew(self, at: object, months: int, month_end: str = "clamp") -> datetime:
        """The new expiry of a renewal made at ``at`` for ``months`` months, counted from the old expiry."""
        t = as_datetime(at, "renewed_at")
        if not isinstance(months, int) or months < 1:
            raise InputError("months", months, "a whole number of months >= 1")
        if self.state_at(t) == RELEASED:
            raise RuleError("renewed_at", f"{t:%Y-%m-%d %H:%M:%S} is at or after the release at {self.release_at:%Y-%m-%d %H:%M:%S}: "
                                          "a released resource and its data are gone and cannot be renewed; buy a new one")
        return add_months(self.expiry, months, month_end)
