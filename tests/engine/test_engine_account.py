"""pricing.engine.account: a balance run through bills and top-ups, the arrears states that follow
from it, what a top-up restores, and the account as a Result.

A toy arrears rule: suspended 24 hours after the balance goes below zero, released 7 days after
that; its timeline is returned latest first, so the engine's own ordering is tested too.
"""
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from pricing.engine import account
from pricing.engine.account import (ACTIVE, ARREARS, RELEASED, SUSPENDED, AccountRun, ArrearsRule, Event, Milestone,
                                    Posting, ask, event, money_events, result, run, topup_effect)
from pricing.engine.errors import InputError
from pricing.engine.results import Result

T0 = datetime(2023, 5, 10)
H = timedelta(hours=1)
S = timedelta(seconds=1)


def h(n, seconds=0):
    return T0 + n * H + seconds * S


def parts(e):
    return e.value.field, e.value.got, e.value.allowed


def rule(restore="clears-debt", renewal=None, name="test rule"):
    def timeline(t):
        return [Milestone(t + 24 * H + timedelta(days=7), RELEASED, "released", "resources destroyed"),
                Milestone(t + 24 * H, SUSPENDED, "suspended", "grace over")]
    return ArrearsRule(name, timeline, restore, renewal)


def bill(n, amount="1.00", ref=None):
    return event(h(n), "bill", amount, ref if ref is not None else f"b{n}")


def topup(n, amount, ref=None, seconds=0):
    return event(h(n, seconds), "topup", amount, ref if ref is not None else f"t{n}")


def rows(r: AccountRun):
    return [(p.at, p.kind, p.amount, p.balance, p.state, p.ref) for p in r.postings]


D = Decimal


# -- events and the rule ----------------------------------------------------------------------------
def test_event_parses_its_instant_and_amount():
    assert event("2023-05-09T16:00:00Z", "topup", "10", "t") == Event(T0, "topup", D(10), "t")
    assert event(T0, "bill", 0) == Event(T0, "bill", D(0), "")
    assert event(T0, "refund", "1.5").kind == "refund"


def test_event_errors_name_the_field():
    with pytest.raises(InputError) as e:
        event(T0, "debit", "1")
    assert parts(e) == ("kind", "debit", "topup | refund | bill")
    with pytest.raises(InputError) as e:
        event("later", "bill", "1")
    assert e.value.field == "at" and e.value.got == "later"
    with pytest.raises(InputError) as e:
        event(T0, "bill", "-1")
    assert parts(e) == ("bill amount", "-1", "a number >= 0")
    with pytest.raises(InputError) as e:
        event(T0, "topup", "-0.01")
    assert parts(e) == ("topup amount", "-0.01", "a number >= 0")


def test_the_rule_knows_two_ways_to_restore():
    r = ArrearsRule("r", lambda t: [])
    assert (r.restore, r.renewal) == ("clears-debt", None)
    assert ArrearsRule("r", lambda t: [], "any-topup").restore == "any-topup"
    with pytest.raises(InputError) as e:
        ArrearsRule("r", lambda t: [], "some-topup")
    assert parts(e) == ("restore", "some-topup", "clears-debt | any-topup")


def test_module_constants():
    assert account.STATES == (ACTIVE, ARREARS, SUSPENDED, RELEASED) == ("active", "arrears", "suspended", "released")
    assert account.KINDS == {"topup": 0, "refund": 1, "bill": 2}
    assert set(account.__all__) == {"ACTIVE", "ARREARS", "SUSPENDED", "RELEASED", "AccountRun", "ArrearsRule", "Event",
                                    "Milestone", "Posting", "ask", "event", "money_events", "result", "run",
                                    "topup_effect"}


# -- a balance into arrears, the grace, suspension and release ---------------------------------------
SCENARIO = [bill(0), bill(1), bill(2), bill(3), bill(26), bill(27), bill(194), topup(200, "10.00")]


