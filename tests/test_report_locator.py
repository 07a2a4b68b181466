"""The guide locator: every section of the catalog names its line range in its guide's text
(``lines = [first, last]`` in ``[sections."..."]``), so that the report can send an auditor to the
place in the original. The ranges are checked against the guides' text when it is present
(``../shared/seeds/``, beside the worktree); the loader's validation is checked always."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pricing.engine import catalog
from pricing.engine.errors import CatalogError
from pricing.spec import nbtools

SEEDS = nbtools.ROOT.parent / "shared" / "seeds"
STAMP = "最近更新时间"


def _norm(text: str) -> str:
    return re.sub(r"[\s·›]", "", text)


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    if not SEEDS.is_dir():
        pytest.skip(f"the guides' text is not here ({SEEDS})")
    cat = catalog.load()
    return {doc: (SEEDS / d["seed"]).read_text(encoding="utf-8").splitlines() for doc, d in cat.documents.items()}


def test_every_shipped_section_has_a_line_range():
    cat = catalog.load()
    assert len(cat.sections) == 20
    for s in cat.sections.values():
        assert s.lines is not None and 1 <= s.lines[0] < s.lines[1], s.key


def test_each_range_starts_at_its_sections_heading(texts):
    cat = catalog.load()
    for s in cat.sections.values():
        lines = texts[s.doc]
        first, last = s.lines
        assert last <= len(lines), (s.key, last, len(lines))
        heading = lines[first - 1]
        # the heading line ends with the section's own title (the last part of a "part · section" title)
        own = _norm(re.split(r"[·›]", s.zh)[-1])
        assert _norm(heading).endswith(own) and len(_norm(heading)) <= 20, (s.key, heading)  # a heading, not a sentence
        assert lines[last - 1].strip(), (s.key, "a range ends on its last line of text, not a blank line")
        # a section that carries a revision stamp has it right under its heading, with the catalog's date
        after = next(l for l in lines[first:] if l.strip())
        if STAMP in after:
            assert s.revised.replace(" ", "") in after.replace("：", ":").replace(" ", ""), (s.key, after)
        else:
            assert s.key == "cloudbase.plan_ops", (s.key, "every top-level section starts with its revision stamp")


def test_ranges_follow_the_guides_order_without_overlap(texts):
    cat = catalog.load()
    for doc in cat.documents:
        secs = sorted((s for s in cat.sections.values() if s.doc == doc), key=lambda s: s.order)
        for a, b in zip(secs, secs[1:]):
            assert a.lines[1] < b.lines[0], (a.key, a.lines, b.key, b.lines)
            # only blank lines between one section's end and the next one's heading
            assert not any(l.strip() for l in texts[doc][a.lines[1]:b.lines[0] - 1]), (a.key, b.key)
        # the last section runs to the end of the guide's text
        assert not any(l.strip() for l in texts[doc][secs[-1].lines[1]:]), secs[-1].key


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


@pytest.mark.parametrize("value", ["[3]", "[5, 2]", "[0, 4]", '["1", "2"]', "[1.0, 2.0]", "12", "[true, 2]"])
def test_a_malformed_line_range_is_refused_naming_the_key(tmp_path: Path, value: str):
    p = tmp_path / "cat.toml"
    p.write_text(HEAD + f"lines = {value}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        catalog.load(p)
    assert "sections.t.s.lines" in str(e.value) and "line range" in str(e.value)


ENTRY = '''
[[entry]]
id = "t.price"
section = "t.s"
kind = "price"
value = "1"
unit = "CNY"
zh = "价"
en = "price"
effective = "origin"
'''


def test_a_section_without_lines_still_loads(tmp_path: Path):
    p = tmp_path / "cat.toml"
    p.write_text(HEAD + ENTRY, encoding="utf-8")   # a catalog holds at least one entry
    assert catalog.load(p).sections["t.s"].lines is None
    p.write_text(HEAD + "lines = [4, 9]\n" + ENTRY, encoding="utf-8")
    assert catalog.load(p).sections["t.s"].lines == (4, 9)
