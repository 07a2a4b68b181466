"""The maintainer's workflow after a price change, end to end, with the exact commands the README
prints, in a throw-away copy of the repository (tests/fixtures/repo.py: tracked files may change).

1. **A new price from a date** (README "A new price from a date"): dated versions of three prices
   (a call tier, the standard plan, Hong Kong egress; effective 2027-01-01); `pricing diff`,
   `pricing update`, `git diff notebooks/`, `make spec` all end green; the current-price tables
   and prose show the new prices (the as-of date moved); no printed example moved; `make spec`
   after `update` executes nothing (the cache); a copy built with `--no-cache` is byte-identical.
2. **Correcting a wrong entry in place** (README "Correcting a wrong entry in place"): the moved
   examples are named by `pricing diff`, `update` and `make spec` fail and the report says
   "differs" for exactly those; only the notebooks that read the entry are executed again; after
   registering them as known discrepancies, `make spec` is green.
3. **Expected to fail stays honest**: undoing the correction makes those known discrepancies match
   the guide again; `make spec` and `pricing examples` fail, naming them "unexpectedly matches".

The steps share one copy and run in order (module-scoped fixtures, each snapshotting what its
tests read). A second copy, taken after step 1, is built with `--no-cache` in the background.
The catalog-diff tests at the end use catalog copies only.
"""
from __future__ import annotations

import base64
import json
import re
import shlex
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

from fixtures.catalog_edit import THREE_CHANGES, copy_catalog, edit_entry, remove_version, three_price_changes
from fixtures.repo import (EFFECTIVE, NEW_VALUES, VENV_BIN, add_dated_versions, env_for, git, readme_commands,
                           working_copy)
from pricing.engine.catalog import catalog_hash, load
from pricing.spec import cache, nbtools, report
from pricing.spec import examples as ex
from pricing.spec.notebook import PLAIN, RESULTS_MIME

DATED = "### A new price from a date"
CORRECTION = "### Correcting a wrong entry in place"
CHANGED_IDS = set(NEW_VALUES)
TIMEOUT = 900


def run(repo: Path, cmd: str, *extra: str) -> subprocess.CompletedProcess:
    """One README command line, run in the copy: `.venv/bin/X` is this virtualenv's X; `make T`
    runs the copy's Makefile with this virtualenv (and without its install step)."""
    args = shlex.split(cmd) + list(extra)
    if args[0].startswith(".venv/bin/"):
        args[0] = str(VENV_BIN / args[0][len(".venv/bin/"):])
    elif args[0] == "make":
        args += [f"VENV={VENV_BIN.parent}", "STAMP="]
    return subprocess.run(args, cwd=repo, env=env_for(repo), capture_output=True, text=True, timeout=TIMEOUT)


def pricing(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "pricing"), *args], cwd=repo, env=env_for(repo), capture_output=True,
                          text=True, timeout=TIMEOUT)


def counts(out: str) -> tuple[int, int]:
    """(executed, from the cache) from a build's or refresh's summary line."""
    m = re.search(r"(\d+) executed, (\d+) from the cache", out)
    assert m, out[-3000:]
    return int(m.group(1)), int(m.group(2))


def results(nb: dict) -> dict:
    return {e["id"]: (e["computed"], e["status"]) for c in nb["cells"] for o in c.get("outputs", [])
            for e in o.get("data", {}).get(RESULTS_MIME, {}).get("examples", [])}


def pngs(nb: dict) -> list[bytes]:
    return [base64.b64decode("".join(o["data"]["image/png"])) for c in nb["cells"] for o in c.get("outputs", [])
            if "image/png" in o.get("data", {})]


def notebooks_of(repo: Path) -> dict[str, dict]:
    return {p.relative_to(repo).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((repo / "notebooks").rglob("*.ipynb"))}


def readers(repo: Path, ids: set[str]) -> set[str]:
    """The notebooks whose recorded reads (kept beside each cached run) include one of ``ids``."""
    out = set()
    for meta in cache.runs(repo / ".pricing-cache"):
        read = {i for r in meta["reads"]["catalogs"].values() for i in r["ids"]}
        if read & ids:
            out.add(Path(meta["source"]).relative_to(repo).with_suffix(".ipynb").as_posix())
    return out


def tree(d: Path) -> dict[str, bytes]:
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


# 1. a new price from a date ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return working_copy(tmp_path_factory.mktemp("maintainer") / "repo")


