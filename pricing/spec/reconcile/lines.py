"""账单明细 · Bill lines: reading Tencent Cloud bill exports into chunks of text columns.

Two shapes of the same data (Billing API 2018-07-09):

- ``DescribeBillDetail`` responses as JSON: ``{"Response": {"DetailSet": [...]}}`` (one page), a list
  of such pages, or a bare ``DetailSet`` list. Each transaction row carries its billed components in
  ``ComponentSet``; one **line** here is one component of one row (the row's fields repeated).
  ``DescribeBillResourceSummary`` pages (``ResourceSummarySet``, one row per resource and month) are
  read too: ``TotalCost`` is the line's cost, ``RealTotalCost`` its real cost.
- The console's CSV export of the same columns, headed in English (the API's field names) or in
  Chinese (the aliases in ``mapping.toml`` ``[columns]``). A CSV file is read in pieces of whole lines
  (about :data:`PIECE_BYTES`), each parsed by pyarrow's CSV reader for **the columns asked for only**;
  a column asked for later (:meth:`Chunk.col`) is parsed from the same piece then, and a line output
  in full is re-read from the piece's own bytes (:meth:`Chunk.rows`). Memory is bounded by the piece.

Every value stays text here (``bytes`` from CSV, ``str`` from JSON): money is a decimal string in
yuan with up to 8 decimals (never a float), and ``"-"`` (or an empty cell, or ``0000-00-00 00:00:00``)
means *not available*, never 0. Parsing to numbers happens where a line is reconciled.

Errors: :class:`BillFileError` with one line naming the file, the place and what was expected.
"""
from __future__ import annotations

import csv
import json
import mmap
import re
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pricing.engine.errors import PricingError

ROW_FIELDS = ("BillId", "OrderId", "BusinessCode", "BusinessCodeName", "ProductCode", "ProductCodeName",
              "PayModeName", "ActionType", "ActionTypeName", "RegionId", "RegionName", "ZoneName",
              "ResourceId", "ResourceName", "PayTime", "FeeBeginTime", "FeeEndTime", "Formula", "OwnerUin")
COMPONENT_FIELDS = ("ComponentCode", "ComponentCodeName", "ItemCode", "ItemCodeName", "SinglePrice", "PriceUnit",
                    "UsedAmount", "UsedAmountUnit", "RealTotalMeasure", "DeductedMeasure", "TimeSpan",
                    "TimeUnitName", "Cost", "Discount", "RealCost", "OriginalCostWithRI", "OriginalCostWithSP",
                    "CashPayAmount", "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount")
FIELDS = ROW_FIELDS + COMPONENT_FIELDS
"""The columns of a line, in the API's own names."""
MONEY_FIELDS = ("SinglePrice", "Cost", "RealCost", "OriginalCostWithRI", "OriginalCostWithSP", "CashPayAmount",
                "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount")
NOT_AVAILABLE = ("-", "", "0000-00-00 00:00:00", "None", "null")
SUMMARY_RENAMES = {"TotalCost": "Cost", "RealTotalCost": "RealCost"}
CHUNK_LINES = 200_000
PIECE_BYTES = 24 << 20
"""The text of a CSV file parsed at once (whole lines): a chunk of about 50,000 export lines."""
NEEDED = ("ResourceId", "FeeBeginTime", "RealCost")
CONTENT = re.compile(rb"\S")


class BillFileError(PricingError):
    """A bill file that cannot be read: the message is one line naming the file and the place."""

    def __init__(self, path: object, where: str, problem: str):
        self.path, self.where, self.problem = str(path), where, problem
        super().__init__(f"{path}: {where}: {problem}" if where else f"{path}: {problem}")


def available(text: object) -> bool:
    return isinstance(text, str) and text.strip() not in NOT_AVAILABLE


def _text(v: object) -> str:
    """A JSON value as the text a CSV cell would hold: a number exactly as written (parsed as Decimal),
    ``true``/``false``/``NaN`` as JSON spells them (so that a numeric field refuses them by name, as
    ``D`` does, never reading ``true`` as 1), an object or list as its JSON."""
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):  # JSON numbers are parsed as Decimal and NaN/Infinity kept as text (below)
        raise TypeError("float in a bill field")
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
    return str(v)


