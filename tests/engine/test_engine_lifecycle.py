"""pricing.engine.lifecycle (active → isolated → released), policies, results and the input readers."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from pricing.engine import policies as pol
from pricing.engine.errors import InputError, RuleError
from pricing.engine.inputs import flag, one_of, whole_number
from pricing.engine.lifecycle import (ACTIVE, DAY_ONE, ISOLATED, RELEASED, STATES, Lifecycle, Milestone, day_start)
from pricing.engine.results import Result, Step, show, tidy

EXPIRY = datetime(2023, 1, 1, 10)
LC = Lifecycle(EXPIRY, datetime(2023, 1, 2), datetime(2023, 1, 16), (datetime(2022, 12, 25), datetime(2022, 12, 31)))


def parts(e):
    return e.value.field, e.value.got, e.value.allowed


# -- day numbers after an expiry -------------------------------------------------------------------
@pytest.mark.parametrize("n, day_one, want", [
    (1, "expiry-date", datetime(2023, 1, 1)), (16, "expiry-date", datetime(2023, 1, 16)), (0, "expiry-date", datetime(2022, 12, 31)),
    (1, "day-after-expiry", datetime(2023, 1, 2)), (0, "day-after-expiry", datetime(2023, 1, 1)),
    (15, "day-after-expiry", datetime(2023, 1, 16)),
])
def test_day_start_under_each_convention(n, day_one, want):
    assert day_start("2023-01-01T10:00:00", n, day_one) == want


def test_day_start_refuses_bad_conventions_and_day_numbers():
    with pytest.raises(InputError) as e:
        day_start(EXPIRY, 1, "day-zero")
    assert parts(e) == ("day_one", "day-zero", "expiry-date or day-after-expiry")
    for n in (-1, "1", 1.0):
        with pytest.raises(InputError) as e:
            day_start(EXPIRY, n, "expiry-date")
        assert parts(e) == ("day number", n, "a whole number >= 0")
    with pytest.raises(InputError) as e:
        day_start("never", 1, "expiry-date")
    assert e.value.field == "expiry"
    assert list(DAY_ONE) == ["expiry-date", "day-after-expiry"]


# -- the machine -----------------------------------------------------------------------------------
@pytest.mark.parametrize("at, state", [
    ("2023-01-01T09:59:59", ACTIVE), ("2023-01-01T10:00:00", ACTIVE), ("2023-01-01T23:59:59", ACTIVE),
    ("2023-01-02T00:00:00", ISOLATED), ("2023-01-15T23:59:59", ISOLATED),
    ("2023-01-16T00:00:00", RELEASED), ("2024-01-01", RELEASED),
])
def test_state_at_each_edge(at, state):
    assert LC.state_at(at) == state


def test_state_at_names_its_input():
    with pytest.raises(InputError) as e:
        LC.state_at("tomorrow")
    assert e.value.field == "at"


def test_isolation_is_the_time_between_suspension_and_release():
    assert LC.isolation == timedelta(days=14)


def test_milestones_in_time_order_with_reminders():
    assert LC.milestones() == [
        Milestone(datetime(2022, 12, 25), "reminder", ACTIVE),
        Milestone(datetime(2022, 12, 31), "reminder", ACTIVE),
        Milestone(EXPIRY, "expiry", ACTIVE),
        Milestone(datetime(2023, 1, 2), "suspended", ISOLATED),
        Milestone(datetime(2023, 1, 16), "released", RELEASED),
    ]


def test_suspension_at_the_expiry_is_one_milestone():
    lc = Lifecycle(EXPIRY, EXPIRY, datetime(2023, 1, 8))
    assert lc.milestones() == [Milestone(EXPIRY, "expiry", ISOLATED), Milestone(datetime(2023, 1, 8), "released", RELEASED)]
    assert lc.state_at(EXPIRY) == ISOLATED
    assert lc.state_at(EXPIRY - timedelta(seconds=1)) == ACTIVE


def test_milestones_at_one_instant_order_by_state():
    lc = Lifecycle(EXPIRY, EXPIRY, datetime(2023, 1, 8), (EXPIRY,))
    ms = lc.milestones()
    assert [(m.event, m.state) for m in ms] == [("reminder", ACTIVE), ("expiry", ISOLATED), ("released", RELEASED)]
    late = Lifecycle(EXPIRY, datetime(2023, 1, 2), datetime(2023, 1, 8), (datetime(2023, 1, 9), datetime(2023, 1, 8)))
    assert [m.event for m in late.milestones()] == ["expiry", "suspended", "reminder", "released", "reminder"]
    assert STATES == ("active", "isolated", "released")


def test_the_instants_must_be_in_order():
    with pytest.raises(InputError) as e:
        Lifecycle(EXPIRY, datetime(2023, 1, 2), datetime(2023, 1, 2))
    assert parts(e) == ("release_at", "2023-01-02 00:00:00", "a moment after suspend_at (2023-01-02 00:00:00)")
    with pytest.raises(InputError) as e:
        Lifecycle(EXPIRY, datetime(2023, 1, 1, 9), datetime(2023, 1, 2))
    assert parts(e) == ("suspend_at", "2023-01-01 09:00:00", "a moment at or after expiry (2023-01-01 10:00:00)")
    Lifecycle(EXPIRY, EXPIRY, EXPIRY + timedelta(seconds=1))


def test_renewal_counts_from_the_old_expiry():
    assert LC.renew("2023-01-10", 1) == datetime(2023, 2, 1, 10)
    assert LC.renew("2022-12-01", 3) == datetime(2023, 4, 1, 10)
    lc = Lifecycle(datetime(2023, 1, 31), datetime(2023, 2, 1), datetime(2023, 2, 16))
    assert lc.renew("2023-02-05", 1) == datetime(2023, 2, 28)
    assert lc.renew("2023-02-05", 1, "roll-forward") == datetime(2023, 3, 1)


def test_renewal_refuses_bad_months_and_a_released_resource():
    for months in (0, -1, "1", 1.0):
        with pytest.raises(InputError) as e:
            LC.renew("2023-01-10", months)
        assert parts(e) == ("months", months, "a whole number of months >= 1")
    with pytest.raises(RuleError) as e:
        LC.renew("2023-01-16T00:00:00", 1)
    assert e.value.field == "renewed_at"
    assert e.value.problem == ("2023-01-16 00:00:00 is at or after the release at 2023-01-16 00:00:00: a released "
                               "resource and its data are gone and cannot be renewed; buy a new one")
    assert LC.renew("2023-01-15T23:59:59", 1) == datetime(2023, 2, 1, 10)
    with pytest.raises(InputError) as e:
        LC.renew("whenever", 1)
    assert e.value.field == "renewed_at"


# -- policies --------------------------------------------------------------------------------------
@pytest.fixture
def table(monkeypatch):
    t: dict = {}
    monkeypatch.setattr(pol, "POLICIES", t)
    return t


def test_a_policy_is_declared_once_with_a_default_among_its_choices(table):
    p = pol.policy("t.p", "Which day?", {"a": "first", "b": "second"}, "b", "reg.1")
    assert p == pol.Policy("t.p", "Which day?", {"a": "first", "b": "second"}, "b", "reg.1")
    assert table == {"t.p": p}
    assert pol.policy("t.q", "?", {"x": ""}, "x").discrepancy == ""
    with pytest.raises(ValueError, match=r"^policy t.p declared twice$"):
        pol.policy("t.p", "again", {"a": ""}, "a")
    with pytest.raises(ValueError, match=r"^policy t.r: default 'c' not among its choices$"):
        pol.policy("t.r", "?", {"a": ""}, "c")
    assert "t.r" not in table


def test_choose_takes_the_callers_reading_or_the_default(table):
    p = pol.policy("t.p", "?", {"a": "", "b": ""}, "b")
    assert pol.choose(None, p) == "b"
    assert pol.choose({}, p) == "b"
    assert pol.choose({"t.p": "a"}, p) == "a"
    assert pol.choose({"other": "z"}, p) == "b"
    with pytest.raises(InputError) as e:
        pol.choose({"t.p": "c"}, p)
    assert parts(e) == ("policies['t.p']", "c", "a | b")


def test_check_known_lists_the_declared_policies(table):
    pol.policy("t.b", "?", {"x": ""}, "x")
    pol.policy("t.a", "?", {"x": ""}, "x")
    pol.check_known(None)
    pol.check_known({})
    pol.check_known({"t.a": "x", "t.b": "x"})
    with pytest.raises(InputError) as e:
        pol.check_known({"t.a": "x", "t.c": "x"})
    assert parts(e) == ("policies", "t.c", "a declared policy name: t.a, t.b")


# -- results ----------------------------------------------------------------------------------------
def test_a_result_records_its_steps_as_text():
    res = Result({"fee": Decimal("45.26")})
    assert res.step("days", 31, "calendar") is res
    res.step("price", Decimal("0.0600"))
    assert res.steps == [Step("days", "31", "calendar"), Step("price", "0.06", "")]
    assert res["fee"] == Decimal("45.26")
    assert res.policies == {} and res.as_of is None and res.catalog_reads == {}


@pytest.mark.parametrize("value, want", [
    (Decimal("15.2560"), "15.256"), (Decimal("30.00"), "30.00"), (Decimal("30.000"), "30.00"), (Decimal("0.125"), "0.125"),
    (Decimal("1E+2"), "100"), (Decimal("2.5"), "2.5"), (Decimal("0.10000"), "0.10"), (Decimal("7.0000001"), "7.0000001"),
    (Decimal("-1.2500"), "-1.25"), (Decimal("0.000"), "0.00"),
    (datetime(2023, 6, 20, 20, 0), "2023-06-20 20:00:00"), (date(2023, 6, 20), "2023-06-20"),
    (True, "yes"), (False, "no"), (3, "3"), ("text", "text"), (None, "None"),
])
def test_show_gives_stable_text(value, want):
    assert show(value) == want


def test_tidy_drops_zeros_past_the_second_decimal_only():
    assert str(tidy(Decimal("15.2560"))) == "15.256"
    assert str(tidy(Decimal("30.000"))) == "30.00"
    assert str(tidy(Decimal("30.0"))) == "30.0"
    assert str(tidy(Decimal("0.100"))) == "0.10"
    assert str(tidy(Decimal("0.125"))) == "0.125"


# -- the input readers ------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, want", [(True, True), (False, False), ("true", True), ("yes", True), ("1", True),
                                       ("false", False), ("no", False), ("0", False)])
def test_flag_reader(raw, want):
    assert flag({"f": raw}, "f") is want


def test_flag_reader_default_and_errors():
    assert flag({}, "f") is False
    assert flag({}, "f", True) is True
    with pytest.raises(InputError) as e:
        flag({"f": "maybe"}, "f")
    assert parts(e) == ("f", "maybe", "true or false")
    with pytest.raises(InputError) as e:
        flag({"f": "TRUE"}, "f")   # the strict reader takes lower case only
    assert parts(e) == ("f", "TRUE", "true or false")


def test_one_of():
    assert one_of("b", "edition", ["a", "b"]) == "b"
    with pytest.raises(InputError) as e:
        one_of("c", "edition", (x for x in ["a", "b"]))
    assert parts(e) == ("edition", "c", "a, b")
    with pytest.raises(InputError) as e:
        one_of(3, "n", [1, 2])
    assert parts(e) == ("n", 3, "1, 2")


@pytest.mark.parametrize("raw, minimum, want", [("3", 0, 3), (0, 0, 0), ("1", 1, 1), (Decimal("12.0"), 1, 12), ("1e1", 0, 10)])
def test_whole_number(raw, minimum, want):
    out = whole_number(raw, "months", minimum)
    assert out == want and type(out) is int


@pytest.mark.parametrize("raw, minimum", [("2.5", 0), ("0", 1), ("1", 2), ("2.5", -5)])
def test_whole_number_refusals(raw, minimum):
    with pytest.raises(InputError) as e:
        whole_number(raw, "months", minimum)
    assert parts(e) == ("months", raw, f"a whole number >= {minimum}")


def test_whole_number_custom_text_and_default_minimum():
    with pytest.raises(InputError) as e:
        whole_number("0.5", "cycles", allowed="a whole number of cycles")
    assert parts(e) == ("cycles", "0.5", "a whole number of cycles")
    assert whole_number("0", "cycles") == 0
    with pytest.raises(InputError) as e:
        whole_number("-1", "cycles")
    assert parts(e) == ("cycles", "-1", "a number >= 0")