@pytest.fixture(scope="module")
def dated(repo, tmp_path_factory) -> dict:
    """Run the README's first block; snapshot what the tests read; start the --no-cache build of a
    second copy in the background."""
    before = notebooks_of(repo)
    add_dated_versions(repo)
    runs = {}
    for cmd in readme_commands(DATED):
        if cmd.startswith("$EDITOR"):
            continue  # done by add_dated_versions
        if cmd == "make test":
            continue  # stood in for by nbval over the refreshed notebooks (test_the_refreshed_notebooks_pass_nbval)
        runs[cmd] = run(repo, cmd)
        if "pricing update" in cmd:
            updated = tree(repo / "build")
    assert {"make spec", ".venv/bin/pricing update", ".venv/bin/pricing diff"} <= set(runs), list(runs)
    state = {"runs": runs, "before": before, "after": notebooks_of(repo), "build": tree(repo / "build"), "updated": updated,
             "readers": readers(repo, CHANGED_IDS),
             "changed": set(git(repo, "diff", "--name-only", "--", "notebooks").split())}
    # a second copy, as it stands now, built without the cache (compared at the end), and nbval'd
    twin = tmp_path_factory.mktemp("twin") / "repo"
    shutil.copytree(repo, twin, ignore=shutil.ignore_patterns(".pricing-cache", "build", ".pricing-refresh"))
    log = open(twin.parent / "full-build.log", "w", encoding="utf-8")
    state["twin"] = twin
    state["full"] = subprocess.Popen([str(VENV_BIN / "pricing"), "build", "--no-cache", "--out", "build-full", "-j", "2"],
                                     cwd=twin, env=env_for(twin), stdout=log, stderr=subprocess.STDOUT, text=True)
    state["full_log"] = twin.parent / "full-build.log"
    # the README's `make test` runs nbval over every notebook; here, over those `update` changed
    nbval_log = open(twin.parent / "nbval.log", "w", encoding="utf-8")
    state["nbval"] = subprocess.Popen([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p",
                                       "pricing.spec.nbval_support", "-o", "addopts=", "-q", "--nbval",
                                       "--nbval-current-env", "-n", "0", *sorted(state["changed"])],
                                      cwd=twin, env=env_for(twin), stdout=nbval_log, stderr=subprocess.STDOUT, text=True)
    state["nbval_log"] = twin.parent / "nbval.log"
    yield state
    for proc in (state["full"], state["nbval"]):
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_every_command_of_the_readme_ends_green(dated):
    for cmd, r in dated["runs"].items():
        assert r.returncode == 0, f"{cmd}: exit {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"


def test_diff_names_three_added_versions_and_no_moved_example(dated):
    out = dated["runs"][".venv/bin/pricing diff"].stdout
    assert "Catalog entries: 0 changed in place, 3 added, 0 removed" in out
    for i, v in NEW_VALUES.items():
        assert re.search(rf"{re.escape(i)}  \[[a-z_.]+\]  version added, effective {EFFECTIVE} 00:00:00: ", out), i
    assert "tier 1 (≤10000000) price 0.06 → 0.07 (+0.01)" in out
    assert re.search(r"Worked examples whose figure moves: 0 of \d+", out)


def test_update_reports_as_of_the_new_date_with_every_example_reproduced(dated):
    out = dated["runs"][".venv/bin/pricing update"].stdout
    assert f"as of {EFFECTIVE} 00:00:00" in out and "NOT REPRODUCED" not in out
    for build in ("updated", "build"):  # update's report, then make spec's
        data = json.loads(dated[build]["report.json"])
        assert data["stamp"]["as_of"] == f"{EFFECTIVE} 00:00:00"
        assert json.loads(dated[build]["results.json"])["stamp"]["as_of"] == f"{EFFECTIVE} 00:00:00"
        assert {r["status"] for r in data["examples"]} <= {"match", "known"}
    nb = dated["build"]["notebooks/apigw/03_shared.ipynb"].decode("utf-8")
    assert f'as_of = \\"{EFFECTIVE} 00:00:00\\"' in nb   # make spec passes the as-of date to each notebook


