"""The discrepancy register as an auditor needs it: every entry rated (severity, spread on a stated
scenario), located in the guide's text, one policy per question, figures from data, and ranked by
what it costs. See docs/REGISTER.md and docs/AUDIT.md."""
import json
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from pricing.engine import catalog
from pricing.engine.errors import CatalogError
from pricing.engine.money import BILLED, D
from pricing.engine.policies import POLICIES
from pricing.rules import load_all
from pricing.spec import examples as ex
from pricing.spec.cli import main

load_all()
import pricing.engine.statement  # noqa: E402,F401  (declares billing.debit_rounding)
import pricing.spec.reconcile.kinds  # noqa: E402,F401  (declares the reconcile policies: checked whatever ran before)

CAT = catalog.load()
RAW = ex.discrepancies(raw=True)
ENTRIES = ex.discrepancies(catalog=CAT)
BY_ID = {d.id: d for d in ENTRIES}
EXAMPLES = ex.examples()
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
TEMPLATE_FIELDS = ("title", "where", "says", "why", "scenario")


# ------------------------------------------------------------------ every entry rated and located
def test_the_register_after_the_audit():
    # 66 entries after the audit, plus CB-PL-CAPACITY-HELD (medium): the cycle bill's held-day policy
    # (docs/audit/handoff.md item 10)
    assert len(ENTRIES) == 67
    assert Counter(d.severity for d in ENTRIES) == {"high": 11, "medium": 44, "low": 12}
    assert {d.basis for d in ENTRIES} == {"two-places", "one-place"}


@pytest.mark.parametrize("d", RAW, ids=[d.id for d in RAW])
def test_entry_has_severity_impact_scenario_spread_locator_and_confidence(d):
    assert d.severity in ex.SEVERITIES and d.confidence in ex.CONFIDENCES
    assert d.affects and d.scenario.strip() and d.spread is not None
    assert d.lines and all(loc.ranges for loc in d.lines)
    ranges = [r for loc in d.lines for r in loc.ranges]
    if d.basis == "two-places":  # two places that disagree: at least two ranges of the guides
        assert len(ranges) >= 2, d.id
    assert len(d.readings) >= 2
    for e in d.evidence:
        assert e.url.startswith("https://") and e.title and e.supports


@pytest.mark.parametrize("d", [d for d in RAW if d.spread.basis == "readings"], ids=lambda d: d.id)
def test_spread_is_held_by_the_readings(d):
    """A spread 'from readings' is the largest difference between the readings' computed CNY figures."""
    vals = []
    for r in d.readings:
        if r.calc and r.unit.startswith("CNY"):
            v, ok = ex.run_reading(r, CAT, d.section)
            assert ok, (d.id, r.name)
            vals.append(BILLED(v))
    assert len(vals) >= 2, d.id
    assert max(vals) - min(vals) == D(d.spread.cny), d.id


def test_stated_spreads_say_how_and_no_money_is_stated_as_such():
    for d in RAW:
        if d.spread.basis == "stated":
            assert d.spread.note, d.id
        if d.severity == "low":
            assert d.spread.cny in ("0", "n/a"), f"{d.id}: a low entry changes wording only"


def test_the_ten_that_matter_most_come_first():
    ranked = ex.ranked(ENTRIES)
    sev = [ex.SEVERITIES.index(d.severity) for d in ranked]
    assert sev == sorted(sev)
    for s in ex.SEVERITIES:
        mine = [d for d in ranked if d.severity == s]
        vals = [d.spread.value for d in mine if d.spread.value is not None]
        assert vals == sorted(vals, reverse=True)
        assert all(d.spread.value is not None for d in mine[:len(vals)])  # 'n/a' after every figure
    top = [d.id for d in ranked[:3]]
    assert top == ["CB-MONTHLY-NEWPURCHASE", "CB-HOST-FREE-SCOPE", "CB-PL-CALLS-PER-DAY"]


# ------------------------------------------------------------------ the loader refuses an unrated entry
def _write(tmp_path, body):
    d = tmp_path / "spec_examples"
    (d / "apigw").mkdir(parents=True)
    (d / "apigw" / "x.toml").write_text(body, encoding="utf-8")
    return d


ENTRY = '''[[discrepancy]]
id = "X-1"
section = "apigw.shared"
severity = "low"
basis = "one-place"
title = "t"
where = "w"
says = "s"
default = "a"
why = "y"
confidence = "low"
affects = ["nothing"]
scenario = "a case"
spread = { cny = "0", from = "stated", note = "none" }
lines = [[245, 249]]

[[discrepancy.reading]]
name = "a"
summary = "a"
gives = "1"

[[discrepancy.reading]]
name = "b"
summary = "b"
gives = "2"
'''


