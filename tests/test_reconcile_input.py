"""Bad input to ``pricing reconcile`` and ``pricing sample-bill``: one line naming the file, the place, the
field, the value and what is allowed (exit 2), never a traceback, never a wrong number; and every
field of a line read by one rule on both engines (times in Beijing time, numbers by ``D``)."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from pricing.engine.catalog import load
from pricing.engine.errors import InputError, PricingError
from pricing.rules import load_all
from pricing.spec.cli import main
from pricing.spec.reconcile import engine as en, fast, kinds
from pricing.spec.reconcile.api import reconcile
from pricing.spec.reconcile.lines import FIELDS, read_chunks
from pricing.spec.reconcile.mapping import load_mapping

load_all()
ENGINES = ("fast", "reference")


def _line(start: str, pay: str, used: str = "0.6944", cost: str = "0.04166400", bill: str = "x1", **more) -> dict:
    """A shared-instance calls line of service-x (0.6944 万次 at 0.06 per 万次: 0.04166400), with ``more`` fields."""
    line = {"BillId": bill, "BusinessCode": "p_apigateway", "BusinessCodeName": "API网关", "PayModeName": "按量计费",
            "ActionType": "postpay_deduct_h", "RegionName": "华南地区（广州）", "ResourceId": "service-x",
            "FeeBeginTime": start, "FeeEndTime": "-", "PayTime": pay, "ComponentCode": "v_apigateway_calls",
            "ComponentCodeName": "调用次数", "SinglePrice": "0.06000000", "PriceUnit": "元/万次", "UsedAmount": used,
            "UsedAmountUnit": "万次", "RealTotalMeasure": "-", "DeductedMeasure": "-", "TimeSpan": "1",
            "TimeUnitName": "小时", "Cost": cost, "Discount": "1", "RealCost": cost, "CashPayAmount": cost,
            "IncentivePayAmount": "0", "VoucherPayAmount": "0", "TransferPayAmount": "0"}
    line.update(more)
    return line


def _json(path: Path, lines: list[dict]) -> Path:
    """The lines as one DescribeBillDetail page, a component each (values written as given: text or JSON)."""
    comp = set(FIELDS[FIELDS.index("ComponentCode"):])
    rows = [{**{k: v for k, v in ln.items() if k not in comp}, "ComponentSet": [{k: v for k, v in ln.items() if k in comp}]}
            for ln in lines]
    path.write_text(json.dumps({"Response": {"DetailSet": rows}}, ensure_ascii=False), encoding="utf-8")
    return path


def _csv(path: Path, lines: list[dict], between: str = "") -> Path:
    """The lines as the console's CSV export (header on line 1); ``between``: text written between lines."""
    out = io.StringIO()
    w = csv.DictWriter(out, list(FIELDS), restval="-", lineterminator="\n")
    w.writeheader()
    text = out.getvalue()
    for ln in lines:
        out = io.StringIO()
        csv.DictWriter(out, list(FIELDS), restval="-", lineterminator="\n").writerow(ln)
        text += between + out.getvalue()
    path.write_text(text, encoding="utf-8")
    return path


def _write(tmp: Path, fmt: str, lines: list[dict], name: str = "bill") -> Path:
    return _json(tmp / f"{name}.json", lines) if fmt == "json" else _csv(tmp / f"{name}.csv", lines)


def _cli(*args) -> tuple[int, str]:
    r = CliRunner().invoke(main, [str(a) for a in args])
    return r.exit_code, r.output


def _refused(files, engine: str, **kw) -> str:
    with pytest.raises(PricingError) as e:
        reconcile(files, None, engine=engine, collect=True, **kw)
    return str(e.value)


def _place(fmt: str, name: str, i: int) -> str:
    """Where line ``i`` (from 0) of a bill written by :func:`_write` is, as the messages say it."""
    return f"{name}.csv:line {i + 2}" if fmt == "csv" else f"{name}.json:page 1 DetailSet[{i}].ComponentSet[0]"