def _kind(v: object) -> str:
    """What a JSON value is, in the words of JSON: "a string", "a number", "null"..."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return "a number"


# chunks ---------------------------------------------------------------------------------------------

class Chunk:
    """Consecutive lines of one input: columns of text by field name, each a pyarrow array.

    ``seq`` numbers the lines within the whole input (``seq0`` onwards, or given); ``source(i)`` names
    a line's place (``bill.csv:line 17``, ``page.json:page 1 DetailSet[0].ComponentSet[1]``). A field
    the file does not carry reads as ``"-"`` on every line. For a CSV piece, a field not parsed yet is
    parsed when asked for (``loader``), and :meth:`rows` re-reads whole lines from the piece's bytes."""

    def __init__(self, n: int, cols: dict[str, pa.Array], name: str = "", seq0: int = 0, seqs: np.ndarray | None = None,
                 sources: list[str] | None = None, row0: int = 2, loader: Callable | None = None,
                 raw: Callable | None = None, present: frozenset | None = None, line_of: Callable | None = None):
        self.n, self.cols, self.name, self.seq0 = n, dict(cols), name, seq0
        self._seqs, self._sources, self.row0, self.line_of = seqs, sources, row0, line_of
        self.loader, self.raw = loader, raw
        self.present = present if present is not None else frozenset(cols)  # fields the file carries
        self.loaded_late: set[str] = set()

    def __len__(self) -> int:
        return self.n

    @property
    def seq(self) -> np.ndarray:
        if self._seqs is None:
            self._seqs = np.arange(self.seq0, self.seq0 + self.n, dtype=np.int64)
        return self._seqs

    def source(self, i: int) -> str:
        if self._sources is not None:
            return self._sources[i]
        return f"{self.name}:line {self.line_of(i) if self.line_of is not None else self.row0 + i}"

    def has(self, f: str) -> bool:
        return f in self.present

    def col(self, f: str) -> pa.Array:
        """The text column of field ``f`` (binary or string); ``"-"`` everywhere when the file has none."""
        a = self.cols.get(f)
        if a is None:
            if f in self.present and self.loader is not None:
                self.cols.update(self.loader([f]))
                self.loaded_late.add(f)
                return self.cols[f]
            a = pa.repeat(pa.scalar("-", pa.string()), self.n)
            self.cols[f] = a
        return a

    def load(self, fields) -> None:
        """Parse several fields at once (one pass over the piece)."""
        want = [f for f in fields if f not in self.cols and f in self.present]
        if want and self.loader is not None:
            self.cols.update(self.loader(want))
            self.loaded_late.update(want)

    def texts(self, f: str, idx=None) -> list[str]:
        a = self.col(f)
        if idx is not None:
            a = a.take(pa.array(np.asarray(idx, dtype=np.int64)))
        return [decode(v, self, f) for v in a.to_pylist()]

    def rows(self, idx) -> list[dict]:
        """Whole lines (every field, ``Source`` and ``Seq``) of the positions ``idx``."""
        idx = [int(i) for i in idx]
        if not idx:
            return []
        if self.raw is not None:
            out = self.raw(idx)
        else:
            sel = pa.array(np.asarray(idx, dtype=np.int64))
            vals = {f: [decode(v, self, f) for v in self.col(f).take(sel).to_pylist()] for f in FIELDS}
            out = [{f: vals[f][k] for f in FIELDS} for k in range(len(idx))]
        seq = self.seq
        for i, line in zip(idx, out):
            line["Source"] = self.source(i)
            line["Seq"] = int(seq[i])
        return out

    def partial_rows(self, idx, fields) -> list[dict]:
        """Lines of the positions ``idx`` with only ``fields`` read (the others ``"-"``): enough to re-price
        a line the vectorised path priced, without re-reading it."""
        idx = [int(i) for i in idx]
        if not idx:
            return []
        sel = pa.array(np.asarray(idx, dtype=np.int64))
        vals = {f: [decode(v, self, f) for v in self.col(f).take(sel).to_pylist()] for f in fields}
        seq = self.seq
        out = []
        for k, i in enumerate(idx):
            line = dict.fromkeys(FIELDS, "-")
            for f in fields:
                line[f] = vals[f][k]
            line["Source"] = self.source(i)
            line["Seq"] = int(seq[i])
            out.append(line)
        return out


def decode(v, chunk: Chunk | None = None, f: str = "") -> str:
    if v is None:
        return "-"
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            raise BillFileError(chunk.name if chunk else "", f, "not UTF-8 text") from None
    return v