def test_the_balance_runs_into_arrears_then_suspension_then_release():
    r = run("2.00", SCENARIO, rule(), until=h(200))
    assert rows(r) == [
        (h(0), "bill", D("-1.00"), D("1.00"), ACTIVE, "b0"),
        (h(1), "bill", D("-1.00"), D("0.00"), ACTIVE, "b1"),          # exactly zero is not arrears
        (h(2), "bill", D("-1.00"), D("-1.00"), ACTIVE, "b2"),
        (h(2), "arrears", 0, D("-1.00"), ARREARS, "b2"),
        (h(3), "bill", D("-1.00"), D("-2.00"), ARREARS, "b3"),         # a second bill in arrears starts nothing new
        (h(26), "bill", D("-1.00"), D("-3.00"), ARREARS, "b26"),       # settled at the suspension instant: charged
        (h(26), "suspended", 0, D("-3.00"), SUSPENDED, ""),
        (h(27), "not-served", 0, D("-3.00"), SUSPENDED, "b27"),
        (h(194), "not-served", 0, D("-3.00"), SUSPENDED, "b194"),      # at the release instant: still suspended
        (h(194), "released", 0, D("-3.00"), RELEASED, ""),
        (h(200), "topup", D("10.00"), D("7.00"), RELEASED, "t200"),    # credited; restores nothing
    ]
    assert [p.note for p in r.postings if p.note] == [
        "balance below zero (欠费)", "grace over",
        "service suspended: the usage of this bill was not served, so it is not charged",
        "service suspended: the usage of this bill was not served, so it is not charged", "resources destroyed"]
    assert (r.opening, r.balance, r.state) == (D("2.00"), D("7.00"), RELEASED)
    assert (r.charged, r.not_served) == (D("5.00"), D("2.00"))
    assert r.arrears == (h(2),) and r.restored == ()
    assert r.milestones == (Milestone(h(26), SUSPENDED, "suspended", "grace over"),
                            Milestone(h(194), RELEASED, "released", "resources destroyed"))


def test_a_bill_after_release_is_not_served_either():
    r = run("0", [bill(0), bill(300, "4")], rule())
    assert rows(r)[-2:] == [(h(192), "released", 0, D("-1.00"), RELEASED, ""),
                            (h(300), "not-served", 0, D("-1.00"), RELEASED, "b300")]
    assert r.postings[-1].note == "service released: the usage of this bill was not served, so it is not charged"
    assert r.not_served == 4 and r.charged == D("1.00")


def test_state_and_balance_at_each_instant():
    r = run("2.00", SCENARIO, rule(), until=h(200))
    assert r.state_at(T0 - S) == ACTIVE and r.balance_at(T0 - S) == D("2.00")
    assert r.state_at(h(0)) == ACTIVE and r.balance_at(h(0)) == D("1.00")      # a posting counts at its instant
    assert r.balance_at(h(1, 1800)) == 0
    assert r.state_at(h(2)) == ARREARS and r.balance_at(h(2)) == D("-1.00")
    assert r.state_at(h(26) - S) == ARREARS and r.balance_at(h(26) - S) == D("-2.00")
    assert r.state_at(h(26)) == SUSPENDED and r.balance_at(h(26)) == D("-3.00")
    assert r.state_at(h(194) - S) == SUSPENDED and r.state_at(h(194)) == RELEASED
    assert r.state_at("2023-06-01") == RELEASED and r.balance_at("2023-06-01") == D("7.00")
    with pytest.raises(InputError) as e:
        r.state_at("soon")
    assert e.value.field == "at"
    with pytest.raises(InputError) as e:
        r.balance_at("soon")
    assert e.value.field == "at"


