"""What the report says about each row, from data (no build, no browser): the guide locator,
the optional register fields another engineer adds (``severity``, ``affects``, ``spread``,
``lines``) and an example's own ``lines``, the register's order (severity, then id), and the
pages' links (counts to filtered rows, rows to cells, entries back to the examples)."""
from __future__ import annotations

import re

import pytest

from built_spec import OWN_LINES, with_optional_fields
from pricing.engine.catalog import load
from pricing.spec import examples as exmod
from pricing.spec import report

@pytest.fixture(scope="module")
def data() -> dict:
    return with_optional_fields()


def test_register_sorts_by_severity_then_id(data):
    order = [(x["severity"], x["id"]) for x in data["register"]]
    assert order[:3] == [("high", "APIGW-TIER-MONTH"), ("medium", "APIGW-EXAMPLE-GB"), ("low", "CB-PLANOPS-DISCOUNT")]
    rest = [i for s, i in order[3:]]
    assert all(s == "" for s, _ in order[3:]) and rest == sorted(rest) and "APIGW-ROUNDING-POINT" in rest
    assert len(order) == len(exmod.discrepancies())


def test_optional_register_fields_are_shown(data):
    x = next(x for x in data["register"] if x["id"] == "APIGW-TIER-MONTH")
    assert x["affects"] == "[apigw.shared.call_fee, bills over 10,000,000 calls]" and x["spread"] == "68.00–72.00 CNY"
    assert x["source"]["lines"] == [231, 233] and x["source"]["lines_of"] == "own" and x["source"]["section_lines"] == [198, 292]
    plain = next(x for x in data["register"] if x["id"] == "APIGW-EIP-NAME")
    assert (plain["severity"], plain["affects"], plain["spread"]) == ("", "", "")
    assert plain["source"]["lines"] == [198, 292] and plain["source"]["lines_of"] == "section"
    page = report.render(data)["register.html"]
    entry = page[page.index('id="APIGW-TIER-MONTH"'):page.index('id="APIGW-EXAMPLE-GB"')]
    assert '<span class="sev sev-high">high</span>' in entry
    assert "<tr><th>affects</th><td>[apigw.shared.call_fee, bills over 10,000,000 calls]</td></tr>" in entry
    assert "<tr><th>spread</th><td>68.00–72.00 CNY</td></tr>" in entry
    assert "lines 231–233 <span class=\"muted\">(this entry; section lines 198–292)</span>" in entry
    assert [m for m in re.findall(r'<details class="entry" id="([^"]+)"', page)] == [x["id"] for x in data["register"]]


def test_rows_give_their_guide_locator_and_the_severity_they_touch(data):
    fee = next(r for r in data["examples"] if r["id"] == "apigw.shared.fee-45.26")
    assert fee["source"]["lines"] == [250, 256] and fee["source"]["lines_of"] == "own"
    assert fee["source"]["seed"] == "000_e8d1399eb621779c.txt" and fee["source"]["section_zh"] == "共享实例计费"
    assert fee["severity"] == "medium"  # the most severe of APIGW-EXAMPLE-GB (medium) and APIGW-ROUNDING-POINT (none)
    for r in data["examples"]:
        assert r["source"]["lines"] and r["source"]["seed"], r["id"]
        if r["id"] not in OWN_LINES:
            sec = next(s for s in data["sections"] if s["key"] == r["section"])
            assert r["source"]["lines"] == sec["lines"] and r["source"]["lines_of"] == "section"
    page = report.render(data)["report.html"]
    row = page[page.index('<tr id="apigw.shared.fee-45.26"'):]
    row = row[:row.index("</tr>")]
    assert 'data-severity="medium"' in row
    assert 'lines 250–256 <span class="muted">(this example; section lines 198–292)</span> of <code>000_e8d1399eb621779c.txt</code>' in row
    assert '<a href="register.html#APIGW-EXAMPLE-GB"><code>APIGW-EXAMPLE-GB</code></a> <span class="sev sev-medium">medium</span>' in row


def test_register_entries_link_back_to_the_examples_citing_them(data):
    x = next(x for x in data["register"] if x["id"] == "APIGW-EXAMPLE-GB")
    assert [c["id"] for c in x["cited_by"]] == x["examples"] == [
        "apigw.shared.fee-45.26", "apigw.shared.response-gb-14.3", "apigw.shared.request-gb-4.77", "apigw.shared.traffic-15.26"]
    page = report.render(data)["register.html"]
    for e in x["examples"]:
        assert f'<a href="report.html#{e}"><code>{e}</code></a>' in page


def test_counts_link_to_filtered_rows_and_zero_has_no_link(data):
    pages = report.render(data)
    shared = next(s for s in data["sections"] if s["key"] == "apigw.shared")
    n = shared["counts"]["match"]
    assert n == 9 and shared["counts"]["differs"] == 0
    cell = (f'<td class="num match" data-section="apigw.shared" data-status="match"><a href="report.html#section=apigw.shared'
            f'&amp;status=match" title="show these {n} rows">{n}</a></td>')
    assert cell in pages["index.html"]
    assert cell.replace('href="report.html#', 'href="#') in pages["report.html"]
    assert '<td class="num zero" data-section="apigw.shared" data-status="differs">0</td>' in pages["index.html"]
    assert '<span class="zero">0 differ</span>' in pages["report.html"]  # no link, no colour
    assert '<span class="known"><a href="#status=known" title="show these 1 rows">1</a> known discrepancies</span>' \
        in pages["report.html"]


def test_index_lists_the_sections_of_both_guides_in_the_guides_order(data):
    page = report.render(data)["index.html"]
    cat = load()
    shown = re.findall(r'<tr data-section="([^"]+)">', page)
    want = [k for doc in cat.documents for k in sorted((k for k, s in cat.sections.items() if s.doc == doc),
                                                        key=lambda k: cat.sections[k].order)]
    assert shown == want and len(shown) == 20
    assert "lines 57–98" in page and "lines 936–982" in page


def test_line_ranges_read_from_optional_fields():
    assert report.line_range(None) is None and report.line_range([]) is None and report.line_range("") is None
    assert report.line_range([3, 9]) == [3, 9] and report.line_range(("3", "9")) == [3, 9] and report.line_range(7) == [7, 7]
    assert report.line_range([9, 3]) is None and report.line_range(["a", 2]) is None and report.line_range([0, 2]) is None
