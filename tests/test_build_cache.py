"""The pieces of a fast, safe build, each on its own: readable derivations, the read recorder and
the cache fingerprint, the refresh journal, deterministic charts. (The whole build, cached and not,
is exercised end to end by tests/test_workflow.py.)"""
from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from decimal import Decimal
from pathlib import Path

import pytest

from fixtures.catalog_edit import copy_catalog, edit_entry
from pricing.engine.catalog import load
from pricing.engine.results import Result, Step, readable
from pricing.spec import cache, journal, nbtools
from pricing.spec import examples as ex


# readable derivations ---------------------------------------------------------------------------

def test_the_upgrade_derivation_prints_sensible_precision_and_keeps_the_exact_figures():
    run = ex.run_example(ex.example("cloudbase.monthly.upgrade-fee-1420.27"), load())
    assert run.status == "match" and run.computed_text == "1420.27"
    steps = {s.label: s for s in run.result.steps}
    fee = steps["fee, exact"]
    assert fee.value == "≈1420.2739726"                       # 8 decimals, trailing zero dropped, marked
    assert fee.exact.startswith("1420.27397260273972602739726")  # the exact text is kept beside it
    assert steps["average month (365/12)"].value == "≈30.41666667"
    assert isinstance(run.result.outputs["fee"], Decimal)
    longest = max(len(s.value) for s in run.result.steps)
    assert longest < 120, "a derivation value is still printed at full precision"


@pytest.mark.parametrize("value, shown", [
    (Decimal("15.256"), "15.256"),                   # exact with few decimals: as is
    (Decimal("30.00"), "30.00"),
    (Decimal("0.00016"), "0.00016"),
    (Decimal("14.30511474609375"), "≈14.30511475"),  # an amount: 8 decimals
    (Decimal(17) / Decimal(30), "17/30 ≈ 0.566667"),  # a ratio: the fraction and 6 significant digits
    (Decimal(-1) / Decimal(3), "-1/3 ≈ -0.333333"),
    (Decimal(1) / Decimal(7777), "≈0.000128584"),    # no small denominator: 6 significant digits
    ("2.0055555555555555555555555555555555555555555555556 h", "≈2.00555556 h"),  # inside a rule's text
    ("apigw.shared.fee-45.26", "apigw.shared.fee-45.26"),
])
def test_readable(value, shown):
    assert readable(value) == shown


def test_a_step_keeps_its_exact_text():
    r = Result({"x": Decimal(2) / Decimal(3)})
    r.step("two thirds", r["x"])
    s = r.steps[0]
    assert s.value == "2/3 ≈ 0.666667" and s.exact.startswith("0.66666666666666666666")
    assert Step("made by hand", "1.123456789 h").value == "≈1.12345679 h"


# the read recorder and the fingerprint ------------------------------------------------------------

