"""The anonymised report of a confirmed selection: aggregated counts, no names.

Counts about people follow the platform's one disclosure policy (``core.disclosure``): a count of
1 to 4 is shown as "<5", and when a table column would hide a single cell the next smallest is
hidden too ("…"), so no hidden cell can be worked out from the total and the other cells.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence

from accounts.models import Gender
from core.disclosure import shown_count, suppress_counts
from leadership.models import Application, CallPage
from leadership.models import ApplicationStatus as S
from leadership.selectors import place_of

#: Everyone who was offered a seat, whatever they did with it.
OFFERED = (S.SELECTED, S.ACCEPTED, S.COMPLETED, S.DECLINED)
UNDECLARED = "non_dichiarato"


def _table(rows: Sequence[tuple], label_of: Callable[[tuple], str]) -> dict[str, list]:
    """``{label: [applications, offered]}``, each column suppressed on its own."""
    applied: dict[str, int] = defaultdict(int)
    offered: dict[str, int] = defaultdict(int)
    for row in rows:
        label = str(label_of(row))
        applied[label] += 1
        offered[label] += row[0] in OFFERED
    labels = sorted(applied)
    shown_applied = suppress_counts({label: applied[label] for label in labels})
    shown_offered = suppress_counts({label: offered[label] for label in labels})
    return {label: [shown_applied[label], shown_offered[label]] for label in labels}


def selection_report(call: CallPage) -> dict:
    """Anonymised, aggregated figures of the selection (no names, small counts suppressed)."""
    rows = list(
        Application.objects.filter(call=call)
        .exclude(status=S.DRAFT)
        .select_related("comune")
        .values_list("status", "gender", "category", "comune_id", "comune__mountain_status")
    )
    return {
        "submitted": shown_count(len(rows)),
        "eligible": shown_count(sum(1 for r in rows if r[0] not in (S.INELIGIBLE, S.SUBMITTED))),
        "selected": shown_count(sum(1 for r in rows if r[0] in OFFERED)),
        "waitlisted": shown_count(sum(1 for r in rows if r[0] == S.WAITLISTED)),
        "by_gender": _table(rows, lambda r: r[1] or Gender.UNDISCLOSED),
        "by_category": _table(rows, lambda r: r[2] or UNDECLARED),
        "by_place": _table(rows, lambda r: place_of(r[3], r[4])),
    }
