"""The calculation registry: every rule that a worked example, a register reading, a notebook or
``pricing calc`` can run is registered here under a stable id (``apigw.shared.call_fee``), with
its typed inputs and the policies it reads.

A calculation is a pure function ``fn(cat, inputs, policies) -> Result``:

- ``cat`` is a :class:`~pricing.engine.catalog.CatalogView` dated at the calculation's moment:
  the value of its ``moment`` input when it declares one (the instant of the usage, the order
  instant), else the ``as_of`` the caller gives (a worked example's own date, ``--as-of``).
  A rule that spans time moves the view with ``cat.at(instant)``; it never reads an undated price.
- ``inputs`` holds every declared input, parsed and validated (defaults filled in): counts and
  amounts are Decimals, moments naive Beijing datetimes, flags bools.
- ``policies`` maps a policy name to the reading chosen; absent names take the policy default.

Inputs arrive as strings (TOML examples, the command line, JSON scenario files); an unknown name,
a missing required input or a value of the wrong kind raises :class:`InputError` naming the
field, the value and what is allowed, before the rule runs. The rules register themselves on
import; ``pricing.rules.load_all()`` imports them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

from .catalog import Catalog, CatalogView
from .errors import InputError
from .money import D
from .policies import POLICIES, Policy, check_known, translate
from .results import Result

REQUIRED = object()
"""Marks an input without a default: the caller must give it."""

TYPES = {
    "count": "a whole or decimal count; 万 (10^4) and 亿 (10^8) suffixes allowed, e.g. 5000000 or 500万",
    "number": "a decimal number written with a point, e.g. 0.06 (no commas)",
    "money": "an amount in yuan written with a point, e.g. 45.26 (no commas)",
    "whole": "a whole number",
    "moment": "a Beijing-time date-time, e.g. 2023-01-01T07:00:00 (an offset such as +00:00 is converted)",
    "date": "a date, e.g. 2023-01-01",
    "flag": "true or false",
    "choice": "one of the listed values",
    "text": "free text",
    "list": "a list, as JSON or TOML (its items: see the input's description)",
    "table": "a table, as JSON or TOML (e.g. {\"calls_wan\": \"10\"})",
}


@dataclass(frozen=True)
class Input:
    """One declared input of a calculation.

    ``choices`` is a tuple of allowed values, or a callable ``view -> tuple`` when the allowed
    values are catalog data at the calculation's moment (plans, regions, editions): code keeps
    no id lists. ``minimum``/``maximum`` bound numbers (inclusive); every number is also bounded
    by :data:`pricing.engine.money.MAX_MAGNITUDE`."""

    name: str
    type: str
    unit: str = ""
    default: Any = REQUIRED
    help: str = ""
    choices: tuple | Callable[[CatalogView], tuple] = ()
    minimum: Any = None
    maximum: Any = None

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"input {self.name}: type {self.type!r} is not one of {', '.join(TYPES)}")

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def allowed(self, view: CatalogView | None = None) -> str:
        """What this input accepts, as one line of text."""
        if self.type == "choice":
            vals = self.choice_values(view)
            when = f"in force on {view.moment:%Y-%m-%d}: " if callable(self.choices) and view is not None else ""
            return when + " | ".join(map(str, vals)) if vals else "values from the catalog"
        text = TYPES[self.type]
        lo = "" if self.minimum is None else f">= {self.minimum}"
        hi = "" if self.maximum is None else f"<= {self.maximum}"
        bound = " and ".join(x for x in (lo, hi) if x)
        return f"{text}{'; ' + bound if bound else ''}"

    def choice_values(self, view: CatalogView | None) -> tuple:
        if callable(self.choices):
            return tuple(self.choices(view)) if view is not None else ()
        return tuple(self.choices)

    def parse(self, raw: Any, view: CatalogView | None = None) -> Any:
        """The parsed value of ``raw``; raises :class:`InputError` naming this input."""
        from .periods import as_date, as_datetime
        from .units import parse_count
        name = self.name
        if raw is None:
            return None
        t = self.type
        if isinstance(raw, bool) and t != "flag":   # true/false from a TOML or JSON case is no number, date or id
            raise InputError(name, raw, self.allowed(view))
        if isinstance(raw, (list, tuple, dict, set)) and t not in ("list", "table"):   # a list where one value goes
            raise InputError(name, raw, self.allowed(view))
        if t == "count":
            v = parse_count(raw, name)
        elif t in ("number", "money"):
            v = D(raw, name)
        elif t == "whole":
            v = D(raw, name)
            if v != v.to_integral_value():
                raise InputError(name, raw, self.allowed(view))
            v = int(v)
        elif t == "moment":
            return as_datetime(raw, name)
        elif t == "date":
            return as_date(raw, name)
        elif t == "flag":
            if isinstance(raw, bool):
                return raw
            s = str(raw).strip().lower()
            if s in ("true", "yes", "1"):
                return True
            if s in ("false", "no", "0"):
                return False
            raise InputError(name, raw, "true or false")
        elif t == "choice":
            vals = self.choice_values(view)
            s = str(raw).strip() if isinstance(raw, str) else raw
            if vals and s not in vals:
                raise InputError(name, raw, self.allowed(view))
            return s
        elif t == "text":
            if not isinstance(raw, str):
                raise InputError(name, raw, "text")
            return raw
        elif t == "list":
            v = _structured(raw, name, list)
            return v
        else:  # table
            return _structured(raw, name, dict)
        if self.minimum is not None and v < D(self.minimum):
            raise InputError(name, raw, self.allowed(view))
        if self.maximum is not None and v > D(self.maximum):
            raise InputError(name, raw, self.allowed(view))
        return v

    def describe(self, view: CatalogView | None = None) -> dict:
        return {"name": self.name, "type": self.type, "unit": self.unit, "required": self.required,
                "default": None if self.required else _default_text(self.default), "allowed": self.allowed(view),
                "help": self.help}


def _default_text(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def _structured(raw: Any, name: str, kind: type) -> Any:
    if isinstance(raw, kind):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        try:
            v = json.loads(text)
        except ValueError:
            import tomllib
            try:
                v = tomllib.loads(f"v = {text}")["v"]
            except tomllib.TOMLDecodeError:
                v = None
        if isinstance(v, kind):
            return v
    raise InputError(name, raw, TYPES["list" if kind is list else "table"])


# constructors: short names for the declarations in the rule modules ----------------------------

def count(name, unit="", default=REQUIRED, help="", minimum=None, maximum=None) -> Input:
    return Input(name, "count", unit, default, help, (), minimum, maximum)


def number(name, unit="", default=REQUIRED, help="", minimum=None, maximum=None) -> Input:
    return Input(name, "number", unit, default, help, (), minimum, maximum)


def money(name, default=REQUIRED, help="", minimum=None, maximum=None) -> Input:
    return Input(name, "money", "CNY", default, help, (), minimum, maximum)


def whole(name, unit="", default=REQUIRED, help="", minimum=0, maximum=None) -> Input:
    return Input(name, "whole", unit, default, help, (), minimum, maximum)


def moment(name, default=REQUIRED, help="") -> Input:
    return Input(name, "moment", "Beijing time", default, help)


def day(name, default=REQUIRED, help="") -> Input:
    return Input(name, "date", "", default, help)


def flag(name, default=False, help="") -> Input:
    return Input(name, "flag", "", default, help)


def choice(name, choices, default=REQUIRED, help="") -> Input:
    return Input(name, "choice", "", default, help, choices if callable(choices) else tuple(choices))


def text(name, default=REQUIRED, help="") -> Input:
    return Input(name, "text", "", default, help)


def items(name, unit="", default=REQUIRED, help="") -> Input:
    return Input(name, "list", unit, default, help)


def table(name, unit="", default=REQUIRED, help="") -> Input:
    return Input(name, "table", unit, default, help)


def catalog_column(entry_id: str, column: str) -> Callable[[CatalogView], tuple]:
    """Allowed values read from a table entry of the catalog at the calculation's moment."""
    def values(view: CatalogView) -> tuple:
        return tuple(r[column] for r in view.rows(entry_id))
    values.__qualname__ = f"catalog_column({entry_id!r}, {column!r})"
    return values