@pytest.mark.parametrize("drop, field", [('severity = "low"\n', "severity"), ("lines = [[245, 249]]\n", "lines"),
                                         ('scenario = "a case"\n', "scenario"), ('affects = ["nothing"]\n', "affects"),
                                         ('confidence = "low"\n', "confidence")])
def test_loader_requires_each_field(tmp_path, drop, field):
    root = _write(tmp_path, ENTRY.replace(drop, ""))
    with pytest.raises(CatalogError, match=field):
        ex.discrepancies(root=root, raw=True)


@pytest.mark.parametrize("old, new, field", [('severity = "low"', 'severity = "huge"', "severity"),
                                             ("lines = [[245, 249]]", "lines = [[249, 245]]", "lines"),
                                             ('cny = "0", from = "stated", note = "none"', 'cny = "0", from = "stated"', "note"),
                                             ('cny = "0"', 'cny = "-1"', "cny")])
def test_loader_refuses_bad_values(tmp_path, old, new, field):
    root = _write(tmp_path, ENTRY.replace(old, new))
    with pytest.raises(CatalogError, match=field):
        ex.discrepancies(root=root, raw=True)


def test_loader_requires_an_example_locator(tmp_path):
    root = _write(tmp_path, '[[example]]\nid = "e"\nsection = "apigw.shared"\ntitle = "t"\ncalc = "c"\noutput = "o"\nprinted = "1"\n')
    with pytest.raises(CatalogError, match="lines"):
        ex.examples(root=root)


def test_every_example_has_a_locator():
    assert all(e.lines and all(loc.ranges for loc in e.lines) for e in EXAMPLES)