# 1. times with an offset are Beijing time, on both engines ------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_start_with_an_offset_is_read_in_beijing_time_on_both_engines(tmp_path, fmt):
    """16:00 at +00:00 on 30 September is 00:00 on 1 October in Beijing: the line is October's (its tier
    position starts again at 0), priced as of that instant; a naive line of 23:00 the evening before is
    September's. No TypeError comparing naive and aware moments, and the engines agree line for line."""
    f = _write(tmp_path, fmt, [_line("2026-09-30 23:00:00", "2026-10-01 00:15:00"),
                               _line("2026-09-30T16:00:00+00:00", "2026-09-30T16:15:00+00:00", bill="x2"),
                               _line("2026-10-01T09:00:00+08:00", "2026-10-01T01:15:00Z", bill="x3")])
    runs = {e: reconcile([f], None, engine=e, collect=True) for e in ENGINES}
    assert runs["fast"]["lines"] == runs["reference"]["lines"] and runs["fast"]["months"] == runs["reference"]["months"]
    first, second, third = runs["fast"]["lines"]
    assert [r["status"] for r in (first, second, third)] == ["match"] * 3
    assert (first["use_month"], second["use_month"], third["use_month"]) == ("2026-09", "2026-10", "2026-10")
    step = {r["bill_id"]: {s["label"]: s["value"] for s in r["steps"]} for r in (first, second, third)}
    assert step["x2"]["priced as of"] == "2026-10-01 00:00:00" and step["x3"]["priced as of"] == "2026-10-01 09:00:00"
    assert step["x2"]["tier position before the billed calls"] == "0"          # October's first line
    assert step["x3"]["tier position before the billed calls"] == "6944"       # after x2, in October
    by_pay = reconcile([f], None, engine="reference", collect=True, period_type="byPayTime")
    assert [r["bill_month"] for r in by_pay["lines"]] == ["2026-10", "2026-10", "2026-10"]


def test_the_fast_engine_reads_an_offset_itself_not_through_the_reference(tmp_path):
    """The vectorised path converts the offset (no chunk left to the reference) and gives the same seconds."""
    secs, when = fast._moments(["2026-09-30T16:00:00+00:00", "2026-10-01 00:00:00", "-"], "FeeBeginTime")
    assert secs[0] == secs[1] and when[0] == when[1] and when[2] is None
    f = _csv(tmp_path / "bill.csv", [_line("2026-09-30 23:00:00", "-"), _line("2026-09-30T16:00:00+00:00", "-", bill="x2")])
    mp = load_mapping()
    rec = fast.FastReconciler(en.Options(load(), mp), "all")
    out = [r for c in read_chunks([f], mp.columns) for r in rec.feed(c)]
    assert rec.fallbacks == 0 and [r["use_month"] for r in out] == ["2026-09", "2026-10"]


@pytest.mark.parametrize("engine", ENGINES)
def test_time_order_is_the_order_of_the_beijing_moments(tmp_path, engine):
    """09:00 Beijing, then 00:30 at +00:00 (08:30 Beijing): out of order, though its text sorts after."""
    f = _csv(tmp_path / "bill.csv", [_line("2026-10-01 09:00:00", "-"), _line("2026-10-01T00:30:00+00:00", "-")])
    msg = _refused([f], engine)
    assert msg.startswith("bill.csv: line 3: line for resource service-x starts 2026-10-01 08:30:00, before the line "
                          "before it (2026-10-01 09:00:00)"), msg


# 4. moments out of range, or malformed, name the file, the line and the field -------------------------------

