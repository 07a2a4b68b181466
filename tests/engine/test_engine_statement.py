"""pricing.engine.statement: 8-decimal lines, the fen debit on the running total (or per bill, or
none), and the precision line (月度计费精度差异) that makes the lines add up to the debit."""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from pricing.engine import statement
from pricing.engine.errors import InputError
from pricing.engine.money import BILLED
from pricing.engine.policies import POLICIES
from pricing.engine.statement import DEBIT, DEBIT_ROUNDING, LINE, Line, Statement, line, settle

T0 = datetime(2023, 3, 1)
H = timedelta(hours=1)
PER_BILL = {"billing.debit_rounding": "per-bill-fen"}
EXACT = {"billing.debit_rounding": "exact"}


def parts(e):
    return e.value.field, e.value.got, e.value.allowed


def hourly(*amounts, reading="line-8dp-debit-fen"):
    return [line(f"h{i}", "calls", a, 1, "calls", T0 + i * H, reading=reading) for i, a in enumerate(amounts)]


# -- the policy and the rounding points -------------------------------------------------------------
def test_the_debit_rounding_policy():
    assert POLICIES["billing.debit_rounding"] is DEBIT_ROUNDING
    assert DEBIT_ROUNDING.default == "line-8dp-debit-fen"
    assert list(DEBIT_ROUNDING.choices) == ["line-8dp-debit-fen", "per-bill-fen", "exact"]
    assert DEBIT_ROUNDING.discrepancy == "BILL-DEBIT-ROUNDING"
    assert DEBIT is BILLED


@pytest.mark.parametrize("exact, amount", [
    ("0.000000005", "0.00000001"),        # an exact half at the 8th decimal: up
    ("0.0000000049999", "0.00000000"),
    ("0.123456785", "0.12345679"),
    ("0.123456784999", "0.12345678"),
    ("-0.000000001", "0.00000000"),        # never a -0 on a line
    ("12", "12.00000000"),
])
def test_a_line_is_kept_at_8_decimals_half_up(exact, amount):
    l = line("h0", "calls", exact)
    assert l.exact == Decimal(exact) and format(l.amount, "f") == amount and not l.amount.is_signed()
    assert format(LINE(Decimal(exact)), "f") == amount


def test_a_line_carries_what_was_rated():
    l = line("2023-03-01 10:00", "egress", "0.8", "1.5", "GB", T0, ["1.5 GB × 0.8 = 1.2"])
    assert l == Line("2023-03-01 10:00", "egress", T0, Decimal("1.5"), "GB", Decimal("0.8"), Decimal("0.80000000"),
                     ("1.5 GB × 0.8 = 1.2",))
    assert line("b", "i", "1") == Line("b", "i", None, Decimal(0), "", Decimal(1), Decimal("1.00000000"), ())


def test_a_line_under_the_exact_reading_is_not_rounded():
    l = line("b", "i", "0.1234567891", reading="exact")
    assert l.amount == Decimal("0.1234567891") and l.exact == l.amount
    assert line("b", "i", "0.1234567891", reading="per-bill-fen").amount == Decimal("0.12345679")


@pytest.mark.parametrize("reading", ["per-bill", "EXACT", "exact ", ""])
def test_a_line_refuses_a_reading_the_policy_does_not_offer(reading):
    with pytest.raises(InputError) as e:
        line("b", "i", "0.1234567891", reading=reading)
    assert parts(e) == ("reading", reading, "line-8dp-debit-fen | per-bill-fen | exact")


def test_line_errors_name_the_amount_and_the_quantity():
    with pytest.raises(InputError) as e:
        line("b", "i", "1,5")
    assert e.value.field == "exact" and e.value.got == "1,5"
    with pytest.raises(InputError) as e:
        line("b", "i", "1", "many")
    assert e.value.field == "quantity" and e.value.got == "many"
    with pytest.raises(TypeError):
        line("b", "i", 0.5)


# -- the default: fen debits on the running total -----------------------------------------------------
def test_running_total_debits_lose_no_fraction_of_a_fen():
    # 0.004 an hour: the running total rounds to one fen at the 2nd hour (0.008), to two at the 4th (0.016)
    s = settle(hourly("0.004", "0.004", "0.004", "0.004", "0.004"))
    assert s.reading == "line-8dp-debit-fen"
    assert s.bills == {"h0": Decimal("0.00"), "h1": Decimal("0.01"), "h2": Decimal("0.00"), "h3": Decimal("0.01"),
                       "h4": Decimal("0.00")}
    assert list(s.bills) == ["h0", "h1", "h2", "h3", "h4"]
    assert s.subtotal == Decimal("0.02000000") and s.due == Decimal("0.02") and s.precision == 0
    assert str(s.due) == "0.02"