# the registry ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Calc:
    """A registered calculation: id, title, inputs, the input that is its moment, policies read."""

    id: str
    fn: Callable[[CatalogView, dict, dict], Result]
    title: str
    inputs: tuple[Input, ...]
    moment: str = ""                       # the input that dates the catalog view, if any
    policies: tuple[Policy, ...] = ()
    open_inputs: bool = False              # accepts inputs beyond those declared (legacy calcs)

    def input(self, name: str) -> Input | None:
        return next((i for i in self.inputs if i.name == name), None)

    def parse(self, raw: dict, view: CatalogView | None) -> dict:
        given = dict(raw or {})
        names = [i.name for i in self.inputs]
        unknown = [k for k in given if k not in names]
        if unknown and not self.open_inputs:
            raise InputError(unknown[0], given[unknown[0]],
                             f"an input of {self.id}: {', '.join(names) if names else '(it takes none)'}")
        out = {k: v for k, v in given.items() if k in unknown}
        if view is not None:
            view = self.dated(given, view)
        for i in self.inputs:
            if i.name in given:
                out[i.name] = i.parse(given[i.name], view)
            elif i.required:
                raise InputError(i.name, None, f"required by {self.id}: {i.allowed(view)}")
            else:
                out[i.name] = i.parse(i.default, view) if isinstance(i.default, str) else i.default
        return out

    def dated(self, raw: dict, base: CatalogView) -> CatalogView:
        """The view at the calculation's own moment (its ``moment`` input, given or defaulted), else
        ``base``. The moment is read first, so that every other input (allowed region, edition, plan
        ids) is checked against the catalog in force at that moment."""
        if not self.moment:
            return base
        mi, value = self.input(self.moment), (raw or {}).get(self.moment)
        if value is None and not mi.required:
            value = mi.default
        at = mi.parse(value, base) if value is not None else None
        return base.at(at) if at is not None else base

    def describe(self, view: CatalogView | None = None) -> dict:
        return {"id": self.id, "title": self.title, "moment": self.moment or "as_of",
                "inputs": [i.describe(view) for i in self.inputs],
                "policies": [{"name": p.name, "default": p.default, "choices": list(p.choices)} for p in self.policies]}