@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("field,text,allowed", [
    ("FeeBeginTime", "1999-10-01 00:00:00", "a moment from 2000-01-01 to before 2100-01-01, or '-'"),
    ("FeeBeginTime", "2100-01-01 00:00:00", "a moment from 2000-01-01 to before 2100-01-01, or '-'"),
    ("FeeBeginTime", "2099-12-31T20:00:00-08:00", "a moment from 2000-01-01 to before 2100-01-01, or '-'"),  # 2100 in Beijing
    ("FeeBeginTime", "2026-13-01 00:00:00", "an ISO date or date-time such as '2023-02-01'"),
])
def test_a_start_out_of_range_or_malformed_names_file_line_and_field(tmp_path, engine, fmt, field, text, allowed):
    f = _write(tmp_path, fmt, [_line("2026-10-01 00:00:00", "-"), _line("2026-10-01 01:00:00", "-", **{field: text})])
    msg = _refused([f], engine)
    assert msg.startswith(f"{_place(fmt, 'bill', 1)}: {field}: got {text!r}; allowed: ") and allowed in msg, msg


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pay_time_out_of_range_is_named_where_it_is_read(tmp_path, engine):
    """PayTime places a line under byPayTime, and a line without a start everywhere."""
    f = _csv(tmp_path / "bill.csv", [_line("2026-10-01 00:00:00", "1999-12-31 23:00:00")])
    assert _refused([f], engine, period_type="byPayTime").startswith("bill.csv:line 2: PayTime: got '1999-12-31 23:00:00'")
    g = _csv(tmp_path / "nostart.csv", [_line("-", "2100-01-01T00:00:00+08:00")])
    assert _refused([g], engine).startswith("nostart.csv:line 2: PayTime: got '2100-01-01T00:00:00+08:00'; allowed: "
                                            "a moment from 2000-01-01")


def test_the_cli_says_it_in_one_line_with_exit_status_2(tmp_path):
    f = _csv(tmp_path / "bill.csv", [_line("1999-10-01 00:00:00", "-")])
    for engine in ENGINES:
        code, out = _cli("reconcile", f, "--engine", engine)
        assert code == 2 and out == ("Error: bill.csv:line 2: FeeBeginTime: got '1999-10-01 00:00:00'; allowed: "
                                     "a moment from 2000-01-01 to before 2100-01-01, or '-'\n"), out


# 2. every numeric field through the one rule (D), on both engines and formats ------------------------------

