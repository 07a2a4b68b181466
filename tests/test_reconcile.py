"""Bill reconciliation (``pricing reconcile``): a fictional account's bill written from the spec's own
rules, with errors of known kinds injected; reconciliation must find exactly those, on both engines,
from JSON pages and from CSV, and give every line its derivation."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.engine.catalog import load
from pricing.rules import load_all
from pricing.spec.reconcile import generate as gen
from pricing.spec.reconcile.api import reconcile
from tests.fixtures.catalog_edit import copy_catalog

load_all()
ALL_ERRORS = gen.ERRORS
EGRESS_CHANGE = datetime(2026, 10, 16)


def _catalog_with_egress_change(dest: Path) -> Path:
    """A copy of the catalog with a dated new version of the mainland egress price (0.70 from 2026-10-16)."""
    copy_catalog(dest)
    (dest / "zz-test-egress-change.toml").write_text(
        '[[entry]]\nid = "apigw.egress.price.group_a"\nsection = "apigw.shared"\nkind = "price"\nvalue = "0.70"\n'
        'unit = "CNY/GB"\nen = "egress price cut (test)"\neffective = "2026-10-16T00:00:00"\n', encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def bills(tmp_path_factory):
    """The fictional account's October 2026 every error injected."""
    root = tmp_path_factory.mktemp("bills")
    cat = load(_catalog_with_egress_change(root / "catalog"))
    bill = gen.generate(cat, errors=ALL_ERRORS)
    files = gen.write(bill, root / "out")
    clean = gen.generate(cat)
    clean_files = gen.write(clean, root / "clean")
    return {"cat": cat, "bill": bill, "json": files["2026-10"][0], "csv": files["2026-10"][1],
            "account": root / "out" / "account.toml", "clean_csv": clean_files["2026-10"][1], "root": root}


def _source_keys(bill: gen.Bill) -> dict[str, str]:
    return {k.split("#")[0] + "#" + k.split("#")[1]: e for k, e in bill.injected.items()}


def _differs(out: dict) -> dict[str, dict]:
    return {f"{r['bill_id']}#{r['source']}": r for r in out["lines"] if r["status"] == "differs"}


@pytest.fixture(scope="module")
def runs(bills):
    out = {}
    for engine, fmt in (("fast", "json"), ("fast", "csv"), ("reference", "csv")):
        out[(engine, fmt)] = reconcile([bills[fmt]], bills["cat"], bills["account"], engine=engine, collect=True,
                                       chunk_lines=300)
    return out


def _injected_lines(bills, out) -> dict[str, str]:
    """line result key -> injected error kind, by BillId and component order."""
    by_bill: dict[str, list] = {}
    for r in out["lines"]:
        by_bill.setdefault(r["bill_id"], []).append(r)
    want = {}
    for k, e in bills["bill"].injected.items():
        bid, comp = k.split("#")
        r = sorted(by_bill[bid], key=lambda x: x["seq"])[int(comp)]
        want[f"{r['bill_id']}#{r['source']}"] = e
    return want


@pytest.mark.parametrize("engine,fmt", [("fast", "json"), ("fast", "csv"), ("reference", "csv")])
def test_finds_exactly_the_injected_errors(bills, runs, engine, fmt):
    out = runs[(engine, fmt)]
    want = _injected_lines(bills, out)
    assert sorted(want.values()) == sorted(ALL_ERRORS)
    assert set(_differs(out)) == set(want)                      # the injected lines, and nothing else
    t = out["totals"]
    assert (t["differs"], t["not-covered"], t["months_differ"]) == (len(ALL_ERRORS), 1, 0) == (6, 1, 0)
    assert t["match"] == t["lines"] - 7 and t["lines"] == len(bills["bill"].lines)


def test_each_error_is_named_by_the_checks_it_fails(bills, runs):
    out = runs[("fast", "csv")]
    want = _injected_lines(bills, out)
    failed = {want[k]: {c["name"] for c in r["checks"] if c["ok"] is False} for k, r in _differs(out).items()}
    assert failed["wrong-tier"] == {"SinglePrice", "Cost", "RealCost"}
    assert failed["missed-free-quota"] == {"UsedAmount", "DeductedMeasure", "Cost", "RealCost"}
    assert failed["pack-outside-window"] == {"UsedAmount", "DeductedMeasure", "Cost", "RealCost"}
    assert failed["rounding-slip"] == {"RealCost", "RealCost = (Cost − OriginalCostWithRI − OriginalCostWithSP) × Discount"}
    assert failed["old-price"] == {"SinglePrice", "Cost", "RealCost"}
    assert failed["missed-plan-quota"] == {"UsedAmount", "DeductedMeasure", "Cost", "RealCost"}
    quota = next(r for k, r in _differs(out).items() if want[k] == "missed-plan-quota")
    assert quota["billed"]["DeductedMeasure"] == "0" and Decimal(quota["recomputed"]["DeductedMeasure"]) > 0
    assert any(s["label"].startswith("plan-quota:") for s in quota["steps"])  # the cycle's plan quota drawn down
    old = next(r for k, r in _differs(out).items() if want[k] == "old-price")
    assert old["billed"]["SinglePrice"] == "0.80000000" and old["recomputed"]["SinglePrice"] == "0.70000000"
    assert old["start"] >= "2026-10-16 00:00:00"
    slip = next(r for k, r in _differs(out).items() if want[k] == "rounding-slip")
    assert slip["difference"] == "0.00000001"


