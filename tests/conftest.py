"""Session-wide fixtures shared by the test modules (each runs once per test session and worker)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The CloudBase notebooks whose tables, charts and calculations show the plan lineup.
LINEUP_NOTEBOOKS = ("01_pricelist", "01b_plan_ops", "02_capabilities", "05_monthly", "06_alerts")


@pytest.fixture(scope="session")
def earlier_lineup(tmp_path_factory) -> Path:
    """A copy of the shipped catalog with an earlier, six-plan CloudBase lineup in force until
    2021-07-01 (tests/fixtures/lineup_catalog.py)."""
    from fixtures.lineup_catalog import earlier_lineup_catalog
    return earlier_lineup_catalog(tmp_path_factory.mktemp("lineup") / "catalog")


@pytest.fixture(scope="session")
def earlier_lineup_build(earlier_lineup, tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """``pricing build --catalog <earlier lineup>`` of the notebooks that show the lineup: one build
    per session. (The full build of every notebook under this catalog is run by hand; see the
    lineup work's report.)"""
    out = tmp_path_factory.mktemp("lineup-build")
    only = [a for nb in LINEUP_NOTEBOOKS for a in ("--only", str(ROOT / "notebooks" / "cloudbase" / f"{nb}.py"))]
    proc = subprocess.run([sys.executable, "-m", "pricing.spec.cli", "build", "--catalog", str(earlier_lineup),
                           "--out", str(out), "-j", "2", *only], capture_output=True, text=True, cwd=ROOT, timeout=600)
    return proc, out
