"""pricing.engine.units (1024-based sizes, 万/亿 counts, GB·s) and pricing.engine.errors."""
from decimal import Decimal

import pytest

from pricing.engine.errors import CatalogError, InputError, PricingError, RuleError
from pricing.engine.money import D
from pricing.engine.units import COUNT_SUFFIX, DATA_FACTOR, DATA_UNITS, convert_size, gb_seconds, in_wan, parse_count

UNITS = "one of B, KB, MB, GB, TB"


@pytest.mark.parametrize("amount, a, b, want", [
    ("1", "TB", "GB", "1024"), ("1", "TB", "MB", "1048576"), ("1", "GB", "B", "1073741824"),
    ("2048", "MB", "GB", "2"), ("1", "MB", "TB", "9.5367431640625E-7"), ("15000000", "KB", "GB", "14.30511474609375"),
    ("3.5", "GB", "GB", "3.5"), ("0", "B", "TB", "0"),
])
def test_convert_size_with_the_1024_factor(amount, a, b, want):
    assert convert_size(amount, a, b) == Decimal(want)


@pytest.mark.parametrize("amount, a, b, text", [
    ("1.5", "TB", "GB", "1536.0"), ("1.5", "TB", "MB", "1572864.0"), ("15000000", "KB", "GB", "14.30511474609375"),
    ("1", "KB", "TB", "9.31322574615478515625E-10"),
])
def test_convert_size_keeps_the_digits_of_its_input(amount, a, b, text):
    # exact in both directions, and shown without spurious trailing zeros in a notebook
    assert str(convert_size(amount, a, b)) == text


def test_convert_size_takes_another_declared_factor():
    assert convert_size("1", "GB", "MB", Decimal(1000)) == 1000
    assert convert_size("1", "TB", "MB", Decimal(1000)) == 1000000
    assert convert_size("1", "MB", "GB", Decimal(1000)) == Decimal("0.001")
    assert DATA_FACTOR == 1024 and list(DATA_UNITS) == ["B", "KB", "MB", "GB", "TB"]


@pytest.mark.parametrize("a, b, field, bad", [("KiB", "GB", "from_unit", "KiB"), ("GB", "gb", "to_unit", "gb"),
                                              ("PB", "PB", "from_unit", "PB")])
def test_convert_size_names_the_unknown_unit(a, b, field, bad):
    with pytest.raises(InputError) as e:
        convert_size("1", a, b)
    assert (e.value.field, e.value.got, e.value.allowed) == (field, bad, UNITS)


def test_convert_size_refuses_negative_amounts_by_name():
    with pytest.raises(InputError) as e:
        convert_size("-1", "GB", "MB")
    assert (e.value.field, e.value.got, e.value.allowed) == ("amount", "-1", "a number >= 0")


@pytest.mark.parametrize("text, want", [
    ("500万", 5_000_000), ("1亿", 100_000_000), ("1千万", 10_000_000), ("3百万", 3_000_000), ("2千", 2000),
    ("3000", 3000), (" 1.5万 ", 15000), ("10_000", 10000), (12, 12), (Decimal("2.5"), Decimal("2.5")),
])
def test_parse_count(text, want):
    assert parse_count(text) == want


def test_parse_count_suffixes():
    assert COUNT_SUFFIX == {"万": 10 ** 4, "亿": 10 ** 8, "千万": 10 ** 7, "百万": 10 ** 6, "千": 1000, "": 1}


@pytest.mark.parametrize("text", ["five", "", "万", "-5", "5 万 万", "5k"])
def test_parse_count_refuses_text_that_is_not_a_count(text):
    with pytest.raises(InputError) as e:
        parse_count(text, "calls")
    assert (e.value.field, e.value.got, e.value.allowed) == ("calls", text, "a count such as '1000000', '500万' or '1亿'")


def test_parse_count_default_field_and_the_checks_of_its_number():
    with pytest.raises(InputError) as e:
        parse_count("x")
    assert e.value.field == "count"
    with pytest.raises(InputError) as e:
        parse_count("1,000万", "calls")   # the comma is refused by D(), never guessed
    assert (e.value.field, e.value.got) == ("calls", "1,000")
    with pytest.raises(InputError) as e:
        parse_count(-3, "calls")
    assert (e.value.field, e.value.got, e.value.allowed) == ("calls", -3, "a number >= 0")
    with pytest.raises(TypeError):
        parse_count(1.5, "calls")


def test_in_wan():
    assert in_wan(D(5_000_000)) == 500
    assert in_wan(D(15)) == Decimal("0.0015")


def test_gb_seconds():
    assert gb_seconds("512", "100") == 50
    assert gb_seconds("1024", "0.5") == Decimal("0.5")
    with pytest.raises(InputError) as e:
        gb_seconds("512", "-1")
    assert (e.value.field, e.value.got) == ("seconds", "-1")


# -- errors ---------------------------------------------------------------------------------------
def test_input_error_names_field_value_and_what_is_allowed():
    e = InputError("calls", "-5", "a number >= 0")
    assert (e.field, e.got, e.allowed) == ("calls", "-5", "a number >= 0")
    assert str(e) == "calls: got '-5'; allowed: a number >= 0"
    assert isinstance(e, PricingError) and isinstance(e, ValueError)


def test_catalog_error_names_file_and_key():
    e = CatalogError("apigw.toml", "entry[3].value", "negative")
    assert (e.file, e.key, e.problem) == ("apigw.toml", "entry[3].value", "negative")
    assert str(e) == "apigw.toml: entry[3].value: negative"
    assert isinstance(e, PricingError)


def test_rule_error_names_the_field_and_the_problem():
    e = RuleError("renewed_at", "released")
    assert (e.field, e.problem) == ("renewed_at", "released")
    assert str(e) == "renewed_at: released"
    assert isinstance(e, PricingError)
