"""The mapping table (``mapping.toml``): which rule of the spec prices which bill line.

:func:`load_mapping` validates the table on load (unknown keys, unknown kinds, missing fields are
errors naming the key); :meth:`Mapping.classify` gives each line of a chunk the index of the first
rule that takes it (``-1``: not covered), vectorised over the chunk and reading only the fields it
needs; :func:`find_param` reads the
catalog row a line names (edition, plan, pack, package, region) by its Chinese name, at the line's
moment, so no id list lives in code.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pricing.engine.catalog import CatalogView
from pricing.engine.errors import CatalogError, InputError
from pricing.engine.money import D
from .lines import FIELDS

MAPPING = Path(__file__).with_name("mapping.toml")
KINDS = ("precision", "apigw.calls", "apigw.egress", "apigw.dedicated", "cloudbase.plan", "cloudbase.overage",
         "cloudbase.pack", "cloudbase.reserved")
RULE_KEYS = {"id", "title", "kind", "section", "notebook", "match", "contains", "quantity_units", "time_units",
             "param", "metric"}


@dataclass(frozen=True)
class Param:
    field: str
    tables: tuple[str, ...]
    key: str
    label: str


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    kind: str
    section: str = ""
    notebook: str = ""
    match: tuple[tuple[str, str], ...] = ()
    contains: tuple[tuple[str, str], ...] = ()
    quantity_units: dict = field(default_factory=dict)
    time_units: dict = field(default_factory=dict)
    param: Param | None = None
    metric: str = ""

    @property
    def notebook_html(self) -> str:
        """The rendered notebook of the rule, relative to the build folder: ``html/<doc>/<NN_name>.html``."""
        return f"html/{self.notebook}.html" if self.notebook else ""


@dataclass(frozen=True)
class Mapping:
    rules: tuple[Rule, ...]
    columns: dict[str, str]
    path: Path

    def classify(self, chunk) -> np.ndarray:
        """Index of the first rule that takes each line of ``chunk`` (a :class:`~.lines.Chunk`); -1 where none
        does. A field is read only while some line is still to be placed and has passed the rule's other
        conditions, so a chunk of one kind of line reads only the fields of the rules before its own."""
        n = len(chunk)
        out = np.full(n, -1, dtype=np.int64)
        free = np.ones(n, dtype=bool)
        for i, r in enumerate(self.rules):
            if not free.any():
                break
            m = free.copy()
            for f, v in r.match:
                if not m.any():
                    break
                m &= equal(chunk.col(f), v)
            for f, v in r.contains:
                if not m.any():
                    break
                m &= contains(chunk.col(f), v)
            out[m] = i
            free &= ~m
        return out

    def fields(self) -> set[str]:
        """Every field a rule reads to take a line or to name its edition, plan, pack, package or region."""
        out = set()
        for r in self.rules:
            out |= {f for f, _ in r.match} | {f for f, _ in r.contains}
            if r.param:
                out.add(r.param.field)
        return out


def _scalar(arr: pa.Array, v: str) -> pa.Scalar:
    return pa.scalar(v.encode("utf-8"), pa.binary()) if pa.types.is_binary(arr.type) else pa.scalar(v, pa.string())


def equal(arr: pa.Array, v: str) -> np.ndarray:
    """Lines whose text equals ``v`` (a bool array)."""
    return pc.equal(arr, _scalar(arr, v)).to_numpy(zero_copy_only=False)


def contains(arr: pa.Array, v: str) -> np.ndarray:
    a = arr.view(pa.string()) if pa.types.is_binary(arr.type) else arr
    return pc.match_substring(a, v).to_numpy(zero_copy_only=False)


def _strs(file: str, where: str, raw: object) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise CatalogError(file, where, "a table of field = text")
    bad = [k for k in raw if k not in FIELDS]
    if bad:
        raise CatalogError(file, f"{where}.{bad[0]}", f"not a bill field; fields: {', '.join(FIELDS)}")
    return tuple(sorted(raw.items()))


def _units(file: str, where: str, raw: object) -> dict[str, Decimal]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CatalogError(file, where, "a table of unit = factor (decimal string)")
    out = {}
    for k, v in raw.items():
        if not isinstance(v, str):
            raise CatalogError(file, f"{where}.{k}", "a decimal string, e.g. \"10000\"")
        out[k] = D(v, f"{where}.{k}")
    return out


def load_mapping(path: Path | str | None = None) -> Mapping:
    p = Path(path) if path else MAPPING
    file = str(p)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise CatalogError(file, "", f"cannot be read as TOML ({e})") from None
    columns = raw.get("columns", {})
    for k, v in columns.items():
        if v not in FIELDS:
            raise CatalogError(file, f"columns.{k}", f"{v!r} is not a bill field")
    rules, seen = [], set()
    for i, r in enumerate(raw.get("rule", [])):
        where = f"rule[{i}]" + (f" ({r.get('id')})" if isinstance(r, dict) else "")
        unknown = set(r) - RULE_KEYS
        if unknown:
            raise CatalogError(file, f"{where}.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(sorted(RULE_KEYS))}")
        for k in ("id", "kind", "title"):
            if not isinstance(r.get(k), str) or not r[k]:
                raise CatalogError(file, f"{where}.{k}", "missing")
        if r["id"] in seen:
            raise CatalogError(file, f"{where}.id", "declared twice")
        seen.add(r["id"])
        if r["kind"] not in KINDS:
            raise CatalogError(file, f"{where}.kind", f"{r['kind']!r}; allowed: {', '.join(KINDS)}")
        if not r.get("match") and not r.get("contains"):
            raise CatalogError(file, where, "needs match or contains (a rule that takes every line is refused)")
        param = None
        if "param" in r:
            pr = r["param"]
            if not isinstance(pr, dict) or set(pr) != {"field", "tables", "key", "label"} or pr["field"] not in FIELDS:
                raise CatalogError(file, f"{where}.param", "a table {field = bill field, tables = [catalog table ids], key, label}")
            param = Param(pr["field"], tuple(pr["tables"]), pr["key"], pr["label"])
        if r["kind"] == "cloudbase.overage" and not r.get("metric"):
            raise CatalogError(file, f"{where}.metric", "missing (the CloudBase metric id whose overage price applies)")
        rules.append(Rule(r["id"], r["title"], r["kind"], r.get("section", ""), r.get("notebook", ""),
                          _strs(file, f"{where}.match", r.get("match")), _strs(file, f"{where}.contains", r.get("contains")),
                          _units(file, f"{where}.quantity_units", r.get("quantity_units")),
                          _units(file, f"{where}.time_units", r.get("time_units")), param, r.get("metric", "")))
    return Mapping(tuple(rules), dict(columns), p)


def find_param(view: CatalogView, param: Param, text: str) -> tuple[str, str]:
    """(id, Chinese name) of the catalog row whose name appears in ``text`` (the longest such name),
    read from the tables in force at ``view.moment``. Raises :class:`InputError` naming the field."""
    best = None
    for t in param.tables:
        for row in view.rows(t):
            name = row.get(param.label, "")
            if name and name in text and (best is None or len(name) > len(best[1])):
                best = (row[param.key], name)
    if best is None:
        names = [row.get(param.label, "") for t in param.tables for row in view.rows(t)]
        raise InputError(param.field, text, f"a name containing one of {' | '.join(names)} (in force on {view.moment:%Y-%m-%d})")
    return best
