"""pricing.engine.money: D(), the bounds on input numbers, the rounding policies and the text forms.

Errors are checked by type and by their three parts (field, the value received, what is allowed):
a caller reads those, so a changed field name or a lost value is a defect, not a cosmetic change.
"""
from decimal import Decimal, ROUND_HALF_EVEN

import pytest

from pricing.engine.errors import InputError
from pricing.engine.money import (BILLED, MAX_DIGITS, MAX_MAGNITUDE, ONE, ROUNDINGS, TENTH, TRUNCATE_FEN, UNROUNDED,
                                  WHOLE_DAYS_DOWN, ZERO, D, RoundingPolicy, fmt, integral, nonneg, positive, round_at,
                                  trim, yuan)


def parts(excinfo):
    e = excinfo.value
    return e.field, e.got, e.allowed


# -- D(): what it accepts ---------------------------------------------------------------------
@pytest.mark.parametrize("raw, want", [
    ("0.06", "0.06"), ("-3", "-3"), ("+7", "7"), ("1e3", "1E+3"), ("1E-2", "0.01"), ("1_000_000", "1000000"),
    ("1_234.50", "1234.50"), (".5", "0.5"), ("5.", "5"), ("  2.5  ", "2.5"), (5, "5"), (-2, "-2"),
    (Decimal("1.10"), "1.10"), (Decimal("-4.5"), "-4.5"),
])
def test_D_accepts_strings_ints_and_decimals_exactly(raw, want):
    d = D(raw)
    assert isinstance(d, Decimal)
    assert str(d) == want


def test_D_keeps_a_decimal_argument_unchanged_even_beyond_the_input_bounds():
    big = Decimal(10) ** 20 + Decimal("0.123456789012345678901234567890")
    assert D(big) is big  # a Decimal already on the money path keeps all its digits


@pytest.mark.parametrize("raw", ["-0", "-0.00", "+0", "0", 0, Decimal("-0"), Decimal("-0.000"), "-0e5"])
def test_negative_zero_is_normalised(raw):
    d = D(raw)
    assert d == 0 and not d.is_signed()
    assert not str(d).startswith("-")


def test_a_negative_decimal_keeps_its_sign():
    assert D(Decimal("-5")) == Decimal("-5")
    assert D("-0.01") == Decimal("-0.01")


# -- D(): what it refuses ---------------------------------------------------------------------
@pytest.mark.parametrize("raw", [0.1, 1.0, -2.5, float("nan"), float("inf")])
def test_a_float_is_a_type_error_that_names_the_field_and_the_string_to_pass(raw):
    with pytest.raises(TypeError) as e:
        D(raw, "price")
    assert str(e.value) == f"price: float {raw!r} refused on the money path; pass the string {str(raw)!r} instead"


@pytest.mark.parametrize("raw", [True, False])
def test_a_bool_is_a_type_error(raw):
    with pytest.raises(TypeError) as e:
        D(raw, "calls")
    assert str(e.value) == "calls: a bool is not a number; pass a string such as '1'"


@pytest.mark.parametrize("raw, name", [(None, "NoneType"), ([1], "list"), (b"1", "bytes"), (1j, "complex")])
def test_other_types_are_type_errors_naming_the_type(raw, name):
    with pytest.raises(TypeError) as e:
        D(raw, "qty")
    assert str(e.value) == f"qty: {name} is not a number; pass a string, int or Decimal"


def test_the_default_field_name_is_value():
    with pytest.raises(InputError) as e:
        D("abc")
    assert e.value.field == "value"
    with pytest.raises(TypeError, match="^value: float"):
        D(0.5)


COMMA = ("a number without commas, e.g. '0.06' or '1000000' (a comma could be a decimal comma or a thousands "
         "separator, so it is never guessed)")


@pytest.mark.parametrize("raw", ["0,06", "1,000", "1,234.50", "6，5", " 1,0 "])
def test_commas_are_refused_with_the_reason(raw):
    with pytest.raises(InputError) as e:
        D(raw, "price")
    assert parts(e) == ("price", raw, COMMA)


@pytest.mark.parametrize("raw", ["nan", "NaN", "-nan", "+NAN", "snan", "sNaN", "inf", "-Inf", "+infinity", "Infinity",
                                 " inf "])
def test_nan_and_infinities_as_text_are_not_finite(raw):
    with pytest.raises(InputError) as e:
        D(raw, "fee")
    assert parts(e) == ("fee", raw, "a finite decimal number")


@pytest.mark.parametrize("raw", [Decimal("NaN"), Decimal("-Infinity"), Decimal("sNaN"), Decimal("Infinity")])
def test_nan_and_infinities_as_decimals_are_not_finite(raw):
    with pytest.raises(InputError) as e:
        D(raw, "fee")
    assert parts(e) == ("fee", str(raw), "a finite decimal number")


@pytest.mark.parametrize("raw", ["abc", "", "  ", "1.2.3", "1e", "e5", "0x10", "1 000", "--1", "_1", "1__0", "½",
                                 "nano", "infinite", "1/2"])
