"""Catalog loading and validation: every malformed catalog names the file and the key."""
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.engine import catalog
from pricing.engine.errors import CatalogError, InputError

HEAD = '''
[documents.t]
title_zh = "测试"
title_en = "test"
seed = "x.txt"

[sections."t.s"]
doc = "t"
zh = "节"
en = "section"
revised = "2024-01-01"
'''


def write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "cat.toml"
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def test_shipped_catalog_loads_and_cites_every_entry():
    cat = catalog.load().as_of("2026-01-01")
    for id in cat.ids():
        e = cat.entry(id)
        s = cat.sections[e.section]
        assert s.doc in cat.documents
        assert cat.cite(id).startswith(cat.documents[s.doc]["title_zh"])
    assert cat.dec("apigw.egress.price.group_a") == Decimal("0.80")
    assert len(cat.sha256) == 64


def test_versions_pick_the_price_in_force():
    cat = catalog.load()
    before, after = datetime(2022, 3, 24, 17, 59, 59), datetime(2022, 3, 24, 18, 0, 0)
    assert cat.as_of(before).dec("apigw.dedicated.professional.discount") == 1
    assert cat.as_of(after).dec("apigw.dedicated.professional.discount") == Decimal("0.73")
    assert cat.as_of("2026-01-01").dec("apigw.dedicated.professional.discount") == Decimal("0.73")


def test_the_versioned_catalog_has_no_undated_lookup():
    cat = catalog.load()
    for name in ("dec", "value", "entry", "tiers", "duration", "rows"):
        assert not hasattr(cat, name), f"Catalog.{name} would read a price without a moment"


@pytest.mark.parametrize("body, key, problem", [
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue=0.8\nunit="CNY"\neffective="origin"\n', "entry[0] (a).value", "float"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="-1"\nunit="CNY"\neffective="origin"\n', "entry[0] (a).value", "negative"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="1"\nunit="CNY"\neffective="origin"\ncolour="red"\n', "entry[0] (a).colour", "unknown key"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nunit="CNY"\neffective="origin"\n', "entry[0] (a).value", "missing"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="1"\neffective="origin"\n', "entry[0] (a).unit", "missing"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="1"\nunit="CNY"\n', "entry[0] (a).effective", "missing"),
    ('[[entry]]\nid="a"\nsection="nope"\nkind="price"\nvalue="1"\nunit="CNY"\neffective="origin"\n', "entry[0] (a).section", "not a declared section"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="money"\nvalue="1"\nunit="CNY"\neffective="origin"\n', "entry[0] (a).kind", "unknown"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="abc"\nunit="CNY"\neffective="origin"\n', "entry[0] (a).value", "not a decimal"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="1"\nunit="CNY"\neffective="someday"\n', "entry[0] (a).effective", "ISO"),
    ('[[entry]]\nid="t"\nsection="t.s"\nkind="tiers"\nunit="CNY"\neffective="origin"\ntiers=[{up_to="10",price="1"},{up_to="5",price="1"},{up_to="open",price="1"}]\n', "entry[0] (t).tiers", "sorted and unique"),
    ('[[entry]]\nid="t"\nsection="t.s"\nkind="tiers"\nunit="CNY"\neffective="origin"\ntiers=[{up_to="10",price="1"}]\n', "entry[0] (t).tiers", "exactly one tier without up_to"),
    ('prices = 3\n', "sections.t.s.prices", "unknown key"),
    ('[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="1"\nunit="CNY"\neffective="origin"\n[[entry]]\nid="a"\nsection="t.s"\nkind="price"\nvalue="2"\nunit="CNY"\neffective="origin"\n', "entry a", "same effective date"),
    ('[[entry]\n', "<syntax>", ""),
])
def test_malformed_catalogs_name_file_and_key(tmp_path, body, key, problem):
    with pytest.raises(CatalogError) as e:
        catalog.load(write(tmp_path, body))
    assert e.value.key == key
    assert problem in e.value.problem
    assert "cat.toml" in str(e.value)


def test_unknown_top_level_key(tmp_path):
    p = tmp_path / "cat.toml"
    p.write_text("prices = 3\n" + HEAD, encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        catalog.load(p)
    assert (e.value.key, "unknown top-level key" in e.value.problem) == ("prices", True)


def test_missing_catalog_path_is_an_error(tmp_path):
    with pytest.raises(CatalogError, match="no such catalog"):
        catalog.load(tmp_path / "nope.toml")


def test_unknown_entry_names_the_catalog():
    with pytest.raises(InputError, match="catalog entry"):
        catalog.load().as_of("2025-01-01").dec("apigw.no.such.price")


def test_a_folder_catalog_and_a_single_file_agree(tmp_path):
    d = tmp_path / "cat"
    shutil.copytree(catalog.SHIPPED, d)
    assert catalog.load(d).sha256 == catalog.load().sha256
    merged = tmp_path / "one.toml"
    # a single file holding just the API Gateway part loads too
    shutil.copy(catalog.SHIPPED / "apigw.toml", merged)
    assert catalog.load(merged).as_of("2025-01-01").dec("apigw.egress.price.group_hk") == Decimal("1.00")
