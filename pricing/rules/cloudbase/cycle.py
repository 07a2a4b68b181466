"""包年包月 · The CloudBase cycle bill: a plan's usage over one or several billing cycles, billed by day.

A monthly plan (套餐) is bought at an instant; its billing cycles are anniversary months of that
instant (anchor + n months, month-end clamped: :func:`pricing.engine.periods.add_months`), and its
quotas (套餐配额) are granted afresh at the start of each cycle. Timestamped usage records of any
metric — calls (counted in calls), resource use (GB·s), internet egress, storage traffic, CDN
origin traffic (GB), capacity held (GB), SMS — are rated by the drawdown core
(:func:`pricing.engine.rating.run`) with a CloudBase rater:

1. each record is drawn through the pools valid at its own instant, in order: the plan quota of
   the cycle (priority 0), then extension packs (扩展资源包, priority 1, soonest lapse first), each
   pack counting only inside its own window (``cloudbase.pricelist.pack_window``): a pack that
   lapses at 14:00 covers nothing at 15:00;
2. SMS follow the SMS deduction order (:mod:`.sms`): SMS packs first; each SMS left becomes
   ``cloudbase.pricelist.calls.per_sms`` calls drawn from the plan's calls, then call packs, then
   paid as you go;
3. capacity is *held*, not used up: the plan quota and capacity packs are ceilings; each day pays
   the GB held above the ceiling at the per-GB-per-day price (``cloudbase.cycle.held_day`` says
   which GB of the day count);
4. what no pool covers is overage (超限按量), priced at the overage price in force on its day; each
   Beijing calendar day is one settlement, settled ``cloudbase.pricelist.overage.settle_after``
   later. With keep serving (超限不停服) off, the excess is refused and nothing is billed.

A plan change (升配 / 降配) at an instant changes the quota in force from then
(``cloudbase.plans.upgrade_quota_start``) for the rest of the cycle: the cycle's usage so far counts
against the new quota. A downgrade is refused while the cycle's usage exceeds the target's quota
(:func:`.monthly.require_change_allowed`). The run is cut at every cycle start and plan change;
the state between runs is a :class:`~pricing.engine.rating.Snapshot` (pools left, quota used,
capacity held), so a cycle billed in two runs equals the cycle billed at once.

All quantities are in each metric's base unit (calls, GB·s, GB; a pack in its own unit, which is
the same): no calls in, 万 out. The quota used is also given in the quota unit (万).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from pricing.engine import rating
from pricing.engine.calcs import calc, choice, flag, items, moment, whole as whole_input
from pricing.engine.catalog import CatalogView
from pricing.engine.drawdown import Pool, make_pool
from pricing.engine.errors import InputError, RuleError
from pricing.engine.money import BILLED, ZERO, integral
from pricing.engine.periods import Window, as_datetime
from pricing.engine.policies import choose, policy
from pricing.engine.results import Result
from pricing.engine.statement import DEBIT_ROUNDING, Statement, line, settle
from pricing.engine.units import parse_count
from . import lineup, monthly, packs as packs_mod, plans
from pricing.rules.conventions import MONTH_END, month_end
from .pricelist import CALLS, CAPACITY_QUOTA, FLOW_PER_DAY, PACK_WINDOW, overage_price

SMS = "sms"
DAY = timedelta(days=1)
SAMPLE = "held-sample"  # the source of a capacity sample the engine takes (00:00, a cut, a pack's start or lapse)

HELD_DAY = policy(
    "cloudbase.cycle.held_day",
    "Capacity is priced per GB per day held: which GB of a day count when the amount held changes within it?",
    {"peak": "the most GB held above the ceiling at any moment of the day (each level counts from when it is set; "
             "the ceiling is re-read at 00:00, at a plan change and when a capacity pack starts or lapses)",
     "start-of-day": "the GB held above the ceiling at 00:00 of the day"},
    "peak", "CB-PL-CAPACITY-HELD")


# ---------------------------------------------------------------------------------- the term
@dataclass(frozen=True)
class PlanChange:
    at: datetime          # the order instant
    plan: str             # the plan from then on
    effective: datetime   # when its quota applies (the order instant, or 00:00 of its day)
    direction: int        # +1 upgrade, -1 downgrade


@dataclass(frozen=True)
class PackOrder:
    pack: str
    bought: datetime
    pool: Pool


@dataclass(frozen=True)
class Order:
    """A payment outside the daily overage bills: the plan, a pack, an upgrade fee (debits) or a
    downgrade refund (a credit, ``amount`` < 0). ``amount`` is None for an order of a plan with no
    list price in force (sold on request, 联系我们): the guides give nothing to price it with."""

    at: datetime
    kind: str
    item: str
    amount: Decimal | None
    note: str = ""


ON_REQUEST = "a plan with no list price (quoted on request, 联系我们): not priced, not in orders_total"


@dataclass(frozen=True)
class Term:
    """A plan bought at ``purchased`` for ``months`` cycles, its plan changes and the packs bought."""

    plan: str
    purchased: datetime
    months: int
    cycles: tuple[Window, ...]
    changes: tuple[PlanChange, ...] = ()
    packs: tuple[PackOrder, ...] = ()
    keep_serving: bool = True

    @property
    def expiry(self) -> datetime:
        return self.cycles[-1].end

    def cycle_index(self, at: datetime) -> int:
        for k, w in enumerate(self.cycles):
            if w.contains(at):
                return k
        raise InputError("at", at.isoformat(), f"a moment in the plan's term [{self.purchased}, {self.expiry})")

    def plan_at(self, at: datetime) -> str:
        p = self.plan
        for c in self.changes:
            if c.effective <= at:
                p = c.plan
        return p

    def cuts(self) -> list[datetime]:
        """Where the quota in force changes: each cycle start and each plan change."""
        return sorted({w.start for w in self.cycles} | {c.effective for c in self.changes})


def _table_or_line(raw: object, keys: tuple[str, ...], field: str) -> dict:
    """One item of a list input: a table with ``keys``, or a line of whitespace-separated values."""
    if isinstance(raw, dict):
        missing = [k for k in keys if k not in raw]
        if missing:
            raise InputError(f"{field}.{missing[0]}", raw, "a table with " + ", ".join(keys))
        return raw
    parts = str(raw).split()
    if len(parts) != len(keys):
        raise InputError(field, raw, "'" + " ".join(f"<{k}>" for k in keys) + "'")
    return dict(zip(keys, parts))


def term(cat: CatalogView, plan: str, purchased: object, months: int = 1, changes=(), packs=(),
         keep_serving: bool = True, policies: dict | None = None) -> Term:
    """The term of a plan bought at ``purchased`` (the plan in the lineup in force then) for
    ``months`` billing cycles. ``changes``: items ``{at, plan}`` (or ``'<at> <plan>'``), each
    priced and checked at its own instant; ``packs``: items ``{pack, bought}`` (or
    ``'<pack> <bought>'``), each with the contents and window of its order instant."""
    t0 = as_datetime(purchased, "purchased")
    view = cat.at(t0)
    lineup.plan_row(view, plan, "plan")
    if not isinstance(months, int) or months < 1:
        raise InputError("months", months, "a whole number of months >= 1")
    cycles = tuple(monthly.cycles(t0, months, month_end(policies)))
    expiry = cycles[-1].end
    quota_start = choose(policies, plans.QUOTA_START)
    out, current, last = [], plan, t0
    parsed = sorted((_table_or_line(c, ("at", "plan"), f"changes[{i}]") for i, c in enumerate(changes or ())),
                    key=lambda c: as_datetime(c["at"], "changes.at"))
    for i, c in enumerate(parsed):
        at = as_datetime(c["at"], f"changes[{i}].at")
        if not t0 < at < expiry:
            raise InputError(f"changes[{i}].at", at.isoformat(), f"a moment inside the term ({t0}, {expiry})")
        v = cat.at(at)
        d = plans.direction(v, current, c["plan"])
        eff = at if quota_start == "change-instant" else max(last, datetime.combine(at.date(), time()))
        out.append(PlanChange(at, c["plan"], eff, d))
        current, last = c["plan"], eff
    held = []
    for i, p in enumerate(packs or ()):
        spec = _table_or_line(p, ("pack", "bought"), f"packs[{i}]")
        bought = as_datetime(spec["bought"], f"packs[{i}].bought")
        row = packs_mod.pack_row(cat.at(bought), spec["pack"])
        w, _ = packs_mod.pack_window(cat, bought, policies)
        is_held = row.metric in lineup.metric_ids(cat.at(bought)) and lineup.accrual(cat.at(bought), row.metric) == "held"
        pool = make_pool(f"{row.pack}#{i + 1}", "resource-pack", row.metric, row.amount, 1, w,
                         source=f"扩展资源包 {row.zh} ({row.unit})", held=is_held)
        held.append(PackOrder(row.pack, bought, pool))
    return Term(plan, t0, months, cycles, tuple(out), tuple(held), keep_serving)


def orders(cat: CatalogView, t: Term, policies: dict | None = None) -> list[Order]:
    """The payments of the term outside the daily bills, each priced at its order instant: the
    plan (its list price × months), each pack, each upgrade fee (:func:`.plans.upgrade_fee`) and
    each downgrade refund (:func:`.plans.downgrade_refund`, a credit)."""
    out = []
    v0 = cat.at(t.purchased)
    if lineup.has_price(v0, t.plan):
        price = lineup.plan_price(v0, t.plan)
        out.append(Order(t.purchased, "plan", f"{t.plan} × {t.months} months", BILLED(price * t.months),
                         f"{price} CNY/month at the purchase"))
    else:
        out.append(Order(t.purchased, "plan", f"{t.plan} × {t.months} months", None, ON_REQUEST))
    for p in t.packs:
        row = packs_mod.pack_row(cat.at(p.bought), p.pack)
        out.append(Order(p.bought, "pack", row.pack, BILLED(row.price), f"{row.zh}"))
    current = t.plan
    for c in t.changes:
        v = cat.at(c.at)
        if lineup.has_price(v, current) and lineup.has_price(v, c.plan):
            if c.direction > 0:
                r = plans.upgrade_fee(cat, lineup.plan_price(v, current), lineup.plan_price(v, c.plan), c.at, t.expiry,
                                      by_rank=True, policies=policies)
                out.append(Order(c.at, "upgrade", f"{current} → {c.plan}", r["fee"], f"{r['days']} days left"))
            else:
                old = lineup.plan_price(cat.at(t.purchased), current) if current == t.plan else lineup.plan_price(v, current)
                r = plans.downgrade_refund(cat, old, lineup.plan_price(v, c.plan), t.months, t.purchased, c.at,
                                           policies=policies, by_rank=True)
                out.append(Order(c.at, "downgrade-refund", f"{current} → {c.plan}", -r["refund"],
                                 f"{r['remaining_days']} days left"))
        else:
            out.append(Order(c.at, "upgrade" if c.direction > 0 else "downgrade-refund", f"{current} → {c.plan}", None,
                             ON_REQUEST))
        current = c.plan
    return sorted(out, key=lambda o: (o.at, o.kind))


# ---------------------------------------------------------------------------------- usage records
def record(cat: CatalogView, at: object, metric: str, quantity: object, field: str = "usage") -> rating.Record:
    """A usage record: ``quantity`` of ``metric`` at ``at``, in the metric's base unit (calls for
    calls_wan, GB·s for gbs_wan, GB, SMS); for a held metric (capacity) the amount held from then on."""
    t = as_datetime(at, f"{field}.at")
    allowed = (*lineup.billed_metric_ids(cat.at(t)), SMS)
    if metric not in allowed:
        raise InputError(f"{field}.metric", metric, " | ".join(allowed) + f" (metrics billed on {t:%Y-%m-%d})")
    return rating.Record(t, metric, parse_count(quantity, f"{field}.quantity"))


def records(cat: CatalogView, raw: object) -> list[rating.Record]:
    """Usage records from a list of tables ``{at, metric, quantity}`` or lines ``'<at> <metric> <quantity>'``."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise InputError("usage", raw, "a list of '<at> <metric> <quantity>' lines or {at, metric, quantity} tables")
    out = []
    for i, r in enumerate(raw):
        spec = _table_or_line(r, ("at", "metric", "quantity"), f"usage[{i}]")
        out.append(record(cat, spec["at"], spec["metric"], spec["quantity"], f"usage[{i}]"))
    return out


