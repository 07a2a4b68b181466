"""Benchmarks (``make bench``): the hourly billing engine over a month, and example checking.

Under ``make test`` they run once each as ordinary tests (benchmarking disabled), so they also
assert their figures.
"""
from datetime import datetime, timedelta
from decimal import Decimal

from pricing.engine import catalog
from pricing.spec import examples as ex
from pricing.rules.apigw.billing import bill, usage
from pricing.rules.apigw.free_quota import free_pools

CATALOG = catalog.load()
CAT = CATALOG.as_of(CATALOG.latest_change())  # the prices in force now (every guide example is also checked at its own date in test_examples)


def test_bench_month_of_hourly_bills(benchmark):
    start = datetime(2021, 3, 1)
    recs = []
    for h in range(31 * 24):
        recs.append(usage(start + timedelta(hours=h), "guangzhou", "calls", "20000"))
        recs.append(usage(start + timedelta(hours=h), "hongkong", "egress_gb", "0.01"))
    pools = free_pools(CAT, "2021-01-01T00:00:00")
    r = benchmark(bill, CAT, recs, pools)
    # 14,880,000 calls. Free grants every 30 days from 2021-01-01: the one from 01-31 covers 03-01 (480,000 calls,
    # 0.24 GB), the one from 03-02 another 1,000,000 calls and 1 GB. The tier counts billed calls (apigw.tier.position):
    # 10,000,000 on tier 1 (60.00) and 3,400,000 on tier 2 (13.60). Egress 7.44 GB in Hong Kong: 1.24 GB free, 6.20 at 1.00.
    assert r["hours"] == 744
    assert (r["call_fee"], r["egress_fee"], r["total"]) == (Decimal("73.60"), Decimal("6.20"), Decimal("79.80"))


def test_bench_all_examples(benchmark):
    exs = ex.examples()
    runs = benchmark(lambda: [ex.run_example(e, CAT) for e in exs])
    assert all(r.status in ("match", "known") for r in runs)