# ------------------------------------------------------------------ locators against the guides' text
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds (the guides' text) is not beside the worktree")
@pytest.mark.parametrize("rec", [*RAW, *EXAMPLES], ids=lambda r: r.id)
def test_locator_lines_exist_and_hold_a_key_term(rec):
    for loc in ex._resolved(rec.lines, CAT, rec.section):
        lines = (SEEDS / loc.file).read_text(encoding="utf-8").split("\n")
        text = ""
        for a, b in loc.ranges:
            assert b <= len(lines), f"{rec.id}: {loc.file} has {len(lines)} lines, not {b}"
            text += "\n".join(lines[a - 1:b])
        terms = [loc.term] if loc.term else re.findall(r"[\u4e00-\u9fff]{2,}", f"{loc.section} {getattr(rec, 'where', '')}")
        assert any(t in text for t in terms), f"{rec.id}: none of {terms} in {loc.file}:{loc.ranges}"


# ------------------------------------------------------------------ one question, one policy, one default
PRESENTATION = "Presentation:"


def test_every_policy_has_its_register_entry():
    for p in POLICIES.values():
        if not p.discrepancy:
            assert p.question.startswith(PRESENTATION), f"{p.name}: a reading must have a register entry"
            continue
        target = ex.resolve_id(p.discrepancy)
        assert target in BY_ID, f"{p.name}: register entry {p.discrepancy} does not exist"


def test_every_entry_policy_matches_the_code():
    for d in ENTRIES:
        if not d.policy:
            continue
        p = POLICIES[d.policy]
        assert p.discrepancy == d.id, f"{d.id}: policy {d.policy} points to {p.discrepancy}"
        assert d.default == p.default, f"{d.id}: the register default {d.default} is not the code's {p.default}"
        assert set(d.reading_names) == set(p.choices), f"{d.id}: readings {d.reading_names} vs choices {list(p.choices)}"
        for r in d.readings:
            if r.calc and r.name != d.default:
                assert r.policies.get(d.policy) == r.name or d.policy not in r.policies, (d.id, r.name)


def test_presentation_policies_are_pinned_only_by_examples():
    pres = {p.name for p in POLICIES.values() if not p.discrepancy}
    assert pres == {"apigw.example.gb_rounding", "apigw.packs.scope_window", "cloudbase.plans.downgrade_rounding"}
    for name in pres:  # the default is what a bill does; the printed derivation is pinned in the examples
        pins = [e for e in EXAMPLES if name in e.policies]
        assert pins and all(e.pin_why for e in pins), name


# ------------------------------------------------------------------ an example cites what its figure rests on
def _affects(d, calc: str) -> bool:
    """Whether the entry lists ``calc`` among what it affects (an item may add a note: 'calc (capacity)')."""
    return any(re.match(re.escape(calc) + r"(?![\w.])", a) for a in d.affects)


def _names(text: str, figure: str) -> bool:
    """Whether ``text`` names the printed figure as a whole number (48 in '48 days', not in '148' or '4.8')."""
    return re.search(r"(?<![\w.,])" + re.escape(figure) + r"(?![\w]|[.,]\d)", text) is not None


def resting_on(e) -> dict[str, str]:
    """The register entries example ``e``'s printed figure rests on, each with why:

    1. *pinned*: the example pins a reading of the entry's policy;
    2. *moves*: the entry's policy, set to another of its readings, gives the example another figure
       (a reading that cannot price the example at all, an error, says nothing about its figure);
    3. *reproduces*: the entry's ``why`` says its default reproduces a printed figure, names this
       example's, and the entry affects the example's calculation;
    4. *recomputes*: one of the entry's readings runs the example itself (its calculation, inputs and output).
    """
    from pricing.engine.calcs import get
    by_policy = {d.policy: d for d in ENTRIES if d.policy}
    out = {}
    for p in e.policies:
        if p in by_policy:
            out[by_policy[p].id] = "pinned"
    base = ex.run_example(e, CAT).computed
    for pol in get(e.calc).policies:
        d = by_policy.get(pol.name)
        if d is None or d.id in out:
            continue
        now = e.policies.get(pol.name, pol.default)
        for choice in pol.choices:
            if choice == now:
                continue
            try:
                other = ex.run_calc(e.calc, CAT, e.inputs, {**e.policies, pol.name: choice}, ex.example_as_of(e, CAT))
            except Exception:
                continue
            if other.outputs.get(e.output) != base:
                out[d.id] = f"moves: {choice} gives {other.outputs.get(e.output)}"
                break
    for d in ENTRIES:
        if d.id in out:
            continue
        if "reproduc" in d.why and _names(d.why, e.printed) and _affects(d, e.calc):
            out[d.id] = "reproduces: its why names the printed figure"
        elif any(r.calc == e.calc and r.output == e.output and r.inputs == e.inputs for r in d.readings):
            out[d.id] = "recomputes: a reading runs the example itself"
    return out


def test_the_citation_rule_finds_what_the_review_found():
    """CB-MONTHLY-UPGRADE-DAYS's why says started days reproduce the printed 48 days and 1420.27; the
    bought-pack examples pin a reading of APIGW-PACK-WINDOW; the 45.26 month moves under a decimal GB."""
    byid = {e.id: e for e in EXAMPLES}
    assert resting_on(byid["cloudbase.monthly.upgrade-days-48"])["CB-MONTHLY-UPGRADE-DAYS"].startswith("reproduces")
    assert resting_on(byid["cloudbase.monthly.upgrade-fee-1420.27"])["CB-MONTHLY-UPGRADE-DAYS"].startswith("reproduces")
    assert resting_on(byid["apigw.packs.validity-days"])["APIGW-PACK-WINDOW"] == "pinned"
    assert resting_on(byid["apigw.shared.fee-45.26"])["UNITS-DATA-BASE"].startswith("moves: decimal")
    # and nothing is found where nothing rests: the covers examples read no register policy
    assert resting_on(byid["apigw.packs.covers-call-shared"]) == {}


@pytest.mark.parametrize("e", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_an_example_cites_every_entry_its_figure_rests_on(e):
    """The report and the register page count an entry's examples from these citations: an entry whose
    reading decides a printed figure must be cited by that example (the rule: :func:`resting_on`)."""
    cited = {ex.resolve_id(i) for i in e.discrepancies}
    missing = {i: why for i, why in resting_on(e).items() if i not in cited}
    assert not missing, f"{e.id} ({e.file}) should cite: {missing}"


def test_merged_questions_have_one_policy():
    assert "APIGW-ROUNDING-POINT" in BY_ID["BILL-DEBIT-ROUNDING"].merges
    assert BY_ID["CB-RES-WINDOW"].merges == ("CB-PL-PROMO-DAY",)
    assert BY_ID["CB-RES-WINDOW"].policy == "cloudbase.reserved.window"
    gone = {"cloudbase.pricelist.promo_day", "cloudbase.pack_refunds.validity", "cloudbase.plan_ops.trial",
            "apigw.overview.month_kind", "apigw.free_quota.end", "apigw.dedicated.payg.rounding",
            "apigw.dedicated.discount.rounding", "cloudbase.hosting.rounding", "cloudbase.hosting.memory_unit",
            "cloudbase.reserved.size_base", "cloudbase.monthly.month_end", "cloudbase.pricelist.calls_per_day"}
    assert not gone & set(POLICIES)
    for e in EXAMPLES:
        assert not set(e.policies) & gone, e.id
        for d in e.discrepancies:
            assert d in BY_ID, f"{e.id} cites {d}, not (or no longer) a register entry"


def test_renamed_policies_answer_under_a_declared_policy():
    """pricing.engine.policies.RENAMED against the registry: the old name is no longer declared, the new one
    is, and every old reading maps to one of its readings (run_calc translates them)."""
    from pricing.engine.policies import RENAMED
    assert RENAMED
    for old, (new, readings) in RENAMED.items():
        assert old not in POLICIES and new in POLICIES, (old, new)
        assert readings and set(readings.values()) <= set(POLICIES[new].choices), (old, readings)
    old = ex.run_calc("apigw.shared.hourly_statement", CAT, {"hours": "720", "calls_per_hour": "6944"},
                      {"apigw.rounding.point": "hourly-bill"}, "2021-03-01")
    assert old.policies["billing.debit_rounding"] == "per-bill-fen" and old["fee"] == Decimal("28.80")


def test_promotion_and_reserved_days_are_one_question():
    promo = ex.run_calc("cloudbase.pricelist.promo_cost", CAT, {"pack": "fn_500gb", "days": "1", "bought": "2025-06-01T20:00:00"},
                        {"cloudbase.reserved.window": "calendar-days"}, "2025-07-02")
    res = ex.run_calc("cloudbase.reserved.purchase", CAT, {"package": "fn_500gb", "days": "1", "bought_at": "2025-06-01T20:00:00"},
                      {"cloudbase.reserved.window": "calendar-days"}, "2025-07-02")
    assert promo["last_second"] == res["last_second"]


def test_the_thirteenth_free_grant_and_its_money():
    d = BY_ID["APIGW-FREE-PERIOD"]
    figures = {r.name: D(r.gives) for r in d.readings}
    assert figures["thirty-days-first-year"] - figures["anniversary-month"] == Decimal("6.80")
    assert d.spread.cny == "6.80" and d.default == "thirty-days-first-year"


def test_defaults_decided_for_the_package():
    assert POLICIES["billing.debit_rounding"].default == "line-8dp-debit-fen"
    assert BY_ID["BILL-DEBIT-ROUNDING"].default == "line-8dp-debit-fen"
    assert "does not say whether each settlement is rounded on its own or on the running total" in BY_ID["BILL-DEBIT-ROUNDING"].says
    assert any(e.url == "https://cloud.tencent.com.cn/document/product/555/7465" for e in BY_ID["BILL-DEBIT-ROUNDING"].evidence)
    assert POLICIES["apigw.tier.position"].default == "billed-calls"


# ------------------------------------------------------------------ prose from data
def _catalog_figures(doc: str) -> tuple[set[Decimal], set[Decimal]]:
    """(figures, counts) of one guide's catalog entries: prices, ratios other than 1, tier prices and bounds,
    and quantities from 100,000 up (the counts a scenario could type by mistake)."""
    figures, counts = set(), set()
    for i in CAT.all_ids(doc + "."):
        for e in CAT.versions(i):
            v = e.value
            if e.kind == "tiers":
                for t in v.tiers:
                    figures.add(t.price.normalize())
                    if t.up_to is not None:
                        counts.add(t.up_to.normalize())
            elif e.kind == "price" or (e.kind == "ratio" and v != 1):
                figures.add(v.normalize())
            elif e.kind == "quantity" and v >= 100000:
                counts.add(v.normalize())
    return figures, counts


DOCS = {doc: _catalog_figures(doc) for doc in ("apigw", "cloudbase")}
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万|亿)?(?![\w])")


def typed_figures(text: str, docs=("apigw", "cloudbase")) -> list[str]:
    """Numbers typed in a template (placeholders, dates and clock times removed) that equal a catalog figure
    of the guides ``docs``: a decimal or a whole number from 100 up against prices and counts, a count in
    万/亿 against counts. Small whole numbers (days, GB, months of a scenario) are not compared."""
    figures = set().union(*(DOCS[d][0] for d in docs))
    counts = set().union(*(DOCS[d][1] for d in docs))
    t = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text)
    t = re.sub(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?|\d{2}:\d{2}(:\d{2})?", " ", t)
    hits = []
    for m in NUMBER.finditer(t):
        n = D(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            n = n * {"万": 10 ** 4, "亿": 10 ** 8}[m.group(3)]
            if n.normalize() in counts:
                hits.append(m.group(0))
        elif (m.group(2) or n >= 100) and n.normalize() in counts | figures:
            hits.append(m.group(0))
    return hits


def docs_of(*sections: str) -> tuple[str, ...]:
    return tuple(sorted({s.split(".")[0] for s in sections} & set(DOCS))) or tuple(DOCS)


def test_the_scanner_finds_a_typed_figure():
    assert typed_figures("calls at 0.06 per 万, the first 1,000,000 free", ("apigw",)) == ["0.06", "1,000,000"]
    assert typed_figures("a 100万 gift", ("cloudbase",)) == ["100万"]
    assert typed_figures('at {{ tier("apigw.shared.call_tiers", 0) }} on 2023-05-10 08:30:00') == []


@pytest.mark.parametrize("d", RAW, ids=[d.id for d in RAW])
def test_register_texts_type_no_catalog_figure(d):
    texts = [getattr(d, f) for f in TEMPLATE_FIELDS] + [d.spread.note] + [r.summary for r in d.readings]
    hits = [h for t in texts for h in typed_figures(t, docs_of(d.section, *d.also))]
    assert not hits, f"{d.id}: catalog figures typed instead of placeholders: {hits}"


def test_rendered_texts_carry_no_placeholder_and_follow_the_catalog():
    for d in ENTRIES:
        for f in TEMPLATE_FIELDS:
            assert "{{" not in getattr(d, f), (d.id, f)
    assert "0.06" in BY_ID["APIGW-TIER-POSITION"].spread.note  # rendered at the section's revision date


RULE_MODULES = ("pricing.rules.apigw", "pricing.rules.cloudbase", "pricing.rules.conventions")  # every rule module


def test_policy_texts_in_scope_type_no_catalog_figure():
    import inspect
    import pricing.rules
    bad = []
    for p in POLICIES.values():
        owner = next((m for m in RULE_MODULES if any(p.name in src for src in [_source(m)])), None)
        if owner is None:
            continue
        for text in (p.question, *p.choices.values()):
            hits = typed_figures(text, docs_of(p.name))
            if hits:
                bad.append((p.name, hits))
    assert not bad, bad


def _source(module: str) -> str:
    import importlib
    import inspect
    import pkgutil
    mod = importlib.import_module(module)
    if hasattr(mod, "__path__"):
        return "\n".join(inspect.getsource(importlib.import_module(f"{module}.{i.name}")) for i in pkgutil.iter_modules(mod.__path__))
    return inspect.getsource(mod)


# ------------------------------------------------------------------ the command
def run(*args):
    return CliRunner().invoke(main, ["register", *args])


def test_register_command_json_gives_every_field_in_rank_order():
    r = run("--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [d["id"] for d in data] == [d.id for d in ex.ranked(ENTRIES)]
    first = data[0]
    for key in ("severity", "affects", "scenario", "spread", "lines", "evidence", "confidence", "basis", "readings",
                "policy", "default", "where", "says", "why", "merges", "also"):
        assert key in first, key
    assert all(r["still_recorded"] for d in data for r in d["readings"])


def test_register_command_filters():
    ids = [d["id"] for d in json.loads(run("--json", "--severity", "high").output)]
    assert len(ids) == 11 and ids[0] == "CB-MONTHLY-NEWPURCHASE"
    one = json.loads(run("--json", "--id", "APIGW-ROUNDING-POINT").output)  # a merged id finds its entry
    assert [d["id"] for d in one] == ["BILL-DEBIT-ROUNDING"]
    assert run("--id", "APIGW-ROUNDING-POINT").output.startswith(
        "APIGW-ROUNDING-POINT was merged into BILL-DEBIT-ROUNDING (the same question): showing that entry\n 1. [high]")
    sec = json.loads(run("--json", "--section", "cloudbase.hosting").output)
    assert {"CB-HOST-FREE-SCOPE", "UNITS-DATA-BASE", "BILL-DEBIT-ROUNDING"} <= {d["id"] for d in sec}
    top = run("--top", "10")
    assert top.exit_code == 0 and top.output.startswith(" 1. [high] CB-MONTHLY-NEWPURCHASE")
    bad = run("--id", "NOPE")
    assert bad.exit_code != 0 and "NOPE" in bad.output and "Traceback" not in bad.output