RECORD = """
import json, sys
import pricing.spec.readlog as r
r.install(sys.argv[1])
from pricing.spec.notebook import Spec
spec = Spec(None, "apigw.shared", "2024-01-01")
spec.cat.dec("apigw.egress.price.group_hk")
spec.cat.has("apigw.no.such.entry")
spec.entries("apigw.shared")
spec.example("apigw.shared.egress-8")
spec.summary()
spec.register()
r.dump()
"""


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict:
    """What the kernel-side recorder writes for a few typical look-ups (run in a child process:
    the recorder patches the catalog loader of the process it runs in)."""
    out = tmp_path_factory.mktemp("reads") / "reads.json"
    r = subprocess.run([sys.executable, "-c", RECORD, str(out)], capture_output=True, text=True, cwd=nbtools.ROOT,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_recorder_sees_entries_prefixes_absent_ids_and_examples(recorded):
    (path, reads), = recorded["catalogs"].items()
    assert Path(path) == load().path
    assert {"apigw.egress.price.group_hk", "apigw.no.such.entry"} <= set(reads["ids"])
    assert reads["prefixes"] == ["apigw.shared"]
    assert reads["latest"] is False and reads["all"] is False   # an explicit as-of date: no latest_change()
    assert "apigw.shared.call_tiers" in reads["ids"]             # through the section's examples (summary)
    assert not [i for i in reads["ids"] if i.startswith("cloudbase.")]  # never looked up here
    kinds = {(k, a) for k, a, _ in recorded["examples"]}
    assert ("example", "apigw.shared.egress-8") in kinds and ("examples", "apigw.shared") in kinds
    # the register cell: its section's selection, not a read of every entry (which any entry would move)
    assert ("register", "apigw.shared") in kinds and ("discrepancies", "") not in kinds


def _edit_title(root: Path, entry_id: str) -> None:
    f = next(p for p in root.rglob("*.toml") if f'id = "{entry_id}"' in p.read_text(encoding="utf-8"))
    text = f.read_text(encoding="utf-8")
    at = text.index("\ntitle = \"", text.index(f'id = "{entry_id}"')) + len("\ntitle = \"")
    f.write_text(text[:at] + "Edited: " + text[at:], encoding="utf-8")
    ex._load_all.cache_clear()  # the loader keeps what it read per folder


REGISTER_CELL = """
import sys
import pricing.spec.readlog as r
r.install(sys.argv[1])
from pricing.spec.notebook import Spec
Spec(None, "apigw.pack_refunds", "2024-01-01").register()
r.dump()
"""


def test_a_price_that_only_a_shown_register_text_states_is_a_read(tmp_path):
    """07_pack_refunds shows APIGW-PACK-WINDOW (which also governs apigw.pack_refunds); its spread note
    states the first tier's call price, which nothing else in the cell reads: correcting that price
    must re-execute the notebook, so the recorder counts it."""
    out = tmp_path / "reads.json"
    r = subprocess.run([sys.executable, "-c", REGISTER_CELL, str(out)], capture_output=True, text=True,
                       cwd=nbtools.ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    reads = json.loads(out.read_text(encoding="utf-8"))
    (path, cat_reads), = reads["catalogs"].items()
    assert "apigw.shared.call_tiers" in cat_reads["ids"]
    assert reads["examples"] == [["register", "apigw.pack_refunds", str(ex.EXAMPLES_DIR)]]
    a = copy_catalog(tmp_path / "a")
    base = cache.fingerprint(_with_catalog(reads, a))
    edit_entry(a, "apigw.shared.call_tiers", 'up_to = "10000000", price = "0.06"', 'up_to = "10000000", price = "0.05"')
    assert cache.fingerprint(_with_catalog(reads, a)) != base


def test_a_register_cell_depends_on_the_entries_it_shows_and_only_those(tmp_path):
    import shutil
    root = tmp_path / "spec_examples"
    shutil.copytree(ex.EXAMPLES_DIR, root)
    ex._load_all.cache_clear()

    def selection():
        return cache.register_selection("apigw.shared", str(root))

    base = selection()
    shown = [d.id for d in ex.ranked(ex.discrepancies(None, root, raw=True))
             if d.section == "apigw.shared" or "apigw.shared" in d.also]
    assert [d.id for d in cache.governing("apigw.shared", root)] == shown and len(base) == len(shown) == 11
    _edit_title(root, "CB-RES-COMBINE")        # another section's entry: not shown here
    assert selection() == base
    _edit_title(root, "APIGW-TIER-MONTH")      # an entry of the section
    moved = selection()
    assert moved != base
    _edit_title(root, "APIGW-FREE-PERIOD")     # an apigw.overview entry that also governs apigw.shared
    assert selection() != moved
    ex._load_all.cache_clear()


def _with_catalog(reads: dict, folder: Path) -> dict:
    (path, r), = reads["catalogs"].items()
    return {"catalogs": {str(folder.resolve()): r}, "examples": reads["examples"]}


def test_the_fingerprint_moves_with_what_was_read_and_only_that(recorded, tmp_path):
    a = copy_catalog(tmp_path / "a")
    base = cache.fingerprint(_with_catalog(recorded, a))
    assert base == cache.fingerprint(_with_catalog(recorded, a))
    # an entry nobody read: same fingerprint
    edit_entry(a, "cloudbase.plan.standard.price", 'value = "199"', 'value = "219"')
    assert cache.fingerprint(_with_catalog(recorded, a)) == base
    # an entry that was read: another fingerprint
    edit_entry(a, "apigw.egress.price.group_hk", 'value = "1.00"', 'value = "1.20"')
    moved = cache.fingerprint(_with_catalog(recorded, a))
    assert moved != base
    # a later dated version of a read entry counts too (the version in force may change)
    f = next(p for p in a.glob("*.toml") if 'id = "apigw.egress.price.group_hk"' in p.read_text(encoding="utf-8"))
    f.write_text(f.read_text(encoding="utf-8") + '\n[[entry]]\nid = "apigw.egress.price.group_hk"\nsection = "apigw.shared"\n'
                 'kind = "price"\nvalue = "1.50"\nunit = "CNY/GB"\neffective = "2031-07-01"\n', encoding="utf-8")
    assert cache.fingerprint(_with_catalog(recorded, a)) not in (base, moved)
    # a new id under a listed prefix, or the absent id appearing, counts
    before = cache.fingerprint(_with_catalog(recorded, a))
    f.write_text(f.read_text(encoding="utf-8") + '\n[[entry]]\nid = "apigw.shared.new_quota"\nsection = "apigw.shared"\n'
                 'kind = "quantity"\nvalue = "1"\nunit = "calls"\neffective = "origin"\n', encoding="utf-8")
    assert cache.fingerprint(_with_catalog(recorded, a)) != before
    # a catalog that no longer loads gives no fingerprint (never a hit)
    f.write_text("not toml [", encoding="utf-8")
    assert cache.fingerprint(_with_catalog(recorded, a)) is None


def test_the_key_reads_parameter_values_not_their_text(tmp_path):
    text = nbtools.NOTEBOOKS.joinpath("apigw", "03_shared.py").read_text(encoding="utf-8")
    other = text.replace('as_of = ""', 'as_of = "2025-07-03 14:03:01"')
    assert other != text
    k = cache.key(text, Path("/x/catalog"), "2025-07-03 14:03:01")
    assert k == cache.key(other, Path("/x/catalog"), "2025-07-03 14:03:01")
    assert k != cache.key(text, Path("/y/catalog"), "2025-07-03 14:03:01")
    assert k != cache.key(text, Path("/x/catalog"), "2027-01-01 00:00:00")
    assert k != cache.key(text.replace("spec.register()", "spec.register()\n1"), Path("/x/catalog"), "2025-07-03 14:03:01")


def test_store_and_lookup(recorded, tmp_path):
    a = copy_catalog(tmp_path / "a")
    reads = _with_catalog(recorded, a)
    store = tmp_path / "cache"
    cache.store(store, "k1", reads, b"notebook bytes")
    assert cache.lookup(store, "k1") == b"notebook bytes"
    assert cache.lookup(store, "k2") is None
    edit_entry(a, "apigw.egress.price.group_hk", 'value = "1.00"', 'value = "1.20"')
    assert cache.lookup(store, "k1") is None        # a read entry changed: a miss
    cache.store(store, "k1", reads, b"second run")
    assert cache.lookup(store, "k1") == b"second run"
    edit_entry(a, "apigw.egress.price.group_hk", 'value = "1.20"', 'value = "1.00"')
    assert cache.lookup(store, "k1") == b"notebook bytes"  # back to the first catalog: the first run again


# the refresh journal -----------------------------------------------------------------------------

def _nbs(tmp_path: Path) -> Path:
    root = tmp_path / "notebooks"
    (root / "a").mkdir(parents=True)
    for n in ("x", "y"):
        (root / "a" / f"{n}.ipynb").write_text(f"old {n}", encoding="utf-8")
    return root


def test_journal_commits_all_or_nothing(tmp_path):
    root = _nbs(tmp_path)
    with journal.Journal(root) as j:
        j.stage_path(root / "a" / "x.ipynb").write_text("new x", encoding="utf-8")
        j.stage_path(root / "a" / "y.ipynb").write_text("new y", encoding="utf-8")
        assert (root / "a" / "x.ipynb").read_text(encoding="utf-8") == "old x"  # nothing moves before commit
        j.commit()
    assert [(root / "a" / f"{n}.ipynb").read_text(encoding="utf-8") for n in "xy"] == ["new x", "new y"]
    assert not (journal.folder(root) / "stage").exists() and not (journal.folder(root) / "COMMIT").exists()
    assert not list(root.rglob("*.new")) and not list(root.rglob(".tmp*"))


def test_a_journal_left_before_its_marker_is_rolled_back(tmp_path):
    root = _nbs(tmp_path)
    stage = journal.folder(root) / "stage" / "a"
    stage.mkdir(parents=True)
    (stage / "x.ipynb").write_text("half-written", encoding="utf-8")
    assert journal.recover(root) == "rolled back"
    assert (root / "a" / "x.ipynb").read_text(encoding="utf-8") == "old x"
    assert not (journal.folder(root) / "stage").exists()
    assert journal.recover(root) == ""


def test_a_journal_left_after_its_marker_is_rolled_forward(tmp_path):
    root = _nbs(tmp_path)
    d = journal.folder(root)
    (d / "stage" / "a").mkdir(parents=True)
    (d / "stage" / "a" / "y.ipynb").write_text("new y", encoding="utf-8")
    # x was already renamed into place when the process died; y was not
    (root / "a" / "x.ipynb").write_text("new x", encoding="utf-8")
    manifest = [[str(d / "stage" / "a" / f"{n}.ipynb"), str(root / "a" / f"{n}.ipynb")] for n in "xy"]
    (d / "COMMIT").write_text(json.dumps(manifest), encoding="utf-8")
    assert journal.recover(root) == "rolled forward"
    assert [(root / "a" / f"{n}.ipynb").read_text(encoding="utf-8") for n in "xy"] == ["new x", "new y"]
    assert not (d / "COMMIT").exists() and not (d / "stage").exists()


def test_two_refreshes_of_one_folder_do_not_interleave(tmp_path):
    root = _nbs(tmp_path)
    with journal.Journal(root):
        with pytest.raises(journal.Busy, match="another `pricing refresh`"):
            journal.Journal(root).__enter__()
        assert journal.recover(root) == ""  # a running refresh's stage is left alone


# charts -------------------------------------------------------------------------------------------

def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    out, i = [], 8
    while i < len(data):
        n, = struct.unpack(">I", data[i:i + 4])
        kind = data[i + 4:i + 8]
        body = data[i + 8:i + 8 + n]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[i + 8 + n:i + 12 + n])[0]
        out.append((kind, body))
        i += 12 + n
    return out


def test_charts_are_large_deterministic_and_unstamped():
    from pricing.spec import charts
    series = [("call fee (CNY)", [0, 10, 100, 150], [Decimal(0), Decimal("60"), Decimal("420"), Decimal("570")])]
    a = charts.line_chart(series, "Shared instance: monthly call fee " * 4, "calls (millions)", "CNY",
                          vlines=[(10, "10M"), (11, "11M"), (100, "100M")]).data
    b = charts.line_chart(series, "Shared instance: monthly call fee " * 4, "calls (millions)", "CNY",
                          vlines=[(10, "10M"), (11, "11M"), (100, "100M")]).data
    assert a == b
    chunks = _png_chunks(a)
    width, height = struct.unpack(">II", chunks[0][1][:8])
    assert (width, height) == (1000, 560)
    assert not [k for k, _ in chunks if k in (b"tEXt", b"iTXt", b"zTXt", b"tIME")]  # no software or time stamp
    bars = charts.bar_chart(["intended: billed", "intended: covered calls' value", "strict: billed"],
                            [Decimal("12.80"), Decimal("14.00"), Decimal("26.80")], "Scope example", "CNY").data
    assert struct.unpack(">II", _png_chunks(bars)[0][1][:8]) == (1000, 560)


def test_committed_charts_use_the_spec_size():
    sizes = set()
    for nb in nbtools.notebooks():
        for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for o in c.get("outputs", []):
                png = o.get("data", {}).get("image/png")
                if png:
                    import base64
                    raw = base64.b64decode("".join(png))
                    sizes.add(struct.unpack(">II", raw[16:24]))
    assert sizes == {(1000, 560)}, sizes