CALCS: dict[str, Calc] = {}


def calc(name: str, title: str = "", inputs=None, moment: str = "", policies=()):
    """Register a calculation under a stable id.

    ``inputs``: the declared :class:`Input` list (``None`` registers a legacy calculation whose
    inputs are not declared yet: it accepts any names). ``moment``: the name of the input whose
    value dates the catalog view. ``policies``: the :class:`Policy` objects the rule reads."""
    def deco(fn):
        if name in CALCS and CALCS[name].fn is not fn:
            raise ValueError(f"calculation {name} registered twice")
        ins = tuple(inputs or ())
        if moment and not any(i.name == moment and i.type in ("moment", "date") for i in ins):
            raise ValueError(f"calculation {name}: moment {moment!r} is not a declared moment or date input")
        doc = (fn.__doc__ or "").strip().splitlines()
        CALCS[name] = Calc(name, fn, title or (doc[0] if doc else name), ins, moment, tuple(policies),
                           open_inputs=inputs is None)
        return fn
    return deco


def get(name: str) -> Calc:
    if name not in CALCS:
        raise InputError("calc", name, "a registered calculation (pricing calc --list): " + ", ".join(sorted(CALCS)))
    return CALCS[name]


def run_calc(name: str, cat: Catalog | CatalogView, inputs: dict | None = None, policies: dict | None = None,
             as_of: object = None) -> Result:
    """Run calculation ``name`` on ``inputs`` (raw strings or parsed values) under ``policies``.

    ``cat`` is the versioned catalog (then ``as_of`` dates the view, unless the calculation has a
    moment input) or an already dated view. The result records the readings used, the moment it
    was priced at and every catalog version it read (``result.catalog_reads``)."""
    c = get(name)
    policies = translate(policies)  # a renamed policy (apigw.rounding.point) answers under its new name
    check_known(policies)
    trace: dict = {}
    if isinstance(cat, CatalogView):
        base = cat.catalog.as_of(cat.moment, trace)
    else:
        if as_of is None:
            raise InputError("as_of", None, f"a moment to price {name} at (a date or date-time)")
        base = cat.as_of(as_of, trace)
    view = c.dated(inputs or {}, base)
    parsed = c.parse(inputs or {}, base)
    res = c.fn(view, parsed, dict(policies or {}))
    res.as_of = view.moment
    res.catalog_reads = {k: sorted(v) for k, v in sorted(trace.items())}
    return res


def policies_of(name: str) -> tuple[Policy, ...]:
    return get(name).policies


__all__ = ["CALCS", "Calc", "Input", "REQUIRED", "POLICIES", "calc", "get", "run_calc", "count", "number", "money",
           "whole", "moment", "day", "flag", "choice", "text", "items", "table", "catalog_column"]
