"""The guides' formulas, stated symbolically with sympy.

Each formula is built from the catalog (prices enter as exact Rationals made from the catalog's
decimal strings), rendered as LaTeX beside the prose, and checked by substitution against the
package's Decimal result: ``check`` insists on exact equality, so the symbolic statement and the
Decimal implementation check each other.
"""
from __future__ import annotations

from decimal import Decimal

import sympy as sp

from pricing.engine.catalog import Catalog


def R(d: Decimal | str | int) -> sp.Rational:
    """An exact sympy Rational from a Decimal (via its string, never a float)."""
    return sp.Rational(str(d))


def tiered_fee(cat: Catalog, tier_id: str, N: sp.Symbol | None = None) -> tuple[sp.Symbol, sp.Expr]:
    """A graduated fee as a function of the cumulative count N: a Piecewise over the tiers."""
    N = N or sp.Symbol("N", nonnegative=True)
    ts = cat.tiers(tier_id)
    unit = R(ts.unit)
    pieces, acc, lower = [], sp.Integer(0), sp.Integer(0)
    for t in ts.tiers:
        price = R(t.price) / unit
        if t.up_to is None:
            pieces.append((acc + price * (N - lower), True))
        else:
            up = R(t.up_to)
            pieces.append((acc + price * (N - lower), N <= up))
            acc += price * (up - lower)
            lower = up
    return N, sp.Piecewise(*pieces)


def to_decimal(x: sp.Expr) -> Decimal:
    """An exact sympy number as a Decimal (refuses anything not exactly a terminating rational)."""
    x = sp.sympify(x)
    if not x.is_Rational:
        raise ValueError(f"{x} is not an exact rational")
    p, q = int(x.p), int(x.q)
    return Decimal(p) / Decimal(q)


def check(expr: sp.Expr, subs: dict, expected: Decimal) -> tuple[sp.Rational, bool]:
    """Substitute and compare exactly with the package's Decimal figure."""
    value = sp.simplify(sp.sympify(expr).subs(subs))  # exact: inputs are Rationals, never floats
    if value.is_Float:
        raise TypeError("a float reached a formula; build inputs with formulas.R()")
    return value, value == R(expected)


def latex(lhs: str, expr: sp.Expr) -> str:
    return f"{lhs} = {sp.latex(expr)}"
