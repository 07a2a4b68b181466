"""pricing.engine.policies: renamed policies (an old name and its readings answer under the new
ones), and run_calc translating them before it checks the names."""
from decimal import Decimal

import pytest

from pricing.engine import calcs, catalog, policies as pol
from pricing.engine.calcs import calc, number, run_calc
from pricing.engine.errors import InputError
from pricing.engine.results import Result
from pricing.engine.statement import DEBIT_ROUNDING

CATALOG = '''
[documents.t]
title_zh = "测试"
title_en = "test"
seed = "x.txt"

[sections."t.a"]
doc = "t"
zh = "甲"
en = "a"
revised = "2023-06-01"

[[entry]]
id = "t.price"
section = "t.a"
kind = "price"
value = "0.80"
unit = "CNY"
effective = "origin"
'''


def parts(e):
    return e.value.field, e.value.got, e.value.allowed


def test_the_renamed_rounding_point():
    assert pol.RENAMED == {"apigw.rounding.point": ("billing.debit_rounding",
                                                    {"hourly-bill": "per-bill-fen", "month": "line-8dp-debit-fen"})}
    new, readings = pol.RENAMED["apigw.rounding.point"]
    assert new in pol.POLICIES and set(readings.values()) <= set(pol.POLICIES[new].choices)


@pytest.mark.parametrize("old, new", [("hourly-bill", "per-bill-fen"), ("month", "line-8dp-debit-fen")])
def test_translate_maps_the_old_name_and_reading(old, new):
    given = {"t.first": "a", "apigw.rounding.point": old, "t.last": "b"}
    out = pol.translate(given)
    assert out == {"t.first": "a", "billing.debit_rounding": new, "t.last": "b"}
    assert list(out) == ["t.first", "billing.debit_rounding", "t.last"]
    assert given["apigw.rounding.point"] == old     # the caller's dict is left alone


def test_translate_leaves_other_policies_alone():
    assert pol.translate(None) == {} and pol.translate({}) == {}
    assert pol.translate({"billing.debit_rounding": "exact", "x": "y"}) == {"billing.debit_rounding": "exact", "x": "y"}


def test_an_old_reading_without_a_counterpart_is_refused_naming_the_old_policy():
    with pytest.raises(InputError) as e:
        pol.translate({"apigw.rounding.point": "daily"})
    assert parts(e) == ("policies['apigw.rounding.point']", "daily", "hourly-bill | month (now billing.debit_rounding)")
    with pytest.raises(InputError) as e:
        pol.translate({"apigw.rounding.point": "per-bill-fen"})   # a new reading under the old name
    assert e.value.got == "per-bill-fen"


@pytest.fixture
def registry(monkeypatch, tmp_path):
    monkeypatch.setattr(calcs, "CALCS", {})
    monkeypatch.setattr(pol, "POLICIES", {DEBIT_ROUNDING.name: DEBIT_ROUNDING})
    p = tmp_path / "cat.toml"
    p.write_text(CATALOG, encoding="utf-8")
    return catalog.load(p)


def _fee(view, inputs, policies):
    return Result({"fee": view.dec("t.price") * inputs["gb"], "policies": dict(policies)})


def test_run_calc_answers_an_old_policy_name_under_the_new_one(registry):
    calc("t.fee", "Fee", [number("gb")], policies=[DEBIT_ROUNDING])(_fee)
    res = run_calc("t.fee", registry, {"gb": "2"}, {"apigw.rounding.point": "hourly-bill"}, as_of="2023-01-01")
    assert res["policies"] == {"billing.debit_rounding": "per-bill-fen"} and res["fee"] == Decimal("1.60")
    res = run_calc("t.fee", registry, {"gb": "2"}, {"billing.debit_rounding": "exact"}, as_of="2023-01-01")
    assert res["policies"] == {"billing.debit_rounding": "exact"}
    assert run_calc("t.fee", registry, {"gb": "2"}, None, as_of="2023-01-01")["policies"] == {}
    with pytest.raises(InputError) as e:
        run_calc("t.fee", registry, {"gb": "2"}, {"apigw.rounding.point": "daily"}, as_of="2023-01-01")
    assert e.value.field == "policies['apigw.rounding.point']"