BAD_NUMBERS = [
    ("0,06", "a number without commas"),
    ("1,000", "a number without commas"),
    ("NaN", "a finite decimal number"),
    ("-Infinity", "a finite decimal number"),
    ("0.06x", "a decimal number written as a string"),
    ("45E0X0", "a decimal number written as a string"),   # pyarrow's cast to decimal reads it as 45
    ("1e20", "a number below 1E+15 in size"),
    ("true", "a decimal number written as a string"),
]
NUMBER_FIELDS = ["UsedAmount", "RealCost", "SinglePrice", "Discount", "CashPayAmount", "TimeSpan", "OriginalCostWithRI"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("field", NUMBER_FIELDS)
@pytest.mark.parametrize("text,allowed", BAD_NUMBERS)
def test_a_bad_number_in_any_field_is_refused_by_name(tmp_path, engine, fmt, field, text, allowed):
    """The second of three lines carries the bad value; on the fast engine the column has several values (so
    it goes through pyarrow's cast, not value by value) and a field whose checks skip it is refused too."""
    lines = [_line(f"2026-10-01 0{h}:00:00", "-", bill=f"x{h}", RealCost=f"0.0416640{h}", CashPayAmount=f"0.0416640{h}",
                   UsedAmount=f"0.694{h}", OriginalCostWithRI=f"0.0000000{h}") for h in range(3)]
    lines[1][field] = text
    msg = _refused([_write(tmp_path, fmt, lines)], engine)
    assert msg.startswith(f"{_place(fmt, 'bill', 1)}: {field}: got {text!r}; allowed: ") and allowed in msg, msg


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("value,text", [(True, "true"), (False, "false"), (float("nan"), "NaN"), ([1], "[1]"),
                                        ({"a": 1}, '{"a": 1}')])
def test_json_booleans_nan_and_objects_in_a_number_are_refused_never_read_as_1(tmp_path, engine, value, text):
    """JSON ``"UsedAmount": true`` was read as 1: it is refused by name, as ``D`` refuses a bool; so is the
    JSON literal ``NaN`` (which Python's json reads as a float)."""
    f = tmp_path / "bill.json"
    _json(f, [_line("2026-10-01 00:00:00", "-")])
    f.write_text(f.read_text(encoding="utf-8").replace('"UsedAmount": "0.6944"', '"UsedAmount": ' + json.dumps(value)),
                 encoding="utf-8")
    msg = _refused([f], engine)
    assert msg.startswith(f"bill.json:page 1 DetailSet[0].ComponentSet[0]: UsedAmount: got {text!r}; allowed: "), msg


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_spellings_d_accepts_read_the_same_on_both_engines(tmp_path, fmt):
    """``-0`` is 0, an exponent is what ``D`` reads (``6944e-4`` is 0.6944), ``+.5``-style spellings too, and a value
    with more decimals than the integers hold (``1e-20``) is exact on both engines."""
    spell = [{}, {"UsedAmount": "6944e-4"}, {"IncentivePayAmount": "-0", "VoucherPayAmount": "+0.", "Discount": "1.0"},
             {"TransferPayAmount": "1e-20"}, {"OriginalCostWithRI": "-0.0", "RealTotalMeasure": "-"}]
    lines = [_line(f"2026-10-01 0{h}:00:00", "-", bill=f"x{h}", **s) for h, s in enumerate(spell)]
    runs = {e: reconcile([_write(tmp_path, fmt, lines)], None, engine=e, collect=True) for e in ENGINES}
    assert runs["fast"]["lines"] == runs["reference"]["lines"]
    status = [r["status"] for r in runs["fast"]["lines"]]
    assert status[:3] == ["match"] * 3 and status[4] == "match"
    pays = next(c for c in runs["fast"]["lines"][3]["checks"] if c["name"].startswith("Cash + Incentive"))
    assert status[3] == "differs" and pays["billed"] == str(Decimal("0.04166400") + Decimal("1e-20"))


def test_the_fast_cast_never_takes_a_text_d_refuses_or_reads_differently():
    """Holds the fast engine's pyarrow cast to ``D``: a column with an ``e`` goes to the reference (pyarrow reads
    ``45E0X0`` as 45 and ``8e-77`` as 0); without one, every text the cast takes ``D`` takes, with its value."""
    for text in ("45E0X0", "8e-77", "1E3"):
        arr = pa.array([b"0.5", text.encode(), b"1.25"] * 3, pa.binary())
        with pytest.raises(fast.Fallback):
            fast.parse(arr, "RealCost", {}, None)

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet="0123456789.+-_ ,naifINFxX\u0661", min_size=1, max_size=10))
    def agree(text):
        try:
            v = pc.cast(pa.array([text]), pa.decimal128(38, 8))[0].as_py()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return
        assert kinds.number(text, "x") == v
    agree()


# 3. an account file with nothing in it --------------------------------------------------------------------

@pytest.mark.parametrize("body,words", [
    ("", "account.toml: no [[free_quota]] or [[pack]] table"),
    ("# the account's facts, to come\n", "account.toml: no [[free_quota]] or [[pack]] table"),
    ("free_quota = []\npack = []\n", "account.toml: no [[free_quota]] or [[pack]] table"),
    ("free_quota = 1\n", "account.toml: free_quota: expected [[free_quota]] tables (an array of tables)"),
    ('[free_quota]\nactivated = "2026-10-10T10:00:00"\n', "account.toml: free_quota: expected [[free_quota]] tables"),
    ('[[free_quota]]\nactivated = "1999-10-10T10:00:00"\n',
     "account.toml: free_quota[0].activated: got '1999-10-10T10:00:00'; allowed: a moment from 2000-01-01"),
    ('[[pack]]\nmetric = "calls"\namount = 5e6\nstart = "2026-10-20T00:00:00"\n',
     "account.toml: pack[0].amount: got 5000000.0; allowed: a count as a string or a whole number"),
    ('[[pack]]\nmetric = "calls"\namount = "5000000"\nstart = 20261020\n',
     "account.toml: pack[0].start: got 20261020; allowed: an ISO date or date-time"),
    ('[[pack]]\nmetric = "calls"\namount = "5000000"\nstart = 2026-10-20T00:00:00\nid = 7\n',
     "account.toml: pack[0].id: got 7; allowed: a string"),
])
def test_an_account_file_with_nothing_or_a_bad_field_is_refused_in_one_line(tmp_path, body, words):
    bill = _csv(tmp_path / "bill.csv", [_line("2026-10-01 00:00:00", "-")])
    acc = tmp_path / "account.toml"
    acc.write_text(body, encoding="utf-8")
    code, out = _cli("reconcile", bill, "--account", acc)
    assert code == 2 and out.count("\n") == 1 and out.startswith(f"Error: {tmp_path}/{words}"), out


