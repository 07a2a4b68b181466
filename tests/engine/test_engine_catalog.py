"""pricing.engine.catalog: loading and validating catalog files, versions, and the dated view.

Each malformed catalog is its own case and is checked by the key it names and the whole problem
text: a maintainer reads that line to find the mistake.
"""
import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from pricing.engine import catalog
from pricing.engine.catalog import ORIGIN, Catalog, CatalogView, Entry, Section, parse_duration
from pricing.engine.errors import CatalogError, InputError
from pricing.engine.tiers import Slice, Tier, TierSchedule

HEAD = '''
[documents.t]
title_zh = "测试指南"
title_en = "test guide"
seed = "x.txt"

[sections."t.b"]
doc = "t"
zh = "乙节"
en = "section b"
revised = "2024-03-01"
order = 2

[sections."t.a"]
doc = "t"
zh = "甲节"
en = "section a"
revised = "2023-06-01"
'''

BODY = '''
[[entry]]
id = "t.price"
section = "t.a"
kind = "price"
value = "0.80"
unit = "CNY/GB"
effective = "origin"
zh = "价格"
en = "price"
note = "list price"

[[entry]]
id = "t.price"
section = "t.a"
kind = "price"
value = "0.60"
unit = "CNY/GB"
effective = "2023-03-01T18:00:00"

[[entry]]
id = "t.price"
section = "t.a"
kind = "price"
retired = true
effective = 2024-01-01

[[entry]]
id = "t.quota"
section = "t.b"
kind = "quantity"
value = 100
unit = "GB"
effective = 2022-01-01T08:00:00

[[entry]]
id = "t.ratio"
section = "t.b"
kind = "ratio"
value = "0"
effective = "origin"

[[entry]]
id = "t.tiers"
section = "t.a"
kind = "tiers"
unit = "CNY per 10,000 calls"
per = "10000"
effective = "origin"
tiers = [
  { up_to = "100", price = "0.06", label = "first" },
  { up_to = "open", price = "0" },
]

[[entry]]
id = "t.table"
section = "t.a"
kind = "table"
effective = "origin"
rows = [ { region = "guangzhou", group = "a" }, { region = "hongkong", group = "b" } ]

[[entry]]
id = "t.when"
section = "t.a"
kind = "instant"
value = "2023-05-01T12:00:00"
effective = "origin"

[[entry]]
id = "t.days"
section = "t.a"
kind = "duration"
value = "30d"
effective = "origin"

[[entry]]
id = "t.months"
section = "t.a"
kind = "duration"
value = "3mo"
effective = "origin"

[[entry]]
id = "t.text"
section = "t.a"
kind = "text"
value = "hello"
effective = "origin"
'''


def write(tmp_path: Path, body: str, head: str = HEAD, name: str = "cat.toml") -> Path:
    p = tmp_path / name
    p.write_text(head + body, encoding="utf-8")
    return p


@pytest.fixture
def cat(tmp_path) -> Catalog:
    return catalog.load(write(tmp_path, BODY))


def entry(**fields) -> str:
    base = {"id": '"a"', "section": '"t.a"', "kind": '"price"', "value": '"1"', "unit": '"CNY"', "effective": '"origin"'}
    base.update(fields)
    return "[[entry]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)


def problem(tmp_path, body, head=HEAD):
    with pytest.raises(CatalogError) as e:
        catalog.load(write(tmp_path, body, head))
    assert e.value.file == str(tmp_path / "cat.toml")
    return e.value.key, e.value.problem


# -- a well-formed catalog: every kind of entry ---------------------------------------------------
def test_entries_load_with_every_field(cat, tmp_path):
    first = cat.versions("t.price")[0]
    assert first == Entry("t.price", "t.a", "price", ORIGIN, Decimal("0.80"), "CNY/GB", "价格", "price", "list price",
                          str(tmp_path / "cat.toml"), None, False)
    second = cat.versions("t.price")[1]
    assert (second.effective, second.value, second.zh, second.en, second.note) == \
        (datetime(2023, 3, 1, 18), Decimal("0.60"), "", "", "")
    retired = cat.versions("t.price")[2]
    assert retired == Entry("t.price", "t.a", "price", datetime(2024, 1, 1), None, "", "", "", "",
                            str(tmp_path / "cat.toml"), None, True)