# ---------------------------------------------------------------------------------- the rater
def _day(at: datetime) -> date:
    return at.date()


def _held(view: CatalogView, metric: str) -> bool:
    return metric in lineup.metric_ids(view) and lineup.accrual(view, metric) == "held"


def rater(cat: CatalogView, t: Term, policies: dict | None = None) -> rating.Rater:
    held_day = choose(policies, HELD_DAY)
    views: dict[date, CatalogView] = {}

    def rate(r: rating.Record, led, snap: rating.Snapshot) -> rating.Rating:
        d = _day(r.at)
        if d not in views:
            views[d] = cat.at(datetime.combine(d, time()))  # the overage price in force on the record's day
        view = views[d]
        bill = d.isoformat()
        k = t.cycle_index(r.at)
        plan_cov = sum((ln.covered for ln in led.lines if ln.kind == "plan-quota"), ZERO)
        if r.metric == SMS:
            per_sms = view.dec("cloudbase.pricelist.calls.per_sms")
            return rating.Rating(ZERO, bill, SMS, "SMS", (), None, ZERO,
                                 f"{led.uncovered} SMS left after SMS packs × {integral(per_sms)} calls",
                                 convert=(CALLS, led.uncovered * per_sms))
        unit = lineup.metric_row(view, r.metric)["base_unit"]
        if _held(view, r.metric):
            level, peak = ("held", r.metric), ("held-over", r.metric, bill)
            counts = held_day == "peak" or r.at == datetime.combine(d, time())
            add = max(ZERO, led.uncovered - snap.position(peak)) if counts else ZERO
            price = view.dec(lineup.overage_id(r.metric))
            exact = add * price if t.keep_serving else ZERO
            return rating.Rating(exact, bill, r.metric, f"{unit}·day", (price,), peak, add,
                                 f"{led.uncovered} {unit} above the ceiling", also=((level, r.quantity - snap.position(level)),))
        price, per = overage_price(view, r.metric)
        exact = led.uncovered * price / per if t.keep_serving else ZERO
        return rating.Rating(exact, bill, r.metric, unit, (price, per), ("quota-used", r.metric, k), plan_cov,
                             f"{led.uncovered} {unit} × {price}" + (f" / {integral(per)}" if per != 1 else ""))

    return rate


