"""The reconciliation page as a person sees it, in headless Chromium (Debian's, driven by Playwright):
it loads, its counts are the JSON's, every line is a row, a row that differs shows the billed figure
struck through beside the recomputed one, the statuses wear the report's colours, and rows link to the
rule's rendered notebook."""
from __future__ import annotations

import io
import json

import pytest

from pricing.engine.catalog import load
from pricing.rules import load_all
from pricing.spec.reconcile import generate as gen
from pricing.spec.reconcile.api import reconcile
from tests.test_browser import ARGS, CHROMIUM, _need_browser

load_all()


@pytest.fixture(scope="module")
def page_and_json(tmp_path_factory):
    root = tmp_path_factory.mktemp("reconcile-page")
    cat = load()
    b = gen.generate(cat, errors=("rounding-slip",), days=(1, 2))
    csv = gen.write(b, root)["2026-10"][1]
    buf = io.StringIO()
    reconcile([csv], cat, root / "account.toml", json_out=buf)
    out = reconcile([csv], cat, root / "account.toml", html_dir=root / "html")
    return root / "html" / "reconcile.html", json.loads(buf.getvalue()), out


@pytest.fixture(scope="module")
def page():
    _need_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        pg = b.new_page(viewport={"width": 1400, "height": 900})
        yield pg
        b.close()


def test_page_counts_rows_and_a_differing_row(page_and_json, page):
    html, doc, out = page_and_json
    page.goto(html.as_uri())
    assert page.title().startswith("账单对账")
    shown = dict(page.eval_on_selector_all("td[data-total]", "els => els.map(e => [e.dataset.total, e.innerText.trim()])"))
    t = doc["totals"]
    assert shown == {"lines": str(t["lines"]), "match": str(t["match"]), "differs": str(t["differs"]),
                     "not-covered": str(t["not-covered"])}
    assert t["differs"] == 1 and t["lines"] == len(doc["lines"]) > 100
    rows = page.eval_on_selector_all("tr.line", "els => els.map(e => [e.id, e.dataset.status])")
    assert sorted(map(tuple, rows)) == sorted((f"line-{r['seq']}", r["status"]) for r in doc["lines"])
    bad = next(r for r in doc["lines"] if r["status"] == "differs")
    row = page.locator(f'tr[id="line-{bad["seq"]}"]')
    assert row.locator("td.billed del").inner_text() == bad["billed"]["RealCost"]
    assert row.locator("td.recomputed ins").inner_text() == bad["recomputed"]["RealCost"] != bad["billed"]["RealCost"]
    colours = page.evaluate("""() => ['match', 'differs', 'not-covered'].map(st =>
        getComputedStyle(document.querySelector(`tr.line[data-status="${st}"] td.status`)).backgroundColor)""")
    assert colours[:2] == ["rgb(201, 242, 192)", "rgb(249, 196, 196)"]  # the report's green and red
    assert page.eval_on_selector(f'tr[id="line-{bad["seq"]}"] td.billed del',
                                 "e => getComputedStyle(e).textDecorationLine") == "line-through"
    months = page.eval_on_selector_all("tr.month", "els => els.map(e => [e.dataset.month, e.dataset.status])")
    assert months == [[m["month"], m["status"]] for m in doc["months"]] == [["2026-10", "match"]]


def test_rows_link_to_the_rules_notebook(page_and_json, page):
    html, doc, _ = page_and_json
    page.goto(html.as_uri())
    calls = next(r for r in doc["lines"] if r["kind"] == "apigw.calls")
    href = page.get_attribute(f'tr[id="line-{calls["seq"]}"] a.nb-link', "href")
    assert href.endswith("build/html/apigw/03_shared.html")
    details = page.locator(f'tr[id="line-{calls["seq"]}"] details.steps')
    details.locator("summary").click()
    assert "tier position before the billed calls" in details.inner_text()
