"""`pricing calc`: anyone's own case, priced from the command line through the same entry point as
the notebooks and the worked examples."""
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from pricing.engine import calcs
from pricing.rules import load_all
from pricing.spec.cli import main

load_all()


def run(*args):
    r = CliRunner().invoke(main, ["calc", *args])
    return r.exit_code, r.output, r.stderr if hasattr(r, "stderr") else ""


def test_call_fee_of_100000001_calls_has_three_slices():
    code, out, _ = run("apigw.shared.call_fee", "calls=100000001", "--json")
    assert code == 0
    d = json.loads(out)
    assert d["outputs"]["fee"] == "420.00" and d["outputs"]["unrounded"] == "420.000003"
    slices = [s for s in d["steps"] if s["label"].startswith("call fee:")]
    assert [s["value"] for s in slices] == ["60.00", "360.00", "0.000003"]
    assert d["catalog"] == [{"id": "apigw.shared.call_tiers", "effective": ["origin"]}]
    assert {"name": "apigw.tier.position", "reading": "billed-calls", "default": "billed-calls",
            "is_default": True} in d["policies"]


def test_text_output_gives_derivation_outputs_readings_and_versions():
    code, out, _ = run("apigw.shared.call_fee", "calls=15000000")
    assert code == 0
    assert "derivation:" in out and "outputs:" in out and "readings used:" in out and "catalog versions read:" in out
    assert "fee        80.00" in out  # 60 + 5,000,000 × 0.04 / 10,000


def test_moment_input_dates_the_catalog_and_converts_offsets():
    code, out, _ = run("apigw.shared.egress_hour", "hour=2023-01-01T07:00:00+00:00", "egress_gb=10", "--json")
    d = json.loads(out)
    assert code == 0 and d["as_of"] == "2023-01-01T15:00:00"  # 07:00 UTC is 15:00 in Beijing
    assert d["outputs"]["fee"] == "8.00" and d["outputs"]["settled_at"] == "2023-01-01T16:00:00"


def test_policy_choice_changes_the_reading():
    args = ("apigw.shared.month_example", "calls=500万", "response_kb=3", "request_kb=1", "--json")
    exact = json.loads(run(*args)[1])
    printed = json.loads(run(*args, "--policy", "apigw.example.gb_rounding=as-printed")[1])
    assert printed["outputs"]["traffic_unrounded"] == "15.2560" and Decimal(exact["outputs"]["traffic_unrounded"]) == Decimal("15.2587890625")
    assert {p["name"]: p["is_default"] for p in printed["policies"]}["apigw.example.gb_rounding"] is False
    assert printed["outputs"]["total"] == exact["outputs"]["total"] == "45.26"


def test_scenario_files_in_toml_and_json(tmp_path):
    t = tmp_path / "case.toml"
    t.write_text('as_of = "2024-05-01"\n[inputs]\ncalls = "15000000"\n', encoding="utf-8")
    j = tmp_path / "case.json"
    j.write_text(json.dumps({"inputs": {"calls": "15000000"}, "policies": {"apigw.tier.position": "billed-calls"}}),
                 encoding="utf-8")
    a = json.loads(run("apigw.shared.call_fee", "--file", str(t), "--json")[1])
    b = json.loads(run("apigw.shared.call_fee", "--file", str(j), "--json")[1])
    assert a["as_of"] == "2024-05-01T00:00:00" and a["outputs"]["fee"] == b["outputs"]["fee"] == "80.00"
    # a float in a scenario file is refused: numbers are text
    f = tmp_path / "float.toml"
    f.write_text("calls = 1.5\n", encoding="utf-8")
    code, out, _ = run("apigw.shared.call_fee", "--file", str(f))
    assert code == 2 and "calls" in out and "float" in out.lower() or "string" in out


def test_command_line_inputs_override_the_file(tmp_path):
    t = tmp_path / "case.toml"
    t.write_text('calls = "15000000"\n', encoding="utf-8")
    d = json.loads(run("apigw.shared.call_fee", "--file", str(t), "calls=10000000", "--json")[1])
    assert d["outputs"]["fee"] == "60.00"


