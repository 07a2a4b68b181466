"""pricing.engine.calcs: declared inputs and how they parse, the registry, and run_calc's dating.

The registry and the policy table are module-level dicts that the rules fill on import; each test
here works on empty ones (monkeypatched), so it neither sees nor disturbs the rules' entries.
"""
from datetime import date, datetime
from decimal import Decimal

import pytest

from pricing.engine import calcs, catalog, policies as pol
from pricing.engine.calcs import (REQUIRED, TYPES, Calc, Input, calc, catalog_column, choice, count, day, flag, get,
                                  items, money, moment, number, policies_of, run_calc, table, text, whole)
from pricing.engine.errors import InputError
from pricing.engine.money import D
from pricing.engine.results import Result

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

[[entry]]
id = "t.price"
section = "t.a"
kind = "price"
value = "0.60"
unit = "CNY"
effective = "2023-03-01"

[[entry]]
id = "t.regions"
section = "t.a"
kind = "table"
effective = "origin"
rows = [ { region = "guangzhou" }, { region = "hongkong" } ]

[[entry]]
id = "t.regions"
section = "t.a"
kind = "table"
effective = "2023-03-01"
rows = [ { region = "guangzhou" }, { region = "hongkong" }, { region = "beijing" } ]
'''


@pytest.fixture
def cat(tmp_path):
    p = tmp_path / "cat.toml"
    p.write_text(CATALOG, encoding="utf-8")
    return catalog.load(p)


@pytest.fixture
def registry(monkeypatch):
    reg: dict = {}
    monkeypatch.setattr(calcs, "CALCS", reg)
    monkeypatch.setattr(pol, "POLICIES", {})
    return reg


def parts(e):
    return e.value.field, e.value.got, e.value.allowed


# -- declared inputs --------------------------------------------------------------------------------
def test_constructors_declare_type_unit_default_and_bounds():
    assert count("calls") == Input("calls", "count", "", REQUIRED, "", (), None, None)
    assert count("calls", "calls", "0", "h", 1, 9) == Input("calls", "count", "calls", "0", "h", (), 1, 9)
    assert number("gb", "GB", "1", "h", 0, 5) == Input("gb", "number", "GB", "1", "h", (), 0, 5)
    assert number("gb") == Input("gb", "number", "", REQUIRED, "", (), None, None)
    assert money("fee") == Input("fee", "money", "CNY", REQUIRED, "", (), None, None)
    assert money("fee", "1", "h", 0, 9) == Input("fee", "money", "CNY", "1", "h", (), 0, 9)
    assert whole("months") == Input("months", "whole", "", REQUIRED, "", (), 0, None)
    assert whole("months", "mo", "1", "h", 1, 12) == Input("months", "whole", "mo", "1", "h", (), 1, 12)
    assert moment("at") == Input("at", "moment", "Beijing time", REQUIRED, "")
    assert moment("at", "2023-01-01", "h") == Input("at", "moment", "Beijing time", "2023-01-01", "h")
    assert day("on") == Input("on", "date", "", REQUIRED, "")
    assert day("on", "2023-01-01", "h") == Input("on", "date", "", "2023-01-01", "h")
    assert flag("yes") == Input("yes", "flag", "", False, "")
    assert flag("yes", True, "h") == Input("yes", "flag", "", True, "h")
    assert choice("c", ["a", "b"]) == Input("c", "choice", "", REQUIRED, "", ("a", "b"))
    assert choice("c", ["a", "b"], "a", "h") == Input("c", "choice", "", "a", "h", ("a", "b"))
    assert text("t") == Input("t", "text", "", REQUIRED, "")
    assert text("t", "x", "h") == Input("t", "text", "", "x", "h")
    assert items("l") == Input("l", "list", "", REQUIRED, "")
    assert items("l", "GB", "[]", "h") == Input("l", "list", "GB", "[]", "h")
    assert table("d") == Input("d", "table", "", REQUIRED, "")
    assert table("d", "GB", "{}", "h") == Input("d", "table", "GB", "{}", "h")


def test_a_choice_from_the_catalog_keeps_its_callable():
    regions = catalog_column("t.regions", "region")
    assert choice("region", regions).choices is regions
    assert regions.__qualname__ == "catalog_column('t.regions', 'region')"


def test_an_unknown_input_type_is_refused():
    with pytest.raises(ValueError, match=r"^input x: type 'float' is not one of count, number, money, whole, moment, "
                                         r"date, flag, choice, text, list, table$"):
        Input("x", "float")


def test_required():
    assert count("a").required and not count("a", default="1").required
    assert not flag("f").required


@pytest.mark.parametrize("inp, raw, want", [
    (count("calls"), "500万", Decimal(5_000_000)), (count("calls"), 12, Decimal(12)),
    (number("gb"), "1.50", Decimal("1.50")), (money("fee"), "45.26", Decimal("45.26")),
    (whole("n"), "3", 3), (whole("n"), "3.0", 3), (whole("n"), Decimal("4"), 4),
    (moment("at"), "2023-01-01T07:00:00", datetime(2023, 1, 1, 7)), (moment("at"), "2023-01-01T00:00:00Z", datetime(2023, 1, 1, 8)),
    (day("on"), "2023-01-01", date(2023, 1, 1)), (day("on"), "2023-01-01T23:00:00", date(2023, 1, 1)),
    (flag("f"), True, True), (flag("f"), False, False), (flag("f"), " Yes ", True), (flag("f"), "TRUE", True),
    (flag("f"), "1", True), (flag("f"), "no", False), (flag("f"), "False", False), (flag("f"), "0", False),
    (flag("f"), 1, True), (flag("f"), 0, False),
    (choice("c", ["a", "b"]), " b ", "b"), (choice("c", [1, 2]), 2, 2), (choice("c", []), "anything", "anything"),
    (text("t"), " as is ", " as is "),
    (items("l"), '["500万", "1000万"]', ["500万", "1000万"]), (items("l"), "['a', 'b']", ["a", "b"]),
    (items("l"), ["x"], ["x"]), (table("d"), '{"calls_wan": "10"}', {"calls_wan": "10"}),
    (table("d"), '{ calls_wan = "10" }', {"calls_wan": "10"}), (table("d"), {"a": 1}, {"a": 1}),
    (count("calls"), None, None), (text("t"), None, None),
])
def test_inputs_parse_to_their_type(inp, raw, want):
    out = inp.parse(raw)
    assert out == want and type(out) is type(want)


@pytest.mark.parametrize("inp, raw, allowed", [
    (whole("n"), "2.5", "a whole number; >= 0"),
    (whole("n", minimum=1, maximum=12), "0", "a whole number; >= 1 and <= 12"),
    (whole("n", minimum=1, maximum=12), "13", "a whole number; >= 1 and <= 12"),
    (whole("n", minimum=None, maximum=12), "13", "a whole number; <= 12"),
    (number("gb", minimum="0.5"), "0.4", "a decimal number written with a point, e.g. 0.06 (no commas); >= 0.5"),
    (money("fee", maximum="100"), "100.01", "an amount in yuan written with a point, e.g. 45.26 (no commas); <= 100"),
    (count("calls", minimum=1), "0", "a whole or decimal count; 万 (10^4) and 亿 (10^8) suffixes allowed, e.g. 5000000 or "
                                     "500万; >= 1"),
    (flag("f"), "maybe", "true or false"), (flag("f"), 2, "true or false"),
    (choice("c", ["a", "b"]), "c", "a | b"), (choice("c", [1, 2]), 3, "1 | 2"),
    (text("t"), 5, "text"),
    (count("calls"), True, TYPES["count"]), (money("fee"), False, TYPES["money"]),   # a TOML/JSON boolean is no number
    (count("calls"), [1, 2], TYPES["count"]), (moment("at"), {"a": 1}, TYPES["moment"]),  # nor is a list or a table
    (moment("at"), True, TYPES["moment"]), (choice("c", ["a", "b"]), True, "a | b"),
    (items("l"), "[1, 2", TYPES["list"]), (items("l"), '{"a": 1}', TYPES["list"]), (items("l"), 5, TYPES["list"]),
    (table("d"), "[1]", TYPES["table"]), (table("d"), "a = ", TYPES["table"]), (table("d"), ["a"], TYPES["table"]),
])
def test_inputs_refuse_values_naming_the_input_the_value_and_what_is_allowed(inp, raw, allowed):
    with pytest.raises(InputError) as e:
        inp.parse(raw)
    assert parts(e) == (inp.name, raw, allowed)


@pytest.mark.parametrize("inp, raw", [(number("gb", minimum="0.5", maximum="2"), "0.5"),
                                      (number("gb", minimum="0.5", maximum="2"), "2"),
                                      (whole("n", minimum=1, maximum=12), "1"), (whole("n", minimum=1, maximum=12), "12")])
def test_bounds_are_inclusive(inp, raw):
    assert inp.parse(raw) == D(raw)


def test_number_errors_come_from_D_with_the_input_name():
    with pytest.raises(InputError) as e:
        number("gb").parse("1,5")
    assert e.value.field == "gb"
    with pytest.raises(InputError) as e:
        count("calls").parse("lots")
    assert e.value.field == "calls"
    with pytest.raises(InputError) as e:
        moment("at").parse("later")
    assert e.value.field == "at"
    with pytest.raises(InputError) as e:
        day("on").parse("later")
    assert e.value.field == "on"
    with pytest.raises(InputError) as e:
        whole("n").parse("x")
    assert e.value.field == "n"


def test_allowed_text_per_type():
    assert number("x").allowed() == TYPES["number"]
    assert number("x", minimum=0, maximum=5).allowed() == TYPES["number"] + "; >= 0 and <= 5"
    assert choice("c", ["a", "b"]).allowed() == "a | b"
    assert choice("c", []).allowed() == "values from the catalog"


def test_choices_read_from_the_catalog_at_the_view(cat):
    region = choice("region", catalog_column("t.regions", "region"))
    early, late = cat.as_of("2023-01-01"), cat.as_of("2023-03-01")
    assert region.choice_values(early) == ("guangzhou", "hongkong")
    assert region.choice_values(late) == ("guangzhou", "hongkong", "beijing")
    assert region.choice_values(None) == ()
    assert region.allowed(None) == "values from the catalog"
    # a choice read from the catalog names the date its allowed values are in force on
    assert region.allowed(early) == "in force on 2023-01-01: guangzhou | hongkong"
    assert region.allowed(late) == "in force on 2023-03-01: guangzhou | hongkong | beijing"
    assert choice("c", ["a", "b"]).allowed(early) == "a | b"   # a fixed list is not dated
    assert region.parse("beijing", late) == "beijing"
    with pytest.raises(InputError) as e:
        region.parse("beijing", early)
    assert parts(e) == ("region", "beijing", "in force on 2023-01-01: guangzhou | hongkong")
    with pytest.raises(InputError) as e:   # a boolean from a case file names the values in force too
        region.parse(True, early)
    assert parts(e) == ("region", True, "in force on 2023-01-01: guangzhou | hongkong")
    with pytest.raises(InputError) as e:   # so does a list where one value goes
        region.parse(["beijing"], early)
    assert parts(e) == ("region", ["beijing"], "in force on 2023-01-01: guangzhou | hongkong")


def test_describe_an_input():
    assert number("gb", "GB", "1.5", "egress", 0, 9).describe() == {
        "name": "gb", "type": "number", "unit": "GB", "required": False, "default": "1.5",
        "allowed": TYPES["number"] + "; >= 0 and <= 9", "help": "egress"}
    assert moment("at").describe()["default"] is None and moment("at").describe()["required"] is True
    assert moment("at", datetime(2023, 1, 1, 8)).describe()["default"] == "2023-01-01T08:00:00"
    assert day("on", date(2023, 1, 1)).describe()["default"] == "2023-01-01"
    assert money("m", Decimal("1.50")).describe()["default"] == "1.50"
    assert flag("f").describe()["default"] is False


def test_describe_a_catalog_choice_at_a_view(cat):
    region = choice("region", catalog_column("t.regions", "region"), "guangzhou")
    assert region.describe(cat.as_of("2023-01-01"))["allowed"] == "in force on 2023-01-01: guangzhou | hongkong"


# -- the registry -----------------------------------------------------------------------------------
def _fee(view, inputs, policies):
    """Fee of some gigabytes at the price in force.

    More text."""
    p = view.dec("t.price")
    return Result({"fee": p * inputs["gb"], "at": inputs.get("at"), "region": inputs.get("region"),
                   "inputs": dict(inputs), "policies": dict(policies)})


def test_calc_registers_with_inputs_moment_title_and_policies(registry):
    p = pol.policy("t.round", "which rounding?", {"up": "u", "down": "d"}, "up")
    ins = [number("gb"), moment("at")]
    assert calc("t.fee", "Fee", ins, moment="at", policies=[p])(_fee) is _fee
    c = registry["t.fee"]
    assert c == Calc("t.fee", _fee, "Fee", tuple(ins), "at", (p,), False)
    assert get("t.fee") is c and policies_of("t.fee") == (p,)
    assert c.input("gb") == ins[0] and c.input("nope") is None


def test_a_calc_title_defaults_to_the_first_docstring_line_then_the_name(registry):
    calc("t.fee", inputs=[number("gb")])(_fee)
    assert registry["t.fee"].title == "Fee of some gigabytes at the price in force."

    def bare(view, inputs, policies):
        return Result({})
    calc("t.bare", inputs=[])(bare)
    assert registry["t.bare"].title == "t.bare"
    assert registry["t.bare"].open_inputs is False and registry["t.bare"].inputs == ()


def test_a_calc_without_declared_inputs_takes_any(registry, cat):
    calc("t.legacy")(_fee)
    c = registry["t.legacy"]
    assert c.open_inputs and c.inputs == () and c.moment == "" and c.policies == ()
    assert c.parse({"gb": "2", "x": "y"}, None) == {"gb": "2", "x": "y"}


def test_registering_twice(registry):
    calc("t.fee", inputs=[number("gb")])(_fee)
    calc("t.fee", inputs=[number("gb")])(_fee)   # the same function again (a module re-imported): fine

    def other(view, inputs, policies):
        return Result({})
    with pytest.raises(ValueError, match=r"^calculation t.fee registered twice$"):
        calc("t.fee", inputs=[])(other)


@pytest.mark.parametrize("ins", [[number("gb")], [number("at")], []])
def test_the_moment_must_be_a_declared_moment_or_date_input(registry, ins):
    with pytest.raises(ValueError, match=r"^calculation t.fee: moment 'at' is not a declared moment or date input$"):
        calc("t.fee", inputs=ins, moment="at")(_fee)
    assert "t.fee" not in registry


def test_a_date_input_can_be_the_moment(registry):
    calc("t.fee", inputs=[day("at")], moment="at")(_fee)
    assert registry["t.fee"].moment == "at"


def test_get_names_the_registered_calculations(registry):
    calc("t.b", inputs=[])(_fee)
    calc("t.a", inputs=[])(_fee)
    with pytest.raises(InputError) as e:
        get("t.c")
    assert parts(e) == ("calc", "t.c", "a registered calculation (pricing calc --list): t.a, t.b")


def test_parse_fills_defaults_and_refuses_unknown_or_missing_inputs(registry):
    calc("t.fee", inputs=[number("gb"), number("extra", default="1.5"), flag("f"), moment("at", default=None)])(_fee)
    c = registry["t.fee"]
    assert c.parse({"gb": "2"}, None) == {"gb": D(2), "extra": D("1.5"), "f": False, "at": None}
    assert c.parse({"gb": "2", "extra": "3", "f": "yes"}, None) == {"gb": D(2), "extra": D(3), "f": True, "at": None}
    with pytest.raises(InputError) as e:
        c.parse({"gb": "2", "colour": "red"}, None)
    assert parts(e) == ("colour", "red", "an input of t.fee: gb, extra, f, at")
    with pytest.raises(InputError) as e:
        c.parse({}, None)
    assert parts(e) == ("gb", None, f"required by t.fee: {TYPES['number']}")
    assert str(e.value) == f"gb: missing; allowed: required by t.fee: {TYPES['number']}"   # not "got None"
    # a moment or a date is shown as ISO text, not as Python's repr
    from datetime import date, datetime
    assert str(InputError("at", datetime(2100, 1, 1), "x")) == "at: got '2100-01-01T00:00:00'; allowed: x"
    assert str(InputError("day", date(1999, 10, 1), "x")) == "day: got '1999-10-01'; allowed: x"
    assert str(InputError("n", 5, "x")) == "n: got 5; allowed: x"
    with pytest.raises(InputError) as e:
        c.parse(None, None)
    assert e.value.field == "gb"


def test_a_non_text_default_is_used_as_given(registry):
    calc("t.fee", inputs=[count("n", default=5), moment("at", default=datetime(2023, 1, 1))])(_fee)
    out = registry["t.fee"].parse({}, None)
    assert out == {"n": 5, "at": datetime(2023, 1, 1)} and type(out["n"]) is int


def test_defaults_and_required_inputs_are_read_at_the_view(registry, cat):
    region = catalog_column("t.regions", "region")
    calc("t.fee", inputs=[choice("region", region, "beijing")])(_fee)
    early, late = cat.as_of("2023-01-01"), cat.as_of("2023-03-01")
    assert registry["t.fee"].parse({}, late) == {"region": "beijing"}
    with pytest.raises(InputError) as e:   # a default the catalog does not offer yet is refused, not used
        registry["t.fee"].parse({}, early)
    assert parts(e) == ("region", "beijing", "in force on 2023-01-01: guangzhou | hongkong")
    calc("t.req", inputs=[choice("region", region)])(_fee)
    with pytest.raises(InputError) as e:
        registry["t.req"].parse({}, early)
    assert parts(e) == ("region", None, "required by t.req: in force on 2023-01-01: guangzhou | hongkong")
    assert registry["t.req"].describe(early)["inputs"][0]["allowed"] == "in force on 2023-01-01: guangzhou | hongkong"


def test_a_calc_without_inputs_says_so(registry):
    calc("t.none", inputs=[])(_fee)
    with pytest.raises(InputError) as e:
        registry["t.none"].parse({"x": "1"}, None)
    assert parts(e) == ("x", "1", "an input of t.none: (it takes none)")


def test_describe_a_calc(registry):
    p = pol.policy("t.round", "q?", {"up": "u", "down": "d"}, "down")
    calc("t.fee", "Fee", [number("gb", "GB")], policies=[p])(_fee)
    d = registry["t.fee"].describe()
    assert d == {"id": "t.fee", "title": "Fee", "moment": "as_of",
                 "inputs": [number("gb", "GB").describe()],
                 "policies": [{"name": "t.round", "default": "down", "choices": ["up", "down"]}]}
    calc("t.at", "At", [moment("at")], moment="at")(_fee)
    assert registry["t.at"].describe()["moment"] == "at"


# -- run_calc: which moment prices it ----------------------------------------------------------------
def test_run_calc_prices_at_the_calculations_moment_input(registry, cat):
    calc("t.fee", "Fee", [number("gb"), moment("at")], moment="at")(_fee)
    res = run_calc("t.fee", cat, {"gb": "10", "at": "2023-03-01T00:00:00"}, as_of="2022-01-01")
    assert res["fee"] == D("6.00")
    assert res.as_of == datetime(2023, 3, 1)
    assert res.catalog_reads == {"t.price": [datetime(2023, 3, 1)]}
    res = run_calc("t.fee", cat, {"gb": "10", "at": "2023-02-28T23:59:59"}, as_of="2024-01-01")
    assert res["fee"] == D("8.00") and res.as_of == datetime(2023, 2, 28, 23, 59, 59)


def test_run_calc_without_a_moment_input_prices_at_as_of(registry, cat):
    calc("t.fee", "Fee", [number("gb")])(_fee)
    res = run_calc("t.fee", cat, {"gb": "1"}, as_of="2023-03-01")
    assert res["fee"] == D("0.60") and res.as_of == datetime(2023, 3, 1)
    with pytest.raises(InputError) as e:
        run_calc("t.fee", cat, {"gb": "1"})
    assert parts(e) == ("as_of", None, "a moment to price t.fee at (a date or date-time)")


def test_run_calc_with_a_moment_left_empty_prices_at_as_of(registry, cat):
    calc("t.fee", "Fee", [number("gb"), moment("at", default=None)], moment="at")(_fee)
    res = run_calc("t.fee", cat, {"gb": "1"}, as_of="2022-06-01")
    assert res["fee"] == D("0.80") and res.as_of == datetime(2022, 6, 1)


def test_a_defaulted_moment_dates_the_view_and_a_given_one_overrides_it(registry, cat):
    calc("t.fee", "Fee", [number("gb"), moment("at", "2023-03-01T00:00:00")], moment="at")(_fee)
    res = run_calc("t.fee", cat, {"gb": "1"}, as_of="2022-01-01")               # the default: March, 0.60
    assert res["fee"] == D("0.60") and res.as_of == datetime(2023, 3, 1)
    res = run_calc("t.fee", cat, {"gb": "1", "at": "2023-02-01"}, as_of="2024-01-01")
    assert res["fee"] == D("0.80") and res.as_of == datetime(2023, 2, 1)
    view = registry["t.fee"].dated({}, cat.as_of("2022-01-01"))
    assert view.moment == datetime(2023, 3, 1)
    assert registry["t.fee"].dated({"at": "2023-02-01"}, cat.as_of("2024-01-01")).moment == datetime(2023, 2, 1)


def test_a_required_moment_not_given_leaves_the_view_as_it_is(registry, cat):
    calc("t.fee", "Fee", [number("gb"), moment("at")], moment="at")(_fee)
    base = cat.as_of("2022-01-01")
    assert registry["t.fee"].dated({}, base) is base
    assert registry["t.fee"].dated(None, base) is base
    calc("t.flat", "Flat", [number("gb")])(_fee)
    assert registry["t.flat"].dated({"at": "2023-03-01"}, base) is base   # no moment input: the base


def test_other_inputs_are_checked_at_the_calculations_moment(registry, cat):
    calc("t.fee", "Fee", [moment("at"), choice("region", catalog_column("t.regions", "region"), "guangzhou"),
                          number("gb", default="1")], moment="at")(_fee)
    # beijing is a region from March on: allowed for a March moment even when the caller's date is January
    res = run_calc("t.fee", cat, {"at": "2023-03-01", "region": "beijing"}, as_of="2023-01-01")
    assert res["region"] == "beijing" and res["fee"] == D("0.60")
    assert registry["t.fee"].parse({"at": "2023-03-01", "region": "beijing"}, cat.as_of("2023-01-01"))["region"] == \
        "beijing"
    with pytest.raises(InputError) as e:
        registry["t.fee"].parse({"at": "2023-02-28T23:59:59", "region": "beijing"}, cat.as_of("2023-06-01"))
    assert parts(e) == ("region", "beijing", "in force on 2023-02-28: guangzhou | hongkong")
    # without a view nothing is dated and a catalog choice is not checked
    assert registry["t.fee"].parse({"at": "2023-01-01", "region": "anywhere"}, None) == \
        {"at": datetime(2023, 1, 1), "region": "anywhere", "gb": D(1)}


def test_run_calc_on_a_dated_view(registry, cat):
    calc("t.fee", "Fee", [number("gb")])(_fee)
    view = cat.as_of("2023-03-01")
    res = run_calc("t.fee", view, {"gb": "2"}, as_of="2000-01-01")   # a view is already dated: as_of is not used
    assert res["fee"] == D("1.20") and res.as_of == datetime(2023, 3, 1)
    assert res.catalog_reads == {"t.price": [datetime(2023, 3, 1)]}
    assert view.trace is None   # the caller's view is not written to


def test_run_calc_records_every_version_read_sorted(registry, cat):
    def both(view, inputs, policies):
        view.at("2023-06-01").dec("t.price")
        view.dec("t.price")
        view.rows("t.regions")
        return Result({})
    calc("t.both", "Both", [])(both)
    res = run_calc("t.both", cat, {}, as_of="2022-01-01")
    assert res.catalog_reads == {"t.price": [catalog.ORIGIN, datetime(2023, 3, 1)], "t.regions": [catalog.ORIGIN]}
    assert list(res.catalog_reads) == ["t.price", "t.regions"]


def test_run_calc_passes_parsed_inputs_and_the_chosen_policies(registry, cat):
    p = pol.policy("t.round", "q?", {"up": "u", "down": "d"}, "up")
    calc("t.fee", "Fee", [number("gb"), choice("region", catalog_column("t.regions", "region"), "guangzhou")],
         policies=[p])(_fee)
    res = run_calc("t.fee", cat, {"gb": "1"}, {"t.round": "down"}, as_of="2023-01-01")
    assert res["inputs"] == {"gb": D(1), "region": "guangzhou"}
    assert res["policies"] == {"t.round": "down"}
    assert run_calc("t.fee", cat, {"gb": "1"}, as_of="2023-01-01")["policies"] == {}
    with pytest.raises(InputError) as e:   # a region added in March is not allowed in January
        run_calc("t.fee", cat, {"gb": "1", "region": "beijing"}, as_of="2023-01-01")
    assert parts(e) == ("region", "beijing", "in force on 2023-01-01: guangzhou | hongkong")
    assert run_calc("t.fee", cat, {"gb": "1", "region": "beijing"}, as_of="2023-03-01")["region"] == "beijing"


def test_run_calc_refuses_unknown_policies_and_calculations(registry, cat):
    calc("t.fee", "Fee", [number("gb")])(_fee)
    with pytest.raises(InputError) as e:
        run_calc("t.fee", cat, {"gb": "1"}, {"t.nope": "x"}, as_of="2023-01-01")
    assert parts(e) == ("policies", "t.nope", "a declared policy name: ")
    with pytest.raises(InputError) as e:
        run_calc("t.other", cat, {}, as_of="2023-01-01")
    assert e.value.field == "calc"