def test_first_instants_of_postings_and_states():
    r = run("2.00", SCENARIO, rule(), until=h(200))
    assert r.at("bill") == h(0) and r.at("arrears") == h(2) and r.at("suspended") == h(26)
    assert r.at("not-served") == h(27) and r.at("topup") == h(200)
    assert r.at("restored") is None
    assert r.entered(ARREARS) == h(2)            # not the later bills posted in arrears
    assert r.entered(SUSPENDED) == h(26) and r.entered(RELEASED) == h(194)
    assert r.entered(ACTIVE) is None             # it started active: it never entered it


def test_what_the_bills_took_in_each_state():
    r = run("2.00", SCENARIO, rule(), until=h(200))
    assert isinstance(r.charged_in(SUSPENDED), Decimal) and isinstance(run("1", [], rule()).charged_in(ACTIVE), Decimal)
    assert r.charged_in(ACTIVE) == D("3.00")
    assert r.charged_in(ARREARS) == D("2.00")      # the grace bills
    assert r.charged_in(SUSPENDED) == 0 and r.charged_in(RELEASED) == 0


# -- until: which milestones take effect ------------------------------------------------------------
def test_milestones_take_effect_up_to_until_inclusive():
    evs = [bill(0, "5")]
    assert run("0", evs, rule()).state == ARREARS                    # default: up to the last event
    assert run("0", evs, rule(), until=h(24) - S).state == ARREARS
    assert run("0", evs, rule(), until=h(24)).state == SUSPENDED
    assert run("0", evs, rule(), until="2023-05-11T00:00:00").milestones[0].at == h(24)
    assert run("0", evs, rule(), until=h(192)).state == RELEASED
    with pytest.raises(InputError) as e:
        run("0", evs, rule(), until="never")
    assert e.value.field == "until"


def test_without_until_a_milestone_at_the_last_events_instant_takes_effect():
    r = run("0", [bill(0, "5"), bill(24, "1")], rule())
    assert [p.kind for p in r.postings] == ["bill", "arrears", "bill", "suspended"]
    assert r.state == SUSPENDED and r.charged == 6


def test_no_events():
    r = run("3.5", [], rule())
    assert (r.opening, r.balance, r.state, r.postings, r.charged, r.not_served) == (D("3.5"), D("3.5"), ACTIVE, (), 0, 0)
    assert run("3.5", [], rule(), until=h(1000)).postings == ()
    assert r.state_at(T0) == ACTIVE and r.balance_at(T0) == D("3.5") and r.entered(ACTIVE) is None


def test_the_opening_balance_is_named():
    with pytest.raises(InputError) as e:
        run("lots", [], rule())
    assert e.value.field == "opening" and e.value.got == "lots"


def test_a_negative_opening_goes_into_arrears_at_the_first_bill():
    r = run("-1", [topup(0, "0.5"), bill(1, "0")], rule())
    assert rows(r) == [(h(0), "topup", D("0.5"), D("-0.5"), ACTIVE, "t0"),
                       (h(1), "bill", D(0), D("-0.5"), ACTIVE, "b1"), (h(1), "arrears", 0, D("-0.5"), ARREARS, "b1")]


# -- top-ups: what restores ------------------------------------------------------------------------
def test_a_topup_that_exactly_clears_the_debt_restores():
    r = run("0", [bill(0, "5.00"), topup(1, "4.99"), topup(2, "0.01")], rule(), until=h(300))
    assert rows(r) == [
        (h(0), "bill", D("-5.00"), D("-5.00"), ACTIVE, "b0"),
        (h(0), "arrears", 0, D("-5.00"), ARREARS, "b0"),
        (h(1), "topup", D("4.99"), D("-0.01"), ARREARS, "t1"),         # a fen short: still in arrears
        (h(2), "topup", D("0.01"), D("0.00"), ARREARS, "t2"),
        (h(2), "restored", 0, D("0.00"), ACTIVE, "t2"),
    ]
    assert r.postings[-1].note == "restored by the top-up (test rule)"
    assert r.restored == (h(2),) and r.state == ACTIVE and r.milestones == ()   # the grace timeline is cancelled
    assert r.entered(ACTIVE) == h(2)


