"""The price-update workflow end to end, on copies (the committed notebooks and catalog are never
touched): three prices change in a copy of the catalog (one call tier, one plan price, one egress
region); ``pricing diff`` names exactly the examples that move; ``pricing build --catalog`` marks
exactly those "differs" in the auditor's report; ``pricing refresh`` on a copy of the notebooks
leaves nbval passing. The expensive runs (one build, one refresh, one nbval) are shared by the
module's tests."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

from pricing.spec import examples as ex
from pricing.spec import nbtools, report
from pricing.engine.catalog import Catalog, catalog_hash, load

from fixtures.catalog_edit import THREE_CHANGES, copy_catalog, remove_version, three_price_changes

CHANGED_IDS = {c[0] for c in THREE_CHANGES}


def pricing(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pricing.spec.cli", *args], capture_output=True, text=True,
                          cwd=cwd or nbtools.ROOT, timeout=600)


# first principles -----------------------------------------------------------------------------
# Independently of pricing.spec.diff: record which catalog entries each example's calculation looks up,
# and compare its figure under both catalogs.

def run_recorded(e, cat):
    run = ex.run_example(e, cat)
    return run, set(run.result.catalog_reads) if run.result is not None else set()


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Path:
    return three_price_changes(tmp_path_factory.mktemp("catalog") / "catalog")


@pytest.fixture(scope="module")
def expected_moves(changed) -> dict[str, tuple[str, str]]:
    old, new = load(None), load(changed)
    moved = {}
    for e in ex.examples():
        a, seen_a = run_recorded(e, old)
        b, seen_b = run_recorded(e, new)
        reads_changed = bool((seen_a | seen_b) & CHANGED_IDS)
        if not reads_changed:
            assert a.computed_text == b.computed_text, f"{e.id} moved without reading a changed entry"
        elif a.computed_text != b.computed_text:
            moved[e.id] = (a.computed_text, b.computed_text)
    return moved


@pytest.fixture(scope="module")
def diff_json(changed, build_started) -> dict:
    r = pricing("diff", "--json", "pricing/catalog", str(changed))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def build_started(changed, tmp_path_factory):
    """Start `pricing build --catalog` in the background, so that it overlaps the refresh and
    nbval runs (kernel start-up leaves the cores idle part of the time)."""
    out = tmp_path_factory.mktemp("build")
    log = out.parent / (out.name + ".log")
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "pricing.spec.cli", "build", "--catalog", str(changed), "--out", str(out),
                                 "-j", "2"], stdout=fh, stderr=subprocess.STDOUT, text=True, cwd=nbtools.ROOT)
    yield out, proc, log
    if proc.poll() is None:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def built(build_started) -> Path:
    out, proc, log = build_started
    proc.wait(timeout=600)
    assert proc.returncode == 0, log.read_text(encoding="utf-8")[-6000:]
    return out


@pytest.fixture(scope="module")
def refreshed(changed, build_started, tmp_path_factory) -> Path:
    nbs = tmp_path_factory.mktemp("refresh") / "notebooks"
    shutil.copytree(nbtools.NOTEBOOKS, nbs, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    r = pricing("refresh", "--catalog", str(changed), "--notebooks", str(nbs), "-j", "2")
    assert r.returncode == 0, r.stdout + r.stderr
    return nbs


# the catalog copy -----------------------------------------------------------------------------

def test_the_copy_changes_exactly_three_prices(changed):
    old, new = load(None), load(changed)
    now = new.as_of(new.latest_change())
    assert now.tiers("apigw.shared.call_tiers").tiers[0].price == Decimal("0.07")
    assert now.dec("cloudbase.plan.standard.price") == Decimal("219")
    assert now.dec("apigw.egress.price.group_hk") == Decimal("1.20")
    differing = {i for i in old.entries if [v.value for v in old.versions(i)] != [v.value for v in new.versions(i)]}
    assert differing == CHANGED_IDS and set(old.entries) == set(new.entries)


# pricing diff ---------------------------------------------------------------------------------

def test_diff_lists_every_changed_entry_old_to_new(diff_json):
    by_id = {e["id"]: e for e in diff_json["entries"]}
    assert set(by_id) == CHANGED_IDS
    assert all(e["change"] == "changed" and e["effective"] == "origin" for e in by_id.values())
    assert (by_id["cloudbase.plan.standard.price"]["old"], by_id["cloudbase.plan.standard.price"]["new"],
            by_id["cloudbase.plan.standard.price"]["difference"]) == ("199", "219", "+20")
    assert (by_id["apigw.egress.price.group_hk"]["old"], by_id["apigw.egress.price.group_hk"]["new"],
            by_id["apigw.egress.price.group_hk"]["difference"]) == ("1.00", "1.20", "+0.20")
    assert by_id["apigw.shared.call_tiers"]["details"] == ["tier 1 (≤10000000) price 0.06 → 0.07 (+0.01)"]
    assert diff_json["old"]["sha256"] == catalog_hash(None) and diff_json["new"]["sha256"] != catalog_hash(None)


def test_diff_names_exactly_the_examples_that_move(diff_json, expected_moves):
    named = {e["id"]: (e["old"], e["new"]) for e in diff_json["examples"]}
    assert named == expected_moves
    assert "apigw.shared.fee-45.26" in named and "apigw.shared.call-fee-30" in named
    assert "apigw.shared.egress-8" not in named and "apigw.shared.traffic-15.26" not in named
    fee = next(e for e in diff_json["examples"] if e["id"] == "apigw.shared.fee-45.26")
    assert (fee["old"], fee["new"], fee["difference"], fee["printed"]) == ("45.26", "50.26", "+5.00", "45.26")
    assert (fee["old_status"], fee["new_status"], fee["because"]) == ("match", "differs", ["apigw.shared.call_tiers"])
    assert diff_json["counts"]["examples_checked"] == len(ex.examples())


def test_diff_keeps_rule_readings_apart_from_prices(changed, diff_json):
    old, new = load(None), load(changed)
    expected = set()
    for d in ex.discrepancies():
        for r in d.readings:
            if r.calc and ex.run_reading(r, old, d.section)[0] != ex.run_reading(r, new, d.section)[0]:
                expected.add((d.id, r.name))
    assert {(r["discrepancy"], r["reading"]) for r in diff_json["readings"]} == expected
    tier = next(r for r in diff_json["readings"] if (r["discrepancy"], r["reading"]) == ("APIGW-TIER-POSITION", "billed-calls"))
    assert (tier["old"], tier["new"], tier["recorded"], tier["still_recorded"]) == ("60.00", "70.00", "60.00", False)
    assert not {r["discrepancy"] for r in diff_json["readings"]} & {e["id"] for e in diff_json["examples"]}


def test_diff_plain_text(changed, diff_json):
    r = pricing("diff", "pricing/catalog", str(changed))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Catalog entries: 3 changed" in out
    assert "cloudbase.plan.standard.price  [cloudbase.pricelist]  changed, effective origin: 199 → 219 CNY/month (+20)" in out
    assert re.search(r"apigw\.shared\.fee-45\.26 .* 45\.26 → 50\.26 CNY \(\+5\.00\); guide prints 45\.26; match → differs", out)
    assert f"Worked examples whose figure moves: {len(diff_json['examples'])} of" in out
    assert f"Register readings whose figure moves: {len(diff_json['readings'])} of" in out
    assert pricing("diff", "--exit-code", "pricing/catalog", str(changed)).returncode == 1
    same = pricing("diff", "--exit-code", "pricing/catalog", "pricing/catalog")
    assert same.returncode == 0 and "Catalog entries: 0 changed" in same.stdout


def test_diff_reports_an_added_price_version_with_its_effective_date(tmp_path):
    cat = copy_catalog(tmp_path / "catalog")
    f = next(p for p in cat.glob("*.toml") if 'id = "apigw.egress.price.group_hk"' in p.read_text(encoding="utf-8"))
    f.write_text(f.read_text(encoding="utf-8") + '\n[[entry]]\nid = "apigw.egress.price.group_hk"\nsection = "apigw.shared"\n'
                 'kind = "price"\nvalue = "1.50"\nunit = "CNY/GB"\neffective = "2031-07-01T00:00:00"\n', encoding="utf-8")
    r = pricing("diff", "--json", "pricing/catalog", str(cat))
    d = json.loads(r.stdout)
    assert [(e["id"], e["change"], e["effective"], e["old"], e["new"], e["difference"]) for e in d["entries"]] == [
        ("apigw.egress.price.group_hk", "version added", "2031-07-01 00:00:00", "1.00", "1.50", "+0.50")]
    assert d["examples"] == []  # every example prices before 2031: a version is not an edit
    text = pricing("diff", "pricing/catalog", str(cat)).stdout
    assert "apigw.egress.price.group_hk  [apigw.shared]  version added, effective 2031-07-01 00:00:00: 1.00 → 1.50 CNY/GB (+0.50)" in text


def test_diff_sees_the_catalogs_own_versions(tmp_path):
    """Every entry that has several versions in the shipped catalog (e.g. the dedicated-instance
    price change of 2022-03-24 18:00): drop its latest version in a copy, and diff copy → shipped
    must report that version as added, with its effective date."""
    shipped = load(None)
    versioned = {i: vs[-1] for i, vs in shipped.entries.items() if len(vs) > 1}
    if not versioned:
        pytest.skip("the catalog holds no versioned entry yet")
    cat = copy_catalog(tmp_path / "catalog")
    for i, v in versioned.items():
        remove_version(cat, i, v.effective)
    d = json.loads(pricing("diff", "--json", str(cat), "pricing/catalog").stdout)
    added = {e["id"]: e for e in d["entries"] if e["change"] == "version added"}
    assert set(added) == set(versioned) and len(d["entries"]) == len(versioned)
    for i, v in versioned.items():
        assert added[i]["effective"] == v.effective_text
    if "apigw.dedicated.professional.discount" in versioned:
        assert added["apigw.dedicated.professional.discount"]["effective"] == "2022-03-24 18:00:00"


# refresh's atomicity, and the one-command update ----------------------------------------------

def test_refresh_is_atomic_and_names_the_failing_cell(tmp_path):
    nbs = tmp_path / "notebooks" / "apigw"
    nbs.mkdir(parents=True)
    good = nbtools.NOTEBOOKS / "apigw" / "03_shared.py"
    shutil.copy(good, nbs / "03_shared.py")
    shutil.copy(good.with_suffix(".ipynb"), nbs / "03_shared.ipynb")
    broken = good.read_text(encoding="utf-8").replace('spec.example("apigw.shared.egress-8")\n',
                                                      'spec.example("apigw.shared.egress-8")\n1 / 0\n', 1)
    assert "1 / 0" in broken
    (nbs / "99_broken.py").write_text(broken, encoding="utf-8")
    (nbs / "99_broken.ipynb").write_text("sentinel", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in nbs.iterdir()}
    cat = tmp_path / "catalog"
    copy_catalog(cat)
    r = pricing("refresh", "--catalog", str(cat), "--notebooks", str(tmp_path / "notebooks"), "-j", "2")
    assert r.returncode == 1
    line = next(i for i, l in enumerate(broken.splitlines(), 1) if l.startswith("# %%") and 'apigw.shared.egress-8"' in l)
    cell = sum(1 for l in broken.splitlines()[:line] if l.startswith("# %%"))
    assert f"FAILED apigw/99_broken.py: cell {cell} of " in r.stderr, r.stderr
    assert f"(99_broken.py line {line}) [apigw.shared.egress-8]: ZeroDivisionError" in r.stderr, r.stderr
    assert "no notebook was overwritten" in r.stderr
    assert {p.name: p.read_bytes() for p in nbs.iterdir()} == before  # sources and notebooks untouched, no .new left


def test_update_refreshes_diffs_and_reports_in_one_command(changed, tmp_path):
    nbs = tmp_path / "notebooks" / "apigw"
    nbs.mkdir(parents=True)
    for suffix in (".py", ".ipynb"):
        shutil.copy(nbtools.NOTEBOOKS / "apigw" / f"03_shared{suffix}", nbs / f"03_shared{suffix}")
    out = tmp_path / "build"
    r = pricing("update", "--catalog", str(changed), "--notebooks", str(tmp_path / "notebooks"), "--out", str(out), "-j", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "apigw.shared.fee-45.26" in r.stdout and "Catalog entries:" in r.stdout
    assert "50.26" in (nbs / "03_shared.ipynb").read_text(encoding="utf-8")
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    row = next(x for x in data["examples"] if x["id"] == "apigw.shared.fee-45.26")
    assert row["status"] == "differs" and row["notebook"]["html"] == "html/apigw/03_shared.html#apigw.shared.fee-45.26"
    d = json.loads((out / "diff.json").read_text(encoding="utf-8"))
    assert d["old"]["catalog"] == "pricing/catalog at HEAD"
    assert {"apigw.shared.call_tiers", "cloudbase.plan.standard.price", "apigw.egress.price.group_hk"} <= \
        {e["id"] for e in d["entries"]}


# pricing refresh on a copy --------------------------------------------------------------------

def test_refresh_on_the_copy_keeps_nbval_passing(refreshed, changed):
    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "pricing.spec.nbval_support", "-o", "addopts=", "-q", "--nbval",
                        "--nbval-current-env", "-n", "2", "--dist", "loadfile", str(refreshed)],
                       capture_output=True, text=True, cwd=refreshed.parent, timeout=600)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert re.search(r"\d+ passed", r.stdout)
    for py in nbtools.sources(refreshed):
        lit = json.dumps(os.path.relpath(changed, py.parent))
        assert f"catalog = {lit}" in py.read_text(encoding="utf-8"), py


def test_refreshed_notebooks_show_the_new_figures(refreshed):
    nb = (refreshed / "apigw" / "03_shared.ipynb").read_text(encoding="utf-8")
    assert "50.26" in nb and "✘ differs" in nb


def test_refresh_changes_only_outputs_and_the_parameters_line(refreshed):
    for py in nbtools.sources(refreshed):
        rel = py.relative_to(refreshed)
        committed = nbtools.NOTEBOOKS / rel.with_suffix(".ipynb")
        if not committed.exists() or nbtools.in_sync(nbtools.NOTEBOOKS / rel, committed):
            continue  # a notebook not yet refreshed by its author: test_notebooks reports it
        a = nbformat.read(committed, as_version=4)
        b = nbformat.read(refreshed / rel.with_suffix(".ipynb"), as_version=4)
        assert b.metadata == a.metadata == {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"}, "language_info": {"name": "python"}}
        assert len(a.cells) == len(b.cells), rel
        for x, y in zip(a.cells, b.cells):
            assert x.metadata == y.metadata and x.get("execution_count") == y.get("execution_count"), rel
            if "parameters" not in x.metadata.get("tags", []):
                assert x.source == y.source, rel
            for o in y.get("outputs", []):
                assert "execution" not in o.get("metadata", {})
        assert "papermill" not in json.dumps(b.metadata)


# pricing build --catalog: the auditor's report -------------------------------------------------

def test_report_marks_exactly_the_moved_examples_differs(built, expected_moves):
    data = json.loads((built / "report.json").read_text(encoding="utf-8"))
    status = {r["id"]: r["status"] for r in data["examples"]}
    assert {i for i, s in status.items() if s == "differs"} == set(expected_moves)
    assert {i for i, s in status.items() if s in ("match", "known")} == set(status) - set(expected_moves)
    assert set(status) == {e.id for e in ex.examples()}
    row = next(r for r in data["examples"] if r["id"] == "apigw.shared.fee-45.26")
    assert (row["printed"], row["computed"]) == ("45.26", "50.26")
    assert status["apigw.shared.egress-8"] == "match"
    page = (built / "report.html").read_text(encoding="utf-8")
    assert '<td class="figure differs"><del>45.26</del><ins>50.26</ins> CNY</td>' in page
    moved = json.loads((built / "moved.json").read_text(encoding="utf-8"))
    assert {m["id"] for m in moved} == set(expected_moves)
    assert "apigw.shared.fee-45.26" in (built / "diff.txt").read_text(encoding="utf-8")
    assert data["failures"] == []


def test_report_totals_add_up(built):
    data = json.loads((built / "report.json").read_text(encoding="utf-8"))
    for s in data["sections"]:
        mine = [r for r in data["examples"] if r["section"] == s["key"]]
        assert s["examples"] == len(mine) and sum(s["counts"].values()) == len(mine)
    assert data["totals"]["examples"] == len(data["examples"]) == sum(s["examples"] for s in data["sections"])


def test_report_stamp_and_sources(built, changed):
    data = json.loads((built / "report.json").read_text(encoding="utf-8"))
    st = data["stamp"]
    assert st["catalog_sha256"] == catalog_hash(changed)
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", st["git_commit"])
    assert {"python", "papermill", "nbconvert", "pricing-spec"} <= set(st["tools"])
    assert {d["seed"] for d in st["documents"]} == {"000_e8d1399eb621779c.txt", "004_8ea3c52f5e2737b2.txt"}
    for r in data["examples"]:
        assert r["source"]["seed"] and r["source"]["section_zh"] and r["source"]["section_en"], r["id"]
        assert all(e["effective"] for e in r["reads"] if e["value"]), r["id"]
    fee = next(r for r in data["examples"] if r["id"] == "apigw.shared.fee-45.26")
    tiers = next(e for e in fee["reads"] if e["id"] == "apigw.shared.call_tiers")
    assert tiers["effective"] == ["origin"] and tiers["value"].startswith("≤10000000: 0.07;")
    page = (built / "report.html").read_text(encoding="utf-8")
    assert st["catalog_sha256"] in page and st["git_commit"] in page


def test_report_links_land_on_the_example_cells(built):
    data = json.loads((built / "report.json").read_text(encoding="utf-8"))
    linked = [r for r in data["examples"] if "#" in r["notebook"]["html"]]
    assert linked, "no example links into a rendered notebook"
    assert any(r["id"] == "apigw.shared.fee-45.26" for r in linked)
    for r in linked:
        page, anchor = r["notebook"]["html"].split("#")
        assert f'id="{anchor}"' in (built / page).read_text(encoding="utf-8"), r["id"]
    shown = "\n".join(p.read_text(encoding="utf-8") for p in nbtools.sources())
    for r in data["examples"]:
        if f'spec.example("{r["id"]}")' in shown:
            assert r["notebook"]["html"], f"{r['id']} is shown in a notebook but the report does not link to it"


def test_report_is_a_pure_function_of_its_data(built):
    data = json.loads((built / "report.json").read_text(encoding="utf-8"))
    extra = {"diff": json.loads((built / "diff.json").read_text(encoding="utf-8"))}
    for name, text in report.render(data, extra).items():
        assert (built / name).read_text(encoding="utf-8") == text, name
    assert report.render(data, extra) == report.render(json.loads(json.dumps(data)), extra)


def test_register_page_shows_the_moved_readings(built, diff_json):
    page = (built / "register.html").read_text(encoding="utf-8")
    for d in ex.discrepancies():
        assert f'id="{d.id}"' in page
    for r in diff_json["readings"]:
        assert f"<del>{r['recorded']}</del><ins>{r['new']}</ins>" in page, (r["discrepancy"], r["reading"])


def test_report_shows_price_versions_and_the_version_each_example_used(built, changed):
    cat = load(changed)
    data = json.loads((built / "report.json").read_text(encoding="utf-8"))
    versioned = {i: [v.effective_text for v in vs] for i, vs in cat.entries.items() if len(vs) > 1}
    assert {v["id"]: [x["effective"] for x in v["versions"]] for v in data["versions"]} == versioned
    page = (built / "report.html").read_text(encoding="utf-8")
    for effs in versioned.values():
        for e in effs:
            assert f"<td>{e}</td>" in page
    # each example names the version it priced with: rerun it and compare
    from pricing.spec.diff import traced_example
    for r in data["examples"]:
        if any(e["versions"] > 1 for e in r["reads"]):
            _, reads = traced_example(ex.example(r["id"]), cat)
            assert [(e["id"], e["effective"]) for e in r["reads"]] == [(e["id"], e["effective"]) for e in reads]
