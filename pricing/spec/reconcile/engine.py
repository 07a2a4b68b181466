"""The reconciliation run: lines in, one result per line and one check per month out, in a stream.

A line is reconciled in two steps:

1. **carry** (in line order, stateful): what the line's recomputation needs from the lines before
   it — the account's pools drawn down (free quota, resource packs: account-level, 免费额度 抵扣账号
   级别的用量, packs 全地域通用), the call tier position of its scope and month, and for CloudBase the
   environment's plan term, packs and the cycle's quota used (:mod:`pricing.rules.cloudbase.cycle`);
2. **price** (stateless): the line recomputed from its own fields and what was carried to it
   (:func:`pricing.spec.reconcile.kinds.price_line`), then compared with the bill.

So a run streams in bounded memory (the state is the positions per scope and month, the pools, the
environments and the month sums), and a partitioned run (:mod:`.partitioned`) carries in line order
and prices in any partitioning with the same results.

State carried from chunk to chunk:

- the tier position of each scope (``apigw.tier.scope``: the account, or the account and region) and
  month of use: calls billed and calls covered so far;
- the account's pools, drawn down in line order (lines of one instant in the export's order);
- each CloudBase environment's plan term, its packs and the cycle engine's snapshot;
- each bill month's sum of lines (8 decimals), each settlement's debit in fen (under
  ``billing.debit_rounding`` = per-bill-fen) and its precision lines (月度计费精度差异).

Lines must come in time order within each resource, and the calls lines within each tier scope (as
an export lists them, by time); a line earlier than the one before it is refused naming it.

Months are attributed by use time (``byUsedTime``: the month of FeeBeginTime) or by debit time
(``byPayTime``: the month of PayTime, so the last hour of a month can fall in the next). The tier
position always runs over the month of *use* (``apigw.tier.month`` = calendar-month).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable

from pricing.engine.catalog import Catalog
from pricing.engine.drawdown import Pool, drawdown
from pricing.engine.errors import InputError, PricingError
from pricing.engine.money import ZERO, fmt
from pricing.engine.periods import as_datetime
from pricing.engine.policies import choose
from pricing.engine.results import Step
from pricing.engine.statement import DEBIT_ROUNDING
from pricing.spec.labels import RECONCILE_STATUSES, STATUS_LABEL as LABELS
from . import kinds
from .kinds import LineError, dec, moment
from .lines import BillFileError, available
from .mapping import Mapping, Rule, find_param

PERIOD_TYPES = ("byUsedTime", "byPayTime")
STATUSES = RECONCILE_STATUSES
STATUS_LABEL = {s: LABELS[s] for s in STATUSES}
ACCOUNT_TABLES = ("free_quota", "pack")


# account facts -----------------------------------------------------------------------------------

@dataclass
class Account:
    """What the bill does not say but the rules need: the account's API Gateway free quota and packs.

    A TOML file::

        [[free_quota]]              # API Gateway free quota (计费概述 › 免费额度), from activation
        activated = "2026-03-15T10:00:00"
        [[pack]]                    # a resource pack (all regions, 全地域通用)
        id = "calls-pack"           # optional
        metric = "calls"            # or "egress_gb"
        amount = "5000000"
        start = "2026-10-20T00:00:00"
        source = "self-service"     # optional: a row of apigw.packs.sources

    The pools are the account's (免费额度 抵扣账号级别的用量; packs 全地域通用): every API Gateway
    calls or egress line of the bill draws on them, in line order."""

    pools: list[Pool] = field(default_factory=list)
    path: str = ""


def load_account(path: Path | str | None, cat: Catalog, policies: dict | None = None) -> Account | None:
    """The account file (see :class:`Account`), or None without one. Raises :class:`BillFileError` naming
    the file, the table and the field: a file with no ``[[free_quota]]`` or ``[[pack]]`` table is refused
    (an account with nothing would check every deduction against empty pools)."""
    if path is None:
        return None
    from pricing.rules.apigw.billing import pack
    from pricing.rules.apigw.free_quota import free_pools
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise BillFileError(p, "", f"not a readable TOML account file ({e.__class__.__name__}: {e})") from None
    unknown = set(raw) - set(ACCOUNT_TABLES)
    if unknown:
        raise BillFileError(p, sorted(unknown)[0], "unknown table; allowed: " + ", ".join(ACCOUNT_TABLES))
    for t in ACCOUNT_TABLES:
        v = raw.get(t, [])
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            raise BillFileError(p, t, f"expected [[{t}]] tables (an array of tables)")
    if not raw.get("free_quota") and not raw.get("pack"):
        raise BillFileError(p, "", "no [[free_quota]] or [[pack]] table; an account file gives the account's free quota "
                                   "([[free_quota]] activated = ...) and its resource packs ([[pack]] metric, amount, start)")
    acc = Account(path=str(p))
    for i, fq in enumerate(raw.get("free_quota", [])):
        where = f"free_quota[{i}]"
        if set(fq) != {"activated"}:
            raise BillFileError(p, where, "needs exactly activated (the free quota is the account's, not a resource's)")
        try:
            act = as_datetime(fq["activated"], f"{where}.activated")
            view = cat.as_of(act)
            acc.pools.extend(free_pools(view, act, policies))
        except InputError as e:
            raise BillFileError(p, "" if e.field.startswith(where) else where, str(e)) from None
        except PricingError as e:
            raise BillFileError(p, where, str(e)) from None
    for i, pk in enumerate(raw.get("pack", [])):
        where = f"pack[{i}]"
        allowed = {"metric", "amount", "start", "id", "source"}
        if set(pk) - allowed or not {"metric", "amount", "start"} <= set(pk):
            raise BillFileError(p, where, "needs metric, amount, start (and optionally id, source); a pack is the account's")
        if pk["metric"] not in ("calls", "egress_gb"):
            raise BillFileError(p, f"{where}.metric", f"got {pk['metric']!r}; allowed: calls | egress_gb")
        amount = pk["amount"]
        if not isinstance(amount, (str, int)) or isinstance(amount, bool):
            raise BillFileError(p, f"{where}.amount", f"got {amount!r}; allowed: a count as a string or a whole number, "
                                                      "e.g. \"5000000\" or 5000000 (never a TOML float, which is not exact)")
        for f in ("id", "source"):
            if f in pk and not isinstance(pk[f], str):
                raise BillFileError(p, f"{where}.{f}", f"got {pk[f]!r}; allowed: a string")
        try:
            start = as_datetime(pk["start"], f"{where}.start")
            view = cat.as_of(start)
            acc.pools.append(pack(view, pk.get("id", f"pack-{i + 1}"), pk["metric"], amount, start,
                                  pk.get("source", "self-service")))
        except InputError as e:
            raise BillFileError(p, "" if e.field.startswith(where) else where, str(e)) from None
        except PricingError as e:
            raise BillFileError(p, where, str(e)) from None
    return acc


# results -----------------------------------------------------------------------------------------

RECOMPUTED = ("SinglePrice", "UsedAmount", "DeductedMeasure", "Cost", "Discount", "RealCost")


def _txt(d: Decimal | None) -> str:
    return "-" if d is None else fmt(d)


def line_result(line: dict, rule: Rule | None, priced: kinds.Priced | None, relation_checks: list,
                use_month: str, bill_month: str, problem: str = "", readings: list | None = None) -> dict:
    """One line's result: what was billed, what the rules give, the difference, the derivation, the status,
    and (a line that differs) the other readings of a register entry that reproduce it."""
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
    for r in readings or []:
        steps.append({"label": "reproduced under another reading", "value": f"{r['policy']} = {r['reading']}",
                      "note": f"register {r['register']}" if r["register"] else ""})
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
        "readings": list(readings or []),
    }


@dataclass
class Month:
    lines: Decimal = ZERO          # Σ RealCost of the month's lines (8 decimals), precision lines excluded
    per_bill: Decimal = ZERO       # Σ of each settlement's (transaction's) lines, each rounded to the fen
    precision: Decimal = ZERO      # Σ RealCost of the month's precision lines
    count: int = 0
    precision_lines: list = field(default_factory=list)


DUE_STEP = {"line-8dp-debit-fen": ("Σ lines debited in fen (the running total, rounded once)", "each settlement debited in whole fen on the running total"),
            "per-bill-fen": ("Σ debits, each settlement (transaction) rounded to the fen", "each settlement rounded half-up to the fen"),
            "exact": ("Σ lines, no rounding", "no rounding point")}


def month_check(name: str, m: Month, reading: str) -> dict:
    """The month's debit against its lines and its precision line, under ``billing.debit_rounding``."""
    due = kinds.month_due(reading, m.lines, m.per_bill)
    expected = due - m.lines
    debit_total = m.lines + m.precision
    whole_fen = debit_total == debit_total.quantize(Decimal("0.01"))
    ok = m.precision == expected and (whole_fen or reading == "exact")
    label, note = DUE_STEP[reading]
    return {"month": name, "lines": m.count, "lines_real_cost": fmt(m.lines), "precision_line": fmt(m.precision),
            "expected_precision_line": fmt(expected), "debit": fmt(debit_total), "debit_in_whole_fen": whole_fen,
            "reading": reading, "status": "match" if ok else "differs",
            "steps": [{"label": "Σ lines at 8 decimals", "value": fmt(m.lines), "note": f"{m.count} lines"},
                      {"label": label, "value": fmt(due), "note": f"policy {DEBIT_ROUNDING.name} = {reading}: {note}"},
                      {"label": "precision line expected = debit − lines", "value": fmt(expected), "note": ""},
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
    readings: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.period_type not in PERIOD_TYPES:
            raise InputError("period_type", self.period_type, " | ".join(PERIOD_TYPES))
        self.readings = kinds.check_policies(self.policies)


@dataclass
class Carry:
    """What a line's recomputation takes from the lines before it (see the module's docstring)."""

    deducted: Decimal | None = None         # pools' cover of the line, in the rule's unit (None: as billed)
    position: dict | None = None            # calls: {"billed", "covered"} before the line
    steps: list = field(default_factory=list)
    cycle: kinds.CycleRating | None = None  # CloudBase overage: the cycle engine's drawdown of the line


@dataclass
class Env:
    """A CloudBase environment as its bill shows it: the plan term bought, the packs, the cycle's snapshot."""

    term: object = None
    snap: object = None
    packs: list = field(default_factory=list)


class Reconciler:
    """The Decimal reference: each line through the rules' own functions, one at a time."""

    engine = "reference"

    def __init__(self, opts: Options):
        self.o = opts
        self.cat = opts.catalog
        self.pos: dict[tuple, list] = {}          # (scope..., use month) -> [billed, covered]
        self.pools: list[Pool] | None = list(opts.account.pools) if opts.account else None
        self.last: dict[tuple, datetime] = {}     # ("resource", r) / ("scope", key) / ("pools",) -> last start
        self.months: dict[str, Month] = {}
        self.open_tx: tuple | None = None          # (bill month, BillId, Σ RealCost)
        self.envs: dict[str, Env] = {}
        self.debit_reading = opts.readings[DEBIT_ROUNDING.name]
        self.counts = {s: 0 for s in STATUSES}

    # months and debits ---------------------------------------------------------------------------
    def _close_tx(self):
        if self.open_tx is not None:
            m, _, s = self.open_tx
            self.months[m].per_bill += kinds.debit(s)
            self.open_tx = None

    def _book(self, bill_month: str, bill_id: str, real: Decimal | None):
        m = self.months.setdefault(bill_month, Month())
        m.count += 1
        r = real or ZERO
        m.lines += r
        if not available(bill_id):
            m.per_bill += kinds.debit(r)
            return
        if self.open_tx is not None and self.open_tx[:2] == (bill_month, bill_id):
            self.open_tx = (bill_month, bill_id, self.open_tx[2] + r)
        else:
            self._close_tx()
            self.open_tx = (bill_month, bill_id, r)

    def months_of(self, line: dict) -> tuple[str, str, datetime]:
        """(month of use, bill month, start) of a line, its numeric fields read first (every line of the
        reference passes here before anything else: a bad value is refused naming its place and field).
        Times are Beijing time: a time with an offset is converted (``2026-09-30T16:00:00+00:00`` starts
        at 2026-10-01 00:00:00)."""
        kinds.check_numbers(line)
        start = moment(line, "FeeBeginTime") or moment(line, "PayTime")
        if start is None:
            raise LineError(line["Source"], "FeeBeginTime", line["FeeBeginTime"], "the line's start (or PayTime)")
        use = f"{start:%Y-%m}"
        bill = use
        if self.o.period_type == "byPayTime":
            paid = moment(line, "PayTime")
            bill = f"{paid:%Y-%m}" if paid is not None else use
        return use, bill, start

    def _order(self, line: dict, key: tuple, start: datetime, what: str):
        if key in self.last and start < self.last[key]:
            raise BillFileError(line["Source"].split(":")[0], line["Source"].split(":", 1)[-1],
                                f"line for {what} starts {start:%Y-%m-%d %H:%M:%S}, before the line before it "
                                f"({self.last[key]:%Y-%m-%d %H:%M:%S}): lines must be in time order within each resource "
                                "and, for calls, within each tier scope (sort the export by FeeBeginTime)")
        self.last[key] = start

    # carry: what the line takes from the lines before it -----------------------------------------
    def carry(self, line: dict, rule: Rule | None, use: str, start: datetime) -> Carry:
        c = Carry()
        if rule is None:
            return c
        k = rule.kind
        metric = kinds.POSITION_METRIC.get(k)
        if metric is not None:
            try:
                total, billed_ded, f = kinds.quantities(line, rule)
            except PricingError:
                return c  # priced (and refused) below
            if self.pools is not None:
                self._order(line, ("pools",), start, "the account's pools")
                c.deducted, c.steps = self.draw(metric, total, start)
            if k == "apigw.calls":
                key = kinds.scope_key(line, use, self.o.policies)
                self._order(line, ("scope", key), start, "tier scope " + " ".join(key[:-1]))
                pos = self.pos.setdefault(key, [ZERO, ZERO])
                c.position = {"billed": pos[0], "covered": pos[1]}
                d = c.deducted if c.deducted is not None else (billed_ded if billed_ded is not None else ZERO)
                d = min(d, total)
                pos[0] += total - d
                pos[1] += d
        elif k in ("cloudbase.plan", "cloudbase.pack", "cloudbase.overage"):
            try:
                c.cycle = self.environment(line, rule, start)
            except LineError:
                raise
            except PricingError:
                c.cycle = None  # the line itself is priced (and refused) below
        return c

    def draw(self, metric: str, total: Decimal, start: datetime) -> tuple[Decimal, list]:
        """The account's pools drawn for ``total`` of ``metric`` at ``start`` (the engine's drawdown)."""
        led = drawdown(metric, total, start, self.pools, None)
        self.pools = list(led.pools_after)
        c = kinds.canon
        steps = [Step(f"pool {ln.pool} covers", fmt(c(ln.covered)), f"{ln.kind}; {fmt(c(ln.before))} → {fmt(c(ln.after))} left")
                 for ln in led.lines]
        return led.covered, steps

    def environment(self, line: dict, rule: Rule, start: datetime) -> kinds.CycleRating | None:
        """A CloudBase line moves its environment: a plan line starts a term (the cycle engine's
        :func:`~pricing.rules.cloudbase.cycle.term`), a pack line adds a pack, an overage line is rated
        by the cycle engine from the environment's snapshot (the plan quota, then the packs)."""
        from pricing.rules.cloudbase import cycle
        env = self.envs.setdefault(line["ResourceId"], Env())
        view = self.cat.as_of(start)
        pol = self.o.policies
        if rule.kind == "cloudbase.plan":
            plan, _ = find_param(view, rule.param, line[rule.param.field])
            months = kinds.hours_or_span(line, rule)
            if months != months.to_integral_value() or months < 1:
                return None
            t = cycle.term(view, plan, start, int(months), packs=env.packs, policies=pol)
            held = {p.id: p for p in (env.snap.pools if env.snap is not None else ()) if p.kind != "plan-quota"}
            snap = cycle.start(t)
            env.term = t
            env.snap = replace(snap, pools=tuple(held.get(p.id, p) for p in snap.pools))
            return None
        if rule.kind == "cloudbase.pack":
            pack, _ = find_param(view, rule.param, line[rule.param.field])
            env.packs.append({"pack": pack, "bought": start})
            if env.term is not None:
                t = cycle.term(view, env.term.plan, env.term.purchased, env.term.months, packs=env.packs, policies=pol)
                env.term = t
                env.snap = replace(env.snap, pools=env.snap.pools + (t.packs[-1].pool,))
            return None
        t = env.term
        if t is None or not t.purchased <= start < t.expiry:
            return None
        from pricing.rules.cloudbase import lineup
        total, _, _ = kinds.quantities(line, rule)
        base = total * lineup.factor(view, rule.metric)
        rec = cycle.record(view, start, rule.metric, base)
        run = cycle.run(view, t, env.snap, [rec], start + timedelta(seconds=1), pol)
        env.snap = replace(run.snapshot, at=start)  # the next line of this instant (another metric) starts here too
        h = next(h for h in run.history if h.record is rec)
        held = h.rating.unit.endswith("·day")
        uncovered = h.rating.position_add if held else h.ledger.uncovered
        c = kinds.canon
        steps = [Step("plan term", f"{t.plan} from {t.purchased:%Y-%m-%d %H:%M:%S}",
                      f"cycle {t.cycle_index(start) + 1}, ends {t.cycles[t.cycle_index(start)].end:%Y-%m-%d %H:%M:%S}")]
        steps += [Step(f"{ln.pool} covers", fmt(c(ln.covered)), f"{ln.kind}; {fmt(c(ln.before))} → {fmt(c(ln.after))} left")
                  for ln in h.ledger.lines]
        return kinds.CycleRating(h.ledger.covered, uncovered, h.rating.exact, steps)

    # price: the line from its own fields and its carry --------------------------------------------
    def price(self, line: dict, rule: Rule, start: datetime, c: Carry) -> tuple[kinds.Priced | None, str, list]:
        view = self.cat.as_of(start)
        state = {"position": c.position, "deducted": c.deducted, "pool_steps": c.steps,
                 "cycle": c.cycle if rule.kind == "cloudbase.overage" else None}
        try:
            priced = kinds.price_line(view, line, rule, self.o.policies, **state)
        except LineError:
            raise
        except PricingError as e:
            return None, str(e), []
        readings = []
        if any(ch.ok is False for ch in priced.checks):
            readings = kinds.readings_that_match(view, line, rule, self.o.policies, **state)
        return priced, "", readings

    # one line ------------------------------------------------------------------------------------
    def line(self, line: dict, rule: Rule | None) -> dict | None:
        use, bill, start = self.months_of(line)
        if rule is not None and rule.kind == "precision":
            m = self.months.setdefault(bill, Month())
            m.precision += dec(line, "RealCost") or ZERO
            m.precision_lines.append((line, rule, kinds.relations(line), use, bill))
            return None
        self._order(line, ("resource", line["ResourceId"]), start, f"resource {line['ResourceId']}")
        c = self.carry(line, rule, use, start)
        return self.finish_line(line, rule, use, bill, start, c)

    def finish_line(self, line: dict, rule: Rule | None, use: str, bill: str, start: datetime, c: Carry) -> dict:
        rel = kinds.relations(line)
        priced, problem, readings = (None, "", []) if rule is None else self.price(line, rule, start, c)
        self._book(bill, line["BillId"], dec(line, "RealCost"))
        return line_result(line, rule, priced, rel, use, bill, problem, readings)

    # chunks --------------------------------------------------------------------------------------
    def feed(self, chunk) -> list[dict]:
        idx = self.o.mapping.classify(chunk)
        rules = self.o.mapping.rules
        out = []
        for i, line in enumerate(chunk.rows(range(len(chunk)))):
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
                pr.checks.append(kinds.Check("month's precision line = debit − lines", mc["status"] == "match",
                                             mc["precision_line"], mc["expected_precision_line"]))
                res = line_result(line, rule, pr, rel, use, bill)
                self.counts[res["status"]] += 1
                precision.append(res)
        return precision, checks


def run(chunks: Iterable, rec: Reconciler, sink: Callable[[list[dict]], None],
        progress: Callable[[int], None] | None = None) -> dict:
    """Feed every chunk to ``rec``, hand each chunk's results to ``sink``; return totals and months."""
    for chunk in chunks:
        res = rec.feed(chunk)
        sink(res)
        if progress:
            progress(len(chunk))
    precision, months = rec.finish()
    sink(precision)
    totals = dict(rec.counts)
    totals["lines"] = sum(rec.counts.values())
    totals["months_differ"] = sum(m["status"] != "match" for m in months)
    return {"totals": totals, "months": months, "engine": rec.engine}