def test_engines_and_formats_agree(runs):
    ref = runs[("reference", "csv")]
    fast = runs[("fast", "csv")]
    assert fast["lines"] == ref["lines"] and fast["months"] == ref["months"] and fast["totals"] == ref["totals"]
    vectorised = sum(r["kind"].startswith("apigw.") for r in fast["lines"])
    assert fast["checked"] == vectorised > 1500  # every vectorised line output in full is re-priced by the reference
    strip = lambda out: [{k: v for k, v in r.items() if k not in ("source", "seq")} for r in out["lines"]]  # noqa: E731
    assert strip(runs[("fast", "json")]) == strip(fast)


def test_every_line_carries_its_derivation(runs):
    out = runs[("fast", "json")]
    for r in out["lines"]:
        assert r["status"] in ("match", "differs", "not-covered")
        assert r["steps"], r["source"]
        if r["status"] == "match" and r["rule"]:
            assert r["recomputed"]["RealCost"] == r["billed"]["RealCost"] or r["kind"] == "precision"
    calls = next(r for r in out["lines"] if r["kind"] == "apigw.calls" and "2" in r["billed"]["UsedAmount"])
    labels = [s["label"] for s in calls["steps"]]
    assert labels[0] == "priced as of" and "tier position before the billed calls" in labels
    assert any(lbl.startswith("tier ") for lbl in labels) and calls["notebook"] == "html/apigw/03_shared.html"


def test_month_debit_and_precision_line(bills, runs):
    m = runs[("fast", "csv")]["months"][0]
    assert m["month"] == "2026-10" and m["status"] == "match" and m["debit_in_whole_fen"]
    assert Decimal(m["debit"]) == Decimal(m["lines_real_cost"]) + Decimal(m["precision_line"])
    assert Decimal(m["debit"]) == Decimal(m["debit"]).quantize(Decimal("0.01"))
    prec = [r for r in runs[("fast", "csv")]["lines"] if r["kind"] == "precision"]
    assert len(prec) == 1 and prec[0]["status"] == "match" and prec[0]["product"] == "月度计费精度差异"


def test_a_wrong_precision_line_makes_the_month_differ(bills, tmp_path):
    text = bills["clean_csv"].read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(text) if ln.startswith("billVirtualId"))
    cells = text[i].split(",")
    rc = cells.index(next(c for c in cells[30:] if c.startswith("-0.") or c.startswith("0.")))
    cells[rc] = format(Decimal(cells[rc]) + Decimal("0.01"), "f")
    text[i] = ",".join(cells)
    f = tmp_path / "bill.csv"
    f.write_text("\n".join(text) + "\n", encoding="utf-8")
    out = reconcile([f], bills["cat"], collect=True)
    assert out["totals"]["months_differ"] == 1 and out["months"][0]["status"] == "differs"


def test_the_issue_line_matches_and_minus_is_not_zero(tmp_path):
    """0.6944 万次 at 0.06 per 10,000 calls: a real cost of 0.04166400; RealTotalMeasure '-' is not 0."""
    row = {"BillId": "x1", "BusinessCode": "p_apigateway", "BusinessCodeName": "API网关", "PayModeName": "按量计费",
           "ActionType": "postpay_deduct_h", "RegionName": "华南地区（广州）", "ResourceId": "service-x",
           "FeeBeginTime": "2025-05-01 10:00:00", "FeeEndTime": "2025-05-01 10:59:59", "PayTime": "2025-05-01 11:15:00",
           "ComponentSet": [{"ComponentCode": "v_apigateway_calls", "ComponentCodeName": "调用次数", "SinglePrice": "0.06000000",
                             "PriceUnit": "元/万次", "UsedAmount": "0.6944", "UsedAmountUnit": "万次", "RealTotalMeasure": "-",
                             "DeductedMeasure": "-", "TimeSpan": "1", "TimeUnitName": "小时", "Cost": "0.04166400",
                             "Discount": "1", "RealCost": "0.04166400", "CashPayAmount": "0.04166400",
                             "IncentivePayAmount": "0", "VoucherPayAmount": "0", "TransferPayAmount": "0"}]}
    f = tmp_path / "page.json"
    f.write_text(json.dumps({"Response": {"DetailSet": [row]}}, ensure_ascii=False), encoding="utf-8")
    for engine in ("fast", "reference"):
        out = reconcile([f], None, engine=engine, collect=True)
        r = out["lines"][0]
        assert r["status"] == "match" and r["recomputed"]["RealCost"] == "0.04166400" and r["difference"] == "0.00000000"
        rel = {c["name"]: c["ok"] for c in r["checks"]}
        assert "UsedAmount = RealTotalMeasure − DeductedMeasure" not in rel  # "-" is not available, never 0
        assert rel["Cost = SinglePrice × UsedAmount × TimeSpan"] is True
        assert out["months"][0]["status"] == "differs"  # 0.04166400 debited without a precision line


