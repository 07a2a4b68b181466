"""pricing.engine.tiers: graduated rating with slices, and the validation of a tier table."""
from decimal import Decimal

import pytest

from pricing.engine.errors import InputError
from pricing.engine.money import D
from pricing.engine.tiers import Slice, Tier, TierCharge, TierSchedule, validate_tiers

# three tiers over a cumulative count, prices per 10,000 (the shape of the shared-instance call fee)
CALLS = TierSchedule((Tier(D(100), D("0.06"), "t1"), Tier(D(1000), D("0.04"), "t2"), Tier(None, D("0.03"), "t3")),
                     D(10), "calls")


def test_rate_returns_every_slice_with_its_bounds_price_and_amount():
    c = CALLS.rate("1500")
    assert c == TierCharge(D(1500), D(0), D(10), (
        Slice(0, "t1", D(0), D(100), D(100), D("0.06"), D("0.6")),
        Slice(1, "t2", D(100), D(1000), D(900), D("0.04"), D("3.6")),
        Slice(2, "t3", D(1000), D(1500), D(500), D("0.03"), D("1.5")),
    ))
    assert c.amount == D("5.7")


def test_rate_from_a_position_already_reached():
    c = CALLS.rate("200", already="950")
    assert c.quantity == 200 and c.already == 950 and c.unit == 10
    assert c.slices == (Slice(1, "t2", D(950), D(1000), D(50), D("0.04"), D("0.2")),
                        Slice(2, "t3", D(1000), D(1150), D(150), D("0.03"), D("0.45")))
    assert c.amount == D("0.65")


def test_rate_inside_the_open_ended_tier():
    c = CALLS.rate("10", already="5000")
    assert c.slices == (Slice(2, "t3", D(5000), D(5010), D(10), D("0.03"), D("0.03")),)


def test_rating_nothing_gives_no_slice_and_zero():
    for already in ("0", "100", "5000"):
        c = CALLS.rate("0", already=already)
        assert c.slices == ()
        assert c.amount == 0 and isinstance(c.amount, Decimal)


def test_a_single_open_ended_tier():
    flat = TierSchedule((Tier(None, D("0.8")),))
    c = flat.rate("12.5")
    assert c.slices == (Slice(0, "", D(0), D("12.5"), D("12.5"), D("0.8"), D("10.00")),)
    assert c.unit == 1 and flat.name == "tiers"
    assert flat.breaks() == []


def test_breaks_lists_the_bounded_tiers_only():
    assert CALLS.breaks() == [D(100), D(1000)]


def test_a_tier_table_with_a_zero_price_is_valid_and_rates_to_zero():
    free_first = TierSchedule((Tier(D(100), D(0), "free"), Tier(None, D("0.5"), "paid")), D(1), "f")
    c = free_first.rate("150")
    assert [(s.label, s.quantity, s.amount) for s in c.slices] == [("free", 100, 0), ("paid", 50, 25)]
    assert c.amount == 25
    all_free = TierSchedule((Tier(None, D(0)),))
    assert all_free.rate("7").amount == 0


def test_quantities_are_decimal_and_refuse_bad_input_by_name():
    assert CALLS.rate(Decimal("0.5")).amount == D("0.003")
    with pytest.raises(InputError) as e:
        CALLS.rate("-1")
    assert (e.value.field, e.value.got, e.value.allowed) == ("quantity", "-1", "a number >= 0")
    with pytest.raises(InputError) as e:
        CALLS.rate("1", already="-1")
    assert (e.value.field, e.value.got, e.value.allowed) == ("already", "-1", "a number >= 0")
    with pytest.raises(TypeError):
        CALLS.rate(1.5)


# -- validation: each problem names the table, the tier and what is allowed -----------------------
def err(tiers, name="tbl"):
    with pytest.raises(InputError) as e:
        TierSchedule(tuple(tiers), D(1), name)
    return e.value.field, e.value.got, e.value.allowed


def test_an_empty_table():
    assert err([]) == ("tbl", [], "at least one tier")


def test_the_default_table_name_is_tiers():
    with pytest.raises(InputError) as e:
        validate_tiers(())
    assert e.value.field == "tiers"
    with pytest.raises(InputError) as e:
        TierSchedule(())
    assert e.value.field == "tiers"


@pytest.mark.parametrize("tiers, got", [
    ([Tier(D(10), D(1))], "0 open-ended tiers"),
    ([Tier(None, D(1)), Tier(None, D(2))], "2 open-ended tiers"),
])
def test_exactly_one_open_ended_tier(tiers, got):
    assert err(tiers) == ("tbl", got, "exactly one tier without up_to")


def test_the_open_ended_tier_is_last():
    assert err([Tier(D(5), D(1)), Tier(None, D(1)), Tier(D(10), D(1))]) == \
        ("tbl", "open-ended tier at position 1", "the open-ended tier last")


@pytest.mark.parametrize("bound", ["0", "-1"])
def test_bounds_are_positive(bound):
    assert err([Tier(D(bound), D(1)), Tier(None, D(1))]) == ("tbl[0].up_to", bound, "a bound > 0")


def test_a_bound_of_one_is_positive():
    TierSchedule((Tier(D(1), D(1)), Tier(None, D(1))))
    TierSchedule((Tier(D("0.5"), D(1)), Tier(None, D(1))))


@pytest.mark.parametrize("second", ["10", "9"])
def test_bounds_are_sorted_and_unique(second):
    assert err([Tier(D(10), D(1)), Tier(D(second), D(1)), Tier(None, D(1))]) == \
        ("tbl[1].up_to", second, "a bound greater than the previous one (10): sorted and unique")


def test_the_third_bound_is_compared_with_the_second():
    # 5 < 20 but > 10: compared with its own predecessor (20), not with the first bound
    assert err([Tier(D(10), D(1)), Tier(D(20), D(1)), Tier(D(15), D(1)), Tier(None, D(1))]) == \
        ("tbl[2].up_to", "15", "a bound greater than the previous one (20): sorted and unique")


def test_negative_prices_are_refused_per_tier():
    assert err([Tier(D(10), D(1)), Tier(None, D("-0.01"))]) == ("tbl[1].price", "-0.01", "a price >= 0")
    assert err([Tier(D(10), D("-2")), Tier(None, D(1))]) == ("tbl[0].price", "-2", "a price >= 0")


def test_prices_below_one_are_fine():
    TierSchedule((Tier(D(10), D("0.5")), Tier(None, D("0.99"))))