def test_every_kind_parses_to_its_value(cat):
    view = cat.as_of("2023-06-01")
    assert view.dec("t.quota") == 100 and view.entry("t.quota").effective == datetime(2022, 1, 1, 8)
    assert view.dec("t.ratio") == 0 and view.entry("t.ratio").unit == ""
    sched = view.tiers("t.tiers")
    assert sched == TierSchedule((Tier(Decimal(100), Decimal("0.06"), "first"), Tier(None, Decimal(0), "")),
                                 Decimal(10000), "t.tiers")
    assert view.entry("t.tiers").per == Decimal(10000)
    assert view.rows("t.table") == ({"region": "guangzhou", "group": "a"}, {"region": "hongkong", "group": "b"})
    assert view.value("t.when") == datetime(2023, 5, 1, 12)
    assert view.value("t.days") == (30, "days")
    assert view.value("t.text") == "hello"


def test_a_tiers_entry_without_per_prices_per_unit(tmp_path):
    body = entry(id='"t"', kind='"tiers"', value=None, tiers='[{up_to="open", price="2"}]')
    sched = catalog.load(write(tmp_path, body)).as_of("2023-01-01").tiers("t")
    assert sched.unit == 1 and sched.rate("3").amount == 6


def test_sections_and_documents(cat):
    assert cat.sections["t.a"] == Section("t.a", "t", "甲节", "section a", "2023-06-01", 0)
    assert cat.sections["t.b"].order == 2
    assert cat.section("t.b").revised == "2024-03-01"
    assert cat.documents == {"t": {"title_zh": "测试指南", "title_en": "test guide", "seed": "x.txt"}}
    with pytest.raises(InputError) as e:
        cat.section("t.c")
    assert (e.value.field, e.value.got, e.value.allowed) == ("section", "t.c", "t.a, t.b")


def test_versions_all_ids_and_effective_dates(cat):
    assert [v.effective for v in cat.versions("t.price")] == [ORIGIN, datetime(2023, 3, 1, 18), datetime(2024, 1, 1)]
    with pytest.raises(InputError) as e:
        cat.versions("t.nope")
    assert (e.value.field, e.value.got, e.value.allowed) == \
        ("catalog entry", "t.nope", f"an id present in the catalog at {cat.path}")
    assert cat.all_ids() == ["t.days", "t.months", "t.price", "t.quota", "t.ratio", "t.table", "t.text", "t.tiers",
                             "t.when"]
    assert cat.all_ids("t.t") == ["t.table", "t.text", "t.tiers"]
    assert cat.effective_dates() == [datetime(2022, 1, 1, 8), datetime(2023, 3, 1, 18), datetime(2024, 1, 1)]
    assert cat.effective_dates(["t.price"]) == [datetime(2023, 3, 1, 18), datetime(2024, 1, 1)]
    assert cat.effective_dates(["t.text"]) == []


def test_latest_change_takes_effective_dates_and_section_revisions(cat, tmp_path):
    assert cat.latest_change() == datetime(2024, 3, 1)  # section t.b's revision is the newest
    later = entry(effective='"2025-02-01T10:00:00"')
    (tmp_path / "b").mkdir()
    assert catalog.load(write(tmp_path / "b", later)).latest_change() == datetime(2025, 2, 1, 10)


def test_versions_are_sorted_by_date_whatever_the_file_order(tmp_path):
    body = entry(value='"2"', effective='"2024-01-01"') + entry(value='"1"', effective='"origin"')
    cat = catalog.load(write(tmp_path, body))
    assert [v.value for v in cat.versions("a")] == [1, 2]


# -- the dated view ---------------------------------------------------------------------------------
def test_the_view_answers_with_the_version_in_force(cat):
    assert cat.as_of("2023-03-01T17:59:59").dec("t.price") == Decimal("0.80")
    assert cat.as_of("2023-03-01T18:00:00").dec("t.price") == Decimal("0.60")
    assert cat.as_of("2023-12-31T23:59:59").dec("t.price") == Decimal("0.60")


