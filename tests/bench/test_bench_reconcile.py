"""Benchmark (``make bench``): reconciling hourly API Gateway lines, vectorised, beside a naive loop.

The default size is quick (200 services × 31 days of hourly lines, about 149,000 lines); set
``RECONCILE_BENCH_RESOURCES`` and ``RECONCILE_BENCH_HOURS`` for the full size (1000 and 8760: a year
of hourly lines for 1,000 resources, about 8.8 million lines). The naive loop — each line parsed and
recomputed with ``Decimal`` through the same tier schedule, one at a time — runs in the same session
on the first ``RECONCILE_BENCH_NAIVE`` lines (default 20,000) of the same file. Each run is measured in
a child process of its own, after its imports: wall time, CPU time (the steadier figure on a shared
machine) and peak memory (the process's maximum resident set, ``VmHWM``).

Under ``make test`` the benchmarks run once as ordinary tests (benchmarking disabled), at a tiny size.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.engine.catalog import load
from pricing.rules import load_all
from pricing.spec.reconcile.generate import write_scale

load_all()
ENABLED = "--benchmark-enable" in sys.argv or os.environ.get("RECONCILE_BENCH_RESOURCES")
RESOURCES = int(os.environ.get("RECONCILE_BENCH_RESOURCES", "200" if ENABLED else "4"))
HOURS = int(os.environ.get("RECONCILE_BENCH_HOURS", "744" if ENABLED else "48"))
NAIVE = int(os.environ.get("RECONCILE_BENCH_NAIVE", "20000" if ENABLED else "300"))

CHILD = r'''
import json, resource, sys, time
from pathlib import Path
from pricing.spec.reconcile.api import reconcile
import pricing.spec.reconcile.fast  # imported before the clock starts, as the naive loop's modules are
from pricing.engine.catalog import load
from pricing.rules import load_all
load_all()
cat = load()

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

t, c = time.perf_counter(), cpu()
if sys.argv[1] == "fast":
    out = reconcile([Path(sys.argv[2])], cat, engine="fast")
    n, ok = out["totals"]["lines"], out["totals"]["differs"] == 0 and out["totals"]["months_differ"] == 0
    checked = out["checked"]
else:
    from tests.bench.test_bench_reconcile import naive
    n, ok = naive(cat, Path(sys.argv[2]), int(sys.argv[3]))
    checked = n
dt, dc = time.perf_counter() - t, cpu() - c
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))  # this program's own peak
print(json.dumps({"lines": n, "seconds": dt, "ok": ok, "checked": checked, "peak_kb": hwm, "cpu_seconds": dc}))
'''


def naive(cat, path: Path, limit: int) -> tuple[int, bool]:
    """The same checks as the vectorised path, one line at a time in Decimal: every amount and quantity
    parsed with ``D()`` ("-" = not available), the Billing API's four relations, the month's tier
    position of the account (billed calls), the tier schedule in force at the line's start, and the
    line's price, quantity, cost and real cost compared at 8 decimals."""
    from datetime import datetime
    from pricing.engine.money import D
    from pricing.spec.reconcile.kinds import per_of
    pos: dict[tuple, Decimal] = {}
    ok, n = True, 0
    e8 = Decimal("1E-8")
    num = ("SinglePrice", "UsedAmount", "RealTotalMeasure", "DeductedMeasure", "TimeSpan", "Cost", "Discount",
           "RealCost", "OriginalCostWithRI", "OriginalCostWithSP", "CashPayAmount", "IncentivePayAmount",
           "VoucherPayAmount", "TransferPayAmount")
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if n >= limit:
                break
            n += 1
            v = {f: None if row[f] in ("-", "") else D(row[f], f) for f in num}
            pays = [v[f] for f in ("CashPayAmount", "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount") if v[f] is not None]
            if v["RealCost"] is not None and pays:
                ok &= sum(pays) == v["RealCost"]
            if row["BusinessCode"] == "billVirtualId":
                continue
            ok &= v["UsedAmount"] == v["RealTotalMeasure"] - v["DeductedMeasure"]
            span = v["TimeSpan"] or Decimal(1)
            ok &= v["Cost"] == (v["SinglePrice"] * v["UsedAmount"] * span / per_of(row["PriceUnit"])).quantize(e8)
            ri, sp = v["OriginalCostWithRI"] or 0, v["OriginalCostWithSP"] or 0
            ok &= v["RealCost"] == ((v["Cost"] - ri - sp) * v["Discount"]).quantize(e8)
            at = datetime.fromisoformat(row["FeeBeginTime"])
            key = (row.get("OwnerUin", "-"), row["FeeBeginTime"][:7])  # apigw.tier.scope = account-wide
            calls = v["UsedAmount"] * 10000  # the billed calls (apigw.tier.position = billed-calls)
            tiers = cat.as_of(at).tiers("apigw.shared.call_tiers")
            before = pos.get(key, Decimal(0))
            charge = tiers.rate(calls, before)
            pos[key] = before + calls
            cost = charge.amount.quantize(e8)
            price = charge.slices[0].price * 10000 / tiers.unit if charge.slices else None
            ok &= cost == v["Cost"] and (price is None or len(charge.slices) > 1 or price == v["SinglePrice"])
            ok &= calls / 10000 == v["UsedAmount"] and ((cost - ri - sp) * v["Discount"]).quantize(e8) == v["RealCost"]
    return n, bool(ok)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "bill.csv"
    info = write_scale(load(), path, RESOURCES, HOURS)
    return path, info