def test_current_price_tables_and_prose_show_the_new_prices(dated):
    shared = json.dumps(dated["after"]["notebooks/apigw/03_shared.ipynb"], ensure_ascii=False)
    assert "0.07 up to 10,000,000" in shared and "0.06 up to 10,000,000" not in shared   # prose, as of 2027
    assert f"≤10000000: 0.07; ≤100000000: 0.04; ≤∞: 0.03 | CNY per 10,000 calls | {EFFECTIVE} 00:00:00" in shared
    assert "0.06 up to 10,000,000" in json.dumps(dated["before"]["notebooks/apigw/03_shared.ipynb"], ensure_ascii=False)
    # every new price shows somewhere it did not before (a current-price table, prose or calculation)
    def markdown(nb):
        return "\n".join(o["data"]["text/markdown"] if isinstance(o["data"]["text/markdown"], str) else
                         "".join(o["data"]["text/markdown"]) for c in nb["cells"] for o in c.get("outputs", [])
                         if "text/markdown" in o.get("data", {}))
    for i, v in NEW_VALUES.items():
        grew = [n for n in dated["changed"] if markdown(dated["after"][n]).count(v) > markdown(dated["before"][n]).count(v)]
        assert grew, f"{i}: the new price {v} shows in no refreshed notebook"


def test_no_printed_example_moved(dated):
    for name, nb in dated["before"].items():
        assert results(dated["after"][name]) == results(nb), name
    assert json.loads(dated["updated"]["diff.json"])["examples"] == []


def _only_the_as_of_date_moved(before: dict, after: dict) -> bool:
    """The notebook is the same but for its as-of date: the shipped catalog's latest change before
    the edit, now the new versions' effective date (as a date-time or a date)."""
    old, new = load(None).latest_change(), f"{EFFECTIVE} 00:00:00"
    text = json.dumps(before, ensure_ascii=False)
    for a, b in ((f"{old:%Y-%m-%d %H:%M:%S}", new), (f"{old:%Y-%m-%d}", EFFECTIVE)):
        text = text.replace(a, b)
    return text == json.dumps(after, ensure_ascii=False)


def test_only_notebooks_that_read_a_changed_price_changed_and_each_figure_shows_once(dated):
    changed = dated["changed"]
    assert {"notebooks/apigw/03_shared.ipynb", "notebooks/cloudbase/01_pricelist.ipynb"} <= changed <= set(dated["after"])
    # A notebook that read no changed price may still change in one way only: a calculation priced as
    # of the notebook's as-of date (an order placed then, as 04_expert's quote without an order instant)
    # names that date, and the date moved with the new versions. Anything else would be a figure that
    # moved without its price changing.
    for name in changed - dated["readers"]:
        assert _only_the_as_of_date_moved(dated["before"][name], dated["after"][name]), name
    for name in changed:
        a, b = dated["before"][name], dated["after"][name]
        assert a["metadata"] == b["metadata"] and len(a["cells"]) == len(b["cells"]), name
        for x, y in zip(a["cells"], b["cells"]):
            assert x["source"] == y["source"] and x["metadata"] == y["metadata"], name  # outputs only
            assert x.get("execution_count") == y.get("execution_count"), name
            for o in y.get("outputs", []):
                if "text/markdown" in o.get("data", {}):
                    assert "".join(o["data"]["text/plain"]) == PLAIN, name  # a figure is stored once, not twice
    diff = git(Path(dated["twin"]), "diff", "-U0", "--", "notebooks/apigw/03_shared.ipynb")
    added = [l for l in diff.splitlines() if l.startswith("+") and "≤10000000: 0.07;" in l]
    assert len(added) == 1, added   # the catalog table row: once


def test_a_chart_whose_data_did_not_change_does_not_churn(dated):
    for name in dated["changed"]:
        assert len(pngs(dated["before"][name])) == len(pngs(dated["after"][name]))
    monthly = "notebooks/cloudbase/05_monthly.ipynb"   # illustrative upgrade curves: no catalog price in them
    assert pngs(dated["before"][monthly]) == pngs(dated["after"][monthly]) != []
    shared = "notebooks/apigw/03_shared.ipynb"         # the call-fee curve: tier 1 moved
    assert pngs(dated["before"][shared]) != pngs(dated["after"][shared])


def test_make_spec_after_update_executes_nothing_and_writes_what_update_wrote(dated):
    executed, reused = counts(dated["runs"]["make spec"].stdout)
    assert executed == 0 and reused == len(dated["after"])
    updated = {k: v for k, v in dated["updated"].items() if not k.startswith("diff.")}
    assert set(updated) == set(dated["build"])
    assert [k for k in updated if updated[k] != dated["build"][k]] == ["index.html"]  # its link to the diff