def test_a_retired_entry_is_refused_from_its_retirement(cat):
    view = cat.as_of("2024-01-01")
    with pytest.raises(InputError) as e:
        view.dec("t.price")
    assert (e.value.field, e.value.got, e.value.allowed) == \
        ("t.price", "2024-01-01 00:00:00", "a moment before 2024-01-01 00:00:00, when t.price was retired")
    assert not view.has("t.price")
    assert cat.as_of("2023-12-31T23:59:59").has("t.price")


def test_an_entry_is_refused_before_its_first_version(cat):
    with pytest.raises(InputError) as e:
        cat.as_of("2022-01-01T07:59:59").dec("t.quota")
    assert (e.value.field, e.value.got, e.value.allowed) == \
        ("t.quota", "2022-01-01 07:59:59", "a moment on or after 2022-01-01 08:00:00, when t.quota first took effect")
    assert not cat.as_of("2022-01-01T07:59:59").has("t.quota")
    assert cat.as_of("2022-01-01T08:00:00").has("t.quota")


def test_has_is_false_for_an_unknown_id(cat):
    assert not cat.as_of("2023-01-01").has("t.nope")


def test_ids_lists_the_entries_in_force(cat):
    assert cat.as_of("2021-01-01").ids() == ["t.days", "t.months", "t.price", "t.ratio", "t.table", "t.text",
                                             "t.tiers", "t.when"]
    assert cat.as_of("2024-06-01").ids("t.p") == []
    assert cat.as_of("2023-06-01").ids("t.q") == ["t.quota"]


def test_as_of_and_at_name_their_moment(cat):
    with pytest.raises(InputError) as e:
        cat.as_of("soon")
    assert e.value.field == "as_of"
    with pytest.raises(InputError) as e:
        cat.as_of("2023-01-01").at("later")
    assert e.value.field == "moment"


def test_at_moves_the_view_and_shares_the_trace(cat):
    trace = {}
    view = cat.as_of("2023-01-01", trace)
    assert view.moment == datetime(2023, 1, 1) and view.catalog is cat and view.trace is trace
    assert view.at("2023-01-01T00:00:00") is view
    later = view.at("2023-06-01")
    assert later == CatalogView(cat, datetime(2023, 6, 1), trace)
    view.dec("t.price")
    later.dec("t.price")
    later.value("t.text")
    assert trace == {"t.price": {ORIGIN, datetime(2023, 3, 1, 18)}, "t.text": {ORIGIN}}


def test_a_view_without_trace_records_nothing(cat):
    view = cat.as_of("2023-01-01")
    assert view.trace is None
    assert view.dec("t.price") == Decimal("0.80")


def test_changes_are_the_effective_instants_strictly_inside_a_span(cat):
    view = cat.as_of("2023-01-01")
    ids = ["t.price", "t.quota"]
    assert view.changes(ids, datetime(2022, 1, 1), datetime(2025, 1, 1)) == \
        [datetime(2022, 1, 1, 8), datetime(2023, 3, 1, 18), datetime(2024, 1, 1)]
    assert view.changes(ids, datetime(2023, 3, 1, 18), datetime(2024, 1, 1)) == []   # both ends excluded
    assert view.changes(ids, datetime(2023, 3, 1, 17), datetime(2023, 3, 1, 19)) == [datetime(2023, 3, 1, 18)]
    # only the entries asked about: t.quota's date is not a change of t.price
    assert view.changes(["t.price"], datetime(2022, 1, 1), datetime(2025, 1, 1)) == \
        [datetime(2023, 3, 1, 18), datetime(2024, 1, 1)]


