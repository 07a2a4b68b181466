"""pricing.engine.results: the readable display of derivation steps, Step, Result, tidy and show.

Every expected text below is worked out by hand from the rule in the docstrings: a Decimal with at
most 8 decimals is shown exactly; a longer one of magnitude >= 1 is rounded half-even to 8 decimals
(trailing zeros dropped, at least 2 kept) and marked ``≈``; a longer one below 1 is a fraction with
a denominator up to 1000 when one is within one part in 10^24 of it, else 6 significant digits.
"""
from dataclasses import FrozenInstanceError
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

import pytest

from pricing.engine.errors import InputError
from pricing.engine.results import AMOUNT_PLACES, FRACTION_DENOMINATOR, RATIO_DIGITS, Result, Step, readable, show, tidy

# 1/7777 = 0.000128584287 000128584287 ... (7777 × 128584287 = 999999999999), at the 50 digits of
# the engine's context; its readable form has 9 decimals, more than an amount's 8.
SEVENTH = Decimal(1) / Decimal(7777)
SEVENTH_EXACT = "0.00012858428700012858428700012858428700012858428700013"


def test_the_display_constants():
    assert (AMOUNT_PLACES, RATIO_DIGITS, FRACTION_DENOMINATOR) == (8, 6, 1000)
    assert format(SEVENTH, "f") == SEVENTH_EXACT


# -- readable: a Decimal -------------------------------------------------------------------------------
@pytest.mark.parametrize("value, shown", [
    # at most 8 decimals (after tidy): shown exactly
    (Decimal("0"), "0"),
    (Decimal("0E-10"), "0.00"),                      # a zero with 10 decimals is not a long number
    (Decimal("-0.000"), "0.00"),                     # never a "-0.00"
    (Decimal("15.2560"), "15.256"),
    (Decimal("30.00"), "30.00"),
    (Decimal("0.00016"), "0.00016"),
    (Decimal("0.00000001"), "0.00000001"),           # exponent exactly -8: exact, no ≈
    (Decimal("-0.00000001"), "-0.00000001"),
    (Decimal("123.45678901"), "123.45678901"),
    (Decimal("123.456789010"), "123.45678901"),      # 9 decimals, the last a zero: 8 after tidy
    (Decimal("1"), "1"),
    (Decimal("1.0000000000"), "1.00"),               # |d| = 1 with 10 decimals: tidied to 1.00
    (Decimal("-1.0000000000"), "-1.00"),
    (Decimal("1E+3"), "1000"),
    # 9 decimals or more, magnitude >= 1: an amount, half-even to 8 decimals
    (Decimal("1.000000001"), "≈1.00"),
    (Decimal("-1.000000001"), "≈-1.00"),
    (Decimal("1.5000000001"), "≈1.50"),
    (Decimal("1.000000005"), "≈1.00"),               # an exact half rounds to the even 0
    (Decimal("1.000000015"), "≈1.00000002"),         # ... and to the even 2
    (Decimal("1.000000025"), "≈1.00000002"),
    (Decimal("1.0000000051"), "≈1.00000001"),        # above the half
    (Decimal("123.456789012"), "≈123.45678901"),
    (Decimal("1420.27397260273972602739726"), "≈1420.2739726"),
    (Decimal("-1420.27397260273972602739726"), "≈-1420.2739726"),
    (Decimal("99999999.999999999"), "≈100000000.00"),
    (Decimal("14.30511474609375"), "≈14.30511475"),
    # 9 decimals or more, below 1: a ratio
    (Decimal(17) / Decimal(30), "17/30 ≈ 0.566667"),
    (Decimal(100) / Decimal(365), "20/73 ≈ 0.273973"),
    (Decimal(-1) / Decimal(3), "-1/3 ≈ -0.333333"),
    (Decimal("0.566666666666666666666667"), "17/30 ≈ 0.566667"),   # 5.9e-25 off 17/30: within 1e-24
    (Decimal("0.3333333333333333333333333"), "1/3 ≈ 0.333333"),    # 1.0e-25 off
    (Decimal("0.333333333333333333333333"), "≈0.333333"),          # 1.000...1e-24 off: just outside
    (Decimal("0.5000000000000000000000000001"), "1/2 ≈ 0.5"),      # denominator 2 is a fraction
    (Decimal("0.9999999999999999999999999999"), "≈1"),             # nearest is 1/1: no fraction
    (Decimal("0.9999999999"), "≈1"),                               # rounds up to a whole number
    (Decimal("0.1000000001"), "≈0.1"),                             # 1/10 is 1e-9 off: not a fraction
    (Decimal("0.0123456789"), "≈0.0123457"),                       # 1/81 is near, not near enough
    (Decimal("0.001234565"), "≈0.00123456"),                       # 6 significant digits, half-even
    (Decimal("0.001234575"), "≈0.00123458"),
    (SEVENTH, "≈0.000128584"),
    (Decimal("0.0000000123456789"), "≈0.0000000123457"),           # no exponent notation
    (Decimal("0.000000001"), "≈0.000000001"),
    (Decimal("-0.000000001"), "≈-0.000000001"),
])
def test_readable_decimal(value, shown):
    assert readable(value) == shown