def from_records(rows: list[dict], name: str, seq0: int) -> Chunk:
    """A chunk from line dicts (every field as text; ``Source`` names each)."""
    cols = {f: pa.array([r.get(f, "-") for r in rows], pa.string()) for f in FIELDS}
    present = frozenset(f for f in FIELDS if any(f in r for r in rows)) | frozenset(FIELDS)
    return Chunk(len(rows), cols, name, seq0, sources=[r["Source"] for r in rows], present=present)


def from_pandas(df, seqs: np.ndarray, sources: list[str]) -> Chunk:
    """A chunk from a pandas frame of text columns (the partitioned run's partitions)."""
    cols = {}
    for f in FIELDS:
        if f in df.columns:
            cols[f] = pa.array(df[f].astype(object).tolist(), pa.string())
    return Chunk(len(df), cols, "", seqs=np.asarray(seqs, dtype=np.int64), sources=list(sources), present=frozenset(FIELDS))


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


def json_lines(path: Path) -> list[dict]:
    """All lines of one JSON file (API responses are paged, so a file is one or a few pages)."""
    from decimal import Decimal
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise BillFileError(path, "", f"cannot be read as UTF-8 text ({e.__class__.__name__})") from None
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=int, parse_constant=str)
    except json.JSONDecodeError as e:
        raise BillFileError(path, f"line {e.lineno} column {e.colno}", f"not valid JSON ({e.msg})") from None
    rows = []
    for p, page in enumerate(_pages(data, path)):
        if not isinstance(page, dict):
            raise BillFileError(path, f"page {p + 1} Response", f"expected an object, got {_kind(page)}")
        if "Error" in page:
            raise BillFileError(path, f"page {p + 1}", f"the API answered with an error: {_text(page['Error'])}")
        details = page.get("DetailSet")
        summaries = page.get("ResourceSummarySet")
        if details is None and summaries is None:
            raise BillFileError(path, f"page {p + 1}", "no DetailSet or ResourceSummarySet in the response")
        for name, rows_of in (("DetailSet", details), ("ResourceSummarySet", summaries)):
            if rows_of is not None and not isinstance(rows_of, list):
                raise BillFileError(path, f"page {p + 1} {name}", f"expected a list of objects, got {_kind(rows_of)}")
        for r, row in enumerate(details or []):
            where = f"page {p + 1} DetailSet[{r}]"
            if not isinstance(row, dict):
                raise BillFileError(path, where, f"expected an object, got {_kind(row)}")
            comps = row.get("ComponentSet") or []
            if not isinstance(comps, list) or not comps:
                raise BillFileError(path, f"{where}.ComponentSet", "expected a non-empty list of billed components"
                                    + ("" if isinstance(comps, list) else f", got {_kind(comps)}"))
            base = {f: _text(row.get(f)) for f in ROW_FIELDS}
            for c, comp in enumerate(comps):
                if not isinstance(comp, dict):
                    raise BillFileError(path, f"{where}.ComponentSet[{c}]", f"expected an object, got {_kind(comp)}")
                line = dict(base)
                line.update({f: _text(comp.get(f)) for f in COMPONENT_FIELDS})
                line["Source"] = f"{path.name}:{where}.ComponentSet[{c}]"
                rows.append(line)
        for r, row in enumerate(summaries or []):
            where = f"page {p + 1} ResourceSummarySet[{r}]"
            if not isinstance(row, dict):
                raise BillFileError(path, where, f"expected an object, got {_kind(row)}")
            row = {SUMMARY_RENAMES.get(k, k): v for k, v in row.items()}
            line = {f: _text(row.get(f)) for f in FIELDS}
            line["Source"] = f"{path.name}:{where}"
            rows.append(line)
    return rows


# CSV ------------------------------------------------------------------------------------------

def header_map(header: list[str], aliases: dict[str, str], path: Path) -> dict[str, str]:
    """column name in the file -> field name."""
    out = {}
    for h in header:
        name = h.strip().lstrip("\ufeff")
        for suffix in ("(元)", "（元）"):
            if name.endswith(suffix):
                name = name[: -len(suffix)].strip()
        if name in FIELDS:
            out[h] = name
        elif name in SUMMARY_RENAMES:
            out[h] = SUMMARY_RENAMES[name]
        elif name in aliases:
            out[h] = aliases[name]
    missing = [f for f in NEEDED if f not in out.values()]
    if missing:
        raise BillFileError(path, "header", f"no column for {', '.join(missing)}; expected the export's columns in "
                                            "English (API field names) or Chinese (see mapping.toml [columns])")
    return out