@pytest.mark.parametrize("method, id, kind, allowed", [
    ("dec", "t.text", "text", "a price, quantity or ratio (it is a text)"),
    ("dec", "t.tiers", "tiers", "a price, quantity or ratio (it is a tiers)"),
    ("tiers", "t.price", "price", "a tiers entry (it is a price)"),
    ("rows", "t.text", "text", "a table entry (it is a text)"),
    ("duration", "t.price", "price", "a duration entry (it is a price)"),
    ("timedelta", "t.text", "text", "a duration in seconds, minutes, hours or days"),
    ("timedelta", "t.months", "duration", "a duration in seconds, minutes, hours or days"),
])
def test_typed_lookups_refuse_another_kind(cat, method, id, kind, allowed):
    with pytest.raises(InputError) as e:
        getattr(cat.as_of("2023-01-01"), method)(id)
    assert (e.value.field, e.value.got, e.value.allowed) == ("catalog entry", id, allowed)


def test_dec_reads_prices_quantities_and_ratios(cat):
    view = cat.as_of("2023-06-01")
    assert [view.dec(i) for i in ("t.price", "t.quota", "t.ratio")] == [Decimal("0.60"), 100, 0]


def test_durations(cat):
    view = cat.as_of("2023-01-01")
    assert view.duration("t.days") == relativedelta(days=30)
    assert view.duration("t.months") == relativedelta(months=3)
    assert view.timedelta("t.days") == timedelta(days=30)


def test_cite_names_the_document_and_section(cat):
    view = cat.as_of("2023-01-01")
    assert view.cite("t.price") == "测试指南 › 甲节 (section a)"
    assert view.cite("t.ratio") == "测试指南 › 乙节 (section b)"
    assert view.section("t.a") == cat.sections["t.a"]
    with pytest.raises(InputError):
        view.section("t.z")


# -- parsing values ---------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, want", [("30d", (30, "days")), (" 24h ", (24, "hours")), ("30min", (30, "minutes")),
                                       ("3mo", (3, "months")), ("1y", (1, "years")), ("90s", (90, "seconds"))])
def test_durations_parse(raw, want):
    assert parse_duration("f", "k", raw) == want


@pytest.mark.parametrize("raw", ["30 days", "d", "30", "1.5h", "-3d", 30, None])
def test_bad_durations(raw):
    with pytest.raises(CatalogError) as e:
        parse_duration("f.toml", "entry[0].value", raw)
    assert (e.value.file, e.value.key, e.value.problem) == \
        ("f.toml", "entry[0].value", f"{raw!r} is not a duration such as '30d', '24h' or '3mo'")


# -- malformed catalogs: one case per check ---------------------------------------------------------
E0 = "entry[0] (a)"
ALLOWED_KEYS = "effective, en, id, kind, note, per, retired, rows, section, tiers, unit, value, zh"