# 2. correcting a wrong entry in place -------------------------------------------------------------

CORRECTED = ("apigw.shared.call_tiers", '{ up_to = "10000000", price = "0.06"', '{ up_to = "10000000", price = "0.05"')


def correct_in_place(repo: Path, undo: bool = False) -> None:
    """Change tier 1 of the call tiers' origin version (the first block of that id) in place."""
    f = repo / "pricing" / "catalog" / "apigw.toml"
    text = f.read_text(encoding="utf-8")
    start = text.index(f'id = "{CORRECTED[0]}"')
    end = text.index("[[entry]]", start)
    old, new = (CORRECTED[2], CORRECTED[1]) if undo else (CORRECTED[1], CORRECTED[2])
    block = text[start:end]
    assert block.count(old) == 1
    f.write_text(text[:start] + block.replace(old, new) + text[end:], encoding="utf-8")


@pytest.fixture(scope="module")
def corrected(repo, dated) -> dict:
    _ = dated["after"]  # step 1 first, committed as the README says
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "dated versions of three prices")
    correct_in_place(repo)
    cat = load(repo / "pricing" / "catalog")
    moved = {}
    for e in ex.examples():
        run_ = ex.run_example(e, cat)
        if run_.status not in ("match", "known"):
            moved[e.id] = run_.computed_text
    runs = {}
    for cmd in readme_commands(CORRECTION):
        if not cmd.startswith("$EDITOR"):
            runs[cmd] = run(repo, cmd)
            if "pricing update" in cmd:
                updated = tree(repo / "build")
    return {"runs": runs, "moved": moved, "build": tree(repo / "build"), "updated": updated,
            "readers": readers(repo, {CORRECTED[0]}),
            "notebooks": len(nbtools.sources(repo / "notebooks"))}


def test_the_correction_moves_examples_and_fails_naming_them(corrected):
    moved = corrected["moved"]
    assert "apigw.shared.fee-45.26" in moved and "apigw.shared.call-fee-30" in moved
    d = corrected["runs"][".venv/bin/pricing diff"]
    assert d.returncode == 0 and "Catalog entries: 1 changed in place, 0 added, 0 removed" in d.stdout
    assert f"Worked examples whose figure moves: {len(moved)} of" in d.stdout
    assert "apigw.shared.fee-45.26  [apigw.shared]  45.26 → 40.26 CNY (-5.00); guide prints 45.26; match → differs" in d.stdout
    for cmd in (".venv/bin/pricing update", "make spec"):
        r = corrected["runs"][cmd]
        assert r.returncode != 0, cmd
        named = set(re.findall(r"NOT REPRODUCED (\S+):", r.stderr))
        assert named == set(moved), (cmd, named ^ set(moved))
    assert "NOT REPRODUCED apigw.shared.fee-45.26: guide prints 45.26, computed 40.26" in corrected["runs"]["make spec"].stderr


def test_only_the_notebooks_that_read_the_entry_run_again(corrected):
    executed, reused = counts(corrected["runs"][".venv/bin/pricing update"].stdout)
    readers_ = corrected["readers"]
    assert 0 < executed == len(readers_) < corrected["notebooks"], (executed, readers_)
    assert executed + reused == corrected["notebooks"]
    assert counts(corrected["runs"]["make spec"].stdout)[0] == 0  # update ran them already


def test_the_report_marks_exactly_the_moved_examples_differs(corrected):
    data = json.loads(corrected["build"]["report.json"])
    status = {r["id"]: r["status"] for r in data["examples"]}
    assert {i for i, s in status.items() if s == "differs"} == set(corrected["moved"])
    assert set(status) == {e.id for e in ex.examples()}
    row = next(r for r in data["examples"] if r["id"] == "apigw.shared.fee-45.26")
    assert (row["printed"], row["computed"]) == ("45.26", "40.26")
    page = corrected["build"]["report.html"].decode("utf-8")
    assert '<td class="figure differs"><del>45.26</del><ins>40.26</ins> CNY</td>' in page
    assert data["failures"] == []
    for s in data["sections"]:
        mine = [r for r in data["examples"] if r["section"] == s["key"]]
        assert s["examples"] == len(mine) and sum(s["counts"].values()) == len(mine)


