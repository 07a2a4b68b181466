"""Statements: how rated amounts become a bill that adds up (the real-bill rounding model).

Tencent Cloud keeps each bill line (账单明细) at up to 8 decimal places and debits the account in
fen (0.01 yuan); a monthly line named 月度计费精度差异 (monthly billing-precision difference)
absorbs the gap between the two, with either sign (Tencent Cloud, 费用中心 › 账单常见问题,
https://cloud.tencent.com.cn/document/product/555/7465). That is the default reading here:

1. **line**: each line's exact amount is rounded half-up to 8 decimals (:data:`LINE`);
2. **debit**: each settlement (an hour's or a day's bill) is debited in whole fen, on the running
   total: the k-th debit is ``round(Σ lines up to k) − round(Σ lines before k)`` (half-up), so no
   fraction of a fen is lost or charged twice and the period's debits add up to its lines
   rounded once (:data:`DEBIT`);
3. **precision line**: ``due − Σ lines``, its own line, so that the lines add up to the total.

Under this reading a fee never falls as usage rises, and a month of hours of a fraction of a fen
each is billed what its lines add up to, not 0.00.

The other readings stay selectable through the policy :data:`DEBIT_ROUNDING`: each bill (an
hour's, a day's) rounded to the fen before summing (what the guides' worked examples print), or
no rounding at all. Every reading keeps the identity ``Σ line amounts + precision = due``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from .errors import InputError
from .money import BILLED, ZERO, D, RoundingPolicy
from .policies import choose, policy

LINE = RoundingPolicy("line-8dp-half-up", Decimal("1E-8"), ROUND_HALF_UP,
                      "A bill line: half-up to 8 decimal places (10^-8 yuan), as bill details are kept.")
DEBIT = BILLED  # the debit: half-up to the fen

DEBIT_ROUNDING = policy(
    "billing.debit_rounding",
    "Where do rated amounts meet the fen: once on the period's debit, on each hourly or daily bill, or never?",
    {"line-8dp-debit-fen": "each line kept at 8 decimals; each settlement debited in whole fen on the running total "
                           "(half-up), so the period's debit is its lines rounded once; a precision line "
                           "(月度计费精度差异) carries the difference",
     "per-bill-fen": "each bill (one settlement hour or day) rounded half-up to the fen, then summed; the precision "
                     "line carries the difference from the 8-decimal lines",
     "exact": "no rounding point: the exact amounts (for derivations and tests)"},
    "line-8dp-debit-fen", "BILL-DEBIT-ROUNDING")


@dataclass(frozen=True)
class Line:
    """One bill line: what was rated (``item``, ``quantity`` in ``unit``), when (``bill``: the
    settlement it belongs to, e.g. the hour; ``at``: its instant) and its amounts: ``exact`` as
    rated, ``amount`` as the bill shows it (8 decimals under the default reading)."""

    bill: str
    item: str
    at: datetime | None
    quantity: Decimal
    unit: str
    exact: Decimal
    amount: Decimal
    parts: tuple = ()


@dataclass(frozen=True)
class Statement:
    """A period's bill: its lines, the precision line, and what is debited (``due``).

    ``Σ line.amount + precision == due`` holds exactly under every reading."""

    lines: tuple[Line, ...]
    subtotal: Decimal            # Σ line amounts
    precision: Decimal           # the 月度计费精度差异 line (due − subtotal)
    due: Decimal                 # the debit, in fen unless the reading is 'exact'
    reading: str
    bills: dict[str, Decimal] = field(default_factory=dict)  # the debit of each settlement, in time order

    @property
    def exact(self) -> Decimal:
        return sum((l.exact for l in self.lines), ZERO)

    def by_item(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for l in self.lines:
            out[l.item] = out.get(l.item, ZERO) + l.amount
        return out


def line(bill: str, item: str, exact: object, quantity: object = 0, unit: str = "", at: datetime | None = None,
         parts: Iterable[Any] = (), reading: str = "line-8dp-debit-fen") -> Line:
    """A line with its displayed amount under ``reading`` (8 decimals except under 'exact').

    Raises :class:`InputError` for a reading that is not one of :data:`DEBIT_ROUNDING`'s."""
    if reading not in DEBIT_ROUNDING.choices:
        raise InputError("reading", reading, " | ".join(DEBIT_ROUNDING.choices))
    e = D(exact, "exact")
    amount = e if reading == "exact" else LINE(e)
    return Line(bill, item, at, D(quantity, "quantity"), unit, e, amount, tuple(parts))


def settle(lines: Iterable[Line], policies: dict | None = None) -> Statement:
    """Settle lines into a statement under the :data:`DEBIT_ROUNDING` reading chosen in ``policies``.

    Raises :class:`InputError` if a line was built under another reading (its amount would not
    match)."""
    reading = choose(policies, DEBIT_ROUNDING)
    ls = tuple(lines)
    for l in ls:
        want = l.exact if reading == "exact" else LINE(l.exact)
        if l.amount != want:
            raise InputError(f"line {l.bill} {l.item}", str(l.amount), f"{want}: the line amount under {reading}")
    subtotal = sum((l.amount for l in ls), ZERO)
    bills: dict[str, Decimal] = {}
    if reading == "exact":
        due = subtotal
    elif reading == "per-bill-fen":
        for l in ls:  # each bill rounded from its exact amount, as a bill printed on its own would be
            bills[l.bill] = bills.get(l.bill, ZERO) + l.exact
        bills = {k: DEBIT(v) for k, v in bills.items()}
        due = sum(bills.values(), ZERO)
    else:
        running, debited = ZERO, ZERO
        for l in sorted(ls, key=lambda l: (l.at or datetime.min, l.bill)):
            running += l.amount
            bills[l.bill] = bills.get(l.bill, ZERO) + DEBIT(running) - debited
            debited = DEBIT(running)
        due = DEBIT(subtotal)
    precision = due - subtotal
    return Statement(ls, subtotal, precision, due, reading, bills)


__all__ = ["DEBIT", "DEBIT_ROUNDING", "LINE", "Line", "Statement", "line", "settle"]
