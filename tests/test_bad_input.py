"""Bad input gets a clear error, never a wrong number and never a hang: one test per class."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from pricing.engine import catalog
from pricing.engine.calcs import Input, count, moment, number
from pricing.engine.errors import CatalogError, InputError
from pricing.engine.money import BILLED, D, MAX_DIGITS
from pricing.engine.periods import as_datetime, hourly_windows
from pricing.engine.units import parse_count
from pricing.spec.examples import run_calc

CAT = catalog.load()


# decimal commas and thousands separators: refused, never read as another number
@pytest.mark.parametrize("text", ["0,06", "1,000", "1,234.56", "0，06", "10 000"])
def test_separators_are_refused_with_the_field_named(text):
    with pytest.raises(InputError) as e:
        D(text, "price")
    assert e.value.field == "price" and e.value.got == text


def test_counts_in_wan_and_yi_are_unambiguous_and_commas_refused():
    assert parse_count("500万") == 5_000_000 and parse_count("1亿") == 100_000_000
    with pytest.raises(InputError):
        parse_count("1,000万", "calls")


# -0 is normalised
@pytest.mark.parametrize("text", ["-0", "-0.00", "-0e5", "+0"])
def test_negative_zero_is_normalised(text):
    d = D(text)
    assert d == 0 and not d.is_signed() and str(BILLED(d)) == "0.00"


def test_a_fee_of_negative_zero_is_never_shown():
    assert str(BILLED(Decimal("-0.001"))) == "0.00"
    r = run_calc("apigw.shared.egress_hour", CAT, {"hour": "2023-01-01T07:00:00", "egress_gb": "-0"}, as_of="2025-01-01")
    assert str(r["fee"]) == "0.00"


# every moment is Beijing time
def test_an_aware_moment_is_converted_to_beijing_time():
    assert as_datetime("2023-01-01T03:00:00Z", "at") == datetime(2023, 1, 1, 11)
    assert as_datetime(datetime(2023, 1, 1, 3, tzinfo=timezone.utc), "at") == datetime(2023, 1, 1, 11)
    assert as_datetime("2023-01-01T11:00:00+08:00", "at") == datetime(2023, 1, 1, 11)
    assert as_datetime("2023-01-01T11:00:00", "at") == datetime(2023, 1, 1, 11)  # naive: Beijing already


def test_aware_and_naive_moments_mix():
    # 11:00 UTC is 19:00 in Beijing: compared with a naive Beijing 18:00, it is later, not earlier
    a = as_datetime("2023-01-01T11:00:00+00:00", "a")
    b = as_datetime("2023-01-01T18:00:00", "b")
    assert a > b and a - b == timedelta(hours=1)


def test_an_aware_hour_is_priced_at_its_beijing_hour():
    r = run_calc("apigw.shared.egress_hour", CAT, {"hour": "2023-01-01T23:30:00+00:00", "egress_gb": "1"}, as_of="2025-01-01")
    assert r["settled_at"] == datetime(2023, 1, 2, 8)


# dates and quantities are bounded: a clear error instead of a hang
@pytest.mark.parametrize("text", ["9999-12-31", "1970-01-01", "2100-01-01T00:00:00"])
def test_moments_are_bounded(text):
    with pytest.raises(InputError) as e:
        as_datetime(text, "end")
    assert e.value.field == "end" and "2000-01-01" in e.value.allowed


def test_an_end_in_year_9999_is_refused_not_looped():
    with pytest.raises(InputError):
        hourly_windows("2023-01-01", "9999-01-01")


def test_huge_hour_counts_are_refused_not_looped():
    with pytest.raises(InputError) as e:
        run_calc("apigw.shared.hourly_statement", CAT, {"hours": "1e30", "calls_per_hour": "1"}, as_of="2025-01-01")
    assert e.value.field == "hours"


# 1e999, NaN and infinities
@pytest.mark.parametrize("text, allowed", [("1e999", "below"), ("NaN", "finite"), ("inf", "finite"),
                                           ("-Infinity", "finite"), ("sNaN", "finite")])
def test_non_finite_and_huge_numbers_name_the_field(text, allowed):
    with pytest.raises(InputError) as e:
        number("egress_gb", "GB").parse(text)
    assert e.value.field == "egress_gb" and allowed in e.value.allowed


def test_nan_decimal_object_is_refused():
    with pytest.raises(InputError):
        D(Decimal("NaN"), "x")


# overflow past the context's precision is an error, not silent rounding
def test_more_digits_than_can_stay_exact_are_refused():
    ok = "0." + "1" * MAX_DIGITS
    assert D(ok) == Decimal(ok)
    with pytest.raises(InputError) as e:
        D("0." + "1" * (MAX_DIGITS + 1), "price")
    assert e.value.field == "price" and "significant digits" in e.value.allowed
    with pytest.raises(InputError):
        D("1" * 51)


# non-UTF-8 catalog files: one line naming the file
def test_a_non_utf8_catalog_file_names_the_file(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_bytes('[documents.x]\ntitle_zh = "'.encode() + "价格".encode("gb18030") + b'"\n')
    with pytest.raises(CatalogError) as e:
        catalog.load(f)
    assert str(f) in str(e.value) and "UTF-8" in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("body, key", [
    ('[[entry]]\nid="x"\nsection="s"\nkind="price"\nvalue="-1"\nunit="CNY"\neffective="origin"\n', "negative"),
    ('[[entry]]\nid="x"\nsection="s"\nkind="price"\nvalue="1"\nunit="CNY"\neffective=2023-01-01T00:00:00+08:00\n',
     "UTC offset"),
    ('[[entry]\nid="x"\n', "<syntax>"),
])
def test_bad_catalog_values_are_one_line_errors(tmp_path, body, key):
    head = ('[documents.d]\ntitle_zh="t"\ntitle_en="t"\nseed="s.txt"\n'
            '[sections.s]\ndoc="d"\nzh="z"\nen="e"\nrevised="2020-01-01"\n')
    f = tmp_path / "c.toml"
    f.write_text(head + body, encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        catalog.load(f)
    assert key in str(e.value) and "\n" not in str(e.value)


def test_an_empty_catalog_folder_is_an_error(tmp_path):
    with pytest.raises(CatalogError, match="no \\*.toml"):
        catalog.load(tmp_path)


def test_floats_stay_type_errors_even_through_the_registry():
    with pytest.raises(TypeError):
        Input("x", "number").parse(0.1)
    with pytest.raises(TypeError):
        count("calls").parse(1.5)


def test_unknown_inputs_name_the_allowed_ones():
    with pytest.raises(InputError) as e:
        run_calc("apigw.shared.call_fee", CAT, {"calls": "1", "cals": "2"}, as_of="2025-01-01")
    assert e.value.field == "cals" and "calls" in e.value.allowed


def test_moment_inputs_name_the_field():
    with pytest.raises(InputError) as e:
        moment("hour").parse("31/12/2023")
    assert e.value.field == "hour"


# the command line: every refusal is one line, exit status 2, no usage block and no traceback ----------

def _cli(*args):
    from click.testing import CliRunner
    from pricing.spec.cli import main
    r = CliRunner().invoke(main, list(args), prog_name="pricing")
    return r.exit_code, r.output


@pytest.mark.parametrize("args, text", [
    (["register", "--top", "0"], "Error: pricing register: Invalid value for '--top': 0 is not in the range x>=1."),
    (["examples", "--status", "bogus"], "Error: pricing examples: Invalid value for '--status': 'bogus' is not one of"),
    (["build", "--jobs", "0"], "Error: pricing build: Invalid value for '--jobs' / '-j': 0 is not in the range"),
    (["reconcile", "--catalog", "/nonexistent", "x.csv"], "Error: pricing reconcile: Invalid value for '--catalog': Path '/nonexistent' does not exist."),
    (["register", "--bogus"], "Error: pricing register: No such option '--bogus'"),
    (["nosuch"], "Error: pricing: No such command 'nosuch'."),
    (["calc"], "Error: calculation: missing; allowed: an id"),
    (["calc", "apigw.dedicated.egress", "egress_gb=1"], "Error: hour: missing; allowed: required by apigw.dedicated.egress"),
])
def test_click_usage_errors_are_one_line(args, text):
    code, out = _cli(*args)
    assert code == 2 and out.startswith(text) and out.count("\n") == 1 and "Usage:" not in out, out


def test_no_command_shows_the_help_and_succeeds():
    code, out = _cli()
    assert code == 0 and out.startswith("Usage: pricing [OPTIONS] COMMAND")


def test_case_files_with_no_inputs_or_a_boolean_number_are_refused(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    code, out = _cli("calc", "apigw.shared.call_fee", "--file", str(empty))
    assert code == 2 and "--file: got" in out and "this file has none" in out
    boolean = tmp_path / "bool.toml"
    boolean.write_text("[inputs]\ncalls = true\n", encoding="utf-8")
    code, out = _cli("calc", "apigw.shared.call_fee", "--file", str(boolean))
    assert code == 2 and out.startswith("Error: calls: got True; allowed: a whole or decimal count"), out


def test_an_account_cannot_open_below_zero_or_bill_usage_before_its_start():
    code, out = _cli("calc", "apigw.arrears.account", "start=2026-01-01", "opening=-10")
    assert code == 2 and out.startswith("Error: opening: got '-10'; allowed: an amount in yuan") and ">= 0" in out, out
    code, out = _cli("calc", "cloudbase.arrears.account", "purchased=2026-01-01", "plan=standard", "opening=-1")
    assert code == 2 and out.startswith("Error: opening: got '-1'"), out
    # two calls cost less than a fen: their bill is nothing, but they are still before the balance is known
    code, out = _cli("calc", "apigw.arrears.account", "start=2026-01-01", 'usage=["2025-01-01T08:00:00 guangzhou calls 2"]')
    assert code == 2 and out.startswith("Error: usage[0].at: got '2025-01-01T08:00:00'; allowed: a moment at or after "
                                        "start (2026-01-01 00:00:00)"), out


def test_a_bill_file_without_lines_is_refused(tmp_path):
    for name, body in (("empty.json", "[]"), ("header.csv", None)):
        p = tmp_path / name
        if body is None:   # the export's header and no line
            from pricing.spec.reconcile.lines import FIELDS
            body = ",".join(FIELDS) + "\n"
        p.write_text(body, encoding="utf-8")
        code, out = _cli("reconcile", str(p))
        assert code == 2 and out == f"Error: {p}: no bill lines; expected at least one line of a DescribeBillDetail " \
                                    "page or a console CSV export\n", out