def test_readable_does_not_depend_on_the_callers_decimal_context():
    """Half-even is the display's own rounding, whatever rounding a caller's context has."""
    for rounding in (ROUND_HALF_UP, ROUND_DOWN):
        with localcontext() as ctx:
            ctx.rounding = rounding
            assert readable(Decimal("1.000000005")) == "≈1.00"
            assert readable(Decimal("1.000000015")) == "≈1.00000002"
            assert readable(Decimal("0.001234565")) == "≈0.00123456"
            assert readable(Decimal("0.001234575")) == "≈0.00123458"


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("-Infinity"), Decimal("Infinity")])
def test_a_non_finite_decimal_is_refused_by_name_not_shown(value):
    for display in (readable, show):
        with pytest.raises(InputError) as e:
            display(value)
        assert (e.value.field, e.value.got, e.value.allowed) == ("value", str(value), "a finite decimal number")
    with pytest.raises(InputError):
        Result({}).step("x", value)


# -- readable: other values ------------------------------------------------------------------------------
@pytest.mark.parametrize("value, shown", [
    (7, "7"), (True, "yes"), (False, "no"), (None, "None"),
    (date(2024, 2, 29), "2024-02-29"), (datetime(2024, 2, 29, 23, 59, 59), "2024-02-29 23:59:59"),
])
def test_readable_other_values_are_show(value, shown):
    assert readable(value) == shown == show(value)


@pytest.mark.parametrize("text, shown", [
    ("2.0055555555555555 h", "≈2.00555556 h"),
    ("rate 0.123456789 of 1.000000001, then 12.34567890",
     "rate ≈0.123457 of ≈1.00, then 12.34567890"),                # 8 decimals: left as written
    ("-1.0000000001 yuan", "≈-1.00 yuan"),
    ("17/30 = 0.56666666666666666666666666666667", "17/30 = 17/30 ≈ 0.566667"),
    ("1/7777 = 0.00012858428700012858428700012858428700012858428700013", "1/7777 = ≈0.000128584"),
    ("0.5000000000 day", "0.50 day"),                             # a long text of a short number
    ("v1.123456789", "v1.123456789"),                             # part of a word
    ("1.123456789.5", "1.123456789.5"),                           # part of a dotted name
    ("1.1234567890123x", "1.1234567890123x"),
    ("apigw.shared.fee-45.26", "apigw.shared.fee-45.26"),
    ("≈0.000128584 and ≈-0.000128584", "≈0.000128584 and ≈-0.000128584"),  # already readable
    ("", ""),
])
def test_readable_text_shortens_each_long_number_inside_it(text, shown):
    assert readable(text) == shown


@pytest.mark.parametrize("value", [
    SEVENTH, -SEVENTH, Decimal("0.0000000123456789"), Decimal("-0.000000001"), Decimal(17) / Decimal(30),
    Decimal("1420.27397260273972602739726"), Decimal("0.9999999999"), "ratio 0.0001234567891 of it",
])
def test_readable_text_reads_the_same_when_read_again(value):
    once = readable(value)
    assert readable(once) == once
    assert Step("again", once).value == once


# -- Step ------------------------------------------------------------------------------------------
def test_a_step_made_by_hand_shows_readable_text_and_keeps_the_exact_text():
    s = Step("made by hand", "1.123456789 h")
    assert (s.label, s.value, s.note, s.exact) == ("made by hand", "≈1.12345679 h", "", "1.123456789 h")
    s = Step("days", "31", "calendar")
    assert (s.value, s.note, s.exact) == ("31", "calendar", "31")
    s = Step("given", "1.5", "n", "1.50000")
    assert (s.value, s.exact) == ("1.5", "1.50000")          # an exact text given is kept
    s = Step("given", "0.1234567891", "", "0.12345678910000")
    assert (s.value, s.exact) == ("≈0.123457", "0.12345678910000")
    assert Step("n", 12).value == "12" and Step("n", 12).exact == "12"
    with pytest.raises(FrozenInstanceError):
        s.value = "x"


