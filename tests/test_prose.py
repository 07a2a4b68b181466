"""Prose is our own: no passage of the copyrighted guides is repeated word for word.

Uses the team's checker, ../shared/copycheck.py, which CI has beside the clone."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT.parent / "shared" / "copycheck.py"


@pytest.mark.skipif(not CHECKER.exists(), reason="shared/copycheck.py is not beside this checkout")
def test_no_sentence_copied_from_the_guides():
    r = subprocess.run([sys.executable, str(CHECKER), "notebooks", "pricing", "spec_examples", "README.md", "docs"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, "copied from the guides:\n" + r.stdout
