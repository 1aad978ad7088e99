"""The steps of a case and the only moves between them (Nghị định 56/2017 Điều 25–32).

    received ─► verifying ─┬─► assessing ─► planning ─► awaiting_approval ─┬─► in_progress
                           │                   ▲                          │        │
                           │                   └──────── returned ────────┘        ▼
                           │                   ▲                               reviewing
                           │                   └───────── new plan ───────────────┤
                           └─► closed (not confirmed)            closed (safe) ◄───┘
    closed ─► verifying (re-opened on new information)

Each move names the capability it needs: the commune's child-protection officer moves the
case; the chairman of the commune approves or returns the plan and, on the review, ends the
case or asks for a new plan (Nghị định 56/2017 Điều 28, 30; treem/cases/data/legal_basis.md).
"""

from dataclasses import dataclass

from treem.accounts.permissions import Capability
from treem.cases.choices import CloseReason
from treem.cases.choices import Status as S


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    capability: Capability
    close_reasons: frozenset[str] = frozenset()  # a move to CLOSED names its allowed reasons


def _move(sources: set[str], target: str, capability: Capability = Capability.MANAGE_CASES,
          close_reasons: set[str] | None = None) -> Move:
    return Move(frozenset(sources), target, capability, frozenset(close_reasons or ()))


OPEN: set[str] = {S.RECEIVED, S.VERIFYING, S.ASSESSING, S.PLANNING, S.AWAITING_APPROVAL, S.IN_PROGRESS,
        S.REVIEWING}

MOVES: dict[str, Move] = {
    "verify": _move({S.RECEIVED}, S.VERIFYING),
    "confirm": _move({S.VERIFYING}, S.ASSESSING),
    "not_confirmed": _move({S.VERIFYING}, S.CLOSED, close_reasons={CloseReason.NOT_CONFIRMED}),
    "plan": _move({S.ASSESSING}, S.PLANNING),
    "submit_plan": _move({S.PLANNING}, S.AWAITING_APPROVAL),
    "approve_plan": _move({S.AWAITING_APPROVAL}, S.IN_PROGRESS, Capability.APPROVE_CASE_PLANS),
    "return_plan": _move({S.AWAITING_APPROVAL}, S.PLANNING, Capability.APPROVE_CASE_PLANS),
    "review": _move({S.IN_PROGRESS}, S.REVIEWING),
    # The review is submitted to the chairman, who ends the plan or asks for a new one
    # (Nghị định 56/2017 Điều 30 khoản 1 điểm b, c).
    "new_plan": _move({S.REVIEWING}, S.PLANNING, Capability.APPROVE_CASE_PLANS),
    "close": _move({S.REVIEWING}, S.CLOSED, Capability.APPROVE_CASE_PLANS,
                   close_reasons={CloseReason.SAFE}),
    # A case can leave the commune at any open step: the child moved, or another body took it.
    "hand_over": _move(OPEN, S.CLOSED,
                       close_reasons={CloseReason.MOVED, CloseReason.TRANSFERRED,
                                      CloseReason.OTHER}),
    "reopen": _move({S.CLOSED}, S.VERIFYING),
}


def moves_from(status: str) -> list[str]:
    """The moves allowed from `status`, in the order of the process."""
    return [name for name, move in MOVES.items() if status in move.sources]
