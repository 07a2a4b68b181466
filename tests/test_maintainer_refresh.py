"""`pricing refresh` is safe: all or nothing even when killed, no process left behind, never writes
another catalog or as-of date into tracked notebooks, names the failing cell.

Each test works on a small git repository in a temporary folder: a few notebooks (sources and
committed .ipynb) and a copy of the catalog beside them, so that `git status` can judge."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from fixtures.catalog_edit import copy_catalog
from fixtures.repo import git
from pricing.engine.catalog import load
from pricing.spec import cache, journal, nbtools

NOTEBOOKS = ("apigw/03_shared", "cloudbase/03_service_guide", "cloudbase/04_expert")


def pricing(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command, with its cache of executed notebooks beside the test's files."""
    env = {**os.environ, "PRICING_CACHE": str(cwd.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "pricing.spec.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600, env=env)


def small_repo(root: Path, names=NOTEBOOKS) -> Path:
    """notebooks/<some> + pricing/catalog in a fresh git repository (committed)."""
    for n in names:
        for suffix in (".py", ".ipynb"):
            dest = root / "notebooks" / f"{n}{suffix}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(nbtools.NOTEBOOKS / f"{n}{suffix}", dest)
    copy_catalog(root / "pricing" / "catalog")
    (root / ".gitignore").write_text(".pricing-refresh/\n.pricing-cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "notebooks")
    return root


def kernels_of(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [p for p in proc.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
    except psutil.Error:
        return []


def test_a_refresh_killed_mid_run_leaves_the_notebooks_clean_and_no_process_behind(tmp_path):
    repo = small_repo(tmp_path / "repo")
    env = {**os.environ, "PRICING_CACHE": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "pricing.spec.cli", "refresh", "--notebooks", "notebooks", "-j", "2",
                             "--no-cache"], cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    parent = psutil.Process(proc.pid)
    stage = journal.folder(repo / "notebooks") / "stage"
    deadline = time.monotonic() + 240
    # mid-run: kernels are executing and at least one notebook has been staged, not all
    while time.monotonic() < deadline and proc.poll() is None:
        staged = [p for p in stage.rglob("*.ipynb")] if stage.exists() else []
        if kernels_of(parent) and staged:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the refresh finished before it could be killed"
    family = parent.children(recursive=True)
    assert any("ipykernel" in " ".join(p.cmdline()) for p in family)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    gone, alive = psutil.wait_procs(family, timeout=30)
    assert not alive, [" ".join(p.cmdline())[:120] for p in alive]
    assert git(repo, "status", "--porcelain", "--", "notebooks") == ""
    assert not [p for p in (repo / "notebooks").rglob("*") if p.suffix not in (".py", ".ipynb") and p.is_file()]
    # the next command rolls the half-done refresh back
    r = pricing("check-sync", "--notebooks", "notebooks", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert f"{len(NOTEBOOKS)} notebooks match their sources" in r.stdout
    assert not stage.exists()


def test_refresh_refuses_another_catalog_or_date_for_tracked_notebooks(tmp_path):
    repo = small_repo(tmp_path / "repo", NOTEBOOKS[:1])
    other = copy_catalog(tmp_path / "other")
    for args in (["--catalog", str(other)], ["--as-of", "2024-01-01"]):
        r = pricing("refresh", "--notebooks", "notebooks", *args, cwd=repo)
        assert r.returncode == 2, r.stdout + r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
        assert "pricing build " + " ".join(args) in lines[0] and "tracked" in lines[0]
        assert git(repo, "status", "--porcelain") == ""
    r = pricing("update", "--notebooks", "notebooks", "--catalog", str(other), cwd=repo)
    assert r.returncode == 2 and "pricing build --catalog" in r.stderr


def test_an_untracked_copy_takes_another_catalog_and_a_plain_refresh_restores_it(tmp_path):
    root = tmp_path / "copy"
    for suffix in (".py", ".ipynb"):
        dest = root / "notebooks" / f"{NOTEBOOKS[1]}{suffix}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(nbtools.NOTEBOOKS / f"{NOTEBOOKS[1]}{suffix}", dest)
    copy_catalog(root / "pricing" / "catalog")
    other = copy_catalog(tmp_path / "other")
    env_cwd = root
    r = pricing("refresh", "--notebooks", "notebooks", "--catalog", str(other), "--as-of", "2024-01-01", cwd=env_cwd)
    assert r.returncode == 0, r.stderr
    assert "wrote the parameters cell of 1 source" in r.stdout
    py = root / "notebooks" / f"{NOTEBOOKS[1]}.py"
    rel = os.path.relpath(other, py.parent)
    assert f'catalog = "{rel}"\nas_of = "2024-01-01 00:00:00"' in py.read_text(encoding="utf-8")
    bad = pricing("check-sync", "--notebooks", "notebooks", cwd=env_cwd)
    assert bad.returncode == 1
    assert "parameters cell is not the shipped one" in bad.stderr and "1 of 1 notebook differ" in bad.stderr
    # a plain build never silently uses it: it writes its own parameters into the executed copy
    r = pricing("build", "--notebooks", "notebooks", "--out", "out", "--only", str(py), cwd=env_cwd)
    built = nbformat.read(root / "out" / "notebooks" / f"{NOTEBOOKS[1]}.ipynb", as_version=4)
    assert "built 1/1 notebook" in r.stdout, r.stdout + r.stderr
    lit = cache.parameters(nbtools.parameters_cell(built).source)
    assert cache.resolve_catalog(lit["catalog"], py.parent) == load().path   # the shipped catalog, not X
    assert lit["as_of"] == json.dumps(str(load().latest_change()))          # its latest change, not 2024-01-01
    # and a plain refresh restores the shipped parameters cell
    r = pricing("refresh", "--notebooks", "notebooks", cwd=env_cwd)
    assert r.returncode == 0 and "restored the shipped parameters cell of 1 source" in r.stdout, r.stdout + r.stderr
    assert nbtools.SHIPPED_PARAMETERS in py.read_text(encoding="utf-8")
    good = pricing("check-sync", "--notebooks", "notebooks", cwd=env_cwd)
    assert good.returncode == 0 and "1 notebook matches its source" in good.stdout


def test_refresh_is_atomic_and_names_the_failing_cell(tmp_path):
    repo = small_repo(tmp_path / "repo", NOTEBOOKS[:1])
    nbs = repo / "notebooks" / "apigw"
    good = nbs / "03_shared.py"
    broken = good.read_text(encoding="utf-8").replace('spec.example("apigw.shared.egress-8")\n',
                                                      'spec.example("apigw.shared.egress-8")\n1 / 0\n', 1)
    assert "1 / 0" in broken
    (nbs / "99_broken.py").write_text(broken, encoding="utf-8")
    (nbs / "99_broken.ipynb").write_text("sentinel", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in nbs.iterdir()}
    r = pricing("refresh", "--notebooks", "notebooks", "-j", "2", cwd=repo)
    assert r.returncode == 1
    line = next(i for i, l in enumerate(broken.splitlines(), 1) if l.startswith("# %%") and 'apigw.shared.egress-8"' in l)
    cell = sum(1 for l in broken.splitlines()[:line] if l.startswith("# %%"))
    assert f"FAILED apigw/99_broken.py: cell {cell} of " in r.stderr, r.stderr
    assert f"(99_broken.py line {line}) [apigw.shared.egress-8]: ZeroDivisionError" in r.stderr, r.stderr
    assert "1 of 2 notebooks failed; no notebook was overwritten" in r.stderr
    assert {p.name: p.read_bytes() for p in nbs.iterdir()} == before  # sources and notebooks untouched
    assert not (journal.folder(repo / "notebooks") / "stage").exists()
