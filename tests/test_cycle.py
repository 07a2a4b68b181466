"""The CloudBase cycle bill (pricing.rules.cloudbase.cycle): a month billed by one call, figures by hand.

Prices and quotas of the shipped catalog in 2026 (价格文档): personal (个人版) 19.9/month with 20万 calls,
4 GB egress, 3 GB capacity; standard (标准版) 199/month with 800万 calls, 20 GB egress, 100 GB
capacity; overage 0.5 per 万 calls, 0.8 per GB egress, 0.1 per GB per day of capacity; an SMS with no
SMS pack is 2000 calls; the 1千万-call pack costs 400."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from pricing.engine import rating
from pricing.engine.catalog import load
from pricing.engine.errors import InputError, RuleError
from pricing.engine.money import BILLED
from pricing.rules import load_all
from pricing.rules.cloudbase import cycle
from pricing.spec.examples import run_calc

load_all()
CATALOG = load()
CAT = CATALOG.as_of("2026-11-30")

MONTH = dict(
    plan="personal", purchased="2026-03-05T10:00:00", months=1,
    usage=["2026-03-06T09:00:00 calls_wan 150000",     # plan quota: 50,000 left
           "2026-03-07T12:00:00 calls_wan 80000",      # 50,000 quota, 30,000 overage: 1.50
           "2026-03-08T16:00:00 calls_wan 40000",      # the pack bought at 14:00
           "2026-03-10T08:00:00 sms 100",              # no SMS pack: 200,000 calls, from the call pack
           "2026-03-12T09:00:00 egress_gb 3",          # quota 4: 1 left
           "2026-03-13T09:00:00 egress_gb 2.5",        # 1 quota, 1.5 overage: 1.20
           "2026-03-14T20:00:00 capacity_gb 5",        # 2 GB above the personal ceiling of 3
           "2026-03-20T10:00:00 calls_wan 1000000",    # standard quota: 7,800,000 left before
           "2026-03-25T10:00:00 egress_gb 20"],        # standard 20 − 4 used = 16 left: 4 overage, 3.20
    packs=["calls_1000wan 2026-03-08T14:00:00"],
    changes=["2026-03-15T12:00:00 standard"],
)


def month_term(policies=None, **over):
    m = {**MONTH, **over}
    return cycle.term(CAT, m["plan"], m["purchased"], m["months"], m["changes"], m["packs"], True, policies)


def test_a_month_with_a_pack_bought_mid_cycle_and_an_upgrade_billed_by_one_call():
    r = run_calc("cloudbase.cycle.bill", CATALOG, {**MONTH, "months": "1"}, as_of="2026-11-30")
    # overage by day: 03-07 30,000 calls × 0.5 / 10,000 = 1.50; 03-13 1.5 GB × 0.8 = 1.20;
    # 03-14 and 03-15 2 GB × 0.1 = 0.20 each (the upgrade at 12:00 lifts the ceiling to 100 GB; the
    # day's peak was already 2 GB at 00:00); 03-25 4 GB × 0.8 = 3.20
    assert r["total"] == Decimal("1.50") + Decimal("1.20") + Decimal("0.20") * 2 + Decimal("3.20") == Decimal("6.30")
    assert (r["fee_calls_wan"], r["fee_egress_gb"], r["fee_capacity_gb"]) == (Decimal("1.5"), Decimal("4.4"), Decimal("0.4"))
    assert r["precision"] == 0 and r["lines"] == 5 and r["days_billed"] == 5
    # the pack covers in its own unit (calls): 40,000 + 100 SMS × 2000 = 240,000 calls; nothing from
    # 03-20 (the plan quota is drawn first)
    assert r["covered_calls_1000wan#1"] == Decimal(240000)
    # plan quota used, in calls: 200,000 (personal) + 1,000,000 (standard); egress 4 + 16 GB
    assert (r["quota_used_calls_wan"], r["quota_used_egress_gb"]) == (Decimal(1200000), Decimal(20))
    # orders: the plan, the pack, the upgrade fee (199 − 19.9) × 21 days / (365/12) (03-15 → 04-05)
    assert r["orders_total"] == Decimal("19.90") + Decimal("400") + BILLED(Decimal("179.1") * 21 * 12 / 365)
    assert BILLED(Decimal("179.1") * 21 * 12 / 365) == Decimal("123.65")


def test_per_day_rows_and_the_settlement_day():
    b = cycle.cycle_bill(CAT, month_term(), cycle.records(CAT, MONTH["usage"]))
    days = {d.day: d for d in b.days}
    assert days[date(2026, 3, 7)].quota_used == {"calls_wan": Decimal(50000)}
    assert days[date(2026, 3, 7)].overage == {"calls_wan": Decimal(30000)}
    assert days[date(2026, 3, 10)].packs == {"calls_1000wan#1": Decimal(200000)}
    assert days[date(2026, 3, 15)].overage == {"capacity_gb": Decimal(2)}
    assert date(2026, 3, 16) in days and days[date(2026, 3, 16)].fees == {}  # 5 GB under the standard ceiling
    assert [(d.day.isoformat(), d.debit) for d in b.days if d.debit] == [
        ("2026-03-07", Decimal("1.50")), ("2026-03-13", Decimal("1.20")), ("2026-03-14", Decimal("0.20")),
        ("2026-03-15", Decimal("0.20")), ("2026-03-25", Decimal("3.20"))]
    # each day is settled the day after (cloudbase.pricelist.overage.settle_after)
    assert {ln.bill: ln.at for ln in b.statement.lines}["2026-03-07"] == datetime(2026, 3, 8)
    assert b.snapshot.pool("calls_1000wan#1").remaining == Decimal(10000000 - 240000)


def test_the_ledger_conserves_usage():
    b = cycle.cycle_bill(CAT, month_term(), cycle.records(CAT, MONTH["usage"]))
    for h in b.history:
        assert h.ledger.covered + h.ledger.uncovered == h.record.quantity
    sms = [h for h in b.history if h.record.metric == "sms"][0]
    converted = [h for h in b.history if h.record.source.endswith("→sms")][0]
    assert (sms.ledger.uncovered * 2000, converted.record.metric) == (converted.record.quantity, "calls_wan")


def test_a_pack_lapsing_at_14_covers_nothing_at_15():
    pol = {"cloudbase.pricelist.pack_window": "30x24h"}
    t = cycle.term(CAT, "personal", "2026-02-01T00:00:00", 2, [], ["calls_1000wan 2026-02-10T14:00:00",
                                                                   "capacity_100gb 2026-02-10T14:00:00"], True, pol)
    recs = cycle.records(CAT, ["2026-03-02T10:00:00 calls_wan 200000",   # the second cycle's quota
                               "2026-03-12T13:00:00 calls_wan 10000",    # the pack, until 14:00
                               "2026-03-12T15:00:00 calls_wan 10000",    # lapsed: 0.50
                               "2026-02-20T10:00:00 capacity_gb 50"])    # 47 GB above 3, under the 100 GB pack
    b = cycle.cycle_bill(CAT, t, recs, policies=pol)
    by = {(ln.bill, ln.item): ln.amount for ln in b.statement.lines}
    # calls: only the 15:00 record pays; capacity: 47 GB above the ceiling from the lapse at 14:00, each day
    # from 03-12 to 03-31 (the term ends 04-01 00:00)
    assert by == {("2026-03-12", "calls_wan"): Decimal("0.5"),
                  **{(f"2026-03-{d:02d}", "capacity_gb"): Decimal("4.7") for d in range(12, 32)}}
    assert b.statement.due == Decimal("0.50") + Decimal("4.70") * 20  # 03-12 (from 14:00) to 03-31, the term's end


def test_a_cycle_split_into_two_runs_equals_one_run():
    t = month_term()
    recs = cycle.records(CAT, MONTH["usage"])
    whole = cycle.run(CAT, t, cycle.start(t), recs, t.expiry)
    for cut in (datetime(2026, 3, 14, 22), datetime(2026, 3, 15, 12), datetime(2026, 3, 8, 15, 30)):
        a = cycle.run(CAT, t, cycle.start(t), [r for r in recs if r.at < cut], cut)
        b = cycle.run(CAT, t, a.snapshot, [r for r in recs if r.at >= cut], t.expiry)
        assert b.snapshot == whole.snapshot
        one, two = cycle.bill_of(CAT, t, whole), cycle.bill_of(CAT, t, cycle.CycleRun(b.snapshot, a.history + b.history))
        assert two.statement == one.statement and two.days == one.days


def test_a_downgrade_is_refused_while_the_cycle_used_more_than_the_target_allows():
    with pytest.raises(RuleError) as e:
        t = cycle.term(CAT, "standard", "2026-03-05T10:00:00", 1, ["2026-03-20T10:00:00 personal"])
        cycle.cycle_bill(CAT, t, cycle.records(CAT, ["2026-03-06T10:00:00 calls_wan 300000"]))
    assert "calls_wan" in e.value.field
    t = cycle.term(CAT, "standard", "2026-03-05T10:00:00", 1, ["2026-03-20T10:00:00 personal"])
    b = cycle.cycle_bill(CAT, t, cycle.records(CAT, ["2026-03-06T10:00:00 calls_wan 150000",
                                                     "2026-03-21T10:00:00 calls_wan 100000"]))
    # after the downgrade the personal quota (200,000) less the 150,000 used: 50,000 left, 50,000 billed
    assert b.statement.due == Decimal("2.50")
    assert [o.kind for o in b.orders] == ["plan", "downgrade-refund"] and b.orders[1].amount < 0


def test_a_plan_sold_on_request_is_an_order_not_priced_and_says_so():
    # the plan in force with no list price entry (联系我们) is found from the catalog, not named here
    from pricing.rules.cloudbase import lineup
    v = CATALOG.as_of("2026-03-01")
    on_request = [p for p in lineup.plan_ids(v) if not lineup.has_price(v, p)]
    priced = [p for p in lineup.plan_ids(v) if lineup.has_price(v, p)]
    assert on_request and priced
    res = run_calc("cloudbase.cycle.bill", CAT, {"plan": priced[0], "purchased": "2026-03-01T00:00:00",
                                                 "changes": [f"2026-03-10T00:00:00 {on_request[0]}"]})
    price = lineup.plan_price(v, priced[0])
    assert res["orders_total"] == BILLED(price) and res["orders_on_request"] == 1   # the plan; the upgrade not priced
    step = [s for s in res.steps if s.label == f"order: upgrade {priced[0]} → {on_request[0]}"]
    assert len(step) == 1 and step[0].value == "quoted on request" and "not in orders_total" in step[0].note
    res = run_calc("cloudbase.cycle.bill", CAT, {"plan": on_request[0], "purchased": "2026-03-01T00:00:00"})
    assert res["orders_total"] == Decimal("0.00") and res["orders_on_request"] == 1


def test_records_outside_the_term_are_refused():
    t = month_term()
    with pytest.raises(InputError) as e:
        cycle.cycle_bill(CAT, t, cycle.records(CAT, ["2026-04-05T10:00:00 calls_wan 1"]))
    assert e.value.field == "usage.at"
    with pytest.raises(InputError) as e:
        cycle.records(CAT, ["2026-03-06T10:00:00 qps 1"])
    assert e.value.field == "usage[0].metric"
