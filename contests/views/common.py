"""What every contest door shares: the contest behind the id in the path, and the one way a
door calls a service and tells the person how it went."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404

from contests.models import ContestPage
from contests.selectors import contest_behind
from core.errors import REFUSALS, message_refusal


def contest_or_404(contest_id: int, *, public: bool = True) -> ContestPage:
    """The Italian contest behind ``contest_id`` (an English copy's id maps to it), or 404."""
    contest = contest_behind(contest_id, public=public)
    if contest is None:
        raise Http404
    return contest


def form_or_message(request, form, error: str) -> bool:
    """Whether ``form`` is valid; when it is not, ``error`` is shown on the next page."""
    if form.is_valid():
        return True
    messages.error(request, error)
    return False


def call_service(request, action: Callable, success: str | Callable | None = None):
    """Run ``action()``; a refusal becomes an error message and ``None`` is returned,
    otherwise ``success`` (a text, or a function of the result giving one) is shown and the
    result returned (``True`` when the service returns nothing)."""
    try:
        result = action()
    except REFUSALS as error:
        message_refusal(request, error)
        return None
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return True if result is None else result
