"""Who reviews what: each item gets up to N reviewers, the least loaded first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class Plan:
    #: new (item_id, reviewer_id) pairs, in the order they were decided
    pairs: list[tuple[int, int]] = field(default_factory=list)
    #: items that still have fewer than N reviewers (not enough reviewers free of conflicts)
    short: list[int] = field(default_factory=list)
    #: every item's reviewers after the plan (those already assigned and the new ones)
    reviewers_of: dict[int, set[int]] = field(default_factory=dict)


def plan_assignments(
    items: Sequence[int],
    reviewers: Sequence[int],
    *,
    per_item: int,
    assigned: Iterable[tuple[int, int]] = (),
    conflicts: Iterable[tuple[int, int]] = (),
    excluded: Mapping[int, Iterable[int]] | None = None,
) -> Plan:
    """Give each item in ``items`` (in order) reviewers up to ``per_item``.

    ``assigned`` and ``conflicts`` are (item_id, reviewer_id) pairs; ``excluded`` maps an item
    to the reviewers who may never review it (its author, a team member). A reviewer's load is
    every assignment they have (``assigned``, then what the plan adds); the least loaded are
    chosen first, ties broken by id, so the plan is the same every time it is run.
    """
    excluded = excluded or {}
    conflicts = set(conflicts)
    load: dict[int, int] = defaultdict(int)
    have: dict[int, set[int]] = defaultdict(set)
    for item_id, reviewer_id in assigned:
        load[reviewer_id] += 1
        have[item_id].add(reviewer_id)
    plan = Plan()
    for item_id in items:
        mine = have[item_id]
        barred = set(excluded.get(item_id, ()))
        options = [
            r
            for r in reviewers
            if r not in mine and r not in barred and (item_id, r) not in conflicts
        ]
        options.sort(key=lambda r: (load[r], r))
        for reviewer_id in options[: max(0, per_item - len(mine))]:
            plan.pairs.append((item_id, reviewer_id))
            load[reviewer_id] += 1
            mine.add(reviewer_id)
        if len(mine) < per_item:
            plan.short.append(item_id)
        plan.reviewers_of[item_id] = set(mine)
    return plan
