"""The vectorised path: the same reconciliation on whole chunks, in integers.

Every decimal column of a chunk becomes integers at one scale (the largest number of decimals in
the column; money has at most 8): ``"0.04166400"`` at scale 8 is ``4166400``. Products keep their
exact scale and are brought to the bill's 8 decimals by half-up integer rounding — the same rounding
point as the reference (:data:`pricing.spec.reconcile.kinds.LINE_8DP`). Arithmetic runs in numpy
int64; where a product could pass 2^62 the column moves to Python integers (object arrays), so
nothing overflows and nothing is approximated: no float anywhere.

Vectorised: API Gateway calls (graduated tiers as a piecewise-linear cumulative cost over the month's
position, per (resource, month of use)), egress and dedicated hourly lines, the free quota and packs
(a cascade of cumulative sums per pool, in the drawdown order), the Billing API's relations, each
month's lines and debits. Prices are read once per (rule, named item, catalog version interval)
through the same helpers as the reference. Every other kind (plans, packs, reserved packages,
CloudBase overage, the precision line) goes through the Decimal reference line by line: they are few.

**Sampled check.** The vectorised figures must equal the reference's. A line is re-priced by the
reference (:func:`kinds.price_line` with the same position and deduction) and compared field by field
when it differs, when it is output in full (JSON, HTML), when it is the first vectorised line of its
kind in a chunk, when its calls cross a tier bound, and when its sequence number is a multiple of
:data:`SAMPLE_EVERY`. A disagreement is a defect and stops the run (:class:`FastPathError`).
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import numpy as np
import pandas as pd

from pricing.engine.errors import PricingError
from pricing.engine.money import ZERO, fmt
from pricing.engine.policies import choose
from pricing.engine.results import Step
from . import kinds
from .engine import Month, Reconciler, line_result
from .kinds import LineError, canon
from .lines import NOT_AVAILABLE

SAMPLE_EVERY = 9973
VECTOR_KINDS = ("apigw.calls", "apigw.egress", "apigw.dedicated")
SAFE = 1 << 62
NUMERIC = ("SinglePrice", "UsedAmount", "RealTotalMeasure", "DeductedMeasure", "TimeSpan", "Cost", "Discount",
           "RealCost", "OriginalCostWithRI", "OriginalCostWithSP", "CashPayAmount", "IncentivePayAmount",
           "VoucherPayAmount", "TransferPayAmount")


class FastPathError(PricingError):
    """The vectorised path and the Decimal reference disagree on a line (a defect, never a bill problem)."""


# exact integer columns -------------------------------------------------------------------------------

class Num:
    """An exact decimal column: integers ``v`` at ``scale`` decimals; ``na`` where the bill says "-"."""

    __slots__ = ("v", "s", "na")

    def __init__(self, v: np.ndarray, s: int, na: np.ndarray):
        self.v, self.s, self.na = v, s, na

    def take(self, idx) -> "Num":
        return Num(self.v[idx], self.s, self.na[idx])


def _obj(a: np.ndarray) -> np.ndarray:
    return a if a.dtype == object else a.astype(object)


def _maxabs(a: np.ndarray) -> int:
    return int(np.max(np.abs(a))) if len(a) else 0


def mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype != object and b.dtype != object and _maxabs(a) * _maxabs(b) < SAFE:
        return a * b
    return _obj(a) * _obj(b)


def up(a: np.ndarray, k: int) -> np.ndarray:
    """a × 10^k (k ≥ 0), exactly."""
    if k <= 0:
        return a
    f = 10 ** k
    if a.dtype != object and _maxabs(a) * f < SAFE:
        return a * f
    return _obj(a) * f


def round_div(a: np.ndarray, d) -> np.ndarray:
    """a / d rounded half-up (away from zero); d a positive integer or an array of them."""
    a = np.asarray(a)
    d = np.asarray(d)
    if a.dtype != object and d.dtype != object and _maxabs(a) < SAFE >> 2 and (d.size == 0 or int(np.max(d)) < SAFE >> 2):
        q = (np.abs(a) * 2 + d) // (2 * d)
    else:
        q = (_obj(np.abs(a)) * 2 + _obj(d)) // (_obj(d) * 2)
    return np.where(a < 0, -q, q)


def at(a: np.ndarray, s: int, target: int = 8) -> np.ndarray:
    """The column at ``target`` decimals (half-up when it had more)."""
    if s <= target:
        return up(a, target - s)
    return round_div(a, 10 ** (s - target))


def _parse_arrow(col: pd.Series) -> Num | None:
    """The fast exact parse: pyarrow casts the text to decimal128 at 8 decimals (refusing any loss), whose
    128-bit integers are read in place; the scale is then made as small as the values allow. None when a
    cell is not a plain decimal of at most 8 decimals (the careful parse below names it)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    arr = pa.array(col.to_numpy(dtype=object) if col.dtype == object else col.array, type=pa.string()) \
        if not hasattr(col.array, "_pa_array") else pc.cast(col.array._pa_array, pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.utf8_trim_whitespace(arr)
    na_pa = pc.is_in(arr, value_set=pa.array(list(NOT_AVAILABLE)))
    try:
        d = pc.cast(pc.if_else(na_pa, pa.scalar("0"), arr), pa.decimal128(38, 8))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    raw = np.frombuffer(d.buffers()[1], dtype=np.int64)[2 * d.offset:2 * (d.offset + len(d))].reshape(-1, 2)
    lo, hi = raw[:, 0], raw[:, 1]
    if not np.array_equal(hi, lo >> 63):
        return None
    v, s = lo.copy(), 8
    while s > 0 and len(v) and not np.any(v % 10):
        v //= 10
        s -= 1
    return Num(v, s, na_pa.to_numpy(zero_copy_only=False))


def parse(col: pd.Series, field: str, sources: pd.Series) -> Num:
    fast = _parse_arrow(col)
    if fast is not None:
        return fast
    s = col.astype(str).str.strip()
    na = s.isin(NOT_AVAILABLE).to_numpy()
    ok = s.str.fullmatch(r"[+-]?\d+(?:\.\d+)?").fillna(False).to_numpy() | na
    if not ok.all():
        i = int(np.argmin(ok))
        raise LineError(sources.iloc[i], field, s.iloc[i], "a decimal number written as text, e.g. '0.04166400', or '-'")
    t = s.where(~na, "0")
    neg = t.str.startswith("-").to_numpy()
    body = t.str.lstrip("+-")
    parts = body.str.partition(".")
    ip, fp = parts[0], parts[2].str.rstrip("0")
    scale = int(fp.str.len().max() or 0) if len(fp) else 0
    digits = ip + fp.str.pad(scale, side="right", fillchar="0") if scale else ip
    if len(digits) and int(digits.str.len().max()) > 18:
        v = np.array([int(x) for x in digits], dtype=object)
    else:
        v = digits.astype("int64").to_numpy() if len(digits) else np.zeros(0, dtype=np.int64)
    v = np.where(neg, -v, v)
    return Num(v, scale, na)


def gcumsum(v: np.ndarray, keys: pd.Series) -> np.ndarray:
    """Inclusive cumulative sum within groups of ``keys``, in the given order."""
    if v.dtype != object:
        return pd.Series(v).groupby(keys.to_numpy()).cumsum().to_numpy()
    out = np.empty(len(v), dtype=object)
    for k in pd.unique(keys):
        w = (keys == k).to_numpy()
        out[w] = np.cumsum(v[w])
    return out


def narrow(a: np.ndarray) -> np.ndarray:
    """Back to int64 when every value fits comfortably."""
    if a.dtype == object and (len(a) == 0 or _maxabs(a) < SAFE):
        return a.astype(np.int64)
    return a


def same(a: np.ndarray, sa: int, b: np.ndarray, sb: int) -> np.ndarray:
    s = max(sa, sb)
    return np.asarray(up(a, s - sa) == up(b, s - sb), dtype=bool)


def dec(v, s: int) -> Decimal:
    return Decimal(int(v)).scaleb(-s)


def to_int(d: Decimal, s: int) -> int:
    q = d.scaleb(s)
    if q != q.to_integral_value():
        raise FastPathError(f"{d} has more than {s} decimals")
    return int(q)


# the engine ----------------------------------------------------------------------------------------

class FastReconciler(Reconciler):
    """The vectorised engine. State is the reference's (Decimal positions and pools), so chunks hand
    over to each other exactly; figures inside a chunk are integers."""

    engine = "fast"

    def __init__(self, opts, materialize: str = "all", deducted_override: dict | None = None):
        super().__init__(opts)
        self.materialize = materialize
        self.override = deducted_override      # seq -> Decimal deducted (partitioned runs: pools drawn beforehand)
        self.mints: dict[str, list[int]] = {}   # month -> [Σ lines, Σ debits] in 1e-8 yuan
        self.open_int: tuple | None = None      # (month, BillId, Σ) in 1e-8 yuan
        self.prices: dict[tuple, tuple] = {}    # (rule id, item text) -> (change instants, {interval: facts})
        self.checked = 0                        # lines compared with the reference
        self.deducted_log: dict | None = None   # seq -> deducted (base units), when asked (the partitioned pre-pass)

    # prices per catalog version interval -------------------------------------------------------------
    def _facts(self, rule, text: str, when: datetime) -> dict:
        from pricing.rules.apigw import common, dedicated
        trace: dict = {}
        view = self.cat.as_of(when, trace)
        if rule.kind == "apigw.calls":
            t = view.tiers("apigw.shared.call_tiers")
            out = {"tiers": t}
        elif rule.kind == "apigw.egress":
            from .mapping import find_param
            region, _ = find_param(view, rule.param, text)
            out = {"price": common.egress_price(view, region), "param": region}
        else:
            from .mapping import find_param
            edition, _ = find_param(view, rule.param, text)
            pr = dedicated.price(view, edition, "hourly", self.o.policies)
            out = {"list": pr["list"], "discount": pr["discount"], "rounded": pr["price"], "param": edition}
        out["ids"] = sorted(trace)
        return out

    def facts(self, rule, text: str, moments: np.ndarray) -> tuple[np.ndarray, dict]:
        """Price facts per catalog version interval: (interval of each moment, {interval: facts}), each
        read once through the rules' helpers at the first moment of the interval."""
        key = (rule.id, text)
        if key not in self.prices:
            first = self._facts(rule, text, pd.Timestamp(moments[0]).to_pydatetime())
            changes = np.array(self.cat.effective_dates(first["ids"]), dtype="datetime64[s]")
            self.prices[key] = (changes, {})
        changes, cache = self.prices[key]
        idx = np.searchsorted(changes, moments.astype("datetime64[s]"), side="right")
        out = {}
        for u in np.unique(idx):
            if u not in cache:
                cache[u] = self._facts(rule, text, pd.Timestamp(moments[int(np.argmax(idx == u))]).to_pydatetime())
            out[int(u)] = cache[u]
        return idx, out

    # booking -----------------------------------------------------------------------------------------
    def _book_ints(self, months: np.ndarray, bill_ids: pd.Series, rc: np.ndarray):
        """Each bill month's Σ lines and Σ debits: a transaction (BillId) is its run of adjacent lines."""
        if len(rc) == 0:
            return
        b = bill_ids.reset_index(drop=True)
        m = pd.Series(months)
        solo = b.isin(NOT_AVAILABLE).to_numpy()
        new = ((b != b.shift(1)) | (m != m.shift(1))).to_numpy() | solo | np.roll(solo, 1)
        new[0] = True
        starts = np.nonzero(new)[0]
        rcv = narrow(_obj(rc))
        sums = np.add.reduceat(rcv, starts) if rcv.dtype != object else \
            np.array([sum(rcv[a:z]) for a, z in zip(starts, list(starts[1:]) + [len(rcv)])], dtype=object)
        tx_m = m.iloc[starts].to_numpy()
        tx_b = b.iloc[starts].to_numpy()
        counts = np.diff(np.append(starts, len(rcv)))
        raw = narrow(_obj(sums))
        merged = _obj(raw).copy()
        if self.open_int is not None:
            if (tx_m[0], tx_b[0]) == self.open_int[:2] and not solo[0]:
                merged[0] += self.open_int[2]
                self.open_int = None
            else:
                self._close_int()
        keep_open = not solo[starts[-1]]
        closed = merged[:-1] if keep_open else merged
        deb = np.zeros(len(merged), dtype=object)
        if len(closed):
            c = narrow(closed)
            deb[:len(closed)] = round_div(c, 1_000_000) * 1_000_000
        if keep_open:
            self.open_int = (tx_m[-1], tx_b[-1], int(merged[-1]))
        g = pd.DataFrame({"m": tx_m, "raw": _obj(raw), "deb": deb, "n": counts}).groupby("m", sort=False).sum()
        for mm, row in g.iterrows():
            mi = self.mints.setdefault(mm, [0, 0, 0])
            mi[0] += int(row["raw"])
            mi[1] += int(row["deb"])
            mi[2] += int(row["n"])

    @staticmethod
    def _debit_int(v: int) -> int:
        q = (abs(v) + 500_000) // 1_000_000 * 1_000_000
        return q if v >= 0 else -q

    def _close_int(self):
        if self.open_int is not None:
            m, _, v = self.open_int
            self.mints[m][1] += self._debit_int(v)
            self.open_int = None

    def finish(self):
        self._close_int()
        for m, (lines, debits, count) in self.mints.items():
            mo = self.months.setdefault(m, Month())
            mo.count += count
            mo.lines += dec(lines, 8)
            mo.debits += dec(debits, 8)
        return super().finish()

    # one chunk ---------------------------------------------------------------------------------------
    def feed(self, chunk: pd.DataFrame) -> list[dict]:
        n = len(chunk)
        if n == 0:
            return []
        if self.deducted_log is None:
            self._pool_steps = {}  # pool steps of this chunk's lines (kept across chunks only by the pre-pass)
        rules = self.o.mapping.rules
        idx = self.o.mapping.classify(chunk)
        kind = np.array([r.kind for r in rules] + [""], dtype=object)[idx]
        src = chunk["Source"]
        start_s = chunk["FeeBeginTime"].where(~chunk["FeeBeginTime"].isin(NOT_AVAILABLE), chunk["PayTime"])
        bad = start_s.isin(NOT_AVAILABLE).to_numpy()
        if bad.any():
            i = int(np.argmax(bad))
            raise LineError(src.iloc[i], "FeeBeginTime", chunk["FeeBeginTime"].iloc[i], "the line's start (or PayTime)")
        try:
            start = pd.to_datetime(start_s, format="%Y-%m-%d %H:%M:%S").to_numpy()
        except (ValueError, TypeError):
            return self._fallback(chunk)
        use = start_s.str.slice(0, 7).to_numpy()
        bill = use
        if self.o.period_type == "byPayTime":
            pt = chunk["PayTime"]
            bill = np.where(pt.isin(NOT_AVAILABLE).to_numpy(), use, pt.str.slice(0, 7).to_numpy())
        prec = kind == "precision"
        self._order_vec(chunk["ResourceId"].to_numpy()[~prec], start[~prec], src[~prec])
        num = {f: parse(chunk[f], f, src) for f in NUMERIC}
        rc = num["RealCost"]
        rc8 = at(np.where(rc.na, 0, rc.v), rc.s)
        keep = ~prec
        self._book_ints(bill[keep], chunk["BillId"][keep], rc8[keep])
        fail = self._relations(chunk, num)                       # bool per line: a relation fails
        status = np.where(idx >= 0, "match", "not-covered").astype(object)
        status[fail] = "differs"
        results: list[dict] = []
        vec = np.isin(kind, VECTOR_KINDS)
        state = {}
        for k in VECTOR_KINDS:
            sel = np.nonzero(kind == k)[0]
            if len(sel):
                state[k] = self._vector(k, chunk, sel, idx, num, start, use, status)
        # lines the reference prices one at a time (few): plans, packs, reserved, overage, precision
        few = np.nonzero(~vec & (idx >= 0))[0]
        for i, line in zip(few, chunk.iloc[few].to_dict("records") if len(few) else []):
            rule = rules[idx[i]]
            if rule.kind == "precision":
                m = self.months.setdefault(bill[i], Month())
                m.precision += kinds.dec(line, "RealCost") or ZERO
                m.precision_lines.append((line, rule, kinds.relations(line), use[i], bill[i]))
                status[i] = None
                continue
            priced, problem = None, ""
            try:
                priced = kinds.price_line(self.cat.as_of(pd.Timestamp(start[i]).to_pydatetime()), line, rule, self.o.policies)
            except LineError:
                raise
            except PricingError as e:
                problem = str(e)
            r = line_result(line, rule, priced, kinds.relations(line), use[i], bill[i], problem)
            status[i] = r["status"]
            results.append(r)
        for s in ("match", "differs", "not-covered"):
            self.counts[s] += int(np.sum(status == s))
        # materialise: every vectorised line (JSON, HTML) or only those that differ (text, counts)
        want = vec & ((status == "differs") | (self.materialize == "all"))
        other = np.nonzero((idx < 0) & ((status == "differs") | (self.materialize == "all")))[0]
        for i, line in zip(other, chunk.iloc[other].to_dict("records") if len(other) else []):
            results.append(line_result(line, None, None, kinds.relations(line), use[i], bill[i]))
        sample = vec & ((chunk["Seq"].to_numpy() % SAMPLE_EVERY) == 0)
        for k, st in state.items():
            sample[st["sel"][0]] = True
            if "cross" in st:
                sample[st["sel"][st["cross"]]] = True
        picked = np.nonzero(want | sample)[0]
        rows = chunk.iloc[picked].to_dict("records") if len(picked) else []   # one take per column, not per line
        for i, line in zip(picked, rows):
            r = self._reference(line, i, rules[idx[i]], state[kind[i]], use[i], bill[i])
            if want[i]:
                results.append(r)
        if self.materialize != "all":
            results = [r for r in results if r["status"] == "differs"]
        results.sort(key=lambda r: r["seq"])
        return results

    def _fallback(self, chunk):
        raise LineError(chunk["Source"].iloc[0], "FeeBeginTime", chunk["FeeBeginTime"].iloc[0],
                        "date-times written 'YYYY-MM-DD HH:MM:SS' (or use --engine reference)")

    def _order_vec(self, res: np.ndarray, start: np.ndarray, src: pd.Series):
        if len(res) == 0:
            return
        codes, uniq = pd.factorize(res)
        df = pd.DataFrame({"r": codes, "t": start})
        prev = df.groupby("r", sort=False)["t"].shift(1)
        first = prev.isna().to_numpy()
        carried = pd.Series(np.array([self.last.get(r, np.datetime64("NaT")) for r in uniq], dtype="datetime64[ns]")[codes])
        prev = prev.where(~first, carried)
        bad = (df["t"] < prev).fillna(False).to_numpy()
        if bad.any():
            i = int(np.argmax(bad))
            p = src.iloc[i]
            raise kinds.LineError(p, "FeeBeginTime", str(pd.Timestamp(start[i])),
                                  f"a start no earlier than the line before it for resource {uniq[codes[i]]} "
                                  "(lines must be in time order within each resource: sort the export by FeeBeginTime)")
        last = df.groupby("r", sort=False)["t"].last()
        for c, t in last.items():
            self.last[uniq[c]] = pd.Timestamp(t).to_pydatetime()

    def _relations(self, chunk: pd.DataFrame, num: dict) -> np.ndarray:
        fail = np.zeros(len(chunk), dtype=bool)
        u, rt, d = num["UsedAmount"], num["RealTotalMeasure"], num["DeductedMeasure"]
        ok = ~(u.na | rt.na | d.na)
        s = max(u.s, rt.s, d.s)
        r1 = up(u.v, s - u.s) == up(rt.v, s - rt.s) - up(d.v, s - d.s)
        fail |= ok & ~np.asarray(r1, dtype=bool)
        p, c, ts = num["SinglePrice"], num["Cost"], num["TimeSpan"]
        ok = ~(p.na | u.na | c.na)
        if ok.any():
            pu = chunk["PriceUnit"]
            per = pu.map({x: int(kinds.per_of(x)) for x in pd.unique(pu)}).to_numpy(dtype=np.int64)
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
            base = up(c.v, s - c.s) - up(np.where(ri.na, 0, ri.v), s - ri.s) - up(np.where(sp_.na, 0, sp_.v), s - sp_.s)
            exp = at(mul(base, di.v), s + di.s)
            fail |= ok & ~same(exp, 8, rc.v, rc.s)
        pays = [num[f] for f in ("CashPayAmount", "IncentivePayAmount", "VoucherPayAmount", "TransferPayAmount")]
        anyp = np.zeros(len(chunk), dtype=bool)
        for q in pays:
            anyp |= ~q.na
        ok = ~rc.na & anyp
        if ok.any():
            s = max([q.s for q in pays] + [rc.s])
            tot = sum(up(np.where(q.na, 0, q.v), s - q.s) for q in pays)
            fail |= ok & ~np.asarray(tot == up(rc.v, s - rc.s), dtype=bool)
        return fail

    # vectorised kinds --------------------------------------------------------------------------------
    def _vector(self, k, chunk, sel, idx, num, start, use, status) -> dict:
        rules = self.o.mapping.rules
        ridx = idx[sel]
        rule_of = rules[int(ridx[0])]  # the rules of one kind read the line alike (units, param field)
        st = {"sel": sel}
        re = {}  # recomputed at scale 8 (ints) or None for "not on the line"
        src = chunk["Source"].to_numpy()[sel]
        if k in ("apigw.calls", "apigw.egress"):
            units = chunk["UsedAmountUnit"].to_numpy()[sel]
            ks = np.zeros(len(sel), dtype=np.int64)
            for ri in np.unique(ridx):
                r = rules[int(ri)]
                wr = ridx == ri
                for un in pd.unique(units[wr]):
                    w = wr & (units == un)
                    if un not in r.quantity_units:
                        j = int(np.argmax(w))
                        raise LineError(src[j], "UsedAmountUnit", un, " | ".join(r.quantity_units))
                    f = r.quantity_units[un]
                    if f != f.to_integral_value() or f <= 0 or str(int(f)).strip("0") != "1":
                        raise FastPathError(f"{src[int(np.argmax(w))]}: unit factor {f} is not a power of ten (use --engine reference)")
                    ks[w] = len(str(int(f))) - 1
            u, rt, d = num["UsedAmount"].take(sel), num["RealTotalMeasure"].take(sel), num["DeductedMeasure"].take(sel)
            s = max(u.s, rt.s, d.s)
            tot_line = np.where(rt.na, up(u.v, s - u.s) + up(np.where(d.na, 0, d.v), s - d.s), up(rt.v, s - rt.s))
            ded_line = np.where(d.na, 0, up(d.v, s - d.s))
            # base units (calls, GB) at scale bs: line quantity × 10^k
            bs = s
            tot = _obj(tot_line) * (10 ** _obj(ks)) if len(np.unique(ks)) > 1 else up(tot_line, int(ks[0]))
            billed_ded = _obj(ded_line) * (10 ** _obj(ks)) if len(np.unique(ks)) > 1 else up(ded_line, int(ks[0]))
            tot, billed_ded = narrow(tot), narrow(billed_ded)
            if k == "apigw.calls":  # calls are whole: scale 0
                div = 10 ** bs
                if np.any(np.asarray(tot % div != 0)) or np.any(np.asarray(billed_ded % div != 0)):
                    raise FastPathError("fractional calls on a line (use --engine reference)")
                tot, billed_ded, bs = tot // div, billed_ded // div, 0
            ded = self._deducted(k, chunk, sel, tot, billed_ded, bs, start[sel], d.na)
            ded = np.minimum(ded, tot)
            used = tot - ded
            st.update(tot=tot, ded=ded, bs=bs, ks=ks)
            re["UsedAmount"] = (used, bs, ks)
            re["DeductedMeasure"] = (ded, bs, ks)
            if k == "apigw.calls":
                self._calls(chunk, sel, rule_of, use, start, tot, ded, used, ks, st, re)
            else:
                self._egress(chunk, sel, rule_of, start, used, bs, ks, st, re)
        else:
            self._dedicated(chunk, sel, rule_of, num, start, st, re)
        # real cost and the comparisons
        disc = num["Discount"].take(sel)
        ri, spn = num["OriginalCostWithRI"].take(sel), num["OriginalCostWithSP"].take(sel)
        if "RealCost" not in re:
            if "Discount" in re:
                dv, dsc = re["Discount"]
            else:
                dv, dsc = np.where(disc.na, 10 ** disc.s, disc.v), disc.s
            s = max(8, ri.s, spn.s)
            base = up(re["Cost"], s - 8) - up(np.where(ri.na, 0, ri.v), s - ri.s) - up(np.where(spn.na, 0, spn.v), s - spn.s)
            re["RealCost"] = at(mul(base, dv), s + dsc)
        bad = np.zeros(len(sel), dtype=bool)
        for f in ("SinglePrice", "UsedAmount", "DeductedMeasure", "Cost", "Discount", "RealCost"):
            if f not in re:
                continue
            b = num[f].take(sel)
            val = re[f]
            if f in ("UsedAmount", "DeductedMeasure"):
                v, bs_, ks_ = val
                # line quantity = base / 10^k, at scale bs + k
                cmp = _obj(v) * (10 ** _obj(int(ks_.max()) - ks_)) if len(np.unique(ks_)) > 1 else v
                sc = bs_ + int(ks_.max())
                eq = same(cmp, sc, np.where(b.na, 0, b.v), b.s)
                if f == "DeductedMeasure":
                    eq = eq | b.na  # "-": not on the line, not checkable (a missing deduction shows in UsedAmount)
                bad |= ~eq
            elif f == "Discount":
                v, sc = val
                bad |= ~b.na & ~same(v, sc, b.v, b.s)
            elif f == "SinglePrice":
                v, mask = val
                bad |= mask & ~b.na & ~same(v, 8, b.v, b.s)
            else:
                bad |= b.na | ~same(val, 8, b.v, b.s)
        status[sel[bad]] = "differs"
        st["status"] = status[sel]
        st["re"] = re
        rcb = num["RealCost"].take(sel)
        st["diff"] = (at(rcb.v, rcb.s), re["RealCost"])
        return st

    def _deducted(self, k, chunk, sel, tot, billed_ded, bs, starts, ded_na) -> np.ndarray:
        metric = kinds.POSITION_METRIC[k]
        if self.override is not None:
            seqs = chunk["Seq"].to_numpy()[sel]
            self._pool_steps = getattr(self, "_pool_steps", {})
            steps = self.override.get("steps", {})
            for q in seqs:
                if int(q) in steps:
                    self._pool_steps[int(q)] = steps[int(q)]
            ded = self.override["ded"]
            return np.array([to_int(ded.get(int(q), ZERO), bs) for q in seqs], dtype=object if tot.dtype == object else np.int64)
        if self.o.account is None:
            return billed_ded
        out = np.zeros(len(sel), dtype=object)
        res = chunk["ResourceId"].to_numpy()[sel]
        self._pool_steps = getattr(self, "_pool_steps", {})
        seqs = chunk["Seq"].to_numpy()[sel]
        for r in pd.unique(res):
            w = np.nonzero(res == r)[0]
            pools = self.pools.setdefault(r, self.o.account.of(r))
            need = _obj(tot[w]).copy()
            cov_total = np.zeros(len(w), dtype=object)
            from pricing.engine.drawdown import order
            new_pools = {p.id: p for p in pools}
            for p in order(pools):
                if metric not in p.metrics or p.remaining <= 0:
                    continue
                t = starts[w]
                inwin = np.ones(len(w), dtype=bool) if p.window is None else \
                    (t >= np.datetime64(p.window.start)) & (t < np.datetime64(p.window.end))
                if not inwin.any():
                    continue
                B = to_int(p.remaining, bs)
                nw = np.where(inwin, need, 0)
                S = np.cumsum(nw) - nw
                cov = np.minimum(nw, np.maximum(0, B - S))
                cov = np.where(inwin, cov, 0)
                used_p = int(np.sum(cov))
                if used_p:
                    before = B - S
                    for j in np.nonzero(cov)[0]:
                        self._pool_steps.setdefault(int(seqs[w[j]]), []).append(
                            Step(f"pool {p.id} covers", fmt(canon(dec(cov[j], bs))),
                                 f"{p.kind}; {fmt(canon(dec(before[j], bs)))} → {fmt(canon(dec(before[j] - cov[j], bs)))} left"))
                from dataclasses import replace
                new_pools[p.id] = replace(p, remaining=p.remaining - dec(used_p, bs))
                need = need - cov
                cov_total = cov_total + cov
            self.pools[r] = [new_pools[p.id] for p in pools]
            out[w] = cov_total
            if self.deducted_log is not None:
                for q, c in zip(seqs[w], cov_total):
                    self.deducted_log[int(q)] = dec(c, bs)
        return out if tot.dtype == object else out.astype(np.int64)

    def _calls(self, chunk, sel, rule, use, start, tot, ded, used, ks, st, re):
        from pricing.rules.apigw.shared import TIER_POSITION
        reading = choose(self.o.policies, TIER_POSITION)
        res = chunk["ResourceId"].to_numpy()[sel]
        codes, ukeys = pd.factorize(res + "|" + use[sel])
        keys = pd.Series(codes)
        used, ded = narrow(used), narrow(ded)
        bcum = gcumsum(used, keys) - used
        ccum = gcumsum(ded, keys) - ded
        # carried positions of each (resource, month), then the chunk's sums carried on
        carried = [self.pos.setdefault(tuple(key.split("|", 1)), {"billed": ZERO, "covered": ZERO}) for key in ukeys]
        off_b = np.array([int(p["billed"]) for p in carried], dtype=np.int64)[codes]
        off_c = np.array([int(p["covered"]) for p in carried], dtype=np.int64)[codes]
        sums_b = np.zeros(len(ukeys), dtype=used.dtype)
        sums_c = np.zeros(len(ukeys), dtype=ded.dtype)
        np.add.at(sums_b, codes, used)
        np.add.at(sums_c, codes, ded)
        for p, sb, sc in zip(carried, sums_b.tolist(), sums_c.tolist()):
            p["billed"] += Decimal(int(sb))
            p["covered"] += Decimal(int(sc))
        before_b = narrow(_obj(bcum) + off_b) if bcum.dtype == object else bcum + off_b
        before_c = narrow(_obj(ccum) + off_c) if ccum.dtype == object else ccum + off_c
        pos = before_b + before_c + ded if reading == "all-calls" else before_b
        st.update(before_b=before_b, before_c=before_c)
        uidx, fmap = self.facts(rule, "", start[sel])
        cost = np.zeros(len(sel), dtype=object)
        sp = np.zeros(len(sel), dtype=object)
        single = np.ones(len(sel), dtype=bool)
        cross = np.zeros(len(sel), dtype=bool)
        for u, f in fmap.items():
            sched = f["tiers"]
            w = uidx == u
            ws = np.nonzero(w)[0]
            a, b = narrow(pos[w]), narrow(pos[w] + used[w])
            pmax = max(to_int(t.price, 8) for t in sched.tiers)
            big = a.dtype == object or b.dtype == object or _maxabs(b) * pmax * len(sched.tiers) >= SAFE
            if big:
                a, b = _obj(a), _obj(b)
            F = np.zeros(len(ws), dtype=object if big else np.int64)
            first_tier = np.full(len(ws), len(sched.tiers) - 1)
            assigned = np.zeros(len(ws), dtype=bool)
            lo = 0
            for ti, t in enumerate(sched.tiers):
                P = to_int(t.price, 8)
                if t.up_to is None:
                    F = F + (np.maximum(0, b - lo) - np.maximum(0, a - lo)) * P
                else:
                    hi = int(t.up_to)
                    F = F + (np.minimum(np.maximum(0, b - lo), hi - lo) - np.minimum(np.maximum(0, a - lo), hi - lo)) * P
                    here = np.asarray(a < hi, dtype=bool) & ~assigned
                    first_tier[here] = ti
                    assigned |= here
                    c = np.asarray((a < hi) & (b > hi), dtype=bool)
                    single[ws[c]] = False
                    cross[ws[c]] = True
                    lo = hi
            cost[ws] = round_div(F, int(sched.unit))
            # SinglePrice per line unit: the tier's price × 10^k / the schedule's unit
            kk = ks[w]
            for ti in np.unique(first_tier):
                for kv in np.unique(kk):
                    m = (first_tier == ti) & (kk == kv)
                    sp[ws[m]] = to_int(sched.tiers[int(ti)].price * Decimal(10) ** int(kv) / sched.unit, 8)
        re["SinglePrice"] = (narrow(sp), single)
        re["Cost"] = narrow(cost)
        st["cross"] = np.nonzero(cross)[0]

    def _egress(self, chunk, sel, rule, start, used, bs, ks, st, re):
        texts = chunk[rule.param.field].to_numpy()[sel]
        moments = start[sel]
        cost = np.zeros(len(sel), dtype=object)
        sp = np.zeros(len(sel), dtype=object)
        for t in pd.unique(texts):
            wt = np.nonzero(texts == t)[0]
            uidx, fmap = self.facts(rule, t, moments[wt])
            for u, f in fmap.items():
                w = wt[uidx == u]
                price = f["price"]
                sc = max(0, -price.as_tuple().exponent)
                cost[w] = at(mul(narrow(_obj(used[w])), np.full(len(w), to_int(price, sc), dtype=np.int64)), bs + sc)
                for kv in np.unique(ks[w]):
                    m = w[ks[w] == kv]
                    sp[m] = to_int(price / Decimal(10) ** int(kv), 8)
        re["SinglePrice"] = (narrow(sp), np.ones(len(sel), dtype=bool))
        re["Cost"] = narrow(cost)

    def _dedicated(self, chunk, sel, rule, num, start, st, re):
        texts = chunk[rule.param.field].to_numpy()[sel]
        moments = start[sel]
        u, ts = num["UsedAmount"].take(sel), num["TimeSpan"].take(sel)
        units = np.where(u.na, 10 ** u.s, u.v)
        tu = chunk["TimeUnitName"].to_numpy()[sel]
        for x in pd.unique(tu[~ts.na]):
            if rule.time_units and x not in rule.time_units:
                j = int(np.argmax(tu == x))
                raise LineError(chunk["Source"].to_numpy()[sel][j], "TimeUnitName", x, " | ".join(rule.time_units))
            if rule.time_units and rule.time_units[x] != 1:
                raise FastPathError("a time unit factor other than 1 (use --engine reference)")
        span = np.where(ts.na, 10 ** ts.s, ts.v)
        qty = mul(narrow(_obj(units)), narrow(_obj(span)))
        cost = np.zeros(len(sel), dtype=object)
        real = np.zeros(len(sel), dtype=object)
        sp = np.zeros(len(sel), dtype=object)
        disc = np.zeros(len(sel), dtype=object)
        exact = choose(self.o.policies, kinds.DEDICATED_DISCOUNT) == "line-exact"
        for t in pd.unique(texts):
            wt = np.nonzero(texts == t)[0]
            uidx, fmap = self.facts(rule, t, moments[wt])
            for uu, f in fmap.items():
                w = wt[uidx == uu]
                sc = max(0, -f["list"].as_tuple().exponent)
                cost[w] = at(mul(qty[w], np.full(len(w), to_int(f["list"], sc), dtype=np.int64)), sc + u.s + ts.s)
                sp[w] = to_int(f["list"], 8)
                disc[w] = to_int(f["discount"], 8)
                if not exact:
                    real[w] = at(mul(qty[w], np.full(len(w), to_int(f["rounded"], 2), dtype=np.int64)), 2 + u.s + ts.s)
        re["SinglePrice"] = (narrow(sp), np.ones(len(sel), dtype=bool))
        re["Cost"] = narrow(cost)
        re["Discount"] = (narrow(disc), 8)
        if not exact:
            re["RealCost"] = narrow(real)

    # the reference on one vectorised line ------------------------------------------------------------
    def _reference(self, line, i, rule, st, use_i, bill_i) -> dict:
        j = int(np.nonzero(st["sel"] == i)[0][0])
        view = self.cat.as_of(datetime.fromisoformat(line["FeeBeginTime"].strip()) if line["FeeBeginTime"] not in NOT_AVAILABLE
                              else datetime.fromisoformat(line["PayTime"].strip()))
        pos, deducted, steps = None, None, []
        if rule.kind in kinds.POSITION_METRIC:
            f = Decimal(10) ** int(st["ks"][j])
            if self.o.account is not None or self.override is not None:
                deducted = dec(st["ded"][j], st["bs"])
                steps = getattr(self, "_pool_steps", {}).get(int(line["Seq"]), [])
            if rule.kind == "apigw.calls":
                pos = {"billed": Decimal(int(st["before_b"][j])), "covered": Decimal(int(st["before_c"][j]))}
        try:
            priced = kinds.price_line(view, line, rule, self.o.policies, pos, deducted, steps)
        except LineError:
            raise
        except PricingError as e:
            raise FastPathError(f"{line['Source']}: the reference cannot price a line the vectorised path priced: {e}") from None
        r = line_result(line, rule, priced, kinds.relations(line), use_i, bill_i)
        # the sampled check: the vectorised figures are the reference's
        re = st["re"]
        mine = {"Cost": dec(re["Cost"][j], 8), "RealCost": dec(re["RealCost"][j], 8)}
        if "Discount" in re:
            mine["Discount"] = dec(re["Discount"][0][j], re["Discount"][1])
        sp, ok = re["SinglePrice"]
        if ok[j]:
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
        if r["status"] != st["status"][j]:
            raise FastPathError(f"{line['Source']}: status: vectorised {st['status'][j]}, reference {r['status']}")
        self.checked += 1
        return r
