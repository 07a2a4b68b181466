"""The Billing API's published example responses (reduced, tests/fixtures/bills/README.md): lines of
products the guides do not price come out "not covered" — never an error — with the API's relations
holding on them, "-" read as not available and a negative (refund) line read as it is."""
from __future__ import annotations

from pathlib import Path

import pytest

from pricing.spec.reconcile.api import reconcile

BILLS = Path(__file__).parent / "fixtures" / "bills"
RELATIONS = {"UsedAmount = RealTotalMeasure − DeductedMeasure", "Cost = SinglePrice × UsedAmount × TimeSpan",
             "RealCost = (Cost − OriginalCostWithRI − OriginalCostWithSP) × Discount",
             "Cash + Incentive + Voucher + Transfer = RealCost"}


@pytest.mark.parametrize("name,checked,real_cost", [
    ("describe_bill_detail_cvm_refund.json", {"Cost = SinglePrice × UsedAmount × TimeSpan",
                                              "RealCost = (Cost − OriginalCostWithRI − OriginalCostWithSP) × Discount",
                                              "Cash + Incentive + Voucher + Transfer = RealCost"}, "-80.89000000"),
    ("describe_bill_detail_nat_hourly.json", {"Cost = SinglePrice × UsedAmount × TimeSpan",
                                              "RealCost = (Cost − OriginalCostWithRI − OriginalCostWithSP) × Discount",
                                              "Cash + Incentive + Voucher + Transfer = RealCost"}, "0.34020250"),
    ("describe_bill_resource_summary_cwp.json", {"RealCost = (Cost − OriginalCostWithRI − OriginalCostWithSP) × Discount",
                                                 "Cash + Incentive + Voucher + Transfer = RealCost"}, "17.10000000"),
])
@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_published_lines_are_not_covered_and_consistent(name, checked, real_cost, engine):
    out = reconcile([BILLS / name], None, engine=engine, collect=True)
    assert out["totals"]["lines"] == 1 and out["totals"]["not-covered"] == 1 and out["totals"]["differs"] == 0
    r = out["lines"][0]
    assert r["status"] == "not-covered" and r["rule"] == "" and r["billed"]["RealCost"] == real_cost
    oks = {c["name"]: c["ok"] for c in r["checks"]}
    assert {k for k, v in oks.items() if v is True} == checked  # "-" fields: the relation is not checked, never 0
    assert set(oks) <= RELATIONS and r["steps"][-1]["label"] == "not covered"
