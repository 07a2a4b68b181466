"""Beyond one machine: the same reconciliation, partitioned by (resource, month of use), on Dask.

A bill's lines are independent across (resource, month of use) except for two things, handled
before and after the partitions:

- **pools** (free quota, packs) run across months: a pre-pass draws them down over only the lines
  of the resources that have pools (few), in time order, and hands each line's deduction to the
  partitions (:attr:`FastReconciler.deducted_log` / ``deducted_override``);
- **months** (the debit, the precision line) add up over all resources: each partition returns its
  sums per bill month (lines at 8 decimals, debits in fen, counts) and its precision lines, and the
  driver checks each month as the single-process run does.

Each partition runs :class:`~pricing.spec.reconcile.fast.FastReconciler` — the same code as the
single-process run — over its (resource, month) groups in line order, so the per-line results are
identical (``tests/test_reconcile_dask.py`` holds them to it).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from . import engine as en
from .fast import FastReconciler
from .lines import COLUMNS, FIELDS, NOT_AVAILABLE, _header_map
from .mapping import load_mapping

META = pd.DataFrame({"seq": pd.Series([], dtype="int64"), "status": pd.Series([], dtype=object),
                     "record": pd.Series([], dtype=object)})


def _partition(part: pd.DataFrame, opts: en.Options, override: dict | None) -> pd.DataFrame:
    part = part.sort_values(["_key", "Seq"], kind="stable")
    rec = FastReconciler(opts, "all", deducted_override=override)
    results = rec.feed(part[list(COLUMNS)].reset_index(drop=True)) if len(part) else []
    rec._close_int()
    partial = {"months": rec.mints, "counts": rec.counts,
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
    import dask.dataframe as dd
    from pricing.rules import load_all
    load_all()
    mp = load_mapping(mapping)
    acc = en.load_account(account, catalog, policies)
    opts = en.Options(catalog, mp, acc, period_type, dict(policies or {}))
    files = [str(Path(f)) for f in files]
    header = pd.read_csv(files[0], nrows=0, dtype=str, encoding="utf-8-sig").columns.tolist()
    hmap = _header_map(header, mp.columns, Path(files[0]))
    ddf = dd.read_csv(files, dtype=str, keep_default_na=False, encoding="utf-8-sig", blocksize=blocksize,
                      include_path_column="_path", usecols=list(hmap))
    ddf = ddf.rename(columns=hmap)
    # line numbers: Seq over all files in order, Source = file:line as the single-process reader writes them
    lens = ddf.map_partitions(len).compute()
    paths = ddf["_path"].map_partitions(lambda s: s.iloc[0] if len(s) else "").compute()
    offsets, rows_in_file, seen = [], [], {}
    total = 0
    for n, p in zip(lens, paths):
        offsets.append(total)
        rows_in_file.append(seen.get(p, 0))
        seen[p] = seen.get(p, 0) + n
        total += n

    def number(df, partition_info=None):
        i = partition_info["number"]
        df = df.copy()
        for f in FIELDS:
            if f not in df.columns:
                df[f] = "-"
        n = len(df)
        df["Seq"] = np.arange(offsets[i], offsets[i] + n, dtype="int64")
        name = Path(str(df["_path"].iloc[0])).name if n else ""
        df["Source"] = [f"{name}:line {rows_in_file[i] + 2 + k}" for k in range(n)]
        start = df["FeeBeginTime"].where(~df["FeeBeginTime"].isin(NOT_AVAILABLE), df["PayTime"])
        df["_key"] = df["ResourceId"] + "|" + start.str.slice(0, 7)
        return df[list(COLUMNS) + ["_key"]]

    meta_in = pd.DataFrame({c: pd.Series([], dtype="int64" if c == "Seq" else object) for c in list(COLUMNS) + ["_key"]})
    ddf = ddf.map_partitions(number, meta=meta_in)
    override = None
    if acc is not None and acc.pools:
        pre = ddf[ddf["ResourceId"].isin(list(acc.pools))].compute().sort_values("Seq")
        prer = FastReconciler(opts, "differs")
        prer.deducted_log = {}
        for i in range(0, len(pre), 200_000):
            prer.feed(pre.iloc[i:i + 200_000][list(COLUMNS)].reset_index(drop=True))
        override = {"ded": prer.deducted_log, "steps": getattr(prer, "_pool_steps", {})}
    ddf = ddf.shuffle("_key", npartitions=npartitions or ddf.npartitions)
    out = ddf.map_partitions(_partition, opts, override, meta=META).compute()
    return _combine(out, opts)


def _combine(out: pd.DataFrame, opts: en.Options) -> dict:
    fin = FastReconciler(opts, "all")
    counts = {s: 0 for s in en.STATUSES}
    lines = []
    for seq, rec in zip(out["seq"], out["record"]):
        if seq >= 0:
            lines.append(json.loads(rec))
            continue
        part = json.loads(rec)
        for s, c in part["counts"].items():
            counts[s] += c
        for m, (a, b, c) in part["months"].items():
            mi = fin.mints.setdefault(m, [0, 0, 0])
            mi[0] += a
            mi[1] += b
            mi[2] += c
        for p in part["precision"]:
            for ln, rid, use, bill in p["lines"]:
                rule = next(r for r in opts.mapping.rules if r.id == rid)
                from . import kinds
                from decimal import Decimal
                mo = fin.months.setdefault(bill, en.Month())
                mo.precision += kinds.dec(ln, "RealCost") or Decimal(0)
                mo.precision_lines.append((ln, rule, kinds.relations(ln), use, bill))
    precision, months = fin.finish()
    for s, c in fin.counts.items():
        counts[s] += c
    lines = sorted(lines + precision, key=lambda r: r["seq"])
    totals = dict(counts)
    totals["lines"] = sum(counts.values())
    totals["months_differ"] = sum(m["status"] != "match" for m in months)
    return {"lines": lines, "months": months, "totals": totals, "engine": "fast (dask)"}
