"""A pytest plugin for running nbval over the spec's notebooks (loaded by the root conftest and by
the workflow test's nbval run with ``-p pricing.nbval_support``).

- Cells are named after their example tag: ``Cell 9 [apigw.shared.fee-45.26]``, not only "Cell 9".
- The slowest test files run first (``SLOW_FIRST``), so that under ``-n 2 --dist loadfile`` the
  maintainer-workflow chain starts at once and the rest of the suite fills the other worker,
  instead of the chain starting last and running alone.
- A kernel that never answers at start-up is restarted (up to three starts, 30 s each). Kernels
  started side by side (two xdist workers, plus the workflow test's build, refresh and nbval) now
  and then die at start-up when two of them race for the same ZMQ port (papermill issue #511);
  without the retry every cell of that notebook errors after 60 s. Cell outputs are still compared
  exactly; only the start is retried.
"""
from __future__ import annotations

import logging

STARTS = 3
START_TIMEOUT = 30
SLOW_FIRST = ("test_workflow.py", "test_maintainer_refresh.py", "test_browser.py")


def _patch_kernel_start() -> None:
    try:
        from nbval import kernel as nbk
    except ImportError:  # nbval not installed: nothing to patch
        return
    if getattr(nbk.start_new_kernel, "_pricing_retry", False):
        return
    original = nbk.start_new_kernel

    def start_new_kernel(startup_timeout=60, kernel_name="python", **kwargs):
        for attempt in range(1, STARTS + 1):
            try:
                return original(startup_timeout=min(startup_timeout, START_TIMEOUT), kernel_name=kernel_name, **kwargs)
            except RuntimeError:
                if attempt == STARTS:
                    raise
                logging.getLogger(__name__).warning("kernel did not start (attempt %d of %d); starting a new one",
                                                    attempt, STARTS)

    start_new_kernel._pricing_retry = True
    nbk.start_new_kernel = start_new_kernel


def pytest_configure(config):
    _patch_kernel_start()


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda it: rank.get(it.path.name, len(rank)))  # stable: order within a file is kept
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is None:
            continue
        tags = [t for t in cell.metadata.get("tags", []) if t != "parameters" and not t.startswith("nbval")]
        if tags:
            item.name = f"{item.name} [{', '.join(tags)}]"
            item._id = item.parent.id.child(item.name)
