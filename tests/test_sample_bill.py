"""`pricing sample-bill`: a fictional account's export to try `pricing reconcile` on (issue 11)."""
from __future__ import annotations

import json

from click.testing import CliRunner

from pricing.spec.cli import main


def test_sample_bill_reconciles_to_exactly_its_injected_error(tmp_path):
    r = CliRunner().invoke(main, ["sample-bill", str(tmp_path), "--error", "wrong-tier"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [f"2026-10: {tmp_path / 'bill-2026-10.json'}, {tmp_path / 'bill-2026-10.csv'}",
                                     f"account: {tmp_path / 'account.toml'}"]
    run = CliRunner().invoke(main, ["reconcile", str(tmp_path / "bill-2026-10.csv"), "--account",
                                    str(tmp_path / "account.toml"), "--json"])
    assert run.exit_code == 1
    doc = json.loads(run.output)
    differs = [ln for ln in doc["lines"] if ln["status"] == "differs"]
    assert len(differs) == 1 and doc["totals"]["not-covered"] == 1 and doc["totals"]["match"] == doc["totals"]["lines"] - 2
    assert {c["name"] for c in differs[0]["checks"] if not c["ok"]} == {"SinglePrice", "Cost", "RealCost"}


def test_a_clean_sample_bill_matches_everywhere(tmp_path):
    assert CliRunner().invoke(main, ["sample-bill", str(tmp_path)]).exit_code == 0
    run = CliRunner().invoke(main, ["reconcile", str(tmp_path / "bill-2026-10.json"), "--account",
                                    str(tmp_path / "account.toml")])
    assert run.exit_code == 0, run.output
    assert " 0 differ," in run.output.splitlines()[0]


def test_bad_options_are_one_line_exit_2(tmp_path):
    for args, text in ((["--start", "2026-13"], "--start: got '2026-13'; allowed: a month YYYY-MM from 2026-10 on"),
                       (["--start", "2025-01"], "--start: got '2025-01'"),
                       (["--error", "typo"], "--error: got 'typo'; allowed: wrong-tier, missed-free-quota"),
                       (["--months", "0"], "--months")):
        r = CliRunner().invoke(main, ["sample-bill", str(tmp_path / "x"), *args])
        assert r.exit_code == 2 and text in r.output and "Traceback" not in r.output, (args, r.output)
