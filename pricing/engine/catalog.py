"""The price catalog: every price, quota and limit of the guides, as data.

A catalog is one TOML file or a folder of them (merged). Each file may declare documents
(``[documents.<id>]``), sections (``[sections.<key>]``, with the Chinese and English title and the
section's revision date) and entries (``[[entry]]``). Every entry names its section, so every
figure cites the document and section it comes from, and carries an ``effective`` date
("origin" when the guide names no start date). Several entries with one id and different
effective dates are versions of one price (Kill Bill's versioned catalogs): a lookup takes the
moment it prices at and gets the version in force then.

Validation happens on load. Unknown keys, missing fields, floats where a decimal string belongs,
negative prices and unsorted tiers are errors that name the file and the key.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import CatalogError, InputError
from .money import D
from .tiers import Tier, TierSchedule

SHIPPED = Path(__file__).resolve().parents[1] / "catalog"
ORIGIN = datetime.min  # "in force before any date the guide names"

KINDS = {
    "price": "a money amount in yuan per unit (decimal string, >= 0)",
    "quantity": "a quota or limit (decimal string, >= 0)",
    "ratio": "a factor such as a discount (decimal string, >= 0)",
    "tiers": "graduated tiers: a list of {up_to, price}, the last with up_to = 'open'",
    "instant": "an ISO date or date-time",
    "duration": "a length such as '30d', '24h', '30min', '3mo'",
    "text": "a string",
    "table": "rows: a list of tables of strings",
}
ENTRY_KEYS = {"id", "section", "kind", "value", "tiers", "rows", "unit", "per", "effective", "zh", "en", "note", "retired"}
REQUIRED = {"id", "section", "kind", "effective"}
SECTION_KEYS = {"doc", "zh", "en", "revised", "order", "lines"}
DOCUMENT_KEYS = {"title_zh", "title_en", "seed"}
TOP_KEYS = {"documents", "sections", "entry"}


@dataclass(frozen=True)
class Section:
    key: str
    doc: str
    zh: str
    en: str
    revised: str
    order: int
    lines: tuple[int, int] | None = None  # first and last line of the section in its document's text (1-based)

    @property
    def title(self) -> str:
        return f"{self.zh} · {self.en}"


@dataclass(frozen=True)
class Entry:
    id: str
    section: str
    kind: str
    effective: datetime
    value: Any
    unit: str
    zh: str
    en: str
    note: str
    file: str
    per: Decimal | None = None
    retired: bool = False  # a version that ends the entry: not in force from its effective date

    @property
    def effective_text(self) -> str:
        return "origin" if self.effective == ORIGIN else self.effective.isoformat(sep=" ")


@dataclass
class Catalog:
    """The versioned catalog: every version of every entry, with its effective date.

    It has no undated look-up. Rules read prices through a dated view, ``cat.as_of(moment)``
    (Kill Bill's ``DefaultVersionedCatalog``): the view answers with the version in force at its
    moment, so a version added later never reprices the past.
    """

    path: Path
    files: tuple[Path, ...]
    documents: dict[str, dict]
    sections: dict[str, Section]
    entries: dict[str, list[Entry]]
    sha256: str

    def as_of(self, moment: object, trace: dict | None = None) -> "CatalogView":
        """The catalog as in force at ``moment`` (Beijing time; a date means its 00:00:00).

        ``trace``, when given, is a dict that collects ``{entry id: {effective dates read}}``
        for every look-up made through this view and the views derived from it."""
        from .periods import as_datetime
        return CatalogView(self, as_datetime(moment, "as_of"), trace)

    def versions(self, id: str) -> list[Entry]:
        """Every version of one entry, oldest first."""
        try:
            return self.entries[id]
        except KeyError:
            raise InputError("catalog entry", id, f"an id present in the catalog at {self.path}") from None

    def all_ids(self, prefix: str = "") -> list[str]:
        """Every entry id that has at least one version, whatever its dates."""
        return sorted(i for i in self.entries if i.startswith(prefix))

    def section(self, key: str) -> Section:
        try:
            return self.sections[key]
        except KeyError:
            raise InputError("section", key, ", ".join(sorted(self.sections))) from None

    def effective_dates(self, ids=None) -> list[datetime]:
        """Sorted distinct effective instants (origin excluded) of the given entries, or of all."""
        pick = self.entries if ids is None else {i: self.versions(i) for i in ids}
        return sorted({v.effective for vs in pick.values() for v in vs if v.effective != ORIGIN})

    def latest_change(self) -> datetime:
        """The newest effective instant or section revision in the catalog: the deterministic
        default as-of moment of a build ("the catalog as of its latest change")."""
        from .periods import as_datetime
        revised = [as_datetime(s.revised, f"sections.{s.key}.revised") for s in self.sections.values()]
        return max(self.effective_dates() + revised)


@dataclass(frozen=True)
class CatalogView:
    """The catalog at one moment: every look-up answers with the version in force then.

    Raises :class:`InputError` naming the entry and the moment when the entry is not in force
    yet (asked before its first version) or was retired before the moment."""

    catalog: Catalog
    moment: datetime
    trace: dict | None = None

    # moving in time ---------------------------------------------------------------------------
    def at(self, moment: object) -> "CatalogView":
        """The same catalog at another moment (the trace is shared)."""
        from .periods import as_datetime
        m = as_datetime(moment, "moment")
        return self if m == self.moment else CatalogView(self.catalog, m, self.trace)

    def changes(self, ids, start: datetime, end: datetime) -> list[datetime]:
        """Effective instants of ``ids`` strictly inside (start, end): where a span must be split."""
        return [d for d in self.catalog.effective_dates(ids) if start < d < end]

    # look-ups ----------------------------------------------------------------------------------
    def entry(self, id: str) -> Entry:
        vs = self.catalog.versions(id)
        live = [v for v in vs if v.effective <= self.moment]
        if not live:
            raise InputError(id, self.moment.isoformat(sep=" "),
                             f"a moment on or after {vs[0].effective_text}, when {id} first took effect")
        e = live[-1]
        if e.retired:
            raise InputError(id, self.moment.isoformat(sep=" "),
                             f"a moment before {e.effective_text}, when {id} was retired")
        if self.trace is not None:
            self.trace.setdefault(id, set()).add(e.effective)
        return e

    def has(self, id: str) -> bool:
        """Whether ``id`` is in force at this moment (present, in effect, not retired)."""
        vs = self.catalog.entries.get(id)
        if not vs:
            return False
        live = [v for v in vs if v.effective <= self.moment]
        return bool(live) and not live[-1].retired

    def value(self, id: str):
        return self.entry(id).value

    def dec(self, id: str) -> Decimal:
        e = self.entry(id)
        if e.kind not in ("price", "quantity", "ratio"):
            raise InputError("catalog entry", id, f"a price, quantity or ratio (it is a {e.kind})")
        return e.value

    def tiers(self, id: str) -> TierSchedule:
        e = self.entry(id)
        if e.kind != "tiers":
            raise InputError("catalog entry", id, f"a tiers entry (it is a {e.kind})")
        return e.value

    def rows(self, id: str) -> tuple[dict, ...]:
        e = self.entry(id)
        if e.kind != "table":
            raise InputError("catalog entry", id, f"a table entry (it is a {e.kind})")
        return e.value

    def duration(self, id: str):
        """A duration entry as a dateutil relativedelta (months stay months; days stay days)."""
        from dateutil.relativedelta import relativedelta
        e = self.entry(id)
        if e.kind != "duration":
            raise InputError("catalog entry", id, f"a duration entry (it is a {e.kind})")
        n, unit = e.value
        return relativedelta(**{unit: n})

    def timedelta(self, id: str):
        """A duration entry of fixed length (seconds to days) as a ``datetime.timedelta``."""
        from datetime import timedelta
        e = self.entry(id)
        if e.kind != "duration" or e.value[1] in ("months", "years"):
            raise InputError("catalog entry", id, "a duration in seconds, minutes, hours or days")
        n, unit = e.value
        return timedelta(**{unit: n})

    def ids(self, prefix: str = "") -> list[str]:
        """Entry ids in force at this moment."""
        return [i for i in self.catalog.all_ids(prefix) if self.has(i)]

    # context -----------------------------------------------------------------------------------
    def cite(self, id: str) -> str:
        e = self.entry(id)
        s = self.catalog.sections[e.section]
        return f"{self.catalog.documents[s.doc]['title_zh']} › {s.zh} ({s.en})"

    def section(self, key: str) -> Section:
        return self.catalog.section(key)

    @property
    def sections(self) -> dict[str, Section]:
        return self.catalog.sections

    @property
    def documents(self) -> dict[str, dict]:
        return self.catalog.documents

    @property
    def path(self) -> Path:
        return self.catalog.path

    @property
    def sha256(self) -> str:
        return self.catalog.sha256


# parsing -------------------------------------------------------------------------------------

def _dec(file: str, key: str, raw: Any, allow_negative: bool = False) -> Decimal:
    if isinstance(raw, float):
        raise CatalogError(file, key, f"float {raw!r}: write decimals as strings, e.g. \"{raw}\"")
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        raise CatalogError(file, key, f"expected a decimal string, got {type(raw).__name__}")
    try:
        d = D(raw, key)
    except Exception:
        raise CatalogError(file, key, f"{raw!r} is not a decimal number") from None
    if d < 0 and not allow_negative:
        raise CatalogError(file, key, f"negative value {raw!r}: prices, quotas and ratios must be >= 0")
    return d


def _instant(file: str, key: str, raw: Any) -> datetime:
    """An instant in Beijing time (UTC+8), written without an offset; 'origin' for "since ever"."""
    from .periods import MAX_MOMENT, MIN_MOMENT
    out = None
    if isinstance(raw, datetime):
        out = raw
    elif hasattr(raw, "isoformat") and not isinstance(raw, str):  # a TOML date
        try:
            out = datetime.fromisoformat(raw.isoformat())
        except ValueError:  # a TOML time of day (08:00:00) has no date
            pass
    elif raw == "origin":
        return ORIGIN
    elif isinstance(raw, str):
        try:
            out = datetime.fromisoformat(raw)
        except ValueError:
            pass
    if out is None:
        raise CatalogError(file, key, f"{raw!r} is not an ISO date/date-time or 'origin'")
    if out.tzinfo is not None:
        raise CatalogError(file, key, f"{raw!r} carries a UTC offset; write Beijing time (UTC+8) without one")
    if not MIN_MOMENT <= out < MAX_MOMENT:
        raise CatalogError(file, key, f"{raw!r} is outside {MIN_MOMENT:%Y-%m-%d} .. {MAX_MOMENT:%Y-%m-%d}")
    return out


def _lines(file: str, key: str, raw: Any) -> tuple[int, int] | None:
    """A line range ``[first, last]`` in a document's text (1-based, inclusive), or None when absent."""
    if raw is None:
        return None
    if (not isinstance(raw, list) or len(raw) != 2 or not all(isinstance(n, int) and not isinstance(n, bool) for n in raw)
            or not 1 <= raw[0] <= raw[1]):
        raise CatalogError(file, key, f"{raw!r} is not a line range [first, last] with 1 <= first <= last")
    return raw[0], raw[1]


DURATION_UNITS = {"s": "seconds", "min": "minutes", "h": "hours", "d": "days", "mo": "months", "y": "years"}


def parse_duration(file: str, key: str, raw: Any) -> tuple[int, str]:
    import re
    if isinstance(raw, str):
        m = re.fullmatch(r"(\d+)(s|min|h|d|mo|y)", raw.strip())
        if m:
            return int(m.group(1)), DURATION_UNITS[m.group(2)]
    raise CatalogError(file, key, f"{raw!r} is not a duration such as '30d', '24h' or '3mo'")


def _entry(file: str, i: int, raw: dict, sections: dict[str, Section]) -> Entry:
    where = f"entry[{i}]" + (f" ({raw['id']})" if isinstance(raw, dict) and "id" in raw else "")
    if not isinstance(raw, dict):
        raise CatalogError(file, where, "expected a table")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise CatalogError(file, f"{where}.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(sorted(ENTRY_KEYS))}")
    missing = REQUIRED - set(raw)
    if missing:
        raise CatalogError(file, f"{where}.{sorted(missing)[0]}", "missing required key")
    kind = raw["kind"]
    if kind not in KINDS:
        raise CatalogError(file, f"{where}.kind", f"{kind!r} unknown; allowed: {', '.join(KINDS)}")
    if raw["section"] not in sections:
        raise CatalogError(file, f"{where}.section", f"{raw['section']!r} is not a declared section; declared: {', '.join(sorted(sections))}")
    retired = raw.get("retired", False)
    if not isinstance(retired, bool):
        raise CatalogError(file, f"{where}.retired", "true or false")
    if retired:
        if set(raw) & {"value", "tiers", "rows"}:
            raise CatalogError(file, f"{where}.retired", "a retiring version carries no value, tiers or rows")
        return Entry(raw["id"], raw["section"], kind, _instant(file, f"{where}.effective", raw["effective"]), None,
                     raw.get("unit", ""), raw.get("zh", ""), raw.get("en", ""), raw.get("note", ""), file, None, True)
    unit = raw.get("unit", "")
    if kind in ("price", "quantity", "tiers") and not unit:
        raise CatalogError(file, f"{where}.unit", f"missing required key for kind {kind}")
    per = _dec(file, f"{where}.per", raw["per"]) if "per" in raw else None
    k = f"{where}.value"
    if kind == "tiers":
        if "tiers" not in raw:
            raise CatalogError(file, f"{where}.tiers", "missing required key for kind tiers")
        tiers = []
        for j, t in enumerate(raw["tiers"]):
            tk = f"{where}.tiers[{j}]"
            if set(t) - {"up_to", "price", "label"} or not {"up_to", "price"} <= set(t):
                raise CatalogError(file, tk, "each tier needs up_to and price (and optionally label), nothing else")
            up = None if t["up_to"] == "open" else _dec(file, f"{tk}.up_to", t["up_to"])
            tiers.append(Tier(up, _dec(file, f"{tk}.price", t["price"]), t.get("label", "")))
        try:
            value = TierSchedule(tuple(tiers), per or Decimal(1), raw["id"])
        except InputError as e:
            raise CatalogError(file, f"{where}.tiers", str(e)) from None
    elif kind == "table":
        if "rows" not in raw or not isinstance(raw["rows"], list):
            raise CatalogError(file, f"{where}.rows", "missing list of rows for kind table")
        for j, row in enumerate(raw["rows"]):
            for c, v in row.items():
                if not isinstance(v, str):
                    raise CatalogError(file, f"{where}.rows[{j}].{c}", f"table cells are strings, got {type(v).__name__}")
        value = tuple(dict(r) for r in raw["rows"])
    else:
        if "value" not in raw:
            raise CatalogError(file, k, f"missing required key for kind {kind}")
        v = raw["value"]
        if kind in ("price", "quantity", "ratio"):
            value = _dec(file, k, v)
        elif kind == "instant":
            value = _instant(file, k, v)
            if value == ORIGIN:
                raise CatalogError(file, k, "an instant needs a real date")
        elif kind == "duration":
            value = parse_duration(file, k, v)
        else:
            if not isinstance(v, str):
                raise CatalogError(file, k, "text entries hold a string")
            value = v
    return Entry(raw["id"], raw["section"], kind, _instant(file, f"{where}.effective", raw["effective"]), value,
                 unit, raw.get("zh", ""), raw.get("en", ""), raw.get("note", ""), file, per)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        fs = sorted(path.glob("*.toml"))
        if not fs:
            raise CatalogError(str(path), "catalog folder", "no *.toml catalog files in this folder")
        return fs
    if path.is_file():
        return [path]
    raise CatalogError(str(path), "catalog", "no such catalog file or folder")


def catalog_hash(path: Path | str | None = None) -> str:
    """SHA-256 over the catalog's files (names relative to the catalog, then contents), in name order."""
    p = Path(path) if path else SHIPPED
    h = hashlib.sha256()
    for f in _files(p):
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def load(path: Path | str | None = None) -> Catalog:
    p = Path(path).resolve() if path else SHIPPED
    files = _files(p)
    stamp = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _load(str(p), stamp)


@lru_cache(maxsize=16)
def _load(path: str, stamp) -> Catalog:
    p = Path(path)
    files = _files(p)
    raws = []
    documents, sections = {}, {}
    for f in files:
        name = f.name if p.is_dir() else str(f)
        try:
            raw = tomllib.loads(f.read_text(encoding="utf-8"))
        except UnicodeDecodeError as e:
            raise CatalogError(name, "<encoding>", f"not UTF-8 (byte {e.start}: {e.object[e.start:e.start + 1]!r}); "
                                                   "save the file as UTF-8") from None
        except tomllib.TOMLDecodeError as e:
            raise CatalogError(name, "<syntax>", str(e).splitlines()[0]) from None
        except OSError as e:
            raise CatalogError(name, "<file>", f"cannot be read: {e.strerror}") from None
        unknown = set(raw) - TOP_KEYS
        if unknown:
            raise CatalogError(name, sorted(unknown)[0], f"unknown top-level key; allowed: {', '.join(sorted(TOP_KEYS))}")
        for d, body in raw.get("documents", {}).items():
            if d in documents:
                raise CatalogError(name, f"documents.{d}", "declared twice")
            bad = set(body) - DOCUMENT_KEYS
            if bad or not DOCUMENT_KEYS <= set(body):
                raise CatalogError(name, f"documents.{d}", f"needs exactly the keys {', '.join(sorted(DOCUMENT_KEYS))}")
            documents[d] = dict(body)
        for s, body in raw.get("sections", {}).items():
            if s in sections:
                raise CatalogError(name, f"sections.{s}", "declared twice")
            bad = set(body) - SECTION_KEYS
            if bad:
                raise CatalogError(name, f"sections.{s}.{sorted(bad)[0]}", f"unknown key; allowed: {', '.join(sorted(SECTION_KEYS))}")
            if not {"doc", "zh", "en", "revised"} <= set(body):
                raise CatalogError(name, f"sections.{s}", "needs doc, zh, en and revised")
            sections[s] = Section(s, body["doc"], body["zh"], body["en"], str(body["revised"]), int(body.get("order", 0)),
                                  _lines(name, f"sections.{s}.lines", body.get("lines")))
        raws.append((name, raw.get("entry", [])))
    for s in sections.values():
        if s.doc not in documents:
            raise CatalogError(str(p), f"sections.{s.key}.doc", f"{s.doc!r} is not a declared document")
    entries: dict[str, list[Entry]] = {}
    for name, items in raws:
        if not isinstance(items, list):
            raise CatalogError(name, "entry", "expected an array of tables ([[entry]])")
        for i, raw in enumerate(items):
            e = _entry(name, i, raw, sections)
            vs = entries.setdefault(e.id, [])
            if any(v.effective == e.effective for v in vs):
                raise CatalogError(name, f"entry {e.id}", f"two versions with the same effective date {e.effective_text}")
            if vs and vs[0].kind != e.kind:
                raise CatalogError(name, f"entry {e.id}.kind", f"versions disagree on kind ({vs[0].kind} vs {e.kind})")
            vs.append(e)
    if not entries:
        raise CatalogError(str(p), "entry", "no [[entry]] tables: not a catalog")
    for vs in entries.values():
        vs.sort(key=lambda e: e.effective)
    return Catalog(p, tuple(files), documents, sections, entries, catalog_hash(p))
