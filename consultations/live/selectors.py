"""Reads that shape the live pages and the events sent to screens and phones."""

from collections import Counter

from django.db.models import Count

from consultations.live.models import Activity, Idea, LiveSession


def session_open_by_code(*, code: str) -> LiveSession | None:
    return (
        LiveSession.objects.select_related("page", "current_activity")
        .filter(code=code, status=LiveSession.Status.OPEN)
        .first()
    )


def normalise_code(raw: str) -> str:
    """What people type: lower case, spaces or hyphens ("abc 123", "ABC-123")."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:12]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def activity_results(activity: Activity) -> dict:
    """Totals of an activity, in one aggregate query (plus one for ideas)."""
    rows = list(activity.answers.order_by().values("value").annotate(n=Count("id")))
    total = sum(row["n"] for row in rows)
    options = list(activity.options or [])
    result: dict = {"total": total, "items": [], "average": None, "ideas": []}
    kind = activity.kind
    if kind == Activity.Kind.SINGLE_CHOICE:
        counts = Counter()
        for row in rows:
            counts[row["value"]] += row["n"]
        result["items"] = [
            {"index": i, "label": label, "count": counts[i], "percent": _percent(counts[i], total)}
            for i, label in enumerate(options)
        ]
    elif kind == Activity.Kind.MULTIPLE_CHOICE:
        counts = Counter()
        for row in rows:
            for index in row["value"] or []:
                counts[index] += row["n"]
        result["items"] = [
            {"index": i, "label": label, "count": counts[i], "percent": _percent(counts[i], total)}
            for i, label in enumerate(options)
        ]
    elif kind == Activity.Kind.SCALE_1_5:
        counts = Counter()
        for row in rows:
            counts[row["value"]] += row["n"]
        result["items"] = [
            {"index": v, "label": str(v), "count": counts[v], "percent": _percent(counts[v], total)}
            for v in range(1, 6)
        ]
        if total:
            result["average"] = round(sum(v * counts[v] for v in range(1, 6)) / total, 1)
    elif kind == Activity.Kind.RANKING:
        size = len(options)
        points = Counter()
        for row in rows:
            for position, index in enumerate(row["value"] or []):
                points[index] += (size - 1 - position) * row["n"]
        best = total * (size - 1)
        items = [
            {
                "index": i,
                "label": label,
                "count": points[i],
                "percent": _percent(points[i], best),
            }
            for i, label in enumerate(options)
        ]
        result["items"] = sorted(items, key=lambda item: (-item["count"], item["index"]))
    elif kind == Activity.Kind.IDEAS:
        ideas = list(activity.ideas.filter(approved=True).values("pk", "text"))
        result["ideas"] = ideas
        result["total"] = activity.ideas.count()
    return result


def session_public_state(session: LiveSession) -> dict:
    """What projector and phones may see: results only once the facilitator reveals them."""
    activity = session.current_activity
    state: dict = {"session": session.pk, "status": session.status, "activity": None}
    key = [session.status]
    if activity is not None:
        results = activity_results(activity)
        visible = activity.results_visible
        state["activity"] = {
            "id": activity.pk,
            "kind": activity.kind,
            "state": activity.state,
            "results_visible": visible,
            "total": results["total"],
            "results": results if visible else None,
        }
        key += [str(activity.pk), activity.state, str(int(visible))]
        if visible:
            key.append(",".join(str(idea["pk"]) for idea in results["ideas"]))
    state["key"] = ":".join(key)
    return state


def session_activities_with_results(session: LiveSession) -> list[tuple[Activity, dict]]:
    """Every activity of a session with its totals (archive page, console, CSV)."""
    return [(activity, activity_results(activity)) for activity in session.activities.all()]


def pending_ideas(session: LiveSession) -> list[Idea]:
    return list(
        Idea.objects.filter(activity__session=session).select_related("activity").order_by("pk")
    )