def test_the_report_stamp_sources_and_links(corrected, repo):
    data = json.loads(corrected["build"]["report.json"])
    st = data["stamp"]
    assert st["catalog_sha256"] == catalog_hash(repo / "pricing" / "catalog")
    assert st["as_of"] == f"{EFFECTIVE} 00:00:00"
    assert re.fullmatch(r"[0-9a-f]{40}", st["git_commit"]) and st["git_modified"] is True
    assert {d["seed"] for d in st["documents"]} == {"000_e8d1399eb621779c.txt", "004_8ea3c52f5e2737b2.txt"}
    fee = next(r for r in data["examples"] if r["id"] == "apigw.shared.fee-45.26")
    tiers = next(e for e in fee["reads"] if e["id"] == "apigw.shared.call_tiers")
    assert tiers["effective"] == ["origin"] and tiers["value"].startswith("≤10000000: 0.05;") and tiers["versions"] == 2
    page = corrected["build"]["report.html"].decode("utf-8")
    assert st["catalog_sha256"] in page and st["git_commit"] in page and f"{EFFECTIVE} 00:00:00" in page
    linked = [r for r in data["examples"] if "#" in r["notebook"]["html"]]
    assert any(r["id"] == "apigw.shared.fee-45.26" for r in linked)
    for r in linked:
        page_, anchor = r["notebook"]["html"].split("#")
        assert f'id="{anchor}"'.encode() in corrected["build"][page_], r["id"]
    for name, text in report.render(data).items():
        assert corrected["build"][name].decode("utf-8") == text, name
    upd = corrected["updated"]   # update's report also carries the diff against git HEAD
    diff = json.loads(upd["diff.json"])
    assert [e["id"] for e in diff["entries"]] == ["apigw.shared.call_tiers"] and diff["old"]["catalog"] == "pricing/catalog at HEAD"
    for name, text in report.render(json.loads(upd["report.json"]), {"diff": diff}).items():
        assert upd[name].decode("utf-8") == text, name
    page = upd["register.html"].decode("utf-8")
    for r in diff["readings"]:
        assert f"<del>{r['recorded']}</del><ins>{r['new']}</ins>" in page, (r["discrepancy"], r["reading"])


def _example_block(text: str, example_id: str) -> tuple[int, int]:
    m = re.search(rf'^id = "{re.escape(example_id)}"\n', text, re.M)
    start = text.rindex("[[example]]", 0, m.start())
    nxt = re.search(r"^\[\[", text[m.end():], re.M)
    return start, (m.end() + nxt.start()) if nxt else len(text)


def _register(repo: Path, moved: dict[str, str], register_id: str = "APIGW-TIER1-CORRECTED") -> None:
    """The README's second way: each moved example becomes a known discrepancy (``expected`` =
    our figure, ``discrepancies`` naming one new register entry with two stated readings and the
    fields every entry carries: severity, basis, affects, scenario, spread, guide lines, confidence;
    docs/REGISTER.md)."""
    by_file: dict[str, list[str]] = {}
    for i in sorted(moved):
        by_file.setdefault(next(e.file for e in ex.examples() if e.id == i), []).append(i)
    for name, ids in by_file.items():
        f = repo / "spec_examples" / name
        text = f.read_text(encoding="utf-8")
        for i in ids:
            start, end = _example_block(text, i)
            block = re.sub(r'^expected = .*\n', "", text[start:end], flags=re.M)
            if re.search(r"^discrepancies = \[", block, re.M):
                block = re.sub(r"^discrepancies = \[", f'discrepancies = ["{register_id}", ', block, count=1, flags=re.M)
            else:
                block = block.rstrip("\n") + f'\ndiscrepancies = ["{register_id}"]\n\n'
            block = block.replace(f'id = "{i}"\n', f'id = "{i}"\nexpected = "{moved[i]}"\n', 1)
            text = text[:start] + block + text[end:]
        f.write_text(text, encoding="utf-8")
    f = repo / "spec_examples" / "apigw" / "shared.toml"
    text = f.read_text(encoding="utf-8")
    text += '''
[[discrepancy]]
id = "APIGW-TIER1-CORRECTED"
section = "apigw.shared"
kind = "contradiction"
title = "Tier 1 corrected in the catalog; the worked month was printed with the old price"
where = "共享实例计费 › 计费示例 against the corrected call-fee table"
says = "The worked month prices 5 million calls at the old tier-1 price."
default = "corrected-price"
why = "The catalog holds the corrected price; the printed figures are kept as the guide prints them."
severity = "medium"
basis = "two-places"
affects = ["apigw.shared.call_fee", "apigw.shared.month_example"]
scenario = "The guide's worked month: 5,000,000 calls in year two, in Guangzhou."
spread = { cny = "5.00", from = "stated", note = "The printed 45.26 against 40.26 at the corrected price." }
lines = [
  { file = "000_e8d1399eb621779c.txt", section = "共享实例计费 › 计费示例 (second)", ranges = [[277, 283]], term = "45.26" },
  { file = "000_e8d1399eb621779c.txt", section = "共享实例计费 › 调用次数费用", ranges = [[245, 249]], term = "第一阶梯" },
]
confidence = "high"

[[discrepancy.reading]]
name = "corrected-price"
summary = "tier 1 at the corrected price"
gives = "40.26"

[[discrepancy.reading]]
name = "printed-price"
summary = "tier 1 at the price the example was printed with"
gives = "45.26"
'''
    f.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def registered(repo, corrected) -> dict:
    _register(repo, corrected["moved"])
    r = run(repo, "make spec")
    return {"run": r, "build": tree(repo / "build")}


