"""The words the commands print: status labels and counted nouns, one place for all of them, so
that ``pricing examples``, ``build``, ``update``, ``diff``, ``check-sync`` and ``reconcile`` (its text
and its HTML page) say the same thing the same way ("1 example", "2 known discrepancies", "1 differs").
"""
from __future__ import annotations

STATUSES = ("match", "known", "differs", "unexpected", "error")
RECONCILE_STATUSES = ("match", "differs", "not-covered")
"""A reconciled bill line's statuses (``pricing reconcile``): "not covered" is a product the guides do not price."""

# What a status means, as a short label (the report's column heads use the same words).
STATUS_LABEL = {"match": "match", "known": "known discrepancy", "differs": "differs",
                "unexpected": "unexpectedly matches", "error": "error", "not-covered": "not covered"}

# Counted forms: (one, several) of each status, as in "1 match, 1 known discrepancy, 2 differ".
_COUNTED = {"match": ("match", "match"), "known": ("known discrepancy", "known discrepancies"),
            "differs": ("differs", "differ"), "unexpected": ("unexpectedly matches", "unexpectedly match"),
            "error": ("error", "errors"), "not-covered": ("not covered", "not covered")}

IRREGULAR = {"discrepancy": "discrepancies", "entry": "entries", "is": "are", "was": "were", "reading": "readings",
             "this": "these", "matches": "match", "differs": "differ"}

FAILING = ("differs", "unexpected", "error")  # statuses that fail a build under the shipped catalog


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """``plural(1, "example")`` → "1 example"; ``plural(2, "entry")`` → "2 entries";
    ``plural(3, "known discrepancy")`` → "3 known discrepancies" (the last word is inflected)."""
    if n == 1:
        return f"{n} {noun}"
    if plural_form is None:
        head, _, last = noun.rpartition(" ")
        if last in IRREGULAR:
            word = IRREGULAR[last]
        elif last.endswith(("s", "x", "sh", "ch")):
            word = last + "es"
        else:
            word = last + "s"
        plural_form = (head + " " if head else "") + word
    return f"{n} {plural_form}"


def status_count(n: int, status: str) -> str:
    """A count of examples with one status: "3 match", "1 known discrepancy", "1 differs",
    "2 differ", "1 unexpectedly matches", "2 errors"."""
    one, many = _COUNTED[status]
    return f"{n} {one if n == 1 else many}"


def totals_line(counts: dict[str, int], total: int | None = None, noun: str = "example",
                statuses: tuple = STATUSES, zeros: bool = False) -> str:
    """"228 examples: 226 match, 1 known discrepancy, 1 differs" (zero counts left out, except
    that a total of nothing says so; ``zeros``: every status counted, "1 line: 1 match, 0 differ,
    0 not covered")."""
    total = sum(counts.get(s, 0) for s in statuses) if total is None else total
    parts = [status_count(counts.get(s, 0), s) for s in statuses if zeros or counts.get(s)]
    return plural(total, noun) + (": " + ", ".join(parts) if parts else "")