def test_text_that_is_not_a_decimal_number(raw):
    with pytest.raises(InputError) as e:
        D(raw, "usage")
    assert parts(e) == ("usage", raw, "a decimal number written as a string, e.g. '0.06'")


def test_underscores_group_digits_but_do_not_change_the_number():
    assert D("10_000") == 10000
    assert D("1_0.5") == Decimal("10.5")


# the two bounds on input numbers: magnitude below 10^15, at most 28 significant digits ---------------
BELOW = "a number below 1E+15 in size"


@pytest.mark.parametrize("raw", ["1e15", "1000000000000000", "-1000000000000000", "1E+16", 10 ** 15, -(10 ** 15)])
def test_magnitude_at_the_bound_is_refused(raw):
    with pytest.raises(InputError) as e:
        D(raw, "calls")
    assert parts(e) == ("calls", raw, BELOW)


@pytest.mark.parametrize("raw", ["999999999999999", "-999999999999999", "999999999999999.9", 10 ** 15 - 1])
def test_magnitude_one_below_the_bound_is_accepted(raw):
    assert D(raw) == Decimal(str(raw))


def test_the_bounds_are_what_the_docs_say():
    assert MAX_MAGNITUDE == Decimal("1E15")
    assert MAX_DIGITS == 28


@pytest.mark.parametrize("raw", ["8e-77", "1E-29", "0." + "0" * 28 + "1"])
def test_more_than_28_decimal_places_are_refused(raw):
    # 8e-77 would vanish when added to a fen in the 50-digit context: refused, never rounded away
    with pytest.raises(InputError) as e:
        D(raw, "cost")
    assert parts(e) == ("cost", raw, "a number of at most 28 decimal places (no silent rounding)")


@pytest.mark.parametrize("raw", ["1E-28", "0." + "0" * 27 + "1", "1.5E-27"])
def test_28_decimal_places_are_accepted(raw):
    assert D(raw) == Decimal(raw) and Decimal(raw) + Decimal("999999999999999.99") - Decimal("999999999999999.99") == Decimal(raw)


def test_exactly_28_significant_digits_are_accepted():
    raw = "0." + "1" * 28
    assert D(raw) == Decimal(raw)
    assert D("1234567890.123456789012345678") == Decimal("1234567890.123456789012345678")  # 28 digits


@pytest.mark.parametrize("raw", ["0." + "1" * 29, "1234567890.1234567890123456789"])
def test_29_significant_digits_are_refused(raw):
    with pytest.raises(InputError) as e:
        D(raw, "rate")
    assert parts(e) == ("rate", raw, "a number of at most 28 significant digits (no silent rounding)")


def test_trailing_zeros_are_not_significant_digits():
    raw = "0.1" + "0" * 40
    assert D(raw) == Decimal("0.1")


# -- nonneg / positive ------------------------------------------------------------------------
def test_nonneg_accepts_zero_and_refuses_below():
    assert nonneg("0", "gb") == 0
    assert nonneg("0.01", "gb") == Decimal("0.01")
    with pytest.raises(InputError) as e:
        nonneg("-0.01", "gb")
    assert parts(e) == ("gb", "-0.01", "a number >= 0")


def test_nonneg_passes_its_field_to_D():
    with pytest.raises(InputError) as e:
        nonneg("x", "gb")
    assert parts(e) == ("gb", "x", "a decimal number written as a string, e.g. '0.06'")


def test_positive_refuses_zero_and_negatives():
    assert positive("0.01", "price") == Decimal("0.01")
    assert positive("1", "price") == 1
    assert positive("0.5", "price") == Decimal("0.5")
    for raw in ("0", "-1"):
        with pytest.raises(InputError) as e:
            positive(raw, "price")
        assert parts(e) == ("price", raw, "a number > 0")
    with pytest.raises(InputError) as e:
        positive("y", "price")
    assert e.value.field == "price"


# -- rounding policies: every one at an exact half ----------------------------------------------
@pytest.mark.parametrize("policy, raw, want", [
    # BILLED: half-up to the fen; half-even would give the even fen
    (BILLED, "0.005", "0.01"), (BILLED, "0.015", "0.02"), (BILLED, "0.125", "0.13"), (BILLED, "15.255", "15.26"),
    (BILLED, "-0.005", "-0.01"), (BILLED, "0.0049999", "0.00"), (BILLED, "2.5", "2.50"),
    # TENTH: half-up to 0.1
    (TENTH, "14.25", "14.3"), (TENTH, "0.05", "0.1"), (TENTH, "0.25", "0.3"), (TENTH, "14.249", "14.2"),
    # WHOLE_DAYS_DOWN: floor, so an exact half and even 0.999 stay down; negatives go down too
    (WHOLE_DAYS_DOWN, "2.5", "2"), (WHOLE_DAYS_DOWN, "1.875", "1"), (WHOLE_DAYS_DOWN, "2.999", "2"),
    (WHOLE_DAYS_DOWN, "-0.5", "-1"), (WHOLE_DAYS_DOWN, "3", "3"),
    # TRUNCATE_FEN: toward zero
    (TRUNCATE_FEN, "0.005", "0.00"), (TRUNCATE_FEN, "0.019", "0.01"), (TRUNCATE_FEN, "-0.019", "-0.01"),
    # UNROUNDED: 28 places, half-even at the 28th
    (UNROUNDED, "0.5", "0.5000000000000000000000000000"),
    (UNROUNDED, "0." + "0" * 27 + "25", "2E-28"),
    (UNROUNDED, "0." + "0" * 27 + "35", "4E-28"),
])
def test_rounding_policy_at_an_exact_half(policy, raw, want):
    out = policy(Decimal(raw))   # an amount computed on the money path (it may carry more places than an input)
    assert str(out) == want


