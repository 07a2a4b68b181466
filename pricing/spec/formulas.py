"""The guides' formulas, stated symbolically with sympy.

Each formula is built from the catalog (prices enter as exact Rationals made from the catalog's
decimal strings), rendered as LaTeX beside the prose, and checked by substitution against the
package's Decimal result, so the symbolic statement and the Decimal implementation check each
other. ``check`` raises :class:`FormulaMismatch` when they disagree (a self-check that cannot fail
is no check): a notebook cell that calls it, or :func:`pricing.spec.notebook.formula`, then fails,
and so do ``pricing build``/``refresh`` and nbval. The comparison rule is :func:`agrees`.
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


class FormulaMismatch(AssertionError):
    """A formula's exact value disagrees with the package's Decimal figure (see :func:`agrees`)."""


def as_figure(expected: Decimal | str | int) -> Decimal:
    """The package's figure as a finite Decimal (a float is refused: it is not an exact figure)."""
    if isinstance(expected, float):
        raise TypeError("a float reached a formula check; compare with the package's Decimal figure")
    d = expected if isinstance(expected, Decimal) else Decimal(str(expected))
    if not d.is_finite():
        raise ValueError(f"{d} is not a finite figure")
    return d


def terminates(x: sp.Rational) -> bool:
    """Whether the rational ``x`` has a finite decimal expansion (its reduced denominator is 2^a·5^b)."""
    q = int(sp.Rational(x).q)
    for f in (2, 5):
        while q % f == 0:
            q //= f
    return q == 1


def round_half_up(x: sp.Rational, exponent: int) -> Decimal:
    """``x`` rounded half-up (away from zero at an exact half) to a multiple of 10**exponent, exactly
    (integer arithmetic on the Rational, no Decimal context involved)."""
    x = sp.Rational(x)
    scaled = abs(x) / sp.Rational(10) ** exponent
    n = int(sp.floor(scaled + sp.Rational(1, 2)))
    return Decimal((1 if x < 0 else 0, tuple(int(c) for c in str(n)), exponent))


def agrees(value: sp.Rational, expected: Decimal | str | int) -> bool:
    """Whether a formula's exact value agrees with the package's Decimal figure.

    The rule: a Decimal is a terminating decimal, so

    - a ``value`` with a finite decimal expansion (reduced denominator 2^a·5^b, e.g. 139059 or
      36427/5) must equal the figure **exactly** (139059 against 139058.00 is a mismatch, and so is
      5342.63 against 5342.626);
    - a ``value`` that does not terminate (e.g. 400697/75 = 5342.6266…) can never equal a Decimal
      exactly; it agrees when, rounded **half-up to the figure's own exponent**, it equals the figure:
      400697/75 agrees with 5342.63 (exponent −2) and with 5342.626666…667 at 50 significant
      digits (what ``Decimal`` division gives at the package's precision), not with 5342.62 or
      5342.626.

    Trailing zeros only set the exponent: 32.00 and 32 are the same figure when the value is 32.
    A float ``expected`` is a ``TypeError``; an infinite or NaN one a ``ValueError``."""
    figure = as_figure(expected)
    value = sp.Rational(value)
    if terminates(value):
        return value == R(figure)
    return round_half_up(value, figure.as_tuple().exponent) == figure


def check(expr: sp.Expr, subs: dict, expected: Decimal | str | int, label: str = "") -> tuple[sp.Rational, bool]:
    """Substitute ``subs`` into ``expr`` and compare the exact result with the package's Decimal
    figure ``expected`` by the rule of :func:`agrees`.

    Returns ``(value, True)``: the exact sympy value, and that it agrees. Raises
    :class:`FormulaMismatch` naming ``label``, the sympy value and the Decimal figure when they
    disagree or when the substitution leaves no exact number (a symbol not substituted); a float
    among the inputs is a ``TypeError`` (build inputs with :func:`R`)."""
    value = sp.simplify(sp.sympify(expr).subs(subs))  # exact: inputs are Rationals, never floats
    if value.is_Float or any(a.is_Float for a in sp.preorder_traversal(value)):
        raise TypeError("a float reached a formula; build inputs with formulas.R()")
    figure = as_figure(expected)
    name = f" '{label}'" if label else ""
    if not value.is_Rational:
        raise FormulaMismatch(f"formula check{name} failed: sympy gives {value}, not an exact number "
                              f"(a symbol left unsubstituted?); the package's Decimal figure is {figure}")
    if not agrees(value, figure):
        shown = value if terminates(value) else f"{value} ≈ {round_half_up(value, figure.as_tuple().exponent)}"
        raise FormulaMismatch(f"formula check{name} failed: sympy gives {shown}, "
                              f"the package's Decimal figure is {figure}: not equal")
    return value, True


def latex(lhs: str, expr: sp.Expr) -> str:
    return f"{lhs} = {sp.latex(expr)}"