def test_a_refund_restores_like_a_topup():
    r = run("0", [bill(0, "5"), event(h(1), "refund", "5", "r1")], rule(), until=h(300))
    assert rows(r)[-2:] == [(h(1), "refund", D(5), D(0), ARREARS, "r1"), (h(1), "restored", 0, D(0), ACTIVE, "r1")]


def test_a_topup_while_suspended_restores_once_the_debt_is_cleared():
    r = run("0", [bill(0, "5"), topup(30, "4"), topup(31, "1")], rule(), until=h(300))
    assert [(p.at, p.kind, p.state) for p in r.postings][2:] == [
        (h(24), "suspended", SUSPENDED), (h(30), "topup", SUSPENDED), (h(31), "topup", SUSPENDED),
        (h(31), "restored", ACTIVE)]
    assert r.state == ACTIVE and r.restored == (h(31),) and r.entered(ACTIVE) == h(31)


def test_any_topup_restores_with_a_debt_left_and_the_next_bill_starts_a_new_grace():
    r = run("0", [bill(0, "5"), topup(1, "1"), bill(2, "1")], rule("any-topup"), until=h(100))
    assert rows(r) == [
        (h(0), "bill", D(-5), D(-5), ACTIVE, "b0"),
        (h(0), "arrears", 0, D(-5), ARREARS, "b0"),
        (h(1), "topup", D(1), D(-4), ARREARS, "t1"),
        (h(1), "restored", 0, D(-4), ACTIVE, "t1"),
        (h(2), "bill", D(-1), D(-5), ACTIVE, "b2"),
        (h(2), "arrears", 0, D(-5), ARREARS, "b2"),
        (h(26), "suspended", 0, D(-5), SUSPENDED, ""),               # 24 h after the second arrears, not the first
    ]
    assert r.arrears == (h(0), h(2)) and r.restored == (h(1),)
    assert r.postings[3].note == "restored by the top-up (test rule)"


def test_a_topup_while_active_restores_nothing():
    for how in ("clears-debt", "any-topup"):
        r = run("5", [topup(0, "1"), bill(1, "2")], rule(how))
        assert [p.kind for p in r.postings] == ["topup", "bill"] and r.restored == ()


def test_a_topup_at_the_suspension_instant_comes_first():
    r = run("0", [bill(0, "5"), topup(24, "5")], rule(), until=h(300))
    assert [p.kind for p in r.postings] == ["bill", "arrears", "topup", "restored"]
    assert r.state == ACTIVE and r.entered(SUSPENDED) is None
    late = run("0", [bill(0, "5"), topup(24, "5", seconds=1)], rule(), until=h(300))
    assert [p.kind for p in late.postings] == ["bill", "arrears", "suspended", "topup", "restored"]


def test_a_topup_after_release_is_credited_and_restores_nothing():
    r = run("0", [bill(0, "5"), topup(192, "100", seconds=1)], rule("any-topup"), until=h(300))
    assert r.state == RELEASED and r.balance == 95 and r.restored == ()
    assert r.postings[-1] == Posting(h(192, 1), "topup", D(100), D(95), RELEASED, "t192")


# -- a renewal order that restores a suspension ---------------------------------------------------
def renewal(t):
    return D("19.90"), f"a month's renewal ordered {t:%Y-%m-%d %H:%M}"


