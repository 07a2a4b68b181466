"""What a rule returns: named outputs plus the derivation steps that produced them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .money import fmt


@dataclass(frozen=True)
class Step:
    label: str
    value: str
    note: str = ""


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
        self.steps.append(Step(label, show(value), note))
        return self


def tidy(d: Decimal) -> Decimal:
    """Drop trailing zeros past the second decimal (15.2560 -> 15.256; 30.00 stays 30.00)."""
    if d.as_tuple().exponent < -2 and d == d:
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
