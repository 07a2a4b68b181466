"""An account: a balance run through bills and top-ups, and the arrears timeline that follows from it.

Lago keeps a wallet as dated debits and credits, each tied to one bill; the arrears state is
derived from them, never given. Here :func:`run` takes the opening balance, the bills (debits,
each at its settlement instant) and the top-ups (credits), and an :class:`ArrearsRule` — the
product's 欠费 (arrears) rules at their moment — and returns every posting with the balance
after it, and every state change:

``active`` → (balance below zero) ``arrears`` — service goes on through the grace period and its
bills are charged → ``suspended`` — service stops; a bill for usage after this instant is not
served, so it is not charged → ``released`` — the resource or its configuration is destroyed or
cleared; a top-up is credited but restores nothing.

A top-up during ``arrears`` or ``suspended`` restores service (back to ``active``) when the rule
says it does: by default only once the balance is back at zero or above (``clears-debt``), or on
any top-up (``any-topup``). Where a suspended resource comes back only through a renewal order
(续费找回: a CloudBase environment isolated at its plan's expiry), the rule's ``renewal`` prices it at
the top-up's instant: the top-up restores only if the balance then covers the renewal, which is
debited at once. Events at the same instant are taken top-ups first, then refunds, then
bills, so that a payment made in the same second as a bill is counted before it; a milestone at
that instant takes effect after them (a bill settled at the instant of a suspension is for usage
before it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Callable, Iterable

from .errors import InputError
from .money import ZERO, D, nonneg
from .periods import as_datetime
from .results import Result

ACTIVE, ARREARS, SUSPENDED, RELEASED = "active", "arrears", "suspended", "released"
STATES = (ACTIVE, ARREARS, SUSPENDED, RELEASED)
KINDS = {"topup": 0, "refund": 1, "bill": 2}


@dataclass(frozen=True)
class Event:
    """A dated money event: a ``bill`` (a debit), a ``topup`` or a ``refund`` (credits). Amounts are > 0."""

    at: datetime
    kind: str
    amount: Decimal
    ref: str = ""


def event(at: object, kind: str, amount: object, ref: str = "") -> Event:
    if kind not in KINDS:
        raise InputError("kind", kind, " | ".join(KINDS))
    return Event(as_datetime(at, "at"), kind, nonneg(amount, f"{kind} amount"), ref)


@dataclass(frozen=True)
class Milestone:
    """A scheduled state change of the arrears timeline: from ``at`` the account is in ``state``."""

    at: datetime
    state: str
    event: str
    note: str = ""


@dataclass(frozen=True)
class ArrearsRule:
    """A product's arrears rules, as data and one function.

    ``timeline(negative_at)`` gives the milestones that follow the balance going negative at
    ``negative_at`` (e.g. suspended after a 24-hour grace, released 7 days later), in time order.
    ``restore`` is ``'clears-debt'`` or ``'any-topup'``. ``name`` cites the rule."""

    name: str
    timeline: Callable[[datetime], list[Milestone]]
    restore: str = "clears-debt"
    renewal: Callable[[datetime], tuple[Decimal, str]] | None = None  # (amount, what) of the order that restores a suspension

    def __post_init__(self):
        if self.restore not in ("clears-debt", "any-topup"):
            raise InputError("restore", self.restore, "clears-debt | any-topup")


@dataclass(frozen=True)
class Posting:
    at: datetime
    kind: str                  # 'bill' | 'topup' | 'refund' | 'not-served' | a milestone event
    amount: Decimal            # signed: debits negative, credits positive, 0 for state changes
    balance: Decimal           # after this posting
    state: str                 # after this posting
    ref: str = ""
    note: str = ""


@dataclass(frozen=True)
class AccountRun:
    opening: Decimal
    postings: tuple[Posting, ...]
    balance: Decimal
    state: str
    arrears: tuple[datetime, ...] = ()          # each instant the balance went below zero from active
    restored: tuple[datetime, ...] = ()         # each instant a top-up restored service
    charged: Decimal = ZERO                     # bills debited
    not_served: Decimal = ZERO                  # bills refused because the service was suspended or released
    milestones: tuple[Milestone, ...] = field(default=())  # state changes that took effect

    def state_at(self, moment: object) -> str:
        t = as_datetime(moment, "at")
        s = ACTIVE
        for p in self.postings:
            if p.at > t:
                break
            s = p.state
        return s

    def at(self, event: str) -> datetime | None:
        """The first instant of a posting of kind ``event`` ('arrears', 'suspended', 'restored', ...), or None."""
        return next((p.at for p in self.postings if p.kind == event), None)

    def entered(self, state: str) -> datetime | None:
        """The first instant the account entered ``state`` (from a posting in that state), or None."""
        prev = ACTIVE
        for p in self.postings:
            if p.state == state and prev != state:
                return p.at
            prev = p.state
        return None

    def charged_in(self, state: str) -> Decimal:
        """What the bills posted in ``state`` took from the balance (e.g. the grace bills: 'arrears')."""
        return -sum((p.amount for p in self.postings if p.kind == "bill" and p.state == state), ZERO)

    def balance_at(self, moment: object) -> Decimal:
        t = as_datetime(moment, "at")
        b = self.opening
        for p in self.postings:
            if p.at > t:
                break
            b = p.balance
        return b


def shown_until(until: object | None, events: Iterable[Event], topup_at: object | None) -> object | None:
    """The instant a run is shown at: ``until`` when given; else, when a top-up is asked about at
    ``topup_at`` later than every event, that instant (the state shown is the one the question is
    about); else None (the last event)."""
    if until is not None or topup_at is None:
        return until
    at = as_datetime(topup_at, "topup_at")
    return at if all(e.at <= at for e in events) else None


def run(opening: object, events: Iterable[Event], rule: ArrearsRule, until: object | None = None) -> AccountRun:
    """Run the balance ``opening`` through ``events`` under ``rule``; milestones due up to ``until``
    (default: the last event) take effect. Pure: the same inputs give the same postings."""
    bal = D(opening, "opening")
    evs = sorted(events, key=lambda e: (e.at, KINDS[e.kind], e.ref, e.amount))
    end = as_datetime(until, "until") if until is not None else (evs[-1].at if evs else None)
    state, pending = ACTIVE, []
    postings, arrears, restored, done = [], [], [], []
    charged = not_served = ZERO

    def due(upto: datetime, inclusive: bool) -> None:
        nonlocal state, pending
        while pending and (pending[0].at < upto or (inclusive and pending[0].at == upto)):
            m = pending.pop(0)
            state = m.state
            done.append(m)
            postings.append(Posting(m.at, m.event, ZERO, bal, state, note=m.note))

    for e in evs:
        due(e.at, inclusive=False)  # a bill settled at the very instant of a milestone is for usage before it
        if e.kind == "bill":
            if state in (SUSPENDED, RELEASED):
                not_served += e.amount
                postings.append(Posting(e.at, "not-served", ZERO, bal, state, e.ref,
                                        f"service {state}: the usage of this bill was not served, so it is not charged"))
                continue
            bal -= e.amount
            charged += e.amount
            postings.append(Posting(e.at, "bill", -e.amount, bal, state, e.ref))
            if bal < 0 and state == ACTIVE:
                state = ARREARS
                arrears.append(e.at)
                pending = sorted(rule.timeline(e.at), key=lambda m: m.at)
                postings.append(Posting(e.at, "arrears", ZERO, bal, state, e.ref, "balance below zero (欠费)"))
        else:
            bal += e.amount
            postings.append(Posting(e.at, e.kind, e.amount, bal, state, e.ref))
            if state in (ARREARS, SUSPENDED) and (bal >= 0 or rule.restore == "any-topup"):
                if state == SUSPENDED and rule.renewal is not None:
                    cost, what = rule.renewal(e.at)
                    if bal < cost:
                        continue  # credited; the renewal that would restore the resource is not covered
                    bal -= cost
                    charged += cost
                    postings.append(Posting(e.at, "renewal", -cost, bal, state, e.ref, what))
                state, pending = ACTIVE, []
                restored.append(e.at)
                postings.append(Posting(e.at, "restored", ZERO, bal, state, e.ref, f"restored by the top-up ({rule.name})"))
    if end is not None:
        due(end, inclusive=True)
    return AccountRun(D(opening, "opening"), tuple(postings), bal, state, tuple(arrears), tuple(restored), charged,
                      not_served, tuple(done))


def topup_effect(opening: object, events: Iterable[Event], rule: ArrearsRule, at: object, amount: object,
                 until: object | None = None) -> tuple[AccountRun, AccountRun]:
    """The account without and with one more top-up of ``amount`` at ``at``: what it restores."""
    evs = list(events)
    before = run(opening, evs, rule, until)
    after = run(opening, [*evs, event(at, "topup", amount, "top-up asked about")], rule, until)
    return before, after


def money_events(raw, field: str, kind: str) -> list[Event]:
    """Items ``'<at> <amount>'`` (or tables ``{at, amount}``) as events of ``kind``; errors name the item."""
    out = []
    for i, x in enumerate(raw or []):
        if isinstance(x, dict):
            at, amount = x.get("at"), x.get("amount")
        else:
            parts = str(x).split()
            if len(parts) != 2:
                raise InputError(f"{field}[{i}]", x, "'<at> <amount>', e.g. '2023-05-10T09:00:00 50'")
            at, amount = parts
        out.append(event(as_datetime(at, f"{field}[{i}].at"), kind, nonneg(amount, f"{field}[{i}].amount"), f"{field}[{i}]"))
    return out


def result(run: AccountRun, used: dict) -> Result:
    """An account run as a Result: every posting a step; outputs: when the balance went negative, what
    the bills took during the grace (``grace_charged``), the suspension, the release, the restore, the
    balance and state at the end, what was charged and what was not served."""
    res = Result({}, policies=dict(used))
    for p in run.postings:
        res.step(f"{p.at:%Y-%m-%d %H:%M:%S} {p.kind}", p.amount if p.amount else p.state,
                 f"balance {p.balance}; {p.state}" + (f"; {p.ref}" if p.ref else "") + (f"; {p.note}" if p.note else ""))
    res.outputs.update(balance=run.balance, state=run.state, charged=run.charged, not_served=run.not_served,
                       negative_at=run.arrears[0] if run.arrears else "never", grace_charged=run.charged_in(ARREARS),
                       suspended_at=run.entered(SUSPENDED) or "never", released_at=run.entered(RELEASED) or "never",
                       restored_at=run.restored[0] if run.restored else "never")
    return res


def ask(res: Result, opening: object, events: Iterable[Event], rule: ArrearsRule, at: datetime, amount: object = None,
        until: object | None = None) -> None:
    """What one more top-up of ``amount`` (default: the debt then) at ``at`` restores; adds the step and
    the outputs ``outcome`` (not-in-arrears | no-suspension | restored | still-in-arrears |
    still-suspended | too-late), ``state_at_topup``, ``debt_at_topup``."""
    evs = list(events)
    end = as_datetime(until, "until") if until is not None else None
    before = run(opening, evs, rule, max(at, end) if end else at)
    state = before.state_at(at)
    debt = max(-before.balance_at(at), ZERO)
    amt = debt if amount is None else nonneg(amount, "topup")
    _, after = topup_effect(opening, evs, rule, at, amt, max(at, end) if end else at)
    restored = at in after.restored
    if state in (ACTIVE, RELEASED):
        outcome = "not-in-arrears" if state == ACTIVE else "too-late"
    elif restored:
        outcome = "no-suspension" if state == ARREARS else "restored"
    else:
        outcome = "still-in-arrears" if state == ARREARS else "still-suspended"
    res.step(f"if a top-up of {amt} were made at {at:%Y-%m-%d %H:%M:%S}", outcome,
             f"state then: {state}; debt then: {debt}; asked, not one of the run's top-ups (restored_at is theirs)")
    res.outputs.update(outcome=outcome, state_at_topup=state, debt_at_topup=debt)


__all__ = ["ACTIVE", "ARREARS", "SUSPENDED", "RELEASED", "AccountRun", "ArrearsRule", "Event", "Milestone",
           "Posting", "ask", "event", "money_events", "result", "run", "topup_effect"]
