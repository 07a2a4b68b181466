"""Beyond one machine: the reconciliation partitioned by (resource, month of use) on a local
dask.distributed cluster gives, line for line, the single-process run's results."""
from __future__ import annotations

import logging

import pytest

from pricing.engine.catalog import load
from pricing.rules import load_all
from pricing.spec.reconcile import generate as gen
from pricing.spec.reconcile.api import reconcile
from pricing.spec.reconcile.partitioned import reconcile_dask

load_all()


@pytest.fixture(scope="module")
def bill(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask-bill")
    cat = load()
    b = gen.generate(cat, errors=("missed-free-quota", "pack-outside-window", "rounding-slip", "missed-plan-quota"),
                     days=(1, 2, 9, 10, 11, 19, 20, 30))
    files = gen.write(b, root)
    csv = files["2026-10"][1]
    # as an export may have them: empty lines, and a start written with an offset (the same instant)
    text = csv.read_text(encoding="utf-8").split("\n")
    i = next(i for i, t in enumerate(text) if ",2026-10-02 03:00:00,2026-10-02 03:59:59," in t)
    text[i] = text[i].replace(",2026-10-02 03:00:00,", ",2026-10-01T19:00:00+00:00,", 1)
    for at in (400, 200, 3):
        text.insert(at, "")
    csv.write_text("\n".join(text), encoding="utf-8")
    return cat, csv, root / "account.toml", b


def test_partitioned_run_equals_the_single_process_run(bill):
    from distributed import Client, LocalCluster
    cat, csv, account, b = bill
    one = reconcile([csv], cat, account, collect=True, chunk_lines=150)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster, \
            Client(cluster):
        two = reconcile_dask([csv], cat, account, blocksize=40_000, npartitions=3)
    assert two["lines"] == one["lines"]
    assert two["months"] == one["months"] and two["totals"] == one["totals"]
    assert one["totals"]["differs"] == len(b.injected) == 4 and one["months"][0]["status"] == "match"
    assert len({r["resource"] for r in two["lines"]}) == 5  # several (resource, month) partitions
    # the places are the file's lines: the empty ones are counted, not listed
    text = csv.read_text(encoding="utf-8").split("\n")
    empty = [n for n, t in enumerate(text, 1) if not t and n < len(text)]
    assert len(empty) == 3 and [r["source"] for r in two["lines"]] == \
        [f"{csv.name}:line {n}" for n, t in enumerate(text, 1) if n > 1 and t]
    moved = next(r for r in two["lines"] if r["start"] == "2026-10-01T19:00:00+00:00")
    assert moved["status"] == "match" and moved["use_month"] == "2026-10"