@pytest.mark.parametrize("body, key, text", [
    # the entry itself
    (entry(colour='"red"', size='"L"'), f"{E0}.colour", f"unknown key; allowed: {ALLOWED_KEYS}"),
    (entry(kind=None, effective=None), f"{E0}.effective", "missing required key"),
    (entry(section=None), f"{E0}.section", "missing required key"),
    ('[[entry]]\nsection = "t.a"\nkind = "price"\nvalue = "1"\nunit = "CNY"\neffective = "origin"\n', "entry[0].id",
     "missing required key"),
    (entry(kind='"money"'), f"{E0}.kind",
     "'money' unknown; allowed: price, quantity, ratio, tiers, instant, duration, text, table"),
    (entry(section='"t.c"'), f"{E0}.section", "'t.c' is not a declared section; declared: t.a, t.b"),
    # retired versions
    (entry(retired='"yes"'), f"{E0}.retired", "true or false"),
    (entry(retired="true"), f"{E0}.retired", "a retiring version carries no value, tiers or rows"),
    (entry(retired="true", value=None, tiers="[]"), f"{E0}.retired", "a retiring version carries no value, tiers or rows"),
    (entry(retired="true", value=None, rows="[]"), f"{E0}.retired", "a retiring version carries no value, tiers or rows"),
    (entry(retired="true", value=None, effective='"someday"'), f"{E0}.effective",
     "'someday' is not an ISO date/date-time or 'origin'"),
    # units
    (entry(unit=None), f"{E0}.unit", "missing required key for kind price"),
    (entry(kind='"quantity"', unit=None), f"{E0}.unit", "missing required key for kind quantity"),
    (entry(kind='"tiers"', unit=None, value=None), f"{E0}.unit", "missing required key for kind tiers"),
    (entry(unit='""'), f"{E0}.unit", "missing required key for kind price"),
    # per
    (entry(per='"0.5.1"'), f"{E0}.per", "'0.5.1' is not a decimal number"),
    # decimals
    (entry(value="0.8"), f"{E0}.value", 'float 0.8: write decimals as strings, e.g. "0.8"'),
    (entry(value="true"), f"{E0}.value", "expected a decimal string, got bool"),
    (entry(value="[1]"), f"{E0}.value", "expected a decimal string, got list"),
    (entry(value='"abc"'), f"{E0}.value", "'abc' is not a decimal number"),
    (entry(value='"1,5"'), f"{E0}.value", "'1,5' is not a decimal number"),
    (entry(value='"1e20"'), f"{E0}.value", "'1e20' is not a decimal number"),
    (entry(value='"-1"'), f"{E0}.value", "negative value '-1': prices, quotas and ratios must be >= 0"),
    (entry(value="-2"), f"{E0}.value", "negative value -2: prices, quotas and ratios must be >= 0"),
    (entry(kind='"ratio"', value='"-0.1"'), f"{E0}.value", "negative value '-0.1': prices, quotas and ratios must be >= 0"),
    (entry(value=None), f"{E0}.value", "missing required key for kind price"),
    (entry(kind='"text"', value=None, unit=None), f"{E0}.value", "missing required key for kind text"),
    # tiers
    (entry(kind='"tiers"', value=None), f"{E0}.tiers", "missing required key for kind tiers"),
    (entry(kind='"tiers"', value=None, tiers='[{up_to="open"}]'), f"{E0}.tiers[0]",
     "each tier needs up_to and price (and optionally label), nothing else"),
    (entry(kind='"tiers"', value=None, tiers='[{up_to="1", price="1"}, {price="1"}]'), f"{E0}.tiers[1]",
     "each tier needs up_to and price (and optionally label), nothing else"),
    (entry(kind='"tiers"', value=None, tiers='[{up_to="open", price="1", colour="red"}]'), f"{E0}.tiers[0]",
     "each tier needs up_to and price (and optionally label), nothing else"),
    (entry(kind='"tiers"', value=None, tiers='[{up_to="x", price="1"}, {up_to="open", price="1"}]'),
     f"{E0}.tiers[0].up_to", "'x' is not a decimal number"),
    (entry(kind='"tiers"', value=None, tiers='[{up_to="open", price="-1"}]'), f"{E0}.tiers[0].price",
     "negative value '-1': prices, quotas and ratios must be >= 0"),
    (entry(kind='"tiers"', value=None, tiers='[{up_to="10", price="1"}]'), f"{E0}.tiers",
     "a: got '0 open-ended tiers'; allowed: exactly one tier without up_to"),
    (entry(kind='"tiers"', value=None, tiers='[]'), f"{E0}.tiers", "a: got []; allowed: at least one tier"),
    # tables
    (entry(kind='"table"', value=None), f"{E0}.rows", "missing list of rows for kind table"),
    (entry(kind='"table"', value=None, rows='"x"'), f"{E0}.rows", "missing list of rows for kind table"),
    (entry(kind='"table"', value=None, rows='[{a="1"}, {a="2", b=3}]'), f"{E0}.rows[1].b",
     "table cells are strings, got int"),
    # instants
    (entry(kind='"instant"', value='"origin"'), f"{E0}.value", "an instant needs a real date"),
    (entry(kind='"instant"', value='"May Day"'), f"{E0}.value", "'May Day' is not an ISO date/date-time or 'origin'"),
    (entry(kind='"instant"', value="12"), f"{E0}.value", "12 is not an ISO date/date-time or 'origin'"),
    # durations and text
    (entry(kind='"duration"', value='"30 days"'), f"{E0}.value",
     "'30 days' is not a duration such as '30d', '24h' or '3mo'"),
    (entry(kind='"text"', value="3"), f"{E0}.value", "text entries hold a string"),
    # effective dates
    (entry(effective='"someday"'), f"{E0}.effective", "'someday' is not an ISO date/date-time or 'origin'"),
    (entry(effective="08:00:00"), f"{E0}.effective", "datetime.time(8, 0) is not an ISO date/date-time or 'origin'"),
    (entry(effective='"2023-01-01T00:00:00+08:00"'), f"{E0}.effective",
     "'2023-01-01T00:00:00+08:00' carries a UTC offset; write Beijing time (UTC+8) without one"),
    (entry(effective="2023-01-01T00:00:00Z"), f"{E0}.effective",
     "datetime.datetime(2023, 1, 1, 0, 0, tzinfo=datetime.timezone.utc) carries a UTC offset; write Beijing time "
     "(UTC+8) without one"),
    (entry(effective='"1999-12-31T23:59:59"'), f"{E0}.effective", "'1999-12-31T23:59:59' is outside 2000-01-01 .. 2100-01-01"),
    (entry(effective='"2100-01-01"'), f"{E0}.effective", "'2100-01-01' is outside 2000-01-01 .. 2100-01-01"),
    (entry(effective="1999-12-31"), f"{E0}.effective", "datetime.date(1999, 12, 31) is outside 2000-01-01 .. 2100-01-01"),
    # versions
    (entry() + entry(value='"2"'), "entry a", "two versions with the same effective date origin"),
    (entry(effective='"2023-01-01"') + entry(effective='"2023-01-01T00:00:00"'), "entry a",
     "two versions with the same effective date 2023-01-01 00:00:00"),
    (entry() + entry(kind='"quantity"', effective='"2023-01-01"'), "entry a.kind", "versions disagree on kind (price vs quantity)"),
])
def test_a_malformed_catalog_names_the_key_and_the_problem(tmp_path, body, key, text):
    assert problem(tmp_path, body) == (key, text)