def test_a_suspension_restored_only_by_a_topup_that_covers_the_renewal():
    evs = [bill(0, "10"), topup(30, "10"), topup(31, "19.89"), topup(32, "0.01")]
    r = run("0", evs, rule(renewal=renewal), until=h(300))
    assert rows(r)[3:] == [
        (h(30), "topup", D(10), D(0), SUSPENDED, "t30"),                # the debt is cleared; the renewal is not covered
        (h(31), "topup", D("19.89"), D("19.89"), SUSPENDED, "t31"),
        (h(32), "topup", D("0.01"), D("19.90"), SUSPENDED, "t32"),
        (h(32), "renewal", D("-19.90"), D("0.00"), SUSPENDED, "t32"),   # exactly covered
        (h(32), "restored", 0, D("0.00"), ACTIVE, "t32"),
    ]
    assert r.postings[-2].note == "a month's renewal ordered 2023-05-11 08:00"
    assert r.charged == D("29.90") and r.restored == (h(32),) and r.state == ACTIVE
    assert r.charged_in(ACTIVE) == D(10)   # a renewal is not a bill


def test_any_topup_with_a_renewal_needs_the_renewal_covered():
    r = run("0", [bill(0, "10"), topup(30, "5"), topup(31, "30")], rule("any-topup", renewal), until=h(300))
    assert [(p.kind, p.balance) for p in r.postings[3:]] == [
        ("topup", D(-5)), ("topup", D(25)), ("renewal", D("5.10")), ("restored", D("5.10"))]


def test_a_renewal_is_not_asked_for_during_the_grace():
    r = run("0", [bill(0, "10"), topup(1, "10")], rule(renewal=renewal), until=h(300))
    assert [p.kind for p in r.postings] == ["bill", "arrears", "topup", "restored"]
    assert r.balance == 0 and r.charged == 10


# -- the order of events at one instant -------------------------------------------------------------
def test_a_topup_at_the_instant_of_a_bill_is_counted_first():
    r = run("0", [bill(0, "1"), topup(0, "1")], rule())
    assert [p.kind for p in r.postings] == ["topup", "bill"] and r.arrears == ()


def test_a_refund_at_the_instant_of_a_bill_is_counted_first_and_after_a_topup():
    r = run("0", [bill(0, "2"), event(h(0), "refund", "1", "r"), topup(0, "1")], rule())
    assert [p.kind for p in r.postings] == ["topup", "refund", "bill"] and r.arrears == ()


def test_same_instant_and_kind_by_ref_then_amount():
    r = run("10", [bill(0, "1", "b"), bill(0, "3", "a"), bill(0, "2", "a")], rule())
    assert [(p.ref, p.amount) for p in r.postings] == [("a", D(-2)), ("a", D(-3)), ("b", D(-1))]


# -- topup_effect and money_events -----------------------------------------------------------------
def test_topup_effect_runs_the_account_without_and_with_one_more_topup():
    before, after = topup_effect("0", [bill(0, "5")], rule(), h(30), "5", until=h(40))
    assert before.state == SUSPENDED and before.balance == -5
    assert after.state == ACTIVE and after.restored == (h(30),)
    assert after.postings[-2] == Posting(h(30), "topup", D(5), D(0), SUSPENDED, "top-up asked about")
    b2, a2 = topup_effect("0", iter([bill(0, "5")]), rule(), h(30), "5")   # until: the last event (the top-up)
    assert b2.state == ARREARS and a2.state == ACTIVE
    # a top-up that restores nothing: both runs go on to until
    b3, a3 = topup_effect("0", [bill(0, "5")], rule(), h(1), "1", until=h(40))
    assert (b3.state, a3.state, a3.balance) == (SUSPENDED, SUSPENDED, D(-4))


def test_money_events_from_text_and_tables():
    evs = money_events(["2023-05-10T01:00:00 5", {"at": "2023-05-10T02:00:00", "amount": "2.5"}], "topups", "topup")
    assert evs == [Event(h(1), "topup", D(5), "topups[0]"), Event(h(2), "topup", D("2.5"), "topups[1]")]
    assert money_events(None, "topups", "topup") == [] and money_events([], "refunds", "refund") == []
    assert money_events(["2023-05-10 1"], "refunds", "refund") == [Event(T0, "refund", D(1), "refunds[0]")]


