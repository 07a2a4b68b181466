"""账单明细 · Bill lines: reading Tencent Cloud bill exports into one table of text fields.

Two shapes of the same data (Billing API 2018-07-09):

- ``DescribeBillDetail`` responses as JSON: ``{"Response": {"DetailSet": [...]}}`` (one page), a list
  of such pages, or a bare ``DetailSet`` list. Each transaction row carries its billed components in
  ``ComponentSet``; one **line** here is one component of one row (the row's fields repeated).
  ``DescribeBillResourceSummary`` pages (``ResourceSummarySet``, one row per resource and month) are
  read too: ``TotalCost`` is the line's cost, ``RealTotalCost`` its real cost.
- The console's CSV export of the same columns, headed in English (the API's field names) or in
  Chinese (the aliases in ``mapping.toml`` ``[columns]``). CSV is read in chunks (pandas' pyarrow-free
  C reader, every column as text), so a year of hourly lines streams in bounded memory.

Every value stays text here: money is a decimal string in yuan with up to 8 decimals (never a
float), and ``"-"`` (or an empty cell, or ``0000-00-00 00:00:00``) means *not available*, never 0.
Parsing to numbers happens where a line is reconciled.

Errors: :class:`BillFileError` with one line naming the file, the place and what was expected.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from pricing.engine.errors import PricingError

ROW_FIELDS = ("BillId", "OrderId", "BusinessCode", "BusinessCodeName", "ProductCode", "ProductCodeName",
              "PayModeName", "ActionType", "ActionTypeName", "RegionId", "RegionName", "ZoneName",
              "ResourceId", "ResourceName", "PayTime", "FeeBeginTime", "FeeEndTime", "Formula")
COMPONENT_FIELDS = ("ComponentCode", "ComponentCodeName", "ItemCode", "ItemCodeName", "SinglePrice", "PriceUnit",
                    "UsedAmount", "UsedAmountUnit", "RealTotalMeasure", "DeductedMeasure", "TimeSpan",
                    "TimeUnitName", "Cost", "Discount", "RealCost", "OriginalCostWithRI", "OriginalCostWithSP",
                    "CashPayAmount", "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount")
FIELDS = ROW_FIELDS + COMPONENT_FIELDS
"""The columns of a line, in the API's own names."""
COLUMNS = ("Source", "Seq") + FIELDS
"""The table every reader yields: ``Source`` (file and place), ``Seq`` (order within the input) and the fields."""
MONEY_FIELDS = ("SinglePrice", "Cost", "RealCost", "OriginalCostWithRI", "OriginalCostWithSP", "CashPayAmount",
                "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount")
NOT_AVAILABLE = ("-", "", "0000-00-00 00:00:00", "None", "null")
SUMMARY_RENAMES = {"TotalCost": "Cost", "RealTotalCost": "RealCost"}
CHUNK_LINES = 200_000


class BillFileError(PricingError):
    """A bill file that cannot be read: the message is one line naming the file and the place."""

    def __init__(self, path: object, where: str, problem: str):
        self.path, self.where, self.problem = str(path), where, problem
        super().__init__(f"{path}: {where}: {problem}" if where else f"{path}: {problem}")


def available(text: object) -> bool:
    return isinstance(text, str) and text.strip() not in NOT_AVAILABLE


def _text(v: object) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):  # JSON numbers are parsed as Decimal (below); a float never reaches here
        raise TypeError("float in a bill field")
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
    return str(v)


# JSON -----------------------------------------------------------------------------------------

def _pages(data: object, path: Path) -> list[dict]:
    if isinstance(data, dict) and "Response" in data:
        return [data["Response"]]
    if isinstance(data, dict) and ("DetailSet" in data or "ResourceSummarySet" in data):
        return [data]
    if isinstance(data, list) and all(isinstance(x, dict) for x in data):
        if all("Response" in x or "DetailSet" in x or "ResourceSummarySet" in x for x in data):
            return [p for x in data for p in _pages(x, path)]
        return [{"DetailSet": data}]  # a bare DetailSet
    raise BillFileError(path, "top level", "expected a DescribeBillDetail or DescribeBillResourceSummary response "
                                            "({\"Response\": {\"DetailSet\": [...]}}), a list of them, or a DetailSet list")


def read_json(path: Path, start_seq: int = 0) -> pd.DataFrame:
    """All lines of one JSON file (API responses are paged, so a file is one or a few pages)."""
    from decimal import Decimal
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise BillFileError(path, "", f"cannot be read as UTF-8 text ({e.__class__.__name__})") from None
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=int)
    except json.JSONDecodeError as e:
        raise BillFileError(path, f"line {e.lineno} column {e.colno}", f"not valid JSON ({e.msg})") from None
    rows = []
    seq = start_seq
    for p, page in enumerate(_pages(data, path)):
        if "Error" in page:
            err = page["Error"]
            raise BillFileError(path, f"page {p + 1}", f"the API answered with an error: {_text(err)}")
        details = page.get("DetailSet")
        summaries = page.get("ResourceSummarySet")
        if details is None and summaries is None:
            raise BillFileError(path, f"page {p + 1}", "no DetailSet or ResourceSummarySet in the response")
        for r, row in enumerate(details or []):
            where = f"page {p + 1} DetailSet[{r}]"
            if not isinstance(row, dict):
                raise BillFileError(path, where, "expected an object")
            comps = row.get("ComponentSet") or []
            if not isinstance(comps, list) or not comps:
                raise BillFileError(path, f"{where}.ComponentSet", "expected a non-empty list of billed components")
            base = {f: _text(row.get(f)) for f in ROW_FIELDS}
            for c, comp in enumerate(comps):
                if not isinstance(comp, dict):
                    raise BillFileError(path, f"{where}.ComponentSet[{c}]", "expected an object")
                line = dict(base)
                line.update({f: _text(comp.get(f)) for f in COMPONENT_FIELDS})
                line["Source"] = f"{path.name}:{where}.ComponentSet[{c}]"
                line["Seq"] = seq
                seq += 1
                rows.append(line)
        for r, row in enumerate(summaries or []):
            where = f"page {p + 1} ResourceSummarySet[{r}]"
            if not isinstance(row, dict):
                raise BillFileError(path, where, "expected an object")
            row = {SUMMARY_RENAMES.get(k, k): v for k, v in row.items()}
            line = {f: _text(row.get(f)) for f in FIELDS}
            line["Source"] = f"{path.name}:{where}"
            line["Seq"] = seq
            seq += 1
            rows.append(line)
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype({"Seq": "int64"})