# ---------------------------------------------------------------------------------- runs
def quota_pools(cat: CatalogView, t: Term, k: int, at: datetime, snap: rating.Snapshot,
                policies: dict | None = None) -> tuple[Pool, ...]:
    """The plan quota pools of cycle ``k`` from ``at`` (a cycle start or a plan change), for the plan
    in force then, read at ``at``: a cumulative metric's quota less what the cycle has used
    (in base units); a held metric's quota as a ceiling."""
    view = cat.at(at)
    plan = t.plan_at(at)
    w = Window(at, t.cycles[k].end)
    out = []
    for m in lineup.billed_metric_ids(view):
        q = plans_quota(view, plan, m, policies)
        f = lineup.factor(view, m)
        if _held(view, m):
            out.append(make_pool(f"plan-quota:c{k + 1}:{m}", "plan-quota", m, q * f, 0, w, source=f"套餐配额 {plan}",
                                 held=True))
        else:
            used = snap.position(("quota-used", m, k))
            out.append(make_pool(f"plan-quota:c{k + 1}:{m}", "plan-quota", m, max(ZERO, q * f - used), 0, w,
                                 source=f"套餐配额 {plan}"))
    return tuple(out)


def plans_quota(view: CatalogView, plan: str, metric: str, policies: dict | None = None) -> Decimal:
    from .pricelist import quota
    return quota(view, plan, metric, policies)


