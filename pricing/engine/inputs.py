"""Reading a calculation's inputs: example inputs arrive as strings from TOML."""
from __future__ import annotations

from .errors import InputError

TRUE, FALSE = ("true", "yes", "1"), ("false", "no", "0")


def flag(inputs: dict, name: str, default: bool = False) -> bool:
    """A yes/no input: a bool, or one of 'true'/'yes'/'1' and 'false'/'no'/'0'."""
    v = inputs.get(name, default)
    if isinstance(v, bool):
        return v
    if v in TRUE:
        return True
    if v in FALSE:
        return False
    raise InputError(name, v, "true or false")


def one_of(value: str, field: str, allowed) -> str:
    """A value from a closed set; the error lists the set."""
    allowed = list(allowed)
    if value not in allowed:
        raise InputError(field, value, ", ".join(map(str, allowed)))
    return value


def whole_number(value: object, field: str, minimum: int = 0, allowed: str = "") -> int:
    """A count that must be whole (months, days, cycles, refunds so far), at least ``minimum``."""
    from .money import nonneg
    d = nonneg(value, field)
    if d != d.to_integral_value() or d < minimum:
        raise InputError(field, value, allowed or f"a whole number >= {minimum}")
    return int(d)
