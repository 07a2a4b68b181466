"""All-or-nothing replacement of the committed notebooks (``pricing refresh``), safe under SIGKILL.

A refresh stages every new file in ``.pricing-refresh/stage/`` beside the notebooks folder (same
file system, never inside a tracked folder), then writes a commit marker, then renames the staged
files over the committed ones. A process killed

- before the marker leaves the notebooks untouched; the next command deletes the stage (roll back);
- after the marker leaves some files renamed; the next command renames the rest (roll forward).

Every command that reads the notebooks (build, refresh, update, check-sync) calls
:func:`recover` first. A lock (``flock``) keeps two refreshes of one folder apart; a lock whose
holder died is free again, because the kernel releases it with the process. The folder (with its
empty lock file) stays between runs and is ignored by git.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from pathlib import Path

from pricing.engine.errors import PricingError

DIRNAME = ".pricing-refresh"


class Busy(PricingError):
    pass


def folder(notebooks_root: Path) -> Path:
    return notebooks_root.resolve().parent / DIRNAME


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Journal:
    """``with Journal(root) as j:`` holds the lock; ``j.stage_path(target)`` names where to write
    the new version of ``target``; ``j.commit()`` replaces every staged target at once."""

    def __init__(self, notebooks_root: Path):
        self.root = notebooks_root.resolve()
        self.dir = folder(self.root)
        self.stage = self.dir / "stage"
        self.marker = self.dir / "COMMIT"
        self._lock = None
        self.targets: dict[Path, Path] = {}

    def __enter__(self) -> "Journal":
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.dir / "lock", "a+")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            self._lock = None
            raise Busy(f"another `pricing refresh` is replacing the notebooks of {self.root} (lock {self.dir / 'lock'}); "
                       "wait for it to finish") from None
        _recover_locked(self.dir)
        self.stage.mkdir(parents=True)
        return self

    def stage_path(self, target: Path) -> Path:
        target = target.resolve()
        try:
            rel = target.relative_to(self.root)
        except ValueError:
            rel = Path("_outside") / target.name
        p = self.stage / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        self.targets[target] = p
        return p

    def commit(self) -> int:
        """Write the marker (the point of no return), then move every staged file into place."""
        for staged in self.targets.values():
            if not staged.exists():
                raise FileNotFoundError(f"staged file missing: {staged}")
            with open(staged, "rb") as fh:
                os.fsync(fh.fileno())
        manifest = [[str(s), str(t)] for t, s in sorted(self.targets.items())]
        tmp = self.dir / "COMMIT.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.marker)
        _fsync_dir(self.dir)
        _roll_forward(self.dir)
        return len(manifest)

    def __exit__(self, *exc) -> None:
        try:
            if not self.marker.exists():
                shutil.rmtree(self.stage, ignore_errors=True)
        finally:
            if self._lock is not None:
                fcntl.flock(self._lock, fcntl.LOCK_UN)
                self._lock.close()
                self._lock = None


def _roll_forward(d: Path) -> None:
    marker = d / "COMMIT"
    manifest = json.loads(marker.read_text(encoding="utf-8"))
    for staged, target in manifest:
        s, t = Path(staged), Path(target)
        if s.exists():
            os.replace(s, t)
    for t in {Path(t).parent for _, t in manifest}:
        _fsync_dir(t)
    marker.unlink()
    _fsync_dir(d)
    shutil.rmtree(d / "stage", ignore_errors=True)


def _recover_locked(d: Path) -> str:
    (d / "COMMIT.tmp").unlink(missing_ok=True)
    if (d / "COMMIT").exists():
        _roll_forward(d)
        return "rolled forward"
    if (d / "stage").exists():
        shutil.rmtree(d / "stage", ignore_errors=True)
        return "rolled back"
    return ""


def recover(notebooks_root: Path) -> str:
    """Finish or undo a refresh that was killed: '' if there was none (or one is running now),
    else 'rolled forward' / 'rolled back'."""
    d = folder(notebooks_root)
    if not d.is_dir():
        return ""
    try:
        fh = open(d / "lock", "a+")
    except OSError:
        return ""
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return ""  # a refresh is running: leave its stage alone
        try:
            done = _recover_locked(d)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    return done
