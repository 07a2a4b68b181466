"""Graduated tiers over a cumulative count (OpenMeter's tiered price, restated).

A schedule is a list of tiers, each with an inclusive upper bound ``up_to`` on the cumulative
position and a unit price. The last tier is open-ended (``up_to`` = None). Validation on load:
bounds sorted, unique, positive, exactly one open-ended tier, and it is last.

``rate(quantity, already=n)`` prices the positions n+1 .. n+quantity, which is how one hour's
calls are rated given the month's cumulative count before that hour.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .errors import InputError
from .money import ZERO, nonneg


@dataclass(frozen=True)
class Tier:
    up_to: Decimal | None  # inclusive upper bound on the cumulative position; None = open-ended
    price: Decimal          # price per ``unit`` of quantity
    label: str = ""


@dataclass(frozen=True)
class Slice:
    tier: int
    label: str
    start: Decimal  # first position is start + 1
    end: Decimal    # last position (inclusive)
    quantity: Decimal
    price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class TierCharge:
    quantity: Decimal
    already: Decimal
    unit: Decimal
    slices: tuple[Slice, ...]

    @property
    def amount(self) -> Decimal:
        return sum((s.amount for s in self.slices), ZERO)


@dataclass(frozen=True)
class TierSchedule:
    tiers: tuple[Tier, ...]
    unit: Decimal = Decimal(1)  # prices are per this many units (10,000 calls for the call fee)
    name: str = "tiers"

    def __post_init__(self):
        validate_tiers(self.tiers, self.name)

    def rate(self, quantity: object, already: object = 0) -> TierCharge:
        q = nonneg(quantity, "quantity")
        a = nonneg(already, "already")
        slices, lower = [], ZERO
        for i, t in enumerate(self.tiers):
            upper = t.up_to
            lo = max(lower, a)
            hi = a + q if upper is None else min(upper, a + q)
            if hi > lo:
                n = hi - lo
                slices.append(Slice(i, t.label, lo, hi, n, t.price, n / self.unit * t.price))
            if upper is not None:
                lower = upper
        return TierCharge(q, a, self.unit, tuple(slices))

    def breaks(self) -> list[Decimal]:
        return [t.up_to for t in self.tiers if t.up_to is not None]


def validate_tiers(tiers, name: str = "tiers") -> None:
    if not tiers:
        raise InputError(name, [], "at least one tier")
    open_ended = [i for i, t in enumerate(tiers) if t.up_to is None]
    if len(open_ended) != 1:
        raise InputError(name, f"{len(open_ended)} open-ended tiers", "exactly one tier without up_to")
    if open_ended[0] != len(tiers) - 1:
        raise InputError(name, f"open-ended tier at position {open_ended[0]}", "the open-ended tier last")
    bounds = [t.up_to for t in tiers[:-1]]
    for i, b in enumerate(bounds):
        if b <= 0:
            raise InputError(f"{name}[{i}].up_to", str(b), "a bound > 0")
        if i and b <= bounds[i - 1]:
            raise InputError(f"{name}[{i}].up_to", str(b), f"a bound greater than the previous one ({bounds[i - 1]}): sorted and unique")
    for i, t in enumerate(tiers):
        if t.price < 0:
            raise InputError(f"{name}[{i}].price", str(t.price), "a price >= 0")
