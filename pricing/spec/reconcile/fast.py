"""The vectorised path: the same reconciliation on whole chunks, in integers.

Reading is the largest cost of a big export, so a chunk is read for the fields its lines need
(:meth:`~pricing.spec.reconcile.lines.Chunk.col`) and each money or quantity column becomes exact
integers at its own scale (``"0.04166400"`` at scale 8 is ``4166400``) as cheaply as its values allow:
a column with one value is parsed once, a column equal to another column (``CashPayAmount`` and
``RealCost``) is not parsed again, a column of few values is parsed value by value, and any other is
cast by pyarrow to ``decimal128`` at 8 decimals (refusing any loss), whose integers are taken in place.
Products keep their exact scale and are brought to the bill's 8 decimals by half-up integer rounding —
the same rounding point as the reference (:data:`pricing.spec.reconcile.kinds.LINE_8DP`). Arithmetic
runs in numpy int64; where a product could pass 2^62 it moves to Python integers (object arrays), so
nothing overflows and nothing is approximated: no float anywhere.

Vectorised: API Gateway calls (graduated tiers as a piecewise-linear cumulative cost over the
position of the line's tier scope and month), egress and dedicated hourly lines, the Billing API's
relations, each month's lines and debits. The carry (:mod:`.engine`) is vectorised for the tier
positions; the account's pools are drawn line by line through the engine's drawdown, but only for the
lines inside a pool's window while it holds something (a free quota is used up within hours). Prices
are read once per (rule, named item, catalog version interval) through the same helpers as the
reference. Every other kind (plans, packs, reserved packages, CloudBase overage, the precision line),
and any line the vectorised path declines (an item the catalog does not name), goes through the
Decimal reference line by line, with its carry. A chunk whose text the integer path cannot hold
(more than 8 decimals, a value beyond 4.6e10, a malformed number or date, fractional calls) is
reconciled by the reference as a whole — same state, same results, the right error message.

**Sampled check.** The vectorised figures must equal the reference's. A line is re-priced by the
reference (:func:`kinds.price_line` with the same carry) and compared field by field when it
differs, when it is output in full (JSON, HTML), when it is the first vectorised line of its rule and
price interval in a chunk, when its calls cross a tier bound, and when its sequence number is a
multiple of :data:`SAMPLE_EVERY`. A disagreement is a defect and stops the run (:class:`FastPathError`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pricing.engine.errors import InputError, PricingError
from pricing.engine.money import ZERO
from pricing.engine.policies import choose
from pricing.engine.statement import DEBIT_ROUNDING
from . import kinds
from .engine import Carry, Month, Reconciler, line_result
from .kinds import LineError, canon
from .lines import NOT_AVAILABLE
from .mapping import KINDS

SAMPLE_EVERY = 9973
VECTOR_KINDS = ("apigw.calls", "apigw.egress", "apigw.dedicated")
CYCLE_KINDS = ("cloudbase.plan", "cloudbase.pack", "cloudbase.overage")
KIND_ID = {k: i for i, k in enumerate(KINDS)}
INT_MIN = int(np.iinfo(np.int64).min)
STATUSES = ("match", "differs", "not-covered")
CODE = {s: i for i, s in enumerate(STATUSES)}
MATCH, DIFFERS, NOT_COVERED, NONE = 0, 1, 2, -1
SECOND = timedelta(seconds=1)
SAFE = 1 << 62
LIMIT8 = SAFE // 10 ** 8        # a value at scale 8 beyond this goes to the reference
NUMERIC = ("RealCost", "RealTotalMeasure", "SinglePrice", "UsedAmount", "DeductedMeasure", "TimeSpan", "Cost",
           "Discount", "OriginalCostWithRI", "OriginalCostWithSP", "CashPayAmount", "IncentivePayAmount",
           "VoucherPayAmount", "TransferPayAmount")
"""The numeric fields (:data:`kinds.NUMERIC`) in the order they are parsed: a twin after the column it often equals."""
assert set(NUMERIC) == set(kinds.NUMERIC)
MANY = {"Cost", "RealCost", "CashPayAmount", "UsedAmount", "RealTotalMeasure"}  # usually a value per line
TWIN = {"CashPayAmount": "RealCost", "Cost": "RealCost", "UsedAmount": "RealTotalMeasure"}
BASE_FIELDS = ("BusinessCode", "ComponentCode", "ResourceId", "FeeBeginTime", "OwnerUin", "UsedAmountUnit",
               "PriceUnit") + NUMERIC
"""The fields parsed up front from a CSV piece; the engine adds to them as a bill shows it needs more."""
NA_SET = pa.array(list(NOT_AVAILABLE), pa.string())
NA_SET_B = pa.array([x.encode() for x in NOT_AVAILABLE], pa.binary())


class FastPathError(PricingError):
    """The vectorised path and the Decimal reference disagree on a line (a defect, never a bill problem)."""


class Fallback(Exception):
    """This chunk is reconciled by the reference (raised before any state moves)."""


# exact integer columns -------------------------------------------------------------------------------

class Num:
    """An exact decimal column: integers ``v`` at ``s`` decimals; ``na`` where the bill says "-"."""

    __slots__ = ("v", "s", "na")

    def __init__(self, v: np.ndarray, s: int, na: np.ndarray):
        self.v, self.s, self.na = v, s, na

    def take(self, idx) -> "Num":
        if len(idx) == len(self.v):  # idx is sorted and unique: every line
            return self
        return Num(self.v[idx], self.s, self.na[idx])

    def at(self, s: int) -> np.ndarray:
        """Values at ``s`` decimals (``s`` ≥ the column's), "-" as 0."""
        v = np.where(self.na, 0, self.v) if self.na.any() else self.v
        return up(v, s - self.s)


def _obj(a: np.ndarray) -> np.ndarray:
    return a if a.dtype == object else a.astype(object)


def _maxabs(a) -> int:
    a = np.asarray(a)
    return int(np.max(np.abs(a))) if a.size else 0


def mul(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != object and b.dtype != object and _maxabs(a) * _maxabs(b) < SAFE:
        return a * b
    return _obj(a) * _obj(b)


def up(a, k: int):
    """a × 10^k (k ≥ 0), exactly."""
    if k <= 0:
        return a
    f = 10 ** k
    a = np.asarray(a)
    if a.dtype != object and _maxabs(a) * f < SAFE:
        return a * f
    return _obj(a) * f


def round_div(a, d):
    """a / d rounded half-up (away from zero); d a positive integer or an array of them."""
    a = np.asarray(a)
    d = np.asarray(d)
    if a.dtype != object and d.dtype != object and _maxabs(a) < SAFE >> 2 and (d.size == 0 or int(np.max(d)) < SAFE >> 2):
        q = (np.abs(a) * 2 + d) // (2 * d)
    else:
        q = (_obj(np.abs(a)) * 2 + _obj(d)) // (_obj(d) * 2)
    return np.where(a < 0, -q, q)


def at(a, s: int, target: int = 8):
    """The column at ``target`` decimals (half-up when it had more)."""
    if s <= target:
        return up(a, target - s)
    return round_div(a, 10 ** (s - target))


def narrow(a):
    """Back to int64 when every value fits comfortably."""
    a = np.asarray(a)
    if a.dtype == object and (len(a) == 0 or _maxabs(a) < SAFE):
        return a.astype(np.int64)
    return a


def same(a, sa: int, b, sb: int) -> np.ndarray:
    s = max(sa, sb)
    return np.asarray(up(a, s - sa) == up(b, s - sb), dtype=bool)


def dec(v, s: int) -> Decimal:
    return Decimal(int(v)).scaleb(-s)


def to_int(d: Decimal, s: int) -> int:
    q = d.scaleb(s)
    if q != q.to_integral_value():
        raise FastPathError(f"{d} has more than {s} decimals")
    return int(q)


def uniq(a) -> list[int]:
    """The distinct values of an integer array, ascending (cheap when they are few and small, the usual case)."""
    a = np.asarray(a)
    if not a.size:
        return []
    lo = int(a.min())
    hi = int(a.max())
    if lo == hi:
        return [lo]
    if lo >= 0 and hi < 1 << 16:
        return np.flatnonzero(np.bincount(a)).tolist()
    return np.unique(a).tolist()


def _exp(d: Decimal) -> int:
    return max(0, -canon(d).as_tuple().exponent)


# parsing ----------------------------------------------------------------------------------------------

def _text(v) -> str:
    try:
        return v.decode("utf-8") if isinstance(v, bytes) else v
    except UnicodeDecodeError:  # the reference names the line
        raise Fallback from None


def _value(text: str, field: str) -> Decimal | None:
    """A cell's exact value by the reference's own reading (:func:`kinds.number`: ``D``); None for "not
    available"; Fallback for anything the reference must name, or the integers cannot hold."""
    try:
        d = kinds.number(text, field)
    except InputError:
        raise Fallback from None
    if d is not None and (_exp(d) > 8 or abs(d) >= LIMIT8):
        raise Fallback
    return d


def _from_values(vals: list[Decimal | None], idx: np.ndarray | None, n: int) -> Num:
    s = max([_exp(d) for d in vals if d is not None], default=0)
    ints = np.array([0 if d is None else int(d.scaleb(s)) for d in vals], dtype=np.int64)
    nas = np.array([d is None for d in vals], dtype=bool)
    if idx is None:
        return Num(np.full(n, ints[0], dtype=np.int64), s, np.full(n, nas[0], dtype=bool))
    return Num(ints[idx], s, nas[idx])


def _all(mask) -> bool:
    return bool(pc.all(mask).as_py()) if len(mask) else True


def _exponent(arr: pa.Array) -> bool:
    """Whether a value of the column may have an exponent (an ``e`` or ``E`` in its bytes). pyarrow's cast
    to decimal reads ``45E0X0`` as 45 and ``8e-77`` as 0 where ``D`` refuses the one and keeps the other
    exact, so such a column is left to the reference; without an exponent, every text the cast takes,
    ``D`` takes, with the same value (``tests/test_reconcile_input.py``)."""
    data = arr.buffers()[2]
    if data is None:
        return False
    raw = data.to_pybytes()
    return b"e" in raw or b"E" in raw


def parse(arr: pa.Array, field: str, parsed: dict, chunk) -> Num:
    """The exact integers of a text column (see the module's docstring); Fallback when the reference must read it."""
    n = len(arr)
    if n == 0:
        return Num(np.zeros(0, dtype=np.int64), 0, np.zeros(0, dtype=bool))
    if constant(arr):
        return _from_values([_value(_text(arr[0].as_py()), field)], None, n)
    twin = TWIN.get(field)
    if twin in parsed and _all(pc.equal(arr, chunk.col(twin))):
        return parsed[twin]
    if field not in MANY:
        d = pc.dictionary_encode(arr)
        if len(d.dictionary) <= 4096:
            vals = [_value(_text(v), field) for v in d.dictionary.to_pylist()]
            return _from_values(vals, d.indices.to_numpy(zero_copy_only=False), n)
    if _exponent(arr):
        raise Fallback
    s_arr = arr.view(pa.string()) if pa.types.is_binary(arr.type) else arr
    try:
        dcol = pc.cast(s_arr, pa.decimal128(38, 8))
        na = np.zeros(n, dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        na_a = pc.is_in(s_arr, value_set=NA_SET)
        try:
            dcol = pc.cast(pc.if_else(na_a, pa.scalar("0"), s_arr), pa.decimal128(38, 8))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raise Fallback from None
        na = na_a.to_numpy(zero_copy_only=False)
    raw = np.frombuffer(dcol.buffers()[1], dtype=np.int64)[2 * dcol.offset:2 * (dcol.offset + n)].reshape(-1, 2)
    lo, hi = raw[:, 0], raw[:, 1]
    if not np.array_equal(hi, lo >> 63) or _maxabs(lo) >= SAFE:
        raise Fallback
    return Num(lo.copy(), 8, na)


def constant(arr: pa.Array) -> bool:
    """Every value of the column is its first (looked at on a few lines first, then on all)."""
    n = len(arr)
    if n < 2:
        return True
    first = arr[0]
    if n > 256 and not _all(pc.equal(arr.slice(0, 256), first)):
        return False
    return _all(pc.equal(arr, first))


def codes(arr: pa.Array) -> tuple[np.ndarray, list[str]]:
    """(index of each line's value, the values as text) of a text column."""
    if constant(arr):
        return np.zeros(len(arr), dtype=np.int64), [_text(arr[0].as_py())] if len(arr) else []
    d = pc.dictionary_encode(arr)
    return d.indices.to_numpy(zero_copy_only=False).astype(np.int64), [_text(v) for v in d.dictionary.to_pylist()]


def _moments(texts: list[str], field: str) -> tuple[np.ndarray, list]:
    """(seconds since the epoch, datetime or None for "-") of date-time texts, by the reference's own reading
    (:func:`kinds.when`: Beijing time, an offset converted); Fallback for any text it refuses."""
    out, secs = [], []
    for t in texts:
        try:
            d = kinds.when(t, field)
        except InputError:
            raise Fallback from None
        if d is None:
            out.append(None)
            secs.append(0)
            continue
        if d.microsecond:
            raise Fallback
        out.append(d)
        secs.append(int(np.datetime64(d, "s").astype(np.int64)))
    return np.array(secs, dtype=np.int64), out


# the engine ----------------------------------------------------------------------------------------

class FastReconciler(Reconciler):
    """The vectorised engine. State is the reference's (Decimal positions and pools, environments), so
    chunks hand over to each other exactly, and a chunk the integer path cannot hold goes to the
    reference; figures inside a chunk are integers."""

    engine = "fast"

    def __init__(self, opts, materialize: str = "all", columns: set[str] | None = None):
        super().__init__(opts)
        from pricing.rules.apigw.shared import TIER_KIND
        if opts.readings.get(TIER_KIND.name, "graduated") != "graduated":
            raise InputError("engine", "fast", f"reference: the fast engine prices graduated tiers only "
                                               f"({TIER_KIND.name} = {opts.readings[TIER_KIND.name]})")
        self.materialize = materialize
        self.columns = columns if columns is not None else set(BASE_FIELDS)
        self.prices: dict[tuple, tuple] = {}    # (rule id, item text) -> (change instants, {interval: facts})
        self.checked = 0                        # lines compared with the reference
        self.fallbacks = 0                      # chunks reconciled by the reference

    # prices per catalog version interval -------------------------------------------------------------
    def _facts(self, rule, text: str, when: datetime) -> dict:
        from pricing.rules.apigw import common, dedicated
        from .mapping import find_param
        trace: dict = {}
        view = self.cat.as_of(when, trace)
        if rule.kind == "apigw.calls":
            out = {"tiers": view.tiers("apigw.shared.call_tiers")}
        elif rule.kind == "apigw.egress":
            region, _ = find_param(view, rule.param, text)
            out = {"price": common.egress_price(view, region), "param": region}
        else:
            edition, _ = find_param(view, rule.param, text)
            pr = dedicated.price(view, edition, "hourly", self.o.policies)
            out = {"list": pr["list"], "discount": pr["discount"], "rounded": pr["price"], "param": edition}
        out["ids"] = sorted(trace)
        return out

    def facts(self, rule, text: str, secs: np.ndarray) -> tuple[np.ndarray, dict]:
        """Price facts per catalog version interval: (interval of each moment, {interval: facts or the
        error}), each read once through the rules' helpers at the first moment of the interval."""
        key = (rule.id, text)
        if key not in self.prices:
            when = _dt(int(secs[0]))
            try:
                first = self._facts(rule, text, when)
                changes = np.array([int(np.datetime64(c, "s").astype(np.int64)) for c in self.cat.effective_dates(first["ids"])],
                                   dtype=np.int64)
            except PricingError as e:
                first, changes = e, np.zeros(0, dtype=np.int64)
            self.prices[key] = (changes, {})
        changes, cache = self.prices[key]
        idx = np.searchsorted(changes, secs, side="right")
        out = {}
        for u in uniq(idx):
            if int(u) not in cache:
                j = int(np.argmax(idx == u))
                try:
                    cache[int(u)] = self._facts(rule, text, _dt(int(secs[j])))
                except PricingError as e:
                    cache[int(u)] = e
            out[int(u)] = cache[int(u)]
        return idx, out

    # one chunk ---------------------------------------------------------------------------------------
    def feed(self, chunk, given: dict | None = None) -> list[dict]:
        """Reconcile a chunk; ``given`` (Seq -> Carry): the carry of its lines from a partitioned run's first stage."""
        if len(chunk) == 0:
            return []
        try:
            prep = self._prepare(chunk)
        except Fallback:
            self.fallbacks += 1
            if given is not None:
                return self._feed_given(chunk, given)
            return Reconciler.feed(self, chunk)
        return self._run(chunk, prep, given)

    def _feed_given(self, chunk, given: dict) -> list[dict]:
        """The reference on a chunk whose carry was handed over."""
        idx = self.o.mapping.classify(chunk)
        rules = self.o.mapping.rules
        out = []
        for i, line in enumerate(chunk.rows(range(len(chunk)))):
            rule = rules[idx[i]] if idx[i] >= 0 else None
            use, bill, start = self.months_of(line)
            if rule is not None and rule.kind == "precision":
                m = self.months.setdefault(bill, Month())
                m.precision += kinds.dec(line, "RealCost") or ZERO
                m.precision_lines.append((line, rule, kinds.relations(line), use, bill))
                continue
            r = self.finish_line(line, rule, use, bill, start, given.get(int(line["Seq"]), Carry()))
            self.counts[r["status"]] += 1
            out.append(r)
        return out

    def _prepare(self, chunk) -> dict:
        """Everything read from the chunk before any state moves (Fallback leaves the state untouched)."""
        n = len(chunk)
        rules = self.o.mapping.rules
        idx = self.o.mapping.classify(chunk)
        kind = np.array([r.kind for r in rules] + [""], dtype=object)[idx]
        kid = np.array([KIND_ID[r.kind] for r in rules] + [-1], dtype=np.int8)[idx]
        fc, ftexts = codes(chunk.col("FeeBeginTime"))
        fsecs, fdts = _moments(ftexts, "FeeBeginTime")
        start = fsecs[fc]
        month_of = [f"{d:%Y-%m}" if d is not None else "" for d in fdts]   # per unique text
        missing = np.array([d is None for d in fdts], dtype=bool)[fc]
        pc_ = pmonth = None
        if missing.any() or self.o.period_type == "byPayTime":
            pc_, ptexts = codes(chunk.col("PayTime"))
            psecs, pdts = _moments(ptexts, "PayTime")
            pmonth = [f"{d:%Y-%m}" if d is not None else "" for d in pdts]
            if missing.any():  # no start: the line's PayTime instead (as the reference)
                if any(pdts[pc_[i]] is None for i in np.nonzero(missing)[0]):
                    raise Fallback
                start = np.where(missing, psecs[pc_], start)
        texts = sorted(set(month_of) | set(pmonth or ()))
        where = {t: i for i, t in enumerate(texts)}
        use_code = np.array([where[t] for t in month_of], dtype=np.int64)[fc]
        if missing.any():
            use_code = np.where(missing, np.array([where[t] for t in pmonth], dtype=np.int64)[pc_], use_code)
        bill_code = use_code
        if self.o.period_type == "byPayTime":
            paid = np.array([where[t] for t in pmonth], dtype=np.int64)[pc_]
            bill_code = np.where(np.array([t == "" for t in pmonth], dtype=bool)[pc_], use_code, paid)
        use_texts = bill_texts = texts
        parsed: dict[str, Num] = {}
        for f in NUMERIC:
            parsed[f] = parse(chunk.col(f), f, parsed, chunk)
        prep = {"idx": idx, "kind": kind, "kid": kid, "start": start, "use_code": use_code, "use_texts": use_texts,
                "bill_code": bill_code, "bill_texts": bill_texts, "num": parsed}
        for k in ("apigw.calls", "apigw.egress"):
            sel = np.nonzero(self._is(prep, k))[0]
            if len(sel):
                prep[k] = self._quantities(chunk, k, sel, idx, parsed)
        return prep

    def _quantities(self, chunk, k: str, sel: np.ndarray, idx: np.ndarray, num: dict) -> dict:
        """Calls or GB of each line, before and as deducted on the bill, in base units (calls whole)."""
        rules = self.o.mapping.rules
        src_units = chunk.col("UsedAmountUnit")
        uc, utexts = codes(src_units.take(pa.array(sel)))
        ks = np.zeros(len(sel), dtype=np.int64)
        ridx = idx[sel]
        for ri in uniq(ridx):
            r = rules[int(ri)]
            wr = ridx == ri
            for u in uniq(uc[wr]):
                w = wr & (uc == u)
                un = utexts[int(u)]
                if un not in r.quantity_units:
                    j = int(sel[int(np.argmax(w))])
                    raise LineError(chunk.source(j), "UsedAmountUnit", un, " | ".join(r.quantity_units))
                f = r.quantity_units[un]
                if f != f.to_integral_value() or f <= 0 or str(int(f)).strip("0") != "1":
                    raise Fallback
                ks[w] = len(str(int(f))) - 1
        u, rt, d = num["UsedAmount"].take(sel), num["RealTotalMeasure"].take(sel), num["DeductedMeasure"].take(sel)
        s = max(u.s, rt.s, d.s)
        ded_line = d.at(s)
        tot_line = np.where(rt.na, up(np.where(u.na, 0, u.v), s - u.s) + ded_line, rt.at(s))
        if (rt.na & u.na).any():
            raise Fallback
        kmax = int(ks.max())
        tot = mul(tot_line, 10 ** (ks)) if len(uniq(ks)) > 1 else up(tot_line, kmax)
        bded = mul(ded_line, 10 ** (ks)) if len(uniq(ks)) > 1 else up(ded_line, kmax)
        tot, bded = narrow(tot), narrow(bded)
        if tot.dtype == object or bded.dtype == object:
            raise Fallback
        bs = s
        if k == "apigw.calls":  # calls are whole: scale 0
            div = 10 ** bs
            if np.any(tot % div != 0) or np.any(bded % div != 0):
                raise Fallback
            tot, bded, bs = tot // div, bded // div, 0
        elif bs < 8:  # GB at 8 decimals: a pool's cover, left by earlier lines, may have more decimals than these
            tot, bded, bs = up(tot, 8 - bs), up(bded, 8 - bs), 8
            if tot.dtype == object or bded.dtype == object:
                raise Fallback
        return {"sel": sel, "ks": ks, "tot": tot, "billed_ded": bded, "bs": bs, "ded_na": d.na}

    # the run of a chunk ------------------------------------------------------------------------------
    @staticmethod
    def _is(p: dict, *names: str) -> np.ndarray:
        """Lines of these kinds (a bool array)."""
        kid = p["kid"]
        m = kid == KIND_ID[names[0]]
        for k in names[1:]:
            m |= kid == KIND_ID[k]
        return m

    def _carry(self, chunk, p: dict) -> tuple[dict, dict, dict]:
        """The carry of a chunk (in line order; moves the state): the order checks, the pools drawn, the
        tier positions, the CloudBase environments. Returns (steps of the pools per line position,
        carries of the CloudBase lines, their rows)."""
        rules = self.o.mapping.rules
        idx, kind, start = p["idx"], p["kind"], p["start"]
        self._order_all(chunk, p, self._is(p, "precision"))
        steps_of: dict[int, list] = {}
        if self.pools is not None:
            pool_lines = np.nonzero(self._is(p, "apigw.calls", "apigw.egress"))[0]
            self._order_keys(np.zeros(len(pool_lines), dtype=np.int64), ["pools"], start[pool_lines], pool_lines, chunk,
                             ("pools",), "the account's pools")
        for k in ("apigw.calls", "apigw.egress"):
            if k in p:
                self._deduct(chunk, p, k, steps_of)
        if "apigw.calls" in p:
            self._positions(chunk, p)
        carries: dict[int, Carry] = {}
        cb = np.nonzero(self._is(p, *CYCLE_KINDS))[0]
        cb_rows = dict(zip(cb.tolist(), chunk.rows(cb))) if len(cb) else {}
        for i in cb.tolist():
            carries[i] = self.carry(cb_rows[i], rules[idx[i]], p["use_texts"][p["use_code"][i]], _dt(int(start[i])))
        return steps_of, carries, cb_rows

    def carry_only(self, chunk) -> dict[int, Carry]:
        """The carry of every line of a chunk that takes one (by ``Seq``), moving the state: the first
        stage of a partitioned run, in line order."""
        rules = self.o.mapping.rules
        try:
            p = self._prepare(chunk)
        except Fallback:
            out = {}
            idx = self.o.mapping.classify(chunk)
            for i, line in enumerate(chunk.rows(range(len(chunk)))):
                rule = rules[idx[i]] if idx[i] >= 0 else None
                use, _, start = self.months_of(line)
                if rule is not None and rule.kind == "precision":
                    continue
                self._order(line, ("resource", line["ResourceId"]), start, f"resource {line['ResourceId']}")
                c = self.carry(line, rule, use, start)
                if rule is not None and (c.deducted is not None or c.position is not None or c.cycle is not None):
                    out[int(line["Seq"])] = c
            return out
        steps_of, carries, _ = self._carry(chunk, p)
        seq = chunk.seq
        out = {int(seq[i]): c for i, c in carries.items() if c.cycle is not None}
        for k in ("apigw.calls", "apigw.egress"):
            if k in p:
                for i in p[k]["sel"].tolist():
                    c = self._carry_of(i, k, p, steps_of)
                    if c.deducted is not None or c.position is not None:
                        out[int(seq[i])] = c
        return out

    def _given(self, chunk, p: dict, given: dict) -> tuple[dict, dict, dict]:
        """The carry of a chunk handed over by the first stage of a partitioned run (``given``: Seq -> Carry)."""
        seq = chunk.seq
        steps_of: dict[int, list] = {}
        for k in ("apigw.calls", "apigw.egress"):
            if k not in p:
                continue
            q = p[k]
            sel = q["sel"]
            ded = np.minimum(np.where(q["ded_na"], 0, q["billed_ded"]), q["tot"])
            bb = np.zeros(len(sel), dtype=np.int64)
            bc = np.zeros(len(sel), dtype=np.int64)
            for j, i in enumerate(sel.tolist()):
                c = given.get(int(seq[i]))
                if c is None:
                    continue
                if c.deducted is not None:
                    ded[j] = to_int(c.deducted, q["bs"])
                    steps_of[i] = c.steps
                if c.position is not None:
                    bb[j], bc[j] = int(c.position["billed"]), int(c.position["covered"])
            q["ded"] = ded
            if k == "apigw.calls":
                q["before_b"], q["before_c"] = bb, bc
        cb = np.nonzero(self._is(p, *CYCLE_KINDS))[0]
        cb_rows = dict(zip(cb.tolist(), chunk.rows(cb))) if len(cb) else {}
        carries = {i: given.get(int(seq[i]), Carry()) for i in cb.tolist()}
        return steps_of, carries, cb_rows

    def _run(self, chunk, p: dict, given: dict | None = None) -> list[dict]:
        n = len(chunk)
        rules = self.o.mapping.rules
        idx, kind, start = p["idx"], p["kind"], p["start"]
        prec = self._is(p, "precision")
        steps_of, carries, cb_rows = self._carry(chunk, p) if given is None else self._given(chunk, p, given)
        # price: relations, vectorised kinds ----------------------------------------------------------
        num = p["num"]
        fail = self._relations(chunk, num)
        status = np.where(idx >= 0, MATCH, NOT_COVERED).astype(np.int8)
        status[fail] = DIFFERS
        state = {}
        declined = np.zeros(n, dtype=bool)
        for k in VECTOR_KINDS:
            sel = np.nonzero(self._is(p, k))[0]
            if len(sel):
                state[k] = self._vector(k, chunk, sel, p, status, declined)
        # months ---------------------------------------------------------------------------------------
        rc = num["RealCost"]
        rc8 = rc.at(8) if rc.s <= 8 else at(rc.v, rc.s)
        self._book_ints(chunk, p, rc8, ~prec)
        # lines through the reference one at a time --------------------------------------------------
        results: list[dict] = []
        vec = self._is(p, *VECTOR_KINDS) & ~declined
        few = np.nonzero(~vec & (idx >= 0))[0]
        rest = np.array([i for i in few.tolist() if i not in cb_rows], dtype=np.int64)
        rows = dict(zip(rest.tolist(), chunk.rows(rest))) if len(rest) else {}
        for i in few.tolist():
            line = cb_rows.get(i) or rows[i]
            rule = rules[idx[i]]
            use, bill = p["use_texts"][p["use_code"][i]], p["bill_texts"][p["bill_code"][i]]
            if rule.kind == "precision":
                m = self.months.setdefault(bill, Month())
                m.precision += kinds.dec(line, "RealCost") or ZERO
                m.precision_lines.append((line, rule, kinds.relations(line), use, bill))
                status[i] = NONE
                continue
            c = carries.get(i) or self._carry_of(i, rule.kind, p, steps_of)
            priced, problem, readings = self.price(line, rule, _dt(int(start[i])), c)
            r = line_result(line, rule, priced, kinds.relations(line), use, bill, problem, readings)
            status[i] = CODE[r["status"]]
            results.append(r)
        for s in ("match", "differs", "not-covered"):
            self.counts[s] += int(np.count_nonzero(status == CODE[s]))
        # materialise: every vectorised line (JSON, HTML) or only those that differ (text, counts)
        want = vec & ((status == DIFFERS) | (self.materialize == "all"))
        other = np.nonzero((idx < 0) & ((status == DIFFERS) | (self.materialize == "all")))[0]
        for i, line in zip(other.tolist(), chunk.rows(other)):
            results.append(line_result(line, None, None, kinds.relations(line), p["use_texts"][p["use_code"][i]],
                                       p["bill_texts"][p["bill_code"][i]]))
        sample = vec & ((chunk.seq % SAMPLE_EVERY) == 0)
        for k, st in state.items():
            for j in st["firsts"]:
                sample[st["sel"][j]] = True
            if len(st.get("cross", ())):
                sample[st["sel"][st["cross"]]] = True
        sample &= vec
        full = np.nonzero(want)[0]
        part = np.nonzero(sample & ~want)[0]
        fields = self._sample_fields(set(kind[part].tolist()))
        lines = list(zip(full.tolist(), chunk.rows(full))) + list(zip(part.tolist(), chunk.partial_rows(part, fields)))
        for i, line in lines:
            r = self._reference(line, i, rules[idx[i]], state[kind[i]], p, steps_of)
            if want[i]:
                results.append(r)
        if self.materialize != "all":
            results = [r for r in results if r["status"] == "differs"]
        results.sort(key=lambda r: r["seq"])
        if chunk.loaded_late:
            self.columns |= chunk.loaded_late  # parse them up front from the next piece on
        return results

    def _sample_fields(self, present: set) -> list[str]:
        """The fields the reference reads to re-price a line of these kinds (the others stay unread)."""
        out = set(NUMERIC) | {"UsedAmountUnit", "PriceUnit", "FeeBeginTime", "ResourceId"}
        if self.o.period_type == "byPayTime":
            out.add("PayTime")
        for r in self.o.mapping.rules:
            if r.kind in present:
                if r.param:
                    out.add(r.param.field)
                if r.time_units:
                    out.add("TimeUnitName")
        return sorted(out)

    def _carry_of(self, i: int, k: str, p: dict, steps_of: dict) -> Carry:
        """The carry of a vectorised line (a line the vectorised path declined)."""
        c = Carry()
        q = p.get(k) if k in ("apigw.calls", "apigw.egress") else None
        if q is None:
            return c
        j = int(np.searchsorted(q["sel"], i))
        if self.pools is not None:
            c.deducted = dec(q["ded"][j], q["bs"])
            c.steps = steps_of.get(i, [])
        if k == "apigw.calls":
            c.position = {"billed": Decimal(int(q["before_b"][j])), "covered": Decimal(int(q["before_c"][j]))}
        return c

    # order ------------------------------------------------------------------------------------------
    def _order_all(self, chunk, p: dict, prec: np.ndarray):
        keep = np.nonzero(~prec)[0]
        if not len(keep):
            return
        rc, rtexts = codes(chunk.col("ResourceId").take(pa.array(keep)))
        self._order_keys(rc, [("resource", r) for r in rtexts], p["start"][keep], keep, chunk, None, "resource")

    def _order_keys(self, kc: np.ndarray, keys: list, t: np.ndarray, pos: np.ndarray, chunk, single, what: str):
        """Lines in time order within each key (and after the key's last line of earlier chunks)."""
        if not len(t):
            return
        if single is not None:
            keys = [single]
        carried = np.array([(self.last[k] - EPOCH) // SECOND if k in self.last else INT_MIN for k in keys], dtype=np.int64)
        if len(t) == 1 or np.all(t[1:] >= t[:-1]):  # in time order overall: each line after its key's carried last
            bad = np.nonzero(t < carried[kc])[0]
            if len(bad):
                j = int(bad[0])
                self._disorder(chunk, int(pos[j]), keys[kc[j]], carried[kc[j]], t[j], what)
        else:
            order = np.argsort(kc, kind="stable")
            ks, ts = kc[order], t[order]
            prev = np.empty_like(ts)
            prev[0] = carried[ks[0]]
            prev[1:] = np.where(ks[1:] == ks[:-1], ts[:-1], carried[ks[1:]])
            bad = np.nonzero(ts < prev)[0]
            if len(bad):
                j = int(order[bad[0]])
                self._disorder(chunk, int(pos[j]), keys[kc[j]], prev[bad[0]], t[j], what)
        last = np.full(len(keys), INT_MIN, dtype=np.int64)
        np.maximum.at(last, kc, t)
        for kk, v in zip(keys, last.tolist()):
            if v != INT_MIN:
                self.last[kk] = _dt(v)

    def _disorder(self, chunk, i: int, key, before: int, t: int, what: str):
        from .lines import BillFileError
        src = chunk.source(i)
        label = f"{what} {key[1]}" if what == "resource" else (f"tier scope {' '.join(key[1][:-1])}" if what == "scope" else what)
        raise BillFileError(src.split(":")[0], src.split(":", 1)[-1],
                            f"line for {label} starts {_dt(t):%Y-%m-%d %H:%M:%S}, before the line before it "
                            f"({_dt(before):%Y-%m-%d %H:%M:%S}): lines must be in time order within each resource "
                            "and, for calls, within each tier scope (sort the export by FeeBeginTime)")

    # carry: the pools, the positions ----------------------------------------------------------------
    def _deduct(self, chunk, p: dict, k: str, steps_of: dict):
        q = p[k]
        sel, tot, bs = q["sel"], q["tot"], q["bs"]
        if self.pools is None:
            q["ded"] = np.minimum(np.where(q["ded_na"], 0, q["billed_ded"]), tot)
            return
        metric = kinds.POSITION_METRIC[k]
        t = p["start"][sel]
        live = np.zeros(len(sel), dtype=bool)
        for pool in self.pools:
            if metric in pool.metrics and pool.remaining > 0:
                if pool.window is None:
                    live[:] = True
                else:
                    a = int(np.datetime64(pool.window.start, "s").astype(np.int64))
                    b = int(np.datetime64(pool.window.end, "s").astype(np.int64))
                    live |= (t >= a) & (t < b)
        ded = np.zeros(len(sel), dtype=np.int64)
        for j in np.nonzero(live)[0].tolist():
            covered, steps = self.draw(metric, dec(tot[j], bs), _dt(int(t[j])))
            if covered:
                ded[j] = to_int(covered, bs)
                steps_of[int(sel[j])] = steps
        q["ded"] = ded

    def _positions(self, chunk, p: dict):
        """The tier position before each calls line: per scope (apigw.tier.scope) and month of use."""
        from pricing.rules.apigw.shared import TIER_SCOPE
        q = p["apigw.calls"]
        sel = q["sel"]
        tot, ded = q["tot"], q["ded"]
        used = tot - ded
        take = pa.array(sel)
        oc, owners = codes(chunk.col("OwnerUin").take(take))
        parts = [(oc, [kinds.norm(x) for x in owners])]
        if self.o.readings[TIER_SCOPE.name] == "per-region":
            rc_, regions = codes(chunk.col("RegionName").take(take))
            parts.append((rc_, [kinds.norm(x) for x in regions]))
        parts.append((p["use_code"][sel], p["use_texts"]))
        combo = np.zeros(len(sel), dtype=np.int64)
        for c_, nm in parts:
            combo = combo * len(nm) + c_
        if len(combo) and np.all(combo == combo[0]):
            ukeys, kc = combo[:1], np.zeros(len(combo), dtype=np.int64)
        else:
            ukeys, kc = np.unique(combo, return_inverse=True)
        keys = []
        for u in ukeys.tolist():
            vals = []
            for c_, nm in reversed(parts):
                u, r = divmod(u, len(nm))
                vals.append(nm[r])
            keys.append(tuple(reversed(vals)))
        self._order_keys(kc, [("scope", key) for key in keys], p["start"][sel], sel, chunk, None, "scope")
        before_b = np.zeros(len(sel), dtype=np.int64)
        before_c = np.zeros(len(sel), dtype=np.int64)
        for g, key in enumerate(keys):
            w = np.nonzero(kc == g)[0] if len(keys) > 1 else slice(None)
            pos = self.pos.setdefault(key, [ZERO, ZERO])
            ub, uc_ = used[w], ded[w]
            cb = np.cumsum(ub)
            cc = np.cumsum(uc_)
            ob, oc = int(pos[0]), int(pos[1])
            if (len(cb) and (abs(int(cb[-1])) + abs(ob) >= SAFE or abs(int(cc[-1])) + abs(oc) >= SAFE)):
                raise FastPathError("a tier position beyond 2^62 calls")
            before_b[w] = cb - ub + ob
            before_c[w] = cc - uc_ + oc
            if len(cb):
                pos[0] += Decimal(int(cb[-1]))
                pos[1] += Decimal(int(cc[-1]))
        q["before_b"], q["before_c"] = before_b, before_c

    # months -----------------------------------------------------------------------------------------
    def _book_ints(self, chunk, p: dict, rc8: np.ndarray, keep: np.ndarray):
        """Each bill month's Σ lines, and under per-bill-fen each settlement's (transaction's) debit in fen."""
        bc = p["bill_code"]
        texts = p["bill_texts"]
        rc8 = narrow(rc8)
        months = uniq(bc[keep])
        for mcode in months:
            w = keep & (bc == mcode)
            v = rc8[w]
            mo = self.months.setdefault(texts[mcode], Month())
            mo.count += int(np.count_nonzero(w))
            mo.lines += dec(int(np.sum(_obj(v))) if v.dtype == object or _maxabs(v) * len(v) >= SAFE else int(np.sum(v)), 8)
        if self.debit_reading != "per-bill-fen":
            return
        sel = np.nonzero(keep)[0]
        for i, bid, r in zip(sel.tolist(), chunk.texts("BillId", sel), rc8[sel].tolist()):
            self._book_tx(texts[bc[i]], bid, dec(r, 8))

    def _book_tx(self, month: str, bill_id: str, real: Decimal):
        from .lines import available
        m = self.months[month]
        if not available(bill_id):
            m.per_bill += kinds.debit(real)
            return
        if self.open_tx is not None and self.open_tx[:2] == (month, bill_id):
            self.open_tx = (month, bill_id, self.open_tx[2] + real)
        else:
            self._close_tx()
            self.open_tx = (month, bill_id, real)

    # relations --------------------------------------------------------------------------------------
    def _relations(self, chunk, num: dict) -> np.ndarray:
        n = len(chunk)
        fail = np.zeros(n, dtype=bool)
        u, rt, d = num["UsedAmount"], num["RealTotalMeasure"], num["DeductedMeasure"]
        ok = ~(u.na | rt.na | d.na)
        if ok.any():
            s = max(u.s, rt.s, d.s)
            fail |= ok & ~np.asarray(up(u.v, s - u.s) == up(rt.v, s - rt.s) - up(d.v, s - d.s), dtype=bool)
        p, c, ts = num["SinglePrice"], num["Cost"], num["TimeSpan"]
        ok = ~(p.na | u.na | c.na)
        if ok.any():
            pu_c, pu_t = codes(chunk.col("PriceUnit"))
            per = np.array([int(kinds.per_of(x)) for x in pu_t], dtype=np.int64)[pu_c]
            span = np.where(ts.na, 10 ** ts.s, ts.v)
            prod = mul(mul(p.v, u.v), span)
            sp = p.s + u.s + ts.s
            exp = round_div(up(prod, max(0, 8 - sp)), per * (10 ** max(0, sp - 8)))
            fail |= ok & ~same(exp, 8, c.v, c.s)
        di, rc = num["Discount"], num["RealCost"]
        ok = ~(c.na | di.na | rc.na)
        if ok.any():
            ri, sp_ = num["OriginalCostWithRI"], num["OriginalCostWithSP"]
            s = max(c.s, ri.s, sp_.s)
            base = up(c.v, s - c.s) - ri.at(s) - sp_.at(s) if (ri.v.any() or sp_.v.any()) else up(c.v, s - c.s)
            exp = at(mul(base, di.v), s + di.s)
            fail |= ok & ~same(exp, 8, rc.v, rc.s)
        pays = [num[f] for f in ("CashPayAmount", "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount")]
        anyp = ~pays[0].na | ~pays[1].na | ~pays[2].na | ~pays[3].na
        ok = ~rc.na & anyp
        if ok.any():
            s = max([q.s for q in pays] + [rc.s])
            tot = pays[0].at(s)
            for q in pays[1:]:
                if q.v.any():
                    tot = tot + q.at(s)
            fail |= ok & ~np.asarray(tot == up(rc.v, s - rc.s), dtype=bool)
        return fail

    # vectorised kinds --------------------------------------------------------------------------------
    def _vector(self, k, chunk, sel, p, status, declined) -> dict:
        num = p["num"]
        st = {"sel": sel, "firsts": []}
        re = {}  # recomputed at scale 8 (ints)
        ok = np.ones(len(sel), dtype=bool)   # False: declined (the reference prices the line)
        if k in ("apigw.calls", "apigw.egress"):
            q = p[k]
            tot, ded, bs, ks = q["tot"], q["ded"], q["bs"], q["ks"]
            ded = np.minimum(ded, tot)
            used = tot - ded
            re["UsedAmount"] = (used, bs, ks)
            re["DeductedMeasure"] = (ded, bs, ks)
            if k == "apigw.calls":
                self._calls(chunk, sel, p, q, used, ded, ks, st, re, ok)
            else:
                self._egress(chunk, sel, p, used, bs, ks, st, re, ok)
        else:
            self._dedicated(chunk, sel, p, st, re, ok)
        declined[sel[~ok]] = True
        # real cost and the comparisons
        disc = num["Discount"].take(sel)
        ri, spn = num["OriginalCostWithRI"].take(sel), num["OriginalCostWithSP"].take(sel)
        if "Discount" in re:
            dv, dsc = re["Discount"]
        else:
            dv, dsc = np.where(disc.na, 10 ** disc.s, disc.v), disc.s
        s = max(8, ri.s, spn.s)
        base = up(re["Cost"], s - 8)
        if ri.v.any() or spn.v.any():
            base = base - ri.at(s) - spn.at(s)
        re["RealCost"] = narrow(at(mul(base, dv), s + dsc))
        bad = np.zeros(len(sel), dtype=bool)
        for f in ("SinglePrice", "UsedAmount", "DeductedMeasure", "Cost", "Discount", "RealCost"):
            if f not in re:
                continue
            b = num[f].take(sel)
            val = re[f]
            if f in ("UsedAmount", "DeductedMeasure"):
                v, bs_, ks_ = val
                kmax = int(ks_.max())
                cmp = mul(v, 10 ** (kmax - ks_)) if len(uniq(ks_)) > 1 else v
                bad |= ~b.na & ~same(cmp, bs_ + kmax, b.v, b.s)   # "-" on the bill: not checkable
            elif f == "Discount":
                v, sc = val
                bad |= ~b.na & ~same(v, sc, b.v, b.s)
            elif f == "SinglePrice":
                v, mask = val
                bad |= mask & ~b.na & ~same(v, 8, b.v, b.s)
            else:
                bad |= ~b.na & ~same(val, 8, b.v, b.s)
        bad &= ok
        status[sel[bad]] = DIFFERS
        st["status"] = status[sel]
        st["re"] = re
        return st

    def _calls(self, chunk, sel, p, q, used, ded, ks, st, re, ok):
        from pricing.rules.apigw.shared import TIER_POSITION
        reading = self.o.readings[TIER_POSITION.name]
        rules = self.o.mapping.rules
        rule = rules[int(p["idx"][sel[0]])]
        before_b, before_c = q["before_b"], q["before_c"]
        pos = before_b + before_c + ded if reading == "all-calls" else before_b
        secs = p["start"][sel]
        uidx, fmap = self.facts(rule, "", secs)
        cost = np.zeros(len(sel), dtype=np.int64)
        sp = np.zeros(len(sel), dtype=np.int64)
        single = np.ones(len(sel), dtype=bool)
        cross = np.zeros(len(sel), dtype=bool)
        for u, f in fmap.items():
            w = np.nonzero(uidx == u)[0] if len(fmap) > 1 else np.arange(len(sel))
            st["firsts"].append(int(w[0]))
            if isinstance(f, PricingError):
                ok[w] = False
                continue
            sched = f["tiers"]
            a, b = pos[w], pos[w] + used[w]
            pmax = max(to_int(t.price, 8) for t in sched.tiers)
            if _maxabs(b) * pmax * len(sched.tiers) >= SAFE:
                raise FastPathError("a tier position too large for the integer path")
            F = np.zeros(len(w), dtype=np.int64)
            first_tier = np.full(len(w), len(sched.tiers) - 1)
            assigned = np.zeros(len(w), dtype=bool)
            lo = 0
            for ti, t in enumerate(sched.tiers):
                P = to_int(t.price, 8)
                if t.up_to is None:
                    F += (np.maximum(0, b - lo) - np.maximum(0, a - lo)) * P
                else:
                    hi = int(t.up_to)
                    F += (np.minimum(np.maximum(0, b - lo), hi - lo) - np.minimum(np.maximum(0, a - lo), hi - lo)) * P
                    here = (a < hi) & ~assigned
                    first_tier[here] = ti
                    assigned |= here
                    c = (a < hi) & (b > hi)
                    if c.any():
                        single[w[c]] = False
                        cross[w[c]] = True
                    lo = hi
            cost[w] = round_div(F, int(sched.unit))
            kk = ks[w]
            for ti in uniq(first_tier):
                for kv in uniq(kk):
                    m = (first_tier == ti) & (kk == kv)
                    sp[w[m]] = to_int(sched.tiers[int(ti)].price * Decimal(10) ** int(kv) / sched.unit, 8)
        re["SinglePrice"] = (sp, single)
        re["Cost"] = cost
        st["cross"] = np.nonzero(cross)[0]

    def _egress(self, chunk, sel, p, used, bs, ks, st, re, ok):
        rules = self.o.mapping.rules
        rule = rules[int(p["idx"][sel[0]])]
        tc, texts = codes(chunk.col(rule.param.field).take(pa.array(sel)))
        secs = p["start"][sel]
        cost = np.zeros(len(sel), dtype=object)
        sp = np.zeros(len(sel), dtype=np.int64)
        for t in range(len(texts)):
            wt = np.nonzero(tc == t)[0]
            uidx, fmap = self.facts(rule, texts[t], secs[wt])
            for u, f in fmap.items():
                w = wt[uidx == u]
                st["firsts"].append(int(w[0]))
                if isinstance(f, PricingError):
                    ok[w] = False
                    continue
                price = f["price"]
                sc = _exp(price)
                cost[w] = at(mul(used[w], to_int(price, sc)), bs + sc)
                for kv in uniq(ks[w]):
                    m = w[ks[w] == kv]
                    sp[m] = to_int(price * Decimal(10) ** int(kv), 8)
        re["SinglePrice"] = (sp, np.ones(len(sel), dtype=bool))
        re["Cost"] = narrow(cost)

    def _dedicated(self, chunk, sel, p, st, re, ok):
        from pricing.rules.apigw.dedicated import UNIT_PRICE
        num = p["num"]
        rules = self.o.mapping.rules
        rule = rules[int(p["idx"][sel[0]])]
        tc, texts = codes(chunk.col(rule.param.field).take(pa.array(sel)))
        secs = p["start"][sel]
        u, ts = num["UsedAmount"].take(sel), num["TimeSpan"].take(sel)
        units = np.where(u.na, 10 ** u.s, u.v)
        if rule.time_units:
            tuc, tut = codes(chunk.col("TimeUnitName").take(pa.array(sel)))
            for x in uniq(tuc[~ts.na]):
                if tut[x] not in rule.time_units:
                    j = int(np.argmax(tuc == x))
                    raise LineError(chunk.source(int(sel[j])), "TimeUnitName", tut[x], " | ".join(rule.time_units))
                if rule.time_units[tut[x]] != 1:
                    ok[tuc == x] = False
        span = np.where(ts.na, 10 ** ts.s, ts.v)
        qty = mul(units, span)
        cost = np.zeros(len(sel), dtype=object)
        sp = np.zeros(len(sel), dtype=np.int64)
        disc = np.zeros(len(sel), dtype=np.int64)
        exact = self.o.readings[UNIT_PRICE.name] == "exact-product"
        for t in range(len(texts)):
            wt = np.nonzero(tc == t)[0]
            uidx, fmap = self.facts(rule, texts[t], secs[wt])
            for uu, f in fmap.items():
                w = wt[uidx == uu]
                st["firsts"].append(int(w[0]))
                if isinstance(f, PricingError):
                    ok[w] = False
                    continue
                price = f["list"] if exact else f["rounded"]
                sc = _exp(price)
                cost[w] = at(mul(qty[w], to_int(price, sc)), sc + u.s + ts.s)
                sp[w] = to_int(price, 8)
                disc[w] = to_int(f["discount"], 8) if exact else 10 ** 8
        re["SinglePrice"] = (sp, np.ones(len(sel), dtype=bool))
        re["Cost"] = narrow(cost)
        re["Discount"] = (disc, 8)

    # the reference on one vectorised line ------------------------------------------------------------
    def _reference(self, line, i, rule, st, p, steps_of) -> dict:
        j = int(np.searchsorted(st["sel"], i))
        start = _dt(int(p["start"][i]))
        c = self._carry_of(i, rule.kind, p, steps_of)
        use, bill = p["use_texts"][p["use_code"][i]], p["bill_texts"][p["bill_code"][i]]
        priced, problem, readings = self.price(line, rule, start, c)
        if priced is None:
            raise FastPathError(f"{line['Source']}: the reference cannot price a line the vectorised path priced: {problem}")
        r = line_result(line, rule, priced, kinds.relations(line), use, bill, problem, readings)
        re = st["re"]
        mine = {"Cost": dec(re["Cost"][j], 8), "RealCost": dec(re["RealCost"][j], 8)}
        if "Discount" in re:
            mine["Discount"] = dec(re["Discount"][0][j], re["Discount"][1])
        sp, single = re["SinglePrice"]
        if single[j]:
            mine["SinglePrice"] = dec(sp[j], 8)
        if "UsedAmount" in re:
            v, bs, ks = re["UsedAmount"]
            mine["UsedAmount"] = dec(v[j], bs) / (Decimal(10) ** int(ks[j]))
            v, bs, ks = re["DeductedMeasure"]
            mine["DeductedMeasure"] = dec(v[j], bs) / (Decimal(10) ** int(ks[j]))
        for f, v in mine.items():
            ref = priced.recomputed.get(f)
            if ref is None or ref != v:
                raise FastPathError(f"{line['Source']}: {f}: vectorised {v}, reference {ref}")
        if CODE[r["status"]] != st["status"][j]:
            raise FastPathError(f"{line['Source']}: status: vectorised {STATUSES[st['status'][j]]}, reference {r['status']}")
        self.checked += 1
        return r


EPOCH = datetime(1970, 1, 1)


def _dt(secs: int) -> datetime:
    """A moment from its seconds since 1970 (naive, Beijing time, as every moment here)."""
    return EPOCH + timedelta(seconds=int(secs))
