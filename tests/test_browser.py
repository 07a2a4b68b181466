"""The built spec as its readers use it: every page loaded in headless Chromium (Debian's
``chromium``, driven by Playwright) with the network cut off, on a laptop screen (1,366 × 768).

- offline: no page asks for anything but files; no raw TeX in any page's visible text, every
  formula drawn as MathML (fractions stacked);
- a laptop: no horizontal scroll on the index, report and register, even with every section open;
  the first example's source column is on screen (screenshot saved in the test's tmp folder);
- filters really hide rows; every count links to exactly its rows;
- one click from a figure to its source: report row → notebook cell, register entry, guide lines;
  register entry → the examples citing it; notebook page → index, report, register;
- the counts shown are the JSON twin's, the statuses have their colours (zero has none), the
  Chinese titles are drawn in a CJK font;
- the same state builds byte-identical pages.

The full build is made once per test session (tests/built_spec.py) and shared with tests/test_lab.py."""
from __future__ import annotations

import json
import os
import re
import struct
from pathlib import Path

import nbformat
import pytest

from built_spec import pricing_build, report_data, shared_build
from pricing.spec import examples as exmod
from pricing.spec import nbtools, report

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LAPTOP = {"width": 1366, "height": 768}
NOTEBOOK = nbtools.NOTEBOOKS / "apigw" / "03_shared.py"
PAGES = [p.relative_to(nbtools.NOTEBOOKS).with_suffix(".html").as_posix() for p in nbtools.sources()]
TEX = ("$$", "\\begin{", "\\frac")


def _need_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "python package playwright not installed (pip install -e '.[test]')"
    else:
        if CHROMIUM.exists():
            return
        reason = "Debian's chromium not installed (.ci/run installs it: apt-get install chromium fonts-noto-cjk)"
    if os.environ.get("CI"):
        pytest.fail(reason)  # CI installs both; a skip there would hide a missing install step
    pytest.skip(reason)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return shared_build(tmp_path_factory)