def test_registered_as_known_discrepancies_the_build_is_green(registered, corrected):
    r = registered["run"]
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    data = json.loads(registered["build"]["report.json"])
    status = {x["id"]: x["status"] for x in data["examples"]}
    assert {i for i, s in status.items() if s == "known"} >= set(corrected["moved"])
    assert "differs" not in status.values()
    executed, _ = counts(r.stdout)
    assert 0 < executed < corrected["notebooks"]   # only the notebooks that show the edited examples


# 3. an unexpected match fails ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def undone(repo, registered) -> dict:
    _ = registered["run"]
    correct_in_place(repo, undo=True)
    return {"spec": run(repo, "make spec"), "examples": pricing(repo, "examples", "--status", "unexpected")}


def test_a_known_discrepancy_that_matches_again_fails_the_build_naming_it(undone, corrected):
    r = undone["spec"]
    assert r.returncode != 0
    named = set(re.findall(r"UNEXPECTEDLY MATCHES (\S+):", r.stderr))
    assert named == set(corrected["moved"])
    e = undone["examples"]
    assert e.returncode == 1
    assert re.search(r"^unexpectedly matches\s+apigw\.shared\.fee-45\.26 .* computed 45\.26 .*remove `expected`", e.stdout, re.M)
    assert re.search(rf"{len(corrected['moved'])} unexpectedly match", e.stdout)


# the --no-cache build of the second copy ----------------------------------------------------------

def test_a_cached_build_is_byte_identical_to_a_full_build(dated):
    proc = dated["full"]
    proc.wait(timeout=TIMEOUT)
    log = Path(dated["full_log"]).read_text(encoding="utf-8")
    assert proc.returncode == 0, log[-4000:]
    assert counts(log) == (len(dated["after"]), 0)
    full = tree(Path(dated["twin"]) / "build-full")
    cached = dated["build"]   # `make spec` in the first copy: every notebook from the cache
    assert set(full) == set(cached)
    differing = [n for n in full if full[n] != cached[n]]
    assert differing == [], differing


def test_the_refreshed_notebooks_pass_nbval(dated):
    """Stands in for the README's `make test` (which runs nbval over every notebook): nbval over
    the notebooks `update` changed, in the second copy (started by the fixture, in the background)."""
    proc = dated["nbval"]
    proc.wait(timeout=TIMEOUT)
    out = Path(dated["nbval_log"]).read_text(encoding="utf-8")
    assert proc.returncode == 0, out[-4000:]
    assert re.search(r"\d+ passed", out)


# pricing diff on catalog copies -------------------------------------------------------------------

def pricing_here(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pricing.spec.cli", *args], capture_output=True, text=True,
                          cwd=nbtools.ROOT, timeout=600)


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> Path:
    return three_price_changes(tmp_path_factory.mktemp("catalog") / "catalog")


