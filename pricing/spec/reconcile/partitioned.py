"""Beyond one machine: the same reconciliation, partitioned by (resource, month of use), on Dask.

A line's recomputation depends on the lines before it only through its **carry** (:mod:`.engine`):
the account's pools drawn down, the tier position of its scope and month, and a CloudBase
environment's term and cycle. So the run has two stages:

1. **carry**, in line order: the CSV partitions are walked one after the other (a chain of tasks,
   each handing the state to the next), and each line that takes a carry gets it in a column of its
   own. Only the fields the carry reads are parsed, and the state is the reference's (positions,
   pools, environments, each resource's last start);
2. **price**, in any order: the lines are shuffled into partitions by (resource, month of use) and each
   partition runs :class:`~pricing.spec.reconcile.fast.FastReconciler` — the same code as the
   single-process run — with the carry handed over; it returns its lines and its sums per bill month
   (lines at 8 decimals, settlements in fen, counts, precision lines), and the driver checks each
   month as the single-process run does.

``tests/test_reconcile_dask.py`` holds the results to the single-process run's, line for line.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from pricing.engine.errors import PricingError
from pricing.engine.results import Step
from . import engine as en
from . import kinds
from .fast import FastReconciler
from .lines import FIELDS, NOT_AVAILABLE, from_pandas, header_map, read_header
from .mapping import load_mapping

META = pd.DataFrame({"seq": pd.Series([], dtype="int64"), "status": pd.Series([], dtype=object),
                     "record": pd.Series([], dtype=object)})


def _use_month(text: str) -> str:
    """The month of use of a start as the engines read it (Beijing time: ``2026-09-30T16:00:00+00:00`` is
    in 2026-10); a start they refuse keys by its text (the carry stage refuses its line, naming it)."""
    try:
        d = kinds.when(text, "FeeBeginTime")
    except PricingError:
        return str(text)[:7]
    return f"{d:%Y-%m}" if d is not None else ""


# the carry as text ------------------------------------------------------------------------------------

def _steps(steps) -> list:
    return [[s.label, s.value, s.note] for s in steps]


def dump_carry(c: en.Carry) -> str:
    d = {}
    if c.deducted is not None:
        d["deducted"] = str(c.deducted)
    if c.position is not None:
        d["position"] = {k: str(v) for k, v in c.position.items()}
    if c.steps:
        d["steps"] = _steps(c.steps)
    if c.cycle is not None:
        d["cycle"] = {"covered": str(c.cycle.covered), "uncovered": str(c.cycle.uncovered), "fee": str(c.cycle.fee),
                      "steps": _steps(c.cycle.steps)}
    return json.dumps(d, ensure_ascii=False)


def load_carry(text: str) -> en.Carry:
    d = json.loads(text)
    c = en.Carry()
    if "deducted" in d:
        c.deducted = Decimal(d["deducted"])
    if "position" in d:
        c.position = {k: Decimal(v) for k, v in d["position"].items()}
    c.steps = [Step(*s) for s in d.get("steps", [])]
    if "cycle" in d:
        y = d["cycle"]
        c.cycle = kinds.CycleRating(Decimal(y["covered"]), Decimal(y["uncovered"]), Decimal(y["fee"]), [Step(*s) for s in y["steps"]])
    return c


# the two stages ---------------------------------------------------------------------------------------

STATE = ("pos", "pools", "last", "envs")


def _state(rec: FastReconciler) -> dict:
    import copy
    return copy.deepcopy({k: getattr(rec, k) for k in STATE})


def _carry_part(df: pd.DataFrame, state: dict | None, opts: en.Options) -> tuple[pd.DataFrame, dict]:
    """Stage 1 on one partition, in line order, from the state the partition before it left."""
    rec = FastReconciler(opts, "differs")
    if state is not None:
        for k in STATE:
            setattr(rec, k, state[k])
    carries = rec.carry_only(from_pandas(df, df["Seq"].to_numpy(), df["Source"].tolist())) if len(df) else {}
    df = df.astype({c: object for c in df.columns if c != "Seq"})
    df["_carry"] = pd.Series([dump_carry(carries[s]) if s in carries else "" for s in df["Seq"].tolist()],
                             index=df.index, dtype=object)
    return df, _state(rec)


def _price_part(part: pd.DataFrame, opts: en.Options) -> pd.DataFrame:
    """Stage 2 on one (resource, month) partition: its lines and its sums per bill month."""
    part = part.sort_values("Seq", kind="stable")
    rec = FastReconciler(opts, "all")
    given = {int(s): load_carry(t) for s, t in zip(part["Seq"], part["_carry"]) if t}
    chunk = from_pandas(part, part["Seq"].to_numpy(), part["Source"].tolist())
    results = rec.feed(chunk, given) if len(part) else []
    rec._close_tx()
    months = {m: [str(mo.lines), str(mo.per_bill), mo.count] for m, mo in rec.months.items()}
    partial = {"months": months, "counts": rec.counts, "checked": rec.checked,
               "precision": [{"month": m, "lines": [(ln, r.id, use, bill) for ln, r, _, use, bill in mo.precision_lines]}
                             for m, mo in rec.months.items() if mo.precision_lines]}
    rows = [(r["seq"], r["status"], json.dumps(r, ensure_ascii=False, sort_keys=True)) for r in results]
    rows.append((-1, "", json.dumps(partial, ensure_ascii=False, default=str)))
    return pd.DataFrame(rows, columns=["seq", "status", "record"]).astype({"seq": "int64"})


def reconcile_dask(files, catalog, account=None, period_type: str = "byUsedTime", mapping=None, policies=None,
                   blocksize: str | int = "16MB", npartitions: int | None = None) -> dict:
    """Reconcile CSV exports on the current Dask scheduler (a ``distributed.Client`` if one is active).

    Returns ``{"lines": [...results in line order...], "months", "totals"}`` as the single-process
    :func:`pricing.spec.reconcile.api.reconcile` (``collect=True``) does."""
    import dask
    import dask.dataframe as dd
    from pricing.rules import load_all
    load_all()
    mp = load_mapping(mapping)
    opts = en.Options(catalog, mp, None, period_type, dict(policies or {}))
    opts.account = en.load_account(account, catalog, policies)
    files = [str(Path(f)) for f in files]
    header = read_header(Path(files[0]))
    hmap = header_map(header, mp.columns, Path(files[0]))
    # empty lines are read as rows of empty cells (and left out below), so that a line's number is the file's
    ddf = dd.read_csv(files, dtype=str, keep_default_na=False, encoding="utf-8-sig", blocksize=blocksize,
                      include_path_column="_path", usecols=list(hmap), skip_blank_lines=False)
    ddf = ddf.rename(columns=hmap)

    def empty(df) -> pd.Series:
        return (df.drop(columns="_path") == "").all(axis=1)

    # line numbers: Seq over all files in order, Source = file:line as the single-process reader writes them
    lens = ddf.map_partitions(lambda df: pd.DataFrame({"rows": [len(df)], "lines": [int((~empty(df)).sum())]}),
                              meta=pd.DataFrame({"rows": pd.Series([], dtype="int64"),
                                                 "lines": pd.Series([], dtype="int64")})).compute()
    paths = ddf["_path"].map_partitions(lambda s: s.iloc[0] if len(s) else "").compute()
    offsets, rows_in_file, seen = [], [], {}
    total = 0
    for rows, n, p in zip(lens["rows"], lens["lines"], paths):
        offsets.append(total)
        rows_in_file.append(seen.get(p, 0))
        seen[p] = seen.get(p, 0) + int(rows)
        total += int(n)

    def number(df, partition_info=None):
        i = partition_info["number"]
        name = Path(str(df["_path"].iloc[0])).name if len(df) else ""
        line = rows_in_file[i] + 2 + np.arange(len(df))
        keep = ~empty(df).to_numpy()
        df = df[keep].copy()
        for f in FIELDS:
            if f not in df.columns:
                df[f] = "-"
        n = len(df)
        df["Seq"] = np.arange(offsets[i], offsets[i] + n, dtype="int64")
        df["Source"] = [f"{name}:line {k}" for k in line[keep].tolist()]
        start = df["FeeBeginTime"].where(~df["FeeBeginTime"].isin(NOT_AVAILABLE), df["PayTime"])
        df["_key"] = df["ResourceId"] + "|" + start.map({t: _use_month(t) for t in start.unique()})
        return df[list(FIELDS) + ["Seq", "Source", "_key"]]

    cols = list(FIELDS) + ["Seq", "Source", "_key"]
    meta_in = pd.DataFrame({c: pd.Series([], dtype="int64" if c == "Seq" else object) for c in cols})
    ddf = ddf.map_partitions(number, meta=meta_in)
    # stage 1: the carry, partition after partition in line order
    parts, state, carried = ddf.to_delayed(), None, []
    for part in parts:
        out = dask.delayed(_carry_part, nout=2)(part, state, opts)
        carried.append(out[0])
        state = out[1]
    meta_c = meta_in.assign(_carry=pd.Series([], dtype=object))
    ddf = dd.from_delayed(carried, meta=meta_c, verify_meta=False)
    # stage 2: price, by (resource, month of use)
    ddf = ddf.shuffle("_key", npartitions=npartitions or ddf.npartitions)
    out = ddf.map_partitions(_price_part, opts, meta=META).compute()
    return _combine(out, opts)


def _combine(out: pd.DataFrame, opts: en.Options) -> dict:
    fin = FastReconciler(opts, "all")
    counts = {s: 0 for s in en.STATUSES}
    lines = []
    checked = 0
    for seq, rec in zip(out["seq"], out["record"]):
        if seq >= 0:
            lines.append(json.loads(rec))
            continue
        part = json.loads(rec)
        checked += part["checked"]
        for s, c in part["counts"].items():
            counts[s] += c
        for m, (a, b, c) in part["months"].items():
            mo = fin.months.setdefault(m, en.Month())
            mo.lines += Decimal(a)
            mo.per_bill += Decimal(b)
            mo.count += c
        for p in part["precision"]:
            for ln, rid, use, bill in p["lines"]:
                rule = next(r for r in opts.mapping.rules if r.id == rid)
                mo = fin.months.setdefault(bill, en.Month())
                mo.precision += kinds.dec(ln, "RealCost") or Decimal(0)
                mo.precision_lines.append((ln, rule, kinds.relations(ln), use, bill))
    for m in fin.months.values():  # the precision lines of a month in line order, as the single-process run has them
        m.precision_lines.sort(key=lambda t: int(t[0]["Seq"]))
    precision, months = fin.finish()
    for s, c in fin.counts.items():
        counts[s] += c
    lines = sorted(lines + precision, key=lambda r: r["seq"])
    totals = dict(counts)
    totals["lines"] = sum(counts.values())
    totals["months_differ"] = sum(m["status"] != "match" for m in months)
    return {"lines": lines, "months": months, "totals": totals, "engine": "fast (dask)", "checked": checked}