def test_at_an_exact_half_fen_per_bill_and_running_total_differ():
    ls = hourly("0.005", "0.005")
    run = settle(ls)
    assert run.bills == {"h0": Decimal("0.01"), "h1": Decimal("0.00")}     # 0.005 → 0.01, then 0.010 → 0.01
    assert (run.subtotal, run.due, run.precision) == (Decimal("0.01"), Decimal("0.01"), 0)
    per = settle(ls, PER_BILL)
    assert per.bills == {"h0": Decimal("0.01"), "h1": Decimal("0.01")}     # each half-fen rounds up on its own
    assert (per.subtotal, per.due, per.precision) == (Decimal("0.01"), Decimal("0.02"), Decimal("0.01"))
    # a hair under half a fen: every reading rounds down
    under = hourly("0.00499999", "0.00499999")
    assert settle(under).bills == {"h0": 0, "h1": Decimal("0.01")}           # the total 0.00999998 rounds up
    assert settle(under, PER_BILL).bills == {"h0": 0, "h1": 0}
    assert settle(under, PER_BILL).due == 0 and settle(under, PER_BILL).precision == Decimal("-0.00999998")


def test_the_running_total_takes_the_lines_in_time_order_then_by_bill():
    # given out of order: the 00:00 line (0.004) is debited first, then 01:00 (0.002, total 0.006 → 0.01)
    a = line("b-late", "calls", "0.002", at=T0 + H)
    b = line("a-early", "calls", "0.004", at=T0)
    s = settle([a, b])
    assert list(s.bills.items()) == [("a-early", Decimal("0.00")), ("b-late", Decimal("0.01"))]
    # a line without an instant comes first
    c = line("z-undated", "calls", "0.004")
    s = settle([a, b, c])
    assert list(s.bills.items()) == [("z-undated", 0), ("a-early", Decimal("0.01")), ("b-late", 0)]
    # same instant: by bill
    x, y = line("y", "calls", "0.004", at=T0), line("x", "calls", "0.002", at=T0)
    assert list(settle([x, y]).bills.items()) == [("x", 0), ("y", Decimal("0.01"))]


def test_lines_of_one_bill_are_debited_together():
    ls = [line("h0", "calls", "0.004", at=T0), line("h0", "egress", "0.003", at=T0),
          line("h1", "calls", "0.004", at=T0 + H)]
    s = settle(ls)
    assert s.bills == {"h0": Decimal("0.01"), "h1": Decimal("0.00")}   # 0.007 → 0.01; 0.011 → 0.01
    per = settle(ls, PER_BILL)
    assert per.bills == {"h0": Decimal("0.01"), "h1": Decimal("0.00")}
    assert per.due == Decimal("0.01") and per.subtotal == Decimal("0.011") and per.precision == Decimal("-0.001")


def test_a_bill_of_several_lines_adds_each_lines_debit():
    # each line of h0 moves the running total by whole fen: 0.01, then 0.02 more
    ls = [line("h0", "calls", "0.01", at=T0), line("h0", "egress", "0.02", at=T0), line("h1", "calls", "0.04", at=T0 + H)]
    assert settle(ls).bills == {"h0": Decimal("0.03"), "h1": Decimal("0.04")}
    assert settle(ls, PER_BILL).bills == {"h0": Decimal("0.03"), "h1": Decimal("0.04")}


def test_the_due_is_the_subtotal_of_8_decimal_lines_rounded_once():
    s = settle(hourly("1.234567894", "2.000000001"))
    assert [l.amount for l in s.lines] == [Decimal("1.23456789"), Decimal("2.00000000")]
    assert s.subtotal == Decimal("3.23456789") and s.due == Decimal("3.23")
    assert s.precision == Decimal("-0.00456789")
    assert s.subtotal + s.precision == s.due
    assert s.exact == Decimal("3.234567895")
    assert sum(s.bills.values()) == s.due


# -- per bill: each bill rounded from its exact amount ---------------------------------------------
def test_per_bill_rounds_each_bills_exact_amount_not_its_8_decimal_line():
    # 0.004999999995 is 0.00500000 at 8 decimals, but the bill's own amount rounds down to 0.00
    ls = hourly("0.004999999995")
    assert ls[0].amount == Decimal("0.00500000")
    per = settle(ls, PER_BILL)
    assert per.bills == {"h0": Decimal("0.00")} and per.due == 0
    assert per.precision == Decimal("-0.00500000")
    assert settle(ls).due == Decimal("0.01")   # the default rounds the 8-decimal lines