@pytest.fixture(scope="module")
def diff_json(changed) -> dict:
    r = pricing_here("diff", "--json", "pricing/catalog", str(changed))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_diff_lists_every_entry_changed_in_place_old_to_new(diff_json):
    by_id = {e["id"]: e for e in diff_json["entries"]}
    assert set(by_id) == {c[0] for c in THREE_CHANGES}
    assert all(e["change"] == "changed" and e["group"] == "changed" and e["effective"] == "origin" for e in by_id.values())
    std = by_id["cloudbase.plan.standard.price"]
    assert (std["old"], std["new"], std["difference"]) == ("199", "219", "+20")
    assert by_id["apigw.shared.call_tiers"]["details"] == ["tier 1 (≤10000000) price 0.06 → 0.07 (+0.01)"]
    assert diff_json["counts"]["changed"] == 3 and diff_json["counts"]["added"] == diff_json["counts"]["removed"] == 0
    assert diff_json["old"]["sha256"] == catalog_hash(None) and diff_json["new"]["sha256"] != catalog_hash(None)


def test_diff_names_exactly_the_examples_that_move(diff_json, changed):
    old, new = load(None), load(changed)
    expected = {}
    for e in ex.examples():
        a, b = ex.run_example(e, old), ex.run_example(e, new)
        reads = set(a.result.catalog_reads) | set(b.result.catalog_reads)
        if not reads & {c[0] for c in THREE_CHANGES}:
            assert a.computed_text == b.computed_text, f"{e.id} moved without reading a changed entry"
        elif a.computed_text != b.computed_text:
            expected[e.id] = (a.computed_text, b.computed_text)
    assert {e["id"]: (e["old"], e["new"]) for e in diff_json["examples"]} == expected
    fee = next(e for e in diff_json["examples"] if e["id"] == "apigw.shared.fee-45.26")
    assert (fee["old"], fee["new"], fee["difference"], fee["because"]) == ("45.26", "50.26", "+5.00", ["apigw.shared.call_tiers"])


def test_diff_keeps_rule_readings_apart_from_prices(changed, diff_json):
    old, new = load(None), load(changed)
    expected = {(d.id, r.name) for d in ex.discrepancies() for r in d.readings
                if r.calc and ex.run_reading(r, old, d.section)[0] != ex.run_reading(r, new, d.section)[0]}
    assert {(r["discrepancy"], r["reading"]) for r in diff_json["readings"]} == expected
    tier = next(r for r in diff_json["readings"] if (r["discrepancy"], r["reading"]) == ("APIGW-TIER-POSITION", "billed-calls"))
    assert (tier["old"], tier["new"], tier["recorded"], tier["still_recorded"]) == ("60.00", "70.00", "60.00", False)
    assert not {r["discrepancy"] for r in diff_json["readings"]} & {e["id"] for e in diff_json["examples"]}


def test_diff_plain_text_uses_the_build_words(changed, diff_json):
    out = pricing_here("diff", "pricing/catalog", str(changed)).stdout
    assert "Catalog entries: 3 changed in place, 0 added, 0 removed" in out
    assert "  Changed in place (a price changed):" in out
    assert "cloudbase.plan.standard.price  [cloudbase.pricelist]  changed, effective origin: 199 → 219 CNY/month (+20)" in out
    assert re.search(r"apigw\.shared\.fee-45\.26 .* 45\.26 → 50\.26 CNY \(\+5\.00\); guide prints 45\.26; match → differs", out)
    assert pricing_here("diff", "--exit-code", "pricing/catalog", str(changed)).returncode == 1
    same = pricing_here("diff", "--exit-code", "pricing/catalog", "pricing/catalog")
    assert same.returncode == 0 and "Catalog entries: 0 changed in place, 0 added, 0 removed" in same.stdout


def test_diff_sees_the_catalogs_own_versions(tmp_path):
    """Every entry with several versions in the shipped catalog: drop its latest version in a copy;
    diff copy → shipped reports that version as added, with its effective date."""
    shipped = load(None)
    versioned = {i: vs[-1] for i, vs in shipped.entries.items() if len(vs) > 1}
    if not versioned:
        pytest.skip("the catalog holds no versioned entry yet")
    cat = copy_catalog(tmp_path / "catalog")
    for i, v in versioned.items():
        remove_version(cat, i, v.effective)
    d = json.loads(pricing_here("diff", "--json", str(cat), "pricing/catalog").stdout)
    added = {e["id"]: e for e in d["entries"] if e["group"] == "added"}
    assert set(added) == set(versioned) and len(d["entries"]) == len(versioned)
    for i, v in versioned.items():
        assert added[i]["effective"] == v.effective_text
