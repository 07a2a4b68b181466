"""Reconciliation reads the rules' own policies (one question, one policy): a bill billed under another
reading of a register entry is found to differ under the default, comes out clean under its own
reading, and the line says which reading reproduces it. Also: the month's debit is the engine's
statement (``billing.debit_rounding``), readings reconcile cannot follow are refused, and the CSV
reader gives the same lines whatever the size of its pieces."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.engine.catalog import load
from pricing.engine.errors import InputError
from pricing.engine.statement import line as statement_line, settle
from pricing.rules import load_all
from pricing.spec.reconcile import generate as gen
from pricing.spec.reconcile import kinds
from pricing.spec.reconcile.api import reconcile
from pricing.spec.reconcile.lines import read_chunks
from pricing.spec.reconcile.mapping import load_mapping

load_all()
CAT = load()
DAYS = (1, 2, 25)  # a small bill: the shared service on three days


def _bill(tmp: Path, policies: dict | None = None, name: str = "b", days=DAYS) -> tuple[Path, Path, gen.Bill]:
    b = gen.generate(CAT, days=days, policies=policies)
    files = gen.write(b, tmp / name)
    return files["2026-10"][1], tmp / name / "account.toml", b


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("readings")


@pytest.mark.parametrize("reading", ["per-bill-fen", "exact"])
def test_the_precision_line_is_the_engine_statement_under_each_debit_reading(tmp, reading):
    pol = {"billing.debit_rounding": reading}
    csv, acc, b = _bill(tmp, pol, reading)
    lines = [ln for ln in b.lines if ln["BusinessCode"] != "billVirtualId"]
    st = settle([statement_line(ln["BillId"], ln["ComponentCode"], Decimal(ln["RealCost"]), reading=reading) for ln in lines], pol)
    sums = {}
    for ln in lines:
        sums[ln["BillId"]] = sums.get(ln["BillId"], Decimal(0)) + Decimal(ln["RealCost"])
    per_bill = sum((kinds.debit(v) for v in sums.values()), Decimal(0))
    assert kinds.month_due(reading, st.subtotal, per_bill) == st.due  # reconcile's month rule is the statement's
    for engine in ("fast", "reference"):
        own = reconcile([csv], CAT, acc, engine=engine, policies=pol)
        assert own["totals"]["differs"] == 0 and own["months"][0]["status"] == "match" and own["months"][0]["reading"] == reading
        default = reconcile([csv], CAT, acc, engine=engine)
        m = default["months"][0]
        assert m["status"] == "differs" and m["reading"] == "line-8dp-debit-fen"
        assert Decimal(m["precision_line"]) == st.precision != Decimal(m["expected_precision_line"])
    if reading == "exact":
        assert st.precision == 0 and st.due == st.subtotal


def test_a_dedicated_line_at_the_exact_product_differs_under_the_printed_price_and_names_its_reading(tmp):
    pol = {"apigw.dedicated.payg.unit_price": "exact-product"}
    csv, acc, _ = _bill(tmp, pol, "exact-product")
    for engine in ("fast", "reference"):
        out = reconcile([csv], CAT, acc, engine=engine, collect=True)
        ded = [r for r in out["lines"] if r["kind"] == "apigw.dedicated"]
        assert len(ded) == 100 and all(r["status"] == "differs" for r in ded) and out["totals"]["differs"] == 100
        r = ded[0]
        # professional: 16.11 × 0.73 = 11.7603 a line at 8 decimals; the printed hourly price 11.76, no further discount
        assert (r["billed"]["SinglePrice"], r["billed"]["Discount"], r["billed"]["RealCost"]) == ("16.11000000", "0.73", "11.76030000")
        assert (r["recomputed"]["SinglePrice"], r["recomputed"]["Discount"], r["recomputed"]["RealCost"]) == ("11.76000000", "1", "11.76000000")
        assert r["readings"] == [{"policy": "apigw.dedicated.payg.unit_price", "reading": "exact-product",
                                  "register": "APIGW-DED-PAYG-UNIT-PRICE"}]
        clean = reconcile([csv], CAT, acc, engine=engine, policies=pol)
        assert clean["totals"]["differs"] == 0 and clean["stamp"]["policies"]["apigw.dedicated.payg.unit_price"] == "exact-product"
    page = Path(reconcile([csv], CAT, acc, html_dir=tmp / "html")["html"]).read_text(encoding="utf-8")
    assert page.count("reproduced under <code>apigw.dedicated.payg.unit_price</code> = exact-product") == 100
    assert "APIGW-DED-PAYG-UNIT-PRICE" in page


def test_calls_billed_with_the_tier_counting_every_call_differ_under_billed_calls(tmp):
    pol = {"apigw.tier.position": "all-calls"}
    csv, acc, _ = _bill(tmp, pol, "all-calls", None)  # the whole month: the first tier ends inside it
    for engine in ("fast", "reference"):
        out = reconcile([csv], CAT, acc, engine=engine, collect=True)
        bad = [r for r in out["lines"] if r["status"] == "differs"]
        assert bad and all(r["kind"] == "apigw.calls" for r in bad)
        assert all({"policy": "apigw.tier.position", "reading": "all-calls", "register": "APIGW-TIER-POSITION"} in r["readings"]
                   for r in bad)
        assert reconcile([csv], CAT, acc, engine=engine, policies=pol)["totals"]["differs"] == 0


def _calls_line(bill_id: str, region: str, wan: str, price: str, cost: str) -> dict:
    return {"BillId": bill_id, "BusinessCode": "p_apigateway", "BusinessCodeName": "API网关", "PayModeName": "按量计费",
            "ActionType": "postpay_deduct_h", "RegionName": region, "ResourceId": f"service-{bill_id}", "OwnerUin": "100000000001",
            "FeeBeginTime": "2025-05-01 10:00:00", "FeeEndTime": "2025-05-01 10:59:59", "PayTime": "2025-05-01 11:15:00",
            "ComponentSet": [{"ComponentCode": "v_apigateway_calls", "ComponentCodeName": "调用次数", "SinglePrice": price,
                              "PriceUnit": "元/万次", "UsedAmount": wan, "UsedAmountUnit": "万次", "RealTotalMeasure": wan,
                              "DeductedMeasure": "0", "TimeSpan": "1", "TimeUnitName": "小时", "Cost": cost, "Discount": "1",
                              "RealCost": cost, "CashPayAmount": cost, "IncentivePayAmount": "0", "VoucherPayAmount": "0",
                              "TransferPayAmount": "0"}]}


def test_the_tier_count_runs_over_the_account_not_the_region(tmp):
    """APIGW-TIER-SCOPE's scenario: 600万 calls in Guangzhou, then 600万 in Hong Kong, in one hour of one account.
    Account-wide, Hong Kong's calls cross the first tier: 400万 at 0.06 (24.00) and 200万 at 0.04 (8.00), two
    components of its line, 68.00 in all with Guangzhou's 36.00; per region Hong Kong starts a count of its own
    and its 200万 are still in the first tier (12.00: 72.00 in all)."""
    hk = _calls_line("hk1", "港澳台地区（中国香港）", "400", "0.06000000", "24.00000000")
    hk["ComponentSet"] += _calls_line("hk1", "", "200", "0.04000000", "8.00000000")["ComponentSet"]
    f = tmp / "regions.json"
    f.write_text(json.dumps({"Response": {"DetailSet": [
        _calls_line("gz1", "华南地区（广州）", "600", "0.06000000", "36.00000000"), hk]}}, ensure_ascii=False), encoding="utf-8")
    for engine in ("fast", "reference"):
        out = reconcile([f], CAT, engine=engine, collect=True)
        assert [r["status"] for r in out["lines"]] == ["match"] * 3
        assert sum(Decimal(r["recomputed"]["Cost"]) for r in out["lines"]) == Decimal("68")
        per = reconcile([f], CAT, engine=engine, collect=True, policies={"apigw.tier.scope": "per-region"})
        assert [r["status"] for r in per["lines"]] == ["match", "match", "differs"]
        assert sum(Decimal(r["recomputed"]["Cost"]) for r in per["lines"]) == Decimal("72")
        assert per["lines"][2]["recomputed"]["SinglePrice"] == "0.06000000"


def test_readings_reconcile_cannot_follow_or_does_not_read_are_refused(tmp):
    csv, acc, _ = _bill(tmp, None, "refused")
    with pytest.raises(InputError, match="apigw.tier.month.*calendar-month"):
        reconcile([csv], CAT, acc, policies={"apigw.tier.month": "free-quota-period"})
    with pytest.raises(InputError, match="a policy reconcile reads"):
        reconcile([csv], CAT, acc, policies={"cloudbase.plans.downgrade_rounding": "x"})
    with pytest.raises(InputError, match="reconcile.dedicated_discount"):
        reconcile([csv], CAT, acc, policies={"reconcile.dedicated_discount": "line-exact"})  # one question, one policy
    with pytest.raises(InputError, match="graduated tiers only"):
        reconcile([csv], CAT, acc, engine="fast", policies={"apigw.tier.kind": "volume"})
    out = reconcile([csv], CAT, acc, policies={"apigw.tier.kind": "volume"})  # auto: the reference follows it
    assert out["engine"] == "reference"


def test_cli_policy_option(tmp):
    from click.testing import CliRunner
    from pricing.spec.cli import main
    csv, acc, _ = _bill(tmp, {"apigw.dedicated.payg.unit_price": "exact-product"}, "cli")
    r = CliRunner().invoke(main, ["reconcile", str(csv), "--account", str(acc), "--policy", "apigw.dedicated.payg.unit_price=exact-product"])
    assert r.exit_code == 0 and r.stdout.startswith(f"{r.stdout.split()[0]} lines: ") and " 0 differ," in r.stdout.splitlines()[0]
    r = CliRunner().invoke(main, ["reconcile", str(csv), "--policy", "nonsense"])
    assert r.exit_code == 2 and "NAME=CHOICE" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_chunk_the_integer_path_cannot_hold_goes_to_the_reference(tmp):
    """A ninth decimal on one line: the fast engine hands that chunk to the reference (same result, same state)."""
    csv, acc, _ = _bill(tmp, None, "ninth")
    text = csv.read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(text) if "v_apigateway_egress" in ln and ",0.80000000," in ln)
    text[i] = text[i].replace(",0.80000000,", ",0.800000001,", 1)
    bad = tmp / "ninth.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    fast = reconcile([bad], CAT, acc, engine="fast", collect=True, chunk_lines=200)
    ref = reconcile([bad], CAT, acc, engine="reference", collect=True, chunk_lines=200)
    assert fast["fallbacks"] == 1 and fast["lines"] == ref["lines"] and fast["totals"] == ref["totals"]
    assert fast["totals"]["differs"] == 1
    line = next(r for r in fast["lines"] if r["status"] == "differs")
    assert line["billed"]["SinglePrice"] == "0.800000001" and line["source"] == f"ninth.csv:line {i + 1}"


def test_the_csv_reader_gives_the_same_lines_whatever_its_pieces(tmp):
    csv, _, b = _bill(tmp, None, "pieces")
    raw = csv.read_bytes()
    body = raw.split(b"\n")
    odd = tmp / "odd.csv"  # a byte-order mark, Windows line ends, blank lines, no final line break
    odd.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(body[:5] + [b""] + body[5:-1]).rstrip(b"\r\n"))
    mp = load_mapping()
    whole = [ln for c in read_chunks([csv], mp.columns) for ln in c.rows(range(len(c)))]
    assert len(whole) == len(b.lines) and whole[0]["Source"] == f"{csv.name}:line 2"
    for f in (csv, odd):
        for lines in (1, 7, 64):  # pieces of 64 KB at least: several lines each, or a line cut across pieces
            chunks = list(read_chunks([f], mp.columns, chunk_lines=lines, columns={"ResourceId", "RealCost"}))
            got = [ln for c in chunks for ln in c.rows(range(len(c)))]
            assert [{k: v for k, v in ln.items() if k != "Source"} for ln in got] == \
                   [{k: v for k, v in ln.items() if k != "Source"} for ln in whole]
            parsed = [v.decode() for c in chunks for v in c.col("RealCost").to_pylist()]
            assert parsed == [ln["RealCost"] for ln in whole]
