"""One full ``pricing build`` per test session, shared by every test that reads the built spec as
its readers do (tests/test_browser.py, tests/test_lab.py), whichever pytest-xdist worker runs
them: the first to ask builds under a file lock in the session's shared temporary folder, the
others wait for it and reuse the result."""
from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

from pricing.spec import nbtools

NAME = "full-build"


def pricing_build(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pricing.spec.cli", "build", "--out", str(out), *args],
                          capture_output=True, text=True, cwd=nbtools.ROOT, timeout=600)


def shared_build(tmp_path_factory) -> Path:
    """The folder of this session's full build (all notebooks, shipped catalog); fails with the
    build's output when the build fails."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of this session
    out, result = base / NAME, base / f"{NAME}.json"
    with open(base / f"{NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            r = pricing_build(out, "-j", "2")
            result.write_text(json.dumps({"code": r.returncode, "output": r.stdout + r.stderr}), encoding="utf-8")
    done = json.loads(result.read_text(encoding="utf-8"))
    assert done["code"] == 0, done["output"]
    return out


# the report's data with the optional fields another engineer adds ---------------------------

SEVERITY = {"APIGW-TIER-MONTH": "high", "APIGW-EXAMPLE-GB": "medium", "CB-PLANOPS-DISCOUNT": "Low",
            "APIGW-ROUNDING-POINT": "urgent"}  # "urgent" is no severity: shown as not rated
OWN_LINES = {"apigw.shared.fee-45.26": [250, 256]}


class With:
    """An example or register entry as loaded, plus optional fields it may gain."""

    def __init__(self, obj, **extra):
        self._obj, self._extra = obj, extra

    def __getattr__(self, name):
        return self._extra[name] if name in self._extra else getattr(self._obj, name)


def with_optional_fields() -> dict:
    """The report's data (no notebooks built) with the optional fields filled on a few entries:
    severities (one unknown), ``affects``, ``spread``, ``lines``, and one example's own ``lines``."""
    import pytest

    from pricing.engine.catalog import load
    from pricing.spec import examples as exmod
    from pricing.spec import report
    exs = [With(e, lines=OWN_LINES[e.id]) if e.id in OWN_LINES else e for e in exmod.examples()]
    dis = [With(d, severity=SEVERITY[d.id], affects=["apigw.shared.call_fee", "bills over 10,000,000 calls"],
                spread="68.00–72.00 CNY", lines=[231, 233]) if d.id in SEVERITY else d
           for d in exmod.discrepancies()]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(exmod, "examples", lambda section=None: exs)
        mp.setattr(exmod, "discrepancies", lambda section=None, **rendered_against: dis)  # report passes catalog=
        return report.collect(load(), "shipped", [], [], [])
