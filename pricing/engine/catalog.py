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
ENTRY_KEYS = {"id", "section", "kind", "value", "tiers", "rows", "unit", "per", "effective", "zh", "en", "note"}
REQUIRED = {"id", "section", "kind", "effective"}
SECTION_KEYS = {"doc", "zh", "en", "revised", "order"}
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

    @property
    def effective_text(self) -> str:
        return "origin" if self.effective == ORIGIN else self.effective.isoformat(sep=" ")


@dataclass
class Catalog:
    path: Path
    files: tuple[Path, ...]
    documents: dict[str, dict]
    sections: dict[str, Section]
    entries: dict[str, list[Entry]]
    sha256: str

    # lookups -------------------------------------------------------------------------------
    def versions(self, id: str) -> list[Entry]:
        try:
            return self.entries[id]
        except KeyError:
            raise InputError("catalog entry", id, f"an id present in the catalog at {self.path}") from None

    def entry(self, id: str, at: datetime | None = None) -> Entry:
        vs = self.versions(id)
        if at is None:
            return vs[-1]
        live = [v for v in vs if v.effective <= at]
        if not live:
            raise InputError("at", at.isoformat(), f"a moment on or after {vs[0].effective_text}, when {id} first took effect")
        return live[-1]

    def value(self, id: str, at: datetime | None = None):
        return self.entry(id, at).value

    def dec(self, id: str, at: datetime | None = None) -> Decimal:
        e = self.entry(id, at)
        if e.kind not in ("price", "quantity", "ratio"):
            raise InputError("catalog entry", id, f"a price, quantity or ratio (it is a {e.kind})")
        return e.value

    def tiers(self, id: str, at: datetime | None = None) -> TierSchedule:
        e = self.entry(id, at)
        if e.kind != "tiers":
            raise InputError("catalog entry", id, f"a tiers entry (it is a {e.kind})")
        return e.value

    def duration(self, id: str, at: datetime | None = None):
        """A duration entry as a dateutil relativedelta (months stay months; days stay days)."""
        from dateutil.relativedelta import relativedelta
        e = self.entry(id, at)
        if e.kind != "duration":
            raise InputError("catalog entry", id, f"a duration entry (it is a {e.kind})")
        n, unit = e.value
        return relativedelta(**{unit: n})

    def ids(self, prefix: str = "") -> list[str]:
        return sorted(i for i in self.entries if i.startswith(prefix))

    def cite(self, id: str) -> str:
        e = self.versions(id)[-1]
        s = self.sections[e.section]
        return f"{self.documents[s.doc]['title_zh']} › {s.zh} ({s.en})"

    def section(self, key: str) -> Section:
        try:
            return self.sections[key]
        except KeyError:
            raise InputError("section", key, ", ".join(sorted(self.sections))) from None


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
    if isinstance(raw, datetime):
        return raw
    if hasattr(raw, "isoformat") and not isinstance(raw, str):  # a TOML date
        return datetime.fromisoformat(raw.isoformat())
    if raw == "origin":
        return ORIGIN
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    raise CatalogError(file, key, f"{raw!r} is not an ISO date/date-time or 'origin'")


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
            raise CatalogError(str(path), "<folder>", "no *.toml catalog files in this folder")
        return fs
    if path.is_file():
        return [path]
    raise CatalogError(str(path), "<path>", "no such catalog file or folder")


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
        except tomllib.TOMLDecodeError as e:
            raise CatalogError(name, "<syntax>", str(e)) from None
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
            sections[s] = Section(s, body["doc"], body["zh"], body["en"], str(body["revised"]), int(body.get("order", 0)))
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
    for vs in entries.values():
        vs.sort(key=lambda e: e.effective)
    return Catalog(p, tuple(files), documents, sections, entries, catalog_hash(p))
