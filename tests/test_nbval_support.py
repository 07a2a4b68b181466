"""The nbval plugin restarts a kernel that does not answer at start-up, and only that."""
import pytest
from nbval import kernel as nbk

from pricing.spec import nbval_support


def test_kernel_start_is_retried_then_gives_up(monkeypatch):
    calls = []

    def flaky(startup_timeout=60, kernel_name="python", **kw):
        calls.append(startup_timeout)
        if len(calls) < 3:
            raise RuntimeError("Kernel didn't respond")
        return "km", "kc"

    monkeypatch.setattr(nbk, "start_new_kernel", flaky)
    nbval_support._patch_kernel_start()
    assert nbk.start_new_kernel(startup_timeout=60) == ("km", "kc")
    assert calls == [30, 30, 30]

    calls.clear()
    monkeypatch.setattr(nbk, "start_new_kernel", lambda **kw: (_ for _ in ()).throw(RuntimeError("dead")))
    nbval_support._patch_kernel_start()
    with pytest.raises(RuntimeError, match="dead"):
        nbk.start_new_kernel()