def _apply_cut(cat: CatalogView, t: Term, at: datetime, snap: rating.Snapshot, policies) -> rating.Snapshot:
    k = t.cycle_index(at)
    change = next((c for c in t.changes if c.effective == at), None)
    if change is not None and change.direction < 0:
        view = cat.at(at)
        used = {}
        for m in lineup.billed_metric_ids(view):
            f = lineup.factor(view, m)
            used[m] = (snap.position(("held", m)) if _held(view, m) else snap.position(("quota-used", m, k))) / f
        used = {m: v for m, v in used.items() if m in monthly.metric_classes(view) and v}
        limits, label = monthly.target_limits(view, change.plan)
        monthly.require_change_allowed(view, used, limits, label, at, t.purchased, policies)
    keep = tuple(p for p in snap.pools if p.kind != "plan-quota")
    return replace(snap, pools=keep + quota_pools(cat, t, k, at, snap, policies))


def start(t: Term) -> rating.Snapshot:
    """The snapshot at the purchase: the packs held, nothing used (the plan quota is granted by the first run)."""
    return rating.Snapshot(t.purchased, tuple(p.pool for p in t.packs))


def _samples(cat: CatalogView, t: Term, snap: rating.Snapshot, recs: list[rating.Record], end: datetime) -> list[rating.Record]:
    """Capacity samples the engine takes where the ceiling or the day changes (00:00, a cut, a
    capacity pack's start or lapse) with the amount held then, in [snap.at, end)."""
    out = []
    view = cat.at(snap.at)
    for m in [m for m in lineup.billed_metric_ids(view) if _held(view, m)]:
        marks = set(t.cuts())
        day = datetime.combine(snap.at.date(), time())
        while day < end:
            marks.add(day)
            day += DAY
        for p in snap.pools:
            if m in p.metrics and p.window is not None:
                marks |= {p.window.start, p.window.end}
        real = sorted((r for r in recs if r.metric == m), key=rating.Record.key)
        level, i = snap.position(("held", m)), 0
        for at in sorted(x for x in marks if snap.at <= x < end and t.purchased <= x < t.expiry):
            while i < len(real) and real[i].at < at:
                level, i = real[i].quantity, i + 1
            if level > 0 and not (i < len(real) and real[i].at == at):
                out.append(rating.Record(at, m, level, source=SAMPLE))
    return out