@pytest.fixture(scope="module")
def data(built) -> dict:
    return json.loads((built / "report.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


class Offline:
    """A page on a laptop screen whose every http(s) request is aborted and recorded."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport=LAPTOP)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.route(re.compile(r"^https?://"), self._block)

    def _block(self, route):
        self.requests.append(route.request.url)
        route.abort()


@pytest.fixture
def offline(browser):
    o = Offline(browser)
    yield o
    o.context.close()


@pytest.fixture
def page(offline):
    return offline.page


def _visible_rows(page, selector: str = "[data-row]") -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.checkVisibility()).map(e => e.id)")


# determinism -----------------------------------------------------------------------------------

def _without_links(d: dict) -> dict:
    """report.json less what depends on which notebooks this run built (their links)."""
    d = json.loads(json.dumps(d))
    d.pop("notebooks")
    for r in d["examples"]:
        r.pop("notebook")
    for s in d["sections"]:
        s.pop("notebook")
    for x in d["register"]:
        for c in x["cited_by"]:
            c.pop("notebook")
    return d


def test_same_state_builds_byte_identical_pages(built, data, tmp_path):
    other = tmp_path / "again"
    r = pricing_build(other, "--only", str(NOTEBOOK), "-j", "1")
    assert r.returncode == 0, r.stdout + r.stderr
    for name in ("html/apigw/03_shared.html", "notebooks/apigw/03_shared.ipynb"):
        assert (built / name).read_bytes() == (other / name).read_bytes(), name
    again = json.loads((other / "report.json").read_text(encoding="utf-8"))
    assert _without_links(again) == _without_links(data)
    # the pages are a pure function of the JSON twin: rendering it again gives the same bytes
    for name, text in report.render(data).items():
        assert (built / name).read_bytes() == text.encode("utf-8"), name


# offline ---------------------------------------------------------------------------------------

def _formulas(nb_path: Path) -> int:
    """Display formulas ($$…$$) in a notebook's Markdown: cells and text/markdown outputs."""
    nb = nbformat.read(nb_path, as_version=4)
    texts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    texts += [o["data"]["text/markdown"] for c in nb.cells for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    return sum(len(re.findall(r"\$\$.+?\$\$", t, re.S)) for t in texts)


@pytest.mark.parametrize("name", ["index.html", "report.html", "register.html"] + [f"html/{p}" for p in PAGES])
def test_every_page_renders_offline_without_raw_tex(built, offline, name):
    page = offline.page
    page.goto((built / name).as_uri(), wait_until="load")
    # the visible text, less the code of the notebook's input cells (Python that writes TeX is not TeX shown)
    page.add_style_tag(content=".jp-InputArea-editor { display: none !important; }")
    text = page.inner_text("body")
    assert len(text) > 500, name
    assert [t for t in TEX if t in text] == [], f"raw TeX in the visible text of {name}"
    assert offline.requests == [], f"{name} asked the network for {offline.requests}"
    assert page.locator(".tex-unrendered").count() == 0
    if name.startswith("html/"):
        want = _formulas(built / "notebooks" / Path(name[5:]).with_suffix(".ipynb"))
        assert page.locator('math[display="block"]').count() == want
        drawn = page.evaluate("""() => {
            const box = e => e.getBoundingClientRect();
            const maths = [...document.querySelectorAll('math')];
            const fracs = [...document.querySelectorAll('mfrac')];
            return {maths: maths.length, sized: maths.every(m => box(m).width > 0 && box(m).height > 0),
                    fracs: fracs.length,
                    stacked: fracs.every(f => box(f.children[0]).bottom <= box(f.children[1]).top + 1)}; }""")
        assert drawn["sized"] and drawn["stacked"], (name, drawn)  # laid out as MathML, not as a run of text


# a laptop --------------------------------------------------------------------------------------

def _fits(page) -> dict:
    return page.evaluate("""() => ({scroll: document.scrollingElement.scrollWidth, inner: innerWidth,
        height: document.scrollingElement.scrollHeight,
        widest: Math.max(...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right))})""")


@pytest.mark.parametrize("name", ["index.html", "report.html", "register.html"])
def test_pages_fit_a_laptop_screen_with_every_section_open(built, page, name):
    page.goto((built / name).as_uri())
    closed = _fits(page)
    assert closed["scroll"] <= closed["inner"] == LAPTOP["width"], closed
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    opened = _fits(page)
    assert opened["scroll"] <= opened["inner"] and opened["widest"] <= opened["inner"], (name, opened)
    if name != "index.html":  # sections fold: the page opens at a few screens, not 48,000 px
        assert closed["height"] < 8 * LAPTOP["height"] < opened["height"], (closed, opened)


_MATH_FITS = """() => {
    // every formula, display or inline, inside the box of the block it sits in (an inline one cannot wrap)
    const block = e => { let c = e.parentElement; while (c && getComputedStyle(c).display.startsWith('inline')) c = c.parentElement; return c; };
    const over = [];
    for (const m of document.querySelectorAll('math')) {
        const box = m.getBoundingClientRect(), outer = block(m).getBoundingClientRect();
        if (box.right > outer.right + 1 || box.left < outer.left - 1)
            over.push([m.getAttribute('display') || 'inline', Math.round(box.width), Math.round(outer.width), m.textContent.slice(0, 80)]);
    }
    return {scroll: document.scrollingElement.scrollWidth, inner: innerWidth, over: over};
}"""


@pytest.mark.parametrize("name", PAGES)
def test_every_formula_fits_a_laptop_screen(built, page, name):
    """No formula, nor its substitution line, runs past the edge of its cell at 1,366 px (11_hosting's bill
    was 2,457 px wide in a 1,224 px box before it was split into one formula per item)."""
    page.goto((built / "html" / name).as_uri())
    fits = page.evaluate(_MATH_FITS)
    assert fits["scroll"] <= fits["inner"] == LAPTOP["width"], (name, fits["scroll"])
    assert fits["over"] == [], (name, fits["over"])


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_first_examples_source_column_is_on_screen(built, data, page, tmp_path):
    first = data["examples"][0]
    page.goto((built / "report.html").as_uri() + f"#{first['id']}")
    shot = tmp_path / "report-1366x768.png"
    page.screenshot(path=str(shot))
    assert _png_size(shot) == (LAPTOP["width"], LAPTOP["height"])
    src = page.locator(f'tr[id="{first["id"]}"] td.source')
    box = src.bounding_box()
    assert box is not None
    assert 0 <= box["x"] and box["x"] + box["width"] <= LAPTOP["width"], box
    assert 0 <= box["y"] < LAPTOP["height"], box
    text = src.inner_text()
    assert first["source"]["locators"] and "notebook cell" in text and first["source"]["seed"] in text
    for loc in first["source"]["locators"]:  # guide › section › lines, each locator
        assert f"{loc['section']} › {loc['text']}" in text, (loc, text)


# filters and counts ----------------------------------------------------------------------------

def test_report_filters_hide_rows(built, data, page):
    page.goto((built / "report.html").as_uri())
    ids = lambda pred: sorted(r["id"] for r in data["examples"] if pred(r))  # noqa: E731
    assert _visible_rows(page) == []  # sections start folded
    page.select_option('form.filters select[name="status"]', "known")
    known = ids(lambda r: r["status"] == "known")
    assert known and sorted(_visible_rows(page)) == known
    assert page.inner_text('form.filters output[name="count"]') == f"{len(known)} of {len(data['examples'])} examples"
    page.select_option('form.filters select[name="status"]', "")
    page.select_option('form.filters select[name="section"]', "apigw.shared")
    assert sorted(_visible_rows(page)) == ids(lambda r: r["section"] == "apigw.shared")
    assert "section=apigw.shared" in page.evaluate("location.hash")
    page.select_option('form.filters select[name="section"]', "")
    page.fill('form.filters input[name="q"]', "fee-45.26")
    assert _visible_rows(page) == ["apigw.shared.fee-45.26"]
    page.click('form.filters button[name="clear"]')
    assert _visible_rows(page) == [] and page.evaluate("location.hash") == ""


def test_register_filters_hide_entries(built, data, page):
    page.goto((built / "register.html").as_uri())
    every = [x["id"] for x in data["register"]]
    assert _visible_rows(page) == every  # summaries shown, in the register's order
    # a section shows its own entries and those that also govern it, as the index's count says
    page.select_option('form.filters select[name="section"]', "cloudbase.monthly")
    monthly = [x["id"] for x in data["register"] if x["section"] == "cloudbase.monthly" or "cloudbase.monthly" in x["also"]]
    assert _visible_rows(page) == monthly and "CB-PL-CAPACITY-UNIT" in monthly  # a cloudbase.pricelist entry
    assert len(monthly) == next(s["register"] for s in data["sections"] if s["key"] == "cloudbase.monthly")
    page.select_option('form.filters select[name="section"]', "")
    page.fill('form.filters input[name="q"]', "apigw-tier-month")
    assert _visible_rows(page) == ["APIGW-TIER-MONTH"]
    page.fill('form.filters input[name="q"]', "apigw-rounding-point")  # an absorbed id finds the entry that took it
    assert _visible_rows(page) == ["BILL-DEBIT-ROUNDING"]
    page.fill('form.filters input[name="q"]', "")
    assert page.locator('form.filters select[name="severity"] option[value="none"]').count() == 0  # every entry is rated
    for sev in ("high", "medium", "low"):
        page.select_option('form.filters select[name="severity"]', sev)
        assert _visible_rows(page) == [x["id"] for x in data["register"] if x["severity"] == sev] != []


def test_an_absorbed_id_opens_the_entry_that_took_it(built, page):
    page.goto((built / "register.html").as_uri() + "#APIGW-ROUNDING-POINT")
    entry = page.locator('details[id="BILL-DEBIT-ROUNDING"]')
    assert entry.evaluate("e => e.open") and page.locator('[id="APIGW-ROUNDING-POINT"]').is_visible()


def test_severity_filters_and_order(built, data, page):
    """The register lists the most serious first (severity, then spread, then id), and the severity
    filters of both pages show exactly their rows; the severity counts link to them."""
    page.goto((built / "register.html").as_uri())
    assert _visible_rows(page)[:3] == ["CB-MONTHLY-NEWPURCHASE", "CB-HOST-FREE-SCOPE", "CB-PL-CALLS-PER-DAY"]
    assert [x["id"] for x in data["register"]] == [d.id for d in exmod.ranked(exmod.discrepancies())]
    summary = page.locator('details[id="CB-MONTHLY-NEWPURCHASE"] > summary').inner_text()
    assert "high" in summary and "106.19 CNY" in summary
    for sev in ("high", "medium", "low"):
        page.select_option('form.filters select[name="severity"]', sev)
        assert _visible_rows(page) == [x["id"] for x in data["register"] if x["severity"] == sev] != []
    page.select_option('form.filters select[name="severity"]', "")
    page.click('td[data-severity="low"] a')
    assert _visible_rows(page) == [x["id"] for x in data["register"] if x["severity"] == "low"] != []
    page.goto((built / "report.html").as_uri() + "#severity=medium")
    assert sorted(_visible_rows(page)) == sorted(r["id"] for r in data["examples"] if r["severity"] == "medium") != []
    page.goto((built / "report.html").as_uri() + "#severity=none")
    assert sorted(_visible_rows(page)) == sorted(r["id"] for r in data["examples"] if not r["discrepancies"]) != []


def test_an_unexpected_match_is_coloured_and_counted(page, tmp_path):
    """A known discrepancy whose figure is the guide's again ("unexpectedly matches"): its own colour
    in the row, the counts and the legend, and its count opens exactly its row."""
    d = report_data(stale=("apigw.shared.fee-45.26",))
    for name, text in report.render(d).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    page.goto((tmp_path / "report.html").as_uri())
    cell = page.locator('td[data-section="apigw.shared"][data-status="unexpected"]')
    assert cell.inner_text() == "1"
    colour = cell.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == page.eval_on_selector(".legend .unexpected", "e => getComputedStyle(e).backgroundColor") \
        == "rgb(243, 208, 240)"
    cell.locator("a").click()
    assert _visible_rows(page) == ["apigw.shared.fee-45.26"]
    status = page.locator('tr[id="apigw.shared.fee-45.26"] td.status')
    assert status.evaluate("e => getComputedStyle(e).backgroundColor") == colour
    assert "unexpectedly matches" in status.inner_text()


@pytest.mark.parametrize("start", ["index.html", "report.html"])
def test_counts_link_to_their_rows(built, data, page, start):
    page.goto((built / start).as_uri())
    clicked = 0
    for key, status in (("apigw.shared", "match"), ("*", "known"), ("cloudbase.monthly", "match")):
        cell = page.locator(f'td[data-section="{key}"][data-status="{status}"]')
        shown = int(cell.inner_text())
        want = sorted(r["id"] for r in data["examples"]
                      if r["status"] == status and (key == "*" or r["section"] == key))
        assert shown == len(want) > 0
        cell.locator("a").click()
        page.wait_for_url(re.compile(r"report\.html#"))
        assert sorted(_visible_rows(page)) == want, (key, status)
        clicked += 1
        page.goto((built / start).as_uri())
    assert clicked == 3
    # a zero count is not a link and has no colour
    zero = page.locator('td.zero[data-status="differs"]').first
    assert zero.locator("a").count() == 0
    assert zero.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"


def test_register_counts_link_to_the_sections_entries(built, data, page):
    """The index's register count of a section opens the register at exactly that many entries: the
    section's own and those that also govern it."""
    page.goto((built / "index.html").as_uri())
    link = page.locator('tr[data-section="apigw.shared"] a[href^="register.html#section="]')
    shown = int(link.inner_text())
    link.click()
    page.wait_for_url(re.compile(r"register\.html#section=apigw\.shared"))
    want = [x["id"] for x in data["register"] if x["section"] == "apigw.shared" or "apigw.shared" in x["also"]]
    assert _visible_rows(page) == want and len(want) == shown == 11


def _shown_counts(page) -> dict[tuple[str, str], int]:
    cells = page.eval_on_selector_all("td[data-section][data-status]",
                                      "els => els.map(e => [e.dataset.section, e.dataset.status, e.innerText.trim()])")
    out = {}
    for sec, st, text in cells:
        assert (sec, st) not in out, f"count shown twice for {sec}/{st}"
        out[(sec, st)] = int(text)
    return out


def _json_counts(data: dict) -> dict[tuple[str, str], int]:
    want = {("*", "examples"): data["totals"]["examples"]}
    want.update({("*", st): data["totals"][st] for st in report.STATUSES})
    for s in data["sections"]:
        want[(s["key"], "examples")] = s["examples"]
        want.update({(s["key"], st): n for st, n in s["counts"].items()})
    return want


@pytest.mark.parametrize("name", ["index.html", "report.html"])
def test_counts_shown_match_the_json(built, data, page, name):
    page.goto((built / name).as_uri())
    assert _shown_counts(page) == _json_counts(data)
    assert data["totals"]["examples"] == 228
    if name == "report.html":
        rows = page.eval_on_selector_all("tr.example", "els => els.map(e => [e.id, e.dataset.status])")
        assert sorted(map(tuple, rows)) == sorted((r["id"], r["status"]) for r in data["examples"])


def test_statuses_are_coloured_with_a_legend(built, page):
    page.goto((built / "report.html").as_uri())
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    colour = page.evaluate("""() => {
        const c = {};
        for (const st of ['match', 'known']) {
            const el = document.querySelector(`tr.example[data-status="${st}"] td.status`);
            if (el) c[st] = getComputedStyle(el).backgroundColor;
        }
        for (const st of ['match', 'differs', 'known', 'unexpected', 'error'])
            c['legend-' + st] = getComputedStyle(document.querySelector(`.legend .${st}`)).backgroundColor;
        return c; }""")
    assert colour["match"] == colour["legend-match"] == "rgb(201, 242, 192)"  # green
    assert colour["known"] == colour["legend-known"] == "rgb(253, 226, 167)"  # a colour of its own
    assert len({colour[f"legend-{st}"] for st in report.STATUSES}) == len(report.STATUSES) == 5  # each its own
    legend = page.eval_on_selector(".legend .differs", "e => [getComputedStyle(e).backgroundColor, "
                                   "getComputedStyle(e.querySelector('del')).textDecorationLine]")
    assert legend == ["rgb(249, 196, 196)", "line-through"]  # red, guide's figure struck through
    # "0 differ" in the summary line is not red
    zero = page.locator("p span.zero", has_text="differ")
    assert zero.count() == 1 and zero.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.goto((built / "register.html").as_uri())
    assert page.locator(".legend .holds").count() == 1 and page.locator(".legend .sev").count() == 3
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    held = page.locator("tr.reading td.holds").first  # a reading that still gives its figure is not green
    assert held.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"


# one click from figure to source ---------------------------------------------------------------

def test_report_row_links_to_its_cell_its_register_entries_and_back(built, data, page):
    row_id = "apigw.shared.fee-45.26"
    row = next(r for r in data["examples"] if r["id"] == row_id)
    page.goto((built / "report.html").as_uri() + f"#{row_id}")
    tr = page.locator(f'tr[id="{row_id}"]')
    assert tr.is_visible()
    href = tr.locator("a.nb-link").get_attribute("href")
    assert href == f"html/apigw/03_shared.html#{row_id}"
    tr.locator("a.nb-link").click()
    page.wait_for_url(re.compile(r"03_shared\.html#"))
    cell = page.locator(f'[id="{row_id}"]')
    assert cell.count() == 1 and "45.26" in cell.inner_text() and cell.is_visible()
    page.goto((built / "report.html").as_uri() + f"#{row_id}")
    assert [x["id"] for x in row["discrepancies"]] == ["BILL-DEBIT-ROUNDING", "UNITS-DATA-BASE"]   # the fen and the 1024-based GB
    tr.locator('a[href="register.html#BILL-DEBIT-ROUNDING"]').click()
    page.wait_for_url(re.compile(r"register\.html#BILL-DEBIT-ROUNDING"))
    entry = page.locator('details[id="BILL-DEBIT-ROUNDING"]')
    assert entry.evaluate("e => e.open") and entry.locator("table.entry").is_visible()
    citing = entry.locator(f'a[href="report.html#{row_id}"]')
    assert citing.count() == 1
    assert entry.locator(f'a.nb-link[href="html/apigw/03_shared.html#{row_id}"]').count() == 1
    text = entry.inner_text()   # the entry's places in the guides, each with its lines, and the section's
    assert "共享实例计费 › API 调用次数 (计费周期, 账单时间, 扣费方式) › lines 212–214" in text and "section lines 198–292" in text
    citing.click()
    page.wait_for_url(re.compile(r"report\.html#"))
    assert page.locator(f'tr[id="{row_id}"]').is_visible()


def test_notebook_pages_link_to_the_index_report_and_register(built, data, page):
    register = (built / "register.html").read_text(encoding="utf-8")
    for rel in PAGES:
        html = (built / "html" / rel).read_text(encoding="utf-8")
        hrefs = set(re.findall(r'href="([^"#]*\.html)(?:#([^"]*))?"', html))
        nav = re.search(r'<nav [^>]*class="pricing-nav".*?</nav>', html, re.S).group(0)
        section = re.search(r'report\.html#section=([^"]+)"', nav).group(1)
        assert '<a href="../../index.html">' in nav, rel
        for d in exmod.discrepancies():  # the section's entries and those that also govern it
            if d.section == section or section in d.also:
                assert f'href="../../register.html#{d.id}"' in nav, (rel, d.id)
        for target, frag in hrefs:
            if target.startswith("../../"):
                assert (built / "html" / rel).parent.joinpath(target).resolve().exists(), (rel, target)
                if target.endswith("register.html") and frag and not frag.startswith("section="):
                    assert f'id="{frag}"' in register, (rel, frag)
    # "See register: ID" is a link in the notebook's own output, and works in the page
    nb = (built / "notebooks" / "apigw" / "03_shared.ipynb").read_text(encoding="utf-8")
    assert "See register: [`APIGW-PACK-WINDOW`](../../register.html#APIGW-PACK-WINDOW)" in nb
    page.goto((built / "html" / "apigw" / "03_shared.html").as_uri())
    assert page.locator(".pricing-nav a", has_text="Index").get_attribute("href") == "../../index.html"
    page.locator('[id="apigw.shared.free-pack-end"] a[href="../../register.html#APIGW-PACK-WINDOW"]').click()
    page.wait_for_url(re.compile(r"register\.html#APIGW-PACK-WINDOW"))
    assert page.locator('details[id="APIGW-PACK-WINDOW"]').evaluate("e => e.open")
    page.goto((built / "html" / "apigw" / "03_shared.html").as_uri())
    page.locator(".pricing-nav a", has_text="Report rows").click()
    page.wait_for_url(re.compile(r"report\.html#section=apigw\.shared"))
    assert sorted(_visible_rows(page)) == sorted(r["id"] for r in data["examples"] if r["section"] == "apigw.shared")


# fonts -----------------------------------------------------------------------------------------

def _platform_fonts(page, selector: str) -> list[dict]:
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name,selector", [("report.html", "h1 .zh"), ("index.html", "h1 .zh"),
                                           ("report.html", 'details[id="section-apigw.shared"] summary .zh')])
def test_chinese_titles_render_in_a_cjk_font(built, page, name, selector):
    page.goto((built / name).as_uri())
    text = page.inner_text(selector)
    han = len(HAN.findall(text))
    assert han >= 2, text
    fonts = _platform_fonts(page, selector)
    cjk = [f for f in fonts if "CJK" in f["familyName"]]
    assert cjk and sum(f["glyphCount"] for f in cjk) >= han, fonts  # every Han character drawn by a CJK face
    # and drawn as full-width ideographs: a CJK face gives each exactly 1em; boxes or a Latin fallback do not
    em, width = page.eval_on_selector(selector, """e => {
        const s = document.createElement('span'); s.textContent = '审计报告章节'; s.style.whiteSpace = 'nowrap';
        e.appendChild(s); const w = s.getBoundingClientRect().width; s.remove();
        return [parseFloat(getComputedStyle(e).fontSize), w]; }""")
    assert abs(width - 6 * em) < 0.05 * em * 6, (width, em)
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '审计')")