def test_an_entry_that_is_not_a_table(tmp_path):
    assert problem(tmp_path, HEAD, head="entry = [1]\n") == ("entry[0]", "expected a table")


@pytest.mark.parametrize("raw", ['"2000-01-01"', '"2099-12-31T23:59:59"', "2000-01-01", "2099-12-31T23:59:59",
                                 '"origin"'])
def test_effective_dates_at_the_bounds_load(tmp_path, raw):
    catalog.load(write(tmp_path, entry(effective=raw)))


def test_a_zero_price_and_a_ratio_without_unit_load(tmp_path):
    body = entry(value='"0"') + entry(id='"r"', kind='"ratio"', unit=None, value="1")
    cat = catalog.load(write(tmp_path, body)).as_of("2023-01-01")
    assert cat.dec("a") == 0 and cat.dec("r") == 1


def test_a_retiring_version_needs_no_unit(tmp_path):
    body = entry() + entry(retired="true", value=None, unit=None, effective='"2023-01-01"')
    cat = catalog.load(write(tmp_path, body))
    assert not cat.as_of("2023-01-01").has("a") and cat.as_of("2022-12-31").has("a")
    assert cat.versions("a")[1].retired is True


def test_a_retiring_version_keeps_its_unit_and_titles(tmp_path):
    body = entry() + entry(retired="true", value=None, effective='"2023-01-01"', zh='"停售"', en='"withdrawn"',
                           note='"see notice"')
    retired = catalog.load(write(tmp_path, body)).versions("a")[1]
    assert (retired.unit, retired.zh, retired.en, retired.note, retired.value, retired.per) == \
        ("CNY", "停售", "withdrawn", "see notice", None, None)


def test_a_duration_in_years_has_no_fixed_length(tmp_path):
    body = entry(kind='"duration"', value='"1y"', unit=None)
    view = catalog.load(write(tmp_path, body)).as_of("2023-01-01")
    assert view.duration("a") == relativedelta(years=1)
    with pytest.raises(InputError) as e:
        view.timedelta("a")
    assert e.value.allowed == "a duration in seconds, minutes, hours or days"


def test_a_malformed_section_revision_is_named_when_read(tmp_path):
    head = HEAD.replace('revised = "2023-06-01"', 'revised = "June"')
    cat = catalog.load(write(tmp_path, entry(), head))
    with pytest.raises(InputError) as e:
        cat.latest_change()
    assert (e.value.field, e.value.got) == ("sections.t.a.revised", "June")


