"""Prose from data, checked the way a price change would expose it: one full build under a catalog
whose every price is multiplied by 1.37 and whose CloudBase lineup before 2021-07-01 is an earlier
one of six plans (tests/fixtures/lineup_catalog.py). The build must end green, and no old price
may be left in the rendered prose: the Markdown cells, the prose cells (``spec.md``) and the
register's texts. The guides' printed figures (the example tables) are the guides' own and are
not prose; they are not scanned."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from fixtures.catalog_edit import scale_prices

ROOT = Path(__file__).resolve().parent.parent
FACTOR = "1.37"


@pytest.fixture(scope="session")
def scaled_build(earlier_lineup, tmp_path_factory):
    cat = tmp_path_factory.mktemp("scaled") / "catalog"
    shutil.copytree(earlier_lineup, cat)
    moved = scale_prices(cat, FACTOR)
    out = tmp_path_factory.mktemp("scaled-build")
    proc = subprocess.run([sys.executable, "-m", "pricing.spec.cli", "build", "--catalog", str(cat), "--out", str(out),
                           "-j", "2", "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    return proc, out, moved


def prose(out: Path) -> list[tuple[str, str]]:
    """(where, text) of every piece of prose in the build."""
    found = []
    for nb_path in sorted((out / "notebooks").rglob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        for i, c in enumerate(nb.cells):
            where = f"{nb_path.relative_to(out)} cell {i}"
            if c.cell_type == "markdown":
                found.append((where, c.source))
            elif "prose" in c.metadata.get("tags", []):
                for o in c.get("outputs", []):
                    found.append((where, o.get("data", {}).get("text/markdown", "")))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for d in report["register"]:
        texts = [d.get(k, "") for k in ("title", "where", "says", "why")]
        texts += [r.get("summary", "") for r in d.get("readings", [])]
        found.append((f"register {d['id']}", "\n".join(t for t in texts if isinstance(t, str))))
    return found


# Numbers in the prose that equal an old price but are not prices, each allowed only inside its own
# exact text in its own place (where, text, why). Every allowance must still be needed (see below).
NOT_PRICES = [
    ("notebooks/apigw/02_specs.ipynb", "2500 - 50000 QPS",
     "the dedicated column's QPS range (apigw.specs.comparison), rendered from the catalog"),
    ("notebooks/apigw/02_specs.ipynb", "99.95% - 99.99% SLA",
     "the dedicated column's SLA range (apigw.specs.comparison), rendered from the catalog"),
    ("notebooks/apigw/03_shared.ipynb", "(section revised 2025-03-17 17:50:52)",
     "the section's revision instant: 17:50:52 is a clock time"),
    ("notebooks/apigw/04_dedicated.ipynb", "(section revised 2025-03-17 17:50:52)",
     "the section's revision instant: 17:50:52 is a clock time"),
    ("notebooks/cloudbase/01_pricelist.ipynb", "counts as **50** calls",
     "cloudbase.pricelist.calls.per_sse: calls counted per SSE request, a count"),
    ("notebooks/cloudbase/01_pricelist.ipynb", "a saving of at most 50%",
     "cloudbase.pack_refunds.max_saving: the guide's claimed saving, a ratio"),
    ("register CB-PL-PACK-SAVING", "Packs save up to 50%",
     "cloudbase.pack_refunds.max_saving: the guide's claimed saving, a ratio"),
    ("notebooks/cloudbase/02_capabilities.ipynb", "99.99%",
     "cloudbase.cap.exclusive.sla: an availability in percent"),
]


def allowed(where: str, text: str, m: re.Match) -> tuple | None:
    """The allowance that covers match ``m`` of ``text`` found at ``where``, if any."""
    for a in NOT_PRICES:
        if not where.startswith(a[0]):
            continue
        at = text.find(a[1])
        while at >= 0:
            if at <= m.start() and m.end() <= at + len(a[1]):
                return a
            at = text.find(a[1], at + 1)
    return None


def test_a_catalog_with_another_lineup_and_other_prices_builds_green(scaled_build):
    proc, out, moved = scaled_build
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert len(moved) > 40 and moved["199"] == "272.63" and moved["0.06"] == "0.0822"
    assert len(list((out / "html").rglob("*.html"))) == 20


def test_no_old_price_is_left_in_the_prose(scaled_build):
    proc, out, moved = scaled_build
    assert proc.returncode == 0
    olds = {o for o, n in moved.items() if o != n and o not in moved.values()}
    pattern = re.compile(r"(?<![\d.])(" + "|".join(re.escape(o) for o in sorted(olds, key=len, reverse=True))
                         + r")(?![\d])")
    texts = prose(out)
    assert len(texts) > 300
    hits, used = [], set()
    for where, text in texts:
        for m in pattern.finditer(text):
            a = allowed(where, text, m)
            if a is not None:
                used.add(a)
                continue
            line = text[max(0, m.start() - 60):m.end() + 40].replace("\n", " ")
            hits.append(f"{where}: {m.group(1)} in …{line}…")
    assert not hits, f"{len(hits)} old prices typed in prose:\n" + "\n".join(hits[:60])
    assert used == set(NOT_PRICES), f"allowances no longer needed: {set(NOT_PRICES) - used}"


def test_the_earlier_lineup_catalog_builds_with_every_example_reproduced(scaled_build):
    """The earlier-lineup catalog (issue 7) builds green: one build serves this test and the prose scan."""
    proc, out, _ = scaled_build
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["failures"] == []
    nb = (out / "notebooks" / "cloudbase" / "01_pricelist.ipynb").read_text(encoding="utf-8")
    assert "enterprise_premium" in nb and "flagship" not in nb  # the notebooks run as of the latest change: the current lineup
