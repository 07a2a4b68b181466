"""The float ban, checked on the source: no float literal, ``float()``, whole-number true division or
``math`` call on the money path (see float_ban.py beside this file for what is detected).

``D()`` refuses floats at run time, but float arithmetic written into a rule (``gb * 0.8``,
``used_s / 86400``) never passes through it; this test reads the code instead. It is left out of
``make mutation`` (mutmut's copies of the modules carry its own trampolines); ``make test`` runs it.
"""
import functools
import textwrap
from pathlib import Path

import pytest

from float_ban import Finding, check_paths, check_source

ROOT = Path(__file__).resolve().parents[2]

SCOPE = ("pricing/engine", "pricing/rules")
"""The money path: every module under these folders is checked. A new engine or rules package
lands inside them and is covered without a change here."""

NOT_MONEY_PATH = {
    "pricing/spec": "spec tooling (charts draw with matplotlib floats, formulas use sympy, the report and the CLI "
                    "format text); it reads results and never computes a bill",
    "pricing/__init__.py": "re-exports D and load_catalog; no arithmetic",
}
"""Parts of the package outside the money path, each with the reason. Every module of ``pricing/``
is either in SCOPE or here, so that a new folder is not skipped silently."""

KNOWN_OFFENDERS: dict = {}  # none left: the refund's started days are counted with // (pricing/rules/apigw)
"""Findings that are known and being fixed elsewhere: (file, kind, code) -> why it is allowed for
now. Empty it when the fix lands; any finding not listed here fails the test, and an entry that no
longer matches a finding fails too (so the list cannot go stale and hide a new offender)."""


@functools.cache
def findings():
    return tuple(check_paths([ROOT / p for p in SCOPE], ROOT))


def test_the_money_path_has_no_float_arithmetic():
    new = [f for f in findings() if (f.path, f.kind, f.code) not in KNOWN_OFFENDERS]
    assert not new, "float arithmetic on the money path (build money with D() from strings, round with the " \
                    "named policies of pricing.engine.money, count whole days with //):\n" + \
                    "\n".join(map(str, new))


def test_every_known_offender_is_still_there():
    seen = {(f.path, f.kind, f.code) for f in findings()}
    stale = [k for k in KNOWN_OFFENDERS if k not in seen]
    assert not stale, "fixed, so remove from KNOWN_OFFENDERS in tests/engine/test_float_ban.py: " + repr(stale)


def test_every_module_of_the_package_is_in_scope_or_explicitly_excluded():
    def covered(rel: str) -> bool:
        return any(rel == p or rel.startswith(p + "/") for p in (*SCOPE, *NOT_MONEY_PATH))
    modules = [f.relative_to(ROOT).as_posix() for f in sorted((ROOT / "pricing").rglob("*.py"))]
    assert "pricing/engine/money.py" in modules and "pricing/rules/apigw/refunds.py" in modules
    assert [m for m in modules if not covered(m)] == []


def test_the_excluded_tooling_really_has_floats():
    # the allowance is not a blind spot kept for nothing: the charts module draws with floats
    assert any(f.path == "pricing/spec/charts.py" for f in check_paths([ROOT / "pricing/spec"], ROOT))


# -- the checker fails on planted floats ----------------------------------------------------------------
PLANTED = '''\
import math
from math import ceil
from decimal import Decimal

RATE = 0.06
DAY = 86400


def fee(gb, seconds: int, used, start, end, rows):
    price = float(gb)
    days = used // 1 / 3
    per_row = len(rows) / 2
    hours = (end - start).total_seconds() / 3600
    months = (end - start).days / 30
    share = seconds / DAY
    whole = math.ceil(gb)
    n = 0
    n += int(gb)
    n /= 7
    big = 1e3
    return Decimal(gb) * RATE
'''


def test_planted_floats_are_each_reported_with_file_and_line(tmp_path):
    mod = tmp_path / "rules" / "planted.py"
    mod.parent.mkdir()
    mod.write_text(PLANTED, encoding="utf-8")
    got = check_paths([tmp_path / "rules"], tmp_path)
    assert [str(f) for f in got] == [
        "rules/planted.py:2: math-import: from math import ceil",
        "rules/planted.py:5: float-literal: 0.06",
        "rules/planted.py:10: float-call: float(gb)",
        "rules/planted.py:11: int-true-division: used // 1 / 3",
        "rules/planted.py:12: int-true-division: len(rows) / 2",
        "rules/planted.py:13: int-true-division: (end - start).total_seconds() / 3600",
        "rules/planted.py:14: int-true-division: (end - start).days / 30",
        "rules/planted.py:15: int-true-division: seconds / DAY",
        "rules/planted.py:16: math-call: math.ceil(gb)",
        "rules/planted.py:19: int-true-division: n /= 7",
        "rules/planted.py:20: float-literal: 1e3",
    ]


@pytest.mark.parametrize("line, kind", [
    ("x = 0.1", "float-literal"),
    ("x = 2j", "float-literal"),
    ("x = float(y)", "float-call"),
    ("x = a // 1 / 3", "int-true-division"),
    ("x = 7 / 2", "int-true-division"),
    ("x = -len(a) / (1 + 2)", "int-true-division"),
    ("x = int(a) / round(b)", "int-true-division"),
    ("x = max(1, 2) / 2", "int-true-division"),
    ("x = (2 if a else 3) / 4", "int-true-division"),
    ("x = t.seconds / 60", "int-true-division"),
    ("x = m.floor(y)", "math-call"),
    ("x = cmath.sqrt(y)", "math-call"),
])
def test_each_kind_of_offender_fails_the_checker(line, kind):
    src = "import math as m\nimport cmath\n" + line + "\n"
    assert check_source(src, "mod.py") == [Finding("mod.py", 3, kind, check_source(src, "mod.py")[0].code)]
    assert check_source(src, "mod.py")[0].kind == kind


def test_whole_numbers_are_traced_through_names_and_loops():
    src = textwrap.dedent('''\
        HOURS = 24
        def f(n: int, k):
            total = 0
            for i in range(n):
                total += i
            a = total / HOURS
            b = k / HOURS
            c = [j / 2 for j in range(3)]
            return a, b, c
        ''')
    assert [(f.line, f.code) for f in check_source(src, "m.py")] == [(6, "total / HOURS"), (8, "j / 2")]


def test_decimal_arithmetic_passes():
    src = textwrap.dedent('''\
        from decimal import Decimal
        from pricing.engine.money import D, BILLED
        DAY = 86400
        def fee(gb, price, seconds: int, rows):
            x = D(gb) * D("0.8") / 3
            y = Decimal(seconds) / DAY
            z = D(len(rows)) / 2
            w = seconds // DAY
            k = price / seconds
            if isinstance(gb, float):
                raise TypeError("no floats")
            days = seconds
            days = D(days) / 7
            return BILLED(x + y + z + w + k + days)
        ''')
    assert check_source(src, "clean.py") == []


def test_a_name_bound_to_a_decimal_anywhere_in_its_scope_is_not_whole():
    src = "def f(a):\n    n = 3\n    if a:\n        n = D(a)\n    return n / 2\n"
    assert check_source(src, "m.py") == []


def test_module_constants_are_seen_inside_functions_unless_shadowed():
    src = "DAY = 86400\ndef f(x):\n    DAY = D(x)\n    return x.days / DAY\ndef g(x):\n    return x.days / DAY\n"
    assert [f.line for f in check_source(src, "m.py")] == [6]
