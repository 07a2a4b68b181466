"""Package-wide conventions that both guides leave open: one policy per question, read by every
rule that meets it (the register entry names each place).

* ``units.data_base`` (UNITS-DATA-BASE): the factor between data units below and above the GB.
  The API Gateway guide states 1024 between MB, GB and TB only; the CloudBase guide states no base
  and measures memory in GiB while pricing GB.
* ``periods.month_end`` (CB-MONTHLY-MONTHEND): what "n months from an anchor" gives when the
  target month lacks the anchor's day (a plan's billing day, a dedicated or gateway term, the
  token gift, the Cloud Hosting free quota, a pack sold for one month, the free-quota months).
* ``prepaid.term_price`` (CB-GW-TERM): what a prepaid term of several months costs when only a
  monthly price is published (dedicated API Gateway instances, the CloudBase gateway).

Shapes: :func:`data_factor` returns the Decimal factor for one step (``"KB->MB"``, ``"MB->GB"``,
``"GB->TB"``); :func:`convert` converts an amount between B/KB/MB/GB/TB under the chosen base;
:func:`month_end` returns the engine's month-end name for :func:`pricing.engine.periods.add_months`;
:func:`term_amount` returns (amount, note) for ``months`` × a monthly price.
"""
from __future__ import annotations

from decimal import Decimal

from pricing.engine.errors import InputError
from pricing.engine.money import D, nonneg
from pricing.engine.policies import choose, policy
from pricing.engine.units import DATA_FACTOR, DATA_UNITS

DATA_BASE = policy(
    "units.data_base",
    "Which factor separates adjacent data units (KB, MB, GB, TB), and is a GiB billed as a GB?",
    {"binary": "the declared binary factor at every step, below the MB as well; a GiB is billed as a GB",
     "decimal-below-mb": "the binary factor only where the guide states it (MB, GB, TB); KB to MB and bytes decimal",
     "decimal": "decimal units at every step (a GiB converted to decimal GB before pricing)"},
    "binary", "UNITS-DATA-BASE")

MONTH_END = policy(
    "periods.month_end",
    "A term of n months from an anchor on a day the target month lacks (the 29th to the 31st): where does it end?",
    {"clamp": "on the target month's last day, at the anchor's time of day",
     "roll-forward": "on the first day of the month after, at the anchor's time of day"},
    "clamp", "CB-MONTHLY-MONTHEND")

TERM_PRICE = policy(
    "prepaid.term_price",
    "A prepaid term of several months, sold against a monthly price only: months × the monthly price, "
    "or a term discount?",
    {"months-times-monthly": "the monthly price times the number of months; no term discount",
     "term-discount": "a term discount the guides do not publish, given as the input term_discount "
                      "(a ratio such as 0.83); without it the calculation refuses"},
    "months-times-monthly", "CB-GW-TERM")

DECIMAL = Decimal(1000)
STEPS = ("B", "KB", "MB", "GB", "TB")


def data_factor(step: str, policies: dict | None = None, declared: Decimal = DATA_FACTOR) -> Decimal:
    """The factor of one step between adjacent units (``"KB->MB"`` …) under ``units.data_base``;
    ``declared`` is the guide's binary factor (the catalog's ``apigw.data.factor`` where it applies)."""
    lower = step.split("->")[0]
    if lower not in STEPS[:-1]:
        raise InputError("step", step, " | ".join(f"{a}->{b}" for a, b in zip(STEPS, STEPS[1:])))
    base = choose(policies, DATA_BASE)
    if base == "decimal" or (base == "decimal-below-mb" and STEPS.index(lower) < STEPS.index("MB")):
        return DECIMAL
    return declared


def convert(amount: object, from_unit: str, to_unit: str, policies: dict | None = None,
            declared: Decimal = DATA_FACTOR) -> Decimal:
    """Convert a data size between B/KB/MB/GB/TB step by step, each step at :func:`data_factor` (exact)."""
    for f, u in (("from_unit", from_unit), ("to_unit", to_unit)):
        if u not in DATA_UNITS:
            raise InputError(f, u, f"one of {', '.join(DATA_UNITS)}")
    q = nonneg(amount, "amount")
    a, b = STEPS.index(from_unit), STEPS.index(to_unit)
    for i in range(min(a, b), max(a, b)):
        f = data_factor(f"{STEPS[i]}->{STEPS[i + 1]}", policies, declared)
        q = q / f if a < b else q * f
    return q


def binary_memory(policies: dict | None = None) -> Decimal:
    """How many billed GB one GiB is: 1 under 'binary' and 'decimal-below-mb' (a GiB is billed as a
    GB), 2^30 / 10^9 under 'decimal'."""
    if choose(policies, DATA_BASE) == "decimal":
        return D(2 ** 30) / D(10 ** 9)
    return Decimal(1)


def month_end(policies: dict | None = None) -> str:
    """The month-end convention :func:`pricing.engine.periods.add_months` applies under ``periods.month_end``."""
    return choose(policies, MONTH_END)


def term_amount(monthly: Decimal, months: int, inputs: dict | None, policies: dict | None = None) -> tuple[Decimal, str]:
    """(amount, note) of a prepaid term of ``months`` at ``monthly`` under ``prepaid.term_price``."""
    reading = choose(policies, TERM_PRICE)
    amount = monthly * months
    if reading == "months-times-monthly":
        return amount, f"{monthly} × {months} months (no term discount)"
    raw = (inputs or {}).get("term_discount")
    if raw in (None, ""):
        raise InputError("term_discount", raw, "a ratio in (0, 1] when prepaid.term_price = term-discount "
                                               "(the guides publish no term discount)")
    disc = D(raw, "term_discount")
    if not (0 < disc <= 1):
        raise InputError("term_discount", raw, "a ratio in (0, 1]")
    return amount * disc, f"{monthly} × {months} months × term discount {disc}"


__all__ = ["DATA_BASE", "MONTH_END", "TERM_PRICE", "binary_memory", "convert", "data_factor", "month_end", "term_amount"]