def test_per_bill_debits_each_bill_in_whole_fen():
    s = settle(hourly("1.004", "2.006", "0"), PER_BILL)
    assert list(s.bills.items()) == [("h0", Decimal("1.00")), ("h1", Decimal("2.01")), ("h2", Decimal("0.00"))]
    assert s.due == Decimal("3.01") and s.subtotal == Decimal("3.01") and s.precision == 0


# -- exact: no rounding point ---------------------------------------------------------------------
def test_exact_settles_the_exact_amounts():
    ls = hourly("0.1234567891", "1", reading="exact")
    s = settle(ls, EXACT)
    assert s.reading == "exact" and s.bills == {}
    assert s.subtotal == s.due == Decimal("1.1234567891") and s.precision == 0


# -- a line built under another reading is refused ---------------------------------------------------
def test_a_line_of_another_reading_is_refused_naming_the_line():
    with pytest.raises(InputError) as e:
        settle(hourly("0.1234567891", reading="exact"))
    assert parts(e) == ("line h0 calls", "0.1234567891", "0.12345679: the line amount under line-8dp-debit-fen")
    with pytest.raises(InputError) as e:
        settle(hourly("0.1234567891"), EXACT)
    assert parts(e) == ("line h0 calls", "0.12345679", "0.1234567891: the line amount under exact")
    with pytest.raises(InputError) as e:
        settle(hourly("0.1234567891", reading="exact"), PER_BILL)
    assert parts(e) == ("line h0 calls", "0.1234567891", "0.12345679: the line amount under per-bill-fen")
    # amounts with 8 decimals or fewer are the same line under every reading
    for reading in DEBIT_ROUNDING.choices:
        assert settle(hourly("0.12345678", reading="exact"), {"billing.debit_rounding": reading}).subtotal == \
            Decimal("0.12345678")


def test_an_unknown_reading_is_refused():
    with pytest.raises(InputError) as e:
        settle([], {"billing.debit_rounding": "monthly"})
    assert parts(e) == ("policies['billing.debit_rounding']", "monthly", "line-8dp-debit-fen | per-bill-fen | exact")


def test_nothing_to_settle():
    for reading in DEBIT_ROUNDING.choices:
        s = settle([], {"billing.debit_rounding": reading})
        assert (s.lines, s.subtotal, s.precision, s.due, s.bills, s.exact) == ((), 0, 0, 0, {}, 0)
        assert all(isinstance(x, Decimal) for x in (s.subtotal, s.precision, s.due, s.exact))


def test_settle_takes_any_iterable_once():
    s = settle(iter(hourly("0.5", "0.25")))
    assert len(s.lines) == 2 and s.due == Decimal("0.75") and isinstance(s.lines, tuple)


# -- by item ---------------------------------------------------------------------------------------
def test_by_item_sums_the_displayed_amounts():
    ls = [line("h0", "calls", "0.123456789"), line("h0", "egress", "1"), line("h1", "calls", "0.000000001")]
    assert settle(ls).by_item() == {"calls": Decimal("0.12345679"), "egress": Decimal("1.00000000")}
    assert settle(ls).exact == Decimal("1.123456790")


def test_statement_fields():
    s = settle(hourly("1"))
    assert s == Statement(tuple(hourly("1")), Decimal("1.00000000"), Decimal("0.00000000"), Decimal("1.00"),
                          "line-8dp-debit-fen", {"h0": Decimal("1.00")})


# -- invariants -------------------------------------------------------------------------------------
amounts = st.lists(st.integers(0, 2_000_000).map(lambda n: Decimal(n) / 10 ** 7), min_size=1, max_size=8)


@settings(max_examples=60)
@given(amounts, st.sampled_from(list(DEBIT_ROUNDING.choices)))
def test_lines_and_precision_add_up_to_the_debit(xs, reading):
    s = settle(hourly(*xs, reading=reading), {"billing.debit_rounding": reading})
    assert s.subtotal + s.precision == s.due
    if reading != "exact":
        assert sum(s.bills.values()) == s.due and s.due == s.due.quantize(Decimal("0.01"))
        assert abs(s.precision) <= Decimal("0.005") * (len(xs) if reading == "per-bill-fen" else 1)
    if reading == "line-8dp-debit-fen":
        assert s.due == BILLED(sum(xs))          # 7 decimals: the lines are exact, rounded once


def test_module_exports():
    assert set(statement.__all__) == {"DEBIT", "DEBIT_ROUNDING", "LINE", "Line", "Statement", "line", "settle"}
