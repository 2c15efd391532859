"""What the live workshop views share: the refusal page, the facilitator's session, fragments."""

from django.shortcuts import get_object_or_404, render

from workshops import services
from workshops.models import LiveSession


def refuse(request, message: str, status: int = 403):
    return render(request, "live/refused.html", {"message": message}, status=status)


def facilitated_session(request, pk: int) -> LiveSession | None:
    session = get_object_or_404(LiveSession.objects.select_related("page"), pk=pk)
    if not services.can_facilitate(user=request.user, session=session):
        return None
    return session


def is_fragment(request) -> bool:
    return request.GET.get("fragment") == "1"
