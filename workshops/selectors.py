"""Reads that shape the live pages and the events sent to screens and phones."""

from collections import Counter

from django.db.models import Count

from realtime.events import LiveActivity, LiveResults, LiveState
from workshops import conversation_reads
from workshops.models import Activity, Answer, Idea, LiveSession


def session_open_by_code(*, code: str) -> LiveSession | None:
    return (
        LiveSession.objects.select_related("page", "current_activity")
        .running()  # open and not past its lifetime (workshops/expiry.py)
        .filter(code=code)
        .first()
    )


def normalise_code(raw: str) -> str:
    """What people type: lower case, spaces or hyphens ("abc 123", "ABC-123")."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:12]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _choice_items(options, rows, total, *, multiple: bool) -> list:
    counts: Counter = Counter()
    for row in rows:
        for index in (row["value"] or []) if multiple else [row["value"]]:
            counts[index] += row["n"]
    return [
        {"index": i, "label": label, "count": counts[i], "percent": _percent(counts[i], total)}
        for i, label in enumerate(options)
    ]


def _scale_items(rows, total) -> tuple[list, float | None]:
    counts: Counter = Counter()
    for row in rows:
        counts[row["value"]] += row["n"]
    items = [
        {"index": v, "label": str(v), "count": counts[v], "percent": _percent(counts[v], total)}
        for v in range(1, 6)
    ]
    average = round(sum(v * counts[v] for v in range(1, 6)) / total, 1) if total else None
    return items, average


def _ranking_items(options, rows, total) -> list:
    """Borda count: first place gets ``size - 1`` points, the last none."""
    size = len(options)
    counts: Counter = Counter()
    for row in rows:
        for position, index in enumerate(row["value"] or []):
            counts[index] += (size - 1 - position) * row["n"]
    best = total * (size - 1)
    items = [
        {"index": i, "label": label, "count": counts[i], "percent": _percent(counts[i], best)}
        for i, label in enumerate(options)
    ]
    return sorted(items, key=lambda item: (-item["count"], item["index"]))


def _build_results(
    activity: Activity, rows: list[dict], ideas: list[dict], idea_count: int
) -> LiveResults:
    """Totals of an activity from its grouped answers ``[{"value": v, "n": count}]``."""
    total = sum(row["n"] for row in rows)
    options = list(activity.options or [])
    result: LiveResults = {"total": total, "items": [], "average": None, "ideas": []}
    kind = activity.kind
    if kind in {Activity.Kind.SINGLE_CHOICE, Activity.Kind.MULTIPLE_CHOICE}:
        multiple = kind == Activity.Kind.MULTIPLE_CHOICE
        result["items"] = _choice_items(options, rows, total, multiple=multiple)
    elif kind == Activity.Kind.SCALE_1_5:
        result["items"], result["average"] = _scale_items(rows, total)
    elif kind == Activity.Kind.RANKING:
        result["items"] = _ranking_items(options, rows, total)
    elif kind == Activity.Kind.IDEAS:
        result["ideas"] = ideas
        result["total"] = idea_count
    return result


def activity_results(activity: Activity) -> LiveResults:
    """Totals of one activity: one aggregate query (two more for an ideas activity)."""
    if conversation_reads.is_conversation(activity):
        return conversation_reads.activity_results(activity)
    rows = list(activity.answers.order_by().values("value").annotate(n=Count("id")))
    ideas: list[dict] = []
    idea_count = 0
    if activity.kind == Activity.Kind.IDEAS:
        ideas = list(activity.ideas.filter(approved=True).values("pk", "text"))
        idea_count = activity.ideas.count()
    return _build_results(activity, rows, ideas, idea_count)


def session_activities_with_results(
    session: LiveSession,
) -> list[tuple[Activity, LiveResults]]:
    """Every activity of a session with its totals, in four queries whatever their number."""
    activities = list(session.activities.all())
    rows: dict[int, list[dict]] = {}
    for row in (
        Answer.objects.filter(activity__session=session)
        .order_by()
        .values("activity_id", "value")
        .annotate(n=Count("id"))
    ):
        rows.setdefault(row["activity_id"], []).append(row)
    ideas: dict[int, list[dict]] = {}
    for idea in (
        Idea.objects.filter(activity__session=session, approved=True)
        .order_by("created_at", "pk")
        .values("activity_id", "pk", "text")
    ):
        ideas.setdefault(idea.pop("activity_id"), []).append(idea)
    idea_counts = dict(
        Idea.objects.filter(activity__session=session)
        .order_by()
        .values_list("activity_id")
        .annotate(n=Count("id"))
    )
    return [
        (
            activity,
            conversation_reads.activity_results(activity)
            if conversation_reads.is_conversation(activity)
            else _build_results(
                activity,
                rows.get(activity.pk, []),
                ideas.get(activity.pk, []),
                idea_counts.get(activity.pk, 0),
            ),
        )
        for activity in activities
    ]


def session_state_event(session: LiveSession) -> LiveState:
    """What projector and phones may see: results only once the facilitator reveals them."""
    activity = session.current_activity
    key = [session.status]
    shown = None
    if activity is not None:
        results = activity_results(activity)
        visible = activity.results_visible
        shown = LiveActivity(
            id=activity.pk,
            kind=str(activity.kind),
            state=str(activity.state),
            results_visible=visible,
            total=results["total"],
            results=results if visible else None,
        )
        key += [str(activity.pk), activity.state, str(int(visible))]
        if conversation_reads.is_conversation(activity):
            key.append(conversation_reads.state_key(activity))
        if visible:
            key.append(",".join(str(idea["pk"]) for idea in results["ideas"]))
    return LiveState(
        session=session.pk, status=str(session.status), activity=shown, key=":".join(key)
    )


def session_public_state(session: LiveSession) -> dict:
    """The ``live.state`` payload, also given to the pages that render the same state."""
    return session_state_event(session).to_payload()


def pending_ideas(session: LiveSession) -> list[Idea]:
    return list(
        Idea.objects.filter(activity__session=session).select_related("activity").order_by("pk")
    )
