"""One full ``pricing build`` per test session, shared by every test that reads the built spec as
its readers do (tests/test_browser.py, tests/test_lab.py), whichever pytest-xdist worker runs
them: the first to ask builds under a file lock in the session's shared temporary folder, the
others wait for it and reuse the result. ``report_data`` gives the report's data without a build
(tests/test_report_data.py, and the severity and status tests of tests/test_browser.py)."""
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


# the report's data from the shipped catalog and spec ------------------------------------------

def report_data(stale: tuple[str, ...] = ()) -> dict:
    """The report's data (no notebooks built) from the shipped catalog, worked examples and register.

    ``stale``: examples recorded as known discrepancies whose figure is the guide's again (given an
    ``expected`` other than what they compute, as a register entry left behind by a correction
    would be), so that the pages show the status "unexpectedly matches" on real rows."""
    from dataclasses import replace

    import pytest

    from pricing.engine.catalog import load
    from pricing.spec import examples as exmod
    from pricing.spec import report
    if not stale:
        return report.collect(load(), "shipped", [], [], [])
    real = exmod.examples
    exs = [replace(e, expected="0.01") if e.id in stale else e for e in real()]
    assert {e.id for e in exs if e.expected == "0.01"} == set(stale)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(exmod, "examples", lambda section=None: exs)
        return report.collect(load(), "shipped", [], [], [])
