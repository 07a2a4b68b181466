"""Benchmarks of `pricing build` (``make bench`` only): a full build, a rebuild with nothing
changed, and a rebuild after one price changed in place, in one run on one copy of the
repository, so that the ratios compare like with like. The README's "Speed" section quotes them.

Skipped under ``make test`` (benchmarking disabled there): a full build is the slowest thing the
project does, and it is exercised by tests/test_workflow.py already.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared fixtures
from fixtures.catalog_edit import edit_entry  # noqa: E402
from fixtures.repo import VENV_BIN, env_for, working_copy  # noqa: E402

TIMES: dict[str, float] = {}
PRICE = "apigw.egress.price.group_hk"  # 1.00 in the shipped catalog; each round sets a price not seen before


@pytest.fixture(scope="module")
def repo(request, tmp_path_factory) -> Path:
    cfg = request.config
    if cfg.getoption("benchmark_disable") and not cfg.getoption("benchmark_enable"):
        pytest.skip("build benchmarks run under `make bench` only")
    return working_copy(tmp_path_factory.mktemp("bench") / "repo")


def build(repo: Path) -> tuple[int, int]:
    r = subprocess.run([str(VENV_BIN / "pricing"), "build"], cwd=repo, env=env_for(repo), capture_output=True,
                       text=True, timeout=1800)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    m = re.search(r"(\d+) executed, (\d+) from the cache", r.stdout)
    return int(m.group(1)), int(m.group(2))


def test_bench_full_build(benchmark, repo):
    def empty_cache():
        shutil.rmtree(repo / ".pricing-cache", ignore_errors=True)
    executed, reused = benchmark.pedantic(build, args=(repo,), setup=empty_cache, rounds=1, iterations=1)
    assert reused == 0 and executed > 0
    TIMES["full"] = benchmark.stats.stats.mean


def test_bench_rebuild_nothing_changed(benchmark, repo):
    executed, reused = benchmark.pedantic(build, args=(repo,), rounds=3, iterations=1)
    assert executed == 0 and reused > 0
    TIMES["unchanged"] = benchmark.stats.stats.mean
    if "full" in TIMES:
        benchmark.extra_info["ratio_to_full_build"] = round(TIMES["unchanged"] / TIMES["full"], 3)


def test_bench_rebuild_one_price_changed(benchmark, repo):
    state = {"value": "1.00"}

    def change_one_price():
        new = f"1.{int(state['value'][2:]) + 11:02d}"
        edit_entry(repo / "pricing" / "catalog", PRICE, f'value = "{state["value"]}"', f'value = "{new}"')
        state["value"] = new

    executed, reused = benchmark.pedantic(build, args=(repo,), setup=change_one_price, rounds=2, iterations=1)
    assert 0 < executed < executed + reused
    TIMES["one_price"] = benchmark.stats.stats.mean
    benchmark.extra_info["executed"] = executed
    if "full" in TIMES:
        benchmark.extra_info["ratio_to_full_build"] = round(TIMES["one_price"] / TIMES["full"], 3)
        print(f"\nbuild times: full {TIMES['full']:.1f} s; nothing changed {TIMES.get('unchanged', 0):.1f} s "
              f"({TIMES.get('unchanged', 0) / TIMES['full']:.0%}); one price changed {TIMES['one_price']:.1f} s "
              f"({TIMES['one_price'] / TIMES['full']:.0%}, {executed} of {executed + reused} notebooks executed)")