@pytest.mark.parametrize("policy", [BILLED, TENTH, TRUNCATE_FEN, WHOLE_DAYS_DOWN])
def test_a_rounded_negative_zero_is_a_plain_zero(policy):
    out = policy(D("-0.001") if policy is not WHOLE_DAYS_DOWN else D("-0"))
    assert out == 0 and not out.is_signed()


def test_rounding_refuses_floats():
    with pytest.raises(TypeError):
        BILLED(0.5)


def test_the_rounding_registry_names_each_policy():
    assert ROUNDINGS == {"billed-fen-half-up": BILLED, "tenth-half-up": TENTH, "whole-days-floor": WHOLE_DAYS_DOWN,
                         "fen-truncate": TRUNCATE_FEN, "unrounded": UNROUNDED}
    assert BILLED.quantum == Decimal("0.01")


def test_a_custom_policy_uses_its_own_mode():
    even = RoundingPolicy("even", Decimal("0.01"), ROUND_HALF_EVEN, "")
    assert even(D("0.125")) == Decimal("0.12")
    assert even(D("0.135")) == Decimal("0.14")


# -- round_at: half-up at an explicit quantum ---------------------------------------------------
@pytest.mark.parametrize("raw, places, want", [
    ("14.25", "0.1", "14.3"), ("14.35", "0.1", "14.4"), ("0.005", "0.01", "0.01"), ("0.125", "0.01", "0.13"),
    ("2.5", "1", "3"), ("3.5", "1", "4"), ("14.305", "0.1", "14.3"), ("-2.5", "1", "-3"), ("45.255", "0.01", "45.26"),
    ("7", "0.01", "7.00"),
])
def test_round_at_an_exact_half_goes_up(raw, places, want):
    out = round_at(D(raw), places)
    assert str(out) == want


def test_round_at_takes_a_decimal_quantum_and_names_a_bad_one():
    assert round_at(D("1.45"), Decimal("0.1")) == Decimal("1.5")
    with pytest.raises(InputError) as e:
        round_at(D("1"), "tenth")
    assert parts(e) == ("places", "tenth", "a decimal number written as a string, e.g. '0.06'")


# -- text forms -------------------------------------------------------------------------------
@pytest.mark.parametrize("d, places, want", [
    ("1E+2", None, "100"), ("45.256", None, "45.256"), ("0.10", None, "0.10"), ("1E-7", None, "0.0000001"),
    ("45.255", 2, "45.26"), ("0.125", 2, "0.13"), ("2.5", 0, "3"), ("14.25", 1, "14.3"), ("3", 2, "3.00"),
    ("-1.005", 2, "-1.01"), ("1234.5", -1, "1230"),
])
def test_fmt_has_no_exponent_and_rounds_half_up_when_asked(d, places, want):
    assert fmt(D(d), places) == want


def test_fmt_refuses_floats():
    with pytest.raises(TypeError):
        fmt(1.5)


@pytest.mark.parametrize("d, want", [("45.256", "45.26"), ("45.255", "45.26"), ("3", "3.00"), ("0.004", "0.00"),
                                     ("-0.004", "0.00"), ("1E+3", "1000.00")])
def test_yuan_is_two_decimals_half_up(d, want):
    assert yuan(D(d)) == want


@pytest.mark.parametrize("d, want", [("19.07348630", "19.0734863"), ("30.00", "30"), ("1E+2", "100"), ("0.50", "0.5"),
                                     ("100", "100"), ("1.0E+3", "1000"), ("0.000010", "0.00001"), ("-2.50", "-2.5"),
                                     ("0.00000010", "0.0000001"), ("0.000000125", "0.000000125")])
def test_trim_drops_trailing_zeros_without_an_exponent(d, want):
    assert trim(D(d)) == want


@pytest.mark.parametrize("d, want", [("2400.00", "2400"), ("1E+3", "1000"), ("2.50", "2.50"), ("0.00", "0"),
                                     ("7", "7"), ("-3.0", "-3")])
def test_integral_drops_a_spurious_decimal_part_only(d, want):
    out = integral(D(d))
    assert str(out) == want
    assert out == D(d)


def test_integral_refuses_floats():
    with pytest.raises(TypeError):
        integral(2.0)


def test_constants():
    assert (ZERO, ONE) == (Decimal(0), Decimal(1))