# -- Result ----------------------------------------------------------------------------------------
def test_a_result_holds_its_outputs_and_defaults():
    fee = Decimal("7285.40") * Decimal(2505600) / Decimal(2592000)
    r = Result({"fee": fee})
    assert r["fee"] == fee == Decimal("7042.55" + "3" * 44)  # 7285.40 × 29/30 at 50 digits
    with pytest.raises(KeyError):
        r["other"]
    assert (r.steps, r.policies, r.as_of, r.catalog_reads) == ([], {}, None, {})
    r2 = Result({}, policies={"p": "a"}, as_of=datetime(2024, 1, 1), catalog_reads={"x": [datetime(2023, 1, 1)]})
    assert (r2.policies, r2.as_of, r2.catalog_reads) == ({"p": "a"}, datetime(2024, 1, 1), {"x": [datetime(2023, 1, 1)]})
    assert Result({}).steps is not Result({}).steps          # no list shared between results


def test_result_step_records_the_readable_and_the_exact_text():
    r = Result({})
    assert r.step("fee", Decimal("1420.27397260273972602739726"), "8 decimals") is r
    r.step("share", SEVENTH).step("refund", -SEVENTH).step("two thirds", Decimal(2) / Decimal(3))
    r.step("hours", "2.0055555555 h").step("days", 31).step("price", Decimal("0.0600"))
    r.step("on", datetime(2023, 6, 20, 20)).step("leap", date(2024, 2, 29)).step("prorated", True)
    # compared as plain tuples: an expected Step would pass its own value through readable again
    assert [(s.label, s.value, s.note, s.exact) for s in r.steps] == [
        ("fee", "≈1420.2739726", "8 decimals", "1420.27397260273972602739726"),
        ("share", "≈0.000128584", "", SEVENTH_EXACT),
        ("refund", "≈-0.000128584", "", "-" + SEVENTH_EXACT),
        ("two thirds", "2/3 ≈ 0.666667", "", "0." + "6" * 49 + "7"),
        ("hours", "≈2.00555556 h", "", "2.0055555555 h"),
        ("days", "31", "", "31"),
        ("price", "0.06", "", "0.06"),
        ("on", "2023-06-20 20:00:00", "", "2023-06-20 20:00:00"),
        ("leap", "2024-02-29", "", "2024-02-29"),
        ("prorated", "yes", "", "yes"),
    ]


def test_steps_loaded_back_from_label_value_note_read_the_same():
    """A step stored as [label, value, note] (the reconciler's carry) and made again is unchanged."""
    r = Result({}).step("share", SEVENTH).step("refund", -SEVENTH).step("tiny", Decimal("0.0000000123456789"))
    again = [Step(s.label, s.value, s.note) for s in r.steps]
    assert [s.value for s in again] == [s.value for s in r.steps] == ["≈0.000128584", "≈-0.000128584",
                                                                      "≈0.0000000123457"]


# -- tidy and show ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value, text", [
    ("15.2560", "15.256"), ("30.000", "30.00"), ("30.0", "30.0"), ("30.00", "30.00"), ("0.100", "0.10"),
    ("0.125", "0.125"), ("-1.2500", "-1.25"), ("0E-10", "0.00"), ("-0.000", "-0.00"), ("1E+3", "1E+3"),
    ("1E-9", "1E-9"), ("2.50000000000", "2.50"), ("7", "7"),
])
def test_tidy_drops_zeros_past_the_second_decimal_only(value, text):
    assert str(tidy(Decimal(value))) == text


def test_tidy_returns_a_non_finite_value_as_it_is():
    assert tidy(Decimal("NaN")).is_nan()
    assert tidy(Decimal("Infinity")) == Decimal("Infinity")
    assert tidy(Decimal("-Infinity")) == Decimal("-Infinity")


@pytest.mark.parametrize("value, text", [
    (Decimal("1E-9"), "0.000000001"), (Decimal("1E+3"), "1000"), (Decimal("-0.000"), "0.00"),
    (Decimal("1420.27397260273972602739726"), "1420.27397260273972602739726"), (SEVENTH, SEVENTH_EXACT),
    (Decimal("2.50000000000"), "2.50"), (0, "0"), ("0.1234567891", "0.1234567891"),
])
def test_show_keeps_every_digit(value, text):
    assert show(value) == text