def read_header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            first = fh.readline()
    except (OSError, UnicodeDecodeError) as e:
        raise BillFileError(path, "", f"cannot be read as UTF-8 text ({e.__class__.__name__})") from None
    if not first.strip():
        raise BillFileError(path, "header", "empty file")
    try:
        return next(csv.reader([first]))
    except csv.Error as e:
        raise BillFileError(path, "header", f"not a CSV file ({e})") from None


ROW_ERROR = re.compile(r"Row #(\d+): (.*)", re.S)
COLUMN_COUNT = re.compile(r"Expected (\d+) columns, got (\d+)")


class CsvPiece:
    """Whole lines of a CSV file (bytes), parsed by pyarrow for the columns asked for.

    Places are the file's line numbers (the header is line 1; ``row0`` is the piece's first line). The
    reader keeps empty lines as records, so that a record's position is its line (and pyarrow's
    ``Row #`` is too); the piece drops them (``keep``: the positions of the other records, None when
    there is no empty line). A quoted value may hold a line break: a piece with a quote in it works its
    records' lines out from the bytes (:meth:`layout`), as the reader splits them."""

    def __init__(self, path: Path, data, names: list[str], hmap: dict[str, str], row0: int, quoted: bool = True):
        self.path, self.data, self.names, self.hmap, self.row0 = path, data, names, hmap, row0
        self.quoted = quoted
        self.col_of = {}
        for col, f in hmap.items():
            self.col_of.setdefault(f, col)  # the first column of a field (two Chinese headings may name one)
        self.records: int | None = None      # records the reader sees, empty lines included
        self.spans: int | None = None        # lines of the file the piece spans
        self.keep: np.ndarray | None = None  # positions of the non-empty records (None: every record)
        self._keep_arr: pa.Array | None = None
        self._layout: tuple | None = None

    def _read(self, cols: list[str]):
        import pyarrow.csv as pcsv
        try:
            return pcsv.read_csv(pa.py_buffer(self.data),
                                 read_options=pcsv.ReadOptions(column_names=self.names, use_threads=False, block_size=1 << 20),
                                 parse_options=pcsv.ParseOptions(ignore_empty_lines=False),
                                 convert_options=pcsv.ConvertOptions(column_types={c: pa.binary() for c in cols},
                                                                     include_columns=cols, strings_can_be_null=False,
                                                                     check_utf8=False))
        except pa.ArrowInvalid as e:
            raise self._parse_error(str(e)) from None

    def _parse_error(self, message: str) -> BillFileError:
        """pyarrow's message, its ``Row #k`` (the k-th record, empty lines included) made the file's line."""
        m = ROW_ERROR.search(message)
        if m is None:
            return BillFileError(self.path, f"from line {self.row0}", f"malformed CSV ({message.splitlines()[0]})")
        k = int(m.group(1)) - 1
        n = self.record_line(k)
        c = COLUMN_COUNT.match(m.group(2))
        if c is not None:
            return BillFileError(self.path, f"line {n}", f"expected {c.group(1)} columns (as the header), got {c.group(2)}")
        return BillFileError(self.path, f"line {n}", f"malformed CSV line ({m.group(2).splitlines()[0]})")

    def layout(self) -> tuple:
        """(start, end, empty, line) of every record the reader sees, and the number of lines the piece
        spans. A line ends at ``\\n``, ``\\r\\n`` or a lone ``\\r``, as the reader splits them; a record ends
        at a line end outside quotes (``line``: its first line, from 0 at the piece's first)."""
        if self._layout is None:
            raw = np.frombuffer(self.data, dtype=np.uint8)
            nl = raw == 10
            lone = raw == 13
            lone[:-1] &= ~nl[1:]
            breaks = np.flatnonzero(nl | lone)
            ends = breaks
            if self.quoted:  # a line end inside quotes (an odd number of quotes before it) is part of a value
                ends = breaks[(np.cumsum(raw == 34, dtype=np.uint8)[breaks] & 1) == 0]
                if self.records is not None and len(ends) != self.records:
                    ends = breaks  # a stray quote inside a value (``my"app``), which the reader takes as it is
            starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
            size = ends - starts
            empty = (size == 0) | ((size == 1) & (raw[np.minimum(starts, max(len(raw) - 1, 0))] == 13))
            line = np.searchsorted(breaks, starts)
            self._layout = (starts, ends, empty, line, len(breaks))
        return self._layout

    def _laid_out(self) -> tuple:
        """The layout, which must split the records as the reader did."""
        lay = self.layout()
        if self.records is not None and len(lay[0]) != self.records:
            raise BillFileError(self.path, f"from line {self.row0}", "malformed CSV (its quotes do not pair as the "
                                                                     "reader reads them)")
        return lay

    def record_line(self, k: int) -> int:
        """The file's line of record ``k`` (empty lines included)."""
        if self.quoted:
            return self.row0 + int(self._laid_out()[3][k])
        return self.row0 + k

    def line_of(self, i: int) -> int:
        """The file's line of line ``i`` of the piece (empty lines left out)."""
        return self.record_line(int(self.keep[i]) if self.keep is not None else i)

    def _settle(self, t) -> None:
        """On the first parse: the records, the empty ones among them, and the lines the piece spans."""
        self.records = t.num_rows if t is not None else len(self.layout()[0])
        empty = None
        if t is None or self.quoted:
            empty = self._laid_out()[2]
        else:
            maybe = None  # a record empty in every column parsed may be an empty line: the bytes tell
            for c in t.column_names:
                eq = pc.equal(t[c], pa.scalar(b"", pa.binary()))
                maybe = eq if maybe is None else pc.and_(maybe, eq)
                if not pc.any(maybe).as_py():
                    break
            else:
                if maybe is not None:
                    empty = self._laid_out()[2]
        self.spans = self.layout()[4] if self.quoted or t is None else self.records
        if empty is not None and empty.any():
            self.keep = np.flatnonzero(~empty)
            self._keep_arr = pa.array(self.keep)

    def parse(self, fields) -> dict[str, pa.Array]:
        cols = [self.col_of[f] for f in fields if f in self.col_of]
        if not cols:
            return {}
        t = self._read(cols)
        if self.records is None:
            self._settle(t)
        out = {}
        for c in cols:
            a = t[c]
            a = a.chunk(0) if a.num_chunks == 1 else pa.concat_arrays(a.chunks)
            out[self.hmap[c]] = a.take(self._keep_arr) if self._keep_arr is not None else a
        return out

    def count(self) -> int:
        """The piece's lines (empty ones left out), when no column is parsed."""
        if self.records is None:
            self._settle(None)
        return len(self.keep) if self.keep is not None else self.records

    def lines(self, idx: list[int]) -> list[dict]:
        """Whole lines by position in the piece, every field (``"-"`` for fields the file lacks)."""
        starts, ends = self._laid_out()[:2]
        out = []
        for i in idx:
            k = int(self.keep[i]) if self.keep is not None else i
            a, b = int(starts[k]), int(ends[k])
            try:
                text = bytes(self.data[a:b]).decode("utf-8")
            except UnicodeDecodeError:
                raise BillFileError(self.path, f"line {self.line_of(i)}", "not UTF-8 text") from None
            try:
                cells = next(csv.reader([text.rstrip("\r\n")]))
            except (csv.Error, StopIteration):
                raise BillFileError(self.path, f"line {self.line_of(i)}", "malformed CSV line") from None
            line = dict.fromkeys(FIELDS, "-")
            for name, v in zip(self.names, cells):
                f = self.hmap.get(name)
                if f is not None and self.col_of[f] == name:
                    line[f] = v
            out.append(line)
        return out