@dataclass(frozen=True)
class CycleRun:
    snapshot: rating.Snapshot
    history: tuple[rating.Rated, ...] = field(default=())


def run(cat: CatalogView, t: Term, snapshot: rating.Snapshot, recs: list[rating.Record], until: object,
        policies: dict | None = None) -> CycleRun:
    """Rate ``recs`` (each in ``[snapshot.at, until)`` and inside the term) from ``snapshot``, cutting
    the run at each cycle start and plan change. ``run(run(s, A, t).snapshot, B, u)`` gives the
    history and snapshot of ``run(s, A + B, u)``."""
    if choose(policies, FLOW_PER_DAY) != "settled-daily" or choose(policies, CAPACITY_QUOTA) != "ceiling":
        raise RuleError("policies", f"the cycle bill settles each day's excess once ({FLOW_PER_DAY.name} = settled-daily) "
                                    f"and holds capacity under a ceiling ({CAPACITY_QUOTA.name} = ceiling); the other "
                                    "readings are computed by cloudbase.pricelist.calls_cycle, overage_day and capacity_cycle")
    end = as_datetime(until, "until")
    if end > t.expiry:
        raise InputError("until", end.isoformat(), f"a moment at or before the plan's expiry ({t.expiry})")
    for r in recs:
        if not t.purchased <= r.at < t.expiry:
            raise InputError("usage.at", r.at.isoformat(), f"a moment in the plan's term [{t.purchased}, {t.expiry})")
    all_recs = sorted([*recs, *_samples(cat, t, snapshot, recs, end)], key=rating.Record.key)
    cuts = [c for c in t.cuts() if snapshot.at <= c < end]
    bounds = sorted({snapshot.at, *cuts, end})
    rate = rater(cat, t, policies)
    snap, hist = snapshot, []
    for a, b in zip(bounds, bounds[1:] + [None]):
        if a in cuts:
            snap = _apply_cut(cat, t, a, snap, policies)
        if b is None:
            break
        part = rating.run(snap, [r for r in all_recs if a <= r.at < b], b, rate)
        snap, hist = part.snapshot, hist + list(part.history)
    return CycleRun(replace(snap, at=end), tuple(hist))


