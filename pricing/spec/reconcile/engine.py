"""The reconciliation run: lines in, one result per line and one check per month out, in a stream.

State carried from chunk to chunk (so that a year of hourly lines streams in bounded memory):

- the tier position of each (resource, month of use): calls billed and calls covered so far;
- the account's pools (free quota, resource packs) of each resource, drawn down in time order;
- each bill month's sum of lines (8 decimals), its debits in fen (per transaction or per month,
  policy ``reconcile.debit_rounding``) and its precision lines (月度计费精度差异).

Lines must come in time order within each resource (as an export lists them); a line earlier than
the one before it for the same resource is refused with a one-line error naming it.

Months are attributed by use time (``byUsedTime``: the month of FeeBeginTime) or by debit time
(``byPayTime``: the month of PayTime, so the last hour of a month can fall in the next). The tier
position always runs over the month of *use* (policy ``apigw.tier.month`` = calendar-month).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from pricing.engine.catalog import Catalog
from pricing.engine.drawdown import Pool, drawdown
from pricing.engine.errors import InputError, PricingError
from pricing.engine.money import ZERO, fmt
from pricing.engine.policies import choose
from pricing.engine.results import Step
from . import kinds
from .kinds import LineError, dec, moment
from .lines import BillFileError, available
from .mapping import Mapping, Rule

PERIOD_TYPES = ("byUsedTime", "byPayTime")
STATUSES = ("match", "differs", "not-covered")
STATUS_LABEL = {"match": "match", "differs": "differs", "not-covered": "not covered"}


# account facts -----------------------------------------------------------------------------------

@dataclass
class Account:
    """What the bill does not say but the rules need: each resource's free quota and packs.

    A TOML file::

        [[free_quota]]              # API Gateway free quota (计费概述 › 免费额度), from activation
        resource = "service-abc"
        activated = "2026-03-15T10:00:00"
        [[pack]]                    # a resource pack bound to a resource
        resource = "service-abc"
        metric = "calls"            # or "egress_gb"
        amount = "5000000"
        start = "2026-10-20T00:00:00"

    Pools are bound to one resource each (a pack's binding, 资源包绑定), so that resources reconcile
    independently (and in parallel)."""

    pools: dict[str, list[Pool]] = field(default_factory=dict)
    path: str = ""

    def of(self, resource: str) -> list[Pool]:
        return list(self.pools.get(resource, []))


def load_account(path: Path | str | None, cat: Catalog, policies: dict | None = None) -> Account | None:
    if path is None:
        return None
    from pricing.rules.apigw.billing import pack
    from pricing.rules.apigw.free_quota import free_pools
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise BillFileError(p, "", f"not a readable TOML account file ({e.__class__.__name__}: {e})") from None
    unknown = set(raw) - {"free_quota", "pack"}
    if unknown:
        raise BillFileError(p, sorted(unknown)[0], "unknown table; allowed: free_quota, pack")
    acc = Account(path=str(p))
    for i, fq in enumerate(raw.get("free_quota", [])):
        where = f"free_quota[{i}]"
        if set(fq) != {"resource", "activated"}:
            raise BillFileError(p, where, "needs exactly resource and activated")
        try:
            act = fq["activated"]
            view = cat.as_of(act if isinstance(act, (str, datetime)) else str(act))
            acc.pools.setdefault(fq["resource"], []).extend(free_pools(view, view.moment, policies))
        except PricingError as e:
            raise BillFileError(p, where, str(e)) from None
    for i, pk in enumerate(raw.get("pack", [])):
        where = f"pack[{i}]"
        if set(pk) - {"resource", "metric", "amount", "start", "id"} or not {"resource", "metric", "amount", "start"} <= set(pk):
            raise BillFileError(p, where, "needs resource, metric, amount, start (and optionally id)")
        if pk["metric"] not in ("calls", "egress_gb"):
            raise BillFileError(p, f"{where}.metric", f"got {pk['metric']!r}; allowed: calls | egress_gb")
        try:
            start = pk["start"] if isinstance(pk["start"], str) else str(pk["start"])
            view = cat.as_of(start)
            acc.pools.setdefault(pk["resource"], []).append(
                pack(view, pk.get("id", f"pack-{i + 1}"), pk["metric"], str(pk["amount"]), view.moment))
        except PricingError as e:
            raise BillFileError(p, where, str(e)) from None
    return acc


# results -----------------------------------------------------------------------------------------

RECOMPUTED = ("SinglePrice", "UsedAmount", "DeductedMeasure", "Cost", "Discount", "RealCost")


def _txt(d: Decimal | None) -> str:
    return "-" if d is None else fmt(d)


def line_result(line: dict, rule: Rule | None, priced: kinds.Priced | None, relation_checks: list,
                use_month: str, bill_month: str, problem: str = "") -> dict:
    """One line's result: what was billed, what the rules give, the difference, the derivation, the status."""
    checks = [c.as_dict() for c in ((priced.checks if priced else []) + relation_checks)]
    failed = any(c["ok"] is False for c in checks) or bool(problem)
    status = "differs" if failed else ("not-covered" if rule is None else "match")
    rec = {f: kinds.text_of(f, v) for f, v in (priced.recomputed.items() if priced else [])}
    billed_rc, re_rc = dec(line, "RealCost"), (priced.recomputed.get("RealCost") if priced else None)
    steps = [{"label": s.label, "value": s.value, "note": s.note} for s in (priced.steps if priced else [])]
    if rule is None:
        steps.append({"label": "not covered", "value": "-",
                      "note": "no rule of the guides prices this product or item (mapping.toml): only the Billing API's relations are checked"})
    if problem:
        steps.append({"label": "cannot be priced", "value": "-", "note": problem})
    return {
        "seq": int(line["Seq"]), "source": line["Source"], "bill_id": line["BillId"], "resource": line["ResourceId"],
        "product": line["BusinessCodeName"], "component": line["ComponentCodeName"], "item": line["ItemCodeName"],
        "action": line["ActionTypeName"], "region": line["RegionName"], "start": line["FeeBeginTime"],
        "use_month": use_month, "bill_month": bill_month,
        "rule": rule.id if rule else "", "kind": rule.kind if rule else "", "title": rule.title if rule else "",
        "section": rule.section if rule else "", "notebook": rule.notebook_html if rule else "",
        "param": priced.param if priced else "",
        "status": status,
        "billed": {f: line[f] for f in RECOMPUTED},
        "recomputed": rec,
        "difference": _txt(billed_rc - re_rc) if billed_rc is not None and re_rc is not None else "-",
        "checks": checks, "steps": steps,
    }


@dataclass
class Month:
    lines: Decimal = ZERO          # Σ RealCost of the month's lines (8 decimals), precision lines excluded
    debits: Decimal = ZERO         # Σ debits in fen under the debit-rounding reading
    precision: Decimal = ZERO      # Σ RealCost of the month's precision lines
    count: int = 0
    precision_lines: list = field(default_factory=list)


def month_check(name: str, m: Month, reading: str) -> dict:
    from .kinds import debit
    expected = (debit(m.lines) if reading == "per-month" else m.debits) - m.lines
    debit_total = m.lines + m.precision
    whole_fen = debit_total == debit_total.quantize(Decimal("0.01"))
    ok = (m.precision == expected) and whole_fen
    return {"month": name, "lines": m.count, "lines_real_cost": fmt(m.lines), "precision_line": fmt(m.precision),
            "expected_precision_line": fmt(expected), "debit": fmt(debit_total), "debit_in_whole_fen": whole_fen,
            "reading": reading, "status": "match" if ok else "differs",
            "steps": [{"label": "Σ lines at 8 decimals", "value": fmt(m.lines), "note": f"{m.count} lines"},
                      {"label": "Σ debits in fen" if reading == "per-transaction" else "month debited in fen",
                       "value": fmt(expected + m.lines), "note": f"policy {kinds.DEBIT_ROUNDING.name} = {reading}"},
                      {"label": "precision line expected = debits − lines", "value": fmt(expected), "note": ""},
                      {"label": "precision line billed (月度计费精度差异)", "value": fmt(m.precision),
                       "note": f"{len(m.precision_lines)} line(s)"},
                      {"label": "debit = lines + precision line", "value": fmt(debit_total),
                       "note": "a whole number of fen" if whole_fen else "not a whole number of fen"}]}


# the run -----------------------------------------------------------------------------------------

@dataclass
class Options:
    catalog: Catalog
    mapping: Mapping
    account: Account | None = None
    period_type: str = "byUsedTime"
    policies: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.period_type not in PERIOD_TYPES:
            raise InputError("period_type", self.period_type, " | ".join(PERIOD_TYPES))


class Reconciler:
    """The Decimal reference: each line through the rules' own functions, one at a time."""

    engine = "reference"

    def __init__(self, opts: Options):
        self.o = opts
        self.cat = opts.catalog
        self.pos: dict[tuple, dict] = {}          # (resource, use month) -> {"billed", "covered"}
        self.pools: dict[str, list[Pool]] = {}    # resource -> pools left
        self.last: dict[str, datetime] = {}       # resource -> last start seen (order check)
        self.months: dict[str, Month] = {}
        self.open_tx: tuple | None = None          # (bill month, BillId, Σ RealCost)
        self.debit_reading = choose(opts.policies, kinds.DEBIT_ROUNDING)
        self.counts = {s: 0 for s in STATUSES}

    # months and debits ---------------------------------------------------------------------------
    def _close_tx(self):
        if self.open_tx is not None:
            m, _, s = self.open_tx
            self.months[m].debits += kinds.debit(s)
            self.open_tx = None

    def _book(self, bill_month: str, bill_id: str, real: Decimal | None):
        m = self.months.setdefault(bill_month, Month())
        m.count += 1
        r = real or ZERO
        m.lines += r
        if not available(bill_id):
            m.debits += kinds.debit(r)
            return
        if self.open_tx is not None and self.open_tx[:2] == (bill_month, bill_id):
            self.open_tx = (bill_month, bill_id, self.open_tx[2] + r)
        else:
            self._close_tx()
            self.open_tx = (bill_month, bill_id, r)

    def months_of(self, line: dict) -> tuple[str, str, datetime | None]:
        start = moment(line, "FeeBeginTime") or moment(line, "PayTime")
        if start is None:
            raise LineError(line["Source"], "FeeBeginTime", line["FeeBeginTime"], "the line's start (or PayTime)")
        use = f"{start:%Y-%m}"
        bill = use
        if self.o.period_type == "byPayTime":
            paid = moment(line, "PayTime")
            bill = f"{paid:%Y-%m}" if paid is not None else use
        return use, bill, start

    def _order(self, line: dict, start: datetime):
        r = line["ResourceId"]
        if r in self.last and start < self.last[r]:
            raise BillFileError(line["Source"].split(":")[0], line["Source"].split(":", 1)[-1],
                                f"line for resource {r} starts {start:%Y-%m-%d %H:%M:%S}, before the line before it "
                                f"({self.last[r]:%Y-%m-%d %H:%M:%S}): lines must be in time order within each resource "
                                "(sort the export by FeeBeginTime)")
        self.last[r] = start

    # one line ------------------------------------------------------------------------------------
    def line(self, line: dict, rule: Rule | None) -> dict | None:
        use, bill, start = self.months_of(line)
        if rule is not None and rule.kind == "precision":
            m = self.months.setdefault(bill, Month())
            m.precision += dec(line, "RealCost") or ZERO
            m.precision_lines.append((line, rule, kinds.relations(line), use, bill))
            return None
        self._order(line, start)
        rel = kinds.relations(line)
        priced, problem = None, ""
        if rule is not None:
            try:
                priced = self.price(line, rule, use, start)
            except LineError:
                raise
            except PricingError as e:
                problem = str(e)
        self._book(bill, line["BillId"], dec(line, "RealCost"))
        return line_result(line, rule, priced, rel, use, bill, problem)

    def price(self, line: dict, rule: Rule, use: str, start: datetime) -> kinds.Priced:
        view = self.cat.as_of(start)
        metric = kinds.POSITION_METRIC.get(rule.kind)
        deducted, pool_steps, pos = None, [], None
        if metric is not None:
            total, _, f = kinds.quantities(line, rule)
            if self.o.account is not None:
                r = line["ResourceId"]
                pools = self.pools.setdefault(r, self.o.account.of(r))
                region = None
                led = drawdown(metric, total, start, pools, region)
                self.pools[r] = list(led.pools_after)
                deducted = led.covered
                for ln in led.lines:
                    c = kinds.canon
                    pool_steps.append(Step(f"pool {ln.pool} covers", fmt(c(ln.covered)),
                                           f"{ln.kind}; {fmt(c(ln.before))} → {fmt(c(ln.after))} left"))
            if metric == "calls":
                pos = self.pos.setdefault((line["ResourceId"], use), {"billed": ZERO, "covered": ZERO})
                snapshot = dict(pos)
                priced = kinds.price_line(view, line, rule, self.o.policies, snapshot, deducted, pool_steps)
                d = priced.recomputed["DeductedMeasure"] * f
                pos["covered"] += d
                pos["billed"] += total - d
                return priced
        return kinds.price_line(view, line, rule, self.o.policies, pos, deducted, pool_steps)

    # chunks --------------------------------------------------------------------------------------
    def feed(self, chunk: pd.DataFrame) -> list[dict]:
        idx = self.o.mapping.classify(chunk)
        rules = self.o.mapping.rules
        out = []
        for i, line in enumerate(chunk.to_dict("records")):
            r = self.line(line, rules[idx[i]] if idx[i] >= 0 else None)
            if r is not None:
                self.counts[r["status"]] += 1
                out.append(r)
        return out

    def finish(self) -> tuple[list[dict], list[dict]]:
        """(results of the precision lines, one check per bill month)."""
        self._close_tx()
        checks, precision = [], []
        for name in sorted(self.months):
            m = self.months[name]
            mc = month_check(name, m, self.debit_reading)
            checks.append(mc)
            for line, rule, rel, use, bill in m.precision_lines:
                pr = kinds.Priced()
                pr.recomputed["RealCost"] = Decimal(mc["expected_precision_line"]) if len(m.precision_lines) == 1 else None
                for s in mc["steps"]:
                    pr.steps.append(Step(s["label"], s["value"], s["note"]))
                pr.checks.append(kinds.Check("month's precision line = debits − lines", mc["status"] == "match",
                                             mc["precision_line"], mc["expected_precision_line"]))
                res = line_result(line, rule, pr, rel, use, bill)
                self.counts[res["status"]] += 1
                precision.append(res)
        return precision, checks


def run(chunks: Iterable[pd.DataFrame], rec: Reconciler, sink: Callable[[list[dict]], None],
        progress: Callable[[int], None] | None = None) -> dict:
    """Feed every chunk to ``rec``, hand each chunk's results to ``sink``; return totals and months."""
    n = 0
    for chunk in chunks:
        res = rec.feed(chunk)
        sink(res)
        n += len(chunk)
        if progress:
            progress(len(chunk))
    precision, months = rec.finish()
    sink(precision)
    totals = dict(rec.counts)
    totals["lines"] = sum(rec.counts.values())
    totals["months_differ"] = sum(m["status"] != "match" for m in months)
    return {"totals": totals, "months": months, "engine": rec.engine}
