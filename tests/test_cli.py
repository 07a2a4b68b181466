"""The `pricing` command as a person meets it: one-line errors for bad input, never a traceback;
`pricing examples` with its reasons, totals and --status; `check-sync` saying what it checked;
`pricing diff` grouping entries and diffing tables row by row; the words and plurals they share."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures.catalog_edit import copy_catalog, edit_entry
from pricing.engine.catalog import load
from pricing.spec import cli, labels, nbtools
from pricing.spec import diff as diffmod
from pricing.spec import examples as ex


def invoke(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=True)


# bad catalogs --------------------------------------------------------------------------------------

def _bad(tmp: Path, kind: str) -> Path:
    d = tmp / kind
    if kind == "empty-folder":
        d.mkdir()
        return d
    copy_catalog(d)
    f = d / "apigw.toml"
    text = f.read_text(encoding="utf-8")
    if kind == "malformed-toml":
        f.write_text(text + "\n[[entry]\nid = \n", encoding="utf-8")
    elif kind == "not-utf8":
        f.write_bytes(text.encode("utf-8") + "\n# 价格\n".encode("gb18030"))
    elif kind == "negative-price":
        edit_entry(d, "apigw.egress.price.group_hk", 'value = "1.00"', 'value = "-1.00"')
    elif kind == "aware-datetime":
        f.write_text(text + '\n[[entry]]\nid = "apigw.egress.price.group_hk"\nsection = "apigw.shared"\nkind = "price"\n'
                     'value = "1.20"\nunit = "CNY/GB"\neffective = 2027-01-01T00:00:00+08:00\n', encoding="utf-8")
    return d


BAD = {"empty-folder": "no *.toml catalog files", "malformed-toml": "<syntax>", "not-utf8": "not UTF-8",
       "negative-price": "negative value", "aware-datetime": "UTC offset"}


def _commands_with_a_catalog() -> list[tuple[str, list[str]]]:
    """Every command that takes --catalog and needs no other argument (and diff, which takes
    catalogs as arguments). A command with required arguments needs its own case here."""
    out = []
    for name, cmd in sorted(cli.main.commands.items()):
        required = [p for p in cmd.params if p.required]
        if any("--catalog" in getattr(p, "opts", []) for p in cmd.params) and not required:
            out.append((name, [name, "--catalog"]))
    out.append(("diff", ["diff", "pricing/catalog"]))
    return out


COMMANDS = _commands_with_a_catalog()


def test_the_commands_that_take_a_catalog():
    assert {"build", "refresh", "update", "examples", "register", "diff"} <= {n for n, _ in COMMANDS}


@pytest.fixture(scope="module")
def bad_catalogs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("bad")
    return {k: _bad(tmp, k) for k in BAD}


@pytest.mark.parametrize("kind", sorted(BAD))
@pytest.mark.parametrize("name, args", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_a_bad_catalog_is_one_line_and_exit_2(bad_catalogs, kind, name, args, monkeypatch):
    monkeypatch.chdir(nbtools.ROOT)
    r = invoke(*args, str(bad_catalogs[kind]))
    assert r.exit_code == 2, (r.exit_code, r.output, r.exception)
    assert isinstance(r.exception, SystemExit), r.exception  # handled, not raised through
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ") and "Traceback" not in r.output, r.stderr
    where = bad_catalogs[kind].name if kind == "empty-folder" else "apigw.toml:"   # names the file at fault
    assert BAD[kind] in err[0] and where in err[0], err[0]


def test_a_missing_catalog_path_is_one_line_too(tmp_path):
    r = invoke("examples", "--catalog", str(tmp_path / "nowhere"))
    assert r.exit_code == 2 and r.stderr.strip() == f"Error: {tmp_path / 'nowhere'}: catalog: no such catalog file or folder"


def test_a_bad_as_of_date_is_one_line():
    r = invoke("build", "--as-of", "2027-13-01")
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "--as-of: got '2027-13-01'" in r.stderr


# pricing examples -----------------------------------------------------------------------------------

def test_an_unknown_section_is_an_error_listing_the_sections():
    r = invoke("examples", "--section", "apigw.sharde")
    assert r.exit_code == 2 and "Traceback" not in r.output
    line = r.stderr.strip()
    assert line.startswith("Error: --section: got 'apigw.sharde'; allowed: ") and "\n" not in line
    for key in load().sections:
        assert key in line
    assert invoke("examples", "--section", "apigw").exit_code == 0       # a document
    assert invoke("examples", "--section", "apigw.shared").exit_code == 0  # a section


def test_examples_lists_each_example_and_the_totals():
    r = invoke("examples", "--section", "apigw.shared")
    assert r.exit_code == 0
    lines = r.stdout.strip().splitlines()
    n = len(ex.examples("apigw.shared"))
    assert len(lines) == n + 1
    assert re.match(r"^match\s+apigw\.shared\.fee-45\.26\s+printed\s+45\.26  computed 45\.26$",
                    next(l for l in lines if "fee-45.26" in l))
    assert lines[-1] == f"{n} examples: {n} match"


def test_examples_filters_by_status_and_gives_the_reason_of_a_known_discrepancy():
    r = invoke("examples", "--status", "known")
    assert r.exit_code == 0
    known = [e for e in ex.examples() if e.expected]
    lines = r.stdout.strip().splitlines()
    assert len(lines) == len(known) + 1
    assert "— known discrepancy CB-RES-INSTANCE-DAY, UNITS-DATA-BASE (expected 1.181736)" in lines[0]
    total = len(ex.examples())
    assert lines[-1] == (f"{total} examples: {total - len(known)} match, {labels.plural(len(known), 'known discrepancy')} "
                         f"(showing {labels.plural(len(known), 'example')} with status known)")


def test_examples_gives_an_error_inline_and_fails(tmp_path):
    cat = copy_catalog(tmp_path / "catalog")
    f = cat / "apigw.toml"
    text = f.read_text(encoding="utf-8")
    start = text.index('id = "apigw.egress.price.group_a"')
    block_start = text.rindex("[[entry]]", 0, start)
    end = text.index("[[entry]]", start)
    f.write_text(text[:block_start] + text[end:], encoding="utf-8")
    r = invoke("examples", "--catalog", str(cat), "--section", "apigw.shared", "--status", "error")
    assert r.exit_code == 1
    lines = r.stdout.strip().splitlines()
    assert lines and all(l.startswith("error ") for l in lines[:-1])
    assert re.search(r"computed error  — InputError: catalog entry: got 'apigw\.egress\.price\.group_a'", lines[0]), lines[0]
    assert re.search(r"^\d+ examples: \d+ match, \d+ errors? \(showing \d+ examples? with status error\)$", lines[-1])


def test_an_unexpected_match_is_named_and_fails(monkeypatch):
    """A known discrepancy whose figure starts matching the guide: 'unexpectedly matches', exit 1
    (here: an example recorded as if the guide's own figure were the discrepancy)."""
    real = ex.examples

    def examples(section=None, root=ex.EXAMPLES_DIR):
        out = real(section, root)
        return [ex.Example(**{**e.__dict__, "expected": "45.00", "discrepancies": ("APIGW-X",)})
                if e.id == "apigw.shared.fee-45.26" else e for e in out]

    monkeypatch.setattr(ex, "examples", examples)
    r = invoke("examples", "--section", "apigw.shared")
    assert r.exit_code == 1
    line = next(l for l in r.stdout.splitlines() if "fee-45.26" in l)
    assert line.startswith("unexpectedly matches") and "recorded as a known discrepancy (expected 45.00)" in line
    assert r.stdout.strip().splitlines()[-1].endswith("1 unexpectedly matches")


def test_status_of_is_concordion_expected_to_fail():
    e = ex.example("apigw.shared.fee-45.26")
    from decimal import Decimal
    assert ex.status_of(e, Decimal("45.26")) == "match"
    assert ex.status_of(e, Decimal("45.27")) == "differs"
    known = ex.Example(**{**e.__dict__, "expected": "50.26"})
    assert ex.status_of(known, Decimal("50.26")) == "known"
    assert ex.status_of(known, Decimal("45.26")) == "unexpected"
    assert ex.status_of(known, Decimal("1")) == "differs"


def test_the_build_verdict_names_an_unexpected_match_under_any_catalog():
    from pricing.spec.build import verdict
    rows = [{"id": "a", "status": "unexpected", "expected": "1", "printed": "2", "computed": "2", "file": "x.toml",
             "error": "", "check": ""},
            {"id": "b", "status": "differs", "expected": "", "printed": "2", "computed": "3", "file": "x.toml",
             "error": "", "check": ""}]
    shipped = verdict({"examples": rows}, shipped=True)
    other = verdict({"examples": rows}, shipped=False)
    assert [l.split(":")[0] for l in shipped] == ["UNEXPECTEDLY MATCHES a", "NOT REPRODUCED b"]
    assert [l.split(":")[0] for l in other] == ["UNEXPECTEDLY MATCHES a"]


# check-sync ---------------------------------------------------------------------------------------

def test_check_sync_says_what_it_checked():
    r = invoke("check-sync")
    n = len(nbtools.sources())
    assert r.exit_code == 0 and r.stdout.startswith(f"{n} notebooks match their sources")


def test_check_sync_flags_a_parameters_cell_that_is_not_the_shipped_one(tmp_path):
    nbs = tmp_path / "notebooks" / "apigw"
    nbs.mkdir(parents=True)
    for suffix in (".py", ".ipynb"):
        shutil.copy(nbtools.NOTEBOOKS / "apigw" / f"03_shared{suffix}", nbs / f"03_shared{suffix}")
    shutil.copy(nbtools.NOTEBOOKS / "apigw" / "02_specs.py", nbs / "02_specs.py")   # no .ipynb
    assert invoke("check-sync", "--notebooks", str(tmp_path / "notebooks")).exit_code == 1
    (nbs / "02_specs.py").unlink()
    py = nbs / "03_shared.py"
    py.write_text(py.read_text(encoding="utf-8").replace('as_of = ""', 'as_of = "2024-01-01"'), encoding="utf-8")
    r = invoke("check-sync", "--notebooks", str(tmp_path / "notebooks"))
    assert r.exit_code == 1
    assert ("03_shared.py: parameters cell is not the shipped one (catalog = \"../../pricing/catalog\"; "
            "as_of = \"2024-01-01\")") in r.stderr
    assert "1 of 1 notebook differ from their sources or parameters" in r.stderr


# pricing diff -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> dict:
    """One copy with a table row changed and one removed, a price changed in place, a version
    added and an entry removed."""
    cat = copy_catalog(tmp_path_factory.mktemp("diff") / "catalog")
    edit_entry(cat, "apigw.egress.regions", '{ region = "chengdu", zh = "成都", group = "group_a" }',
               '{ region = "chengdu", zh = "成都", group = "group_b" }')
    edit_entry(cat, "apigw.egress.regions", '  { region = "nanjing", zh = "南京", group = "group_a" },\n', "")
    edit_entry(cat, "cloudbase.plan.standard.price", 'value = "199"', 'value = "219"')
    f = cat / "apigw.toml"
    text = f.read_text(encoding="utf-8")
    start = text.index('id = "apigw.traffic.overhead_high"')
    f.write_text(text[:text.rindex("[[entry]]", 0, start)] + text[text.index("[[entry]]", start):]
                 + '\n[[entry]]\nid = "apigw.egress.price.group_hk"\nsection = "apigw.shared"\nkind = "price"\n'
                 'value = "1.50"\nunit = "CNY/GB"\neffective = "2031-07-01"\n', encoding="utf-8")
    d = diffmod.diff(None, cat, "shipped", str(cat))
    return {"json": d, "text": diffmod.text(d)}


def test_diff_separates_added_removed_and_changed_entries(edited):
    d = edited["json"]
    groups = {e["id"]: (e["group"], e["change"]) for e in d["entries"]}
    assert groups == {"apigw.egress.regions": ("changed", "changed"),
                      "cloudbase.plan.standard.price": ("changed", "changed"),
                      "apigw.egress.price.group_hk": ("added", "version added"),
                      "apigw.traffic.overhead_high": ("removed", "removed")}
    assert (d["counts"]["changed"], d["counts"]["added"], d["counts"]["removed"]) == (2, 1, 1)
    t = edited["text"]
    assert "Catalog entries: 2 changed in place, 1 added, 1 removed" in t
    changed, added, removed = (t.index("  Changed in place (a price changed):"), t.index("  Added ("), t.index("  Removed ("))
    assert changed < added < removed
    assert t.index("apigw.traffic.overhead_high") > removed       # a removal is not "a price changed"
    assert t.index("apigw.egress.price.group_hk  [apigw.shared]  version added") > added


def test_diff_shows_a_table_row_by_row(edited):
    e = next(x for x in edited["json"]["entries"] if x["id"] == "apigw.egress.regions")
    assert e["details"] == ["~ region=chengdu: group group_a → group_b", "- region=nanjing, zh=南京, group=group_a"]
    n = len(load().as_of("2025-01-01").rows("apigw.egress.regions"))
    assert f"apigw.egress.regions  [apigw.shared]  changed, effective origin: table of {n} rows → table of {n - 1} rows" \
        in edited["text"]
    assert "        ~ region=chengdu: group group_a → group_b" in edited["text"]


def test_diff_uses_the_build_status_words(edited):
    known = [e for e in edited["json"]["examples"] if "known" in (e["old_status"], e["new_status"])]
    for e in edited["json"]["examples"]:
        assert f"; {labels.STATUS_LABEL[e['old_status']]} → {labels.STATUS_LABEL[e['new_status']]}" in edited["text"]
    assert "match → differs" in edited["text"] and not known


def test_table_details_by_position_when_no_column_names_rows():
    a = ({"x": "1"}, {"x": "1"})
    b = ({"x": "1"}, {"x": "2"}, {"x": "3"})
    assert diffmod.table_details(a, b) == ["~ row 2: x 1 → 2", "+ x=3"]


# words ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, noun, text", [(1, "example", "1 example"), (2, "example", "2 examples"),
                                           (1, "known discrepancy", "1 known discrepancy"),
                                           (3, "known discrepancy", "3 known discrepancies"),
                                           (0, "entry", "0 entries"), (2, "notebook", "2 notebooks")])
def test_plural(n, noun, text):
    assert labels.plural(n, noun) == text


def test_totals_line():
    assert labels.totals_line({"match": 1}) == "1 example: 1 match"
    assert labels.totals_line({"match": 226, "known": 1, "differs": 1}) == \
        "228 examples: 226 match, 1 known discrepancy, 1 differs"
    assert labels.totals_line({"differs": 2, "error": 1, "unexpected": 2}) == \
        "5 examples: 2 differ, 2 unexpectedly match, 1 error"