@pytest.mark.parametrize("args, field, allowed", [
    (("apigw.shared.call_fee", "calls=0,06"), "calls", "comma"),
    (("apigw.shared.call_fee", "calls=1e999"), "calls", "a count such as"),
    (("apigw.shared.call_fee", "calls=-5"), "calls", "a count such as"),
    (("apigw.shared.egress_hour", "hour=2023-01-01", "egress_gb=1e999"), "egress_gb", "below 1E+15"),
    (("apigw.shared.egress_hour", "hour=2023-01-01", "egress_gb=nan"), "egress_gb", "finite"),
    (("apigw.shared.egress_hour", "hour=2023-01-01", "egress_gb=-inf"), "egress_gb", "finite"),
    (("apigw.shared.egress_hour", "hour=2023-01-01", "egress_gb=1.0000000000000000000000000001"), "egress_gb",
     "28 significant digits"),
    (("apigw.shared.call_fee", "calls=12345678901234567890123456789"), "calls", "below"),
    (("apigw.shared.call_fee", "calls=1", "colour=red"), "colour", "an input of apigw.shared.call_fee"),
    (("apigw.shared.call_fee", "calls"), "input", "NAME=VALUE"),
    (("apigw.shared.egress_hour", "egress_gb=1"), "hour", "required"),
    (("apigw.shared.egress_hour", "hour=9999-01-01", "egress_gb=1"), "hour", "a moment from 2000-01-01"),
    (("apigw.shared.egress_hour", "hour=yesterday", "egress_gb=1"), "hour", "ISO date"),
    (("apigw.shared.egress_hour", "hour=2023-01-01", "egress_gb=1", "region=mars"), "region", "guangzhou"),
    (("apigw.shared.call_fee", "calls=1", "--policy", "apigw.tier.position=most"), "apigw.tier.position", "all-calls"),
    (("apigw.shared.call_fee", "calls=1", "--policy", "apigw.example.gb_rounding=exact"), "--policy",
     "apigw.tier.position"),
    (("apigw.shared.call_fe", "calls=1"), "calculation", "apigw.shared.call_fee"),
    (("apigw.shared.call_fee", "calls=1", "--as-of", "soon"), "as_of", "ISO date"),
])
def test_bad_input_is_one_line_naming_field_value_and_allowed(args, field, allowed):
    code, out, _ = run(*args)
    assert code == 2, out
    lines = [l for l in out.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), out
    assert field in lines[0] and allowed in lines[0], out
    assert "Traceback" not in out


def test_list_shows_every_calculation_with_its_inputs_and_policies():
    code, out, _ = run("--list", "--json")
    assert code == 0
    items = {c["id"]: c for c in json.loads(out)}
    assert set(items) == set(calcs.CALCS)
    fee = items["apigw.shared.call_fee"]
    assert [i["name"] for i in fee["inputs"]] == ["calls", "already", "free_before"]
    assert fee["inputs"][0] == {"name": "calls", "type": "count", "unit": "calls", "required": False, "default": "0",
                                "allowed": fee["inputs"][0]["allowed"], "help": fee["inputs"][0]["help"]}
    assert fee["policies"] == [{"name": "apigw.tier.position", "default": "billed-calls",
                                "choices": ["all-calls", "billed-calls"]},
                               {"name": "apigw.tier.kind", "default": "graduated", "choices": ["graduated", "volume"]}]
    egress = items["apigw.shared.egress_hour"]
    assert egress["moment"] == "hour"
    region = next(i for i in egress["inputs"] if i["name"] == "region")
    assert "hongkong" in region["allowed"] and "virginia" in region["allowed"]  # read from the catalog
    text = run("--list")[1]
    assert "apigw.shared.call_fee — " in text and "policy apigw.tier.position" in text


def test_help_everywhere():
    r = CliRunner().invoke(main, ["calc", "--help"])
    assert r.exit_code == 0 and "pricing calc --list" in r.output


# the shipped cases (README "Price your own case") -------------------------------------------------

def test_cloudbase_month_case_bills_quota_pack_upgrade_and_overage():
    code, out, _ = run("cloudbase.cycle.bill", "--file", "cases/cloudbase_month.toml", "--json")
    assert code == 0, out
    o = json.loads(out)["outputs"]
    # 78,500,000 calls: the plan quota after the upgrade (5000万) and the 1千万 pack cover 60,000,000;
    # 18,500,000 = 1850 万 beyond, at 0.5 CNY per 万 on 2026-04-02
    assert (o["quota_used_calls_wan"], o["covered_calls_1000wan#1"], o["days_billed"]) == ("50000000", "10000000", 1)
    assert o["total"] == "925.00"
    # orders: 199 (standard, 1 month) + 400 (the pack) + (999 − 199) × 12 / (365 / 12) = 315.62 (12 started days left)
    assert o["orders_total"] == "914.62"


def test_apigw_account_case_runs_into_arrears_and_answers_the_topup():
    code, out, _ = run("apigw.arrears.account", "--file", "cases/apigw_account.toml", "--json")
    assert code == 0, out
    o = json.loads(out)["outputs"]
    # hourly bills at 0.06 CNY per 万 calls: 12.00, 18.00, 15.00 on 05-10, then 3.00 in the grace day
    assert (o["charged"], o["balance"], o["negative_at"], o["grace_charged"]) == (
        "48.00", "-18.00", "2023-05-10T11:30:00", "3.00")
    assert (o["state"], o["suspended_at"]) == ("suspended", "2023-05-11T11:30:01")   # shown at the top-up asked about
    assert (o["state_at_topup"], o["debt_at_topup"], o["outcome"]) == ("suspended", "18.00", "restored")
    assert o["restore_deadline"] == "2023-05-18T11:30:00"
