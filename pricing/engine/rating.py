"""Rating: timestamped usage in, a ledger and rated lines out (OpenMeter's engine, restated).

``run(snapshot, records, until, rater)`` rates every usage record in ``[snapshot.at, until)``, in
time order, and returns the snapshot at ``until`` and the history of what happened to each record:

1. the record is drawn down through the pools valid at its own instant, in the pool order
   (priority, then soonest expiry, then id: :func:`pricing.engine.drawdown.order`): a pool counts
   only inside its own window, so a pack that lapses at 14:00 covers nothing at 15:00;
2. the rater (a product rule) prices what no pool covered, at the record's instant, reading the
   cumulative positions the snapshot carries (the month's call count that picks the tier);
3. the record moves its position by what the rater says (all calls, or billed calls only), and
   any further positions it names (``also``);
4. what the rater marks ``convert`` becomes a usage record of another metric at the same instant,
   drawn down and rated next (an SMS no SMS pack covered becomes calls: the SMS deduction order).

A snapshot holds everything a later run needs: the instant, every pool with what is left, and
the cumulative positions. So a month rated in two runs equals the month rated in one
(``run(run(s, A, t).snapshot, B, u) == run(s, A ∪ B, u)``), which the property tests check.
The engine is pure: nothing is read from outside but its arguments.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Callable, Hashable, Iterable

from .drawdown import Ledger, Pool, drawdown
from .errors import InputError
from .money import ZERO, nonneg
from .periods import as_datetime
from .statement import Line, line


@dataclass(frozen=True)
class Record:
    """One usage record: ``quantity`` of ``metric`` at instant ``at`` (Beijing time), in ``region``.
    ``tags`` mark what a rule may treat differently (e.g. ``websocket``); ``source`` says where
    the record came from; ``cover`` (optional) is the most the pools may cover of it, a share the
    rule allotted when several records compete for one pool (:func:`pricing.engine.drawdown.drawdown`'s
    ``limit``)."""

    at: datetime
    metric: str
    quantity: Decimal
    region: str | None = None
    tags: frozenset = frozenset()
    source: str = ""
    cover: Decimal | None = None

    def key(self) -> tuple:
        return (self.at, self.metric, self.region or "", self.source, self.quantity)


def record(at: object, metric: str, quantity: object, region: str | None = None, tags=(), source: str = "") -> Record:
    """Build a record from user input (ISO instant, decimal string); errors name the field."""
    if not isinstance(metric, str) or not metric:
        raise InputError("metric", metric, "a metric name such as 'calls' or 'egress_gb'")
    return Record(as_datetime(at, "at"), metric, nonneg(quantity, "quantity"), region, frozenset(tags), source)


@dataclass(frozen=True)
class Snapshot:
    """The state between two runs: every record before ``at`` is rated; ``pools`` with what is
    left; ``positions`` the cumulative counts per scope (e.g. ``("calls", "2023-01")``)."""

    at: datetime
    pools: tuple[Pool, ...] = ()
    positions: tuple[tuple[Hashable, Decimal], ...] = ()

    def position(self, key: Hashable) -> Decimal:
        for k, v in self.positions:
            if k == key:
                return v
        return ZERO

    def moved(self, key: Hashable, by: Decimal) -> "Snapshot":
        d = dict(self.positions)
        d[key] = d.get(key, ZERO) + by
        return replace(self, positions=tuple(sorted(d.items(), key=lambda kv: repr(kv[0]))))

    def pool(self, id: str) -> Pool:
        for p in self.pools:
            if p.id == id:
                return p
        raise InputError("pool", id, ", ".join(p.id for p in self.pools) or "(no pools)")


@dataclass(frozen=True)
class Rating:
    """What a rater says about one record's uncovered quantity: the exact amount and its parts
    (tier slices, price × quantity), the settlement it belongs to (``bill``, e.g. the hour), the
    item and unit of the line, and how it moves a cumulative position."""

    exact: Decimal
    bill: str
    item: str
    unit: str = ""
    parts: tuple = ()
    position_key: Hashable | None = None
    position_add: Decimal = ZERO
    note: str = ""
    also: tuple = ()                                # further (position key, add) moves
    convert: tuple[str, Decimal] | None = None      # (metric, quantity): a usage record derived from this one


Rater = Callable[[Record, Ledger, Snapshot], Rating]


@dataclass(frozen=True)
class Rated:
    record: Record
    ledger: Ledger
    rating: Rating
    position_before: Decimal


@dataclass(frozen=True)
class Run:
    snapshot: Snapshot
    history: tuple[Rated, ...] = field(default=())

    def lines(self, reading: str = "line-8dp-debit-fen") -> list[Line]:
        """One bill line per rated record (records no pool fully covered, and free ones too)."""
        return [line(r.rating.bill, r.rating.item, r.rating.exact, r.ledger.uncovered, r.rating.unit, r.record.at,
                     r.rating.parts, reading) for r in self.history]

    def covered(self) -> dict[str, Decimal]:
        """What each pool covered over the run."""
        out: dict[str, Decimal] = {}
        for r in self.history:
            for l in r.ledger.lines:
                out[l.pool] = out.get(l.pool, ZERO) + l.covered
        return out


def run(snapshot: Snapshot, records: Iterable[Record], until: object, rater: Rater) -> Run:
    """Rate ``records`` (each in ``[snapshot.at, until)``) in time order from ``snapshot``.

    Raises :class:`InputError` for a record outside the run's span (a record before the snapshot
    was already rated; one at or after ``until`` belongs to the next run)."""
    end = as_datetime(until, "until")
    if end < snapshot.at:
        raise InputError("until", end.isoformat(), f"a moment at or after the snapshot ({snapshot.at.isoformat()})")
    recs = sorted(records, key=Record.key)
    for r in recs:
        if not snapshot.at <= r.at < end:
            raise InputError("record.at", r.at.isoformat(),
                             f"a moment in [{snapshot.at.isoformat()}, {end.isoformat()}) — the span of this run")
    snap, out = snapshot, []
    for first in recs:
        todo = [first]
        while todo:
            r = todo.pop(0)
            led = drawdown(r.metric, r.quantity, r.at, snap.pools, r.region, r.cover)
            snap = replace(snap, pools=led.pools_after)
            rating = rater(r, led, snap)
            before = snap.position(rating.position_key) if rating.position_key is not None else ZERO
            if rating.position_key is not None and rating.position_add:
                snap = snap.moved(rating.position_key, rating.position_add)
            for key, add in rating.also:
                if add:
                    snap = snap.moved(key, add)
            out.append(Rated(r, led, rating, before))
            if rating.convert is not None and rating.convert[1] > 0:
                metric, qty = rating.convert
                todo.append(Record(r.at, metric, qty, r.region, r.tags, f"{r.source}→{r.metric}"))
    return Run(replace(snap, at=end), tuple(out))


__all__ = ["Rated", "Rater", "Rating", "Record", "Run", "Snapshot", "record", "run"]
