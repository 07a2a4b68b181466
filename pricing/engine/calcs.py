"""The calculation registry (the rules register into it; ``pricing.rules.load_all`` imports them): every rule a worked example, the register or ``pricing calc`` can run is
registered here under a stable id (``apigw.shared.call_fee``)."""
from __future__ import annotations

from typing import Callable

from .catalog import Catalog
from .errors import InputError
from .policies import check_known
from .results import Result

CALCS: dict[str, Callable[[Catalog, dict, dict], Result]] = {}


def calc(name: str):
    """Register a calculation under a stable name that examples refer to."""
    def deco(fn):
        if name in CALCS and CALCS[name] is not fn:
            raise ValueError(f"calculation {name} registered twice")
        CALCS[name] = fn
        return fn
    return deco


def run_calc(name: str, cat: Catalog, inputs: dict | None = None, policies: dict | None = None) -> Result:
    if name not in CALCS:
        raise InputError("calc", name, "a registered calculation: " + ", ".join(sorted(CALCS)))
    check_known(policies)
    return CALCS[name](cat, dict(inputs or {}), dict(policies or {}))