def test_retired_false_is_an_ordinary_version(tmp_path):
    cat = catalog.load(write(tmp_path, entry(retired="false")))
    assert cat.versions("a")[0].retired is False and cat.as_of("2023-01-01").dec("a") == 1


# -- files, folders and the hash --------------------------------------------------------------------
def test_a_folder_merges_its_files_and_names_them_by_file_name(tmp_path):
    d = tmp_path / "cat"
    d.mkdir()
    write(d, entry(), name="a.toml")
    (d / "b.toml").write_text(entry(id='"b"', value='"2"'), encoding="utf-8")
    (d / "notes.txt").write_text("not a catalog", encoding="utf-8")
    cat = catalog.load(d)
    assert cat.files == (d / "a.toml", d / "b.toml")
    assert cat.path == d
    assert cat.versions("b")[0].file == "b.toml"
    (d / "c.toml").write_text(entry(id='"c"', value="0.5"), encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        catalog.load(d)
    assert (e.value.file, e.value.key) == ("c.toml", 'entry[0] (c).value')


def test_a_file_without_entries_is_no_catalog(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        catalog.load(empty)
    assert (e.value.file, e.value.key, e.value.problem) == (str(empty), "entry", "no [[entry]] tables: not a catalog")


def test_an_empty_folder_and_a_missing_path(tmp_path):
    with pytest.raises(CatalogError) as e:
        catalog.load(tmp_path)
    assert (e.value.file, e.value.key, e.value.problem) == \
        (str(tmp_path), "catalog folder", "no *.toml catalog files in this folder")
    missing = tmp_path / "nope.toml"
    with pytest.raises(CatalogError) as e:
        catalog.load(missing)
    assert (e.value.file, e.value.key, e.value.problem) == (str(missing), "catalog", "no such catalog file or folder")


def test_catalog_hash_covers_names_and_contents_in_name_order(tmp_path):
    d = tmp_path / "cat"
    d.mkdir()
    write(d, entry(), name="b.toml")
    (d / "a.toml").write_text("", encoding="utf-8")
    h = hashlib.sha256()
    for name in ("a.toml", "b.toml"):
        h.update(name.encode() + b"\0" + (d / name).read_bytes() + b"\0")
    assert catalog.catalog_hash(d) == h.hexdigest() == catalog.load(d).sha256
    assert catalog.catalog_hash(str(d)) == h.hexdigest()
    one = d / "b.toml"
    h1 = hashlib.sha256(b"b.toml\0" + one.read_bytes() + b"\0").hexdigest()
    assert catalog.catalog_hash(one) == h1


def test_the_shipped_catalog_is_the_default(tmp_path):
    assert catalog.load().path == catalog.SHIPPED
    assert catalog.catalog_hash() == catalog.catalog_hash(catalog.SHIPPED)
    assert catalog.load(None).sha256 == catalog.load(catalog.SHIPPED).sha256


def test_a_relative_path_is_resolved(tmp_path, monkeypatch):
    write(tmp_path, entry())
    monkeypatch.chdir(tmp_path)
    cat = catalog.load("cat.toml")
    assert cat.path == tmp_path / "cat.toml" and cat.path.is_absolute()


def test_an_edited_file_is_read_again(tmp_path):
    p = write(tmp_path, entry(value='"1"'))
    assert catalog.load(p).as_of("2023-01-01").dec("a") == 1
    p.write_text(HEAD + entry(value='"22"'), encoding="utf-8")
    assert catalog.load(p).as_of("2023-01-01").dec("a") == 22


def test_the_shipped_tier_table_rates_like_its_data():
    # the one shipped tier table, read through the view: 0.06 up to 10^7 calls, per 10,000
    sched = catalog.load().as_of("2024-01-01").tiers("apigw.shared.call_tiers")
    c = sched.rate("10000001")
    assert c.slices[-1] == Slice(1, sched.tiers[1].label, Decimal(10_000_000), Decimal(10_000_001), Decimal(1),
                                 Decimal("0.04"), Decimal("0.000004"))