@pytest.mark.parametrize("raw, field, got", [
    (["2023-05-10T01:00:00"], "topups[0]", "2023-05-10T01:00:00"),
    (["2023-05-10T01:00:00 5", "a b c"], "topups[1]", "a b c"),
])
def test_money_events_refuse_an_item_that_is_not_an_instant_and_an_amount(raw, field, got):
    with pytest.raises(InputError) as e:
        money_events(raw, "topups", "topup")
    assert parts(e) == (field, got, "'<at> <amount>', e.g. '2023-05-10T09:00:00 50'")


def test_money_events_name_the_bad_instant_or_amount():
    with pytest.raises(InputError) as e:
        money_events(["2023-05-10T01:00:00 5", "tomorrow 5"], "topups", "topup")
    assert e.value.field == "topups[1].at" and e.value.got == "tomorrow"
    with pytest.raises(InputError) as e:
        money_events([{"at": "2023-05-10", "amount": "-5"}], "refunds", "refund")
    assert parts(e) == ("refunds[0].amount", "-5", "a number >= 0")
    with pytest.raises(InputError) as e:
        money_events([{"amount": "5"}], "refunds", "refund")
    assert e.value.field == "refunds[0].at"


# -- the account as a Result ------------------------------------------------------------------------
def test_result_shows_every_posting_and_the_outputs():
    r = run("1.00", [bill(0, "3.00"), topup(1, "2.00")], rule(), until=h(2))
    res = result(r, {"t.policy": "x"})
    assert res.policies == {"t.policy": "x"}
    assert [(s.label, s.value, s.note) for s in res.steps] == [
        ("2023-05-10 00:00:00 bill", "-3.00", "balance -2.00; active; b0"),
        ("2023-05-10 00:00:00 arrears", "arrears", "balance -2.00; arrears; b0; balance below zero (欠费)"),
        ("2023-05-10 01:00:00 topup", "2.00", "balance 0.00; arrears; t1"),
        ("2023-05-10 01:00:00 restored", "active", "balance 0.00; active; t1; restored by the top-up (test rule)"),
    ]
    assert res.outputs == {"balance": D("0.00"), "state": ACTIVE, "charged": D("3.00"), "not_served": 0,
                           "negative_at": h(0), "grace_charged": 0, "suspended_at": "never",
                           "released_at": "never", "restored_at": h(1)}


def test_result_of_an_account_that_was_suspended_and_released():
    r = run("2.00", SCENARIO, rule(), until=h(200))
    res = result(r, {})
    assert res.outputs == {"balance": D("7.00"), "state": RELEASED, "charged": D("5.00"), "not_served": D("2.00"),
                           "negative_at": h(2), "grace_charged": D("2.00"), "suspended_at": h(26),
                           "released_at": h(194), "restored_at": "never"}
    assert res.steps[6].note == "balance -3.00; suspended; grace over"      # a milestone has no ref
    assert res.policies == {}


def test_result_of_an_account_that_never_went_negative():
    res = result(run("5", [bill(0, "1")], rule()), {})
    assert (res["negative_at"], res["suspended_at"], res["released_at"], res["restored_at"]) == ("never",) * 4
    assert res.steps[0].note == "balance 4; active; b0"


# -- ask: what one more top-up at an instant restores ---------------------------------------------
EVS = [bill(0), bill(1), bill(2), bill(3)]   # from 2.00: arrears at 02:00 (-1.00), -2.00 from 03:00


