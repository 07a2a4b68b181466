"""Exact money.

Modelled on beancount's ``D()``: every number on the money path is built by one constructor
from a string, an int or a Decimal. A float is refused with ``TypeError``: binary floats cannot
hold 0.06 or 0.8 exactly, and a bill computed with them can be off by a fen.

Rounding is never implicit. Intermediate values keep full precision (a 50-digit context), and a
named :class:`RoundingPolicy` is applied at the named points a rule documents.
"""
from __future__ import annotations

import decimal
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from .errors import InputError

PRECISION = 50
CONTEXT = decimal.Context(prec=PRECISION, rounding=ROUND_HALF_EVEN, traps=[decimal.InvalidOperation, decimal.DivisionByZero])
# The default context is what every new thread starts from; setting it (before any thread is made)
# and this thread's context keeps worker threads on the same 50 digits.
decimal.DefaultContext.prec = PRECISION
decimal.DefaultContext.rounding = ROUND_HALF_EVEN
decimal.DefaultContext.traps = {**decimal.DefaultContext.traps, decimal.InvalidOperation: True, decimal.DivisionByZero: True}
decimal.setcontext(CONTEXT)

MAX_DIGITS = 28
"""An input number has at most 28 significant digits, so that sums and products of inputs stay
exact inside the 50-digit context: a longer number is refused rather than rounded silently."""
MAX_MAGNITUDE = Decimal(10) ** 15
# the finest decimal place an input may carry: 10^15 + 10^-28 still fits the 50-digit context exactly,
# so sums of inputs never round silently (an input such as 8e-77 would vanish added to a fen)
MAX_PLACES = 28
"""An input number is below 10^15 in size (a quadrillion calls, yuan or GB): beyond it a typo such as
'1e30' hours would loop for ever or overflow."""
_NUMBER = re.compile(r"[+-]?(\d+(_\d+)*(\.\d*)?|\.\d+)([eE][+-]?\d+)?")

ZERO = Decimal(0)
ONE = Decimal(1)


def D(value: object, field: str = "value") -> Decimal:
    """Build a Decimal from a string, an int or a Decimal.

    - A float raises ``TypeError`` (binary floats cannot hold 0.06 exactly); so does a bool.
    - A string is a plain decimal with a point: ``'0.06'``, ``'-3'``, ``'1e3'``, ``'1_000_000'``.
      A comma is refused, never guessed: ``'0,06'`` could be 0.06 or 6, ``'1,000'`` 1 or 1000.
    - NaN and infinities raise :class:`InputError` naming ``field``; so do, for a string or an int
      (an input), more than :data:`MAX_DIGITS` significant digits and sizes of :data:`MAX_MAGNITUDE`
      or more, and more than :data:`MAX_PLACES` decimal places. A Decimal is a number already on the
      money path and keeps its digits.
    - Negative zero is normalised to zero (``'-0'`` gives ``0``).
    """
    if isinstance(value, bool):
        raise TypeError(f"{field}: a bool is not a number; pass a string such as '1'")
    if isinstance(value, float):
        raise TypeError(f"{field}: float {value!r} refused on the money path; pass the string {str(value)!r} instead")
    if isinstance(value, Decimal):  # already a number on the money path: kept as it is
        if not value.is_finite():
            raise InputError(field, str(value), "a finite decimal number")
        return value.copy_abs() if value.is_zero() else value
    if isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if "," in text or "，" in text:
            raise InputError(field, value, "a number without commas, e.g. '0.06' or '1000000' (a comma could be a "
                                           "decimal comma or a thousands separator, so it is never guessed)")
        if not _NUMBER.fullmatch(text):
            if text.lower().lstrip("+-") in ("nan", "snan", "inf", "infinity"):
                raise InputError(field, value, "a finite decimal number")
            raise InputError(field, value, "a decimal number written as a string, e.g. '0.06'")
        d = Decimal(text.replace("_", ""))
    else:
        raise TypeError(f"{field}: {type(value).__name__} is not a number; pass a string, int or Decimal")
    if d.is_zero():
        return d.copy_abs()
    if abs(d) >= MAX_MAGNITUDE:
        raise InputError(field, value, f"a number below {MAX_MAGNITUDE:.0E} in size")
    if len(d.normalize().as_tuple().digits) > MAX_DIGITS:
        raise InputError(field, value, f"a number of at most {MAX_DIGITS} significant digits (no silent rounding)")
    if d.normalize().as_tuple().exponent < -MAX_PLACES:
        raise InputError(field, value, f"a number of at most {MAX_PLACES} decimal places (no silent rounding)")
    return d


def nonneg(value: object, field: str) -> Decimal:
    """A quantity that cannot be negative (usage, days, gigabytes)."""
    d = D(value, field)
    if d < 0:
        raise InputError(field, value, "a number >= 0")
    return d


def positive(value: object, field: str) -> Decimal:
    d = D(value, field)
    if d <= 0:
        raise InputError(field, value, "a number > 0")
    return d


@dataclass(frozen=True)
class RoundingPolicy:
    """A named rounding rule: quantum (0.01 = one fen) and a decimal rounding mode."""

    name: str
    quantum: Decimal
    mode: str
    description: str

    def __call__(self, amount: Decimal) -> Decimal:
        out = D(amount).quantize(self.quantum, rounding=self.mode)
        return out.copy_abs() if out.is_zero() else out  # never a "-0.00" on a bill


BILLED = RoundingPolicy("billed-fen-half-up", Decimal("0.01"), ROUND_HALF_UP,
                        "Billed amounts: half-up to 0.01 yuan (one fen).")
TENTH = RoundingPolicy("tenth-half-up", Decimal("0.1"), ROUND_HALF_UP,
                       "Half-up to 0.1: the precision some worked examples print at.")
WHOLE_DAYS_DOWN = RoundingPolicy("whole-days-floor", Decimal("1"), ROUND_FLOOR,
                                 "Durations floored to whole units (e.g. 1 day 21 hours -> 1 day).")
TRUNCATE_FEN = RoundingPolicy("fen-truncate", Decimal("0.01"), ROUND_DOWN,
                              "Truncate to 0.01 yuan.")
UNROUNDED = RoundingPolicy("unrounded", Decimal("1E-28"), ROUND_HALF_EVEN, "Full precision (no rounding point).")

ROUNDINGS = {p.name: p for p in (BILLED, TENTH, WHOLE_DAYS_DOWN, TRUNCATE_FEN, UNROUNDED)}


def round_at(amount: Decimal, places: Decimal | str) -> Decimal:
    """Half-up rounding to an explicit quantum; used when comparing to a figure printed at that precision."""
    return D(amount).quantize(D(places, "places"), rounding=ROUND_HALF_UP)


def fmt(amount: Decimal, places: int | None = None) -> str:
    """Stable text for a Decimal: no exponent, no locale, trailing zeros kept as given."""
    d = D(amount)
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(d, "f")
    return text


def yuan(amount: Decimal) -> str:
    """A billed amount as text: half-up to the fen, two decimals, e.g. '45.26'."""
    return fmt(BILLED(D(amount)))


def trim(amount: Decimal) -> str:
    """A Decimal without trailing zeros (for quantities such as 19.0734863 GB)."""
    d = D(amount)
    if d == d.to_integral_value():
        return format(d.quantize(ONE), "f")
    return format(d.normalize(), "f")


def integral(d: Decimal) -> Decimal:
    """An exact whole amount without a spurious decimal part (2400.00 -> 2400); other values unchanged."""
    d = D(d)
    return d.quantize(ONE) if d == d.to_integral_value() else d
