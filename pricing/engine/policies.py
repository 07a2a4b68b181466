"""Named policies: where a guide allows two readings, the choice has a name, a default and a
register entry. The default is the reading that reproduces the guide's printed figure; the
other readings stay computable by passing ``policies={name: choice}`` to a rule."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError


@dataclass(frozen=True)
class Policy:
    name: str
    question: str
    choices: dict[str, str]
    default: str
    discrepancy: str = ""  # register id that discusses it

    def __post_init__(self):
        if self.default not in self.choices:
            raise ValueError(f"policy {self.name}: default {self.default!r} not among its choices")


POLICIES: dict[str, Policy] = {}


def policy(name: str, question: str, choices: dict[str, str], default: str, discrepancy: str = "") -> Policy:
    if name in POLICIES:
        raise ValueError(f"policy {name} declared twice")
    p = Policy(name, question, dict(choices), default, discrepancy)
    POLICIES[name] = p
    return p


def choose(policies: dict | None, p: Policy) -> str:
    """The reading a calculation uses: the caller's choice if given (validated), else the default."""
    chosen = (policies or {}).get(p.name, p.default)
    if chosen not in p.choices:
        raise InputError(f"policies[{p.name!r}]", chosen, " | ".join(p.choices))
    return chosen


def check_known(policies: dict | None) -> None:
    for k in (policies or {}):
        if k not in POLICIES:
            raise InputError("policies", k, "a declared policy name: " + ", ".join(sorted(POLICIES)))


RENAMED: dict[str, tuple[str, dict[str, str]]] = {
    # a question now asked by another policy: old name -> (new name, old reading -> new reading)
    "apigw.rounding.point": ("billing.debit_rounding", {"hourly-bill": "per-bill-fen", "month": "line-8dp-debit-fen"}),
}


def translate(policies: dict | None) -> dict:
    """``policies`` with every renamed policy (:data:`RENAMED`) under its new name and reading;
    an old reading with no counterpart is refused naming the old policy's readings."""
    out = {}
    for k, v in (policies or {}).items():
        if k in RENAMED:
            new, readings = RENAMED[k]
            if v not in readings:
                raise InputError(f"policies[{k!r}]", v, " | ".join(readings) + f" (now {new})")
            k, v = new, readings[v]
        out[k] = v
    return out