def test_months_by_pay_time_put_the_last_hour_in_the_next_month(tmp_path):
    cat = load()
    bill = gen.generate(cat, months=2, period_type="byPayTime", days=(30, 31, 1))
    files = gen.write(bill, tmp_path, "byPayTime")
    months = bill.months("byPayTime")
    assert not any(ln["FeeBeginTime"] == "2026-10-31 23:00:00" for ln in months["2026-10"])
    assert any(ln["FeeBeginTime"] == "2026-10-31 23:00:00" for ln in months["2026-11"])
    out = reconcile([files["2026-10"][1], files["2026-11"][1]], cat, tmp_path / "account.toml",
                    period_type="byPayTime", collect=True)
    assert out["totals"]["differs"] == 0 and [m["status"] for m in out["months"]] == ["match", "match"]
    last = next(r for r in out["lines"] if r["start"] == "2026-10-31 23:00:00" and r["kind"] == "apigw.calls")
    assert (last["use_month"], last["bill_month"]) == ("2026-10", "2026-11")
    # rated at October's position (apigw.tier.position = billed-calls: every October call billed before it), not from zero
    before = sum(Decimal(ln["UsedAmount"]) * 10000 for ln in bill.lines
                 if ln["ComponentCode"] == "v_apigateway_calls" and ln["FeeBeginTime"] < "2026-10-31 23:00:00")
    pos = next(s["value"] for s in last["steps"] if s["label"] == "tier position before the billed calls")
    assert Decimal(pos) == before and before > 500_000


def test_chinese_csv_headers(bills, tmp_path):
    lines = [ln for ln in bills["bill"].lines]
    f = gen.to_csv(lines, tmp_path / "zh.csv", chinese=True)
    assert f.read_text(encoding="utf-8").startswith("交易ID,订单ID,产品编码")
    out = reconcile([f], bills["cat"], bills["account"])
    assert out["totals"]["differs"] == 6 and out["totals"]["not-covered"] == 1


def _cli(*args):
    """The command in this process (click's runner): exit code, stdout, stderr."""
    from click.testing import CliRunner
    from pricing.spec.cli import main
    r = CliRunner().invoke(main, ["reconcile", *map(str, args)])
    return r.exit_code, r.stdout, r.stderr


def test_cli_exit_status_text_json_and_one_line_errors(bills, tmp_path):
    code, out, err = _cli(bills["csv"], "--account", bills["account"], "--catalog", bills["root"] / "catalog")
    assert code == 1 and out.startswith(f"{len(bills['bill'].lines)} lines: ")
    assert "6 differ," in out.splitlines()[0] and "1 not covered" in out.splitlines()[0]
    code, out, err = _cli(bills["clean_csv"], "--account", bills["account"], "--catalog", bills["root"] / "catalog", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["totals"]["differs"] == 0 and len(doc["lines"]) == doc["totals"]["lines"]
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"Response": {"DetailSet": [', encoding="utf-8")
    bad_num = tmp_path / "bad.csv"
    text = bills["clean_csv"].read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(text) if "v_apigateway_egress" in ln)
    bad_num.write_text("\n".join([text[0], text[i].replace("0.80000000", "0.8O", 1)]) + "\n", encoding="utf-8")
    disorder = tmp_path / "disorder.csv"
    svc = [ln for ln in text if "service-fic0001" in ln]
    disorder.write_text("\n".join([text[0], svc[5], svc[2]]) + "\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    for f, words in ((tmp_path / "missing.csv", "no such file"), (bad_json, "not valid JSON"),
                     (bad_num, "SinglePrice: got '0.8O'"), (disorder, "time order"),
                     (tmp_path / "x.txt", "unknown file type")):
        code, out, err = _cli(f)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and words in lines[0], (f, out, err)


def test_cli_error_has_no_traceback(tmp_path):
    f = tmp_path / "bad.json"
    f.write_text("[1, 2]", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "pricing.spec.cli", "reconcile", str(f)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "expected a DescribeBillDetail" in r.stderr
