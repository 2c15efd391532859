"""Quota-respecting selection: pure functions, no database.

The algorithm proposes, the coordinator confirms. It walks the ranking by score and takes each
candidate unless taking them would make the quotas impossible to meet with the people still
available; a candidate passed over is skipped only because of the quotas, and the reason names
the rule(s). Feasibility is decided exactly (``feasibility``), so whenever some assignment
satisfies every quota, the proposal satisfies them too. When no assignment can, the quota(s) at
fault are reported with the reason and left out: they are never silently broken. Every change of
place against the ranking by score is listed with its cause (``SelectionResult.moves``).

- ``quotas``: candidates, the quota rules and their bounds (the rules are described there);
- ``feasibility``: can a partial selection still be completed?
- ``ranking``: the walk, the reasons, the moves, and who gets a freed seat.
"""

from leadership.selection.quotas import (
    CAP_RULES,
    CAPPED_GENDERS,
    MAN,
    PLACES,
    WOMAN,
    Candidate,
    Place,
    Quotas,
    Rule,
    check_quotas,
)
from leadership.selection.ranking import (
    CORRECTION,
    Move,
    SelectionResult,
    explain_infeasible,
    next_for_seat,
    rule_label,
    select,
)

__all__ = [
    "CAPPED_GENDERS",
    "CAP_RULES",
    "CORRECTION",
    "MAN",
    "PLACES",
    "WOMAN",
    "Candidate",
    "Move",
    "Place",
    "Quotas",
    "Rule",
    "SelectionResult",
    "check_quotas",
    "explain_infeasible",
    "next_for_seat",
    "rule_label",
    "select",
]