# ---------------------------------------------------------------------------------- the bill
@dataclass(frozen=True)
class DayRow:
    day: date
    quota_used: dict          # metric -> base units covered by the plan quota
    packs: dict               # pack pool id -> covered, in the pack's own unit
    overage: dict             # metric -> uncovered quantity (held: GB·days above the ceiling)
    fees: dict                # metric -> exact fee
    debit: Decimal            # the day's settlement (statement.bills)


@dataclass(frozen=True)
class CycleBill:
    term: Term
    history: tuple[rating.Rated, ...]
    statement: Statement
    days: tuple[DayRow, ...]
    orders: tuple[Order, ...]
    snapshot: rating.Snapshot

    def covered(self) -> dict[str, Decimal]:
        """What each pool covered over the bill, in its own unit (a held pool: the most it covered at once)."""
        out: dict[str, Decimal] = {}
        for h in self.history:
            held = h.rating.unit.endswith("·day")
            for ln in h.ledger.lines:
                out[ln.pool] = max(out.get(ln.pool, ZERO), ln.covered) if held else out.get(ln.pool, ZERO) + ln.covered
        return out

    def cycle_rows(self) -> list[dict]:
        """Per billing cycle: quota used per metric, what each pack covered, exact fees per metric (a day
        that a cycle boundary splits is one settlement, so debits are per day, not per cycle)."""
        rows = []
        for k, w in enumerate(self.term.cycles):
            hs = [h for h in self.history if w.contains(h.record.at)]
            used, pk, fees = {}, {}, {}
            for h in hs:
                _tally(h, used, pk)
                if h.rating.exact:
                    fees[h.record.metric] = fees.get(h.record.metric, ZERO) + h.rating.exact
            rows.append({"cycle": k + 1, "window": w, "quota_used": used, "packs": pk, "fees": fees})
        return rows


def _tally(h: rating.Rated, used: dict, packs: dict) -> None:
    """Add a record's ledger to the quota used per metric and the cover per pack: cumulative metrics
    add up; a held metric (a ceiling) keeps the most it covered."""
    held = h.rating.unit.endswith("·day")
    for ln in h.ledger.lines:
        tgt, key = (used, h.record.metric) if ln.kind == "plan-quota" else (packs, ln.pool)
        tgt[key] = max(tgt.get(key, ZERO), ln.covered) if held else tgt.get(key, ZERO) + ln.covered