# CSV ------------------------------------------------------------------------------------------

def _header_map(header: list[str], aliases: dict[str, str], path: Path) -> dict[str, str]:
    """column name in the file -> field name."""
    out = {}
    for h in header:
        name = h.strip().lstrip("\ufeff")
        if name in FIELDS:
            out[h] = name
        elif name in SUMMARY_RENAMES:
            out[h] = SUMMARY_RENAMES[name]
        elif name in aliases:
            out[h] = aliases[name]
    missing = [f for f in ("ResourceId", "FeeBeginTime", "RealCost") if f not in out.values()]
    if missing:
        raise BillFileError(path, "header", f"no column for {', '.join(missing)}; expected the export's columns in "
                                            "English (API field names) or Chinese (see mapping.toml [columns])")
    return out


def read_csv_chunks(path: Path, aliases: dict[str, str], chunk_lines: int = CHUNK_LINES,
                    start_seq: int = 0) -> Iterator[pd.DataFrame]:
    """Lines of a CSV export, about ``chunk_lines`` at a time, every cell as text (pyarrow's streaming
    CSV reader: multi-threaded parsing, bounded memory)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv
    try:
        header = pd.read_csv(path, nrows=0, dtype=str, encoding="utf-8-sig").columns.tolist()
    except (OSError, UnicodeDecodeError) as e:
        raise BillFileError(path, "", f"cannot be read as UTF-8 text ({e.__class__.__name__})") from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as e:
        raise BillFileError(path, "header", f"not a CSV file ({str(e).splitlines()[0]})") from None
    if not header:
        raise BillFileError(path, "header", "empty file")
    hmap = _header_map(header, aliases, path)
    names = [h.lstrip("\ufeff") for h in header]
    seq, row0 = start_seq, 2  # data starts on the file's line 2
    with path.open("rb") as fh:
        fh.readline()
        per_line = max(64, min(4096, len(fh.readline())))  # the first data line's length
    block = max(1 << 16, min(1 << 24, chunk_lines * per_line))  # at most 16 MB of text per chunk
    try:
        reader = pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=block, column_names=names, skip_rows=1,
                                                                   encoding="utf-8"),
                               convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                                   include_columns=[n for n, h in zip(names, header) if h in hmap],
                                                                   strings_can_be_null=False))
        prefix = pa.scalar(f"{path.name}:line ")
        for batch in reader:
            n = batch.num_rows
            if n == 0:
                continue
            rows = pc.cast(pa.array(np.arange(row0, row0 + n, dtype=np.int64)), pa.string())
            chunk = pa.Table.from_batches([batch]).to_pandas()
            chunk.columns = [hmap[h] for h in [hh for nn, hh in zip(names, header) if hh in hmap]]
            for f in FIELDS:
                if f not in chunk.columns:
                    chunk[f] = "-"
            chunk["Source"] = pd.Series(pc.binary_join_element_wise(prefix, rows, "").to_numpy(zero_copy_only=False),
                                        index=chunk.index, dtype=str)
            chunk["Seq"] = np.arange(seq, seq + n, dtype=np.int64)
            seq += n
            row0 += n
            yield chunk[list(COLUMNS)]
    except pa.ArrowInvalid as e:
        raise BillFileError(path, "", f"malformed CSV ({str(e).splitlines()[0]})") from None
    except UnicodeDecodeError as e:
        raise BillFileError(path, "", f"cannot be read as UTF-8 text ({e.__class__.__name__})") from None


def read_chunks(paths, aliases: dict[str, str], chunk_lines: int = CHUNK_LINES) -> Iterator[pd.DataFrame]:
    """Every line of every file, in input order, as chunks of the :data:`COLUMNS` table."""
    seq = 0
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise BillFileError(path, "", "no such file")
        if path.is_dir():
            raise BillFileError(path, "", "a folder; give bill files (.json or .csv)")
        suffix = path.suffix.lower()
        if suffix == ".json":
            df = read_json(path, seq)
            seq += len(df)
            for i in range(0, len(df), chunk_lines):
                yield df.iloc[i:i + chunk_lines].reset_index(drop=True)
        elif suffix == ".csv":
            for chunk in read_csv_chunks(path, aliases, chunk_lines, seq):
                seq += len(chunk)
                yield chunk
        else:
            raise BillFileError(path, "", f"unknown file type {suffix or '(none)'}; expected .json (API responses) or .csv (console export)")