def read_csv_chunks(path: Path, aliases: dict[str, str], columns: set[str] | None = None, start_seq: int = 0,
                    piece_bytes: int = PIECE_BYTES) -> Iterator[Chunk]:
    """Chunks of a CSV export, a piece of whole lines at a time, with the fields in ``columns`` parsed
    (every field when None); other fields are parsed when asked for. The file is mapped into memory
    and each piece handed to pyarrow as a view of it, without a copy."""
    header = read_header(path)
    hmap = header_map(header, aliases, path)
    names = [h.lstrip("\ufeff") if i == 0 else h for i, h in enumerate(header)]
    hmap = {n: hmap[h] for n, h in zip(names, header) if h in hmap}
    present = frozenset(hmap.values())
    seq, row0 = start_seq, 2
    try:
        fh = path.open("rb")
        size = path.stat().st_size
        fh.readline()
        pos = fh.tell()
    except OSError as e:
        raise BillFileError(path, "", f"cannot be read ({e.__class__.__name__})") from None
    with fh:
        while pos < size:
            # each piece is a mapping of its own part of the file: no copy, and the pages are let go
            # when the piece is (so the resident memory stays that of a few pieces, whatever the file)
            off = pos - pos % mmap.ALLOCATIONGRANULARITY
            end = min(size, pos + piece_bytes)
            mm = mmap.mmap(fh.fileno(), end - off, access=mmap.ACCESS_READ, offset=off)
            if end < size:
                cut = mm.rfind(b"\n", pos - off, end - off)
                if cut < 0:  # a line longer than a piece: map on to its end
                    nl = _find_newline(fh, end)
                    end = size if nl < 0 else nl + 1
                    mm = mmap.mmap(fh.fileno(), end - off, access=mmap.ACCESS_READ, offset=off)
                else:
                    end = off + cut + 1
            data = memoryview(mm)[pos - off:end - off]
            quoted = mm.find(b'"', pos - off, end - off) >= 0
            pos = end
            if CONTENT.search(data) is None:  # empty lines only
                row0 += bytes(data).count(b"\n") + (data[-1:] != b"\n")
                continue
            if data[-1] != 10:  # the last line without its line break
                data = memoryview(bytes(data) + b"\n")
            piece = CsvPiece(path, data, names, hmap, row0, quoted)
            want = FIELDS if columns is None else [f for f in FIELDS if f in columns]
            cols = piece.parse([f for f in want if f in present])
            n = len(next(iter(cols.values()))) if cols else piece.count()
            yield Chunk(n, cols, path.name, seq, loader=piece.parse, raw=piece.lines, present=present,
                        line_of=piece.line_of)
            seq += n
            row0 += piece.spans