def test_an_account_activated_with_an_offset_is_beijing_time(tmp_path):
    """A TOML offset date-time is converted: 02:00 at +00:00 is the free quota's 10:00 in Beijing."""
    cat = load()
    pools = {}
    for text in ("2026-10-10T02:00:00+00:00", '"2026-10-10T02:00:00Z"', '"2026-10-10T10:00:00"'):
        (tmp_path / "a.toml").write_text(f"[[free_quota]]\nactivated = {text}\n", encoding="utf-8")
        pools[text] = en.load_account(tmp_path / "a.toml", cat).pools
        assert min(p.window.start for p in pools[text]) == datetime(2026, 10, 10, 10), text
    assert len(set(map(tuple, pools.values()))) == 1


# 5. sample-bill months beyond the moments the rules price ------------------------------------------------

def test_sample_bill_months_past_2099_11_are_refused_naming_start_and_months(tmp_path):
    for args, month, n in ((["--start", "2099-12", "--months", "2"], "2099-12", "2 months (to 2100-01)"),
                           (["--start", "2099-12"], "2099-12", "1 month (to 2099-12)"),
                           (["--start", "2099-01", "--months", "12"], "2099-01", "12 months (to 2099-12)")):
        code, out = _cli("sample-bill", tmp_path / "x", *args)
        assert code == 2 and out == (f"Error: --start/--months: got {month} for {n}; allowed: bill months from 2026-10 "
                                     "to 2099-11 (the bill's end, the first instant after its last month, must be "
                                     "before 2100-01-01)\n"), out
    assert not (tmp_path / "x").exists()
    code, out = _cli("sample-bill", tmp_path / "y", "--start", "2099-11")
    assert code == 0 and (tmp_path / "y" / "bill-2099-11.csv").exists(), out
    code, out = _cli("reconcile", tmp_path / "y" / "bill-2099-11.csv", "--account", tmp_path / "y" / "account.toml")
    assert code == 0 and " 0 differ," in out.splitlines()[0], out