@pytest.mark.parametrize("at, amount, restore, outcome, state, debt", [
    (h(1), None, "clears-debt", "not-in-arrears", ACTIVE, D("0.00")),
    (h(5), None, "clears-debt", "no-suspension", ARREARS, D("2.00")),
    (h(5), "1.99", "clears-debt", "still-in-arrears", ARREARS, D("2.00")),
    (h(5), "1", "any-topup", "no-suspension", ARREARS, D("2.00")),
    (h(26), None, "clears-debt", "restored", SUSPENDED, D("2.00")),          # the suspension instant
    (h(30), "1.99", "clears-debt", "still-suspended", SUSPENDED, D("2.00")),
    (h(30), "0.01", "any-topup", "restored", SUSPENDED, D("2.00")),
    (h(194) - S, None, "clears-debt", "restored", SUSPENDED, D("2.00")),     # the last second before release
    (h(194), "100", "clears-debt", "too-late", RELEASED, D("2.00")),
])
def test_ask_what_a_topup_restores(at, amount, restore, outcome, state, debt):
    res = Result({})
    ask(res, "2.00", EVS, rule(restore), at, amount)
    assert (res["outcome"], res["state_at_topup"], res["debt_at_topup"]) == (outcome, state, debt)
    amt = debt if amount is None else D(amount)
    assert [(s.label, s.value, s.note) for s in res.steps] == [
        (f"if a top-up of {amt} were made at {at:%Y-%m-%d %H:%M:%S}", outcome,
         f"state then: {state}; debt then: {debt}; asked, not one of the run's top-ups (restored_at is theirs)")]


def test_ask_in_credit_owes_nothing():
    res = Result({})
    ask(res, "10", EVS, rule(), h(5))
    assert (res["outcome"], res["debt_at_topup"]) == ("not-in-arrears", 0)
    assert res.steps[0].label == "if a top-up of 0 were made at 2023-05-10 05:00:00"


def test_ask_with_until_before_the_topup_still_runs_the_milestones_up_to_it():
    res = Result({})
    ask(res, "2.00", EVS, rule(), h(30), "1", until=h(10))
    assert (res["outcome"], res["state_at_topup"]) == ("still-suspended", SUSPENDED)
    res = Result({})
    ask(res, "2.00", EVS, rule(), h(5), None, until=h(300))
    assert (res["outcome"], res["state_at_topup"]) == ("no-suspension", ARREARS)
    res = Result({})
    ask(res, "2.00", EVS, rule(), h(5), "1", until=h(300))
    assert (res["outcome"], res["state_at_topup"]) == ("still-in-arrears", ARREARS)


def test_ask_names_a_bad_until():
    with pytest.raises(InputError) as e:
        ask(Result({}), "2.00", EVS, rule(), h(5), None, until="whenever")
    assert e.value.field == "until" and e.value.got == "whenever"


def test_ask_refuses_a_negative_topup_naming_it():
    with pytest.raises(InputError) as e:
        ask(Result({}), "2.00", EVS, rule(), h(5), "-1")
    assert parts(e) == ("topup", "-1", "a number >= 0")


def test_ask_takes_the_events_once_as_any_iterable():
    res = Result({})
    ask(res, "2.00", iter(EVS), rule(), h(26))
    assert res["outcome"] == "restored"


def test_shown_until_is_the_asked_top_up_only_when_later_than_every_event():
    evs = [account.event("2023-05-10T09:30:00", "bill", "5"), account.event("2023-05-11T09:30:00", "bill", "5")]
    assert account.shown_until(None, evs, "2023-05-12T10:00:00") == datetime(2023, 5, 12, 10)   # later: shown then
    assert account.shown_until(None, evs, "2023-05-11T09:30:00") == datetime(2023, 5, 11, 9, 30)  # at the last event
    assert account.shown_until(None, evs, "2023-05-10T12:00:00") is None            # earlier: the last event
    assert account.shown_until("2023-05-20T00:00:00", evs, "2023-05-12T10:00:00") == "2023-05-20T00:00:00"  # given
    assert account.shown_until(None, evs, None) is None
    assert account.shown_until(None, [], "2023-05-12T10:00:00") == datetime(2023, 5, 12, 10)
    with pytest.raises(InputError) as e:
        account.shown_until(None, evs, "2023-05-32")
    assert e.value.field == "topup_at"
