"""The anonymised report of a confirmed selection: aggregated counts, no names.

Counts about people follow the platform's one disclosure policy (:func:`core.disclosure.protect`):
each table (by gender, category, place) is protected together with the four totals it adds up
to, so no hidden figure can be worked out by subtracting published ones, across the two columns
(applications, offered seats), the rows and the totals. A hidden figure is stored as ``None`` and
shown as "riservato"; below ten applications no breakdown is published at all.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence

from accounts.models import Gender
from core.disclosure import Figure, protect
from leadership.models import Application, CallPage
from leadership.models import ApplicationStatus as S
from leadership.selection import Move
from leadership.selectors import place_of

#: Everyone who was offered a seat, whatever they did with it.
OFFERED = (S.SELECTED, S.ACCEPTED, S.COMPLETED, S.DECLINED)
UNDECLARED = "non_dichiarato"
TOTALS = ("submitted", "eligible", "selected", "waitlisted")


def _kind(status: str) -> str:
    """The finest group a status falls in, for the totals (each total is a union of these)."""
    if status in OFFERED:
        return "offered"
    if status == S.WAITLISTED:
        return "waitlisted"
    if status in (S.INELIGIBLE, S.SUBMITTED):
        return "not_eligible"
    return "eligible_other"


TOTAL_KINDS = {
    "submitted": ("offered", "waitlisted", "not_eligible", "eligible_other"),
    "eligible": ("offered", "waitlisted", "eligible_other"),
    "selected": ("offered",),
    "waitlisted": ("waitlisted",),
}


def _figures(rows: Sequence[tuple], label_of: Callable[[tuple], str], forced: set) -> list:
    """The table's figures: per label applications and offered seats, and the four totals."""
    counts: dict[tuple, int] = defaultdict(int)
    labels = set()
    for row in rows:
        label = str(label_of(row))
        labels.add(label)
        counts[label, _kind(row[0])] += 1
    kinds = TOTAL_KINDS["submitted"]
    figures = []
    for label in sorted(labels):
        atoms = frozenset((label, kind) for kind in kinds)
        figures.append(Figure((label, 0), atoms, sum(counts[a] for a in atoms)))
        offered = (label, "offered")
        figures.append(Figure((label, 1), frozenset([offered]), counts[offered], listed=True))
    for name, total_kinds in TOTAL_KINDS.items():
        atoms = frozenset((label, kind) for label in labels for kind in total_kinds)
        count = sum(1 for row in rows if _kind(row[0]) in total_kinds)
        figures.append(Figure(name, atoms, count, forced=name in forced))
    return figures


def _protected(rows: Sequence[tuple], tables: dict[str, Callable]) -> dict:
    """Protect every table; a total hidden for one table is hidden for all (they share it)."""
    forced: set = set()
    while True:
        protected = {}
        for key, label_of in tables.items():
            figures = protect(_figures(rows, label_of, forced))
            protected[key] = figures
        hidden_totals = {
            f.key for figures in protected.values() for f in figures if f.key in TOTALS and f.hidden
        }
        if hidden_totals <= forced:
            break
        forced |= hidden_totals
    report: dict = {name: None if name in forced else 0 for name in TOTALS}
    for key, figures in protected.items():
        table: dict[str, list] = defaultdict(lambda: [None, None])
        for figure in figures:
            value = None if figure.hidden else figure.count
            if figure.key in TOTALS:
                report[figure.key] = value
            else:
                label, column = figure.key
                table[label][column] = value
        report[key] = dict(table)
    return report


def selection_report(call: CallPage) -> dict:
    """Anonymised, aggregated figures of the selection (no names, small counts suppressed)."""
    rows = list(
        Application.objects.filter(call=call)
        .exclude(status=S.DRAFT)
        .select_related("comune")
        .values_list("status", "gender", "category", "comune_id", "comune__mountain_status")
    )
    return _protected(
        rows,
        {
            "by_gender": lambda r: r[1] or Gender.UNDISCLOSED,
            "by_category": lambda r: r[2] or UNDECLARED,
            "by_place": lambda r: place_of(r[3], r[4]),
        },
    )


def quota_effect_report(moves: Sequence[Move], applied: Sequence[str]) -> dict:
    """How many people each rule moved up and down the ranking, protected like every count.

    Each person moved is one atom (direction and the set of rules that moved them); a rule's
    figure is the union of the atoms that name it, and the total is everyone moved. Places and
    positions stay in the coordinator's report: a position is something a candidate knows
    about themselves, and next to a rule it would tell their gender or zona.
    """
    rules = [*applied, *sorted({r for m in moves for r in m.rules} - set(applied))]
    if not moves:
        return {"moved": 0, "rules": {rule: [0, 0] for rule in rules}}
    atoms = [("up" if m.places > 0 else "down", frozenset(m.rules)) for m in moves]
    counts: dict[tuple, int] = defaultdict(int)
    for atom in atoms:
        counts[atom] += 1
    figures = [Figure("moved", frozenset(counts), len(moves))]
    for rule in rules:
        for column, direction in enumerate(("up", "down")):
            members = frozenset(a for a in counts if a[0] == direction and rule in a[1])
            figures.append(Figure((rule, column), members, sum(counts[a] for a in members)))
    protect(figures)
    report: dict = {"moved": None, "rules": {rule: [None, None] for rule in rules}}
    for figure in figures:
        value = None if figure.hidden else figure.count
        if figure.key == "moved":
            report["moved"] = value
        else:
            rule, column = figure.key
            report["rules"][rule][column] = value
    return report
