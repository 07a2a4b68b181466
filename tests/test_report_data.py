"""What the report says about each row and register entry, from the shipped data (no build, no
browser): the guide locators (guide › section › each line range, key term), the register's fields
as the loader gives them (``severity``, ``spread`` with its amount and note, ``affects``,
``scenario``, ``lines``, ``evidence``, ``confidence``, ``also``, ``merges``), the register's ranking
(severity, then spread, then id: ``examples.ranked``), the status "unexpectedly matches", and the
pages' links (counts to filtered rows, rows to their entries, entries back to the examples)."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest

from built_spec import report_data
from pricing.engine.catalog import load
from pricing.spec import examples as exmod
from pricing.spec import report

FEE = "apigw.shared.fee-45.26"


@pytest.fixture(scope="module")
def data() -> dict:
    return report_data()


@pytest.fixture(scope="module")
def pages(data) -> dict[str, str]:
    return report.render(data)


def _entry(page: str, id: str) -> str:
    start = page.index(f'<details class="entry" id="{id}"')
    return page[start:page.index("</details>", start)]


def _row(page: str, id: str) -> str:
    start = page.index(f'<tr id="{id}"')
    return page[start:page.index("</tr>", start)]


# the register's order ----------------------------------------------------------------------------

def test_register_is_ranked_by_severity_then_spread_then_id(data, pages):
    order = [(x["severity"], x["spread"]["cny"], x["id"]) for x in data["register"]]
    assert [i for _, _, i in order] == [d.id for d in exmod.ranked(exmod.discrepancies())]
    assert len(order) == len(exmod.discrepancies()) == 67
    assert order[:3] == [("high", "106.19", "CB-MONTHLY-NEWPURCHASE"), ("high", "76.56", "CB-HOST-FREE-SCOPE"),
                         ("high", "22.50", "CB-PL-CALLS-PER-DAY")]
    sev = [report.severity_rank(s) for s, _, _ in order]
    assert sev == sorted(sev) and set(sev) == {0, 1, 2}  # high, then medium, then low; every entry rated
    for level in report.SEVERITIES:  # within a severity: largest spread first, "n/a" after every computed one
        mine = [(c, i) for s, c, i in order if s == level]
        computed = [c for c, _ in mine if c != "n/a"]
        assert [c for c, _ in mine] == computed + ["n/a"] * (len(mine) - len(computed)), level
        assert [exmod.D(c) for c in computed] == sorted((exmod.D(c) for c in computed), reverse=True), level
    # within one severity and spread: by id
    assert [i for s, c, i in order if (s, c) == ("medium", "0")] == sorted(i for s, c, i in order if (s, c) == ("medium", "0"))
    assert re.findall(r'<details class="entry" id="([^"]+)"', pages["register.html"]) == [i for _, _, i in order]


# the register's fields ---------------------------------------------------------------------------

def test_register_entries_carry_the_loaders_fields(data):
    x = next(x for x in data["register"] if x["id"] == "BILL-DEBIT-ROUNDING")
    assert (x["severity"], x["basis"], x["confidence"], x["policy"], x["default"]) == (
        "high", "one-place", "medium", "billing.debit_rounding", "line-8dp-debit-fen")
    assert x["spread"] == {"cny": "1.20", "from": "readings", "text": "1.20 CNY",
                           "note": "On 30 days of CloudBase overage at 1.1108 CNY a day the difference is 0.02 CNY."}
    assert x["also"] == ["apigw.dedicated", "cloudbase.pricelist", "cloudbase.hosting", "cloudbase.monthly"]
    assert x["merges"] == ["APIGW-ROUNDING-POINT", "APIGW-DED-PAYG-ROUNDING", "CB-HOST-ROUNDING", "CB-MONTHLY-ROUNDING", "RECON-DEBIT-ROUNDING"]
    assert x["affects"][:2] == ["engine statement.settle", "apigw.shared.hourly_statement"] and len(x["affects"]) == 8
    assert x["scenario"].startswith("720 hourly call bills of 6,944 calls each")
    assert [e["url"] for e in x["evidence"]] == ["https://cloud.tencent.com.cn/document/product/555/7465",
                                                 "https://cloud.tencent.com/document/buy-guide/1806/121798",
                                                 "https://developers.weixin.qq.com/miniprogram/dev/wxcloudservice/wxcloudrun/src/Billing/index.html"]
    locs = x["source"]["locators"]
    assert [(l["file"], l["section"], l["ranges"], l["term"]) for l in locs[:2]] == [
        ("000_e8d1399eb621779c.txt", "共享实例计费 › API 调用次数 (计费周期, 账单时间, 扣费方式)", [[212, 214]], "扣费"),
        ("000_e8d1399eb621779c.txt", "专享实例计费 › 实例费用", [[313, 316]], "结算")]
    assert ("004_8ea3c52f5e2737b2.txt", "微信云托管说明 › price table", [[946, 959]]) in [
        (l["file"], l["section"], l["ranges"]) for l in locs]
    assert x["source"]["section_lines"] == [198, 292] and x["source"]["seed"] == "000_e8d1399eb621779c.txt"
    # every entry: the loader's locators, each resolved to a guide of the catalog
    seeds = {d["seed"] for d in data["stamp"]["documents"]}
    for e in data["register"]:
        d = next(d for d in exmod.discrepancies() if d.id == e["id"])
        assert [(l["section"], [tuple(r) for r in l["ranges"]], l["term"]) for l in e["source"]["locators"]] == [
            (l.section, list(l.ranges), l.term) for l in d.lines], e["id"]
        assert e["source"]["locators"] and {l["file"] for l in e["source"]["locators"]} <= seeds, e["id"]


def test_spreads_read_as_money_no_money_or_not_computable(data):
    text = {x["id"]: x["spread"]["text"] for x in data["register"]}
    assert text["CB-MONTHLY-NEWPURCHASE"] == "106.19 CNY" and text["CB-RES-COMBINE"] == "7200 CNY"
    assert text["APIGW-ARREARS-NOTICE"] == "no money" and text["APIGW-ARREARS-TOPUP"] == "not computable"


def test_the_register_page_shows_spread_locators_evidence_and_confidence(pages):
    entry = _entry(pages["register.html"], "BILL-DEBIT-ROUNDING")
    summary = entry[:entry.index("</summary>")]
    assert '<span class="sev sev-high">high</span> <span class="spread">1.20 CNY</span>' in summary
    assert ('<tr><th>spread</th><td><span class="spread">1.20 CNY</span> <span class="muted">(computed by the readings)</span>'
            " — On 30 days of CloudBase overage at 1.1108 CNY a day the difference is 0.02 CNY.</td></tr>") in entry
    # guide › section › lines, each locator; one in the other guide names that guide and its file
    assert ('<li><span lang="zh-Hans">共享实例计费 › API 调用次数 (计费周期, 账单时间, 扣费方式)</span> › '
            '<span class="locator">lines 212–214</span> <span class="muted term" lang="zh-Hans">“扣费”</span></li>') in entry
    assert ('<li><span lang="zh-Hans">云开发 CloudBase 购买指南</span> › <span lang="zh-Hans">微信云托管说明 › price table</span> › '
            '<span class="locator">lines 946–959</span>') in entry and '<code class="muted">004_8ea3c52f5e2737b2.txt</code>' in entry
    assert 'section lines 198–292 of <code>000_e8d1399eb621779c.txt</code>' in entry
    assert ('<a class="evidence" href="https://cloud.tencent.com.cn/document/product/555/7465" rel="noreferrer">'
            '费用中心 › 账单常见问题') in entry
    assert ('<code>line-8dp-debit-fen</code> (policy <code>billing.debit_rounding</code>) · confidence '
            '<span class="confidence confidence-medium">medium</span> — ') in entry
    assert "<tr><th>scenario</th><td>720 hourly call bills of 6,944 calls each" in entry
    assert "<code>engine statement.settle</code>, <code>apigw.shared.hourly_statement</code>" in entry
    assert '<a href="report.html#section=cloudbase.hosting"><code>cloudbase.hosting</code></a>' in entry  # also governs
    assert '<code id="APIGW-ROUNDING-POINT">APIGW-ROUNDING-POINT</code>' in entry  # an absorbed id leads here
    plain = _entry(pages["register.html"], "APIGW-ARREARS-TOPUP")
    assert '<span class="spread">not computable</span>' in plain and "no page outside the guides" in plain
    assert "also governs" not in plain and "absorbed" not in plain


# rows: the guide locator and the severity they touch --------------------------------------------

def test_rows_give_their_guide_locator_and_the_severity_they_touch(data, pages):
    fee = next(r for r in data["examples"] if r["id"] == FEE)
    src = fee["source"]
    assert (src["seed"], src["document_zh"], src["section_zh"], src["section_lines"]) == (
        "000_e8d1399eb621779c.txt", "API 网关 购买指南(已停售)", "共享实例计费", [198, 292])
    assert [(l["section"], l["text"], l["term"]) for l in src["locators"]] == [
        ("共享实例计费 › 计费示例 (second)", "lines 277–283", "45.26"), ("共享实例计费 › 调用次数费用", "lines 245–249", "计费"),
        ("共享实例计费 › 外网出流量价格", "lines 256–258", "价格"), ("共享实例计费 › 说明 (单位换算)", "line 268", "单位换算")]
    severity = {r["id"]: r["severity"] for r in data["examples"]}
    assert severity[FEE] == "high"                                       # BILL-DEBIT-ROUNDING
    assert severity["apigw.overview.free-second-grant"] == "medium"       # APIGW-FREE-PERIOD, APIGW-FREE-BOUNDARY
    assert severity["apigw.specs.dedicated-qps-max-50000"] == "low"       # APIGW-DED-EDITIONS
    assert severity["cloudbase.monthly.downgrade-refund-1390.59"] == "high"  # the most severe of three high ones
    assert severity["apigw.shared.call-fee-30"] == ""                     # cites no entry
    for r in data["examples"]:
        ex = next(e for e in exmod.examples() if e.id == r["id"])
        assert [(l["section"], [tuple(x) for x in l["ranges"]]) for l in r["source"]["locators"]] == [
            (l.section, list(l.ranges)) for l in ex.lines], r["id"]
        assert r["source"]["seed"] and r["source"]["section_lines"], r["id"]
    row = _row(pages["report.html"], FEE)
    assert 'data-severity="high"' in row
    assert ('<li><span lang="zh-Hans">共享实例计费 › 计费示例 (second)</span> › <span class="locator">lines 277–283</span> '
            '<span class="muted term" lang="zh-Hans">“45.26”</span></li>') in row
    assert '<span class="locator">line 268</span>' in row
    assert 'section lines 198–292 of <code>000_e8d1399eb621779c.txt</code>' in row
    assert ('<a href="register.html#BILL-DEBIT-ROUNDING"><code>BILL-DEBIT-ROUNDING</code></a> <span class="sev sev-high">high</span>'
            ' <span class="muted">spread 1.20 CNY</span>') in row


def test_a_locator_shows_each_of_its_ranges():
    cat = load()
    loc = exmod.Locator("", "", ((245, 249), (253, 253)), "月累计")
    assert report.locators(cat, "apigw.shared", (loc,)) == [{
        "file": "000_e8d1399eb621779c.txt", "document_zh": "API 网关 购买指南(已停售)",
        "document_en": "API Gateway purchase guide (discontinued)", "section": "共享实例计费",
        "ranges": [[245, 249], [253, 253]], "term": "月累计", "text": "lines 245–249, 253"}]
    assert report.ranges_text([(268, 268)]) == "line 268" and report.ranges_text([(7, 7), (9, 9)]) == "lines 7, 9"


def test_a_merged_id_cited_by_an_example_is_the_entry_that_absorbed_it(monkeypatch):
    exs = [replace(e, discrepancies=("APIGW-ROUNDING-POINT",)) if e.id == "apigw.shared.call-fee-30" else e
           for e in exmod.examples()]
    monkeypatch.setattr(exmod, "examples", lambda section=None: exs)
    d = report.collect(load(), "shipped", [], [], [])
    row = next(r for r in d["examples"] if r["id"] == "apigw.shared.call-fee-30")
    assert [x["id"] for x in row["discrepancies"]] == ["BILL-DEBIT-ROUNDING"] and row["severity"] == "high"
    x = next(x for x in d["register"] if x["id"] == "BILL-DEBIT-ROUNDING")
    assert "apigw.shared.call-fee-30" in x["examples"]


# links --------------------------------------------------------------------------------------------

def test_register_entries_link_back_to_the_examples_citing_them(data, pages):
    x = next(x for x in data["register"] if x["id"] == "BILL-DEBIT-ROUNDING")
    assert [c["id"] for c in x["cited_by"]] == x["examples"] == [
        FEE, "cloudbase.monthly.downgrade-new-157.8", "cloudbase.monthly.downgrade-refund-1390.59"]
    entry = _entry(pages["register.html"], "BILL-DEBIT-ROUNDING")
    for e in x["examples"]:
        assert f'<a href="report.html#{e}"><code>{e}</code></a> <span class="badge match">✔</span>' in entry
    for x in data["register"]:  # every entry: exactly the examples that cite it
        assert x["examples"] == [r["id"] for r in data["examples"] if x["id"] in [d["id"] for d in r["discrepancies"]]]


def test_section_register_counts_include_the_entries_that_also_govern_it(data, pages):
    for s in data["sections"]:
        assert s["register"] == sum(1 for x in data["register"] if x["section"] == s["key"] or s["key"] in x["also"])
    shared = next(s for s in data["sections"] if s["key"] == "apigw.shared")
    assert shared["register"] == 11  # nine of its own, APIGW-FREE-PERIOD and APIGW-EGRESS-REGION-ORDER (apigw.overview)
    assert '<td class="num"><a href="register.html#section=apigw.shared">11</a></td>' in pages["index.html"]
    assert 'data-section="apigw.overview" data-also="apigw.packs apigw.shared"' in pages["register.html"]


def test_counts_link_to_filtered_rows_and_zero_has_no_link(data, pages):
    shared = next(s for s in data["sections"] if s["key"] == "apigw.shared")
    n = shared["counts"]["match"]
    assert n == 9 and shared["counts"]["differs"] == 0
    cell = (f'<td class="num match" data-section="apigw.shared" data-status="match"><a href="report.html#section=apigw.shared'
            f'&amp;status=match" title="show these {n} rows">{n}</a></td>')
    assert cell in pages["index.html"]
    assert cell.replace('href="report.html#', 'href="#') in pages["report.html"]
    assert '<td class="num zero" data-section="apigw.shared" data-status="differs">0</td>' in pages["index.html"]
    assert '<td class="num zero" data-section="apigw.shared" data-status="unexpected">0</td>' in pages["index.html"]
    assert '<span class="zero">0 differ</span>' in pages["report.html"]  # no link, no colour
    assert '<span class="known"><a href="#status=known" title="show these 1 rows">1</a> known discrepancy</span>' \
        in pages["report.html"]
    # one column per status, and the document rows span them all
    assert pages["index.html"].count('<col class="c-n">') == len(report.STATUSES) + 2
    assert f'<tr class="doc"><th colspan="{len(report.STATUSES) + 5}">' in pages["index.html"]


def test_index_lists_the_sections_of_both_guides_in_the_guides_order(pages):
    page = pages["index.html"]
    cat = load()
    shown = re.findall(r'<tr data-section="([^"]+)">', page)
    want = [k for doc in cat.documents for k in sorted((k for k, s in cat.sections.items() if s.doc == doc),
                                                        key=lambda k: cat.sections[k].order)]
    assert shown == want and len(shown) == 20
    assert "lines 57–98" in page and "lines 936–982" in page


# the status "unexpectedly matches" ----------------------------------------------------------------

def test_an_unexpected_match_has_its_own_mark_colour_count_and_legend():
    d = report_data(stale=(FEE,))
    row = next(r for r in d["examples"] if r["id"] == FEE)
    assert (row["status"], row["computed"], row["expected"]) == ("unexpected", "45.26", "0.01")
    assert d["totals"]["unexpected"] == 1 and d["totals"]["match"] == 226
    pages = report.render(d)
    tr = _row(pages["report.html"], FEE)
    assert 'data-status="unexpected"' in tr
    assert '<td class="status unexpected"><span class="mark" aria-hidden="true">◇</span> unexpectedly matches' in tr
    assert "remove <code>expected</code>" in tr
    cell = ('<td class="num unexpected" data-section="apigw.shared" data-status="unexpected"><a href="report.html#section='
            'apigw.shared&amp;status=unexpected" title="show these 1 rows">1</a></td>')
    assert cell in pages["index.html"]
    assert '<span class="unexpected"><a href="#status=unexpected" title="show these 1 rows">1</a> unexpectedly matches</span>' \
        in pages["report.html"]
    for name in ("index.html", "report.html"):
        assert '<span class="unexpected"><span class="mark" aria-hidden="true">◇</span> unexpectedly matches:' in pages[name]
    assert len(set(report.STATUS_MARK.values())) == len(report.STATUSES)
    css = (report.TEMPLATES / "style.css").read_text(encoding="utf-8")
    colours = {st: re.search(rf"^\.{st} {{ background: (#[0-9a-f]{{6}});", css, re.M).group(1) for st in report.STATUSES}
    assert len(set(colours.values())) == len(report.STATUSES), colours