# 6. CSV places are the file's line numbers (header = line 1) ----------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_a_short_csv_row_names_its_file_line(tmp_path, engine):
    """pyarrow says "Row #3" for the third record, which is line 4 of the file (the header is line 1)."""
    f = _csv(tmp_path / "bill.csv", [_line(f"2026-10-01 0{h}:00:00", "-", bill=f"x{h}") for h in range(4)])
    text = f.read_text(encoding="utf-8").splitlines()
    text[3] = text[3].rsplit(",", 1)[0]
    f.write_text("\n".join(text) + "\n", encoding="utf-8")
    code, out = _cli("reconcile", f, "--engine", engine)
    assert code == 2 and out == f"Error: {f}: line 4: expected 40 columns (as the header), got 39\n", out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_empty_lines_and_a_value_over_two_lines_keep_the_file_line_numbers(tmp_path, engine, newline):
    """Empty lines are not bill lines but are lines of the file; a quoted value with a line break spans two.
    Every place (a line's source, a bad value, a short row) is the line the file shows, across pieces too."""
    lines = [_line(f"2026-10-{d:02d} {h:02d}:00:00", "-", bill=f"x{d}-{h}") for d in (1, 2) for h in range(24)]
    lines[3]["ResourceName"] = "two\nlines"
    f = _csv(tmp_path / "bill.csv", lines, between="\n")   # an empty line before each line
    f.write_bytes(f.read_bytes().replace(b"\n", newline.encode()))
    want = [3 + 2 * i + (i > 3) for i in range(len(lines))]  # line 2 is empty; line 5's value runs onto line 10
    mp = load_mapping()
    for chunk_lines in (1, 200_000):   # pieces of 64 KB, or one
        got = [c.source(i) for c in read_chunks([f], mp.columns, chunk_lines) for i in range(len(c))]
        assert got == [f"bill.csv:line {n}" for n in want]
    out = reconcile([f], None, engine=engine, collect=True)
    assert [r["source"] for r in out["lines"]] == [f"bill.csv:line {n}" for n in want]
    assert out["lines"][3]["status"] == "match"
    body = f.read_bytes().split(newline.encode())
    body[want[20] - 1] = body[want[20] - 1].replace(b"0.06000000", b"0.06O")
    f.write_bytes(newline.encode().join(body))
    assert _refused([f], engine).startswith(f"bill.csv:line {want[20]}: SinglePrice: got '0.06O'")
    body[want[30] - 1] = body[want[30] - 1].rsplit(b",", 1)[0]
    f.write_bytes(newline.encode().join(body))
    code, msg = _cli("reconcile", f, "--engine", engine)
    assert code == 2 and msg == f"Error: {f}: line {want[30]}: expected 40 columns (as the header), got 39\n", msg


# 7. the JSON's shape: a list where a list belongs ---------------------------------------------------------

@pytest.mark.parametrize("doc,words", [
    ({"Response": {"DetailSet": "x"}}, "page 1 DetailSet: expected a list of objects, got a string"),
    ({"Response": {"DetailSet": {"BillId": "1"}}}, "page 1 DetailSet: expected a list of objects, got an object"),
    ({"Response": {"ResourceSummarySet": 5}}, "page 1 ResourceSummarySet: expected a list of objects, got a number"),
    ({"Response": "x"}, "page 1 Response: expected an object, got a string"),
    ([{"Response": None}], "page 1 Response: expected an object, got null"),
    ({"Response": {"DetailSet": ["x"]}}, "page 1 DetailSet[0]: expected an object, got a string"),
    ({"Response": {"DetailSet": [{"ComponentSet": "x"}]}},
     "page 1 DetailSet[0].ComponentSet: expected a non-empty list of billed components, got a string"),
    ({"Response": {"DetailSet": [{"ComponentSet": [7]}]}}, "page 1 DetailSet[0].ComponentSet[0]: expected an object, got a number"),
])
def test_a_json_response_of_the_wrong_shape_says_what_was_expected(tmp_path, doc, words):
    f = tmp_path / "page.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    code, out = _cli("reconcile", f)
    assert code == 2 and out == f"Error: {f}: {words}\n", out


# 8. the same words in the text and on the page ------------------------------------------------------------

@pytest.mark.parametrize("differ", [0, 1, 2])
def test_the_html_page_counts_in_the_words_of_the_text(tmp_path, differ):
    lines = [_line(f"2026-10-01 0{h}:00:00", "-", bill=f"x{h}") for h in range(3)]
    for ln in lines[:differ]:
        ln["SinglePrice"] = "0.07000000"
    f = _csv(tmp_path / "bill.csv", lines)
    code, text = _cli("reconcile", f)
    _, out = _cli("reconcile", f, "--html", tmp_path / "html")
    page = (tmp_path / "html" / "reconcile.html").read_text(encoding="utf-8")
    said = re.search(r"\n(\d+ lines?: .*?)\.</p>", page).group(1)
    assert re.sub(r"<[^>]+>", "", said) == text.splitlines()[0] == \
        f"3 lines: {3 - differ} match, {differ} {'differs' if differ == 1 else 'differ'}, 0 not covered"
    assert text.splitlines()[1].startswith("month 2026-10: 3 lines, ")