def _find_newline(fh, start: int) -> int:
    """The offset of the first line break at or after ``start`` (-1: none)."""
    fh.seek(start)
    at = start
    while True:
        block = fh.read(1 << 20)
        if not block:
            return -1
        i = block.find(b"\n")
        if i >= 0:
            return at + i
        at += len(block)


def prefetch(chunks: Iterator[Chunk], ahead: int = 1) -> Iterator[Chunk]:
    """The same chunks, the next one read by a thread of its own while this one is reconciled (pyarrow
    parses without the interpreter lock): the parse and the arithmetic overlap on two cores."""
    import queue
    import threading
    q: queue.Queue = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    end = object()

    def work():
        try:
            for c in chunks:
                if stop.is_set():
                    return
                q.put((c, None))
            q.put((end, None))
        except BaseException as e:  # handed to the reader of the chunks
            q.put((end, e))

    t = threading.Thread(target=work, name="reconcile-read", daemon=True)
    t.start()
    try:
        while True:
            c, err = q.get()
            if err is not None:
                raise err
            if c is end:
                return
            yield c
    finally:
        stop.set()
        while t.is_alive():
            try:
                q.get_nowait()
            except queue.Empty:
                t.join(timeout=1)


def read_chunks(paths, aliases: dict[str, str], chunk_lines: int = CHUNK_LINES,
                columns: set[str] | None = None) -> Iterator[Chunk]:
    """Every line of every file, in input order, as chunks. ``columns``: the fields to parse up front
    from CSV (the engine may add to the set as it finds it needs more); JSON chunks carry every field."""
    seq = 0
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise BillFileError(path, "", "no such file")
        if path.is_dir():
            raise BillFileError(path, "", "a folder; give bill files (.json or .csv)")
        suffix = path.suffix.lower()
        if suffix == ".json":
            rows = json_lines(path)
            for i in range(0, len(rows), chunk_lines):
                part = rows[i:i + chunk_lines]
                yield from_records(part, path.name, seq)
                seq += len(part)
        elif suffix == ".csv":
            piece = max(1 << 16, min(PIECE_BYTES, chunk_lines * 512))
            for chunk in read_csv_chunks(path, aliases, columns, seq, piece):
                seq += len(chunk)
                yield chunk
        else:
            raise BillFileError(path, "", f"unknown file type {suffix or '(none)'}; expected .json (API responses) or .csv (console export)")
