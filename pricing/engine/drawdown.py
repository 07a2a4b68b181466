"""Drawdown: one usage quantity deducted through ordered pools (OpenMeter's credit engine, restated).

A :class:`Pool` is a grant of some quantity of one or more metrics: the free quota, a resource
pack, a plan's monthly quota. Each pool says what it may cover (metrics, regions) and when it
counts (its validity window). :func:`drawdown` is pure: usage goes in, a :class:`Ledger` comes
out that says which pool covered how much, what each pool has left, and what is left to pay.
Usage is conserved: covered + uncovered = usage.

A pool may be *held* (a ceiling, such as a capacity quota or a capacity pack): it covers up to
its amount at each instant but is not used up, so the next record finds it whole.

Order: by ``priority`` (lower first: free quota 0, resource packs 1, ...), then soonest expiry,
then pool id, so the result never depends on the order the pools were passed in.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from .errors import InputError
from .money import ZERO, nonneg
from .periods import Window, as_datetime

ALL = None  # a pool scope of ALL (None) covers every region


@dataclass(frozen=True)
class Pool:
    id: str
    kind: str                      # 'free-quota', 'resource-pack', 'plan-quota', ...
    metrics: frozenset[str]        # what it may cover, e.g. {'calls'}
    remaining: Decimal
    priority: int = 1
    window: Window | None = None   # None: always valid
    regions: frozenset[str] | None = ALL
    source: str = ""
    held: bool = False             # a ceiling: covers up to ``remaining`` at each instant, never used up

    def applies(self, metric: str, at: datetime, region: str | None) -> tuple[bool, str]:
        if metric not in self.metrics:
            return False, f"covers {', '.join(sorted(self.metrics))} only"
        if self.window is not None and not self.window.contains(at):
            return False, f"outside its validity window {self.window.start:%Y-%m-%d %H:%M:%S} to {self.window.end:%Y-%m-%d %H:%M:%S}"
        if self.regions is not None and region not in self.regions:
            return False, f"not valid in region {region}"
        if self.remaining <= 0:
            return False, "used up"
        return True, ""


def make_pool(id: str, kind: str, metrics, amount, priority: int = 1, window: Window | None = None,
              regions=None, source: str = "", held: bool = False) -> Pool:
    ms = frozenset([metrics] if isinstance(metrics, str) else metrics)
    if not ms:
        raise InputError(f"pool {id}.metrics", [], "at least one metric")
    return Pool(id, kind, ms, nonneg(amount, f"pool {id}.amount"), priority, window,
                None if regions is None else frozenset(regions), source, held)


@dataclass(frozen=True)
class LedgerLine:
    pool: str
    kind: str
    covered: Decimal
    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class Skip:
    pool: str
    reason: str


@dataclass(frozen=True)
class Ledger:
    metric: str
    usage: Decimal
    at: datetime
    region: str | None
    lines: tuple[LedgerLine, ...]
    skipped: tuple[Skip, ...]
    uncovered: Decimal            # left to pay as you go
    pools_after: tuple[Pool, ...]

    @property
    def covered(self) -> Decimal:
        return sum((l.covered for l in self.lines), ZERO)

    def covered_by(self, pool_id: str) -> Decimal:
        return sum((l.covered for l in self.lines if l.pool == pool_id), ZERO)


def order(pools) -> list[Pool]:
    far = datetime.max
    return sorted(pools, key=lambda p: (p.priority, p.window.end if p.window else far, p.id))


def drawdown(metric: str, usage: object, at: object, pools, region: str | None = None,
             limit: object = None) -> Ledger:
    """Deduct ``usage`` of ``metric`` (at moment ``at``, in ``region``) through ``pools`` in order.

    ``limit`` (optional): at most this much of the usage may be covered, by all pools together (a
    share a rule allotted to this usage when several usages compete for one pool); the rest is
    uncovered. ``None``: no limit."""
    if not isinstance(metric, str) or not metric:
        raise InputError("metric", metric, "a metric name such as 'calls' or 'egress_gb'")
    total = nonneg(usage, "usage")
    cap = total if limit is None else min(total, nonneg(limit, "limit"))
    left = cap
    moment = as_datetime(at, "at")
    lines, skipped, after = [], [], []
    for p in order(pools):
        ok, why = p.applies(metric, moment, region)
        if not ok or left == 0:
            if not ok:
                skipped.append(Skip(p.id, why))
            after.append(p)
            continue
        take = min(left, p.remaining)
        rest = p.remaining if p.held else p.remaining - take
        lines.append(LedgerLine(p.id, p.kind, take, p.remaining, rest))
        left -= take
        after.append(p if p.held else replace(p, remaining=rest))
    return Ledger(metric, total, moment, region, tuple(lines), tuple(skipped), total - cap + left, tuple(after))