def _child(*args) -> dict:
    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-c", CHILD, *map(str, args)], capture_output=True, text=True, cwd=root,
                       timeout=6 * 3600)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def _rate(lines: int, seconds) -> int:
    """Lines per second (timings are the clock's floats; no money is involved)."""
    return round(lines / seconds)


def test_bench_reconcile_fast_beside_naive(benchmark, big):
    path, info = big
    cat = load()
    from pricing.spec.reconcile.api import reconcile
    out = benchmark.pedantic(reconcile, args=([path], cat), kwargs={"engine": "fast"}, rounds=1, iterations=1)
    assert out["totals"]["lines"] == info["lines"] and out["totals"]["differs"] == 0
    assert out["totals"]["match"] == info["lines"] and all(m["status"] == "match" for m in out["months"])
    assert out["checked"] >= max(1, info["lines"] // 9973) and out["fallbacks"] == 0  # the sampled reference check ran
    fast = _child("fast", path)
    slow = _child("naive", path, NAIVE)
    assert fast["ok"] and slow["ok"] and fast["lines"] == info["lines"]
    fast_rate, slow_rate = _rate(fast["lines"], fast["seconds"]), _rate(slow["lines"], slow["seconds"])
    fast_us, slow_us = fast["cpu_seconds"] * 1e6 / fast["lines"], slow["cpu_seconds"] * 1e6 / slow["lines"]
    figures = {"lines": fast["lines"], "fast_lines_per_s": fast_rate, "fast_cpu_us_per_line": f"{fast_us:.2f}",
               "fast_peak_mb": fast["peak_kb"] // 1024, "fast_lines_checked_by_reference": fast["checked"],
               "naive_lines": slow["lines"], "naive_lines_per_s": slow_rate, "naive_cpu_us_per_line": f"{slow_us:.2f}",
               "naive_peak_mb": slow["peak_kb"] // 1024, "speedup_wall": f"{fast_rate / slow_rate:.1f}",
               "speedup_cpu": f"{slow_us / fast_us:.1f}"}
    benchmark.extra_info.update(figures)
    print("\nreconcile benchmark:", json.dumps(figures))
    assert fast_rate > slow_rate or not ENABLED, figures  # the aim is 20x (docs/RECONCILE.md gives the measured figures)