def statement_of(history, t: Term, cat: CatalogView, policies: dict | None = None) -> Statement:
    """The history's lines, one per day and metric (records no pool fully covered, and the day's
    capacity above the ceiling), settled under ``billing.debit_rounding``; a day is settled
    ``cloudbase.pricelist.overage.settle_after`` after it."""
    reading = choose(policies, DEBIT_ROUNDING)
    agg: dict[tuple[str, str], list] = {}
    for h in history:
        if h.record.metric == SMS:
            continue
        qty = h.rating.position_add if h.rating.unit.endswith("·day") else h.ledger.uncovered
        if not qty and not h.rating.exact:
            continue
        key = (h.rating.bill, h.record.metric)
        a = agg.setdefault(key, [ZERO, ZERO, h.rating.unit, h.rating.parts])
        a[0] += h.rating.exact
        a[1] += qty
    lines = []
    for (bill, metric), (exact, qty, unit, parts) in sorted(agg.items()):
        d = date.fromisoformat(bill)
        settled = datetime.combine(d, time()) + cat.at(datetime.combine(d, time())).timedelta(
            "cloudbase.pricelist.overage.settle_after")
        lines.append(line(bill, metric, exact, qty, unit, settled, parts, reading))
    return settle(lines, policies)


def cycle_bill(cat: CatalogView, t: Term, recs: list[rating.Record], until: object = None,
               policies: dict | None = None) -> CycleBill:
    """Bill ``recs`` over the term from the purchase to ``until`` (default: the expiry) in one run."""
    r = run(cat, t, start(t), recs, until or t.expiry, policies)
    return bill_of(cat, t, r, policies)


def bill_of(cat: CatalogView, t: Term, r: CycleRun, policies: dict | None = None) -> CycleBill:
    st = statement_of(r.history, t, cat, policies)
    days: dict[date, dict] = {}
    for h in r.history:
        d = days.setdefault(_day(h.record.at), {"quota_used": {}, "packs": {}, "overage": {}, "fees": {}})
        m = h.record.metric
        _tally(h, d["quota_used"], d["packs"])
        over = h.rating.position_add if h.rating.unit.endswith("·day") else (ZERO if m == SMS else h.ledger.uncovered)
        if over:
            d["overage"][m] = d["overage"].get(m, ZERO) + over
        if h.rating.exact:
            d["fees"][m] = d["fees"].get(m, ZERO) + h.rating.exact
    rows = tuple(DayRow(k, v["quota_used"], v["packs"], v["overage"], v["fees"], st.bills.get(k.isoformat(), ZERO))
                 for k, v in sorted(days.items()))
    return CycleBill(t, r.history, st, rows, tuple(orders(cat, t, policies)), r.snapshot)


CYCLE_POLICIES = (DEBIT_ROUNDING, HELD_DAY, PACK_WINDOW, plans.QUOTA_START, MONTH_END, FLOW_PER_DAY, CAPACITY_QUOTA,
                  plans.DAY_COUNT, plans.NEW_PURCHASE, plans.ROUNDING, plans.UPGRADE_DAYS)
"""Every policy the cycle bill reads: the debit rounding of each day (billing.debit_rounding), which GB of a
day count (cloudbase.cycle.held_day), the packs' windows, when a changed plan's quota applies, the billing
day (periods.month_end), the flows settled per day and capacity under a ceiling (the two readings the
bill is built on), and how the orders of a plan change are priced (day counts, new purchase, rounding,
upgrade days). Cloud Hosting and promotion packs are not part of a plan's cycle: their own calculations
(cloudbase.hosting.bill, cloudbase.pricelist.promo_cost) read their policies."""


def used_policies(policies: dict | None) -> dict:
    return {p.name: choose(policies, p) for p in CYCLE_POLICIES}


# ---------------------------------------------------------------------------------- the calculation
@calc("cloudbase.cycle.bill", "A monthly plan's usage over its billing cycles, billed by day (plan quota, packs, overage)",
      [choice("plan", lineup.plan_choices, help="the plan bought (a plan of the lineup in force at the purchase)"),
       moment("purchased", help="the purchase instant: the billing cycles are anniversary months of it"),
       whole_input("months", "months", "1", "months bought (billing cycles)", minimum=1, maximum=120),
       items("usage", "base units", [], "usage records '<at> <metric> <quantity>' (or tables): calls_wan in calls, "
                                        "gbs_wan in GB·s, the GB metrics in GB, capacity_gb the GB held from then, sms in SMS"),
       items("packs", "", [], "extension packs bought: '<pack> <bought>' (or tables {pack, bought})"),
       items("changes", "", [], "plan changes: '<at> <plan>' (or tables {at, plan}), upgrades or downgrades"),
       moment("until", None, "bill up to this instant (default: the plan's expiry)"),
       flag("keep_serving", True, "keep serving beyond quota (超限不停服): pay the excess as you go")],
      moment="purchased",
      policies=list(CYCLE_POLICIES))
