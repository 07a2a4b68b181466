"""What a rule returns: named outputs plus the derivation steps that produced them.

Outputs keep their exact Decimals (a refund of 7285.40 × 2505600 / 2592000 stays at full
precision for the JSON and for comparisons). Only the *display* of a derivation step is made
readable (:func:`readable`): amounts at two to eight decimals, ratios below one as a fraction with
a small denominator or at six significant digits, each marked ``≈`` when it was shortened. The
step keeps its exact text in :attr:`Step.exact`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from .money import fmt

AMOUNT_PLACES = 8        # Tencent Cloud rates bill lines to 8 decimals
RATIO_DIGITS = 6         # significant digits of a ratio below one
FRACTION_DENOMINATOR = 1000  # largest denominator shown as a fraction (17/30, 100/365)
# A long decimal number inside a text; one already marked ``≈`` (readable's own output, such as
# ``≈0.000128584``) is display text and is left alone, so that readable(readable(x)) == readable(x).
_LONG = re.compile(r"(?<![\w.≈])(?<!≈-)-?\d+\.\d{%d,}(?![\w.])" % (AMOUNT_PLACES + 1))


def _trim(text: str, keep: int = 2) -> str:
    """Drop trailing zeros of a decimal text, keeping at least ``keep`` decimals."""
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    if len(frac) < keep:
        frac = frac + "0" * (keep - len(frac))
    return whole + ("." + frac if frac else "")


def _significant(d: Decimal, digits: int) -> str:
    places = digits - 1 - d.adjusted()
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN) if places > 0 else d
    return _trim(format(q, "f"), 0)


def readable(value: Any) -> str:
    """Display text of a value for people (a derivation table, a terminal).

    - A Decimal with at most 8 decimals is shown exactly (``15.256``, ``0.00016``).
    - A longer Decimal of magnitude one or more is an amount or a quantity: rounded half-even to 8
      decimals and marked, ``≈1420.2739726`` (trailing zeros dropped, at least 2 decimals kept).
    - A longer Decimal below one is a ratio: a fraction when one with a denominator up to 1000
      is within one part in 10^24 of it (``17/30 ≈ 0.566667``), else ``≈0.0123457`` (6
      significant digits).
    - Text has every such long decimal number inside it shortened the same way (a rule's own
      ``"2.00555… h"`` texts); a number already marked ``≈`` is left as it is, so readable text
      stays as it is when read again (a :class:`Step` made from it, a step loaded back).
      Everything else is :func:`show`; a NaN or an infinity raises the ``InputError`` of ``D()``.
    """
    if isinstance(value, Decimal):
        return _readable_decimal(value)
    if isinstance(value, str):
        return _LONG.sub(lambda m: _readable_decimal(Decimal(m.group(0))), value)
    return show(value)


def _readable_decimal(d: Decimal) -> str:
    if not d.is_finite():
        return show(d)
    t = tidy(d)
    if t.as_tuple().exponent >= -AMOUNT_PLACES:
        return show(d)
    if abs(d) >= 1:
        r = d.quantize(Decimal(1).scaleb(-AMOUNT_PLACES), rounding=ROUND_HALF_EVEN)
        return "≈" + _trim(format(r, "f"))
    f = Fraction(d).limit_denominator(FRACTION_DENOMINATOR)
    approx = _significant(d, RATIO_DIGITS)
    if f.denominator > 1 and abs(Fraction(d) - f) <= abs(Fraction(d)) * Fraction(1, 10 ** 24):
        return f"{f.numerator}/{f.denominator} ≈ {approx}"
    return "≈" + approx


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``value`` is the readable display text (see :func:`readable`),
    ``exact`` the full-precision text it was made from."""
    label: str
    value: str
    note: str = ""
    exact: str = ""

    def __post_init__(self):
        text = str(self.value)
        object.__setattr__(self, "exact", self.exact or text)
        object.__setattr__(self, "value", readable(text))


@dataclass
class Result:
    outputs: dict[str, Any]
    steps: list[Step] = field(default_factory=list)
    policies: dict[str, str] = field(default_factory=dict)  # the readings this result used
    as_of: datetime | None = None                            # the moment the catalog was read at
    catalog_reads: dict[str, list] = field(default_factory=dict)  # entry id -> effective dates of the versions read

    def __getitem__(self, key):
        return self.outputs[key]

    def step(self, label: str, value: Any, note: str = "") -> "Result":
        self.steps.append(Step(label, readable(value), note, show(value)))
        return self


def tidy(d: Decimal) -> Decimal:
    """Drop trailing zeros past the second decimal (15.2560 -> 15.256; 30.00 stays 30.00).

    A NaN or an infinity is returned as it is (it has no decimals to drop)."""
    if d.is_finite() and d.as_tuple().exponent < -2:
        n = d.normalize()
        return n.quantize(Decimal("0.01")) if n.as_tuple().exponent > -2 else n
    return d


def show(value: Any) -> str:
    """Stable text for any output: Decimals without exponents, instants as 'YYYY-MM-DD HH:MM:SS'."""
    if isinstance(value, Decimal):
        return fmt(tidy(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