def _cycle_bill(cat, inputs, policies):
    t = term(cat, inputs["plan"], inputs["purchased"], inputs["months"], inputs["changes"], inputs["packs"],
             inputs["keep_serving"], policies)
    b = cycle_bill(cat, t, records(cat, inputs["usage"]), inputs["until"], policies)
    return result(cat, b, policies)


def result(cat: CatalogView, b: CycleBill, policies: dict | None = None) -> Result:
    """The cycle bill as a Result: steps per cycle and day, outputs for each metric and pack."""
    t, st = b.term, b.statement
    res = Result({}, policies=used_policies(policies))
    res.step("plan bought", t.purchased, f"{lineup.plan_label(cat.at(t.purchased), t.plan)}, {t.months} month(s)")
    for c in t.changes:
        res.step("plan change" + (" (upgrade)" if c.direction > 0 else " (downgrade)"), c.at,
                 f"→ {c.plan}; its quota from {c.effective:%Y-%m-%d %H:%M:%S}")
    for p in t.packs:
        res.step(f"pack {p.pool.id} bought", p.bought,
                 f"{p.pool.remaining} {p.pool.source}; covers {p.pool.window.start:%Y-%m-%d %H:%M:%S} → "
                 f"{p.pool.window.last_second:%Y-%m-%d %H:%M:%S}")
    for row in b.cycle_rows():
        w = row["window"]
        res.step(f"cycle {row['cycle']}", f"{w.start:%Y-%m-%d %H:%M:%S} → {w.end:%Y-%m-%d %H:%M:%S}")
        for m, v in sorted(row["quota_used"].items()):
            res.step(f"cycle {row['cycle']}: {m} from the plan quota", v, lineup.metric_row(cat, m)["base_unit"])
        for pid, v in sorted(row["packs"].items()):
            res.step(f"cycle {row['cycle']}: covered by {pid}", v)
    for d in b.days:
        if d.fees or d.overage:
            res.step(f"{d.day}: overage", "; ".join(f"{m} {v}" for m, v in sorted(d.overage.items())),
                     f"debited {d.debit}")
    res.step("lines", st.subtotal, f"{len(st.lines)} lines (day × metric)")
    res.step("precision line (月度计费精度差异)", st.precision, f"reading {st.reading}")
    res.step("overage debited", st.due, "Σ lines + precision")
    for o in b.orders:
        res.step(f"order: {o.kind} {o.item}", o.amount if o.amount is not None else "quoted on request",
                 f"{o.at:%Y-%m-%d %H:%M:%S}; {o.note}")
    fees: dict[str, Decimal] = {}
    for ln in st.lines:
        fees[ln.item] = fees.get(ln.item, ZERO) + ln.amount
    used: dict[str, Decimal] = {}
    for h in b.history:
        _tally(h, used, {})
    res.outputs.update(total=st.due, subtotal=st.subtotal, precision=st.precision, lines=len(st.lines),
                       days_billed=len(st.bills), cycles=len(t.cycles), expiry=t.expiry,
                       orders_total=BILLED(sum((o.amount for o in b.orders if o.amount is not None), ZERO)),
                       orders_on_request=sum(1 for o in b.orders if o.amount is None))
    res.outputs.update({f"fee_{m}": v for m, v in fees.items()})
    res.outputs.update({f"quota_used_{m}": v for m, v in used.items()})
    res.outputs.update({f"covered_{k}": v for k, v in b.covered().items() if not k.startswith("plan-quota")})
    return res
